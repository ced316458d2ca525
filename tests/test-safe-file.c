// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-safe-file"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-file-util.h"
#include "cd-safe-file-private.h"
#include "cd-test-util.h"

/* cd_safe_file_write() apart from keystores (test-keystore-save.c and test-keystore-crash.c
 * cover those): what an interrupted writer left is removed and nothing else, a dangling link
 * makes its file, the mode of a new public file, and the files it refuses to replace.
 * cd_safe_file_create_private(): a new file of mode 0600 that never replaces anything, not
 * even a name another program takes while it writes, and leaves nothing behind when it fails. */

typedef CdTestStoreDir Fixture;

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  _cd_safe_file_before_publish = NULL;
  _cd_safe_file_without_noreplace = FALSE;
  cd_test_store_dir_tear_down (fixture, data);
}

static void
write_ok (const char      *path,
          const char      *text,
          CdSafeFileFlags  flags)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_safe_file_write (path, text, strlen (text), flags, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_contents (const char *path,
                 const char *expected)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
}

/* Exactly the temporary files of this file: names like those a person gives a backup stay. */
static void
test_leftovers (Fixture       *fixture,
                gconstpointer  data)
{
  const char *leftovers[] = { ".store.jks.tmp-abc123", ".store.jks.tmp-ZZZZZZ" };
  const char *others[] = { ".store.jks.tmp-abc12", ".store.jks.tmp-abc1234", "store.jks.backup",
                           "store.jks.Ab12Cd", ".other.jks.tmp-abc123", "store.jks.tmp-abc123" };
  g_autofree char *dir_leftover = g_build_filename (fixture->dir, ".store.jks.tmp-dirxyz", NULL);
  g_autofree char *listing = NULL;

  write_ok (fixture->path, "old", CD_SAFE_FILE_BACKUP);
  for (guint i = 0; i < G_N_ELEMENTS (leftovers); i++)
    cd_test_write_file (fixture->dir, leftovers[i], "a whole keystore", -1);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    cd_test_write_file (fixture->dir, others[i], "someone's", -1);
  g_assert_cmpint (g_mkdir (dir_leftover, 0700), ==, 0);

  write_ok (fixture->path, "new", CD_SAFE_FILE_BACKUP);
  assert_contents (fixture->path, "new");
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==,
                   ".other.jks.tmp-abc123 .store.jks.lock .store.jks.tmp-abc12 "
                   ".store.jks.tmp-abc1234 .store.jks.tmp-dirxyz store.jks store.jks.Ab12Cd "
                   "store.jks.backup store.jks.bak store.jks.tmp-abc123");
}

static void
test_dangling_link (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *made = g_build_filename (fixture->dir, "made.pem", NULL);
  g_autofree char *target = NULL;
  GStatBuf info;

  g_assert_cmpint (symlink ("made.pem", fixture->path), ==, 0);
  write_ok (fixture->path, "made", CD_SAFE_FILE_BACKUP);

  g_assert_cmpint (g_lstat (fixture->path, &info), ==, 0);
  g_assert_true (S_ISLNK (info.st_mode));
  target = g_file_read_link (fixture->path, NULL);
  g_assert_cmpstr (target, ==, "made.pem");
  assert_contents (made, "made");
  g_assert_cmpint (g_stat (made, &info), ==, 0);
  g_assert_cmpuint (info.st_mode & 07777, ==, 0600);
}

static void
test_no_backup (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *listing = NULL;
  GStatBuf info;

  write_ok (fixture->path, "old", CD_SAFE_FILE_DEFAULT);
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  write_ok (fixture->path, "new", CD_SAFE_FILE_PRIVATE);
  assert_contents (fixture->path, "new");
  g_assert_cmpint (g_stat (fixture->path, &info), ==, 0);
  g_assert_cmpuint (info.st_mode & 07777, ==, 0644);
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, ".store.jks.lock store.jks");
}

