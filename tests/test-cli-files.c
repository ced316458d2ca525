// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-cli-files"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-test-cli.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"

/* The files certdesk-cli writes for its user, as a user finds them afterwards: `keystore export`
 * and `csr` replace a certificate or a CSR through a symbolic link, keeping the link, the mode
 * and the owner of the file it points at; a private key goes into a new file of mode 0600 and
 * never over anything, not even a dangling link; nothing else is left behind. Each test has a
 * PKI of its own, made with the openssl tool, which also reads back what was written. */

#define PASSWORD "changeit"

/* a user other than the one running the tests, to own files when the tests run as root */
#define OTHER_ID 1234

typedef struct
{
  CdTestPki *pki;
  const char *dir;
} Fixture;

/* FALSE, after failing the test under CI or skipping it elsewhere, without the openssl tool,
 * which makes the PKI and checks what certdesk-cli wrote. */
static gboolean
need_openssl (void)
{
  return cd_test_require_tool ("openssl", "OpenSSL");
}

/* A key entry "app" (a leaf and its issuer) in the PKCS#12 keystore "store.p12". */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!need_openssl ())
    return;
  fixture->pki = cd_test_pki_new ();
  fixture->dir = cd_test_pki_get_dir (fixture->pki);
  cd_test_pki_make_root (fixture->pki, "root");
  cd_test_pki_make_leaf (fixture->pki, "app", "root", "app.files.example");
  g_assert_true (cd_test_pki_openssl (fixture->pki, NULL, "pkcs12", "-export", "-name", "app",
                                      "-in", "app.pem", "-inkey", "app.key", "-certfile",
                                      "root.pem", "-passout", "pass:" PASSWORD, "-out",
                                      "store.p12", NULL));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->pki, cd_test_pki_free);
}

/* certdesk-cli in the fixture's directory */
#define cli(run, fixture, ...) cd_test_cli (run, (fixture)->dir, NULL, __VA_ARGS__)

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return cd_test_pki_path (fixture->pki, name);
}

/* The names in the directory @name of the fixture, sorted, joined by spaces. */
static char *
list_dir (Fixture    *fixture,
          const char *name)
{
  g_autofree char *path = path_in (fixture, name);

  return cd_test_list_dir (path);
}

