// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* Shared by the files the JKS codec is split over: Sun's JKS (JavaKeyStore) and SunJCE's JCEKS
 * (JceKeyStore), as keytool 17 reads and writes them (DESIGN.md, section 3). JCEKS is JKS with
 * another magic number and another key protection, so one reader serves both.
 *  - cd-keystore-jks.c: reading both, from the framing to the entries;
 *  - cd-keystore-jks-write.c: writing JKS;
 *  - cd-keystore-jks-keyprotector.c: what the passwords do: the store digest, Sun's key
 *    protector and JCEKS's PBEWithMD5AndTripleDES;
 *  - cd-keystore-jks-mutf8.c: Java's modified UTF-8, in which aliases are written. */

#include "cd-keystore-private.h"

G_BEGIN_DECLS

#define JKS_MAGIC   0xFEEDFEEDu
#define JCEKS_MAGIC 0xCECECECEu

#define TAG_PRIVATE_KEY  1
#define TAG_TRUSTED_CERT 2
#define TAG_SECRET_KEY   3 /* JCEKS: a serialized Java object, whose length nothing records */

#define SHA1_LEN         20
#define CERTIFICATE_TYPE "X.509"

/* Bytes derived from a password or holding a key: wiped when they go. */
typedef struct
{
  guint8 *data;
  gsize   length;
} CdJksSecret;

void _cd_jks_secret_clear (CdJksSecret *secret);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdJksSecret, _cd_jks_secret_clear)

/* cd-keystore-jks-keyprotector.c: passwords, digests and key protection -------------------- */

/* The password as Java's char[] in big-endian bytes, two per UTF-16 code unit: what the store
 * digest and Sun's key protector hash. FALSE when @password is not UTF-8. */
gboolean  _cd_jks_password_to_utf16be   (const char        *password,
                                        CdJksSecret       *out);
/* SunJCE's PBE keys take printable ASCII only, one byte per character. */
gboolean  _cd_jks_password_to_pbe_ascii (const char        *password,
                                        CdJksSecret       *out);

/* SHA1(UTF-16BE(password) || "Mighty Aphrodite" || everything before the digest) */
gboolean  _cd_jks_store_digest          (const CdJksSecret *password,
                                        const guint8      *data,
                                        gsize              length,
                                        guint8             digest[SHA1_LEN]);

/* The key of a private key entry (an EncryptedPrivateKeyInfo, with Sun's key protector or
 * PBEWithMD5AndTripleDES); NULL when @password does not open it (or SunJCE would not take it
 * either), which leaves the entry locked. A key opened with Sun's key protector remembers its
 * protected form for _cd_jks_protect_key(). */
EVP_PKEY *_cd_jks_open_key              (const CdJksSecret *password,
                                        const guint8      *protected_key,
                                        gsize              length);
/* An EncryptedPrivateKeyInfo with Sun's key protector, as JavaKeyStore writes it: the form
 * @key was read in when it opens with @password (so that saving again writes the same
 * bytes), else a new one. NULL when OpenSSL cannot encode the key. */
GBytes   *_cd_jks_protect_key           (EVP_PKEY          *key,
                                        const CdJksSecret *password);

/* cd-keystore-jks-mutf8.c: Java's modified UTF-8 ------------------------------------------ */

/* Decodes as Java's DataInput.readUTF does (overlong forms included); NULL for bytes Java
 * rejects too. */
char     *_cd_jks_mutf8_decode          (const guint8      *data,
                                        gsize              length);
/* DataOutput.writeUTF: a u16 length and modified UTF-8, code points beyond the BMP as two
 * surrogates of three bytes each. FALSE when the encoding is longer than a u16 can say. */
gboolean  _cd_jks_put_mutf8             (GByteArray        *out,
                                        const char        *text);

G_END_DECLS
