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

/* What a write to a job's log takes, on the writer thread. */
typedef struct
{
  gint64      job_id;
  const char *level;
  const char *message;
  const char *name;
  const char *media_type;
  GBytes     *content;
  const char *path;
  gint64      row_id;
} LogWrite;

/* Steps an insert of a row of @write's job, and keeps the row's id. */
static gboolean
step_insert (CdStore       *self,
             sqlite3_stmt  *stmt,
             LogWrite      *write,
             GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      _cd_store_set_job_missing_error (write->job_id, error);
      return FALSE;
    }
  else if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  write->row_id = sqlite3_last_insert_rowid (_cd_store_db (self));
  return TRUE;
}

static gboolean
add_event_write (CdStore       *self,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  LogWrite *write = data;
  g_autoptr(CdStoreStmt) stmt = NULL;

  stmt = _cd_store_prepare (self,
                            "INSERT INTO job_events (job_id, time, level, message)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->job_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  _cd_store_bind_text (stmt, 3, write->level);
  _cd_store_bind_text (stmt, 4, write->message);

  return step_insert (self, stmt, write, error);
}

gint64
cd_store_add_job_event (CdStore     *self,
                        gint64       job_id,
                        const char  *level,
                        const char  *message,
                        GError     **error)
{
  LogWrite write = { .job_id = job_id, .level = level, .message = message };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (level != NULL, 0);
  g_return_val_if_fail (message != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!is_event_level (level))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not an event level: use info, warning or error."), level);
      return 0;
    }

  if (!_cd_store_write_sync (self, add_event_write, &write, error))
    return 0;
  return write.row_id;
}

static gboolean
add_artifact_write (CdStore       *self,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  LogWrite *write = data;
  g_autoptr(CdStoreStmt) stmt = NULL;

  stmt = _cd_store_prepare (self,
                            "INSERT INTO job_artifacts (job_id, name, media_type, content, path,"
                            " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->job_id);
  _cd_store_bind_text (stmt, 2, write->name);
  _cd_store_bind_text (stmt, 3, write->media_type != NULL ? write->media_type
                                                          : "application/octet-stream");
  _cd_store_bind_bytes (stmt, 4, write->content);
  _cd_store_bind_text (stmt, 5, write->path);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());

  return step_insert (self, stmt, write, error);
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
  LogWrite write = { .job_id = job_id, .name = name, .media_type = media_type,
                     .content = content, .path = path };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (content != NULL || path != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_write_sync (self, add_artifact_write, &write, error))
    return 0;
  return write.row_id;
}

static gboolean
delete_artifacts_write (CdStore       *self,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  LogWrite *write = data;
  g_autoptr(CdStoreStmt) stmt = NULL;

  stmt = _cd_store_prepare (self, "DELETE FROM job_artifacts WHERE job_id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->job_id);
  return _cd_store_step_done (self, stmt, error);
}

gboolean
cd_store_delete_job_artifacts (CdStore  *self,
                               gint64    job_id,
                               GError  **error)
{
  LogWrite write = { .job_id = job_id };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, delete_artifacts_write, &write, error);
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

/* The rows @sql (a literal: the statement cache keeps it) selects for @job_id, each made by
 * @from_row and freed by @free_row; none in a store too old to have jobs. */
static GPtrArray *
list_job_rows (CdStore         *self,
               const char      *sql,
               gint64           job_id,
               gpointer       (*from_row) (sqlite3_stmt *stmt),
               GDestroyNotify   free_row,
               GError         **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);

  if (!_cd_store_has_jobs (self))
    return g_steal_pointer (&rows);

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = _cd_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, job_id);

  if (!_cd_store_collect_rows (self, stmt, rows, from_row, error))
    return NULL;

  return g_steal_pointer (&rows);
}

GPtrArray *
cd_store_list_job_events (CdStore  *self,
                          gint64    job_id,
                          GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  return list_job_rows (self,
                        "SELECT id, job_id, time, level, message FROM job_events"
                        " WHERE job_id = ?1 ORDER BY time, id",
                        job_id, job_event_from_row, (GDestroyNotify) cd_job_event_record_free,
                        error);
}

GPtrArray *
cd_store_list_job_artifacts (CdStore  *self,
                             gint64    job_id,
                             GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  return list_job_rows (self,
                        "SELECT id, job_id, name, media_type, content, path, created"
                        " FROM job_artifacts WHERE job_id = ?1 ORDER BY id",
                        job_id, job_artifact_from_row,
                        (GDestroyNotify) cd_job_artifact_record_free, error);
}
