// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "bench-job-queries"

#include "config.h"

#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cd-store.h"
#include "cd-test-util.h"

/* The Job Logs page through the history 50 jobs at a time. With 200,000 jobs of three events
 * each (years of checks every few minutes), a page of one state, kind or instance, or of
 * everything, should cost about what a page of a small history costs; a search reads the jobs
 * until the page is full, and a count reads every job the filters take. Nothing is
 * asserted. */

#define N_JOBS 200000
#define PAGE   50
#define RUNS   5

static void
fill (const char *path)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  /* a job a minute, most of them finished checks; the failures are rare */
  const char *sql =
    "BEGIN;"
    "INSERT INTO instances (id, name, data_center, created) VALUES (1, 'Acme', 'us2', 0),"
    " (2, 'Nordlicht', 'em4', 0);"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
    " INSERT INTO jobs (id, kind, target, instance_id, state, created, started, finished,"
    " initiator, message)"
    " SELECT i, CASE i % 10 WHEN 0 THEN 'generate-csr' WHEN 1 THEN 'import-keystore'"
    "  ELSE 'check-hosts' END,"
    " 'host' || i || '.mail.brand.com', 1 + i % 2,"
    " CASE WHEN i % 50 = 0 THEN 'failed' WHEN i % 97 = 0 THEN 'cancelled' ELSE 'finished' END,"
    " 1700000000000000 + i * 60000000, 1700000000000000 + i * 60000000,"
    " 1700000000000000 + i * 60000000 + 1500000, 'user', 'Done.' FROM n;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created, 'info', 'Resolved host' || id FROM jobs;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created + 1, 'info', 'Connected to host' || id FROM jobs;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created + 2, 'info', 'Certificate valid for 80 days' FROM jobs;"
    "COMMIT";

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("Could not fill %s: %s", path, message);
  sqlite3_close (db);
}

/* The best of RUNS, in milliseconds. */
static double
time_query (CdStore          *store,
            const CdJobQuery *query,
            gboolean          count,
            guint            *n)
{
  double best = G_MAXDOUBLE;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      if (count)
        *n = cd_store_count_jobs (store, query, &error);
      else
        {
          g_autoptr(GPtrArray) jobs = cd_store_list_jobs_filtered (store, query, &error);

          g_assert_no_error (error);
          *n = jobs->len;
        }
      g_assert_no_error (error);
      best = MIN (best, (g_get_monotonic_time () - start) / 1e3);
    }
  return best;
}

int
main (int    argc,
      char **argv)
{
  const char *failed[] = { "failed", NULL };
  const char *failed_cancelled[] = { "failed", "cancelled", NULL };
  const char *ended[] = { "finished", "failed", NULL };
  const char *csr[] = { "generate-csr", NULL };
  const struct
  {
    const char *what;
    CdJobQuery  query;
    gboolean    count;
  } cases[] = {
    { "first page", { .limit = PAGE }, FALSE },
    { "page at offset 100,000", { .limit = PAGE, .offset = 100000 }, FALSE },
    { "first page, one state", { .states = failed, .limit = PAGE }, FALSE },
    { "first page, two states", { .states = failed_cancelled, .limit = PAGE }, FALSE },
    { "first page, two common states", { .states = ended, .limit = PAGE }, FALSE },
    { "first page, one kind", { .kinds = csr, .limit = PAGE }, FALSE },
    { "first page, one instance", { .instance_id = 2, .limit = PAGE }, FALSE },
    { "first page, one day", { .created_from = 1700000000000000 + 86400000000 * 30,
                               .created_until = 1700000000000000 + 86400000000 * 31,
                               .limit = PAGE }, FALSE },
    { "first page, search (common)", { .search = "brand.com", .limit = PAGE }, FALSE },
    { "first page, search (in events)", { .search = "connected to", .limit = PAGE }, FALSE },
    { "first page, search (one job)", { .search = "host12345.", .limit = PAGE }, FALSE },
    { "count, all", { 0 }, TRUE },
    { "count, one state", { .states = failed }, TRUE },
    { "count, search (one job)", { .search = "host12345.", .limit = PAGE }, TRUE },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("certdesk-bench-job-queries-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(CdStore) store = NULL;
  gint64 start;

  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "certdesk.db", NULL);

  /* the schema of this version, then the rows straight in: the store's writes are not what is
   * timed here */
  store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  start = g_get_monotonic_time ();
  fill (path);
  printf ("%u jobs with %u events filled in %.1f s\n\n", N_JOBS, 3 * N_JOBS,
          (g_get_monotonic_time () - start) / 1e6);

  store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);

  printf ("%-34s %8s %12s\n", "query of 200,000 jobs", "jobs", "ms (best)");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n = 0;
      double ms = time_query (store, &cases[i].query, cases[i].count, &n);

      printf ("%-34s %8u %12.2f\n", cases[i].what, n, ms);
      fflush (stdout);
    }

  g_clear_object (&store);
  cd_test_remove_tree (tmpdir);
  return 0;
}
