// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* Connections: each thread's current one, the pool that reads take theirs from, and the query
 * helpers every file of the store uses on the current connection. */

/* Reads rarely take long, and WAL lets them run beside the write: a few are plenty. */
#define MAX_READERS 4

static GPrivate current_connection;

/* Errors */

void
_cd_store_set_corrupt_error (const char  *path,
                            GError     **error)
{
  g_set_error (error, CD_ERROR, CD_ERROR_DATABASE_CORRUPT,
               _("The inventory database “%s” is damaged and cannot be read. Move it aside to "
                 "start with an empty inventory, or restore it from a backup."),
               path);
}

void
_cd_store_set_error_for_db (const char  *path,
                           sqlite3     *db,
                           int          rc,
                           GError     **error)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      _cd_store_set_corrupt_error (path, error);
      break;

    case SQLITE_READONLY:
      g_set_error (error, CD_ERROR, CD_ERROR_READ_ONLY,
                   _("The inventory database “%s” cannot be written to. Check the permissions "
                     "of the file and its folder."),
                   path);
      break;

    case SQLITE_FULL:
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("The disk that holds the inventory database “%s” is full. Free some space "
                     "and try again."),
                   path);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("The inventory database “%s” is in use by another program. Close it and "
                     "try again."),
                   path);
      break;

    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("The inventory database “%s” could not be read or written (%s)."),
                   path, detail);
      break;

    default:
      g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                   _("The inventory database “%s” reported an error: %s."),
                   path, detail);
      break;
    }
}

void
_cd_store_set_sqlite_error (CdStore  *self,
                           int       rc,
                           GError  **error)
{
  _cd_store_set_error_for_db (self->path, _cd_store_db (self), rc, error);
}

/* Connections */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

CdStoreConn *
_cd_store_conn_open (CdStore  *self,
                    int       flags,
                    GError  **error)
{
  CdStoreConn *conn;
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (self->path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("The inventory database “%s” could not be opened (%s)."),
                   self->path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, CD_STORE_BUSY_TIMEOUT_MS);

  conn = g_new0 (CdStoreConn, 1);
  conn->store = self;
  conn->db = db;
  conn->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);

  return conn;
}

void
_cd_store_conn_close (CdStoreConn *conn)
{
  int rc;

  if (conn == NULL)
    return;

  /* statements first: a connection with live statements does not close */
  g_clear_pointer (&conn->statements, g_hash_table_unref);
  rc = sqlite3_close (conn->db);
  if (rc != SQLITE_OK)
    g_warning ("Could not close the inventory database: %s", sqlite3_errstr (rc));
  g_free (conn);
}

CdStoreConn *
_cd_store_conn_bind (CdStoreConn *conn)
{
  CdStoreConn *previous = g_private_get (&current_connection);

  g_private_set (&current_connection, conn);
  return previous;
}

static CdStoreConn *
current_conn (CdStore *self)
{
  CdStoreConn *conn = g_private_get (&current_connection);

  return conn != NULL && conn->store == self ? conn : NULL;
}

sqlite3 *
_cd_store_db (CdStore *self)
{
  CdStoreConn *conn = current_conn (self);

  /* a query outside a read or a write is a bug of the store */
  g_assert (conn != NULL);
  return conn->db;
}

gboolean
_cd_store_on_writer_thread (CdStore *self)
{
  return self->writer_thread != NULL && self->writer_thread == g_thread_self ();
}

void
_cd_store_check_caller (const char *function)
{
  if (g_main_context_is_owner (g_main_context_default ()))
    g_critical ("%s() waits for the inventory database, and was called on the thread of the "
                "default main context, whose windows it would freeze; call an asynchronous "
                "function instead",
                function);
}

/* The pool of readers */

static CdStoreConn *
open_reader (CdStore  *self,
             GError  **error)
{
  CdStoreConn *conn;
  int rc;

  conn = _cd_store_conn_open (self,
                             self->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE,
                             error);
  if (conn == NULL)
    return NULL;

  /* Opened for writing only so that it can set up the -shm it shares with the writer in a
   * folder it may write to; it never writes. */
  rc = sqlite3_exec (conn->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _cd_store_set_error_for_db (self->path, conn->db, rc, error);
      _cd_store_conn_close (conn);
      return NULL;
    }

  return conn;
}

static CdStoreConn *
take_reader (CdStore  *self,
             GError  **error)
{
  CdStoreConn *conn = NULL;

  g_mutex_lock (&self->readers_lock);
  while (self->idle_readers->len == 0 && self->n_readers >= MAX_READERS)
    g_cond_wait (&self->readers_cond, &self->readers_lock);
  if (self->idle_readers->len > 0)
    conn = g_ptr_array_steal_index (self->idle_readers, self->idle_readers->len - 1);
  else
    self->n_readers++; /* taken now, opened below without holding the lock */
  g_mutex_unlock (&self->readers_lock);

  if (conn != NULL)
    return conn;

  conn = open_reader (self, error);
  if (conn == NULL)
    {
      g_mutex_lock (&self->readers_lock);
      self->n_readers--;
      g_cond_signal (&self->readers_cond);
      g_mutex_unlock (&self->readers_lock);
    }

  return conn;
}

