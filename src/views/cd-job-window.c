// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-job-columns.h"
#include "cd-job-details.h"
#include "cd-job-window.h"

/* Events of a busy job come in bursts: one read of the details for a burst. */
#define RELOAD_DELAY_MS 250
/* A job of a whole inventory's checks can log thousands of events: the newest are shown, the
 * command line lists every one. */
#define MAX_EVENTS_SHOWN 1000

struct _CdJobWindow
{
  AdwWindow parent_instance;

  CdJob *job;
  CdJobList *list;
  CdJobDetails *details;
  GCancellable *cancellable;
  guint reload_source;
  guint tick_source;
  gboolean loading;
  gboolean reload_again;
  gulong event_handler;
  gulong progress_handler;
  gulong state_handler;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *state_label;
  GtkWidget *cancel_button;
  GtkProgressBar *progress_bar;
  GtkLabel *step_label;
  GtkLabel *elapsed_label;
  AdwPreferencesGroup *outcome_group;
  GtkLabel *message_label;
  GtkLabel *action_label;
  AdwPreferencesGroup *artifacts_group;
  AdwPreferencesGroup *summary_group;
  AdwPreferencesGroup *parameters_group;
  AdwPreferencesGroup *timeline_group;
  GtkListBox *artifacts_box;
  GtkListBox *summary_box;
  GtkListBox *parameters_box;
  GtkListBox *timeline_box;
};

G_DEFINE_FINAL_TYPE (CdJobWindow, cd_job_window, ADW_TYPE_WINDOW)

static void reload (CdJobWindow *self);

