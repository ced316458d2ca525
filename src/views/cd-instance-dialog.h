// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-inventory.h"

G_BEGIN_DECLS

#define CD_TYPE_INSTANCE_DIALOG (cd_instance_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdInstanceDialog, cd_instance_dialog, CD, INSTANCE_DIALOG, AdwWindow)

/* Adds an instance when @instance is NULL, edits it otherwise. Emits "saved" with the
 * instance once the inventory holds the change, then closes. */
CdInstanceDialog *cd_instance_dialog_new (CdInventory *inventory,
                                          CdInstance  *instance);

G_END_DECLS
