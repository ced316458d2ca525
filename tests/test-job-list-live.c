// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-job-list-live"

#include "config.h"

#include <string.h>

#include "cd-error.h"
#include "cd-job-list.h"
#include "cd-job-retention.h"
#include "cd-test-job-list.h"
#include "cd-test-util.h"

/* The Job Logs' list following what happens: jobs another process writes, live progress and
 * Cancel through the runner, and a job whose process was killed. */

static void
test_other_process (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CdJobList) list = NULL;
  g_autoptr(CdStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJob) first = NULL;
  g_autoptr(CdProcessIdentity) self = cd_process_identity_self ();
  CdJobRecord record = {
    .kind = (char *) "import-keystore",
    .target = (char *) "/srv/ks/cacerts",
    .state = (char *) CD_JOB_STATE_FINISHED,
    .initiator = (char *) "command-line",
    .created = AT (999999),
    .progress = -1,
    .owner = self,
  };
  gint64 id;
  guint before, failed_before;

  cd_test_add_jobs (fixture, 30);
  list = cd_job_list_new (fixture->store, NULL);
  cd_test_wait_loaded (list);
  before = g_list_model_get_n_items (G_LIST_MODEL (list));
  failed_before = cd_job_list_get_tab_count (list, CD_JOB_TAB_FAILED);
  cd_job_list_set_watching (list, TRUE, 50);

  /* a connection of its own, as certdesk-cli has */
  other = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  id = cd_store_insert_job (other, &record, &error);
  g_assert_no_error (error);

  cd_test_wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, before + 1);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  cd_test_wait_row (first);
  g_assert_cmpint (cd_job_get_id (first), ==, id);
  g_assert_cmpstr (cd_job_get_target (first), ==, "/srv/ks/cacerts");

  /* a running job of the other connection: its row follows its progress, then leaves the
   * tab when it ends */
  cd_job_list_set_tab (list, CD_JOB_TAB_RUNNING);
  cd_test_wait_loaded (list);
  before = g_list_model_get_n_items (G_LIST_MODEL (list));
  record.state = (char *) CD_JOB_STATE_RUNNING;
  record.created = AT (1000000);
  id = cd_store_insert_job (other, &record, &error);
  g_assert_no_error (error);
  cd_test_wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, before + 1);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  cd_test_wait_row (first);
  g_assert_cmpint (cd_job_get_id (first), ==, id);

  cd_store_set_job_progress (other, id, 0.5, "Importing 3 of 6", &error);
  g_assert_no_error (error);
  cd_test_wait_loaded (list);
  g_assert_cmpfloat_with_epsilon (cd_job_get_progress (first), 0.5, 0.001);
  g_assert_cmpstr (cd_job_get_step (first), ==, "Importing 3 of 6");

  cd_store_set_job_state (other, id, CD_JOB_STATE_FAILED, "Nothing was imported.", &error);
  g_assert_no_error (error);
  cd_test_wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, before);
  g_assert_cmpuint (cd_job_list_get_tab_count (list, CD_JOB_TAB_FAILED), ==,
                    failed_before + 1);
}

/* The runner's jobs: live progress, and Cancel */

static gboolean
wait_for_cancel (CdJobContext  *context,
                 gpointer       data,
                 GError       **error)
{
  GCancellable *cancellable = cd_job_context_get_cancellable (context);

  cd_job_context_set_progress (context, 0.25);
  cd_job_context_set_step (context, "Waiting to be cancelled");
  while (!g_cancellable_is_cancelled (cancellable))
    g_usleep (5000);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_runner_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CdJobRunner) runner = cd_job_runner_new (fixture->store);
  g_autoptr(CdJobList) list = cd_job_list_new (fixture->store, runner);
  g_autoptr(CdJobRequest) request =
    cd_job_request_new (CD_JOB_KIND_CHECK_HOSTS, CD_JOB_TARGET_HOST, "t.mail.brand.com");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdJob) row = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gint64 job_id = 0;

  cd_test_wait_loaded (list);
  cd_job_list_set_tab (list, CD_JOB_TAB_RUNNING);
  cd_test_wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  cd_job_runner_run_async (runner, request, wait_for_cancel, NULL, NULL, NULL, got_result,
                           &result);

  /* it shows as running, with the progress the runner brings */
  while (row == NULL || g_strcmp0 (cd_job_get_state (row), CD_JOB_STATE_RUNNING) != 0 ||
         cd_job_get_progress (row) < 0.2 || cd_job_get_step (row) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      cd_test_iterate ();
      if (row == NULL && g_list_model_get_n_items (G_LIST_MODEL (list)) > 0)
        row = g_list_model_get_item (G_LIST_MODEL (list), 0);
    }
  g_assert_cmpstr (cd_job_get_target (row), ==, "t.mail.brand.com");
  g_assert_cmpfloat_with_epsilon (cd_job_get_progress (row), 0.25, 0.001);
  g_assert_cmpstr (cd_job_get_step (row), ==, "Waiting to be cancelled");

  g_assert_true (cd_job_runner_cancel (runner, cd_job_get_id (row)));
  while (result == NULL)
    cd_test_iterate ();
  g_assert_false (cd_job_runner_run_finish (runner, result, &job_id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (job_id, ==, cd_job_get_id (row));

  /* it leaves Running for Failed, as cancelled */
  while (g_list_model_get_n_items (G_LIST_MODEL (list)) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      cd_test_iterate ();
    }
  cd_job_list_set_tab (list, CD_JOB_TAB_FAILED);
  cd_test_wait_loaded (list);
  g_assert_cmpuint (cd_job_list_get_tab_count (list, CD_JOB_TAB_FAILED), ==, 1);
  g_clear_object (&row);
  row = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (cd_job_get_id (row), ==, job_id);
  g_assert_cmpstr (cd_job_get_state (row), ==, CD_JOB_STATE_CANCELLED);
}

/* A job whose process was killed shows as interrupted, in Failed, once the store is opened
 * again. */
static void
test_interrupted (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobList) list = NULL;
  g_autoptr(CdJob) row = NULL;
  g_autoptr(CdProcessIdentity) gone = NULL;
  g_autoptr(GSubprocess) process = NULL;
  CdJobRecord record = {
    .kind = (char *) "generate-csr",
    .target = (char *) "mail.brand.com",
    .state = (char *) CD_JOB_STATE_RUNNING,
    .initiator = (char *) "user",
    .created = AT (1),
    .progress = -1,
  };
  gint64 id;

  /* the job's owner: a real process, killed while its job runs */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "600", NULL);
  g_assert_no_error (error);
  gone = cd_process_identity_get (g_ascii_strtoll (g_subprocess_get_identifier (process),
                                                   NULL, 10));
  g_assert_nonnull (gone);
  record.owner = gone;
  id = cd_store_insert_job (fixture->store, &record, &error);
  g_assert_no_error (error);
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  g_clear_object (&fixture->store);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_store_get_interrupted_jobs (fixture->store), ==, 1);

  list = cd_job_list_new (fixture->store, NULL);
  cd_test_wait_loaded (list);
  g_assert_cmpuint (cd_job_list_get_tab_count (list, CD_JOB_TAB_RUNNING), ==, 0);
  cd_job_list_set_tab (list, CD_JOB_TAB_FAILED);
  cd_test_wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  row = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (cd_job_get_id (row), ==, id);
  g_assert_cmpstr (cd_job_get_state (row), ==, CD_JOB_STATE_INTERRUPTED);
}

