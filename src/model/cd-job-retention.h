// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-store.h"

G_BEGIN_DECLS

/* Retention of the job history: with @days above 0, deletes in a worker thread the jobs that
 * ended more than @days days before now, as cd_store_delete_jobs_before() does (the newest CSR
 * of each subdomain stays). @days 0 keeps everything and deletes nothing. */
void     cd_job_retention_apply_async  (CdStore              *store,
                                        guint                 days,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
/* @out_n_deleted (may be NULL): how many jobs were deleted */
gboolean cd_job_retention_apply_finish (GAsyncResult         *result,
                                        guint                *out_n_deleted,
                                        GError              **error);

G_END_DECLS
