// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-cli-job-log-private.h"
#include "cd-error.h"
#include "cd-file-util.h"
#include "cd-safe-file.h"

/* certdesk-cli jobs show|artifact: one job of the history, and the files it kept. */

/* The job @id_text names, with the store it is read from; NULL, with the reason on stderr,
 * when there is no such job. */
static CdJobRecord *
load_job (const char  *id_text,
          CdStore    **store_out)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CdJobRecord *job;
  gboolean missing;
  gint64 id;

  if (!_cd_cli_jobs_parse_id (id_text, &id))
    return NULL;

  store = _cd_cli_jobs_open_store (&missing);
  if (store == NULL)
    {
      if (missing)
        cd_cli_fail (_("There is no job %lld: no job has been recorded yet."), (long long) id);
      return NULL;
    }

  job = cd_store_get_job (store, id, &error);
  if (job == NULL)
    {
      if (g_error_matches (error, CD_ERROR, CD_ERROR_NOT_FOUND))
        cd_cli_fail (_("There is no job %lld in the job history: “certdesk-cli jobs list” shows "
                       "the jobs there are."),
                     (long long) id);
      else
        cd_cli_fail (_("The job history cannot be read: %s"), error->message);
      return NULL;
    }

  *store_out = g_steal_pointer (&store);
  return job;
}

/* "  Label:        value", the values aligned whatever the label's length in characters.
 * @value is shown escaped; nothing is printed when it is NULL. */
static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *shown = cd_cli_escape (value);
  long width = g_utf8_strlen (label, -1);

  if (shown == NULL)
    return;
  printf ("  %s%*s %s\n", label, (int) MAX (0, 15 - width), "", shown);
}

static void
print_time_field (const char *label,
                  gint64      time)
{
  g_autofree char *text = _cd_cli_jobs_format_time (time);

  print_field (label, text != NULL ? text : "-");
}

static char *
describe_artifact (const CdJobArtifactRecord *artifact)
{
  g_autofree char *path = NULL;

  if (artifact->content != NULL)
    {
      gsize size = g_bytes_get_size (artifact->content);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu byte", "%lu bytes", size),
                              (unsigned long) size);
    }

  path = cd_cli_escape (artifact->path);
  if (!g_file_test (artifact->path, G_FILE_TEST_EXISTS))
    /* TRANSLATORS: an artifact that is a file a job wrote, which has gone since */
    return g_strdup_printf (_("file %s (no longer exists)"), path);
  /* TRANSLATORS: an artifact that is a file a job wrote, by its path */
  return g_strdup_printf (_("file %s"), path);
}

static void
print_job_text (const CdJobRecord *job,
                GPtrArray         *events,
                GPtrArray         *artifacts)
{
  g_autofree char *duration = _cd_cli_jobs_format_duration (job);

  printf (_("Job %lld\n"), (long long) job->id);
  print_field (_("Kind:"), job->kind);
  print_field (_("State:"), job->state);
  if (job->target_type != NULL && job->target_type[0] != '\0')
    {
      /* TRANSLATORS: a job's target and what it is: "/etc/ssl/cacerts (keystore)" */
      g_autofree char *target = g_strdup_printf (_("%s (%s)"), job->target, job->target_type);

      print_field (_("Target:"), target);
    }
  else
    print_field (_("Target:"), job->target);
  if (job->instance_id != 0)
    {
      g_autofree char *instance = g_strdup_printf ("%lld", (long long) job->instance_id);

      print_field (_("Instance:"), instance);
    }
  print_field (_("Initiated by:"), job->initiator);
  print_time_field (_("Created:"), job->created);
  print_time_field (_("Started:"), job->started);
  print_time_field (_("Finished:"), job->finished);
  print_field (_("Duration:"), duration);
  if (job->finished == 0 && job->progress >= 0)
    {
      g_autofree char *progress = g_strdup_printf ("%d %%", (int) (job->progress * 100 + 0.5));

      print_field (_("Progress:"), progress);
    }
  if (job->finished == 0)
    print_field (_("Step:"), job->step);
  print_field (_("Message:"), job->message);
  print_field (_("What to do:"), job->error_action);
  if (job->owner != NULL)
    {
      /* TRANSLATORS: the process that ran a job: its id and the machine */
      g_autofree char *owner = g_strdup_printf (_("%lld on %s"), (long long) job->owner->pid,
                                                job->owner->host != NULL ? job->owner->host
                                                                         : "?");

      print_field (_("Process:"), owner);
    }

  if (job->parameters != NULL && g_variant_n_children (job->parameters) > 0)
    {
      GVariantIter iter;
      const char *key;
      const char *value;

      printf ("%s\n", _("Parameters:"));
      g_variant_iter_init (&iter, job->parameters);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
        {
          g_autofree char *shown_key = cd_cli_escape (key);
          g_autofree char *shown_value = cd_cli_escape (value);

          printf ("  %s = %s\n", shown_key, shown_value);
        }
    }

  printf ("%s\n", _("Events:"));
  if (events->len == 0)
    printf ("  %s\n", _("none"));
  for (guint i = 0; i < events->len; i++)
    {
      CdJobEventRecord *event = g_ptr_array_index (events, i);
      g_autofree char *time = _cd_cli_jobs_format_time (event->time);
      g_autofree char *level = cd_cli_escape (event->level);
      g_autofree char *message = cd_cli_escape (event->message);

      printf ("  %s  %-7s  %s\n", time != NULL ? time : "-", level, message);
    }

  printf ("%s\n", _("Artifacts:"));
  if (artifacts->len == 0)
    printf ("  %s\n", _("none"));
  for (guint i = 0; i < artifacts->len; i++)
    {
      CdJobArtifactRecord *artifact = g_ptr_array_index (artifacts, i);
      g_autofree char *name = cd_cli_escape (artifact->name);
      g_autofree char *media_type = cd_cli_escape (artifact->media_type);
      g_autofree char *what = describe_artifact (artifact);

      printf ("  %s  %s  %s\n", name, media_type, what);
    }
}

