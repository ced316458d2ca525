// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-cli-jobs"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cd-store.h"
#include "cd-test-cli.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"

/* certdesk-cli records the keystore imports it runs as jobs in the inventory database of the
 * user running it (under XDG_DATA_HOME, a folder of each test's own here), so that they show
 * in the Job Logs as started from the command line; --no-record leaves the database alone. */

#define PASSWORD "s3cret-changeit"

static CdTestPki *pki;

/* certdesk-cli keystore import with @args (NULL-terminated), recording in @data_home. */
static void
import (CdTestRun  *run,
        const char *data_home,
        const char *first,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_environ_setenv (cd_test_cli_environ (), "XDG_DATA_HOME", data_home,
                                         TRUE);
  va_list args;

  g_ptr_array_add (argv, (gpointer) "keystore");
  g_ptr_array_add (argv, (gpointer) "import");
  g_ptr_array_add (argv, (gpointer) "--password");
  g_ptr_array_add (argv, (gpointer) PASSWORD);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  cd_test_cli_argv (run, cd_test_pki_get_dir (pki), envp, (const char * const *) argv->pdata);
}

static GPtrArray *
list_jobs (const char *data_home)
{
  g_autofree char *path = g_build_filename (data_home, "certdesk", "certdesk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  GPtrArray *jobs;

  g_assert_no_error (error);
  jobs = cd_store_list_jobs (store, &error);
  g_assert_no_error (error);
  return jobs;
}

static GPtrArray *
list_events (const char *data_home,
             gint64      job_id)
{
  g_autofree char *path = g_build_filename (data_home, "certdesk", "certdesk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  GPtrArray *events;

  g_assert_no_error (error);
  events = cd_store_list_job_events (store, job_id, &error);
  g_assert_no_error (error);
  return events;
}

static gboolean
has_event (GPtrArray  *events,
           const char *level,
           const char *pattern)
{
  for (guint i = 0; i < events->len; i++)
    {
      CdJobEventRecord *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->level, level) == 0 && g_pattern_match_simple (pattern, event->message))
        return TRUE;
    }
  return FALSE;
}

/* Nothing in the database's files holds the password, in any form SQLite would store. */
static void
assert_no_password (const char *data_home)
{
  g_autofree char *dir = g_build_filename (data_home, "certdesk", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_null (g_strstr_len (contents, length, PASSWORD));
    }
}

