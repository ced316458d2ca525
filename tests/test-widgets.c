// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-widgets"

#include "config.h"

#include <glib/gstdio.h>

#include "cd-test-util.h"
#include "cd-data-centers-page.h"
#include "cd-host-dialog.h"
#include "cd-instance-dialog.h"
#include "cd-inventory.h"
#include "cd-preferences-window.h"
#include "cd-status-label.h"
#include "cd-subdomain-dialog.h"
#include "cd-subdomains-page.h"
#include "cd-window.h"

static char *tmp_dir;

static void
spin_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
flush (void)
{
  for (guint i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/* A search entry reports changes after a short delay: type, then wait for it. */
static void
type_search (GtkEditable *entry,
             const char  *text)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  gtk_editable_set_text (entry, text);
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  flush ();
}

static gboolean
window_loaded (gpointer data)
{
  return cd_window_get_inventory (CD_WINDOW (data)) != NULL;
}

/* A window over a new database, seeded with the demo inventory when @demo. */
static CdWindow *
open_window (const char *name,
             gboolean    demo)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  CdWindow *window = g_object_new (CD_TYPE_WINDOW, NULL);

  cd_window_open_inventory (window, path, demo);
  gtk_window_present (GTK_WINDOW (window));
  spin_until (window_loaded, window);
  flush ();
  return window;
}

static gboolean
inventory_has_instances (gpointer data)
{
  return g_list_model_get_n_items (cd_inventory_get_instances (CD_INVENTORY (data))) > 0;
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

static void
test_templates_build (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *widget;

  /* Each template names its classes and properties only at run time: build them all. */
  widget = GTK_WIDGET (g_object_new (CD_TYPE_WINDOW, NULL));
  gtk_window_destroy (GTK_WINDOW (widget));

  widget = g_object_ref_sink (g_object_new (CD_TYPE_SUBDOMAINS_PAGE, NULL));
  g_object_unref (widget);
  widget = g_object_ref_sink (g_object_new (CD_TYPE_DATA_CENTERS_PAGE, NULL));
  g_object_unref (widget);
  widget = g_object_ref_sink (cd_status_label_new ());
  g_object_unref (widget);

  widget = GTK_WIDGET (cd_preferences_window_new ());
  gtk_window_destroy (GTK_WINDOW (widget));

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/help-overlay.ui");
  widget = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (widget));
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
test_dialogs_build (void)
{
  g_autoptr(CdWindow) window = g_object_ref (open_window ("dialogs.db", TRUE));
  CdInventory *inventory = cd_window_get_inventory (window);
  CdInstance *instance;
  g_autoptr(CdSubdomain) subdomain = NULL;
  g_autoptr(CdHost) host = NULL;
  GtkWidget *dialog;

  instance = g_list_model_get_item (cd_inventory_get_instances (inventory), 0);
  g_object_unref (instance);
  subdomain = g_list_model_get_item (cd_instance_get_subdomains (instance), 0);
  host = g_list_model_get_item (cd_subdomain_get_hosts (subdomain), 0);

  dialog = GTK_WIDGET (cd_instance_dialog_new (inventory, NULL));
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = GTK_WIDGET (cd_instance_dialog_new (inventory, instance));
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = GTK_WIDGET (cd_subdomain_dialog_new (inventory, instance, NULL));
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = GTK_WIDGET (cd_subdomain_dialog_new (inventory, instance, subdomain));
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = GTK_WIDGET (cd_host_dialog_new (inventory, subdomain, NULL));
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = GTK_WIDGET (cd_host_dialog_new (inventory, subdomain, host));
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (window));
}

