// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-job-enums.h"
#include "cd-job-runner.h"
#include "cd-store.h"
#include "cd-test-util.h"

/* The job runner against a real store in a temporary folder: what a job reports arrives on
 * the main context and is in the database, after a restart too. */

#define WAIT_LIMIT_US (30 * G_TIME_SPAN_SECOND)

typedef struct
{
  char        *tmpdir;
  char        *path;
  CdStore     *store;
  CdJobRunner *runner;

  /* what the runner's signals said */
  GPtrArray   *states;      /* "ID:state" */
  guint        n_progress;
  double       last_fraction;
  char        *last_step;
  GPtrArray   *events;      /* "level:message" */
} Fixture;

static void
on_state_changed (CdJobRunner *runner,
                  gint64       job_id,
                  CdJobState   state,
                  const char  *message,
                  Fixture     *fixture)
{
  g_ptr_array_add (fixture->states,
                   g_strdup_printf ("%" G_GINT64_FORMAT ":%s", job_id,
                                    cd_job_enum_to_string (CD_TYPE_JOB_STATE, state)));
}

static void
on_progress (CdJobRunner *runner,
             gint64       job_id,
             double       fraction,
             const char  *step,
             Fixture     *fixture)
{
  fixture->n_progress++;
  fixture->last_fraction = fraction;
  g_free (fixture->last_step);
  fixture->last_step = g_strdup (step);
}

static void
on_event (CdJobRunner     *runner,
          gint64           job_id,
          gint64           time,
          CdJobEventLevel  level,
          const char      *message,
          Fixture         *fixture)
{
  g_assert_cmpint (time, >, 0);
  g_ptr_array_add (fixture->events,
                   g_strdup_printf ("%s:%s", cd_job_enum_to_string (CD_TYPE_JOB_EVENT_LEVEL,
                                                                     level), message));
}

static void
connect_runner (Fixture *fixture)
{
  g_signal_connect (fixture->runner, "job-state-changed", G_CALLBACK (on_state_changed),
                    fixture);
  g_signal_connect (fixture->runner, "job-progress", G_CALLBACK (on_progress), fixture);
  g_signal_connect (fixture->runner, "job-event", G_CALLBACK (on_event), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("certdesk-jobs-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmpdir, "certdesk.db", NULL);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fixture->runner = cd_job_runner_new (fixture->store);
  fixture->states = g_ptr_array_new_with_free_func (g_free);
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  connect_runner (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpuint (cd_job_runner_get_n_active (fixture->runner), ==, 0);
  g_assert_finalize_object (fixture->runner);
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->states);
  g_ptr_array_unref (fixture->events);
  g_free (fixture->last_step);
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->path);
  g_free (fixture->tmpdir);
}

/* Iterates the main context until @done, failing the test after WAIT_LIMIT_US. */
static void
wait_until (const gboolean *done)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  gint64    job_id;
  GError   *error;
} Result;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Result *r = user_data;

  r->ok = cd_job_runner_run_finish (CD_JOB_RUNNER (source), result, &r->job_id, &r->error);
  r->done = TRUE;
}

static CdJobRequest *
request_new (CdJobKind kind)
{
  CdJobRequest *request = cd_job_request_new (kind, CD_JOB_TARGET_SUBDOMAIN, "mail.example.com");

  cd_job_request_set_target_id (request, 7);
  return request;
}

/* --- a job that succeeds ------------------------------------------------------------------- */

static gboolean
csr_work (CdJobContext  *context,
          gpointer       user_data,
          GError       **error)
{
  g_autoptr(GBytes) csr = g_bytes_new_static ("-----BEGIN CERTIFICATE REQUEST-----\n", 36);

  cd_job_context_set_step (context, "Generating an RSA 2048 key");
  cd_job_context_set_progress (context, 0.25);
  cd_job_context_log (context, CD_JOB_EVENT_INFO, "Key generated");
  cd_job_context_set_step (context, "Writing the CSR");
  cd_job_context_set_progress (context, 0.75);
  cd_job_context_log (context, CD_JOB_EVENT_WARNING, "Organization Unit is no longer allowed");
  return cd_job_context_add_artifact (context, "mail.example.com.csr", "application/pkcs10",
                                      csr, error);
}