static void
add_toast (CdJobWindow *self,
           const char  *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static GtkListBox *
add_list_box (AdwPreferencesGroup *group)
{
  GtkWidget *box = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (box, "boxed-list");
  adw_preferences_group_add (group, box);
  return GTK_LIST_BOX (box);
}

static void
clear_list_box (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

/* A row of a title and a value that a person may select and copy. */
static void
add_value_row (GtkListBox *box,
               const char *title,
               const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* read, not stops for Tab: the keys go from button to button */
  gtk_widget_set_focusable (row, FALSE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  gtk_list_box_append (box, row);
}

static void
add_time_row (GtkListBox *box,
              const char *title,
              gint64      time)
{
  g_autofree char *text = NULL;

  if (time == 0)
    return;
  text = cd_job_format_time (time);
  add_value_row (box, title, text);
}

/* Status: live while the job runs */

static void
update_elapsed (CdJobWindow *self)
{
  g_autofree char *text = NULL;
  gint64 started = cd_job_get_started (self->job);

  if (started != 0)
    text = cd_record_format_duration (cd_job_get_duration (self->job, g_get_real_time ()),
                                      FALSE);
  gtk_label_set_label (self->elapsed_label, text != NULL ? text : "");
  if (cd_job_get_progress (self->job) < 0 &&
      g_strcmp0 (cd_job_get_state (self->job), CD_JOB_STATE_RUNNING) == 0)
    gtk_progress_bar_pulse (self->progress_bar);
}

static gboolean
tick (gpointer user_data)
{
  update_elapsed (CD_JOB_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
update_status (CdJobWindow *self)
{
  const char *state = cd_job_get_state (self->job);
  gboolean active = cd_job_is_active (self->job);
  gboolean running = g_strcmp0 (state, CD_JOB_STATE_RUNNING) == 0;
  const char *step = cd_job_get_step (self->job);

  cd_job_state_label_set (self->state_label, state);
  gtk_widget_set_visible (self->cancel_button, active);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  if (running && cd_job_get_progress (self->job) >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, cd_job_get_progress (self->job));
  gtk_label_set_label (self->step_label, running && step != NULL ? step : "");
  gtk_widget_set_visible (GTK_WIDGET (self->step_label), running);
  /* how long it took is among the details once it has ended */
  gtk_widget_set_visible (GTK_WIDGET (self->elapsed_label), running);
  update_elapsed (self);

  if (running && self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, tick, self);
  else if (!running)
    g_clear_handle_id (&self->tick_source, g_source_remove);
}

/* Artifacts: Download and Copy */

static const CdJobArtifactRecord *
artifact_for_button (CdJobWindow *self,
                     GtkWidget   *button)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cd-artifact"));

  if (self->details == NULL || index >= self->details->artifacts->len)
    return NULL;
  return g_ptr_array_index (self->details->artifacts, index);
}

typedef struct
{
  CdJobWindow *window;
  char        *name;  /* the file's name, as the toast says it */
} Saving;

static void
saving_free (Saving *saving)
{
  g_object_unref (saving->window);
  g_free (saving->name);
  g_free (saving);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Saving, saving_free)

static void
artifact_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Saving) saving = user_data;
  CdJobWindow *self = saving->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  if (!cd_job_artifact_save_finish (result, &error))
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Could not save the file: %s"), error->message);
      add_toast (self, title);
      return;
    }
  /* Translators: a toast once a job's file is written; %s is the file's name */
  saved = g_strdup_printf (_("Saved “%s”"), saving->name);
  add_toast (self, saved);
}

static void
download_file_chosen (GtkNativeDialog *dialog,
                      int              response,
                      gpointer         user_data)
{
  CdJobWindow *self = CD_JOB_WINDOW (user_data);
  const CdJobArtifactRecord *artifact =
    g_object_get_data (G_OBJECT (dialog), "cd-artifact-record");

  if (response == GTK_RESPONSE_ACCEPT && artifact != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      Saving *saving = g_new0 (Saving, 1);

      saving->window = g_object_ref (self);
      saving->name = g_file_get_basename (file);
      cd_job_artifact_save_async (artifact, file, self->cancellable, artifact_saved, saving);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_download_clicked (GtkWidget   *button,
                     CdJobWindow *self)
{
  const CdJobArtifactRecord *artifact = artifact_for_button (self, button);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (artifact == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Download File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* the stored name is a file name offered, not a path: no folder part comes with it */
  name = g_path_get_basename (artifact->name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  /* the details may be read again while the dialog is open: it keeps a copy */
  g_object_set_data_full (G_OBJECT (dialog), "cd-artifact-record", cd_job_artifact_record_copy (artifact),
                          (GDestroyNotify) cd_job_artifact_record_free);
  g_signal_connect (dialog, "response", G_CALLBACK (download_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
artifact_read_for_copy (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CdJobWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cd_job_artifact_read_finish (result, &error);
  g_autofree char *text = NULL;
  gsize size;
  const char *data;

  if (bytes == NULL)
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Could not copy the file: %s"), error->message);
      add_toast (self, title);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (!g_utf8_validate_len (data, size, NULL))
    {
      add_toast (self, _("This file is not text: download it instead"));
      return;
    }
  text = g_strndup (data, size);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  add_toast (self, _("Copied to the clipboard"));
}

static void
on_copy_clicked (GtkWidget   *button,
                 CdJobWindow *self)
{
  const CdJobArtifactRecord *artifact = artifact_for_button (self, button);

  if (artifact != NULL)
    cd_job_artifact_read_async (artifact, self->cancellable, artifact_read_for_copy,
                                g_object_ref (self));
}

static GtkWidget *
artifact_button (CdJobWindow *self,
                 const char  *icon_name,
                 const char  *tooltip,
                 const char  *accessible_name,
                 guint        index,
                 GCallback    callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  g_object_set_data (G_OBJECT (button), "cd-artifact", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static void
fill_artifacts (CdJobWindow *self)
{
  GPtrArray *artifacts = self->details->artifacts;

  clear_list_box (self->artifacts_box);
  gtk_widget_set_visible (GTK_WIDGET (self->artifacts_group), artifacts->len > 0);

  for (guint i = 0; i < artifacts->len; i++)
    {
      const CdJobArtifactRecord *artifact = g_ptr_array_index (artifacts, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *size = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *download_name = NULL;
      g_autofree char *copy_name = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), artifact->name);
      gtk_widget_set_focusable (row, FALSE);
      if (artifact->content != NULL)
        {
          size = g_format_size (g_bytes_get_size (artifact->content));
          /* Translators: an artifact's media type and its size, "application/pkcs10 · 1.0 kB" */
          subtitle = g_strdup_printf (_("%s · %s"), artifact->media_type, size);
        }
      else
        /* Translators: an artifact kept as a file; %s is its path */
        subtitle = g_strdup_printf (_("File at %s"), artifact->path);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      /* Translators: the accessible name of a file's Download button; %s is the file's name */
      download_name = g_strdup_printf (_("Download %s"), artifact->name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 artifact_button (self, "document-save-symbolic", _("Download…"),
                                                  download_name, i,
                                                  G_CALLBACK (on_download_clicked)));
      if (cd_job_artifact_is_text (artifact))
        {
          /* Translators: the accessible name of a file's Copy button; %s is the file's name */
          copy_name = g_strdup_printf (_("Copy %s"), artifact->name);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     artifact_button (self, "edit-copy-symbolic", _("Copy"),
                                                      copy_name, i,
                                                      G_CALLBACK (on_copy_clicked)));
        }
      gtk_list_box_append (self->artifacts_box, row);
    }
}

/* Details, parameters and timeline */

static void
fill_summary (CdJobWindow *self)
{
  const CdJobRecord *job = self->details->job;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  g_autofree char *target = NULL;

  clear_list_box (self->summary_box);
  add_value_row (self->summary_box, _("Kind"), cd_job_kind_get_title (job->kind));
  if (job->target_type != NULL && job->target_type[0] != '\0')
    /* Translators: a job's target and what it is, "t.brand.com (Host)" */
    target = g_strdup_printf (_("%s (%s)"), job->target,
                              cd_job_target_type_get_title (job->target_type));
  add_value_row (self->summary_box, _("Target"), target != NULL ? target : job->target);
  add_value_row (self->summary_box, _("Initiated By"), cd_job_initiator_get_title (job->initiator));
  add_time_row (self->summary_box, _("Started"), job->created);
  add_time_row (self->summary_box, _("Began Running"), job->started);
  add_time_row (self->summary_box, _("Ended"), job->finished);
  if (job->started != 0 && job->finished != 0)
    {
      g_autofree char *duration =
        cd_record_format_duration (job->finished - job->started, FALSE);

      add_value_row (self->summary_box, _("Duration"), duration);
    }
  /* Translators: the job's number, as certdesk-cli jobs show takes it */
  add_value_row (self->summary_box, _("Job Number"), number);
}

static void
fill_parameters (CdJobWindow *self)
{
  GVariant *parameters = self->details->job->parameters;
  GVariantIter iter;
  const char *name, *value;
  guint n = 0;

  clear_list_box (self->parameters_box);
  if (parameters != NULL && g_variant_is_of_type (parameters, G_VARIANT_TYPE ("a{ss}")))
    {
      g_variant_iter_init (&iter, parameters);
      while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
        {
          add_value_row (self->parameters_box, name, value);
          n++;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->parameters_group), n > 0);
}

static const char *
event_icon_name (const char *level)
{
  if (g_strcmp0 (level, "error") == 0)
    return "dialog-error-symbolic";
  if (g_strcmp0 (level, "warning") == 0)
    return "dialog-warning-symbolic";
  return "dialog-information-symbolic";
}

static void
fill_timeline (CdJobWindow *self)
{
  GPtrArray *events = self->details->events;
  guint first = events->len > MAX_EVENTS_SHOWN ? events->len - MAX_EVENTS_SHOWN : 0;

  clear_list_box (self->timeline_box);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline_group), events->len > 0);
  if (first > 0)
    {
      g_autofree char *description =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "The newest %u events; %u earlier one is listed by "
                                      "certdesk-cli jobs show.",
                                      "The newest %u events; %u earlier ones are listed by "
                                      "certdesk-cli jobs show.", first),
                         MAX_EVENTS_SHOWN, first);

      adw_preferences_group_set_description (self->timeline_group, description);
    }
  else
    adw_preferences_group_set_description (self->timeline_group, NULL);

  for (guint i = first; i < events->len; i++)
    {
      const CdJobEventRecord *event = g_ptr_array_index (events, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (event_icon_name (event->level));
      g_autofree char *time = cd_job_format_time (event->time);
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->message);
      gtk_widget_set_focusable (row, FALSE);
      /* Translators: an event's time and level, "2026-12-06 16:22:05 · Warning" */
      subtitle = g_strdup_printf (_("%s · %s"), time, cd_job_event_level_get_title (event->level));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (icon, event->level);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cd_job_event_level_get_title (event->level), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->timeline_box, row);
    }
}

static void
fill_outcome (CdJobWindow *self)
{
  const CdJobRecord *job = self->details->job;
  gboolean has_message = job->message != NULL && job->message[0] != '\0';
  gboolean has_action = job->error_action != NULL && job->error_action[0] != '\0';
  g_autofree char *action = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->outcome_group), has_message || has_action);
  gtk_label_set_label (self->message_label, has_message ? job->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), has_message);
  if (has_action)
    /* Translators: what a person can do about a failed job */
    action = g_strdup_printf (_("What to do: %s"), job->error_action);
  gtk_label_set_label (self->action_label, action != NULL ? action : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_label), has_action);
}

