// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-jobs"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-job-enums.h"
#include "cd-job-runner-private.h"

/* The runner's own bookkeeping (queues, counts, the table of live jobs) lives on its main
 * context; a worker thread only runs a job's work function and stores what it reports. Jobs
 * are stored in submission order by one thread, so ids grow in the order jobs were asked
 * for. */

struct _CdJobRunner
{
  GObject       parent_instance;

  CdStore      *store;        /* may be NULL */
  GMainContext *main_context;
  GThreadPool  *store_pool;   /* one thread: stores new jobs in order */
  GThreadPool  *work_pool;    /* runs work functions; bounded by the limits below */

  guint         limits[CD_JOB_KIND_LAST + 1];
  guint         running[CD_JOB_KIND_LAST + 1];
  /* Stored jobs waiting to start, each in one queue, so that starting one costs the same
   * with 10 or 100,000 waiting: a job without an exclusive key, or holding its key, waits in
   * its kind's queue for a place; the others wait in their key's queue for the key. */
  GQueue        ready[CD_JOB_KIND_LAST + 1];  /* CdJobContext *, strong */
  GHashTable   *keys;         /* exclusive key -> GQueue of CdJobContext * (strong) waiting
                               * for it; present while a job holds the key */
  GHashTable   *active;       /* id -> CdJobContext *, queued or running */
  gint64        next_local_id; /* for a runner without a store: -1, -2, ... */
};

G_DEFINE_FINAL_TYPE (CdJobRunner, cd_job_runner, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  JOB_STATE_CHANGED,
  JOB_PROGRESS,
  JOB_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dispatch    (CdJobRunner  *self);
static void start       (CdJobRunner  *self,
                         CdJobContext *job);
static void enqueue     (CdJobRunner  *self,
                         CdJobContext *job);
static void release_key (CdJobRunner  *self,
                         CdJobContext *job);

/* --- on the main context ------------------------------------------------------------------ */

static void
emit_state (CdJobRunner *self,
            gint64       job_id,
            CdJobState   state,
            const char  *message)
{
  g_signal_emit (self, signals[JOB_STATE_CHANGED], 0, job_id, state, message);
}

void
_cd_job_runner_emit_progress (CdJobRunner *self,
                              gint64       job_id,
                              double       fraction,
                              const char  *step)
{
  g_signal_emit (self, signals[JOB_PROGRESS], 0, job_id, fraction, step);
}

void
_cd_job_runner_emit_event (CdJobRunner            *self,
                           gint64                  job_id,
                           const CdJobEventRecord *event)
{
  int level = CD_JOB_EVENT_INFO;

  cd_job_enum_from_string (CD_TYPE_JOB_EVENT_LEVEL, event->level, &level);
  g_signal_emit (self, signals[JOB_EVENT], 0, job_id, event->time, level, event->message);
}

/* Queues @func on the main context of @job, owning @job's reference. Always through a
 * source: g_main_context_invoke() would run it in the calling worker thread whenever the
 * main context is not running at that moment. */
static void
hand_to_main (CdJobContext *job,
              GSourceFunc   func)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, job, (GDestroyNotify) _cd_job_context_unref);
  g_source_set_static_name (source, "[certdesk] job");
  g_source_attach (source, job->main_context);
}

/* The same with a reference of its own. */
static void
invoke_on_main (CdJobContext *job,
                GSourceFunc   func)
{
  hand_to_main (_cd_job_context_ref (job), func);
}

static gboolean
job_running_cb (gpointer user_data)
{
  CdJobContext *job = user_data;

  if (job->state == CD_JOB_QUEUED)
    {
      job->state = CD_JOB_RUNNING;
      emit_state (job->runner, job->id, CD_JOB_RUNNING, NULL);
    }
  return G_SOURCE_REMOVE;
}

