// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-job-list.h"

G_BEGIN_DECLS

#define CD_TYPE_JOB_WINDOW (cd_job_window_get_type ())
G_DECLARE_FINAL_TYPE (CdJobWindow, cd_job_window, CD, JOB_WINDOW, AdwWindow)

/* One job opened from the Job Logs: its state (live while it runs, with Cancel), its outcome
 * and the action to take, its files with Download and Copy, its details, parameters and the
 * timeline of its events. @list brings what changes. */
GtkWidget *cd_job_window_new     (CdJob     *job,
                                  CdJobList *list);
gint64     cd_job_window_get_job_id (CdJobWindow *self);
/* TRUE once the job's details have been read (for tests) */
gboolean   cd_job_window_is_loaded  (CdJobWindow *self);

G_END_DECLS
