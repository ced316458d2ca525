// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-bundle"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "cd-bundle-private.h"
#include "cd-error.h"

/* --- PKCS#8 ------------------------------------------------------------------------------ */

CdBundleParseResult
_cd_bundle_add_pkcs8 (CdBundle                  *bundle,
                     const PKCS8_PRIV_KEY_INFO *p8,
                     gboolean                   encrypted,
                     const char                *source,
                     GError                   **error)
{
  EVP_PKEY *pkey = EVP_PKCS82PKEY (p8);

  if (pkey == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                   _("The private key in “%s” uses an algorithm Certdesk cannot use. Certdesk "
                     "handles RSA, EC, Ed25519 and DSA keys."),
                   source);
      return CD_BUNDLE_PARSE_FAILED;
    }
  _cd_bundle_add_key (bundle, pkey, encrypted, source);
  return CD_BUNDLE_PARSE_FOUND;
}

CdBundleParseResult
_cd_bundle_add_encrypted_pkcs8 (CdBundleLoader  *loader,
                               CdBundle        *bundle,
                               const X509_SIG  *sig,
                               const char      *source,
                               GError         **error)
{
  const X509_ALGOR *alg = NULL;
  PKCS8_PRIV_KEY_INFO *p8;
  CdBundleParseResult result;

  if (loader->password == NULL)
    {
      _cd_bundle_add_key (bundle, NULL, TRUE, source);
      return CD_BUNDLE_PARSE_FOUND;
    }

  X509_SIG_get0 (sig, &alg, NULL);
  if (!cd_decrypt_check_kdf_cost (alg, source, error))
    return CD_BUNDLE_PARSE_FAILED;

  ERR_clear_error ();
  p8 = PKCS8_decrypt_ex (sig, loader->password, (int) strlen (loader->password),
                         cd_decrypt_context_get_libctx (&loader->decrypt), NULL);
  if (p8 == NULL)
    {
      if (cd_decrypt_error_is_unsupported ())
        cd_decrypt_set_unsupported (error, source);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
                     _("The password does not open the private key in “%s”. Check it and try "
                       "again."),
                     source);
      return CD_BUNDLE_PARSE_FAILED;
    }
  result = _cd_bundle_add_pkcs8 (bundle, p8, TRUE, source, error);
  PKCS8_PRIV_KEY_INFO_free (p8);
  return result;
}

/* --- traditional private keys ------------------------------------------------------------ */

typedef struct
{
  const char *password;
} PasswordData;

static int
password_callback (char *buf,
                   int   size,
                   int   rwflag,
                   void *user_data)
{
  const PasswordData *data = user_data;
  gsize length;

  if (data == NULL || data->password == NULL || size <= 0)
    return 0;
  length = MIN (strlen (data->password), (gsize) size);
  memcpy (buf, data->password, length);
  return (int) length;
}

/* An RSA, EC or DSA key in its own DER structure, the body of "BEGIN RSA PRIVATE KEY" and its
 * siblings. @headers holds the RFC 1421 headers, which say whether it is encrypted; @der is
 * decrypted in place. */
CdBundleParseResult
_cd_bundle_add_traditional_key (CdBundleLoader  *loader,
                               CdBundle        *bundle,
                               int              type,
                               const char      *headers,
                               guint8          *der,
                               gsize            der_len,
                               const char      *source,
                               GError         **error)
{
  gboolean encrypted = strstr (headers, "Proc-Type:") != NULL &&
                       strstr (headers, "ENCRYPTED") != NULL;
  const unsigned char *p = der;
  long length = (long) der_len;
  EVP_PKEY *pkey;

  if (encrypted)
    {
      g_autofree char *header_copy = g_strdup (strstr (headers, "Proc-Type:"));
      PasswordData data = { loader->password };
      EVP_CIPHER_INFO cipher;

      if (loader->password == NULL)
        {
          _cd_bundle_add_key (bundle, NULL, TRUE, source);
          return CD_BUNDLE_PARSE_FOUND;
        }

      ERR_clear_error ();
      if (!PEM_get_EVP_CIPHER_INFO (header_copy, &cipher))
        {
          if (cd_decrypt_error_is_unsupported ())
            cd_decrypt_set_unsupported (error, source);
          else
            g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                         _("The encryption header of the private key in “%s” is damaged. Export "
                           "the key again."),
                         source);
          return CD_BUNDLE_PARSE_FAILED;
        }
      if (!PEM_do_header (&cipher, der, &length, password_callback, &data))
        {
          if (cd_decrypt_error_is_unsupported ())
            cd_decrypt_set_unsupported (error, source);
          else
            g_set_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
                         _("The password does not open the private key in “%s”. Check it and "
                           "try again."),
                         source);
          return CD_BUNDLE_PARSE_FAILED;
        }
    }

  pkey = d2i_PrivateKey (type, NULL, &p, length);
  ERR_clear_error ();
  if (pkey == NULL)
    {
      if (encrypted)
        g_set_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
                     _("The password does not open the private key in “%s”. Check it and try "
                       "again."),
                     source);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                     _("The private key in “%s” is damaged. Export it again."), source);
      return CD_BUNDLE_PARSE_FAILED;
    }
  _cd_bundle_add_key (bundle, pkey, encrypted, source);
  return CD_BUNDLE_PARSE_FOUND;
}
