// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-keystore-save"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-keystore.h"
#include "cd-safe-file-private.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* cd_keystore_save(): a new file private to its owner, the previous one kept as NAME.bak (a
 * file of its own), an old keystore that survives a save failing half-way, symbolic links
 * that stay links, the mode and owner of the file replaced, and the lock a save takes. */

#define PASSWORD "changeit"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)

static CdTestPki *pki;

typedef CdTestStoreDir Fixture;

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  _cd_safe_file_fail_before_rename = FALSE;
  cd_test_store_dir_tear_down (fixture, data);
}

/* A JKS with a trusted certificate and a key entry. */
static CdKeystore *
make_store (void)
{
  CdKeystore *store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(X509) root = cd_test_pki_load_cert (pki, "root");
  g_autoptr(EVP_PKEY) key = cd_test_pki_load_key (pki, "leaf");
  g_autoptr(GPtrArray) chain = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "root",
                                                                               NULL });
  g_autoptr(GError) error = NULL;

  cd_keystore_add_certificate (store, "root", root, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  cd_keystore_add_key (store, "server", key, chain, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  return store;
}

static void
add_certificate (CdKeystore *store,
                 const char *alias,
                 const char *pki_name)
{
  g_autoptr(X509) cert = cd_test_pki_load_cert (pki, pki_name);
  g_autoptr(GError) error = NULL;

  cd_keystore_add_certificate (store, alias, cert, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
}

static void
save_ok (CdKeystore *store,
         const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_keystore_save (store, path, PASSWORD, &error));
  g_assert_no_error (error);
}

static CdKeystore *
load_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  CdKeystore *store = cd_keystore_load (path, PASSWORD, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* The permission bits alone: setuid, setgid and sticky are not what these tests compare. */
static guint
file_mode (const char *path)
{
  return cd_test_file_mode (path) & 0777;
}

/* As a tool that rewrites a file in place does. */
static void
write_in_place (const char *path,
                const char *text)
{
  int fd = g_open (path, O_WRONLY | O_TRUNC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, text, strlen (text)), ==, (gssize) strlen (text));
  g_assert_cmpint (close (fd), ==, 0);
}

/* keytool must check what the tests write; only a machine outside CI may do without it. */
static gboolean
need_keytool (void)
{
  return cd_test_require_tool ("keytool", "OpenJDK 17");
}

/* The aliases `keytool -list -v` shows in @path (opened as Java opens it, through links),
 * sorted and joined by spaces. */
static char *
keytool_aliases (const char *path)
{
  const char *args[] = { "-list", "-v", "-keystore", path, "-storepass", PASSWORD, NULL };
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  if (!cd_test_run_keytool (NULL, args, &out, &err))
    g_error ("keytool -list %s failed:\n%s%s", path, out, err);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Alias name: "))
      g_ptr_array_add (aliases, g_strdup (lines[i] + strlen ("Alias name: ")));
  return cd_test_join_sorted (aliases);
}

static void
test_creates (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(CdKeystore) loaded = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *aliases = NULL;

  save_ok (store, fixture->path);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, ".store.jks.lock store.jks");

  loaded = load_ok (fixture->path);
  g_assert_cmpuint (cd_keystore_get_n_entries (loaded), ==, 2);
  g_assert_nonnull (cd_keystore_lookup (loaded, "server")->key);

  /* and keytool reads it */
  if (!need_keytool ())
    return;
  aliases = keytool_aliases (fixture->path);
  g_assert_cmpstr (aliases, ==, "root server");
}