static void
test_succeeds (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_GENERATE_CSR);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  g_autoptr(CdStore) reopened = NULL;
  g_autofree char *running = NULL;
  g_autofree char *finished = NULL;
  const char *hosts = NULL;
  gint64 before = g_get_real_time ();
  Result r = { 0 };

  cd_job_request_set_initiator (request, CD_JOB_INITIATOR_USER);
  cd_job_request_add_parameter (request, "hosts", "t.mail.example.com m.mail.example.com");
  cd_job_runner_run_async (fixture->runner, request, csr_work, NULL, NULL, NULL, run_cb, &r);
  g_assert_cmpuint (cd_job_runner_get_n_active (fixture->runner), ==, 0);
  wait_until (&r.done);

  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpint (r.job_id, >, 0);

  /* announced in order, each state once */
  running = g_strdup_printf ("%" G_GINT64_FORMAT ":running", r.job_id);
  finished = g_strdup_printf ("%" G_GINT64_FORMAT ":finished", r.job_id);
  g_assert_cmpuint (fixture->states->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->states, 1), ==, running);
  g_assert_cmpstr (g_ptr_array_index (fixture->states, 2), ==, finished);
  g_assert_cmpuint (fixture->events->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 0), ==, "info:Key generated");
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 1), ==,
                   "warning:Organization Unit is no longer allowed");
  g_assert_cmpuint (fixture->n_progress, >=, 1);
  g_assert_cmpfloat (fixture->last_fraction, ==, 0.75);
  g_assert_cmpstr (fixture->last_step, ==, "Writing the CSR");

  /* after a restart, from another connection */
  g_clear_object (&fixture->store);
  reopened = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_store_get_interrupted_jobs (reopened), ==, 0);

  job = cd_store_get_job (reopened, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->kind, ==, "generate-csr");
  g_assert_cmpstr (job->target_type, ==, "subdomain");
  g_assert_cmpint (job->target_id, ==, 7);
  g_assert_cmpstr (job->target, ==, "mail.example.com");
  g_assert_cmpstr (job->initiator, ==, "user");
  g_assert_cmpstr (job->state, ==, "finished");
  g_assert_cmpint (job->created, >=, before);
  g_assert_cmpint (job->started, >=, job->created);
  g_assert_cmpint (job->finished, >=, job->started);
  g_assert_cmpfloat (job->progress, ==, 1.0);
  g_assert_cmpstr (job->step, ==, "Writing the CSR");
  g_assert_null (job->error_action);
  g_assert_nonnull (job->owner);
  g_assert_cmpint (job->owner->pid, ==, getpid ());
  g_assert_nonnull (job->parameters);
  g_assert_true (g_variant_lookup (job->parameters, "hosts", "&s", &hosts));
  g_assert_cmpstr (hosts, ==, "t.mail.example.com m.mail.example.com");

  events = cd_store_list_job_events (reopened, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((CdJobEventRecord *) g_ptr_array_index (events, 0))->message, ==,
                   "Key generated");
  g_assert_cmpstr (((CdJobEventRecord *) g_ptr_array_index (events, 1))->level, ==, "warning");

  artifacts = cd_store_list_job_artifacts (reopened, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, 1);
  g_assert_cmpstr (((CdJobArtifactRecord *) g_ptr_array_index (artifacts, 0))->name, ==,
                   "mail.example.com.csr");
  g_assert_cmpuint (g_bytes_get_size (((CdJobArtifactRecord *) g_ptr_array_index (artifacts, 0))->content),
                    ==, 36);
}

/* --- a job that fails ---------------------------------------------------------------------- */

