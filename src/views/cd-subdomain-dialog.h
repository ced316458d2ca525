// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-inventory.h"

G_BEGIN_DECLS

#define CD_TYPE_SUBDOMAIN_DIALOG (cd_subdomain_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdSubdomainDialog, cd_subdomain_dialog, CD, SUBDOMAIN_DIALOG, AdwWindow)

/* Adds a subdomain to @instance, with its usual hosts, when @subdomain is NULL; renames
 * @subdomain otherwise. Emits "saved" with the subdomain, then closes. */
CdSubdomainDialog *cd_subdomain_dialog_new (CdInventory *inventory,
                                            CdInstance  *instance,
                                            CdSubdomain *subdomain);

G_END_DECLS
