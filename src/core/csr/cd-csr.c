// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-csr"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "cd-csr-private.h"
#include "cd-dns-name.h"
#include "cd-error.h"
#include "cd-keygen.h"

/* OpenSSL types have no shared autoptr definitions in the core yet; keep these local to this
 * file so that two headers cannot define them twice. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_REQ, X509_REQ_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_NAMES, GENERAL_NAMES_free)

const CdCsrFieldInfo cd_csr_field_info[] = {
  [CD_CSR_FIELD_COUNTRY] = { NID_countryName, 2, N_("Country") },
  [CD_CSR_FIELD_STATE] = { NID_stateOrProvinceName, 128, N_("State or province") },
  [CD_CSR_FIELD_LOCALITY] = { NID_localityName, 128, N_("City") },
  [CD_CSR_FIELD_ORGANIZATION] = { NID_organizationName, 64, N_("Organization") },
  [CD_CSR_FIELD_ORGANIZATIONAL_UNIT] = { NID_organizationalUnitName, 64, N_("Organizational unit") },
  [CD_CSR_FIELD_COMMON_NAME] = { NID_commonName, 64, N_("Common name") },
  [CD_CSR_FIELD_HOSTS] = { NID_undef, 0, N_("Hosts") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (cd_csr_field_info) == CD_CSR_FIELD_HOSTS + 1);

/* Request */

CdCsrRequest *
cd_csr_request_new (void)
{
  CdCsrRequest *request = g_new0 (CdCsrRequest, 1);

  request->hosts = g_ptr_array_new_with_free_func (g_free);
  return request;
}

void
cd_csr_request_free (CdCsrRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->country);
  g_free (request->state);
  g_free (request->locality);
  g_free (request->organization);
  g_free (request->organizational_unit);
  g_free (request->common_name);
  g_clear_pointer (&request->hosts, g_ptr_array_unref);
  g_free (request);
}

CdCsrRequest *
cd_csr_request_copy (const CdCsrRequest *request)
{
  CdCsrRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = cd_csr_request_new ();
  copy->country = g_strdup (request->country);
  copy->state = g_strdup (request->state);
  copy->locality = g_strdup (request->locality);
  copy->organization = g_strdup (request->organization);
  copy->organizational_unit = g_strdup (request->organizational_unit);
  copy->common_name = g_strdup (request->common_name);
  for (guint i = 0; request->hosts != NULL && i < request->hosts->len; i++)
    cd_csr_request_add_host (copy, g_ptr_array_index (request->hosts, i));

  return copy;
}

void
cd_csr_request_add_host (CdCsrRequest *request,
                         const char   *host)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (host != NULL);

  if (request->hosts == NULL)
    request->hosts = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (request->hosts, g_strdup (host));
}

const char *
_cd_csr_request_get_field (const CdCsrRequest *request,
                          CdCsrField          field)
{
  switch (field)
    {
    case CD_CSR_FIELD_COUNTRY:
      return request->country;
    case CD_CSR_FIELD_STATE:
      return request->state;
    case CD_CSR_FIELD_LOCALITY:
      return request->locality;
    case CD_CSR_FIELD_ORGANIZATION:
      return request->organization;
    case CD_CSR_FIELD_ORGANIZATIONAL_UNIT:
      return request->organizational_unit;
    case CD_CSR_FIELD_COMMON_NAME:
      return request->common_name;
    case CD_CSR_FIELD_HOSTS:
    default:
      g_assert_not_reached ();
    }
}

guint
_cd_csr_request_n_hosts (const CdCsrRequest *request)
{
  return request->hosts != NULL ? request->hosts->len : 0;
}

const char *
_cd_csr_request_get_host (const CdCsrRequest *request,
                         guint               i)
{
  return g_ptr_array_index (request->hosts, i);
}

const char *
cd_csr_field_get_label (CdCsrField field)
{
  g_return_val_if_fail ((guint) field <= CD_CSR_FIELD_HOSTS, NULL);

  return _(cd_csr_field_info[field].label);
}

/* A field value without the blanks around it (a no-break space pasted from a web page counts);
 * NULL when nothing is left. Invalid UTF-8 comes back unchanged for the check to report. */
char *
_cd_csr_tidy_value (const char *value)
{
  const char *start = value;
  const char *end;

  if (value == NULL)
    return NULL;
  if (!g_utf8_validate (value, -1, NULL))
    return g_strdup (value);

  end = value + strlen (value);
  while (start < end && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return start < end ? g_strndup (start, end - start) : NULL;
}

/* Names */

GStrv
cd_csr_request_dup_dns_names (const CdCsrRequest  *request,
                              GError             **error)
{
  g_auto(CdCsrPrepared) prepared = { 0 };

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cd_csr_request_prepare (request, &prepared, error))
    return NULL;

  g_ptr_array_add (prepared.names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&prepared.names), FALSE);
}

