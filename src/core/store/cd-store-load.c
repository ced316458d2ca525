// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* Loading the inventory as one snapshot, through a reader of its own, on the calling thread or
 * in a GTask thread. */

void
cd_inventory_records_free (CdInventoryRecords *records)
{
  if (records == NULL)
    return;

  g_clear_pointer (&records->instances, g_ptr_array_unref);
  g_clear_pointer (&records->subdomains, g_ptr_array_unref);
  g_clear_pointer (&records->hosts, g_ptr_array_unref);
  g_clear_pointer (&records->certificates, g_ptr_array_unref);
  g_free (records);
}

static gpointer
instance_from_row (sqlite3_stmt *stmt)
{
  CdInstanceRecord *record = g_new0 (CdInstanceRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->name = _cd_store_column_dup_text (stmt, 1);
  record->url = _cd_store_column_dup_text (stmt, 2);
  record->data_center = _cd_store_column_dup_text (stmt, 3);
  record->created = sqlite3_column_int64 (stmt, 4);
  return record;
}

static gpointer
subdomain_from_row (sqlite3_stmt *stmt)
{
  CdSubdomainRecord *record = g_new0 (CdSubdomainRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->instance_id = sqlite3_column_int64 (stmt, 1);
  record->name = _cd_store_column_dup_text (stmt, 2);
  record->created = sqlite3_column_int64 (stmt, 3);
  return record;
}

static gpointer
host_from_row (sqlite3_stmt *stmt)
{
  CdHostRecord *record = g_new0 (CdHostRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->subdomain_id = sqlite3_column_int64 (stmt, 1);
  record->purpose = _cd_store_column_dup_text (stmt, 2);
  record->prefix = _cd_store_column_dup_text (stmt, 3);
  record->certificate_id = sqlite3_column_int64 (stmt, 4);
  record->created = sqlite3_column_int64 (stmt, 5);
  return record;
}

static gpointer
certificate_from_row (sqlite3_stmt *stmt)
{
  CdCertificateRecord *record = g_new0 (CdCertificateRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->sha256 = _cd_store_column_dup_text (stmt, 1);
  record->subject = _cd_store_column_dup_text (stmt, 2);
  record->issuer = _cd_store_column_dup_text (stmt, 3);
  record->serial = _cd_store_column_dup_text (stmt, 4);
  record->not_before = sqlite3_column_int64 (stmt, 5);
  record->not_after = sqlite3_column_int64 (stmt, 6);
  record->dns_names = _cd_store_column_dup_text (stmt, 7);
  record->key_id = sqlite3_column_int64 (stmt, 8);
  record->created = sqlite3_column_int64 (stmt, 9);
  return record;
}

static gboolean
load_instances (CdStore    *self,
                GPtrArray  *instances,
                GError    **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  stmt = _cd_store_prepare (self,
                           "SELECT id, name, url, data_center, created FROM instances"
                           " ORDER BY id",
                           error);
  if (stmt == NULL)
    return FALSE;

  if (!_cd_store_collect_rows (self, stmt, instances, instance_from_row, error))
    return FALSE;

  return TRUE;
}

static gboolean
load_subdomains (CdStore    *self,
                 GPtrArray  *subdomains,
                 GError    **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  stmt = _cd_store_prepare (self,
                           "SELECT id, instance_id, name, created FROM subdomains ORDER BY id",
                           error);
  if (stmt == NULL)
    return FALSE;

  if (!_cd_store_collect_rows (self, stmt, subdomains, subdomain_from_row, error))
    return FALSE;

  return TRUE;
}

static gboolean
load_hosts (CdStore    *self,
            GPtrArray  *hosts,
            GError    **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  /* a database opened read-only is not migrated: version 1 has no certificates yet */
  if (self->schema_version >= 2)
    stmt = _cd_store_prepare (self,
                             "SELECT id, subdomain_id, purpose, prefix, certificate_id, created"
                             " FROM hosts ORDER BY id",
                             error);
  else
    stmt = _cd_store_prepare (self,
                             "SELECT id, subdomain_id, purpose, prefix, NULL, created"
                             " FROM hosts ORDER BY id",
                             error);
  if (stmt == NULL)
    return FALSE;

  if (!_cd_store_collect_rows (self, stmt, hosts, host_from_row, error))
    return FALSE;

  return TRUE;
}

/* The certificates the hosts point at, so a load needs no query per host. */
static gboolean
load_certificates (CdStore    *self,
                   GPtrArray  *certificates,
                   GError    **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  /* a database opened read-only is not migrated: version 1 has no certificates yet */
  if (self->schema_version < 2)
    return TRUE;

  stmt = _cd_store_prepare (self,
                           "SELECT id, sha256, subject, issuer, serial, not_before, not_after,"
                           " dns_names, key_id, created FROM certificates"
                           " WHERE id IN (SELECT certificate_id FROM hosts) ORDER BY id",
                           error);
  if (stmt == NULL)
    return FALSE;

  return _cd_store_collect_rows (self, stmt, certificates, certificate_from_row, error);
}

CdInventoryRecords *
cd_store_load_inventory (CdStore  *self,
                         GError  **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdInventoryRecords) records = NULL;
  gboolean own_transaction;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  records = g_new0 (CdInventoryRecords, 1);
  records->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_instance_record_free);
  records->subdomains =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cd_subdomain_record_free);
  records->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_host_record_free);
  records->certificates =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cd_certificate_record_free);

  /* an empty file opened read-only has no tables yet */
  if (self->schema_version == 0)
    return g_steal_pointer (&records);

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  /* One read transaction: the four lists come from the same snapshot. A write function that
   * reads in the middle of its own transaction already has one, with its own changes. */
  own_transaction = sqlite3_get_autocommit (_cd_store_db (self));
  if (own_transaction)
    {
      rc = sqlite3_exec (_cd_store_db (self), "BEGIN DEFERRED", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          _cd_store_set_sqlite_error (self, rc, error);
          return NULL;
        }
    }

  if (!load_instances (self, records->instances, error) ||
      !load_subdomains (self, records->subdomains, error) ||
      !load_hosts (self, records->hosts, error) ||
      !load_certificates (self, records->certificates, error))
    {
      if (own_transaction)
        _cd_store_rollback (self);
      return NULL;
    }

  if (own_transaction && !_cd_store_commit (self, error))
    return NULL;

  if (self->schema_version < 3)
    {
      for (guint i = 0; i < records->instances->len; i++)
        {
          CdInstanceRecord *record = g_ptr_array_index (records->instances, i);
          record->created = _cd_store_read_time (self->schema_version, record->created);
        }
      for (guint i = 0; i < records->subdomains->len; i++)
        {
          CdSubdomainRecord *record = g_ptr_array_index (records->subdomains, i);
          record->created = _cd_store_read_time (self->schema_version, record->created);
        }
      for (guint i = 0; i < records->hosts->len; i++)
        {
          CdHostRecord *record = g_ptr_array_index (records->hosts, i);
          record->created = _cd_store_read_time (self->schema_version, record->created);
        }
      for (guint i = 0; i < records->certificates->len; i++)
        {
          CdCertificateRecord *record = g_ptr_array_index (records->certificates, i);
          record->not_before = _cd_store_read_time (self->schema_version, record->not_before);
          record->not_after = _cd_store_read_time (self->schema_version, record->not_after);
          record->created = _cd_store_read_time (self->schema_version, record->created);
        }
    }

  return g_steal_pointer (&records);
}

static void
load_inventory_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  CdStore *self = source_object;
  g_autoptr(GError) error = NULL;
  CdInventoryRecords *records;

  if (g_task_return_error_if_cancelled (task))
    return;

  records = cd_store_load_inventory (self, &error);
  if (records == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, records, (GDestroyNotify) cd_inventory_records_free);
}

void
cd_store_load_inventory_async (CdStore             *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CD_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_store_load_inventory_async);
  g_task_set_name (task, "[certdesk] load inventory");
  g_task_run_in_thread (task, load_inventory_thread);
}

CdInventoryRecords *
cd_store_load_inventory_finish (CdStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_store_load_inventory_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