static guint
visible_rows (CdSubdomainsPage *page)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (child (page, CD_TYPE_SUBDOMAINS_PAGE, "column_view"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static gboolean
row_names_contain (CdSubdomainsPage *page,
                   const char       *name)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (child (page, CD_TYPE_SUBDOMAINS_PAGE, "column_view"));
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (view));

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      if (g_strcmp0 (cd_inventory_item_get_name (item), name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_demo_window_and_search (void)
{
  g_autoptr(CdWindow) window = g_object_ref (open_window ("demo.db", TRUE));
  CdSubdomainsPage *page = CD_SUBDOMAINS_PAGE (child (window, CD_TYPE_WINDOW, "subdomains_page"));
  GtkStack *main_stack = GTK_STACK (child (window, CD_TYPE_WINDOW, "main_stack"));
  GtkStack *page_stack = GTK_STACK (child (page, CD_TYPE_SUBDOMAINS_PAGE, "stack"));
  GtkStack *list_stack = GTK_STACK (child (page, CD_TYPE_SUBDOMAINS_PAGE, "list_stack"));
  GtkEditable *search = GTK_EDITABLE (child (page, CD_TYPE_SUBDOMAINS_PAGE, "search_entry"));
  CdInventory *inventory = cd_window_get_inventory (window);
  CdInstance *first = g_list_model_get_item (cd_inventory_get_instances (inventory), 0);
  g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (cd_instance_get_subdomains (first), 0);
  g_autoptr(CdHost) host = g_list_model_get_item (cd_subdomain_get_hosts (subdomain), 0);
  guint all_rows;

  g_object_unref (first);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "content");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "list");

  /* expanded: every instance, subdomain and host has a row */
  all_rows = visible_rows (page);
  g_assert_cmpuint (all_rows, >=, 3 + 12 + 36);

  /* a host name shows the host with the path to it, and nothing else */
  type_search (search, cd_host_get_display_name (host));
  g_assert_cmpuint (visible_rows (page), ==, 3);
  g_assert_true (row_names_contain (page, cd_instance_get_name (first)));
  g_assert_true (row_names_contain (page, cd_subdomain_get_display_name (subdomain)));
  g_assert_true (row_names_contain (page, cd_host_get_display_name (host)));

  /* an instance name shows the whole instance */
  type_search (search, cd_instance_get_name (first));
  g_assert_cmpuint (visible_rows (page), ==,
                    1 + g_list_model_get_n_items (cd_instance_get_subdomains (first)) +
                    cd_instance_count_hosts (first));

  type_search (search, "no-such-thing-anywhere");
  g_assert_cmpuint (visible_rows (page), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "no-results");

  type_search (search, "");
  g_assert_cmpuint (visible_rows (page), ==, all_rows);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "rows");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty_state_and_add (void)
{
  g_autoptr(CdWindow) window = g_object_ref (open_window ("empty.db", FALSE));
  CdSubdomainsPage *page = CD_SUBDOMAINS_PAGE (child (window, CD_TYPE_WINDOW, "subdomains_page"));
  GtkStack *page_stack = GTK_STACK (child (page, CD_TYPE_SUBDOMAINS_PAGE, "stack"));
  CdInventory *inventory = cd_window_get_inventory (window);
  CdInstanceDialog *dialog;
  GtkWidget *save, *error_label;
  GtkEditable *name;
  AdwComboRow *data_center;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "empty");

  dialog = cd_instance_dialog_new (inventory, NULL);
  save = GTK_WIDGET (child (dialog, CD_TYPE_INSTANCE_DIALOG, "save_button"));
  error_label = GTK_WIDGET (child (dialog, CD_TYPE_INSTANCE_DIALOG, "error_label"));
  name = GTK_EDITABLE (child (dialog, CD_TYPE_INSTANCE_DIALOG, "name_row"));
  data_center = ADW_COMBO_ROW (child (dialog, CD_TYPE_INSTANCE_DIALOG, "data_center_row"));

  /* an untouched, empty form is not an error, but cannot be saved */
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_visible (error_label));

  gtk_editable_set_text (name, "Acme Retail");
  adw_combo_row_set_selected (data_center, 1);
  g_assert_true (gtk_widget_get_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  /* the save is asynchronous: wait for the instance to arrive */
  spin_until (inventory_has_instances, inventory);
  flush ();

  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (inventory)), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "list");

  /* the same name again is refused beside the field */
  dialog = cd_instance_dialog_new (inventory, NULL);
  save = GTK_WIDGET (child (dialog, CD_TYPE_INSTANCE_DIALOG, "save_button"));
  error_label = GTK_WIDGET (child (dialog, CD_TYPE_INSTANCE_DIALOG, "error_label"));
  name = GTK_EDITABLE (child (dialog, CD_TYPE_INSTANCE_DIALOG, "name_row"));
  gtk_editable_set_text (name, "acme retail");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "already exists"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (name), "error"));
  gtk_editable_set_text (name, "Acme Outlet");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_visible (error_label));
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static void
test_shortcuts_open_dialogs (void)
{
  g_autoptr(CdWindow) window = g_object_ref (open_window ("shortcuts.db", TRUE));
  CdSubdomainsPage *page = CD_SUBDOMAINS_PAGE (child (window, CD_TYPE_WINDOW, "subdomains_page"));
  AdwViewStack *stack = ADW_VIEW_STACK (child (window, CD_TYPE_WINDOW, "view_stack"));
  CdInventory *inventory = cd_window_get_inventory (window);
  CdInstance *instance = g_list_model_get_item (cd_inventory_get_instances (inventory), 0);
  g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (cd_instance_get_subdomains (instance), 0);
  GtkWindow *dialog;

  g_object_unref (instance);

  /* from another view, with nothing selected: a new instance, on the inventory view */
  adw_view_stack_set_visible_child_name (stack, "data-centers");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "main.new-instance", NULL));
  flush ();
  dialog = find_toplevel (CD_TYPE_INSTANCE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "subdomains");
  gtk_window_destroy (dialog);

  /* a new host needs a subdomain selected */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "main.new-host", NULL));
  flush ();
  g_assert_null (find_toplevel (CD_TYPE_HOST_DIALOG));

  cd_subdomains_page_select_item (page, G_OBJECT (subdomain));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "main.new-host", NULL));
  flush ();
  dialog = find_toplevel (CD_TYPE_HOST_DIALOG);
  g_assert_nonnull (dialog);
  gtk_window_destroy (dialog);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "main.new-subdomain", NULL));
  flush ();
  dialog = find_toplevel (CD_TYPE_SUBDOMAIN_DIALOG);
  g_assert_nonnull (dialog);
  gtk_window_destroy (dialog);

  /* compact mode takes out the kind and data center columns, and puts them back in place */
  {
    GtkColumnView *view = GTK_COLUMN_VIEW (child (page, CD_TYPE_SUBDOMAINS_PAGE, "column_view"));
    GListModel *columns = gtk_column_view_get_columns (view);
    g_autoptr(GtkColumnViewColumn) second = NULL;

    cd_subdomains_page_set_compact (page, TRUE);
    g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 2);
    cd_subdomains_page_set_compact (page, FALSE);
    g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 4);
    second = g_list_model_get_item (columns, 1);
    g_assert_true (second == (gpointer) child (page, CD_TYPE_SUBDOMAINS_PAGE, "kind_column"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_size_persists (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CdWindow *window = open_window ("size.db", FALSE);

  gtk_window_set_default_size (GTK_WINDOW (window), 777, 555);
  gtk_window_close (GTK_WINDOW (window));
  flush ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 777);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 555);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = g_object_new (CD_TYPE_WINDOW, NULL);
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 777);
    g_assert_cmpint (height, ==, 555);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_damaged_database_page (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "damaged.db", NULL);
  CdWindow *window;
  GtkStack *main_stack;
  GtkWidget *move_aside;

  g_assert_true (g_file_set_contents (path, "garbage, not a database", -1, NULL));
  window = g_object_new (CD_TYPE_WINDOW, NULL);
  main_stack = GTK_STACK (child (window, CD_TYPE_WINDOW, "main_stack"));
  move_aside = GTK_WIDGET (child (window, CD_TYPE_WINDOW, "move_aside_button"));
  cd_window_open_inventory (window, path, FALSE);
  gtk_window_present (GTK_WINDOW (window));

  while (g_strcmp0 (gtk_stack_get_visible_child_name (main_stack), "unavailable") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_visible (move_aside));

  g_signal_emit_by_name (move_aside, "clicked");
  spin_until (window_loaded, window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "content");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Appended: the dialogs save asynchronously. */

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

