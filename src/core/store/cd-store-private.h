// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <sqlite3.h>

#include "cd-store.h"

G_BEGIN_DECLS

/* Shared by the files CdStore is split over (cd-store*.c), and by the tests. */

struct _CdStore
{
  GObject     parent_instance;

  /* Held around every use of @db and @statements: the main thread and the thread of an
   * async load never use the connection at once. */
  GMutex      lock;
  sqlite3    *db;
  /* SQL text -> prepared sqlite3_stmt, kept for the life of the connection */
  GHashTable *statements;

  char       *path;
  int         schema_version;
  guint       interrupted_jobs;
  guint       read_only : 1;
};

/* A cached statement borrowed for one use: the cleanup resets it and clears its bindings
 * (so no read transaction stays open), it does not finalize it. */
typedef sqlite3_stmt CdStoreStmt;

static inline void
cd_store_stmt_release (CdStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdStoreStmt, cd_store_stmt_release)

/* All of these expect self->lock to be held. */
CdStoreStmt *cd_store_prepare             (CdStore      *self,
                                           const char   *sql,
                                           GError      **error);
/* Steps a statement that returns no rows; any other outcome becomes @error. */
gboolean     cd_store_step_done           (CdStore       *self,
                                           sqlite3_stmt  *stmt,
                                           GError       **error);
/* Steps a query to its end, appending what @from_row makes of each row to @into. */
gboolean     cd_store_collect_rows        (CdStore       *self,
                                           sqlite3_stmt  *stmt,
                                           GPtrArray     *into,
                                           gpointer     (*from_row) (sqlite3_stmt *stmt),
                                           GError       **error);
void         cd_store_set_sqlite_error    (CdStore      *self,
                                           int           rc,
                                           GError      **error);
gboolean     cd_store_check_writable      (CdStore      *self,
                                           GError      **error);
gboolean     cd_store_begin               (CdStore      *self,
                                           GError      **error);
gboolean     cd_store_commit              (CdStore      *self,
                                           GError      **error);
void         cd_store_rollback            (CdStore      *self);

gint64       cd_store_insert_instance     (CdStore                 *self,
                                           const CdInstanceRecord  *record,
                                           GError                 **error);
gint64       cd_store_insert_subdomain    (CdStore                 *self,
                                           const CdSubdomainRecord *record,
                                           GError                 **error);
gint64       cd_store_insert_host         (CdStore                 *self,
                                           const CdHostRecord      *record,
                                           GError                 **error);

/* Small helpers for binding and reading columns: an id of 0 and a NULL string are stored as
 * SQL NULL and read back as 0 and NULL. */
static inline int
cd_store_bind_text (sqlite3_stmt *stmt,
                    int           column,
                    const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, column);
  return sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

static inline int
cd_store_bind_id (sqlite3_stmt *stmt,
                  int           column,
                  gint64        id)
{
  if (id == 0)
    return sqlite3_bind_null (stmt, column);
  return sqlite3_bind_int64 (stmt, column, id);
}

static inline int
cd_store_bind_bytes (sqlite3_stmt *stmt,
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
cd_store_column_dup_text (sqlite3_stmt *stmt,
                          int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static inline GBytes *
cd_store_column_dup_bytes (sqlite3_stmt *stmt,
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
cd_store_read_time (int    schema_version,
                    gint64 stored)
{
  return schema_version >= 3 ? stored : cd_record_time_from_unix (stored);
}

/* For tests: the store's own connection, to check its settings. */
sqlite3     *cd_store_get_db              (CdStore      *self);

G_END_DECLS
