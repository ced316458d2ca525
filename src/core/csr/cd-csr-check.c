// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-csr"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-csr-private.h"
#include "cd-dns-name.h"
#include "cd-error.h"

/* Problems */

void
cd_csr_problem_free (CdCsrProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->message);
  g_free (problem);
}

static void add_problem (GPtrArray  *problems,
                         CdCsrField  field,
                         int         index,
                         gboolean    warning,
                         const char *format,
                         ...) G_GNUC_PRINTF (5, 6);

static void
add_problem (GPtrArray  *problems,
             CdCsrField  field,
             int         index,
             gboolean    warning,
             const char *format,
             ...)
{
  CdCsrProblem *problem = g_new0 (CdCsrProblem, 1);
  va_list args;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  problem->field = field;
  problem->index = index;
  problem->warning = warning;
  g_ptr_array_add (problems, problem);
}

gboolean
cd_csr_problems_have_errors (GPtrArray *problems)
{
  g_return_val_if_fail (problems != NULL, FALSE);

  for (guint i = 0; i < problems->len; i++)
    if (!((CdCsrProblem *) g_ptr_array_index (problems, i))->warning)
      return TRUE;
  return FALSE;
}

/* Checking */

static gboolean
tidy_value_is_empty (const char *value)
{
  g_autofree char *tidy = _cd_csr_tidy_value (value);

  return tidy == NULL;
}

void
_cd_csr_prepared_clear (CdCsrPrepared *prepared)
{
  for (guint i = 0; i < CD_CSR_N_SUBJECT_FIELDS; i++)
    g_clear_pointer (&prepared->values[i], g_free);
  g_clear_pointer (&prepared->names, g_ptr_array_unref);
}

/* Encoding, control characters and the RFC 5280 length; FALSE when a problem was added. */
static gboolean
check_text (GPtrArray  *problems,
            CdCsrField  field,
            const char *value,
            int         max_chars)
{
  const char *label = _(cd_csr_field_info[field].label);
  glong n_chars;

  if (!g_utf8_validate (value, -1, NULL))
    {
      add_problem (problems, field, -1, FALSE,
                   _("%s: the text is not valid UTF-8; type it again instead of pasting it."),
                   label);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          add_problem (problems, field, -1, FALSE,
                       _("%s: remove the control character U+%04X (a line break or tab, for "
                         "example): it cannot go into a certificate."),
                       label, c);
          return FALSE;
        }
    }

  n_chars = g_utf8_strlen (value, -1);
  if (max_chars > 0 && n_chars > max_chars)
    {
      add_problem (problems, field, -1, FALSE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s: at most %d character is allowed (RFC 5280); this one has "
                                "%ld. Shorten it.",
                                "%s: at most %d characters are allowed (RFC 5280); this one has "
                                "%ld. Shorten it.",
                                max_chars),
                   label, max_chars, n_chars);
      return FALSE;
    }

  return TRUE;
}

static char *
check_country (GPtrArray  *problems,
               const char *value)
{
  g_autofree char *upper = NULL;

  /* the length is part of the code check below, with a message that says what a code is */
  if (!check_text (problems, CD_CSR_FIELD_COUNTRY, value, 0))
    return NULL;

  upper = g_ascii_strup (value, -1);
  if (strlen (upper) != 2 || !g_ascii_isupper (upper[0]) || !g_ascii_isupper (upper[1]))
    {
      add_problem (problems, CD_CSR_FIELD_COUNTRY, -1, FALSE,
                   _("Country: “%s” is not a country code; use the two letters of ISO 3166, "
                     "such as “DE” or “US”."),
                   value);
      return NULL;
    }

  return g_steal_pointer (&upper);
}

/* The CN is a host name in its normalized form, and must still fit the 64 characters once
 * internationalized labels are spelled as A-labels. */
static char *
check_common_name (GPtrArray  *problems,
                   const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  glong n_chars;

  if (!g_utf8_validate (value, -1, NULL))
    {
      check_text (problems, CD_CSR_FIELD_COMMON_NAME, value, 0);
      return NULL;
    }

  name = cd_dns_name_normalize (value, CD_DNS_NAME_ALLOW_WILDCARD, &error);
  if (name == NULL)
    {
      add_problem (problems, CD_CSR_FIELD_COMMON_NAME, -1, FALSE, _("Common name: %s"),
                   error->message);
      return NULL;
    }

  n_chars = g_utf8_strlen (name, -1);
  if (n_chars > cd_csr_field_info[CD_CSR_FIELD_COMMON_NAME].max_chars)
    {
      if (strcmp (name, value) != 0 &&
          g_utf8_strlen (value, -1) <= cd_csr_field_info[CD_CSR_FIELD_COMMON_NAME].max_chars)
        add_problem (problems, CD_CSR_FIELD_COMMON_NAME, -1, FALSE,
                     _("Common name: “%s” becomes “%s” in a certificate, %ld characters, but a "
                       "common name holds at most 64 (RFC 5280). Choose a shorter host as the "
                       "common name, or leave it empty: the host can still be listed."),
                     value, name, n_chars);
      else
        add_problem (problems, CD_CSR_FIELD_COMMON_NAME, -1, FALSE,
                     _("Common name: at most 64 characters are allowed (RFC 5280); “%s” has "
                       "%ld. Choose a shorter host as the common name, or leave it empty: the "
                       "host can still be listed."),
                     name, n_chars);
      return NULL;
    }

  return g_steal_pointer (&name);
}

