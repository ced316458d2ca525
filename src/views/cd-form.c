// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-form"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-form.h"

void
cd_form_show_error (GtkWidget    *row,
                    GtkLabel     *label,
                    const GError *error,
                    gboolean      touched)
{
  g_return_if_fail (GTK_IS_WIDGET (row));
  g_return_if_fail (GTK_IS_LABEL (label));

  if (error == NULL || !touched)
    return;

  gtk_widget_add_css_class (row, "error");
  if (gtk_widget_get_visible (GTK_WIDGET (label)))
    {
      /* one line per field in error */
      g_autofree char *text = g_strconcat (gtk_label_get_text (label), "\n", error->message, NULL);
      gtk_label_set_text (label, text);
    }
  else
    gtk_label_set_text (label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               GTK_ACCESSIBLE_INVALID_TRUE, -1);
}

void
cd_form_clear_errors (GtkLabel  *label,
                      GtkWidget *first_row,
                      ...)
{
  va_list args;
  GtkWidget *row;

  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  gtk_label_set_text (label, "");

  va_start (args, first_row);
  for (row = first_row; row != NULL; row = va_arg (args, GtkWidget *))
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
  va_end (args);
}

void
cd_form_set_saving (GtkWindow  *window,
                    GtkWidget  *form,
                    GtkWidget  *save_button,
                    GtkSpinner *spinner,
                    gboolean    saving)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_WIDGET (form));
  g_return_if_fail (GTK_IS_WIDGET (save_button));
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  gtk_widget_set_sensitive (form, !saving);
  gtk_widget_set_sensitive (save_button, !saving);
  gtk_widget_set_visible (GTK_WIDGET (spinner), saving);
  gtk_spinner_set_spinning (spinner, saving);
  /* Cancel and Escape go through this action */
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "window.close", !saving);
  gtk_accessible_update_state (GTK_ACCESSIBLE (form), GTK_ACCESSIBLE_STATE_BUSY, saving, -1);
}
