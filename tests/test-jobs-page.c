// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-jobs-page"

#include "config.h"

#include <string.h>

#include "cd-job-details.h"
#include "cd-job-window.h"
#include "cd-jobs-page.h"
#include "cd-test-util.h"
#include "cd-window.h"

/* The Job Logs as a tester uses them, in a real window over the demo history: the tabs and
 * their counts, the group filter, a CSR job opened and its .csr downloaded through the file
 * chooser (byte for byte the stored CSR, which openssl verifies) and copied, Cancel on a
 * running job of the window's runner, the CSV export through the file chooser, and an
 * accessible name on every control. The main context is owned for the whole run, as in the
 * application: any synchronous store call from a widget fails the test; the test's own
 * reads of the store run in a thread. */

static char *tmp_dir;

static void
flush (void)
{
  for (guint i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static void
spin_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
window_loaded (gpointer data)
{
  return cd_window_get_inventory (CD_WINDOW (data)) != NULL;
}

static GObject *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static gboolean
list_settled (gpointer data)
{
  return !cd_job_list_get_loading (CD_JOB_LIST (data));
}

static void
wait_list (CdJobList *list)
{
  /* a change reads in a worker thread; let it start, then wait for it to end */
  flush ();
  spin_until (list_settled, list);
  flush ();
}

/* The store's answer to a query, asked from a thread: the main context is the windows'. */
typedef struct
{
  CdStore    *store;
  CdJobQuery  query;
  GPtrArray  *jobs;
  guint       count;
} QueryCall;

static gpointer
query_thread (gpointer data)
{
  QueryCall *call = data;
  g_autoptr(GError) error = NULL;

  call->jobs = cd_store_list_jobs_filtered (call->store, &call->query, &error);
  g_assert_no_error (error);
  return NULL;
}

static GPtrArray *
query_jobs (CdStore          *store,
            const CdJobQuery *query)
{
  QueryCall call = { .store = store, .query = *query };

  g_thread_join (g_thread_new ("test-query", query_thread, &call));
  return call.jobs;
}

static gpointer
artifacts_thread (gpointer data)
{
  QueryCall *call = data;
  g_autoptr(GError) error = NULL;

  call->jobs = cd_store_list_job_artifacts (call->store, call->query.instance_id, &error);
  g_assert_no_error (error);
  return NULL;
}

/* The artifacts job @job_id stored, read from a thread. */
static GPtrArray *
job_artifacts (CdStore *store,
               gint64   job_id)
{
  QueryCall call = { .store = store, .query.instance_id = job_id };

  g_thread_join (g_thread_new ("test-artifacts", artifacts_thread, &call));
  return call.jobs;
}

static CdWindow *
open_demo_window (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  CdWindow *window = g_object_new (CD_TYPE_WINDOW, NULL);
  AdwViewStack *stack;

  cd_window_open_inventory (window, path, TRUE);
  gtk_window_present (GTK_WINDOW (window));
  spin_until (window_loaded, window);
  stack = ADW_VIEW_STACK (child (window, CD_TYPE_WINDOW, "view_stack"));
  adw_view_stack_set_visible_child_name (stack, "jobs");
  flush ();
  return window;
}

static CdJobsPage *
jobs_page (CdWindow *window)
{
  return CD_JOBS_PAGE (child (window, CD_TYPE_WINDOW, "jobs_page"));
}

/* The toplevel of @type other than the main window, once it shows. */
static GtkWindow *
find_toplevel (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

          if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
              gtk_widget_get_visible (GTK_WIDGET (window)))
            return window;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
chooser_has_file (GtkWindow *dialog,
                  GFile     *file)
{
  g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  return chosen != NULL && g_file_equal (chosen, file);
}

/* Answers the file chooser that shows next with @file, as a person who typed its name. */
static void
answer_file_chooser (GFile *file)
{
  GtkWindow *dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  g_autofree char *offered = NULL;

  offered = g_strdup (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog)));
  g_object_set_data_full (G_OBJECT (file), "offered-name", g_steal_pointer (&offered), g_free);
  /* typed in the name entry as a person may type it: the whole path */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), g_file_peek_path (file));
  while (!chooser_has_file (dialog, file))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                           GTK_RESPONSE_ACCEPT));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_query_exists (G_FILE (data), NULL);
}

