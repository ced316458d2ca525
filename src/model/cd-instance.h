// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-cert-status.h"
#include "cd-x509-enums.h"

G_BEGIN_DECLS

#define CD_TYPE_INSTANCE (cd_instance_get_type ())
G_DECLARE_FINAL_TYPE (CdInstance, cd_instance, CD, INSTANCE, GObject)

gint64        cd_instance_get_id                (CdInstance *self);
const char   *cd_instance_get_name              (CdInstance *self);
const char   *cd_instance_get_url               (CdInstance *self);
/* catalog code, "us2" */
const char   *cd_instance_get_data_center       (CdInstance *self);
/* "us2 · Chicago", or the bare code when the catalog does not know it */
const char   *cd_instance_get_data_center_title (CdInstance *self);
/* CdSubdomain items, in the order they were added */
GListModel   *cd_instance_get_subdomains        (CdInstance *self);
/* the worst status of its subdomains */
CdCertStatus  cd_instance_get_status            (CdInstance *self);
guint         cd_instance_count_hosts           (CdInstance *self);

G_END_DECLS
