// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli-job-log-private.h"
#include "cd-error.h"
#include "cd-job-enums.h"
#include "cd-job-types.h"

/* certdesk-cli jobs list|show|artifact: the job history, as the Job Logs show it. This file
 * picks the subcommand, opens the history and lists it; cd-cli-job-show.c shows one job and
 * writes its artifacts. */

CdStore *
_cd_cli_jobs_open_store (gboolean *missing)
{
  g_autofree char *path = cd_store_get_default_path ();
  g_autoptr(GError) error = NULL;
  CdStore *store;

  *missing = FALSE;
  store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    return store;

  if (g_error_matches (error, CD_ERROR, CD_ERROR_NOT_FOUND))
    *missing = TRUE;
  else
    cd_cli_fail (_("The job history cannot be read: %s"), error->message);
  return NULL;
}

gboolean
_cd_cli_jobs_parse_id (const char *text,
                       gint64     *id)
{
  guint64 value;

  if (text[0] == '#')
    text++;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_autofree char *shown = cd_cli_escape (text);

      cd_cli_fail (_("“%s” is not a job number: “certdesk-cli jobs list” shows them."), shown);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

char *
_cd_cli_jobs_format_time (gint64 time)
{
  return cd_record_time_format_iso (time);
}

char *
_cd_cli_jobs_format_duration (const CdJobRecord *job)
{
  if (job->started == 0 || job->finished == 0 || job->finished < job->started)
    return NULL;
  return cd_record_format_duration (job->finished - job->started, TRUE);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       time)
{
  g_autofree char *text = _cd_cli_jobs_format_time (time);

  cd_cli_json_add_string (builder, member, text);
}

static void
add_id (JsonBuilder *builder,
        const char  *member,
        gint64       id)
{
  json_builder_set_member_name (builder, member);
  if (id != 0)
    json_builder_add_int_value (builder, id);
  else
    json_builder_add_null_value (builder);
}

void
_cd_cli_jobs_add_job_members (JsonBuilder       *builder,
                              const CdJobRecord *job)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, job->id);
  cd_cli_json_add_string (builder, "kind", job->kind);
  cd_cli_json_add_string (builder, "state", job->state);
  cd_cli_json_add_string (builder, "target_type", job->target_type);
  cd_cli_json_add_string (builder, "target", job->target);
  add_id (builder, "target_id", job->target_id);
  add_id (builder, "instance_id", job->instance_id);
  cd_cli_json_add_string (builder, "initiator", job->initiator);

  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  if (job->parameters != NULL)
    {
      GVariantIter iter;
      const char *key;
      const char *value;

      g_variant_iter_init (&iter, job->parameters);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
        cd_cli_json_add_string (builder, key, value);
    }
  json_builder_end_object (builder);

  add_time (builder, "created", job->created);
  add_time (builder, "started", job->started);
  add_time (builder, "finished", job->finished);
  json_builder_set_member_name (builder, "duration_seconds");
  if (job->started != 0 && job->finished >= job->started)
    json_builder_add_double_value (builder,
                                   (job->finished - job->started) / (double) G_USEC_PER_SEC);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "progress");
  if (job->progress >= 0)
    json_builder_add_double_value (builder, job->progress);
  else
    json_builder_add_null_value (builder);
  cd_cli_json_add_string (builder, "step", job->step);
  cd_cli_json_add_string (builder, "message", job->message);
  cd_cli_json_add_string (builder, "error_action", job->error_action);
}

/* "queued, running, finished, ..." */
static char *
enum_nicks (GType type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  g_autoptr(GString) nicks = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (nicks, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);
  return g_string_free (g_steal_pointer (&nicks), FALSE);
}

/* The values of a repeated option (each may also be a comma-separated list), checked against
 * the nicks of @type. NULL when none were given, or (with @unknown set to it, escaped) when one
 * is none of them. */
static GStrv
parse_names (char  **given,
             GType   type,
             char  **unknown)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  *unknown = NULL;
  if (given == NULL)
    return NULL;

  for (guint i = 0; given[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (given[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          const char *name = g_strstrip (parts[j]);
          int value;

          if (!cd_job_enum_from_string (type, name, &value))
            {
              *unknown = cd_cli_escape (name);
              return NULL;
            }
          g_strv_builder_add (names, name);
        }
    }

  return g_strv_builder_end (names);
}

/* Pads @text to @width characters (not bytes: labels and targets may have accents). */
static void
print_cell (const char *text,
            guint       width)
{
  long length = g_utf8_strlen (text, -1);

  printf ("%s%*s  ", text, (int) MAX (0, (long) width - length), "");
}

enum
{
  COLUMN_ID,
  COLUMN_KIND,
  COLUMN_STATE,
  COLUMN_STARTED,
  COLUMN_DURATION,
  COLUMN_INITIATOR,
  COLUMN_TARGET,
  N_COLUMNS
};

/* One line per job, under a heading, in columns as wide as their widest cell; the target, the
 * last, as it is. Every text from the database is escaped. */
static void
print_table (GPtrArray *jobs)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *headings[N_COLUMNS + 1] = {
    _("ID"), _("KIND"), _("STATE"), _("STARTED (UTC)"), _("DURATION"), _("INITIATED BY"),
    _("TARGET"), NULL
  };
  guint widths[N_COLUMNS] = { 0 };

  g_ptr_array_add (rows, g_strdupv ((char **) headings));
  for (guint i = 0; i < jobs->len; i++)
    {
      CdJobRecord *job = g_ptr_array_index (jobs, i);
      char **row = g_new0 (char *, N_COLUMNS + 1);

      row[COLUMN_ID] = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
      row[COLUMN_KIND] = cd_cli_escape (job->kind);
      row[COLUMN_STATE] = cd_cli_escape (job->state);
      row[COLUMN_STARTED] = _cd_cli_jobs_format_time (job->started);
      if (row[COLUMN_STARTED] == NULL)
        row[COLUMN_STARTED] = g_strdup ("-");
      row[COLUMN_DURATION] = _cd_cli_jobs_format_duration (job);
      if (row[COLUMN_DURATION] == NULL)
        row[COLUMN_DURATION] = g_strdup ("-");
      row[COLUMN_INITIATOR] = cd_cli_escape (job->initiator);
      row[COLUMN_TARGET] = cd_cli_escape (job->target != NULL ? job->target : "");
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i < rows->len; i++)
    for (guint c = 0; c < N_COLUMNS; c++)
      widths[c] = MAX (widths[c],
                       (guint) g_utf8_strlen (((char **) g_ptr_array_index (rows, i))[c], -1));

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < COLUMN_TARGET; c++)
        print_cell (row[c], widths[c]);
      printf ("%s\n", row[COLUMN_TARGET]);
    }
}

