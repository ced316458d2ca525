// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cd-bundle.h"
#include "cd-error.h"
#include "cd-test-util.h"

#define PASSWORD "s3cret"
#define MiB (1024 * 1024)

/* Every kind of broken input gets its own error code and a message that names the file; none
 * crashes, leaks or writes anything. Fixtures come from the openssl CLI and libarchive.
 * @workdir holds them, in a directory of the test's own: what appears beside @workdir is this
 * test's doing, not another process's in the shared temporary directory. */
static char *rootdir;
static char *workdir;

/* Loads @name and checks that it fails with @code and a message that names it. */
static void
assert_fails (const char *name,
              const char *password,
              int         code,
              const char *mentions)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = cd_bundle_load_file (path, password, &error);

  g_assert_null (bundle);
  g_assert_error (error, CD_ERROR, code);
  g_test_message ("%s: %s", name, error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, name) == NULL)
    g_error ("the message does not name “%s”: %s", name, error->message);
  if (mentions != NULL && strstr (error->message, mentions) == NULL)
    g_error ("the message for “%s” does not mention “%s”: %s", name, mentions, error->message);
}

/* Loads @data and checks that it either loads or fails with a code a caller can branch on. */
static void
assert_handled (const guint8 *data,
                gsize         length,
                const char   *password)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = cd_bundle_load_bytes (bytes, "mutant", password, &error);

  if (bundle != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (bundle->certificates->len + bundle->keys->len, >, 0);
      return;
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == CD_ERROR);
  g_assert_true (error->code == CD_ERROR_BAD_FORMAT || error->code == CD_ERROR_WRONG_PASSWORD ||
                 error->code == CD_ERROR_UNSUPPORTED || error->code == CD_ERROR_TOO_LARGE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "mutant"));
}

/* --- zips, written with libarchive ------------------------------------------------------- */

typedef void (*FillFunc) (guint8 *buffer,
                          gsize   length,
                          guint64 offset);

/* @level: deflate's, "1" (fast, for the size bounds) to "9" (as a zip bomb is made) */
static struct archive *
zip_open_with_level (const char *name,
                     const char *level)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);
  struct archive *zip = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (zip), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_set_format_option (zip, "zip", "compression-level", level), ==,
                   ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (zip, path), ==, ARCHIVE_OK);
  return zip;
}

static struct archive *
zip_open (const char *name)
{
  return zip_open_with_level (name, "1");
}

/* Streams @size bytes made by @fill (or copied from @data) into a new entry: the test never
 * holds them at once. */
static void
zip_add (struct archive *zip,
         const char     *name,
         guint64         size,
         FillFunc        fill,
         const guint8   *data)
{
  static guint8 buffer[MiB];
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, (la_int64_t) size);
  g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
  for (guint64 offset = 0; offset < size;)
    {
      gsize chunk = (gsize) MIN (size - offset, (guint64) MiB);
      const guint8 *bytes = data != NULL ? data + offset : buffer;

      if (fill != NULL)
        fill (buffer, chunk, offset);
      g_assert_cmpint (archive_write_data (zip, bytes, chunk), ==, (la_ssize_t) chunk);
      offset += chunk;
    }
  archive_entry_free (entry);
}

static void
zip_close (struct archive *zip)
{
  g_assert_cmpint (archive_write_close (zip), ==, ARCHIVE_OK);
  archive_write_free (zip);
}

static void
fill_zeros (guint8 *buffer,
            gsize   length,
            guint64 offset)
{
  memset (buffer, 0, length);
}

/* One random byte in eight: deflate gets it down to about a fifth, far from a bomb's ratio. */
static void
fill_sparse_noise (guint8 *buffer,
                   gsize   length,
                   guint64 offset)
{
  guint32 state = (guint32) (offset * 2654435761u) | 1;

  for (gsize i = 0; i < length; i++)
    {
      if (i % 8 == 0)
        {
          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          buffer[i] = (guint8) state;
        }
      else
        buffer[i] = 0;
    }
}

/* --- the cases --------------------------------------------------------------------------- */

static void
test_empty_file (void)
{
  cd_test_write_file (workdir, "empty.pem", "", 0);
  assert_fails ("empty.pem", NULL, CD_ERROR_BAD_FORMAT, "empty");
  cd_test_write_file (workdir, "blank.pem", "\n \r\n\t\n", 6);
  assert_fails ("blank.pem", NULL, CD_ERROR_BAD_FORMAT, "empty");
}

