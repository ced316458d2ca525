// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <openssl/evp.h>

G_BEGIN_DECLS

/* The key types a CSR can be made for: what the CA/Browser Forum baseline requirements accept
 * (RSA of at least 2048 bits, ECDSA on P-256 or P-384). Some vendors take RSA 2048 only, hence
 * the default. The string forms ("rsa2048", "p256", ...) are stable: they go into the store,
 * settings and the command line. */
typedef enum
{
  CD_KEY_TYPE_RSA_2048,
  CD_KEY_TYPE_RSA_3072,
  CD_KEY_TYPE_RSA_4096,
  CD_KEY_TYPE_EC_P256,
  CD_KEY_TYPE_EC_P384,
} CdKeyType;

#define CD_KEY_TYPE_DEFAULT CD_KEY_TYPE_RSA_2048
#define CD_KEY_TYPE_LAST    CD_KEY_TYPE_EC_P384

/* Parses a stable string form, case-insensitively and ignoring surrounding blanks. On failure
 * returns FALSE and sets CD_ERROR_INVALID_VALUE with a message listing the accepted forms. */
gboolean     cd_key_type_parse          (const char  *string,
                                         CdKeyType   *out_type,
                                         GError     **error);
const char  *cd_key_type_to_string      (CdKeyType    type);
/* A translated name for people: "RSA, 2048 bits", "ECDSA P-256". */
const char  *cd_key_type_get_label      (CdKeyType    type);
/* What the store records for a key (CdKeyRecord): "rsa" or "ec"; the size in bits (the
 * modulus for RSA, the field for EC); the NIST curve name ("P-256", "P-384") or NULL for RSA. */
const char  *cd_key_type_get_algorithm  (CdKeyType    type);
int          cd_key_type_get_bits       (CdKeyType    type);
const char  *cd_key_type_get_curve      (CdKeyType    type);
/* The type of an existing key, so that a renewal can reuse it: FALSE for keys Certdesk does not
 * generate (other sizes or curves, Ed25519, DSA ...). */
gboolean     cd_key_type_from_key       (EVP_PKEY    *key,
                                         CdKeyType   *out_type);

/* Generates a key pair, blocking: for the command line, tests and worker threads. Cancelling
 * @cancellable from another thread stops an RSA generation between prime candidates. Errors:
 * G_IO_ERROR_CANCELLED (the GIO code, as every async call in Certdesk reports it, so that
 * callers can ignore it with one g_error_matches), CD_ERROR_FAILED when OpenSSL fails.
 * Returns a new reference. */
EVP_PKEY    *cd_keygen                  (CdKeyType            type,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* The same in a worker thread, so the main loop never waits for prime numbers. A cancelled
 * generation finishes with G_IO_ERROR_CANCELLED (never CD_ERROR_CANCELLED), and no key. */
void         cd_keygen_async            (CdKeyType            type,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
EVP_PKEY    *cd_keygen_finish           (GAsyncResult        *result,
                                         GError             **error);

/* Writes the private key as PKCS#8 PEM to @path: unencrypted when @passphrase is NULL or
 * empty, otherwise encrypted with PBES2 (AES-256-CBC, PBKDF2 with HMAC-SHA256).
 *
 * The file gets mode 0600 and its directory, created when missing, 0700, whatever the umask.
 * It is written by cd_safe_file_create_private(): a reader sees either no file or the whole
 * key, and anything at @path, a symbolic link too, is never replaced, even when it appears
 * during the write: CD_ERROR_IO ("... already exists: Certdesk never overwrites a file with a
 * private key"). Other failures are CD_ERROR_IO with the path and the system's reason,
 * CD_ERROR_FAILED when OpenSSL fails.
 * Neither the key nor the passphrase is ever logged. Blocks on the disk: call it from a
 * worker thread or through cd_key_write_async(). */
gboolean     cd_key_write               (EVP_PKEY            *key,
                                         const char          *path,
                                         const char          *passphrase,
                                         GError             **error);

void         cd_key_write_async         (EVP_PKEY            *key,
                                         const char          *path,
                                         const char          *passphrase,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean     cd_key_write_finish        (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