static void
test_backup (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(CdKeystore) loaded = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GBytes) untouched = NULL;
  g_autofree char *backup_path = g_strconcat (fixture->path, ".bak", NULL);
  g_autofree char *listing = NULL;

  save_ok (store, fixture->path);
  first = cd_test_read_path (fixture->path);
  g_assert_false (g_file_test (backup_path, G_FILE_TEST_EXISTS));

  add_certificate (store, "inter", "inter");
  save_ok (store, fixture->path);
  second = cd_test_read_path (fixture->path);
  backup = cd_test_read_path (backup_path);
  g_assert_true (g_bytes_equal (backup, first));
  g_assert_false (g_bytes_equal (second, first));
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_cmpuint (file_mode (backup_path), ==, 0600);
  loaded = load_ok (fixture->path);
  g_assert_nonnull (cd_keystore_lookup (loaded, "inter"));

  /* a file of its own: a tool that rewrites the keystore in place (keytool does) leaves the
   * backup as it is */
  g_assert_cmpuint (cd_test_stat (backup_path).st_ino, !=, cd_test_stat (fixture->path).st_ino);
  write_in_place (fixture->path, "in place");
  untouched = cd_test_read_path (backup_path);
  g_assert_true (g_bytes_equal (untouched, first));
  save_ok (store, fixture->path);
  g_bytes_unref (second);
  second = cd_test_read_path (fixture->path);

  /* one generation: the next save keeps the second file */
  g_clear_pointer (&backup, g_bytes_unref);
  cd_keystore_remove (store, "inter", NULL);
  save_ok (store, fixture->path);
  backup = cd_test_read_path (backup_path);
  g_assert_true (g_bytes_equal (backup, second));

  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, ".store.jks.lock store.jks store.jks.bak");
}

static void
test_fail_before_rename (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(CdKeystore) loaded = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  save_ok (store, fixture->path);
  before = cd_test_read_path (fixture->path);

  add_certificate (store, "inter", "inter");
  _cd_safe_file_fail_before_rename = TRUE;
  g_assert_false (cd_keystore_save (store, fixture->path, PASSWORD, &error));
  _cd_safe_file_fail_before_rename = FALSE;
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "store.jks"));

  after = cd_test_read_path (fixture->path);
  g_assert_true (g_bytes_equal (after, before));
  loaded = load_ok (fixture->path);
  g_assert_cmpuint (cd_keystore_get_n_entries (loaded), ==, 2);
  g_assert_null (cd_keystore_lookup (loaded, "inter"));

  /* no temporary file left behind; the backup of the old keystore may be there */
  listing = cd_test_list_dir (fixture->dir);
  g_assert_true (g_str_equal (listing, ".store.jks.lock store.jks")
                 || g_str_equal (listing, ".store.jks.lock store.jks store.jks.bak"));
}

static void
test_missing_directory (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autofree char *path = g_build_filename (fixture->dir, "not-there", "store.jks", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (cd_keystore_save (store, path, PASSWORD, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "not-there"));
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "");
}

