// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* Jobs: what each was asked, its state, its progress and its owner. Their events and
 * artifacts are in cd-store-job-log.c. */

void
_cd_store_set_job_missing_error (gint64    job_id,
                                 GError  **error)
{
  g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
               _("The job #%lld is not in the job history; it may have been "
                 "deleted."),
               (long long) job_id);
}

/* A read-only store of an older schema has no jobs tables: it simply has no jobs. */
gboolean
_cd_store_has_jobs (CdStore *self)
{
  return self->schema_version >= 2;
}


gboolean
_cd_store_is_job_state (const char *state)
{
  return g_strcmp0 (state, CD_JOB_STATE_QUEUED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_RUNNING) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_FINISHED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_FAILED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_CANCELLED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_INTERRUPTED) == 0;
}

static gboolean
is_initiator (const char *initiator)
{
  return g_strcmp0 (initiator, "user") == 0 ||
         g_strcmp0 (initiator, "reminder") == 0 ||
         g_strcmp0 (initiator, "command-line") == 0;
}

/* Progress is stored as NULL when unknown (a job that cannot tell how far it is). */
static void
bind_progress (sqlite3_stmt *stmt,
               int           column,
               double        progress)
{
  if (progress < 0 || isnan (progress))
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_double (stmt, column, MIN (progress, 1.0));
}

gint64
cd_store_add_job (CdStore     *self,
                  const char  *kind,
                  const char  *target,
                  gint64       instance_id,
                  GError     **error)
{
  g_autoptr(CdProcessIdentity) owner = cd_process_identity_self ();
  CdJobRecord record = {
    .kind = (char *) kind,
    .target = (char *) target,
    .instance_id = instance_id,
    .state = (char *) CD_JOB_STATE_QUEUED,
    .progress = -1,
    .owner = owner,
  };

  return cd_store_insert_job (self, &record, error);
}

/* What a write of a job takes, on the writer thread. */
typedef struct
{
  const CdJobRecord *record;
  gint64             job_id;
  const char        *state;
  const char        *message;
  const char        *error_action;
  double             progress;
  const char        *step;
} JobWrite;

static gboolean
insert_job_write (CdStore       *self,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  JobWrite *write = data;
  const CdJobRecord *record = write->record;
  g_autoptr(CdStoreStmt) stmt = NULL;
  g_autofree char *parameters = NULL;
  int rc;

  if (record->parameters != NULL)
    parameters = g_variant_print (record->parameters, FALSE);

  stmt = _cd_store_prepare (self,
                            "INSERT INTO jobs (kind, target_type, target_id, target, instance_id,"
                            " initiator, parameters, state, created, progress, step,"
                            " owner_pid, owner_boot_id, owner_start_time, owner_host)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                            " ?15)",
                            error);
  if (stmt == NULL)
    return FALSE;

  _cd_store_bind_text (stmt, 1, record->kind);
  _cd_store_bind_text (stmt, 2, record->target_type != NULL ? record->target_type : "");
  _cd_store_bind_id (stmt, 3, record->target_id);
  _cd_store_bind_text (stmt, 4, record->target != NULL ? record->target : "");
  _cd_store_bind_id (stmt, 5, record->instance_id);
  _cd_store_bind_text (stmt, 6, record->initiator != NULL ? record->initiator : "user");
  _cd_store_bind_text (stmt, 7, parameters);
  _cd_store_bind_text (stmt, 8, record->state != NULL ? record->state : CD_JOB_STATE_QUEUED);
  sqlite3_bind_int64 (stmt, 9, record->created != 0 ? record->created : g_get_real_time ());
  bind_progress (stmt, 10, record->progress);
  _cd_store_bind_text (stmt, 11, record->step);
  if (record->owner != NULL)
    {
      sqlite3_bind_int64 (stmt, 12, record->owner->pid);
      _cd_store_bind_text (stmt, 13, record->owner->boot_id);
      sqlite3_bind_int64 (stmt, 14, (sqlite3_int64) record->owner->start_time);
      _cd_store_bind_text (stmt, 15, record->owner->host);
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The instance #%lld is not in the inventory; it may have "
                     "been deleted."),
                   (long long) record->instance_id);
      return FALSE;
    }
  else if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  write->job_id = sqlite3_last_insert_rowid (_cd_store_db (self));
  return TRUE;
}

