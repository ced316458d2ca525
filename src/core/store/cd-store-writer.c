// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* The writer: one thread owns the writing connection and runs every write, one after the
 * other, in the order asked. A synchronous caller waits for its write; an asynchronous one
 * gets its GTask back on its own main context. The writer never drops the last reference to
 * the store or to a task: whoever asked keeps the store alive until the answer, and the
 * writer's reference to a task is let go on the task's context, so the store is never
 * finalized on the writer thread by the writer itself. */

typedef struct
{
  CdStore          *store; /* kept alive by the caller or its task */
  CdStoreWriteFunc  func;
  gpointer          data;
  GCancellable     *cancellable;
  gboolean          ok;
  GError           *error;
  gboolean          quit;

  /* a synchronous caller waits on these */
  GMutex            mutex;
  GCond             cond;
  gboolean          done;

  /* an asynchronous caller gets its task completed in its own context */
  GTask            *task;
  GMainContext     *context;
} WriteOp;

typedef struct
{
  GAsyncQueue *queue;
  CdStoreConn *conn;
} Writer;

static void
run_op (WriteOp *op)
{
  sqlite3 *db = _cd_store_db (op->store);

  if (op->cancellable != NULL && g_cancellable_set_error_if_cancelled (op->cancellable,
                                                                       &op->error))
    {
      op->ok = FALSE;
      return;
    }

  op->ok = op->func (op->store, op->data, op->cancellable, &op->error);
  if (!op->ok && op->error == NULL)
    {
      g_critical ("A write of the inventory database failed without saying why");
      g_set_error_literal (&op->error, CD_ERROR, CD_ERROR_FAILED,
                           _("The change could not be saved."));
    }
  else if (op->ok && op->error != NULL)
    {
      g_critical ("A write of the inventory database succeeded with an error: %s",
                  op->error->message);
      g_clear_error (&op->error);
    }

  /* the next write starts from a clean connection, whatever this one left */
  if (!sqlite3_get_autocommit (db))
    {
      g_critical ("A write of the inventory database left its transaction open; rolled back");
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* On the caller's context, after the task's callback: the last of the writer's part. */
static gboolean
release_async_op (gpointer data)
{
  WriteOp *op = data;

  g_clear_object (&op->task);
  g_clear_object (&op->cancellable);
  g_main_context_unref (op->context);
  g_free (op);

  return G_SOURCE_REMOVE;
}

static void
complete_op (WriteOp *op)
{
  if (op->task != NULL)
    {
      g_autoptr(GSource) source = NULL;

      /* Returned from this thread, a task always reports through an idle on its own context:
       * the callbacks come in the order the writes ran. The writer's reference goes in
       * another idle right behind it, so the task, its data and the store are never freed
       * on this thread. From here on the op belongs to the caller's context. */
      if (op->ok)
        g_task_return_boolean (op->task, TRUE);
      else
        g_task_return_error (op->task, g_steal_pointer (&op->error));

      source = g_idle_source_new ();
      g_source_set_priority (source, g_task_get_priority (op->task));
      g_source_set_callback (source, release_async_op, op, NULL);
      g_source_set_static_name (source, "[certdesk] store write released");
      g_source_attach (source, op->context);
      return;
    }

  g_mutex_lock (&op->mutex);
  op->done = TRUE;
  g_cond_signal (&op->cond);
  g_mutex_unlock (&op->mutex);
}

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;

  _cd_store_conn_bind (writer->conn);

  for (;;)
    {
      WriteOp *op = g_async_queue_pop (writer->queue);

      if (op->quit)
        {
          g_free (op);
          break;
        }

      run_op (op);
      complete_op (op);
    }

  _cd_store_conn_bind (NULL);
  _cd_store_conn_close (writer->conn);
  g_async_queue_unref (writer->queue);
  g_free (writer);

  return NULL;
}

void
_cd_store_writer_start (CdStore     *self,
                       CdStoreConn *conn)
{
  Writer *writer;

  g_assert (self->writer_thread == NULL);

  writer = g_new0 (Writer, 1);
  writer->conn = conn;
  writer->queue = g_async_queue_ref (self->writer_queue);
  self->writer_thread = g_thread_new ("certdesk-store-writer", writer_thread, writer);
}

void
_cd_store_writer_stop (CdStore *self)
{
  WriteOp *quit;

  if (self->writer_thread == NULL)
    return;

  quit = g_new0 (WriteOp, 1);
  quit->quit = TRUE;
  g_async_queue_push (self->writer_queue, quit);

  /* A write function that dropped the last reference cannot wait for its own thread: that
   * thread ends by itself once the function returns. */
  if (_cd_store_on_writer_thread (self))
    g_thread_unref (self->writer_thread);
  else
    g_thread_join (self->writer_thread);
  self->writer_thread = NULL;
}

gboolean
_cd_store_write_sync (CdStore           *self,
                     CdStoreWriteFunc   func,
                     gpointer           data,
                     GError           **error)
{
  WriteOp op = { 0 };

  g_assert (CD_IS_STORE (self));
  g_assert (func != NULL);

  if (!_cd_store_check_writable (self, error))
    return FALSE;

  /* a write function calling another write of the same store */
  if (_cd_store_on_writer_thread (self))
    return func (self, data, NULL, error);

  op.store = self;
  op.func = func;
  op.data = data;
  g_mutex_init (&op.mutex);
  g_cond_init (&op.cond);

  g_async_queue_push (self->writer_queue, &op);

  g_mutex_lock (&op.mutex);
  while (!op.done)
    g_cond_wait (&op.cond, &op.mutex);
  g_mutex_unlock (&op.mutex);

  g_mutex_clear (&op.mutex);
  g_cond_clear (&op.cond);

  if (!op.ok)
    {
      g_propagate_error (error, op.error);
      return FALSE;
    }

  return TRUE;
}

void
cd_store_write_async (CdStore             *self,
                      CdStoreWriteFunc     func,
                      gpointer             data,
                      GDestroyNotify       destroy,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  WriteOp *op;

  g_return_if_fail (CD_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_store_write_async);
  g_task_set_name (task, "[certdesk] store write");
  g_task_set_task_data (task, data, destroy);
  /* once the write has run, the caller must learn that it did, even if cancelled since */
  g_task_set_check_cancellable (task, FALSE);

  if (!_cd_store_check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  op = g_new0 (WriteOp, 1);
  op->store = self;
  op->func = func;
  op->data = data;
  op->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  op->context = g_main_context_ref_thread_default ();
  op->task = g_steal_pointer (&task);

  g_async_queue_push (self->writer_queue, op);
}

gboolean
cd_store_write_finish (CdStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_store_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
