// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-data-centers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-center.h"
#include "cd-data-centers-page.h"

struct _CdDataCentersPage
{
  AdwBin parent_instance;

  CdInventory *inventory;
  GHashTable *rows; /* data center code -> AdwActionRow */

  AdwPreferencesPage *page;
};

G_DEFINE_FINAL_TYPE (CdDataCentersPage, cd_data_centers_page, ADW_TYPE_BIN)

static void
update_usage (CdDataCentersPage *self)
{
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  GListModel *instances;
  GHashTableIter iter;
  gpointer code, row;
  guint n;

  if (self->inventory == NULL)
    return;

  instances = cd_inventory_get_instances (self->inventory);
  n = g_list_model_get_n_items (instances);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdInstance) instance = g_list_model_get_item (instances, i);
      const char *dc = cd_instance_get_data_center (instance);
      GPtrArray *names = g_hash_table_lookup (users, dc);

      if (names == NULL)
        {
          names = g_ptr_array_new ();
          g_hash_table_insert (users, (gpointer) dc, names);
        }
      g_ptr_array_add (names, (gpointer) cd_instance_get_name (instance));
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &code, &row))
    {
      GPtrArray *names = g_hash_table_lookup (users, code);
      g_autofree char *subtitle = NULL;

      if (names == NULL)
        subtitle = g_strdup (_("No instance of yours runs here"));
      else
        {
          g_autofree char *list = NULL;

          g_ptr_array_add (names, NULL);
          list = g_strjoinv (", ", (char **) names->pdata);
          /* TRANSLATORS: %s is a comma-separated list of instance names */
          subtitle = g_strdup_printf (_("Used by %s"), list);
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
}

static void
on_instances_changed (CdDataCentersPage *self,
                      guint              position,
                      guint              removed,
                      guint              added,
                      GListModel        *instances)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CdInstance) instance = g_list_model_get_item (instances, i);

      g_signal_handlers_disconnect_by_func (instance, update_usage, self);
      g_signal_connect_object (instance, "notify::data-center", G_CALLBACK (update_usage), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (instance, "notify::name", G_CALLBACK (update_usage), self,
                               G_CONNECT_SWAPPED);
    }
  update_usage (self);
}

void
cd_data_centers_page_set_inventory (CdDataCentersPage *self,
                                    CdInventory       *inventory)
{
  GListModel *instances;

  g_return_if_fail (CD_IS_DATA_CENTERS_PAGE (self));
  g_return_if_fail (CD_IS_INVENTORY (inventory));

  if (!g_set_object (&self->inventory, inventory))
    return;

  instances = cd_inventory_get_instances (inventory);
  g_signal_connect_object (instances, "items-changed", G_CALLBACK (on_instances_changed), self,
                           G_CONNECT_SWAPPED);
  on_instances_changed (self, 0, 0, g_list_model_get_n_items (instances), instances);
}

static void
build_rows (CdDataCentersPage *self)
{
  GListModel *catalog = cd_data_center_catalog ();
  guint n = g_list_model_get_n_items (catalog);
  AdwPreferencesGroup *group = NULL;
  const char *region = NULL;

  /* The catalog lists data centers region by region. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdDataCenter) dc = g_list_model_get_item (catalog, i);
      GtkWidget *row;

      if (group == NULL || g_strcmp0 (region, cd_data_center_get_region (dc)) != 0)
        {
          region = cd_data_center_get_region (dc);
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, region);
          adw_preferences_page_add (self->page, group);
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cd_data_center_get_title (dc));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("No instance of yours runs here"));
      adw_preferences_group_add (group, row);
      g_hash_table_insert (self->rows, (gpointer) cd_data_center_get_code (dc), row);
    }
}

static void
cd_data_centers_page_dispose (GObject *object)
{
  CdDataCentersPage *self = CD_DATA_CENTERS_PAGE (object);

  g_clear_object (&self->inventory);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (cd_data_centers_page_parent_class)->dispose (object);
}

static void
cd_data_centers_page_class_init (CdDataCentersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_data_centers_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cd-data-centers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdDataCentersPage, page);
}

static void
cd_data_centers_page_init (CdDataCentersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  build_rows (self);
}
