// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-job-list"

#include "config.h"

#include <string.h>

#include "cd-error.h"
#include "cd-job-export.h"
#include "cd-job-list.h"
#include "cd-test-util.h"

/* The Job Logs' list model over a real store: each job in the tab of its state, the counts
 * of every tab, each filter and the search selecting exactly the jobs they should, every
 * order, pages read on demand, jobs another process writes, live progress and Cancel through
 * the runner, and the CSV of what the list shows. The expected answer is always computed here,
 * from the jobs the test wrote, not from the store's queries. */

#define T0 G_GINT64_CONSTANT (1760000000000000)
#define AT(seconds) (T0 + (gint64) (seconds) * G_USEC_PER_SEC)

static const char *const kinds[] = {
  "generate-csr", "install-certificate", "renew-certificate", "download-bundle",
  "import-bundle", "import-keystore", "check-hosts", "check-dns",
};
static const char *const states[] = {
  CD_JOB_STATE_QUEUED, CD_JOB_STATE_RUNNING, CD_JOB_STATE_FINISHED, CD_JOB_STATE_FAILED,
  CD_JOB_STATE_CANCELLED, CD_JOB_STATE_INTERRUPTED,
};
static const char *const initiators[] = { "user", "reminder", "command-line" };

typedef struct
{
  gint64      id;
  const char *kind;
  const char *state;
  const char *initiator;
  char       *target;
  gint64      instance_id;
  gint64      created;
  gint64      started;
  gint64      finished;
  char       *event;
} Job;

typedef struct
{
  char    *dir;
  char    *path;
  CdStore *store;
  gint64   instances[2];
  GArray  *jobs;  /* Job */
} Fixture;

static void
job_clear (Job *job)
{
  g_free (job->target);
  g_free (job->event);
}

/* Jobs of every kind, state and initiator, on two instances and none, over a few days, with
 * events; the ones still active belong to this process, so opening the store keeps them. */
static void
add_jobs (Fixture *fixture,
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

static void
fixture_set_up (Fixture       *fixture,
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

static void
fixture_tear_down (Fixture       *fixture,
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
static void
iterate (void)
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
static void
wait_loaded (CdJobList *list)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gboolean loaded = FALSE;
  gulong handler = g_signal_connect (list, "loaded", G_CALLBACK (on_loaded), &loaded);

  while (!loaded || cd_job_list_get_loading (list))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      iterate ();
    }
  g_signal_handler_disconnect (list, handler);
}

/* Turns the main context until @job's page has been read. */
static void
wait_row (CdJob *job)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!cd_job_is_loaded (job))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      iterate ();
    }
}

static gboolean
all_rows_loaded (CdJobList *list)
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
static GArray *
list_ids (CdJobList *list)
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
          iterate ();
        }
      id = cd_job_get_id (job);
      g_array_append_val (ids, id);
    }
  return ids;
}

typedef gboolean (*JobFilter) (const Job *job, gconstpointer data);

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Job *x = a, *y = b;

  if (x->created != y->created)
    return x->created < y->created ? 1 : -1;
  return x->id < y->id ? 1 : (x->id > y->id ? -1 : 0);
}

/* The ids of the jobs in @tab that pass @filter, newest first. */
static GArray *
expected_ids (Fixture       *fixture,
              CdJobTab       tab,
              JobFilter      filter,
              gconstpointer  data)
{
  g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (Job));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < fixture->jobs->len; i++)
    {
      const Job *job = &g_array_index (fixture->jobs, Job, i);

      if (g_strv_contains (cd_job_tab_get_states (tab), job->state) &&
          (filter == NULL || filter (job, data)))
        g_array_append_val (jobs, *job);
    }
  g_array_sort (jobs, compare_newest_first);
  for (guint i = 0; i < jobs->len; i++)
    g_array_append_val (ids, g_array_index (jobs, Job, i).id);
  return ids;
}

static void
assert_ids_equal (GArray *got,
                  GArray *expected)
{
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpint (g_array_index (got, gint64, i), ==, g_array_index (expected, gint64, i));
}

static void
assert_list (CdJobList     *list,
             Fixture       *fixture,
             JobFilter      filter,
             gconstpointer  data)
{
  g_autoptr(GArray) got = list_ids (list);
  g_autoptr(GArray) expected = expected_ids (fixture, cd_job_list_get_tab (list), filter, data);

  assert_ids_equal (got, expected);
}

/* Tabs and counts */

