// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-store-job-order"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cd-error.h"
#include "cd-store.h"
#include "cd-test-util.h"

/* The job history sorted by each column of the Job Logs, both ways, as the store promises it:
 * every order is computed here again, in C, over every job, and compared with what the store
 * returns, whole and a page at a time. The jobs tie on every column in places (the same kind,
 * target, state or time), so that the ties, broken by created and then id in the same
 * direction, decide as much as the column does. Also the counts per state, and copies of
 * queries. */

/* a Tuesday in 2025, in microseconds */
#define T0 G_GINT64_CONSTANT (1760000000000000)
#define N_JOBS 64

static const char *const kinds[] = {
  "generate-csr", "check-hosts", "import-keystore", "check-dns", "install-certificate",
  /* a kind no caller lists: it sorts after the ones the caller's order names */
  "legacy-import",
};
/* the same names in other cases sort together; an empty target first; bytes beyond ASCII
 * after every ASCII letter */
static const char *const targets[] = {
  "mail.example", "Mail.example", "MAIL.EXAMPLE", "b.example", "Ärger.example", "_x.example",
  "", "zz.example",
};
static const char *const states[] = {
  "queued", "running", "finished", "failed", "cancelled", "interrupted",
};
static const char *const initiators[] = { "user", "reminder", "command-line" };

/* as a caller sorts its titles: an order of its own, not the names' */
static const char *const kinds_by_title[] = {
  "import-keystore", "check-hosts", "generate-csr", "check-dns", NULL,
};
static const char *const states_by_title[] = {
  "running", "queued", "failed", "finished", "interrupted", "cancelled", NULL,
};
static const char *const initiators_by_title[] = { "reminder", "user", NULL };
static const char *const no_values[] = { NULL };

typedef struct
{
  char      *tmpdir;
  char      *path;
  CdStore   *store;
  gint64     instance_id;
  GPtrArray *jobs; /* CdJobRecord of every job, as the store reads them */
} Fixture;

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The jobs go in as another process would write them, with times of their own: seconds apart
 * at most, so that many tie. */
static void
fill (Fixture *fixture)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250506);
  sqlite3_stmt *insert = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  exec (db, "PRAGMA foreign_keys = ON; BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO jobs (kind, target, instance_id, state,"
                                       " created, started, finished, initiator, message)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                       -1, &insert, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < N_JOBS; i++)
    {
      const char *state = states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))];
      gint64 created = T0 + g_rand_int_range (rand, 0, 12) * G_USEC_PER_SEC;
      gboolean started = !g_str_equal (state, "queued") && g_rand_int_range (rand, 0, 5) > 0;
      gboolean ended = !g_str_equal (state, "queued") && !g_str_equal (state, "running");
      /* a running job has always started */
      gint64 start = created + g_rand_int_range (rand, 0, 4) * G_USEC_PER_SEC;

      sqlite3_bind_text (insert, 1, kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))],
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, targets[g_rand_int_range (rand, 0, G_N_ELEMENTS (targets))],
                         -1, SQLITE_STATIC);
      if (i % 3 == 0)
        sqlite3_bind_int64 (insert, 3, fixture->instance_id);
      sqlite3_bind_text (insert, 4, state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 5, created);
      if (started || g_str_equal (state, "running"))
        sqlite3_bind_int64 (insert, 6, start);
      if (ended)
        sqlite3_bind_int64 (insert, 7, start + g_rand_int_range (rand, 0, 6) * G_USEC_PER_SEC);
      sqlite3_bind_text (insert, 8,
                         initiators[g_rand_int_range (rand, 0, G_N_ELEMENTS (initiators))], -1,
                         SQLITE_STATIC);
      if (i % 4 == 0)
        sqlite3_bind_text (insert, 9, "Checked the example hosts", -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      sqlite3_clear_bindings (insert);
    }

  sqlite3_finalize (insert);
  exec (db, "COMMIT");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CdInstanceRecord instance = { .name = (char *) "Acme", .data_center = (char *) "us2" };

  fixture->tmpdir = g_dir_make_tmp ("certdesk-job-order-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmpdir, "certdesk.db", NULL);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fixture->instance_id = cd_store_add_instance (fixture->store, &instance, &error);
  g_assert_no_error (error);

  fill (fixture);
  fixture->jobs = cd_store_list_jobs (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->jobs->len, ==, N_JOBS);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->jobs, g_ptr_array_unref);
  g_clear_object (&fixture->store);
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->path);
}

