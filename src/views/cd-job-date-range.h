// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The date ranges the Job Logs filter by: presets counted back from now, or the days two
 * calendars give. */
typedef enum
{
  CD_JOB_DATE_ANY,
  CD_JOB_DATE_DAY,
  CD_JOB_DATE_WEEK,
  CD_JOB_DATE_MONTH,
  CD_JOB_DATE_YEAR,
  CD_JOB_DATE_CUSTOM,
} CdJobDatePreset;

/* The presets' titles in their order, translated, NULL-terminated. */
const char *const *cd_job_date_range_titles (void);

/* The range @preset stands for, as job times: [@from, @until), 0 for an open end. A custom
 * range runs from the first calendar's day at midnight to the end of the second's, local
 * time, whichever of the two is earlier. */
void  cd_job_date_range_get   (CdJobDatePreset  preset,
                               GtkCalendar     *first,
                               GtkCalendar     *last,
                               gint64          *from,
                               gint64          *until);

/* Shows the custom range on @button, "2026-12-01 – 2026-12-06", with an accessible name. */
void  cd_job_date_range_label (GtkMenuButton   *button,
                               GtkCalendar     *first,
                               GtkCalendar     *last);

G_END_DECLS
