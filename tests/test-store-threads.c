// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-store-threads"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-test-util.h"
#include "cd-error.h"
#include "cd-store.h"
#include "cd-store-private.h"

/* The store from several threads at once: one writer thread runs every write in turn, reads
 * run beside it on connections of their own. */

typedef struct
{
  char    *tmpdir;
  char    *path;
  CdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("certdesk-store-threads-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmpdir, "certdesk.db", NULL);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  /* answers still on their way hold the store: finalize it here, every connection closed,
   * before its files go */
  while (fixture->store != NULL && g_atomic_int_get (&G_OBJECT (fixture->store)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_clear_object (&fixture->store);
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->path);
}

#define TEST(name, func) \
  g_test_add ("/core/store/threads/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

static gint64
add_instance (CdStore    *store,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  CdInstanceRecord record = { .name = (char *) name, .data_center = (char *) "em3" };
  gint64 id;

  id = cd_store_add_instance (store, &record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static guint
count_instances (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventoryRecords) records = cd_store_load_inventory (store, &error);

  g_assert_no_error (error);
  return records->instances->len;
}

/* A write that keeps its transaction open until told to let go. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean holding;
  gboolean release;
  GThread *thread;
} Hold;

static gboolean
hold_write (CdStore       *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Hold *hold = data;
  CdInstanceRecord record = { .name = (char *) "Uncommitted", .data_center = (char *) "us2" };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  hold->thread = g_thread_self ();

  if (!_cd_store_begin (store, error))
    return FALSE;
  if (_cd_store_insert_instance (store, &record, error) == 0)
    {
      _cd_store_rollback (store);
      return FALSE;
    }

  g_mutex_lock (&hold->mutex);
  hold->holding = TRUE;
  g_cond_broadcast (&hold->cond);
  while (!hold->release)
    {
      if (!g_cond_wait_until (&hold->cond, &hold->mutex, deadline))
        break;
    }
  g_mutex_unlock (&hold->mutex);

  return _cd_store_commit (store, error);
}

typedef struct
{
  CdStore *store;
  Hold    *hold;
  gboolean ok;
  GError  *error;
} HoldThread;

static gpointer
hold_thread (gpointer data)
{
  HoldThread *ht = data;

  ht->ok = _cd_store_write_sync (ht->store, hold_write, ht->hold, &ht->error);
  return NULL;
}

static void
wait_for_holding (Hold *hold)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_mutex_lock (&hold->mutex);
  while (!hold->holding)
    g_assert_true (g_cond_wait_until (&hold->cond, &hold->mutex, deadline));
  g_mutex_unlock (&hold->mutex);
}

static void
let_go (Hold *hold)
{
  g_mutex_lock (&hold->mutex);
  hold->release = TRUE;
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->mutex);
}

/* Reads answer at once, from the last committed state, while a write keeps its transaction
 * open on the writer thread. */
static void
test_reads_during_write (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  Hold hold = { 0 };
  HoldThread ht = { fixture->store, &hold, FALSE, NULL };
  gint64 job_id, start;

  add_instance (fixture->store, "Acme Retail");
  job_id = cd_store_add_job (fixture->store, "install", "mail.acme-retail.example", 0, &error);
  g_assert_no_error (error);

  g_mutex_init (&hold.mutex);
  g_cond_init (&hold.cond);
  thread = g_thread_new ("hold", hold_thread, &ht);
  wait_for_holding (&hold);

  /* the write holds the database's write lock; reads do not wait for it */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(CdJobRecord) job = NULL;

      g_assert_cmpuint (count_instances (fixture->store), ==, 1);
      job = cd_store_get_job (fixture->store, job_id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (job->state, ==, CD_JOB_STATE_QUEUED);
    }
  jobs = cd_store_list_jobs (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* still holding: the reads did not wait for the end of the write */
  g_mutex_lock (&hold.mutex);
  g_assert_true (hold.holding && !hold.release);
  g_mutex_unlock (&hold.mutex);

  let_go (&hold);
  g_assert_true (hold.thread != thread);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_no_error (ht.error);
  g_assert_true (ht.ok);
  /* it ran on the writer thread, not on the one that asked */
  g_assert_true (hold.thread == fixture->store->writer_thread);
  g_assert_cmpuint (count_instances (fixture->store), ==, 2);

  g_mutex_clear (&hold.mutex);
  g_cond_clear (&hold.cond);
}

/* Writes from several threads run one at a time, on the writer thread, each thread's in the
 * order it asked. */
typedef struct
{
  CdStore *store;
  guint    index;
  gint     inside;   /* write functions running right now */
  gint     overlaps; /* times two ran at once */
  GThread *writer;
  gint     other_threads;
} Shared;

typedef struct
{
  Shared *shared;
  guint   index;
  gint64  ids[25];
} Worker;

static gboolean
exclusive_write (CdStore       *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Shared *shared = data;

  if (g_atomic_int_add (&shared->inside, 1) != 0)
    g_atomic_int_inc (&shared->overlaps);
  if (g_atomic_pointer_compare_and_exchange (&shared->writer, NULL, g_thread_self ()) == FALSE &&
      g_atomic_pointer_get (&shared->writer) != g_thread_self ())
    g_atomic_int_inc (&shared->other_threads);
  g_usleep (200);
  g_atomic_int_add (&shared->inside, -1);

  return TRUE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  Shared *shared = worker->shared;

  for (guint i = 0; i < G_N_ELEMENTS (worker->ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("Brand %u-%02u", worker->index, i);
      CdInstanceRecord record = { .name = name, .data_center = (char *) "ap5" };

      worker->ids[i] = cd_store_add_instance (shared->store, &record, &error);
      g_assert_no_error (error);
      g_assert_true (_cd_store_write_sync (shared->store, exclusive_write, shared, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

static void
test_writes_serialized (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  Shared shared = { .store = fixture->store };
  Worker workers[6];
  GThread *threads[G_N_ELEMENTS (workers)];

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      workers[i] = (Worker) { .shared = &shared, .index = i };
      threads[i] = g_thread_new ("worker", worker_thread, &workers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (shared.overlaps, ==, 0);
  g_assert_cmpint (shared.other_threads, ==, 0);
  g_assert_true (shared.writer == fixture->store->writer_thread);
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (workers[i].ids); j++)
        {
          g_assert_true (g_hash_table_add (ids, &workers[i].ids[j]));
          if (j > 0)
            g_assert_cmpint (workers[i].ids[j], >, workers[i].ids[j - 1]);
        }
    }

  records = cd_store_load_inventory (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->instances->len, ==, G_N_ELEMENTS (workers) * 25);
}

/* Many reads at once share a few connections and all get their answer. */
static gpointer
reader_thread (gpointer data)
{
  CdStore *store = data;

  for (guint i = 0; i < 30; i++)
    g_assert_cmpuint (count_instances (store), ==, 3);
  return NULL;
}

static void
test_many_readers (Fixture       *fixture,
                   gconstpointer  data)
{
  GThread *threads[12];

  add_instance (fixture->store, "A");
  add_instance (fixture->store, "B");
  add_instance (fixture->store, "C");

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reader", reader_thread, fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (fixture->store->n_readers, <=, 4);
  g_assert_cmpuint (fixture->store->n_readers, >=, 1);
}

/* Asynchronous writes: in the order asked, reported on the caller's context, their data freed
 * there after the callback; cancelled before they start, they do not run. */
typedef struct
{
  GPtrArray *ran;       /* names, in the order the functions ran */
  GPtrArray *reported;  /* names, in the order the callbacks came */
  GThread   *caller;
  guint      freed;
  guint      pending;
  GError    *errors[8];
} AsyncLog;

typedef struct
{
  AsyncLog *log;
  char     *name;
  gboolean  fail;
} AsyncWrite;

static void
async_write_free (gpointer data)
{
  AsyncWrite *write = data;

  g_assert_true (g_thread_self () == write->log->caller);
  write->log->freed++;
  g_free (write->name);
  g_free (write);
}

static gboolean
named_write (CdStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  AsyncWrite *write = data;
  CdInstanceRecord record = { .name = write->name, .data_center = (char *) "us6" };

  g_assert_true (g_thread_self () != write->log->caller);
  g_ptr_array_add (write->log->ran, g_strdup (write->name));

  if (write->fail)
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_FAILED, "Refused on purpose");
      return FALSE;
    }

  /* public synchronous functions run there and then on the writer thread */
  return cd_store_add_instance (store, &record, error) != 0;
}

static void
named_write_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncLog *log = user_data;
  g_autoptr(GError) error = NULL;
  guint n = log->reported->len;

  /* on the caller's thread, the data not freed yet */
  g_assert_true (g_thread_self () == log->caller);
  g_assert_cmpuint (log->freed, <=, n);
  if (!cd_store_write_finish (CD_STORE (source), result, &error))
    log->errors[n] = g_steal_pointer (&error);
  g_ptr_array_add (log->reported, g_strdup_printf ("%u", n));
  log->pending--;
}

static void
start_named (CdStore      *store,
             AsyncLog     *log,
             const char   *name,
             gboolean      fail,
             GCancellable *cancellable)
{
  AsyncWrite *write = g_new0 (AsyncWrite, 1);

  write->log = log;
  write->name = g_strdup (name);
  write->fail = fail;
  log->pending++;
  cd_store_write_async (store, named_write, write, async_write_free, cancellable,
                        named_write_done, log);
}

static void
test_write_async (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) read_only = NULL;
  AsyncLog log = { 0 };
  const char *names[] = { "First", "Second", "Third" };

  log.ran = g_ptr_array_new_with_free_func (g_free);
  log.reported = g_ptr_array_new_with_free_func (g_free);
  log.caller = g_thread_self ();

  g_cancellable_cancel (cancelled);
  start_named (fixture->store, &log, names[0], FALSE, NULL);
  start_named (fixture->store, &log, "Never", FALSE, cancelled);
  start_named (fixture->store, &log, names[1], FALSE, NULL);
  start_named (fixture->store, &log, "Refused", TRUE, NULL);
  /* a duplicate name fails as the synchronous function would */
  start_named (fixture->store, &log, names[0], FALSE, NULL);
  start_named (fixture->store, &log, names[2], FALSE, NULL);

  /* the data goes when the writer lets go of the task, on this thread, after the callback */
  while (log.pending > 0 || log.freed < 6)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (log.ran->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (log.ran, 0), ==, "First");
  g_assert_cmpstr (g_ptr_array_index (log.ran, 1), ==, "Second");
  g_assert_cmpstr (g_ptr_array_index (log.ran, 2), ==, "Refused");
  g_assert_cmpstr (g_ptr_array_index (log.ran, 3), ==, "First");
  g_assert_cmpstr (g_ptr_array_index (log.ran, 4), ==, "Third");
  g_assert_cmpuint (log.freed, ==, 6);

  g_assert_no_error (log.errors[0]);
  g_assert_error (log.errors[1], G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (log.errors[2]);
  g_assert_error (log.errors[3], CD_ERROR, CD_ERROR_FAILED);
  g_assert_error (log.errors[4], CD_ERROR, CD_ERROR_DUPLICATE);
  g_assert_no_error (log.errors[5]);
  g_assert_cmpuint (count_instances (fixture->store), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (log.errors); i++)
    g_clear_error (&log.errors[i]);
  g_ptr_array_set_size (log.ran, 0);
  g_ptr_array_set_size (log.reported, 0);
  log.freed = 0;

  /* a read-only store refuses without running anything */
  g_clear_object (&fixture->store);
  read_only = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  start_named (read_only, &log, "Nope", FALSE, NULL);
  while (log.pending > 0 || log.freed < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (log.errors[0], CD_ERROR, CD_ERROR_READ_ONLY);
  g_assert_cmpuint (log.ran->len, ==, 0);
  g_assert_cmpuint (log.freed, ==, 1);
  g_clear_error (&log.errors[0]);

  g_ptr_array_unref (log.ran);
  g_ptr_array_unref (log.reported);
}

/* The last reference to the store may go while writes are still queued: they run, report,
 * and the store is finalized on the caller's thread, after them. */
static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_store_write_finish (CD_STORE (source), result, &error));
  g_assert_no_error (error);
  (*done)++;
}

static gboolean
add_then_read (CdStore       *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(CdInventoryRecords) records = NULL;
  guint before;
  CdInstanceRecord record = { .name = data, .data_center = (char *) "la1" };

  /* reads on the writer thread go through its own connection */
  records = cd_store_load_inventory (store, error);
  if (records == NULL)
    return FALSE;
  before = records->instances->len;
  g_clear_pointer (&records, cd_inventory_records_free);

  if (cd_store_add_instance (store, &record, error) == 0)
    return FALSE;

  records = cd_store_load_inventory (store, error);
  if (records == NULL)
    return FALSE;
  g_assert_cmpuint (records->instances->len, ==, before + 1);
  return TRUE;
}

/* Inside its own transaction, a write function reads what it has written so far. */
static gboolean
read_in_transaction (CdStore       *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(CdInventoryRecords) records = NULL;
  CdInstanceRecord record = { .name = (char *) "Pending", .data_center = (char *) "ap2" };
  guint *seen = data;

  if (!_cd_store_begin (store, error))
    return FALSE;
  if (_cd_store_insert_instance (store, &record, error) == 0)
    goto fail;
  records = cd_store_load_inventory (store, error);
  if (records == NULL)
    goto fail;
  *seen = records->instances->len;
  return _cd_store_commit (store, error);

fail:
  _cd_store_rollback (store);
  return FALSE;
}

static void
test_read_in_write_transaction (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  add_instance (fixture->store, "Acme Retail");
  g_assert_true (_cd_store_write_sync (fixture->store, read_in_transaction, &seen, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen, ==, 2);
  g_assert_cmpuint (count_instances (fixture->store), ==, 2);
}

static void
test_last_reference_while_queued (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  GWeakRef weak;
  guint done = 0;

  for (guint i = 0; i < 10; i++)
    cd_store_write_async (fixture->store, add_then_read, g_strdup_printf ("Brand %u", i), g_free,
                          NULL, count_done, &done);
  g_weak_ref_init (&weak, fixture->store);
  g_clear_object (&fixture->store);

  while (done < 10)
    g_main_context_iteration (NULL, TRUE);
  /* the tasks were the last to hold it; the writer lets go of them on this thread */
  for (;;)
    {
      g_autoptr(CdStore) alive = g_weak_ref_get (&weak);

      if (alive == NULL)
        break;
      g_clear_object (&alive);
      g_main_context_iteration (NULL, TRUE);
    }
  g_weak_ref_clear (&weak);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_instances (store), ==, 10);
}

/* A synchronous function on the thread that runs the default main context (the user
 * interface's) says so: it could freeze the windows. */
static void
test_sync_on_main_context_warns (Fixture       *fixture,
                                 gconstpointer  data)
{
  static const char *const cases[] = { "read", "write", "open" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/store/threads/sync-on-main-context/%s",
                                               cases[i]);

      g_test_trap_subprocess (path, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr ("*CRITICAL*waits for the inventory database*main context*");
    }
}

static void
sync_on_main_context (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *which = data;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    return;

  /* as the application does for as long as it runs */
  g_assert_true (g_main_context_acquire (NULL));

  if (g_str_equal (which, "read"))
    {
      g_autoptr(GPtrArray) jobs = cd_store_list_jobs (fixture->store, &error);
    }
  else if (g_str_equal (which, "write"))
    add_instance (fixture->store, "Acme Retail");
  else
    {
      g_autoptr(CdStore) again = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
    }

  g_main_context_release (NULL);
}

/* Other threads may call them while the main context runs: that is what they are for. */
static gpointer
sync_from_worker (gpointer data)
{
  CdStore *store = data;

  add_instance (store, "Nordlicht Reisen");
  g_assert_cmpuint (count_instances (store), ==, 1);
  return NULL;
}

static void
test_sync_off_main_context (Fixture       *fixture,
                            gconstpointer  data)
{
  g_assert_true (g_main_context_acquire (NULL));
  g_thread_join (g_thread_new ("worker", sync_from_worker, fixture->store));
  g_main_context_release (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("reads-during-write", test_reads_during_write);
  TEST ("writes-serialized", test_writes_serialized);
  TEST ("many-readers", test_many_readers);
  TEST ("write-async", test_write_async);
  TEST ("last-reference-while-queued", test_last_reference_while_queued);
  TEST ("read-in-write-transaction", test_read_in_write_transaction);
  TEST ("sync-on-main-context", test_sync_on_main_context_warns);
  g_test_add ("/core/store/threads/sync-on-main-context/read", Fixture, "read",
              fixture_set_up, sync_on_main_context, fixture_tear_down);
  g_test_add ("/core/store/threads/sync-on-main-context/write", Fixture, "write",
              fixture_set_up, sync_on_main_context, fixture_tear_down);
  g_test_add ("/core/store/threads/sync-on-main-context/open", Fixture, "open",
              fixture_set_up, sync_on_main_context, fixture_tear_down);
  TEST ("sync-off-main-context", test_sync_off_main_context);

  return g_test_run ();
}