/* The job has ended and its end is stored: free its place and announce it. */
static gboolean
job_ended_cb (gpointer user_data)
{
  CdJobContext *job = user_data;
  CdJobRunner *self = job->runner;
  g_autoptr(GTask) task = g_steal_pointer (&job->task);

  /* here, where a reference is held, rather than when the last one goes: a cancel from
   * another thread may be running its handler, which the disconnection waits for */
  if (job->cancelled_id != 0)
    {
      g_cancellable_disconnect (job->cancellable, job->cancelled_id);
      job->cancelled_id = 0;
    }

  if (job->counted)
    {
      g_assert (self->running[job->kind] > 0);
      self->running[job->kind]--;
      job->counted = FALSE;
    }
  if (job->holds_key)
    release_key (self, job);
  job->state = job->end_state;

  /* what the job reported comes before its end */
  _cd_job_context_deliver_now (job);
  emit_state (self, job->id, job->end_state, job->end_message);
  g_hash_table_remove (self->active, &job->id);

  if (task != NULL)
    {
      /* the job's id, for _finish(), whatever the outcome */
      g_task_set_task_data (task, g_memdup2 (&job->id, sizeof job->id), g_free);
      if (job->end_state == CD_JOB_FINISHED)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&job->end_error));
    }

  dispatch (self);
  return G_SOURCE_REMOVE;
}

/* --- in a worker thread ------------------------------------------------------------------- */

static const char *
default_error_action (const GError *error)
{
  if (error->domain != CD_ERROR)
    return _("Read the job’s events for what went wrong, then run it again.");

  switch (error->code)
    {
    case CD_ERROR_WRONG_PASSWORD:
      return _("Check the password, then run the job again.");
    case CD_ERROR_IO:
      return _("Check that the disk has free space and that the folder can be written to, "
               "then run the job again.");
    case CD_ERROR_BAD_FORMAT:
    case CD_ERROR_UNSUPPORTED:
    case CD_ERROR_TOO_LARGE:
      return _("Check that the file is the one you meant, or ask its sender for it again as "
               "PEM or PKCS#12.");
    case CD_ERROR_READ_ONLY:
    case CD_ERROR_DATABASE_TOO_NEW:
      return _("The inventory database cannot be written: check that its folder and file can "
               "be written, or update Certdesk if a newer version wrote it, then run the job "
               "again.");
    case CD_ERROR_NOT_FOUND:
      return _("What the job acts on may have been deleted: check the inventory, then run "
               "the job again.");
    default:
      return _("Read the job’s events for what went wrong, then run it again.");
    }
}

static void
store_outcome (CdJobContext *job)
{
  g_autoptr(GError) error = NULL;
  const char *state = cd_job_enum_to_string (CD_TYPE_JOB_STATE, job->end_state);
  const char *action = NULL;

  if (job->end_state == CD_JOB_FAILED)
    action = _cd_job_context_get_error_action (job) != NULL
               ? _cd_job_context_get_error_action (job)
               : default_error_action (job->end_error);

  if (job->store != NULL &&
      !cd_store_set_job_outcome (job->store, job->id, state, job->end_message, action, &error))
    g_warning ("The end of job %" G_GINT64_FORMAT " could not be stored: %s", job->id,
               error->message);
}

static gboolean
is_cancellation (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, CD_ERROR, CD_ERROR_CANCELLED);
}

