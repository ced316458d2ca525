// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-list"

#include "config.h"

#include "cd-job-list-private.h"

/* What the Job Logs' list reads, in worker threads, and how its rows take it: pages of rows,
 * the counts of every tab, and the same again when the query changes, when another process
 * wrote (the store's jobs revision, polled while watching) or when a job of the runner moved
 * on. A row stays the same object, showing the job at its place. */

Page *
_cd_job_list_page_new (guint index,
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

Page *
_cd_job_list_page_ref (Page *page)
{
  g_atomic_ref_count_inc (&page->ref_count);
  return page;
}

void
_cd_job_list_page_unref (Page *page)
{
  if (!g_atomic_ref_count_dec (&page->ref_count))
    return;
  g_ptr_array_unref (page->jobs);
  g_free (page);
}

void
_cd_job_list_snapshot_free (Snapshot *snapshot)
{
  g_strfreev (snapshot->kinds);
  g_strfreev (snapshot->search_kinds);
  g_free (snapshot->search);
  g_free (snapshot);
}

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
void
_cd_job_list_snapshot_to_query (const Snapshot *snapshot,
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

void
_cd_job_list_live_progress_free (LiveProgress *live)
{
  g_free (live->step);
  g_free (live);
}

Snapshot *
_cd_job_list_take_snapshot (CdJobList *self)
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

guint
_cd_job_list_page_rows (CdJobList *self,
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
  _cd_job_list_snapshot_free (read->snapshot);
  _cd_job_list_page_unref (read->page);
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

  _cd_job_list_snapshot_to_query (read->snapshot, TRUE, &query);
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

void
_cd_job_list_start_page_read (CdJobList *self,
                 Page      *page)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, page_read, NULL);
  PageRead *read = g_new0 (PageRead, 1);

  read->snapshot = _cd_job_list_take_snapshot (self);
  read->page = _cd_job_list_page_ref (page);
  read->generation = self->generation;
  page->reading = TRUE;
  g_task_set_source_tag (task, _cd_job_list_start_page_read);
  g_task_set_task_data (task, read, (GDestroyNotify) page_read_free);
  g_task_run_in_thread (task, read_page_thread);
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
  _cd_job_list_snapshot_free (read->snapshot);
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

  _cd_job_list_snapshot_to_query (read->snapshot, FALSE, &query);
  if (!cd_store_count_jobs_by_state (self->store, &query, &counts, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  read->counts[CD_JOB_TAB_RUNNING] = counts.queued + counts.running;
  read->counts[CD_JOB_TAB_FINISHED] = counts.finished;
  read->counts[CD_JOB_TAB_FAILED] = counts.failed + counts.cancelled + counts.interrupted;

  _cd_job_list_snapshot_to_query (read->snapshot, TRUE, &query);
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
          Page *page = _cd_job_list_page_new (index, MIN (PAGE_SIZE, n_items - index * PAGE_SIZE));

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
        _cd_job_list_set_loading (self, FALSE);
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
          _cd_job_list_start_page_read (self, page);
        }
  }
  _cd_job_list_set_loading (self, FALSE);
  _cd_job_list_emit_loaded (self);
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

  read->snapshot = _cd_job_list_take_snapshot (self);
  read->page_indexes = page_indexes;
  read->generation = self->generation;
  g_task_set_source_tag (task, start_list_read);
  g_task_set_task_data (task, read, (GDestroyNotify) list_read_free);
  g_task_run_in_thread (task, read_list_thread);
}

/* A new tab, filter or order: the same rows show other jobs. The counts and the first page are
 * read with the new query, then the other pages the view holds; rows are added or removed at
 * the end. */
void
_cd_job_list_reset (CdJobList *self)
{
  self->generation++;
  /* a refresh in flight belongs to the old generation: its result is dropped */
  self->refreshing = FALSE;
  self->refresh_again = FALSE;
  _cd_job_list_set_loading (self, TRUE);
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
      guint rows = _cd_job_list_page_rows (self, page->index);

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
  _cd_job_list_notify_n_items (self);
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
      _cd_job_list_emit_loaded (self);
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

void
_cd_job_list_schedule_refresh (CdJobList *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout, self);
}

/* The runner's jobs */

void
_cd_job_list_on_runner_state_changed (CdJobList  *self,
                         gint64      job_id,
                         CdJobState  state,
                         const char *message)
{
  if (state != CD_JOB_QUEUED && state != CD_JOB_RUNNING)
    g_hash_table_remove (self->live, &job_id);
  _cd_job_list_schedule_refresh (self);
}

void
_cd_job_list_on_runner_progress (CdJobList  *self,
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
