// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cd-error.h"
#include "cd-store-migrations.h"
#include "cd-store-private.h"

/* The store is split over several files sharing cd-store-private.h: this one opens, checks,
 * migrates and recovers the database; cd-store-connection.c holds the connections, the pool of
 * readers and the query helpers, cd-store-writer.c the writer thread; cd-store-inventory.c
 * changes instances, subdomains and hosts, cd-store-load.c reads them; cd-store-jobs.c holds
 * the jobs, cd-store-certificates.c certificates and keys, cd-store-demo.c the sample data. */

G_DEFINE_FINAL_TYPE (CdStore, cd_store, G_TYPE_OBJECT)

static void
cd_store_finalize (GObject *object)
{
  CdStore *self = (CdStore *) object;

  /* the writer closes its own connection as it ends */
  _cd_store_writer_stop (self);
  g_clear_pointer (&self->writer_queue, g_async_queue_unref);
  _cd_store_readers_clear (self);
  g_clear_pointer (&self->idle_readers, g_ptr_array_unref);
  g_mutex_clear (&self->readers_lock);
  g_cond_clear (&self->readers_cond);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cd_store_parent_class)->finalize (object);
}

static void
cd_store_class_init (CdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_store_finalize;
}

static void
cd_store_init (CdStore *self)
{
  self->writer_queue = g_async_queue_new ();
  g_mutex_init (&self->readers_lock);
  g_cond_init (&self->readers_cond);
  self->idle_readers = g_ptr_array_new_with_free_func ((GDestroyNotify) _cd_store_conn_close);
}

/* Opening. */

/* Reads the schema version and, for a file that already holds something, runs a quick
 * integrity check. Nothing here writes, so a file that is not a database stays as it is. */
