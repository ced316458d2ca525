// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-jobs.h"

gboolean
cd_cli_parse_options (GOptionContext  *context,
                      int             *argc,
                      char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;

  cd_cli_fail ("%s (%s)", error->message, _("see --help"));
  return FALSE;
}

int
cd_cli_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "certdesk-cli: %s\n", message);
  _cd_cli_job_note_failure (message);
  return CD_CLI_EXIT_USAGE;
}

void
cd_cli_warn (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, _("certdesk-cli: warning: %s\n"), message);
  cd_cli_job_log (CD_JOB_EVENT_WARNING, "%s", message);
}

void
cd_cli_report (const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fputs (message, stdout);
  g_strchomp (message);
  cd_cli_job_log (CD_JOB_EVENT_INFO, "%s", message);
}

void
cd_cli_json_add_string (JsonBuilder *builder,
                        const char  *member,
                        const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
cd_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

char *
cd_cli_read_password (const char  *password,
                      const char  *file,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  char *end;

  if (file == NULL)
    return g_strdup (password);

  if (!g_file_get_contents (file, &contents, &length, error))
    return NULL;

  end = strpbrk (contents, "\r\n");
  if (end != NULL)
    *end = '\0';
  return g_steal_pointer (&contents);
}
