// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "cd-test-job-list.h"
#include "cd-test-util.h"

static const char *const kinds[] = {
  "generate-csr", "install-certificate", "renew-certificate", "download-bundle",
  "import-bundle", "import-keystore", "check-hosts", "check-dns",
};
static const char *const states[] = {
  CD_JOB_STATE_QUEUED, CD_JOB_STATE_RUNNING, CD_JOB_STATE_FINISHED, CD_JOB_STATE_FAILED,
  CD_JOB_STATE_CANCELLED, CD_JOB_STATE_INTERRUPTED,
};
static const char *const initiators[] = { "user", "reminder", "command-line" };

static void
job_clear (Job *job)
{
  g_free (job->target);
  g_free (job->event);
}

/* Jobs of every kind, state and initiator, on two instances and none, over a few days, with
 * events; the ones still active belong to this process, so opening the store keeps them. */
void
cd_test_add_jobs (Fixture *fixture,
          guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdProcessIdentity) self = cd_process_identity_self ();

  for (guint i = 0; i < n; i++)
    {
      Job job = {
        .kind = kinds[i % G_N_ELEMENTS (kinds)],
        .state = states[(i / 3) % G_N_ELEMENTS (states)],
        .initiator = initiators[i % G_N_ELEMENTS (initiators)],
        .target = g_strdup_printf ("h%04u.%s.example", i, i % 2 ? "acme" : "nordlicht"),
        .instance_id = i % 5 == 4 ? 0 : fixture->instances[i % 2],
        /* every eleventh job shares its second with the one before: ties go by id */
        .created = AT ((gint64) i * 3600 - (i % 11 == 10 ? 3600 : 0)),
        .event = g_strdup_printf ("step %u of job %u", i % 7, i),
      };
      CdJobRecord record = {
        .kind = (char *) job.kind,
        .target = job.target,
        .target_type = (char *) "host",
        .state = (char *) job.state,
        .initiator = (char *) job.initiator,
        .instance_id = job.instance_id,
        .created = job.created,
        .progress = -1,
        .owner = self,
      };

      job.id = cd_store_insert_job (fixture->store, &record, &error);
      g_assert_no_error (error);
      cd_store_add_job_event (fixture->store, job.id, "info", job.event, &error);
      g_assert_no_error (error);
      g_array_append_val (fixture->jobs, job);
    }
}

void
cd_test_job_list_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CdInstanceRecord acme = { .name = (char *) "Acme", .data_center = (char *) "us2" };
  CdInstanceRecord nordlicht = { .name = (char *) "Nordlicht", .data_center = (char *) "em4" };

  fixture->dir = g_dir_make_tmp ("certdesk-job-list-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "certdesk.db", NULL);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fixture->instances[0] = cd_store_add_instance (fixture->store, &acme, &error);
  g_assert_no_error (error);
  fixture->instances[1] = cd_store_add_instance (fixture->store, &nordlicht, &error);
  g_assert_no_error (error);
  fixture->jobs = g_array_new (FALSE, TRUE, sizeof (Job));
  g_array_set_clear_func (fixture->jobs, (GDestroyNotify) job_clear);
}

void
cd_test_job_list_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_array_unref (fixture->jobs);
  cd_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Turning the main context */

/* One turn that never blocks, so that a deadline is checked however quiet the loop is. */
void
cd_test_iterate (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
}

static void
on_loaded (CdJobList *list,
           gboolean  *loaded)
{
  *loaded = TRUE;
}

/* Turns the main context until the list has read what it was asked last. */
void
cd_test_wait_loaded (CdJobList *list)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gboolean loaded = FALSE;
  gulong handler = g_signal_connect (list, "loaded", G_CALLBACK (on_loaded), &loaded);

  while (!loaded || cd_job_list_get_loading (list))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      cd_test_iterate ();
    }
  g_signal_handler_disconnect (list, handler);
}

/* Turns the main context until @job's page has been read. */
void
cd_test_wait_row (CdJob *job)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!cd_job_is_loaded (job))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      cd_test_iterate ();
    }
}

gboolean
cd_test_all_rows_loaded (CdJobList *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdJob) job = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (!cd_job_is_loaded (job))
        return FALSE;
    }
  return TRUE;
}

/* The ids of every row, in order, once each has been read. Asks for the rows a page at a time,
 * as a scrolling view does, so that no more pages are held than the list keeps. */
GArray *
cd_test_list_ids (CdJobList *list)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdJob) job = g_list_model_get_item (G_LIST_MODEL (list), i);
      gint64 id;

      g_assert_nonnull (job);
      while (!cd_job_is_loaded (job))
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          cd_test_iterate ();
        }
      id = cd_job_get_id (job);
      g_array_append_val (ids, id);
    }
  return ids;
}
