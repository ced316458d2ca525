// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ordered by severity, least first, so the worst of several is their maximum. */
typedef enum
{
  CD_CERT_STATUS_NONE,
  CD_CERT_STATUS_VALID,
  CD_CERT_STATUS_EXPIRING,
  CD_CERT_STATUS_CRITICAL,
  CD_CERT_STATUS_NOT_YET_VALID,
  CD_CERT_STATUS_EXPIRED,
} CdCertStatus;

#define CD_CERT_DEFAULT_EXPIRING_DAYS 60
#define CD_CERT_DEFAULT_CRITICAL_DAYS 30
#define CD_CERT_DEFAULT_ACT_BY_LEAD_DAYS 14

typedef struct
{
  int expiring_days; /* status is "expiring" when this many days or fewer are left */
  int critical_days; /* and "critical" at this many or fewer */
} CdCertThresholds;

/* Times are Unix seconds (UTC). A validity that starts after @now is not yet valid; one whose
 * notAfter is at or before @now is expired. */
CdCertStatus cd_cert_status_compute    (gint64                  not_before,
                                        gint64                  not_after,
                                        gint64                  now,
                                        const CdCertThresholds *thresholds);

/* Whole days left before @not_after, rounded down; negative once expired. */
gint64       cd_cert_days_left         (gint64                  not_after,
                                        gint64                  now);

/* The date by which a renewal should be in: notAfter minus @lead_days, in Unix seconds. */
gint64       cd_cert_act_by            (gint64                  not_after,
                                        int                     lead_days);

CdCertStatus cd_cert_status_worst      (CdCertStatus            a,
                                        CdCertStatus            b);

/* A stable identifier ("none", "valid", "expiring", "critical", "not-yet-valid", "expired")
 * used in the CLI's JSON and in CSS class names. */
const char  *cd_cert_status_to_string  (CdCertStatus            status);

/* The translated label a person reads ("No certificate", "Valid", "Expiring", ...). */
const char  *cd_cert_status_get_label  (CdCertStatus            status);

G_END_DECLS
