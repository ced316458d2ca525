// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-inventory-cells"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-inventory.h"
#include "cd-inventory-cells.h"
#include "cd-status-label.h"

const char *
cd_inventory_item_get_kind_label (GObject *item)
{
  if (CD_IS_INSTANCE (item))
    return _("Instance");
  if (CD_IS_SUBDOMAIN (item))
    return _("Subdomain");
  return cd_host_get_purpose_label (CD_HOST (item));
}

static void
unbind_bindings (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GPtrArray *bindings = g_object_get_data (G_OBJECT (list_item), "cd-bindings");

  if (bindings != NULL)
    g_ptr_array_set_size (bindings, 0);
}

static void
add_binding (GtkListItem *list_item,
             GBinding    *binding)
{
  GPtrArray *bindings = g_object_get_data (G_OBJECT (list_item), "cd-bindings");

  if (bindings == NULL)
    {
      bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_binding_unbind);
      g_object_set_data_full (G_OBJECT (list_item), "cd-bindings", bindings,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  g_ptr_array_add (bindings, binding);
}

/* The item of a row, owned by the row for as long as the row lives. */
GObject *
cd_inventory_row_get_item (GtkTreeListRow *row)
{
  GObject *item = g_object_get_data (G_OBJECT (row), "cd-item");

  if (item == NULL)
    {
      item = gtk_tree_list_row_get_item (row);
      g_object_set_data_full (G_OBJECT (row), "cd-item", item, g_object_unref);
    }
  return item;
}

static void
name_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
name_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  GObject *item = cd_inventory_row_get_item (row);
  const char *icon_name;
  const char *property = "display-name";

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);

  if (CD_IS_INSTANCE (item))
    {
      icon_name = "network-server-symbolic";
      property = "name";
      gtk_widget_add_css_class (label, "heading");
    }
  else
    {
      icon_name = CD_IS_SUBDOMAIN (item) ? "web-browser-symbolic" : "network-wired-symbolic";
      gtk_widget_remove_css_class (label, "heading");
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  add_binding (list_item, g_object_bind_property (item, property, label, "label",
                                                  G_BINDING_SYNC_CREATE));
}

static void
label_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (list_item, label);
}

static void
kind_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GObject *item = cd_inventory_row_get_item (gtk_list_item_get_item (list_item));
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (CD_IS_HOST (item))
    add_binding (list_item, g_object_bind_property (item, "purpose-label", label, "label",
                                                    G_BINDING_SYNC_CREATE));
  else
    gtk_label_set_label (GTK_LABEL (label), cd_inventory_item_get_kind_label (item));
}

static void
data_center_bind (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GObject *item = cd_inventory_row_get_item (gtk_list_item_get_item (list_item));
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (CD_IS_INSTANCE (item))
    add_binding (list_item, g_object_bind_property (item, "data-center-title", label, "label",
                                                    G_BINDING_SYNC_CREATE));
  else
    gtk_label_set_label (GTK_LABEL (label), NULL);
}

static void
status_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *status = cd_status_label_new ();

  gtk_widget_set_halign (status, GTK_ALIGN_START);
  gtk_list_item_set_child (list_item, status);
}

static void
status_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GObject *item = cd_inventory_row_get_item (gtk_list_item_get_item (list_item));
  GtkWidget *status = gtk_list_item_get_child (list_item);

  add_binding (list_item, g_object_bind_property (item, "status", status, "status",
                                                  G_BINDING_SYNC_CREATE));
}

void
cd_inventory_cells_bind_template_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, name_setup);
  gtk_widget_class_bind_template_callback (widget_class, name_bind);
  gtk_widget_class_bind_template_callback (widget_class, label_setup);
  gtk_widget_class_bind_template_callback (widget_class, kind_bind);
  gtk_widget_class_bind_template_callback (widget_class, data_center_bind);
  gtk_widget_class_bind_template_callback (widget_class, status_setup);
  gtk_widget_class_bind_template_callback (widget_class, status_bind);
  gtk_widget_class_bind_template_callback (widget_class, unbind_bindings);
}