/* The order, as the header of cd-store.h describes it. */

typedef struct
{
  const CdJobQuery *query;
  gint64            now;
} Sort;

static int
compare_numbers (gint64 a,
                 gint64 b)
{
  return a < b ? -1 : a > b;
}

/* Where @value is in @values; after all of them when it is not. */
static guint
rank (const char *const *values,
      const char        *value)
{
  guint n = 0;

  for (; values != NULL && values[n] != NULL; n++)
    if (g_str_equal (values[n], value))
      return n;
  return n;
}

static int
compare_ranked (const char *const *values,
                const char        *a,
                const char        *b)
{
  int by_rank = compare_numbers (rank (values, a), rank (values, b));

  return by_rank != 0 ? by_rank : strcmp (a, b);
}

/* byte by byte, ASCII letters in one case: SQLite's NOCASE */
static int
compare_nocase (const char *a,
                const char *b)
{
  for (;; a++, b++)
    {
      guchar x = g_ascii_tolower ((guchar) *a);
      guchar y = g_ascii_tolower ((guchar) *b);

      if (x != y || x == '\0')
        return x < y ? -1 : x > y;
    }
}

static gint64
duration (const CdJobRecord *job,
          gint64             now)
{
  if (job->started == 0)
    return 0;
  return (job->finished != 0 ? job->finished : now) - job->started;
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const CdJobRecord *x = *(CdJobRecord *const *) a;
  const CdJobRecord *y = *(CdJobRecord *const *) b;
  const Sort *sort = user_data;
  const CdJobQuery *query = sort->query;
  int result = 0;

  switch (query->order)
    {
    case CD_JOB_ORDER_KIND:
      result = compare_ranked (query->value_order, x->kind, y->kind);
      break;
    case CD_JOB_ORDER_TARGET:
      result = compare_nocase (x->target, y->target);
      break;
    case CD_JOB_ORDER_STATE:
      result = compare_ranked (query->value_order, x->state, y->state);
      break;
    case CD_JOB_ORDER_STARTED:
      result = compare_numbers (x->started != 0 ? x->started : x->created,
                                y->started != 0 ? y->started : y->created);
      break;
    case CD_JOB_ORDER_DURATION:
      result = compare_numbers (duration (x, sort->now), duration (y, sort->now));
      break;
    case CD_JOB_ORDER_INITIATOR:
      result = compare_ranked (query->value_order, x->initiator, y->initiator);
      break;
    case CD_JOB_ORDER_CREATED:
    default:
      break;
    }
  if (result == 0)
    result = compare_numbers (x->created, y->created);
  if (result == 0)
    result = compare_numbers (x->id, y->id);

  return query->ascending ? result : -result;
}

/* Whether @job passes the filters of the queries below: states and a search the trigram
 * index looks up (ASCII, three characters or more). */
static gboolean
passes (const CdJobRecord *job,
        const CdJobQuery  *query)
{
  if (query->states != NULL && !g_strv_contains ((const char *const *) query->states,
                                                 job->state))
    return FALSE;
  if (query->search != NULL)
    {
      g_autofree char *needle = g_ascii_strdown (query->search, -1);
      g_autofree char *target = g_ascii_strdown (job->target, -1);
      g_autofree char *message = g_ascii_strdown (job->message != NULL ? job->message : "", -1);

      return strstr (target, needle) != NULL || strstr (job->kind, needle) != NULL ||
             strstr (message, needle) != NULL;
    }
  return TRUE;
}

static char *
ids_of (GPtrArray *jobs)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < jobs->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            ((CdJobRecord *) g_ptr_array_index (jobs, i))->id);
  return g_string_free (ids, FALSE);
}

/* Checks @query's order (its limit and offset aside): the whole list, then pages of seven
 * that together hold every job once. */
