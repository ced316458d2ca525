// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-store.h"

G_BEGIN_DECLS

/* The Job Logs' list as CSV (RFC 4180, UTF-8, CRLF, a header row): number, kind (stored
 * name), kind title, target type, target, state, state title, created, started, finished (ISO
 * 8601, UTC, empty when not reached), duration in seconds, initiator, message. A cell that a
 * spreadsheet would take as a formula (it starts with =, +, -, @, a tab or a CR) is written
 * with a leading apostrophe.
 *
 * Exports the jobs @query takes (its limit and offset ignored), in its order, read a page at a
 * time in a worker thread, and written to @file as every file a user owns is. @query is copied
 * before this returns. */
void     cd_job_export_csv_async  (CdStore              *store,
                                   const CdJobQuery     *query,
                                   GFile                *file,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* @out_n_jobs (may be NULL): how many rows were written */
gboolean cd_job_export_csv_finish (GAsyncResult         *result,
                                   guint                *out_n_jobs,
                                   GError              **error);

/* The same into memory, for tests and for the command line. */
GBytes  *cd_job_export_csv        (CdStore              *store,
                                   const CdJobQuery     *query,
                                   GCancellable         *cancellable,
                                   guint                *out_n_jobs,
                                   GError              **error);

G_END_DECLS
