// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "bench-job-logs"

#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cd-inventory.h"
#include "cd-jobs-page.h"
#include "cd-test-util.h"

/* The Job Logs page in a real window over 200,000 jobs: how long it takes to open, to switch
 * tab, to apply a filter and a search, and to scroll to the middle, each from the user's
 * action to the rows drawn; and the peak memory of the whole process. Side by side: the same
 * page of jobs as certdesk-cli lists it, process against process. Nothing is asserted. */

/* the size of the history; BENCH_JOBS sets another, to see that the times do not depend on it */
#define N_JOBS 200000

static guint n_jobs = N_JOBS;
#define RUNS   5

static void
fill (const char *path)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  /* years of work: every kind, mostly finished, some failed, cancelled or interrupted, four
   * events each */
  const char *sql =
    "BEGIN;"
    "INSERT INTO instances (id, name, data_center, created) VALUES (1, 'Acme', 'us2', 0),"
    " (2, 'Nordlicht', 'em4', 0);"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)"
    " INSERT INTO jobs (id, kind, target, target_type, instance_id, state, created, started,"
    " finished, initiator, message)"
    " SELECT i, CASE i % 8 WHEN 0 THEN 'generate-csr' WHEN 1 THEN 'install-certificate'"
    "  WHEN 2 THEN 'renew-certificate' WHEN 3 THEN 'download-bundle' WHEN 4 THEN 'import-bundle'"
    "  WHEN 5 THEN 'import-keystore' WHEN 6 THEN 'check-hosts' ELSE 'check-dns' END,"
    " 'host' || i || '.mail.brand.com', 'host', 1 + i % 2,"
    " CASE WHEN i % 50 = 0 THEN 'failed' WHEN i % 97 = 0 THEN 'cancelled'"
    "  WHEN i % 89 = 0 THEN 'interrupted' ELSE 'finished' END,"
    " 1700000000000000 + i * 60000000, 1700000000000000 + i * 60000000,"
    " 1700000000000000 + i * 60000000 + 1500000,"
    " CASE i % 3 WHEN 0 THEN 'user' WHEN 1 THEN 'reminder' ELSE 'command-line' END,"
    " 'Done.' FROM n;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created, 'info', 'Resolved host' || id FROM jobs;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created + 1, 'info', 'Connected to host' || id FROM jobs;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created + 2, 'info', 'Certificate valid for 80 days' FROM jobs;"
    "INSERT INTO job_events (job_id, time, level, message)"
    " SELECT id, created + 3, 'info', 'Checked in 1.5 s' FROM jobs;"
    "COMMIT";

  g_autofree char *bound = NULL;
  g_autofree char *count = g_strdup_printf ("%u", n_jobs);
  g_auto(GStrv) parts = g_strsplit (sql, "?1", 2);

  bound = g_strjoinv (count, parts);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, bound, NULL, NULL, &message) != SQLITE_OK)
    g_error ("Could not fill %s: %s", path, message);
  sqlite3_close (db);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static CdInventory *
