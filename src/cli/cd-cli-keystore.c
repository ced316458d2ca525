// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli-keystore-private.h"

/* certdesk-cli keystore list|import|export|convert: Java keystores as keytool handles them,
 * with the import semantics of cd-keystore-import.h. This file picks the subcommand (each has
 * a file of its own, cd-cli-keystore-SUBCOMMAND.c) and finds the keystore password. */

#define PASSWORD_ENV "CERTDESK_STORE_PASSWORD"
/* keytool refuses to create a keystore with a shorter password */
#define MIN_PASSWORD_LENGTH 6

void
_cd_cli_password_options_clear (CdCliPasswordOptions *options)
{
  g_free (options->password);
  g_free (options->password_file);
}

void
_cd_cli_keystore_add_password_entries (GOptionContext       *context,
                                      CdCliPasswordOptions *options)
{
  const GOptionEntry entries[] = {
    { "password", 0, 0, G_OPTION_ARG_STRING, &options->password,
      N_("The keystore password (visible to other users in the process list: prefer "
         "--password-file or CERTDESK_STORE_PASSWORD)"),
      N_("PASSWORD") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &options->password_file,
      N_("Read the keystore password from the first line of FILE"), N_("FILE") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* --password wins over --password-file, which wins over the environment. NULL (with a
 * message on stderr) when there is none. */
char *
_cd_cli_keystore_get_password (CdCliPasswordOptions *options)
{
  g_autoptr(GError) error = NULL;
  const char *env;
  char *password;

  if (options->password != NULL)
    return g_strdup (options->password);

  if (options->password_file != NULL)
    {
      password = cd_cli_read_password (NULL, options->password_file, &error);
      if (password == NULL)
        cd_cli_fail (_("The password file cannot be read: %s"), error->message);
      return password;
    }

  env = g_getenv (PASSWORD_ENV);
  if (env != NULL)
    return g_strdup (env);

  cd_cli_fail (_("Give the keystore password with --password-file FILE, the environment "
                 "variable %s, or --password PASSWORD."),
               PASSWORD_ENV);
  return NULL;
}

gboolean
_cd_cli_keystore_check_new_password (const char *password)
{
  if (g_utf8_strlen (password, -1) >= MIN_PASSWORD_LENGTH)
    return TRUE;
  cd_cli_fail (_("The password of a new keystore must have at least %d characters, as keytool "
                 "requires."),
               MIN_PASSWORD_LENGTH);
  return FALSE;
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Subcommand;

static const Subcommand subcommands[] = {
  { "list", _cd_cli_keystore_list, N_("List the entries of a keystore") },
  { "import", _cd_cli_keystore_import, N_("Import the certificates of files, in chain order") },
  { "export", _cd_cli_keystore_export, N_("Export an entry as PEM") },
  { "convert", _cd_cli_keystore_convert, N_("Write a keystore as another type") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n",
           _("Usage: certdesk-cli keystore SUBCOMMAND [OPTION…] KEYSTORE [FILE…]"),
           _("Subcommands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (out, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].summary));
  fprintf (out, "\n%s\n%s\n",
           _("Run “certdesk-cli keystore SUBCOMMAND --help” for its options. The password comes "
             "from --password, --password-file or the environment variable "
             "CERTDESK_STORE_PASSWORD, in that order."),
           _("Exit status: 0 all is well, 1 some certificates were skipped (already in the "
             "keystore), 2 bad input or usage, or another program kept writing the keystore "
             "longer than --wait allows, and then nothing is written."));
}

int
cd_cli_keystore (int    argc,
                 char **argv)
{
  if (argc < 2)
    {
      print_usage (stderr);
      return CD_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return CD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      {
        g_autofree char *prgname = g_strconcat ("certdesk-cli keystore ", argv[1], NULL);

        /* --help then says "certdesk-cli keystore import [OPTION…] KEYSTORE FILE…" */
        g_set_prgname (prgname);
        return subcommands[i].run (argc - 1, argv + 1);
      }

  cd_cli_fail (_("“%s” is not a keystore subcommand."), argv[1]);
  print_usage (stderr);
  return CD_CLI_EXIT_USAGE;
}
