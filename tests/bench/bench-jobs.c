// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "bench-jobs"

#include "config.h"

#include <glib.h>
#include <stdio.h>

#include "cd-job-runner.h"
#include "cd-store.h"
#include "cd-test-util.h"

/* The job runner's own cost, at and beyond the sizes users reach: "Check all" over an
 * inventory of 1,000 hosts queues 1,000 jobs at once, and a script may queue ten times that.
 * Each job does nothing but report progress ten times and log one event, so what is timed is
 * what the runner adds: storing the job, its transitions and its event, scheduling it within
 * its kind's limit, and delivering what it reports to the main context. The time per job
 * should not grow with the number queued. Nothing is asserted. */

static gboolean
tiny_work (CdJobContext  *context,
           gpointer       user_data,
           GError       **error)
{
  for (guint i = 1; i <= 10; i++)
    cd_job_context_set_progress (context, i / 10.0);
  cd_job_context_log (context, CD_JOB_EVENT_INFO, "Checked");
  return TRUE;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  guint *remaining = user_data;
  g_autoptr(GError) error = NULL;

  if (!cd_job_runner_run_finish (CD_JOB_RUNNER (source), result, NULL, &error))
    g_error ("A job failed: %s", error->message);
  (*remaining)--;
}

static double
run_jobs (CdStore *store,
          guint    n,
          gboolean exclusive)
{
  g_autoptr(CdJobRunner) runner = cd_job_runner_new (store);
  g_autoptr(CdJobRequest) request = cd_job_request_new (CD_JOB_KIND_CHECK_HOSTS,
                                                        CD_JOB_TARGET_HOST,
                                                        "t.mail.example.com");
  gint64 start = g_get_monotonic_time ();
  guint remaining = n;

  if (exclusive)
    cd_job_request_set_exclusive (request, "one keystore");
  for (guint i = 0; i < n; i++)
    cd_job_runner_run_async (runner, request, tiny_work, NULL, NULL, NULL, done_cb, &remaining);
  while (remaining > 0)
    g_main_context_iteration (NULL, TRUE);

  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  static const guint sizes[] = { 1000, 10000 };
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("certdesk-bench-jobs-XXXXXX", &error);

  g_assert_no_error (error);
  printf ("%-34s %9s %10s %12s\n", "jobs through the runner", "jobs", "seconds", "µs per job");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("jobs-%u.db", sizes[i]);
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autoptr(CdStore) store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
      double seconds;

      g_assert_no_error (error);
      seconds = run_jobs (store, sizes[i], FALSE);
      printf ("%-34s %9u %10.2f %12.1f\n", "stored, 16 at a time", sizes[i], seconds,
              seconds * 1e6 / sizes[i]);
      seconds = run_jobs (NULL, sizes[i], FALSE);
      printf ("%-34s %9u %10.2f %12.1f\n", "not stored (--no-record)", sizes[i], seconds,
              seconds * 1e6 / sizes[i]);
      seconds = run_jobs (NULL, sizes[i], TRUE);
      printf ("%-34s %9u %10.2f %12.1f\n", "not stored, one exclusive key", sizes[i], seconds,
              seconds * 1e6 / sizes[i]);
      fflush (stdout);
    }

  cd_test_remove_tree (tmpdir);
  return 0;
}
