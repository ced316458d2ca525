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

void
cd_inventory_removal_free (CdInventoryRemoval *removal)
{
  if (removal == NULL)
    return;

  g_clear_object (&removal->item);
  g_clear_object (&removal->parent);
  g_clear_pointer (&removal->instance, cd_instance_record_free);
  g_clear_pointer (&removal->subdomains, g_ptr_array_unref);
  g_clear_pointer (&removal->hosts, g_ptr_array_unref);
  g_free (removal);
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

CdInventoryRemoval *
cd_inventory_remove (CdInventory  *self,
                     GObject      *item,
                     GError      **error)
{
  g_autoptr(CdInventoryRemoval) removal = NULL;
  GListStore *container;
  gboolean deleted;

  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (CD_IS_INSTANCE (item) || CD_IS_SUBDOMAIN (item) || CD_IS_HOST (item),
                        NULL);

  if (!_cd_inventory_check_writable (self, error))
    return NULL;

  removal = g_new0 (CdInventoryRemoval, 1);
  removal->item = g_object_ref (item);
  removal->subdomains = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_subdomain_record_free);
  removal->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_host_record_free);

  if (CD_IS_INSTANCE (item))
    {
      CdInstance *instance = CD_INSTANCE (item);
      GListModel *subdomains = cd_instance_get_subdomains (instance);
      guint n = g_list_model_get_n_items (subdomains);

      container = _cd_inventory_get_instance_store (self);
      removal->instance = _cd_instance_to_record (instance);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (subdomains, i);
          snapshot_subdomain (removal, subdomain);
        }
      deleted = cd_store_delete_instance (cd_inventory_get_store (self), cd_instance_get_id (instance), error);
    }
  else if (CD_IS_SUBDOMAIN (item))
    {
      CdSubdomain *subdomain = CD_SUBDOMAIN (item);
      CdInstance *instance = cd_subdomain_get_instance (subdomain);

      g_return_val_if_fail (instance != NULL, NULL);
      removal->parent = g_object_ref (G_OBJECT (instance));
      container = _cd_instance_get_store (instance);
      snapshot_subdomain (removal, subdomain);
      deleted = cd_store_delete_subdomain (cd_inventory_get_store (self), cd_subdomain_get_id (subdomain), error);
    }
  else
    {
      CdHost *host = CD_HOST (item);
      CdSubdomain *subdomain = cd_host_get_subdomain (host);

      g_return_val_if_fail (subdomain != NULL, NULL);
      removal->parent = g_object_ref (G_OBJECT (subdomain));
      container = _cd_subdomain_get_store (subdomain);
      g_ptr_array_add (removal->hosts, _cd_host_to_record (host));
      deleted = cd_store_delete_host (cd_inventory_get_store (self), cd_host_get_id (host), error);
    }

  if (!deleted)
    return NULL;

  if (find_position (G_LIST_MODEL (container), item, &removal->position))
    g_list_store_remove (container, removal->position);

  if (CD_IS_INSTANCE (removal->parent))
    _cd_inventory_refresh_instance_status (self, CD_INSTANCE (removal->parent));
  else if (CD_IS_SUBDOMAIN (removal->parent) &&
           cd_subdomain_get_instance (CD_SUBDOMAIN (removal->parent)) != NULL)
    _cd_inventory_refresh_instance_status (self, cd_subdomain_get_instance (CD_SUBDOMAIN (removal->parent)));

  return g_steal_pointer (&removal);
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

gboolean
cd_inventory_undo_removal (CdInventory         *self,
                           CdInventoryRemoval  *removal,
                           GError             **error)
{
  GListStore *container;
  CdInstance *instance;
  guint n;

  g_return_val_if_fail (CD_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (removal != NULL, FALSE);

  if (!_cd_inventory_check_writable (self, error))
    return FALSE;

  if (!parent_still_present (self, removal))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The instance or subdomain it belonged to has been deleted since, so it cannot be put back."));
      return FALSE;
    }

  if (!cd_store_restore (cd_inventory_get_store (self), removal->instance, removal->subdomains, removal->hosts,
                         error))
    return FALSE;

  if (CD_IS_INSTANCE (removal->item))
    {
      container = _cd_inventory_get_instance_store (self);
      instance = CD_INSTANCE (removal->item);
    }
  else if (CD_IS_SUBDOMAIN (removal->item))
    {
      instance = CD_INSTANCE (removal->parent);
      container = _cd_instance_get_store (instance);
    }
  else
    {
      CdSubdomain *subdomain = CD_SUBDOMAIN (removal->parent);

      instance = cd_subdomain_get_instance (subdomain);
      container = _cd_subdomain_get_store (subdomain);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (container));
  g_list_store_insert (container, MIN (removal->position, n), removal->item);
  _cd_inventory_refresh_instance_status (self, instance);
  return TRUE;
}
