// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* Instances, subdomains and hosts: the inventory. */

static gboolean
is_host_purpose (const char *purpose)
{
  return g_strcmp0 (purpose, CD_HOST_PURPOSE_TRACKING) == 0 ||
         g_strcmp0 (purpose, CD_HOST_PURPOSE_MIRROR) == 0 ||
         g_strcmp0 (purpose, CD_HOST_PURPOSE_RESOURCES) == 0 ||
         g_strcmp0 (purpose, CD_HOST_PURPOSE_CUSTOM) == 0;
}

static gboolean
validate_instance (const CdInstanceRecord  *record,
                   GError                 **error)
{
  if (record->name == NULL || record->name[0] == '\0')
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                           _("An instance needs a name."));
      return FALSE;
    }

  if (record->data_center == NULL || record->data_center[0] == '\0')
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("Choose the data center of the instance “%s”."), record->name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_subdomain (const CdSubdomainRecord  *record,
                    GError                  **error)
{
  if (record->name == NULL || record->name[0] == '\0')
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                           _("A subdomain needs a name."));
      return FALSE;
    }

  if (record->instance_id <= 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("The subdomain “%s” must belong to an instance."), record->name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_host (const CdHostRecord  *record,
               GError             **error)
{
  if (record->prefix == NULL || record->prefix[0] == '\0')
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                           _("A host needs a prefix, such as “t” or “res”."));
      return FALSE;
    }

  if (!is_host_purpose (record->purpose))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not a host purpose: use tracking, mirror, resources or custom."),
                   record->purpose != NULL ? record->purpose : "");
      return FALSE;
    }

  if (record->subdomain_id <= 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("The host “%s” must belong to a subdomain."), record->prefix);
      return FALSE;
    }

  return TRUE;
}

typedef enum
{
  ROW_INSTANCE,
  ROW_SUBDOMAIN,
  ROW_HOST,
} RowKind;

/* Only an undo that restores a row under its old id can meet a taken id. */
static void
set_id_taken_error (RowKind   kind,
                    gint64    id,
                    GError  **error)
{
  switch (kind)
    {
    case ROW_INSTANCE:
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The instance #%lld is already in the inventory."), (long long) id);
      break;

    case ROW_SUBDOMAIN:
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The subdomain #%lld is already in the inventory."), (long long) id);
      break;

    case ROW_HOST:
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The host #%lld is already in the inventory."), (long long) id);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
set_missing_error (RowKind   kind,
                   gint64    id,
                   GError  **error)
{
  switch (kind)
    {
    case ROW_INSTANCE:
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The instance #%lld is not in the inventory; it may have "
                     "been deleted."),
                   (long long) id);
      break;

    case ROW_SUBDOMAIN:
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The subdomain #%lld is not in the inventory; it may have "
                     "been deleted."),
                   (long long) id);
      break;

    case ROW_HOST:
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The host #%lld is not in the inventory; it may have been "
                     "deleted."),
                   (long long) id);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Maps the outcome of an INSERT or UPDATE of an instance. */
static gboolean
instance_step (CdStore                 *self,
               sqlite3_stmt            *stmt,
               const CdInstanceRecord  *record,
               GError                 **error)
{
  int rc = sqlite3_step (stmt);

  switch (rc)
    {
    case SQLITE_DONE:
      return TRUE;

    case SQLITE_CONSTRAINT_UNIQUE:
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("An instance named “%s” already exists."), record->name);
      return FALSE;

    case SQLITE_CONSTRAINT_PRIMARYKEY:
      set_id_taken_error (ROW_INSTANCE, record->id, error);
      return FALSE;

    default:
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
}

