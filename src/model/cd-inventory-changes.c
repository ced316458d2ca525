// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-inventory"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-error.h"
#include "cd-inventory.h"
#include "cd-inventory-private.h"

/* Adding and editing instances, subdomains and hosts. Each change checks what it is given on
 * the calling thread, has the store's writer thread write it, and updates the lists back on
 * the caller's main context once the store has said yes. */

/* A change on its way: what the writer thread writes, and what the lists need once it has. */
typedef struct
{
  GObject           *item;      /* the item changed, or the parent of a new one */
  CdInstanceRecord  *instance;
  CdSubdomainRecord *subdomain;
  CdHostRecord      *host;
  GPtrArray         *hosts;     /* CdHostRecord: the hosts of a new subdomain */
} Change;

static void
change_free (Change *change)
{
  g_clear_object (&change->item);
  g_clear_pointer (&change->instance, cd_instance_record_free);
  g_clear_pointer (&change->subdomain, cd_subdomain_record_free);
  g_clear_pointer (&change->host, cd_host_record_free);
  g_clear_pointer (&change->hosts, g_ptr_array_unref);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Change, change_free)

static Change *
change_new (gpointer item)
{
  Change *change = g_new0 (Change, 1);

  change->item = item != NULL ? g_object_ref (G_OBJECT (item)) : NULL;
  return change;
}

