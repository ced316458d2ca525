// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-keystore-crash"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-keystore.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* A save killed at any moment (SIGKILL: no handler, no cleanup) leaves the keystore holding
 * exactly its old bytes or exactly its new ones, a backup that is whole and a file of its own,
 * and at most temporary files that the next save removes.
 *
 * A child process saves the keystore (old content -> new content) and is killed after a random
 * delay spread over the time a save takes, measured first. The keystores are truststores with
 * fixed dates, whose JKS bytes are the same at every serialization, so the bytes a save would
 * write are known in advance; keytool opens both versions once (not once a kill: a JVM start
 * costs more than a hundred saves). --seed repeats a run's delays. */

#define PASSWORD "changeit"
#define KILLS    150
#define OLD_SIZE 40 /* entries */
#define NEW_SIZE 80

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)

static CdTestPki *pki;

/* @n_entries trusted entries "cert-NNNN", made from the PKI's three certificates in turn. */
static CdKeystore *
make_truststore (guint n_entries)
{
  const char *names[] = { "root", "inter", "leaf" };
  CdKeystore *store = cd_keystore_new (CD_KEYSTORE_JKS);

  for (guint i = 0; i < n_entries; i++)
    {
      g_autoptr(X509) cert = cd_test_pki_load_cert (pki, names[i % G_N_ELEMENTS (names)]);
      g_autofree char *alias = g_strdup_printf ("cert-%04u", i);
      g_autoptr(GError) error = NULL;

      cd_keystore_add_certificate (store, alias, cert, CD_KEYSTORE_ADD_DEFAULT, &error);
      g_assert_no_error (error);
      /* a fixed date: the same bytes at every serialization */
      cd_keystore_lookup (store, alias)->created = G_GINT64_CONSTANT (1700000000000) + i;
    }
  return store;
}

static GBytes *
serialize_ok (CdKeystore *store)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cd_keystore_serialize (store, PASSWORD, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
save_ok (CdKeystore *store,
         const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_keystore_save (store, path, PASSWORD, &error));
  g_assert_no_error (error);
}

static guint
count_leftovers (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    n += g_str_has_prefix (name, ".store.jks.tmp-");
  return n;
}

static gboolean
need_keytool (void)
{
  return cd_test_require_tool ("keytool", "OpenJDK 17");
}

/* keytool opens @path with the password and lists @n_entries entries. */
static void
assert_keytool_lists (const char *path,
                      guint       n_entries)
{
  const char *argv[] = { "keytool", "-J-Duser.language=en", "-J-Duser.country=US", "-list",
                         "-keystore", path, "-storepass", PASSWORD, NULL };
  g_autofree char *expected = g_strdup_printf ("Your keystore contains %u entries", n_entries);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL) || strstr (out, expected) == NULL)
    g_error ("keytool -list %s:\n%s%s", path, out, err);
}

/* Forks a child that saves @store to @path and exits. */
static GPid
fork_save (CdKeystore *store,
           const char *path)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (cd_keystore_save (store, path, PASSWORD, NULL) ? 0 : 1);
  return pid;
}

static gboolean
reap (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (WIFEXITED (status))
    {
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      return FALSE;
    }
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  return TRUE;
}