static void
print_json (GPtrArray *jobs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; jobs != NULL && i < jobs->len; i++)
    {
      json_builder_begin_object (builder);
      _cd_cli_jobs_add_job_members (builder, g_ptr_array_index (jobs, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  cd_cli_print_json (root);
}

int
_cd_cli_jobs_list (int    argc,
                   char **argv)
{
  g_auto(GStrv) state_options = NULL;
  g_auto(GStrv) kind_options = NULL;
  g_auto(GStrv) states = NULL;
  g_auto(GStrv) kinds = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE;
  g_autofree char *unknown = NULL;
  gboolean missing = FALSE;
  int limit = 0;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  CdJobQuery query = { 0 };
  const GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING_ARRAY, &state_options,
      N_("Only jobs in this state (queued, running, finished, failed, cancelled, interrupted); "
         "repeat it for several"),
      N_("STATE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING_ARRAY, &kind_options,
      N_("Only jobs of this kind (generate-csr, import-keystore, check-hosts, …); repeat it for "
         "several"),
      N_("KIND") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only jobs whose target, kind, message or events contain TEXT"), N_("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most the N newest jobs (0: all)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Lists the jobs Certdesk and certdesk-cli recorded, newest "
                                  "first: number, kind, state, when it started (UTC), how long "
                                  "it ran, who started it, and its target."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      g_autofree char *shown = cd_cli_escape (argv[1]);

      return cd_cli_fail (_("“jobs list” takes options only, not “%s” (see --help)."), shown);
    }
  if (limit < 0)
    return cd_cli_fail (_("--limit takes a number of jobs (0: all of them)."));

  states = parse_names (state_options, CD_TYPE_JOB_STATE, &unknown);
  if (unknown != NULL)
    {
      g_autofree char *valid = enum_nicks (CD_TYPE_JOB_STATE);

      return cd_cli_fail (_("“%s” is not a job state. Use one of: %s."), unknown, valid);
    }
  kinds = parse_names (kind_options, CD_TYPE_JOB_KIND, &unknown);
  if (unknown != NULL)
    {
      g_autofree char *valid = enum_nicks (CD_TYPE_JOB_KIND);

      return cd_cli_fail (_("“%s” is not a job kind. Use one of: %s."), unknown, valid);
    }

  store = _cd_cli_jobs_open_store (&missing);
  if (store == NULL && !missing)
    return CD_CLI_EXIT_USAGE;

  /* no database: nothing was ever recorded, which is no error */
  if (store != NULL)
    {
      query.states = (const char *const *) states;
      query.kinds = (const char *const *) kinds;
      query.search = search;
      query.limit = (guint) limit;
      jobs = cd_store_list_jobs_filtered (store, &query, &error);
      if (jobs == NULL)
        return cd_cli_fail (_("The job history cannot be read: %s"), error->message);
    }

  if (json)
    print_json (jobs);
  else if (jobs != NULL && jobs->len > 0)
    print_table (jobs);

  return CD_CLI_EXIT_OK;
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Subcommand;

static const Subcommand subcommands[] = {
  { "list", _cd_cli_jobs_list, N_("List the recorded jobs, newest first") },
  { "show", _cd_cli_jobs_show, N_("Show a job with its parameters, events and artifacts") },
  { "artifact", _cd_cli_jobs_artifact, N_("Write a file a job kept (a CSR, a keystore)") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _("Usage: certdesk-cli jobs SUBCOMMAND [OPTION…]"),
           _("Subcommands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (out, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].summary));
  fprintf (out, "\n%s\n%s\n",
           _("Run “certdesk-cli jobs SUBCOMMAND --help” for its options. The jobs are those "
             "recorded in Certdesk’s database, which these commands only read."),
           _("Exit status: 0 all is well (also when nothing was recorded yet), 2 bad input or "
             "usage, an unknown job or artifact, or a database that cannot be read."));
}

int
cd_cli_jobs (int    argc,
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
        g_autofree char *prgname = g_strconcat ("certdesk-cli jobs ", argv[1], NULL);

        g_set_prgname (prgname);
        return subcommands[i].run (argc - 1, argv + 1);
      }

  cd_cli_fail (_("“%s” is not a jobs subcommand."), argv[1]);
  print_usage (stderr);
  return CD_CLI_EXIT_USAGE;
}
