// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-jobs-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-job-columns.h"
#include "cd-job-date-range.h"
#include "cd-job-export.h"
#include "cd-job-window.h"
#include "cd-jobs-page.h"

/* How often the page asks the store whether another process wrote a job, while it shows. */
#define WATCH_INTERVAL_MS 1000

struct _CdJobsPage
{
  AdwBin parent_instance;

  CdInventory *inventory;
  CdJobList *list;
  GtkNoSelection *selection;
  CdJobColumns columns;
  GCancellable *cancellable;
  gboolean exporting;
  gboolean scroll_to_top;

  GtkBox *toolbar;
  GtkBox *top_row;
  GtkBox *filters_box;
  GtkMenuButton *filters_button;
  GtkPopover *filters_popover;
  AdwButtonContent *export_content;
  gboolean compact;
  GtkToggleButton *running_tab;
  GtkToggleButton *finished_tab;
  GtkToggleButton *failed_tab;
  GtkDropDown *group_dropdown;
  GtkDropDown *instance_dropdown;
  GtkStringList *instance_names;
  GArray *instance_ids;          /* gint64 per row of instance_names; 0 for "All Instances" */
  GtkDropDown *date_dropdown;
  GtkMenuButton *custom_range_button;
  GtkPopover *custom_range_popover;
  GtkCalendar *from_calendar;
  GtkCalendar *until_calendar;
  GtkSearchEntry *search_entry;
  GtkColumnView *column_view;
  GtkStack *stack;
  AdwStatusPage *empty_page;
  GtkWidget *clear_filters_button;
};

G_DEFINE_FINAL_TYPE (CdJobsPage, cd_jobs_page, ADW_TYPE_BIN)

enum {
  SIGNAL_ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_toast (CdJobsPage *self,
           const char *title)
{
  g_signal_emit (self, signals[SIGNAL_ADD_TOAST], 0, adw_toast_new (title));
}

static CdJobTab
selected_tab (CdJobsPage *self)
{
  if (gtk_toggle_button_get_active (self->running_tab))
    return CD_JOB_TAB_RUNNING;
  if (gtk_toggle_button_get_active (self->failed_tab))
    return CD_JOB_TAB_FAILED;
  return CD_JOB_TAB_FINISHED;
}

static void
set_tab_label (GtkToggleButton *button,
               const char      *title,
               guint            count,
               gboolean         known)
{
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;

  /* Translators: a tab of the Job Logs and how many jobs it has, "_Finished (120)" */
  label = known ? g_strdup_printf (C_("job tab", "%s (%u)"), title, count) : g_strdup (title);
  gtk_button_set_label (GTK_BUTTON (button), label);
  /* Translators: the accessible description of a tab of the Job Logs */
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job", "%u jobs", count),
                                 count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, known ? description : "",
                                  -1);
}

static void
update_tabs (CdJobsPage *self)
{
  gboolean known = self->list != NULL;
  CdJobList *list = self->list;

  set_tab_label (self->running_tab, _("_Running"),
                 known ? cd_job_list_get_tab_count (list, CD_JOB_TAB_RUNNING) : 0, known);
  set_tab_label (self->finished_tab, _("_Finished"),
                 known ? cd_job_list_get_tab_count (list, CD_JOB_TAB_FINISHED) : 0, known);
  set_tab_label (self->failed_tab, _("Fai_led"),
                 known ? cd_job_list_get_tab_count (list, CD_JOB_TAB_FAILED) : 0, known);
}

static guint
total_count (CdJobsPage *self)
{
  guint total = 0;

  for (CdJobTab tab = 0; tab <= CD_JOB_TAB_LAST; tab++)
    total += cd_job_list_get_tab_count (self->list, tab);
  return total;
}

