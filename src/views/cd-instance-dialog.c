// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-instance-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-center.h"
#include "cd-form.h"
#include "cd-instance-dialog.h"

struct _CdInstanceDialog
{
  AdwWindow parent_instance;

  CdInventory *inventory;
  CdInstance *instance;
  GCancellable *cancellable; /* cancelled when the dialog goes */
  gboolean saving;

  AdwPreferencesPage *form;
  AdwEntryRow *name_row;
  AdwEntryRow *url_row;
  AdwComboRow *data_center_row;
  GtkButton *save_button;
  GtkSpinner *saving_spinner;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (CdInstanceDialog, cd_instance_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
selected_data_center (CdInstanceDialog *self)
{
  CdDataCenter *dc = adw_combo_row_get_selected_item (self->data_center_row);

  return dc != NULL ? cd_data_center_get_code (dc) : NULL;
}

static gboolean
touched (AdwEntryRow *row)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "cd-touched"));
}

/* Checks every field, shows each problem, and says whether Save may go ahead. */
static gboolean
validate (CdInstanceDialog *self)
{
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) url_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;

  cd_form_clear_errors (self->error_label, GTK_WIDGET (self->name_row),
                        GTK_WIDGET (self->url_row), NULL);

  name = cd_inventory_check_instance_name (self->inventory,
                                           gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                           self->instance, &name_error);
  if (name == NULL)
    cd_form_show_error (GTK_WIDGET (self->name_row), self->error_label, name_error,
                        touched (self->name_row));

  url = cd_inventory_check_instance_url (self->inventory,
                                         gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                         &url_error);
  if (url == NULL)
    cd_form_show_error (GTK_WIDGET (self->url_row), self->error_label, url_error, TRUE);

  return name != NULL && url != NULL && selected_data_center (self) != NULL;
}

static void
on_changed (CdInstanceDialog *self,
            GObject          *sender)
{
  /* Templates set up their rows before the dialog has its inventory. */
  if (self->inventory == NULL || self->saving)
    return;

  if (ADW_IS_ENTRY_ROW (sender))
    g_object_set_data (sender, "cd-touched", GINT_TO_POINTER (TRUE));
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), validate (self));
}

static void
set_saving (CdInstanceDialog *self,
            gboolean          saving)
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
  g_autoptr(CdInstanceDialog) self = user_data;
  g_autoptr(CdInstance) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (self->instance == NULL)
    saved = cd_inventory_add_instance_finish (CD_INVENTORY (source), result, &error);
  else if (cd_inventory_update_instance_finish (CD_INVENTORY (source), result, &error))
    saved = g_object_ref (self->instance);

  /* destroyed meanwhile, with its parent window: the inventory has what was saved */
  if (self->cancellable == NULL)
    return;

  set_saving (self, FALSE);

  if (saved == NULL)
    {
      /* a name taken meanwhile, the database busy or read-only: say so beside the fields */
      cd_form_show_error (GTK_WIDGET (self->name_row), self->error_label, error, TRUE);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, saved);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_save (CdInstanceDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *data_center = selected_data_center (self);

  if (self->saving)
    return;

  g_object_set_data (G_OBJECT (self->name_row), "cd-touched", GINT_TO_POINTER (TRUE));
  if (!validate (self))
    return;

  set_saving (self, TRUE);
  if (self->instance == NULL)
    cd_inventory_add_instance_async (self->inventory, name, url, data_center, self->cancellable,
                                     saved_cb, g_object_ref (self));
  else
    cd_inventory_update_instance_async (self->inventory, self->instance, name, url, data_center,
                                        self->cancellable, saved_cb, g_object_ref (self));
}

static gboolean
cd_instance_dialog_close_request (GtkWindow *window)
{
  CdInstanceDialog *self = CD_INSTANCE_DIALOG (window);

  /* the save's answer must find the dialog, to close it or to show what went wrong */
  if (self->saving)
    return TRUE;

  if (GTK_WINDOW_CLASS (cd_instance_dialog_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (cd_instance_dialog_parent_class)->close_request (window);
  return FALSE;
}

static void
cd_instance_dialog_dispose (GObject *object)
{
  CdInstanceDialog *self = CD_INSTANCE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->inventory);
  g_clear_object (&self->instance);

  G_OBJECT_CLASS (cd_instance_dialog_parent_class)->dispose (object);
}

static void
cd_instance_dialog_class_init (CdInstanceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cd_instance_dialog_dispose;
  window_class->close_request = cd_instance_dialog_close_request;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);

  g_type_ensure (CD_TYPE_DATA_CENTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cd-instance-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CdInstanceDialog, form);
  gtk_widget_class_bind_template_child (widget_class, CdInstanceDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CdInstanceDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, CdInstanceDialog, data_center_row);
  gtk_widget_class_bind_template_child (widget_class, CdInstanceDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CdInstanceDialog, saving_spinner);
  gtk_widget_class_bind_template_child (widget_class, CdInstanceDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cd_instance_dialog_init (CdInstanceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  adw_combo_row_set_model (self->data_center_row, cd_data_center_catalog ());
}

CdInstanceDialog *
cd_instance_dialog_new (CdInventory *inventory,
                        CdInstance  *instance)
{
  CdInstanceDialog *self;

  g_return_val_if_fail (CD_IS_INVENTORY (inventory), NULL);
  g_return_val_if_fail (instance == NULL || CD_IS_INSTANCE (instance), NULL);

  self = g_object_new (CD_TYPE_INSTANCE_DIALOG, NULL);
  self->inventory = g_object_ref (inventory);
  self->instance = instance != NULL ? g_object_ref (instance) : NULL;

  if (instance != NULL)
    {
      guint position = cd_data_center_catalog_find (cd_instance_get_data_center (instance));

      gtk_window_set_title (GTK_WINDOW (self), _("Edit Instance"));
      gtk_button_set_label (self->save_button, _("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), cd_instance_get_name (instance));
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), cd_instance_get_url (instance));
      if (position != G_MAXUINT)
        adw_combo_row_set_selected (self->data_center_row, position);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Instance"));
      gtk_button_set_label (self->save_button, _("_Add"));
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), validate (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}