/* The CSV of the list: its rows, in its order */

/* Retention as Preferences set it: days counted back from now, 0 keeping everything. */

static void
retention_applied (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static guint
apply_retention (CdStore *store,
                 guint    days)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_deleted = G_MAXUINT;

  cd_job_retention_apply_async (store, days, NULL, retention_applied, &result);
  while (result == NULL)
    cd_test_iterate ();
  g_assert_true (cd_job_retention_apply_finish (result, &n_deleted, &error));
  g_assert_no_error (error);
  return n_deleted;
}

static void
test_retention (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CdProcessIdentity) self = cd_process_identity_self ();
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  const struct
  {
    const char *kind;
    const char *target;
    const char *state;
    int         days_ago;
    gboolean    kept;
  } jobs[] = {
    { "check-hosts", "t.mail.brand.com", CD_JOB_STATE_FINISHED, 40, FALSE },
    { "check-hosts", "m.mail.brand.com", CD_JOB_STATE_FAILED, 31, FALSE },
    { "check-dns", "res.mail.brand.com", CD_JOB_STATE_FINISHED, 29, TRUE },
    { "import-keystore", "/srv/ks/cacerts", CD_JOB_STATE_CANCELLED, 2, TRUE },
    /* the newest CSR of its subdomain, however old */
    { "generate-csr", "mail.brand.com", CD_JOB_STATE_FINISHED, 90, TRUE },
    /* an older CSR of the same subdomain */
    { "generate-csr", "mail.brand.com", CD_JOB_STATE_FINISHED, 120, FALSE },
    /* still running: never deleted */
    { "check-hosts", "t.shop.example", CD_JOB_STATE_RUNNING, 50, TRUE },
  };
  gint64 ids[G_N_ELEMENTS (jobs)];

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      gint64 when = now - (gint64) jobs[i].days_ago * G_TIME_SPAN_DAY;
      CdJobRecord record = {
        .kind = (char *) jobs[i].kind,
        .target = (char *) jobs[i].target,
        .target_type = (char *) "subdomain",
        /* stored as it ended: with no end time, retention counts from its creation */
        .state = (char *) jobs[i].state,
        .initiator = (char *) "user",
        .created = when,
        .progress = -1,
        .owner = self,
      };

      ids[i] = cd_store_insert_job (fixture->store, &record, &error);
      g_assert_no_error (error);
      if (g_str_equal (jobs[i].kind, "generate-csr"))
        {
          g_autoptr(GBytes) csr = g_bytes_new_static ("-----BEGIN CERTIFICATE REQUEST-----\n", 36);

          cd_store_add_job_artifact (fixture->store, ids[i], "mail.brand.com.csr",
                                     "application/pkcs10", csr, NULL, &error);
          g_assert_no_error (error);
        }
    }

  /* 0 keeps every job */
  g_assert_cmpuint (apply_retention (fixture->store, 0), ==, 0);

  g_assert_cmpuint (apply_retention (fixture->store, 30), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autoptr(CdJobRecord) job = cd_store_get_job (fixture->store, ids[i], &error);

      if (jobs[i].kept)
        {
          g_assert_no_error (error);
          g_assert_nonnull (job);
        }
      else
        {
          g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
          g_clear_error (&error);
        }
    }
  /* and again: nothing more is that old */
  g_assert_cmpuint (apply_retention (fixture->store, 30), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, cd_test_job_list_set_up, func, cd_test_job_list_tear_down)
  ADD ("/job-list/other-process", test_other_process);
  ADD ("/job-list/runner-cancel", test_runner_cancel);
  ADD ("/job-list/interrupted", test_interrupted);
  ADD ("/job-list/retention", test_retention);
#undef ADD

  return g_test_run ();
}