static void
give_back_reader (CdStore     *self,
                  CdStoreConn *conn)
{
  sqlite3_stmt *stmt = NULL;

  /* Leave nothing open for the next reader: no statement half stepped, which would hold
   * its snapshot, and no transaction an error path left behind. */
  while ((stmt = sqlite3_next_stmt (conn->db, stmt)) != NULL)
    {
      if (sqlite3_stmt_busy (stmt))
        sqlite3_reset (stmt);
    }
  if (!sqlite3_get_autocommit (conn->db))
    sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);

  g_mutex_lock (&self->readers_lock);
  g_ptr_array_add (self->idle_readers, conn);
  g_cond_signal (&self->readers_cond);
  g_mutex_unlock (&self->readers_lock);
}

void
_cd_store_readers_add (CdStore     *self,
                      CdStoreConn *conn)
{
  g_mutex_lock (&self->readers_lock);
  g_ptr_array_add (self->idle_readers, conn);
  self->n_readers++;
  g_mutex_unlock (&self->readers_lock);
}

void
_cd_store_readers_clear (CdStore *self)
{
  /* Every read holds a reference to the store: none can be running now. */
  g_assert (self->idle_readers->len == self->n_readers);

  g_ptr_array_set_size (self->idle_readers, 0);
  self->n_readers = 0;
}

gboolean
_cd_store_reader_begin (CdStore        *self,
                       CdStoreReader  *reader,
                       GError        **error)
{
  CdStoreConn *conn;

  g_assert (reader->conn == NULL);

  /* already bound to a connection of this store: the writer thread, or a read in a read */
  conn = current_conn (self);
  if (conn != NULL)
    {
      reader->conn = conn;
      reader->previous = conn;
      reader->pooled = FALSE;
      return TRUE;
    }

  conn = take_reader (self, error);
  if (conn == NULL)
    return FALSE;

  reader->conn = conn;
  reader->previous = _cd_store_conn_bind (conn);
  reader->pooled = TRUE;

  return TRUE;
}

void
_cd_store_reader_end (CdStoreReader *reader)
{
  CdStoreConn *conn = reader->conn;

  if (conn == NULL)
    return;

  _cd_store_conn_bind (reader->previous);
  if (reader->pooled)
    give_back_reader (conn->store, conn);

  reader->conn = NULL;
  reader->previous = NULL;
  reader->pooled = FALSE;
}

/* Query helpers */

CdStoreStmt *
_cd_store_prepare (CdStore     *self,
                  const char  *sql,
                  GError     **error)
{
  CdStoreConn *conn = current_conn (self);
  sqlite3_stmt *stmt;

  g_assert (CD_IS_STORE (self));
  g_assert (conn != NULL);
  g_assert (sql != NULL);

  stmt = g_hash_table_lookup (conn->statements, sql);
  if (stmt == NULL)
    {
      int rc = sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);

      if (rc != SQLITE_OK)
        {
          _cd_store_set_sqlite_error (self, rc, error);
          sqlite3_finalize (stmt);
          return NULL;
        }
      /* the SQL is always a string literal that outlives the store */
      g_hash_table_insert (conn->statements, (gpointer) sql, stmt);
    }

  return stmt;
}

gboolean
_cd_store_check_writable (CdStore  *self,
                         GError  **error)
{
  if (self->read_only)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_READ_ONLY,
                   _("The inventory database “%s” was opened read-only, so changes cannot be "
                     "saved."),
                   self->path);
      return FALSE;
    }

  return TRUE;
}

gboolean
_cd_store_begin (CdStore  *self,
                GError  **error)
{
  sqlite3 *db = _cd_store_db (self);
  int rc;

  g_assert (sqlite3_get_autocommit (db));

  /* IMMEDIATE takes the write lock now, so a busy database fails here, not halfway */
  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_cd_store_commit (CdStore  *self,
                 GError  **error)
{
  int rc = sqlite3_exec (_cd_store_db (self), "COMMIT", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      _cd_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
_cd_store_rollback (CdStore *self)
{
  sqlite3 *db = _cd_store_db (self);

  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
_cd_store_step_done (CdStore       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_cd_store_collect_rows (CdStore       *self,
                       sqlite3_stmt  *stmt,
                       GPtrArray     *into,
                       gpointer     (*from_row) (sqlite3_stmt *stmt),
                       GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (into, from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

sqlite3 *
_cd_store_get_db (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return self->main_db;
}
