// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The cells of the inventory's column view: name with expander and icon, kind, data center
 * and certificate status, each bound to its item's properties while it shows it. */

/* Binds the factories' setup, bind and unbind handlers ("name_setup", "status_bind", ...) that
 * a template names, for the widget class whose template holds the column view. */
void        cd_inventory_cells_bind_template_callbacks (GtkWidgetClass *widget_class);

/* The CdInstance, CdSubdomain or CdHost of a row, owned by the row while it lives. */
GObject    *cd_inventory_row_get_item                  (GtkTreeListRow *row);

/* "Instance", "Subdomain", or the purpose of a host ("Tracking"), translated. */
const char *cd_inventory_item_get_kind_label           (GObject        *item);

G_END_DECLS
