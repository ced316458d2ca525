// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cd-file-lock.h"

G_BEGIN_DECLS

/* Java keystores, read and written as keytool 17 does, without a JDK. Formats and keytool's
 * behaviour are described in DESIGN.md, section 3. */

typedef enum
{
  CD_KEYSTORE_JKS,
  CD_KEYSTORE_PKCS12,
  CD_KEYSTORE_JCEKS, /* read-only: saving one fails with CD_ERROR_UNSUPPORTED */
} CdKeystoreType;

typedef enum
{
  CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE, /* keytool's trustedCertEntry */
  CD_KEYSTORE_ENTRY_PRIVATE_KEY,         /* keytool's PrivateKeyEntry: a key and its chain */
} CdKeystoreEntryKind;

typedef struct
{
  char                *alias;   /* as keytool shows it: lower case in JKS */
  CdKeystoreEntryKind  kind;
  gint64               created; /* milliseconds since the epoch, as Java records it; 0 when
                                 * the store does not say */
  GPtrArray           *chain;   /* X509*, owned: the trusted certificate alone, or the key's
                                 * chain, leaf first */
  EVP_PKEY            *key;     /* private key entries: the key, owned; NULL when it could not
                                 * be decrypted with the password given (see @locked) */
  gboolean             locked;  /* a private key entry whose key password differs from the one
                                 * given: listed, but its key cannot be exported or re-saved */
} CdKeystoreEntry;

typedef struct _CdKeystore CdKeystore;

/* An empty keystore of @type. */
CdKeystore      *cd_keystore_new            (CdKeystoreType     type);
void             cd_keystore_free           (CdKeystore        *self);

/* Reads a keystore, recognised by content (JKS FEEDFEED, JCEKS CECECECE, PKCS#12 DER).
 * @password is the store password; @key_password opens private key entries (NULL: the store
 * password, as keytool assumes). A wrong store password or a damaged file fail alike, as
 * keytool's "Keystore was tampered with, or password was incorrect" (CD_ERROR_WRONG_PASSWORD);
 * a file that is no keystore at all is CD_ERROR_BAD_FORMAT; counts and lengths beyond what the
 * file holds are CD_ERROR_BAD_FORMAT, never an allocation of their size. A key entry whose key
 * password differs is returned locked, not as an error. */
CdKeystore      *cd_keystore_load           (const char        *path,
                                             const char        *password,
                                             const char        *key_password,
                                             GError           **error);
CdKeystore      *cd_keystore_load_bytes     (GBytes            *data,
                                             const char        *name,
                                             const char        *password,
                                             const char        *key_password,
                                             GError           **error);

CdKeystoreType   cd_keystore_get_store_type (CdKeystore        *self);
/* "jks", "pkcs12", "jceks"; and the reverse (FALSE for anything else) */
const char      *cd_keystore_type_to_string (CdKeystoreType     type);
gboolean         cd_keystore_type_parse     (const char        *string,
                                             CdKeystoreType    *type);

/* The entries sorted by alias (as keytool lists a PKCS#12; it lists a JKS in hash-table order),
 * borrowed. */
guint            cd_keystore_get_n_entries  (CdKeystore        *self);
CdKeystoreEntry *cd_keystore_get_entry      (CdKeystore        *self,
                                             guint              index);
/* Case-insensitive, as Java looks aliases up; NULL when absent. */
CdKeystoreEntry *cd_keystore_lookup         (CdKeystore        *self,
                                             const char        *alias);
/* The alias of an entry holding @cert (the trusted certificate, or a key's leaf), or NULL. */
const char      *cd_keystore_find_certificate (CdKeystore      *self,
                                               X509            *cert);

typedef enum
{
  CD_KEYSTORE_ADD_DEFAULT = 0,
  /* an existing entry with the alias is replaced instead of failing with CD_ERROR_DUPLICATE */
  CD_KEYSTORE_ADD_REPLACE = 1 << 0,
} CdKeystoreAddFlags;

/* Adds a trusted certificate entry. The alias is stored lower-cased for JKS. Fails with
 * CD_ERROR_DUPLICATE when the alias is taken (unless REPLACE), CD_ERROR_INVALID_VALUE for an
 * empty alias. Duplicate certificates under other aliases are the caller's business (see
 * cd_keystore_find_certificate()). */
gboolean         cd_keystore_add_certificate (CdKeystore         *self,
                                              const char         *alias,
                                              X509               *cert,
                                              CdKeystoreAddFlags  flags,
                                              GError            **error);
/* Adds a private key entry with its chain (leaf first, the leaf must match @key:
 * CD_ERROR_INVALID_VALUE "the certificate is not for this key" otherwise). */
gboolean         cd_keystore_add_key        (CdKeystore         *self,
                                             const char         *alias,
                                             EVP_PKEY           *key,
                                             GPtrArray          *chain,
                                             CdKeystoreAddFlags  flags,
                                             GError            **error);
gboolean         cd_keystore_remove         (CdKeystore         *self,
                                             const char         *alias,
                                             GError            **error);
gboolean         cd_keystore_rename         (CdKeystore         *self,
                                             const char         *alias,
                                             const char         *new_alias,
                                             GError            **error);

/* The keystore as bytes, protected with @password (JKS: keys with the Sun key protector under
 * @password too; PKCS#12: PBES2/AES-256-CBC/PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC, 10000
 * iterations, as keytool 17 writes). A non-ASCII password for PKCS#12 fails with
 * CD_ERROR_INVALID_VALUE and a message that says Java cannot read such a file. Locked entries
 * fail with CD_ERROR_UNSUPPORTED. JCEKS cannot be written (CD_ERROR_UNSUPPORTED). */
GBytes          *cd_keystore_serialize      (CdKeystore        *self,
                                             const char        *password,
                                             GError           **error);
/* Writes cd_keystore_serialize() to @path without ever damaging what was there, as
 * cd_safe_file_write() does: through symbolic links to the file they name, keeping its mode and
 * owner, the previous version kept as "NAME.bak" beside it (one generation; at most 0600 when
 * this keystore or the file it was read from holds a private key), under the file's lock. On
 * failure the keystore file is intact. Nothing at all is written when the keystore cannot be
 * serialized. */
gboolean         cd_keystore_save           (CdKeystore        *self,
                                             const char        *path,
                                             const char        *password,
                                             GError           **error);
/* The same under @lock, the lock of @path (cd_file_lock_acquire()) that the caller took before
 * it read the keystore, so that no other writer's changes come between the reading and the
 * saving. NULL: the lock is taken for the save alone, as cd_keystore_save() does. */
gboolean         cd_keystore_save_locked    (CdKeystore        *self,
                                             const char        *path,
                                             const char        *password,
                                             CdFileLock        *lock,
                                             GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdKeystore, cd_keystore_free)

G_END_DECLS
