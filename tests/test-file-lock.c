// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-file-lock"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-file-lock.h"
#include "cd-test-util.h"

/* CdFileLock: one writer at a time per file, across threads and processes (real ones, forked
 * here), through links; a bounded wait that ends in a message naming the holder; a lock that
 * dies with its holder. */

typedef struct
{
  char *dir;  /* a fresh directory for each test */
  char *path; /* "<dir>/store.p12", which need not exist */
  char *lock_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("certdesk-file-lock-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store.p12", NULL);
  fixture->lock_path = g_build_filename (fixture->dir, ".store.p12.lock", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->lock_path);
}

static CdFileLock *
acquire_ok (const char *path,
            int         timeout_ms)
{
  g_autoptr(GError) error = NULL;
  CdFileLock *lock = cd_file_lock_acquire (path, timeout_ms, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lock);
  return lock;
}

static char *
read_text (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&contents);
}

static void
test_excludes (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CdFileLock) first = NULL;
  g_autoptr(CdFileLock) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *pid_line = g_strdup_printf ("%d\n", (int) getpid ());
  GStatBuf info;
  gint64 start;
  gint64 waited;

  first = acquire_ok (fixture->path, 0);
  g_assert_cmpstr (cd_file_lock_get_lock_path (first), ==, fixture->lock_path);
  g_assert_cmpint (g_stat (fixture->lock_path, &info), ==, 0);
  g_assert_cmpuint (info.st_mode & 0777, ==, 0600);
  holder = read_text (fixture->lock_path);
  g_assert_cmpstr (holder, ==, pid_line);
  /* the file itself is none of the lock's business */
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* a second holder in the same process, as a second task of the application would be */
  second = cd_file_lock_acquire (fixture->path, 0, NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_BUSY);
  g_assert_null (second);
  g_assert_nonnull (strstr (error->message, "store.p12"));
  g_assert_nonnull (strstr (error->message, "try again when it has finished"));
  g_clear_error (&error);

  /* a bounded wait: neither shorter nor much longer than asked */
  start = g_get_monotonic_time ();
  second = cd_file_lock_acquire (fixture->path, 150, NULL, &error);
  waited = g_get_monotonic_time () - start;
  g_assert_error (error, CD_ERROR, CD_ERROR_BUSY);
  g_assert_cmpint (waited, >=, 150 * 1000);
  g_assert_cmpint (waited, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);

  g_clear_pointer (&first, cd_file_lock_release);
  second = acquire_ok (fixture->path, 0);

  /* kept for the next writer, empty when nobody holds it */
  g_clear_pointer (&second, cd_file_lock_release);
  g_clear_pointer (&holder, g_free);
  holder = read_text (fixture->lock_path);
  g_assert_cmpstr (holder, ==, "");
}

/* A child process that takes the lock of @path, says so on @ready, then releases it when
 * @release is readable (or closed), or never when it is -1. Returns its pid. */
static GPid
fork_holder (const char *path,
             int         ready,
             int         release)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      CdFileLock *lock = cd_file_lock_acquire (path, 0, NULL, NULL);
      char byte = lock != NULL ? 'y' : 'n';

      if (write (ready, &byte, 1) != 1 || lock == NULL)
        _exit (1);
      if (release >= 0 && read (release, &byte, 1) >= 0)
        cd_file_lock_release (lock);
      else
        pause ();
      _exit (0);
    }
  return pid;
}

