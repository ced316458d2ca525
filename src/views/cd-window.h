// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-inventory.h"

G_BEGIN_DECLS

#define CD_TYPE_WINDOW (cd_window_get_type ())
G_DECLARE_FINAL_TYPE (CdWindow, cd_window, CD, WINDOW, AdwApplicationWindow)

CdWindow    *cd_window_new            (GApplication *application);
/* Opens and loads the inventory at @path; @demo seeds a new database with sample data. */
void         cd_window_open_inventory (CdWindow     *self,
                                       const char   *path,
                                       gboolean      demo);
/* NULL until the inventory is loaded */
CdInventory *cd_window_get_inventory  (CdWindow     *self);
void         cd_window_add_toast      (CdWindow     *self,
                                       AdwToast     *toast);

G_END_DECLS