static void
test_import_recorded (void)
{
  g_autofree char *data_home = g_dir_make_tmp ("certdesk-cli-jobs-XXXXXX", NULL);
  g_autofree char *keystore = cd_test_pki_path (pki, "recorded.p12");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (data_home, "certdesk", "certdesk.db", NULL);
  g_autoptr(CdStore) store = NULL;
  g_auto(CdTestRun) run = { 0 };
  CdJobRecord *job;
  const char *files = NULL;

  import (&run, data_home, "--trust", keystore, "dc.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);

  jobs = list_jobs (data_home);
  g_assert_cmpuint (jobs->len, ==, 1);
  job = g_ptr_array_index (jobs, 0);
  g_assert_cmpstr (job->kind, ==, "import-keystore");
  g_assert_cmpstr (job->initiator, ==, "command-line");
  g_assert_cmpstr (job->state, ==, "finished");
  g_assert_cmpstr (job->target_type, ==, "keystore");
  g_assert_cmpstr (job->target, ==, keystore);
  g_assert_nonnull (job->owner);
  g_assert_cmpint (job->owner->pid, !=, getpid ());
  g_assert_true (g_variant_lookup (job->parameters, "files", "&s", &files));
  g_assert_cmpstr (files, ==, "dc.pem");
  g_assert_cmpint (job->finished, >=, job->started);

  /* what it printed is its timeline */
  events = list_events (data_home, job->id);
  g_assert_true (has_event (events, "info", "Added “*”: * as a trusted certificate"));
  g_assert_true (has_event (events, "warning", "*load balancer*"));
  g_assert_true (has_event (events, "info", "Created the * keystore *"));

  store = cd_store_open (db, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  artifacts = cd_store_list_job_artifacts (store, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, 1);
  g_assert_cmpstr (((CdJobArtifactRecord *) g_ptr_array_index (artifacts, 0))->path, ==,
                   keystore);

  assert_no_password (data_home);
  cd_test_remove_tree (data_home);
}

/* A keystore named relative to the folder of the import is kept by its absolute path: the
 * app and `certdesk-cli jobs artifact` read it from other folders. */
static void
test_artifact_path_absolute (void)
{
  g_autofree char *data_home = g_dir_make_tmp ("certdesk-cli-jobs-XXXXXX", NULL);
  g_autofree char *keystore = cd_test_pki_path (pki, "relative.p12");
  g_autofree char *db = g_build_filename (data_home, "certdesk", "certdesk.db", NULL);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_auto(CdTestRun) run = { 0 };
  CdJobArtifactRecord *artifact;
  GStatBuf recorded, written;

  /* run in the folder of the files */
  import (&run, data_home, "--trust", "relative.p12", "dc.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);

  jobs = list_jobs (data_home);
  g_assert_cmpuint (jobs->len, ==, 1);
  store = cd_store_open (db, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  artifacts = cd_store_list_job_artifacts (store,
                                           ((CdJobRecord *) g_ptr_array_index (jobs, 0))->id,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, 1);
  artifact = g_ptr_array_index (artifacts, 0);
  g_assert_cmpstr (artifact->name, ==, "relative.p12");
  /* the same file, whatever links the temporary folder's path goes through */
  g_assert_true (g_path_is_absolute (artifact->path));
  g_assert_no_errno (g_stat (artifact->path, &recorded));
  g_assert_no_errno (g_stat (keystore, &written));
  g_assert_cmpuint (recorded.st_dev, ==, written.st_dev);
  g_assert_cmpuint (recorded.st_ino, ==, written.st_ino);

  cd_test_remove_tree (data_home);
}

static void
test_import_failure_recorded (void)
{
  g_autofree char *data_home = g_dir_make_tmp ("certdesk-cli-jobs-XXXXXX", NULL);
  g_autofree char *keystore = cd_test_pki_path (pki, "failing.p12");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_auto(CdTestRun) run = { 0 };
  CdJobRecord *job;

  /* a CA without --trust: refused, nothing written */
  import (&run, data_home, keystore, "dc.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_false (g_file_test (keystore, G_FILE_TEST_EXISTS));

  jobs = list_jobs (data_home);
  g_assert_cmpuint (jobs->len, ==, 1);
  job = g_ptr_array_index (jobs, 0);
  g_assert_cmpstr (job->state, ==, "failed");
  g_assert_nonnull (job->message);
  g_assert_nonnull (strstr (run.err, job->message));
  g_assert_nonnull (job->error_action);

  events = list_events (data_home, job->id);
  g_assert_true (has_event (events, "error", "Add --trust to import CA certificates*"));
  g_assert_true (has_event (events, "error", "Nothing was imported*"));

  cd_test_remove_tree (data_home);
}

static void
test_no_record (void)
{
  g_autofree char *data_home = g_dir_make_tmp ("certdesk-cli-jobs-XXXXXX", NULL);
  g_autofree char *keystore = cd_test_pki_path (pki, "unrecorded.p12");
  g_autofree char *db_dir = g_build_filename (data_home, "certdesk", NULL);
  g_autofree char *not_a_folder = g_build_filename (data_home, "file", NULL);
  g_autofree char *second = cd_test_pki_path (pki, "unrecordable.p12");
  g_auto(CdTestRun) run = { 0 };

  import (&run, data_home, "--no-record", "--trust", keystore, "dc.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (keystore, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (db_dir, G_FILE_TEST_EXISTS));

  /* a database that cannot be written does not stop the import: it is said, and done */
  cd_test_write_file (data_home, "file", "not a folder", -1);
  import (&run, not_a_folder, "--trust", second, "dc.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (second, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (run.err, "not recorded"));

  cd_test_remove_tree (data_home);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  pki = cd_test_pki_new ();
  cd_test_pki_make_root (pki, "root");
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_make_leaf (pki, "server", "inter", "t.mail.brand.example");
  cd_test_pki_bundle (pki, "dc", "root", "server", "inter", NULL);

  g_test_add_func ("/cli/jobs/import-recorded", test_import_recorded);
  g_test_add_func ("/cli/jobs/artifact-path-absolute", test_artifact_path_absolute);
  g_test_add_func ("/cli/jobs/import-failure-recorded", test_import_failure_recorded);
  g_test_add_func ("/cli/jobs/no-record", test_no_record);

  status = g_test_run ();
  cd_test_pki_free (pki);
  return status;
}
