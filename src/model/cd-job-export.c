// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-error.h"
#include "cd-job-export.h"
#include "cd-job-labels.h"
#include "cd-safe-file.h"

/* The job history as CSV. The rows are read a page at a time: a page costs what its offset
 * and limit cost, and a history of 200,000 jobs is a few hundred pages. */

#define PAGE_SIZE 1000

/* One cell, after a comma unless it is the first of its row. */
static void
append_cell (GString    *csv,
             const char *text,
             gboolean    first)
{
  g_autofree char *valid = NULL;
  gboolean guard;

  if (!first)
    g_string_append_c (csv, ',');
  if (text == NULL || text[0] == '\0')
    return;

  /* the database keeps whatever a job was given: the file is UTF-8 all the same */
  valid = g_utf8_make_valid (text, -1);
  /* A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): an
   * apostrophe makes it text, and shows as nothing in the cell. */
  guard = strchr ("=+-@\t\r", valid[0]) != NULL;

  if (strpbrk (valid, "\",\r\n") == NULL)
    {
      if (guard)
        g_string_append_c (csv, '\'');
      g_string_append (csv, valid);
      return;
    }

  g_string_append_c (csv, '"');
  if (guard)
    g_string_append_c (csv, '\'');
  for (const char *c = valid; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append_c (csv, '"');
}

static void
end_row (GString *csv)
{
  g_string_append (csv, "\r\n");
}

static void
append_header (GString *csv)
{
  const char *const columns[] = {
    /* TRANSLATORS: the column headers of the job history exported as CSV. "Number" is the
     * job's number, as the Job Logs show it: "#42". The context keeps them apart from the
     * same words elsewhere: "Finished" here is when a job ended, not its state. */
    C_("CSV column", "Number"),
    /* TRANSLATORS: the kind of job as stored, "generate-csr" */
    C_("CSV column", "Kind"),
    /* TRANSLATORS: the kind of job as the Job Logs show it, "Generate CSR" */
    C_("CSV column", "Kind Title"),
    /* TRANSLATORS: what a job acts on, as stored: "subdomain", "host", "keystore" */
    C_("CSV column", "Target Type"),
    /* TRANSLATORS: what a job acts on: "mail.brand.com", "em3" */
    C_("CSV column", "Target"),
    /* TRANSLATORS: the state of a job as stored, "finished" */
    C_("CSV column", "State"),
    /* TRANSLATORS: the state of a job as the Job Logs show it, "Finished" */
    C_("CSV column", "State Title"),
    /* TRANSLATORS: when the job was asked for */
    C_("CSV column", "Created"),
    /* TRANSLATORS: when the job started to run */
    C_("CSV column", "Started"),
    /* TRANSLATORS: when the job ended, however it ended */
    C_("CSV column", "Finished"),
    /* TRANSLATORS: how long the job ran, in seconds */
    C_("CSV column", "Duration (s)"),
    /* TRANSLATORS: who started the job, as stored: "user", "reminder", "command-line" */
    C_("CSV column", "Initiator"),
    /* TRANSLATORS: the outcome of the job in one sentence */
    C_("CSV column", "Message"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    append_cell (csv, columns[i], i == 0);
  end_row (csv);
}

/* Seconds with a decimal point whatever the locale, "12.345"; NULL until the job has ended. */
static char *
format_duration (const CdJobRecord *job)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (job->started == 0 || job->finished == 0 || job->finished < job->started)
    return NULL;
  g_ascii_formatd (buffer, sizeof buffer, "%.3f",
                   (job->finished - job->started) / (double) G_USEC_PER_SEC);
  return g_strdup (buffer);
}

static void
append_job (GString           *csv,
            const CdJobRecord *job)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  g_autofree char *created = cd_record_time_format_iso (job->created);
  g_autofree char *started = cd_record_time_format_iso (job->started);
  g_autofree char *finished = cd_record_time_format_iso (job->finished);
  g_autofree char *duration = format_duration (job);

  append_cell (csv, number, TRUE);
  append_cell (csv, job->kind, FALSE);
  append_cell (csv, cd_job_kind_get_title (job->kind), FALSE);
  append_cell (csv, job->target_type, FALSE);
  append_cell (csv, job->target, FALSE);
  append_cell (csv, job->state, FALSE);
  append_cell (csv, cd_job_state_get_title (job->state), FALSE);
  append_cell (csv, created, FALSE);
  append_cell (csv, started, FALSE);
  append_cell (csv, finished, FALSE);
  append_cell (csv, duration, FALSE);
  append_cell (csv, job->initiator, FALSE);
  append_cell (csv, job->message, FALSE);
  end_row (csv);
}

GBytes *
cd_job_export_csv (CdStore           *store,
                   const CdJobQuery  *query,
                   GCancellable      *cancellable,
                   guint             *out_n_jobs,
                   GError           **error)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  /* ids written, as gint64 *: a job that moves between two pages is written once */
  g_autoptr(GHashTable) written = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  CdJobQuery page = { 0 };
  gint64 now = g_get_real_time ();
  guint offset = 0;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_n_jobs != NULL)
    *out_n_jobs = 0;

  if (query != NULL)
    page = *query;
  /* Jobs started while the export runs come first in the newest-first order and would push
   * rows already written onto the next page: the export is of the jobs there were when it
   * began. */
  if (page.created_until == 0 || page.created_until > now)
    page.created_until = now + 1;
  page.limit = PAGE_SIZE;

  append_header (csv);

  for (;;)
    {
      g_autoptr(GPtrArray) jobs = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      page.offset = offset;
      jobs = cd_store_list_jobs_filtered (store, &page, error);
      if (jobs == NULL)
        return NULL;

      for (guint i = 0; i < jobs->len; i++)
        {
          const CdJobRecord *job = g_ptr_array_index (jobs, i);

          if (!g_hash_table_add (written, g_memdup2 (&job->id, sizeof job->id)))
            continue;
          append_job (csv, job);
        }

      if (jobs->len < PAGE_SIZE)
        break;
      offset += jobs->len;
    }

  if (out_n_jobs != NULL)
    *out_n_jobs = g_hash_table_size (written);
  return g_string_free_to_bytes (g_steal_pointer (&csv));
}

