// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <gio/gio.h>
#include <string.h>

#include "cd-bundle.h"
#include "cd-cert-info.h"
#include "cd-error.h"
#include "cd-test-util.h"

#define PASSWORD "s3cret"

/* Fixtures are made once per run with the openssl CLI; what Certdesk loads is compared with
 * the fingerprints openssl prints for the originals. */
static char *workdir;
static char *leaf_fingerprint;
static char *ca_fingerprint;

static CdBundle *
load (const char  *name,
      const char  *password,
      GError     **error)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);

  return cd_bundle_load_file (path, password, error);
}

static CdBundle *
load_ok (const char *name,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  CdBundle *bundle = load (name, password, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bundle);
  return bundle;
}

/* The certificates in @bundle, in order, are the ones with these fingerprints. */
static void
assert_certificates (CdBundle   *bundle,
                     const char *first,
                     ...) G_GNUC_NULL_TERMINATED;

static void
assert_certificates (CdBundle   *bundle,
                     const char *first,
                     ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *expected = first; expected != NULL; expected = va_arg (args, const char *))
    {
      g_autoptr(CdCertInfo) info = NULL;

      g_assert_cmpuint (i, <, bundle->certificates->len);
      info = cd_cert_info_new (g_ptr_array_index (bundle->certificates, i));
      g_assert_cmpstr (info->sha256_fingerprint, ==, expected);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (bundle->certificates->len, ==, i);
  g_assert_cmpuint (bundle->certificate_sources->len, ==, i);
}

static X509 *
leaf_certificate (void)
{
  g_autoptr(CdBundle) bundle = load_ok ("leaf.pem", NULL);

  return X509_dup (g_ptr_array_index (bundle->certificates, 0));
}

static X509 *
ca_certificate (void)
{
  g_autoptr(CdBundle) bundle = load_ok ("ca.pem", NULL);

  return X509_dup (g_ptr_array_index (bundle->certificates, 0));
}

/* @key is open and is the private half of @cert's key. */
static void
assert_key_matches (const CdKey *key,
                    X509        *cert,
                    gboolean     encrypted)
{
  g_assert_nonnull (key->pkey);
  g_assert_cmpint (key->encrypted, ==, encrypted);
  g_assert_cmpint (EVP_PKEY_eq (key->pkey, X509_get0_pubkey (cert)), ==, 1);
}

static void
assert_error_names (const GError *error,
                    const char   *name)
{
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, name) == NULL)
    g_error ("the message does not name “%s”: %s", name, error->message);
}

typedef struct
{
  const char   *name;
  const guint8 *data;
  gsize         size;
  gboolean      folder;
} ZipEntry;

static void
write_zip (const char     *name,
           const ZipEntry *entries,
           gsize           n_entries)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);
  struct archive *zip = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (zip), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (zip, path), ==, ARCHIVE_OK);
  for (gsize i = 0; i < n_entries; i++)
    {
      struct archive_entry *entry = archive_entry_new ();

      archive_entry_set_pathname (entry, entries[i].name);
      archive_entry_set_filetype (entry, entries[i].folder ? AE_IFDIR : AE_IFREG);
      archive_entry_set_perm (entry, entries[i].folder ? 0755 : 0644);
      archive_entry_set_size (entry, (la_int64_t) entries[i].size);
      g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
      if (entries[i].size > 0)
        g_assert_cmpint (archive_write_data (zip, entries[i].data, entries[i].size), ==,
                         (la_ssize_t) entries[i].size);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (zip), ==, ARCHIVE_OK);
  archive_write_free (zip);
}

/* --- PEM --------------------------------------------------------------------------------- */

static void
test_pem_single (void)
{
  g_autoptr(CdBundle) bundle = load_ok ("leaf.pem", NULL);

  assert_certificates (bundle, leaf_fingerprint, NULL);
  g_assert_cmpstr (g_ptr_array_index (bundle->certificate_sources, 0), ==, "leaf.pem");
  g_assert_cmpuint (bundle->keys->len, ==, 0);
  g_assert_cmpuint (bundle->skipped->len, ==, 0);
}

