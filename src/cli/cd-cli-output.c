// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

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

/* Characters that show nothing themselves but reorder the text around them or break its
 * line: the Unicode bidi formatting characters (UAX #9) and the line and paragraph separators. */
static gboolean
is_invisible_control (gunichar c)
{
  return c == 0x061C ||                  /* ARABIC LETTER MARK */
         c == 0x200E || c == 0x200F ||   /* LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK */
         c == 0x2028 || c == 0x2029 ||   /* LINE and PARAGRAPH SEPARATOR */
         (c >= 0x202A && c <= 0x202E) || /* embeddings and overrides, U+202E among them */
         (c >= 0x2066 && c <= 0x2069);   /* isolates */
}

/* What a terminal takes as an order, or shows as nothing while it changes the text. */
static gboolean
is_terminal_control (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || is_invisible_control (c);
}

gboolean
cd_cli_is_terminal_safe (const char *data,
                         gsize       length)
{
  const char *end = data + length;

  if (!g_utf8_validate_len (data, length, NULL))
    return FALSE;
  for (const char *p = data; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_terminal_control (c) && c != '\n' && c != '\r' && c != '\t')
        return FALSE;
    }
  return TRUE;
}

char *
cd_cli_escape (const char *text)
{
  GString *shown;
  const char *end;

  if (text == NULL)
    return NULL;

  end = text + strlen (text);
  shown = g_string_sized_new (end - text);
  for (const char *p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      const char *next;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (shown, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }

      next = g_utf8_next_char (p);
      if (c == '\\')
        g_string_append (shown, "\\\\");
      else if (c == '\n')
        g_string_append (shown, "\\n");
      else if (c == '\r')
        g_string_append (shown, "\\r");
      else if (c == '\t')
        g_string_append (shown, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (shown, "\\x%02x", c);
      else if (is_terminal_control (c))
        g_string_append_printf (shown, "\\u%04x", c);
      else
        g_string_append_len (shown, p, next - p);
      p = next;
    }

  return g_string_free (shown, FALSE);
}

void
cd_cli_json_add_string (JsonBuilder *builder,
                        const char  *member,
                        const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (builder, value);
  else
    {
      /* JSON is UTF-8: what a file or the database holds may not be */
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
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
