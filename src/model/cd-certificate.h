// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-cert-status.h"
#include "cd-records.h"

G_BEGIN_DECLS

#define CD_TYPE_CERTIFICATE (cd_certificate_get_type ())
G_DECLARE_FINAL_TYPE (CdCertificate, cd_certificate, CD, CERTIFICATE, GObject)

CdCertificate      *cd_certificate_new_from_record (const CdCertificateRecord *record);

gint64              cd_certificate_get_id          (CdCertificate *self);
const char         *cd_certificate_get_subject     (CdCertificate *self);
const char         *cd_certificate_get_issuer      (CdCertificate *self);
const char         *cd_certificate_get_serial      (CdCertificate *self);
const char         *cd_certificate_get_sha256      (CdCertificate *self);
/* Record times: microseconds since the Unix epoch, UTC (see cd-records.h) */
gint64              cd_certificate_get_not_before  (CdCertificate *self);
gint64              cd_certificate_get_not_after   (CdCertificate *self);
const char * const *cd_certificate_get_dns_names   (CdCertificate *self);
GBytes             *cd_certificate_get_der         (CdCertificate *self);
gint64              cd_certificate_get_key_id      (CdCertificate *self);
/* @now is a record time too, such as g_get_real_time() */
CdCertStatus        cd_certificate_get_status      (CdCertificate          *self,
                                                    gint64                  now,
                                                    const CdCertThresholds *thresholds);

G_END_DECLS
