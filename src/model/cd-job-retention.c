// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-retention"

#include "config.h"

#include "cd-job-retention.h"

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CdStore *store = source_object;
  guint days = GPOINTER_TO_UINT (task_data);
  GError *error = NULL;
  guint n_deleted = 0;

  if (!cd_store_delete_jobs_before (store, g_get_real_time () - (gint64) days * G_TIME_SPAN_DAY,
                                    cancellable, &n_deleted, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n_deleted);
}

void
cd_job_retention_apply_async (CdStore             *store,
                              guint                days,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CD_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_job_retention_apply_async);
  if (days == 0)
    {
      g_task_return_int (task, 0);
      return;
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (days), NULL);
  g_task_run_in_thread (task, apply_thread);
}

gboolean
cd_job_retention_apply_finish (GAsyncResult  *result,
                               guint         *out_n_deleted,
                               GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_job_retention_apply_async,
                        FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (out_n_deleted != NULL)
    *out_n_deleted = n > 0 ? (guint) n : 0;
  return n >= 0;
}
