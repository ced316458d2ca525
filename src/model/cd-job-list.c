// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-list"

#include "config.h"

#include "cd-job-list.h"

/* Rows are read a page at a time; a few pages are kept, the least recently asked for go
 * first. 200,000 jobs cost what a dozen pages cost. */
#define PAGE_SIZE 100
#define MAX_PAGES 12
/* Runner signals come in bursts (a job that ends changes state and its neighbours start): one
 * refresh for a burst. */
#define REFRESH_DELAY_MS 150

static const char *const running_states[] = {
  CD_JOB_STATE_QUEUED, CD_JOB_STATE_RUNNING, NULL
};
static const char *const finished_states[] = {
  CD_JOB_STATE_FINISHED, NULL
};
static const char *const failed_states[] = {
  CD_JOB_STATE_FAILED, CD_JOB_STATE_CANCELLED, CD_JOB_STATE_INTERRUPTED, NULL
};

/* The rows of one page, shared with the thread that reads them: rows handed out stay the
 * objects that fill in, even when the page is dropped from the cache before its rows
 * arrive. */
typedef struct
{
  gatomicrefcount ref_count;
  guint           index;
  GPtrArray      *jobs;       /* CdJob */
  guint64         last_used;
  gboolean        reading;
} Page;

static Page *
page_new (guint index,
          guint n_rows)
{
  Page *page = g_new0 (Page, 1);

  g_atomic_ref_count_init (&page->ref_count);
  page->index = index;
  page->jobs = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (page->jobs, cd_job_new_placeholder ());
  return page;
}

static Page *
page_ref (Page *page)
{
  g_atomic_ref_count_inc (&page->ref_count);
  return page;
}

static void
page_unref (Page *page)
{
  if (!g_atomic_ref_count_dec (&page->ref_count))
    return;
  g_ptr_array_unref (page->jobs);
  g_free (page);
}

/* What a worker thread asks the store, copied from the list when the work starts. */
typedef struct
{
  CdJobTab    tab;
  char      **kinds;        /* NULL: every kind */
  char      **search_kinds;
  char       *search;
  gint64      instance_id;
  gint64      from;
  gint64      until;
  CdJobOrder  order;
  gboolean    ascending;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_strfreev (snapshot->kinds);
  g_strfreev (snapshot->search_kinds);
  g_free (snapshot->search);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static const char *const *
value_order_for (CdJobOrder order)
{
  switch (order)
    {
    case CD_JOB_ORDER_KIND:
      return cd_job_kinds_by_title ();
    case CD_JOB_ORDER_STATE:
      return cd_job_states_by_title ();
    case CD_JOB_ORDER_INITIATOR:
      return cd_job_initiators_by_title ();
    case CD_JOB_ORDER_CREATED:
    case CD_JOB_ORDER_TARGET:
    case CD_JOB_ORDER_STARTED:
    case CD_JOB_ORDER_DURATION:
    default:
      return NULL;
    }
}

/* @query points into @snapshot; with @with_states FALSE it takes every state (for the
 * counts of every tab). */
static void
snapshot_to_query (const Snapshot *snapshot,
                   gboolean        with_states,
                   CdJobQuery     *query)
{
  *query = (CdJobQuery) {
    .states = with_states ? cd_job_tab_get_states (snapshot->tab) : NULL,
    .kinds = (const char *const *) snapshot->kinds,
    .instance_id = snapshot->instance_id,
    .created_from = snapshot->from,
    .created_until = snapshot->until,
    .search = snapshot->search,
    .search_kinds = (const char *const *) snapshot->search_kinds,
    .order = snapshot->order,
    .ascending = snapshot->ascending,
    .value_order = value_order_for (snapshot->order),
  };
}

struct _CdJobList
{
  GObject parent_instance;

  CdStore *store;
  CdJobRunner *runner;
  gulong state_handler;
  gulong progress_handler;
  GCancellable *cancellable;

  CdJobTab tab;
  CdJobGroup group;
  gint64 instance_id;
  gint64 from;
  gint64 until;
  char *search;
  CdJobOrder order;
  gboolean ascending;

  guint n_items;
  guint counts[CD_JOB_TAB_LAST + 1];
  GHashTable *pages;           /* page index -> Page */
  guint64 tick;
  /* bumped by every change of tab, filter or order: what was asked before it is dropped */
  guint generation;
  gboolean loading;
  gboolean refreshing;
  gboolean refresh_again;
  guint refresh_source;

  guint watch_source;
  gboolean polling;
  gint64 revision;

  /* the runner's latest progress of its active jobs: a row read from the store after the
   * runner said it (the store keeps progress at most once a second) shows it all the same */
  GHashTable *live;  /* job id (gint64 *) -> LiveProgress */
};

typedef struct
{
  double  fraction;
  char   *step;
} LiveProgress;

static void
live_progress_free (LiveProgress *live)
{
  g_free (live->step);
  g_free (live);
}

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

static void reset (CdJobList *self);
static void schedule_refresh (CdJobList *self);

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

static Snapshot *
take_snapshot (CdJobList *self)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  const char *const *kinds = cd_job_group_get_kinds (self->group);

  snapshot->tab = self->tab;
  snapshot->kinds = kinds != NULL ? g_strdupv ((char **) kinds) : NULL;
  if (self->search != NULL && self->search[0] != '\0')
    {
      snapshot->search = g_strdup (self->search);
      snapshot->search_kinds = cd_job_kinds_matching (self->search);
    }
  snapshot->instance_id = self->instance_id;
  snapshot->from = self->from;
  snapshot->until = self->until;
  snapshot->order = self->order;
  snapshot->ascending = self->ascending;
  return snapshot;
}

