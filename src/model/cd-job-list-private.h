// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-job-list.h"

G_BEGIN_DECLS

/* Shared by cd-job-list.c (the object, its GListModel and its settings) and
 * cd-job-list-reads.c (what it reads in worker threads, and how the rows take it). */

/* Rows are read a page at a time; a few pages are kept, the least recently asked for go
 * first. 200,000 jobs cost what a dozen pages cost. */
#define PAGE_SIZE 100
#define MAX_PAGES 12
/* Runner signals come in bursts (a job that ends changes state and its neighbours start): one
 * refresh for a burst. */
#define REFRESH_DELAY_MS 150

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

void      _cd_job_list_snapshot_free (Snapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, _cd_job_list_snapshot_free)

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

/* Pages */
Page     *_cd_job_list_page_new         (guint          index,
                                         guint          n_rows);
Page     *_cd_job_list_page_ref         (Page          *page);
void      _cd_job_list_page_unref       (Page          *page);
/* how many rows page @index has with the list's current number of rows */
guint     _cd_job_list_page_rows        (CdJobList     *self,
                                         guint          index);
/* reads @page's rows in a worker thread; they fill in when it is done */
void      _cd_job_list_start_page_read  (CdJobList     *self,
                                         Page          *page);

/* Queries */
Snapshot *_cd_job_list_take_snapshot    (CdJobList     *self);
void      _cd_job_list_snapshot_to_query (const Snapshot *snapshot,
                                          gboolean        with_states,
                                          CdJobQuery     *query);

/* Reading again: a new tab, filter or order (reset), or the same query (refresh) */
void      _cd_job_list_reset            (CdJobList     *self);
void      _cd_job_list_schedule_refresh (CdJobList     *self);

/* The runner's signals */
void      _cd_job_list_on_runner_state_changed (CdJobList  *self,
                                                gint64      job_id,
                                                CdJobState  state,
                                                const char *message);
void      _cd_job_list_on_runner_progress      (CdJobList  *self,
                                                gint64      job_id,
                                                double      fraction,
                                                const char *step);
void      _cd_job_list_live_progress_free      (LiveProgress *live);

/* What cd-job-list.c tells its watchers */
void      _cd_job_list_set_loading      (CdJobList     *self,
                                         gboolean       loading);
void      _cd_job_list_notify_n_items   (CdJobList     *self);
void      _cd_job_list_emit_loaded      (CdJobList     *self);

G_END_DECLS
