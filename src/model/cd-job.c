// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-inventory-private.h"
#include "cd-job.h"

struct _CdJob
{
  GObject parent_instance;

  gint64 id;
  char *kind;
  char *target;
  gint64 instance_id;
  char *state;
  gint64 created;
  gint64 started;
  gint64 finished;
  char *message;
};

G_DEFINE_FINAL_TYPE (CdJob, cd_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_TARGET,
  PROP_INSTANCE_ID,
  PROP_STATE,
  PROP_CREATED,
  PROP_STARTED,
  PROP_FINISHED,
  PROP_MESSAGE,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_job_finalize (GObject *object)
{
  CdJob *self = CD_JOB (object);

  g_free (self->kind);
  g_free (self->target);
  g_free (self->state);
  g_free (self->message);

  G_OBJECT_CLASS (cd_job_parent_class)->finalize (object);
}

static void
cd_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  CdJob *self = CD_JOB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_INSTANCE_ID:
      g_value_set_int64 (value, self->instance_id);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_STARTED:
      g_value_set_int64 (value, self->started);
      break;
    case PROP_FINISHED:
      g_value_set_int64 (value, self->finished);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, cd_job_is_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_job_class_init (CdJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cd_job_finalize;
  object_class->get_property = cd_job_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL, flags);
  properties[PROP_INSTANCE_ID] =
    g_param_spec_int64 ("instance-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STARTED] = g_param_spec_int64 ("started", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FINISHED] =
    g_param_spec_int64 ("finished", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_job_init (CdJob *self)
{
}

CdJob *
cd_job_new_from_record (const CdJobRecord *record)
{
  CdJob *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (CD_TYPE_JOB, NULL);
  self->id = record->id;
  self->instance_id = record->instance_id;
  self->kind = g_strdup (record->kind);
  self->created = record->created;
  cd_job_update (self, record);

  return self;
}

static void
set_time (CdJob  *self,
          gint64 *field,
          gint64  value,
          guint   prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
cd_job_update (CdJob             *self,
               const CdJobRecord *record)
{
  gboolean was_active;

  g_return_if_fail (CD_IS_JOB (self));
  g_return_if_fail (record != NULL && record->id == self->id);

  was_active = cd_job_is_active (self);
  g_object_freeze_notify (G_OBJECT (self));

  if (_cd_set_string (&self->target, record->target))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
  if (_cd_set_string (&self->state, record->state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (_cd_set_string (&self->message, record->message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  set_time (self, &self->started, record->started, PROP_STARTED);
  set_time (self, &self->finished, record->finished, PROP_FINISHED);
  if (was_active != cd_job_is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);

  g_object_thaw_notify (G_OBJECT (self));
}

gint64
cd_job_get_id (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), 0);
  return self->id;
}

const char *
cd_job_get_kind (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->kind;
}

const char *
cd_job_get_target (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->target;
}

gint64
cd_job_get_instance_id (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), 0);
  return self->instance_id;
}

const char *
cd_job_get_state (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->state;
}

gint64
cd_job_get_created (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), 0);
  return self->created;
}

gint64
cd_job_get_started (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), 0);
  return self->started;
}

gint64
cd_job_get_finished (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), 0);
  return self->finished;
}

const char *
cd_job_get_message (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->message;
}

gboolean
cd_job_is_active (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), FALSE);
  return g_strcmp0 (self->state, CD_JOB_STATE_QUEUED) == 0 ||
         g_strcmp0 (self->state, CD_JOB_STATE_RUNNING) == 0;
}
