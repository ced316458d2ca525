// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-records.h"

G_BEGIN_DECLS

#define CD_TYPE_JOB (cd_job_get_type ())
G_DECLARE_FINAL_TYPE (CdJob, cd_job, CD, JOB, GObject)

CdJob      *cd_job_new_from_record (const CdJobRecord *record);
/* A row whose job is not read yet (a paged list's row before its page arrives): id 0, every
 * text NULL; cd_job_update() fills it in once, with any id. */
CdJob      *cd_job_new_placeholder (void);
/* Takes the new values of a stored job, notifying only what changed. @record must have the
 * same id, unless @self is a placeholder. */
void        cd_job_update          (CdJob             *self,
                                    const CdJobRecord *record);
/* A row of a paged list that now shows another job (a new filter, newer jobs above it):
 * takes every value of @record, whatever its id, notifying what changed. */
void        cd_job_show_record     (CdJob             *self,
                                    const CdJobRecord *record);
/* A row whose job is about to be read again for another query: it keeps showing what it
 * showed, but is not loaded (cd_job_is_loaded()) until cd_job_show_record() fills it. */
void        cd_job_invalidate      (CdJob             *self);
/* Live progress from the runner, between two reads of the store. */
void        cd_job_set_progress    (CdJob             *self,
                                    double             progress,
                                    const char        *step);
/* FALSE for a placeholder */
gboolean    cd_job_is_loaded       (CdJob *self);

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
/* "instance", "subdomain", "host", "data-center", "keystore" or "" */
const char *cd_job_get_target_type (CdJob *self);
/* "user", "reminder" or "command-line" */
const char *cd_job_get_initiator   (CdJob *self);
/* 0 to 1, negative while unknown (a pulse) */
double      cd_job_get_progress    (CdJob *self);
const char *cd_job_get_step        (CdJob *self);
const char *cd_job_get_error_action (CdJob *self);
/* a{ss}, may be NULL */
GVariant   *cd_job_get_parameters  (CdJob *self);
/* finished - started; for a running job, @now - started; 0 before it starts */
gint64      cd_job_get_duration    (CdJob *self,
                                    gint64 now);
/* TRUE while queued or running */
gboolean    cd_job_is_active       (CdJob *self);

G_END_DECLS