/* Nothing is written when the keystore cannot be serialized: JCEKS, a locked key. */
static void
test_nothing_written (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(CdKeystore) jceks = cd_keystore_new (CD_KEYSTORE_JCEKS);
  g_autoptr(CdKeystore) locked = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  g_assert_false (cd_keystore_save (jceks, fixture->path, PASSWORD, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* not even the lock file */
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "");
  g_clear_pointer (&listing, g_free);

  save_ok (store, fixture->path);
  before = cd_test_read_path (fixture->path);
  /* without a password, the key stays locked and cannot be written */
  locked = cd_keystore_load (fixture->path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cd_keystore_save (locked, fixture->path, PASSWORD, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  after = cd_test_read_path (fixture->path);
  g_assert_true (g_bytes_equal (after, before));
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, ".store.jks.lock store.jks");
}

static void
assert_link (const char *path,
             const char *expected_target)
{
  g_autofree char *target = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf info;

  g_assert_cmpint (g_lstat (path, &info), ==, 0);
  g_assert_true (S_ISLNK (info.st_mode));
  target = g_file_read_link (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (target, ==, expected_target);
}

/* Debian's JDK cacerts is a link to /etc/ssl/certs/java/cacerts: saving through it writes the
 * file it names and leaves the link a link. @data: 1, a link; 2, a link (absolute) to a link
 * (relative). */
static void
test_through_symlink (Fixture       *fixture,
                      gconstpointer  data)
{
  guint n_links = GPOINTER_TO_UINT (data);
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(CdKeystore) loaded = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autofree char *java_dir = g_build_filename (fixture->dir, "java", NULL);
  g_autofree char *target = g_build_filename (java_dir, "cacerts", NULL);
  g_autofree char *first_link = g_build_filename (fixture->dir, "cacerts", NULL);
  g_autofree char *second_link = g_build_filename (fixture->dir, "jre-cacerts", NULL);
  g_autofree char *backup_path = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *aliases = NULL;
  const char *path = n_links == 1 ? first_link : second_link;

  g_assert_cmpint (g_mkdir (java_dir, 0755), ==, 0);
  save_ok (store, target);
  before = cd_test_read_path (target);
  g_assert_cmpint (symlink ("java/cacerts", first_link), ==, 0);
  if (n_links == 2)
    g_assert_cmpint (symlink (first_link, second_link), ==, 0);

  add_certificate (store, "inter", "inter");
  save_ok (store, path);

  assert_link (first_link, "java/cacerts");
  if (n_links == 2)
    assert_link (second_link, first_link);
  loaded = load_ok (target);
  g_assert_cmpuint (cd_keystore_get_n_entries (loaded), ==, 3);
  g_assert_nonnull (cd_keystore_lookup (loaded, "inter"));

  /* the backup, the lock and any temporary file belong beside the file, not the link */
  backup_path = cd_safe_file_backup_path (path);
  g_assert_true (g_str_has_prefix (backup_path, java_dir));
  g_assert_true (g_str_has_suffix (backup_path, "/cacerts.bak"));
  backup = cd_test_read_path (backup_path);
  g_assert_true (g_bytes_equal (backup, before));
  listing = cd_test_list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, n_links == 1 ? "cacerts java" : "cacerts java jre-cacerts");
  g_free (listing);
  listing = cd_test_list_dir (java_dir);
  g_assert_cmpstr (listing, ==, ".cacerts.lock cacerts cacerts.bak");

  if (!need_keytool ())
    return;
  aliases = keytool_aliases (path);
  g_assert_cmpstr (aliases, ==, "inter root server");
}

/* A keystore a Java service reads through its group keeps its mode and owner; its backup is
 * private when it holds a key. */
static void
test_keeps_mode_and_owner (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autofree char *backup_path = g_strconcat (fixture->path, ".bak", NULL);
  g_autofree char *new_path = g_build_filename (fixture->dir, "new.jks", NULL);
  gboolean root = geteuid () == 0;
  GStatBuf info;
  GStatBuf backup;
  mode_t old_umask;

  save_ok (store, fixture->path);
  g_assert_cmpint (g_chmod (fixture->path, 0640), ==, 0);
  if (root)
    g_assert_cmpint (chown (fixture->path, 1234, 1234), ==, 0);
  else
    g_test_message ("Not running as root: the owner cannot be given away, only the mode is "
                    "checked (CI runs this test as root)");

  add_certificate (store, "inter", "inter");
  save_ok (store, fixture->path);

  info = cd_test_stat (fixture->path);
  backup = cd_test_stat (backup_path);
  g_assert_cmpuint (info.st_mode & 07777, ==, 0640);
  g_assert_cmpuint (backup.st_mode & 07777, ==, 0600);
  g_assert_cmpuint (info.st_ino, !=, backup.st_ino);
  if (root)
    {
      g_assert_cmpuint (info.st_uid, ==, 1234);
      g_assert_cmpuint (info.st_gid, ==, 1234);
      g_assert_cmpuint (backup.st_uid, ==, 1234);
      g_assert_cmpuint (backup.st_gid, ==, 1234);
    }
  else
    {
      g_assert_cmpuint (info.st_uid, ==, geteuid ());
    }

  /* a new keystore is private to its owner, whatever the umask */
  old_umask = umask (0);
  save_ok (store, new_path);
  umask (old_umask);
  g_assert_cmpuint (file_mode (new_path), ==, 0600);
}

/* The backup of a truststore keeps the mode of the file; the backup of a file that held a key
 * is private even when the key is no longer in the keystore saved. */
static void
test_backup_modes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CdKeystore) trusted = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdKeystore) keyed = make_store ();
  g_autoptr(CdKeystore) loaded = NULL;
  g_autofree char *backup_path = g_strconcat (fixture->path, ".bak", NULL);
  g_autoptr(GError) error = NULL;

  add_certificate (trusted, "root", "root");
  save_ok (trusted, fixture->path);
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  add_certificate (trusted, "inter", "inter");
  save_ok (trusted, fixture->path);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0644);
  g_assert_cmpuint (file_mode (backup_path), ==, 0644);

  /* which of the two held a key is not known from the bytes alone: private */
  save_ok (keyed, fixture->path);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0644);
  g_assert_cmpuint (file_mode (backup_path), ==, 0600);

  loaded = load_ok (fixture->path);
  g_assert_true (cd_keystore_remove (loaded, "server", &error));
  g_assert_no_error (error);
  save_ok (loaded, fixture->path);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0644);
  g_assert_cmpuint (file_mode (backup_path), ==, 0600);
}

