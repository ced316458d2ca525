// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

#include "cd-job-list.h"

G_BEGIN_DECLS

/* The columns of the Job Logs' list: kind, target, state, started, duration, initiated by,
 * and a Cancel button for active jobs. Each sorts; the list is sorted by the store, not by
 * GTK, so the columns' sorters only tell which column and direction were chosen. */
typedef struct
{
  GtkColumnViewColumn *kind;
  GtkColumnViewColumn *target;
  GtkColumnViewColumn *state;
  GtkColumnViewColumn *started;
  GtkColumnViewColumn *duration;
  GtkColumnViewColumn *initiator;
  GtkColumnViewColumn *cancel;  /* its button activates "jobs.cancel" with the job's id (x) */
} CdJobColumns;

void      cd_job_columns_add        (GtkColumnView *view,
                                     CdJobColumns  *columns);
/* The order the column view's sort headers ask for; FALSE when no column sorts. */
gboolean  cd_job_columns_get_order  (GtkColumnView *view,
                                     CdJobOrder    *out_order,
                                     gboolean      *out_ascending);

/* A job time in local time, "2026-12-06 16:22:05"; "" for 0. */
char     *cd_job_format_time        (gint64         time);

/* An icon and a word, so that a state never relies on colour. */
GtkWidget *cd_job_state_label_new   (void);
void       cd_job_state_label_set   (GtkWidget     *label,
                                     const char    *state);

G_END_DECLS