static void
details_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CdJobWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CdJobDetails *details = cd_job_details_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;

  if (details == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not read the job: %s"), error->message);

      add_toast (self, title);
    }
  else
    {
      g_clear_pointer (&self->details, cd_job_details_free);
      self->details = details;
      cd_job_update (self->job, details->job);
      fill_outcome (self);
      fill_artifacts (self);
      fill_summary (self);
      fill_parameters (self);
      fill_timeline (self);
    }

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      reload (self);
    }
}

static void
reload (CdJobWindow *self)
{
  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  self->loading = TRUE;
  cd_job_details_load_async (cd_job_list_get_store (self->list), cd_job_get_id (self->job),
                             self->cancellable, details_loaded, g_object_ref (self));
}

static gboolean
reload_timeout (gpointer user_data)
{
  CdJobWindow *self = user_data;

  self->reload_source = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (CdJobWindow *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_timeout, self);
}

static void
on_job_notify (CdJobWindow *self,
               GParamSpec  *pspec)
{
  update_status (self);
  /* a new state brings an outcome, files and events */
  if (g_strcmp0 (pspec->name, "state") == 0)
    schedule_reload (self);
}

static void
on_runner_event (CdJobWindow *self,
                 gint64       job_id)
{
  if (job_id == cd_job_get_id (self->job))
    schedule_reload (self);
}

