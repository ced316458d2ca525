// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-inventory.h"

G_BEGIN_DECLS

#define CD_TYPE_SUBDOMAINS_PAGE (cd_subdomains_page_get_type ())
G_DECLARE_FINAL_TYPE (CdSubdomainsPage, cd_subdomains_page, CD, SUBDOMAINS_PAGE, AdwBin)

void cd_subdomains_page_set_inventory (CdSubdomainsPage *self,
                                       CdInventory      *inventory);
void cd_subdomains_page_focus_search  (CdSubdomainsPage *self);
void cd_subdomains_page_focus_list    (CdSubdomainsPage *self);
/* In a narrow window only the name and the certificate columns show: the icon of each row
 * already tells an instance from a subdomain or a host. */
void cd_subdomains_page_set_compact   (CdSubdomainsPage *self,
                                       gboolean          compact);
/* Selects the row of a CdInstance, CdSubdomain or CdHost and scrolls to it. */
void cd_subdomains_page_select_item   (CdSubdomainsPage *self,
                                       GObject          *item);
/* The CdInstance, CdSubdomain or CdHost of the selected row, or NULL */
GObject *cd_subdomains_page_get_selected_item (CdSubdomainsPage *self);

G_END_DECLS
