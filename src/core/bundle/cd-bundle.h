// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* Bounds on input. Passing one fails with CD_ERROR_TOO_LARGE and a message that names it. */
#define CD_BUNDLE_MAX_FILE_SIZE      (64 * 1024 * 1024)  /* one file, or one entry of a zip */
#define CD_BUNDLE_MAX_ZIP_ENTRIES    10000               /* entries of every kind, folders too */
#define CD_BUNDLE_MAX_ZIP_TOTAL_SIZE (256 * 1024 * 1024) /* all entries of a zip, uncompressed */
/* An entry may expand to at most this many times the bytes it takes in the zip, once it is
 * larger than CD_BUNDLE_ZIP_RATIO_FLOOR: zip bombs expand about a thousand times, certificates
 * and keys hardly at all. */
#define CD_BUNDLE_MAX_ZIP_RATIO      200
#define CD_BUNDLE_ZIP_RATIO_FLOOR    (1024 * 1024)
/* Key-derivation rounds of a password-protected PKCS#12 or key (keytool uses 10,000, OpenSSL
 * 2,048): a file that asks for more would keep a thread busy for minutes. */
#define CD_MAX_KDF_ITERATIONS 2000000

/* A private key as found. */
typedef struct
{
  EVP_PKEY *pkey;      /* owned; NULL when the key is encrypted and no password was given */
  gboolean  encrypted; /* stored encrypted: encrypted PKCS#8, traditional PEM with a Proc-Type
                        * header, or a shrouded key in a PKCS#12 */
  char     *source;    /* where it was found: "server.key", "bundle.zip:keys/server.key" */
} CdKey;

/* Everything found in one file. */
typedef struct
{
  GPtrArray *certificates;        /* X509 *, in the order found, owned */
  GPtrArray *certificate_sources; /* char *, the source of each certificate, as CdKey.source */
  GPtrArray *keys;                /* CdKey *, in the order found */
  GPtrArray *skipped;             /* char *, sources of zip entries that hold nothing Certdesk
                                   * reads, such as a README, a link or a nested archive */
} CdBundle;

CdBundle *cd_bundle_new              (void);
void      cd_bundle_free             (CdBundle            *self);
void      cd_key_free                (CdKey               *key);

/* Reads certificates and private keys from whatever a user was handed, recognised by content,
 * never by file name: PEM (any number of blocks, CRLF or LF, a UTF-8 or UTF-16 byte-order mark,
 * text around the blocks as `openssl x509 -text` writes it, even a block whose line breaks were
 * lost), DER, base64 of DER without PEM lines, PKCS#7 (.p7b/.p7c, PEM or DER), PKCS#12
 * (.p12/.pfx) and a zip of any of these. Keys may be PKCS#8 (plain or encrypted) or traditional
 * RSA, EC and DSA PEM (with or without Proc-Type encryption).
 *
 * @password opens PKCS#12 files and encrypted keys; it may be NULL. A PKCS#12 is also tried
 * with the empty password. Without a password an encrypted key is returned with pkey NULL and
 * encrypted TRUE, so that a caller can ask for the password and load again.
 *
 * A zip is read into memory, never written to disk. Entries with an absolute path or a ".."
 * component are refused (CD_ERROR_BAD_FORMAT), encrypted entries too (CD_ERROR_UNSUPPORTED).
 * Entries with nothing recognisable are listed in skipped; an entry that is recognisable but
 * damaged fails the whole load, naming the entry.
 *
 * Errors, each with a message that names the file and says what to do:
 * CD_ERROR_BAD_FORMAT (empty, damaged, truncated or unknown content), CD_ERROR_WRONG_PASSWORD
 * (a wrong password, or none for a PKCS#12 that needs one), CD_ERROR_UNSUPPORTED (a CSR, a CRL,
 * a public key alone, an algorithm OpenSSL cannot use), CD_ERROR_TOO_LARGE (the bounds above),
 * CD_ERROR_IO (the file cannot be read).
 *
 * Decryption uses a library context of its own with OpenSSL's default and legacy providers, so
 * that PKCS#12 files from older tools (RC2, single DES) open while the process-wide default
 * context stays as it is. Returned keys and certificates belong to the default context. */
CdBundle *cd_bundle_load_file        (const char          *path,
                                      const char          *password,
                                      GError             **error);

/* As cd_bundle_load_file(), for data already in memory. @name (a file name, not a path) is
 * used in sources and messages; NULL stands for "the data". */
CdBundle *cd_bundle_load_bytes       (GBytes              *data,
                                      const char          *name,
                                      const char          *password,
                                      GError             **error);

/* Loads in a worker thread. @cancellable is checked between zip entries and PEM blocks; a
 * cancelled load fails with G_IO_ERROR_CANCELLED. */
void      cd_bundle_load_file_async  (const char          *path,
                                      const char          *password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
CdBundle *cd_bundle_load_file_finish (GAsyncResult        *result,
                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdBundle, cd_bundle_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdKey, cd_key_free)

G_END_DECLS
