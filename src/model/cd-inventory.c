// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-inventory"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-center.h"
#include "cd-dns-name.h"
#include "cd-error.h"
#include "cd-inventory.h"
#include "cd-inventory-private.h"



typedef struct
{
  gint64 not_before;
  gint64 not_after;
} Validity;

struct _CdInventory
{
  GObject parent_instance;

  CdStore *store;
  CdJobRunner *job_runner; /* NULL when the store is read-only */
  GListStore *instances;
  GHashTable *validity; /* certificate id -> Validity */
  CdCertThresholds thresholds;
};


G_DEFINE_FINAL_TYPE (CdInventory, cd_inventory, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_READ_ONLY,
  PROP_INSTANCES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_inventory_dispose (GObject *object)
{
  CdInventory *self = CD_INVENTORY (object);

  /* jobs still running hold the runner until they end: only this reference goes */
  g_clear_object (&self->job_runner);
  g_clear_object (&self->instances);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cd_inventory_parent_class)->dispose (object);
}

static void
cd_inventory_constructed (GObject *object)
{
  CdInventory *self = CD_INVENTORY (object);

  G_OBJECT_CLASS (cd_inventory_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  /* A read-only inventory records nothing, so it runs no job. The runner delivers its
   * signals and results on the thread-default main context of the thread that makes the
   * inventory. */
  if (!cd_store_is_read_only (self->store))
    self->job_runner = cd_job_runner_new (self->store);
}

static void
cd_inventory_finalize (GObject *object)
{
  CdInventory *self = CD_INVENTORY (object);

  g_hash_table_unref (self->validity);

  G_OBJECT_CLASS (cd_inventory_parent_class)->finalize (object);
}

static void
cd_inventory_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CdInventory *self = CD_INVENTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, cd_inventory_is_read_only (self));
      break;
    case PROP_INSTANCES:
      g_value_set_object (value, self->instances);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_inventory_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CdInventory *self = CD_INVENTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_inventory_class_init (CdInventoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cd_inventory_constructed;
  object_class->dispose = cd_inventory_dispose;
  object_class->finalize = cd_inventory_finalize;
  object_class->get_property = cd_inventory_get_property;
  object_class->set_property = cd_inventory_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INSTANCES] =
    g_param_spec_object ("instances", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_inventory_init (CdInventory *self)
{
  self->instances = g_list_store_new (CD_TYPE_INSTANCE);
  self->validity = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->thresholds.expiring_days = CD_CERT_DEFAULT_EXPIRING_DAYS;
  self->thresholds.critical_days = CD_CERT_DEFAULT_CRITICAL_DAYS;
}

CdInventory *
cd_inventory_new (CdStore *store)
{
  g_return_val_if_fail (CD_IS_STORE (store), NULL);

  return g_object_new (CD_TYPE_INVENTORY, "store", store, NULL);
}

char *
cd_inventory_get_default_path (void)
{
  return cd_store_get_default_path ();
}

static void
move_aside_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  char *moved;

  moved = cd_store_move_aside (task_data, &error);
  if (moved == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, moved, g_free);
}

void
cd_inventory_move_aside_async (const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_inventory_move_aside_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, move_aside_thread);
}

char *
cd_inventory_move_aside_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_inventory_move_aside_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char *path;
  CdInventoryOpenFlags flags;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  const char *path = data->path;
  CdInventoryOpenFlags flags = data->flags;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CdStoreOpenFlags store_flags = CD_STORE_OPEN_DEFAULT;

  if (flags & CD_INVENTORY_OPEN_READ_ONLY)
    store_flags |= CD_STORE_OPEN_READ_ONLY;

  store = cd_store_open (path, store_flags, &error);
  if (store != NULL && (flags & CD_INVENTORY_OPEN_SEED_DEMO) &&
      !cd_store_seed_demo (store, &error))
    g_clear_object (&store);

  /* the inventory itself is made by _finish(), on the caller's thread, where its job runner
   * must deliver */
  if (store == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

void
cd_inventory_open_async (const char           *path,
                         CdInventoryOpenFlags  flags,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (path != NULL);

  data = g_new0 (OpenData, 1);
  data->path = g_strdup (path);
  data->flags = flags;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_inventory_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

CdInventory *
cd_inventory_open_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(CdStore) store = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_inventory_open_async, NULL);

  store = g_task_propagate_pointer (G_TASK (result), error);
  if (store == NULL)
    return NULL;
  return cd_inventory_new (store);
}

const char *
cd_inventory_get_path (CdInventory *self)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  return cd_store_get_path (self->store);
}

guint
cd_inventory_get_interrupted_jobs (CdInventory *self)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), 0);
  return cd_store_get_interrupted_jobs (self->store);
}

CdStore *
cd_inventory_get_store (CdInventory *self)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  return self->store;
}

CdJobRunner *
cd_inventory_get_job_runner (CdInventory *self)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  return self->job_runner;
}

gboolean
cd_inventory_is_read_only (CdInventory *self)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), TRUE);
  return cd_store_is_read_only (self->store);
}

GListModel *
cd_inventory_get_instances (CdInventory *self)
{
  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  return G_LIST_MODEL (self->instances);
}

const char *
cd_inventory_item_get_name (GObject *item)
{
  if (CD_IS_INSTANCE (item))
    return cd_instance_get_name (CD_INSTANCE (item));
  if (CD_IS_SUBDOMAIN (item))
    return cd_subdomain_get_display_name (CD_SUBDOMAIN (item));
  if (CD_IS_HOST (item))
    return cd_host_get_display_name (CD_HOST (item));
  g_return_val_if_reached (NULL);
}

/* Status */

