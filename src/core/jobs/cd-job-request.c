// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-jobs"

#include "config.h"

#include <string.h>

#include "cd-job-request.h"

struct _CdJobRequest
{
  CdJobKind        kind;
  CdJobTargetType  target_type;
  char            *target;
  gint64           target_id;
  gint64           instance_id;
  CdJobInitiator   initiator;
  char            *exclusive;
  GPtrArray       *names;  /* char *, in the order added */
  GPtrArray       *values; /* char * */
};

CdJobRequest *
cd_job_request_new (CdJobKind        kind,
                    CdJobTargetType  target_type,
                    const char      *target)
{
  CdJobRequest *self;

  g_return_val_if_fail (kind <= CD_JOB_KIND_LAST, NULL);

  self = g_new0 (CdJobRequest, 1);
  self->kind = kind;
  self->target_type = target_type;
  self->target = g_strdup (target);
  self->initiator = CD_JOB_INITIATOR_USER;
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->values = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
cd_job_request_free (CdJobRequest *self)
{
  if (self == NULL)
    return;
  g_free (self->target);
  g_free (self->exclusive);
  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->values);
  g_free (self);
}

void
cd_job_request_set_target_id (CdJobRequest *self,
                              gint64        target_id)
{
  g_return_if_fail (self != NULL);
  self->target_id = target_id;
}

void
cd_job_request_set_instance_id (CdJobRequest *self,
                                gint64        instance_id)
{
  g_return_if_fail (self != NULL);
  self->instance_id = instance_id;
}

void
cd_job_request_set_initiator (CdJobRequest   *self,
                              CdJobInitiator  initiator)
{
  g_return_if_fail (self != NULL);
  self->initiator = initiator;
}

void
cd_job_request_set_exclusive (CdJobRequest *self,
                              const char   *key)
{
  g_return_if_fail (self != NULL);
  g_free (self->exclusive);
  self->exclusive = g_strdup (key);
}

/* Parameters are stored in the job history and shown to anyone who opens it. */
static gboolean
is_secret (const char *name,
           const char *value)
{
  static const char *const words[] = { "password", "passphrase", "passwd", "secret",
                                       "private" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (strstr (lower, words[i]) != NULL)
        return TRUE;
    }
  return strstr (value, "PRIVATE KEY-----") != NULL;
}

void
cd_job_request_add_parameter (CdJobRequest *self,
                              const char   *name,
                              const char   *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && name[0] != '\0');
  g_return_if_fail (value != NULL);

  if (is_secret (name, value))
    {
      g_critical ("The job parameter “%s” looks like a secret; it was not recorded", name);
      return;
    }
  g_ptr_array_add (self->names, g_strdup (name));
  g_ptr_array_add (self->values, g_strdup (value));
}

CdJobKind
cd_job_request_get_kind (const CdJobRequest *self)
{
  return self->kind;
}

CdJobTargetType
cd_job_request_get_target_type (const CdJobRequest *self)
{
  return self->target_type;
}

const char *
cd_job_request_get_target (const CdJobRequest *self)
{
  return self->target;
}

gint64
cd_job_request_get_target_id (const CdJobRequest *self)
{
  return self->target_id;
}

gint64
cd_job_request_get_instance_id (const CdJobRequest *self)
{
  return self->instance_id;
}

CdJobInitiator
cd_job_request_get_initiator (const CdJobRequest *self)
{
  return self->initiator;
}

const char *
cd_job_request_get_exclusive (const CdJobRequest *self)
{
  return self->exclusive;
}

GVariant *
cd_job_request_build_parameters (const CdJobRequest *self)
{
  GVariantBuilder builder;

  if (self->names->len == 0)
    return NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < self->names->len; i++)
    g_variant_builder_add (&builder, "{ss}", g_ptr_array_index (self->names, i),
                           g_ptr_array_index (self->values, i));
  return g_variant_builder_end (&builder);
}
