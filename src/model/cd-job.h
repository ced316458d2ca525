// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-records.h"

G_BEGIN_DECLS

#define CD_TYPE_JOB (cd_job_get_type ())
G_DECLARE_FINAL_TYPE (CdJob, cd_job, CD, JOB, GObject)

CdJob      *cd_job_new_from_record (const CdJobRecord *record);
/* Takes the new values of a stored job, notifying only what changed. */
void        cd_job_update          (CdJob             *self,
                                    const CdJobRecord *record);

gint64      cd_job_get_id          (CdJob *self);
const char *cd_job_get_kind        (CdJob *self);
const char *cd_job_get_target      (CdJob *self);
gint64      cd_job_get_instance_id (CdJob *self);
/* one of CD_JOB_STATE_* */
const char *cd_job_get_state       (CdJob *self);
/* microseconds since the epoch; 0 when not reached yet */
gint64      cd_job_get_created     (CdJob *self);
gint64      cd_job_get_started     (CdJob *self);
gint64      cd_job_get_finished    (CdJob *self);
const char *cd_job_get_message     (CdJob *self);
/* TRUE while queued or running */
gboolean    cd_job_is_active       (CdJob *self);

G_END_DECLS
