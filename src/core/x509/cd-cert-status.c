// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-cert-status"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-cert-status.h"

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

static const CdCertThresholds default_thresholds = {
  .expiring_days = CD_CERT_DEFAULT_EXPIRING_DAYS,
  .critical_days = CD_CERT_DEFAULT_CRITICAL_DAYS,
};

CdCertStatus
cd_cert_status_compute (gint64                  not_before,
                        gint64                  not_after,
                        gint64                  now,
                        const CdCertThresholds *thresholds)
{
  gint64 days;

  if (thresholds == NULL)
    thresholds = &default_thresholds;

  if (not_after <= now)
    return CD_CERT_STATUS_EXPIRED;
  if (now < not_before)
    return CD_CERT_STATUS_NOT_YET_VALID;

  /* Whole days, as the user sees them counted: "60 days left" is already "expiring", even with
   * a few hours to spare beyond the 60th day. */
  days = cd_cert_days_left (not_after, now);
  if (days <= thresholds->critical_days)
    return CD_CERT_STATUS_CRITICAL;
  if (days <= thresholds->expiring_days)
    return CD_CERT_STATUS_EXPIRING;

  return CD_CERT_STATUS_VALID;
}

gint64
cd_cert_days_left (gint64 not_after,
                   gint64 now)
{
  gint64 diff;
  gint64 days;

  /* Saturate rather than overflow when a caller uses G_MAXINT64 as "never". */
  if (now > 0 && not_after < G_MININT64 + now)
    diff = G_MININT64;
  else if (now < 0 && not_after > G_MAXINT64 + now)
    diff = G_MAXINT64;
  else
    diff = not_after - now;

  days = diff / SECONDS_PER_DAY;

  /* C division truncates towards zero; one second after expiry is day -1, not day 0. */
  if (diff % SECONDS_PER_DAY != 0 && diff < 0)
    days--;

  return days;
}

gint64
cd_cert_act_by (gint64 not_after,
                int    lead_days)
{
  g_return_val_if_fail (lead_days >= 0, not_after);

  return not_after - (gint64) lead_days * SECONDS_PER_DAY;
}

CdCertStatus
cd_cert_status_worst (CdCertStatus a,
                      CdCertStatus b)
{
  return MAX (a, b);
}

const char *
cd_cert_status_to_string (CdCertStatus status)
{
  switch (status)
    {
      case CD_CERT_STATUS_NONE:
        return "none";
      case CD_CERT_STATUS_VALID:
        return "valid";
      case CD_CERT_STATUS_EXPIRING:
        return "expiring";
      case CD_CERT_STATUS_CRITICAL:
        return "critical";
      case CD_CERT_STATUS_NOT_YET_VALID:
        return "not-yet-valid";
      case CD_CERT_STATUS_EXPIRED:
        return "expired";
      default:
        break;
    }

  g_return_val_if_reached (NULL);
}

const char *
cd_cert_status_get_label (CdCertStatus status)
{
  switch (status)
    {
      case CD_CERT_STATUS_NONE:
        return _("No certificate");
      case CD_CERT_STATUS_VALID:
        return _("Valid");
      case CD_CERT_STATUS_EXPIRING:
        return _("Expiring");
      case CD_CERT_STATUS_CRITICAL:
        return _("Critical");
      case CD_CERT_STATUS_NOT_YET_VALID:
        return _("Not yet valid");
      case CD_CERT_STATUS_EXPIRED:
        return _("Expired");
      default:
        break;
    }

  g_return_val_if_reached (NULL);
}