static void
test_tabs_and_counts (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CdJobList) list = NULL;

  add_jobs (fixture, 90);
  list = cd_job_list_new (fixture->store, NULL);
  wait_loaded (list);

  for (CdJobTab tab = 0; tab <= CD_JOB_TAB_LAST; tab++)
    {
      g_autoptr(GArray) expected = expected_ids (fixture, tab, NULL, NULL);

      cd_job_list_set_tab (list, tab);
      wait_loaded (list);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected->len);
      assert_list (list, fixture, NULL, NULL);
      /* every tab's count is known whichever tab shows */
      for (CdJobTab other = 0; other <= CD_JOB_TAB_LAST; other++)
        {
          g_autoptr(GArray) other_ids = expected_ids (fixture, other, NULL, NULL);

          g_assert_cmpuint (cd_job_list_get_tab_count (list, other), ==, other_ids->len);
        }
    }

  /* each state in its tab */
  g_assert_cmpint (cd_job_tab_for_state (CD_JOB_STATE_QUEUED), ==, CD_JOB_TAB_RUNNING);
  g_assert_cmpint (cd_job_tab_for_state (CD_JOB_STATE_RUNNING), ==, CD_JOB_TAB_RUNNING);
  g_assert_cmpint (cd_job_tab_for_state (CD_JOB_STATE_FINISHED), ==, CD_JOB_TAB_FINISHED);
  g_assert_cmpint (cd_job_tab_for_state (CD_JOB_STATE_FAILED), ==, CD_JOB_TAB_FAILED);
  g_assert_cmpint (cd_job_tab_for_state (CD_JOB_STATE_CANCELLED), ==, CD_JOB_TAB_FAILED);
  g_assert_cmpint (cd_job_tab_for_state (CD_JOB_STATE_INTERRUPTED), ==, CD_JOB_TAB_FAILED);
}

/* Filters */

static gboolean
in_group (const Job     *job,
          gconstpointer  data)
{
  const char *const *group_kinds = cd_job_group_get_kinds (GPOINTER_TO_INT (data));

  return g_strv_contains (group_kinds, job->kind);
}

static gboolean
of_instance (const Job     *job,
             gconstpointer  data)
{
  return job->instance_id == *(const gint64 *) data;
}

static gboolean
in_range (const Job     *job,
          gconstpointer  data)
{
  const gint64 *range = data;

  return job->created >= range[0] && job->created < range[1];
}

static gboolean
contains_text (const Job     *job,
               gconstpointer  data)
{
  const char *text = data;

  return strstr (job->target, text) != NULL || strstr (job->event, text) != NULL;
}

static gboolean
is_csr_or_matches (const Job     *job,
                   gconstpointer  data)
{
  return strcmp (job->kind, "generate-csr") == 0 || contains_text (job, data);
}

static gboolean
all_filters (const Job     *job,
             gconstpointer  data)
{
  const gint64 *range = data;

  return in_group (job, GINT_TO_POINTER (CD_JOB_GROUP_CHECKS)) &&
         of_instance (job, &range[2]) && in_range (job, range) &&
         contains_text (job, "acme");
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CdJobList) list = NULL;
  gint64 range[3] = { AT (40 * 3600), AT (140 * 3600), fixture->instances[0] };

  add_jobs (fixture, 240);
  list = cd_job_list_new (fixture->store, NULL);
  wait_loaded (list);
  g_assert_false (cd_job_list_is_filtered (list));

  for (CdJobGroup group = CD_JOB_GROUP_SUBDOMAINS; group <= CD_JOB_GROUP_LAST; group++)
    {
      cd_job_list_set_group (list, group);
      wait_loaded (list);
      g_assert_true (cd_job_list_is_filtered (list));
      assert_list (list, fixture, in_group, GINT_TO_POINTER (group));
    }
  cd_job_list_set_group (list, CD_JOB_GROUP_ALL);

  cd_job_list_set_instance_id (list, fixture->instances[1]);
  wait_loaded (list);
  assert_list (list, fixture, of_instance, &fixture->instances[1]);
  cd_job_list_set_instance_id (list, 0);

  cd_job_list_set_date_range (list, range[0], range[1]);
  wait_loaded (list);
  assert_list (list, fixture, in_range, range);
  cd_job_list_set_date_range (list, 0, 0);

  /* the search finds targets and events; "step 3 of" only in events */
  cd_job_list_set_search (list, "nordlicht");
  wait_loaded (list);
  assert_list (list, fixture, contains_text, "nordlicht");
  cd_job_list_set_search (list, "step 3 of");
  wait_loaded (list);
  assert_list (list, fixture, contains_text, "step 3 of");
  /* and kinds by their title, as people read them */
  cd_job_list_set_search (list, "CSR");
  wait_loaded (list);
  assert_list (list, fixture, is_csr_or_matches, "CSR");

  /* every filter at once, in every tab */
  cd_job_list_set_search (list, "acme");
  cd_job_list_set_group (list, CD_JOB_GROUP_CHECKS);
  cd_job_list_set_instance_id (list, fixture->instances[0]);
  cd_job_list_set_date_range (list, range[0], range[1]);
  for (CdJobTab tab = 0; tab <= CD_JOB_TAB_LAST; tab++)
    {
      cd_job_list_set_tab (list, tab);
      wait_loaded (list);
      assert_list (list, fixture, all_filters, range);
    }
}

