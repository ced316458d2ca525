// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-inventory-async"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cd-test-util.h"
#include "cd-test-inventory.h"
#include "cd-error.h"
#include "cd-inventory.h"

/* The inventory's changes never wait on the main context: the store's writer thread waits
 * for the database, and the main loop goes on turning meanwhile. */

typedef CdTestInventoryFixture Fixture;

#define TEST(name, func) \
  g_test_add ("/model/inventory/async/" name, Fixture, NULL, cd_test_inventory_set_up, func, \
              cd_test_inventory_tear_down)

static guint
n_instances (CdInventory *inventory)
{
  return g_list_model_get_n_items (cd_inventory_get_instances (inventory));
}

static CdInstance *
nth_instance (CdInventory *inventory,
              guint        n)
{
  g_autoptr(CdInstance) instance = g_list_model_get_item (cd_inventory_get_instances (inventory),
                                                          n);
  return instance;
}

/* The main loop while another program holds the database's write lock for three seconds */

typedef struct
{
  GMainLoop    *loop;
  gint64        last_tick;
  gint64        largest_gap;
  guint         ticks;
  GAsyncResult *written;
  gint64        written_at;
  GAsyncResult *loaded;
  gint64        loaded_at;
} Turning;

static gboolean
tick (gpointer data)
{
  Turning *turning = data;
  gint64 now = g_get_monotonic_time ();

  turning->largest_gap = MAX (turning->largest_gap, now - turning->last_tick);
  turning->last_tick = now;
  turning->ticks++;

  return G_SOURCE_CONTINUE;
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Turning *turning = user_data;

  turning->written = g_object_ref (result);
  turning->written_at = g_get_monotonic_time ();
  g_main_loop_quit (turning->loop);
}

static void
reloaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Turning *turning = user_data;

  turning->loaded = g_object_ref (result);
  turning->loaded_at = g_get_monotonic_time ();
}

static gboolean
too_long (gpointer data)
{
  g_error ("The write did not come back within a minute");
  return G_SOURCE_REMOVE;
}