static void
check_order (Fixture          *fixture,
             const CdJobQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) paged = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_job_record_free);
  g_autofree char *expected_ids = NULL;
  g_autofree char *found_ids = NULL;
  g_autofree char *paged_ids = NULL;
  CdJobQuery whole = *query;
  CdJobQuery page = *query;
  Sort sort = { .query = query, .now = g_get_real_time () };

  for (guint i = 0; i < fixture->jobs->len; i++)
    if (passes (g_ptr_array_index (fixture->jobs, i), query))
      g_ptr_array_add (expected, g_ptr_array_index (fixture->jobs, i));
  g_ptr_array_sort_with_data (expected, compare_jobs, &sort);
  expected_ids = ids_of (expected);
  /* enough jobs for the order to mean something */
  g_assert_cmpuint (expected->len, >=, 20);

  whole.limit = 0;
  whole.offset = 0;
  found = cd_store_list_jobs_filtered (fixture->store, &whole, &error);
  g_assert_no_error (error);
  found_ids = ids_of (found);
  g_assert_cmpstr (found_ids, ==, expected_ids);

  page.limit = 7;
  for (page.offset = 0; page.offset < expected->len + 7; page.offset += 7)
    {
      g_autoptr(GPtrArray) jobs = cd_store_list_jobs_filtered (fixture->store, &page, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (jobs->len, ==, MIN (7, expected->len - MIN (page.offset, expected->len)));
      g_ptr_array_extend_and_steal (paged, g_steal_pointer (&jobs));
    }
  paged_ids = ids_of (paged);
  g_assert_cmpstr (paged_ids, ==, expected_ids);
}

