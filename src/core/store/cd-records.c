// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-records.h"

void
cd_instance_record_free (CdInstanceRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->name);
  g_free (record->url);
  g_free (record->data_center);
  g_free (record);
}

void
cd_subdomain_record_free (CdSubdomainRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->name);
  g_free (record);
}

void
cd_host_record_free (CdHostRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->purpose);
  g_free (record->prefix);
  g_free (record);
}

void
cd_certificate_record_free (CdCertificateRecord *record)
{
  if (record == NULL)
    return;

  g_clear_pointer (&record->der, g_bytes_unref);
  g_free (record->sha256);
  g_free (record->subject);
  g_free (record->issuer);
  g_free (record->serial);
  g_free (record->dns_names);
  g_free (record);
}

void
cd_key_record_free (CdKeyRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->path);
  g_free (record->type);
  g_free (record->curve);
  g_free (record);
}

void
cd_job_record_free (CdJobRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->kind);
  g_free (record->target_type);
  g_free (record->target);
  g_free (record->initiator);
  g_clear_pointer (&record->parameters, g_variant_unref);
  g_free (record->state);
  g_free (record->step);
  g_free (record->message);
  g_free (record->error_action);
  cd_process_identity_free (record->owner);
  g_free (record);
}

void
cd_job_event_record_free (CdJobEventRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->level);
  g_free (record->message);
  g_free (record);
}

void
cd_job_artifact_record_free (CdJobArtifactRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->name);
  g_free (record->media_type);
  g_clear_pointer (&record->content, g_bytes_unref);
  g_free (record->path);
  g_free (record);
}

CdInstanceRecord *
cd_instance_record_copy (const CdInstanceRecord *record)
{
  CdInstanceRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (CdInstanceRecord, 1);
  copy->id = record->id;
  copy->name = g_strdup (record->name);
  copy->url = g_strdup (record->url);
  copy->data_center = g_strdup (record->data_center);
  copy->created = record->created;

  return copy;
}

CdSubdomainRecord *
cd_subdomain_record_copy (const CdSubdomainRecord *record)
{
  CdSubdomainRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (CdSubdomainRecord, 1);
  copy->id = record->id;
  copy->instance_id = record->instance_id;
  copy->name = g_strdup (record->name);
  copy->created = record->created;

  return copy;
}

CdHostRecord *
cd_host_record_copy (const CdHostRecord *record)
{
  CdHostRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (CdHostRecord, 1);
  copy->id = record->id;
  copy->subdomain_id = record->subdomain_id;
  copy->purpose = g_strdup (record->purpose);
  copy->prefix = g_strdup (record->prefix);
  copy->certificate_id = record->certificate_id;
  copy->created = record->created;

  return copy;
}

CdJobArtifactRecord *
cd_job_artifact_record_copy (const CdJobArtifactRecord *record)
{
  CdJobArtifactRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (CdJobArtifactRecord, 1);
  copy->id = record->id;
  copy->job_id = record->job_id;
  copy->name = g_strdup (record->name);
  copy->media_type = g_strdup (record->media_type);
  copy->content = record->content != NULL ? g_bytes_ref (record->content) : NULL;
  copy->path = g_strdup (record->path);
  copy->created = record->created;
  return copy;
}

char *
cd_record_time_format_iso (gint64 time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (cd_record_time_to_unix (time));
  if (utc == NULL)
    return g_strdup_printf ("@%" G_GINT64_FORMAT, time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
cd_record_format_duration (gint64   duration,
                           gboolean tenths)
{
  gint64 seconds;

  duration = MAX (duration, 0);
  if (tenths && duration < 10 * G_USEC_PER_SEC)
    /* TRANSLATORS: a duration in seconds with one decimal, "1.5 s" */
    return g_strdup_printf (_("%.1f s"), duration / (double) G_USEC_PER_SEC);

  seconds = duration / G_USEC_PER_SEC;
  if (seconds < 60)
    /* TRANSLATORS: a duration, "42 s" */
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    /* TRANSLATORS: a duration in minutes and seconds, "2 min 05 s" */
    return g_strdup_printf (_("%d min %02d s"), (int) (seconds / 60), (int) (seconds % 60));
  if (seconds < 86400)
    /* TRANSLATORS: a duration in hours and minutes, "3 h 07 min" */
    return g_strdup_printf (_("%d h %02d min"), (int) (seconds / 3600),
                            (int) (seconds % 3600 / 60));
  /* TRANSLATORS: a duration in days and hours, "2 d 04 h" */
  return g_strdup_printf (_("%lld d %02d h"), (long long) (seconds / 86400),
                          (int) (seconds % 86400 / 3600));
}