static void
update_visible_page (CdJobsPage *self)
{
  gboolean filtered;
  CdJobTab tab;

  if (self->list == NULL || cd_job_list_get_loading (self->list))
    return;

  filtered = cd_job_list_is_filtered (self->list);
  tab = cd_job_list_get_tab (self->list);
  gtk_widget_set_visible (self->clear_filters_button, filtered);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    gtk_stack_set_visible_child_name (self->stack, "rows");
  else if (filtered)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    {
      if (total_count (self) == 0)
        {
          adw_status_page_set_title (self->empty_page, _("No Jobs Yet"));
          adw_status_page_set_description (self->empty_page,
            _("Certificate requests, installations, bundle downloads, keystore imports and "
              "checks are recorded here with their events and files, also when "
              "certdesk-cli runs them."));
        }
      else if (tab == CD_JOB_TAB_RUNNING)
        {
          adw_status_page_set_title (self->empty_page, _("Nothing Running"));
          adw_status_page_set_description (self->empty_page,
            _("Jobs that wait or run show here with their progress, and can be cancelled."));
        }
      else if (tab == CD_JOB_TAB_FINISHED)
        {
          adw_status_page_set_title (self->empty_page, _("No Finished Jobs"));
          adw_status_page_set_description (self->empty_page,
            _("Jobs that succeeded show here."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Failed Jobs"));
          adw_status_page_set_description (self->empty_page,
            _("Jobs that failed, were cancelled or were interrupted show here."));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.export-csv",
                                 !self->exporting &&
                                 g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0);
}

static void
on_list_loaded (CdJobsPage *self)
{
  /* another tab, filter or order starts at its top; a refresh leaves the list where it is */
  if (self->scroll_to_top && !cd_job_list_get_loading (self->list))
    {
      self->scroll_to_top = FALSE;
      if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
        gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u",
                                    0);
    }
  update_tabs (self);
  update_visible_page (self);
}

/* Cancel buttons belong to jobs that can still be cancelled. The column is taken out of the
 * other tabs, not hidden: its cells would be made for every row all the same. */
static void
show_cancel_column (CdJobsPage *self,
                    gboolean    show)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  gboolean shown = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      shown = shown || column == self->columns.cancel;
    }
  if (show && !shown)
    gtk_column_view_append_column (self->column_view, self->columns.cancel);
  else if (!show && shown)
    gtk_column_view_remove_column (self->column_view, self->columns.cancel);
}

static void
on_tab_toggled (CdJobsPage      *self,
                GtkToggleButton *button)
{
  CdJobTab tab;

  if (!gtk_toggle_button_get_active (button))
    return;
  tab = selected_tab (self);
  show_cancel_column (self, tab == CD_JOB_TAB_RUNNING);
  if (self->list != NULL)
    {
      self->scroll_to_top = TRUE;
      cd_job_list_set_tab (self->list, tab);
    }
}

/* Filters */

static void
apply_filters (CdJobsPage *self)
{
  guint instance = gtk_drop_down_get_selected (self->instance_dropdown);
  gint64 from, until;

  if (self->list == NULL)
    return;

  cd_job_date_range_get (gtk_drop_down_get_selected (self->date_dropdown),
                         self->from_calendar, self->until_calendar, &from, &until);
  self->scroll_to_top = TRUE;
  cd_job_list_set_group (self->list, gtk_drop_down_get_selected (self->group_dropdown));
  cd_job_list_set_instance_id (self->list,
                               instance < self->instance_ids->len
                                 ? g_array_index (self->instance_ids, gint64, instance) : 0);
  cd_job_list_set_date_range (self->list, from, until);
  cd_job_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_filter_changed (CdJobsPage *self)
{
  apply_filters (self);
}

static void
on_date_preset_changed (CdJobsPage *self)
{
  gboolean custom = gtk_drop_down_get_selected (self->date_dropdown) == CD_JOB_DATE_CUSTOM;

  gtk_widget_set_visible (GTK_WIDGET (self->custom_range_button), custom);
  if (custom)
    {
      cd_job_date_range_label (self->custom_range_button, self->from_calendar,
                               self->until_calendar);
      gtk_menu_button_popup (self->custom_range_button);
    }
  apply_filters (self);
}

static void
on_custom_range_apply (CdJobsPage *self)
{
  cd_job_date_range_label (self->custom_range_button, self->from_calendar,
                           self->until_calendar);
  gtk_popover_popdown (self->custom_range_popover);
  apply_filters (self);
}

static void
clear_filters_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CdJobsPage *self = CD_JOBS_PAGE (widget);

  gtk_drop_down_set_selected (self->group_dropdown, CD_JOB_GROUP_ALL);
  gtk_drop_down_set_selected (self->instance_dropdown, 0);
  gtk_drop_down_set_selected (self->date_dropdown, CD_JOB_DATE_ANY);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  apply_filters (self);
}

