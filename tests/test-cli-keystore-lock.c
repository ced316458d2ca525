// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-cli-keystore-lock"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-file-lock.h"
#include "cd-keystore.h"
#include "cd-test-cli.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"

/* Two certdesk-cli imports into one keystore at the same time, as two cron jobs or two
 * administrators run them: real processes, started together. Both imports' entries must be in
 * the keystore every time; an import that cannot get the keystore in time must fail, say why,
 * and leave it as it was. */

#define PASSWORD "changeit"
/* each round costs two imports, about 0.2 s */
#define ROUNDS   20

static CdTestPki *pki;

/* certdesk-cli with @args (NULL-terminated) in the PKI's directory, started, not waited for. */
static GSubprocess *
start_cli (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CERTDESK_CLI"));
  g_assert_nonnull (g_ptr_array_index (argv, 0));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, cd_test_pki_get_dir (pki));
  g_subprocess_launcher_unsetenv (launcher, "CERTDESK_STORE_PASSWORD");
  /* the messages checked below are the untranslated ones, whatever the caller's locale */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
finish_cli (CdTestRun   *run,
            GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  cd_test_run_clear (run);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("certdesk-cli: %d\n%s%s", run->status, run->out, run->err);
}

static void
cli (CdTestRun          *run,
     const char * const *args)
{
  g_autoptr(GSubprocess) process = start_cli (args);

  finish_cli (run, process);
}

/* `certdesk-cli keystore import --trust --alias NAME KEYSTORE NAME.pem [--wait WAIT]` */
static GSubprocess *
start_import (const char *keystore,
              const char *name,
              const char *wait)
{
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);
  const char *args[] = { "keystore", "import", "--password", PASSWORD, "--trust", "--alias",
                         name, keystore, cert, wait != NULL ? "--wait" : NULL, wait, NULL };

  return start_cli (args);
}

static gboolean
need_keytool (void)
{
  return cd_test_require_tool ("keytool", "OpenJDK 17");
}

/* The aliases of @path, sorted and joined by spaces: as keytool lists them when @keytool, else
 * as Certdesk reads them. */
static char *
list_aliases (const char *path,
              gboolean    keytool)
{
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func (g_free);

  if (keytool)
    {
      const char *argv[] = { "keytool", "-J-Duser.language=en", "-J-Duser.country=US", "-list",
                             "-v", "-keystore", path, "-storepass", PASSWORD, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) lines = NULL;
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                    &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("keytool -list %s failed:\n%s%s", path, out, err);
      lines = g_strsplit (out, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "Alias name: "))
          g_ptr_array_add (aliases, g_strdup (lines[i] + strlen ("Alias name: ")));
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdKeystore) store = cd_keystore_load (path, PASSWORD, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < cd_keystore_get_n_entries (store); i++)
        g_ptr_array_add (aliases, g_strdup (cd_keystore_get_entry (store, i)->alias));
    }

  return cd_test_join_sorted (aliases);
}

/* Round after round, two imports of different certificates start together into one keystore
 * (the first round creates it). Entries are never removed, so one keytool listing at the end
 * shows whether any round lost one; Certdesk's own reading checks each round as it goes. */
static void
test_concurrent_imports (void)
{
  g_autofree char *keystore = cd_test_pki_path (pki, "shared.p12");
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  g_autofree char *listed = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *alias_a = g_strdup_printf ("a-%02u", round);
      g_autofree char *alias_b = g_strdup_printf ("b-%02u", round);
      g_autoptr(GSubprocess) a = NULL;
      g_autoptr(GSubprocess) b = NULL;
      g_auto(CdTestRun) run_a = { 0 };
      g_auto(CdTestRun) run_b = { 0 };

      a = start_import ("shared.p12", alias_a, NULL);
      b = start_import ("shared.p12", alias_b, NULL);
      finish_cli (&run_a, a);
      finish_cli (&run_b, b);
      g_assert_cmpint (run_a.status, ==, 0);
      g_assert_cmpint (run_b.status, ==, 0);

      g_ptr_array_add (expected, g_steal_pointer (&alias_a));
      g_ptr_array_add (expected, g_steal_pointer (&alias_b));
      g_clear_pointer (&joined, g_free);
      g_clear_pointer (&listed, g_free);
      joined = cd_test_join_sorted (expected);
      listed = list_aliases (keystore, FALSE);
      g_assert_cmpstr (listed, ==, joined);
    }
  g_test_message ("%d rounds of two imports at once: %.2f s", ROUNDS,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  if (!need_keytool ())
    return;
  g_clear_pointer (&listed, g_free);
  listed = list_aliases (keystore, TRUE);
  g_assert_cmpstr (listed, ==, joined);
}

/* While another program (this test) holds the keystore's lock, an import waits as long as
 * --wait says, then fails with the holder named, and the keystore is as it was; once the lock
 * is free, the same import goes through. Through a link too, and for convert. */
static void
test_busy (void)
{
  g_autofree char *keystore = cd_test_pki_path (pki, "busy.p12");
  g_autofree char *link = cd_test_pki_path (pki, "busy-link.p12");
  g_autofree char *holder = g_strdup_printf ("Another program (process %d) is writing",
                                             (int) getpid ());
  g_autoptr(CdFileLock) lock = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listed = NULL;
  g_auto(CdTestRun) run = { 0 };
  /* onto itself through the link: were it not refused, the bytes would change */
  const char *convert[] = { "keystore", "convert", "--password", PASSWORD, "--to", "jks",
                            "--force", "--wait", "0", "busy.p12", "busy-link.p12", NULL };
  gint64 start;
  gint64 waited;

  process = start_import ("busy.p12", "a-busy", NULL);
  finish_cli (&run, process);
  g_clear_object (&process);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (symlink ("busy.p12", link), ==, 0);
  before = cd_test_read_file (cd_test_pki_get_dir (pki), "busy.p12");

  lock = cd_file_lock_acquire (keystore, 0, NULL, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  process = start_import ("busy-link.p12", "b-busy", "0.5");
  finish_cli (&run, process);
  g_clear_object (&process);
  waited = g_get_monotonic_time () - start;
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, holder));
  g_assert_nonnull (strstr (run.err, "busy-link.p12"));
  g_assert_nonnull (strstr (run.err, "try again when it has finished"));
  g_assert_cmpint (waited, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (waited, <, 8 * G_USEC_PER_SEC);

  cli (&run, convert);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, holder));

  after = cd_test_read_file (cd_test_pki_get_dir (pki), "busy.p12");
  g_assert_true (g_bytes_equal (after, before));

  g_clear_pointer (&lock, cd_file_lock_release);
  process = start_import ("busy-link.p12", "b-busy", "0.5");
  finish_cli (&run, process);
  g_assert_cmpint (run.status, ==, 0);
  listed = list_aliases (keystore, FALSE);
  g_assert_cmpstr (listed, ==, "a-busy b-busy");
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  /* a CA of its own for each import: imported with --trust, as a data center's root is */
  pki = cd_test_pki_new ();
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *a = g_strdup_printf ("a-%02u", round);
      g_autofree char *b = g_strdup_printf ("b-%02u", round);

      cd_test_pki_make_root (pki, a);
      cd_test_pki_make_root (pki, b);
    }
  cd_test_pki_make_root (pki, "a-busy");
  cd_test_pki_make_root (pki, "b-busy");

  g_test_add_func ("/cli/keystore/lock/concurrent-imports", test_concurrent_imports);
  g_test_add_func ("/cli/keystore/lock/busy", test_busy);

  result = g_test_run ();
  cd_test_pki_free (pki);
  return result;
}
