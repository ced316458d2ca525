// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-jobs"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>

#include "cd-error.h"
#include "cd-job-enums.h"
#include "cd-job-runner-private.h"

/* Progress reaches the main context at most this often per job, however often the job
 * reports it, so that a fast job cannot flood the main loop. */
#define DELIVERY_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)
/* and is stored at most this often: a job that reports each of 100,000 steps makes 100,000
 * calls, not 100,000 writes */
#define STORE_INTERVAL_US    (1 * G_TIME_SPAN_SECOND)

CdJobContext *
_cd_job_context_new (CdJobRunner        *runner,
                     GMainContext       *main_context,
                     CdStore            *store,
                     const CdJobRequest *request)
{
  CdJobContext *self = g_new0 (CdJobContext, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->runner = g_object_ref (runner);
  self->main_context = g_main_context_ref (main_context);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->kind = cd_job_request_get_kind (request);
  self->exclusive = g_strdup (cd_job_request_get_exclusive (request));
  self->state = CD_JOB_QUEUED;
  self->fraction = -1;
  self->tracked_files = g_ptr_array_new_with_free_func (g_free);
  self->pending_events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_job_event_record_free);
  g_mutex_init (&self->lock);

  self->record = g_new0 (CdJobRecord, 1);
  self->record->kind = g_strdup (cd_job_enum_to_string (CD_TYPE_JOB_KIND, self->kind));
  self->record->target_type =
    g_strdup (cd_job_enum_to_string (CD_TYPE_JOB_TARGET_TYPE,
                                     cd_job_request_get_target_type (request)));
  self->record->target_id = cd_job_request_get_target_id (request);
  self->record->target = g_strdup (cd_job_request_get_target (request));
  self->record->instance_id = cd_job_request_get_instance_id (request);
  self->record->initiator =
    g_strdup (cd_job_enum_to_string (CD_TYPE_JOB_INITIATOR,
                                     cd_job_request_get_initiator (request)));
  self->record->parameters = cd_job_request_build_parameters (request);
  if (self->record->parameters != NULL)
    g_variant_ref_sink (self->record->parameters);
  self->record->state = g_strdup ("queued");
  self->record->progress = -1;
  self->record->owner = cd_process_identity_self ();

  return self;
}

CdJobContext *
_cd_job_context_ref (CdJobContext *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_cd_job_context_unref (CdJobContext *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_assert (self->delivery == NULL);
  g_assert (self->task == NULL);

  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  if (self->func_data_destroy != NULL)
    self->func_data_destroy (self->func_data);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->record, cd_job_record_free);
  g_clear_pointer (&self->tracked_files, g_ptr_array_unref);
  g_clear_pointer (&self->pending_events, g_ptr_array_unref);
  g_free (self->exclusive);
  g_free (self->step);
  g_free (self->error_action);
  g_free (self->end_message);
  g_clear_error (&self->end_error);
  g_mutex_clear (&self->lock);
  g_clear_object (&self->store);
  g_main_context_unref (self->main_context);
  g_object_unref (self->runner);
  g_free (self);
}

/* --- delivery to the main context --------------------------------------------------------- */

static void
deliver (CdJobContext *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *step = NULL;
  gboolean progress_changed;
  double fraction;

  g_mutex_lock (&self->lock);
  if (self->delivery != NULL)
    {
      g_source_destroy (self->delivery);
      g_clear_pointer (&self->delivery, g_source_unref);
    }
  progress_changed = self->progress_changed;
  self->progress_changed = FALSE;
  fraction = self->fraction;
  step = g_strdup (self->step);
  events = g_steal_pointer (&self->pending_events);
  self->pending_events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_job_event_record_free);
  self->last_delivery = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < events->len; i++)
    _cd_job_runner_emit_event (self->runner, self->id, g_ptr_array_index (events, i));
  if (progress_changed)
    _cd_job_runner_emit_progress (self->runner, self->id, fraction, step);
}

static gboolean
delivery_cb (gpointer user_data)
{
  deliver (user_data);
  return G_SOURCE_REMOVE;
}

/* Called with the lock held, from the worker. */
static void
schedule_delivery_locked (CdJobContext *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due = self->last_delivery + DELIVERY_INTERVAL_US;

  if (self->delivery != NULL)
    return;

  self->delivery = g_timeout_source_new (due > now ? (guint) ((due - now + 999) / 1000) : 0);
  g_source_set_priority (self->delivery, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->delivery, delivery_cb, _cd_job_context_ref (self),
                         (GDestroyNotify) _cd_job_context_unref);
  g_source_set_static_name (self->delivery, "[certdesk] job progress");
  g_source_attach (self->delivery, self->main_context);
}

/* --- the worker's side -------------------------------------------------------------------- */

gint64
cd_job_context_get_id (CdJobContext *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->id;
}

CdJobKind
cd_job_context_get_kind (CdJobContext *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->kind;
}

GCancellable *
cd_job_context_get_cancellable (CdJobContext *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->cancellable;
}

gboolean
cd_job_context_set_error_if_cancelled (CdJobContext  *self,
                                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return g_cancellable_set_error_if_cancelled (self->cancellable, error);
}

