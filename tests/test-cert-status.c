// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib-object.h>

#include "cd-cert-status.h"
#include "cd-x509-enums.h"

#define DAY G_GINT64_CONSTANT (86400)

/* 2026-03-15 00:00:00 UTC, the day the 200-day maximum validity took effect */
#define NOW G_GINT64_CONSTANT (1773532800)

typedef struct
{
  const char  *what;
  gint64       not_before; /* relative to NOW */
  gint64       not_after;  /* relative to NOW */
  CdCertStatus expected;
} StatusCase;

static void
check_status_cases (const StatusCase       *cases,
                    gsize                   n_cases,
                    const CdCertThresholds *thresholds)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      CdCertStatus status;

      status = cd_cert_status_compute (NOW + cases[i].not_before, NOW + cases[i].not_after, NOW,
                                       thresholds);
      g_test_message ("%s: %s", cases[i].what, cd_cert_status_to_string (status));
      g_assert_cmpstr (cd_cert_status_to_string (status), ==,
                       cd_cert_status_to_string (cases[i].expected));
    }
}

static void
test_default_thresholds (void)
{
  static const StatusCase cases[] = {
    { "one year left", -DAY, 365 * DAY, CD_CERT_STATUS_VALID },
    { "61 days left", -DAY, 61 * DAY, CD_CERT_STATUS_VALID },
    { "61 days minus 1 s", -DAY, 61 * DAY - 1, CD_CERT_STATUS_EXPIRING },
    { "60 days + 1 s", -DAY, 60 * DAY + 1, CD_CERT_STATUS_EXPIRING },
    { "exactly 60 days", -DAY, 60 * DAY, CD_CERT_STATUS_EXPIRING },
    { "60 days - 1 s", -DAY, 60 * DAY - 1, CD_CERT_STATUS_EXPIRING },
    { "31 days", -DAY, 31 * DAY, CD_CERT_STATUS_EXPIRING },
    { "30 days + 1 s", -DAY, 30 * DAY + 1, CD_CERT_STATUS_CRITICAL },
    { "exactly 30 days", -DAY, 30 * DAY, CD_CERT_STATUS_CRITICAL },
    { "1 day", -DAY, DAY, CD_CERT_STATUS_CRITICAL },
    { "1 s", -DAY, 1, CD_CERT_STATUS_CRITICAL },
    { "expires now (0)", -DAY, 0, CD_CERT_STATUS_EXPIRED },
    { "expired 1 s ago", -DAY, -1, CD_CERT_STATUS_EXPIRED },
    { "expired 400 days ago", -800 * DAY, -400 * DAY, CD_CERT_STATUS_EXPIRED },
    { "starts in 1 s", 1, 200 * DAY, CD_CERT_STATUS_NOT_YET_VALID },
    { "starts in 1 day", DAY, 200 * DAY, CD_CERT_STATUS_NOT_YET_VALID },
    { "starts now", 0, 200 * DAY, CD_CERT_STATUS_VALID },
    { "starts now, short", 0, 10 * DAY, CD_CERT_STATUS_CRITICAL },
    /* a validity that ended before it began is expired, not "not yet valid" */
    { "inverted, in the past", DAY, -DAY, CD_CERT_STATUS_EXPIRED },
  };
  const CdCertThresholds defaults = {
    .expiring_days = CD_CERT_DEFAULT_EXPIRING_DAYS,
    .critical_days = CD_CERT_DEFAULT_CRITICAL_DAYS,
  };

  g_assert_cmpint (CD_CERT_DEFAULT_EXPIRING_DAYS, ==, 60);
  g_assert_cmpint (CD_CERT_DEFAULT_CRITICAL_DAYS, ==, 30);

  check_status_cases (cases, G_N_ELEMENTS (cases), NULL);
  check_status_cases (cases, G_N_ELEMENTS (cases), &defaults);
}

