// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-list"

#include "config.h"

#include "cd-job-list-private.h"

static const char *const running_states[] = {
  CD_JOB_STATE_QUEUED, CD_JOB_STATE_RUNNING, NULL
};
static const char *const finished_states[] = {
  CD_JOB_STATE_FINISHED, NULL
};
static const char *const failed_states[] = {
  CD_JOB_STATE_FAILED, CD_JOB_STATE_CANCELLED, CD_JOB_STATE_INTERRUPTED, NULL
};

static void cd_job_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CdJobList, cd_job_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cd_job_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *const *
cd_job_tab_get_states (CdJobTab tab)
{
  switch (tab)
    {
    case CD_JOB_TAB_RUNNING:
      return running_states;
    case CD_JOB_TAB_FINISHED:
      return finished_states;
    case CD_JOB_TAB_FAILED:
    default:
      return failed_states;
    }
}

CdJobTab
cd_job_tab_for_state (const char *state)
{
  for (CdJobTab tab = 0; tab <= CD_JOB_TAB_LAST; tab++)
    if (g_strv_contains (cd_job_tab_get_states (tab), state))
      return tab;
  return CD_JOB_TAB_FAILED;
}

/* Keeps at most MAX_PAGES pages besides @keep, dropping the least recently used. */
static void
evict_pages (CdJobList *self,
             Page      *keep)
{
  while (g_hash_table_size (self->pages) > MAX_PAGES)
    {
      GHashTableIter iter;
      Page *page, *oldest = NULL;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        if (page != keep && (oldest == NULL || page->last_used < oldest->last_used))
          oldest = page;
      if (oldest == NULL)
        return;
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (oldest->index));
    }
}

/* GListModel */

static GType
cd_job_list_get_item_type (GListModel *model)
{
  return CD_TYPE_JOB;
}

static guint
cd_job_list_get_n_items (GListModel *model)
{
  return CD_JOB_LIST (model)->n_items;
}

static gpointer
cd_job_list_get_item (GListModel *model,
                      guint       position)
{
  CdJobList *self = CD_JOB_LIST (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      page = _cd_job_list_page_new (index, _cd_job_list_page_rows (self, index));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
      _cd_job_list_start_page_read (self, page);
      evict_pages (self, page);
    }
  page->last_used = ++self->tick;

  if (position % PAGE_SIZE >= page->jobs->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (page->jobs, position % PAGE_SIZE));
}

static void
cd_job_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cd_job_list_get_item_type;
  iface->get_n_items = cd_job_list_get_n_items;
  iface->get_item = cd_job_list_get_item;
}

void
_cd_job_list_notify_n_items (CdJobList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
_cd_job_list_emit_loaded (CdJobList *self)
{
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

void
_cd_job_list_set_loading (CdJobList *self,
             gboolean   loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* GObject */

static void
cd_job_list_dispose (GObject *object)
{
  CdJobList *self = CD_JOB_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->watch_source, g_source_remove);
  if (self->runner != NULL)
    {
      g_clear_signal_handler (&self->state_handler, self->runner);
      g_clear_signal_handler (&self->progress_handler, self->runner);
    }
  g_clear_object (&self->runner);

  G_OBJECT_CLASS (cd_job_list_parent_class)->dispose (object);
}

static void
cd_job_list_finalize (GObject *object)
{
  CdJobList *self = CD_JOB_LIST (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_free (self->search);

  G_OBJECT_CLASS (cd_job_list_parent_class)->finalize (object);
}

static void
cd_job_list_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CdJobList *self = CD_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_job_list_class_init (CdJobListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_job_list_dispose;
  object_class->finalize = cd_job_list_finalize;
  object_class->get_property = cd_job_list_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cd_job_list_init (CdJobList *self)
{
  self->cancellable = g_cancellable_new ();
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) _cd_job_list_page_unref);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                      (GDestroyNotify) _cd_job_list_live_progress_free);
  self->tab = CD_JOB_TAB_FINISHED;
  self->revision = -1;
}

CdJobList *
cd_job_list_new (CdStore     *store,
                 CdJobRunner *runner)
{
  CdJobList *self;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);
  g_return_val_if_fail (runner == NULL || CD_IS_JOB_RUNNER (runner), NULL);

  self = g_object_new (CD_TYPE_JOB_LIST, NULL);
  self->store = g_object_ref (store);
  if (runner != NULL)
    {
      self->runner = g_object_ref (runner);
      self->state_handler =
        g_signal_connect_swapped (runner, "job-state-changed",
                                  G_CALLBACK (_cd_job_list_on_runner_state_changed), self);
      self->progress_handler =
        g_signal_connect_swapped (runner, "job-progress", G_CALLBACK (_cd_job_list_on_runner_progress), self);
    }
  _cd_job_list_reset (self);
  return self;
}