/* The instance filter follows the inventory: an instance added or renamed shows at once. */
static void
update_instances (CdJobsPage *self)
{
  GListModel *instances = self->inventory != NULL ? cd_inventory_get_instances (self->inventory)
                                                  : NULL;
  gint64 selected_id = 0;
  guint selected = gtk_drop_down_get_selected (self->instance_dropdown);
  guint n = instances != NULL ? g_list_model_get_n_items (instances) : 0;
  guint new_selected = 0;
  gint64 all = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (selected < self->instance_ids->len)
    selected_id = g_array_index (self->instance_ids, gint64, selected);

  g_array_set_size (self->instance_ids, 0);
  g_ptr_array_add (names, g_strdup (_("All Instances")));
  g_array_append_val (self->instance_ids, all);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdInstance) instance = g_list_model_get_item (instances, i);
      gint64 id = cd_instance_get_id (instance);

      g_ptr_array_add (names, g_strdup (cd_instance_get_name (instance)));
      g_array_append_val (self->instance_ids, id);
      if (id == selected_id)
        new_selected = i + 1;
    }
  g_ptr_array_add (names, NULL);

  g_signal_handlers_block_by_func (self->instance_dropdown, on_filter_changed, self);
  gtk_string_list_splice (self->instance_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->instance_names)),
                          (const char *const *) names->pdata);
  gtk_drop_down_set_selected (self->instance_dropdown, new_selected);
  g_signal_handlers_unblock_by_func (self->instance_dropdown, on_filter_changed, self);

  if (new_selected == 0 && selected_id != 0)
    apply_filters (self); /* the instance filtered by is gone */
}

/* Sorting: the column headers choose, the store sorts */

static void
on_sorter_changed (CdJobsPage *self)
{
  CdJobOrder order = CD_JOB_ORDER_CREATED;
  gboolean ascending = FALSE;

  if (!cd_job_columns_get_order (self->column_view, &order, &ascending))
    {
      order = CD_JOB_ORDER_CREATED;
      ascending = FALSE;
    }
  if (self->list != NULL)
    {
      self->scroll_to_top = TRUE;
      cd_job_list_set_order (self->list, order, ascending);
    }
}

/* Opening a job */

void
cd_jobs_page_open_position (CdJobsPage *self,
                            guint       position)
{
  g_autoptr(CdJob) job = NULL;
  GtkWidget *window;

  g_return_if_fail (CD_IS_JOBS_PAGE (self));

  if (self->list == NULL)
    return;
  job = g_list_model_get_item (G_LIST_MODEL (self->list), position);
  if (job == NULL || !cd_job_is_loaded (job))
    return;

  window = cd_job_window_new (job, self->list);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_row_activated (CdJobsPage *self,
                  guint       position)
{
  cd_jobs_page_open_position (self, position);
}

/* Cancel */

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CdJobsPage *self = CD_JOBS_PAGE (widget);
  CdJobRunner *runner = self->list != NULL ? cd_job_list_get_runner (self->list) : NULL;

  if (runner == NULL || !cd_job_runner_cancel (runner, g_variant_get_int64 (parameter)))
    add_toast (self, _("This job runs in another program, such as certdesk-cli: cancel it "
                       "there"));
}

/* Export */

static void
exported (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CdJobsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint n_jobs = 0;

  self->exporting = FALSE;
  if (!cd_job_export_csv_finish (result, &n_jobs, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Could not export the jobs: %s"), error->message);
    }
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u job",
                                          "Exported %u jobs", n_jobs), n_jobs);
  add_toast (self, title);
  update_visible_page (self);
}