static gboolean
failing_work (CdJobContext  *context,
              gpointer       user_data,
              GError       **error)
{
  const char *action = user_data;

  cd_job_context_log (context, CD_JOB_EVENT_INFO, "Reading the keystore");
  if (action != NULL)
    cd_job_context_set_error_action (context, action);
  g_set_error_literal (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
                       "Keystore was tampered with, or password was incorrect");
  return FALSE;
}

static void
test_fails (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CdJobRequest) request = cd_job_request_new (CD_JOB_KIND_IMPORT_KEYSTORE,
                                                        CD_JOB_TARGET_KEYSTORE,
                                                        "/srv/app/truststore.jks");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(CdJobRecord) second = NULL;
  g_autoptr(GPtrArray) events = NULL;
  Result r = { 0 };
  Result r2 = { 0 };

  cd_job_runner_run_async (fixture->runner, request, failing_work, NULL, NULL, NULL, run_cb, &r);
  wait_until (&r.done);

  g_assert_false (r.ok);
  g_assert_error (r.error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  g_assert_cmpint (r.job_id, >, 0);
  g_clear_error (&r.error);

  job = cd_store_get_job (fixture->store, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->state, ==, "failed");
  g_assert_cmpstr (job->message, ==, "Keystore was tampered with, or password was incorrect");
  /* worded from the error's code when the job gave none */
  g_assert_nonnull (job->error_action);
  g_assert_nonnull (strstr (job->error_action, "password"));
  g_assert_cmpint (job->finished, >=, job->started);

  events = cd_store_list_job_events (fixture->store, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((CdJobEventRecord *) g_ptr_array_index (events, 1))->level, ==, "error");
  g_assert_cmpstr (((CdJobEventRecord *) g_ptr_array_index (events, 1))->message, ==,
                   job->message);

  /* the job's own action wins */
  cd_job_runner_run_async (fixture->runner, request, failing_work,
                           (gpointer) "Ask the keystore's owner for its password.", NULL, NULL,
                           run_cb, &r2);
  wait_until (&r2.done);
  g_assert_false (r2.ok);
  g_clear_error (&r2.error);
  second = cd_store_get_job (fixture->store, r2.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->error_action, ==, "Ask the keystore's owner for its password.");
  g_assert_cmpint (r2.job_id, >, r.job_id);
}

/* --- cancelled mid-way --------------------------------------------------------------------- */

typedef struct
{
  char     *out_path;
  gint      started;  /* atomic */
  gint      wrote;    /* atomic: bytes written before the cancel */
} WriterData;

/* Writes a file in pieces until cancelled, as a keystore or a download would. */
static gboolean
writer_work (CdJobContext  *context,
             gpointer       user_data,
             GError       **error)
{
  WriterData *data = user_data;
  g_autoptr(GBytes) partial = g_bytes_new_static ("partial", 7);
  FILE *out;

  out = fopen (data->out_path, "w");
  g_assert_nonnull (out);
  cd_job_context_track_file (context, data->out_path);
  if (!cd_job_context_add_artifact (context, "partial.bin", NULL, partial, error))
    return FALSE;
  cd_job_context_set_progress (context, -1);
  g_atomic_int_set (&data->started, 1);

  for (guint i = 0; i < 100000; i++)
    {
      if (cd_job_context_set_error_if_cancelled (context, error))
        {
          fclose (out);
          return FALSE;
        }
      fputs ("0123456789", out);
      fflush (out);
      g_atomic_int_add (&data->wrote, 10);
      g_usleep (100);
    }
  fclose (out);
  g_set_error_literal (error, CD_ERROR, CD_ERROR_FAILED, "never cancelled");
  return FALSE;
}

