// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cert-info.h"
#include "cd-cli-keystore-private.h"
#include "cd-keystore.h"

/* certdesk-cli keystore list: the entries as keytool -list -v shows them, or as JSON. */

static const char *
kind_to_string (CdKeystoreEntryKind kind)
{
  return kind == CD_KEYSTORE_ENTRY_PRIVATE_KEY ? "private-key" : "trusted-certificate";
}

static char *
format_created (gint64 created_ms)
{
  if (created_ms <= 0)
    return NULL;
  return cd_cert_info_format_time (created_ms / 1000);
}

/* "  Label:      value", aligned in characters (see cd-cli-inspect.c). */
static void
print_field (const char *label,
             const char *value)
{
  long width = g_utf8_strlen (label, -1);

  printf ("  %s%*s %s\n", label, (int) MAX (0, 12 - width), "", value != NULL ? value : "");
}

static void
print_entry_text (CdKeystoreEntry  *entry,
                  const CdCertInfo *info)
{
  g_autofree char *created = format_created (entry->created);
  g_autofree char *what = NULL;

  if (entry->kind == CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE)
    what = g_strdup (_("trusted certificate"));
  else
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "private key with a chain of %u certificate",
                                         "private key with a chain of %u certificates",
                                         entry->chain->len),
                            entry->chain->len);

  printf ("\n%s: %s%s\n", entry->alias, what,
          entry->locked ? _(" (locked: its key password is not the store password)") : "");
  print_field (_("Created:"), created != NULL ? created : _("unknown"));
  if (info != NULL)
    {
      print_field (_("Subject:"), info->subject);
      print_field (_("SHA-256:"), info->sha256_fingerprint);
      print_field (_("Not after:"), info->not_after_text);
    }
}

static void
add_entry_json (JsonBuilder      *builder,
                CdKeystoreEntry  *entry,
                const CdCertInfo *info)
{
  g_autofree char *created = format_created (entry->created);

  json_builder_begin_object (builder);
  cd_cli_json_add_string (builder, "alias", entry->alias);
  cd_cli_json_add_string (builder, "kind", kind_to_string (entry->kind));
  cd_cli_json_add_string (builder, "created", created);
  cd_cli_json_add_string (builder, "subject", info != NULL ? info->subject : NULL);
  cd_cli_json_add_string (builder, "sha256", info != NULL ? info->sha256_fingerprint : NULL);
  cd_cli_json_add_string (builder, "not_after", info != NULL ? info->not_after_text : NULL);
  json_builder_set_member_name (builder, "chain_length");
  json_builder_add_int_value (builder, entry->chain->len);
  json_builder_set_member_name (builder, "locked");
  json_builder_add_boolean_value (builder, entry->locked);
  json_builder_end_object (builder);
}

int
_cd_cli_keystore_list (int    argc,
                      char **argv)
{
  g_auto(CdCliPasswordOptions) passwords = { 0 };
  g_autofree char *password = NULL;
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  guint n_entries;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("KEYSTORE"));
  g_option_context_set_summary (context,
                                _("Lists the entries of a JKS, PKCS#12 or JCEKS keystore as "
                                  "keytool -list -v does: alias, kind, creation date, subject, "
                                  "SHA-256 fingerprint and expiry."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  _cd_cli_keystore_add_password_entries (context, &passwords);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc != 2)
    return cd_cli_fail (_("Name one keystore to list."));
  if ((password = _cd_cli_keystore_get_password (&passwords)) == NULL)
    return CD_CLI_EXIT_USAGE;

  store = cd_keystore_load (argv[1], password, NULL, &error);
  if (store == NULL)
    return cd_cli_fail ("%s", error->message);

  n_entries = cd_keystore_get_n_entries (store);
  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      cd_cli_json_add_string (builder, "type",
                           cd_keystore_type_to_string (cd_keystore_get_store_type (store)));
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
    }
  else
    {
      g_autofree char *type = g_ascii_strup (
        cd_keystore_type_to_string (cd_keystore_get_store_type (store)), -1);

      printf (_("Keystore type: %s\n"), type);
      printf (g_dngettext (GETTEXT_PACKAGE, "The keystore contains %u entry\n",
                           "The keystore contains %u entries\n", n_entries),
              n_entries);
    }

  for (guint i = 0; i < n_entries; i++)
    {
      CdKeystoreEntry *entry = cd_keystore_get_entry (store, i);
      g_autoptr(CdCertInfo) info = NULL;

      if (entry->chain->len > 0)
        info = cd_cert_info_new (g_ptr_array_index (entry->chain, 0));
      if (json)
        add_entry_json (builder, entry, info);
      else
        print_entry_text (entry, info);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cd_cli_print_json (root);
    }
  return CD_CLI_EXIT_OK;
}