static CdCertStatus
host_status (CdInventory *self,
             CdHost      *host,
             gint64       now)
{
  gint64 certificate_id = cd_host_get_certificate_id (host);
  const Validity *validity;

  if (certificate_id == 0)
    return CD_CERT_STATUS_NONE;

  validity = g_hash_table_lookup (self->validity, &certificate_id);
  if (validity == NULL)
    return CD_CERT_STATUS_NONE;

  return cd_cert_status_compute (cd_record_time_to_unix (validity->not_before),
                                 cd_record_time_to_unix (validity->not_after),
                                 cd_record_time_to_unix (now), &self->thresholds);
}

void
_cd_inventory_refresh_instance_status (CdInventory *self,
                         CdInstance  *instance)
{
  GListModel *subdomains = cd_instance_get_subdomains (instance);
  gint64 now = g_get_real_time ();
  guint n = g_list_model_get_n_items (subdomains);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (subdomains, i);
      GListModel *hosts = cd_subdomain_get_hosts (subdomain);
      guint n_hosts = g_list_model_get_n_items (hosts);

      for (guint j = 0; j < n_hosts; j++)
        {
          g_autoptr(CdHost) host = g_list_model_get_item (hosts, j);
          _cd_host_set_status (host, host_status (self, host, now));
        }
    }

  _cd_instance_refresh_status (instance);
}

static void
refresh_all_statuses (CdInventory *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->instances));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdInstance) instance = g_list_model_get_item (G_LIST_MODEL (self->instances), i);
      _cd_inventory_refresh_instance_status (self, instance);
    }
}

void
cd_inventory_set_thresholds (CdInventory *self,
                             int          expiring_days,
                             int          critical_days)
{
  g_return_if_fail (CD_IS_INVENTORY (self));

  if (self->thresholds.expiring_days == expiring_days &&
      self->thresholds.critical_days == critical_days)
    return;

  self->thresholds.expiring_days = expiring_days;
  self->thresholds.critical_days = critical_days;
  refresh_all_statuses (self);
}

/* Loading */

typedef struct
{
  CdInventoryRecords *records;
  GHashTable *validity;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->records, cd_inventory_records_free);
  g_clear_pointer (&result->validity, g_hash_table_unref);
  g_free (result);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CdStore *store = task_data;
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_new0 (LoadResult, 1);

  /* the certificates come in the same snapshot as the hosts that point at them */
  result->validity = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  result->records = cd_store_load_inventory (store, &error);
  if (result->records == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < result->records->certificates->len; i++)
    {
      const CdCertificateRecord *certificate =
        g_ptr_array_index (result->records->certificates, i);
      Validity *validity = g_new0 (Validity, 1);

      validity->not_before = certificate->not_before;
      validity->not_after = certificate->not_after;
      g_hash_table_insert (result->validity, g_memdup2 (&certificate->id, sizeof (gint64)),
                           validity);
    }

  if (g_task_return_error_if_cancelled (task))
    load_result_free (result);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

void
cd_inventory_load_async (CdInventory         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CD_IS_INVENTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_inventory_load_async);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

gboolean
cd_inventory_load_finish (CdInventory   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  LoadResult *loaded;
  g_autoptr(GHashTable) instances_by_id = NULL;
  g_autoptr(GHashTable) subdomains_by_id = NULL;
  g_autoptr(GPtrArray) instances = NULL;
  CdInventoryRecords *records;

  g_return_val_if_fail (CD_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_inventory_load_async, FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return FALSE;

  records = loaded->records;
  instances_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  subdomains_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  instances = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < records->instances->len; i++)
    {
      const CdInstanceRecord *record = g_ptr_array_index (records->instances, i);
      CdInstance *instance = _cd_instance_new (record);

      g_ptr_array_add (instances, instance);
      g_hash_table_insert (instances_by_id, (gpointer) &record->id, instance);
    }

  for (guint i = 0; i < records->subdomains->len; i++)
    {
      const CdSubdomainRecord *record = g_ptr_array_index (records->subdomains, i);
      CdInstance *instance = g_hash_table_lookup (instances_by_id, &record->instance_id);
      g_autoptr(CdSubdomain) subdomain = NULL;

      if (instance == NULL)
        continue;
      subdomain = _cd_subdomain_new (record, instance);
      g_list_store_append (_cd_instance_get_store (instance), subdomain);
      g_hash_table_insert (subdomains_by_id, (gpointer) &record->id, subdomain);
    }

  for (guint i = 0; i < records->hosts->len; i++)
    {
      const CdHostRecord *record = g_ptr_array_index (records->hosts, i);
      CdSubdomain *subdomain = g_hash_table_lookup (subdomains_by_id, &record->subdomain_id);
      g_autoptr(CdHost) host = NULL;

      if (subdomain == NULL)
        continue;
      host = _cd_host_new (record, subdomain);
      g_list_store_append (_cd_subdomain_get_store (subdomain), host);
    }

  g_hash_table_unref (self->validity);
  self->validity = g_steal_pointer (&loaded->validity);

  for (guint i = 0; i < instances->len; i++)
    _cd_inventory_refresh_instance_status (self, g_ptr_array_index (instances, i));

  g_list_store_splice (self->instances, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->instances)),
                       instances->pdata, instances->len);

  load_result_free (loaded);
  return TRUE;
}

gboolean
_cd_inventory_check_writable (CdInventory  *self,
                GError      **error)
{
  if (!cd_store_is_read_only (self->store))
    return TRUE;

  g_set_error (error, CD_ERROR, CD_ERROR_READ_ONLY,
               _("The inventory is open read-only, so it cannot be changed."));
  return FALSE;
}

GListStore *
_cd_inventory_get_instance_store (CdInventory *self)
{
  return self->instances;
}