static void
export_file_chosen (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  CdJobsPage *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CdJobQuery) query = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->list != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      query = cd_job_list_dup_query (self->list);
      self->exporting = TRUE;
      update_visible_page (self);
      cd_job_export_csv_async (cd_job_list_get_store (self->list), query, file,
                               self->cancellable, exported, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
export_csv_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CdJobsPage *self = CD_JOBS_PAGE (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "certdesk-jobs-%Y-%m-%d.csv");

  dialog = gtk_file_chooser_native_new (_("Export Jobs as CSV"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (export_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
focus_search_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  cd_jobs_page_focus_search (CD_JOBS_PAGE (widget));
}

void
cd_jobs_page_focus_search (CdJobsPage *self)
{
  g_return_if_fail (CD_IS_JOBS_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* A narrow window: the tabs above the search, the filters in a popover, Export as an icon */

void
cd_jobs_page_set_compact (CdJobsPage *self,
                          gboolean    compact)
{
  g_return_if_fail (CD_IS_JOBS_PAGE (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->top_row),
                                  compact ? GTK_ORIENTATION_VERTICAL
                                          : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (gtk_widget_get_first_child (GTK_WIDGET (self->top_row)),
                         compact ? GTK_ALIGN_CENTER : GTK_ALIGN_FILL);
  gtk_widget_set_visible (GTK_WIDGET (self->filters_button), compact);
  gtk_widget_set_margin_start (GTK_WIDGET (self->toolbar), compact ? 6 : 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->toolbar), compact ? 6 : 12);
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self->toolbar), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->toolbar), "compact");
  /* the kind and state columns give up their fixed room; the list scrolls sideways */
  gtk_column_view_column_set_fixed_width (self->columns.kind, compact ? -1 : 190);
  gtk_column_view_column_set_fixed_width (self->columns.state, compact ? -1 : 170);
  adw_button_content_set_label (self->export_content, compact ? "" : _("_Export as CSV…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (
                                    GTK_WIDGET (self->export_content))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export as CSV"), -1);

  g_object_ref (self->filters_box);
  if (compact)
    {
      gtk_box_remove (self->toolbar, GTK_WIDGET (self->filters_box));
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->filters_box),
                                      GTK_ORIENTATION_VERTICAL);
      gtk_popover_set_child (self->filters_popover, GTK_WIDGET (self->filters_box));
    }
  else
    {
      gtk_popover_set_child (self->filters_popover, NULL);
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->filters_box),
                                      GTK_ORIENTATION_HORIZONTAL);
      gtk_box_append (self->toolbar, GTK_WIDGET (self->filters_box));
    }
  g_object_unref (self->filters_box);
}

/* Watching: only while the page shows */

static void
update_watching (CdJobsPage *self)
{
  if (self->list != NULL)
    cd_job_list_set_watching (self->list, gtk_widget_get_mapped (GTK_WIDGET (self)),
                              WATCH_INTERVAL_MS);
}

static void
cd_jobs_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cd_jobs_page_parent_class)->map (widget);
  update_watching (CD_JOBS_PAGE (widget));
  /* what changed while the page was hidden */
  if (CD_JOBS_PAGE (widget)->list != NULL)
    cd_job_list_refresh (CD_JOBS_PAGE (widget)->list);
}

static void
cd_jobs_page_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cd_jobs_page_parent_class)->unmap (widget);
  update_watching (CD_JOBS_PAGE (widget));
}