static void
test_pem_multi (void)
{
  g_autoptr(CdBundle) bundle = load_ok ("chain.pem", NULL);

  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
}

static void
test_pem_crlf_bom (void)
{
  g_autoptr(GBytes) chain = cd_test_read_file (workdir, "chain.pem");
  g_autoptr(GString) text = g_string_new ("\xef\xbb\xbf");
  g_autoptr(CdBundle) bundle = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (chain, &length);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        g_string_append_c (text, '\r');
      g_string_append_c (text, data[i]);
    }
  cd_test_write_file (workdir, "crlf-bom.pem", text->str, text->len);

  bundle = load_ok ("crlf-bom.pem", NULL);
  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
}

/* `openssl x509 -text` output, as people paste it into tickets: text, then the block. */
static void
test_pem_text_around (void)
{
  g_autofree char *leaf = cd_test_spawn_openssl (workdir, "x509", "-in", "leaf.pem", "-text", NULL);
  g_autofree char *ca = cd_test_spawn_openssl (workdir, "x509", "-in", "ca.pem", "-text", NULL);
  g_autofree char *text = g_strconcat ("Here is the new certificate, and its CA below.\n\n", leaf,
                                       "\n-- \nThe CA, as promised:\n", ca,
                                       "Regards,\nthe -----BEGIN team\n", NULL);
  g_autoptr(CdBundle) bundle = NULL;

  g_assert_nonnull (strstr (leaf, "Signature Algorithm"));
  cd_test_write_file (workdir, "text.pem", text, strlen (text));
  bundle = load_ok ("text.pem", NULL);
  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
}

/* A block pasted through a one-line form field loses its line breaks. */
static void
test_pem_one_line (void)
{
  g_autoptr(GBytes) leaf = cd_test_read_file (workdir, "leaf.pem");
  g_autofree char *text = g_strndup (g_bytes_get_data (leaf, NULL), g_bytes_get_size (leaf));
  g_autoptr(CdBundle) bundle = NULL;

  g_strdelimit (text, "\n", ' ');
  cd_test_write_file (workdir, "one-line.pem", text, strlen (text));
  bundle = load_ok ("one-line.pem", NULL);
  assert_certificates (bundle, leaf_fingerprint, NULL);
}

static void
test_pem_utf16 (void)
{
  g_autoptr(GBytes) chain = cd_test_read_file (workdir, "chain.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(CdBundle) bundle = NULL;
  g_autofree char *utf16 = NULL;
  gsize utf16_len = 0;

  utf16 = g_convert (g_bytes_get_data (chain, NULL), (gssize) g_bytes_get_size (chain),
                     "UTF-16LE", "UTF-8", NULL, &utf16_len, &error);
  g_assert_no_error (error);
  g_byte_array_append (data, (const guint8 *) "\xff\xfe", 2);
  g_byte_array_append (data, (const guint8 *) utf16, (guint) utf16_len);
  cd_test_write_file (workdir, "utf16.pem", data->data, data->len);

  bundle = load_ok ("utf16.pem", NULL);
  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
}

/* --- DER and PKCS#7 ---------------------------------------------------------------------- */

static void
test_der (void)
{
  g_autoptr(CdBundle) bundle = load_ok ("leaf.der", NULL);

  assert_certificates (bundle, leaf_fingerprint, NULL);
}

static void
test_der_concatenated (void)
{
  g_autoptr(GBytes) leaf = cd_test_read_file (workdir, "leaf.der");
  g_autoptr(GBytes) ca = cd_test_read_file (workdir, "ca.der");
  g_autoptr(GByteArray) both = g_byte_array_new ();
  g_autoptr(CdBundle) bundle = NULL;

  g_byte_array_append (both, g_bytes_get_data (leaf, NULL), (guint) g_bytes_get_size (leaf));
  g_byte_array_append (both, g_bytes_get_data (ca, NULL), (guint) g_bytes_get_size (ca));
  cd_test_write_file (workdir, "both.der", both->data, both->len);

  bundle = load_ok ("both.der", NULL);
  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
}

/* Base64 of the DER without PEM lines, as some web consoles show it. */
static void
test_bare_base64 (void)
{
  g_autoptr(GBytes) leaf = cd_test_read_file (workdir, "leaf.der");
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (leaf, NULL),
                                             g_bytes_get_size (leaf));
  g_autofree char *text = g_strconcat (base64, "\n", NULL);
  g_autoptr(CdBundle) bundle = NULL;

  cd_test_write_file (workdir, "bare.txt", text, strlen (text));
  bundle = load_ok ("bare.txt", NULL);
  assert_certificates (bundle, leaf_fingerprint, NULL);
}

