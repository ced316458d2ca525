// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cd-inventory-private.h"
#include "cd-job.h"

struct _CdJob
{
  GObject parent_instance;

  gboolean loaded;
  gint64 id;
  char *kind;
  char *target_type;
  char *target;
  gint64 instance_id;
  char *initiator;
  GVariant *parameters;
  char *state;
  gint64 created;
  gint64 started;
  gint64 finished;
  double progress;
  char *step;
  char *message;
  char *error_action;
};

G_DEFINE_FINAL_TYPE (CdJob, cd_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_TARGET_TYPE,
  PROP_TARGET,
  PROP_INSTANCE_ID,
  PROP_INITIATOR,
  PROP_PARAMETERS,
  PROP_STATE,
  PROP_CREATED,
  PROP_STARTED,
  PROP_FINISHED,
  PROP_PROGRESS,
  PROP_STEP,
  PROP_MESSAGE,
  PROP_ERROR_ACTION,
  PROP_ACTIVE,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_job_finalize (GObject *object)
{
  CdJob *self = CD_JOB (object);

  g_free (self->kind);
  g_free (self->target_type);
  g_free (self->target);
  g_free (self->initiator);
  g_clear_pointer (&self->parameters, g_variant_unref);
  g_free (self->state);
  g_free (self->step);
  g_free (self->message);
  g_free (self->error_action);

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
    case PROP_TARGET_TYPE:
      g_value_set_string (value, self->target_type);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_INSTANCE_ID:
      g_value_set_int64 (value, self->instance_id);
      break;
    case PROP_INITIATOR:
      g_value_set_string (value, self->initiator);
      break;
    case PROP_PARAMETERS:
      g_value_set_variant (value, self->parameters);
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
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_ERROR_ACTION:
      g_value_set_string (value, self->error_action);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, cd_job_is_active (self));
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
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
  properties[PROP_TARGET_TYPE] = g_param_spec_string ("target-type", NULL, NULL, NULL, flags);
  properties[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL, flags);
  properties[PROP_INSTANCE_ID] =
    g_param_spec_int64 ("instance-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_INITIATOR] = g_param_spec_string ("initiator", NULL, NULL, NULL, flags);
  properties[PROP_PARAMETERS] =
    g_param_spec_variant ("parameters", NULL, NULL, G_VARIANT_TYPE ("a{ss}"), NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STARTED] = g_param_spec_int64 ("started", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FINISHED] =
    g_param_spec_int64 ("finished", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, flags);
  properties[PROP_STEP] = g_param_spec_string ("step", NULL, NULL, NULL, flags);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);
  properties[PROP_ERROR_ACTION] = g_param_spec_string ("error-action", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_job_init (CdJob *self)
{
  self->progress = -1;
}

CdJob *
cd_job_new_placeholder (void)
{
  return g_object_new (CD_TYPE_JOB, NULL);
}

CdJob *
cd_job_new_from_record (const CdJobRecord *record)
{
  CdJob *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = cd_job_new_placeholder ();
  cd_job_update (self, record);

  return self;
}

static void
set_string (CdJob       *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (_cd_set_string (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_number (CdJob  *self,
            gint64 *field,
            gint64  value,
            guint   prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_parameters (CdJob    *self,
                GVariant *parameters)
{
  if (parameters != NULL && !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("a{ss}")))
    {
      g_critical ("The parameters of job %" G_GINT64_FORMAT " are not a{ss}", self->id);
      parameters = NULL;
    }

  if (self->parameters == parameters ||
      (self->parameters != NULL && parameters != NULL &&
       g_variant_equal (self->parameters, parameters)))
    return;

  g_clear_pointer (&self->parameters, g_variant_unref);
  self->parameters = parameters != NULL ? g_variant_ref_sink (parameters) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMETERS]);
}

/* The store and the runner both say -1 for "unknown", but any negative value or NaN means it;
 * the property's range is -1 to 1. */
static double
normalize_progress (double progress)
{
  if (isnan (progress) || progress < 0)
    return -1;
  return MIN (progress, 1.0);
}

/* Whether @a and @b tell a view the same thing. */
static gboolean
same_progress (double a,
               double b)
{
  return a == b || (a < 0 && b < 0);
}

static void
set_progress_and_step (CdJob      *self,
                       double      progress,
                       const char *step)
{
  progress = normalize_progress (progress);
  if (!same_progress (self->progress, progress))
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  set_string (self, &self->step, step, PROP_STEP);
}

void
cd_job_update (CdJob             *self,
               const CdJobRecord *record)
{
  gboolean was_active;
  gboolean fills;

  g_return_if_fail (CD_IS_JOB (self));
  g_return_if_fail (record != NULL);
  /* a placeholder stands for a row of a list whose job is read later: any job may fill it */
  fills = !self->loaded;
  g_return_if_fail (fills || record->id == self->id);

  was_active = cd_job_is_active (self);
  g_object_freeze_notify (G_OBJECT (self));

  /* Only a placeholder changes its id; the kind, the target, the instance, the initiator and
   * the parameters of a stored job never change, but taking them each time costs a comparison
   * and keeps one way of updating. */
  set_number (self, &self->id, record->id, PROP_ID);
  set_string (self, &self->kind, record->kind, PROP_KIND);
  set_string (self, &self->target_type, record->target_type, PROP_TARGET_TYPE);
  set_string (self, &self->target, record->target, PROP_TARGET);
  set_number (self, &self->instance_id, record->instance_id, PROP_INSTANCE_ID);
  set_string (self, &self->initiator, record->initiator, PROP_INITIATOR);
  set_parameters (self, record->parameters);
  set_string (self, &self->state, record->state, PROP_STATE);
  set_number (self, &self->created, record->created, PROP_CREATED);
  set_number (self, &self->started, record->started, PROP_STARTED);
  set_number (self, &self->finished, record->finished, PROP_FINISHED);
  set_progress_and_step (self, record->progress, record->step);
  set_string (self, &self->message, record->message, PROP_MESSAGE);
  set_string (self, &self->error_action, record->error_action, PROP_ERROR_ACTION);
  if (was_active != cd_job_is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  if (fills)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

void
cd_job_show_record (CdJob             *self,
                    const CdJobRecord *record)
{
  g_return_if_fail (CD_IS_JOB (self));
  g_return_if_fail (record != NULL);

  /* taken as a placeholder takes its job: every value that differs is notified */
  if (record->id != self->id)
    self->loaded = FALSE;
  cd_job_update (self, record);
}

void
cd_job_invalidate (CdJob *self)
{
  g_return_if_fail (CD_IS_JOB (self));

  if (!self->loaded)
    return;
  self->loaded = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

void
cd_job_set_progress (CdJob      *self,
                     double      progress,
                     const char *step)
{
  g_return_if_fail (CD_IS_JOB (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_progress_and_step (self, progress, step);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
cd_job_is_loaded (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), FALSE);
  return self->loaded;
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

const char *
cd_job_get_target_type (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->target_type;
}

const char *
cd_job_get_initiator (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->initiator;
}

double
cd_job_get_progress (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), -1);
  return self->progress;
}

const char *
cd_job_get_step (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->step;
}

const char *
cd_job_get_error_action (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->error_action;
}

GVariant *
cd_job_get_parameters (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), NULL);
  return self->parameters;
}

gint64
cd_job_get_duration (CdJob  *self,
                     gint64  now)
{
  gint64 end;

  g_return_val_if_fail (CD_IS_JOB (self), 0);

  /* a job cancelled while it waited has an end but no start */
  if (self->started == 0)
    return 0;

  if (self->finished != 0)
    end = self->finished;
  else if (g_strcmp0 (self->state, CD_JOB_STATE_RUNNING) == 0)
    end = now;
  else
    return 0;

  /* the wall clock may have been set back while it ran */
  return MAX (end - self->started, 0);
}

gboolean
cd_job_is_active (CdJob *self)
{
  g_return_val_if_fail (CD_IS_JOB (self), FALSE);
  return g_strcmp0 (self->state, CD_JOB_STATE_QUEUED) == 0 ||
         g_strcmp0 (self->state, CD_JOB_STATE_RUNNING) == 0;
}
