// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-bundle.h"
#include "cd-cert-info.h"
#include "cd-chain.h"
#include "cd-cli.h"

/* Accepts "2026-05-01T12:00:00Z" (any ISO 8601 with a zone), "2026-05-01" (midnight UTC) and
 * "@1777636800" (Unix seconds). */
static gboolean
parse_time (const char *text,
            gint64     *out)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *midnight = NULL;

  if (text[0] == '@')
    {
      char *end = NULL;
      gint64 value = g_ascii_strtoll (text + 1, &end, 10);

      if (end == text + 1 || *end != '\0')
        return FALSE;
      *out = value;
      return TRUE;
    }

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL && strlen (text) == 10)
    {
      midnight = g_strconcat (text, "T00:00:00Z", NULL);
      time = g_date_time_new_from_iso8601 (midnight, NULL);
    }
  if (time == NULL)
    return FALSE;

  *out = g_date_time_to_unix (time);
  return TRUE;
}

/* Moves every certificate of @path into @into (X509*, owned). */
static gboolean
collect_certificates (const char  *path,
                      GPtrArray   *into,
                      GError     **error)
{
  g_autoptr(CdBundle) bundle = cd_bundle_load_file (path, NULL, error);

  if (bundle == NULL)
    return FALSE;

  for (guint i = 0; i < bundle->certificates->len; i++)
    {
      X509 *cert = g_ptr_array_index (bundle->certificates, i);

      X509_up_ref (cert);
      g_ptr_array_add (into, cert);
    }
  return TRUE;
}

static EVP_PKEY *
load_key (const char  *path,
          const char  *password,
          GError     **error)
{
  g_autoptr(CdBundle) bundle = cd_bundle_load_file (path, password, error);
  CdKey *key;

  if (bundle == NULL)
    return NULL;

  if (bundle->keys->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” holds no private key."), path);
      return NULL;
    }

  key = g_ptr_array_index (bundle->keys, 0);
  if (key->pkey == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The key in “%s” is encrypted: give its password with --key-password."),
                   path);
      return NULL;
    }

  EVP_PKEY_up_ref (key->pkey);
  return key->pkey;
}

static void
print_json (const CdVerifyResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, result->ok);

  json_builder_set_member_name (builder, "chain");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->chain->len; i++)
    {
      g_autofree char *sha256 =
        cd_cert_info_fingerprint (g_ptr_array_index (result->chain, i), G_CHECKSUM_SHA256);
      json_builder_add_string_value (builder, sha256);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->problems->len; i++)
    {
      const CdProblem *problem = g_ptr_array_index (result->problems, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, problem->code);
      json_builder_set_member_name (builder, "certificate");
      json_builder_add_int_value (builder, problem->certificate);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, problem->message);
      json_builder_set_member_name (builder, "warning");
      json_builder_add_boolean_value (builder, problem->warning);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cd_cli_print_json (root);
}

static void
print_text (const CdVerifyResult *result)
{
  for (guint i = 0; i < result->chain->len; i++)
    {
      g_autofree char *name =
        cd_cert_info_name_to_string (X509_get_subject_name (g_ptr_array_index (result->chain, i)));
      printf ("%u  %s\n", i, name);
    }

  for (guint i = 0; i < result->problems->len; i++)
    {
      const CdProblem *problem = g_ptr_array_index (result->problems, i);

      printf ("%s %s: %s\n", problem->warning ? _("warning") : _("problem"), problem->code,
              problem->message);
    }

  puts (result->ok ? _("The chain is valid.") : _("The chain has problems."));
}

int
cd_cli_verify (int    argc,
               char **argv)
{
  g_auto(GStrv) ca_files = NULL;
  g_auto(GStrv) hosts = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *key_password = NULL;
  g_autofree char *at_text = NULL;
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(CdVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CdVerifyOptions options = { 0 };
  EVP_PKEY *key = NULL;
  const GOptionEntry entries[] = {
    { "ca", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &ca_files,
      N_("Trust the certificates in FILE instead of the system’s (repeatable)"), N_("FILE") },
    { "host", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hosts,
      N_("A host name the certificate must cover (repeatable)"), N_("NAME") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("The private key the certificate must belong to"), N_("FILE") },
    { "key-password", 0, 0, G_OPTION_ARG_STRING, &key_password,
      N_("Password of an encrypted key"), N_("PASSWORD") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
      N_("Verify at TIME (2026-05-01T12:00:00Z, 2026-05-01 or @UNIX-SECONDS) instead of now"),
      N_("TIME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Puts the certificates of the files in chain order and checks "
                                  "them: dates, chain of trust, host names, key, weak keys and "
                                  "signatures, validity period, subjectAltName."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    return cd_cli_fail (_("Name the files that hold the certificate and its chain."));

  if (at_text != NULL && !parse_time (at_text, &options.at))
    return cd_cli_fail (_("“%s” is not a time: write it as 2026-05-01T12:00:00Z, 2026-05-01 or "
                          "@UNIX-SECONDS."),
                        at_text);

  for (guint i = 0; files[i] != NULL; i++)
    if (!collect_certificates (files[i], certificates, &error))
      return cd_cli_fail ("%s", error->message);
  if (certificates->len == 0)
    return cd_cli_fail (_("The files hold no certificate."));

  if (ca_files != NULL)
    {
      anchors = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
      for (guint i = 0; ca_files[i] != NULL; i++)
        if (!collect_certificates (ca_files[i], anchors, &error))
          return cd_cli_fail ("%s", error->message);
      if (anchors->len == 0)
        return cd_cli_fail (_("The --ca files hold no certificate."));
      options.anchors = anchors;
    }

  if (key_file != NULL)
    {
      key = load_key (key_file, key_password, &error);
      if (key == NULL)
        return cd_cli_fail ("%s", error->message);
      options.key = key;
    }

  options.hosts = (const char * const *) hosts;
  result = cd_chain_verify (certificates, &options, &error);
  if (key != NULL)
    EVP_PKEY_free (key);
  if (result == NULL)
    return cd_cli_fail ("%s", error->message);

  if (json)
    print_json (result);
  else
    print_text (result);

  status = result->ok ? CD_CLI_EXIT_OK : CD_CLI_EXIT_PROBLEMS;
  return status;
}