static int
compare_durations (const void *a,
                   const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Which of @old and @new the file @path holds, whole: 0 old, 1 new. Anything else fails. */
static guint
old_or_new (const char *path,
            GBytes     *old,
            GBytes     *new)
{
  g_autoptr(GBytes) bytes = cd_test_read_path (path);

  if (g_bytes_equal (bytes, old))
    return 0;
  if (g_bytes_equal (bytes, new))
    return 1;
  g_error ("%s holds %" G_GSIZE_FORMAT " bytes, neither the old keystore (%" G_GSIZE_FORMAT
           ") nor the new one (%" G_GSIZE_FORMAT ")",
           path, g_bytes_get_size (bytes), g_bytes_get_size (old), g_bytes_get_size (new));
}

/* The two versions the kills leave are keystores keytool opens, with their entries: what a
 * save writes is exactly the serialization, and the serialization is the same every time. */
static void
test_versions_open_in_keytool (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("certdesk-keystore-crash-XXXXXX", &error);
  g_autofree char *old_path = g_build_filename (dir, "old.jks", NULL);
  g_autofree char *new_path = g_build_filename (dir, "new.jks", NULL);
  g_autoptr(CdKeystore) old_store = make_truststore (OLD_SIZE);
  g_autoptr(CdKeystore) new_store = make_truststore (NEW_SIZE);
  g_autoptr(GBytes) old = serialize_ok (old_store);
  g_autoptr(GBytes) new = serialize_ok (new_store);

  g_assert_no_error (error);
  save_ok (old_store, old_path);
  save_ok (new_store, new_path);
  g_assert_cmpuint (old_or_new (old_path, old, new), ==, 0);
  g_assert_cmpuint (old_or_new (new_path, old, new), ==, 1);
  if (need_keytool ())
    {
      assert_keytool_lists (old_path, OLD_SIZE);
      assert_keytool_lists (new_path, NEW_SIZE);
    }
  cd_test_remove_tree (dir);
}

static void
test_kill_during_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("certdesk-keystore-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "store.jks", NULL);
  g_autofree char *backup = g_strconcat (path, ".bak", NULL);
  g_autoptr(CdKeystore) old_store = make_truststore (OLD_SIZE);
  g_autoptr(CdKeystore) new_store = make_truststore (NEW_SIZE);
  g_autoptr(GBytes) old = serialize_ok (old_store);
  g_autoptr(GBytes) new = serialize_ok (new_store);
  g_autoptr(GBytes) again = serialize_ok (new_store);
  guint outcomes[2] = { 0, 0 };
  guint killed = 0;
  guint left = 0;
  gint64 durations[7];
  gint64 median;
  gint64 total = 0;

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (new, again));

  /* how long a save takes, from fork to exit: the median of a few, since the time a disk takes to
   * flush varies widely on a busy machine */
  save_ok (old_store, path);
  save_ok (old_store, path);
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 took;

      g_assert_false (reap (fork_save (new_store, path)));
      took = g_get_monotonic_time () - start;
      durations[i] = took;
      g_assert_cmpuint (old_or_new (path, old, new), ==, 1);
      save_ok (old_store, path);
    }
  qsort (durations, G_N_ELEMENTS (durations), sizeof durations[0], compare_durations);
  median = durations[G_N_ELEMENTS (durations) / 2];

  for (guint i = 0; i < KILLS; i++)
    {
      g_autofree char *listing = NULL;
      /* over the whole save and a little beyond: some kills come after its end */
      gint64 delay = g_test_rand_int_range (0, (gint32) MIN (median * 5 / 4 + 1, G_MAXINT32));
      gint64 start = g_get_monotonic_time ();
      GPid pid = fork_save (new_store, path);

      g_usleep ((gulong) delay);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      killed += reap (pid);
      total += g_get_monotonic_time () - start;

      outcomes[old_or_new (path, old, new)]++;
      /* the backup is a whole version too, and never the keystore under a second name */
      old_or_new (backup, old, new);
      g_assert_cmpuint (cd_test_stat (path).st_ino, !=, cd_test_stat (backup).st_ino);
      left += count_leftovers (dir) > 0;

      /* the next save cleans what the killed one left */
      save_ok (old_store, path);
      listing = cd_test_list_dir (dir);
      g_assert_cmpstr (listing, ==, ".store.jks.lock store.jks store.jks.bak");
      g_assert_cmpuint (old_or_new (path, old, new), ==, 0);
      g_assert_cmpuint (cd_test_stat (path).st_ino, !=, cd_test_stat (backup).st_ino);
    }

  g_test_message ("A save takes %.1f ms (median, fork to exit; %.1f to %.1f ms). %u kills, %u of them before the "
                  "save ended: the keystore held the old version %u times, the new one %u times; "
                  "%u kills left temporary files, removed by the next save. %.2f s in all.",
                  median / 1000.0, durations[0] / 1000.0,
                  durations[G_N_ELEMENTS (durations) - 1] / 1000.0, KILLS, killed, outcomes[0], outcomes[1], left,
                  total / (double) G_USEC_PER_SEC);
  /* the delays did reach into the saves */
  g_assert_cmpuint (killed, >, 0);
  g_assert_cmpuint (outcomes[0], >, 0);

  cd_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  pki = cd_test_pki_new ();
  cd_test_pki_make_root (pki, "root");
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_make_leaf (pki, "leaf", "inter", "t.mail.brand.example");

  g_test_add_func ("/core/keystore/crash/versions-open-in-keytool",
                   test_versions_open_in_keytool);
  g_test_add_func ("/core/keystore/crash/kill-during-save", test_kill_during_save);

  result = g_test_run ();
  cd_test_pki_free (pki);
  return result;
}