/* Pages: a long history is read a page at a time, every job exactly once, in order */

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CdJobList) list = NULL;

  add_jobs (fixture, 2400);
  list = cd_job_list_new (fixture->store, NULL);
  wait_loaded (list);
  /* only the first page has been read: rows further down are placeholders until asked for */
  {
    g_autoptr(CdJob) far = g_list_model_get_item (G_LIST_MODEL (list), 350);

    g_assert_false (cd_job_is_loaded (far));
  }
  g_assert_false (all_rows_loaded (list));
  assert_list (list, fixture, NULL, NULL);
}

/* Orders: each column's order, both ways, against the same order computed here */

typedef struct
{
  CdJobOrder order;
  gboolean   ascending;
} OrderSpec;

static OrderSpec current_order;

static int
rank_of (const char        *value,
         const char *const *order)
{
  for (guint i = 0; order[i] != NULL; i++)
    if (strcmp (order[i], value) == 0)
      return i;
  return G_MAXINT;
}

static gint64
order_key_number (const Job *job)
{
  switch (current_order.order)
    {
    case CD_JOB_ORDER_KIND:
      return rank_of (job->kind, cd_job_kinds_by_title ());
    case CD_JOB_ORDER_STATE:
      return rank_of (job->state, cd_job_states_by_title ());
    case CD_JOB_ORDER_INITIATOR:
      return rank_of (job->initiator, cd_job_initiators_by_title ());
    case CD_JOB_ORDER_CREATED:
    default:
      return job->created;
    }
}

static gint
compare_by_order (gconstpointer a,
                  gconstpointer b)
{
  const Job *x = a, *y = b;
  int sign = current_order.ascending ? 1 : -1;
  int result;

  if (current_order.order == CD_JOB_ORDER_TARGET)
    result = g_ascii_strcasecmp (x->target, y->target);
  else
    {
      gint64 kx = order_key_number (x), ky = order_key_number (y);

      result = kx < ky ? -1 : (kx > ky ? 1 : 0);
    }
  if (result == 0)
    result = x->created < y->created ? -1 : (x->created > y->created ? 1 : 0);
  if (result == 0)
    result = x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
  return sign * result;
}

static void
test_orders (Fixture       *fixture,
             gconstpointer  data)
{
  static const CdJobOrder orders[] = {
    CD_JOB_ORDER_CREATED, CD_JOB_ORDER_KIND, CD_JOB_ORDER_TARGET, CD_JOB_ORDER_STATE,
    CD_JOB_ORDER_INITIATOR,
  };
  g_autoptr(CdJobList) list = NULL;

  add_jobs (fixture, 330);
  list = cd_job_list_new (fixture->store, NULL);
  wait_loaded (list);
  cd_job_list_set_tab (list, CD_JOB_TAB_FAILED);

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    for (int ascending = 0; ascending <= 1; ascending++)
      {
        g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (Job));
        g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
        g_autoptr(GArray) got = NULL;

        current_order = (OrderSpec) { orders[i], ascending };
        for (guint j = 0; j < fixture->jobs->len; j++)
          {
            const Job *job = &g_array_index (fixture->jobs, Job, j);

            if (cd_job_tab_for_state (job->state) == CD_JOB_TAB_FAILED)
              g_array_append_val (jobs, *job);
          }
        g_array_sort (jobs, compare_by_order);
        for (guint j = 0; j < jobs->len; j++)
          g_array_append_val (expected, g_array_index (jobs, Job, j).id);

        cd_job_list_set_order (list, orders[i], ascending);
        wait_loaded (list);
        got = list_ids (list);
        assert_ids_equal (got, expected);
      }
}

