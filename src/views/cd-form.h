// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Marks @row as in error and adds @error's message to @label, the place each dialog keeps
 * under its fields, one line per field. Errors on a field the user has not touched yet stay quiet:
 * an empty form is not a mistake. */
void cd_form_show_error (GtkWidget    *row,
                         GtkLabel     *label,
                         const GError *error,
                         gboolean      touched);

/* Clears what cd_form_show_error() set on @rows (NULL-terminated) and @label. */
void cd_form_clear_errors (GtkLabel   *label,
                           GtkWidget  *first_row,
                           ...) G_GNUC_NULL_TERMINATED;

/* While a save runs, the dialog @window shows it is working: @spinner turns, @form and
 * @save_button are insensitive, and Cancel and Escape do nothing: the answer must find the
 * dialog that asked, to close it or to say what went wrong. (The dialog also refuses
 * close-request meanwhile.) */
void cd_form_set_saving (GtkWindow  *window,
                         GtkWidget  *form,
                         GtkWidget  *save_button,
                         GtkSpinner *spinner,
                         gboolean    saving);

G_END_DECLS
