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
 * everything, should cost about what a page of a small history costs; a search of three
 * characters or more is looked up in the trigram index, a shorter one reads the jobs until the
 * page is full, and a count reads every job the filters take. A page sorted by a column reads
 * every job the filters take once. Then retention deletes the older half of the history,
 * keeping the CSR jobs. Nothing is asserted. */

#define N_JOBS 200000
#define PAGE   50
#define RUNS   5
#define T0     G_GINT64_CONSTANT (1700000000000000)
#define MINUTE G_GINT64_CONSTANT (60000000)

static void
fill (const char *path)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  /* a job a minute, most of them finished checks of a second or a few; the failures are
   * rare */
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
    " 1700000000000000 + i * 60000000, 1700000000000000 + i * 60000000 + i % 5 * 1000000,"
    " 1700000000000000 + i * 60000000 + i % 5 * 1000000 + 1500000 + i % 13 * 250000,"
    " CASE i % 7 WHEN 0 THEN 'reminder' WHEN 1 THEN 'command-line' ELSE 'user' END, 'Done.'"
    /* the newest first, so that their rows of the search index (-id) come in ascending order,
     * which FTS5 takes without writing out what it holds at each row */
    " FROM n ORDER BY i DESC;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created, 'info', 'Resolved host' || id FROM jobs;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created + 1, 'info', 'Connected to host' || id FROM jobs;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created + 2, 'info', 'Certificate valid for 80 days' FROM jobs;"
    /* one CSR job in a hundred keeps its CSR, as retention must */
    "INSERT INTO job_artifacts (job_id, name, media_type, content, created)"
    " SELECT id, 'host' || id || '.csr', 'application/pkcs10',"
    "  '-----BEGIN CERTIFICATE REQUEST-----', finished FROM jobs"
    " WHERE kind = 'generate-csr' AND state = 'finished' AND id % 1000 = 10;"
    "COMMIT";

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("Could not fill %s: %s", path, message);
  sqlite3_close (db);
}

typedef enum
{
  LIST,
  COUNT,
  COUNT_BY_STATE,
} Read;

/* The best of RUNS, in milliseconds. */
static double
time_query (CdStore          *store,
            const CdJobQuery *query,
            Read              read,
            guint            *n)
{
  double best = G_MAXDOUBLE;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      if (read == COUNT)
        *n = cd_store_count_jobs (store, query, &error);
      else if (read == COUNT_BY_STATE)
        {
          CdJobStateCounts counts;

          cd_store_count_jobs_by_state (store, query, &counts, &error);
          *n = counts.queued + counts.running + counts.finished + counts.failed +
               counts.cancelled + counts.interrupted;
        }
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

/* The best of RUNS, in milliseconds. */
static double
time_revision (CdStore *store)
{
  double best = G_MAXDOUBLE;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      cd_store_get_jobs_revision (store, &error);
      g_assert_no_error (error);
      best = MIN (best, (g_get_monotonic_time () - start) / 1e3);
    }
  return best;
}

/* Deletes the jobs that ended before the middle of the history, once: its batches of 500
 * are how long other writers may wait. */
static void
time_retention (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n_deleted = 0;
  guint n_left;
  double seconds;

  cd_store_delete_jobs_before (store, T0 + (N_JOBS / 2) * MINUTE, NULL, &n_deleted, &error);
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  n_left = cd_store_count_jobs (store, NULL, &error);
  g_assert_no_error (error);

  printf ("\nretention of the older half: %u jobs deleted in %.1f s (%.0f ms per 500), "
          "%u left\n",
          n_deleted, seconds, n_deleted > 0 ? seconds * 1e3 * 500 / n_deleted : 0.0, n_left);
}