CdStore *
cd_job_list_get_store (CdJobList *self)
{
  g_return_val_if_fail (CD_IS_JOB_LIST (self), NULL);
  return self->store;
}

CdJobRunner *
cd_job_list_get_runner (CdJobList *self)
{
  g_return_val_if_fail (CD_IS_JOB_LIST (self), NULL);
  return self->runner;
}

CdJobTab
cd_job_list_get_tab (CdJobList *self)
{
  g_return_val_if_fail (CD_IS_JOB_LIST (self), CD_JOB_TAB_FINISHED);
  return self->tab;
}

void
cd_job_list_set_tab (CdJobList *self,
                     CdJobTab   tab)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));
  g_return_if_fail (tab <= CD_JOB_TAB_LAST);

  if (self->tab == tab)
    return;
  self->tab = tab;
  _cd_job_list_reset (self);
}

void
cd_job_list_set_group (CdJobList  *self,
                       CdJobGroup  group)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));
  g_return_if_fail (group <= CD_JOB_GROUP_LAST);

  if (self->group == group)
    return;
  self->group = group;
  _cd_job_list_reset (self);
}

void
cd_job_list_set_instance_id (CdJobList *self,
                             gint64     instance_id)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));

  if (self->instance_id == instance_id)
    return;
  self->instance_id = instance_id;
  _cd_job_list_reset (self);
}

void
cd_job_list_set_date_range (CdJobList *self,
                            gint64     from,
                            gint64     until)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));

  if (self->from == from && self->until == until)
    return;
  self->from = from;
  self->until = until;
  _cd_job_list_reset (self);
}

void
cd_job_list_set_search (CdJobList  *self,
                        const char *search)
{
  g_autofree char *stripped = g_strstrip (g_strdup (search != NULL ? search : ""));

  g_return_if_fail (CD_IS_JOB_LIST (self));

  if (g_strcmp0 (self->search != NULL ? self->search : "", stripped) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&stripped);
  _cd_job_list_reset (self);
}

void
cd_job_list_set_order (CdJobList  *self,
                       CdJobOrder  order,
                       gboolean    ascending)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));

  ascending = !!ascending;
  if (self->order == order && self->ascending == ascending)
    return;
  self->order = order;
  self->ascending = ascending;
  _cd_job_list_reset (self);
}

guint
cd_job_list_get_tab_count (CdJobList *self,
                           CdJobTab   tab)
{
  g_return_val_if_fail (CD_IS_JOB_LIST (self), 0);
  g_return_val_if_fail (tab <= CD_JOB_TAB_LAST, 0);

  return self->counts[tab];
}

gboolean
cd_job_list_get_loading (CdJobList *self)
{
  g_return_val_if_fail (CD_IS_JOB_LIST (self), FALSE);
  return self->loading;
}

gboolean
cd_job_list_is_filtered (CdJobList *self)
{
  g_return_val_if_fail (CD_IS_JOB_LIST (self), FALSE);

  return self->group != CD_JOB_GROUP_ALL || self->instance_id != 0 || self->from != 0 ||
         self->until != 0 || (self->search != NULL && self->search[0] != '\0');
}

CdJobQuery *
cd_job_list_dup_query (CdJobList *self)
{
  g_autoptr(Snapshot) snapshot = NULL;
  CdJobQuery query;

  g_return_val_if_fail (CD_IS_JOB_LIST (self), NULL);

  snapshot = _cd_job_list_take_snapshot (self);
  _cd_job_list_snapshot_to_query (snapshot, TRUE, &query);
  return cd_job_query_copy (&query);
}
