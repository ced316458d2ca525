// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-job-types.h"

G_BEGIN_DECLS

/* What a job's work function gets, in its worker thread: a way to say how far it is and what
 * it is doing, to log events, to keep artifacts, and its GCancellable. Everything it is told is
 * stored with the job and reaches the runner's main context, progress at most about ten times
 * a second. Only the worker thread of the job uses it, and only while the work function runs.
 *
 * Nothing secret goes in: no password, no private key, in an event, a step or a parameter. */
typedef struct _CdJobContext CdJobContext;

/* The work of a job, run in a worker thread. Returns TRUE when the job did all it was asked;
 * FALSE with @error when it failed, or with G_IO_ERROR_CANCELLED when it stopped because its
 * cancellable was cancelled. Whatever it leaves half-done on a failure it removes, or leaves
 * to files tracked with cd_job_context_track_file(). */
typedef gboolean (*CdJobFunc) (CdJobContext  *context,
                               gpointer       user_data,
                               GError       **error);

/* The job's id in the store (negative for a runner that records nothing). */
gint64        cd_job_context_get_id          (CdJobContext    *self);
CdJobKind     cd_job_context_get_kind        (CdJobContext    *self);
GCancellable *cd_job_context_get_cancellable (CdJobContext    *self);
/* Sets @error and returns TRUE when the job was cancelled. */
gboolean      cd_job_context_set_error_if_cancelled (CdJobContext  *self,
                                                     GError       **error);

/* @fraction from 0 to 1, or negative while the job cannot tell how far it is (a pulse). */
void          cd_job_context_set_progress    (CdJobContext    *self,
                                              double           fraction);
/* What the job is doing now, for people: "Writing the keystore". */
void          cd_job_context_set_step        (CdJobContext    *self,
                                              const char      *step);
void          cd_job_context_log             (CdJobContext    *self,
                                              CdJobEventLevel  level,
                                              const char      *format,
                                              ...) G_GNUC_PRINTF (3, 4);

/* Keeps @content with the job under the file name @name offered on download. */
gboolean      cd_job_context_add_artifact    (CdJobContext    *self,
                                              const char      *name,
                                              const char      *media_type,
                                              GBytes          *content,
                                              GError         **error);
/* Records a file the job wrote and that stays where it is (a keystore). */
gboolean      cd_job_context_add_artifact_path (CdJobContext  *self,
                                                const char    *name,
                                                const char    *media_type,
                                                const char    *path,
                                                GError       **error);

/* A file the job is writing: removed when the job does not finish (fails or is cancelled), so
 * that nothing half-written is left. */
void          cd_job_context_track_file      (CdJobContext    *self,
                                              const char      *path);
/* What a person can do about the failure the work function is about to return: "Free some
 * space on the disk, then run the import again." Without one, the runner words one from the
 * error's code. */
void          cd_job_context_set_error_action (CdJobContext   *self,
                                               const char     *action);

G_END_DECLS