static void
test_cancel_running (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_DOWNLOAD_BUNDLE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  WriterData writer = { 0 };
  Result r = { 0 };

  writer.out_path = g_build_filename (fixture->tmpdir, "bundle.zip", NULL);
  cd_job_runner_run_async (fixture->runner, request, writer_work, &writer, NULL, cancellable,
                           run_cb, &r);

  /* mid-way: the file exists and has grown */
  while (g_atomic_int_get (&writer.wrote) < 100)
    {
      g_assert_false (r.done);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_true (g_file_test (writer.out_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (cd_job_runner_get_n_active (fixture->runner), ==, 1);
  g_cancellable_cancel (cancellable);
  wait_until (&r.done);

  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);

  /* nothing half-written is left */
  g_assert_false (g_file_test (writer.out_path, G_FILE_TEST_EXISTS));
  job = cd_store_get_job (fixture->store, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->state, ==, "cancelled");
  g_assert_null (job->error_action);
  artifacts = cd_store_list_job_artifacts (fixture->store, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, 0);

  g_free (writer.out_path);
}

/* --- cancelled while queued ---------------------------------------------------------------- */

typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean release;
  gint     calls; /* atomic */
} Gate;

static gboolean
gated_work (CdJobContext  *context,
            gpointer       user_data,
            GError       **error)
{
  Gate *gate = user_data;

  g_atomic_int_inc (&gate->calls);
  g_mutex_lock (&gate->lock);
  while (!gate->release)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
  return TRUE;
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->release = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

static void
test_cancel_queued (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_INSTALL_CERTIFICATE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  Gate gate = { 0 };
  Result first = { 0 };
  Result second = { 0 };

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  cd_job_runner_set_limit (fixture->runner, CD_JOB_KIND_INSTALL_CERTIFICATE, 1);

  cd_job_runner_run_async (fixture->runner, request, gated_work, &gate, NULL, NULL, run_cb,
                           &first);
  cd_job_runner_run_async (fixture->runner, request, gated_work, &gate, NULL, cancellable,
                           run_cb, &second);
  while (g_atomic_int_get (&gate.calls) < 1 || cd_job_runner_get_n_active (fixture->runner) < 2)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }

  /* the second waits for the first's place; cancelled, it ends without running */
  g_cancellable_cancel (cancellable);
  wait_until (&second.done);
  g_assert_false (first.done);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&second.error);
  g_assert_cmpint (g_atomic_int_get (&gate.calls), ==, 1);
  job = cd_store_get_job (fixture->store, second.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->state, ==, "cancelled");
  g_assert_cmpint (job->started, ==, 0);

  /* cancelled before it was even stored: it does not wait for a place either */
  {
    g_autoptr(GCancellable) already = g_cancellable_new ();
    Result third = { 0 };

    g_cancellable_cancel (already);
    cd_job_runner_run_async (fixture->runner, request, gated_work, &gate, NULL, already, run_cb,
                             &third);
    wait_until (&third.done);
    g_assert_false (first.done);
    g_assert_error (third.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&third.error);
  }

  gate_open (&gate);
  wait_until (&first.done);
  g_assert_true (first.ok);
  g_assert_cmpint (g_atomic_int_get (&gate.calls), ==, 1);

  /* cancelling by id, as a view would */
  g_assert_false (cd_job_runner_cancel (fixture->runner, first.job_id));

  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);
}

/* --- progress is throttled ----------------------------------------------------------------- */

typedef struct
{
  guint calls;
  gint64 duration; /* µs the work took */
} Flood;

static gboolean
flooding_work (CdJobContext  *context,
               gpointer       user_data,
               GError       **error)
{
  Flood *flood = user_data;
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + 600 * G_TIME_SPAN_MILLISECOND;

  /* as fast as it can for 0.6 s */
  while (g_get_monotonic_time () < end)
    {
      flood->calls++;
      cd_job_context_set_progress (context, (flood->calls % 1000) / 1000.0);
    }
  cd_job_context_set_progress (context, 1.0);
  cd_job_context_set_step (context, "Done");
  flood->duration = g_get_monotonic_time () - start;
  return TRUE;
}