static gboolean
check_readable (CdStore   *self,
                gboolean   existing,
                int       *version,
                GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  rc = sqlite3_prepare_v2 (_cd_store_db (self), "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *version = sqlite3_column_int (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  /* the schema is parsed on first use: make that happen now */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (_cd_store_db (self), "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);

  if (rc == SQLITE_OK && existing)
    {
      rc = sqlite3_prepare_v2 (_cd_store_db (self), "PRAGMA quick_check", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          const char *result = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (result, "ok") != 0)
            {
              g_debug ("quick_check of %s: %s", self->path, result);
              ok = FALSE;
            }
          rc = SQLITE_OK;
        }
      sqlite3_finalize (stmt);
    }

  if (rc != SQLITE_OK)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  if (!ok)
    {
      _cd_store_set_corrupt_error (self->path, error);
      return FALSE;
    }

  if (*version < 0)
    {
      _cd_store_set_corrupt_error (self->path, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
exec_pragma (CdStore     *self,
             const char  *sql,
             GError     **error)
{
  int rc = sqlite3_exec (_cd_store_db (self), sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
enable_wal (CdStore  *self,
            GError  **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;
  const char *mode;
  int rc;

  stmt = _cd_store_prepare (self, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  /* some file systems cannot share memory between processes; SQLite then keeps the old
   * journal, which is slower but just as safe */
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    g_message ("%s stays in journal mode “%s”: WAL is not available here", self->path, mode);

  return TRUE;
}

/* The ids of the jobs left queued or running whose process is gone. A job of another machine
 * (a home folder shared over the network) is left alone: nothing here can tell. */
static GArray *
find_orphaned_jobs (CdStore  *self,
                    GError  **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = _cd_store_prepare (self,
                           "SELECT id, owner_pid, owner_boot_id, owner_start_time, owner_host"
                           " FROM jobs WHERE state IN ('queued', 'running') ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      CdProcessIdentity owner = {
        .pid = sqlite3_column_int64 (stmt, 1),
        .boot_id = (char *) sqlite3_column_text (stmt, 2),
        .start_time = (guint64) sqlite3_column_int64 (stmt, 3),
        .host = (char *) sqlite3_column_text (stmt, 4),
      };

      /* jobs of versions that did not record an owner had theirs end long ago */
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL ||
          cd_process_identity_check (&owner) == CD_PROCESS_GONE)
        g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

/* Jobs left queued or running by a process that died can never finish: say so. Jobs of a
 * process that is still running (another window, a certdesk-cli run from cron) are its own. */
static gboolean
recover_interrupted_jobs (CdStore  *self,
                          GError  **error)
{
  g_autoptr(CdStoreStmt) add_event = NULL;
  g_autoptr(CdStoreStmt) interrupt = NULL;
  g_autoptr(GArray) orphans = NULL;
  const char *message = _("Certdesk stopped while this job was running.");
  gint64 now = g_get_real_time ();
  guint count = 0;

  orphans = find_orphaned_jobs (self, error);
  if (orphans == NULL)
    return FALSE;
  if (orphans->len == 0)
    {
      self->interrupted_jobs = 0;
      return TRUE;
    }

  add_event = _cd_store_prepare (self,
                                "INSERT INTO job_events (job_id, time, level, message)"
                                " VALUES (?1, ?2, 'error', ?3)",
                                error);
  if (add_event == NULL)
    return FALSE;
  /* checked again: the owner may have ended it since it was read */
  interrupt = _cd_store_prepare (self,
                                "UPDATE jobs SET state = 'interrupted', finished = ?2,"
                                " message = ?3 WHERE id = ?1 AND state IN ('queued', 'running')",
                                error);
  if (interrupt == NULL)
    return FALSE;

  if (!_cd_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < orphans->len; i++)
    {
      gint64 id = g_array_index (orphans, gint64, i);

      sqlite3_bind_int64 (interrupt, 1, id);
      sqlite3_bind_int64 (interrupt, 2, now);
      _cd_store_bind_text (interrupt, 3, message);
      if (!_cd_store_step_done (self, interrupt, error))
        {
          _cd_store_rollback (self);
          return FALSE;
        }
      sqlite3_reset (interrupt);
      if (sqlite3_changes (_cd_store_db (self)) == 0)
        continue;
      count++;

      sqlite3_bind_int64 (add_event, 1, id);
      sqlite3_bind_int64 (add_event, 2, now);
      _cd_store_bind_text (add_event, 3, message);
      if (!_cd_store_step_done (self, add_event, error))
        {
          _cd_store_rollback (self);
          return FALSE;
        }
      sqlite3_reset (add_event);
    }

  if (!_cd_store_commit (self, error))
    return FALSE;

  self->interrupted_jobs = count;
  if (count > 0)
    g_debug ("Marked %u job(s) of %s interrupted", count, self->path);

  return TRUE;
}

char *
cd_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "certdesk", "certdesk.db", NULL);
}

/* Checks, sets up, migrates and recovers the database through @conn, the current thread's
 * connection. Nothing is written before the file is known to be a database of ours. */
static gboolean
set_up (CdStore      *self,
        CdStoreConn  *conn,
        gboolean      existing,
        GError      **error)
{
  g_autofree char *wal_path = NULL;
  GStatBuf st;
  int version = 0;

  /* Closing the last connection checkpoints the -wal into the main file. Until the file has
   * passed the checks below, a -wal that holds anything must not be folded into it. */
  wal_path = g_strconcat (self->path, "-wal", NULL);
  if (g_stat (wal_path, &st) == 0 && st.st_size > 0)
    sqlite3_db_config (conn->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  /* SQLite quietly opens a file it may not write read-only; writes would fail later */
  if (!self->read_only && sqlite3_db_readonly (conn->db, "main") == 1)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("The inventory database “%s” cannot be written to. Check the permissions "
                     "of the file, or open it read-only."),
                   self->path);
      return FALSE;
    }

  if (!check_readable (self, existing, &version, error))
    return FALSE;

  if (version > CD_STORE_SCHEMA_VERSION && !self->read_only)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_DATABASE_TOO_NEW,
                   _("The inventory database “%s” was written by a newer version of Certdesk "
                     "(schema version %d; this version knows up to %d). Open it read-only, or "
                     "update Certdesk."),
                   self->path, version, CD_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* only now that the file is known to be a database of ours may anything be written */
  sqlite3_db_config (conn->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
  if (!self->read_only && !enable_wal (self, error))
    return FALSE;

  if (!exec_pragma (self, "PRAGMA foreign_keys = ON", error) ||
      !exec_pragma (self, "PRAGMA synchronous = NORMAL", error))
    return FALSE;

  self->schema_version = version;

  if (self->read_only)
    return TRUE;

  if (version < CD_STORE_SCHEMA_VERSION)
    {
      if (!cd_store_migrations_run (conn->db, self->path, version, CD_STORE_SCHEMA_VERSION,
                                    error))
        return FALSE;
      self->schema_version = CD_STORE_SCHEMA_VERSION;
    }

  return recover_interrupted_jobs (self, error);
}

CdStore *
cd_store_open (const char        *path,
               CdStoreOpenFlags   flags,
               GError           **error)
{
  g_autoptr(CdStore) self = NULL;
  gboolean read_only = (flags & CD_STORE_OPEN_READ_ONLY) != 0;
  gboolean existing = FALSE;
  CdStoreConn *conn;
  CdStoreConn *previous;
  GStatBuf st;
  gboolean ok;

  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  if (!read_only)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int errsv = errno;

          g_set_error (error, CD_ERROR, CD_ERROR_IO,
                       _("The folder “%s” for the inventory database could not be created: %s."),
                       dir, g_strerror (errsv));
          return NULL;
        }
    }

  if (g_stat (path, &st) == 0)
    existing = st.st_size > 0;
  else if (read_only)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The inventory database “%s” does not exist."), path);
      return NULL;
    }

  self = g_object_new (CD_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = read_only;

  conn = _cd_store_conn_open (self,
                             read_only ? SQLITE_OPEN_READONLY
                                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             error);
  if (conn == NULL)
    return NULL;

  previous = _cd_store_conn_bind (conn);
  ok = set_up (self, conn, existing, error);
  _cd_store_conn_bind (previous);

  if (!ok)
    {
      _cd_store_conn_close (conn);
      return NULL;
    }

  /* The connection that opened the store goes on writing, on a thread of its own; in a
   * read-only store it becomes the first reader. */
  self->main_db = conn->db;
  if (read_only)
    _cd_store_readers_add (self, conn);
  else
    _cd_store_writer_start (self, conn);

  return g_steal_pointer (&self);
}

char *
cd_store_move_aside (const char  *path,
                     GError     **error)
{
  static const char *const companions[] = { "-wal", "-shm", "-journal" };
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *target = NULL;
  gboolean moved[G_N_ELEMENTS (companions)] = { FALSE, };
  GStatBuf st;
  int errsv;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  if (g_lstat (path, &st) != 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The inventory database “%s” does not exist."), path);
      return NULL;
    }

  now = g_date_time_new_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  target = g_strdup_printf ("%s.broken-%s", path, stamp);
  for (guint i = 2; g_lstat (target, &st) == 0; i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.broken-%s-%u", path, stamp, i);
    }

  /* The companions go first and keep their suffix, so the moved file still opens with its
   * last changes, and a stale -wal can never be replayed into a new database at @path. */
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (target, companions[i], NULL);

      if (g_lstat (from, &st) != 0)
        continue;

      if (g_rename (from, to) != 0)
        {
          errsv = errno;
          g_set_error (error, CD_ERROR, CD_ERROR_IO,
                       _("“%s” could not be renamed: %s."), from, g_strerror (errsv));
          goto undo;
        }
      moved[i] = TRUE;
    }

  if (g_rename (path, target) != 0)
    {
      errsv = errno;
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("The inventory database “%s” could not be renamed: %s."),
                   path, g_strerror (errsv));
      goto undo;
    }

  g_message ("Moved the inventory database %s aside to %s", path, target);

  return g_steal_pointer (&target);

undo:
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      if (!moved[i])
        continue;
      from = g_strconcat (target, companions[i], NULL);
      to = g_strconcat (path, companions[i], NULL);
      if (g_rename (from, to) != 0)
        g_warning ("Could not move %s back to %s: %s", from, to, g_strerror (errno));
    }

  return NULL;
}

const char *
cd_store_get_path (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return self->path;
}

gboolean
cd_store_is_read_only (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return self->read_only;
}

int
cd_store_get_schema_version (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), 0);

  return self->schema_version;
}

guint
cd_store_get_interrupted_jobs (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), 0);

  return self->interrupted_jobs;
}