static GPtrArray *
check_internal (const CdCsrRequest *request,
                CdCsrCheckFlags     flags,
                CdCsrPrepared      *prepared)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) host_names = g_ptr_array_new_with_free_func (g_free);
  guint n_hosts = _cd_csr_request_n_hosts (request);
  guint n_given = 0;
  const char *cn;

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_csr_problem_free);
  for (guint f = 0; f < CD_CSR_N_SUBJECT_FIELDS; f++)
    {
      g_autofree char *value = _cd_csr_tidy_value (_cd_csr_request_get_field (request, f));

      if (value == NULL)
        continue;

      if (f == CD_CSR_FIELD_COUNTRY)
        prepared->values[f] = check_country (problems, value);
      else if (f == CD_CSR_FIELD_COMMON_NAME)
        prepared->values[f] = check_common_name (problems, value);
      else if (check_text (problems, f, value, cd_csr_field_info[f].max_chars))
        prepared->values[f] = g_steal_pointer (&value);

      if (f == CD_CSR_FIELD_ORGANIZATIONAL_UNIT && (flags & CD_CSR_CHECK_PRIVATE_CA) == 0)
        add_problem (problems, f, -1, TRUE,
                     _("Organizational unit: public certificate authorities may no longer put an "
                       "OU into TLS certificates (CA/Browser Forum, since 1 September 2022) "
                       "and may reject the request. Leave it empty unless your CA asks for "
                       "it."));
    }

  for (guint i = 0; i < n_hosts; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *typed = _cd_csr_tidy_value (_cd_csr_request_get_host (request, i));
      g_autofree char *name = NULL;
      gpointer first;

      g_ptr_array_add (host_names, NULL);

      if (typed == NULL)
        {
          add_problem (problems, CD_CSR_FIELD_HOSTS, i, FALSE,
                       _("Hosts: entry %u is empty; enter a host name or remove the entry."),
                       i + 1);
          continue;
        }

      n_given++;
      if (!g_utf8_validate (typed, -1, NULL))
        {
          add_problem (problems, CD_CSR_FIELD_HOSTS, i, FALSE,
                       _("Hosts: entry %u is not valid UTF-8; type it again instead of pasting "
                         "it."),
                       i + 1);
          continue;
        }

      name = cd_dns_name_normalize (typed, CD_DNS_NAME_ALLOW_WILDCARD, &error);
      if (name == NULL)
        {
          add_problem (problems, CD_CSR_FIELD_HOSTS, i, FALSE, _("Host “%s”: %s"), typed,
                       error->message);
          continue;
        }

      if (g_hash_table_lookup_extended (seen, name, NULL, &first))
        {
          const char *earlier = _cd_csr_request_get_host (request, GPOINTER_TO_UINT (first));
          g_autofree char *earlier_typed = _cd_csr_tidy_value (earlier);

          if (g_strcmp0 (earlier_typed, typed) == 0)
            add_problem (problems, CD_CSR_FIELD_HOSTS, i, FALSE,
                         _("Host “%s” is listed twice; remove entry %u."), typed, i + 1);
          else
            add_problem (problems, CD_CSR_FIELD_HOSTS, i, FALSE,
                         _("Host “%s” is listed twice: it is the same name as “%s” (entry %u); "
                           "remove one of them."),
                         typed, earlier_typed, GPOINTER_TO_UINT (first) + 1);
          continue;
        }

      g_hash_table_insert (seen, g_strdup (name), GUINT_TO_POINTER (i));
      g_ptr_array_index (host_names, i) = g_steal_pointer (&name);
    }

  cn = prepared->values[CD_CSR_FIELD_COMMON_NAME];
  if (n_given == 0 && tidy_value_is_empty (request->common_name))
    add_problem (problems, CD_CSR_FIELD_HOSTS, -1, FALSE,
                 _("Hosts: a request needs at least one host name; select a host or enter a "
                   "common name."));

  /* every name belongs in the subjectAltName and the CN must be one of them (CA/Browser
   * Forum), so a CN that is not a host goes first, where CAs expect it */
  prepared->names = g_ptr_array_new_with_free_func (g_free);
  if (cn != NULL && !g_hash_table_contains (seen, cn))
    g_ptr_array_add (prepared->names, g_strdup (cn));
  for (guint i = 0; i < n_hosts; i++)
    if (g_ptr_array_index (host_names, i) != NULL)
      g_ptr_array_add (prepared->names, g_strdup (g_ptr_array_index (host_names, i)));

  return g_steal_pointer (&problems);
}

GPtrArray *
cd_csr_request_check (const CdCsrRequest *request,
                      CdCsrCheckFlags     flags)
{
  g_auto(CdCsrPrepared) prepared = { 0 };

  g_return_val_if_fail (request != NULL, NULL);

  return check_internal (request, flags, &prepared);
}

/* Runs the check and turns its first error into @error. */
gboolean
_cd_csr_request_prepare (const CdCsrRequest  *request,
                        CdCsrPrepared       *prepared,
                        GError             **error)
{
  g_autoptr(GPtrArray) problems = check_internal (request, CD_CSR_CHECK_PRIVATE_CA, prepared);

  for (guint i = 0; i < problems->len; i++)
    {
      CdCsrProblem *problem = g_ptr_array_index (problems, i);

      if (!problem->warning)
        {
          g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_VALUE, problem->message);
          return FALSE;
        }
    }

  return TRUE;
}
