// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-test-inventory"

#include "config.h"

#include "cd-test-inventory.h"
#include "cd-test-util.h"

void
cd_test_got_result (GObject      *source,
                    GAsyncResult *result,
                    gpointer      slot)
{
  GAsyncResult **out = slot;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
cd_test_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gpointer
borrowed (gpointer item)
{
  /* still held by the inventory's lists after a successful change */
  if (item != NULL)
    g_object_unref (item);
  return item;
}

CdInstance *
cd_test_add_instance (CdInventory  *inventory,
                      const char   *name,
                      const char   *url,
                      const char   *data_center,
                      GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_add_instance_async (inventory, name, url, data_center, NULL, cd_test_got_result,
                                   &result);
  return borrowed (cd_inventory_add_instance_finish (inventory, cd_test_wait_for (&result),
                                                     error));
}

gboolean
cd_test_update_instance (CdInventory  *inventory,
                         CdInstance   *instance,
                         const char   *name,
                         const char   *url,
                         const char   *data_center,
                         GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_update_instance_async (inventory, instance, name, url, data_center, NULL,
                                      cd_test_got_result, &result);
  return cd_inventory_update_instance_finish (inventory, cd_test_wait_for (&result), error);
}

CdSubdomain *
cd_test_add_subdomain (CdInventory         *inventory,
                       CdInstance          *instance,
                       const char          *name,
                       const char * const  *purposes,
                       GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_add_subdomain_async (inventory, instance, name, purposes, NULL,
                                    cd_test_got_result, &result);
  return borrowed (cd_inventory_add_subdomain_finish (inventory, cd_test_wait_for (&result),
                                                      error));
}

gboolean
cd_test_rename_subdomain (CdInventory  *inventory,
                          CdSubdomain  *subdomain,
                          const char   *name,
                          GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_rename_subdomain_async (inventory, subdomain, name, NULL, cd_test_got_result,
                                       &result);
  return cd_inventory_rename_subdomain_finish (inventory, cd_test_wait_for (&result), error);
}

CdHost *
cd_test_add_host (CdInventory  *inventory,
                  CdSubdomain  *subdomain,
                  const char   *purpose,
                  const char   *prefix,
                  GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_add_host_async (inventory, subdomain, purpose, prefix, NULL, cd_test_got_result,
                               &result);
  return borrowed (cd_inventory_add_host_finish (inventory, cd_test_wait_for (&result), error));
}

gboolean
cd_test_update_host (CdInventory  *inventory,
                     CdHost       *host,
                     const char   *purpose,
                     const char   *prefix,
                     GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_update_host_async (inventory, host, purpose, prefix, NULL, cd_test_got_result,
                                  &result);
  return cd_inventory_update_host_finish (inventory, cd_test_wait_for (&result), error);
}

CdInventoryRemoval *
cd_test_remove_item (CdInventory  *inventory,
                     GObject      *item,
                     GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_remove_async (inventory, item, NULL, cd_test_got_result, &result);
  return cd_inventory_remove_finish (inventory, cd_test_wait_for (&result), error);
}

gboolean
cd_test_undo_removal (CdInventory         *inventory,
                      CdInventoryRemoval  *removal,
                      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_inventory_undo_removal_async (inventory, removal, NULL, cd_test_got_result, &result);
  return cd_inventory_undo_removal_finish (inventory, cd_test_wait_for (&result), error);
}

void
cd_test_release_store (CdStore **store)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  if (*store == NULL)
    return;

  while (g_atomic_int_get (&G_OBJECT (*store)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_clear_object (store);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_inventory_load_finish (CD_INVENTORY (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

void
cd_test_load_inventory (CdInventory *inventory)
{
  gboolean done = FALSE;

  cd_inventory_load_async (inventory, NULL, loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
cd_test_inventory_set_up (CdTestInventoryFixture *fixture,
                          gconstpointer           data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("certdesk-test-inventory-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "certdesk.db", NULL);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fixture->inventory = cd_inventory_new (fixture->store);
  cd_test_load_inventory (fixture->inventory);
}

void
cd_test_inventory_tear_down (CdTestInventoryFixture *fixture,
                             gconstpointer           data)
{
  g_clear_object (&fixture->inventory);
  cd_test_release_store (&fixture->store);
  cd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}
