// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who runs a job: enough to tell, later and from another process, whether that process is
 * still alive. A pid alone is not: pids are reused, and a reboot starts them again. The boot
 * id and the process's start time (in clock ticks since boot) make the pair unique. */
typedef struct
{
  gint64   pid;
  char    *boot_id;    /* /proc/sys/kernel/random/boot_id; "" where unknown */
  guint64  start_time; /* field 22 of /proc/PID/stat; 0 where unknown */
  char    *host;       /* the machine's name, as g_get_host_name() */
} CdProcessIdentity;

typedef enum
{
  CD_PROCESS_ALIVE,
  CD_PROCESS_GONE,
  CD_PROCESS_UNKNOWN, /* on another machine (a shared home folder): nothing can be said */
} CdProcessLiveness;

/* The calling process; never NULL. */
CdProcessIdentity *cd_process_identity_self  (void);
/* The process @pid on this machine, or NULL when there is none. */
CdProcessIdentity *cd_process_identity_get   (gint64                   pid);
void               cd_process_identity_free  (CdProcessIdentity       *identity);

CdProcessLiveness  cd_process_identity_check (const CdProcessIdentity *identity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdProcessIdentity, cd_process_identity_free)

G_END_DECLS