static void
test_progress_throttled (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_CHECK_HOSTS);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  Flood flood = { 0 };
  Result r = { 0 };
  guint bound;

  cd_job_runner_run_async (fixture->runner, request, flooding_work, &flood, NULL, NULL, run_cb,
                           &r);
  wait_until (&r.done);
  g_assert_true (r.ok);

  /* about ten a second, plus the last one delivered before the end */
  bound = (guint) (flood.duration / (100 * G_TIME_SPAN_MILLISECOND)) + 2;
  g_test_message ("%u progress reports, %u delivered in %.2f s", flood.calls,
                  fixture->n_progress, flood.duration / 1e6);
  g_assert_cmpuint (flood.calls, >, 10 * bound);
  g_assert_cmpuint (fixture->n_progress, >=, 2);
  g_assert_cmpuint (fixture->n_progress, <=, bound);
  /* the last word is what the job said last */
  g_assert_cmpfloat (fixture->last_fraction, ==, 1.0);
  g_assert_cmpstr (fixture->last_step, ==, "Done");

  job = cd_store_get_job (fixture->store, r.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->step, ==, "Done");
}

/* --- bounded concurrency ------------------------------------------------------------------- */

typedef struct
{
  gint current; /* atomic */
  gint most;    /* atomic */
  gint ran;     /* atomic */
} Counter;

static gboolean
counted_work (CdJobContext  *context,
              gpointer       user_data,
              GError       **error)
{
  Counter *counter = user_data;
  gint now = g_atomic_int_add (&counter->current, 1) + 1;
  gint most;

  while (now > (most = g_atomic_int_get (&counter->most)) &&
         !g_atomic_int_compare_and_exchange (&counter->most, most, now))
    ;
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  g_atomic_int_add (&counter->current, -1);
  g_atomic_int_inc (&counter->ran);
  return TRUE;
}

static void
run_many (Fixture            *fixture,
          const CdJobRequest *request,
          guint               n,
          Counter            *counter)
{
  g_autofree Result *results = g_new0 (Result, n);

  for (guint i = 0; i < n; i++)
    cd_job_runner_run_async (fixture->runner, request, counted_work, counter, NULL, NULL,
                             run_cb, &results[i]);
  for (guint i = 0; i < n; i++)
    {
      wait_until (&results[i].done);
      g_assert_true (results[i].ok);
      /* ids in the order the jobs were asked for */
      if (i > 0)
        g_assert_cmpint (results[i].job_id, >, results[i - 1].job_id);
    }
  g_assert_cmpint (g_atomic_int_get (&counter->ran), ==, n);
}

static void
test_concurrency_bound (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CdJobRequest) checks = request_new (CD_JOB_KIND_CHECK_HOSTS);
  g_autoptr(CdJobRequest) imports = cd_job_request_new (CD_JOB_KIND_IMPORT_KEYSTORE,
                                                        CD_JOB_TARGET_KEYSTORE, "cacerts");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  Counter counter = { 0 };
  Counter exclusive = { 0 };

  g_assert_cmpuint (cd_job_runner_get_limit (fixture->runner, CD_JOB_KIND_CHECK_HOSTS), ==, 16);
  cd_job_runner_set_limit (fixture->runner, CD_JOB_KIND_CHECK_HOSTS, 4);
  run_many (fixture, checks, 100, &counter);
  g_assert_cmpint (counter.most, ==, 4);

  /* one write per keystore file at a time, whatever the kind's limit */
  cd_job_runner_set_limit (fixture->runner, CD_JOB_KIND_IMPORT_KEYSTORE, 4);
  cd_job_request_set_exclusive (imports, "/etc/ssl/certs/java/cacerts");
  run_many (fixture, imports, 10, &exclusive);
  g_assert_cmpint (exclusive.most, ==, 1);

  jobs = cd_store_list_jobs (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 110);
  for (guint i = 0; i < jobs->len; i++)
    g_assert_cmpstr (((CdJobRecord *) g_ptr_array_index (jobs, i))->state, ==, "finished");
}

