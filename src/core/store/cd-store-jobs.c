// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* Jobs with their event logs and artifacts. */

static gboolean
is_job_state (const char *state)
{
  return g_strcmp0 (state, CD_JOB_STATE_QUEUED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_RUNNING) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_FINISHED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_FAILED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_CANCELLED) == 0 ||
         g_strcmp0 (state, CD_JOB_STATE_INTERRUPTED) == 0;
}

static gboolean
is_event_level (const char *level)
{
  return g_strcmp0 (level, "info") == 0 ||
         g_strcmp0 (level, "warning") == 0 ||
         g_strcmp0 (level, "error") == 0;
}

static void
set_job_missing_error (gint64    job_id,
                       GError  **error)
{
  g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
               _("The job #%lld is not in the job history; it may have been "
                 "deleted."),
               (long long) job_id);
}

/* A read-only store of an older schema has no jobs tables: it simply has no jobs. */
static gboolean
has_jobs (CdStore *self)
{
  return self->schema_version >= 2;
}

typedef struct
{
  const char *kind;
  const char *target;
  gint64      instance_id;
  gint64      result;
} AddJobCall;

static gboolean
add_job_on_writer (CdStore       *self,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  AddJobCall *call = data;

  call->result = cd_store_add_job (self, call->kind, call->target, call->instance_id, error);
  return call->result != 0;
}

gint64
cd_store_add_job (CdStore     *self,
                  const char  *kind,
                  const char  *target,
                  gint64       instance_id,
                  GError     **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (kind != NULL && kind[0] != '\0', 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  /* the work below runs on the writer thread */
  if (!cd_store_on_writer_thread (self))
    {
      AddJobCall call = { kind, target, instance_id, 0 };

      return cd_store_write_sync (self, add_job_on_writer, &call, error) ? call.result : 0;
    }

  if (!cd_store_check_writable (self, error))
    return 0;

  stmt = cd_store_prepare (self,
                           "INSERT INTO jobs (kind, target, instance_id, state, created)"
                           " VALUES (?1, ?2, ?3, 'queued', ?4)",
                           error);
  if (stmt == NULL)
    return 0;

  cd_store_bind_text (stmt, 1, kind);
  cd_store_bind_text (stmt, 2, target != NULL ? target : "");
  cd_store_bind_id (stmt, 3, instance_id);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The instance #%lld is not in the inventory; it may have "
                     "been deleted."),
                   (long long) instance_id);
      return 0;
    }
  else if (rc != SQLITE_DONE)
    {
      cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  return sqlite3_last_insert_rowid (cd_store_db (self));
}

typedef struct
{
  gint64      job_id;
  const char *state;
  const char *message;
  gboolean    result;
} SetJobStateCall;

static gboolean
set_job_state_on_writer (CdStore       *self,
                         gpointer       data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SetJobStateCall *call = data;

  call->result = cd_store_set_job_state (self, call->job_id, call->state, call->message, error);
  return call->result;
}

gboolean
cd_store_set_job_state (CdStore     *self,
                        gint64       job_id,
                        const char  *state,
                        const char  *message,
                        GError     **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_job_state (state))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not a job state."), state);
      return FALSE;
    }

  CD_STORE_CHECK_CALLER ();

  /* the work below runs on the writer thread */
  if (!cd_store_on_writer_thread (self))
    {
      SetJobStateCall call = { job_id, state, message, FALSE };

      return cd_store_write_sync (self, set_job_state_on_writer, &call, error) && call.result;
    }

  if (!cd_store_check_writable (self, error))
    return FALSE;

  /* Stamps go on when the job enters a state, not again while it stays there. A NULL
   * message keeps the one the job has. */
  stmt = cd_store_prepare (self,
                           "UPDATE jobs SET"
                           " started = CASE WHEN ?2 = 'running' AND state <> 'running'"
                           "   THEN ?4 ELSE started END,"
                           " finished = CASE"
                           "   WHEN ?2 IN ('finished', 'failed', 'cancelled', 'interrupted')"
                           "    AND state NOT IN ('finished', 'failed', 'cancelled', 'interrupted')"
                           "   THEN ?4 ELSE finished END,"
                           " state = ?2,"
                           " message = coalesce (?3, message)"
                           " WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, job_id);
  cd_store_bind_text (stmt, 2, state);
  cd_store_bind_text (stmt, 3, message);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());

  if (!cd_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (cd_store_db (self)) == 0)
    {
      set_job_missing_error (job_id, error);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  gint64      job_id;
  const char *level;
  const char *message;
  gint64      result;
} AddJobEventCall;

static gboolean
add_job_event_on_writer (CdStore       *self,
                         gpointer       data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  AddJobEventCall *call = data;

  call->result = cd_store_add_job_event (self, call->job_id, call->level, call->message, error);
  return call->result != 0;
}

gint64
cd_store_add_job_event (CdStore     *self,
                        gint64       job_id,
                        const char  *level,
                        const char  *message,
                        GError     **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (level != NULL, 0);
  g_return_val_if_fail (message != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!is_event_level (level))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not an event level: use info, warning or error."), level);
      return 0;
    }

  CD_STORE_CHECK_CALLER ();

  /* the work below runs on the writer thread */
  if (!cd_store_on_writer_thread (self))
    {
      AddJobEventCall call = { job_id, level, message, 0 };

      return cd_store_write_sync (self, add_job_event_on_writer, &call, error) ? call.result : 0;
    }

  if (!cd_store_check_writable (self, error))
    return 0;

  stmt = cd_store_prepare (self,
                           "INSERT INTO job_events (job_id, time, level, message)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  cd_store_bind_text (stmt, 3, level);
  cd_store_bind_text (stmt, 4, message);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      set_job_missing_error (job_id, error);
      return 0;
    }
  else if (rc != SQLITE_DONE)
    {
      cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  return sqlite3_last_insert_rowid (cd_store_db (self));
}

