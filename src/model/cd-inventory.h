// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-host.h"
#include "cd-instance.h"
#include "cd-job-runner.h"
#include "cd-store.h"
#include "cd-subdomain.h"

G_BEGIN_DECLS

#define CD_TYPE_INVENTORY (cd_inventory_get_type ())
G_DECLARE_FINAL_TYPE (CdInventory, cd_inventory, CD, INVENTORY, GObject)

/* What a removal took away, so that it can be put back; reference counted. */
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

/* Renames a database that cannot be read out of the way, off the main loop, keeping it for a
 * later rescue; _finish returns where it went. */
void         cd_inventory_move_aside_async   (const char           *path,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char        *cd_inventory_move_aside_finish  (GAsyncResult         *result,
                                              GError              **error);

CdInventory *cd_inventory_new                (CdStore              *store);
const char  *cd_inventory_get_path           (CdInventory          *self);
/* How many jobs were found unfinished when the database was opened, and marked interrupted */
guint        cd_inventory_get_interrupted_jobs (CdInventory        *self);
CdStore     *cd_inventory_get_store          (CdInventory          *self);
/* The runner of every job started from this inventory's window, on the store; NULL while the
 * inventory is not open and when it is read-only (nothing may be recorded). */
CdJobRunner *cd_inventory_get_job_runner    (CdInventory          *self);
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

/* Changes run the checks above at once, then write the store on its writer thread, then
 * update the lists, on the caller's main context, in the order the changes were asked for: a
 * change never waits for the database on the calling thread. _finish returns the new item (a
 * new reference) or TRUE, or NULL/FALSE with the error of the checks or the store (a taken
 * name is CD_ERROR_DUPLICATE) and nothing changed. Once the store has written a change, the
 * lists follow it and the change is reported done, whether @cancellable was cancelled or not:
 * cancel only stops what has not started. */
void         cd_inventory_add_instance_async       (CdInventory          *self,
                                                    const char           *name,
                                                    const char           *url,
                                                    const char           *data_center,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
CdInstance  *cd_inventory_add_instance_finish      (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void         cd_inventory_update_instance_async    (CdInventory          *self,
                                                    CdInstance           *instance,
                                                    const char           *name,
                                                    const char           *url,
                                                    const char           *data_center,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean     cd_inventory_update_instance_finish   (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* Adds the subdomain with a host for each of @purposes (NULL-terminated CD_HOST_PURPOSE_*
 * values other than custom, each with its default prefix), in one transaction. */
void         cd_inventory_add_subdomain_async      (CdInventory          *self,
                                                    CdInstance           *instance,
                                                    const char           *name,
                                                    const char * const   *purposes,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
CdSubdomain *cd_inventory_add_subdomain_finish     (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void         cd_inventory_rename_subdomain_async   (CdInventory          *self,
                                                    CdSubdomain          *subdomain,
                                                    const char           *name,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean     cd_inventory_rename_subdomain_finish  (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void         cd_inventory_add_host_async           (CdInventory          *self,
                                                    CdSubdomain          *subdomain,
                                                    const char           *purpose,
                                                    const char           *prefix,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
CdHost      *cd_inventory_add_host_finish          (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void         cd_inventory_update_host_async        (CdInventory          *self,
                                                    CdHost               *host,
                                                    const char           *purpose,
                                                    const char           *prefix,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean     cd_inventory_update_host_finish       (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* The name people read for a CdInstance, CdSubdomain (Unicode form) or CdHost (full name). */
const char  *cd_inventory_item_get_name      (GObject              *item);

/* Removes a CdInstance, CdSubdomain or CdHost with everything below it, as the changes above
 * do; _finish returns what it took, to put back with cd_inventory_undo_removal_async(). */
void         cd_inventory_remove_async             (CdInventory          *self,
                                                    GObject              *item,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
CdInventoryRemoval *cd_inventory_remove_finish     (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* Puts back what @removal took, under the same ids and at the same positions. Fails with
 * CD_ERROR_NOT_FOUND when the instance or subdomain it belonged to has gone since. */
void         cd_inventory_undo_removal_async       (CdInventory          *self,
                                                    CdInventoryRemoval   *removal,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean     cd_inventory_undo_removal_finish      (CdInventory          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

CdInventoryRemoval *cd_inventory_removal_ref       (CdInventoryRemoval   *removal);
void         cd_inventory_removal_unref            (CdInventoryRemoval   *removal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdInventoryRemoval, cd_inventory_removal_unref)

G_END_DECLS