static gboolean
subdomain_step (CdStore                  *self,
                sqlite3_stmt             *stmt,
                const CdSubdomainRecord  *record,
                GError                  **error)
{
  int rc = sqlite3_step (stmt);

  switch (rc)
    {
    case SQLITE_DONE:
      return TRUE;

    case SQLITE_CONSTRAINT_UNIQUE:
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The subdomain “%s” is already in the inventory."), record->name);
      return FALSE;

    case SQLITE_CONSTRAINT_PRIMARYKEY:
      set_id_taken_error (ROW_SUBDOMAIN, record->id, error);
      return FALSE;

    case SQLITE_CONSTRAINT_FOREIGNKEY:
      set_missing_error (ROW_INSTANCE, record->instance_id, error);
      return FALSE;

    default:
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
}

static gboolean
host_step (CdStore             *self,
           sqlite3_stmt        *stmt,
           const CdHostRecord  *record,
           GError             **error)
{
  int rc = sqlite3_step (stmt);

  switch (rc)
    {
    case SQLITE_DONE:
      return TRUE;

    case SQLITE_CONSTRAINT_UNIQUE:
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The host “%s” already exists in this subdomain."), record->prefix);
      return FALSE;

    case SQLITE_CONSTRAINT_PRIMARYKEY:
      set_id_taken_error (ROW_HOST, record->id, error);
      return FALSE;

    case SQLITE_CONSTRAINT_FOREIGNKEY:
      /* SQLite does not say which reference failed */
      if (record->certificate_id == 0)
        set_missing_error (ROW_SUBDOMAIN, record->subdomain_id, error);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                     _("The subdomain or the certificate of the host “%s” is not in the "
                       "inventory."),
                     record->prefix);
      return FALSE;

    default:
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
}

gint64
_cd_store_insert_instance (CdStore                 *self,
                          const CdInstanceRecord  *record,
                          GError                 **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  if (!validate_instance (record, error))
    return 0;

  stmt = _cd_store_prepare (self,
                           "INSERT INTO instances (id, name, url, data_center, created)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           error);
  if (stmt == NULL)
    return 0;

  _cd_store_bind_id (stmt, 1, record->id);
  _cd_store_bind_text (stmt, 2, record->name);
  _cd_store_bind_text (stmt, 3, record->url != NULL ? record->url : "");
  _cd_store_bind_text (stmt, 4, record->data_center);
  sqlite3_bind_int64 (stmt, 5, record->created != 0 ? record->created : g_get_real_time ());

  if (!instance_step (self, stmt, record, error))
    return 0;

  return sqlite3_last_insert_rowid (_cd_store_db (self));
}

gint64
_cd_store_insert_subdomain (CdStore                  *self,
                           const CdSubdomainRecord  *record,
                           GError                  **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  if (!validate_subdomain (record, error))
    return 0;

  stmt = _cd_store_prepare (self,
                           "INSERT INTO subdomains (id, instance_id, name, created)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return 0;

  _cd_store_bind_id (stmt, 1, record->id);
  sqlite3_bind_int64 (stmt, 2, record->instance_id);
  _cd_store_bind_text (stmt, 3, record->name);
  sqlite3_bind_int64 (stmt, 4, record->created != 0 ? record->created : g_get_real_time ());

  if (!subdomain_step (self, stmt, record, error))
    return 0;

  return sqlite3_last_insert_rowid (_cd_store_db (self));
}

gint64
_cd_store_insert_host (CdStore             *self,
                      const CdHostRecord  *record,
                      GError             **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  if (!validate_host (record, error))
    return 0;

  stmt = _cd_store_prepare (self,
                           "INSERT INTO hosts (id, subdomain_id, purpose, prefix, certificate_id,"
                           " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    return 0;

  _cd_store_bind_id (stmt, 1, record->id);
  sqlite3_bind_int64 (stmt, 2, record->subdomain_id);
  _cd_store_bind_text (stmt, 3, record->purpose);
  _cd_store_bind_text (stmt, 4, record->prefix);
  _cd_store_bind_id (stmt, 5, record->certificate_id);
  sqlite3_bind_int64 (stmt, 6, record->created != 0 ? record->created : g_get_real_time ());

  if (!host_step (self, stmt, record, error))
    return 0;

  return sqlite3_last_insert_rowid (_cd_store_db (self));
}

/* Each public function below hands its work to the writer thread as one of these. */

/* add: the record in, its id out; update: the record in, 1 out */
typedef struct
{
  gconstpointer record;
  gint64        result;
} RecordWrite;

typedef struct
{
  const char *sql;
  RowKind     kind;
  gint64      id;
} DeleteWrite;

/* Runs a DELETE by id and reports a missing row. */
static gboolean
delete_by_id (CdStore       *self,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  DeleteWrite *write = data;
  g_autoptr(CdStoreStmt) stmt = NULL;

  if (!_cd_store_check_writable (self, error))
    return FALSE;

  stmt = _cd_store_prepare (self, write->sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->id);
  if (!_cd_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cd_store_db (self)) == 0)
    {
      set_missing_error (write->kind, write->id, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_delete (CdStore     *self,
            const char  *sql,
            RowKind      kind,
            gint64       id,
            GError     **error)
{
  DeleteWrite write = { sql, kind, id };

  return _cd_store_write_sync (self, delete_by_id, &write, error);
}

static gboolean
add_instance_write (CdStore       *self,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RecordWrite *write = data;

  write->result = _cd_store_insert_instance (self, write->record, error);
  return write->result != 0;
}

gint64
cd_store_add_instance (CdStore                 *self,
                       const CdInstanceRecord  *record,
                       GError                 **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_write_sync (self, add_instance_write, &write, error))
    return 0;

  return write.result;
}

static gboolean
update_instance_write (CdStore       *self,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  RecordWrite *write = data;
  const CdInstanceRecord *record = write->record;
  g_autoptr(CdStoreStmt) stmt = NULL;

  if (!validate_instance (record, error))
    return FALSE;

  stmt = _cd_store_prepare (self,
                           "UPDATE instances SET name = ?2, url = ?3, data_center = ?4"
                           " WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, record->id);
  _cd_store_bind_text (stmt, 2, record->name);
  _cd_store_bind_text (stmt, 3, record->url != NULL ? record->url : "");
  _cd_store_bind_text (stmt, 4, record->data_center);

  if (!instance_step (self, stmt, record, error))
    return FALSE;

  if (sqlite3_changes (_cd_store_db (self)) == 0)
    {
      set_missing_error (ROW_INSTANCE, record->id, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
cd_store_update_instance (CdStore                 *self,
                          const CdInstanceRecord  *record,
                          GError                 **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, update_instance_write, &write, error);
}

gboolean
cd_store_delete_instance (CdStore  *self,
                          gint64    id,
                          GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  /* subdomains and their hosts go with it: ON DELETE CASCADE, in the same statement */
  return run_delete (self, "DELETE FROM instances WHERE id = ?1", ROW_INSTANCE, id, error);
}

static gboolean
add_subdomain_write (CdStore       *self,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  RecordWrite *write = data;

  write->result = _cd_store_insert_subdomain (self, write->record, error);
  return write->result != 0;
}

gint64
cd_store_add_subdomain (CdStore                  *self,
                        const CdSubdomainRecord  *record,
                        GError                  **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_write_sync (self, add_subdomain_write, &write, error))
    return 0;

  return write.result;
}

static gboolean
update_subdomain_write (CdStore       *self,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  RecordWrite *write = data;
  const CdSubdomainRecord *record = write->record;
  g_autoptr(CdStoreStmt) stmt = NULL;

  if (!validate_subdomain (record, error))
    return FALSE;

  stmt = _cd_store_prepare (self,
                           "UPDATE subdomains SET instance_id = ?2, name = ?3 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, record->id);
  sqlite3_bind_int64 (stmt, 2, record->instance_id);
  _cd_store_bind_text (stmt, 3, record->name);

  if (!subdomain_step (self, stmt, record, error))
    return FALSE;

  if (sqlite3_changes (_cd_store_db (self)) == 0)
    {
      set_missing_error (ROW_SUBDOMAIN, record->id, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
cd_store_update_subdomain (CdStore                  *self,
                           const CdSubdomainRecord  *record,
                           GError                  **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, update_subdomain_write, &write, error);
}

gboolean
cd_store_delete_subdomain (CdStore  *self,
                           gint64    id,
                           GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return run_delete (self, "DELETE FROM subdomains WHERE id = ?1", ROW_SUBDOMAIN, id, error);
}

static gboolean
add_host_write (CdStore       *self,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  RecordWrite *write = data;

  write->result = _cd_store_insert_host (self, write->record, error);
  return write->result != 0;
}

gint64
cd_store_add_host (CdStore             *self,
                   const CdHostRecord  *record,
                   GError             **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_write_sync (self, add_host_write, &write, error))
    return 0;

  return write.result;
}

static gboolean
update_host_write (CdStore       *self,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  RecordWrite *write = data;
  const CdHostRecord *record = write->record;
  g_autoptr(CdStoreStmt) stmt = NULL;

  if (!validate_host (record, error))
    return FALSE;

  stmt = _cd_store_prepare (self,
                           "UPDATE hosts SET subdomain_id = ?2, purpose = ?3, prefix = ?4,"
                           " certificate_id = ?5 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, record->id);
  sqlite3_bind_int64 (stmt, 2, record->subdomain_id);
  _cd_store_bind_text (stmt, 3, record->purpose);
  _cd_store_bind_text (stmt, 4, record->prefix);
  _cd_store_bind_id (stmt, 5, record->certificate_id);

  if (!host_step (self, stmt, record, error))
    return FALSE;

  if (sqlite3_changes (_cd_store_db (self)) == 0)
    {
      set_missing_error (ROW_HOST, record->id, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
cd_store_update_host (CdStore             *self,
                      const CdHostRecord  *record,
                      GError             **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, update_host_write, &write, error);
}

gboolean
cd_store_delete_host (CdStore  *self,
                      gint64    id,
                      GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return run_delete (self, "DELETE FROM hosts WHERE id = ?1", ROW_HOST, id, error);
}