static void
test_custom_thresholds (void)
{
  /* Responsys-style: a reminder from 45 days out, critical in the last 5 */
  static const StatusCase responsys[] = {
    { "46 days", -DAY, 46 * DAY, CD_CERT_STATUS_VALID },
    { "45 days", -DAY, 45 * DAY, CD_CERT_STATUS_EXPIRING },
    { "6 days", -DAY, 6 * DAY, CD_CERT_STATUS_EXPIRING },
    { "5 days + 1 s", -DAY, 5 * DAY + 1, CD_CERT_STATUS_CRITICAL },
    { "5 days", -DAY, 5 * DAY, CD_CERT_STATUS_CRITICAL },
    { "0 s", -DAY, 0, CD_CERT_STATUS_EXPIRED },
    { "future", DAY, 90 * DAY, CD_CERT_STATUS_NOT_YET_VALID },
  };
  static const StatusCase never_warn[] = {
    { "1 s", -DAY, 1, CD_CERT_STATUS_VALID },
    { "0 s", -DAY, 0, CD_CERT_STATUS_EXPIRED },
  };
  static const StatusCase wide[] = {
    { "100 days", -DAY, 100 * DAY, CD_CERT_STATUS_VALID },
    { "90 days", -DAY, 90 * DAY, CD_CERT_STATUS_EXPIRING },
    { "60 days", -DAY, 60 * DAY, CD_CERT_STATUS_CRITICAL },
  };
  static const StatusCase zero[] = {
    { "1 day", -DAY, DAY, CD_CERT_STATUS_VALID },
    { "1 day - 1 s", -DAY, DAY - 1, CD_CERT_STATUS_CRITICAL },
  };
  const CdCertThresholds responsys_t = { .expiring_days = 45, .critical_days = 5 };
  const CdCertThresholds never_warn_t = { .expiring_days = -1, .critical_days = -1 };
  const CdCertThresholds wide_t = { .expiring_days = 90, .critical_days = 60 };
  const CdCertThresholds zero_t = { .expiring_days = 0, .critical_days = 0 };

  check_status_cases (responsys, G_N_ELEMENTS (responsys), &responsys_t);
  check_status_cases (never_warn, G_N_ELEMENTS (never_warn), &never_warn_t);
  check_status_cases (wide, G_N_ELEMENTS (wide), &wide_t);
  check_status_cases (zero, G_N_ELEMENTS (zero), &zero_t);
}