static void
test_each_order (Fixture       *fixture,
                 gconstpointer  data)
{
  const struct
  {
    CdJobOrder         order;
    const char *const *value_order;
  } orders[] = {
    { CD_JOB_ORDER_CREATED, NULL },
    { CD_JOB_ORDER_KIND, kinds_by_title },
    { CD_JOB_ORDER_KIND, NULL },
    { CD_JOB_ORDER_KIND, no_values },
    { CD_JOB_ORDER_TARGET, NULL },
    { CD_JOB_ORDER_STATE, states_by_title },
    { CD_JOB_ORDER_STATE, NULL },
    { CD_JOB_ORDER_STARTED, NULL },
    { CD_JOB_ORDER_DURATION, NULL },
    { CD_JOB_ORDER_INITIATOR, initiators_by_title },
    { CD_JOB_ORDER_INITIATOR, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    for (int ascending = 0; ascending <= 1; ascending++)
      {
        CdJobQuery query = { .order = orders[i].order, .ascending = ascending,
                             .value_order = orders[i].value_order };

        g_test_message ("order %d, %s, %s", orders[i].order,
                        ascending ? "ascending" : "descending",
                        orders[i].value_order != NULL ? "value order" : "names");
        check_order (fixture, &query);
      }
}

/* Sorted and filtered at once: the filters choose the jobs, the order their pages. */
static void
test_order_filtered (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *ended[] = { "finished", "failed", "cancelled", "interrupted", NULL };
  CdJobQuery query = { .states = ended, .order = CD_JOB_ORDER_TARGET };

  check_order (fixture, &query);
  query.order = CD_JOB_ORDER_DURATION;
  query.ascending = TRUE;
  check_order (fixture, &query);

  query = (CdJobQuery) { .search = "EXAMPLE", .order = CD_JOB_ORDER_KIND,
                         .value_order = kinds_by_title };
  check_order (fixture, &query);
  query.order = CD_JOB_ORDER_STARTED;
  check_order (fixture, &query);
  query.order = CD_JOB_ORDER_CREATED;
  query.ascending = TRUE;
  check_order (fixture, &query);
}

/* One query per tab gives what one count per state gives. */
static void
test_counts_by_state (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *failed[] = { "failed", NULL };
  const char *csr_and_dns[] = { "generate-csr", "check-dns", NULL };
  const CdJobQuery queries[] = {
    { 0 },
    { .kinds = csr_and_dns },
    { .instance_id = fixture->instance_id },
    { .search = "mail" },
    { .search = "xa", .created_from = T0 + 3 * G_USEC_PER_SEC },
    /* its states are not what is counted, and its page does not matter */
    { .states = failed, .limit = 2, .offset = 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GError) error = NULL;
      CdJobStateCounts counts = { 0 };
      guint per_state[G_N_ELEMENTS (states)];
      guint total = 0;

      g_assert_true (cd_store_count_jobs_by_state (fixture->store, &queries[i], &counts,
                                                   &error));
      g_assert_no_error (error);

      for (guint s = 0; s < G_N_ELEMENTS (states); s++)
        {
          const char *one[] = { states[s], NULL };
          CdJobQuery query = queries[i];

          query.states = one;
          query.limit = 0;
          query.offset = 0;
          per_state[s] = cd_store_count_jobs (fixture->store, &query, &error);
          g_assert_no_error (error);
          total += per_state[s];
        }

      g_assert_cmpuint (counts.queued, ==, per_state[0]);
      g_assert_cmpuint (counts.running, ==, per_state[1]);
      g_assert_cmpuint (counts.finished, ==, per_state[2]);
      g_assert_cmpuint (counts.failed, ==, per_state[3]);
      g_assert_cmpuint (counts.cancelled, ==, per_state[4]);
      g_assert_cmpuint (counts.interrupted, ==, per_state[5]);
      /* and something was counted, in more than one state */
      g_assert_cmpuint (total, >, MAX (counts.finished, counts.failed));
    }

  /* a state the store does not know is still a mistake */
  {
    const char *bogus[] = { "done", NULL };
    CdJobQuery query = { .states = bogus };
    g_autoptr(GError) error = NULL;
    CdJobStateCounts counts;

    g_assert_false (cd_store_count_jobs_by_state (fixture->store, &query, &counts, &error));
    g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  }
}

/* A copy owns its strings: it outlives the query it was made from, and reads the same jobs. */
static void
test_query_copy (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobQuery) copy = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *before_ids = NULL;
  g_autofree char *after_ids = NULL;
  char **query_states = g_strsplit ("finished failed cancelled", " ", -1);
  char **query_kinds = g_strsplit ("generate-csr check-hosts check-dns", " ", -1);
  char **query_search_kinds = g_strsplit ("check-dns", " ", -1);
  char **query_value_order = g_strdupv ((char **) kinds_by_title);
  char *search = g_strdup ("example");
  CdJobQuery query = {
    .states = (const char *const *) query_states,
    .kinds = (const char *const *) query_kinds,
    .instance_id = fixture->instance_id,
    .created_from = T0 + G_USEC_PER_SEC,
    .created_until = T0 + 11 * G_USEC_PER_SEC,
    .search = search,
    .search_kinds = (const char *const *) query_search_kinds,
    .limit = 5,
    .offset = 1,
    .order = CD_JOB_ORDER_KIND,
    .ascending = TRUE,
    .value_order = (const char *const *) query_value_order,
  };

  g_assert_null (cd_job_query_copy (NULL));
  cd_job_query_free (NULL);

  before = cd_store_list_jobs_filtered (fixture->store, &query, &error);
  g_assert_no_error (error);
  before_ids = ids_of (before);
  g_assert_cmpuint (before->len, >, 0);

  copy = cd_job_query_copy (&query);
  g_assert_true (copy->states != query.states);
  g_assert_true (copy->search != query.search);
  g_strfreev (query_states);
  g_strfreev (query_kinds);
  g_strfreev (query_search_kinds);
  g_strfreev (query_value_order);
  g_free (search);

  g_assert_cmpuint (g_strv_length ((char **) copy->states), ==, 3);
  g_assert_cmpstr (copy->states[2], ==, "cancelled");
  g_assert_cmpstr (copy->kinds[0], ==, "generate-csr");
  g_assert_cmpstr (copy->search, ==, "example");
  g_assert_cmpstr (copy->search_kinds[0], ==, "check-dns");
  g_assert_null (copy->search_kinds[1]);
  g_assert_cmpstr (copy->value_order[3], ==, "check-dns");
  g_assert_cmpint (copy->instance_id, ==, fixture->instance_id);
  g_assert_cmpint (copy->created_from, ==, T0 + G_USEC_PER_SEC);
  g_assert_cmpint (copy->created_until, ==, T0 + 11 * G_USEC_PER_SEC);
  g_assert_cmpuint (copy->limit, ==, 5);
  g_assert_cmpuint (copy->offset, ==, 1);
  g_assert_cmpint (copy->order, ==, CD_JOB_ORDER_KIND);
  g_assert_true (copy->ascending);

  after = cd_store_list_jobs_filtered (fixture->store, copy, &error);
  g_assert_no_error (error);
  after_ids = ids_of (after);
  g_assert_cmpstr (after_ids, ==, before_ids);

  /* NULL fields stay NULL */
  {
    CdJobQuery empty = { .limit = 3 };
    g_autoptr(CdJobQuery) empty_copy = cd_job_query_copy (&empty);

    g_assert_null (empty_copy->states);
    g_assert_null (empty_copy->search);
    g_assert_null (empty_copy->value_order);
    g_assert_cmpuint (empty_copy->limit, ==, 3);
  }
}

#define TEST(name, func) \
  g_test_add ("/core/store/job-order/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TEST ("each-order", test_each_order);
  TEST ("order-filtered", test_order_filtered);
  TEST ("counts-by-state", test_counts_by_state);
  TEST ("query-copy", test_query_copy);

  return g_test_run ();
}
