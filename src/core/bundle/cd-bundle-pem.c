// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-bundle"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <string.h>

#include "cd-bundle-private.h"
#include "cd-error.h"

#define PEM_BEGIN "-----BEGIN "
#define PEM_END   "-----END "
#define PEM_DASHES "-----"
#define PEM_MAX_LABEL 64

typedef struct
{
  char   *label;
  char   *headers; /* RFC 1421 headers, one "Name: value\n" line each, or "" */
  guint8 *der;
  gsize   der_len;
} PemBlock;

static void
pem_block_clear (PemBlock *block)
{
  g_clear_pointer (&block->label, g_free);
  g_clear_pointer (&block->headers, g_free);
  _cd_bundle_wipe_and_free (block->der, block->der_len);
  block->der = NULL;
  block->der_len = 0;
}

/* memmem() is a GNU extension */
static const char *
find_bytes (const char *haystack,
            gsize       size,
            const char *needle,
            gsize       needle_len)
{
  const char *end = haystack + size;
  const char *p = haystack;

  if (needle_len == 0 || size < needle_len)
    return NULL;
  while ((p = memchr (p, needle[0], (gsize) (end - p) - needle_len + 1)) != NULL)
    {
      if (memcmp (p, needle, needle_len) == 0)
        return p;
      if (++p > end - needle_len)
        break;
    }
  return NULL;
}

static const char *
find (const char *haystack,
      const char *end,
      const char *needle)
{
  if (haystack >= end)
    return NULL;
  return find_bytes (haystack, (gsize) (end - haystack), needle, strlen (needle));
}

static const char *
line_end (const char *p,
          const char *end)
{
  while (p < end && *p != '\n' && *p != '\r')
    p++;
  return p;
}

/* Where the "-----" that closes a label starting at @p must be: on the same line, within
 * PEM_MAX_LABEL characters (looking further would make a long line of "-----BEGIN "
 * quadratic). */
static const char *
label_end (const char *p,
           const char *end)
{
  const char *window = p + MIN ((gsize) (end - p), PEM_MAX_LABEL + strlen (PEM_DASHES));

  return find (p, line_end (p, window), PEM_DASHES);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* Checks the RFC 4648 alphabet and padding of @text (white space already removed). */
static gboolean
base64_is_valid (const char *text,
                 gsize       length)
{
  gsize padding = 0;

  if (length == 0 || length % 4 != 0)
    return FALSE;
  while (padding < 2 && text[length - 1 - padding] == '=')
    padding++;
  for (gsize i = 0; i < length - padding; i++)
    if (!is_base64_char (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
label_is_valid (const char *label,
                gsize       length)
{
  if (length == 0 || length > PEM_MAX_LABEL || label[0] == '-' || label[length - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isprint (label[i]))
      return FALSE;
  return TRUE;
}

/* Splits the text between the BEGIN and END lines into headers and base64, and decodes it.
 * Line breaks may be LF, CRLF or lost altogether (a block pasted into a one-line field). */
static gboolean
pem_decode_body (const char  *body,
                 const char  *end,
                 PemBlock    *block,
                 guint        index,
                 const char  *source,
                 GError     **error)
{
  g_autoptr(GString) headers = g_string_new (NULL);
  GString *base64 = g_string_sized_new ((gsize) (end - body));
  gboolean in_headers = TRUE;
  gboolean valid;

  for (const char *p = body; p < end;)
    {
      const char *eol = line_end (p, end);
      const char *start = p;
      const char *stop = eol;

      while (start < stop && is_blank (*start))
        start++;
      while (stop > start && is_blank (stop[-1]))
        stop--;

      if (start < stop)
        {
          if (in_headers && memchr (start, ':', (gsize) (stop - start)) != NULL)
            {
              g_string_append_len (headers, start, stop - start);
              g_string_append_c (headers, '\n');
            }
          else
            {
              in_headers = FALSE;
              for (const char *c = start; c < stop; c++)
                if (!is_blank (*c))
                  g_string_append_c (base64, *c);
            }
        }
      p = eol < end ? eol + 1 : end;
    }

  valid = base64_is_valid (base64->str, base64->len);
  if (valid)
    {
      block->der = g_base64_decode (base64->str, &block->der_len);
      valid = block->der != NULL && block->der_len > 0;
    }
  _cd_bundle_wipe (base64->str, base64->len);
  g_string_free (base64, TRUE);

  if (!valid)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("Block %u (“%s”) of “%s” is not valid base64: the file was damaged, "
                     "perhaps when it was copied or pasted. Export or download it again."),
                   index, block->label, source);
      return FALSE;
    }
  block->headers = g_string_free (g_steal_pointer (&headers), FALSE);
  return TRUE;
}

/* Finds the next block from *@pos on. Returns FALSE with @error for a damaged block; TRUE with
 * block->label NULL when there is none left. Text outside blocks is skipped, and so is a
 * "-----BEGIN " that does not start a PEM line. */
static gboolean
pem_next_block (const char  *text,
                gsize        size,
                gsize       *pos,
                guint        index,
                const char  *source,
                PemBlock    *block,
                GError     **error)
{
  const char *end = text + size;
  const char *p = text + *pos;

  for (;;)
    {
      const char *begin = find (p, end, PEM_BEGIN);
      const char *label_start, *label_stop, *body, *end_line, *end_label, *end_dashes, *next;

      if (begin == NULL)
        {
          *pos = size;
          return TRUE;
        }

      label_start = begin + strlen (PEM_BEGIN);
      label_stop = label_end (label_start, end);
      if (label_stop == NULL || !label_is_valid (label_start, (gsize) (label_stop - label_start)))
        {
          p = label_start;
          continue;
        }

      block->label = g_strndup (label_start, (gsize) (label_stop - label_start));
      body = label_stop + strlen (PEM_DASHES);
      end_line = find (body, end, PEM_END);
      next = find (body, end, PEM_BEGIN);
      if (end_line == NULL || (next != NULL && next < end_line))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                       _("Block %u (“%s”) of “%s” has no END line: the file looks cut off. "
                         "Export or download it again."),
                       index, block->label, source);
          return FALSE;
        }

      end_label = end_line + strlen (PEM_END);
      end_dashes = label_end (end_label, end);
      if (end_dashes == NULL || (gsize) (end_dashes - end_label) != strlen (block->label) ||
          memcmp (end_label, block->label, strlen (block->label)) != 0)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                       _("Block %u (“%s”) of “%s” does not end with a matching END line. "
                         "Export or download it again."),
                       index, block->label, source);
          return FALSE;
        }

      if (!pem_decode_body (body, end_line, block, index, source, error))
        return FALSE;
      *pos = (gsize) (end_dashes + strlen (PEM_DASHES) - text);
      return TRUE;
    }
}

