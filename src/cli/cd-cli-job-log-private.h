// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* Shared by the files `certdesk-cli jobs` is split over:
 *  - cd-cli-job-log.c: picking the subcommand, opening the job history, `jobs list`;
 *  - cd-cli-job-show.c: `jobs show` and `jobs artifact`.
 *
 * They read the job history that Certdesk and `certdesk-cli keystore import` record, in the
 * user's database, read-only: they never create it, migrate it or mark a job interrupted. */

#include "cd-cli.h"
#include "cd-store.h"

G_BEGIN_DECLS

/* The user's database, read-only. NULL when there is none yet (@missing is set: nothing has
 * been recorded) or when it cannot be read (the reason is on stderr). */
CdStore  *_cd_cli_jobs_open_store     (gboolean           *missing);

/* A job number as given on the command line ("12" or "#12"); FALSE with a message on stderr
 * when it is none. */
gboolean  _cd_cli_jobs_parse_id       (const char         *text,
                                      gint64             *id);

/* A record time as ISO 8601 in UTC, "2026-03-01T08:15:00Z"; NULL for 0 (never). */
char     *_cd_cli_jobs_format_time    (gint64              time);

/* How long @job ran, for people ("1.5 s", "2 min 05 s"); NULL when it has not both started and
 * ended. */
char     *_cd_cli_jobs_format_duration (const CdJobRecord *job);

/* The members of @job's JSON object (the builder is inside the object), the same in `jobs list
 * --json` and `jobs show --json`. */
void      _cd_cli_jobs_add_job_members (JsonBuilder       *builder,
                                       const CdJobRecord *job);

/* The subcommands: @argv[0] is the subcommand's name. */
int       _cd_cli_jobs_list           (int                 argc,
                                      char              **argv);
int       _cd_cli_jobs_show           (int                 argc,
                                      char              **argv);
int       _cd_cli_jobs_artifact       (int                 argc,
                                      char              **argv);

G_END_DECLS