static void
test_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260315);
  static const char *const texts[] = {
    "Hello, this is not a certificate.\n",
    "0123456789 starts like DER but is text\n",
    "PK but not a zip\n",
    "-----BEGIN the minutes of the meeting\n",
    "-----BEGIN CERTIFICATE----- and nothing else",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *name = g_strdup_printf ("text-%zu.txt", i);

      cd_test_write_file (workdir, name, texts[i], strlen (texts[i]));
      assert_fails (name, NULL, CD_ERROR_BAD_FORMAT, NULL);
    }

  for (guint i = 0; i < 64; i++)
    {
      gsize length = (gsize) g_rand_int_range (rand, 1, 8192);
      g_autofree guint8 *data = g_malloc (length);
      g_autofree char *name = g_strdup_printf ("garbage-%u.bin", i);

      for (gsize j = 0; j < length; j++)
        data[j] = (guint8) g_rand_int_range (rand, 0, 256);
      /* every kind of start: DER, zip, UTF-16 */
      if (i % 4 == 1)
        data[0] = 0x30;
      else if (i % 4 == 2 && length > 4)
        memcpy (data, "PK\003\004", 4);
      else if (i % 4 == 3 && length > 2)
        memcpy (data, "\xff\xfe", 2);
      cd_test_write_file (workdir, name, data, length);
      assert_fails (name, PASSWORD, CD_ERROR_BAD_FORMAT, NULL);
    }
}

static void
test_truncated_der (void)
{
  g_autoptr(GBytes) der = cd_test_read_file (workdir, "leaf.der");
  gsize length = g_bytes_get_size (der);

  cd_test_write_file (workdir, "truncated.der", g_bytes_get_data (der, NULL), length / 2);
  assert_fails ("truncated.der", NULL, CD_ERROR_BAD_FORMAT, "cut off");

  for (gsize cut = 1; cut < length; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (der, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdBundle) bundle = cd_bundle_load_bytes (part, "cut.der", NULL, &error);

      g_assert_null (bundle);
      g_assert_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT);
    }
}

static void
test_truncated_pem (void)
{
  g_autoptr(GBytes) pem = cd_test_read_file (workdir, "leaf.pem");
  const char *text = g_bytes_get_data (pem, NULL);
  gsize length = g_bytes_get_size (pem);
  const char *end_line = g_strstr_len (text, (gssize) length, "-----END CERTIFICATE-----");
  gsize complete = (gsize) (end_line - text) + strlen ("-----END CERTIFICATE-----");

  cd_test_write_file (workdir, "truncated.pem", text, length - 40);
  assert_fails ("truncated.pem", NULL, CD_ERROR_BAD_FORMAT, "END");

  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (pem, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdBundle) bundle = cd_bundle_load_bytes (part, "cut.pem", NULL, &error);

      if (cut >= complete)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (bundle->certificates->len, ==, 1);
        }
      else
        {
          g_assert_null (bundle);
          g_assert_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT);
        }
    }
}

