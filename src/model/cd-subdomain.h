// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-cert-status.h"
#include "cd-x509-enums.h"

G_BEGIN_DECLS

#define CD_TYPE_SUBDOMAIN (cd_subdomain_get_type ())
G_DECLARE_FINAL_TYPE (CdSubdomain, cd_subdomain, CD, SUBDOMAIN, GObject)

typedef struct _CdInstance CdInstance;

gint64        cd_subdomain_get_id           (CdSubdomain *self);
/* A-label form */
const char   *cd_subdomain_get_name         (CdSubdomain *self);
const char   *cd_subdomain_get_display_name (CdSubdomain *self);
CdInstance   *cd_subdomain_get_instance     (CdSubdomain *self);
/* CdHost items, in the order they were added */
GListModel   *cd_subdomain_get_hosts        (CdSubdomain *self);
/* the worst status of its hosts */
CdCertStatus  cd_subdomain_get_status       (CdSubdomain *self);

G_END_DECLS
