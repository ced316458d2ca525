// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-store-job-queries"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-error.h"
#include "cd-store.h"
#include "cd-store-migrations.h"
#include "cd-store-private.h"
#include "cd-test-util.h"

/* The job history filtered and paged, as the Job Logs and `certdesk-cli jobs list` read it:
 * each filter alone and together, the search with LIKE's own characters in it, pages, counts,
 * and the indexes the queries use. Every job has a fixed creation time, so that the order is
 * the same on any day. */

/* a Tuesday in 2025, in microseconds; the jobs are a second apart */
#define T0 G_GINT64_CONSTANT (1760000000000000)
#define AT(seconds) (T0 + (seconds) * G_USEC_PER_SEC)

typedef struct
{
  char    *tmpdir;
  char    *path;
  CdStore *store;
  gint64   instance_a;
  gint64   instance_b;
  gint64   ids[9];  /* ids[n]: the n-th job below, 1-based */
} Fixture;

typedef struct
{
  const char *kind;
  const char *target;
  const char *state;
  char        instance;  /* 'A', 'B' or 0 */
  gint64      created;
  const char *initiator;
  const char *message;
  const char *event;
} JobSpec;

static const JobSpec jobs[] = {
  { NULL },
  { "generate-csr", "mail.brand.com", "finished", 'A', AT (1), "user", "CSR generated.",
    "Generated a 2048-bit RSA key" },
  { "import-keystore", "/srv/ks/cacerts", "failed", 0, AT (2), "command-line",
    "Nothing was imported.", "Add --trust to import CA certificates" },
  { "check-hosts", "res.mail.brand.com", "running", 'B', AT (3), "reminder", NULL,
    "Probing t.mail.brand.net" },
  { "check-hosts", "50%_off.example", "finished", 'A', AT (4), "user", "All hosts answer.",
    NULL },
  /* what "50%_off" finds when % and _ are not escaped */
  { "check-dns", "500xoff.example", "finished", 'A', AT (5), "user", NULL, NULL },
  { "install-certificate", "m.mail.brand.com", "cancelled", 0, AT (6), "user", NULL, NULL },
  /* created in the same microsecond as the one before: the later id comes first */
  { "import-keystore", "/home/u/trust.jks", "interrupted", 0, AT (6), "command-line", NULL,
    NULL },
  { "generate-csr", "shop.example", "queued", 'B', AT (8), "user",
    "Saved to C:\\csr\\shop.csr", NULL },
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CdInstanceRecord a = { .name = (char *) "Acme", .data_center = (char *) "us2" };
  CdInstanceRecord b = { .name = (char *) "Nordlicht", .data_center = (char *) "em4" };

  fixture->tmpdir = g_dir_make_tmp ("certdesk-job-queries-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmpdir, "certdesk.db", NULL);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  fixture->instance_a = cd_store_add_instance (fixture->store, &a, &error);
  g_assert_no_error (error);
  fixture->instance_b = cd_store_add_instance (fixture->store, &b, &error);
  g_assert_no_error (error);

  for (guint i = 1; i < G_N_ELEMENTS (jobs); i++)
    {
      const JobSpec *spec = &jobs[i];
      CdJobRecord record = {
        .kind = (char *) spec->kind,
        .target = (char *) spec->target,
        .state = (char *) spec->state,
        .created = spec->created,
        .initiator = (char *) spec->initiator,
        .progress = -1,
        .instance_id = spec->instance == 'A'   ? fixture->instance_a
                       : spec->instance == 'B' ? fixture->instance_b
                                               : 0,
      };
      gint64 id = cd_store_insert_job (fixture->store, &record, &error);

      g_assert_no_error (error);
      fixture->ids[i] = id;
      if (spec->message != NULL)
        {
          cd_store_set_job_state (fixture->store, id, spec->state, spec->message, &error);
          g_assert_no_error (error);
        }
      if (spec->event != NULL)
        {
          cd_store_add_job_event (fixture->store, id, "info", spec->event, &error);
          g_assert_no_error (error);
        }
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->path);
}

/* The jobs @query takes, as their numbers in jobs[] ("8 7 6"), and checks that the count
 * agrees with a query without limit or offset. */
static char *
list_numbers (Fixture          *fixture,
              const CdJobQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GString) numbers = g_string_new (NULL);

  found = cd_store_list_jobs_filtered (fixture->store, query, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < found->len; i++)
    {
      CdJobRecord *job = g_ptr_array_index (found, i);
      guint number = 0;

      for (guint n = 1; n < G_N_ELEMENTS (jobs); n++)
        if (fixture->ids[n] == job->id)
          number = n;
      g_assert_cmpuint (number, >, 0);
      g_assert_cmpstr (job->kind, ==, jobs[number].kind);
      g_assert_cmpstr (job->target, ==, jobs[number].target);
      g_string_append_printf (numbers, "%s%u", i > 0 ? " " : "", number);
    }

  if (query == NULL || (query->limit == 0 && query->offset == 0))
    {
      guint count = cd_store_count_jobs (fixture->store, query, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (count, ==, found->len);
    }

  return g_string_free (g_steal_pointer (&numbers), FALSE);
}

#define assert_jobs(fixture, query, expected) \
  G_STMT_START { \
    g_autofree char *found_ = list_numbers ((fixture), (query)); \
    g_assert_cmpstr (found_, ==, (expected)); \
  } G_STMT_END

static void
test_all (Fixture       *fixture,
          gconstpointer  data)
{
  CdJobQuery query = { 0 };

  assert_jobs (fixture, NULL, "8 7 6 5 4 3 2 1");
  assert_jobs (fixture, &query, "8 7 6 5 4 3 2 1");
}

static void
test_states_kinds (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *failed[] = { "failed", NULL };
  const char *ended_well_or_not[] = { "finished", "failed", NULL };
  const char *nothing[] = { NULL };
  const char *bogus[] = { "finished", "done", NULL };
  const char *check_hosts[] = { "check-hosts", NULL };
  const char *csr_and_import[] = { "generate-csr", "import-keystore", NULL };
  const char *unknown_kind[] = { "make-coffee", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = NULL;
  CdJobQuery query = { .states = failed };

  assert_jobs (fixture, &query, "2");
  query.states = ended_well_or_not;
  assert_jobs (fixture, &query, "5 4 2 1");
  query.states = nothing;
  assert_jobs (fixture, &query, "");

  query = (CdJobQuery) { .kinds = check_hosts };
  assert_jobs (fixture, &query, "4 3");
  query.kinds = csr_and_import;
  assert_jobs (fixture, &query, "8 7 2 1");
  query.kinds = unknown_kind;
  assert_jobs (fixture, &query, "");

  /* together: both must hold */
  query = (CdJobQuery) { .states = ended_well_or_not, .kinds = csr_and_import };
  assert_jobs (fixture, &query, "2 1");

  /* a state the store does not know is a mistake of the caller's, not "no jobs" */
  query = (CdJobQuery) { .states = bogus };
  none = cd_store_list_jobs_filtered (fixture->store, &query, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "“done”"));
  g_assert_null (none);
  g_clear_error (&error);
  g_assert_cmpuint (cd_store_count_jobs (fixture->store, &query, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
}

static void
test_instance_created (Fixture       *fixture,
                       gconstpointer  data)
{
  CdJobQuery query = { .instance_id = fixture->instance_a };

  assert_jobs (fixture, &query, "5 4 1");
  query.instance_id = fixture->instance_b;
  assert_jobs (fixture, &query, "8 3");

  /* from is in, until is out */
  query = (CdJobQuery) { .created_from = AT (3), .created_until = AT (6) };
  assert_jobs (fixture, &query, "5 4 3");
  query = (CdJobQuery) { .created_from = AT (6) };
  assert_jobs (fixture, &query, "8 7 6");
  query = (CdJobQuery) { .created_until = AT (2) };
  assert_jobs (fixture, &query, "1");
  query = (CdJobQuery) { .created_from = AT (6), .instance_id = fixture->instance_b };
  assert_jobs (fixture, &query, "8");
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  CdJobQuery query = { .search = "brand.com" };

  /* the target */
  assert_jobs (fixture, &query, "6 3 1");
  /* an event, in any case of ASCII letters */
  query.search = "PROBING";
  assert_jobs (fixture, &query, "3");
  query.search = "brand.net";
  assert_jobs (fixture, &query, "3");
  /* the kind, and an event of another job */
  query.search = "import";
  assert_jobs (fixture, &query, "7 2");
  /* the message */
  query.search = "nothing was";
  assert_jobs (fixture, &query, "2");
  query.search = "";
  assert_jobs (fixture, &query, "8 7 6 5 4 3 2 1");
  query.search = "no such text";
  assert_jobs (fixture, &query, "");

  /* LIKE's own characters are plain characters */
  query.search = "50%_off";
  assert_jobs (fixture, &query, "4");
  query.search = "%";
  assert_jobs (fixture, &query, "4");
  query.search = "_";
  assert_jobs (fixture, &query, "4");
  query.search = "\\csr\\";
  assert_jobs (fixture, &query, "8");
  query.search = "\\";
  assert_jobs (fixture, &query, "8");

  /* with the other filters */
  query = (CdJobQuery) { .search = "mail", .instance_id = fixture->instance_b };
  assert_jobs (fixture, &query, "3");
}

/* From schema version 6 a search of three characters or more is looked up in the trigram
 * index, a shorter one with LIKE: the same jobs either way, the index following every change. */
static void
test_search_index (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *delete = NULL;
  CdJobQuery query = { .search = "Brand.Com" };
  sqlite3 *db = NULL;

  /* in any case, also beyond ASCII, and whatever FTS5 would make of the text */
  assert_jobs (fixture, &query, "6 3 1");
  g_assert_cmpint (cd_store_add_job_event (fixture->store, fixture->ids[5], "info",
                                           "Prüfung bestanden: \"CNAME\" AND NOT t.*", &error),
                   >, 0);
  g_assert_no_error (error);
  query.search = "PRÜFUNG";
  assert_jobs (fixture, &query, "5");
  query.search = "\"cname\" and not";
  assert_jobs (fixture, &query, "5");
  query.search = "t.*";
  assert_jobs (fixture, &query, "5");
  query.search = "\"";
  assert_jobs (fixture, &query, "5");

  /* one or two characters have no trigram */
  query.search = "50";
  assert_jobs (fixture, &query, "5 4");
  query.search = "Jk";
  assert_jobs (fixture, &query, "7");
  query.search = "%_";
  assert_jobs (fixture, &query, "4");
  query.search = "jks";
  assert_jobs (fixture, &query, "7");

  /* an event added later, a message changed later */
  query.search = "wrote 3 files";
  assert_jobs (fixture, &query, "");
  g_assert_cmpint (cd_store_add_job_event (fixture->store, fixture->ids[6], "info",
                                           "Wrote 3 files", &error), >, 0);
  g_assert_no_error (error);
  assert_jobs (fixture, &query, "6");
  g_assert_true (cd_store_set_job_state (fixture->store, fixture->ids[3], "failed",
                                         "Timed out after 10 s", &error));
  g_assert_no_error (error);
  query.search = "timed out";
  assert_jobs (fixture, &query, "3");

  /* a deleted job, with its events, is no longer found, whoever deleted it */
  delete = g_strdup_printf ("PRAGMA foreign_keys = ON;"
                            " DELETE FROM jobs WHERE created < %" G_GINT64_FORMAT, AT (3));
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, delete, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 2);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  query.search = "nothing was";
  assert_jobs (fixture, &query, "");
  query.search = "--trust";
  assert_jobs (fixture, &query, "");
  query.search = "brand.com";
  assert_jobs (fixture, &query, "6 3");
  query.search = "ed";
  assert_jobs (fixture, &query, "8 3");
}

/* The kinds whose title matches the search (the caller finds them) match it too. */
static void
test_search_kinds (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *check_dns[] = { "check-dns", NULL };
  const char *csr_and_install[] = { "generate-csr", "install-certificate", NULL };
  const char *none[] = { NULL };
  CdJobQuery query = { .search = "brand.net", .search_kinds = check_dns };

  assert_jobs (fixture, &query, "5 3");
  /* as short searches do */
  query.search = "t.";
  assert_jobs (fixture, &query, "7 5 3");
  query.search = "no such text";
  assert_jobs (fixture, &query, "5");
  query.search_kinds = csr_and_install;
  assert_jobs (fixture, &query, "8 6 1");
  query.search_kinds = none;
  assert_jobs (fixture, &query, "");

  /* with the other filters, and in pages */
  query = (CdJobQuery) { .search = "acme", .search_kinds = csr_and_install,
                         .instance_id = fixture->instance_b };
  assert_jobs (fixture, &query, "8");
  query = (CdJobQuery) { .search = "mail", .search_kinds = check_dns, .limit = 2 };
  assert_jobs (fixture, &query, "6 5");
  query.offset = 2;
  assert_jobs (fixture, &query, "3 1");

  /* without a search they do nothing */
  query = (CdJobQuery) { .search_kinds = check_dns };
  assert_jobs (fixture, &query, "8 7 6 5 4 3 2 1");
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  const char *csr_and_import[] = { "generate-csr", "import-keystore", NULL };
  g_autoptr(GError) error = NULL;
  CdJobQuery query = { .limit = 3 };

  assert_jobs (fixture, &query, "8 7 6");
  query.offset = 3;
  assert_jobs (fixture, &query, "5 4 3");
  query.offset = 6;
  assert_jobs (fixture, &query, "2 1");
  query.offset = 9;
  assert_jobs (fixture, &query, "");
  /* an offset alone */
  query = (CdJobQuery) { .offset = 5 };
  assert_jobs (fixture, &query, "3 2 1");

  query = (CdJobQuery) { .kinds = csr_and_import, .limit = 2, .offset = 1 };
  assert_jobs (fixture, &query, "7 2");
  /* the count is of every job the filters take */
  g_assert_cmpuint (cd_store_count_jobs (fixture->store, &query, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_store_count_jobs (fixture->store, NULL, &error), ==, 8);
  g_assert_no_error (error);
}

static char *
explain (Fixture          *fixture,
         const CdJobQuery *query)
{
  g_autoptr(GError) error = NULL;
  char *plan = _cd_store_explain_job_query (fixture->store, query, &error);

  g_assert_no_error (error);
  g_test_message ("%s", plan);
  return plan;
}

/* A page of one state, kind or instance is read from its index in order: no sort of the
 * history, whatever its size. */
static void
test_plan (Fixture       *fixture,
           gconstpointer  data)
{
  const char *failed[] = { "failed", NULL };
  const char *check_hosts[] = { "check-hosts", NULL };
  CdJobQuery query = { .states = failed, .limit = 50 };
  g_autofree char *by_state = explain (fixture, &query);
  g_autofree char *by_kind = NULL;
  g_autofree char *by_instance = NULL;
  g_autofree char *all = NULL;
  g_autofree char *by_time = NULL;

  g_assert_nonnull (strstr (by_state, "USING INDEX jobs_state_created (state=?)"));
  g_assert_null (strstr (by_state, "TEMP B-TREE"));

  query = (CdJobQuery) { .kinds = check_hosts, .limit = 50, .offset = 100 };
  by_kind = explain (fixture, &query);
  g_assert_nonnull (strstr (by_kind, "USING INDEX jobs_kind_created (kind=?)"));
  g_assert_null (strstr (by_kind, "TEMP B-TREE"));

  query = (CdJobQuery) { .instance_id = fixture->instance_a, .limit = 50 };
  by_instance = explain (fixture, &query);
  g_assert_nonnull (strstr (by_instance, "USING INDEX jobs_instance_created (instance_id=?)"));
  g_assert_null (strstr (by_instance, "TEMP B-TREE"));

  query = (CdJobQuery) { .limit = 50 };
  all = explain (fixture, &query);
  g_assert_nonnull (strstr (all, "USING INDEX jobs_created"));
  g_assert_null (strstr (all, "TEMP B-TREE"));

  query = (CdJobQuery) { .created_from = AT (3), .created_until = AT (6), .limit = 50 };
  by_time = explain (fixture, &query);
  g_assert_nonnull (strstr (by_time, "USING INDEX jobs_created (created>? AND created<?)"));
  g_assert_null (strstr (by_time, "TEMP B-TREE"));
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

/* A search of three characters or more reads the trigram index, never the jobs' text; a
 * page sorted by when jobs started is read in the order of its index. */
static void
test_plan_search_order (Fixture       *fixture,
                        gconstpointer  data)
{
  CdJobQuery query = { .search = "brand.com", .limit = 50 };
  g_autofree char *search = explain (fixture, &query);
  g_autofree char *short_search = NULL;
  g_autofree char *started = NULL;

  g_assert_nonnull (strstr (search, "SCAN job_search VIRTUAL TABLE"));
  g_assert_null (strstr (search, "SCAN jobs\n"));

  query.search = "br";
  short_search = explain (fixture, &query);
  g_assert_null (strstr (short_search, "job_search"));

  /* the page is chosen in the order of the index, and only its rows are sorted, once read by
   * id */
  query = (CdJobQuery) { .order = CD_JOB_ORDER_STARTED, .limit = 50, .offset = 100 };
  started = explain (fixture, &query);
  g_assert_nonnull (strstr (started, "SCAN jobs USING INDEX jobs_started_created\n"));
  g_assert_nonnull (strstr (started, "SEARCH jobs USING INTEGER PRIMARY KEY (rowid=?)"));
  g_assert_cmpuint (count_lines_with (started, "TEMP B-TREE"), ==, 1);
}

/* A database of an older Certdesk, opened read-only (not migrated, so without the newer
 * columns and indexes), answers the same queries. */
static void
test_read_only_old_schema (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "v2.db", NULL);
  const char *finished[] = { "finished", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) found = NULL;
  CdJobQuery query = { .states = finished, .search = "acme" };
  CdJobRecord *job;
  sqlite3 *db = NULL;

  g_assert_true (cd_store_migrations_create_at_version (path, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO jobs (id, kind, target, state, created, message)"
                                 " VALUES (3, 'install', 'mail.acme.example', 'finished', 10,"
                                 " 'Installed.'), (4, 'install', 'mail.acme.example', 'failed',"
                                 " 20, NULL), (5, 'install', 'other.example', 'finished', 30,"
                                 " NULL)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, 2);

  found = cd_store_list_jobs_filtered (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  job = g_ptr_array_index (found, 0);
  g_assert_cmpint (job->id, ==, 3);
  g_assert_cmpstr (job->initiator, ==, "user");
  g_assert_cmpstr (job->message, ==, "Installed.");
  g_assert_cmpuint (cd_store_count_jobs (store, NULL, &error), ==, 3);
  g_assert_no_error (error);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* and one too old to have jobs has none */
  g_clear_object (&store);
  g_assert_no_errno (g_unlink (path));
  g_assert_true (cd_store_migrations_create_at_version (path, 1, &error));
  g_assert_no_error (error);
  store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  found = cd_store_list_jobs_filtered (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_cmpuint (cd_store_count_jobs (store, &query, &error), ==, 0);
  g_assert_no_error (error);
}

#define TEST(name, func) \
  g_test_add ("/core/store/job-queries/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TEST ("all", test_all);
  TEST ("states-kinds", test_states_kinds);
  TEST ("instance-created", test_instance_created);
  TEST ("search", test_search);
  TEST ("search-index", test_search_index);
  TEST ("search-kinds", test_search_kinds);
  TEST ("paging", test_paging);
  TEST ("plan", test_plan);
  TEST ("plan-search-order", test_plan_search_order);
  TEST ("read-only-old-schema", test_read_only_old_schema);

  return g_test_run ();
}