static void
print_job_json (const CdJobRecord *job,
                GPtrArray         *events,
                GPtrArray         *artifacts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  _cd_cli_jobs_add_job_members (builder, job);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      CdJobEventRecord *event = g_ptr_array_index (events, i);
      g_autofree char *time = _cd_cli_jobs_format_time (event->time);

      json_builder_begin_object (builder);
      cd_cli_json_add_string (builder, "time", time);
      cd_cli_json_add_string (builder, "level", event->level);
      cd_cli_json_add_string (builder, "message", event->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "artifacts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < artifacts->len; i++)
    {
      CdJobArtifactRecord *artifact = g_ptr_array_index (artifacts, i);
      g_autofree char *created = _cd_cli_jobs_format_time (artifact->created);

      json_builder_begin_object (builder);
      cd_cli_json_add_string (builder, "name", artifact->name);
      cd_cli_json_add_string (builder, "media_type", artifact->media_type);
      json_builder_set_member_name (builder, "size");
      if (artifact->content != NULL)
        json_builder_add_int_value (builder, g_bytes_get_size (artifact->content));
      else
        json_builder_add_null_value (builder);
      cd_cli_json_add_string (builder, "path", artifact->path);
      cd_cli_json_add_string (builder, "created", created);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  cd_cli_print_json (root);
}

int
_cd_cli_jobs_show (int    argc,
                   char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ID"));
  g_option_context_set_summary (context,
                                _("Shows a job: what it did and to what, who started it, when, "
                                  "how it ended and what to do about a failure, its parameters, "
                                  "its events and its artifacts."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc != 2)
    return cd_cli_fail (_("Name one job to show by its number: “certdesk-cli jobs show ID”."));

  job = load_job (argv[1], &store);
  if (job == NULL)
    return CD_CLI_EXIT_USAGE;

  events = cd_store_list_job_events (store, job->id, &error);
  if (events != NULL)
    artifacts = cd_store_list_job_artifacts (store, job->id, &error);
  if (artifacts == NULL)
    return cd_cli_fail (_("The job history cannot be read: %s"), error->message);

  if (json)
    print_job_json (job, events, artifacts);
  else
    print_job_text (job, events, artifacts);
  return CD_CLI_EXIT_OK;
}

/* "a.csr, b.p12", escaped. */
static char *
artifact_names (GPtrArray *artifacts)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < artifacts->len; i++)
    {
      g_autofree char *name =
        cd_cli_escape (((CdJobArtifactRecord *) g_ptr_array_index (artifacts, i))->name);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The bytes of the file @artifact is, as they are now. NULL, with the reason on stderr, when
 * it cannot be read. @private is set when only its owner may read it. */
static GBytes *
read_artifact_file (const CdJobRecord         *job,
                    const CdJobArtifactRecord *artifact,
                    gboolean                  *private)
{
  g_autofree char *path = cd_cli_escape (artifact->path);
  g_autoptr(GBytes) bytes = NULL;
  struct stat st;
  int errsv;

  if (!g_path_is_absolute (artifact->path))
    cd_cli_warn (_("Job %lld recorded “%s” relative to the folder it ran in: it is read from the "
                   "current folder."),
                 (long long) job->id, path);

  bytes = cd_file_read_regular (artifact->path, CD_JOB_ARTIFACT_MAX_FILE_SIZE, NULL, &st);
  if (bytes == NULL)
    {
      errsv = errno;
      if (errsv == ENOENT)
        cd_cli_fail (_("“%s”, the file job %lld wrote, no longer exists: it was moved or deleted "
                       "after the job."),
                     path, (long long) job->id);
      else if (errsv == EINVAL)
        cd_cli_fail (_("“%s”, the file job %lld wrote, is no longer a file."), path,
                     (long long) job->id);
      else if (errsv == EFBIG)
        cd_cli_fail (_("“%s” is larger than %d MiB, far more than the file job %lld wrote: check "
                       "what replaced it."),
                     path, CD_JOB_ARTIFACT_MAX_FILE_SIZE / (1024 * 1024), (long long) job->id);
      else
        cd_cli_fail (_("“%s”, the file job %lld wrote, cannot be read: %s."), path,
                     (long long) job->id, g_strerror (errsv));
      return NULL;
    }

  *private = (st.st_mode & 077) == 0;
  /* the job wrote it before it finished; a later time is another writer's */
  if (job->finished != 0 && cd_record_time_from_unix (st.st_mtime) > job->finished)
    {
      g_autofree char *finished = _cd_cli_jobs_format_time (job->finished);

      cd_cli_warn (_("“%s” was changed after job %lld finished (%s): these are its bytes as they "
                     "are now."),
                   path, (long long) job->id, finished);
    }

  return g_steal_pointer (&bytes);
}

int
_cd_cli_jobs_artifact (int    argc,
                       char **argv)
{
  g_autofree char *out_path = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  CdJobArtifactRecord *artifact = NULL;
  gboolean private = FALSE;
  const char *data;
  gsize length;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path,
      N_("Write the artifact to FILE (“-”: standard output)"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("ID NAME"));
  g_option_context_set_summary (context,
                                _("Writes a file a job kept, byte for byte as Certdesk offers it "
                                  "for download: a CSR as it was generated, or the keystore a job "
                                  "wrote as that file is now."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc != 3)
    return cd_cli_fail (_("Name the job and its artifact: “certdesk-cli jobs artifact ID NAME "
                          "--out FILE”; “certdesk-cli jobs show ID” lists its artifacts."));
  if (out_path == NULL)
    return cd_cli_fail (_("Say where to write the artifact with --out FILE (“-”: standard "
                          "output)."));

  job = load_job (argv[1], &store);
  if (job == NULL)
    return CD_CLI_EXIT_USAGE;

  artifacts = cd_store_list_job_artifacts (store, job->id, &error);
  if (artifacts == NULL)
    return cd_cli_fail (_("The job history cannot be read: %s"), error->message);

  name = cd_cli_escape (argv[2]);
  for (guint i = 0; i < artifacts->len && artifact == NULL; i++)
    if (g_strcmp0 (((CdJobArtifactRecord *) g_ptr_array_index (artifacts, i))->name,
                   argv[2]) == 0)
      artifact = g_ptr_array_index (artifacts, i);
  if (artifact == NULL && artifacts->len == 0)
    return cd_cli_fail (_("Job %lld has no artifact “%s”: it kept none."), (long long) job->id,
                        name);
  if (artifact == NULL)
    {
      g_autofree char *names = artifact_names (artifacts);

      return cd_cli_fail (_("Job %lld has no artifact “%s”. Its artifacts: %s."),
                          (long long) job->id, name, names);
    }

  if (artifact->content != NULL)
    bytes = g_bytes_ref (artifact->content);
  else
    {
      if (!g_str_equal (out_path, "-") && cd_file_same_entry (out_path, artifact->path))
        return cd_cli_fail (_("“%s” is the artifact’s file itself: write the copy to another "
                              "file."),
                            out_path);
      bytes = read_artifact_file (job, artifact, &private);
      if (bytes == NULL)
        return CD_CLI_EXIT_USAGE;
    }
  data = g_bytes_get_data (bytes, &length);

  if (g_str_equal (out_path, "-"))
    {
      /* a keystore's bytes would be taken as orders by the terminal */
      if (isatty (STDOUT_FILENO) && !cd_cli_is_terminal_safe (data, length))
        return cd_cli_fail (_("“%s” is binary: write it to a file with --out FILE, or send "
                              "standard output to a file or a program."),
                            name);
      if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
        return cd_cli_fail (_("The artifact could not be written to standard output: %s."),
                            g_strerror (errno));
      return CD_CLI_EXIT_OK;
    }

  /* A copy of a file only its owner may read (a keystore with a private key) is made the
   * same way; a CSR or certificates get the mode the umask allows, as other tools give them. */
  if (!cd_safe_file_write (out_path, data, length,
                           private ? CD_SAFE_FILE_DEFAULT : CD_SAFE_FILE_PUBLIC,
                           NULL, NULL, &error))
    return cd_cli_fail ("%s", error->message);

  printf (g_dngettext (GETTEXT_PACKAGE, "Wrote “%s” of job %lld (%lu byte) to “%s”.\n",
                       "Wrote “%s” of job %lld (%lu bytes) to “%s”.\n", length),
          name, (long long) job->id, (unsigned long) length, out_path);
  return CD_CLI_EXIT_OK;
}
