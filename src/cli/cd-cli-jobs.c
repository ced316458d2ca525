// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <openssl/crypto.h>
#include <stdio.h>

#include "cd-cli-jobs.h"
#include "cd-error.h"
#include "cd-store.h"

typedef struct
{
  CdJobContext *context;
  CdCliJobWork  work;
  gpointer      data;
  int           status;
  char         *failure;  /* the last cd_cli_fail() message */
} RunningCommand;

/* The command the calling thread runs as a job: a job's work runs in a thread of its own. */
static GPrivate current;

void
cd_cli_add_record_entry (GOptionContext *context,
                         gboolean       *no_record)
{
  const GOptionEntry entries[] = {
    { "no-record", 0, 0, G_OPTION_ARG_NONE, no_record,
      N_("Do not record the operation in the job history of Certdesk’s database"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

void
cd_cli_job_log (CdJobEventLevel  level,
                const char      *format,
                ...)
{
  RunningCommand *command = g_private_get (&current);
  g_autofree char *message = NULL;
  va_list args;

  if (command == NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  cd_job_context_log (command->context, level, "%s", message);
}

void
cd_cli_job_add_file (const char *name,
                     const char *media_type,
                     const char *path)
{
  RunningCommand *command = g_private_get (&current);
  g_autoptr(GError) error = NULL;
  g_autofree char *absolute = NULL;

  if (command == NULL)
    return;
  /* read later from another folder: `certdesk-cli jobs artifact`, the app */
  absolute = g_canonicalize_filename (path, NULL);
  if (!cd_job_context_add_artifact_path (command->context, name, media_type, absolute, &error))
    cd_cli_warn ("%s", error->message);
}

void
_cd_cli_job_note_failure (const char *message)
{
  RunningCommand *command = g_private_get (&current);

  if (command == NULL)
    return;
  g_free (command->failure);
  command->failure = g_strdup (message);
  cd_job_context_log (command->context, CD_JOB_EVENT_ERROR, "%s", message);
}

static gboolean
command_work (CdJobContext  *context,
              gpointer       user_data,
              GError       **error)
{
  RunningCommand *command = user_data;

  command->context = context;
  g_private_set (&current, command);
  command->status = command->work (command->data);
  g_private_set (&current, NULL);
  /* OpenSSL frees what it keeps for a thread (its random generator) when the thread exits,
   * and the worker, idle in GLib's pool, may outlive the process's last moments: free it now,
   * as the command is done with OpenSSL on this thread */
  OPENSSL_thread_stop ();

  if (command->status == CD_CLI_EXIT_OK || command->status == CD_CLI_EXIT_PROBLEMS)
    return TRUE;

  /* its reasons are logged already, as they were printed */
  g_set_error_literal (error, CD_ERROR, CD_ERROR_FAILED,
                       command->failure != NULL ? command->failure
                                                : _("The command failed: see its events."));
  return FALSE;
}

static CdStore *
open_store (void)
{
  g_autofree char *path = cd_store_get_default_path ();
  g_autoptr(GError) error = NULL;
  CdStore *store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);

  if (store == NULL)
    fprintf (stderr,
             _("certdesk-cli: warning: the job history in “%s” cannot be written, so this run is "
               "not recorded (%s). Add --no-record to run without recording.\n"),
             path, error->message);
  return store;
}

int
cd_cli_run_job (CdJobRequest *request,
                gboolean      record,
                CdCliJobWork  work,
                gpointer      data)
{
  g_autoptr(CdStore) store = record ? open_store () : NULL;
  g_autoptr(CdJobRunner) runner = cd_job_runner_new (store);
  g_autoptr(GError) error = NULL;
  RunningCommand command = { .work = work, .data = data, .status = CD_CLI_EXIT_USAGE };

  cd_job_request_set_initiator (request, CD_JOB_INITIATOR_COMMAND_LINE);
  /* a failed job has said why on stderr, from its work */
  cd_job_runner_run_sync (runner, request, command_work, &command, NULL, NULL, &error);
  g_free (command.failure);
  return command.status;
}
