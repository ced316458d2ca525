// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-cli.h"
#include "cd-job-runner.h"

G_BEGIN_DECLS

/* Commands that change something (a keystore import) run as jobs of the job runner, recorded
 * in the inventory database the app uses, so that they show in its Job Logs as "initiated by:
 * command line". --no-record leaves the database alone. */

/* Adds --no-record to @context. */
void  cd_cli_add_record_entry (GOptionContext  *context,
                               gboolean        *no_record);

/* The command's work, in the job's worker thread: returns its exit status. What it says with
 * cd_cli_fail() and cd_cli_job_log() is logged to the job too. */
typedef int (*CdCliJobWork) (gpointer data);

/* Runs @work as a job that @request describes (its initiator is set to the command line).
 * When the database cannot be opened, says so on stderr and runs it unrecorded: a cron job's
 * import matters more than its record. Exit statuses other than CD_CLI_EXIT_OK and
 * CD_CLI_EXIT_PROBLEMS end the job as failed, with the last failure the command printed. */
int   cd_cli_run_job          (CdJobRequest    *request,
                               gboolean         record,
                               CdCliJobWork     work,
                               gpointer         data);

/* Logs an event to the job the calling thread runs, if any. */
void  cd_cli_job_log          (CdJobEventLevel  level,
                               const char      *format,
                               ...) G_GNUC_PRINTF (2, 3);
/* Keeps a file the job wrote as its artifact, by its absolute path. */
void  cd_cli_job_add_file     (const char      *name,
                               const char      *media_type,
                               const char      *path);

/* For cd_cli_fail(): the failure of the job the calling thread runs. */
void  _cd_cli_job_note_failure (const char     *message);

G_END_DECLS