/* What a block Certdesk does not import holds, for the message that says so. */
static char *
describe_label (const char *label)
{
  if (g_str_equal (label, "CERTIFICATE REQUEST") || g_str_equal (label, "NEW CERTIFICATE REQUEST"))
    return g_strdup (_("a certificate signing request"));
  if (g_str_equal (label, "X509 CRL"))
    return g_strdup (_("a certificate revocation list"));
  if (g_str_equal (label, "PUBLIC KEY") || g_str_equal (label, "RSA PUBLIC KEY"))
    return g_strdup (_("a public key"));
  if (g_str_has_suffix (label, " PARAMETERS"))
    return g_strdup (_("key parameters"));
  if (g_str_equal (label, "OPENSSH PRIVATE KEY"))
    return g_strdup (_("an OpenSSH private key"));
  return g_strdup_printf (_("a “%s” block"), label);
}

static CdBundleParseResult
pem_add_block (CdBundleLoader  *loader,
               CdBundle        *bundle,
               PemBlock        *block,
               guint            index,
               const char      *source,
               GError         **error)
{
  const char *label = block->label;
  const unsigned char *p = block->der;
  long length = (long) block->der_len;

  if (g_str_equal (label, "CERTIFICATE") || g_str_equal (label, "X509 CERTIFICATE") ||
      g_str_equal (label, "TRUSTED CERTIFICATE"))
    {
      X509 *cert = g_str_equal (label, "TRUSTED CERTIFICATE")
                   ? d2i_X509_AUX (NULL, &p, length)
                   : d2i_X509 (NULL, &p, length);

      if (cert != NULL)
        return _cd_bundle_add_certificate (bundle, cert, source, error)
               ? CD_BUNDLE_PARSE_FOUND : CD_BUNDLE_PARSE_FAILED;
    }
  else if (g_str_equal (label, "PKCS7") || g_str_equal (label, "PKCS #7 SIGNED DATA") ||
           g_str_equal (label, "CERTIFICATE CHAIN"))
    {
      PKCS7 *p7 = d2i_PKCS7 (NULL, &p, length);

      if (p7 != NULL)
        {
          CdBundleParseResult result = _cd_bundle_add_pkcs7 (bundle, p7, source, error);

          PKCS7_free (p7);
          return result;
        }
    }
  else if (g_str_equal (label, "PRIVATE KEY"))
    {
      PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO (NULL, &p, length);

      if (p8 != NULL)
        {
          CdBundleParseResult result = _cd_bundle_add_pkcs8 (bundle, p8, FALSE, source, error);

          PKCS8_PRIV_KEY_INFO_free (p8);
          return result;
        }
    }
  else if (g_str_equal (label, "ENCRYPTED PRIVATE KEY"))
    {
      X509_SIG *sig = d2i_X509_SIG (NULL, &p, length);

      if (sig != NULL)
        {
          CdBundleParseResult result = _cd_bundle_add_encrypted_pkcs8 (loader, bundle, sig, source,
                                                                      error);

          X509_SIG_free (sig);
          return result;
        }
    }
  else if (g_str_equal (label, "RSA PRIVATE KEY") || g_str_equal (label, "EC PRIVATE KEY") ||
           g_str_equal (label, "DSA PRIVATE KEY"))
    {
      int type = label[0] == 'R' ? EVP_PKEY_RSA : label[0] == 'E' ? EVP_PKEY_EC : EVP_PKEY_DSA;

      return _cd_bundle_add_traditional_key (loader, bundle, type, block->headers, block->der,
                                            block->der_len, source, error);
    }
  else
    {
      g_autofree char *what = describe_label (label);
      g_autofree char *problem =
        g_strdup_printf (_("“%s” holds only %s, which Certdesk does not import."), source, what);

      _cd_bundle_set_format_error (error, CD_ERROR_UNSUPPORTED, problem);
      return CD_BUNDLE_PARSE_NOTHING;
    }

  ERR_clear_error ();
  g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
               _("Block %u (“%s”) of “%s” is damaged. Export or download the file again."),
               index, label, source);
  return CD_BUNDLE_PARSE_FAILED;
}

