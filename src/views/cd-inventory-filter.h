// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_INVENTORY_FILTER (cd_inventory_filter_get_type ())
G_DECLARE_FINAL_TYPE (CdInventoryFilter, cd_inventory_filter, CD, INVENTORY_FILTER, GtkFilter)

/* Filters every level of the inventory tree (CdInstance, CdSubdomain, CdHost) by one search
 * text, so that a match keeps the path to it and a matching parent keeps all it holds. */
GtkFilter *cd_inventory_filter_new        (void);
/* Case-insensitive; blank text matches everything. */
void       cd_inventory_filter_set_search (CdInventoryFilter *self,
                                           const char        *text);
/* Re-runs the filter after items were renamed. */
void       cd_inventory_filter_refresh    (CdInventoryFilter *self);

G_END_DECLS
