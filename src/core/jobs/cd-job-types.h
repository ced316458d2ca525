// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a job does. The nicks ("generate-csr", ...) are stable: they are what the store, the
 * command line and exports hold. */
typedef enum
{
  CD_JOB_KIND_GENERATE_CSR,
  CD_JOB_KIND_INSTALL_CERTIFICATE,
  CD_JOB_KIND_RENEW_CERTIFICATE,
  CD_JOB_KIND_DOWNLOAD_BUNDLE,
  CD_JOB_KIND_IMPORT_BUNDLE,
  CD_JOB_KIND_IMPORT_KEYSTORE,
  CD_JOB_KIND_CHECK_HOSTS,
  CD_JOB_KIND_CHECK_DNS,
} CdJobKind;

#define CD_JOB_KIND_LAST CD_JOB_KIND_CHECK_DNS

/* Where a job is in its life. Queued and running are active; the others are ends. */
typedef enum
{
  CD_JOB_QUEUED,      /*< nick=queued >*/
  CD_JOB_RUNNING,     /*< nick=running >*/
  CD_JOB_FINISHED,    /*< nick=finished >*/
  CD_JOB_FAILED,      /*< nick=failed >*/
  CD_JOB_CANCELLED,   /*< nick=cancelled >*/
  CD_JOB_INTERRUPTED, /*< nick=interrupted >*/
} CdJobState;

typedef enum
{
  CD_JOB_EVENT_INFO,
  CD_JOB_EVENT_WARNING,
  CD_JOB_EVENT_ERROR,
} CdJobEventLevel;

/* Who asked for the job. */
typedef enum
{
  CD_JOB_INITIATOR_USER,
  CD_JOB_INITIATOR_REMINDER,
  CD_JOB_INITIATOR_COMMAND_LINE,
} CdJobInitiator;

/* What a job acts on. */
typedef enum
{
  CD_JOB_TARGET_NONE,
  CD_JOB_TARGET_INSTANCE,
  CD_JOB_TARGET_SUBDOMAIN,
  CD_JOB_TARGET_HOST,
  CD_JOB_TARGET_DATA_CENTER,
  CD_JOB_TARGET_KEYSTORE,
} CdJobTargetType;

/* The stable string of a value of one of the enums above (its GEnumValue nick), and back.
 * from_string returns FALSE for a string that names no value. */
const char *cd_job_enum_to_string   (GType        enum_type,
                                     int          value);
gboolean    cd_job_enum_from_string (GType        enum_type,
                                     const char  *string,
                                     int         *out_value);

gboolean    cd_job_state_is_active  (CdJobState   state);

G_END_DECLS