static void
test_days_left (void)
{
  static const struct
  {
    gint64 not_after; /* relative to NOW */
    gint64 expected;
  } cases[] = {
    { 60 * DAY + 1, 60 },
    { 60 * DAY, 60 },
    { 60 * DAY - 1, 59 },
    { 30 * DAY, 30 },
    { DAY, 1 },
    { DAY - 1, 0 },
    { 1, 0 },
    { 0, 0 },
    { -1, -1 },
    { -DAY + 1, -1 },
    { -DAY, -1 },
    { -DAY - 1, -2 },
    { -400 * DAY, -400 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cd_cert_days_left (NOW + cases[i].not_after, NOW), ==, cases[i].expected);

  /* epoch-relative values on both sides of zero */
  g_assert_cmpint (cd_cert_days_left (0, 1), ==, -1);
  g_assert_cmpint (cd_cert_days_left (-1, 0), ==, -1);
  g_assert_cmpint (cd_cert_days_left (DAY, -DAY), ==, 2);

  /* "never" sentinels saturate instead of overflowing */
  g_assert_cmpint (cd_cert_days_left (G_MAXINT64, -DAY), ==, G_MAXINT64 / DAY);
  g_assert_cmpint (cd_cert_days_left (G_MININT64, DAY), ==, G_MININT64 / DAY - 1);
  g_assert_cmpint (cd_cert_status_compute (G_MININT64, G_MAXINT64, -NOW, NULL), ==,
                   CD_CERT_STATUS_VALID);
}

static void
test_act_by (void)
{
  const gint64 not_after = NOW + 200 * DAY;

  g_assert_cmpint (cd_cert_act_by (not_after, 14), ==, not_after - 14 * DAY);
  g_assert_cmpint (cd_cert_act_by (not_after, CD_CERT_DEFAULT_ACT_BY_LEAD_DAYS), ==,
                   not_after - CD_CERT_DEFAULT_ACT_BY_LEAD_DAYS * DAY);
  g_assert_cmpint (cd_cert_act_by (not_after, 45), ==, NOW + 155 * DAY);
  g_assert_cmpint (cd_cert_act_by (not_after, 0), ==, not_after);
  g_assert_cmpint (cd_cert_act_by (not_after, 200), ==, NOW);

  /* the act-by date of a certificate that is critical lies in the past, with defaults */
  g_assert_cmpint (cd_cert_act_by (NOW + 10 * DAY, CD_CERT_DEFAULT_ACT_BY_LEAD_DAYS), <, NOW);
}

static void
test_act_by_negative (void)
{
  if (g_test_subprocess ())
    {
      cd_cert_act_by (NOW, -1);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*lead_days >= 0*");
}

static const CdCertStatus all_statuses[] = {
  CD_CERT_STATUS_NONE,     CD_CERT_STATUS_VALID,         CD_CERT_STATUS_EXPIRING,
  CD_CERT_STATUS_CRITICAL, CD_CERT_STATUS_NOT_YET_VALID, CD_CERT_STATUS_EXPIRED,
};

static void
test_worst (void)
{
  /* severity order, least first */
  for (gsize i = 0; i < G_N_ELEMENTS (all_statuses); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (all_statuses); j++)
      {
        CdCertStatus a = all_statuses[i];
        CdCertStatus b = all_statuses[j];

        g_assert_cmpint (cd_cert_status_worst (a, b), ==, all_statuses[MAX (i, j)]);
        g_assert_cmpint (cd_cert_status_worst (a, b), ==, cd_cert_status_worst (b, a));
      }

  g_assert_cmpint (cd_cert_status_worst (CD_CERT_STATUS_VALID, CD_CERT_STATUS_EXPIRED), ==,
                   CD_CERT_STATUS_EXPIRED);
  g_assert_cmpint (cd_cert_status_worst (CD_CERT_STATUS_CRITICAL, CD_CERT_STATUS_EXPIRING), ==,
                   CD_CERT_STATUS_CRITICAL);
  g_assert_cmpint (cd_cert_status_worst (CD_CERT_STATUS_NONE, CD_CERT_STATUS_VALID), ==,
                   CD_CERT_STATUS_VALID);
  g_assert_cmpint (cd_cert_status_worst (CD_CERT_STATUS_NOT_YET_VALID, CD_CERT_STATUS_CRITICAL),
                   ==, CD_CERT_STATUS_NOT_YET_VALID);

  /* rolling up a subdomain's hosts */
  {
    const CdCertStatus hosts[] = {
      CD_CERT_STATUS_VALID, CD_CERT_STATUS_EXPIRING, CD_CERT_STATUS_VALID, CD_CERT_STATUS_NONE,
    };
    CdCertStatus rolled = CD_CERT_STATUS_NONE;

    for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
      rolled = cd_cert_status_worst (rolled, hosts[i]);
    g_assert_cmpint (rolled, ==, CD_CERT_STATUS_EXPIRING);
  }
}

static void
test_strings (void)
{
  static const struct
  {
    CdCertStatus status;
    const char  *string;
    const char  *label;
  } cases[] = {
    { CD_CERT_STATUS_NONE, "none", "No certificate" },
    { CD_CERT_STATUS_VALID, "valid", "Valid" },
    { CD_CERT_STATUS_EXPIRING, "expiring", "Expiring" },
    { CD_CERT_STATUS_CRITICAL, "critical", "Critical" },
    { CD_CERT_STATUS_NOT_YET_VALID, "not-yet-valid", "Not yet valid" },
    { CD_CERT_STATUS_EXPIRED, "expired", "Expired" },
  };
  GEnumClass *klass = g_type_class_ref (CD_TYPE_CERT_STATUS);

  g_assert_cmpuint (G_N_ELEMENTS (cases), ==, klass->n_values);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GEnumValue *value = g_enum_get_value (klass, cases[i].status);

      g_assert_cmpstr (cd_cert_status_to_string (cases[i].status), ==, cases[i].string);
      /* the untranslated label: tests run with LC_ALL=C.UTF-8 */
      g_assert_cmpstr (cd_cert_status_get_label (cases[i].status), ==, cases[i].label);

      /* the CLI and CSS identifiers agree with the GType nicks the views see */
      g_assert_nonnull (value);
      g_assert_cmpstr (value->value_nick, ==, cases[i].string);
    }

  g_type_class_unref (klass);
}

static void
test_strings_invalid (void)
{
  if (g_test_subprocess ())
    {
      cd_cert_status_to_string ((CdCertStatus) 99);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/cert-status/default-thresholds", test_default_thresholds);
  g_test_add_func ("/core/cert-status/custom-thresholds", test_custom_thresholds);
  g_test_add_func ("/core/cert-status/days-left", test_days_left);
  g_test_add_func ("/core/cert-status/act-by", test_act_by);
  g_test_add_func ("/core/cert-status/act-by-negative", test_act_by_negative);
  g_test_add_func ("/core/cert-status/worst", test_worst);
  g_test_add_func ("/core/cert-status/strings", test_strings);
  g_test_add_func ("/core/cert-status/strings-invalid", test_strings_invalid);

  return g_test_run ();
}