static guint
page_rows (CdJobList *self,
           guint      index)
{
  guint first = index * PAGE_SIZE;

  return first < self->n_items ? MIN (PAGE_SIZE, self->n_items - first) : 0;
}

/* Puts @records into @page's rows from the first, in place: a row the view holds shows its
 * new job without being replaced, so that no row widget is made again (GTK 4.8 builds every
 * row of a replaced range anew, and looks for its old rows among every row added). */
static void
page_apply (CdJobList *self,
            Page      *page,
            GPtrArray *records)
{
  guint n = MIN (records->len, page->jobs->len);

  for (guint i = 0; i < n; i++)
    {
      const CdJobRecord *record = g_ptr_array_index (records, i);
      CdJob *job = g_ptr_array_index (page->jobs, i);
      LiveProgress *live = g_hash_table_lookup (self->live, &record->id);

      cd_job_show_record (job, record);
      if (live != NULL && cd_job_is_active (job))
        cd_job_set_progress (job, live->fraction, live->step);
    }
}

/* Page reads */

typedef struct
{
  Snapshot *snapshot;
  Page     *page;
  guint     generation;
} PageRead;

static void
page_read_free (PageRead *read)
{
  snapshot_free (read->snapshot);
  page_unref (read->page);
  g_free (read);
}

static void
read_page_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CdJobList *self = source_object;
  PageRead *read = task_data;
  CdJobQuery query;
  GError *error = NULL;
  GPtrArray *records;

  snapshot_to_query (read->snapshot, TRUE, &query);
  query.offset = read->page->index * PAGE_SIZE;
  query.limit = PAGE_SIZE;
  records = cd_store_list_jobs_filtered (self->store, &query, &error);
  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

static void
page_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CdJobList *self = CD_JOB_LIST (source);
  PageRead *read = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = g_task_propagate_pointer (G_TASK (result), &error);
  read->page->reading = FALSE;
  if (records == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a page of the job history: %s", error->message);
      return;
    }

  /* rows read for another filter would show the wrong jobs: the change under way reads this
   * page again */
  if (read->generation == self->generation)
    page_apply (self, read->page, records);
}

static void
start_page_read (CdJobList *self,
                 Page      *page)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, page_read, NULL);
  PageRead *read = g_new0 (PageRead, 1);

  read->snapshot = take_snapshot (self);
  read->page = page_ref (page);
  read->generation = self->generation;
  page->reading = TRUE;
  g_task_set_source_tag (task, start_page_read);
  g_task_set_task_data (task, read, (GDestroyNotify) page_read_free);
  g_task_run_in_thread (task, read_page_thread);
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
      page = page_new (index, page_rows (self, index));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
      start_page_read (self, page);
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

/* Counts, and the first page or the pages held: what a reset and a refresh read */

typedef struct
{
  Snapshot *snapshot;
  GArray   *page_indexes;  /* guint: the pages to read */
  guint     generation;

  /* results */
  gint64    revision;
  guint     counts[CD_JOB_TAB_LAST + 1];
  GPtrArray *pages;        /* GPtrArray of CdJobRecord per page index, in page_indexes' order */
} ListRead;

static void
list_read_free (ListRead *read)
{
  snapshot_free (read->snapshot);
  g_array_unref (read->page_indexes);
  g_clear_pointer (&read->pages, g_ptr_array_unref);
  g_free (read);
}

