// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "cd-job-enums.h"
#include "cd-job-types.h"
#include "cd-store.h"
#include "cd-test-util.h"

/* `certdesk --demo` comes with six months of job history, so that the Job Logs have
 * something to show: every kind and every end state, events for each, and one CSR a tester
 * can download again. */

static void
test_demo_job_history (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("certdesk-demo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "certdesk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) states = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) initiators = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GBytes) csr = NULL;
  g_autofree char *csr_name = NULL;
  gint64 now = g_get_real_time ();
  guint n_artifacts = 0;

  g_assert_no_error (error);
  g_assert_true (cd_store_seed_demo (store, &error));
  g_assert_no_error (error);

  jobs = cd_store_list_jobs (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, >=, 300);

  for (guint i = 0; i < jobs->len; i++)
    {
      CdJobRecord *job = g_ptr_array_index (jobs, i);
      g_autoptr(GPtrArray) events = cd_store_list_job_events (store, job->id, &error);
      g_autoptr(GPtrArray) artifacts = NULL;
      int value;

      g_assert_no_error (error);
      g_assert_true (cd_job_enum_from_string (CD_TYPE_JOB_KIND, job->kind, &value));
      g_assert_true (cd_job_enum_from_string (CD_TYPE_JOB_STATE, job->state, &value));
      g_assert_false (cd_job_state_is_active (value));
      g_assert_true (cd_job_enum_from_string (CD_TYPE_JOB_INITIATOR, job->initiator, &value));
      g_hash_table_add (kinds, job->kind);
      g_hash_table_add (states, job->state);
      g_hash_table_add (initiators, job->initiator);

      /* in the last six months or so, in order */
      g_assert_cmpint (job->created, >, now - 200 * G_TIME_SPAN_DAY);
      g_assert_cmpint (job->created, <=, job->started);
      g_assert_cmpint (job->started, <, job->finished);
      g_assert_cmpint (job->finished, <=, now + G_TIME_SPAN_MINUTE);
      g_assert_cmpstr (job->target, !=, "");

      g_assert_cmpuint (events->len, >=, 1);
      if (g_str_equal (job->state, "failed"))
        {
          g_assert_nonnull (job->message);
          g_assert_nonnull (job->error_action);
          g_assert_cmpstr (((CdJobEventRecord *) g_ptr_array_index (events, events->len - 1))->level,
                           ==, "error");
        }

      artifacts = cd_store_list_job_artifacts (store, job->id, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < artifacts->len; j++)
        {
          CdJobArtifactRecord *artifact = g_ptr_array_index (artifacts, j);

          n_artifacts++;
          g_assert_cmpstr (job->kind, ==, "generate-csr");
          g_assert_cmpstr (job->state, ==, "finished");
          g_assert_cmpstr (artifact->media_type, ==, "application/pkcs10");
          csr = g_bytes_ref (artifact->content);
          csr_name = g_strdup (artifact->name);
        }
    }

  g_assert_cmpuint (g_hash_table_size (kinds), ==, CD_JOB_KIND_LAST + 1);
  for (const char *const *state = (const char *const[]) { "finished", "failed", "cancelled",
                                                          "interrupted", NULL };
       *state != NULL; state++)
    g_assert_true (g_hash_table_contains (states, *state));
  g_assert_true (g_hash_table_contains (initiators, "user"));
  g_assert_true (g_hash_table_contains (initiators, "reminder"));
  g_assert_true (g_hash_table_contains (initiators, "command-line"));

  /* one CSR, signed with its key, for the hosts of its subdomain */
  g_assert_cmpuint (n_artifacts, ==, 1);
  g_assert_true (g_str_has_suffix (csr_name, ".csr"));
  cd_test_write_file (tmpdir, "demo.csr", g_bytes_get_data (csr, NULL),
                      g_bytes_get_size (csr));
  if (cd_test_require_tool ("openssl", "OpenSSL"))
    {
      g_autofree char *subdomain = g_strndup (csr_name, strlen (csr_name) - strlen (".csr"));
      g_autofree char *tracking = g_strdup_printf ("DNS:t.%s", subdomain);
      const char *verify[] = { "req", "-in", "demo.csr", "-noout", "-verify", NULL };
      const char *text[] = { "req", "-in", "demo.csr", "-noout", "-text", NULL };
      g_autofree char *out = NULL;

      g_assert_true (cd_test_run_openssl (tmpdir, verify, NULL, NULL));
      g_assert_true (cd_test_run_openssl (tmpdir, text, &out, NULL));
      g_assert_nonnull (strstr (out, tracking));
    }

  g_clear_object (&store);
  cd_test_remove_tree (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/store/demo-job-history", test_demo_job_history);

  return g_test_run ();
}