/* Creating */

static char *
take_openssl_reason (void)
{
  unsigned long code = ERR_peek_last_error ();
  const char *reason = code != 0 ? ERR_reason_error_string (code) : NULL;
  char *result;

  result = g_strdup (reason != NULL ? reason : _("unknown error"));
  ERR_clear_error ();
  return result;
}

/* What the CA/Browser Forum baseline requirements accept for a subscriber key. */
static gboolean
check_key (EVP_PKEY  *key,
           GError   **error)
{
  CdKeyType type;

  if (EVP_PKEY_is_a (key, "RSA"))
    {
      int bits = EVP_PKEY_get_bits (key);

      if (bits >= 2048)
        return TRUE;

      g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                   _("The key is an RSA key of %d bits; certificate authorities require at "
                     "least 2048. Generate a new key."),
                   bits);
      return FALSE;
    }

  if (EVP_PKEY_is_a (key, "EC"))
    {
      if (cd_key_type_from_key (key, &type))
        return TRUE;

      g_set_error_literal (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                           _("The key is on an elliptic curve certificate authorities do not "
                             "accept; only P-256 and P-384 are. Generate a new key."));
      return FALSE;
    }

  g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
               _("The key is of type %s, which certificate authorities do not accept for TLS "
                 "certificates; use RSA (2048 bits or more) or ECDSA P-256 or P-384."),
               EVP_PKEY_get0_type_name (key) != NULL ? EVP_PKEY_get0_type_name (key) : "?");
  return FALSE;
}

static gboolean
add_subject_alt_name (X509_REQ  *req,
                      GPtrArray *names,
                      gboolean   critical)
{
  g_autoptr(GENERAL_NAMES) general_names = GENERAL_NAMES_new ();
  STACK_OF (X509_EXTENSION) *extensions = NULL;
  gboolean ok;

  if (general_names == NULL)
    return FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      GENERAL_NAME *general_name = GENERAL_NAME_new ();
      ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new ();

      if (general_name == NULL || ia5 == NULL || !ASN1_STRING_set (ia5, name, -1))
        {
          GENERAL_NAME_free (general_name);
          ASN1_IA5STRING_free (ia5);
          return FALSE;
        }

      GENERAL_NAME_set0_value (general_name, GEN_DNS, ia5);
      if (!sk_GENERAL_NAME_push (general_names, general_name))
        {
          GENERAL_NAME_free (general_name);
          return FALSE;
        }
    }

  ok = X509V3_add1_i2d (&extensions, NID_subject_alt_name, general_names, critical,
                        X509V3_ADD_DEFAULT) > 0 &&
       X509_REQ_add_extensions (req, extensions) > 0;
  sk_X509_EXTENSION_pop_free (extensions, X509_EXTENSION_free);

  return ok;
}

X509_REQ *
cd_csr_create (const CdCsrRequest  *request,
               EVP_PKEY            *key,
               GError             **error)
{
  g_auto(CdCsrPrepared) prepared = { 0 };
  g_autoptr(X509_REQ) req = NULL;
  X509_NAME *subject;
  gboolean empty_subject = TRUE;
  gboolean ok;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cd_csr_request_prepare (request, &prepared, error) || !check_key (key, error))
    return NULL;

  req = X509_REQ_new ();
  ok = req != NULL && X509_REQ_set_version (req, X509_REQ_VERSION_1);

  subject = ok ? X509_REQ_get_subject_name (req) : NULL;
  for (guint f = 0; ok && f < CD_CSR_N_SUBJECT_FIELDS; f++)
    {
      const char *value = prepared.values[f];

      if (value == NULL)
        continue;

      /* MBSTRING_UTF8 lets OpenSSL pick the ASN.1 type RFC 5280 wants: PrintableString for
       * the country, UTF8String for the rest */
      ok = X509_NAME_add_entry_by_NID (subject, cd_csr_field_info[f].nid, MBSTRING_UTF8,
                                       (const unsigned char *) value, -1, -1, 0) > 0;
      empty_subject = FALSE;
    }

  ok = ok && X509_REQ_set_pubkey (req, key) > 0;
  /* RFC 5280 4.2.1.6: with an empty subject the names are only in this extension, which
   * must then be critical */
  ok = ok && add_subject_alt_name (req, prepared.names, empty_subject);

  if (ok && X509_REQ_sign (req, key, EVP_sha256 ()) <= 0)
    {
      g_autofree char *reason = take_openssl_reason ();

      g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                   _("The request could not be signed with the key: %s."), reason);
      return NULL;
    }
  else if (!ok)
    {
      g_autofree char *reason = take_openssl_reason ();

      g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                   _("The request could not be created: %s."), reason);
      return NULL;
    }

  return g_steal_pointer (&req);
}

