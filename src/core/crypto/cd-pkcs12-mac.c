// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-crypto"

#include "config.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>

#include "cd-decrypt.h"

CdPkcs12MacResult
cd_pkcs12_find_mac_password (PKCS12       *p12,
                                    const char   *password,
                                    gboolean      like_java,
                                    const char   *source,
                                    const char  **out_password,
                                    guint64      *out_mac_work,
                                    GError      **error)
{
  const ASN1_INTEGER *iterations = NULL;
  const char *candidates[3];
  guint n_candidates = 0;

  g_assert (out_password != NULL);

  if (out_mac_work != NULL)
    *out_mac_work = 0;

  if (!PKCS12_mac_present (p12))
    {
      /* nothing to check against: decryption will tell */
      *out_password = password;
      return CD_PKCS12_MAC_OPENED;
    }

  PKCS12_get0_mac (NULL, NULL, NULL, &iterations, p12);
  if (iterations != NULL)
    {
      long n = ASN1_INTEGER_get (iterations);

      if (n < 0 || n > CD_MAX_KDF_ITERATIONS)
        {
          ERR_clear_error ();
          cd_decrypt_set_too_many_iterations (error, source);
          return CD_PKCS12_MAC_FAILED;
        }
      if (out_mac_work != NULL)
        *out_mac_work = (guint64) MAX (n, 1);
    }

  /* The absent and the empty password derive different keys, and tools use both. Java tries
   * them only when it was given no password, its own encoding ("") first. The bundle loader
   * tries them whatever was typed, so that a file exported without a password opens; the
   * absent one first, as openssl does. */
  if (password != NULL && *password != '\0')
    candidates[n_candidates++] = password;
  if (!like_java)
    {
      candidates[n_candidates++] = NULL;
      candidates[n_candidates++] = "";
    }
  else if (n_candidates == 0)
    {
      candidates[n_candidates++] = "";
      candidates[n_candidates++] = NULL;
    }

  for (guint i = 0; i < n_candidates; i++)
    {
      ERR_clear_error ();
      if (PKCS12_verify_mac (p12, candidates[i], candidates[i] != NULL ? -1 : 0))
        {
          *out_password = candidates[i];
          return CD_PKCS12_MAC_OPENED;
        }
    }

  if (cd_decrypt_error_is_unsupported ())
    {
      cd_decrypt_set_unsupported (error, source);
      return CD_PKCS12_MAC_FAILED;
    }
  return CD_PKCS12_MAC_WRONG_PASSWORD;
}