static void
test_pem_bad_base64 (void)
{
  g_autoptr(GBytes) pem = cd_test_read_file (workdir, "leaf.pem");
  g_autofree char *text = g_strndup (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
  g_autofree char *spaced = NULL;
  char *body = strchr (text, '\n') + 1;

  body[10] = '!';
  cd_test_write_file (workdir, "bad-base64.pem", text, strlen (text));
  assert_fails ("bad-base64.pem", NULL, CD_ERROR_BAD_FORMAT, "base64");

  /* a character lost: the length is no longer a multiple of four */
  body[10] = 'A';
  memmove (body + 10, body + 11, strlen (body + 11) + 1);
  cd_test_write_file (workdir, "short-base64.pem", text, strlen (text));
  assert_fails ("short-base64.pem", NULL, CD_ERROR_BAD_FORMAT, "base64");

  /* padding in the middle */
  spaced = g_strdup ("-----BEGIN CERTIFICATE-----\nMII=AAAA\n-----END CERTIFICATE-----\n");
  cd_test_write_file (workdir, "mid-padding.pem", spaced, strlen (spaced));
  assert_fails ("mid-padding.pem", NULL, CD_ERROR_BAD_FORMAT, "base64");
}

static void
test_pem_damaged_blocks (void)
{
  static const char not_der[] =
    "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxsLg==\n"
    "-----END CERTIFICATE-----\n";
  static const char mismatched[] =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n";
  static const char nested[] =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----BEGIN CERTIFICATE-----\nMIIB\n"
    "-----END CERTIFICATE-----\n";
  static const char bad_key[] =
    "-----BEGIN PRIVATE KEY-----\nTm90IGEga2V5Lg==\n-----END PRIVATE KEY-----\n";
  static const char bad_traditional[] =
    "-----BEGIN RSA PRIVATE KEY-----\nTm90IGEga2V5Lg==\n-----END RSA PRIVATE KEY-----\n";
  static const char unknown_cipher[] =
    "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: ROT13-CBC,00112233\n\n"
    "Tm90IGEga2V5Lg==\n-----END RSA PRIVATE KEY-----\n";

  cd_test_write_file (workdir, "not-der.pem", not_der, strlen (not_der));
  assert_fails ("not-der.pem", NULL, CD_ERROR_BAD_FORMAT, "damaged");
  cd_test_write_file (workdir, "mismatched.pem", mismatched, strlen (mismatched));
  assert_fails ("mismatched.pem", NULL, CD_ERROR_BAD_FORMAT, "END");
  cd_test_write_file (workdir, "nested.pem", nested, strlen (nested));
  assert_fails ("nested.pem", NULL, CD_ERROR_BAD_FORMAT, "END");
  cd_test_write_file (workdir, "bad-key.pem", bad_key, strlen (bad_key));
  assert_fails ("bad-key.pem", NULL, CD_ERROR_BAD_FORMAT, NULL);
  cd_test_write_file (workdir, "bad-traditional.pem", bad_traditional, strlen (bad_traditional));
  assert_fails ("bad-traditional.pem", NULL, CD_ERROR_BAD_FORMAT, NULL);
  cd_test_write_file (workdir, "unknown-cipher.pem", unknown_cipher, strlen (unknown_cipher));
  assert_fails ("unknown-cipher.pem", PASSWORD, CD_ERROR_UNSUPPORTED, NULL);
}

/* Inputs that would take quadratic time in a careless parser: one long line of BEGIN markers,
 * and blocks that never end. */
static void
test_pem_pathological (void)
{
  g_autoptr(GString) markers = g_string_new (NULL);
  g_autoptr(GString) unended = g_string_new (NULL);
  gint64 start = g_get_monotonic_time ();

  while (markers->len < 4 * MiB)
    g_string_append (markers, "-----BEGIN ");
  cd_test_write_file (workdir, "markers.pem", markers->str, markers->len);
  assert_fails ("markers.pem", NULL, CD_ERROR_BAD_FORMAT, NULL);

  while (unended->len < 4 * MiB)
    g_string_append (unended, "-----BEGIN CERTIFICATE-----\nMIIB\n");
  cd_test_write_file (workdir, "unended.pem", unended->str, unended->len);
  assert_fails ("unended.pem", NULL, CD_ERROR_BAD_FORMAT, "END");

  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

/* DER headers that claim more than the file holds, up to 2^64 - 1 bytes. */
static void
test_huge_der_lengths (void)
{
  static const guint8 four_gib[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00 };
  static const guint8 eight_bytes[] = { 0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0x02, 0x01, 0x00 };
  static const guint8 nine_bytes[] = { 0x30, 0x89, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                       0x00, 0x00 };
  /* the outer length is honest, the inner one is not */
  static const guint8 inner[] = { 0x30, 0x08, 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x00 };
  g_autoptr(GBytes) der = cd_test_read_file (workdir, "leaf.der");
  g_autofree guint8 *inflated = g_memdup2 (g_bytes_get_data (der, NULL), g_bytes_get_size (der));

  cd_test_write_file (workdir, "four-gib.der", four_gib, sizeof four_gib);
  assert_fails ("four-gib.der", NULL, CD_ERROR_BAD_FORMAT, "cut off");
  cd_test_write_file (workdir, "eight-bytes.der", eight_bytes, sizeof eight_bytes);
  assert_fails ("eight-bytes.der", NULL, CD_ERROR_BAD_FORMAT, NULL);
  cd_test_write_file (workdir, "nine-bytes.der", nine_bytes, sizeof nine_bytes);
  assert_fails ("nine-bytes.der", NULL, CD_ERROR_BAD_FORMAT, NULL);
  cd_test_write_file (workdir, "inner.der", inner, sizeof inner);
  assert_fails ("inner.der", NULL, CD_ERROR_BAD_FORMAT, NULL);

  /* a real certificate whose TBSCertificate claims 16 MiB: "30 82 xx xx 30 82 yy yy" */
  g_assert_cmpint (inflated[4], ==, 0x30);
  g_assert_cmpint (inflated[5], ==, 0x82);
  inflated[5] = 0x83;
  inflated[6] = 0xff;
  cd_test_write_file (workdir, "inflated.der", inflated, g_bytes_get_size (der));
  assert_fails ("inflated.der", NULL, CD_ERROR_BAD_FORMAT, NULL);
}

static void
test_too_large_file (void)
{
  g_autofree char *path = g_build_filename (workdir, "huge.pem", NULL);
  g_autofree guint8 *big = g_malloc0 (CD_BUNDLE_MAX_FILE_SIZE + 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = NULL;
  int fd;

  /* a sparse file: refused by its size, before anything is read */
  fd = g_open (path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (ftruncate (fd, (off_t) CD_BUNDLE_MAX_FILE_SIZE + 1));
  g_close (fd, NULL);
  assert_fails ("huge.pem", NULL, CD_ERROR_TOO_LARGE, "64");

  bytes = g_bytes_new_static (big, CD_BUNDLE_MAX_FILE_SIZE + 1);
  bundle = cd_bundle_load_bytes (bytes, "huge.bin", NULL, &error);
  g_assert_null (bundle);
  g_assert_error (error, CD_ERROR, CD_ERROR_TOO_LARGE);
}

static void
test_empty_zip (void)
{
  struct archive *zip;

  cd_test_write_file (workdir, "empty.zip", "", 0);
  assert_fails ("empty.zip", NULL, CD_ERROR_BAD_FORMAT, "empty");

  /* a valid archive with no entries */
  zip = zip_open ("no-entries.zip");
  zip_close (zip);
  assert_fails ("no-entries.zip", NULL, CD_ERROR_BAD_FORMAT, "no certificate");

  /* only things that are not certificates */
  zip = zip_open ("readme-only.zip");
  zip_add (zip, "README.txt", 6, NULL, (const guint8 *) "hello\n");
  zip_close (zip);
  assert_fails ("readme-only.zip", NULL, CD_ERROR_BAD_FORMAT, "no certificate");
}

static void
test_truncated_zip (void)
{
  g_autoptr(GBytes) pem = cd_test_read_file (workdir, "leaf.pem");
  g_autoptr(GBytes) zip_bytes = NULL;
  struct archive *zip = zip_open ("whole.zip");
  gsize length;

  zip_add (zip, "a.pem", g_bytes_get_size (pem), NULL, g_bytes_get_data (pem, NULL));
  zip_add (zip, "b.pem", g_bytes_get_size (pem), NULL, g_bytes_get_data (pem, NULL));
  zip_close (zip);

  zip_bytes = cd_test_read_file (workdir, "whole.zip");
  length = g_bytes_get_size (zip_bytes);
  cd_test_write_file (workdir, "truncated.zip", g_bytes_get_data (zip_bytes, NULL), length / 3);
  assert_fails ("truncated.zip", NULL, CD_ERROR_BAD_FORMAT, NULL);

  for (gsize cut = 4; cut < length; cut += 7)
    assert_handled (g_bytes_get_data (zip_bytes, NULL), cut, NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* Names the directory's entries, sorted, to show that nothing appeared. */
static char *
list_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return g_strdup ("");
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("\n", (char **) names->pdata);
}

/* @shown: how the message quotes the entry (libarchive turns backslashes into slashes) */
static void
check_unsafe_zip (const char *zip_name,
                  const char *entry_name,
                  const char *shown)
{
  g_autoptr(GBytes) pem = cd_test_read_file (workdir, "leaf.pem");
  g_autofree char *parent = g_path_get_dirname (workdir);
  /* the load runs in a directory of the test's own too */
  g_autofree char *cwd = g_build_filename (rootdir, "cwd", NULL);
  g_autofree char *old_cwd = g_get_current_dir ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *parent_before = NULL;
  g_autofree char *parent_after = NULL;
  g_autofree char *cwd_before = NULL;
  g_autofree char *cwd_after = NULL;
  struct archive *zip = zip_open (zip_name);

  zip_add (zip, "good.pem", g_bytes_get_size (pem), NULL, g_bytes_get_data (pem, NULL));
  zip_add (zip, entry_name, g_bytes_get_size (pem), NULL, g_bytes_get_data (pem, NULL));
  zip_close (zip);

  g_assert_no_errno (g_mkdir_with_parents (cwd, 0700));
  g_assert_no_errno (g_chdir (cwd));
  before = list_directory (workdir);
  parent_before = list_directory (parent);
  cwd_before = list_directory (cwd);
  assert_fails (zip_name, NULL, CD_ERROR_BAD_FORMAT, shown);
  after = list_directory (workdir);
  parent_after = list_directory (parent);
  cwd_after = list_directory (cwd);
  g_assert_no_errno (g_chdir (old_cwd));

  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (parent_before, ==, parent_after);
  g_assert_cmpstr (cwd_before, ==, cwd_after);
}

static void
test_zip_dot_dot (void)
{
  check_unsafe_zip ("dot-dot.zip", "../evil.pem", "../evil.pem");
  check_unsafe_zip ("deep-dot-dot.zip", "certs/../../evil.pem", "certs/../../evil.pem");
  check_unsafe_zip ("backslash.zip", "certs\\..\\..\\evil.pem", "evil.pem");
}

static void
test_zip_absolute (void)
{
  check_unsafe_zip ("absolute.zip", "/abs.pem", "/abs.pem");
  check_unsafe_zip ("drive.zip", "C:\\abs.pem", "abs.pem");
  g_assert_false (g_file_test ("/abs.pem", G_FILE_TEST_EXISTS));
}

/* 300 MiB of zeros in one entry, about 300 KiB compressed. */
static void
test_zip_bomb (void)
{
  struct archive *zip = zip_open_with_level ("bomb.zip", "9");
  g_autofree char *path = g_build_filename (workdir, "bomb.zip", NULL);
  GStatBuf st;

  zip_add (zip, "zeros.pem", (guint64) 300 * MiB, fill_zeros, NULL);
  zip_close (zip);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("bomb.zip: %" G_GINT64_FORMAT " bytes", (gint64) st.st_size);
  g_assert_cmpint (st.st_size, <, MiB);

  assert_fails ("bomb.zip", NULL, CD_ERROR_TOO_LARGE, "bomb");
}

/* Entries of 1 MiB each, below the ratio check, that add up to more than the total bound. */
static void
test_zip_total_size (void)
{
  struct archive *zip = zip_open ("total.zip");

  for (guint i = 0; i < CD_BUNDLE_MAX_ZIP_TOTAL_SIZE / MiB + 1; i++)
    {
      g_autofree char *name = g_strdup_printf ("part-%03u.pem", i);

      zip_add (zip, name, CD_BUNDLE_ZIP_RATIO_FLOOR, fill_zeros, NULL);
    }
  zip_close (zip);

  assert_fails ("total.zip", NULL, CD_ERROR_TOO_LARGE, "256");
}

/* One entry beyond the per-file bound, compressed only about five times. */
static void
test_zip_entry_too_large (void)
{
  struct archive *zip = zip_open ("big-entry.zip");

  zip_add (zip, "big.pem", (guint64) CD_BUNDLE_MAX_FILE_SIZE + MiB, fill_sparse_noise, NULL);
  zip_close (zip);

  assert_fails ("big-entry.zip", NULL, CD_ERROR_TOO_LARGE, "big.pem");
}

static void
test_zip_too_many_entries (void)
{
  struct archive *zip = zip_open ("many.zip");

  /* empty entries need no deflate stream each */
  g_assert_cmpint (archive_write_zip_set_compression_store (zip), ==, ARCHIVE_OK);

  for (guint i = 0; i <= CD_BUNDLE_MAX_ZIP_ENTRIES; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "e%05u", i);
      zip_add (zip, name, 0, NULL, NULL);
    }
  zip_close (zip);

  assert_fails ("many.zip", NULL, CD_ERROR_TOO_LARGE, "10000");
}

static void
test_pkcs12_wrong_password (void)
{
  g_autofree char *path = g_build_filename (workdir, "leaf.p12", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = cd_bundle_load_file (path, "wrong", &error);

  g_assert_null (bundle);
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  g_assert_cmpstr (error->message, ==,
                   "The password does not open “leaf.p12”. Check it and try again.");
  assert_fails ("leaf.p12", NULL, CD_ERROR_WRONG_PASSWORD, NULL);
  assert_fails ("leaf.p12", "", CD_ERROR_WRONG_PASSWORD, NULL);
}

static void
test_pkcs12_truncated (void)
{
  g_autoptr(GBytes) p12 = cd_test_read_file (workdir, "leaf.p12");

  cd_test_write_file (workdir, "truncated.p12", g_bytes_get_data (p12, NULL),
                      g_bytes_get_size (p12) - 100);
  assert_fails ("truncated.p12", PASSWORD, CD_ERROR_BAD_FORMAT, NULL);
}

/* Replaces every "INTEGER 65535" with "INTEGER 8388607", same length. */
static void
raise_iterations (const char *from,
                  const char *to)
{
  g_autoptr(GBytes) original = cd_test_read_file (workdir, from);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (original, NULL),
                                       g_bytes_get_size (original));
  gsize length = g_bytes_get_size (original);
  guint replaced = 0;

  for (gsize i = 0; i + 5 <= length; i++)
    if (memcmp (data + i, "\x02\x03\x00\xff\xff", 5) == 0)
      {
        data[i + 2] = 0x7f;
        replaced++;
      }
  g_assert_cmpuint (replaced, >, 0);
  cd_test_write_file (workdir, to, data, length);
}

/* Password protection that would keep a thread busy for minutes is refused up front. */
static void
test_kdf_iterations (void)
{
  g_autoptr(CdBundle) locked = NULL;
  g_autofree char *path = g_build_filename (workdir, "slow-key.der", NULL);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  raise_iterations ("iter.p12", "slow.p12");
  raise_iterations ("iter-nomac.p12", "slow-nomac.p12");
  raise_iterations ("iter-key.der", "slow-key.der");

  assert_fails ("slow.p12", PASSWORD, CD_ERROR_TOO_LARGE, "rounds");
  assert_fails ("slow-nomac.p12", PASSWORD, CD_ERROR_TOO_LARGE, "rounds");
  assert_fails ("slow-key.der", PASSWORD, CD_ERROR_TOO_LARGE, "rounds");
  /* without a password nothing is derived: the key is listed, locked */
  locked = cd_bundle_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locked->keys->len, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

/* Single bytes changed all over valid files: each either loads or fails with a known code. */
static void
test_mutations (void)
{
  static const char *const names[] = { "leaf.der", "leaf.pem", "leaf.p12", "chain.p7c",
                                       "leaf-enc.der", "bundle.zip" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4514);

  for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr(GBytes) original = cd_test_read_file (workdir, names[n]);
      gsize length = g_bytes_get_size (original);
      g_autofree guint8 *data = g_malloc (length);

      for (guint round = 0; round < 100; round++)
        {
          guint changes = (guint) g_rand_int_range (rand, 1, 4);

          memcpy (data, g_bytes_get_data (original, NULL), length);
          for (guint c = 0; c < changes; c++)
            data[g_rand_int_range (rand, 0, (gint32) length)] ^=
              (guint8) g_rand_int_range (rand, 1, 256);
          assert_handled (data, length, PASSWORD);
        }
    }
}

static void
make_fixtures (void)
{
  g_autoptr(GBytes) pem = NULL;
  g_autoptr(GBytes) p12 = NULL;
  struct archive *zip;

  cd_test_write_file (workdir, "req.cnf", "[req]\ndistinguished_name = dn\n[dn]\n", -1);

  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-newkey", "ec",
                                 "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                                 "-subj", "/CN=Certdesk Damage CA",
                                 "-addext", "basicConstraints=critical,CA:TRUE", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-CA", "ca.pem",
                                 "-CAkey", "ca.key", "-newkey", "ec",
                                 "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", "leaf.key", "-out", "leaf.pem", "-days", "30",
                                 "-subj", "/CN=damaged.example.com",
                                 "-addext", "subjectAltName=DNS:damaged.example.com", NULL));
  g_free (cd_test_spawn_openssl (workdir, "x509", "-in", "leaf.pem", "-outform", "DER",
                                 "-out", "leaf.der", NULL));
  g_free (cd_test_spawn_openssl (workdir, "crl2pkcs7", "-nocrl", "-certfile", "leaf.pem",
                                 "-certfile", "ca.pem", "-outform", "DER", "-out", "chain.p7c",
                                 NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs12", "-export", "-in", "leaf.pem",
                                 "-inkey", "leaf.key", "-certfile", "ca.pem",
                                 "-passout", "pass:" PASSWORD, "-out", "leaf.p12", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs8", "-topk8", "-v2", "aes-256-cbc",
                                 "-in", "leaf.key", "-passout", "pass:" PASSWORD, "-outform", "DER",
                                 "-out", "leaf-enc.der", NULL));

  /* 65535 rounds, to be raised by editing the DER */
  g_free (cd_test_spawn_openssl (workdir, "pkcs12", "-export", "-iter", "65535", "-in", "leaf.pem",
                                 "-inkey", "leaf.key", "-passout", "pass:" PASSWORD,
                                 "-out", "iter.p12", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs12", "-export", "-nomac", "-iter", "65535",
                                 "-in", "leaf.pem", "-inkey", "leaf.key",
                                 "-passout", "pass:" PASSWORD, "-out", "iter-nomac.p12", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-iter", "65535",
                                 "-in", "leaf.key", "-passout", "pass:" PASSWORD, "-outform", "DER",
                                 "-out", "iter-key.der", NULL));

  pem = cd_test_read_file (workdir, "leaf.pem");
  p12 = cd_test_read_file (workdir, "leaf.p12");
  zip = zip_open ("bundle.zip");
  zip_add (zip, "certs/leaf.pem", g_bytes_get_size (pem), NULL, g_bytes_get_data (pem, NULL));
  zip_add (zip, "leaf.p12", g_bytes_get_size (p12), NULL, g_bytes_get_data (p12, NULL));
  zip_close (zip);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  rootdir = g_dir_make_tmp ("certdesk-damaged-XXXXXX", &error);
  g_assert_no_error (error);
  workdir = g_build_filename (rootdir, "work", NULL);
  g_assert_no_errno (g_mkdir (workdir, 0700));
  make_fixtures ();

  g_test_add_func ("/core/damaged/empty-file", test_empty_file);
  g_test_add_func ("/core/damaged/garbage", test_garbage);
  g_test_add_func ("/core/damaged/truncated-der", test_truncated_der);
  g_test_add_func ("/core/damaged/truncated-pem", test_truncated_pem);
  g_test_add_func ("/core/damaged/pem-bad-base64", test_pem_bad_base64);
  g_test_add_func ("/core/damaged/pem-damaged-blocks", test_pem_damaged_blocks);
  g_test_add_func ("/core/damaged/pem-pathological", test_pem_pathological);
  g_test_add_func ("/core/damaged/huge-der-lengths", test_huge_der_lengths);
  g_test_add_func ("/core/damaged/too-large-file", test_too_large_file);
  g_test_add_func ("/core/damaged/empty-zip", test_empty_zip);
  g_test_add_func ("/core/damaged/truncated-zip", test_truncated_zip);
  g_test_add_func ("/core/damaged/zip-dot-dot", test_zip_dot_dot);
  g_test_add_func ("/core/damaged/zip-absolute", test_zip_absolute);
  g_test_add_func ("/core/damaged/zip-bomb", test_zip_bomb);
  g_test_add_func ("/core/damaged/zip-total-size", test_zip_total_size);
  g_test_add_func ("/core/damaged/zip-entry-too-large", test_zip_entry_too_large);
  g_test_add_func ("/core/damaged/zip-too-many-entries", test_zip_too_many_entries);
  g_test_add_func ("/core/damaged/pkcs12-wrong-password", test_pkcs12_wrong_password);
  g_test_add_func ("/core/damaged/pkcs12-truncated", test_pkcs12_truncated);
  g_test_add_func ("/core/damaged/kdf-iterations", test_kdf_iterations);
  g_test_add_func ("/core/damaged/mutations", test_mutations);

  result = g_test_run ();
  cd_test_remove_tree (rootdir);
  g_free (workdir);
  g_free (rootdir);
  return result;
}