/* Runs the job's work, or ends it as cancelled without running it, and stores its end. */
static void
run_job (CdJobContext *job)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  if (!g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    {
      if (job->store != NULL &&
          !cd_store_set_job_state (job->store, job->id, "running", NULL, &error))
        {
          g_prefix_error (&error, "%s ", _("The job could not be started."));
        }
      else
        {
          invoke_on_main (job, job_running_cb);
          ok = job->func (job, job->func_data, &error);
          g_assert (ok || error != NULL);
        }
    }
  _cd_job_context_flush (job);

  if (ok)
    {
      job->end_state = CD_JOB_FINISHED;
    }
  else if (is_cancellation (error) || g_cancellable_is_cancelled (job->cancellable))
    {
      job->end_state = CD_JOB_CANCELLED;
      job->end_message = g_strdup (_("Cancelled: nothing was left half-done."));
      g_set_error_literal (&job->end_error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The job was cancelled."));
      cd_job_context_log (job, CD_JOB_EVENT_INFO, "%s", _("Cancelled."));
      _cd_job_context_clean_up (job, TRUE);
    }
  else
    {
      job->end_state = CD_JOB_FAILED;
      job->end_message = g_strdup (error->message);
      cd_job_context_log (job, CD_JOB_EVENT_ERROR, "%s", error->message);
      _cd_job_context_clean_up (job, FALSE);
      job->end_error = g_steal_pointer (&error);
    }

  store_outcome (job);
}

static void
work_thread (gpointer data,
             gpointer user_data)
{
  CdJobContext *job = data;

  run_job (job);
  hand_to_main (job, job_ended_cb);
}

static gboolean
job_stored_cb (gpointer user_data)
{
  CdJobContext *job = user_data;
  CdJobRunner *self = job->runner;

  g_hash_table_insert (self->active, &job->id, _cd_job_context_ref (job));
  emit_state (self, job->id, CD_JOB_QUEUED, NULL);
  /* cancelled before it was stored: it only needs its end stored, not a place */
  if (g_cancellable_is_cancelled (job->cancellable))
    start (self, _cd_job_context_ref (job));
  else
    enqueue (self, _cd_job_context_ref (job));
  dispatch (self);
  return G_SOURCE_REMOVE;
}

static void
store_thread (gpointer data,
              gpointer user_data)
{
  CdJobContext *job = data;
  g_autoptr(GError) error = NULL;

  if (job->store != NULL)
    {
      job->id = cd_store_insert_job (job->store, job->record, &error);
      if (job->id == 0)
        {
          job->end_state = CD_JOB_FAILED;
          job->end_message = g_strdup (error->message);
          job->end_error = g_steal_pointer (&error);
          /* never ran: it ends as failed, with the store's error */
          hand_to_main (job, job_ended_cb);
          return;
        }
    }
  hand_to_main (job, job_stored_cb);
}

/* --- scheduling, on the main context ------------------------------------------------------ */

/* Takes @job's reference. */
static void
enqueue (CdJobRunner  *self,
         CdJobContext *job)
{
  GQueue *waiting;

  if (job->exclusive == NULL)
    {
      g_queue_push_tail (&self->ready[job->kind], job);
      return;
    }

  waiting = g_hash_table_lookup (self->keys, job->exclusive);
  if (waiting != NULL)
    {
      g_queue_push_tail (waiting, job);
      return;
    }
  g_hash_table_insert (self->keys, g_strdup (job->exclusive), g_queue_new ());
  job->holds_key = TRUE;
  g_queue_push_tail (&self->ready[job->kind], job);
}

/* @job, which held its key, has ended: the next job waiting for the key gets it. */
static void
release_key (CdJobRunner  *self,
             CdJobContext *job)
{
  GQueue *waiting = g_hash_table_lookup (self->keys, job->exclusive);
  CdJobContext *next;

  g_assert (waiting != NULL);
  job->holds_key = FALSE;
  next = g_queue_pop_head (waiting);
  if (next == NULL)
    {
      g_hash_table_remove (self->keys, job->exclusive);
      return;
    }
  next->holds_key = TRUE;
  g_queue_push_tail (&self->ready[next->kind], next);
}

static void
start (CdJobRunner  *self,
       CdJobContext *job)
{
  if (!g_cancellable_is_cancelled (job->cancellable))
    {
      self->running[job->kind]++;
      job->counted = TRUE;
    }
  /* the queue's reference goes to the worker */
  g_thread_pool_push (self->work_pool, job, NULL);
}

static void
dispatch (CdJobRunner *self)
{
  for (guint kind = 0; kind <= CD_JOB_KIND_LAST; kind++)
    {
      while (self->running[kind] < self->limits[kind] && self->ready[kind].length > 0)
        start (self, g_queue_pop_head (&self->ready[kind]));
    }
}

/* Takes @job out of whatever queue it waits in; FALSE when it waits in none. */
static gboolean
unqueue (CdJobRunner  *self,
         CdJobContext *job)
{
  GQueue *waiting;

  if (g_queue_remove (&self->ready[job->kind], job))
    return TRUE;
  waiting = job->exclusive != NULL ? g_hash_table_lookup (self->keys, job->exclusive) : NULL;
  return waiting != NULL && g_queue_remove (waiting, job);
}

/* A job cancelled while it waits for a place ends now, not when a place frees. */
static gboolean
job_cancelled_cb (gpointer user_data)
{
  CdJobContext *job = user_data;

  /* it runs only to store its end, outside the limits; the queue's reference goes with it */
  if (unqueue (job->runner, job))
    start (job->runner, job);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              CdJobContext *job)
{
  /* any thread */
  invoke_on_main (job, job_cancelled_cb);
}

/* --- the API ------------------------------------------------------------------------------ */

void
cd_job_runner_run_async (CdJobRunner         *self,
                         const CdJobRequest  *request,
                         CdJobFunc            func,
                         gpointer             func_data,
                         GDestroyNotify       func_data_destroy,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  CdJobContext *job;

  g_return_if_fail (CD_IS_JOB_RUNNER (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = _cd_job_context_new (self, self->main_context, self->store, request);
  job->func = func;
  job->func_data = func_data;
  job->func_data_destroy = func_data_destroy;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, cd_job_runner_run_async);
  /* a cancelled job ends as cancelled through the runner, not through GTask */
  g_task_set_check_cancellable (job->task, FALSE);
  job->cancelled_id = g_cancellable_connect (job->cancellable, G_CALLBACK (cancelled_cb), job,
                                             NULL);

  if (self->store == NULL)
    job->id = --self->next_local_id;

  /* the pool's reference */
  g_thread_pool_push (self->store_pool, job, NULL);
}

gboolean
cd_job_runner_run_finish (CdJobRunner   *self,
                          GAsyncResult  *result,
                          gint64        *out_job_id,
                          GError       **error)
{
  const gint64 *job_id;

  g_return_val_if_fail (CD_IS_JOB_RUNNER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_job_runner_run_async,
                        FALSE);

  job_id = g_task_get_task_data (G_TASK (result));
  if (out_job_id != NULL)
    *out_job_id = job_id != NULL && *job_id > 0 ? *job_id : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GAsyncResult *result;
} SyncData;

static void
run_sync_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
}

gboolean
cd_job_runner_run_sync (CdJobRunner         *self,
                        const CdJobRequest  *request,
                        CdJobFunc            func,
                        gpointer             func_data,
                        GCancellable        *cancellable,
                        gint64              *out_job_id,
                        GError             **error)
{
  SyncData data = { NULL };
  gboolean ok;

  g_return_val_if_fail (CD_IS_JOB_RUNNER (self), FALSE);
  g_return_val_if_fail (g_main_context_is_owner (self->main_context) ||
                        g_main_context_acquire (self->main_context), FALSE);

  cd_job_runner_run_async (self, request, func, func_data, NULL, cancellable, run_sync_cb,
                           &data);
  while (data.result == NULL)
    g_main_context_iteration (self->main_context, TRUE);

  ok = cd_job_runner_run_finish (self, data.result, out_job_id, error);
  g_object_unref (data.result);
  return ok;
}

gboolean
cd_job_runner_cancel (CdJobRunner *self,
                      gint64       job_id)
{
  CdJobContext *job;

  g_return_val_if_fail (CD_IS_JOB_RUNNER (self), FALSE);

  job = g_hash_table_lookup (self->active, &job_id);
  if (job == NULL)
    return FALSE;
  g_cancellable_cancel (job->cancellable);
  return TRUE;
}

guint
cd_job_runner_get_n_active (CdJobRunner *self)
{
  g_return_val_if_fail (CD_IS_JOB_RUNNER (self), 0);
  return g_hash_table_size (self->active);
}

void
cd_job_runner_set_limit (CdJobRunner *self,
                         CdJobKind    kind,
                         guint        limit)
{
  g_return_if_fail (CD_IS_JOB_RUNNER (self));
  g_return_if_fail (kind <= CD_JOB_KIND_LAST);
  g_return_if_fail (limit > 0);

  self->limits[kind] = limit;
  dispatch (self);
}

guint
cd_job_runner_get_limit (CdJobRunner *self,
                         CdJobKind    kind)
{
  g_return_val_if_fail (CD_IS_JOB_RUNNER (self), 0);
  g_return_val_if_fail (kind <= CD_JOB_KIND_LAST, 0);
  return self->limits[kind];
}

CdStore *
cd_job_runner_get_store (CdJobRunner *self)
{
  g_return_val_if_fail (CD_IS_JOB_RUNNER (self), NULL);
  return self->store;
}

CdJobRunner *
cd_job_runner_new (CdStore *store)
{
  g_return_val_if_fail (store == NULL || CD_IS_STORE (store), NULL);
  return g_object_new (CD_TYPE_JOB_RUNNER, "store", store, NULL);
}

/* --- the object --------------------------------------------------------------------------- */

static void
cd_job_runner_dispose (GObject *object)
{
  CdJobRunner *self = CD_JOB_RUNNER (object);

  /* Jobs hold the runner while they live, so the last reference goes only once none is
   * left: the pools are idle here. */
  g_assert (g_hash_table_size (self->active) == 0);
  if (self->store_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->store_pool), FALSE, TRUE);
  if (self->work_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->work_pool), FALSE, TRUE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cd_job_runner_parent_class)->dispose (object);
}

