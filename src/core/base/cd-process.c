// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-base"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cd-process.h"

static char *
read_boot_id (void)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &contents, NULL, NULL))
    return g_strdup ("");
  return g_strdup (g_strstrip (contents));
}

/* The state (field 3) and start time (field 22) of /proc/PID/stat. The second field, the
 * command name, is in parentheses and may hold spaces and parentheses itself: the fields after
 * it start after its last ")". */
static gboolean
read_stat (gint64   pid,
           char    *out_state,
           guint64 *out_start_time)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *rest;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  rest = strrchr (contents, ')');
  if (rest == NULL)
    return FALSE;

  fields = g_strsplit (rest + 1, " ", 0);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (fields[i][0] == '\0')
        continue;
      n++;
      if (n == 1)
        *out_state = fields[i][0];
      else if (n == 20)
        return g_ascii_string_to_unsigned (fields[i], 10, 0, G_MAXUINT64, out_start_time,
                                           NULL);
    }
  return FALSE;
}

CdProcessIdentity *
cd_process_identity_get (gint64 pid)
{
  CdProcessIdentity *identity;
  guint64 start_time = 0;
  char state = 0;

  g_return_val_if_fail (pid > 0, NULL);

  /* a zombie (or a process being reaped) will never run again: its parent has just not
   * collected it yet */
  if (!read_stat (pid, &state, &start_time) || state == 'Z' || state == 'X')
    return NULL;

  identity = g_new0 (CdProcessIdentity, 1);
  identity->pid = pid;
  identity->boot_id = read_boot_id ();
  identity->start_time = start_time;
  identity->host = g_strdup (g_get_host_name ());
  return identity;
}

CdProcessIdentity *
cd_process_identity_self (void)
{
  CdProcessIdentity *identity = cd_process_identity_get (getpid ());

  if (identity == NULL)
    {
      /* no /proc: the pid and host still say something */
      identity = g_new0 (CdProcessIdentity, 1);
      identity->pid = getpid ();
      identity->boot_id = g_strdup ("");
      identity->host = g_strdup (g_get_host_name ());
    }
  return identity;
}

void
cd_process_identity_free (CdProcessIdentity *identity)
{
  if (identity == NULL)
    return;
  g_free (identity->boot_id);
  g_free (identity->host);
  g_free (identity);
}

CdProcessLiveness
cd_process_identity_check (const CdProcessIdentity *identity)
{
  g_autoptr(CdProcessIdentity) now = NULL;
  g_autofree char *boot_id = NULL;

  g_return_val_if_fail (identity != NULL, CD_PROCESS_UNKNOWN);

  if (g_strcmp0 (identity->host, g_get_host_name ()) != 0)
    return CD_PROCESS_UNKNOWN;

  /* since a reboot, no process of before is alive */
  boot_id = read_boot_id ();
  if (identity->boot_id != NULL && identity->boot_id[0] != '\0' && boot_id[0] != '\0' &&
      g_strcmp0 (identity->boot_id, boot_id) != 0)
    return CD_PROCESS_GONE;

  if (identity->pid <= 0)
    return CD_PROCESS_GONE;

  now = cd_process_identity_get (identity->pid);
  if (now == NULL)
    return CD_PROCESS_GONE;

  /* the pid was handed to another process since */
  if (identity->start_time != 0 && now->start_time != identity->start_time)
    return CD_PROCESS_GONE;

  return CD_PROCESS_ALIVE;
}