/* Widgets */

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_widgets (c, type, found);
}

/* The mapped button whose accessible label is @label. */
static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkAccessible *button = g_ptr_array_index (buttons, i);

      if (gtk_test_accessible_has_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          gtk_test_accessible_check_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              label) == NULL)
        return GTK_WIDGET (button);
    }
  return NULL;
}

static void
assert_labelled (gpointer widget)
{
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
}

/* Tabs, counts and the group filter */

static void
test_tabs_and_filter (void)
{
  CdWindow *window = open_demo_window ("tabs.db");
  CdJobsPage *page = jobs_page (window);
  CdJobList *list = cd_jobs_page_get_list (page);
  CdStore *store = cd_inventory_get_store (cd_window_get_inventory (window));
  GtkToggleButton *finished_tab = GTK_TOGGLE_BUTTON (child (page, CD_TYPE_JOBS_PAGE,
                                                            "finished_tab"));
  GtkToggleButton *failed_tab = GTK_TOGGLE_BUTTON (child (page, CD_TYPE_JOBS_PAGE,
                                                          "failed_tab"));
  GtkDropDown *group = GTK_DROP_DOWN (child (page, CD_TYPE_JOBS_PAGE, "group_dropdown"));
  const char *const finished[] = { CD_JOB_STATE_FINISHED, NULL };
  const char *const failed[] = { CD_JOB_STATE_FAILED, CD_JOB_STATE_CANCELLED,
                                 CD_JOB_STATE_INTERRUPTED, NULL };
  CdJobQuery query = { .states = finished };
  g_autoptr(GPtrArray) expected = NULL;
  g_autofree char *label = NULL;

  wait_list (list);
  /* Finished shows first, with its count in its label */
  g_assert_true (gtk_toggle_button_get_active (finished_tab));
  expected = query_jobs (store, &query);
  g_assert_cmpuint (expected->len, >, 50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected->len);
  label = g_strdup_printf ("_Finished (%u)", expected->len);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (finished_tab)), ==, label);
  g_clear_pointer (&expected, g_ptr_array_unref);

  gtk_toggle_button_set_active (failed_tab, TRUE);
  wait_list (list);
  query.states = failed;
  expected = query_jobs (store, &query);
  g_assert_cmpuint (expected->len, >, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected->len);
  g_clear_pointer (&expected, g_ptr_array_unref);

  /* Subdomain management in Finished: exactly the CSR, install and renew jobs */
  gtk_toggle_button_set_active (finished_tab, TRUE);
  gtk_drop_down_set_selected (group, CD_JOB_GROUP_SUBDOMAINS);
  wait_list (list);
  query.states = finished;
  query.kinds = cd_job_group_get_kinds (CD_JOB_GROUP_SUBDOMAINS);
  expected = query_jobs (store, &query);
  g_assert_cmpuint (expected->len, >, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected->len);

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

/* The vendor's steps: Finished, subdomain management, the CSR job, Download */

static gboolean
job_window_loaded (gpointer data)
{
  return cd_job_window_is_loaded (CD_JOB_WINDOW (data));
}

