// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cd-application.h"
#include "cd-preferences-window.h"
#include "cd-window.h"

struct _CdApplication
{
  AdwApplication parent_instance;

  gboolean demo;
  char *demo_dir; /* the throwaway data directory of --demo, removed at exit */
};

G_DEFINE_FINAL_TYPE (CdApplication, cd_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start with a sample inventory in a throwaway folder, leaving your data untouched"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static gint
cd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CdApplication *self = CD_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      /* A demo runs beside a Certdesk that is already open, never inside it. */
      self->demo = TRUE;
      g_application_set_flags (application,
                                g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static char *
make_demo_path (CdApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->demo_dir == NULL)
    self->demo_dir = g_dir_make_tmp ("certdesk-demo-XXXXXX", &error);
  if (self->demo_dir == NULL)
    {
      g_warning ("Cannot create a folder for the demo: %s", error->message);
      return NULL;
    }

  return g_build_filename (self->demo_dir, "certdesk.db", NULL);
}

static void
cd_application_activate (GApplication *application)
{
  CdApplication *self = CD_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));
  g_autofree char *path = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  path = self->demo ? make_demo_path (self) : cd_inventory_get_default_path ();
  window = GTK_WINDOW (cd_window_new (application));
  if (path != NULL)
    cd_window_open_inventory (CD_WINDOW (window), path, self->demo);
  gtk_window_present (window);
}

static void
remove_demo_dir (CdApplication *self)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (self->demo_dir == NULL)
    return;

  /* The demo folder holds only the database and its journal files. */
  dir = g_dir_open (self->demo_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (self->demo_dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (self->demo_dir);
  g_clear_pointer (&self->demo_dir, g_free);
}

static void
cd_application_shutdown (GApplication *application)
{
  CdApplication *self = CD_APPLICATION (application);

  G_APPLICATION_CLASS (cd_application_parent_class)->shutdown (application);
  remove_demo_dir (self);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (application);
  GtkWindow *preferences = GTK_WINDOW (cd_preferences_window_new ());

  gtk_window_set_transient_for (preferences, parent);
  gtk_window_present (preferences);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (application);
  static const char *developers[] = { "The Certdesk developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Certdesk"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Certdesk developers"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/certdesk/certdesk",
                         "issue-url", "https://github.com/certdesk/certdesk/issues",
                         "copyright", "© 2026 The Certdesk developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* TRANSLATORS: your name(s), one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (application);

  /* Closing each window lets it save its size and state. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_close (GTK_WINDOW (windows->data));
      windows = next;
    }
}

static const GActionEntry app_actions[] = {
  { .name = "preferences", .activate = preferences_activated },
  { .name = "about", .activate = about_activated },
  { .name = "quit", .activate = quit_activated },
};

static void
cd_application_startup (GApplication *application)
{
  GtkApplication *gtk_application = GTK_APPLICATION (application);

  G_APPLICATION_CLASS (cd_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (gtk_application, "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (gtk_application, "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (gtk_application, "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
  gtk_application_set_accels_for_action (gtk_application, "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
cd_application_finalize (GObject *object)
{
  CdApplication *self = CD_APPLICATION (object);

  remove_demo_dir (self);

  G_OBJECT_CLASS (cd_application_parent_class)->finalize (object);
}

static void
cd_application_class_init (CdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cd_application_finalize;
  app_class->handle_local_options = cd_application_handle_local_options;
  app_class->activate = cd_application_activate;
  app_class->startup = cd_application_startup;
  app_class->shutdown = cd_application_shutdown;
}

static void
cd_application_init (CdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

CdApplication *
cd_application_new (void)
{
  return g_object_new (CD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
