// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CD_TYPE_APPLICATION (cd_application_get_type ())
G_DECLARE_FINAL_TYPE (CdApplication, cd_application, CD, APPLICATION, AdwApplication)

CdApplication *cd_application_new (void);

G_END_DECLS