void
cd_jobs_page_set_inventory (CdJobsPage  *self,
                            CdInventory *inventory)
{
  g_return_if_fail (CD_IS_JOBS_PAGE (self));
  g_return_if_fail (inventory == NULL || CD_IS_INVENTORY (inventory));

  if (self->inventory != NULL)
    g_signal_handlers_disconnect_by_data (cd_inventory_get_instances (self->inventory), self);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_set_object (&self->inventory, inventory);

  if (inventory != NULL)
    {
      self->list = cd_job_list_new (cd_inventory_get_store (inventory),
                                    cd_inventory_get_job_runner (inventory));
      g_signal_connect_swapped (self->list, "loaded", G_CALLBACK (on_list_loaded), self);
      g_signal_connect_swapped (cd_inventory_get_instances (inventory), "items-changed",
                                G_CALLBACK (update_instances), self);
      update_instances (self);
      cd_job_list_set_tab (self->list, selected_tab (self));
      on_sorter_changed (self);
      apply_filters (self);

      /* no selection: a GtkSingleSelection looks for its selected row among every row a new
       * tab or filter brings, which reads the whole history a page at a time; a row is opened
       * from the keyboard focus, not from a selection */
      self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      update_watching (self);
    }
  update_tabs (self);
}

CdJobList *
cd_jobs_page_get_list (CdJobsPage *self)
{
  g_return_val_if_fail (CD_IS_JOBS_PAGE (self), NULL);
  return self->list;
}

static void
cd_jobs_page_dispose (GObject *object)
{
  CdJobsPage *self = CD_JOBS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  cd_jobs_page_set_inventory (self, NULL);

  G_OBJECT_CLASS (cd_jobs_page_parent_class)->dispose (object);
}

static void
cd_jobs_page_finalize (GObject *object)
{
  CdJobsPage *self = CD_JOBS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->columns.cancel);
  g_clear_pointer (&self->instance_ids, g_array_unref);

  G_OBJECT_CLASS (cd_jobs_page_parent_class)->finalize (object);
}

static void
cd_jobs_page_class_init (CdJobsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_jobs_page_dispose;
  object_class->finalize = cd_jobs_page_finalize;
  widget_class->map = cd_jobs_page_map;
  widget_class->unmap = cd_jobs_page_unmap;

  /* Asks the window to show a toast: a page does not reach into its parent. */
  signals[SIGNAL_ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cd-jobs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, top_row);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, filters_box);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, filters_button);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, filters_popover);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, export_content);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, running_tab);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, finished_tab);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, failed_tab);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, instance_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, custom_range_button);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, custom_range_popover);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, until_calendar);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CdJobsPage, clear_filters_button);
  gtk_widget_class_bind_template_callback (widget_class, on_tab_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_date_preset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_range_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "jobs.cancel", "x", cancel_activated);
  gtk_widget_class_install_action (widget_class, "jobs.export-csv", NULL, export_csv_activated);
  gtk_widget_class_install_action (widget_class, "jobs.clear-filters", NULL,
                                   clear_filters_activated);
  gtk_widget_class_install_action (widget_class, "jobs.focus-search", NULL,
                                   focus_search_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "jobs.focus-search", NULL);
}

static GListModel *
string_list_new (const char *const *strings)
{
  return G_LIST_MODEL (gtk_string_list_new (strings));
}

static void
cd_jobs_page_init (CdJobsPage *self)
{
  const char *groups[CD_JOB_GROUP_LAST + 2] = { NULL };
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->instance_ids = g_array_new (FALSE, TRUE, sizeof (gint64));

  for (CdJobGroup group = 0; group <= CD_JOB_GROUP_LAST; group++)
    groups[group] = cd_job_group_get_title (group);
  gtk_drop_down_set_model (self->group_dropdown, string_list_new (groups));
  gtk_drop_down_set_model (self->date_dropdown, string_list_new (cd_job_date_range_titles ()));
  self->instance_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->instance_dropdown, G_LIST_MODEL (self->instance_names));
  g_object_unref (self->instance_names); /* the drop-down holds it */

  update_instances (self);

  cd_job_columns_add (self->column_view, &self->columns);
  /* kept while the other tabs take it out of the view */
  g_object_ref (self->columns.cancel);
  show_cancel_column (self, FALSE);
  sorter = gtk_column_view_get_sorter (self->column_view);
  g_signal_connect_swapped (sorter, "changed", G_CALLBACK (on_sorter_changed), self);

  update_tabs (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.export-csv", FALSE);
}