static void
wait_ready (int ready)
{
  char byte = 0;

  g_assert_cmpint (read (ready, &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'y');
}

static void
wait_exit (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
}

static void
test_other_process (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CdFileLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  int ready[2];
  int release[2];
  gint64 start;
  GPid pid;

  g_assert_cmpint (pipe (ready), ==, 0);
  g_assert_cmpint (pipe (release), ==, 0);

  /* refused while another process holds it, with that process named */
  pid = fork_holder (fixture->path, ready[1], release[0]);
  wait_ready (ready[0]);
  lock = cd_file_lock_acquire (fixture->path, 0, NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_BUSY);
  expected = g_strdup_printf ("Another program (process %d) is writing “%s”: try again when it "
                              "has finished.",
                              (int) pid, fixture->path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* a waiting writer gets it as soon as the holder lets go */
  g_assert_cmpint (write (release[1], "x", 1), ==, 1);
  start = g_get_monotonic_time ();
  lock = acquire_ok (fixture->path, 10000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  wait_exit (pid);
  g_clear_pointer (&lock, cd_file_lock_release);

  /* a holder killed with the lock held takes it with it */
  pid = fork_holder (fixture->path, ready[1], -1);
  wait_ready (ready[0]);
  g_assert_null (cd_file_lock_acquire (fixture->path, 0, NULL, NULL));
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  wait_exit (pid);
  lock = acquire_ok (fixture->path, 0);

  close (ready[0]);
  close (ready[1]);
  close (release[0]);
  close (release[1]);
}

/* A link and the file it names share one lock, kept beside the file. */
static void
test_links (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *sub = g_build_filename (fixture->dir, "java", NULL);
  g_autofree char *target = g_build_filename (sub, "cacerts", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "cacerts", NULL);
  g_autofree char *other_link = g_build_filename (fixture->dir, "jre-cacerts", NULL);
  g_autofree char *lock_path = g_build_filename (sub, ".cacerts.lock", NULL);
  g_autoptr(CdFileLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_cmpint (symlink ("java/cacerts", link), ==, 0);
  g_assert_cmpint (symlink (link, other_link), ==, 0);

  /* a dangling link: the lock of the file it will make */
  lock = acquire_ok (other_link, 0);
  g_assert_cmpstr (cd_file_lock_get_lock_path (lock), ==, lock_path);
  g_assert_true (cd_file_lock_covers (lock, target));
  g_assert_true (cd_file_lock_covers (lock, link));
  g_assert_false (cd_file_lock_covers (lock, fixture->path));

  g_assert_null (cd_file_lock_acquire (target, 0, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_null (cd_file_lock_acquire (link, 0, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_BUSY);
  g_clear_error (&error);

  /* another file's lock is another lock */
  g_clear_pointer (&lock, cd_file_lock_release);
  lock = acquire_ok (fixture->path, 0);
  g_clear_pointer (&lock, cd_file_lock_release);
  lock = acquire_ok (link, 0);
}

static gpointer
cancel_in_thread (gpointer data)
{
  g_usleep (100 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CdFileLock) held = acquire_ok (fixture->path, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;
  gint64 start;

  thread = g_thread_new ("cancel", cancel_in_thread, cancellable);
  start = g_get_monotonic_time ();
  g_assert_null (cd_file_lock_acquire (fixture->path, 60000, cancellable, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_thread_join (thread);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "not-there", "store.p12", NULL);
  g_autofree char *elsewhere = g_build_filename (fixture->dir, "elsewhere", NULL);
  g_autofree char *loop = g_build_filename (fixture->dir, "loop", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (cd_file_lock_acquire (missing, 0, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "not-there"));
  g_clear_error (&error);

  /* a link planted where the lock file goes is not followed */
  g_assert_cmpint (symlink (elsewhere, fixture->lock_path), ==, 0);
  g_assert_null (cd_file_lock_acquire (fixture->path, 0, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_assert_false (g_file_test (elsewhere, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_cmpint (symlink ("loop", loop), ==, 0);
  g_assert_null (cd_file_lock_acquire (loop, 0, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "loop"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/base/file-lock/excludes", Fixture, NULL, fixture_set_up, test_excludes,
              fixture_tear_down);
  g_test_add ("/core/base/file-lock/other-process", Fixture, NULL, fixture_set_up,
              test_other_process, fixture_tear_down);
  g_test_add ("/core/base/file-lock/links", Fixture, NULL, fixture_set_up, test_links,
              fixture_tear_down);
  g_test_add ("/core/base/file-lock/cancel", Fixture, NULL, fixture_set_up, test_cancel,
              fixture_tear_down);
  g_test_add ("/core/base/file-lock/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);

  return g_test_run ();
}