static void
got_clipboard_text (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char **) user_data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
clipboard_has_content (gpointer data)
{
  return gdk_clipboard_get_content (GDK_CLIPBOARD (data)) != NULL;
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_download_csr (void)
{
  CdWindow *window = open_demo_window ("download.db");
  CdJobsPage *page = jobs_page (window);
  CdJobList *list = cd_jobs_page_get_list (page);
  GtkDropDown *group = GTK_DROP_DOWN (child (page, CD_TYPE_JOBS_PAGE, "group_dropdown"));
  CdJobWindow *job_window = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  const CdJobArtifactRecord *artifact = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) downloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *stored_text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *label = NULL;
  GtkWidget *button;
  guint position = G_MAXUINT;

  wait_list (list);
  gtk_drop_down_set_selected (group, CD_JOB_GROUP_SUBDOMAINS);
  wait_list (list);

  /* the CSR job: the first generate-csr row whose job has a file */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(CdJob) job = g_list_model_get_item (G_LIST_MODEL (list), i);

      spin_until ((gboolean (*) (gpointer)) cd_job_is_loaded, job);
      if (g_strcmp0 (cd_job_get_kind (job), "generate-csr") != 0)
        continue;
      cd_jobs_page_open_position (page, i);
      job_window = CD_JOB_WINDOW (find_toplevel (CD_TYPE_JOB_WINDOW));
      spin_until (job_window_loaded, job_window);
      stored = job_artifacts (cd_inventory_get_store (cd_window_get_inventory (window)),
                              cd_job_window_get_job_id (job_window));
      if (stored->len == 0)
        {
          /* a CSR job that failed or made no file: on to the next */
          g_clear_pointer (&stored, g_ptr_array_unref);
          gtk_window_destroy (GTK_WINDOW (job_window));
          job_window = NULL;
          continue;
        }
      position = i;
      break;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_assert_nonnull (job_window);
  artifact = g_ptr_array_index (stored, 0);
  g_assert_cmpstr (artifact->media_type, ==, "application/pkcs10");

  /* Download: the file chooser offers the artifact's name; the file is the stored CSR */
  label = g_strdup_printf ("Download %s", artifact->name);
  button = find_button_labelled (GTK_WIDGET (job_window), label);
  g_assert_nonnull (button);

  path = g_build_filename (tmp_dir, "downloaded.csr", NULL);
  file = g_file_new_for_path (path);
  gtk_widget_activate (button);
  answer_file_chooser (file);
  spin_until (file_exists, file);
  flush ();
  g_assert_true (g_str_has_suffix (g_object_get_data (G_OBJECT (file), "offered-name"),
                                   ".csr"));
  downloaded = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  /* byte for byte the CSR the job stored */
  g_assert_true (g_bytes_equal (downloaded, artifact->content));
  /* the CSR as openssl reads it: a valid request with its signature */
  if (cd_test_require_tool ("openssl", "OpenSSL 3.0"))
    {
      const char *const args[] = { "req", "-in", path, "-noout", "-verify", NULL };
      g_autofree char *err = NULL;

      g_assert_true (cd_test_run_openssl (tmp_dir, args, NULL, &err));
    }

  /* Copy: the clipboard holds the same text */
  g_free (label);
  label = g_strdup_printf ("Copy %s", artifact->name);
  button = find_button_labelled (GTK_WIDGET (job_window), label);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  spin_until (clipboard_has_content, gtk_widget_get_clipboard (GTK_WIDGET (job_window)));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (job_window)), NULL,
                                 got_clipboard_text, &copied);
  spin_until (pointer_set, &copied);
  stored_text = g_strndup (g_bytes_get_data (downloaded, NULL), g_bytes_get_size (downloaded));
  g_assert_cmpstr (copied, ==, stored_text);
  g_assert_true (g_str_has_prefix (copied, "-----BEGIN CERTIFICATE REQUEST-----"));

  gtk_window_destroy (GTK_WINDOW (job_window));
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

/* Cancel, the CSV export and the names a screen reader reads */

