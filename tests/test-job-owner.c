// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cd-job-runner.h"
#include "cd-store.h"
#include "cd-store-migrations.h"
#include "cd-test-util.h"

/* Only jobs whose process is gone are marked interrupted when the store is next opened: a
 * certdesk-cli run from cron must not end the window's live jobs. The owners here are real
 * processes: this test program started again as a child that runs a job which never ends. */

#define CHILD_ARG "--run-endless-job"

static gboolean
endless_work (CdJobContext  *context,
              gpointer       user_data,
              GError       **error)
{
  cd_job_context_set_step (context, "Waiting for ever");
  for (;;)
    g_usleep (G_USEC_PER_SEC);
  return TRUE;
}

static void
child_state_changed (CdJobRunner *runner,
                     gint64       job_id,
                     CdJobState   state,
                     const char  *message,
                     gpointer     user_data)
{
  if (state == CD_JOB_RUNNING)
    {
      printf ("running %" G_GINT64_FORMAT "\n", job_id);
      fflush (stdout);
    }
}

/* The child: starts one job that never ends in the store at @path, says which once it runs,
 * and waits to be killed. */
static int
run_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CdJobRunner) runner = NULL;
  g_autoptr(CdJobRequest) request = NULL;

  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  runner = cd_job_runner_new (store);
  g_signal_connect (runner, "job-state-changed", G_CALLBACK (child_state_changed), NULL);
  request = cd_job_request_new (CD_JOB_KIND_CHECK_HOSTS, CD_JOB_TARGET_HOST,
                                "t.mail.example.com");
  cd_job_runner_run_async (runner, request, endless_work, NULL, NULL, NULL, NULL, NULL);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

typedef struct
{
  GSubprocess *process;
  gint64       job_id;
} Child;

static void
child_start (Child      *child,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  child->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path,
                                     CHILD_ARG, path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "running "));
  child->job_id = g_ascii_strtoll (line + strlen ("running "), NULL, 10);
  g_assert_cmpint (child->job_id, >, 0);
}

static void
child_kill (Child *child)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (child->process);
  g_subprocess_wait (child->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (child->process));
  g_clear_object (&child->process);
}

static char *
job_state (CdStore *store,
           gint64   job_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = cd_store_get_job (store, job_id, &error);

  g_assert_no_error (error);
  return g_strdup (job->state);
}

static CdStore *
reopen (const char *path)
{
  g_autoptr(GError) error = NULL;
  CdStore *store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

static void
test_killed_owner (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("certdesk-owner-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "certdesk.db", NULL);
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *killed_state = NULL;
  g_autofree char *alive_state = NULL;
  g_autofree char *later_state = NULL;
  Child killed = { 0 };
  Child alive = { 0 };

  g_object_unref (reopen (path));
  child_start (&killed, path);
  child_start (&alive, path);
  child_kill (&killed);

  store = reopen (path);
  killed_state = job_state (store, killed.job_id);
  alive_state = job_state (store, alive.job_id);
  g_assert_cmpstr (killed_state, ==, "interrupted");
  g_assert_cmpstr (alive_state, ==, "running");
  g_assert_cmpuint (cd_store_get_interrupted_jobs (store), ==, 1);

  events = cd_store_list_job_events (store, killed.job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((CdJobEventRecord *) g_ptr_array_index (events, 0))->level, ==, "error");
  g_clear_object (&store);

  child_kill (&alive);
  store = reopen (path);
  later_state = job_state (store, alive.job_id);
  g_assert_cmpstr (later_state, ==, "interrupted");
  g_assert_cmpuint (cd_store_get_interrupted_jobs (store), ==, 1);
  g_clear_object (&store);

  cd_test_remove_tree (tmpdir);
}

/* Owners that cannot be running, and one that cannot be judged from here. */
static void
test_recorded_owners (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("certdesk-owner-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "certdesk.db", NULL);
  g_autoptr(CdStore) store = reopen (path);
  g_autoptr(CdProcessIdentity) self = cd_process_identity_self ();
  g_autoptr(GError) error = NULL;
  CdProcessIdentity reused = *self;
  CdProcessIdentity rebooted = *self;
  CdProcessIdentity elsewhere = *self;
  CdJobRecord record = { .kind = (char *) "install-certificate", .state = (char *) "running",
                         .progress = -1 };
  gint64 mine, pid_reused, before_reboot, other_host;
  g_autofree char *mine_state = NULL;
  g_autofree char *reused_state = NULL;
  g_autofree char *rebooted_state = NULL;
  g_autofree char *elsewhere_state = NULL;

  g_assert_cmpint (cd_process_identity_check (self), ==, CD_PROCESS_ALIVE);

  record.owner = self;
  mine = cd_store_insert_job (store, &record, &error);
  g_assert_no_error (error);

  /* this pid, started at another time: the pid was handed on */
  reused.start_time = self->start_time + 1;
  g_assert_cmpint (cd_process_identity_check (&reused), ==, CD_PROCESS_GONE);
  record.owner = &reused;
  pid_reused = cd_store_insert_job (store, &record, &error);
  g_assert_no_error (error);

  rebooted.boot_id = (char *) "00000000-0000-0000-0000-000000000000";
  g_assert_cmpint (cd_process_identity_check (&rebooted), ==, CD_PROCESS_GONE);
  record.owner = &rebooted;
  before_reboot = cd_store_insert_job (store, &record, &error);
  g_assert_no_error (error);

  elsewhere.host = (char *) "another-workstation.example";
  elsewhere.pid = 1;
  g_assert_cmpint (cd_process_identity_check (&elsewhere), ==, CD_PROCESS_UNKNOWN);
  record.owner = &elsewhere;
  other_host = cd_store_insert_job (store, &record, &error);
  g_assert_no_error (error);

  g_clear_object (&store);
  store = reopen (path);
  mine_state = job_state (store, mine);
  reused_state = job_state (store, pid_reused);
  rebooted_state = job_state (store, before_reboot);
  elsewhere_state = job_state (store, other_host);
  g_assert_cmpstr (mine_state, ==, "running");
  g_assert_cmpstr (reused_state, ==, "interrupted");
  g_assert_cmpstr (rebooted_state, ==, "interrupted");
  g_assert_cmpstr (elsewhere_state, ==, "running");
  g_assert_cmpuint (cd_store_get_interrupted_jobs (store), ==, 2);
  g_clear_object (&store);

  cd_test_remove_tree (tmpdir);
}

/* A job left running by a version that recorded no owner is interrupted on upgrade. */
static void
test_owner_of_older_version (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("certdesk-owner-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "certdesk.db", NULL);
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_true (cd_store_migrations_create_at_version (path, CD_STORE_JOBS_RUNNER_VERSION - 1,
                                                        &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO jobs (kind, target, state, created, started)"
                                 " VALUES ('generate-csr', 'mail.example.com', 'running',"
                                 " 1000, 2000)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = reopen (path);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  job = cd_store_get_job (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->state, ==, "interrupted");
  g_assert_cmpstr (job->initiator, ==, "user");
  g_assert_null (job->owner);
  g_assert_cmpfloat (job->progress, <, 0);
  g_clear_object (&store);

  cd_test_remove_tree (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_strcmp0 (argv[1], CHILD_ARG) == 0)
    return run_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/jobs/owner/killed", test_killed_owner);
  g_test_add_func ("/core/jobs/owner/recorded", test_recorded_owners);
  g_test_add_func ("/core/jobs/owner/older-version", test_owner_of_older_version);

  return g_test_run ();
}
