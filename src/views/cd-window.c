// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-centers-page.h"
#include "cd-error.h"
#include "cd-job-retention.h"
#include "cd-jobs-page.h"
#include "cd-subdomains-page.h"
#include "cd-window.h"

struct _CdWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  int retention_days;
  CdInventory *inventory;
  GCancellable *cancellable;
  char *path;
  gboolean demo;

  AdwToastOverlay *toast_overlay;
  AdwViewStack *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar *switcher_bar;
  GtkStack *main_stack;
  GtkSpinner *spinner;
  GtkInfoBar *notice_bar;
  GtkLabel *notice_label;
  AdwStatusPage *unavailable_page;
  GtkWidget *move_aside_button;
  CdSubdomainsPage *subdomains_page;
  CdDataCentersPage *data_centers_page;
  CdJobsPage *jobs_page;
};

G_DEFINE_FINAL_TYPE (CdWindow, cd_window, ADW_TYPE_APPLICATION_WINDOW)

static void open_inventory (CdWindow *self, CdInventoryOpenFlags flags);

void
cd_window_add_toast (CdWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

CdInventory *
cd_window_get_inventory (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return self->inventory;
}

static void
apply_thresholds (CdWindow *self)
{
  if (self->inventory == NULL)
    return;

  cd_inventory_set_thresholds (self->inventory,
                               g_settings_get_int (self->settings, "expiring-days"),
                               g_settings_get_int (self->settings, "critical-days"));
}

static void
retention_applied (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint n_deleted = 0;

  if (!cd_job_retention_apply_finish (result, &n_deleted, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Old jobs could not be deleted: %s"), error->message);
    }
  else if (n_deleted > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %u old job",
                                          "Deleted %u old jobs", n_deleted),
                             n_deleted);

  if (title != NULL)
    cd_window_add_toast (self, adw_toast_new (title));
  if (n_deleted > 0 && cd_jobs_page_get_list (self->jobs_page) != NULL)
    cd_job_list_refresh (cd_jobs_page_get_list (self->jobs_page));
}

/* Old jobs go when the inventory opens and when retention is turned on (the preferences
 * confirm that first); a new number of days waits for the next start. */
static void
apply_retention (CdWindow *self)
{
  int days = g_settings_get_int (self->settings, "job-retention-days");

  if (self->inventory == NULL || cd_inventory_is_read_only (self->inventory) || days <= 0)
    return;
  cd_job_retention_apply_async (cd_inventory_get_store (self->inventory), days,
                                self->cancellable, retention_applied, g_object_ref (self));
}

static void
on_retention_changed (CdWindow *self)
{
  int days = g_settings_get_int (self->settings, "job-retention-days");

  if (self->retention_days == 0 && days > 0)
    {
      self->retention_days = days;
      apply_retention (self);
    }
  self->retention_days = days;
}

static void
show_unavailable (CdWindow     *self,
                  const GError *error)
{
  gboolean damaged = g_error_matches (error, CD_ERROR, CD_ERROR_DATABASE_CORRUPT);

  gtk_spinner_stop (self->spinner);
  adw_status_page_set_description (self->unavailable_page, error->message);
  gtk_widget_set_visible (self->move_aside_button, damaged);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.move-aside", damaged);
  gtk_stack_set_visible_child_name (self->main_stack, "unavailable");
}

static void
inventory_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CdWindow) self = user_data;
  CdInventory *inventory = CD_INVENTORY (source);
  g_autoptr(GError) error = NULL;
  guint interrupted;

  if (!cd_inventory_load_finish (inventory, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_unavailable (self, error);
      return;
    }

  g_set_object (&self->inventory, inventory);
  apply_thresholds (self);
  cd_subdomains_page_set_inventory (self->subdomains_page, inventory);
  cd_data_centers_page_set_inventory (self->data_centers_page, inventory);
  cd_jobs_page_set_inventory (self->jobs_page, inventory);
  apply_retention (self);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  cd_subdomains_page_focus_list (self->subdomains_page);

  interrupted = cd_inventory_get_interrupted_jobs (inventory);
  if (interrupted > 0)
    {
      g_autofree char *title =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u job was interrupted when Certdesk last stopped",
                                      "%u jobs were interrupted when Certdesk last stopped",
                                      interrupted),
                         interrupted);
      cd_window_add_toast (self, adw_toast_new (title));
    }
}