gboolean
_cd_bundle_has_pem (const guint8 *data,
                   gsize         size)
{
  return find_bytes ((const char *) data, size, PEM_BEGIN, strlen (PEM_BEGIN)) != NULL;
}

CdBundleParseResult
_cd_bundle_parse_pem (CdBundleLoader  *loader,
                     CdBundle        *bundle,
                     const char      *text,
                     gsize            size,
                     const char      *source,
                     GError         **error)
{
  g_autoptr(GError) unsupported = NULL;
  gsize pos = 0;
  guint index = 0;
  gboolean found = FALSE;

  for (;;)
    {
      PemBlock block = { NULL, NULL, NULL, 0 };
      g_autoptr(GError) block_error = NULL;
      CdBundleParseResult result;

      if (g_cancellable_set_error_if_cancelled (loader->cancellable, error))
        return CD_BUNDLE_PARSE_FAILED;

      if (!pem_next_block (text, size, &pos, index + 1, source, &block, error))
        {
          pem_block_clear (&block);
          return CD_BUNDLE_PARSE_FAILED;
        }
      if (block.label == NULL)
        break;
      index++;

      result = pem_add_block (loader, bundle, &block, index, source, &block_error);
      pem_block_clear (&block);
      switch (result)
        {
        case CD_BUNDLE_PARSE_FOUND:
          found = TRUE;
          break;
        case CD_BUNDLE_PARSE_NOTHING:
          /* keep the first: it explains a file that holds nothing else */
          if (unsupported == NULL)
            unsupported = g_steal_pointer (&block_error);
          break;
        case CD_BUNDLE_PARSE_FAILED:
        default:
          g_propagate_error (error, g_steal_pointer (&block_error));
          return CD_BUNDLE_PARSE_FAILED;
        }
    }

  if (found)
    return CD_BUNDLE_PARSE_FOUND;
  if (unsupported != NULL)
    g_propagate_error (error, g_steal_pointer (&unsupported));
  else
    _cd_bundle_set_not_readable (error, source);
  return CD_BUNDLE_PARSE_NOTHING;
}

/* --- base64 without PEM lines ------------------------------------------------------------ */

/* Base64 of a DER file without PEM lines, as some web consoles show a certificate. */
guint8 *
_cd_bundle_decode_bare_base64 (const guint8 *data,
                              gsize         size,
                              gsize        *out_len)
{
  g_autoptr(GString) text = g_string_sized_new (size);
  guint8 *der;

  for (gsize i = 0; i < size; i++)
    {
      char c = (char) data[i];

      if (g_ascii_isspace (c))
        continue;
      if (!is_base64_char (c) && c != '=')
        return NULL;
      g_string_append_c (text, c);
    }
  /* short words ("test", "abcd") are base64 too; a certificate never is that short */
  if (text->len < 64 || !base64_is_valid (text->str, text->len))
    return NULL;

  der = g_base64_decode (text->str, out_len);
  _cd_bundle_wipe (text->str, text->len);
  if (der == NULL || *out_len == 0 || der[0] != 0x30)
    {
      _cd_bundle_wipe_and_free (der, der != NULL ? *out_len : 0);
      return NULL;
    }
  return der;
}
