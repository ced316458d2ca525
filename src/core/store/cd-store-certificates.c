// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* Certificates and the private keys Certdesk holds for them. The keys themselves are files;
 * the store only knows where they are and what they are. */

typedef struct
{
  gconstpointer record;
  gint64        result;
} RecordWrite;

static gboolean
add_key_write (CdStore       *self,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  RecordWrite *write = data;
  const CdKeyRecord *record = write->record;
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  stmt = _cd_store_prepare (self,
                           "INSERT INTO keys (id, path, type, bits, curve, created)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    return FALSE;

  _cd_store_bind_id (stmt, 1, record->id);
  _cd_store_bind_text (stmt, 2, record->path);
  _cd_store_bind_text (stmt, 3, record->type);
  sqlite3_bind_int (stmt, 4, record->bits);
  _cd_store_bind_text (stmt, 5, record->curve);
  sqlite3_bind_int64 (stmt, 6, record->created != 0 ? record->created : g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The key “%s” is already in the inventory."), record->path);
      return FALSE;
    }
  else if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  write->result = sqlite3_last_insert_rowid (_cd_store_db (self));
  return TRUE;
}

gint64
cd_store_add_key (CdStore            *self,
                  const CdKeyRecord  *record,
                  GError            **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (record->path != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (g_strcmp0 (record->type, "rsa") != 0 && g_strcmp0 (record->type, "ec") != 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is not a key type Certdesk handles: use RSA or EC."),
                   record->type != NULL ? record->type : "");
      return 0;
    }

  if (!_cd_store_write_sync (self, add_key_write, &write, error))
    return 0;

  return write.result;
}

static gboolean
add_certificate_write (CdStore       *self,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  RecordWrite *write = data;
  const CdCertificateRecord *record = write->record;
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  stmt = _cd_store_prepare (self,
                           "INSERT INTO certificates (id, der, sha256, subject, issuer, serial,"
                           " not_before, not_after, dns_names, key_id, created)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                           error);
  if (stmt == NULL)
    return FALSE;

  _cd_store_bind_id (stmt, 1, record->id);
  _cd_store_bind_bytes (stmt, 2, record->der);
  _cd_store_bind_text (stmt, 3, record->sha256);
  _cd_store_bind_text (stmt, 4, record->subject != NULL ? record->subject : "");
  _cd_store_bind_text (stmt, 5, record->issuer != NULL ? record->issuer : "");
  _cd_store_bind_text (stmt, 6, record->serial != NULL ? record->serial : "");
  sqlite3_bind_int64 (stmt, 7, record->not_before);
  sqlite3_bind_int64 (stmt, 8, record->not_after);
  _cd_store_bind_text (stmt, 9, record->dns_names != NULL ? record->dns_names : "");
  _cd_store_bind_id (stmt, 10, record->key_id);
  sqlite3_bind_int64 (stmt, 11,
                      record->created != 0 ? record->created : g_get_real_time ());

  rc = sqlite3_step (stmt);
  switch (rc)
    {
    case SQLITE_DONE:
      write->result = sqlite3_last_insert_rowid (_cd_store_db (self));
      return TRUE;

    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The certificate with the SHA-256 fingerprint %s is already in the "
                     "inventory."),
                   record->sha256);
      return FALSE;

    case SQLITE_CONSTRAINT_FOREIGNKEY:
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The key #%lld of this certificate is not in the "
                     "inventory."),
                   (long long) record->key_id);
      return FALSE;

    default:
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
}

gint64
cd_store_add_certificate (CdStore                    *self,
                          const CdCertificateRecord  *record,
                          GError                    **error)
{
  RecordWrite write = { record, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (record->der != NULL, 0);
  g_return_val_if_fail (record->sha256 != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_write_sync (self, add_certificate_write, &write, error))
    return 0;

  return write.result;
}

static void
set_certificate_missing_error (gint64    id,
                               GError  **error)
{
  g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
               _("The certificate #%lld is not in the inventory; it may have "
                 "been deleted."),
               (long long) id);
}

CdCertificateRecord *
cd_store_get_certificate (CdStore  *self,
                          gint64    id,
                          GError  **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdStoreStmt) stmt = NULL;
  CdCertificateRecord *record;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  /* a read-only store of an older schema has no certificates */
  if (self->schema_version < 2)
    {
      set_certificate_missing_error (id, error);
      return NULL;
    }

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  stmt = _cd_store_prepare (self,
                           "SELECT id, der, sha256, subject, issuer, serial, not_before,"
                           " not_after, dns_names, key_id, created FROM certificates"
                           " WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      set_certificate_missing_error (id, error);
      return NULL;
    }
  else if (rc != SQLITE_ROW)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  record = g_new0 (CdCertificateRecord, 1);
  record->id = sqlite3_column_int64 (stmt, 0);
  record->der = _cd_store_column_dup_bytes (stmt, 1);
  record->sha256 = _cd_store_column_dup_text (stmt, 2);
  record->subject = _cd_store_column_dup_text (stmt, 3);
  record->issuer = _cd_store_column_dup_text (stmt, 4);
  record->serial = _cd_store_column_dup_text (stmt, 5);
  record->not_before = _cd_store_read_time (self->schema_version, sqlite3_column_int64 (stmt, 6));
  record->not_after = _cd_store_read_time (self->schema_version, sqlite3_column_int64 (stmt, 7));
  record->dns_names = _cd_store_column_dup_text (stmt, 8);
  record->key_id = sqlite3_column_int64 (stmt, 9);
  record->created = _cd_store_read_time (self->schema_version, sqlite3_column_int64 (stmt, 10));

  return record;
}

typedef struct
{
  gint64 host_id;
  gint64 certificate_id;
} HostCertificateWrite;

static gboolean
set_host_certificate_write (CdStore       *self,
                            gpointer       data,
                            GCancellable  *cancellable,
                            GError       **error)
{
  HostCertificateWrite *write = data;
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  stmt = _cd_store_prepare (self, "UPDATE hosts SET certificate_id = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, write->host_id);
  _cd_store_bind_id (stmt, 2, write->certificate_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      set_certificate_missing_error (write->certificate_id, error);
      return FALSE;
    }
  else if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  if (sqlite3_changes (_cd_store_db (self)) == 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The host #%lld is not in the inventory; it may have been "
                     "deleted."),
                   (long long) write->host_id);
      return FALSE;
    }

  return TRUE;
}

gboolean
cd_store_set_host_certificate (CdStore  *self,
                               gint64    host_id,
                               gint64    certificate_id,
                               GError  **error)
{
  HostCertificateWrite write = { host_id, certificate_id };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, set_host_certificate_write, &write, error);
}