static void
on_runner_progress (CdJobWindow *self,
                    gint64       job_id,
                    double       fraction,
                    const char  *step)
{
  if (job_id == cd_job_get_id (self->job))
    cd_job_set_progress (self->job, fraction, step);
}

/* The list re-reads the store when another process wrote: a job of certdesk-cli has new
 * events then. */
static void
on_list_loaded (CdJobWindow *self)
{
  if (cd_job_is_active (self->job))
    schedule_reload (self);
}

static void
on_cancel_clicked (CdJobWindow *self)
{
  CdJobRunner *runner = cd_job_list_get_runner (self->list);

  if (runner == NULL || !cd_job_runner_cancel (runner, cd_job_get_id (self->job)))
    add_toast (self, _("This job runs in another program, such as certdesk-cli: cancel it "
                       "there"));
}

gint64
cd_job_window_get_job_id (CdJobWindow *self)
{
  g_return_val_if_fail (CD_IS_JOB_WINDOW (self), 0);
  return cd_job_get_id (self->job);
}

gboolean
cd_job_window_is_loaded (CdJobWindow *self)
{
  g_return_val_if_fail (CD_IS_JOB_WINDOW (self), FALSE);
  return self->details != NULL && !self->loading;
}

static void
cd_job_window_dispose (GObject *object)
{
  CdJobWindow *self = CD_JOB_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  if (self->list != NULL)
    {
      CdJobRunner *runner = cd_job_list_get_runner (self->list);

      g_signal_handlers_disconnect_by_data (self->list, self);
      if (runner != NULL)
        {
          g_clear_signal_handler (&self->event_handler, runner);
          g_clear_signal_handler (&self->progress_handler, runner);
          g_clear_signal_handler (&self->state_handler, runner);
        }
    }
  g_clear_object (&self->job);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (cd_job_window_parent_class)->dispose (object);
}

