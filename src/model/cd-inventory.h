// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-host.h"
#include "cd-instance.h"
#include "cd-store.h"
#include "cd-subdomain.h"

G_BEGIN_DECLS

#define CD_TYPE_INVENTORY (cd_inventory_get_type ())
G_DECLARE_FINAL_TYPE (CdInventory, cd_inventory, CD, INVENTORY, GObject)

/* What a removal took away, so that it can be put back. */
typedef struct _CdInventoryRemoval CdInventoryRemoval;

typedef enum
{
  CD_INVENTORY_OPEN_DEFAULT = 0,
  CD_INVENTORY_OPEN_READ_ONLY = 1 << 0,
  /* fill a new, empty database with the sample inventory of `certdesk --demo` */
  CD_INVENTORY_OPEN_SEED_DEMO = 1 << 1,
} CdInventoryOpenFlags;

/* Where the inventory lives unless told otherwise: $XDG_DATA_HOME/certdesk/certdesk.db */
char        *cd_inventory_get_default_path   (void);

/* Opens (and migrates) the database at @path off the main loop. The inventory comes back
 * empty: load it with cd_inventory_load_async(). Errors are those of cd_store_open(). */
void         cd_inventory_open_async         (const char           *path,
                                              CdInventoryOpenFlags  flags,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CdInventory *cd_inventory_open_finish        (GAsyncResult         *result,
                                              GError              **error);

/* Renames a database that cannot be read out of the way, keeping it for a later rescue, and
 * returns where it went. */
char        *cd_inventory_move_aside         (const char           *path,
                                              GError              **error);

CdInventory *cd_inventory_new                (CdStore              *store);
const char  *cd_inventory_get_path           (CdInventory          *self);
/* How many jobs were found unfinished when the database was opened, and marked interrupted */
guint        cd_inventory_get_interrupted_jobs (CdInventory        *self);
CdStore     *cd_inventory_get_store          (CdInventory          *self);
gboolean     cd_inventory_is_read_only       (CdInventory          *self);
/* CdInstance items in the order they were added. Every change emits items-changed for
 * exactly the rows it touched; the subdomain and host lists of each item do the same. */
GListModel  *cd_inventory_get_instances      (CdInventory          *self);

/* Reads the whole inventory off the main loop and replaces what the lists hold. */
void         cd_inventory_load_async         (CdInventory          *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     cd_inventory_load_finish        (CdInventory          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Status thresholds in days; changing them recomputes every status. */
void         cd_inventory_set_thresholds     (CdInventory          *self,
                                              int                   expiring_days,
                                              int                   critical_days);

/* Checks of what a person typed, for messages beside the field while they type. Each returns
 * the value as it would be stored, or NULL with CD_ERROR_INVALID_NAME, _INVALID_VALUE or
 * _DUPLICATE and a message. @except is the item being edited, so its own name is not a
 * duplicate. */
char        *cd_inventory_check_instance_name (CdInventory         *self,
                                               const char          *name,
                                               CdInstance          *except,
                                               GError             **error);
char        *cd_inventory_check_instance_url  (CdInventory         *self,
                                               const char          *url,
                                               GError             **error);
char        *cd_inventory_check_subdomain_name (CdInventory        *self,
                                                const char         *name,
                                                CdSubdomain        *except,
                                                GError            **error);
char        *cd_inventory_check_host_prefix   (CdInventory         *self,
                                               CdSubdomain         *subdomain,
                                               const char          *prefix,
                                               CdHost              *except,
                                               GError             **error);

/* Changes run the same checks, write the store, then update the lists. They return the new
 * item (owned by the inventory) or FALSE/NULL with the error and nothing changed. */
CdInstance  *cd_inventory_add_instance       (CdInventory          *self,
                                              const char           *name,
                                              const char           *url,
                                              const char           *data_center,
                                              GError              **error);
gboolean     cd_inventory_update_instance    (CdInventory          *self,
                                              CdInstance           *instance,
                                              const char           *name,
                                              const char           *url,
                                              const char           *data_center,
                                              GError              **error);
/* Adds the subdomain with a host for each of @purposes (NULL-terminated CD_HOST_PURPOSE_*
 * values other than custom, each with its default prefix), in one transaction. */
CdSubdomain *cd_inventory_add_subdomain      (CdInventory          *self,
                                              CdInstance           *instance,
                                              const char           *name,
                                              const char * const   *purposes,
                                              GError              **error);
gboolean     cd_inventory_rename_subdomain   (CdInventory          *self,
                                              CdSubdomain          *subdomain,
                                              const char           *name,
                                              GError              **error);
CdHost      *cd_inventory_add_host           (CdInventory          *self,
                                              CdSubdomain          *subdomain,
                                              const char           *purpose,
                                              const char           *prefix,
                                              GError              **error);
gboolean     cd_inventory_update_host        (CdInventory          *self,
                                              CdHost               *host,
                                              const char           *purpose,
                                              const char           *prefix,
                                              GError              **error);

/* The name people read for a CdInstance, CdSubdomain (Unicode form) or CdHost (full name). */
const char  *cd_inventory_item_get_name      (GObject              *item);

/* Removes a CdInstance, CdSubdomain or CdHost with everything below it. */
CdInventoryRemoval *cd_inventory_remove      (CdInventory          *self,
                                              GObject              *item,
                                              GError              **error);
/* Puts back what @removal took, under the same ids and at the same positions. */
gboolean     cd_inventory_undo_removal       (CdInventory          *self,
                                              CdInventoryRemoval   *removal,
                                              GError              **error);
void         cd_inventory_removal_free       (CdInventoryRemoval   *removal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdInventoryRemoval, cd_inventory_removal_free)

G_END_DECLS