static void
test_pkcs7_pem (void)
{
  g_autoptr(CdBundle) bundle = load_ok ("chain.p7b", NULL);

  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
}

static void
test_pkcs7_der (void)
{
  g_autoptr(CdBundle) bundle = load_ok ("chain.p7c", NULL);

  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
}

/* --- PKCS#12 ----------------------------------------------------------------------------- */

static void
check_pkcs12 (const char *name,
              const char *password,
              gboolean    with_ca)
{
  g_autoptr(CdBundle) bundle = load_ok (name, password);
  X509 *leaf = leaf_certificate ();

  if (with_ca)
    assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
  else
    assert_certificates (bundle, leaf_fingerprint, NULL);
  g_assert_cmpuint (bundle->keys->len, ==, 1);
  assert_key_matches (g_ptr_array_index (bundle->keys, 0), leaf, TRUE);
  g_assert_cmpstr (((CdKey *) g_ptr_array_index (bundle->keys, 0))->source, ==, name);
  X509_free (leaf);
}

static void
test_pkcs12 (void)
{
  check_pkcs12 ("leaf.p12", PASSWORD, TRUE);
}

/* RC2-40 and 3DES, as OpenSSL 1.x, Windows and Java 8 wrote them. */
static void
test_pkcs12_legacy (void)
{
  check_pkcs12 ("legacy.p12", PASSWORD, TRUE);
}

static void
test_pkcs12_no_password (void)
{
  check_pkcs12 ("nopass.p12", NULL, FALSE);
  /* a password typed for a file that has none does no harm */
  check_pkcs12 ("nopass.p12", "anything", FALSE);
}

static void
test_pkcs12_no_mac (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = NULL;

  check_pkcs12 ("nomac.p12", PASSWORD, FALSE);
  bundle = load ("nomac.p12", "wrong", &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  g_assert_null (bundle);
}

static void
test_pkcs12_wrong_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = load ("leaf.p12", "not the password", &error);
  g_autofree char *expected = g_strdup ("The password does not open “leaf.p12”. Check it and "
                                        "try again.");

  g_assert_null (bundle);
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_pkcs12_missing_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = load ("leaf.p12", NULL, &error);

  g_assert_null (bundle);
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  assert_error_names (error, "leaf.p12");
}

/* --- keys -------------------------------------------------------------------------------- */

static void
check_key_file (const char *name,
                X509       *cert,
                gboolean    encrypted)
{
  g_autoptr(CdBundle) bundle = load_ok (name, encrypted ? PASSWORD : NULL);

  g_assert_cmpuint (bundle->certificates->len, ==, 0);
  g_assert_cmpuint (bundle->keys->len, ==, 1);
  assert_key_matches (g_ptr_array_index (bundle->keys, 0), cert, encrypted);

  if (encrypted)
    {
      g_autoptr(CdBundle) locked = load_ok (name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdBundle) wrong = NULL;
      const CdKey *key;

      /* without a password: found, but not opened */
      g_assert_cmpuint (locked->keys->len, ==, 1);
      key = g_ptr_array_index (locked->keys, 0);
      g_assert_null (key->pkey);
      g_assert_true (key->encrypted);
      g_assert_cmpstr (key->source, ==, name);

      wrong = load (name, "wrong password", &error);
      g_assert_null (wrong);
      g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
      assert_error_names (error, name);
    }
}