static void
test_main_loop_turns_while_locked (Fixture       *fixture,
                                   gconstpointer  data)
{
  static const char script[] =
    "import sqlite3, sys, time\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "c.execute('BEGIN IMMEDIATE')\n"
    "c.execute(\"INSERT INTO instances (name, data_center, created)"
    " VALUES ('Held by another program', 'em3', 1)\")\n"
    "print('locked', flush=True)\n"
    "time.sleep(3)\n"
    "c.execute('COMMIT')\n"
    "print('committed', flush=True)\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(CdInstance) added = NULL;
  g_autoptr(CdInventory) other = NULL;
  Turning turning = { loop };
  gint64 locked_at, elapsed;
  guint tick_id, guard_id;

  if (python == NULL)
    {
      g_test_fail_printf ("python3 is needed to hold the database from another process");
      return;
    }

  /* the holder's clock plays no part: it runs without a faked one (faketime's library makes
   * python's sleep fail when the monotonic clock is left real) */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "LD_PRELOAD");
  holder = g_subprocess_launcher_spawn (launcher, &error, python, "-c", script, fixture->path,
                                        NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");
  locked_at = g_get_monotonic_time ();

  /* the other program holds the write lock: this write has to wait for it, on the writer */
  cd_inventory_add_instance_async (fixture->inventory, "Acme Retail", "", "us2", NULL,
                                   written_cb, &turning);
  /* and a read, on a connection of its own, does not */
  other = cd_inventory_new (fixture->store);
  cd_inventory_load_async (other, NULL, reloaded_cb, &turning);

  turning.last_tick = g_get_monotonic_time ();
  tick_id = g_timeout_add (16, tick, &turning);
  guard_id = g_timeout_add_seconds (60, too_long, NULL);
  g_main_loop_run (loop);
  g_source_remove (tick_id);
  g_source_remove (guard_id);
  tick (&turning);

  g_assert_true (g_subprocess_wait_check (holder, NULL, &error));
  g_assert_no_error (error);

  /* the write went through once the other program had committed, not failed */
  added = cd_inventory_add_instance_finish (fixture->inventory, turning.written, &error);
  g_assert_no_error (error);
  g_assert_nonnull (added);
  g_assert_cmpstr (cd_instance_get_name (added), ==, "Acme Retail");
  elapsed = turning.written_at - locked_at;
  g_test_message ("write done %.2f s after the lock, %u ticks, largest gap %.0f ms",
                  elapsed / 1e6, turning.ticks, turning.largest_gap / 1e3);
  g_assert_cmpint (elapsed, >=, 2500 * G_TIME_SPAN_MILLISECOND);

  /* the read came back while the lock was held */
  g_assert_nonnull (turning.loaded);
  g_assert_true (cd_inventory_load_finish (other, turning.loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpint (turning.loaded_at - locked_at, <, 2500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (n_instances (other), ==, 0);

  /* and the main loop turned all the while */
  g_assert_cmpint (turning.largest_gap, <=, 250 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (turning.ticks, >=, elapsed / (16 * G_TIME_SPAN_MILLISECOND) / 2);

  /* both rows are there, the other program's and ours */
  g_clear_object (&other);
  other = cd_inventory_new (fixture->store);
  cd_test_load_inventory (other);
  g_assert_cmpuint (n_instances (other), ==, 2);

  g_clear_object (&turning.written);
  g_clear_object (&turning.loaded);
}

/* Changes asked for one after the other are written and shown in that order. */
static void
test_changes_in_order (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char *const names[] = { "Acme Retail", "Nordlicht Reisen", "Sakura Foods" };
  GAsyncResult *results[G_N_ELEMENTS (names)] = { NULL, };
  g_autoptr(GAsyncResult) updated = NULL;
  g_autoptr(GAsyncResult) duplicate = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventory) again = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    cd_inventory_add_instance_async (fixture->inventory, names[i], "", "em3", NULL,
                                     cd_test_got_result, &results[i]);
  /* the lists do not change before the store has written */
  g_assert_cmpuint (n_instances (fixture->inventory), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CdInstance) instance = NULL;

      instance = cd_inventory_add_instance_finish (fixture->inventory,
                                                   cd_test_wait_for (&results[i]), &error);
      g_assert_no_error (error);
      g_assert_true (instance == nth_instance (fixture->inventory, i));
      /* they came back in order: the later ones were not there before */
      g_assert_cmpuint (n_instances (fixture->inventory), >=, i + 1);
      g_clear_object (&results[i]);
    }

  /* two changes of the same name in flight: the store refuses the second */
  cd_inventory_update_instance_async (fixture->inventory, nth_instance (fixture->inventory, 1),
                                      "Nordlicht Outlet", "", "em4", NULL, cd_test_got_result,
                                      &updated);
  cd_inventory_add_instance_async (fixture->inventory, "nordlicht outlet", "", "em5", NULL,
                                   cd_test_got_result, &duplicate);
  g_assert_true (cd_inventory_update_instance_finish (fixture->inventory,
                                                      cd_test_wait_for (&updated), &error));
  g_assert_no_error (error);
  g_assert_null (cd_inventory_add_instance_finish (fixture->inventory,
                                                   cd_test_wait_for (&duplicate), &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpuint (n_instances (fixture->inventory), ==, 3);
  g_assert_cmpstr (cd_instance_get_name (nth_instance (fixture->inventory, 1)), ==,
                   "Nordlicht Outlet");

  again = cd_inventory_new (fixture->store);
  cd_test_load_inventory (again);
  g_assert_cmpuint (n_instances (again), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (cd_instance_get_id (nth_instance (again, i)), ==,
                     cd_instance_get_id (nth_instance (fixture->inventory, i)));
  g_assert_cmpstr (cd_instance_get_name (nth_instance (again, 1)), ==, "Nordlicht Outlet");
  g_assert_cmpstr (cd_instance_get_data_center (nth_instance (again, 1)), ==, "em4");
}

/* Cancelled before the store has started, a change does nothing; once written, it is shown
 * and reported done, cancelled or not. */
static void
cancel_when_listed (GListModel   *model,
                    guint         position,
                    guint         removed,
                    guint         added,
                    GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) after = g_cancellable_new ();
  g_autoptr(GAsyncResult) never = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInstance) instance = NULL;
  g_autoptr(CdInventory) again = NULL;
  GListModel *instances = cd_inventory_get_instances (fixture->inventory);

  g_cancellable_cancel (before);
  cd_inventory_add_instance_async (fixture->inventory, "Never", "", "us2", before,
                                   cd_test_got_result, &never);
  g_assert_null (cd_inventory_add_instance_finish (fixture->inventory, cd_test_wait_for (&never),
                                                   &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (n_instances (fixture->inventory), ==, 0);

  /* cancelled as the lists take the new instance: after the store wrote it */
  g_signal_connect (instances, "items-changed", G_CALLBACK (cancel_when_listed), after);
  cd_inventory_add_instance_async (fixture->inventory, "Written", "", "us2", after,
                                   cd_test_got_result, &done);
  instance = cd_inventory_add_instance_finish (fixture->inventory, cd_test_wait_for (&done),
                                               &error);
  g_signal_handlers_disconnect_by_data (instances, after);
  g_assert_no_error (error);
  g_assert_true (g_cancellable_is_cancelled (after));
  g_assert_nonnull (instance);
  g_assert_cmpuint (n_instances (fixture->inventory), ==, 1);

  again = cd_inventory_new (fixture->store);
  cd_test_load_inventory (again);
  g_assert_cmpuint (n_instances (again), ==, 1);
  g_assert_cmpstr (cd_instance_get_name (nth_instance (again, 0)), ==, "Written");
}

/* An undo whose parent is deleted by a change asked for just before it cannot complete, and
 * says why; the lists end as the store does. */
static void
test_undo_after_parent_went (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char *const hosts[] = { CD_HOST_PURPOSE_TRACKING, NULL };
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) subdomain_added = NULL;
  g_autoptr(GAsyncResult) removed = NULL;
  g_autoptr(GAsyncResult) parent_removed = NULL;
  g_autoptr(GAsyncResult) undone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInstance) instance = NULL;
  g_autoptr(CdSubdomain) subdomain = NULL;
  g_autoptr(CdInventoryRemoval) removal = NULL;
  g_autoptr(CdInventoryRemoval) parent_removal = NULL;
  g_autoptr(CdInventory) again = NULL;

  cd_inventory_add_instance_async (fixture->inventory, "Acme", "", "us2", NULL, cd_test_got_result,
                                   &added);
  instance = cd_inventory_add_instance_finish (fixture->inventory, cd_test_wait_for (&added),
                                               &error);
  g_assert_no_error (error);
  cd_inventory_add_subdomain_async (fixture->inventory, instance, "mail.acme.example", hosts,
                                    NULL, cd_test_got_result, &subdomain_added);
  subdomain = cd_inventory_add_subdomain_finish (fixture->inventory,
                                                 cd_test_wait_for (&subdomain_added), &error);
  g_assert_no_error (error);

  cd_inventory_remove_async (fixture->inventory, G_OBJECT (subdomain), NULL, cd_test_got_result,
                             &removed);
  removal = cd_inventory_remove_finish (fixture->inventory, cd_test_wait_for (&removed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cd_instance_get_subdomains (instance)), ==, 0);

  /* both asked for at once: the instance goes first */
  cd_inventory_remove_async (fixture->inventory, G_OBJECT (instance), NULL, cd_test_got_result,
                             &parent_removed);
  cd_inventory_undo_removal_async (fixture->inventory, removal, NULL, cd_test_got_result, &undone);
  /* the caller may let go of its removal: the undo keeps its own */
  g_clear_pointer (&removal, cd_inventory_removal_unref);

  parent_removal = cd_inventory_remove_finish (fixture->inventory,
                                               cd_test_wait_for (&parent_removed), &error);
  g_assert_no_error (error);
  g_assert_false (cd_inventory_undo_removal_finish (fixture->inventory, cd_test_wait_for (&undone),
                                                    &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  /* the model's words, not the store's, in whatever language the model speaks */
  g_assert_cmpstr (error->message, ==,
                   _("The instance or subdomain it belonged to has been deleted since, so it "
                     "cannot be put back."));
  g_assert_cmpuint (n_instances (fixture->inventory), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cd_instance_get_subdomains (instance)), ==, 0);

  again = cd_inventory_new (fixture->store);
  cd_test_load_inventory (again);
  g_assert_cmpuint (n_instances (again), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("main-loop-turns-while-locked", test_main_loop_turns_while_locked);
  TEST ("changes-in-order", test_changes_in_order);
  TEST ("cancel", test_cancel);
  TEST ("undo-after-parent-went", test_undo_after_parent_went);

  return g_test_run ();
}
