// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit statuses, the same for every command. */
enum
{
  CD_CLI_EXIT_OK = 0,       /* all is well */
  CD_CLI_EXIT_PROBLEMS = 1, /* a check found problems */
  CD_CLI_EXIT_USAGE = 2,    /* bad input or usage; the reason is on stderr */
};

int  cd_cli_inspect (int argc, char **argv);
int  cd_cli_verify  (int argc, char **argv);
int  cd_cli_csr     (int argc, char **argv);
int  cd_cli_keystore (int argc, char **argv);

/* Parses a command's options; on failure prints the reason and the command's help hint to
 * stderr and returns FALSE. */
gboolean cd_cli_parse_options (GOptionContext  *context,
                               int             *argc,
                               char          ***argv);

/* "certdesk-cli: MESSAGE" on stderr; returns CD_CLI_EXIT_USAGE for `return cd_cli_fail (…)`.
 * In a command that runs as a job (cd-cli-jobs.h), these three are logged to the job too:
 * failures and warnings with their level, reports as information. */
int      cd_cli_fail          (const char      *format,
                               ...) G_GNUC_PRINTF (1, 2);

/* "certdesk-cli: warning: MESSAGE" on stderr. */
void     cd_cli_warn          (const char      *format,
                               ...) G_GNUC_PRINTF (1, 2);
/* Prints @format's text on stdout, as it is. */
void     cd_cli_report        (const char      *format,
                               ...) G_GNUC_PRINTF (1, 2);

/* Adds the member @member with the string @value, or null when @value is NULL. */
void     cd_cli_json_add_string (JsonBuilder   *builder,
                                 const char    *member,
                                 const char    *value);

/* Writes @root as pretty JSON followed by a newline on stdout. */
void     cd_cli_print_json    (JsonNode        *root);

/* Reads a password from --password-file (first line, without its line end) when @file is
 * set, else returns a copy of @password (may be NULL). */
char    *cd_cli_read_password (const char      *password,
                               const char      *file,
                               GError         **error);

G_END_DECLS
