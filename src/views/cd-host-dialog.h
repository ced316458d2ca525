// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-inventory.h"

G_BEGIN_DECLS

#define CD_TYPE_HOST_DIALOG (cd_host_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdHostDialog, cd_host_dialog, CD, HOST_DIALOG, AdwWindow)

/* Adds a host to @subdomain when @host is NULL, edits @host otherwise. Emits "saved" with the
 * host, then closes. */
CdHostDialog *cd_host_dialog_new (CdInventory *inventory,
                                  CdSubdomain *subdomain,
                                  CdHost      *host);

G_END_DECLS