static void
test_key_pkcs8 (void)
{
  X509 *leaf = leaf_certificate ();
  X509 *ca = ca_certificate ();

  check_key_file ("leaf.key", leaf, FALSE);
  check_key_file ("ca.p8", ca, FALSE);
  check_key_file ("ca-p8.der", ca, FALSE);
  X509_free (leaf);
  X509_free (ca);
}

static void
test_key_pkcs8_encrypted (void)
{
  X509 *leaf = leaf_certificate ();
  X509 *ca = ca_certificate ();

  check_key_file ("leaf-enc.p8", leaf, TRUE);
  check_key_file ("ca-enc.p8", ca, TRUE);
  check_key_file ("ca-enc-p8.der", ca, TRUE);
  X509_free (leaf);
  X509_free (ca);
}

static void
test_key_rsa_traditional (void)
{
  g_autoptr(GBytes) plain = cd_test_read_file (workdir, "ca-trad.key");
  g_autoptr(GBytes) locked = cd_test_read_file (workdir, "ca-trad-enc.key");
  X509 *ca = ca_certificate ();

  g_assert_nonnull (g_strstr_len (g_bytes_get_data (plain, NULL), 64, "BEGIN RSA PRIVATE KEY"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (locked, NULL), 100, "Proc-Type: 4,ENCRYPTED"));
  check_key_file ("ca-trad.key", ca, FALSE);
  check_key_file ("ca-trad-enc.key", ca, TRUE);
  check_key_file ("ca-trad.der", ca, FALSE);
  X509_free (ca);
}

static void
test_key_ec_traditional (void)
{
  g_autoptr(GBytes) plain = cd_test_read_file (workdir, "leaf-trad.key");
  g_autoptr(CdBundle) generated = NULL;
  X509 *leaf = leaf_certificate ();
  const CdKey *key;

  g_assert_nonnull (g_strstr_len (g_bytes_get_data (plain, NULL), 64, "BEGIN EC PRIVATE KEY"));
  check_key_file ("leaf-trad.key", leaf, FALSE);
  check_key_file ("leaf-trad-enc.key", leaf, TRUE);
  X509_free (leaf);

  /* `openssl ecparam -genkey` writes an EC PARAMETERS block first */
  generated = load_ok ("ecparam.key", NULL);
  g_assert_cmpuint (generated->keys->len, ==, 1);
  key = g_ptr_array_index (generated->keys, 0);
  g_assert_nonnull (key->pkey);
  g_assert_cmpint (EVP_PKEY_get_base_id (key->pkey), ==, EVP_PKEY_EC);
}

/* A certificate and its key in one file, as many servers keep them. */
static void
test_certificate_and_key (void)
{
  g_autoptr(GBytes) cert = cd_test_read_file (workdir, "leaf.pem");
  g_autoptr(GBytes) key = cd_test_read_file (workdir, "leaf-trad.key");
  g_autoptr(GByteArray) both = g_byte_array_new ();
  g_autoptr(CdBundle) bundle = NULL;
  X509 *leaf = leaf_certificate ();

  g_byte_array_append (both, g_bytes_get_data (key, NULL), (guint) g_bytes_get_size (key));
  g_byte_array_append (both, g_bytes_get_data (cert, NULL), (guint) g_bytes_get_size (cert));
  cd_test_write_file (workdir, "combined.pem", both->data, both->len);

  bundle = load_ok ("combined.pem", NULL);
  assert_certificates (bundle, leaf_fingerprint, NULL);
  g_assert_cmpuint (bundle->keys->len, ==, 1);
  assert_key_matches (g_ptr_array_index (bundle->keys, 0), leaf, FALSE);
  X509_free (leaf);
}

