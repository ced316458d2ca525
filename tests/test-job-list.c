// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-job-list"

#include "config.h"

#include <string.h>

#include "cd-error.h"
#include "cd-job-export.h"
#include "cd-job-list.h"
#include "cd-test-job-list.h"
#include "cd-test-util.h"

/* The Job Logs' list model over a real store: each job in the tab of its state, the counts
 * of every tab, each filter and the search selecting exactly the jobs they should, every
 * order, pages read on demand, and the CSV of what the list shows. The expected answer is
 * always computed here, from the jobs the test wrote, not from the store's queries. */

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
  g_autoptr(GArray) got = cd_test_list_ids (list);
  g_autoptr(GArray) expected = expected_ids (fixture, cd_job_list_get_tab (list), filter, data);

  assert_ids_equal (got, expected);
}

/* Tabs and counts */

static void
test_tabs_and_counts (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CdJobList) list = NULL;

  cd_test_add_jobs (fixture, 90);
  list = cd_job_list_new (fixture->store, NULL);
  cd_test_wait_loaded (list);

  for (CdJobTab tab = 0; tab <= CD_JOB_TAB_LAST; tab++)
    {
      g_autoptr(GArray) expected = expected_ids (fixture, tab, NULL, NULL);

      cd_job_list_set_tab (list, tab);
      cd_test_wait_loaded (list);
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

  cd_test_add_jobs (fixture, 240);
  list = cd_job_list_new (fixture->store, NULL);
  cd_test_wait_loaded (list);
  g_assert_false (cd_job_list_is_filtered (list));

  for (CdJobGroup group = CD_JOB_GROUP_SUBDOMAINS; group <= CD_JOB_GROUP_LAST; group++)
    {
      cd_job_list_set_group (list, group);
      cd_test_wait_loaded (list);
      g_assert_true (cd_job_list_is_filtered (list));
      assert_list (list, fixture, in_group, GINT_TO_POINTER (group));
    }
  cd_job_list_set_group (list, CD_JOB_GROUP_ALL);

  cd_job_list_set_instance_id (list, fixture->instances[1]);
  cd_test_wait_loaded (list);
  assert_list (list, fixture, of_instance, &fixture->instances[1]);
  cd_job_list_set_instance_id (list, 0);

  cd_job_list_set_date_range (list, range[0], range[1]);
  cd_test_wait_loaded (list);
  assert_list (list, fixture, in_range, range);
  cd_job_list_set_date_range (list, 0, 0);

  /* the search finds targets and events; "step 3 of" only in events */
  cd_job_list_set_search (list, "nordlicht");
  cd_test_wait_loaded (list);
  assert_list (list, fixture, contains_text, "nordlicht");
  cd_job_list_set_search (list, "step 3 of");
  cd_test_wait_loaded (list);
  assert_list (list, fixture, contains_text, "step 3 of");
  /* and kinds by their title, as people read them */
  cd_job_list_set_search (list, "CSR");
  cd_test_wait_loaded (list);
  assert_list (list, fixture, is_csr_or_matches, "CSR");

  /* every filter at once, in every tab */
  cd_job_list_set_search (list, "acme");
  cd_job_list_set_group (list, CD_JOB_GROUP_CHECKS);
  cd_job_list_set_instance_id (list, fixture->instances[0]);
  cd_job_list_set_date_range (list, range[0], range[1]);
  for (CdJobTab tab = 0; tab <= CD_JOB_TAB_LAST; tab++)
    {
      cd_job_list_set_tab (list, tab);
      cd_test_wait_loaded (list);
      assert_list (list, fixture, all_filters, range);
    }
}

/* Pages: a long history is read a page at a time, every job exactly once, in order */

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CdJobList) list = NULL;

  cd_test_add_jobs (fixture, 2400);
  list = cd_job_list_new (fixture->store, NULL);
  cd_test_wait_loaded (list);
  /* only the first page has been read: rows further down are placeholders until asked for */
  {
    g_autoptr(CdJob) far = g_list_model_get_item (G_LIST_MODEL (list), 350);

    g_assert_false (cd_job_is_loaded (far));
  }
  g_assert_false (cd_test_all_rows_loaded (list));
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

  cd_test_add_jobs (fixture, 330);
  list = cd_job_list_new (fixture->store, NULL);
  cd_test_wait_loaded (list);
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
        cd_test_wait_loaded (list);
        got = cd_test_list_ids (list);
        assert_ids_equal (got, expected);
      }
}

/* Another process writes: the list follows without being asked */

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

  cd_test_add_jobs (fixture, 400);
  list = cd_job_list_new (fixture->store, NULL);
  cd_job_list_set_tab (list, CD_JOB_TAB_FAILED);
  cd_job_list_set_group (list, CD_JOB_GROUP_SUBDOMAINS);
  cd_job_list_set_search (list, "acme");
  cd_job_list_set_order (list, CD_JOB_ORDER_TARGET, TRUE);
  cd_test_wait_loaded (list);
  ids = cd_test_list_ids (list);
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
  g_test_add (path, Fixture, NULL, cd_test_job_list_set_up, func, cd_test_job_list_tear_down)
  ADD ("/job-list/tabs-and-counts", test_tabs_and_counts);
  ADD ("/job-list/filters", test_filters);
  ADD ("/job-list/pages", test_pages);
  ADD ("/job-list/orders", test_orders);
  ADD ("/job-list/csv-export", test_csv_export);
#undef ADD

  return g_test_run ();
}
