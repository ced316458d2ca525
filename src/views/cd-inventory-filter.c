// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-inventory-filter"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-inventory.h"
#include "cd-inventory-filter.h"

struct _CdInventoryFilter
{
  GtkFilter parent_instance;

  char *needle; /* case-folded search text, NULL when not searching */
};

G_DEFINE_FINAL_TYPE (CdInventoryFilter, cd_inventory_filter, GTK_TYPE_FILTER)

static gboolean
text_matches (const char *text,
              const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

/* Matches on the item's own names: the Unicode and the A-label form of a DNS name, and an
 * instance's data center. */
static gboolean
item_matches_self (GObject    *item,
                   const char *needle)
{
  if (text_matches (cd_inventory_item_get_name (item), needle))
    return TRUE;
  if (CD_IS_INSTANCE (item))
    return text_matches (cd_instance_get_data_center_title (CD_INSTANCE (item)), needle);
  if (CD_IS_SUBDOMAIN (item))
    return text_matches (cd_subdomain_get_name (CD_SUBDOMAIN (item)), needle);
  return text_matches (cd_host_get_fqdn (CD_HOST (item)), needle);
}

static gboolean
subtree_matches (GObject    *item,
                 const char *needle)
{
  GListModel *children = NULL;
  guint n;

  if (item_matches_self (item, needle))
    return TRUE;

  if (CD_IS_INSTANCE (item))
    children = cd_instance_get_subdomains (CD_INSTANCE (item));
  else if (CD_IS_SUBDOMAIN (item))
    children = cd_subdomain_get_hosts (CD_SUBDOMAIN (item));
  if (children == NULL)
    return FALSE;

  n = g_list_model_get_n_items (children);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) child = g_list_model_get_item (children, i);
      if (subtree_matches (child, needle))
        return TRUE;
    }

  return FALSE;
}

static gboolean
cd_inventory_filter_match (GtkFilter *filter,
                           gpointer   item)
{
  CdInventoryFilter *self = CD_INVENTORY_FILTER (filter);
  const char *needle = self->needle;
  CdSubdomain *subdomain = NULL;
  CdInstance *instance = NULL;

  if (needle == NULL)
    return TRUE;

  if (CD_IS_INSTANCE (item))
    return subtree_matches (item, needle);

  if (CD_IS_SUBDOMAIN (item))
    {
      instance = cd_subdomain_get_instance (item);
      return (instance != NULL && item_matches_self (G_OBJECT (instance), needle)) ||
             subtree_matches (item, needle);
    }

  if (CD_IS_HOST (item))
    {
      subdomain = cd_host_get_subdomain (item);
      instance = subdomain != NULL ? cd_subdomain_get_instance (subdomain) : NULL;
      return (instance != NULL && item_matches_self (G_OBJECT (instance), needle)) ||
             (subdomain != NULL && item_matches_self (G_OBJECT (subdomain), needle)) ||
             item_matches_self (item, needle);
    }

  return FALSE;
}

static GtkFilterMatch
cd_inventory_filter_get_strictness (GtkFilter *filter)
{
  CdInventoryFilter *self = CD_INVENTORY_FILTER (filter);

  return self->needle == NULL ? GTK_FILTER_MATCH_ALL : GTK_FILTER_MATCH_SOME;
}

static void
cd_inventory_filter_finalize (GObject *object)
{
  CdInventoryFilter *self = CD_INVENTORY_FILTER (object);

  g_free (self->needle);

  G_OBJECT_CLASS (cd_inventory_filter_parent_class)->finalize (object);
}

static void
cd_inventory_filter_class_init (CdInventoryFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  object_class->finalize = cd_inventory_filter_finalize;
  filter_class->match = cd_inventory_filter_match;
  filter_class->get_strictness = cd_inventory_filter_get_strictness;
}

static void
cd_inventory_filter_init (CdInventoryFilter *self)
{
}

GtkFilter *
cd_inventory_filter_new (void)
{
  return g_object_new (CD_TYPE_INVENTORY_FILTER, NULL);
}

void
cd_inventory_filter_set_search (CdInventoryFilter *self,
                                const char        *text)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *needle = NULL;

  g_return_if_fail (CD_IS_INVENTORY_FILTER (self));

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*trimmed != '\0')
    needle = g_utf8_casefold (trimmed, -1);

  if (g_strcmp0 (needle, self->needle) == 0)
    return;

  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

void
cd_inventory_filter_refresh (CdInventoryFilter *self)
{
  g_return_if_fail (CD_IS_INVENTORY_FILTER (self));

  if (self->needle != NULL)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}
