// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli-keystore-private.h"
#include "cd-file-lock.h"
#include "cd-keystore.h"

/* certdesk-cli keystore convert: every entry into a new keystore of another type. */

/* a day: longer is surely a mistake */
#define MAX_WAIT_SECONDS 86400

int
_cd_cli_keystore_convert (int    argc,
                         char **argv)
{
  g_auto(CdCliPasswordOptions) passwords = { 0 };
  g_autofree char *password = NULL;
  g_autofree char *to = NULL;
  gboolean force = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdFileLock) lock = NULL;
  g_autoptr(CdKeystore) in = NULL;
  g_autoptr(CdKeystore) out = NULL;
  g_autoptr(GError) error = NULL;
  CdKeystoreType type;
  double wait = CD_FILE_LOCK_DEFAULT_TIMEOUT_MS / 1000.0;
  gboolean existed;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The type to write: jks or pkcs12"), N_("TYPE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace OUT when it exists (the previous file is kept as OUT.bak)"), NULL },
    { "wait", 0, 0, G_OPTION_ARG_DOUBLE, &wait,
      N_("How long to wait while another program writes OUT, in seconds (default: 10)"),
      N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (_("IN OUT"));
  g_option_context_set_summary (context,
                                _("Writes every entry of the keystore IN, with its alias, kind "
                                  "and creation date, into a new keystore OUT of another type, "
                                  "under the same password (keytool -importkeystore)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  _cd_cli_keystore_add_password_entries (context, &passwords);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc != 3)
    return cd_cli_fail (_("Name the keystore to read and the one to write."));
  if (to == NULL)
    return cd_cli_fail (_("Say which type to write with --to jks or --to pkcs12."));
  if (!cd_keystore_type_parse (to, &type) || type == CD_KEYSTORE_JCEKS)
    return cd_cli_fail (_("Certdesk writes jks and pkcs12 keystores, not “%s”."), to);
  if (!(wait >= 0 && wait <= MAX_WAIT_SECONDS))
    return cd_cli_fail (_("--wait takes a number of seconds from 0 to %d."), MAX_WAIT_SECONDS);
  /* before looking: another writer may be creating OUT right now */
  lock = cd_file_lock_acquire (argv[2], (int) (wait * 1000 + 0.5), NULL, &error);
  if (lock == NULL)
    return cd_cli_fail ("%s", error->message);
  existed = g_file_test (argv[2], G_FILE_TEST_EXISTS);
  if (existed && !force)
    return cd_cli_fail (_("“%s” already exists: add --force to replace it (the previous file is "
                          "kept as “%s.bak”)."),
                        argv[2], argv[2]);
  if ((password = _cd_cli_keystore_get_password (&passwords)) == NULL ||
      !_cd_cli_keystore_check_new_password (password))
    return CD_CLI_EXIT_USAGE;

  in = cd_keystore_load (argv[1], password, NULL, &error);
  if (in == NULL)
    return cd_cli_fail ("%s", error->message);

  out = cd_keystore_new (type);
  for (guint i = 0; i < cd_keystore_get_n_entries (in); i++)
    {
      CdKeystoreEntry *entry = cd_keystore_get_entry (in, i);
      CdKeystoreEntry *copy;
      gboolean added;

      if (entry->locked)
        return cd_cli_fail (_("The key of “%s” is protected by a password of its own, which was "
                              "not given: it cannot be converted."),
                            entry->alias);
      if (entry->kind == CD_KEYSTORE_ENTRY_PRIVATE_KEY)
        added = cd_keystore_add_key (out, entry->alias, entry->key, entry->chain,
                                     CD_KEYSTORE_ADD_DEFAULT, &error);
      else
        added = entry->chain->len > 0 &&
                cd_keystore_add_certificate (out, entry->alias,
                                             g_ptr_array_index (entry->chain, 0),
                                             CD_KEYSTORE_ADD_DEFAULT, &error);
      if (!added)
        return cd_cli_fail (_("The entry “%s” cannot be converted: %s"), entry->alias,
                            error != NULL ? error->message : _("it holds no certificate."));

      /* the date the entry was made, not the date of the conversion */
      copy = cd_keystore_lookup (out, entry->alias);
      if (copy != NULL && entry->created > 0)
        copy->created = entry->created;
    }

  if (!cd_keystore_save_locked (out, argv[2], password, lock, &error))
    return cd_cli_fail ("%s", error->message);
  g_clear_pointer (&lock, cd_file_lock_release);

  printf (g_dngettext (GETTEXT_PACKAGE, "Converted %u entry from %s to %s: “%s”.\n",
                       "Converted %u entries from %s to %s: “%s”.\n",
                       cd_keystore_get_n_entries (out)),
          cd_keystore_get_n_entries (out),
          cd_keystore_type_to_string (cd_keystore_get_store_type (in)),
          cd_keystore_type_to_string (type), argv[2]);
  return CD_CLI_EXIT_OK;
}
