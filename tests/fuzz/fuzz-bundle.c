// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "fuzz-bundle"

#include "config.h"

#include <stdint.h>

#include "cd-bundle.h"
#include "cd-cert-info.h"
#include "cd-error.h"

/* The seed corpus protects its PKCS#12 files and keys with this password. */
#define FUZZ_PASSWORD "fuzz"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Whatever the bytes, loading either finds something or fails with a code a caller can branch
 * on and a readable message; everything found can be inspected. Any other outcome (a crash, a
 * leak, a sanitizer report, a failed assertion) is a finding. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = NULL;

  bundle = cd_bundle_load_bytes (bytes, "fuzz.bin", FUZZ_PASSWORD, &error);
  if (bundle == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->domain == CD_ERROR);
      g_assert (error->code == CD_ERROR_BAD_FORMAT || error->code == CD_ERROR_WRONG_PASSWORD ||
                error->code == CD_ERROR_UNSUPPORTED || error->code == CD_ERROR_TOO_LARGE);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert (error == NULL);
  g_assert (bundle->certificates->len + bundle->keys->len > 0);
  g_assert (bundle->certificate_sources->len == bundle->certificates->len);

  for (guint i = 0; i < bundle->certificates->len; i++)
    {
      g_autoptr(CdCertInfo) info = cd_cert_info_new (g_ptr_array_index (bundle->certificates, i));

      g_assert (info->subject != NULL && g_utf8_validate (info->subject, -1, NULL));
      g_assert (info->issuer != NULL && g_utf8_validate (info->issuer, -1, NULL));
      g_assert (info->serial != NULL);
      g_assert (info->sha256_fingerprint != NULL);
      g_assert (info->dns_names != NULL && info->ip_addresses != NULL);
      g_assert (info->key_usage != NULL && info->extended_key_usage != NULL);
      g_assert (info->public_key != NULL && info->public_key->type != NULL);
      /* the loader refuses certificates whose dates cannot be read */
      g_assert (info->not_before_text != NULL && info->not_after_text != NULL);
      for (guint j = 0; info->dns_names[j] != NULL; j++)
        g_assert (g_utf8_validate (info->dns_names[j], -1, NULL));
    }

  for (guint i = 0; i < bundle->keys->len; i++)
    {
      const CdKey *key = g_ptr_array_index (bundle->keys, i);

      g_assert (key->source != NULL);
      if (key->pkey != NULL)
        {
          g_autoptr(CdKeyInfo) info = cd_key_info_new (key->pkey);

          g_assert (info->type != NULL);
        }
      else
        g_assert (key->encrypted);
    }
  return 0;
}