static void
test_not_regular (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
  g_assert_false (cd_safe_file_write (fixture->path, "x", 1, CD_SAFE_FILE_BACKUP, NULL, NULL,
                                      &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, ".store.jks.lock store.jks");
}

/* 0 when a write to the read-only @path fails as it should. */
static int
write_read_only (const char *path)
{
  g_autoptr(GError) error = NULL;

  if (cd_safe_file_write (path, "new", 3, CD_SAFE_FILE_BACKUP, NULL, NULL, &error))
    return 1;
  if (!g_error_matches (error, CD_ERROR, CD_ERROR_IO)
      || strstr (error->message, "read-only") == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  return 0;
}

/* A file whose own permissions say it is not to change stays as it is, as keytool leaves it;
 * root may change anything, so the writer runs as the file's owner, another user, then. */
static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *listing = NULL;

  write_ok (fixture->path, "old", CD_SAFE_FILE_DEFAULT);
  g_assert_cmpint (g_chmod (fixture->path, 0444), ==, 0);

  if (geteuid () == 0)
    {
      g_autofree char *lock_path = g_build_filename (fixture->dir, ".store.jks.lock", NULL);
      int status = 0;
      pid_t pid;

      g_assert_cmpint (chown (fixture->dir, 1234, 1234), ==, 0);
      g_assert_cmpint (chown (fixture->path, 1234, 1234), ==, 0);
      g_assert_cmpint (chown (lock_path, 1234, 1234), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          if (setgid (1234) != 0 || setuid (1234) != 0)
            _exit (3);
          _exit (write_read_only (fixture->path));
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  else
    g_assert_cmpint (write_read_only (fixture->path), ==, 0);

  assert_contents (fixture->path, "old");
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, ".store.jks.lock store.jks");
}

/* A new certificate or CSR gets what the umask allows, as from any other tool; a file that
 * exists keeps its mode. */
static void
test_public_mode (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *pem = g_build_filename (fixture->dir, "chain.pem", NULL);
  g_autofree char *csr = g_build_filename (fixture->dir, "host.csr", NULL);
  g_autofree char *kept = g_build_filename (fixture->dir, "kept.pem", NULL);
  mode_t old_mask = umask (022);

  write_ok (pem, "chain", CD_SAFE_FILE_PUBLIC);
  umask (027);
  write_ok (csr, "csr", CD_SAFE_FILE_PUBLIC);
  write_ok (kept, "old", CD_SAFE_FILE_DEFAULT);
  write_ok (kept, "new", CD_SAFE_FILE_PUBLIC);
  umask (old_mask);

  g_assert_cmpuint (cd_test_file_mode (pem), ==, 0644);
  g_assert_cmpuint (cd_test_file_mode (csr), ==, 0640);
  g_assert_cmpuint (cd_test_file_mode (kept), ==, 0600);
  assert_contents (kept, "new");
}

static void
create_private_ok (const char *path,
                   const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_safe_file_create_private (path, text, strlen (text), &error));
  g_assert_no_error (error);
}

static void
assert_create_private_refused (const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cd_safe_file_create_private (path, "secret", 6, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "already exists"));
  g_assert_nonnull (strstr (error->message, "never overwrites"));
}

/* 0600 whatever the umask: one that opens it to all, one that would leave the owner without
 * write access; the name through link() as on file systems without RENAME_NOREPLACE too. */
static void
test_create_private (Fixture       *fixture,
                     gconstpointer  data)
{
  const struct { mode_t mask; const char *name; gboolean with_link; } cases[] = {
    { 0, "open.key", FALSE },
    { 0277, "narrow.key", FALSE },
    { 022, "linked.key", TRUE },
  };
  g_autofree char *listing = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, cases[i].name, NULL);
      mode_t old_mask = umask (cases[i].mask);

      _cd_safe_file_without_noreplace = cases[i].with_link;
      create_private_ok (path, cases[i].name);
      umask (old_mask);

      g_assert_cmpuint (cd_test_file_mode (path), ==, 0600);
      assert_contents (path, cases[i].name);
    }

  /* no temporary file left, and no lock file: the name is free or it is not */
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "linked.key narrow.key open.key");
}

/* Whatever is at the name stays as it was: a file, a directory, a link to a file, and a
 * dangling link, which is not followed (the new file would land wherever it points). */
static void
test_create_private_exists (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "old.key", NULL);
  g_autofree char *subdir = g_build_filename (fixture->dir, "dir.key", NULL);
  g_autofree char *link_path = g_build_filename (fixture->dir, "link.key", NULL);
  g_autofree char *dangling = g_build_filename (fixture->dir, "dangling.key", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->dir, "nowhere.key", NULL);
  g_autofree char *pointed = NULL;
  g_autofree char *listing = NULL;
  const char *paths[] = { file, subdir, link_path, dangling };

  cd_test_write_file (fixture->dir, "old.key", "the old key", -1);
  g_assert_no_errno (g_chmod (file, 0640));
  g_assert_no_errno (g_mkdir (subdir, 0700));
  g_assert_no_errno (symlink ("old.key", link_path));
  g_assert_no_errno (symlink ("nowhere.key", dangling));

  for (guint with_link = 0; with_link < 2; with_link++)
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        _cd_safe_file_without_noreplace = with_link;
        assert_create_private_refused (paths[i]);
        g_assert_true (cd_safe_file_check_new (nowhere, NULL));
        g_assert_false (cd_safe_file_check_new (paths[i], NULL));
      }

  assert_contents (file, "the old key");
  g_assert_cmpuint (cd_test_file_mode (file), ==, 0640);
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
  pointed = g_file_read_link (dangling, NULL);
  g_assert_cmpstr (pointed, ==, "nowhere.key");
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "dangling.key dir.key link.key old.key");
}

static const char *race_kind;

/* Another program takes the name between the check and the naming. */
static void
take_name (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_str_equal (race_kind, "file"))
    cd_test_write_file (dir, "race.key", "another program's", -1);
  else
    g_assert_no_errno (symlink ("elsewhere.key", path));
}

