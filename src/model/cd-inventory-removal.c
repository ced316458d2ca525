// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-inventory"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-center.h"
#include "cd-dns-name.h"
#include "cd-error.h"
#include "cd-inventory.h"
#include "cd-inventory-private.h"

struct _CdInventoryRemoval
{
  GObject *item;   /* what was removed, with its children still attached */
  GObject *parent; /* the CdInstance or CdSubdomain it was in, NULL for an instance */
  guint position;
  CdInstanceRecord *instance;
  GPtrArray *subdomains;
  GPtrArray *hosts;
};

/* Removal and undo */

static void
removal_clear (CdInventoryRemoval *removal)
{
  g_clear_object (&removal->item);
  g_clear_object (&removal->parent);
  g_clear_pointer (&removal->instance, cd_instance_record_free);
  g_clear_pointer (&removal->subdomains, g_ptr_array_unref);
  g_clear_pointer (&removal->hosts, g_ptr_array_unref);
}

CdInventoryRemoval *
cd_inventory_removal_ref (CdInventoryRemoval *removal)
{
  g_return_val_if_fail (removal != NULL, NULL);

  return g_atomic_rc_box_acquire (removal);
}

void
cd_inventory_removal_unref (CdInventoryRemoval *removal)
{
  if (removal != NULL)
    g_atomic_rc_box_release_full (removal, (GDestroyNotify) removal_clear);
}

static void
snapshot_subdomain (CdInventoryRemoval *removal,
                    CdSubdomain        *subdomain)
{
  GListModel *hosts = cd_subdomain_get_hosts (subdomain);
  guint n = g_list_model_get_n_items (hosts);

  g_ptr_array_add (removal->subdomains, _cd_subdomain_to_record (subdomain));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdHost) host = g_list_model_get_item (hosts, i);
      g_ptr_array_add (removal->hosts, _cd_host_to_record (host));
    }
}

static gboolean
find_position (GListModel *model,
               gpointer    item,
               guint      *position)
{
  return g_list_store_find (G_LIST_STORE (model), item, position);
}

/* The list that holds @item, or held it. */
static GListStore *
container_of (CdInventory *self,
              GObject     *item,
              GObject     *parent)
{
  if (CD_IS_INSTANCE (item))
    return _cd_inventory_get_instance_store (self);
  if (CD_IS_SUBDOMAIN (item))
    return _cd_instance_get_store (CD_INSTANCE (parent));
  return _cd_subdomain_get_store (CD_SUBDOMAIN (parent));
}

static CdInstance *
instance_of (GObject *item,
             GObject *parent)
{
  if (CD_IS_INSTANCE (item))
    return CD_INSTANCE (item);
  if (CD_IS_SUBDOMAIN (item))
    return CD_INSTANCE (parent);
  return cd_subdomain_get_instance (CD_SUBDOMAIN (parent));
}

/* What the writer thread deletes: plain values, read on the caller's thread. */
typedef enum
{
  DELETE_INSTANCE,
  DELETE_SUBDOMAIN,
  DELETE_HOST,
} DeleteKind;

typedef struct
{
  CdInventoryRemoval *removal;
  DeleteKind          kind;
  gint64              id;
} Deletion;

static void
deletion_free (Deletion *deletion)
{
  g_clear_pointer (&deletion->removal, cd_inventory_removal_unref);
  g_free (deletion);
}

static gboolean
delete_write (CdStore       *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Deletion *deletion = data;

  switch (deletion->kind)
    {
    case DELETE_INSTANCE:
      return cd_store_delete_instance (store, deletion->id, error);
    case DELETE_SUBDOMAIN:
      return cd_store_delete_subdomain (store, deletion->id, error);
    case DELETE_HOST:
      return cd_store_delete_host (store, deletion->id, error);
    default:
      g_assert_not_reached ();
    }
}

