// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-inventory.h"

G_BEGIN_DECLS

#define CD_TYPE_DATA_CENTERS_PAGE (cd_data_centers_page_get_type ())
G_DECLARE_FINAL_TYPE (CdDataCentersPage, cd_data_centers_page, CD, DATA_CENTERS_PAGE, AdwBin)

void cd_data_centers_page_set_inventory (CdDataCentersPage *self,
                                         CdInventory       *inventory);

G_END_DECLS