gint64
cd_store_insert_job (CdStore            *self,
                     const CdJobRecord  *record,
                     GError            **error)
{
  JobWrite write = { .record = record };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (record->kind != NULL && record->kind[0] != '\0', 0);
  g_return_val_if_fail (record->parameters == NULL ||
                        g_variant_is_of_type (record->parameters, G_VARIANT_TYPE ("a{ss}")), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (record->initiator != NULL && !is_initiator (record->initiator))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not a job initiator: use user, reminder or command-line."),
                   record->initiator);
      return 0;
    }
  if (record->state != NULL && !_cd_store_is_job_state (record->state))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not a job state."), record->state);
      return 0;
    }

  if (!_cd_store_write_sync (self, insert_job_write, &write, error))
    return 0;
  return write.job_id;
}

/* A write that changes one job: the job must be there. */
static gboolean
step_job_update (CdStore       *self,
                 sqlite3_stmt  *stmt,
                 gint64         job_id,
                 GError       **error)
{
  if (!_cd_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cd_store_db (self)) == 0)
    {
      _cd_store_set_job_missing_error (job_id, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_job_outcome_write (CdStore       *self,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  JobWrite *write = data;
  g_autoptr(CdStoreStmt) stmt = NULL;

  /* Stamps go on when the job enters a state, not again while it stays there. A NULL
   * message or action keeps the one the job has; a job that ends well has done all of its
   * work. */
  stmt = _cd_store_prepare (self,
                            "UPDATE jobs SET"
                            " started = CASE WHEN ?2 = 'running' AND state <> 'running'"
                            "   THEN ?4 ELSE started END,"
                            " finished = CASE"
                            "   WHEN ?2 IN ('finished', 'failed', 'cancelled', 'interrupted')"
                            "    AND state NOT IN ('finished', 'failed', 'cancelled', 'interrupted')"
                            "   THEN ?4 ELSE finished END,"
                            " state = ?2,"
                            " progress = CASE WHEN ?2 = 'finished' THEN 1.0 ELSE progress END,"
                            " message = coalesce (?3, message),"
                            " error_action = coalesce (?5, error_action)"
                            " WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->job_id);
  _cd_store_bind_text (stmt, 2, write->state);
  _cd_store_bind_text (stmt, 3, write->message);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  _cd_store_bind_text (stmt, 5, write->error_action);

  return step_job_update (self, stmt, write->job_id, error);
}

gboolean
cd_store_set_job_state (CdStore     *self,
                        gint64       job_id,
                        const char  *state,
                        const char  *message,
                        GError     **error)
{
  return cd_store_set_job_outcome (self, job_id, state, message, NULL, error);
}

gboolean
cd_store_set_job_outcome (CdStore     *self,
                          gint64       job_id,
                          const char  *state,
                          const char  *message,
                          const char  *error_action,
                          GError     **error)
{
  JobWrite write = { .job_id = job_id, .state = state, .message = message,
                     .error_action = error_action };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_is_job_state (state))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not a job state."), state);
      return FALSE;
    }

  return _cd_store_write_sync (self, set_job_outcome_write, &write, error);
}

static gboolean
set_job_progress_write (CdStore       *self,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  JobWrite *write = data;
  g_autoptr(CdStoreStmt) stmt = NULL;

  stmt = _cd_store_prepare (self, "UPDATE jobs SET progress = ?2, step = ?3 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->job_id);
  bind_progress (stmt, 2, write->progress);
  _cd_store_bind_text (stmt, 3, write->step);

  return step_job_update (self, stmt, write->job_id, error);
}

gboolean
cd_store_set_job_progress (CdStore     *self,
                           gint64       job_id,
                           double       progress,
                           const char  *step,
                           GError     **error)
{
  JobWrite write = { .job_id = job_id, .progress = progress, .step = step };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, set_job_progress_write, &write, error);
}

/* Parameters are stored as GVariant text; anything else reads as none. */
static GVariant *
parse_parameters (const char *text)
{
  g_autoptr(GVariant) value = NULL;

  value = g_variant_parse (G_VARIANT_TYPE ("a{ss}"), text, NULL, NULL, NULL);
  return value != NULL ? g_variant_ref_sink (g_steal_pointer (&value)) : NULL;
}

gpointer
_cd_store_job_from_row (sqlite3_stmt *stmt)
{
  CdJobRecord *record = g_new0 (CdJobRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->kind = _cd_store_column_dup_text (stmt, 1);
  record->target = _cd_store_column_dup_text (stmt, 2);
  record->instance_id = sqlite3_column_int64 (stmt, 3);
  record->state = _cd_store_column_dup_text (stmt, 4);
  record->created = sqlite3_column_int64 (stmt, 5);
  record->started = sqlite3_column_int64 (stmt, 6);
  record->finished = sqlite3_column_int64 (stmt, 7);
  record->message = _cd_store_column_dup_text (stmt, 8);
  record->target_type = _cd_store_column_dup_text (stmt, 9);
  record->target_id = sqlite3_column_int64 (stmt, 10);
  record->initiator = _cd_store_column_dup_text (stmt, 11);
  if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
    record->parameters = parse_parameters ((const char *) sqlite3_column_text (stmt, 12));
  record->progress = sqlite3_column_type (stmt, 13) == SQLITE_NULL
                       ? -1 : sqlite3_column_double (stmt, 13);
  record->step = _cd_store_column_dup_text (stmt, 14);
  record->error_action = _cd_store_column_dup_text (stmt, 15);
  if (sqlite3_column_type (stmt, 16) != SQLITE_NULL)
    {
      record->owner = g_new0 (CdProcessIdentity, 1);
      record->owner->pid = sqlite3_column_int64 (stmt, 16);
      record->owner->boot_id = _cd_store_column_dup_text (stmt, 17);
      record->owner->start_time = (guint64) sqlite3_column_int64 (stmt, 18);
      record->owner->host = _cd_store_column_dup_text (stmt, 19);
    }

  return record;
}

CdJobRecord *
cd_store_get_job (CdStore  *self,
                  gint64    job_id,
                  GError  **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_has_jobs (self))
    {
      _cd_store_set_job_missing_error (job_id, error);
      return NULL;
    }

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  /* the statement cache keeps the SQL text: literals only */
  stmt = _cd_store_prepare (self,
                           _cd_store_has_job_runner_columns (self)
                             ? "SELECT " CD_STORE_JOB_COLUMNS " FROM jobs WHERE id = ?1"
                             : "SELECT " CD_STORE_JOB_COLUMNS_OLD " FROM jobs WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _cd_store_job_from_row (stmt);

  if (rc == SQLITE_DONE)
    _cd_store_set_job_missing_error (job_id, error);
  else
    _cd_store_set_sqlite_error (self, rc, error);

  return NULL;
}

GPtrArray *
cd_store_list_jobs (CdStore  *self,
                    GError  **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_job_record_free);

  if (!_cd_store_has_jobs (self))
    return g_steal_pointer (&jobs);

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = _cd_store_prepare (self,
                           _cd_store_has_job_runner_columns (self)
                             ? "SELECT " CD_STORE_JOB_COLUMNS " FROM jobs ORDER BY id"
                             : "SELECT " CD_STORE_JOB_COLUMNS_OLD " FROM jobs ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;

  if (!_cd_store_collect_rows (self, stmt, jobs, _cd_store_job_from_row, error))
    return NULL;

  return g_steal_pointer (&jobs);
}

/* Retention. A batch deletes this many jobs (with their events and artifacts, and their rows
 * of the search index) in one transaction: a fraction of a second of the write lock at a time
 * (tests/bench/bench-job-queries.c), most of it the search index's, so that the runner,
 * another window and certdesk-cli get their turn between batches. */
#define RETENTION_BATCH 500

typedef struct
{
  gint64   before;
  gint64   after_id;   /* the jobs up to this id were looked at by the batches before */
  guint    n_deleted;  /* by the last batch */
  gboolean done;
} RetentionBatch;

static gboolean
delete_jobs_batch_write (CdStore       *self,
                         gpointer       data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  RetentionBatch *batch = data;
  g_autoptr(CdStoreStmt) select = NULL;
  g_autoptr(CdStoreStmt) delete_job = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  /* In id order from where the last batch stopped, so that the jobs kept are read once: the
   * unary + keeps SQLite from reading the ended jobs through jobs_state_created, almost the
   * whole history, to sort them by id for each batch. The newest CSR of each target is kept:
   * among the finished CSR jobs with a CSR artifact, found from the artifacts (few) rather
   * than the jobs, the one that finished last (else was created last), whatever its age. It
   * is found again in each batch, since the runner may have added a newer one meanwhile. */
  select = _cd_store_prepare (self,
                              "SELECT id FROM jobs"
                              " WHERE id > ?2"
                              "  AND +state IN ('finished', 'failed', 'cancelled', 'interrupted')"
                              "  AND coalesce (nullif (finished, 0), created) < ?1"
                              "  AND id NOT IN (SELECT id FROM (SELECT jobs.id,"
                              "   row_number () OVER ("
                              "    PARTITION BY target_type, target_id, target"
                              "    ORDER BY coalesce (nullif (finished, 0), created) DESC,"
                              "     jobs.id DESC"
                              "   ) AS newest"
                              "   FROM (SELECT DISTINCT job_id FROM job_artifacts"
                              "    WHERE media_type = 'application/pkcs10') AS csr"
                              "   CROSS JOIN jobs ON jobs.id = csr.job_id"
                              "   WHERE kind IN ('generate-csr', 'renew-certificate')"
                              "    AND state = 'finished')"
                              "   WHERE newest = 1)"
                              " ORDER BY id LIMIT ?3",
                              error);
  if (select == NULL)
    return FALSE;
  delete_job = _cd_store_prepare (self, "DELETE FROM jobs WHERE id = ?1", error);
  if (delete_job == NULL)
    return FALSE;

  if (!_cd_store_begin (self, error))
    return FALSE;

  sqlite3_bind_int64 (select, 1, batch->before);
  sqlite3_bind_int64 (select, 2, batch->after_id);
  sqlite3_bind_int64 (select, 3, RETENTION_BATCH);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      _cd_store_rollback (self);
      return FALSE;
    }
  sqlite3_reset (select);

  /* their events and artifacts go with them (ON DELETE CASCADE), and with those their rows
   * of the search index (triggers) */
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_bind_int64 (delete_job, 1, g_array_index (ids, gint64, i));
      if (!_cd_store_step_done (self, delete_job, error))
        {
          _cd_store_rollback (self);
          return FALSE;
        }
      sqlite3_reset (delete_job);
    }

  if (!_cd_store_commit (self, error))
    return FALSE;

  batch->n_deleted = ids->len;
  batch->done = ids->len < RETENTION_BATCH;
  if (ids->len > 0)
    batch->after_id = g_array_index (ids, gint64, ids->len - 1);
  return TRUE;
}

gboolean
cd_store_delete_jobs_before (CdStore       *self,
                             gint64         before,
                             GCancellable  *cancellable,
                             guint         *out_n_deleted,
                             GError       **error)
{
  RetentionBatch batch = { .before = before };
  guint n_deleted = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  /* Each batch is a write of its own: the writes this process asks for meanwhile (the
   * runner's progress, a new job) queue between two batches, not behind all of them. */
  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !_cd_store_write_sync (self, delete_jobs_batch_write, &batch, error))
        {
          ok = FALSE;
          break;
        }
      n_deleted += batch.n_deleted;
    }
  while (!batch.done);

  if (out_n_deleted != NULL)
    *out_n_deleted = n_deleted;

  if (n_deleted > 0)
    g_debug ("Deleted %u job(s) of %s that ended before %" G_GINT64_FORMAT,
             n_deleted, self->path, before);

  return ok;
}