static char *
read_text (Fixture    *fixture,
           const char *name)
{
  g_autofree char *path = path_in (fixture, name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
set_mode (Fixture    *fixture,
          const char *name,
          mode_t      mode)
{
  g_autofree char *path = path_in (fixture, name);

  g_assert_no_errno (g_chmod (path, mode));
}

static void
write_text (Fixture    *fixture,
            const char *name,
            const char *text,
            mode_t      mode)
{
  g_autofree char *path = path_in (fixture, name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  set_mode (fixture, name, mode);
}

static void
make_link (Fixture    *fixture,
           const char *name,
           const char *target)
{
  g_autofree char *path = path_in (fixture, name);

  g_assert_no_errno (symlink (target, path));
}

static void
make_dir (Fixture    *fixture,
          const char *name)
{
  g_autofree char *path = path_in (fixture, name);

  g_assert_no_errno (g_mkdir (path, 0755));
}

/* @name is still a symbolic link to @target. */
static void
assert_link (Fixture    *fixture,
             const char *name,
             const char *target)
{
  g_autofree char *path = path_in (fixture, name);
  g_autofree char *found = NULL;
  GStatBuf info;

  g_assert_no_errno (g_lstat (path, &info));
  g_assert_true (S_ISLNK (info.st_mode));
  found = g_file_read_link (path, NULL);
  g_assert_cmpstr (found, ==, target);
}

static void
stat_file (Fixture    *fixture,
           const char *name,
           GStatBuf   *info)
{
  g_autofree char *path = path_in (fixture, name);

  g_assert_no_errno (g_lstat (path, info));
  g_assert_true (S_ISREG (info->st_mode));
}

static guint
file_mode (Fixture    *fixture,
           const char *name)
{
  GStatBuf info;

  stat_file (fixture, name, &info);
  return info.st_mode & 07777;
}

/* As root, gives @name to another user, whom a writer running as root must keep as owner. */
static gboolean
give_away (Fixture    *fixture,
           const char *name)
{
  g_autofree char *path = path_in (fixture, name);

  if (geteuid () != 0)
    return FALSE;
  g_assert_no_errno (chown (path, OTHER_ID, OTHER_ID));
  return TRUE;
}

static void
assert_owned_by_other (Fixture    *fixture,
                       const char *name)
{
  GStatBuf info;

  stat_file (fixture, name, &info);
  g_assert_cmpuint (info.st_uid, ==, OTHER_ID);
  g_assert_cmpuint (info.st_gid, ==, OTHER_ID);
}

/* Puts @target, a file, behind the symbolic link @link, given to another user when the tests
 * run as root. Returns whether it was given away. */
static gboolean
put_behind_link (Fixture    *fixture,
                 const char *link,
                 const char *target)
{
  gboolean given = give_away (fixture, target);

  make_link (fixture, link, target);
  return given;
}

/* What a writer through @link keeps: the link to @target, and the mode (@mode) and the owner
 * (another user when @other_owner) of that file. */
static void
assert_kept_behind_link (Fixture    *fixture,
                         const char *link,
                         const char *target,
                         guint       mode,
                         gboolean    other_owner)
{
  assert_link (fixture, link, target);
  g_assert_cmpuint (file_mode (fixture, target), ==, mode);
  if (other_owner)
    assert_owned_by_other (fixture, target);
}

/* The SHA-256 fingerprint of the (first) certificate in @name. */
static char *
fingerprint (Fixture    *fixture,
             const char *name)
{
  return cd_test_spawn_openssl (fixture->dir, "x509", "-in", name, "-noout", "-fingerprint",
                                "-sha256", NULL);
}

/* A chain exported through a link replaces the file the link points at, which keeps its mode
 * and owner; the link stays a link. A new file gets the umask's mode, as from openssl. */
static void
test_export_through_link (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(CdTestRun) run = { 0 };
  g_autofree char *exported = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *store_before = NULL;
  g_autofree char *store_after = NULL;
  gboolean other_owner;
  mode_t old_mask;

  if (fixture->pki == NULL)
    return;
  make_dir (fixture, "nginx");
  write_text (fixture, "nginx/chain.pem", "the old chain\n", 0640);
  other_owner = put_behind_link (fixture, "chain.pem", "nginx/chain.pem");

  cli (&run, fixture, "keystore", "export", "--password", PASSWORD, "--alias", "app", "--out",
       "chain.pem", "store.p12", NULL);
  g_assert_cmpint (run.status, ==, 0);

  assert_kept_behind_link (fixture, "chain.pem", "nginx/chain.pem", 0640, other_owner);
  exported = read_text (fixture, "nginx/chain.pem");
  g_assert_true (g_str_has_prefix (exported, "-----BEGIN CERTIFICATE-----\n"));
  g_assert_null (strstr (exported, "PRIVATE KEY"));
  g_clear_pointer (&exported, g_free);
  exported = fingerprint (fixture, "nginx/chain.pem");
  leaf = fingerprint (fixture, "app.pem");
  g_assert_cmpstr (exported, ==, leaf);
  /* beside the file: its lock, and no temporary file */
  listing = list_dir (fixture, "nginx");
  g_assert_cmpstr (listing, ==, ".chain.pem.lock chain.pem");

  old_mask = umask (022);
  cli (&run, fixture, "keystore", "export", "--password", PASSWORD, "--alias", "app", "--out",
       "new.pem", "store.p12", NULL);
  umask (old_mask);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (file_mode (fixture, "new.pem"), ==, 0644);

  /* never over the keystore it reads, by its name or through a link */
  make_link (fixture, "store-link.p12", "store.p12");
  store_before = read_text (fixture, "store.p12");
  cli (&run, fixture, "keystore", "export", "--password", PASSWORD, "--alias", "app", "--out",
       "store.p12", "store.p12", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "the keystore itself"));
  cli (&run, fixture, "keystore", "export", "--password", PASSWORD, "--alias", "app", "--out",
       "store-link.p12", "store.p12", NULL);
  g_assert_cmpint (run.status, ==, 2);
  store_after = read_text (fixture, "store.p12");
  g_assert_cmpmem (store_before, strlen (store_before), store_after, strlen (store_after));
  assert_link (fixture, "store-link.p12", "store.p12");
}

/* --include-key: a new file of mode 0600 whatever the umask, never over a file, a link to one
 * or a dangling link, which is not followed; nothing else is left. */
static void
test_export_key (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(CdTestRun) run = { 0 };
  g_autofree char *exported = NULL;
  g_autofree char *key_public = NULL;
  g_autofree char *cert_public = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *target = NULL;
  const char *taken[] = { "old.pem", "link.pem", "dangling.pem" };
  mode_t old_mask;

  if (fixture->pki == NULL)
    return;
  make_dir (fixture, "out");

  old_mask = umask (0);
  cli (&run, fixture, "keystore", "export", "--password", PASSWORD, "--alias", "app",
       "--include-key", "--out", "out/app.pem", "store.p12", NULL);
  umask (old_mask);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (file_mode (fixture, "out/app.pem"), ==, 0600);
  exported = read_text (fixture, "out/app.pem");
  g_assert_nonnull (strstr (exported, "-----BEGIN PRIVATE KEY-----\n"));
  key_public = cd_test_spawn_openssl (fixture->dir, "pkey", "-in", "out/app.pem", "-pubout",
                                      NULL);
  cert_public = cd_test_spawn_openssl (fixture->dir, "x509", "-in", "out/app.pem", "-noout",
                                       "-pubkey", NULL);
  g_assert_cmpstr (key_public, ==, cert_public);

  write_text (fixture, "out/old.pem", "someone's file\n", 0644);
  make_link (fixture, "out/link.pem", "old.pem");
  make_link (fixture, "out/dangling.pem", "nowhere.pem");
  before = list_dir (fixture, "out");
  for (guint i = 0; i < G_N_ELEMENTS (taken); i++)
    {
      g_autofree char *out = g_build_filename ("out", taken[i], NULL);

      cli (&run, fixture, "keystore", "export", "--password", PASSWORD, "--alias", "app",
           "--include-key", "--out", out, "store.p12", NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "already exists"));
      g_assert_nonnull (strstr (run.err, "never overwrites"));
    }

  g_clear_pointer (&exported, g_free);
  exported = read_text (fixture, "out/old.pem");
  g_assert_cmpstr (exported, ==, "someone's file\n");
  g_assert_cmpuint (file_mode (fixture, "out/old.pem"), ==, 0644);
  assert_link (fixture, "out/link.pem", "old.pem");
  assert_link (fixture, "out/dangling.pem", "nowhere.pem");
  /* nothing made where the dangling link points, no temporary file, no lock */
  after = list_dir (fixture, "out");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (after, ==, "app.pem dangling.pem link.pem old.pem");
  target = path_in (fixture, "out/nowhere.pem");
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
}

/* A new CSR over an existing one, through a link: the link stays, the file it points at keeps
 * its mode and owner and holds the new request; no backup, no temporary file. The key beside
 * it is new, 0600 in a folder made 0700. */
static void
test_csr_through_link (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(CdTestRun) run = { 0 };
  g_autofree char *subject = NULL;
  g_autofree char *key_public = NULL;
  g_autofree char *csr_public = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *keys = NULL;
  gboolean other_owner;
  GStatBuf info;

  if (fixture->pki == NULL)
    return;
  make_dir (fixture, "requests");
  cli (&run, fixture, "csr", "--cn", "old.files.example", "--key-type", "p256", "--out-csr",
       "requests/host.csr", "--out-key", "keys/old.key", NULL);
  g_assert_cmpint (run.status, ==, 0);
  set_mode (fixture, "requests/host.csr", 0664);
  other_owner = put_behind_link (fixture, "host.csr", "requests/host.csr");

  cli (&run, fixture, "csr", "--cn", "new.files.example", "--key-type", "p256", "--out-csr",
       "host.csr", "--out-key", "keys/new.key", NULL);
  g_assert_cmpint (run.status, ==, 0);

  assert_kept_behind_link (fixture, "host.csr", "requests/host.csr", 0664, other_owner);
  subject = cd_test_spawn_openssl (fixture->dir, "req", "-in", "requests/host.csr", "-noout",
                                   "-subject", "-verify", NULL);
  g_assert_nonnull (strstr (subject, "CN = new.files.example"));
  /* the request is for the new key */
  key_public = cd_test_spawn_openssl (fixture->dir, "pkey", "-in", "keys/new.key", "-pubout",
                                      NULL);
  csr_public = cd_test_spawn_openssl (fixture->dir, "req", "-in", "requests/host.csr", "-noout",
                                      "-pubkey", NULL);
  g_assert_cmpstr (key_public, ==, csr_public);
  listing = list_dir (fixture, "requests");
  g_assert_cmpstr (listing, ==, ".host.csr.lock host.csr");

  /* keys as before: 0600 in a folder of their own made 0700 */
  g_assert_cmpuint (file_mode (fixture, "keys/new.key"), ==, 0600);
  keys = path_in (fixture, "keys");
  g_assert_no_errno (g_stat (keys, &info));
  g_assert_cmpuint (info.st_mode & 07777, ==, 0700);
  g_clear_pointer (&listing, g_free);
  listing = list_dir (fixture, "keys");
  g_assert_cmpstr (listing, ==, "new.key old.key");

  /* a CSR beside its key, in the folder made for the key */
  cli (&run, fixture, "csr", "--cn", "beside.files.example", "--key-type", "p256", "--out-csr",
       "made/beside.csr", "--out-key", "made/beside.key", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_clear_pointer (&listing, g_free);
  listing = list_dir (fixture, "made");
  g_assert_cmpstr (listing, ==, ".beside.csr.lock beside.csr beside.key");
  g_assert_cmpuint (file_mode (fixture, "made/beside.key"), ==, 0600);
}

/* What would lose a key is refused before a key is made: a key name that is taken, by a
 * dangling link too, and a CSR that would land on the new key. */
static void
test_csr_refusals (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(CdTestRun) run = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (fixture->pki == NULL)
    return;
  make_dir (fixture, "out");
  make_link (fixture, "out/dangling.key", "nowhere.key");
  make_link (fixture, "out/to-key.csr", "same.pem");
  before = list_dir (fixture, "out");

  cli (&run, fixture, "csr", "--cn", "x.files.example", "--key-type", "p256", "--out-csr",
       "out/x.csr", "--out-key", "out/dangling.key", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "never overwrites"));

  cli (&run, fixture, "csr", "--cn", "x.files.example", "--key-type", "p256", "--out-csr",
       "out/same.pem", "--out-key", "out/../out/same.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "the same file"));

  cli (&run, fixture, "csr", "--cn", "x.files.example", "--key-type", "p256", "--out-csr",
       "out/to-key.csr", "--out-key", "out/same.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "the same file"));

  /* nothing written, not even a lock file */
  after = list_dir (fixture, "out");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (after, ==, "dangling.key to-key.csr");
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("CERTDESK_CLI"));

  add_test ("/cli/files/export-through-link", test_export_through_link);
  add_test ("/cli/files/export-key", test_export_key);
  add_test ("/cli/files/csr-through-link", test_csr_through_link);
  add_test ("/cli/files/csr-refusals", test_csr_refusals);

  return g_test_run ();
}