static void
delete_written (GObject      *store,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdInventory *self = g_task_get_source_object (task);
  Deletion *deletion = g_task_get_task_data (task);
  CdInventoryRemoval *removal = deletion->removal;
  GError *error = NULL;
  GListStore *container;
  CdInstance *instance;

  if (!cd_store_write_finish (CD_STORE (store), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  container = container_of (self, removal->item, removal->parent);
  if (find_position (G_LIST_MODEL (container), removal->item, &removal->position))
    g_list_store_remove (container, removal->position);

  if (removal->parent != NULL)
    {
      instance = instance_of (removal->item, removal->parent);
      if (instance != NULL)
        _cd_inventory_refresh_instance_status (self, instance);
    }

  g_task_return_pointer (task, cd_inventory_removal_ref (removal),
                         (GDestroyNotify) cd_inventory_removal_unref);
}

void
cd_inventory_remove_async (CdInventory         *self,
                           GObject             *item,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  CdInventoryRemoval *removal;
  Deletion *deletion;

  g_return_if_fail (CD_IS_INVENTORY (self));
  g_return_if_fail (CD_IS_INSTANCE (item) || CD_IS_SUBDOMAIN (item) || CD_IS_HOST (item));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_inventory_remove_async);
  /* what the store deleted, the lists lose and the caller learns, cancelled or not */
  g_task_set_check_cancellable (task, FALSE);

  if (!_cd_inventory_check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  removal = g_atomic_rc_box_new0 (CdInventoryRemoval);
  removal->item = g_object_ref (item);
  removal->subdomains = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_subdomain_record_free);
  removal->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_host_record_free);
  deletion = g_new0 (Deletion, 1);
  deletion->removal = removal;

  /* what it takes with it, as it is now, for an undo */
  if (CD_IS_INSTANCE (item))
    {
      CdInstance *instance = CD_INSTANCE (item);
      GListModel *subdomains = cd_instance_get_subdomains (instance);
      guint n = g_list_model_get_n_items (subdomains);

      removal->instance = _cd_instance_to_record (instance);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (subdomains, i);
          snapshot_subdomain (removal, subdomain);
        }
      deletion->kind = DELETE_INSTANCE;
      deletion->id = cd_instance_get_id (instance);
    }
  else if (CD_IS_SUBDOMAIN (item))
    {
      CdSubdomain *subdomain = CD_SUBDOMAIN (item);
      CdInstance *instance = cd_subdomain_get_instance (subdomain);

      removal->parent = instance != NULL ? g_object_ref (G_OBJECT (instance)) : NULL;
      snapshot_subdomain (removal, subdomain);
      deletion->kind = DELETE_SUBDOMAIN;
      deletion->id = cd_subdomain_get_id (subdomain);
    }
  else
    {
      CdHost *host = CD_HOST (item);
      CdSubdomain *subdomain = cd_host_get_subdomain (host);

      removal->parent = subdomain != NULL ? g_object_ref (G_OBJECT (subdomain)) : NULL;
      g_ptr_array_add (removal->hosts, _cd_host_to_record (host));
      deletion->kind = DELETE_HOST;
      deletion->id = cd_host_get_id (host);
    }

  if (!CD_IS_INSTANCE (item) && removal->parent == NULL)
    {
      deletion_free (deletion);
      g_task_return_new_error (task, CD_ERROR, CD_ERROR_NOT_FOUND,
                               _("“%s” is no longer in the inventory."),
                               cd_inventory_item_get_name (item));
      return;
    }

  g_task_set_task_data (task, deletion, (GDestroyNotify) deletion_free);
  cd_store_write_async (cd_inventory_get_store (self), delete_write, deletion, NULL, cancellable,
                        delete_written, g_steal_pointer (&task));
}

CdInventoryRemoval *
cd_inventory_remove_finish (CdInventory   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_inventory_remove_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
parent_still_present (CdInventory        *self,
                      CdInventoryRemoval *removal)
{
  CdInstance *instance = NULL;
  guint position;

  if (removal->parent == NULL)
    return TRUE;

  if (CD_IS_SUBDOMAIN (removal->parent))
    {
      CdSubdomain *subdomain = CD_SUBDOMAIN (removal->parent);

      instance = cd_subdomain_get_instance (subdomain);
      if (instance == NULL ||
          !find_position (cd_instance_get_subdomains (instance), subdomain, &position))
        return FALSE;
    }
  else
    instance = CD_INSTANCE (removal->parent);

  return find_position (G_LIST_MODEL (_cd_inventory_get_instance_store (self)), instance, &position);
}

static void
set_parent_gone_error (GError **error)
{
  g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
               _("The instance or subdomain it belonged to has been deleted since, so it cannot be put back."));
}

static gboolean
restore_write (CdStore       *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  CdInventoryRemoval *removal = data;

  /* the records are not changed once taken: safe to read on this thread */
  return cd_store_restore (store, removal->instance, removal->subdomains, removal->hosts, error);
}

static void
restore_written (GObject      *store,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdInventory *self = g_task_get_source_object (task);
  CdInventoryRemoval *removal = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GListStore *container;
  guint n;

  if (!cd_store_write_finish (CD_STORE (store), result, &error))
    {
      /* the store refuses children whose parent went: say why as a person would */
      if (g_error_matches (error, CD_ERROR, CD_ERROR_NOT_FOUND) && removal->parent != NULL)
        {
          g_clear_error (&error);
          set_parent_gone_error (&error);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  container = container_of (self, removal->item, removal->parent);
  n = g_list_model_get_n_items (G_LIST_MODEL (container));
  g_list_store_insert (container, MIN (removal->position, n), removal->item);
  _cd_inventory_refresh_instance_status (self, instance_of (removal->item, removal->parent));
  g_task_return_boolean (task, TRUE);
}

void
cd_inventory_undo_removal_async (CdInventory         *self,
                                 CdInventoryRemoval  *removal,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CD_IS_INVENTORY (self));
  g_return_if_fail (removal != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_inventory_undo_removal_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!_cd_inventory_check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!parent_still_present (self, removal))
    {
      set_parent_gone_error (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, cd_inventory_removal_ref (removal),
                        (GDestroyNotify) cd_inventory_removal_unref);
  cd_store_write_async (cd_inventory_get_store (self), restore_write, removal, NULL, cancellable,
                        restore_written, g_steal_pointer (&task));
}

gboolean
cd_inventory_undo_removal_finish (CdInventory   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                          cd_inventory_undo_removal_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
