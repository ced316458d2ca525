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
int  cd_cli_jobs    (int argc, char **argv);

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

/* Adds the member @member with the string @value, or null when @value is NULL; bytes that are
 * not UTF-8 become U+FFFD, so that the JSON stays JSON. */
void     cd_cli_json_add_string (JsonBuilder   *builder,
                                 const char    *member,
                                 const char    *value);

/* @text as it can be shown on a terminal, for text that comes from a file or the database (a
 * job's target, messages, events, artifact names): control characters (C0 and DEL as \x1b,
 * or \n, \r, \t; C1 as \u009b), the invisible characters that reorder or break lines (bidi
 * overrides, embeddings, isolates and marks such as U+202E, and U+2028, U+2029) as \uXXXX,
 * bytes that are not UTF-8 as \xff, and the backslash doubled, so that nothing it holds can
 * move the cursor, change colours or disguise what follows. NULL gives NULL. */
char    *cd_cli_escape        (const char      *text);
/* Whether @length bytes of @data can go to a terminal as they are: UTF-8 holding nothing
 * cd_cli_escape() escapes but line ends, tabs and backslashes. */
gboolean cd_cli_is_terminal_safe (const char   *data,
                                  gsize         length);

/* Writes @root as pretty JSON followed by a newline on stdout. */
void     cd_cli_print_json    (JsonNode        *root);

/* Reads a password from --password-file (first line, without its line end) when @file is
 * set, else returns a copy of @password (may be NULL). */
char    *cd_cli_read_password (const char      *password,
                               const char      *file,
                               GError         **error);

G_END_DECLS