open_inventory (const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CdInventory *inventory;

  cd_inventory_open_async (path, CD_INVENTORY_OPEN_DEFAULT, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  inventory = cd_inventory_open_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  cd_inventory_load_async (inventory, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cd_inventory_load_finish (inventory, result, &error));
  g_assert_no_error (error);
  return inventory;
}

/* Until the list has read what it was asked and the window has drawn it. */
static void
wait_drawn (CdJobList *list,
            GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 frame;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (cd_job_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  /* the rows of the page read are on screen once a frame has been painted after it */
  frame = gdk_frame_clock_get_frame_counter (clock);
  gtk_widget_queue_draw (window);
  while (gdk_frame_clock_get_frame_counter (clock) <= frame)
    g_main_context_iteration (NULL, TRUE);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static gint64 search_started;

static void
on_search_changed (void)
{
  search_started = g_get_monotonic_time ();
}

/* certdesk-cli jobs list, as a process: the best of RUNS, in milliseconds */
static double
time_cli (const char *const *argv)
{
  double best = G_MAXDOUBLE;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                    NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      best = MIN (best, ms_since (start));
    }
  return best;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("certdesk-bench-job-logs-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventory) inventory = NULL;
  const char *cli = g_getenv ("CERTDESK_CLI");
  GtkWidget *window;
  CdJobsPage *page;
  CdJobList *list;
  GtkToggleButton *tabs[2];
  double times[RUNS];
  double open_ms, tab_ms, filter_ms, search_ms, scroll_ms;
  struct rusage usage;
  gint64 start;
  guint n;

  if (g_getenv ("BENCH_JOBS") != NULL)
    n_jobs = CLAMP (g_ascii_strtoull (g_getenv ("BENCH_JOBS"), NULL, 10), 1, 10000000);
  /* each figure as soon as it is measured */
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (!gtk_init_check ())
    {
      printf ("The Job Logs benchmark needs a display: run it under xvfb-run -a.\n");
      return 77; /* skipped */
    }
  adw_init ();
  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "certdesk.db", NULL);

  store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  start = g_get_monotonic_time ();
  fill (path);
  printf ("%u jobs with %u events filled in %.1f s\n\n", n_jobs, 4 * n_jobs,
          ms_since (start) / 1e3);

  inventory = open_inventory (path);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  page = g_object_new (CD_TYPE_JOBS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);

  /* open: the inventory is handed to the page, the Finished tab of every job shows */
  start = g_get_monotonic_time ();
  cd_jobs_page_set_inventory (page, inventory);
  list = cd_jobs_page_get_list (page);
  wait_drawn (list, window);
  open_ms = ms_since (start);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));

  /* switch tab: Failed and back to Finished, the median of each switch */
  tabs[0] = GTK_TOGGLE_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                              CD_TYPE_JOBS_PAGE, "failed_tab"));
  tabs[1] = GTK_TOGGLE_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                              CD_TYPE_JOBS_PAGE,
                                                              "finished_tab"));
  for (guint run = 0; run < RUNS; run++)
    {
      start = g_get_monotonic_time ();
      gtk_toggle_button_set_active (tabs[run % 2], TRUE);
      wait_drawn (list, window);
      times[run] = ms_since (start);
    }
  tab_ms = median (times, RUNS);
  gtk_toggle_button_set_active (tabs[1], TRUE);
  wait_drawn (list, window);

  /* a filter: the group drop-down, Checks then every kind */
  for (guint run = 0; run < RUNS; run++)
    {
      GtkDropDown *group = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                         CD_TYPE_JOBS_PAGE,
                                                                         "group_dropdown"));

      start = g_get_monotonic_time ();
      gtk_drop_down_set_selected (group, run % 2 == 0 ? CD_JOB_GROUP_CHECKS : CD_JOB_GROUP_ALL);
      wait_drawn (list, window);
      times[run] = ms_since (start);
    }
  filter_ms = median (times, RUNS);

  /* a search, from the entry's search-changed (after its typing delay) to the rows drawn */
  {
    GtkEditable *entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                      CD_TYPE_JOBS_PAGE,
                                                                      "search_entry"));
    const char *needles[RUNS] = { "host12345.", "connected to host777", "", "nordlicht", "" };

    g_signal_connect (entry, "search-changed", G_CALLBACK (on_search_changed), NULL);
    for (guint run = 0; run < RUNS; run++)
      {
        search_started = 0;
        gtk_editable_set_text (entry, needles[run]);
        while (search_started == 0)
          g_main_context_iteration (NULL, TRUE);
        wait_drawn (list, window);
        times[run] = ms_since (search_started);
      }
    search_ms = median (times, RUNS);
  }

  /* scroll to the middle of Finished: the page there is read when it is shown */
  {
    GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                 CD_TYPE_JOBS_PAGE,
                                                                 "column_view"));
    guint middle = g_list_model_get_n_items (G_LIST_MODEL (list)) / 2;
    g_autoptr(CdJob) job = NULL;

    start = g_get_monotonic_time ();
    gtk_widget_activate_action (view, "list.scroll-to-item", "u", middle);
    job = g_list_model_get_item (G_LIST_MODEL (list), middle);
    while (!cd_job_is_loaded (job))
      g_main_context_iteration (NULL, TRUE);
    wait_drawn (list, window);
    scroll_ms = ms_since (start);
  }

  getrusage (RUSAGE_SELF, &usage);

  printf ("Job Logs over %u jobs (%u in Finished)    ms\n", n_jobs, n);
  printf ("  open the page                        %8.1f\n", open_ms);
  printf ("  switch tab (median of %d)             %8.1f\n", RUNS, tab_ms);
  printf ("  apply a filter (median of %d)         %8.1f\n", RUNS, filter_ms);
  printf ("  search (median of %d)                 %8.1f\n", RUNS, search_ms);
  printf ("  scroll to the middle                 %8.1f\n", scroll_ms);
  printf ("  peak memory of the process           %8.1f MB\n", usage.ru_maxrss / 1024.0);

  if (cli != NULL)
    {
      const char *failed[] = { cli, "jobs", "list", "--state", "failed", "--limit", "100",
                               NULL };
      const char *search[] = { cli, "jobs", "list", "--search", "host12345.", "--limit",
                               "100", NULL };

      /* certdesk-cli reads $XDG_DATA_HOME/certdesk/certdesk.db: point it at this one */
      g_autofree char *cli_home = g_build_filename (tmpdir, "xdg", NULL);
      g_autofree char *cli_dir = g_build_filename (cli_home, "certdesk", NULL);
      g_autofree char *cli_db = g_build_filename (cli_dir, "certdesk.db", NULL);

      g_assert_cmpint (g_mkdir_with_parents (cli_dir, 0700), ==, 0);
      g_assert_cmpint (symlink (path, cli_db), ==, 0);
      g_setenv ("XDG_DATA_HOME", cli_home, TRUE);
      printf ("\ncertdesk-cli jobs list, a process (best of %d)  ms\n", RUNS);
      printf ("  --state failed --limit 100           %8.1f\n", time_cli (failed));
      printf ("  --search host12345. --limit 100      %8.1f\n", time_cli (search));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&inventory);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  cd_test_remove_tree (tmpdir);
  return 0;
}