static void
store_progress (CdJobContext *self,
                gboolean      force)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *step = NULL;
  gint64 now = g_get_monotonic_time ();
  double fraction;

  if (self->store == NULL)
    return;
  if (!force && now - self->last_stored_progress < STORE_INTERVAL_US)
    return;

  g_mutex_lock (&self->lock);
  fraction = self->fraction;
  step = g_strdup (self->step);
  self->step_stored = TRUE;
  g_mutex_unlock (&self->lock);

  self->last_stored_progress = now;
  if (!cd_store_set_job_progress (self->store, self->id, fraction, step, &error))
    g_warning ("The progress of job %" G_GINT64_FORMAT " could not be stored: %s", self->id,
               error->message);
}

void
cd_job_context_set_progress (CdJobContext *self,
                             double        fraction)
{
  g_return_if_fail (self != NULL);

  if (fraction > 1)
    fraction = 1;
  if (fraction < 0 || isnan (fraction))
    fraction = -1;

  g_mutex_lock (&self->lock);
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      self->progress_changed = TRUE;
      self->step_stored = FALSE;
      schedule_delivery_locked (self);
    }
  g_mutex_unlock (&self->lock);

  store_progress (self, FALSE);
}

void
cd_job_context_set_step (CdJobContext *self,
                         const char   *step)
{
  gboolean changed = FALSE;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  if (g_strcmp0 (self->step, step) != 0)
    {
      g_free (self->step);
      self->step = g_strdup (step);
      self->progress_changed = TRUE;
      self->step_stored = FALSE;
      schedule_delivery_locked (self);
      changed = TRUE;
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    store_progress (self, FALSE);
}

static const char *
level_string (CdJobEventLevel level)
{
  return cd_job_enum_to_string (CD_TYPE_JOB_EVENT_LEVEL, level);
}

void
cd_job_context_log (CdJobContext    *self,
                    CdJobEventLevel  level,
                    const char      *format,
                    ...)
{
  g_autoptr(GError) error = NULL;
  CdJobEventRecord *event;
  va_list args;

  g_return_if_fail (self != NULL);
  g_return_if_fail (format != NULL);

  event = g_new0 (CdJobEventRecord, 1);
  event->job_id = self->id;
  event->time = g_get_real_time ();
  event->level = g_strdup (level_string (level));
  va_start (args, format);
  event->message = g_strdup_vprintf (format, args);
  va_end (args);

  if (self->store != NULL)
    {
      event->id = cd_store_add_job_event (self->store, self->id, event->level, event->message,
                                          &error);
      if (event->id == 0)
        g_warning ("An event of job %" G_GINT64_FORMAT " could not be stored: %s", self->id,
                   error->message);
    }

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->pending_events, event);
  schedule_delivery_locked (self);
  g_mutex_unlock (&self->lock);
}

gboolean
cd_job_context_add_artifact (CdJobContext  *self,
                             const char    *name,
                             const char    *media_type,
                             GBytes        *content,
                             GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (content != NULL, FALSE);

  if (self->store == NULL)
    return TRUE;
  return cd_store_add_job_artifact (self->store, self->id, name, media_type, content, NULL,
                                    error) != 0;
}

gboolean
cd_job_context_add_artifact_path (CdJobContext  *self,
                                  const char    *name,
                                  const char    *media_type,
                                  const char    *path,
                                  GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->store == NULL)
    return TRUE;
  return cd_store_add_job_artifact (self->store, self->id, name, media_type, NULL, path,
                                    error) != 0;
}

void
cd_job_context_track_file (CdJobContext *self,
                           const char   *path)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  g_ptr_array_add (self->tracked_files, g_strdup (path));
}

void
cd_job_context_set_error_action (CdJobContext *self,
                                 const char   *action)
{
  g_return_if_fail (self != NULL);

  g_free (self->error_action);
  self->error_action = g_strdup (action);
}

/* --- the end ------------------------------------------------------------------------------ */

void
_cd_job_context_flush (CdJobContext *self)
{
  gboolean stored;

  g_mutex_lock (&self->lock);
  stored = self->step_stored;
  g_mutex_unlock (&self->lock);

  if (!stored)
    store_progress (self, TRUE);
}

void
_cd_job_context_clean_up (CdJobContext *self,
                          gboolean      cancelled)
{
  for (guint i = 0; i < self->tracked_files->len; i++)
    {
      const char *path = g_ptr_array_index (self->tracked_files, i);

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not remove “%s”, left by job %" G_GINT64_FORMAT ": %s", path,
                   self->id, g_strerror (errno));
    }
  g_ptr_array_set_size (self->tracked_files, 0);

  if (cancelled && self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!cd_store_delete_job_artifacts (self->store, self->id, &error))
        g_warning ("The artifacts of cancelled job %" G_GINT64_FORMAT " could not be removed: %s",
                   self->id, error->message);
    }
}

const char *
_cd_job_context_get_error_action (CdJobContext *self)
{
  return self->error_action;
}

void
_cd_job_context_deliver_now (CdJobContext *self)
{
  deliver (self);
}
