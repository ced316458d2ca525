// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-job-runner.h"

G_BEGIN_DECLS

/* One job from submission to its end, shared by the runner (main context) and the job's
 * worker thread: cd-job-runner.c schedules it, cd-job-context.c is the worker's side. */
struct _CdJobContext
{
  gatomicrefcount  ref_count;
  CdJobRunner     *runner;      /* strong */
  GMainContext    *main_context;
  CdStore         *store;       /* NULL: nothing is recorded */

  /* set before the job is stored, then read-only */
  CdJobKind        kind;
  char            *exclusive;
  CdJobFunc        func;
  gpointer         func_data;
  GDestroyNotify   func_data_destroy;
  GCancellable    *cancellable;
  gulong           cancelled_id;
  GTask           *task;        /* main context only */
  CdJobRecord     *record;      /* what is stored at submission */

  /* main context only */
  gint64           id;
  CdJobState       state;
  gboolean         counted;     /* holds a place among its kind's running jobs */
  gboolean         holds_key;   /* holds its exclusive key: runs, or waits for a place */

  /* the end: set by the worker, then read on the main context */
  CdJobState       end_state;
  char            *end_message;
  GError          *end_error;

  /* worker thread only */
  gint64           last_stored_progress; /* monotonic µs */
  char            *error_action;
  GPtrArray       *tracked_files;        /* char * */

  /* the worker hands these to the main context; under @lock */
  GMutex           lock;
  double           fraction;
  char            *step;
  gboolean         progress_changed;
  gboolean         step_stored;          /* the stored step is @step */
  GPtrArray       *pending_events;       /* CdJobEventRecord * */
  GSource         *delivery;             /* pending, or NULL */
  gint64           last_delivery;        /* monotonic µs */
};

CdJobContext *_cd_job_context_new          (CdJobRunner         *runner,
                                            GMainContext        *main_context,
                                            CdStore             *store,
                                            const CdJobRequest  *request);
CdJobContext *_cd_job_context_ref          (CdJobContext        *self);
void          _cd_job_context_unref        (CdJobContext        *self);
/* Worker: stores the last progress and step if they were not. */
void          _cd_job_context_flush        (CdJobContext        *self);
/* Removes tracked files; on cancel, the artifacts too. */
void          _cd_job_context_clean_up     (CdJobContext        *self,
                                            gboolean             cancelled);
const char   *_cd_job_context_get_error_action (CdJobContext    *self);
/* Main context: delivers what is pending now, so that it comes before the end. */
void          _cd_job_context_deliver_now  (CdJobContext        *self);

/* cd-job-runner.c: emit the progress and events that the context delivers */
void          _cd_job_runner_emit_progress (CdJobRunner         *self,
                                            gint64               job_id,
                                            double               fraction,
                                            const char          *step);
void          _cd_job_runner_emit_event    (CdJobRunner         *self,
                                            gint64               job_id,
                                            const CdJobEventRecord *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJobContext, _cd_job_context_unref)

G_END_DECLS
