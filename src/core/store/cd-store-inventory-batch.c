// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* Changes of several inventory rows in one transaction: all of them are written, or none. */

typedef struct
{
  const CdSubdomainRecord *record;
  GPtrArray               *hosts;
  gint64                   result;
} SubdomainWithHostsWrite;

typedef struct
{
  const CdInstanceRecord *instance;
  GPtrArray              *subdomains;
  GPtrArray              *hosts;
} RestoreWrite;

static gboolean
add_subdomain_with_hosts_write (CdStore       *self,
                                gpointer       data,
                                GCancellable  *cancellable,
                                GError       **error)
{
  SubdomainWithHostsWrite *write = data;
  guint n_hosts = write->hosts != NULL ? write->hosts->len : 0;
  g_autofree gint64 *host_ids = g_new0 (gint64, n_hosts + 1);
  gint64 subdomain_id;

  if (!_cd_store_begin (self, error))
    return FALSE;

  subdomain_id = _cd_store_insert_subdomain (self, write->record, error);
  if (subdomain_id == 0)
    goto fail;

  for (guint i = 0; i < n_hosts; i++)
    {
      CdHostRecord host = *(CdHostRecord *) g_ptr_array_index (write->hosts, i);

      host.subdomain_id = subdomain_id;
      host_ids[i] = _cd_store_insert_host (self, &host, error);
      if (host_ids[i] == 0)
        goto fail;
    }

  if (!_cd_store_commit (self, error))
    return FALSE;

  /* the caller's records learn their ids only once they are stored */
  for (guint i = 0; i < n_hosts; i++)
    {
      CdHostRecord *host = g_ptr_array_index (write->hosts, i);

      host->id = host_ids[i];
      host->subdomain_id = subdomain_id;
    }

  write->result = subdomain_id;
  return TRUE;

fail:
  _cd_store_rollback (self);
  return FALSE;
}

gint64
cd_store_add_subdomain_with_hosts (CdStore                  *self,
                                   const CdSubdomainRecord  *record,
                                   GPtrArray                *hosts,
                                   GError                  **error)
{
  SubdomainWithHostsWrite write = { record, hosts, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_write_sync (self, add_subdomain_with_hosts_write, &write, error))
    return 0;

  return write.result;
}

static gboolean
restore_write (CdStore       *self,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  RestoreWrite *write = data;

  if (!_cd_store_begin (self, error))
    return FALSE;

  /* parents before children, so every reference holds when its row goes in */
  if (write->instance != NULL && _cd_store_insert_instance (self, write->instance, error) == 0)
    goto fail;

  for (guint i = 0; write->subdomains != NULL && i < write->subdomains->len; i++)
    {
      if (_cd_store_insert_subdomain (self, g_ptr_array_index (write->subdomains, i), error) == 0)
        goto fail;
    }

  for (guint i = 0; write->hosts != NULL && i < write->hosts->len; i++)
    {
      if (_cd_store_insert_host (self, g_ptr_array_index (write->hosts, i), error) == 0)
        goto fail;
    }

  return _cd_store_commit (self, error);

fail:
  _cd_store_rollback (self);
  return FALSE;
}

gboolean
cd_store_restore (CdStore                 *self,
                  const CdInstanceRecord  *instance,
                  GPtrArray               *subdomains,
                  GPtrArray               *hosts,
                  GError                 **error)
{
  RestoreWrite write = { instance, subdomains, hosts };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, restore_write, &write, error);
}