/* While a save runs the dialog shows it is working and stays; a success closes it; a name
 * another save took meanwhile is refused beside the field, as before. */
static void
test_dialog_saves_async (void)
{
  g_autoptr(CdWindow) window = g_object_ref (open_window ("saving.db", FALSE));
  CdInventory *inventory = cd_window_get_inventory (window);
  g_autoptr(CdInstanceDialog) first = g_object_ref (cd_instance_dialog_new (inventory, NULL));
  g_autoptr(CdInstanceDialog) second = g_object_ref (cd_instance_dialog_new (inventory, NULL));
  GtkWidget *save = GTK_WIDGET (child (first, CD_TYPE_INSTANCE_DIALOG, "save_button"));
  GtkWidget *spinner = GTK_WIDGET (child (first, CD_TYPE_INSTANCE_DIALOG, "saving_spinner"));
  GtkWidget *form = GTK_WIDGET (child (first, CD_TYPE_INSTANCE_DIALOG, "form"));
  GtkWidget *second_save = GTK_WIDGET (child (second, CD_TYPE_INSTANCE_DIALOG, "save_button"));
  GtkWidget *second_error = GTK_WIDGET (child (second, CD_TYPE_INSTANCE_DIALOG, "error_label"));
  GtkWidget *second_spinner =
    GTK_WIDGET (child (second, CD_TYPE_INSTANCE_DIALOG, "saving_spinner"));
  GtkWidget *second_name = GTK_WIDGET (child (second, CD_TYPE_INSTANCE_DIALOG, "name_row"));

  gtk_window_set_transient_for (GTK_WINDOW (first), GTK_WINDOW (window));
  gtk_window_set_transient_for (GTK_WINDOW (second), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (first));
  gtk_window_present (GTK_WINDOW (second));

  /* both names are free as far as the lists know */
  gtk_editable_set_text (GTK_EDITABLE (child (first, CD_TYPE_INSTANCE_DIALOG, "name_row")),
                         "Acme Retail");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (first, CD_TYPE_INSTANCE_DIALOG,
                                                    "data_center_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (second_name), "ACME retail");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (second, CD_TYPE_INSTANCE_DIALOG,
                                                    "data_center_row")), 2);
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_sensitive (second_save));
  g_assert_false (gtk_widget_get_visible (spinner));

  g_signal_emit_by_name (save, "clicked");
  g_signal_emit_by_name (second_save, "clicked");

  /* working: no second click, no editing, a spinner, and it does not close */
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_sensitive (form));
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_true (gtk_widget_get_visible (second_spinner));
  gtk_window_close (GTK_WINDOW (first));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (first)));
  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (inventory)), ==, 0);

  /* the first is saved and closes */
  spin_until (widget_hidden, first);
  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (inventory)), ==, 1);

  /* the second learns from the store that the name is taken, and says so beside it */
  spin_until (widget_sensitive, second_save);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (second)));
  g_assert_false (gtk_widget_get_visible (second_spinner));
  g_assert_true (gtk_widget_get_visible (second_error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (second_error)), "already exists"));
  g_assert_true (gtk_widget_has_css_class (second_name, "error"));
  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (inventory)), ==, 1);

  /* and closes again once it has its answer */
  gtk_window_close (GTK_WINDOW (second));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (second)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Keeps a weak pointer: the overlay owns the toast. */
