// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-preferences-window.h"

struct _CdPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  GtkAdjustment *expiring_adjustment;
  GtkAdjustment *critical_adjustment;
  GtkSwitch *retention_switch;
  GtkWidget *retention_days_row;
  GtkAdjustment *retention_adjustment;
};

G_DEFINE_FINAL_TYPE (CdPreferencesWindow, cd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Critical must stay within expiring: each bound follows the other value. */
static void
update_bounds (CdPreferencesWindow *self)
{
  gtk_adjustment_set_upper (self->critical_adjustment,
                            gtk_adjustment_get_value (self->expiring_adjustment));
  gtk_adjustment_set_lower (self->expiring_adjustment,
                            gtk_adjustment_get_value (self->critical_adjustment));
}

/* Retention: turning it on deletes jobs at once, so it is confirmed first. */

static void
set_retention_switch (CdPreferencesWindow *self,
                      gboolean             active);

static void
retention_confirmed (AdwMessageDialog    *dialog,
                     const char          *response,
                     CdPreferencesWindow *self)
{
  if (g_strcmp0 (response, "delete") == 0)
    g_settings_set_int (self->settings, "job-retention-days",
                        (int) gtk_adjustment_get_value (self->retention_adjustment));
  else
    set_retention_switch (self, FALSE);
  gtk_widget_set_sensitive (self->retention_days_row,
                            g_settings_get_int (self->settings, "job-retention-days") > 0);
}

static void
on_retention_switch_active (CdPreferencesWindow *self)
{
  guint days = (guint) gtk_adjustment_get_value (self->retention_adjustment);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!gtk_switch_get_active (self->retention_switch))
    {
      g_settings_set_int (self->settings, "job-retention-days", 0);
      gtk_widget_set_sensitive (self->retention_days_row, FALSE);
      return;
    }
  if (g_settings_get_int (self->settings, "job-retention-days") > 0)
    return;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Jobs that ended more than %u day ago will be deleted "
                                       "now, and from then on each time Certdesk starts, with "
                                       "their events and files. The newest CSR of each "
                                       "subdomain is kept.",
                                       "Jobs that ended more than %u days ago will be deleted "
                                       "now, and from then on each time Certdesk starts, with "
                                       "their events and files. The newest CSR of each "
                                       "subdomain is kept.", days),
                          days);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete Old Jobs?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Every Job"),
                                    "delete", _("_Delete Old Jobs"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (retention_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_retention_switch (CdPreferencesWindow *self,
                      gboolean             active)
{
  g_signal_handlers_block_by_func (self->retention_switch, on_retention_switch_active, self);
  gtk_switch_set_active (self->retention_switch, active);
  g_signal_handlers_unblock_by_func (self->retention_switch, on_retention_switch_active, self);
}

static void
on_retention_days_changed (CdPreferencesWindow *self)
{
  if (g_settings_get_int (self->settings, "job-retention-days") > 0)
    g_settings_set_int (self->settings, "job-retention-days",
                        (int) gtk_adjustment_get_value (self->retention_adjustment));
}

static void
cd_preferences_window_dispose (GObject *object)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cd_preferences_window_parent_class)->dispose (object);
}

static void
cd_preferences_window_class_init (CdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, expiring_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, critical_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, retention_switch);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, retention_days_row);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, retention_adjustment);
}

static void
cd_preferences_window_init (CdPreferencesWindow *self)
{
  int retention_days;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "expiring-days", self->expiring_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "critical-days", self->critical_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  update_bounds (self);
  g_signal_connect_object (self->expiring_adjustment, "value-changed",
                           G_CALLBACK (update_bounds), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->critical_adjustment, "value-changed",
                           G_CALLBACK (update_bounds), self, G_CONNECT_SWAPPED);

  retention_days = g_settings_get_int (self->settings, "job-retention-days");
  if (retention_days > 0)
    gtk_adjustment_set_value (self->retention_adjustment, retention_days);
  gtk_switch_set_active (self->retention_switch, retention_days > 0);
  gtk_widget_set_sensitive (self->retention_days_row, retention_days > 0);
  g_signal_connect_object (self->retention_switch, "notify::active",
                           G_CALLBACK (on_retention_switch_active), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->retention_adjustment, "value-changed",
                           G_CALLBACK (on_retention_days_changed), self, G_CONNECT_SWAPPED);
}

CdPreferencesWindow *
cd_preferences_window_new (void)
{
  return g_object_new (CD_TYPE_PREFERENCES_WINDOW, NULL);
}
