// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-crypto"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include "cd-decrypt.h"
#include "cd-error.h"

/* What every password-protected format needs: the library context that decrypts, the bound on
 * key-derivation work, and the messages for what stops decryption. */

/* scrypt work, N * r * p: 2^23 is N = 2^20 with r = 8, more than any tool writes. */
#define SCRYPT_MAX_COST (G_GUINT64_CONSTANT (1) << 23)

/* --- library context --------------------------------------------------------------------- */

/* PKCS#12 files written by Windows, Java 8 and OpenSSL 1.x protect their certificates with
 * RC2, which OpenSSL 3 keeps in its legacy provider. Decryption runs in a library context of
 * its own with the default and legacy providers, so that the process-wide default context is
 * left as it is; keys and certificates are decoded in the default context, since they outlive
 * this one. */
OSSL_LIB_CTX *
cd_decrypt_context_get_libctx (CdDecryptContext *context)
{
  if (context->libctx == NULL)
    {
      context->libctx = OSSL_LIB_CTX_new ();
      if (context->libctx == NULL)
        return NULL;
      context->default_provider = OSSL_PROVIDER_load (context->libctx, "default");
      context->legacy_provider = OSSL_PROVIDER_load (context->libctx, "legacy");
      if (context->legacy_provider == NULL)
        g_debug ("OpenSSL's legacy provider is not available: RC2 and DES will not open");
      ERR_clear_error ();
    }
  return context->libctx;
}

void
cd_decrypt_context_clear (CdDecryptContext *context)
{
  if (context->legacy_provider != NULL)
    OSSL_PROVIDER_unload (context->legacy_provider);
  if (context->default_provider != NULL)
    OSSL_PROVIDER_unload (context->default_provider);
  OSSL_LIB_CTX_free (context->libctx);
  context->legacy_provider = NULL;
  context->default_provider = NULL;
  context->libctx = NULL;
}

/* --- key-derivation cost ----------------------------------------------------------------- */

void
cd_decrypt_set_too_many_iterations (GError     **error,
                                   const char  *source)
{
  g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
               _("“%s” asks for more than %d key-derivation rounds to open its password "
                 "protection, more than Certdesk allows. Export it again with the usual "
                 "settings."),
               source, CD_MAX_KDF_ITERATIONS);
}

static long
integer_or (const ASN1_INTEGER *value,
            long                fallback)
{
  return value != NULL ? ASN1_INTEGER_get (value) : fallback;
}

/* Refuses password protection that would take minutes to open (or forever, for a file made
 * to do that). @alg is the algorithm of a PBES1, PBES2 or PKCS#12 scheme. */
gboolean
cd_decrypt_check_kdf_cost (const X509_ALGOR  *alg,
                          const char        *source,
                          GError           **error)
{
  const ASN1_OBJECT *object = NULL;
  const void *value = NULL;
  int value_type = V_ASN1_UNDEF;
  long iterations = 1;
  gboolean ok = TRUE;

  if (alg == NULL)
    return TRUE;
  X509_ALGOR_get0 (&object, &value_type, &value, alg);
  if (value_type != V_ASN1_SEQUENCE || value == NULL)
    return TRUE;

  if (OBJ_obj2nid (object) == NID_pbes2)
    {
      PBE2PARAM *pbe2 = ASN1_item_unpack (value, ASN1_ITEM_rptr (PBE2PARAM));

      if (pbe2 != NULL && pbe2->keyfunc != NULL)
        {
          const ASN1_OBJECT *kdf_object = NULL;
          const void *kdf_value = NULL;
          int kdf_type = V_ASN1_UNDEF;

          X509_ALGOR_get0 (&kdf_object, &kdf_type, &kdf_value, pbe2->keyfunc);
          if (kdf_type == V_ASN1_SEQUENCE && kdf_value != NULL)
            {
              int kdf_nid = OBJ_obj2nid (kdf_object);

              if (kdf_nid == NID_id_pbkdf2)
                {
                  PBKDF2PARAM *kdf = ASN1_item_unpack (kdf_value, ASN1_ITEM_rptr (PBKDF2PARAM));

                  if (kdf != NULL)
                    iterations = integer_or (kdf->iter, 1);
                  PBKDF2PARAM_free (kdf);
                }
              else if (kdf_nid == NID_id_scrypt)
                {
                  SCRYPT_PARAMS *kdf = ASN1_item_unpack (kdf_value,
                                                         ASN1_ITEM_rptr (SCRYPT_PARAMS));

                  if (kdf != NULL)
                    {
                      long n = integer_or (kdf->costParameter, 0);
                      long r = integer_or (kdf->blockSize, 0);
                      long p = integer_or (kdf->parallelizationParameter, 0);

                      if (n < 0 || r < 0 || p < 0)
                        ok = FALSE;
                      else if (r > 0 && p > 0)
                        ok = (guint64) n <= SCRYPT_MAX_COST / (guint64) r / (guint64) p;
                    }
                  SCRYPT_PARAMS_free (kdf);
                }
            }
        }
      PBE2PARAM_free (pbe2);
    }
  else
    {
      PBEPARAM *pbe = ASN1_item_unpack (value, ASN1_ITEM_rptr (PBEPARAM));

      if (pbe != NULL)
        iterations = integer_or (pbe->iter, 1);
      PBEPARAM_free (pbe);
    }
  ERR_clear_error ();

  if (!ok || iterations < 0 || iterations > CD_MAX_KDF_ITERATIONS)
    {
      cd_decrypt_set_too_many_iterations (error, source);
      return FALSE;
    }
  return TRUE;
}

/* --- failures ---------------------------------------------------------------------------- */

/* Why OpenSSL failed: an algorithm that no provider offers, rather than a wrong password or
 * damaged data. */
gboolean
cd_decrypt_error_is_unsupported (void)
{
  unsigned long e;

  while ((e = ERR_get_error ()) != 0)
    {
      int lib = ERR_GET_LIB (e);
      int reason = ERR_GET_REASON (e);

      if (reason == ERR_R_UNSUPPORTED ||
          (lib == ERR_LIB_EVP &&
           (reason == EVP_R_UNSUPPORTED_ALGORITHM || reason == EVP_R_UNSUPPORTED_CIPHER ||
            reason == EVP_R_UNKNOWN_CIPHER || reason == EVP_R_UNSUPPORTED_PRF ||
            reason == EVP_R_UNSUPPORTED_KEY_DERIVATION_FUNCTION ||
            reason == EVP_R_UNSUPPORTED_KEYLENGTH || reason == EVP_R_UNKNOWN_DIGEST)) ||
          (lib == ERR_LIB_PEM && reason == PEM_R_UNSUPPORTED_ENCRYPTION))
        {
          ERR_clear_error ();
          return TRUE;
        }
    }
  return FALSE;
}

void
cd_decrypt_set_unsupported (GError     **error,
                                      const char  *source)
{
  g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
               _("“%s” is protected with an encryption method that Certdesk cannot use. Export "
                 "it again with AES-256 encryption."),
               source);
}
