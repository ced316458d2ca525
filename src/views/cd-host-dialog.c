// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-host-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-dns-name.h"
#include "cd-form.h"
#include "cd-host-dialog.h"

/* In the order of the purpose list in the template. */
static const char * const purposes[] = {
  CD_HOST_PURPOSE_TRACKING,
  CD_HOST_PURPOSE_MIRROR,
  CD_HOST_PURPOSE_RESOURCES,
  CD_HOST_PURPOSE_CUSTOM,
};

struct _CdHostDialog
{
  AdwWindow parent_instance;

  CdInventory *inventory;
  CdSubdomain *subdomain;
  CdHost *host;
  GCancellable *cancellable; /* cancelled when the dialog goes */
  gboolean touched;
  gboolean filling; /* the dialog, not the user, is writing the prefix */
  gboolean saving;

  AdwPreferencesPage *form;
  AdwPreferencesGroup *name_group;
  AdwActionRow *subdomain_row;
  AdwComboRow *purpose_row;
  AdwEntryRow *prefix_row;
  GtkButton *save_button;
  GtkSpinner *saving_spinner;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (CdHostDialog, cd_host_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
selected_purpose (CdHostDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->purpose_row);

  return selected < G_N_ELEMENTS (purposes) ? purposes[selected] : CD_HOST_PURPOSE_CUSTOM;
}

static gboolean
validate (CdHostDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *fqdn = NULL;
  g_autofree char *display = NULL;
  g_autofree char *hint = NULL;

  cd_form_clear_errors (self->error_label, GTK_WIDGET (self->prefix_row), NULL);

  prefix = cd_inventory_check_host_prefix (self->inventory, self->subdomain,
                                           gtk_editable_get_text (GTK_EDITABLE (self->prefix_row)),
                                           self->host, &error);
  if (prefix == NULL)
    {
      adw_preferences_group_set_description (self->name_group, NULL);
      cd_form_show_error (GTK_WIDGET (self->prefix_row), self->error_label, error, self->touched);
      return FALSE;
    }

  fqdn = g_strconcat (prefix, ".", cd_subdomain_get_name (self->subdomain), NULL);
  display = cd_dns_name_to_unicode (fqdn);
  /* TRANSLATORS: %s is a full host name such as t.mail.example.com */
  hint = g_strdup_printf (_("Host name: %s"), display);
  adw_preferences_group_set_description (self->name_group, hint);
  return TRUE;
}

static void
on_changed (CdHostDialog *self)
{
  /* Templates set up their rows before the dialog has its inventory. */
  if (self->inventory == NULL || self->saving)
    return;

  if (!self->filling)
    self->touched = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), validate (self));
}

static void
on_purpose_changed (CdHostDialog *self)
{
  const char *prefix = cd_host_purpose_get_default_prefix (selected_purpose (self));
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->prefix_row));
  gboolean is_default = *current == '\0';

  if (self->inventory == NULL || self->saving)
    return;

  /* Follow the purpose only while the prefix is one the dialog filled in. */
  for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
    if (g_strcmp0 (current, cd_host_purpose_get_default_prefix (purposes[i])) == 0)
      is_default = TRUE;

  if (is_default)
    {
      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->prefix_row), prefix != NULL ? prefix : "");
      self->filling = FALSE;
    }

  if (prefix == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->prefix_row));
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), validate (self));
}