static gboolean
wait_for_cancel (CdJobContext  *context,
                 gpointer       data,
                 GError       **error)
{
  GCancellable *cancellable = cd_job_context_get_cancellable (context);

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

static gboolean
has_cancel_button (gpointer data)
{
  flush ();
  return find_button_labelled (GTK_WIDGET (data), "Cancel t.wait.example") != NULL;
}

static void
test_cancel_export_names (void)
{
  CdWindow *window = open_demo_window ("cancel.db");
  CdJobsPage *page = jobs_page (window);
  CdJobList *list = cd_jobs_page_get_list (page);
  CdJobRunner *runner = cd_inventory_get_job_runner (cd_window_get_inventory (window));
  g_autoptr(CdJobRequest) request =
    cd_job_request_new (CD_JOB_KIND_CHECK_HOSTS, CD_JOB_TARGET_HOST, "t.wait.example");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *const controls[] = {
    "group_dropdown", "instance_dropdown", "date_dropdown", "search_entry", "column_view",
  };
  const char *const tabs[] = { "running_tab", "finished_tab", "failed_tab" };
  GtkWidget *cancel;
  gint64 job_id = 0;

  wait_list (list);
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    assert_labelled (child (page, CD_TYPE_JOBS_PAGE, controls[i]));
  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      GtkButton *tab = GTK_BUTTON (child (page, CD_TYPE_JOBS_PAGE, tabs[i]));

      /* a tab is named by its words, with its count */
      g_assert_nonnull (strchr (gtk_button_get_label (tab), '('));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (tab),
                                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
    }

  /* a job of the window's runner, running until cancelled, with its Cancel in Running */
  g_assert_nonnull (runner);
  cd_job_runner_run_async (runner, request, wait_for_cancel, NULL, NULL, NULL, got_result,
                           &result);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (page, CD_TYPE_JOBS_PAGE,
                                                          "running_tab")), TRUE);
  spin_until (has_cancel_button, page);
  cancel = find_button_labelled (GTK_WIDGET (page), "Cancel t.wait.example");
  gtk_widget_activate (cancel);
  spin_until (pointer_set, &result);
  g_assert_false (cd_job_runner_run_finish (runner, result, &job_id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  wait_list (list);
  spin_until ((gboolean (*) (gpointer)) list_settled, list);
  while (cd_job_list_get_tab_count (list, CD_JOB_TAB_RUNNING) != 0)
    g_main_context_iteration (NULL, TRUE);

  /* the CSV of Failed: a line a job shown, after the header */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (page, CD_TYPE_JOBS_PAGE,
                                                          "failed_tab")), TRUE);
  wait_list (list);
  path = g_build_filename (tmp_dir, "failed.csv", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "jobs.export-csv", NULL));
  answer_file_chooser (file);
  spin_until (file_exists, file);
  flush ();
  g_assert_true (g_str_has_suffix (g_object_get_data (G_OBJECT (file), "offered-name"),
                                   ".csv"));
  csv = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (list)) + 2);
  /* the cancelled job is among them, newest first */
  {
    g_autofree char *first = g_strdup_printf ("%" G_GINT64_FORMAT ",", job_id);

    g_assert_true (g_str_has_prefix (lines[1], first));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

/* A narrow window: the page fits the narrowest window the application allows. */
static void
measure_tree (GtkWidget *widget,
              int        depth)
{
  int min = 0;

  if (!gtk_widget_get_visible (widget) || depth > 7)
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (min > 330)
    g_test_message ("%*s%s %d", depth * 2, "", G_OBJECT_TYPE_NAME (widget), min);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    measure_tree (c, depth + 1);
}

static void
test_narrow (void)
{
  CdWindow *window = open_demo_window ("narrow.db");
  CdJobsPage *page = jobs_page (window);
  int min = 0;

  cd_jobs_page_set_compact (page, TRUE);
  wait_list (cd_jobs_page_get_list (page));
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL,
                      NULL);
  if (min > 360)
    measure_tree (GTK_WIDGET (page), 0);
  g_assert_cmpint (min, <=, 360);

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  /* the accessible properties widgets set, kept where the test can read them back */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  g_assert_true (g_main_context_acquire (NULL));
  /* the application's style sheet, as AdwApplication loads it from its resources */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  tmp_dir = g_dir_make_tmp ("certdesk-test-jobs-page-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/jobs-page/tabs-and-filter", test_tabs_and_filter);
  g_test_add_func ("/jobs-page/download-csr", test_download_csr);
  g_test_add_func ("/jobs-page/cancel-export-names", test_cancel_export_names);
  g_test_add_func ("/jobs-page/narrow", test_narrow);

  result = g_test_run ();
  flush ();
  cd_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return result;
}
