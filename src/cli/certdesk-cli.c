// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "cd-cli.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "inspect", cd_cli_inspect, N_("Show every certificate and private key in files") },
  { "verify", cd_cli_verify, N_("Order a certificate chain and check it") },
  { "csr", cd_cli_csr, N_("Generate a private key and a certificate signing request") },
  { "keystore", cd_cli_keystore, N_("List, import into, export from and convert Java keystores") },
  { "jobs", cd_cli_jobs, N_("List the recorded jobs, show one, write what it kept") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _("Usage: certdesk-cli COMMAND [OPTION…] [FILE…]"),
           _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n%s\n",
           _("Run “certdesk-cli COMMAND --help” for the options of a command."),
           _("Exit status: 0 all is well, 1 a check found problems, 2 bad input or usage."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("certdesk-cli");

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

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("certdesk-cli %s\n", PACKAGE_VERSION);
      return CD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  cd_cli_fail (_("“%s” is not a command."), argv[1]);
  print_usage (stderr);
  return CD_CLI_EXIT_USAGE;
}