static void
set_saving (CdHostDialog *self,
            gboolean      saving)
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
  g_autoptr(CdHostDialog) self = user_data;
  g_autoptr(CdHost) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (self->host == NULL)
    saved = cd_inventory_add_host_finish (CD_INVENTORY (source), result, &error);
  else if (cd_inventory_update_host_finish (CD_INVENTORY (source), result, &error))
    saved = g_object_ref (self->host);

  /* destroyed meanwhile, with its parent window: the inventory has what was saved */
  if (self->cancellable == NULL)
    return;

  set_saving (self, FALSE);

  if (saved == NULL)
    {
      /* a prefix taken meanwhile, the database busy or read-only: say so beside the field */
      cd_form_show_error (GTK_WIDGET (self->prefix_row), self->error_label, error, TRUE);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, saved);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_save (CdHostDialog *self)
{
  const char *prefix = gtk_editable_get_text (GTK_EDITABLE (self->prefix_row));

  if (self->saving)
    return;

  self->touched = TRUE;
  if (!validate (self))
    return;

  set_saving (self, TRUE);
  if (self->host == NULL)
    cd_inventory_add_host_async (self->inventory, self->subdomain, selected_purpose (self),
                                 prefix, self->cancellable, saved_cb, g_object_ref (self));
  else
    cd_inventory_update_host_async (self->inventory, self->host, selected_purpose (self), prefix,
                                    self->cancellable, saved_cb, g_object_ref (self));
}

static gboolean
cd_host_dialog_close_request (GtkWindow *window)
{
  CdHostDialog *self = CD_HOST_DIALOG (window);

  /* the save's answer must find the dialog, to close it or to show what went wrong */
  if (self->saving)
    return TRUE;

  if (GTK_WINDOW_CLASS (cd_host_dialog_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (cd_host_dialog_parent_class)->close_request (window);
  return FALSE;
}

static void
cd_host_dialog_dispose (GObject *object)
{
  CdHostDialog *self = CD_HOST_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->inventory);
  g_clear_object (&self->subdomain);
  g_clear_object (&self->host);

  G_OBJECT_CLASS (cd_host_dialog_parent_class)->dispose (object);
}

static void
cd_host_dialog_class_init (CdHostDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cd_host_dialog_dispose;
  window_class->close_request = cd_host_dialog_close_request;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cd-host-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, form);
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, name_group);
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, subdomain_row);
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, purpose_row);
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, saving_spinner);
  gtk_widget_class_bind_template_child (widget_class, CdHostDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_purpose_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cd_host_dialog_init (CdHostDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

CdHostDialog *
cd_host_dialog_new (CdInventory *inventory,
                    CdSubdomain *subdomain,
                    CdHost      *host)
{
  CdHostDialog *self;

  g_return_val_if_fail (CD_IS_INVENTORY (inventory), NULL);
  g_return_val_if_fail (CD_IS_SUBDOMAIN (subdomain), NULL);
  g_return_val_if_fail (host == NULL || CD_IS_HOST (host), NULL);

  self = g_object_new (CD_TYPE_HOST_DIALOG, NULL);
  self->inventory = g_object_ref (inventory);
  self->subdomain = g_object_ref (subdomain);
  self->host = host != NULL ? g_object_ref (host) : NULL;

  adw_action_row_set_subtitle (self->subdomain_row, cd_subdomain_get_display_name (subdomain));

  self->filling = TRUE;
  if (host != NULL)
    {
      g_autofree char *prefix = cd_dns_name_to_unicode (cd_host_get_prefix (host));

      gtk_window_set_title (GTK_WINDOW (self), _("Edit Host"));
      gtk_button_set_label (self->save_button, _("_Save"));
      for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
        if (g_str_equal (purposes[i], cd_host_get_purpose (host)))
          adw_combo_row_set_selected (self->purpose_row, i);
      gtk_editable_set_text (GTK_EDITABLE (self->prefix_row), prefix);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Host"));
      gtk_button_set_label (self->save_button, _("_Add"));
      /* The usual hosts are added with the subdomain: offer one that is missing. */
      for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
        {
          g_autoptr(GError) error = NULL;
          const char *prefix = cd_host_purpose_get_default_prefix (purposes[i]);
          g_autofree char *free_prefix = prefix != NULL
            ? cd_inventory_check_host_prefix (inventory, subdomain, prefix, NULL, &error)
            : NULL;

          if (prefix == NULL || free_prefix != NULL)
            {
              adw_combo_row_set_selected (self->purpose_row, i);
              gtk_editable_set_text (GTK_EDITABLE (self->prefix_row), prefix != NULL ? prefix : "");
              break;
            }
        }
    }
  self->filling = FALSE;
  self->touched = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), validate (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->prefix_row));
  return self;
}
