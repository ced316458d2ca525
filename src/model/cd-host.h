// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-cert-status.h"
#include "cd-x509-enums.h"

G_BEGIN_DECLS

#define CD_TYPE_HOST (cd_host_get_type ())
G_DECLARE_FINAL_TYPE (CdHost, cd_host, CD, HOST, GObject)

typedef struct _CdSubdomain CdSubdomain;

gint64        cd_host_get_id             (CdHost *self);
/* one of CD_HOST_PURPOSE_* */
const char   *cd_host_get_purpose        (CdHost *self);
const char   *cd_host_get_purpose_label  (CdHost *self);
const char   *cd_host_get_prefix         (CdHost *self);
/* A-label form, "t.mail.brand.com" */
const char   *cd_host_get_fqdn           (CdHost *self);
/* Unicode form for people */
const char   *cd_host_get_display_name   (CdHost *self);
CdSubdomain  *cd_host_get_subdomain      (CdHost *self);
gint64        cd_host_get_certificate_id (CdHost *self);
CdCertStatus  cd_host_get_status         (CdHost *self);

/* The translated label of a purpose ("Tracking", "Mirror pages", "Resources", "Custom"). */
const char   *cd_host_purpose_get_label          (const char *purpose);
/* The prefix a purpose uses unless told otherwise: "t", "m", "res"; NULL for custom. */
const char   *cd_host_purpose_get_default_prefix (const char *purpose);

G_END_DECLS