/* --- parameters never hold secrets --------------------------------------------------------- */

static void
test_secret_parameter_name (void)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_IMPORT_KEYSTORE);

  cd_job_request_add_parameter (request, "storePassword", "changeit");
}

static void
test_secret_parameter_value (void)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_IMPORT_KEYSTORE);

  cd_job_request_add_parameter (request, "key",
                                "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----");
}

static void
test_secret_parameters (void)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_IMPORT_KEYSTORE);
  g_autoptr(GVariant) parameters = NULL;

  g_test_trap_subprocess ("/core/jobs/secret-parameters/subprocess/name", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*storePassword*looks like a secret*");

  g_test_trap_subprocess ("/core/jobs/secret-parameters/subprocess/value", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*key*looks like a secret*");

  cd_job_request_add_parameter (request, "alias", "root-ca");
  cd_job_request_add_parameter (request, "keystore", "/etc/ssl/certs/java/cacerts");
  parameters = g_variant_ref_sink (cd_job_request_build_parameters (request));
  g_assert_cmpuint (g_variant_n_children (parameters), ==, 2);
}

/* --- a runner that records nothing --------------------------------------------------------- */

static void
test_no_store (void)
{
  g_autoptr(CdJobRunner) runner = cd_job_runner_new (NULL);
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_IMPORT_KEYSTORE);
  g_autoptr(GError) error = NULL;
  gint64 job_id = -1;

  g_assert_true (cd_job_runner_run_sync (runner, request, csr_work, NULL, NULL, &job_id,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (job_id, ==, 0);

  g_assert_false (cd_job_runner_run_sync (runner, request, failing_work, NULL, NULL, &job_id,
                                          &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  g_assert_cmpuint (cd_job_runner_get_n_active (runner), ==, 0);
}

/* --- a job that cannot be stored never runs ---------------------------------------------- */

static gboolean
must_not_run (CdJobContext  *context,
              gpointer       user_data,
              GError       **error)
{
  g_assert_not_reached ();
}

static void
test_not_stored (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CdJobRequest) request = request_new (CD_JOB_KIND_GENERATE_CSR);
  g_autoptr(CdStore) read_only = NULL;
  g_autoptr(CdJobRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  gint64 job_id = -1;

  read_only = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  runner = cd_job_runner_new (read_only);

  g_assert_false (cd_job_runner_run_sync (runner, request, must_not_run, NULL, NULL, &job_id,
                                          &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_assert_cmpint (job_id, ==, 0);
  g_assert_cmpuint (cd_job_runner_get_n_active (runner), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/jobs/succeeds", Fixture, NULL, fixture_set_up, test_succeeds,
              fixture_tear_down);
  g_test_add ("/core/jobs/fails", Fixture, NULL, fixture_set_up, test_fails, fixture_tear_down);
  g_test_add ("/core/jobs/cancel-running", Fixture, NULL, fixture_set_up, test_cancel_running,
              fixture_tear_down);
  g_test_add ("/core/jobs/cancel-queued", Fixture, NULL, fixture_set_up, test_cancel_queued,
              fixture_tear_down);
  g_test_add ("/core/jobs/progress-throttled", Fixture, NULL, fixture_set_up,
              test_progress_throttled, fixture_tear_down);
  g_test_add ("/core/jobs/concurrency-bound", Fixture, NULL, fixture_set_up,
              test_concurrency_bound, fixture_tear_down);
  g_test_add ("/core/jobs/not-stored", Fixture, NULL, fixture_set_up, test_not_stored,
              fixture_tear_down);
  g_test_add_func ("/core/jobs/secret-parameters", test_secret_parameters);
  g_test_add_func ("/core/jobs/secret-parameters/subprocess/name", test_secret_parameter_name);
  g_test_add_func ("/core/jobs/secret-parameters/subprocess/value",
                   test_secret_parameter_value);
  g_test_add_func ("/core/jobs/no-store", test_no_store);

  return g_test_run ();
}
