// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-store.h"

G_BEGIN_DECLS

/* Everything the Job Logs show of one opened job, read in one snapshot off the main loop. */
typedef struct
{
  CdJobRecord *job;
  GPtrArray   *events;     /* CdJobEventRecord, oldest first */
  GPtrArray   *artifacts;  /* CdJobArtifactRecord, in the order they were added, with content */
} CdJobDetails;

void cd_job_details_free (CdJobDetails *details);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJobDetails, cd_job_details_free)

/* Reads job @job_id in a worker thread. A job that is not there fails with CD_ERROR_NOT_FOUND. */
void          cd_job_details_load_async  (CdStore              *store,
                                          gint64                job_id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
CdJobDetails *cd_job_details_load_finish (GAsyncResult         *result,
                                          GError              **error);

/* The artifact's bytes: its stored content, else the file at its path (read in a worker
 * thread; a file that is gone fails with a message that names it). */
void          cd_job_artifact_read_async  (const CdJobArtifactRecord *artifact,
                                           GCancellable              *cancellable,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data);
GBytes       *cd_job_artifact_read_finish (GAsyncResult              *result,
                                           GError                   **error);

/* Writes the artifact's bytes to @file in a worker thread, as every file a user owns is
 * written (cd_safe_file_write: atomic, through links, keeping mode and owner, locked); a
 * private key's media type is written private (0600). Byte for byte what was stored. */
void          cd_job_artifact_save_async  (const CdJobArtifactRecord *artifact,
                                           GFile                     *file,
                                           GCancellable              *cancellable,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data);
gboolean      cd_job_artifact_save_finish (GAsyncResult              *result,
                                           GError                   **error);

/* TRUE when the artifact is text a person may copy (PEM, a CSR, CSV, plain text, JSON). */
gboolean      cd_job_artifact_is_text     (const CdJobArtifactRecord *artifact);

G_END_DECLS
