// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-bundle"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "cd-bundle-private.h"
#include "cd-error.h"

typedef enum
{
  DER_OK,
  DER_TRUNCATED, /* the outer length runs past the end of the data */
  DER_INVALID,
} DerCheck;

/* Reads the outer SEQUENCE header. @total is the size of the whole element, 0 for BER's
 * indefinite length. */
static DerCheck
der_check_outer (const guint8 *data,
                 gsize         size,
                 gsize        *total)
{
  guint64 length = 0;
  gsize header;

  *total = 0;
  if (size < 2 || data[0] != 0x30)
    return DER_INVALID;

  if (data[1] < 0x80)
    {
      length = data[1];
      header = 2;
    }
  else if (data[1] == 0x80)
    return DER_OK;
  else
    {
      guint n = data[1] & 0x7f;

      if (n > 8)
        return DER_INVALID;
      if (size < 2 + n)
        return DER_TRUNCATED;
      for (guint i = 0; i < n; i++)
        length = (length << 8) | data[2 + i];
      header = 2 + n;
    }

  if (length > size - header)
    return DER_TRUNCATED;
  *total = header + (gsize) length;
  return DER_OK;
}

/* Zero bytes and white space that some tools leave after a DER object. */
gboolean
_cd_bundle_is_padding (const guint8 *data,
                      gsize         size)
{
  for (gsize i = 0; i < size; i++)
    if (data[i] != 0 && !g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

static void
set_truncated (GError     **error,
               const char  *source)
{
  g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
               _("“%s” ends early: it looks like a certificate or key file that was cut off. "
                 "Download or export it again."),
               source);
}

/* Several DER certificates written back to back, as some tools do. */
static CdBundleParseResult
add_der_certificates (CdBundle      *bundle,
                      X509          *first,
                      const guint8  *rest,
                      gsize          rest_size,
                      const char    *source,
                      GError       **error)
{
  guint n = 1;

  if (!_cd_bundle_add_certificate (bundle, first, source, error))
    return CD_BUNDLE_PARSE_FAILED;

  while (!_cd_bundle_is_padding (rest, rest_size))
    {
      const unsigned char *p = rest;
      gsize total;
      X509 *cert;

      if (der_check_outer (rest, rest_size, &total) != DER_OK || total == 0 ||
          (cert = d2i_X509 (NULL, &p, (long) total)) == NULL)
        {
          ERR_clear_error ();
          g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                       _("“%s” holds data after certificate %u that Certdesk cannot read. "
                         "Download or export it again."),
                       source, n);
          return CD_BUNDLE_PARSE_FAILED;
        }
      if (!_cd_bundle_add_certificate (bundle, cert, source, error))
        return CD_BUNDLE_PARSE_FAILED;
      rest_size -= (gsize) (p - rest);
      rest = p;
      n++;
    }
  return CD_BUNDLE_PARSE_FOUND;
}

/* Whether a d2i call used the whole element (or, for BER of unknown length, anything). */
static gboolean
consumed (const unsigned char *p,
          const guint8        *data,
          gsize                total,
          gsize                size)
{
  if (total == 0)
    return _cd_bundle_is_padding (p, size - (gsize) (p - data));
  return (gsize) (p - data) == total && _cd_bundle_is_padding (data + total, size - total);
}

CdBundleParseResult
_cd_bundle_parse_der (CdBundleLoader  *loader,
                     CdBundle        *bundle,
                     const guint8    *data,
                     gsize            size,
                     const char      *source,
                     GError         **error)
{
  static const int traditional_types[] = { EVP_PKEY_RSA, EVP_PKEY_EC, EVP_PKEY_DSA };
  const unsigned char *p;
  gsize total;
  long length;
  X509 *cert;
  PKCS7 *p7;
  PKCS12 *p12;
  PKCS8_PRIV_KEY_INFO *p8;
  X509_SIG *sig;
  X509_REQ *req;
  X509_CRL *crl;

  switch (der_check_outer (data, size, &total))
    {
    case DER_TRUNCATED:
      set_truncated (error, source);
      return CD_BUNDLE_PARSE_NOTHING;
    case DER_INVALID:
      _cd_bundle_set_not_readable (error, source);
      return CD_BUNDLE_PARSE_NOTHING;
    case DER_OK:
    default:
      break;
    }
  length = (long) (total != 0 ? total : size);

  p = data;
  cert = d2i_X509 (NULL, &p, length);
  if (cert != NULL)
    return add_der_certificates (bundle, cert, p, size - (gsize) (p - data), source, error);

  p = data;
  p7 = d2i_PKCS7 (NULL, &p, length);
  if (p7 != NULL && consumed (p, data, total, size))
    {
      CdBundleParseResult result = _cd_bundle_add_pkcs7 (bundle, p7, source, error);

      PKCS7_free (p7);
      return result;
    }
  PKCS7_free (p7);

  p = data;
  p12 = d2i_PKCS12 (NULL, &p, length);
  if (p12 != NULL && consumed (p, data, total, size))
    {
      CdBundleParseResult result = _cd_bundle_add_pkcs12 (loader, bundle, p12, source, error);

      PKCS12_free (p12);
      return result;
    }
  PKCS12_free (p12);

  p = data;
  p8 = d2i_PKCS8_PRIV_KEY_INFO (NULL, &p, length);
  if (p8 != NULL && consumed (p, data, total, size))
    {
      CdBundleParseResult result = _cd_bundle_add_pkcs8 (bundle, p8, FALSE, source, error);

      PKCS8_PRIV_KEY_INFO_free (p8);
      return result;
    }
  PKCS8_PRIV_KEY_INFO_free (p8);

  p = data;
  sig = d2i_X509_SIG (NULL, &p, length);
  if (sig != NULL && consumed (p, data, total, size))
    {
      CdBundleParseResult result = _cd_bundle_add_encrypted_pkcs8 (loader, bundle, sig, source,
                                                                  error);

      X509_SIG_free (sig);
      return result;
    }
  X509_SIG_free (sig);

  for (gsize i = 0; i < G_N_ELEMENTS (traditional_types); i++)
    {
      EVP_PKEY *pkey;

      p = data;
      pkey = d2i_PrivateKey (traditional_types[i], NULL, &p, length);
      if (pkey != NULL && consumed (p, data, total, size))
        {
          _cd_bundle_add_key (bundle, pkey, FALSE, source);
          ERR_clear_error ();
          return CD_BUNDLE_PARSE_FOUND;
        }
      EVP_PKEY_free (pkey);
    }

  p = data;
  req = d2i_X509_REQ (NULL, &p, length);
  p = data;
  crl = req == NULL ? d2i_X509_CRL (NULL, &p, length) : NULL;
  ERR_clear_error ();
  if (req != NULL || crl != NULL)
    {
      g_autofree char *problem =
        g_strdup_printf (req != NULL
                         ? _("“%s” is a certificate signing request, not a certificate.")
                         : _("“%s” is a certificate revocation list, not a certificate."),
                         source);

      X509_REQ_free (req);
      X509_CRL_free (crl);
      _cd_bundle_set_format_error (error, CD_ERROR_UNSUPPORTED, problem);
      return CD_BUNDLE_PARSE_NOTHING;
    }

  _cd_bundle_set_not_readable (error, source);
  return CD_BUNDLE_PARSE_NOTHING;
}