static void
test_create_private_race (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "race.key", NULL);
  g_autofree char *elsewhere = g_build_filename (fixture->dir, "elsewhere.key", NULL);
  const char *kinds[] = { "file", "dangling link" };

  _cd_safe_file_before_publish = take_name;
  for (guint with_link = 0; with_link < 2; with_link++)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autofree char *listing = NULL;

        g_test_message ("%s, %s", kinds[i], with_link ? "link()" : "RENAME_NOREPLACE");
        race_kind = kinds[i];
        _cd_safe_file_without_noreplace = with_link;
        assert_create_private_refused (path);

        if (i == 0)
          assert_contents (path, "another program's");
        else
          g_assert_false (g_file_test (elsewhere, G_FILE_TEST_EXISTS));
        /* and no temporary file with the secret */
        listing = cd_test_list_dir (fixture->dir);
        g_assert_cmpstr (listing, ==, "race.key");
        g_assert_no_errno (g_unlink (path));
      }
}

/* A missing or unwritable folder: an error that names the file, and nothing made. */
static void
test_create_private_fails (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing", "k.key", NULL);
  g_autofree char *below_file = g_build_filename (fixture->dir, "file", "k.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  cd_test_write_file (fixture->dir, "file", "", 0);
  g_assert_false (cd_safe_file_create_private (missing, "secret", 6, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_false (cd_safe_file_create_private (below_file, "secret", 6, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, below_file));

  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "file");
}

/* One name in one directory, however it is spelled and through links; a hard link is another
 * name, which a writer of the first does not replace. */
static void
test_same_entry (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *sub = g_build_filename (fixture->dir, "sub", NULL);
  g_autofree char *a = g_build_filename (fixture->dir, "a.pem", NULL);
  g_autofree char *dotted = g_build_filename (sub, "..", "a.pem", NULL);
  g_autofree char *link_path = g_build_filename (fixture->dir, "link.pem", NULL);
  g_autofree char *dir_link = g_build_filename (fixture->dir, "sub-link", NULL);
  g_autofree char *in_sub = g_build_filename (sub, "b.pem", NULL);
  g_autofree char *via_dir_link = g_build_filename (dir_link, "b.pem", NULL);
  g_autofree char *hard = g_build_filename (fixture->dir, "hard.pem", NULL);
  g_autofree char *unmade = g_build_filename (fixture->dir, "new", "c.pem", NULL);
  g_autofree char *unmade_dotted = g_build_filename (fixture->dir, "new", ".", "c.pem", NULL);

  g_assert_no_errno (g_mkdir (sub, 0700));
  cd_test_write_file (fixture->dir, "a.pem", "a", -1);
  g_assert_no_errno (symlink ("a.pem", link_path));
  g_assert_no_errno (symlink ("sub", dir_link));
  g_assert_no_errno (link (a, hard));

  g_assert_true (cd_file_same_entry (a, a));
  g_assert_true (cd_file_same_entry (a, dotted));
  g_assert_true (cd_file_same_entry (link_path, a));
  /* a name no file has yet */
  g_assert_true (cd_file_same_entry (in_sub, via_dir_link));
  g_assert_true (cd_file_same_entry (unmade, unmade_dotted));

  g_assert_false (cd_file_same_entry (a, hard));
  g_assert_false (cd_file_same_entry (a, in_sub));
  g_assert_false (cd_file_same_entry (link_path, dir_link));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/base/safe-file/leftovers", Fixture, NULL, cd_test_store_dir_set_up,
              test_leftovers, fixture_tear_down);
  g_test_add ("/core/base/safe-file/dangling-link", Fixture, NULL, cd_test_store_dir_set_up,
              test_dangling_link, fixture_tear_down);
  g_test_add ("/core/base/safe-file/no-backup", Fixture, NULL, cd_test_store_dir_set_up,
              test_no_backup, fixture_tear_down);
  g_test_add ("/core/base/safe-file/not-regular", Fixture, NULL, cd_test_store_dir_set_up,
              test_not_regular, fixture_tear_down);
  g_test_add ("/core/base/safe-file/read-only", Fixture, NULL, cd_test_store_dir_set_up,
              test_read_only, fixture_tear_down);
  g_test_add ("/core/base/safe-file/public-mode", Fixture, NULL, cd_test_store_dir_set_up,
              test_public_mode, fixture_tear_down);
  g_test_add ("/core/base/safe-file/create-private", Fixture, NULL, cd_test_store_dir_set_up,
              test_create_private, fixture_tear_down);
  g_test_add ("/core/base/safe-file/create-private-exists", Fixture, NULL, cd_test_store_dir_set_up,
              test_create_private_exists, fixture_tear_down);
  g_test_add ("/core/base/safe-file/create-private-race", Fixture, NULL, cd_test_store_dir_set_up,
              test_create_private_race, fixture_tear_down);
  g_test_add ("/core/base/safe-file/create-private-fails", Fixture, NULL, cd_test_store_dir_set_up,
              test_create_private_fails, fixture_tear_down);
  g_test_add ("/core/base/file-util/same-entry", Fixture, NULL, cd_test_store_dir_set_up,
              test_same_entry, fixture_tear_down);

  return g_test_run ();
}