typedef struct
{
  gint64      job_id;
  const char *name;
  const char *media_type;
  GBytes     *content;
  const char *path;
  gint64      result;
} AddJobArtifactCall;

static gboolean
add_job_artifact_on_writer (CdStore       *self,
                            gpointer       data,
                            GCancellable  *cancellable,
                            GError       **error)
{
  AddJobArtifactCall *call = data;

  call->result = cd_store_add_job_artifact (self, call->job_id, call->name, call->media_type,
                                            call->content, call->path, error);
  return call->result != 0;
}

gint64
cd_store_add_job_artifact (CdStore     *self,
                           gint64       job_id,
                           const char  *name,
                           const char  *media_type,
                           GBytes      *content,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (content != NULL || path != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  /* the work below runs on the writer thread */
  if (!cd_store_on_writer_thread (self))
    {
      AddJobArtifactCall call = { job_id, name, media_type, content, path, 0 };

      return cd_store_write_sync (self, add_job_artifact_on_writer, &call, error)
               ? call.result
               : 0;
    }

  if (!cd_store_check_writable (self, error))
    return 0;

  stmt = cd_store_prepare (self,
                           "INSERT INTO job_artifacts (job_id, name, media_type, content, path,"
                           " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, job_id);
  cd_store_bind_text (stmt, 2, name);
  cd_store_bind_text (stmt, 3, media_type != NULL ? media_type : "application/octet-stream");
  cd_store_bind_bytes (stmt, 4, content);
  cd_store_bind_text (stmt, 5, path);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      set_job_missing_error (job_id, error);
      return 0;
    }
  else if (rc != SQLITE_DONE)
    {
      cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  return sqlite3_last_insert_rowid (cd_store_db (self));
}

#define JOB_COLUMNS "id, kind, target, instance_id, state, created, started, finished, message"

static gpointer
job_from_row (sqlite3_stmt *stmt)
{
  CdJobRecord *record = g_new0 (CdJobRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->kind = cd_store_column_dup_text (stmt, 1);
  record->target = cd_store_column_dup_text (stmt, 2);
  record->instance_id = sqlite3_column_int64 (stmt, 3);
  record->state = cd_store_column_dup_text (stmt, 4);
  record->created = sqlite3_column_int64 (stmt, 5);
  record->started = sqlite3_column_int64 (stmt, 6);
  record->finished = sqlite3_column_int64 (stmt, 7);
  record->message = cd_store_column_dup_text (stmt, 8);

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

  if (!has_jobs (self))
    {
      set_job_missing_error (job_id, error);
      return NULL;
    }

  if (!cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = cd_store_prepare (self, "SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return job_from_row (stmt);

  if (rc == SQLITE_DONE)
    set_job_missing_error (job_id, error);
  else
    cd_store_set_sqlite_error (self, rc, error);

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

  if (!has_jobs (self))
    return g_steal_pointer (&jobs);

  if (!cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = cd_store_prepare (self, "SELECT " JOB_COLUMNS " FROM jobs ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  if (!cd_store_collect_rows (self, stmt, jobs, job_from_row, error))
    return NULL;

  return g_steal_pointer (&jobs);
}

static gpointer
job_event_from_row (sqlite3_stmt *stmt)
{
  CdJobEventRecord *record = g_new0 (CdJobEventRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->job_id = sqlite3_column_int64 (stmt, 1);
  record->time = sqlite3_column_int64 (stmt, 2);
  record->level = cd_store_column_dup_text (stmt, 3);
  record->message = cd_store_column_dup_text (stmt, 4);
  return record;
}

static gpointer
job_artifact_from_row (sqlite3_stmt *stmt)
{
  CdJobArtifactRecord *record = g_new0 (CdJobArtifactRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->job_id = sqlite3_column_int64 (stmt, 1);
  record->name = cd_store_column_dup_text (stmt, 2);
  record->media_type = cd_store_column_dup_text (stmt, 3);
  record->content = cd_store_column_dup_bytes (stmt, 4);
  record->path = cd_store_column_dup_text (stmt, 5);
  record->created = sqlite3_column_int64 (stmt, 6);
  return record;
}

GPtrArray *
cd_store_list_job_events (CdStore  *self,
                          gint64    job_id,
                          GError  **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_job_event_record_free);

  if (!has_jobs (self))
    return g_steal_pointer (&events);

  if (!cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = cd_store_prepare (self,
                           "SELECT id, job_id, time, level, message FROM job_events"
                           " WHERE job_id = ?1 ORDER BY time, id",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);

  if (!cd_store_collect_rows (self, stmt, events, job_event_from_row, error))
    return NULL;

  return g_steal_pointer (&events);
}

GPtrArray *
cd_store_list_job_artifacts (CdStore  *self,
                             gint64    job_id,
                             GError  **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  artifacts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_job_artifact_record_free);

  if (!has_jobs (self))
    return g_steal_pointer (&artifacts);

  if (!cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = cd_store_prepare (self,
                           "SELECT id, job_id, name, media_type, content, path, created"
                           " FROM job_artifacts WHERE job_id = ?1 ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);

  if (!cd_store_collect_rows (self, stmt, artifacts, job_artifact_from_row, error))
    return NULL;

  return g_steal_pointer (&artifacts);
}
