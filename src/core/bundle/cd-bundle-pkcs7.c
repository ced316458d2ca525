// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-bundle"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/pkcs7.h>

#include "cd-bundle-private.h"
#include "cd-error.h"

CdBundleParseResult
_cd_bundle_add_pkcs7 (CdBundle    *bundle,
                     PKCS7       *p7,
                     const char  *source,
                     GError     **error)
{
  STACK_OF (X509) *certs;
  int n;

  if (!PKCS7_type_is_signed (p7) || p7->d.sign == NULL)
    {
      g_autofree char *problem =
        g_strdup_printf (_("“%s” is a PKCS#7 file without certificates."), source);

      _cd_bundle_set_format_error (error, CD_ERROR_UNSUPPORTED, problem);
      return CD_BUNDLE_PARSE_NOTHING;
    }

  certs = p7->d.sign->cert;
  n = certs != NULL ? sk_X509_num (certs) : 0;
  if (n == 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The PKCS#7 file “%s” holds no certificates. Ask its sender for the "
                     "certificates themselves."),
                   source);
      return CD_BUNDLE_PARSE_NOTHING;
    }

  for (int i = 0; i < n; i++)
    {
      X509 *cert = sk_X509_value (certs, i);

      if (cert == NULL || !X509_up_ref (cert))
        continue;
      if (!_cd_bundle_add_certificate (bundle, cert, source, error))
        return CD_BUNDLE_PARSE_FAILED;
    }
  return CD_BUNDLE_PARSE_FOUND;
}
