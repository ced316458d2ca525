// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-job-context.h"
#include "cd-job-request.h"
#include "cd-job-types.h"
#include "cd-store.h"

G_BEGIN_DECLS

/* The one runner of every operation a user starts. A job is stored as queued, waits for a
 * free place among the jobs of its kind (and for any job with the same exclusive key to end),
 * runs its work function in a worker thread, and ends as finished, failed or cancelled; every
 * transition, event and artifact is stored as it happens. Signals and callbacks come on the
 * main context that was the thread default when the runner was made; progress comes at most
 * every 100 ms per job however often a job reports it.
 *
 * Signals, all on that main context:
 *   job-state-changed (gint64 job_id, CdJobState state, const char *message): queued once
 *     stored, running, and the end; @message is the outcome for the ends, else NULL.
 *   job-progress (gint64 job_id, double fraction, const char *step): the latest of what the
 *     job reported since the last delivery; fraction negative while unknown.
 *   job-event (gint64 job_id, gint64 time, CdJobEventLevel level, const char *message): each
 *     event logged, in order, after it is stored.
 *
 * A runner without a store runs jobs all the same and records nothing (certdesk-cli
 * --no-record). */
#define CD_TYPE_JOB_RUNNER (cd_job_runner_get_type ())
G_DECLARE_FINAL_TYPE (CdJobRunner, cd_job_runner, CD, JOB_RUNNER, GObject)

CdJobRunner *cd_job_runner_new           (CdStore             *store);

CdStore     *cd_job_runner_get_store     (CdJobRunner         *self);

/* How many jobs of @kind may run at once (at least 1). The defaults: 16 host and DNS checks,
 * 4 downloads and bundle imports, 2 of every other kind. */
void         cd_job_runner_set_limit     (CdJobRunner         *self,
                                          CdJobKind            kind,
                                          guint                limit);
guint        cd_job_runner_get_limit     (CdJobRunner         *self,
                                          CdJobKind            kind);

/* Runs a job. Cancelling @cancellable cancels the job (as cd_job_runner_cancel() does). The
 * callback comes when the job has ended and its end is stored. @request is copied from. */
void         cd_job_runner_run_async     (CdJobRunner         *self,
                                          const CdJobRequest  *request,
                                          CdJobFunc            func,
                                          gpointer             func_data,
                                          GDestroyNotify       func_data_destroy,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* TRUE when the job finished. Otherwise @error is its failure, or G_IO_ERROR_CANCELLED.
 * @out_job_id (may be NULL) is set to the job's id either way (0 when it could not even be
 * stored). */
gboolean     cd_job_runner_run_finish    (CdJobRunner         *self,
                                          GAsyncResult        *result,
                                          gint64              *out_job_id,
                                          GError             **error);

/* The same, for a program without a main loop of its own (certdesk-cli): iterates the
 * runner's main context until the job has ended. Call it from the thread that runs that
 * context. */
gboolean     cd_job_runner_run_sync      (CdJobRunner         *self,
                                          const CdJobRequest  *request,
                                          CdJobFunc            func,
                                          gpointer             func_data,
                                          GCancellable        *cancellable,
                                          gint64              *out_job_id,
                                          GError             **error);

/* Cancels a queued or running job of this runner; FALSE when it has none with that id. */
gboolean     cd_job_runner_cancel        (CdJobRunner         *self,
                                          gint64               job_id);
/* Jobs of this runner that are queued or running. */
guint        cd_job_runner_get_n_active  (CdJobRunner         *self);

G_END_DECLS
