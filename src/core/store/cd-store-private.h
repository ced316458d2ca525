// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <sqlite3.h>

#include "cd-store.h"

G_BEGIN_DECLS

/* Shared by the files CdStore is split over (cd-store*.c), and by the tests. */

/* One SQLite connection and the statements prepared on it. A connection is used by one
 * thread at a time: the writer's by the writer thread, a reader by the thread that took it
 * from the pool until it gives it back. */
typedef struct
{
  CdStore    *store;      /* not a reference: the store outlives its connections */
  sqlite3    *db;
  /* SQL text -> prepared sqlite3_stmt, kept for the life of the connection */
  GHashTable *statements;
} CdStoreConn;

struct _CdStore
{
  GObject      parent_instance;

  char        *path;
  int          schema_version;
  guint        interrupted_jobs;
  guint        read_only : 1;

  /* Writes: the thread that owns the writing connection, and its queue of WriteOps. NULL in a
   * read-only store. */
  GThread     *writer_thread;
  GAsyncQueue *writer_queue;
  /* for tests only: the writer's connection (or the first reader of a read-only store) */
  sqlite3     *main_db;

  /* Reads: connections not in use, and how many there are in all. */
  GMutex       readers_lock;
  GCond        readers_cond;
  GPtrArray   *idle_readers;
  guint        n_readers;
};

/* A cached statement borrowed for one use: the cleanup resets it and clears its bindings
 * (so no read transaction stays open), it does not finalize it. */
typedef sqlite3_stmt CdStoreStmt;

static inline void
_cd_store_stmt_release (CdStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdStoreStmt, _cd_store_stmt_release)

/* Connections (cd-store-connection.c). Each thread has a current connection; the query helpers
 * below run on the current thread's connection of @self, which must be bound: the writer
 * thread is bound to the writer's for its life, a read binds a reader for its duration, and
 * opening binds the first connection while it checks and migrates. */
CdStoreConn *_cd_store_conn_open           (CdStore      *self,
                                           int           flags,
                                           GError      **error);
void         _cd_store_conn_close          (CdStoreConn  *conn);
/* Makes @conn the current thread's connection (NULL for none); returns the one it replaces. */
CdStoreConn *_cd_store_conn_bind           (CdStoreConn  *conn);
/* The database of the current thread's connection to @self. */
sqlite3     *_cd_store_db                  (CdStore      *self);
gboolean     _cd_store_on_writer_thread    (CdStore      *self);

/* Warns (critical) when called on the thread that owns the default main context: see
 * "Every synchronous function" in cd-store.h. Every public synchronous function calls it. */
void         _cd_store_check_caller        (const char   *function);
#define CD_STORE_CHECK_CALLER() _cd_store_check_caller (G_STRFUNC)

/* A read: the current thread reads through a pooled connection until _cd_store_reader_end(),
 * or through the connection it is already bound to for @self (the writer thread reads
 * through its own, and sees its own writes). Declare it before any CdStoreStmt of the same
 * scope, so that its cleanup, which hands the connection back, runs after theirs. */
typedef struct
{
  CdStoreConn *conn;
  CdStoreConn *previous;
  gboolean     pooled;
} CdStoreReader;

#define CD_STORE_READER_INIT { NULL, NULL, FALSE }

gboolean     _cd_store_reader_begin        (CdStore       *self,
                                           CdStoreReader *reader,
                                           GError       **error);
void         _cd_store_reader_end          (CdStoreReader *reader);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdStoreReader, _cd_store_reader_end)

/* Closes the pool's connections; the store is going. */
void         _cd_store_readers_clear       (CdStore      *self);
/* Puts the connection that opened a read-only store into the pool. */
void         _cd_store_readers_add         (CdStore      *self,
                                           CdStoreConn  *conn);

/* Writes (cd-store-writer.c). Runs @func on the writer thread and waits for it, or runs it
 * straight away on the writer thread. Fails with CD_ERROR_READ_ONLY in a read-only store. */
gboolean     _cd_store_write_sync          (CdStore          *self,
                                           CdStoreWriteFunc  func,
                                           gpointer          data,
                                           GError          **error);
/* Starts the writer thread, which takes @conn over. */
void         _cd_store_writer_start        (CdStore      *self,
                                           CdStoreConn  *conn);
/* Ends the writer thread once it has done what it was asked; called by finalize. */
void         _cd_store_writer_stop         (CdStore      *self);

/* Query helpers, on the current thread's connection. */
CdStoreStmt *_cd_store_prepare             (CdStore      *self,
                                           const char   *sql,
                                           GError      **error);
/* Steps a statement that returns no rows; any other outcome becomes @error. */
gboolean     _cd_store_step_done           (CdStore       *self,
                                           sqlite3_stmt  *stmt,
                                           GError       **error);
/* Steps a query to its end, appending what @from_row makes of each row to @into. */
gboolean     _cd_store_collect_rows        (CdStore       *self,
                                           sqlite3_stmt  *stmt,
                                           GPtrArray     *into,
                                           gpointer     (*from_row) (sqlite3_stmt *stmt),
                                           GError       **error);
void         _cd_store_set_sqlite_error    (CdStore      *self,
                                           int           rc,
                                           GError      **error);