typedef struct
{
  CdStore    *store;
  CdJobQuery *query;
  GFile      *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->store);
  g_clear_pointer (&data->query, cd_job_query_free);
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;
  const char *path = g_file_peek_path (data->file);
  gconstpointer bytes;
  gsize length;
  guint n_jobs = 0;

  if (path == NULL)
    {
      g_autofree char *shown = g_file_get_parse_name (data->file);

      g_task_return_new_error (task, CD_ERROR, CD_ERROR_IO,
                               _("“%s” is not a file on this computer: choose a local file."),
                               shown);
      return;
    }

  csv = cd_job_export_csv (data->store, data->query, cancellable, &n_jobs, &error);
  if (csv == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* the history holds nothing secret (parameters, which could come closest, are not
   * exported): a new file gets the mode the umask allows, as a spreadsheet's would */
  bytes = g_bytes_get_data (csv, &length);
  if (!cd_safe_file_write (path, bytes, length, CD_SAFE_FILE_PUBLIC, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, n_jobs);
}

void
cd_job_export_csv_async (CdStore             *store,
                         const CdJobQuery    *query,
                         GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (CD_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ExportData, 1);
  data->store = g_object_ref (store);
  data->query = query != NULL ? cd_job_query_copy (query) : NULL;
  data->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_job_export_csv_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
cd_job_export_csv_finish (GAsyncResult  *result,
                          guint         *out_n_jobs,
                          GError       **error)
{
  gssize n_jobs;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_job_export_csv_async,
                        FALSE);

  n_jobs = g_task_propagate_int (G_TASK (result), error);
  if (out_n_jobs != NULL)
    *out_n_jobs = n_jobs >= 0 ? (guint) n_jobs : 0;
  return n_jobs >= 0;
}
