// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-bundle.h"
#include "cd-cert-checks.h"
#include "cd-cli-jobs.h"
#include "cd-cli-keystore-private.h"
#include "cd-file-lock.h"
#include "cd-keystore-import.h"
#include "cd-keystore.h"
#include "cd-safe-file.h"

/* certdesk-cli keystore import: plans the import of the files' certificates as
 * cd-keystore-import.h does, and applies it only when nothing in it is an error. The keystore's
 * lock is held from before it is read until it is saved: two imports at once both land. */

/* a day: longer is surely a mistake */
#define MAX_WAIT_SECONDS 86400

/* The type a new keystore gets: --type, else the extension, else PKCS#12 as keytool 17. */
static gboolean
type_for_new_store (const char     *path,
                    const char     *type_option,
                    CdKeystoreType *type)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (type_option != NULL)
    {
      if (!cd_keystore_type_parse (type_option, type))
        {
          cd_cli_fail (_("“%s” is not a keystore type: use jks or pkcs12."), type_option);
          return FALSE;
        }
    }
  else if (g_str_has_suffix (lower, ".jks"))
    *type = CD_KEYSTORE_JKS;
  else if (g_str_has_suffix (lower, ".jceks"))
    *type = CD_KEYSTORE_JCEKS;
  else
    *type = CD_KEYSTORE_PKCS12;

  if (*type == CD_KEYSTORE_JCEKS)
    {
      cd_cli_fail (_("Certdesk reads JCEKS keystores but does not write them: use jks or "
                     "pkcs12."));
      return FALSE;
    }
  return TRUE;
}

/* All the certificates and keys of @files as one bundle, so that a chain split over files
 * is ordered as one. */
static CdBundle *
load_files (char       **files,
            const char  *password,
            GError     **error)
{
  g_autoptr(CdBundle) all = cd_bundle_new ();

  for (guint f = 0; files[f] != NULL; f++)
    {
      g_autoptr(CdBundle) bundle = cd_bundle_load_file (files[f], password, error);

      if (bundle == NULL)
        return NULL;
      for (guint i = 0; i < bundle->certificates->len; i++)
        {
          X509_up_ref (g_ptr_array_index (bundle->certificates, i));
          g_ptr_array_add (all->certificates, g_ptr_array_index (bundle->certificates, i));
          g_ptr_array_add (all->certificate_sources,
                           g_strdup (g_ptr_array_index (bundle->certificate_sources, i)));
        }
      /* the keys are only counted and named: move them */
      while (bundle->keys->len > 0)
        g_ptr_array_add (all->keys, g_ptr_array_steal_index (bundle->keys, 0));
    }
  return g_steal_pointer (&all);
}

static void
print_item (CdImportItem *item)
{
  g_autofree char *name = cd_cert_checks_display_name (item->certificate);
  const char *kind = item->is_ca ? _("CA certificate") : _("server certificate");

  switch (item->action)
    {
    case CD_IMPORT_ACTION_ADD_TRUSTED:
      /* TRANSLATORS: alias, then the certificate's name and its kind */
      cd_cli_report (_("Added “%s”: %s (%s) as a trusted certificate\n"), item->alias, name, kind);
      break;
    case CD_IMPORT_ACTION_REPLACE:
      cd_cli_report (_("Replaced “%s” with %s (%s) as a trusted certificate\n"), item->alias, name,
              kind);
      break;
    case CD_IMPORT_ACTION_INSTALL_REPLY:
      cd_cli_report (g_dngettext (GETTEXT_PACKAGE,
                           "Installed the reply %s in the key entry “%s”: a chain of %u "
                           "certificate\n",
                           "Installed the reply %s in the key entry “%s”: a chain of %u "
                           "certificates\n",
                           item->chain->len),
              name, item->alias, item->chain->len);
      break;
    case CD_IMPORT_ACTION_SKIP_DUPLICATE:
      cd_cli_report (_("Skipped %s: the keystore holds it already as “%s”\n"), name,
              item->duplicate_of);
      break;
    case CD_IMPORT_ACTION_SKIP:
    default:
      cd_cli_report (_("Skipped %s\n"), name);
      break;
    }

  for (guint i = 0; i < item->warnings->len; i++)
    cd_cli_warn ("%s", (const char *) g_ptr_array_index (item->warnings, i));
}

/* What the command was asked, for its work in the job's thread. */
typedef struct
{
  const char     *path;
  char          **files;
  const char     *password;
  const char     *file_password;
  const char     *type_option;
  const char     *alias;
  gboolean        trust;
  CdImportFlags   flags;
  double          wait;
} Import;

