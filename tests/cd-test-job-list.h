// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-job-list.h"

G_BEGIN_DECLS

/* A store of its own with jobs of every kind, state and initiator, and ways to wait for a
 * CdJobList to read them, for the tests of the Job Logs' list. */

#define T0 G_GINT64_CONSTANT (1760000000000000)
#define AT(seconds) (T0 + (gint64) (seconds) * G_USEC_PER_SEC)

typedef struct
{
  gint64      id;
  const char *kind;
  const char *state;
  const char *initiator;
  char       *target;
  gint64      instance_id;
  gint64      created;
  gint64      started;
  gint64      finished;
  char       *event;
} Job;

typedef struct
{
  char    *dir;
  char    *path;
  CdStore *store;
  gint64   instances[2];
  GArray  *jobs;  /* Job */
} Fixture;

void    cd_test_job_list_set_up    (Fixture       *fixture,
                                    gconstpointer  data);
void    cd_test_job_list_tear_down (Fixture       *fixture,
                                    gconstpointer  data);
/* @n jobs of every kind, state and initiator, on two instances and none, an hour apart (every
 * eleventh in the same second as the one before), each with an event */
void    cd_test_add_jobs           (Fixture       *fixture,
                                    guint          n);
/* one turn of the main context that never blocks, so that a deadline is checked */
void    cd_test_iterate            (void);
/* until @list has read what it was asked last */
void    cd_test_wait_loaded        (CdJobList     *list);
/* until @job's page has been read */
void    cd_test_wait_row           (CdJob         *job);
gboolean cd_test_all_rows_loaded   (CdJobList     *list);
/* the ids of every row, in order, once each has been read */
GArray *cd_test_list_ids           (CdJobList     *list);

G_END_DECLS
