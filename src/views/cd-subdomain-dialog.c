// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-subdomain-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-dns-name.h"
#include "cd-form.h"
#include "cd-subdomain-dialog.h"

struct _CdSubdomainDialog
{
  AdwWindow parent_instance;

  CdInventory *inventory;
  CdInstance *instance;
  CdSubdomain *subdomain;
  GCancellable *cancellable; /* cancelled when the dialog goes */
  gboolean touched;
  gboolean saving;

  AdwPreferencesPage *form;
  AdwPreferencesGroup *name_group;
  AdwActionRow *instance_row;
  AdwEntryRow *name_row;
  AdwPreferencesGroup *hosts_group;
  AdwActionRow *tracking_row;
  AdwActionRow *mirror_row;
  AdwActionRow *resources_row;
  GtkCheckButton *tracking_check;
  GtkCheckButton *mirror_check;
  GtkCheckButton *resources_check;
  GtkButton *save_button;
  GtkSpinner *saving_spinner;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (CdSubdomainDialog, cd_subdomain_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_host_names (CdSubdomainDialog *self,
                 const char        *subdomain)
{
  struct { AdwActionRow *row; const char *purpose; } rows[] = {
    { self->tracking_row, CD_HOST_PURPOSE_TRACKING },
    { self->mirror_row, CD_HOST_PURPOSE_MIRROR },
    { self->resources_row, CD_HOST_PURPOSE_RESOURCES },
  };
  g_autofree char *display = subdomain != NULL ? cd_dns_name_to_unicode (subdomain) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *prefix = cd_host_purpose_get_default_prefix (rows[i].purpose);
      g_autofree char *host = g_strdup_printf ("%s.%s", prefix,
                                               display != NULL ? display : "…");
      adw_action_row_set_subtitle (rows[i].row, host);
    }
}

static gboolean
validate (CdSubdomainDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *display = NULL;
  g_autofree char *hint = NULL;

  cd_form_clear_errors (self->error_label, GTK_WIDGET (self->name_row), NULL);

  name = cd_inventory_check_subdomain_name (self->inventory,
                                            gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                            self->subdomain, &error);
  show_host_names (self, name);
  if (name == NULL)
    {
      adw_preferences_group_set_description (self->name_group, NULL);
      cd_form_show_error (GTK_WIDGET (self->name_row), self->error_label, error, self->touched);
      return FALSE;
    }

  /* Say how an internationalized name is written on the wire, as a CA will show it. */
  display = cd_dns_name_to_unicode (name);
  if (!g_str_equal (display, name))
    hint = g_strdup_printf (_("Stored as “%s”"), name);
  adw_preferences_group_set_description (self->name_group, hint);
  return TRUE;
}

static void
on_changed (CdSubdomainDialog *self)
{
  /* Templates set up their rows before the dialog has its inventory. */
  if (self->inventory == NULL || self->saving)
    return;

  self->touched = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), validate (self));
}

static void
set_saving (CdSubdomainDialog *self,
            gboolean           saving)
{
  self->saving = saving;
  cd_form_set_saving (GTK_WINDOW (self), GTK_WIDGET (self->form), GTK_WIDGET (self->save_button),
                      self->saving_spinner, saving);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CdSubdomainDialog) self = user_data;
  g_autoptr(CdSubdomain) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (self->subdomain == NULL)
    saved = cd_inventory_add_subdomain_finish (CD_INVENTORY (source), result, &error);
  else if (cd_inventory_rename_subdomain_finish (CD_INVENTORY (source), result, &error))
    saved = g_object_ref (self->subdomain);

  /* destroyed meanwhile, with its parent window: the inventory has what was saved */
  if (self->cancellable == NULL)
    return;

  set_saving (self, FALSE);

  if (saved == NULL)
    {
      /* a name taken meanwhile, the database busy or read-only: say so beside the field */
      cd_form_show_error (GTK_WIDGET (self->name_row), self->error_label, error, TRUE);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, saved);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_save (CdSubdomainDialog *self)
{
  g_autoptr(GPtrArray) purposes = g_ptr_array_new ();
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  if (self->saving)
    return;

  self->touched = TRUE;
  if (!validate (self))
    return;

  set_saving (self, TRUE);
  if (self->subdomain == NULL)
    {
      if (gtk_check_button_get_active (self->tracking_check))
        g_ptr_array_add (purposes, (gpointer) CD_HOST_PURPOSE_TRACKING);
      if (gtk_check_button_get_active (self->mirror_check))
        g_ptr_array_add (purposes, (gpointer) CD_HOST_PURPOSE_MIRROR);
      if (gtk_check_button_get_active (self->resources_check))
        g_ptr_array_add (purposes, (gpointer) CD_HOST_PURPOSE_RESOURCES);
      g_ptr_array_add (purposes, NULL);

      cd_inventory_add_subdomain_async (self->inventory, self->instance, name,
                                        (const char * const *) purposes->pdata,
                                        self->cancellable, saved_cb, g_object_ref (self));
    }
  else
    cd_inventory_rename_subdomain_async (self->inventory, self->subdomain, name,
                                         self->cancellable, saved_cb, g_object_ref (self));
}

static gboolean
cd_subdomain_dialog_close_request (GtkWindow *window)
{
  CdSubdomainDialog *self = CD_SUBDOMAIN_DIALOG (window);

  /* the save's answer must find the dialog, to close it or to show what went wrong */
  if (self->saving)
    return TRUE;

  if (GTK_WINDOW_CLASS (cd_subdomain_dialog_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (cd_subdomain_dialog_parent_class)->close_request (window);
  return FALSE;
}

static void
cd_subdomain_dialog_dispose (GObject *object)
{
  CdSubdomainDialog *self = CD_SUBDOMAIN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->inventory);
  g_clear_object (&self->instance);
  g_clear_object (&self->subdomain);

  G_OBJECT_CLASS (cd_subdomain_dialog_parent_class)->dispose (object);
}

static void
cd_subdomain_dialog_class_init (CdSubdomainDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cd_subdomain_dialog_dispose;
  window_class->close_request = cd_subdomain_dialog_close_request;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cd-subdomain-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, form);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, name_group);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, instance_row);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, hosts_group);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, tracking_row);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, mirror_row);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, resources_row);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, tracking_check);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, mirror_check);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, resources_check);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, saving_spinner);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cd_subdomain_dialog_init (CdSubdomainDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

CdSubdomainDialog *
cd_subdomain_dialog_new (CdInventory *inventory,
                         CdInstance  *instance,
                         CdSubdomain *subdomain)
{
  CdSubdomainDialog *self;

  g_return_val_if_fail (CD_IS_INVENTORY (inventory), NULL);
  g_return_val_if_fail (CD_IS_INSTANCE (instance), NULL);
  g_return_val_if_fail (subdomain == NULL || CD_IS_SUBDOMAIN (subdomain), NULL);

  self = g_object_new (CD_TYPE_SUBDOMAIN_DIALOG, NULL);
  self->inventory = g_object_ref (inventory);
  self->instance = g_object_ref (instance);
  self->subdomain = subdomain != NULL ? g_object_ref (subdomain) : NULL;

  adw_action_row_set_subtitle (self->instance_row, cd_instance_get_name (instance));

  if (subdomain != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Subdomain"));
      gtk_button_set_label (self->save_button, _("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                             cd_subdomain_get_display_name (subdomain));
      gtk_widget_set_visible (GTK_WIDGET (self->hosts_group), FALSE);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Subdomain"));
      gtk_button_set_label (self->save_button, _("_Add"));
    }

  self->touched = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), validate (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}
