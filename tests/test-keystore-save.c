// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-keystore-save"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cd-error.h"
#include "cd-keystore-private.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* cd_keystore_save(): a new file private to its owner, the previous one kept as NAME.bak, and
 * an old keystore that survives a save failing half-way. */

#define PASSWORD "changeit"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)

static CdTestPki *pki;

typedef struct
{
  char *dir;  /* a fresh directory for each test */
  char *path; /* "<dir>/store.jks" */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("certdesk-keystore-save-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store.jks", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  _cd_keystore_fail_before_rename = FALSE;
  cd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
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

static GBytes *
read_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
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

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static guint
file_mode (const char *path)
{
  GStatBuf info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  return info.st_mode & 0777;
}

static void
test_creates (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(CdKeystore) loaded = NULL;
  g_autofree char *listing = NULL;

  save_ok (store, fixture->path);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "store.jks");

  loaded = load_ok (fixture->path);
  g_assert_cmpuint (cd_keystore_get_n_entries (loaded), ==, 2);
  g_assert_nonnull (cd_keystore_lookup (loaded, "server")->key);

  /* and keytool reads it */
  if (cd_test_require_tool ("keytool", "OpenJDK 17"))
    {
      const char *args[] = { "-list", "-keystore", fixture->path, "-storepass", PASSWORD, NULL };
      g_autofree char *out = NULL;

      g_assert_true (cd_test_run_keytool (NULL, args, &out, NULL));
      g_assert_nonnull (strstr (out, "Your keystore contains 2 entries"));
    }
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
  g_autofree char *backup_path = g_strconcat (fixture->path, ".bak", NULL);
  g_autofree char *listing = NULL;

  save_ok (store, fixture->path);
  first = read_file (fixture->path);
  g_assert_false (g_file_test (backup_path, G_FILE_TEST_EXISTS));

  add_certificate (store, "inter", "inter");
  save_ok (store, fixture->path);
  second = read_file (fixture->path);
  backup = read_file (backup_path);
  g_assert_true (g_bytes_equal (backup, first));
  g_assert_false (g_bytes_equal (second, first));
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_cmpuint (file_mode (backup_path), ==, 0600);
  loaded = load_ok (fixture->path);
  g_assert_nonnull (cd_keystore_lookup (loaded, "inter"));

  /* one generation: the next save keeps the second file */
  g_clear_pointer (&backup, g_bytes_unref);
  cd_keystore_remove (store, "inter", NULL);
  save_ok (store, fixture->path);
  backup = read_file (backup_path);
  g_assert_true (g_bytes_equal (backup, second));

  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "store.jks store.jks.bak");
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
  before = read_file (fixture->path);

  add_certificate (store, "inter", "inter");
  _cd_keystore_fail_before_rename = TRUE;
  g_assert_false (cd_keystore_save (store, fixture->path, PASSWORD, &error));
  _cd_keystore_fail_before_rename = FALSE;
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "store.jks"));

  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (after, before));
  loaded = load_ok (fixture->path);
  g_assert_cmpuint (cd_keystore_get_n_entries (loaded), ==, 2);
  g_assert_null (cd_keystore_lookup (loaded, "inter"));

  /* no temporary file left behind; the backup of the old keystore may be there */
  listing = list_dir (fixture->dir);
  g_assert_true (g_str_equal (listing, "store.jks")
                 || g_str_equal (listing, "store.jks store.jks.bak"));
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
  listing = list_dir (fixture->dir);
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
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  save_ok (store, fixture->path);
  before = read_file (fixture->path);
  /* without a password, the key stays locked and cannot be written */
  locked = cd_keystore_load (fixture->path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cd_keystore_save (locked, fixture->path, PASSWORD, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (after, before));
  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "store.jks");
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

  g_test_add ("/core/keystore/save/creates", Fixture, NULL, fixture_set_up, test_creates,
              fixture_tear_down);
  g_test_add ("/core/keystore/save/backup", Fixture, NULL, fixture_set_up, test_backup,
              fixture_tear_down);
  g_test_add ("/core/keystore/save/fail-before-rename", Fixture, NULL, fixture_set_up,
              test_fail_before_rename, fixture_tear_down);
  g_test_add ("/core/keystore/save/missing-directory", Fixture, NULL, fixture_set_up,
              test_missing_directory, fixture_tear_down);
  g_test_add ("/core/keystore/save/nothing-written", Fixture, NULL, fixture_set_up,
              test_nothing_written, fixture_tear_down);

  result = g_test_run ();
  cd_test_pki_free (pki);
  return result;
}