static const char *
media_type_of (CdKeystoreType type)
{
  return type == CD_KEYSTORE_JKS ? "application/x-java-keystore" : "application/x-pkcs12";
}

static int
import_run (gpointer data)
{
  Import *import = data;
  const char *path = import->path;
  g_autoptr(CdFileLock) lock = NULL;
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(CdBundle) bundle = NULL;
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exists;
  guint changed = 0, skipped = 0;

  /* before reading: no other writer's changes may come between the reading and the saving */
  lock = cd_file_lock_acquire (path, (int) (import->wait * 1000 + 0.5), NULL, &error);
  if (lock == NULL)
    return cd_cli_fail ("%s", error->message);
  exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if (exists)
    {
      CdKeystoreType wanted;

      store = cd_keystore_load (path, import->password, NULL, &error);
      if (store == NULL)
        return cd_cli_fail ("%s", error->message);
      if (import->type_option != NULL &&
          (!cd_keystore_type_parse (import->type_option, &wanted) ||
           wanted != cd_keystore_get_store_type (store)))
        return cd_cli_fail (_("“%s” is a %s keystore, not %s: leave out --type, or convert it "
                              "first."),
                            path, cd_keystore_type_to_string (cd_keystore_get_store_type (store)),
                            import->type_option);
    }
  else
    {
      CdKeystoreType type;

      if (!type_for_new_store (path, import->type_option, &type) ||
          !_cd_cli_keystore_check_new_password (import->password))
        return CD_CLI_EXIT_USAGE;
      store = cd_keystore_new (type);
    }

  bundle = load_files (import->files,
                       import->file_password != NULL ? import->file_password : import->password,
                       &error);
  if (bundle == NULL)
    return cd_cli_fail ("%s", error->message);

  plan = cd_keystore_plan_import (store, bundle, import->flags, import->alias, &error);
  if (plan == NULL)
    return cd_cli_fail ("%s", error->message);

  for (guint i = 0; i < plan->warnings->len; i++)
    cd_cli_warn ("%s", (const char *) g_ptr_array_index (plan->warnings, i));

  if (cd_import_plan_has_errors (plan))
    {
      gboolean untrusted_ca = FALSE;

      for (guint i = 0; i < plan->items->len; i++)
        {
          CdImportItem *item = g_ptr_array_index (plan->items, i);

          for (guint j = 0; j < item->errors->len; j++)
            cd_cli_fail ("%s", ((GError *) g_ptr_array_index (item->errors, j))->message);
          untrusted_ca |= item->is_ca && item->chain == NULL && !import->trust;
        }
      if (untrusted_ca)
        cd_cli_fail (_("Add --trust to import CA certificates as trusted entries."));
      return cd_cli_fail (exists ? _("Nothing was imported: “%s” is unchanged.")
                                 : _("Nothing was imported: “%s” was not created."),
                          path);
    }

  /* saved before anything is reported done */
  if (!cd_keystore_apply_import (store, plan, &changed, &error) ||
      (changed > 0 && !cd_keystore_save_locked (store, path, import->password, lock, &error)))
    return cd_cli_fail ("%s", error->message);
  g_clear_pointer (&lock, cd_file_lock_release);

  for (guint i = 0; i < plan->items->len; i++)
    {
      CdImportItem *item = g_ptr_array_index (plan->items, i);

      print_item (item);
      if (item->action == CD_IMPORT_ACTION_SKIP_DUPLICATE || item->action == CD_IMPORT_ACTION_SKIP)
        skipped++;
    }

  if (changed == 0)
    {
      cd_cli_report (_("Nothing new to import: “%s” was not written.\n"), path);
      return CD_CLI_EXIT_PROBLEMS;
    }

  {
    g_autofree char *basename = g_path_get_basename (path);

    cd_cli_job_add_file (basename, media_type_of (cd_keystore_get_store_type (store)), path);
  }

  if (exists)
    {
      /* beside the file a link names, not beside the link */
      g_autofree char *backup = cd_safe_file_backup_path (path);

      cd_cli_report (g_dngettext (GETTEXT_PACKAGE,
                           "Saved “%s” (%u entry); the previous version is “%s”.\n",
                           "Saved “%s” (%u entries); the previous version is “%s”.\n",
                           cd_keystore_get_n_entries (store)),
              path, cd_keystore_get_n_entries (store), backup);
    }
  else
    cd_cli_report (g_dngettext (GETTEXT_PACKAGE, "Created the %s keystore “%s” (%u entry).\n",
                         "Created the %s keystore “%s” (%u entries).\n",
                         cd_keystore_get_n_entries (store)),
            cd_keystore_type_to_string (cd_keystore_get_store_type (store)), path,
            cd_keystore_get_n_entries (store));

  return skipped > 0 ? CD_CLI_EXIT_PROBLEMS : CD_CLI_EXIT_OK;
}