/* --- zip --------------------------------------------------------------------------------- */

static void
test_zip (void)
{
  g_autoptr(GBytes) leaf_pem = cd_test_read_file (workdir, "leaf.pem");
  g_autoptr(GBytes) ca_der = cd_test_read_file (workdir, "ca.der");
  g_autoptr(GBytes) p7c = cd_test_read_file (workdir, "chain.p7c");
  g_autoptr(GBytes) p12 = cd_test_read_file (workdir, "leaf.p12");
  g_autoptr(GBytes) key = cd_test_read_file (workdir, "leaf-enc.p8");
  static const char readme[] = "Install the server certificate, then the CA.\n";
  const ZipEntry entries[] = {
    { "certs/", NULL, 0, TRUE },
    { "certs/server.pem", g_bytes_get_data (leaf_pem, NULL), g_bytes_get_size (leaf_pem) },
    { "certs/ca.der", g_bytes_get_data (ca_der, NULL), g_bytes_get_size (ca_der) },
    { "README.txt", (const guint8 *) readme, strlen (readme) },
    { "chain.p7c", g_bytes_get_data (p7c, NULL), g_bytes_get_size (p7c) },
    { "private/deep/server.p12", g_bytes_get_data (p12, NULL), g_bytes_get_size (p12) },
    { "private/server.key", g_bytes_get_data (key, NULL), g_bytes_get_size (key) },
  };
  g_autoptr(CdBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;
  X509 *leaf = leaf_certificate ();

  write_zip ("bundle.zip", entries, G_N_ELEMENTS (entries));

  bundle = load_ok ("bundle.zip", PASSWORD);
  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, leaf_fingerprint,
                       ca_fingerprint, leaf_fingerprint, ca_fingerprint, NULL);
  g_assert_cmpstr (g_ptr_array_index (bundle->certificate_sources, 0), ==,
                   "bundle.zip:certs/server.pem");
  g_assert_cmpstr (g_ptr_array_index (bundle->certificate_sources, 1), ==,
                   "bundle.zip:certs/ca.der");
  g_assert_cmpstr (g_ptr_array_index (bundle->certificate_sources, 2), ==,
                   "bundle.zip:chain.p7c");
  g_assert_cmpstr (g_ptr_array_index (bundle->certificate_sources, 4), ==,
                   "bundle.zip:private/deep/server.p12");

  g_assert_cmpuint (bundle->keys->len, ==, 2);
  assert_key_matches (g_ptr_array_index (bundle->keys, 0), leaf, TRUE);
  assert_key_matches (g_ptr_array_index (bundle->keys, 1), leaf, TRUE);
  g_assert_cmpstr (((CdKey *) g_ptr_array_index (bundle->keys, 1))->source, ==,
                   "bundle.zip:private/server.key");

  g_assert_cmpuint (bundle->skipped->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bundle->skipped, 0), ==, "bundle.zip:README.txt");

  /* the PKCS#12 inside needs the password */
  g_clear_pointer (&bundle, cd_bundle_free);
  bundle = load ("bundle.zip", NULL, &error);
  g_assert_null (bundle);
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  assert_error_names (error, "bundle.zip:private/deep/server.p12");
  X509_free (leaf);
}

/* A zip with a large but ordinary entry (a CA bundle of a few megabytes) is not a bomb. */
static void
test_zip_large_entry (void)
{
  g_autoptr(GBytes) chain = cd_test_read_file (workdir, "chain.pem");
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(CdBundle) bundle = NULL;
  ZipEntry entry = { "ca-bundle.pem", NULL, 0 };
  guint copies = 0;

  /* random bytes in a comment between blocks keep deflate from squeezing repeated blocks */
  while (many->len < 3 * 1024 * 1024)
    {
      guint8 noise[1024];
      g_autofree char *comment = NULL;

      for (gsize i = 0; i < sizeof noise; i++)
        noise[i] = (guint8) g_test_rand_int_range (0, 256);
      comment = g_base64_encode (noise, sizeof noise);
      g_string_append_printf (many, "# %s\n", comment);
      g_string_append_len (many, g_bytes_get_data (chain, NULL), (gssize) g_bytes_get_size (chain));
      copies++;
    }
  entry.data = (const guint8 *) many->str;
  entry.size = many->len;
  write_zip ("large.zip", &entry, 1);

  bundle = load_ok ("large.zip", NULL);
  g_assert_cmpuint (bundle->certificates->len, ==, copies * 2);
}

