// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-csr.h"
#include "cd-file-lock.h"
#include "cd-file-util.h"
#include "cd-keygen.h"
#include "cd-safe-file.h"

static void
print_json (const char          *csr_path,
            const char          *key_path,
            CdKeyType            key_type,
            const char * const  *dns_names,
            GPtrArray           *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "csr");
  json_builder_add_string_value (builder, csr_path);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key_path);
  json_builder_set_member_name (builder, "key_type");
  json_builder_add_string_value (builder, cd_key_type_to_string (key_type));
  json_builder_set_member_name (builder, "dns_names");
  json_builder_begin_array (builder);
  for (guint i = 0; dns_names[i] != NULL; i++)
    json_builder_add_string_value (builder, dns_names[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    json_builder_add_string_value (builder,
                                   ((CdCsrProblem *) g_ptr_array_index (problems, i))->message);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cd_cli_print_json (root);
}

int
cd_cli_csr (int    argc,
            char **argv)
{
  g_autoptr(CdCsrRequest) request = cd_csr_request_new ();
  g_auto(GStrv) sans = NULL;
  g_auto(GStrv) dns_names = NULL;
  g_autofree char *key_type_text = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *csr_dir = NULL;
  g_autofree char *pem = NULL;
  gboolean private_ca = FALSE;
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdFileLock) csr_lock = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  CdKeyType key_type = CD_KEY_TYPE_DEFAULT;
  EVP_PKEY *key = NULL;
  X509_REQ *req = NULL;
  const GOptionEntry entries[] = {
    { "cn", 0, 0, G_OPTION_ARG_STRING, &request->common_name,
      N_("Common name: the main host name"), N_("NAME") },
    { "san", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sans,
      N_("Another host name for the subjectAltName (repeatable)"), N_("NAME") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &request->organization, N_("Organization"), N_("O") },
    { "ou", 0, 0, G_OPTION_ARG_STRING, &request->organizational_unit,
      N_("Organizational unit (public CAs no longer accept it)"), N_("OU") },
    { "country", 0, 0, G_OPTION_ARG_STRING, &request->country,
      N_("Country, two letters (ISO 3166)"), N_("C") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &request->state, N_("State or province, in full"),
      N_("S") },
    { "locality", 0, 0, G_OPTION_ARG_STRING, &request->locality, N_("City"), N_("L") },
    { "key-type", 0, 0, G_OPTION_ARG_STRING, &key_type_text,
      N_("rsa2048 (the default), rsa3072, rsa4096, p256 or p384"), N_("TYPE") },
    { "private-ca", 0, 0, G_OPTION_ARG_NONE, &private_ca,
      N_("The request goes to an in-house CA: no warning for --ou"), NULL },
    { "out-csr", 0, 0, G_OPTION_ARG_FILENAME, &csr_path,
      N_("Write the CSR to FILE (an existing one is replaced, through a link, keeping its mode "
         "and owner)"),
      N_("FILE") },
    { "out-key", 0, 0, G_OPTION_ARG_FILENAME, &key_path,
      N_("Write the new private key to FILE (never overwritten)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int status = CD_CLI_EXIT_USAGE;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Generates a private key and a certificate signing request for "
                                  "the given host names, checked before anything is made."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc > 1)
    return cd_cli_fail (_("Unexpected argument “%s”."), argv[1]);
  if (csr_path == NULL || key_path == NULL)
    return cd_cli_fail (_("Say where to write the CSR and the key with --out-csr and --out-key."));
  if (key_type_text != NULL && !cd_key_type_parse (key_type_text, &key_type, &error))
    return cd_cli_fail ("%s", error->message);

  for (guint i = 0; sans != NULL && sans[i] != NULL; i++)
    cd_csr_request_add_host (request, sans[i]);

  problems = cd_csr_request_check (request, private_ca ? CD_CSR_CHECK_PRIVATE_CA
                                                       : CD_CSR_CHECK_DEFAULT);
  for (guint i = 0; i < problems->len; i++)
    {
      const CdCsrProblem *problem = g_ptr_array_index (problems, i);

      fprintf (stderr, "certdesk-cli: %s%s\n", problem->warning ? _("warning: ") : "",
               problem->message);
    }
  if (cd_csr_problems_have_errors (problems))
    return CD_CLI_EXIT_USAGE;

  /* Fail before the slow part when the key or the CSR could not be written anyway: the key's
   * name is taken, the CSR would replace the key, or another program is writing the CSR. The
   * CSR's lock waits for its folder when that is to be made with the key's. */
  if (!cd_safe_file_check_new (key_path, &error))
    return cd_cli_fail ("%s", error->message);
  if (cd_file_same_entry (csr_path, key_path))
    return cd_cli_fail (_("--out-csr and --out-key name the same file: the CSR would replace the "
                          "new key. Give them two names."));
  csr_dir = g_path_get_dirname (csr_path);
  if (g_file_test (csr_dir, G_FILE_TEST_IS_DIR) &&
      (csr_lock = cd_file_lock_acquire (csr_path, -1, NULL, &error)) == NULL)
    return cd_cli_fail ("%s", error->message);

  dns_names = cd_csr_request_dup_dns_names (request, &error);
  key = dns_names != NULL ? cd_keygen (key_type, NULL, &error) : NULL;
  req = key != NULL ? cd_csr_create (request, key, &error) : NULL;
  pem = req != NULL ? cd_csr_to_pem (req) : NULL;

  if (pem == NULL)
    cd_cli_fail ("%s", error != NULL ? error->message : _("The CSR cannot be encoded."));
  else if (!cd_key_write (key, key_path, NULL, &error))
    cd_cli_fail ("%s", error->message);
  else if (!cd_safe_file_write (csr_path, pem, strlen (pem), CD_SAFE_FILE_PUBLIC, csr_lock,
                                NULL, &error))
    cd_cli_fail (_("The key was written to “%s”, but the CSR could not be: %s"), key_path,
                 error->message);
  else
    {
      if (json)
        print_json (csr_path, key_path, key_type, (const char * const *) dns_names, problems);
      else
        printf (_("Wrote the CSR to “%s” and the private key (%s) to “%s”.\n"), csr_path,
                cd_key_type_get_label (key_type), key_path);
      status = CD_CLI_EXIT_OK;
    }

  if (req != NULL)
    X509_REQ_free (req);
  if (key != NULL)
    EVP_PKEY_free (key);
  return status;
}
