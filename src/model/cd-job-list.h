// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-job-labels.h"
#include "cd-job-runner.h"
#include "cd-job.h"
#include "cd-store.h"

G_BEGIN_DECLS

/* The tabs of the Job Logs. */
typedef enum
{
  CD_JOB_TAB_RUNNING,   /* queued and running */
  CD_JOB_TAB_FINISHED,  /* finished */
  CD_JOB_TAB_FAILED,    /* failed, cancelled and interrupted */
} CdJobTab;

#define CD_JOB_TAB_LAST CD_JOB_TAB_FAILED

/* The job history as the Job Logs show it: one tab, filtered and sorted, as a GListModel of
 * CdJob that reads from the store a page at a time, in worker threads, and never holds more
 * than a few pages. A row whose page is not read yet is a placeholder (cd_job_is_loaded() is
 * FALSE) that fills in, with notifications, when its page arrives.
 *
 * A change of tab, filter or order, and a refresh (another process wrote, a job of the runner
 * changed state), read the counts and the pages held again; the rows are the same objects,
 * each now showing the job at its place (cd_job_show_record()), and rows are added or
 * removed at the end only. A view keeps its row widgets, and a long list costs no more than
 * a short one. Hold a row for as long as it is in the list, not longer: the job it shows may
 * change.
 *
 * Signals: "loaded" after each change of tab, filter or order has been read, and after each
 * refresh; notify::loading. */
#define CD_TYPE_JOB_LIST (cd_job_list_get_type ())
G_DECLARE_FINAL_TYPE (CdJobList, cd_job_list, CD, JOB_LIST, GObject)

/* @runner (may be NULL) brings live progress of the jobs it runs between two reads. */
CdJobList  *cd_job_list_new              (CdStore      *store,
                                          CdJobRunner  *runner);

CdStore    *cd_job_list_get_store        (CdJobList    *self);
CdJobRunner *cd_job_list_get_runner      (CdJobList    *self);

CdJobTab    cd_job_list_get_tab          (CdJobList    *self);
void        cd_job_list_set_tab          (CdJobList    *self,
                                          CdJobTab      tab);
void        cd_job_list_set_group        (CdJobList    *self,
                                          CdJobGroup    group);
/* 0: every instance */
void        cd_job_list_set_instance_id  (CdJobList    *self,
                                          gint64        instance_id);
/* jobs created in [@from, @until); 0 leaves that end open */
void        cd_job_list_set_date_range   (CdJobList    *self,
                                          gint64        from,
                                          gint64        until);
void        cd_job_list_set_search       (CdJobList    *self,
                                          const char   *search);
void        cd_job_list_set_order        (CdJobList    *self,
                                          CdJobOrder    order,
                                          gboolean      ascending);

/* How many jobs each tab has with the current filters, as last read. */
guint       cd_job_list_get_tab_count    (CdJobList    *self,
                                          CdJobTab      tab);
/* TRUE from a change until its rows are read. */
gboolean    cd_job_list_get_loading      (CdJobList    *self);
/* TRUE when a filter or a search is set (an empty list then means "no match", not "no
 * jobs"). */
gboolean    cd_job_list_is_filtered      (CdJobList    *self);

/* The query of the current tab, filters and order, for an export; free with
 * cd_job_query_free(). */
CdJobQuery *cd_job_list_dup_query        (CdJobList    *self);

/* Reads the counts and the pages held again, now. */
void        cd_job_list_refresh          (CdJobList    *self);
/* While TRUE, the store is asked every @interval_ms whether any job changed, by any process,
 * and the list refreshes when one did. */
void        cd_job_list_set_watching     (CdJobList    *self,
                                          gboolean      watching,
                                          guint         interval_ms);

/* The states of @tab, NULL-terminated, static. */
const char *const *cd_job_tab_get_states (CdJobTab      tab);
/* The tab a job in @state is shown in. */
CdJobTab    cd_job_tab_for_state         (const char   *state);

G_END_DECLS