/* --- other entry points ------------------------------------------------------------------ */

static void
test_unsupported_csr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdBundle) bundle = load ("request.csr", NULL, &error);

  g_assert_null (bundle);
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  assert_error_names (error, "request.csr");
  assert_error_names (error, "certificate signing request");
}

static void
test_load_bytes (void)
{
  g_autoptr(GBytes) chain = cd_test_read_file (workdir, "chain.p7b");
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not a certificate", 17);
  g_autoptr(CdBundle) bundle = NULL;
  g_autoptr(CdBundle) unnamed = NULL;
  g_autoptr(GError) error = NULL;

  bundle = cd_bundle_load_bytes (chain, "pasted.p7b", NULL, &error);
  g_assert_no_error (error);
  assert_certificates (bundle, leaf_fingerprint, ca_fingerprint, NULL);
  g_assert_cmpstr (g_ptr_array_index (bundle->certificate_sources, 1), ==, "pasted.p7b");

  unnamed = cd_bundle_load_bytes (garbage, "clipboard", NULL, &error);
  g_assert_null (unnamed);
  g_assert_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT);
  assert_error_names (error, "clipboard");
  assert_error_names (error, "PKCS#12");
}

typedef struct
{
  GMainLoop *loop;
  CdBundle  *bundle;
  GError    *error;
} AsyncResult;

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  AsyncResult *async = user_data;

  g_assert_null (source);
  async->bundle = cd_bundle_load_file_finish (result, &async->error);
  g_main_loop_quit (async->loop);
}

static void
test_async (void)
{
  g_autofree char *path = g_build_filename (workdir, "leaf.p12", NULL);
  AsyncResult async = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  cd_bundle_load_file_async (path, PASSWORD, NULL, loaded, &async);
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  assert_certificates (async.bundle, leaf_fingerprint, ca_fingerprint, NULL);
  g_assert_cmpuint (async.bundle->keys->len, ==, 1);
  cd_bundle_free (async.bundle);

  async.bundle = NULL;
  g_clear_pointer (&path, g_free);
  path = g_build_filename (workdir, "no-such-file.pem", NULL);
  cd_bundle_load_file_async (path, NULL, NULL, loaded, &async);
  g_main_loop_run (async.loop);
  g_assert_null (async.bundle);
  g_assert_error (async.error, CD_ERROR, CD_ERROR_IO);
  assert_error_names (async.error, "no-such-file.pem");
  g_clear_error (&async.error);
  g_main_loop_unref (async.loop);
}

static void
test_async_cancelled (void)
{
  g_autofree char *path = g_build_filename (workdir, "leaf.p12", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult async = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  g_cancellable_cancel (cancellable);
  cd_bundle_load_file_async (path, PASSWORD, cancellable, loaded, &async);
  g_main_loop_run (async.loop);
  g_assert_null (async.bundle);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&async.error);
  g_main_loop_unref (async.loop);
}

/* --- fixtures ---------------------------------------------------------------------------- */