char *
cd_csr_to_pem (X509_REQ *req)
{
  g_autoptr(BIO) bio = NULL;
  char *data = NULL;
  long length;

  g_return_val_if_fail (req != NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  if (bio == NULL || !PEM_write_bio_X509_REQ (bio, req))
    {
      ERR_clear_error ();
      return NULL;
    }

  length = BIO_get_mem_data (bio, &data);
  return g_strndup (data, length);
}

/* Copy CSR content */

static void
append_line (GString    *text,
             const char *label,
             const char *value)
{
  /* Translators: a label and its value in the text of "Copy CSR content",
   * "Organization: Example Corp" */
  g_string_append_printf (text, _("%s: %s"), label, value);
  g_string_append_c (text, '\n');
}

/* The names of the CSR when the request is valid; otherwise as close as can be: normalized
 * where possible, as typed elsewhere, without repeats. */
static GPtrArray *
names_for_text (const CdCsrRequest *request)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *cn = _cd_csr_tidy_value (request->common_name);
  guint n_hosts = _cd_csr_request_n_hosts (request);
  gboolean have_cn = cn != NULL;

  if (have_cn)
    g_ptr_array_add (names, g_steal_pointer (&cn));
  for (guint i = 0; i < n_hosts; i++)
    {
      char *typed = _cd_csr_tidy_value (_cd_csr_request_get_host (request, i));

      if (typed != NULL)
        g_ptr_array_add (names, typed);
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *typed = g_ptr_array_index (names, i);
      char *name = NULL;

      if (g_utf8_validate (typed, -1, NULL))
        name = cd_dns_name_normalize (typed, CD_DNS_NAME_ALLOW_WILDCARD, NULL);
      if (name == NULL)
        name = g_utf8_make_valid (typed, -1);
      g_ptr_array_index (names, i) = name;
      g_free ((char *) typed);
    }

  /* a CN that is also a host is listed where the host is, as in the CSR */
  if (have_cn && names->len > 1)
    {
      const char *first = g_ptr_array_index (names, 0);

      for (guint i = 1; i < names->len; i++)
        if (strcmp (g_ptr_array_index (names, i), first) == 0)
          {
            g_ptr_array_remove_index (names, 0);
            break;
          }
    }

  for (guint i = 0; i < names->len;)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!g_hash_table_add (seen, (gpointer) name))
        g_ptr_array_remove_index (names, i);
      else
        i++;
    }

  return g_steal_pointer (&names);
}

char *
cd_csr_request_to_text (const CdCsrRequest *request,
                        const char         *instance)
{
  static const CdCsrField order[] = {
    CD_CSR_FIELD_ORGANIZATION,
    CD_CSR_FIELD_ORGANIZATIONAL_UNIT,
    CD_CSR_FIELD_HOSTS, /* stands for the instance */
    CD_CSR_FIELD_COMMON_NAME,
    CD_CSR_FIELD_LOCALITY,
    CD_CSR_FIELD_STATE,
    CD_CSR_FIELD_COUNTRY,
  };
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *tidy_instance = NULL;
  GString *text;

  g_return_val_if_fail (request != NULL, NULL);

  text = g_string_new (NULL);
  tidy_instance = _cd_csr_tidy_value (instance);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *shown = NULL;

      if (order[i] == CD_CSR_FIELD_HOSTS)
        {
          if (tidy_instance != NULL)
            {
              shown = g_utf8_make_valid (tidy_instance, -1);
              append_line (text, _("Instance"), shown);
            }
          continue;
        }

      value = _cd_csr_tidy_value (_cd_csr_request_get_field (request, order[i]));
      if (value == NULL)
        continue;

      if (order[i] == CD_CSR_FIELD_COUNTRY)
        shown = g_ascii_strup (value, -1);
      else if (order[i] == CD_CSR_FIELD_COMMON_NAME && g_utf8_validate (value, -1, NULL))
        shown = cd_dns_name_normalize (value, CD_DNS_NAME_ALLOW_WILDCARD, NULL);
      if (shown == NULL)
        shown = g_utf8_make_valid (value, -1);

      append_line (text, cd_csr_field_get_label (order[i]), shown);
    }

  names = names_for_text (request);
  if (names->len > 0)
    {
      /* Translators: the heading of the host list in the text of "Copy CSR content" */
      g_string_append_printf (text, _("%s:"), cd_csr_field_get_label (CD_CSR_FIELD_HOSTS));
      g_string_append_c (text, '\n');
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *unicode = cd_dns_name_to_unicode (name);

      if (strcmp (unicode, name) != 0)
        g_string_append_printf (text, "  %s (%s)\n", name, unicode);
      else
        g_string_append_printf (text, "  %s\n", name);
    }

  return g_string_free (text, FALSE);
}
