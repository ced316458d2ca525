// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* A job's log: its events and its artifacts. */

static gboolean
is_event_level (const char *level)
{
  return g_strcmp0 (level, "info") == 0 ||
         g_strcmp0 (level, "warning") == 0 ||
         g_strcmp0 (level, "error") == 0;
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
  if (!_cd_store_on_writer_thread (self))
    {
      AddJobEventCall call = { job_id, level, message, 0 };

      return _cd_store_write_sync (self, add_job_event_on_writer, &call, error) ? call.result : 0;
    }

  if (!_cd_store_check_writable (self, error))
    return 0;

  stmt = _cd_store_prepare (self,
                           "INSERT INTO job_events (job_id, time, level, message)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  _cd_store_bind_text (stmt, 3, level);
  _cd_store_bind_text (stmt, 4, message);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      _cd_store_set_job_missing_error (job_id, error);
      return 0;
    }
  else if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  return sqlite3_last_insert_rowid (_cd_store_db (self));
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
  if (!_cd_store_on_writer_thread (self))
    {
      AddJobArtifactCall call = { job_id, name, media_type, content, path, 0 };

      return _cd_store_write_sync (self, add_job_artifact_on_writer, &call, error)
               ? call.result
               : 0;
    }

  if (!_cd_store_check_writable (self, error))
    return 0;

  stmt = _cd_store_prepare (self,
                           "INSERT INTO job_artifacts (job_id, name, media_type, content, path,"
                           " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, job_id);
  _cd_store_bind_text (stmt, 2, name);
  _cd_store_bind_text (stmt, 3, media_type != NULL ? media_type : "application/octet-stream");
  _cd_store_bind_bytes (stmt, 4, content);
  _cd_store_bind_text (stmt, 5, path);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      _cd_store_set_job_missing_error (job_id, error);
      return 0;
    }
  else if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  return sqlite3_last_insert_rowid (_cd_store_db (self));
}

static gpointer
job_event_from_row (sqlite3_stmt *stmt)
{
  CdJobEventRecord *record = g_new0 (CdJobEventRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->job_id = sqlite3_column_int64 (stmt, 1);
  record->time = sqlite3_column_int64 (stmt, 2);
  record->level = _cd_store_column_dup_text (stmt, 3);
  record->message = _cd_store_column_dup_text (stmt, 4);
  return record;
}

static gpointer
job_artifact_from_row (sqlite3_stmt *stmt)
{
  CdJobArtifactRecord *record = g_new0 (CdJobArtifactRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->job_id = sqlite3_column_int64 (stmt, 1);
  record->name = _cd_store_column_dup_text (stmt, 2);
  record->media_type = _cd_store_column_dup_text (stmt, 3);
  record->content = _cd_store_column_dup_bytes (stmt, 4);
  record->path = _cd_store_column_dup_text (stmt, 5);
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

  if (!_cd_store_has_jobs (self))
    return g_steal_pointer (&events);

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = _cd_store_prepare (self,
                           "SELECT id, job_id, time, level, message FROM job_events"
                           " WHERE job_id = ?1 ORDER BY time, id",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);

  if (!_cd_store_collect_rows (self, stmt, events, job_event_from_row, error))
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

  if (!_cd_store_has_jobs (self))
    return g_steal_pointer (&artifacts);

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = _cd_store_prepare (self,
                           "SELECT id, job_id, name, media_type, content, path, created"
                           " FROM job_artifacts WHERE job_id = ?1 ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);

  if (!_cd_store_collect_rows (self, stmt, artifacts, job_artifact_from_row, error))
    return NULL;

  return g_steal_pointer (&artifacts);
}
typedef struct
{
  gint64   job_id;
  gboolean result;
} DeleteJobArtifactsCall;

static gboolean
delete_job_artifacts_on_writer (CdStore       *self,
                                gpointer       data,
                                GCancellable  *cancellable,
                                GError       **error)
{
  DeleteJobArtifactsCall *call = data;

  call->result = cd_store_delete_job_artifacts (self, call->job_id, error);
  return call->result;
}

gboolean
cd_store_delete_job_artifacts (CdStore  *self,
                               gint64    job_id,
                               GError  **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  /* the work below runs on the writer thread */
  if (!_cd_store_on_writer_thread (self))
    {
      DeleteJobArtifactsCall call = { job_id, FALSE };

      return _cd_store_write_sync (self, delete_job_artifacts_on_writer, &call, error) &&
             call.result;
    }

  if (!_cd_store_check_writable (self, error))
    return FALSE;

  stmt = _cd_store_prepare (self, "DELETE FROM job_artifacts WHERE job_id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, job_id);
  return _cd_store_step_done (self, stmt, error);
}
