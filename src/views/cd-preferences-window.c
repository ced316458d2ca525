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
}

static void
cd_preferences_window_init (CdPreferencesWindow *self)
{
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
}

CdPreferencesWindow *
cd_preferences_window_new (void)
{
  return g_object_new (CD_TYPE_PREFERENCES_WINDOW, NULL);
}