/* The same for a connection that is not bound (yet). */
void         _cd_store_set_error_for_db    (const char   *path,
                                           sqlite3      *db,
                                           int           rc,
                                           GError      **error);
void         _cd_store_set_corrupt_error   (const char   *path,
                                           GError      **error);
gboolean     _cd_store_check_writable      (CdStore      *self,
                                           GError      **error);
gboolean     _cd_store_begin               (CdStore      *self,
                                           GError      **error);
gboolean     _cd_store_commit              (CdStore      *self,
                                           GError      **error);
void         _cd_store_rollback            (CdStore      *self);

gint64       _cd_store_insert_instance     (CdStore                 *self,
                                           const CdInstanceRecord  *record,
                                           GError                 **error);
gint64       _cd_store_insert_subdomain    (CdStore                 *self,
                                           const CdSubdomainRecord *record,
                                           GError                 **error);
gint64       _cd_store_insert_host         (CdStore                 *self,
                                           const CdHostRecord      *record,
                                           GError                 **error);

/* Small helpers for binding and reading columns: an id of 0 and a NULL string are stored as
 * SQL NULL and read back as 0 and NULL. */
static inline int
_cd_store_bind_text (sqlite3_stmt *stmt,
                    int           column,
                    const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, column);
  return sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

static inline int
_cd_store_bind_id (sqlite3_stmt *stmt,
                  int           column,
                  gint64        id)
{
  if (id == 0)
    return sqlite3_bind_null (stmt, column);
  return sqlite3_bind_int64 (stmt, column, id);
}

static inline int
_cd_store_bind_bytes (sqlite3_stmt *stmt,
                     int           column,
                     GBytes       *bytes)
{
  gsize size;
  gconstpointer data;

  if (bytes == NULL)
    return sqlite3_bind_null (stmt, column);
  data = g_bytes_get_data (bytes, &size);
  /* a zero-length blob must stay a blob, not become NULL */
  return sqlite3_bind_blob64 (stmt, column, data != NULL ? data : "", size, SQLITE_TRANSIENT);
}

static inline char *
_cd_store_column_dup_text (sqlite3_stmt *stmt,
                          int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static inline GBytes *
_cd_store_column_dup_bytes (sqlite3_stmt *stmt,
                           int           column)
{
  const void *data;
  int size;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  data = sqlite3_column_blob (stmt, column);
  size = sqlite3_column_bytes (stmt, column);
  return g_bytes_new (data, size);
}

/* Schema version 3 made every time microseconds. A database opened read-only is not migrated:
 * what an older one holds in seconds is brought to the one unit as it is read. */
static inline gint64
_cd_store_read_time (int    schema_version,
                    gint64 stored)
{
  return schema_version >= 3 ? stored : cd_record_time_from_unix (stored);
}

/* For tests: the writer's connection, to check its settings (or the first reader's, in a
 * read-only store). */
sqlite3     *_cd_store_get_db              (CdStore      *self);

/* cd-store-jobs.c, for cd-store-job-log.c and cd-store-job-queries.c */
void         _cd_store_set_job_missing_error (gint64     job_id,
                                              GError   **error);
gboolean     _cd_store_has_jobs             (CdStore   *self);

/* Whether the jobs table has the columns of CD_STORE_JOBS_RUNNER_VERSION: a read-only store
 * of an older schema reads its jobs with CD_STORE_JOB_COLUMNS_OLD. */
static inline gboolean
_cd_store_has_job_runner_columns (CdStore *self)
{
  return self->schema_version >= CD_STORE_JOBS_RUNNER_VERSION;
}

/* The first version with the trigram index of the jobs' text (job_search) and the jobs'
 * revision (jobs_revision); a read-only store of an older schema searches with LIKE, and
 * makes its revision of what it can count. */
#define CD_STORE_JOB_SEARCH_VERSION 6

static inline gboolean
_cd_store_has_job_search (CdStore *self)
{
  return self->schema_version >= CD_STORE_JOB_SEARCH_VERSION;
}

/* The columns _cd_store_job_from_row() reads, in its order. */
#define CD_STORE_JOB_COLUMNS \
  "id, kind, target, instance_id, state, created, started, finished, message, target_type," \
  " target_id, initiator, parameters, progress, step, error_action, owner_pid, owner_boot_id," \
  " owner_start_time, owner_host"
/* the same for a read-only store whose jobs table has none of the later columns */
#define CD_STORE_JOB_COLUMNS_OLD \
  "id, kind, target, instance_id, state, created, started, finished, message, '', NULL," \
  " 'user', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"

/* A CdJobRecord of a row of CD_STORE_JOB_COLUMNS. */
gpointer     _cd_store_job_from_row         (sqlite3_stmt *stmt);
/* Whether @state is one of CD_JOB_STATE_*. */
gboolean     _cd_store_is_job_state         (const char   *state);

/* cd-store-job-queries.c, for tests: EXPLAIN QUERY PLAN of the query that
 * cd_store_list_jobs_filtered() runs for @query, one line per step of the plan. */
char        *_cd_store_explain_job_query    (CdStore           *self,
                                             const CdJobQuery  *query,
                                             GError           **error);

G_END_DECLS