typedef struct
{
  CdKeystore *store;
  const char *path;
  gboolean    saved;
  GError     *error;
} SaveInThread;

static gpointer
save_in_thread (gpointer data)
{
  SaveInThread *save = data;

  save->saved = cd_keystore_save (save->store, save->path, PASSWORD, &save->error);
  return NULL;
}

/* A save takes the keystore's lock: it waits while another writer holds it, in this process as
 * in any other; a save under the lock the caller holds goes through at once. */
static void
test_save_takes_lock (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(CdFileLock) lock = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) during = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = g_build_filename (fixture->dir, "link.jks", NULL);
  SaveInThread save = { store, fixture->path, FALSE, NULL };
  GThread *thread;

  save_ok (store, fixture->path);
  before = cd_test_read_path (fixture->path);
  g_assert_cmpint (symlink ("store.jks", link), ==, 0);

  /* the lock of the link is the lock of the file */
  lock = cd_file_lock_acquire (link, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cd_file_lock_covers (lock, fixture->path));

  add_certificate (store, "inter", "inter");
  thread = g_thread_new ("save", save_in_thread, &save);
  g_usleep (200 * 1000);
  during = cd_test_read_path (fixture->path);
  g_assert_true (g_bytes_equal (during, before));
  g_clear_pointer (&lock, cd_file_lock_release);
  g_thread_join (thread);
  g_assert_no_error (save.error);
  g_assert_true (save.saved);
  after = cd_test_read_path (fixture->path);
  g_assert_false (g_bytes_equal (after, before));

  lock = cd_file_lock_acquire (fixture->path, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cd_keystore_save_locked (store, link, PASSWORD, lock, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  /* the modes checked below are what the code asks for, not less */
  umask (022);

  pki = cd_test_pki_new ();
  cd_test_pki_make_root (pki, "root");
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_make_leaf (pki, "leaf", "root", "t.mail.brand.example");

  g_test_add ("/core/keystore/save/creates", Fixture, NULL, cd_test_store_dir_set_up, test_creates,
              fixture_tear_down);
  g_test_add ("/core/keystore/save/backup", Fixture, NULL, cd_test_store_dir_set_up, test_backup,
              fixture_tear_down);
  g_test_add ("/core/keystore/save/fail-before-rename", Fixture, NULL, cd_test_store_dir_set_up,
              test_fail_before_rename, fixture_tear_down);
  g_test_add ("/core/keystore/save/missing-directory", Fixture, NULL, cd_test_store_dir_set_up,
              test_missing_directory, fixture_tear_down);
  g_test_add ("/core/keystore/save/nothing-written", Fixture, NULL, cd_test_store_dir_set_up,
              test_nothing_written, fixture_tear_down);
  g_test_add ("/core/keystore/save-through-symlink", Fixture, GUINT_TO_POINTER (1),
              cd_test_store_dir_set_up, test_through_symlink, fixture_tear_down);
  g_test_add ("/core/keystore/save-through-symlink-chain", Fixture, GUINT_TO_POINTER (2),
              cd_test_store_dir_set_up, test_through_symlink, fixture_tear_down);
  g_test_add ("/core/keystore/save/keeps-mode-and-owner", Fixture, NULL, cd_test_store_dir_set_up,
              test_keeps_mode_and_owner, fixture_tear_down);
  g_test_add ("/core/keystore/save/backup-modes", Fixture, NULL, cd_test_store_dir_set_up,
              test_backup_modes, fixture_tear_down);
  g_test_add ("/core/keystore/save/takes-lock", Fixture, NULL, cd_test_store_dir_set_up,
              test_save_takes_lock, fixture_tear_down);

  result = g_test_run ();
  cd_test_pki_free (pki);
  return result;
}
