// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* What every reader of password-protected files shares (the bundle loader and the PKCS#12
 * keystore reader): the library context that decrypts, the bound on key-derivation work, the
 * PKCS#12 MAC, and the messages for what stops decryption. */

/* Key-derivation rounds of a password-protected PKCS#12 or key (keytool uses 10,000, OpenSSL
 * 2,048): a file that asks for more would keep a thread busy for minutes. */
#define CD_MAX_KDF_ITERATIONS 2000000

/* A library context with the default and legacy providers, made on first use. Zero it before
 * use; cd_decrypt_context_clear() frees it. */
typedef struct
{
  OSSL_LIB_CTX  *libctx;
  OSSL_PROVIDER *default_provider;
  OSSL_PROVIDER *legacy_provider;
} CdDecryptContext;

OSSL_LIB_CTX       *cd_decrypt_context_get_libctx   (CdDecryptContext  *context);
void                cd_decrypt_context_clear        (CdDecryptContext  *context);

/* FALSE with CD_ERROR_TOO_LARGE when the scheme of @alg asks for too much key-derivation
 * work. */
gboolean            cd_decrypt_check_kdf_cost       (const X509_ALGOR  *alg,
                                                     const char        *source,
                                                     GError           **error);
void                cd_decrypt_set_too_many_iterations (GError        **error,
                                                        const char     *source);
/* Reads and clears OpenSSL's error queue. */
gboolean            cd_decrypt_error_is_unsupported (void);
void                cd_decrypt_set_unsupported      (GError           **error,
                                                     const char        *source);

typedef enum
{
  CD_PKCS12_MAC_OPENED,         /* or there is no MAC */
  CD_PKCS12_MAC_WRONG_PASSWORD, /* no password tried opened it; @error is not set */
  CD_PKCS12_MAC_FAILED,         /* too many iterations or an unsupported MAC; @error is set */
} CdPkcs12MacResult;

/* Finds the password that opens the MAC of @p12, for the bundle loader and the PKCS#12
 * keystore reader: @password, then the absent and the empty password (they derive different
 * keys, and tools use both); like keytool (@like_java), those two only when @password is NULL
 * or empty. On OPENED @out_password is set to the one that opened it (NULL, "" or @password;
 * @password when there is no MAC to check). @out_mac_work (may be NULL) is set to the
 * key-derivation rounds the MAC asks for, 0 without a MAC or an iteration count. A wrong
 * password is left to the caller to word, as keytool's words and the loader's differ;
 * @source names the file in the other errors. */
CdPkcs12MacResult   cd_pkcs12_find_mac_password     (PKCS12       *p12,
                                                     const char   *password,
                                                     gboolean      like_java,
                                                     const char   *source,
                                                     const char  **out_password,
                                                     guint64      *out_mac_work,
                                                     GError      **error);

G_END_DECLS
