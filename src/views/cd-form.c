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
