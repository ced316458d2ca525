// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CD_TYPE_DATA_CENTER (cd_data_center_get_type ())
G_DECLARE_FINAL_TYPE (CdDataCenter, cd_data_center, CD, DATA_CENTER, GObject)

const char *cd_data_center_get_code   (CdDataCenter *self);
const char *cd_data_center_get_name   (CdDataCenter *self);
const char *cd_data_center_get_region (CdDataCenter *self);
/* "us2 · Chicago" */
const char *cd_data_center_get_title  (CdDataCenter *self);

/* The vendor's data centers, from the catalog shipped with Certdesk, in catalog order.
 * The list is shared and never changes. */
GListModel   *cd_data_center_catalog        (void);
CdDataCenter *cd_data_center_catalog_lookup (const char *code);
/* Position of @code in cd_data_center_catalog(), or GTK_INVALID_LIST_POSITION's value
 * G_MAXUINT when unknown. */
guint         cd_data_center_catalog_find   (const char *code);

G_END_DECLS
