// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-date-range"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-job-date-range.h"

const char *const *
cd_job_date_range_titles (void)
{
  static const char *titles[CD_JOB_DATE_CUSTOM + 2];

  if (titles[0] == NULL)
    {
      titles[CD_JOB_DATE_ANY] = _("Any Time");
      titles[CD_JOB_DATE_DAY] = _("Last 24 Hours");
      titles[CD_JOB_DATE_WEEK] = _("Last 7 Days");
      titles[CD_JOB_DATE_MONTH] = _("Last 30 Days");
      titles[CD_JOB_DATE_YEAR] = _("Last 12 Months");
      titles[CD_JOB_DATE_CUSTOM] = _("Custom Range…");
    }
  return titles;
}

static GDateTime *
local_midnight (GDateTime *day)
{
  return g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day), 0, 0, 0);
}

static void
custom_range (GtkCalendar *first_calendar,
              GtkCalendar *last_calendar,
              gint64      *from,
              gint64      *until)
{
  g_autoptr(GDateTime) first = gtk_calendar_get_date (first_calendar);
  g_autoptr(GDateTime) last = gtk_calendar_get_date (last_calendar);
  g_autoptr(GDateTime) start = local_midnight (first);
  g_autoptr(GDateTime) end_day = local_midnight (last);
  g_autoptr(GDateTime) end = g_date_time_add_days (end_day, 1);

  *from = g_date_time_to_unix (start) * G_USEC_PER_SEC;
  *until = g_date_time_to_unix (end) * G_USEC_PER_SEC;
  if (*until <= *from)
    {
      /* the days were given the wrong way round: take them as the range they span */
      g_autoptr(GDateTime) other_start = local_midnight (last);
      g_autoptr(GDateTime) first_day = local_midnight (first);
      g_autoptr(GDateTime) other_end = g_date_time_add_days (first_day, 1);

      *from = g_date_time_to_unix (other_start) * G_USEC_PER_SEC;
      *until = g_date_time_to_unix (other_end) * G_USEC_PER_SEC;
    }
}

void
cd_job_date_range_label (GtkMenuButton *button,
                         GtkCalendar   *first_calendar,
                         GtkCalendar   *last_calendar)
{
  g_autoptr(GDateTime) first = gtk_calendar_get_date (first_calendar);
  g_autoptr(GDateTime) last = gtk_calendar_get_date (last_calendar);
  g_autofree char *first_text = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *last_text = g_date_time_format (last, "%Y-%m-%d");
  g_autofree char *label = NULL;
  g_autofree char *name = NULL;

  /* Translators: a date range, first day and last day */
  label = g_strdup_printf (_("%s – %s"), first_text, last_text);
  gtk_menu_button_set_label (button, label);
  /* Translators: the accessible name of the button that shows the custom date range */
  name = g_strdup_printf (_("Date range from %s to %s"), first_text, last_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

void
cd_job_date_range_get (CdJobDatePreset  preset,
                       GtkCalendar     *first,
                       GtkCalendar     *last,
                       gint64          *from,
                       gint64          *until)
{
  gint64 now = g_get_real_time ();

  *from = 0;
  *until = 0;
  switch (preset)
    {
    case CD_JOB_DATE_DAY:
      *from = now - G_TIME_SPAN_DAY;
      break;
    case CD_JOB_DATE_WEEK:
      *from = now - 7 * G_TIME_SPAN_DAY;
      break;
    case CD_JOB_DATE_MONTH:
      *from = now - 30 * G_TIME_SPAN_DAY;
      break;
    case CD_JOB_DATE_YEAR:
      *from = now - 365 * G_TIME_SPAN_DAY;
      break;
    case CD_JOB_DATE_CUSTOM:
      custom_range (first, last, from, until);
      break;
    case CD_JOB_DATE_ANY:
    default:
      break;
    }
}