static void
cd_job_window_finalize (GObject *object)
{
  CdJobWindow *self = CD_JOB_WINDOW (object);

  g_clear_pointer (&self->details, cd_job_details_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cd_job_window_parent_class)->finalize (object);
}

static void
cd_job_window_class_init (CdJobWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_job_window_dispose;
  object_class->finalize = cd_job_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/cd-job-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, outcome_group);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, action_label);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, artifacts_group);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, summary_group);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, parameters_group);
  gtk_widget_class_bind_template_child (widget_class, CdJobWindow, timeline_group);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
cd_job_window_init (CdJobWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->artifacts_box = add_list_box (self->artifacts_group);
  self->summary_box = add_list_box (self->summary_group);
  self->parameters_box = add_list_box (self->parameters_group);
  self->timeline_box = add_list_box (self->timeline_group);
  gtk_widget_set_visible (GTK_WIDGET (self->artifacts_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->parameters_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline_group), FALSE);
}

static CdJob *
job_copy (CdJob *job)
{
  CdJobRecord record = {
    .id = cd_job_get_id (job),
    .kind = (char *) cd_job_get_kind (job),
    .target_type = (char *) cd_job_get_target_type (job),
    .target = (char *) cd_job_get_target (job),
    .instance_id = cd_job_get_instance_id (job),
    .initiator = (char *) cd_job_get_initiator (job),
    .parameters = cd_job_get_parameters (job),
    .state = (char *) cd_job_get_state (job),
    .created = cd_job_get_created (job),
    .started = cd_job_get_started (job),
    .finished = cd_job_get_finished (job),
    .progress = cd_job_get_progress (job),
    .step = (char *) cd_job_get_step (job),
    .message = (char *) cd_job_get_message (job),
    .error_action = (char *) cd_job_get_error_action (job),
  };

  return cd_job_new_from_record (&record);
}

GtkWidget *
cd_job_window_new (CdJob     *job,
                   CdJobList *list)
{
  CdJobWindow *self;
  CdJobRunner *runner;
  g_autofree char *title = NULL;

  g_return_val_if_fail (CD_IS_JOB (job) && cd_job_is_loaded (job), NULL);
  g_return_val_if_fail (CD_IS_JOB_LIST (list), NULL);

  self = g_object_new (CD_TYPE_JOB_WINDOW, NULL);
  /* a job of its own: a row of the list may show another job after a new filter */
  self->job = job_copy (job);
  self->list = g_object_ref (list);

  title = g_strdup (cd_job_kind_get_title (cd_job_get_kind (job)));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, cd_job_get_target (job));

  g_signal_connect_swapped (job, "notify", G_CALLBACK (on_job_notify), self);
  g_signal_connect_swapped (list, "loaded", G_CALLBACK (on_list_loaded), self);
  runner = cd_job_list_get_runner (list);
  if (runner != NULL)
    {
      self->event_handler = g_signal_connect_swapped (runner, "job-event",
                                                      G_CALLBACK (on_runner_event), self);
      self->progress_handler = g_signal_connect_swapped (runner, "job-progress",
                                                         G_CALLBACK (on_runner_progress), self);
      self->state_handler = g_signal_connect_swapped (runner, "job-state-changed",
                                                      G_CALLBACK (on_runner_event), self);
    }
  update_status (self);
  reload (self);
  return GTK_WIDGET (self);
}