static GTask *
change_task_new (CdInventory         *self,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* what the store wrote, the lists show and the caller learns, cancelled or not */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

/* Hands @change to the writer thread; @written gets @task back. */
static void
change_write (CdInventory         *self,
              GTask               *task,
              Change              *change,
              CdStoreWriteFunc     func,
              GAsyncReadyCallback  written)
{
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  cd_store_write_async (cd_inventory_get_store (self), func, change, NULL,
                        g_task_get_cancellable (task), written, task);
}

/* The store's answer, on the caller's context: FALSE (and @task returned) when it failed. */
static gboolean
change_written (GObject      *store,
                GAsyncResult *result,
                GTask        *task)
{
  GError *error = NULL;

  if (!cd_store_write_finish (CD_STORE (store), result, &error))
    {
      g_task_return_error (task, error);
      return FALSE;
    }

  return TRUE;
}

static gpointer
change_finish (CdInventory   *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
change_finish_boolean (CdInventory   *self,
                       GAsyncResult  *result,
                       gpointer       source_tag,
                       GError       **error)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Instances */

static gboolean
add_instance_write (CdStore       *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Change *change = data;

  change->instance->id = cd_store_add_instance (store, change->instance, error);
  return change->instance->id != 0;
}

static void
add_instance_written (GObject      *store,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdInventory *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  CdInstance *instance;

  if (!change_written (store, result, task))
    return;

  instance = _cd_instance_new (change->instance);
  g_list_store_append (_cd_inventory_get_instance_store (self), instance);
  g_task_return_pointer (task, instance, g_object_unref);
}

void
cd_inventory_add_instance_async (CdInventory         *self,
                                 const char          *name,
                                 const char          *url,
                                 const char          *data_center,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Change) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checked_name = NULL;
  g_autofree char *checked_url = NULL;

  g_return_if_fail (CD_IS_INVENTORY (self));

  task = change_task_new (self, cd_inventory_add_instance_async, cancellable, callback,
                          user_data);

  if (!_cd_inventory_check_writable (self, &error) ||
      !(checked_name = cd_inventory_check_instance_name (self, name, NULL, &error)) ||
      !(checked_url = cd_inventory_check_instance_url (self, url, &error)) ||
      !_cd_inventory_check_data_center (data_center, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  change = change_new (NULL);
  change->instance = g_new0 (CdInstanceRecord, 1);
  change->instance->name = g_steal_pointer (&checked_name);
  change->instance->url = g_steal_pointer (&checked_url);
  change->instance->data_center = g_strdup (data_center);
  change->instance->created = g_get_real_time ();

  change_write (self, g_steal_pointer (&task), g_steal_pointer (&change), add_instance_write,
                add_instance_written);
}

CdInstance *
cd_inventory_add_instance_finish (CdInventory   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return change_finish (self, result, cd_inventory_add_instance_async, error);
}

static gboolean
update_instance_write (CdStore       *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  Change *change = data;

  return cd_store_update_instance (store, change->instance, error);
}

static void
update_instance_written (GObject      *store,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Change *change = g_task_get_task_data (task);

  if (!change_written (store, result, task))
    return;

  _cd_instance_update (CD_INSTANCE (change->item), change->instance);
  g_task_return_boolean (task, TRUE);
}

void
cd_inventory_update_instance_async (CdInventory         *self,
                                    CdInstance          *instance,
                                    const char          *name,
                                    const char          *url,
                                    const char          *data_center,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Change) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checked_name = NULL;
  g_autofree char *checked_url = NULL;

  g_return_if_fail (CD_IS_INVENTORY (self));
  g_return_if_fail (CD_IS_INSTANCE (instance));

  task = change_task_new (self, cd_inventory_update_instance_async, cancellable, callback,
                          user_data);

  if (!_cd_inventory_check_writable (self, &error) ||
      !(checked_name = cd_inventory_check_instance_name (self, name, instance, &error)) ||
      !(checked_url = cd_inventory_check_instance_url (self, url, &error)) ||
      !_cd_inventory_check_data_center (data_center, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  change = change_new (instance);
  change->instance = _cd_instance_to_record (instance);
  _cd_set_string (&change->instance->name, checked_name);
  _cd_set_string (&change->instance->url, checked_url);
  _cd_set_string (&change->instance->data_center, data_center);

  change_write (self, g_steal_pointer (&task), g_steal_pointer (&change), update_instance_write,
                update_instance_written);
}

gboolean
cd_inventory_update_instance_finish (CdInventory   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return change_finish_boolean (self, result, cd_inventory_update_instance_async, error);
}

/* Subdomains */

static gboolean
add_subdomain_write (CdStore       *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Change *change = data;

  change->subdomain->id = cd_store_add_subdomain_with_hosts (store, change->subdomain,
                                                             change->hosts, error);
  return change->subdomain->id != 0;
}

static void
add_subdomain_written (GObject      *store,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdInventory *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  CdInstance *instance = CD_INSTANCE (change->item);
  CdSubdomain *subdomain;

  if (!change_written (store, result, task))
    return;

  subdomain = _cd_subdomain_new (change->subdomain, instance);
  for (guint i = 0; i < change->hosts->len; i++)
    {
      g_autoptr(CdHost) host = _cd_host_new (g_ptr_array_index (change->hosts, i), subdomain);
      g_list_store_append (_cd_subdomain_get_store (subdomain), host);
    }

  g_list_store_append (_cd_instance_get_store (instance), subdomain);
  _cd_inventory_refresh_instance_status (self, instance);
  g_task_return_pointer (task, subdomain, g_object_unref);
}

void
cd_inventory_add_subdomain_async (CdInventory         *self,
                                  CdInstance          *instance,
                                  const char          *name,
                                  const char * const  *purposes,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Change) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checked = NULL;
  gint64 now = g_get_real_time ();

  g_return_if_fail (CD_IS_INVENTORY (self));
  g_return_if_fail (CD_IS_INSTANCE (instance));

  task = change_task_new (self, cd_inventory_add_subdomain_async, cancellable, callback,
                          user_data);

  if (!_cd_inventory_check_writable (self, &error) ||
      !(checked = cd_inventory_check_subdomain_name (self, name, NULL, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  change = change_new (instance);
  change->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_host_record_free);
  for (guint i = 0; purposes != NULL && purposes[i] != NULL; i++)
    {
      const char *prefix = cd_host_purpose_get_default_prefix (purposes[i]);
      CdHostRecord *host;

      if (prefix == NULL)
        {
          g_task_return_new_error (task, CD_ERROR, CD_ERROR_INVALID_VALUE,
                                   _("A custom host needs a name of its own."));
          return;
        }
      if (!_cd_inventory_check_host_name_fits (prefix, checked, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      host = g_new0 (CdHostRecord, 1);
      host->purpose = g_strdup (purposes[i]);
      host->prefix = g_strdup (prefix);
      host->created = now;
      g_ptr_array_add (change->hosts, host);
    }

  change->subdomain = g_new0 (CdSubdomainRecord, 1);
  change->subdomain->instance_id = cd_instance_get_id (instance);
  change->subdomain->name = g_steal_pointer (&checked);
  change->subdomain->created = now;

  change_write (self, g_steal_pointer (&task), g_steal_pointer (&change), add_subdomain_write,
                add_subdomain_written);
}

CdSubdomain *
cd_inventory_add_subdomain_finish (CdInventory   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return change_finish (self, result, cd_inventory_add_subdomain_async, error);
}

static gboolean
rename_subdomain_write (CdStore       *store,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  Change *change = data;

  return cd_store_update_subdomain (store, change->subdomain, error);
}

static void
rename_subdomain_written (GObject      *store,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Change *change = g_task_get_task_data (task);

  if (!change_written (store, result, task))
    return;

  _cd_subdomain_update (CD_SUBDOMAIN (change->item), change->subdomain);
  g_task_return_boolean (task, TRUE);
}

void
cd_inventory_rename_subdomain_async (CdInventory         *self,
                                     CdSubdomain         *subdomain,
                                     const char          *name,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Change) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checked = NULL;

  g_return_if_fail (CD_IS_INVENTORY (self));
  g_return_if_fail (CD_IS_SUBDOMAIN (subdomain));

  task = change_task_new (self, cd_inventory_rename_subdomain_async, cancellable, callback,
                          user_data);

  if (!_cd_inventory_check_writable (self, &error) ||
      !(checked = cd_inventory_check_subdomain_name (self, name, subdomain, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  change = change_new (subdomain);
  change->subdomain = _cd_subdomain_to_record (subdomain);
  _cd_set_string (&change->subdomain->name, checked);

  change_write (self, g_steal_pointer (&task), g_steal_pointer (&change), rename_subdomain_write,
                rename_subdomain_written);
}

gboolean
cd_inventory_rename_subdomain_finish (CdInventory   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return change_finish_boolean (self, result, cd_inventory_rename_subdomain_async, error);
}

/* Hosts */

static gboolean
add_host_write (CdStore       *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Change *change = data;

  change->host->id = cd_store_add_host (store, change->host, error);
  return change->host->id != 0;
}

static void
add_host_written (GObject      *store,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdInventory *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  CdSubdomain *subdomain = CD_SUBDOMAIN (change->item);
  CdInstance *instance;
  CdHost *host;

  if (!change_written (store, result, task))
    return;

  host = _cd_host_new (change->host, subdomain);
  g_list_store_append (_cd_subdomain_get_store (subdomain), host);

  instance = cd_subdomain_get_instance (subdomain);
  if (instance != NULL)
    _cd_inventory_refresh_instance_status (self, instance);
  g_task_return_pointer (task, host, g_object_unref);
}

void
cd_inventory_add_host_async (CdInventory         *self,
                             CdSubdomain         *subdomain,
                             const char          *purpose,
                             const char          *prefix,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Change) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checked = NULL;

  g_return_if_fail (CD_IS_INVENTORY (self));
  g_return_if_fail (CD_IS_SUBDOMAIN (subdomain));

  task = change_task_new (self, cd_inventory_add_host_async, cancellable, callback, user_data);

  if (!_cd_inventory_check_writable (self, &error) ||
      !_cd_inventory_check_purpose (purpose, &error) ||
      !(checked = cd_inventory_check_host_prefix (self, subdomain, prefix, NULL, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  change = change_new (subdomain);
  change->host = g_new0 (CdHostRecord, 1);
  change->host->subdomain_id = cd_subdomain_get_id (subdomain);
  change->host->purpose = g_strdup (purpose);
  change->host->prefix = g_steal_pointer (&checked);
  change->host->created = g_get_real_time ();

  change_write (self, g_steal_pointer (&task), g_steal_pointer (&change), add_host_write,
                add_host_written);
}

CdHost *
cd_inventory_add_host_finish (CdInventory   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return change_finish (self, result, cd_inventory_add_host_async, error);
}

static gboolean
update_host_write (CdStore       *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Change *change = data;

  return cd_store_update_host (store, change->host, error);
}

static void
update_host_written (GObject      *store,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Change *change = g_task_get_task_data (task);

  if (!change_written (store, result, task))
    return;

  _cd_host_update (CD_HOST (change->item), change->host);
  g_task_return_boolean (task, TRUE);
}

void
cd_inventory_update_host_async (CdInventory         *self,
                                CdHost              *host,
                                const char          *purpose,
                                const char          *prefix,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Change) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checked = NULL;
  CdSubdomain *subdomain;

  g_return_if_fail (CD_IS_INVENTORY (self));
  g_return_if_fail (CD_IS_HOST (host));

  subdomain = cd_host_get_subdomain (host);
  g_return_if_fail (subdomain != NULL);

  task = change_task_new (self, cd_inventory_update_host_async, cancellable, callback,
                          user_data);

  if (!_cd_inventory_check_writable (self, &error) ||
      !_cd_inventory_check_purpose (purpose, &error) ||
      !(checked = cd_inventory_check_host_prefix (self, subdomain, prefix, host, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  change = change_new (host);
  change->host = _cd_host_to_record (host);
  _cd_set_string (&change->host->purpose, purpose);
  _cd_set_string (&change->host->prefix, checked);

  change_write (self, g_steal_pointer (&task), g_steal_pointer (&change), update_host_write,
                update_host_written);
}

gboolean
cd_inventory_update_host_finish (CdInventory   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return change_finish_boolean (self, result, cd_inventory_update_host_async, error);
}