static void
cd_job_runner_finalize (GObject *object)
{
  CdJobRunner *self = CD_JOB_RUNNER (object);

  g_hash_table_unref (self->active);
  g_hash_table_unref (self->keys);
  g_main_context_unref (self->main_context);

  G_OBJECT_CLASS (cd_job_runner_parent_class)->finalize (object);
}

static void
cd_job_runner_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CdJobRunner *self = CD_JOB_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_job_runner_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CdJobRunner *self = CD_JOB_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_job_runner_class_init (CdJobRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_job_runner_dispose;
  object_class->finalize = cd_job_runner_finalize;
  object_class->get_property = cd_job_runner_get_property;
  object_class->set_property = cd_job_runner_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[JOB_STATE_CHANGED] =
    g_signal_new ("job-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, CD_TYPE_JOB_STATE,
                  G_TYPE_STRING);
  signals[JOB_PROGRESS] =
    g_signal_new ("job-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_DOUBLE, G_TYPE_STRING);
  signals[JOB_EVENT] =
    g_signal_new ("job-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_INT64, G_TYPE_INT64,
                  CD_TYPE_JOB_EVENT_LEVEL, G_TYPE_STRING);
}

static void
cd_job_runner_init (CdJobRunner *self)
{
  self->main_context = g_main_context_ref_thread_default ();
  self->active = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                        (GDestroyNotify) _cd_job_context_unref);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_queue_free);
  for (guint kind = 0; kind <= CD_JOB_KIND_LAST; kind++)
    g_queue_init (&self->ready[kind]);
  self->store_pool = g_thread_pool_new (store_thread, self, 1, FALSE, NULL);
  self->work_pool = g_thread_pool_new (work_thread, self, -1, FALSE, NULL);

  for (guint kind = 0; kind <= CD_JOB_KIND_LAST; kind++)
    {
      switch ((CdJobKind) kind)
        {
        case CD_JOB_KIND_CHECK_HOSTS:
        case CD_JOB_KIND_CHECK_DNS:
          self->limits[kind] = 16;
          break;
        case CD_JOB_KIND_DOWNLOAD_BUNDLE:
        case CD_JOB_KIND_IMPORT_BUNDLE:
          self->limits[kind] = 4;
          break;
        case CD_JOB_KIND_GENERATE_CSR:
        case CD_JOB_KIND_INSTALL_CERTIFICATE:
        case CD_JOB_KIND_RENEW_CERTIFICATE:
        case CD_JOB_KIND_IMPORT_KEYSTORE:
        default:
          self->limits[kind] = 2;
          break;
        }
    }
}