static void
inventory_opened (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CdWindow) self = user_data;
  g_autoptr(CdInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  inventory = cd_inventory_open_finish (result, &error);
  if (inventory == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, CD_ERROR, CD_ERROR_DATABASE_TOO_NEW))
        {
          /* Still useful to look at: open it without writing anything. */
          open_inventory (self, CD_INVENTORY_OPEN_READ_ONLY);
          return;
        }
      show_unavailable (self, error);
      return;
    }

  if (cd_inventory_is_read_only (inventory))
    {
      g_autofree char *text =
        g_strdup_printf (_("The inventory in “%s” was written by a newer version of Certdesk. "
                           "It is open read-only: update Certdesk to change it."),
                         cd_inventory_get_path (inventory));
      gtk_info_bar_set_message_type (self->notice_bar, GTK_MESSAGE_WARNING);
      gtk_label_set_text (self->notice_label, text);
      gtk_info_bar_set_revealed (self->notice_bar, TRUE);
    }

  cd_inventory_load_async (inventory, self->cancellable, inventory_loaded, g_object_ref (self));
}

static void
open_inventory (CdWindow             *self,
                CdInventoryOpenFlags  flags)
{
  if (self->demo)
    flags |= CD_INVENTORY_OPEN_SEED_DEMO;

  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  gtk_spinner_start (self->spinner);
  cd_inventory_open_async (self->path, flags, self->cancellable, inventory_opened,
                           g_object_ref (self));
}

void
cd_window_open_inventory (CdWindow   *self,
                          const char *path,
                          gboolean    demo)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_free (self->path);
  self->path = g_strdup (path);
  self->demo = demo;
  if (demo)
    {
      gtk_info_bar_set_message_type (self->notice_bar, GTK_MESSAGE_INFO);
      gtk_label_set_text (self->notice_label,
                          _("This is a demo inventory in a throwaway folder: change anything you "
                            "like, it is all gone when Certdesk closes."));
      gtk_info_bar_set_revealed (self->notice_bar, TRUE);
    }
  open_inventory (self, CD_INVENTORY_OPEN_DEFAULT);
}

static void
moved_aside (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *title = NULL;

  kept = cd_inventory_move_aside_finish (result, &error);
  if (kept == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_unavailable (self, error);
      return;
    }

  /* TRANSLATORS: %s is the path the damaged database was renamed to */
  title = g_strdup_printf (_("The damaged inventory was kept as “%s”"), kept);
  cd_window_add_toast (self, adw_toast_new (title));
  open_inventory (self, CD_INVENTORY_OPEN_DEFAULT);
}

static void
move_aside_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);

  /* once asked, once: the button comes back if the move fails */
  gtk_widget_action_set_enabled (widget, "main.move-aside", FALSE);
  cd_inventory_move_aside_async (self->path, self->cancellable, moved_aside, g_object_ref (self));
}

static void
retry_open_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_inventory (CD_WINDOW (widget), CD_INVENTORY_OPEN_DEFAULT);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);

  /* the Job Logs search their own history; anywhere else it is the inventory that is
   * searched */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "jobs") == 0)
    {
      cd_jobs_page_focus_search (self->jobs_page);
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "subdomains");
  cd_subdomains_page_focus_search (self->subdomains_page);
}

/* Alt+1, 2 and 3 bring a page forward from anywhere in the window, and the keys go to it. */
static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *page;

  if (self->inventory == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, name);
  page = adw_view_stack_get_visible_child (self->view_stack);
  if (page != NULL)
    gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

/* The switcher moves to the bottom bar when the window is too narrow for it in the header:
 * the pages follow the same cue. */