static void
make_fixtures (void)
{
  g_autoptr(GBytes) leaf = NULL;
  g_autoptr(GBytes) ca = NULL;
  g_autofree char *chain = NULL;
  const gint64 start = g_get_monotonic_time ();

  cd_test_write_file (workdir, "req.cnf", "[req]\ndistinguished_name = dn\n[dn]\n", -1);

  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf",
                                 "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                                 "-out", "ca.pem", "-days", "3650",
                                 "-subj", "/O=Certdesk Tests/CN=Certdesk Bundle CA",
                                 "-addext", "basicConstraints=critical,CA:TRUE", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-CA", "ca.pem",
                                 "-CAkey", "ca.key", "-newkey", "ec",
                                 "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", "leaf.key", "-out", "leaf.pem", "-days", "200",
                                 "-subj", "/CN=t.mail.example.com",
                                 "-addext", "subjectAltName=DNS:t.mail.example.com", NULL));
  g_free (cd_test_spawn_openssl (workdir, "x509", "-in", "leaf.pem", "-outform", "DER",
                                 "-out", "leaf.der", NULL));
  g_free (cd_test_spawn_openssl (workdir, "x509", "-in", "ca.pem", "-outform", "DER",
                                 "-out", "ca.der", NULL));

  leaf = cd_test_read_file (workdir, "leaf.pem");
  ca = cd_test_read_file (workdir, "ca.pem");
  chain = g_strdup_printf ("%.*s%.*s", (int) g_bytes_get_size (leaf),
                           (const char *) g_bytes_get_data (leaf, NULL),
                           (int) g_bytes_get_size (ca), (const char *) g_bytes_get_data (ca, NULL));
  cd_test_write_file (workdir, "chain.pem", chain, strlen (chain));

  g_free (cd_test_spawn_openssl (workdir, "crl2pkcs7", "-nocrl", "-certfile", "leaf.pem",
                                 "-certfile", "ca.pem", "-out", "chain.p7b", NULL));
  g_free (cd_test_spawn_openssl (workdir, "crl2pkcs7", "-nocrl", "-certfile", "leaf.pem",
                                 "-certfile", "ca.pem", "-outform", "DER", "-out", "chain.p7c",
                                 NULL));

  g_free (cd_test_spawn_openssl (workdir, "pkcs12", "-export", "-in", "leaf.pem",
                                 "-inkey", "leaf.key", "-certfile", "ca.pem", "-name", "server",
                                 "-passout", "pass:" PASSWORD, "-out", "leaf.p12", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs12", "-export", "-legacy", "-in", "leaf.pem",
                                 "-inkey", "leaf.key", "-certfile", "ca.pem",
                                 "-passout", "pass:" PASSWORD, "-out", "legacy.p12", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs12", "-export", "-in", "leaf.pem",
                                 "-inkey", "leaf.key", "-passout", "pass:", "-out", "nopass.p12",
                                 NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs12", "-export", "-nomac", "-in", "leaf.pem",
                                 "-inkey", "leaf.key", "-passout", "pass:" PASSWORD,
                                 "-out", "nomac.p12", NULL));

  /* leaf.key is PKCS#8 already, as `openssl req` writes it */
  g_free (cd_test_spawn_openssl (workdir, "pkcs8", "-topk8", "-nocrypt", "-in", "ca.key",
                                 "-out", "ca.p8", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs8", "-topk8", "-nocrypt", "-in", "ca.key",
                                 "-outform", "DER", "-out", "ca-p8.der", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs8", "-topk8", "-v2", "aes-256-cbc",
                                 "-in", "leaf.key", "-passout", "pass:" PASSWORD,
                                 "-out", "leaf-enc.p8", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ca.key",
                                 "-passout", "pass:" PASSWORD, "-out", "ca-enc.p8", NULL));
  g_free (cd_test_spawn_openssl (workdir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "ca.key",
                                 "-passout", "pass:" PASSWORD, "-outform", "DER",
                                 "-out", "ca-enc-p8.der", NULL));
  g_free (cd_test_spawn_openssl (workdir, "rsa", "-in", "ca.key", "-traditional",
                                 "-out", "ca-trad.key", NULL));
  g_free (cd_test_spawn_openssl (workdir, "rsa", "-in", "ca.key", "-traditional", "-outform", "DER",
                                 "-out", "ca-trad.der", NULL));
  g_free (cd_test_spawn_openssl (workdir, "rsa", "-in", "ca.key", "-traditional", "-aes256",
                                 "-passout", "pass:" PASSWORD, "-out", "ca-trad-enc.key", NULL));
  g_free (cd_test_spawn_openssl (workdir, "ec", "-in", "leaf.key", "-out", "leaf-trad.key", NULL));
  g_free (cd_test_spawn_openssl (workdir, "ec", "-in", "leaf.key", "-aes256",
                                 "-passout", "pass:" PASSWORD, "-out", "leaf-trad-enc.key", NULL));
  g_free (cd_test_spawn_openssl (workdir, "ecparam", "-name", "prime256v1", "-genkey",
                                 "-out", "ecparam.key", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-new", "-config", "req.cnf", "-key", "leaf.key",
                                 "-subj", "/CN=t.mail.example.com", "-out", "request.csr", NULL));

  leaf_fingerprint = cd_test_openssl_sha256 (workdir, "leaf.pem");
  ca_fingerprint = cd_test_openssl_sha256 (workdir, "ca.pem");
  g_test_message ("fixtures made in %.1f s", (g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  workdir = g_dir_make_tmp ("certdesk-bundle-XXXXXX", &error);
  g_assert_no_error (error);
  make_fixtures ();

  g_test_add_func ("/core/bundle/pem-single", test_pem_single);
  g_test_add_func ("/core/bundle/pem-multi", test_pem_multi);
  g_test_add_func ("/core/bundle/pem-crlf-bom", test_pem_crlf_bom);
  g_test_add_func ("/core/bundle/pem-text-around", test_pem_text_around);
  g_test_add_func ("/core/bundle/pem-one-line", test_pem_one_line);
  g_test_add_func ("/core/bundle/pem-utf16", test_pem_utf16);
  g_test_add_func ("/core/bundle/der", test_der);
  g_test_add_func ("/core/bundle/der-concatenated", test_der_concatenated);
  g_test_add_func ("/core/bundle/bare-base64", test_bare_base64);
  g_test_add_func ("/core/bundle/pkcs7-pem", test_pkcs7_pem);
  g_test_add_func ("/core/bundle/pkcs7-der", test_pkcs7_der);
  g_test_add_func ("/core/bundle/pkcs12", test_pkcs12);
  g_test_add_func ("/core/bundle/pkcs12-legacy", test_pkcs12_legacy);
  g_test_add_func ("/core/bundle/pkcs12-no-password", test_pkcs12_no_password);
  g_test_add_func ("/core/bundle/pkcs12-no-mac", test_pkcs12_no_mac);
  g_test_add_func ("/core/bundle/pkcs12-wrong-password", test_pkcs12_wrong_password);
  g_test_add_func ("/core/bundle/pkcs12-missing-password", test_pkcs12_missing_password);
  g_test_add_func ("/core/bundle/key-pkcs8", test_key_pkcs8);
  g_test_add_func ("/core/bundle/key-pkcs8-encrypted", test_key_pkcs8_encrypted);
  g_test_add_func ("/core/bundle/key-rsa-traditional", test_key_rsa_traditional);
  g_test_add_func ("/core/bundle/key-ec-traditional", test_key_ec_traditional);
  g_test_add_func ("/core/bundle/certificate-and-key", test_certificate_and_key);
  g_test_add_func ("/core/bundle/zip", test_zip);
  g_test_add_func ("/core/bundle/zip-large-entry", test_zip_large_entry);
  g_test_add_func ("/core/bundle/unsupported-csr", test_unsupported_csr);
  g_test_add_func ("/core/bundle/load-bytes", test_load_bytes);
  g_test_add_func ("/core/bundle/async", test_async);
  g_test_add_func ("/core/bundle/async-cancelled", test_async_cancelled);

  result = g_test_run ();
  cd_test_remove_tree (workdir);
  g_free (workdir);
  g_free (leaf_fingerprint);
  g_free (ca_fingerprint);
  return result;
}