int
main (int    argc,
      char **argv)
{
  const char *failed[] = { "failed", NULL };
  const char *failed_cancelled[] = { "failed", "cancelled", NULL };
  const char *ended[] = { "finished", "failed", NULL };
  const char *csr[] = { "generate-csr", NULL };
  /* as the Job Logs sort by their titles */
  const char *kinds_by_title[] = { "check-dns", "check-hosts", "download-bundle",
                                   "generate-csr", "import-bundle", "import-keystore",
                                   "install-certificate", "renew-certificate", NULL };
  const char *states_by_title[] = { "cancelled", "failed", "finished", "interrupted", "queued",
                                    "running", NULL };
  const char *initiators_by_title[] = { "command-line", "reminder", "user", NULL };
  const char *check_kinds[] = { "check-hosts", "check-dns", NULL };
  const struct
  {
    const char *what;
    CdJobQuery  query;
    Read        read;
  } cases[] = {
    { "first page", { .limit = PAGE }, LIST },
    { "page at offset 100,000", { .limit = PAGE, .offset = 100000 }, LIST },
    { "first page, one state", { .states = failed, .limit = PAGE }, LIST },
    { "first page, two states", { .states = failed_cancelled, .limit = PAGE }, LIST },
    { "first page, two common states", { .states = ended, .limit = PAGE }, LIST },
    { "first page, one kind", { .kinds = csr, .limit = PAGE }, LIST },
    { "first page, one instance", { .instance_id = 2, .limit = PAGE }, LIST },
    { "first page, one day", { .created_from = T0 + 86400000000 * 30,
                               .created_until = T0 + 86400000000 * 31,
                               .limit = PAGE }, LIST },
    { "first page, search (common)", { .search = "brand.com", .limit = PAGE }, LIST },
    { "first page, search (in events)", { .search = "connected to", .limit = PAGE }, LIST },
    { "first page, search (one job)", { .search = "host12345.", .limit = PAGE }, LIST },
    { "first page, search (one job, kinds)", { .search = "host12345.",
                                               .search_kinds = check_kinds,
                                               .limit = PAGE }, LIST },
    { "first page, search of 1 char", { .search = "7", .limit = PAGE }, LIST },
    { "first page, search of 1 char (none)", { .search = "z", .limit = PAGE }, LIST },
    { "first page by kind", { .order = CD_JOB_ORDER_KIND, .value_order = kinds_by_title,
                              .limit = PAGE }, LIST },
    { "first page by kind, ascending", { .order = CD_JOB_ORDER_KIND, .ascending = TRUE,
                                         .value_order = kinds_by_title, .limit = PAGE }, LIST },
    { "first page by target", { .order = CD_JOB_ORDER_TARGET, .limit = PAGE }, LIST },
    { "first page by target, ascending", { .order = CD_JOB_ORDER_TARGET, .ascending = TRUE,
                                           .limit = PAGE }, LIST },
    { "first page by state", { .order = CD_JOB_ORDER_STATE, .value_order = states_by_title,
                               .limit = PAGE }, LIST },
    { "first page by started", { .order = CD_JOB_ORDER_STARTED, .limit = PAGE }, LIST },
    { "first page by duration", { .order = CD_JOB_ORDER_DURATION, .limit = PAGE }, LIST },
    { "first page by initiator", { .order = CD_JOB_ORDER_INITIATOR,
                                   .value_order = initiators_by_title, .limit = PAGE }, LIST },
    { "page at offset 100,000 by target", { .order = CD_JOB_ORDER_TARGET, .limit = PAGE,
                                            .offset = 100000 }, LIST },
    { "first page by target, one state", { .order = CD_JOB_ORDER_TARGET, .states = failed,
                                           .limit = PAGE }, LIST },
    { "count, all", { 0 }, COUNT },
    { "count, one state", { .states = failed }, COUNT },
    { "count, search (common)", { .search = "brand.com" }, COUNT },
    { "count, search (one job)", { .search = "host12345." }, COUNT },
    { "count by state, all", { 0 }, COUNT_BY_STATE },
    { "count by state, one kind", { .kinds = csr }, COUNT_BY_STATE },
    { "count by state, search (one job)", { .search = "host12345." }, COUNT_BY_STATE },
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

  printf ("%-38s %8s %12s\n", "query of 200,000 jobs", "jobs", "ms (best)");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n = 0;
      double ms = time_query (store, &cases[i].query, cases[i].read, &n);

      printf ("%-38s %8u %12.2f\n", cases[i].what, n, ms);
      fflush (stdout);
    }
  printf ("%-38s %8s %12.2f\n", "jobs revision", "", time_revision (store));
  g_clear_object (&store);

  store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  time_retention (store);

  g_clear_object (&store);
  cd_test_remove_tree (tmpdir);
  return 0;
}