static void
read_list_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CdJobList *self = source_object;
  ListRead *read = task_data;
  CdJobStateCounts counts;
  CdJobQuery query;
  GError *error = NULL;

  /* the revision first: a change made while the rest is read shows as a new revision */
  read->revision = cd_store_get_jobs_revision (self->store, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  snapshot_to_query (read->snapshot, FALSE, &query);
  if (!cd_store_count_jobs_by_state (self->store, &query, &counts, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  read->counts[CD_JOB_TAB_RUNNING] = counts.queued + counts.running;
  read->counts[CD_JOB_TAB_FINISHED] = counts.finished;
  read->counts[CD_JOB_TAB_FAILED] = counts.failed + counts.cancelled + counts.interrupted;

  snapshot_to_query (read->snapshot, TRUE, &query);
  read->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < read->page_indexes->len; i++)
    {
      GPtrArray *records;

      if (g_task_return_error_if_cancelled (task))
        return;

      query.offset = g_array_index (read->page_indexes, guint, i) * PAGE_SIZE;
      query.limit = PAGE_SIZE;
      records = cd_store_list_jobs_filtered (self->store, &query, &error);
      if (records == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (read->pages, records);
    }

  g_task_return_boolean (task, TRUE);
}

static void
set_loading (CdJobList *self,
             gboolean   loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
take_counts (CdJobList *self,
             ListRead  *read)
{
  memcpy (self->counts, read->counts, sizeof self->counts);
  self->revision = read->revision;
}

static void resize (CdJobList *self, guint n_items);

/* Takes what a reset or a refresh read: the counts, the number of rows (rows come and go at
 * the end only) and the pages, filled in place. */
static void
apply_list_read (CdJobList *self,
                 ListRead  *read)
{
  guint n_items;

  take_counts (self, read);
  n_items = self->counts[self->tab];

  /* a page read that the list does not hold yet (the first page of a list that was empty) is
   * made before its rows are announced, so that the view finds them filled */
  for (guint i = 0; i < read->page_indexes->len; i++)
    {
      guint index = g_array_index (read->page_indexes, guint, i);

      if (index * PAGE_SIZE < n_items &&
          g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index)) == NULL)
        {
          Page *page = page_new (index, MIN (PAGE_SIZE, n_items - index * PAGE_SIZE));

          page->last_used = ++self->tick;
          g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
        }
    }

  resize (self, n_items);

  for (guint i = 0; i < read->page_indexes->len; i++)
    {
      guint index = g_array_index (read->page_indexes, guint, i);
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

      if (page != NULL)
        page_apply (self, page, g_ptr_array_index (read->pages, i));
    }
}

static void
reset_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CdJobList *self = CD_JOB_LIST (source);
  ListRead *read = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not read the job history: %s", error->message);
      if (read->generation == self->generation)
        set_loading (self, FALSE);
      return;
    }
  if (read->generation != self->generation)
    return;

  apply_list_read (self, read);
  /* the other pages held, out of sight below the first, follow a page at a time */
  {
    GHashTableIter iter;
    Page *page;

    g_hash_table_iter_init (&iter, self->pages);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
      if (page->index != 0)
        {
          for (guint i = 0; i < page->jobs->len; i++)
            cd_job_invalidate (g_ptr_array_index (page->jobs, i));
          start_page_read (self, page);
        }
  }
  set_loading (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

static GArray *
first_page (void)
{
  GArray *indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  guint first = 0;

  g_array_append_val (indexes, first);
  return indexes;
}

/* The pages the list holds, and the first one, to read again. */
static GArray *
held_pages (CdJobList *self)
{
  GArray *indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  gpointer key;
  GHashTableIter iter;
  guint first = 0;

  g_array_append_val (indexes, first);
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint index = GPOINTER_TO_UINT (key);

      if (index != first)
        g_array_append_val (indexes, index);
    }
  return indexes;
}

static void
start_list_read (CdJobList           *self,
                 GArray              *page_indexes,
                 GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, NULL);
  ListRead *read = g_new0 (ListRead, 1);

  read->snapshot = take_snapshot (self);
  read->page_indexes = page_indexes;
  read->generation = self->generation;
  g_task_set_source_tag (task, start_list_read);
  g_task_set_task_data (task, read, (GDestroyNotify) list_read_free);
  g_task_run_in_thread (task, read_list_thread);
}

/* A new tab, filter or order: the same rows show other jobs. The counts and the first page are
 * read with the new query, then the other pages the view holds; rows are added or removed at
 * the end. */
static void
reset (CdJobList *self)
{
  self->generation++;
  /* a refresh in flight belongs to the old generation: its result is dropped */
  self->refreshing = FALSE;
  self->refresh_again = FALSE;
  set_loading (self, TRUE);
  start_list_read (self, first_page (), reset_read);
}

/* Refresh: the same query, read again */