static void
on_add_toast (CdSubdomainsPage  *page,
              AdwToast          *toast,
              AdwToast         **out)
{
  g_assert_null (*out);
  *out = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) out);
}

static gboolean
toast_arrived (gpointer data)
{
  return *(AdwToast **) data != NULL;
}

typedef struct
{
  GListModel *hosts;
  guint       n;
} HostCount;

static gboolean
host_count_is (gpointer data)
{
  HostCount *count = data;

  return g_list_model_get_n_items (count->hosts) == count->n;
}

/* The subdomains page deletes and undoes without waiting for the database; closing the window
 * then leaves nothing behind: the toast with its undo goes with the overlay, and with it the
 * last reference to the inventory and its database. */
static void
test_delete_and_undo (void)
{
  CdWindow *window = open_window ("delete.db", TRUE);
  CdSubdomainsPage *page = CD_SUBDOMAINS_PAGE (child (window, CD_TYPE_WINDOW, "subdomains_page"));
  CdInventory *inventory = cd_window_get_inventory (window);
  g_autoptr(CdInstance) instance = g_list_model_get_item (cd_inventory_get_instances (inventory),
                                                          0);
  g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (cd_instance_get_subdomains (instance),
                                                            0);
  GListModel *hosts = cd_subdomain_get_hosts (subdomain);
  g_autoptr(CdHost) host = g_list_model_get_item (hosts, 1);
  AdwToast *toast = NULL;
  g_autoptr(CdHost) back = NULL;
  HostCount count = { hosts, g_list_model_get_n_items (hosts) };
  GtkWindow *dialog;

  g_signal_connect (page, "add-toast", G_CALLBACK (on_add_toast), &toast);
  cd_subdomains_page_select_item (page, G_OBJECT (host));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.delete", NULL));
  flush ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");

  count.n--;
  spin_until (host_count_is, &count);
  spin_until (toast_arrived, &toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");

  g_signal_emit_by_name (toast, "button-clicked");
  count.n++;
  spin_until (host_count_is, &count);
  back = g_list_model_get_item (hosts, 1);
  g_assert_true (back == host);

  g_signal_handlers_disconnect_by_data (page, &toast);
  g_clear_object (&back);
  g_clear_object (&host);
  g_clear_object (&subdomain);
  g_clear_object (&instance);
  g_object_add_weak_pointer (G_OBJECT (inventory), (gpointer *) &inventory);
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
  g_assert_null (toast);
  g_assert_null (inventory);
}

/* A first-time user starts from the empty state: the keys go somewhere visible, so that
 * Ctrl+N and the other window shortcuts work at once. */
static void
test_empty_state_has_focus (void)
{
  CdWindow *window = open_window ("first-run.db", FALSE);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_get_mapped (focus));
  g_assert_true (GTK_IS_BUTTON (focus));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), ==,
                   "page.add-instance");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  /* Any warning from GTK, such as a template naming a class this GTK does not have, fails. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  /* Own the main context for the whole run, as the application does: any synchronous call
   * into the store from a widget then fails the test (a critical is fatal here). */
  g_assert_true (g_main_context_acquire (NULL));

  tmp_dir = g_dir_make_tmp ("certdesk-test-widgets-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/views/templates/build", test_templates_build);
  g_test_add_func ("/views/dialogs/build", test_dialogs_build);
  g_test_add_func ("/views/window/demo-and-search", test_demo_window_and_search);
  g_test_add_func ("/views/window/empty-state-and-add", test_empty_state_and_add);
  g_test_add_func ("/views/window/shortcuts-open-dialogs", test_shortcuts_open_dialogs);
  g_test_add_func ("/views/window/size-persists", test_window_size_persists);
  g_test_add_func ("/views/window/damaged-database", test_damaged_database_page);
  g_test_add_func ("/views/dialogs/save-async", test_dialog_saves_async);
  g_test_add_func ("/views/page/delete-and-undo", test_delete_and_undo);
  g_test_add_func ("/views/window/empty-state-has-focus", test_empty_state_has_focus);

  result = g_test_run ();
  /* let the answers still on their way arrive and the stores they hold close their files */
  flush ();
  cd_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return result;
}