static void
on_title_visible_changed (CdWindow *self)
{
  gboolean compact = adw_view_switcher_title_get_title_visible (self->switcher_title);

  cd_subdomains_page_set_compact (self->subdomains_page, compact);
  cd_jobs_page_set_compact (self->jobs_page, compact);
}

/* The inventory shortcuts work wherever the focus is: they bring the inventory forward and
 * act on its selection. */
static void
inventory_action_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);
  const char *page_action = NULL;

  if (g_str_equal (action_name, "main.new-instance"))
    page_action = "page.add-instance";
  else if (g_str_equal (action_name, "main.new-subdomain"))
    page_action = "page.add-subdomain";
  else if (g_str_equal (action_name, "main.new-host"))
    page_action = "page.add-host";
  g_return_if_fail (page_action != NULL);


  if (self->inventory == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "subdomains");
  gtk_widget_activate_action (GTK_WIDGET (self->subdomains_page), page_action, NULL);
}

static void
restore_window_state (CdWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
cd_window_close_request (GtkWindow *window)
{
  CdWindow *self = CD_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  /* The default size is what the window had before it was maximized. */
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (cd_window_parent_class)->close_request (window);
}

static void
cd_window_dispose (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->inventory);
  g_clear_object (&self->settings);

  /* The switchers must let go of the stack before it goes, or they unparent buttons twice. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  self->switcher_bar = NULL;
  self->switcher_title = NULL;

  G_OBJECT_CLASS (cd_window_parent_class)->dispose (object);
}

static void
cd_window_finalize (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  g_free (self->path);

  G_OBJECT_CLASS (cd_window_parent_class)->finalize (object);
}

static void
cd_window_class_init (CdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cd_window_dispose;
  object_class->finalize = cd_window_finalize;
  window_class->close_request = cd_window_close_request;

  g_type_ensure (CD_TYPE_SUBDOMAINS_PAGE);
  g_type_ensure (CD_TYPE_DATA_CENTERS_PAGE);
  g_type_ensure (CD_TYPE_JOBS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, notice_bar);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, move_aside_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, subdomains_page);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, data_centers_page);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, jobs_page);
  /* A page's add-toast hands over the toast it made: straight to the overlay, which takes it,
   * as the libadwaita demo does. */
  gtk_widget_class_bind_template_callback_full (widget_class, "adw_toast_overlay_add_toast",
                                                G_CALLBACK (adw_toast_overlay_add_toast));

  gtk_widget_class_install_action (widget_class, "main.move-aside", NULL, move_aside_activated);
  gtk_widget_class_install_action (widget_class, "main.retry-open", NULL, retry_open_activated);
  gtk_widget_class_install_action (widget_class, "main.search", NULL, search_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "main.search",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "main.show-page", "s", show_page_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "main.show-page",
                                       "s", "subdomains");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "main.show-page",
                                       "s", "jobs");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "main.show-page",
                                       "s", "data-centers");

  gtk_widget_class_install_action (widget_class, "main.new-instance", NULL,
                                   inventory_action_activated);
  gtk_widget_class_install_action (widget_class, "main.new-subdomain", NULL,
                                   inventory_action_activated);
  gtk_widget_class_install_action (widget_class, "main.new-host", NULL, inventory_action_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "main.new-instance", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "main.new-subdomain", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "main.new-host", NULL);
}

static void
cd_window_init (CdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::expiring-days",
                           G_CALLBACK (apply_thresholds), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::critical-days",
                           G_CALLBACK (apply_thresholds), self, G_CONNECT_SWAPPED);
  self->retention_days = g_settings_get_int (self->settings, "job-retention-days");
  g_signal_connect_object (self->settings, "changed::job-retention-days",
                           G_CALLBACK (on_retention_changed), self, G_CONNECT_SWAPPED);
  restore_window_state (self);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (on_title_visible_changed), self, G_CONNECT_SWAPPED);
  on_title_visible_changed (self);
}

CdWindow *
cd_window_new (GApplication *application)
{
  return g_object_new (CD_TYPE_WINDOW, "application", application, NULL);
}
