// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

#include "cd-process.h"

G_BEGIN_DECLS

/* Plain rows as the store reads and writes them; an id of 0 means "none" or "not yet stored".
 * Strings are owned.
 *
 * Time: every time in the store and in these records (created, not_before, not_after, a job's
 * started and finished, an event's time) is a count of microseconds since the Unix epoch, UTC,
 * as g_get_real_time() returns it. This is the one unit, for every table; schema version 3
 * converted what older versions kept in seconds. Convert at the edges only, with the two
 * helpers below (X.509 validity and cd_cert_status_compute() count seconds). */

/* Seconds since the epoch (an X.509 notBefore, say) as a record time, clamped rather than
 * overflowing for dates no certificate can carry. */
static inline gint64
cd_record_time_from_unix (gint64 seconds)
{
  if (seconds > G_MAXINT64 / G_USEC_PER_SEC)
    return G_MAXINT64;
  if (seconds < G_MININT64 / G_USEC_PER_SEC)
    return G_MININT64;
  return seconds * G_USEC_PER_SEC;
}

/* A record time as whole seconds since the epoch, rounded down (also before 1970). */
static inline gint64
cd_record_time_to_unix (gint64 time)
{
  gint64 seconds = time / G_USEC_PER_SEC;

  if (time % G_USEC_PER_SEC < 0)
    seconds--;
  return seconds;
}

typedef struct
{
  gint64 id;
  char  *name;        /* display name, unique (case-insensitive) */
  char  *url;         /* the instance's URL, may be empty */
  char  *data_center; /* catalog code, e.g. "us2" */
  gint64 created;
} CdInstanceRecord;

typedef struct
{
  gint64 id;
  gint64 instance_id;
  char  *name;        /* normalized A-label DNS name, unique across the store */
  gint64 created;
} CdSubdomainRecord;

/* Purposes are stored as these stable strings. */
#define CD_HOST_PURPOSE_TRACKING  "tracking"
#define CD_HOST_PURPOSE_MIRROR    "mirror"
#define CD_HOST_PURPOSE_RESOURCES "resources"
#define CD_HOST_PURPOSE_CUSTOM    "custom"

typedef struct
{
  gint64 id;
  gint64 subdomain_id;
  char  *purpose;        /* one of CD_HOST_PURPOSE_* */
  char  *prefix;         /* normalized A-label(s) left of the subdomain: "t", "res" */
  gint64 certificate_id; /* 0 when no certificate is installed */
  gint64 created;
} CdHostRecord;

typedef struct
{
  gint64  id;
  GBytes *der;
  char   *sha256;      /* upper-case hex pairs joined by ':' */
  char   *subject;     /* RFC 4514 */
  char   *issuer;      /* RFC 4514 */
  char   *serial;      /* upper-case hex */
  gint64  not_before;
  gint64  not_after;
  char   *dns_names;   /* subjectAltName DNS entries, one per line */
  gint64  key_id;      /* 0 when the key is not held by Certdesk */
  gint64  created;
} CdCertificateRecord;

typedef struct
{
  gint64 id;
  char  *path;         /* the PKCS#8 file, mode 0600, in a 0700 directory */
  char  *type;         /* "rsa" or "ec" */
  int    bits;
  char  *curve;        /* NULL for RSA */
  gint64 created;
} CdKeyRecord;

/* Job states are stored as these stable strings. */
#define CD_JOB_STATE_QUEUED      "queued"
#define CD_JOB_STATE_RUNNING     "running"
#define CD_JOB_STATE_FINISHED    "finished"
#define CD_JOB_STATE_FAILED      "failed"
#define CD_JOB_STATE_CANCELLED   "cancelled"
#define CD_JOB_STATE_INTERRUPTED "interrupted"

typedef struct
{
  gint64   id;
  char    *kind;         /* "generate-csr", "install-certificate", "import-keystore", ... */
  char    *target_type;  /* "instance", "subdomain", "host", "data-center", "keystore" or "" */
  gint64   target_id;    /* the target's id in the store, 0 when it has none */
  char    *target;       /* what it acts on, for people: "mail.brand.com", "em3" */
  gint64   instance_id;  /* 0 when not tied to an instance */
  char    *initiator;    /* "user", "reminder" or "command-line" */
  GVariant *parameters;  /* a{ss} of what the job was asked to do, never a secret; may be NULL */
  char    *state;        /* one of CD_JOB_STATE_* */
  gint64   created;
  gint64   started;      /* 0 until it runs */
  gint64   finished;     /* 0 until it ends */
  double   progress;     /* 0 to 1 as last stored, or -1 when unknown */
  char    *step;         /* what it was doing when last stored, may be NULL */
  char    *message;      /* the outcome in one sentence, may be NULL */
  char    *error_action; /* what a person can do about a failure, may be NULL */
  CdProcessIdentity *owner; /* the process running it; NULL for jobs of older versions */
} CdJobRecord;

typedef struct
{
  gint64 id;
  gint64 job_id;
  gint64 time;
  char  *level;        /* "info", "warning", "error" */
  char  *message;
} CdJobEventRecord;

/* A file a job wrote is a keystore or the like: anything larger is not the file it wrote. */
#define CD_JOB_ARTIFACT_MAX_FILE_SIZE (64 * 1024 * 1024)

typedef struct
{
  gint64  id;
  gint64  job_id;
  char   *name;        /* file name offered on download: "mail.brand.com.csr" */
  char   *media_type;  /* "application/pkcs10", ... */
  GBytes *content;     /* NULL when the artifact is a file Certdesk wrote */
  char   *path;        /* NULL when the content is stored */
  gint64  created;
} CdJobArtifactRecord;

void cd_instance_record_free      (CdInstanceRecord    *record);
void cd_subdomain_record_free     (CdSubdomainRecord   *record);
void cd_host_record_free          (CdHostRecord        *record);
void cd_certificate_record_free   (CdCertificateRecord *record);
void cd_key_record_free           (CdKeyRecord         *record);
void cd_job_record_free           (CdJobRecord         *record);
void cd_job_event_record_free     (CdJobEventRecord    *record);
void cd_job_artifact_record_free  (CdJobArtifactRecord *record);

CdInstanceRecord  *cd_instance_record_copy  (const CdInstanceRecord  *record);
CdSubdomainRecord *cd_subdomain_record_copy (const CdSubdomainRecord *record);
CdHostRecord      *cd_host_record_copy      (const CdHostRecord      *record);
CdJobArtifactRecord *cd_job_artifact_record_copy (const CdJobArtifactRecord *record);

/* A record time as ISO 8601 in UTC, "2026-12-06T16:22:21Z", as exports and certdesk-cli write
 * it; NULL for 0 (a time not reached); "@MICROSECONDS" beyond what GDateTime holds, which only
 * a damaged record says. */
char              *cd_record_time_format_iso (gint64 time);

/* A duration of microseconds for people, short enough for a narrow column: "42 s",
 * "2 min 05 s", "3 h 07 min", "2 d 04 h"; under ten seconds with a tenth when @tenths
 * ("1.5 s"). A negative duration counts as 0. */
char              *cd_record_format_duration (gint64   duration,
                                              gboolean tenths);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdInstanceRecord, cd_instance_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSubdomainRecord, cd_subdomain_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdHostRecord, cd_host_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCertificateRecord, cd_certificate_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdKeyRecord, cd_key_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJobRecord, cd_job_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJobEventRecord, cd_job_event_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJobArtifactRecord, cd_job_artifact_record_free)

G_END_DECLS