/* Another process writes: the list follows without being asked */

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

  add_jobs (fixture, 30);
  list = cd_job_list_new (fixture->store, NULL);
  wait_loaded (list);
  before = g_list_model_get_n_items (G_LIST_MODEL (list));
  failed_before = cd_job_list_get_tab_count (list, CD_JOB_TAB_FAILED);
  cd_job_list_set_watching (list, TRUE, 50);

  /* a connection of its own, as certdesk-cli has */
  other = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  id = cd_store_insert_job (other, &record, &error);
  g_assert_no_error (error);

  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, before + 1);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  wait_row (first);
  g_assert_cmpint (cd_job_get_id (first), ==, id);
  g_assert_cmpstr (cd_job_get_target (first), ==, "/srv/ks/cacerts");

  /* a running job of the other connection: its row follows its progress, then leaves the
   * tab when it ends */
  cd_job_list_set_tab (list, CD_JOB_TAB_RUNNING);
  wait_loaded (list);
  before = g_list_model_get_n_items (G_LIST_MODEL (list));
  record.state = (char *) CD_JOB_STATE_RUNNING;
  record.created = AT (1000000);
  id = cd_store_insert_job (other, &record, &error);
  g_assert_no_error (error);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, before + 1);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  wait_row (first);
  g_assert_cmpint (cd_job_get_id (first), ==, id);

  cd_store_set_job_progress (other, id, 0.5, "Importing 3 of 6", &error);
  g_assert_no_error (error);
  wait_loaded (list);
  g_assert_cmpfloat_with_epsilon (cd_job_get_progress (first), 0.5, 0.001);
  g_assert_cmpstr (cd_job_get_step (first), ==, "Importing 3 of 6");

  cd_store_set_job_state (other, id, CD_JOB_STATE_FAILED, "Nothing was imported.", &error);
  g_assert_no_error (error);
  wait_loaded (list);
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

  wait_loaded (list);
  cd_job_list_set_tab (list, CD_JOB_TAB_RUNNING);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  cd_job_runner_run_async (runner, request, wait_for_cancel, NULL, NULL, NULL, got_result,
                           &result);

  /* it shows as running, with the progress the runner brings */
  while (row == NULL || g_strcmp0 (cd_job_get_state (row), CD_JOB_STATE_RUNNING) != 0 ||
         cd_job_get_progress (row) < 0.2 || cd_job_get_step (row) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      iterate ();
      if (row == NULL && g_list_model_get_n_items (G_LIST_MODEL (list)) > 0)
        row = g_list_model_get_item (G_LIST_MODEL (list), 0);
    }
  g_assert_cmpstr (cd_job_get_target (row), ==, "t.mail.brand.com");
  g_assert_cmpfloat_with_epsilon (cd_job_get_progress (row), 0.25, 0.001);
  g_assert_cmpstr (cd_job_get_step (row), ==, "Waiting to be cancelled");

  g_assert_true (cd_job_runner_cancel (runner, cd_job_get_id (row)));
  while (result == NULL)
    iterate ();
  g_assert_false (cd_job_runner_run_finish (runner, result, &job_id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (job_id, ==, cd_job_get_id (row));

  /* it leaves Running for Failed, as cancelled */
  while (g_list_model_get_n_items (G_LIST_MODEL (list)) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      iterate ();
    }
  cd_job_list_set_tab (list, CD_JOB_TAB_FAILED);
  wait_loaded (list);
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
  wait_loaded (list);
  g_assert_cmpuint (cd_job_list_get_tab_count (list, CD_JOB_TAB_RUNNING), ==, 0);
  cd_job_list_set_tab (list, CD_JOB_TAB_FAILED);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  row = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (cd_job_get_id (row), ==, id);
  g_assert_cmpstr (cd_job_get_state (row), ==, CD_JOB_STATE_INTERRUPTED);
}

/* The CSV of the list: its rows, in its order */

static void
test_csv_export (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CdJobList) list = NULL;
  g_autoptr(CdJobQuery) query = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  guint n_jobs = 0;

  add_jobs (fixture, 400);
  list = cd_job_list_new (fixture->store, NULL);
  cd_job_list_set_tab (list, CD_JOB_TAB_FAILED);
  cd_job_list_set_group (list, CD_JOB_GROUP_SUBDOMAINS);
  cd_job_list_set_search (list, "acme");
  cd_job_list_set_order (list, CD_JOB_ORDER_TARGET, TRUE);
  wait_loaded (list);
  ids = list_ids (list);
  g_assert_cmpuint (ids->len, >, 10);

  query = cd_job_list_dup_query (list);
  csv = cd_job_export_csv (fixture->store, query, NULL, &n_jobs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_jobs, ==, ids->len);

  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  lines = g_strsplit (text, "\r\n", -1);
  /* a header, a line a job, and the empty string after the last CRLF */
  g_assert_cmpuint (g_strv_length (lines), ==, ids->len + 2);
  g_assert_cmpstr (lines[ids->len + 1], ==, "");
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT ",",
                                                 g_array_index (ids, gint64, i));

      g_assert_true (g_str_has_prefix (lines[i + 1], number));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/job-list/tabs-and-counts", test_tabs_and_counts);
  ADD ("/job-list/filters", test_filters);
  ADD ("/job-list/pages", test_pages);
  ADD ("/job-list/orders", test_orders);
  ADD ("/job-list/other-process", test_other_process);
  ADD ("/job-list/runner-cancel", test_runner_cancel);
  ADD ("/job-list/interrupted", test_interrupted);
  ADD ("/job-list/csv-export", test_csv_export);
#undef ADD

  return g_test_run ();
}