static void
resize (CdJobList *self,
        guint      n_items)
{
  guint old_n = self->n_items;
  GHashTableIter iter;
  Page *page;

  if (n_items == old_n)
    return;

  self->n_items = n_items;
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    {
      guint rows = page_rows (self, page->index);

      if (rows == 0)
        g_hash_table_iter_remove (&iter);
      else if (rows < page->jobs->len)
        g_ptr_array_set_size (page->jobs, rows);
      else
        while (page->jobs->len < rows)
          g_ptr_array_add (page->jobs, cd_job_new_placeholder ());
    }

  if (n_items < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), n_items, old_n - n_items, 0);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, n_items - old_n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void start_refresh (CdJobList *self);

static void
refresh_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CdJobList *self = CD_JOB_LIST (source);
  ListRead *read = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not read the job history again: %s", error->message);
    }
  if (read->generation != self->generation)
    return;
  self->refreshing = FALSE;

  if (error == NULL)
    {
      apply_list_read (self, read);
      g_signal_emit (self, signals[SIGNAL_LOADED], 0);
    }

  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      start_refresh (self);
    }
}

static void
start_refresh (CdJobList *self)
{
  if (self->loading)
    return; /* the read under way is newer than anything a refresh would find */
  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }

  self->refreshing = TRUE;
  start_list_read (self, held_pages (self), refresh_read);
}

void
cd_job_list_refresh (CdJobList *self)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  start_refresh (self);
}

static gboolean
refresh_timeout (gpointer user_data)
{
  CdJobList *self = user_data;

  self->refresh_source = 0;
  start_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (CdJobList *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout, self);
}

/* The runner's jobs */

static void
on_runner_state_changed (CdJobList  *self,
                         gint64      job_id,
                         CdJobState  state,
                         const char *message)
{
  if (state != CD_JOB_QUEUED && state != CD_JOB_RUNNING)
    g_hash_table_remove (self->live, &job_id);
  schedule_refresh (self);
}

static void
on_runner_progress (CdJobList  *self,
                    gint64      job_id,
                    double      fraction,
                    const char *step)
{
  LiveProgress *live = g_new0 (LiveProgress, 1);
  GHashTableIter iter;
  Page *page;

  live->fraction = fraction;
  live->step = g_strdup (step);
  g_hash_table_replace (self->live, g_memdup2 (&job_id, sizeof job_id), live);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    for (guint i = 0; i < page->jobs->len; i++)
      {
        CdJob *job = g_ptr_array_index (page->jobs, i);

        if (cd_job_get_id (job) == job_id)
          cd_job_set_progress (job, fraction, step);
      }
}

/* Watching the store */

static void
revision_read_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  CdJobList *self = source_object;
  GError *error = NULL;
  gint64 revision = cd_store_get_jobs_revision (self->store, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, revision);
}

static void
revision_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CdJobList *self = CD_JOB_LIST (source);
  g_autoptr(GError) error = NULL;
  gint64 revision = g_task_propagate_int (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->polling = FALSE;
  if (error != NULL)
    {
      g_debug ("Could not ask the store for changes: %s", error->message);
      return;
    }
  if (revision != self->revision && !self->loading)
    cd_job_list_refresh (self);
}

static gboolean
watch_timeout (gpointer user_data)
{
  CdJobList *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->polling || self->loading)
    return G_SOURCE_CONTINUE;

  self->polling = TRUE;
  task = g_task_new (self, self->cancellable, revision_read, NULL);
  g_task_set_source_tag (task, watch_timeout);
  g_task_run_in_thread (task, revision_read_thread);
  return G_SOURCE_CONTINUE;
}

void
cd_job_list_set_watching (CdJobList *self,
                          gboolean   watching,
                          guint      interval_ms)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));

  g_clear_handle_id (&self->watch_source, g_source_remove);
  if (watching)
    self->watch_source = g_timeout_add (MAX (interval_ms, 50), watch_timeout, self);
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
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_unref);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                      (GDestroyNotify) live_progress_free);
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
                                  G_CALLBACK (on_runner_state_changed), self);
      self->progress_handler =
        g_signal_connect_swapped (runner, "job-progress", G_CALLBACK (on_runner_progress), self);
    }
  reset (self);
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
  reset (self);
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
  reset (self);
}

void
cd_job_list_set_instance_id (CdJobList *self,
                             gint64     instance_id)
{
  g_return_if_fail (CD_IS_JOB_LIST (self));

  if (self->instance_id == instance_id)
    return;
  self->instance_id = instance_id;
  reset (self);
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
  reset (self);
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
  reset (self);
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
  reset (self);
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

  snapshot = take_snapshot (self);
  snapshot_to_query (snapshot, TRUE, &query);
  return cd_job_query_copy (&query);
}