int
_cd_cli_keystore_import (int    argc,
                        char **argv)
{
  g_auto(CdCliPasswordOptions) passwords = { 0 };
  g_autofree char *password = NULL;
  g_autofree char *type_option = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *file_password = NULL;
  gboolean trust = FALSE, replace = FALSE, duplicates = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdJobRequest) request = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *files = NULL;
  gboolean no_record = FALSE;
  Import import = { 0 };
  double wait = CD_FILE_LOCK_DEFAULT_TIMEOUT_MS / 1000.0;
  const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type_option,
      N_("Type of a new keystore: jks or pkcs12 (default: from the extension .jks, .p12 or "
         ".pfx, else pkcs12)"),
      N_("TYPE") },
    { "trust", 0, 0, G_OPTION_ARG_NONE, &trust,
      N_("Import CA certificates as trusted entries (keytool’s -trustcacerts)"), NULL },
    { "alias", 0, 0, G_OPTION_ARG_STRING, &alias,
      N_("Alias of the first certificate in chain order (the others get aliases derived from "
         "their subjects); the alias of a key entry installs the CA’s reply in it"),
      N_("ALIAS") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace the trusted entry that has the alias given with --alias"), NULL },
    { "allow-duplicates", 0, 0, G_OPTION_ARG_NONE, &duplicates,
      N_("Add certificates the keystore holds already under another alias"), NULL },
    { "file-password", 0, 0, G_OPTION_ARG_STRING, &file_password,
      N_("Password of PKCS#12 files among FILE… (default: the keystore password; a PKCS#12 "
         "without a password opens either way)"),
      N_("PASSWORD") },
    { "wait", 0, 0, G_OPTION_ARG_DOUBLE, &wait,
      N_("How long to wait while another program writes the keystore, in seconds (default: "
         "10)"),
      N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (_("KEYSTORE FILE…"));
  g_option_context_set_summary (context,
                                _("Imports every certificate of the files (PEM, DER, PKCS#7, "
                                  "PKCS#12 or a zip) into a keystore, in chain order, and "
                                  "creates the keystore when it does not exist. A certificate "
                                  "for the key of a key entry is installed as the CA’s reply."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  _cd_cli_keystore_add_password_entries (context, &passwords);
  cd_cli_add_record_entry (context, &no_record);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc < 3)
    return cd_cli_fail (_("Name the keystore, then at least one file to import."));
  if (!(wait >= 0 && wait <= MAX_WAIT_SECONDS))
    return cd_cli_fail (_("--wait takes a number of seconds from 0 to %d."), MAX_WAIT_SECONDS);
  if ((password = _cd_cli_keystore_get_password (&passwords)) == NULL)
    return CD_CLI_EXIT_USAGE;

  import.path = argv[1];
  import.files = argv + 2;
  import.password = password;
  import.file_password = file_password;
  import.type_option = type_option;
  import.alias = alias;
  import.trust = trust;
  import.wait = wait;
  if (trust)
    import.flags |= CD_IMPORT_TRUST_CA;
  if (replace)
    import.flags |= CD_IMPORT_REPLACE;
  if (duplicates)
    import.flags |= CD_IMPORT_ALLOW_DUPLICATES;

  /* what the job history shows: never a password */
  absolute = g_canonicalize_filename (import.path, NULL);
  files = g_strjoinv (" ", import.files);
  request = cd_job_request_new (CD_JOB_KIND_IMPORT_KEYSTORE, CD_JOB_TARGET_KEYSTORE, absolute);
  cd_job_request_set_exclusive (request, absolute);
  cd_job_request_add_parameter (request, "keystore", absolute);
  cd_job_request_add_parameter (request, "files", files);
  if (alias != NULL)
    cd_job_request_add_parameter (request, "alias", alias);
  cd_job_request_add_parameter (request, "trust", trust ? "yes" : "no");
  cd_job_request_add_parameter (request, "replace", replace ? "yes" : "no");
  cd_job_request_add_parameter (request, "allow-duplicates", duplicates ? "yes" : "no");

  return cd_cli_run_job (request, !no_record, import_run, &import);
}
