// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-inventory.h"

G_BEGIN_DECLS

/* The inventory's changes are asynchronous. These run one and wait for its answer, turning the
 * thread-default main context meanwhile, so that a test reads as a sequence of steps. An item
 * they return is the inventory's (its lists hold it), as the lists would hand it out. */

/* A GAsyncReadyCallback that keeps the result in *@slot (a GAsyncResult **). */
void                cd_test_got_result      (GObject             *source,
                                             GAsyncResult        *result,
                                             gpointer             slot);
/* Turns the main context until *@slot holds a result, and returns it. */
GAsyncResult       *cd_test_wait_for        (GAsyncResult       **slot);

CdInstance         *cd_test_add_instance    (CdInventory         *inventory,
                                             const char          *name,
                                             const char          *url,
                                             const char          *data_center,
                                             GError             **error);
gboolean            cd_test_update_instance (CdInventory         *inventory,
                                             CdInstance          *instance,
                                             const char          *name,
                                             const char          *url,
                                             const char          *data_center,
                                             GError             **error);
CdSubdomain        *cd_test_add_subdomain   (CdInventory         *inventory,
                                             CdInstance          *instance,
                                             const char          *name,
                                             const char * const  *purposes,
                                             GError             **error);
gboolean            cd_test_rename_subdomain (CdInventory        *inventory,
                                              CdSubdomain        *subdomain,
                                              const char         *name,
                                              GError            **error);
CdHost             *cd_test_add_host        (CdInventory         *inventory,
                                             CdSubdomain         *subdomain,
                                             const char          *purpose,
                                             const char          *prefix,
                                             GError             **error);
gboolean            cd_test_update_host     (CdInventory         *inventory,
                                             CdHost              *host,
                                             const char          *purpose,
                                             const char          *prefix,
                                             GError             **error);
/* A new reference to the removal, or NULL. */
CdInventoryRemoval *cd_test_remove_item     (CdInventory         *inventory,
                                             GObject             *item,
                                             GError             **error);
gboolean            cd_test_undo_removal    (CdInventory         *inventory,
                                             CdInventoryRemoval  *removal,
                                             GError             **error);

/* Loads @inventory from its store, turning the main context until it has, and fails the test
 * when it cannot. */
void                cd_test_load_inventory  (CdInventory         *inventory);

/* A test's own database, in a directory of its own, and an inventory loaded from it, for
 * g_test_add(): set up and torn down by the functions below, which remove the directory. */
typedef struct
{
  char        *dir;
  char        *path; /* "<dir>/certdesk.db" */
  CdStore     *store;
  CdInventory *inventory;
} CdTestInventoryFixture;

void                cd_test_inventory_set_up    (CdTestInventoryFixture *fixture,
                                                 gconstpointer           data);
void                cd_test_inventory_tear_down (CdTestInventoryFixture *fixture,
                                                 gconstpointer           data);

/* Drops the test's reference to @store once it is the last one, turning the main context
 * until every answer on its way (a task, a load thread) has let go: the store is then
 * finalized here and now, with every connection closed, before a test removes its files. */
void                cd_test_release_store   (CdStore            **store);

G_END_DECLS
