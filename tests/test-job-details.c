// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-job-details"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-job-details.h"
#include "cd-test-inventory.h"
#include "cd-test-util.h"

/* A job as the Job Logs open it, from a real database: its record, events and artifacts, and
 * its artifacts saved to files as a user saves them, byte for byte what openssl wrote, through
 * links, with the modes their contents call for. */

typedef struct
{
  char    *dir;
  CdStore *store;
  gint64   job_id;      /* a finished generate-csr job with two events and the CSR */
  GBytes  *csr;         /* the CSR as openssl wrote it, PEM */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CdJobRecord record = {
    .kind = (char *) "generate-csr",
    .target_type = (char *) "subdomain",
    .target = (char *) "mail.brand.example",
    .initiator = (char *) "user",
    .progress = -1,
  };

  fixture->dir = g_dir_make_tmp ("certdesk-test-job-details-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "certdesk.db", NULL);
  fixture->store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  if (!cd_test_require_tool ("openssl", "OpenSSL 3.0"))
    return;

  cd_test_write_file (fixture->dir, "req.cnf", "[req]\ndistinguished_name = dn\n[dn]\n", -1);
  g_free (cd_test_spawn_openssl (fixture->dir, "req", "-new", "-config", "req.cnf",
                                 "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                 "-nodes", "-keyout", "request.key",
                                 "-subj", "/O=Brand/CN=t.mail.brand.example",
                                 "-addext", "subjectAltName=DNS:t.mail.brand.example,"
                                            "DNS:m.mail.brand.example",
                                 "-out", "request.csr", NULL));
  fixture->csr = cd_test_read_file (fixture->dir, "request.csr");

  fixture->job_id = cd_store_insert_job (fixture->store, &record, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_job_state (fixture->store, fixture->job_id, CD_JOB_STATE_RUNNING,
                                         NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_add_job_event (fixture->store, fixture->job_id, "info",
                                           "Generated a P-256 key", &error), >, 0);
  g_assert_cmpint (cd_store_add_job_event (fixture->store, fixture->job_id, "warning",
                                           "The O field is not checked by the CA", &error), >, 0);
  g_assert_cmpint (cd_store_add_job_artifact (fixture->store, fixture->job_id,
                                              "mail.brand.example.csr", "application/pkcs10",
                                              fixture->csr, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_job_state (fixture->store, fixture->job_id, CD_JOB_STATE_FINISHED,
                                         "CSR generated.", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_release_store (&fixture->store);
  g_clear_pointer (&fixture->csr, g_bytes_unref);
  cd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static CdJobDetails *
load (Fixture  *fixture,
      gint64    job_id,
      GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_job_details_load_async (fixture->store, job_id, NULL, cd_test_got_result, &result);
  return cd_job_details_load_finish (cd_test_wait_for (&result), error);
}

static GBytes *
read_artifact (const CdJobArtifactRecord  *artifact,
               GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_job_artifact_read_async (artifact, NULL, cd_test_got_result, &result);
  return cd_job_artifact_read_finish (cd_test_wait_for (&result), error);
}

static gboolean
save_artifact (const CdJobArtifactRecord  *artifact,
               const char                 *path,
               GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  cd_job_artifact_save_async (artifact, file, NULL, cd_test_got_result, &result);
  return cd_job_artifact_save_finish (cd_test_wait_for (&result), error);
}

static void
assert_same_bytes (GBytes *a,
                   GBytes *b)
{
  gsize a_length, b_length;
  const guint8 *a_data = g_bytes_get_data (a, &a_length);
  const guint8 *b_data = g_bytes_get_data (b, &b_length);

  g_assert_cmpmem (a_data, a_length, b_data, b_length);
}

/* The mode open() gives a new file here: 0666 less the umask. */
static guint
mode_as_created (void)
{
  mode_t mask = umask (0);

  umask (mask);
  return 0666 & ~mask;
}

static void
test_load (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobDetails) details = NULL;
  const CdJobEventRecord *event;
  const CdJobArtifactRecord *artifact;
  g_autoptr(GBytes) bytes = NULL;

  if (fixture->csr == NULL)
    return;

  details = load (fixture, fixture->job_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (details);

  g_assert_cmpint (details->job->id, ==, fixture->job_id);
  g_assert_cmpstr (details->job->kind, ==, "generate-csr");
  g_assert_cmpstr (details->job->target, ==, "mail.brand.example");
  g_assert_cmpstr (details->job->state, ==, CD_JOB_STATE_FINISHED);
  g_assert_cmpstr (details->job->message, ==, "CSR generated.");

  g_assert_cmpuint (details->events->len, ==, 2);
  event = g_ptr_array_index (details->events, 0);
  g_assert_cmpstr (event->level, ==, "info");
  g_assert_cmpstr (event->message, ==, "Generated a P-256 key");
  event = g_ptr_array_index (details->events, 1);
  g_assert_cmpstr (event->level, ==, "warning");

  g_assert_cmpuint (details->artifacts->len, ==, 1);
  artifact = g_ptr_array_index (details->artifacts, 0);
  g_assert_cmpstr (artifact->name, ==, "mail.brand.example.csr");
  g_assert_cmpstr (artifact->media_type, ==, "application/pkcs10");
  g_assert_null (artifact->path);
  g_assert_nonnull (artifact->content);
  assert_same_bytes (artifact->content, fixture->csr);
  g_assert_true (cd_job_artifact_is_text (artifact));

  bytes = read_artifact (artifact, &error);
  g_assert_no_error (error);
  assert_same_bytes (bytes, fixture->csr);
}

static void
test_unknown_job (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobDetails) details = NULL;

  details = load (fixture, fixture->job_id + 1000, &error);
  g_assert_null (details);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  details = load (fixture, 0, &error);
  g_assert_null (details);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
}

static void
test_load_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobDetails) details = NULL;

  g_cancellable_cancel (cancellable);
  cd_job_details_load_async (fixture->store, fixture->job_id, cancellable, cd_test_got_result,
                             &result);
  details = cd_job_details_load_finish (cd_test_wait_for (&result), &error);
  g_assert_null (details);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobDetails) details = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GBytes) from_openssl = NULL;
  g_autofree char *path = NULL;
  g_autofree char *listing = NULL;
  const CdJobArtifactRecord *artifact;

  if (fixture->csr == NULL)
    return;

  details = load (fixture, fixture->job_id, &error);
  g_assert_no_error (error);
  artifact = g_ptr_array_index (details->artifacts, 0);

  path = g_build_filename (fixture->dir, "copy.csr", NULL);
  g_assert_true (save_artifact (artifact, path, &error));
  g_assert_no_error (error);

  /* byte for byte what openssl wrote */
  written = cd_test_read_path (path);
  from_openssl = cd_test_read_file (fixture->dir, "request.csr");
  assert_same_bytes (written, from_openssl);
  /* and openssl reads it as the CSR it wrote */
  g_free (cd_test_spawn_openssl (fixture->dir, "req", "-in", "copy.csr", "-noout", "-verify",
                                 NULL));

  /* a CSR holds no secret: a new file gets what the umask allows, as openssl gives one */
  g_assert_cmpuint (cd_test_file_mode (path), ==, mode_as_created ());
  /* and no temporary file is left beside it */
  listing = cd_test_list_dir (fixture->dir);
  g_assert_null (strstr (listing, ".tmp"));
}

static void
test_save_through_link (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobDetails) details = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autofree char *target = NULL;
  g_autofree char *link = NULL;
  g_autofree char *points_to = NULL;
  const CdJobArtifactRecord *artifact;
  GStatBuf before, after;

  if (fixture->csr == NULL)
    return;

  details = load (fixture, fixture->job_id, &error);
  g_assert_no_error (error);
  artifact = g_ptr_array_index (details->artifacts, 0);

  target = g_build_filename (fixture->dir, "requests", NULL);
  g_assert_cmpint (g_mkdir (target, 0700), ==, 0);
  g_free (target);
  cd_test_write_file (fixture->dir, "requests/current.csr", "an older request\n", -1);
  target = g_build_filename (fixture->dir, "requests", "current.csr", NULL);
  g_assert_cmpint (g_chmod (target, 0640), ==, 0);
  before = cd_test_stat (target);
  link = g_build_filename (fixture->dir, "current.csr", NULL);
  g_assert_cmpint (symlink ("requests/current.csr", link), ==, 0);

  g_assert_true (save_artifact (artifact, link, &error));
  g_assert_no_error (error);

  /* the link is still the same link, and the file it names has the CSR, its mode kept */
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  points_to = g_file_read_link (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (points_to, ==, "requests/current.csr");
  written = cd_test_read_path (target);
  assert_same_bytes (written, fixture->csr);
  after = cd_test_stat (target);
  g_assert_cmpuint (after.st_mode & 07777, ==, 0640);
  g_assert_cmpuint (after.st_uid, ==, before.st_uid);
  /* replaced, not rewritten in place */
  g_assert_cmpuint (after.st_ino, !=, before.st_ino);
}

/* A job that wrote a file where it stays, as an import into a keystore does. */
static gint64
add_file_job (Fixture    *fixture,
              const char *path,
              const char *media_type)
{
  g_autoptr(GError) error = NULL;
  CdJobRecord record = {
    .kind = (char *) "import-keystore",
    .target_type = (char *) "keystore",
    .target = (char *) path,
    .initiator = (char *) "command-line",
    .state = (char *) CD_JOB_STATE_FINISHED,
    .progress = -1,
  };
  gint64 job_id = cd_store_insert_job (fixture->store, &record, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cd_store_add_job_artifact (fixture->store, job_id, "trust.p12", media_type,
                                              NULL, path, &error), >, 0);
  g_assert_no_error (error);
  return job_id;
}

static void
test_file_artifact (Fixture       *fixture,
                    gconstpointer  data)
{
  static const guint8 keystore[] = { 0x30, 0x82, 0x00, 0x10, 0x02, 0x01, 0x03, 0x00, 0xff, 0x0a };
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobDetails) details = NULL;
  g_autoptr(GBytes) expected = g_bytes_new_static (keystore, sizeof keystore);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autofree char *source = g_build_filename (fixture->dir, "trust.p12", NULL);
  g_autofree char *copy = g_build_filename (fixture->dir, "copy.p12", NULL);
  const CdJobArtifactRecord *artifact;
  gint64 job_id;

  cd_test_write_file (fixture->dir, "trust.p12", keystore, sizeof keystore);
  g_assert_cmpint (g_chmod (source, 0644), ==, 0);
  job_id = add_file_job (fixture, source, "application/x-pkcs12");

  details = load (fixture, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (details->artifacts->len, ==, 1);
  artifact = g_ptr_array_index (details->artifacts, 0);
  g_assert_null (artifact->content);
  g_assert_cmpstr (artifact->path, ==, source);
  g_assert_false (cd_job_artifact_is_text (artifact));

  bytes = read_artifact (artifact, &error);
  g_assert_no_error (error);
  assert_same_bytes (bytes, expected);

  /* a keystore may hold a private key: a new copy is for its owner only */
  g_assert_true (save_artifact (artifact, copy, &error));
  g_assert_no_error (error);
  written = cd_test_read_path (copy);
  assert_same_bytes (written, expected);
  g_assert_cmpuint (cd_test_file_mode (copy), ==, 0600);

  /* the file itself is not where its copy goes */
  g_assert_false (save_artifact (artifact, source, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_pointer (&written, g_bytes_unref);
  written = cd_test_read_path (source);
  assert_same_bytes (written, expected);
}

static void
test_file_artifact_gone (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobDetails) details = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *source = g_build_filename (fixture->dir, "moved-away.jks", NULL);
  g_autofree char *copy = g_build_filename (fixture->dir, "copy.jks", NULL);
  const CdJobArtifactRecord *artifact;
  gint64 job_id;

  job_id = add_file_job (fixture, source, "application/x-java-keystore");
  details = load (fixture, job_id, &error);
  g_assert_no_error (error);
  artifact = g_ptr_array_index (details->artifacts, 0);

  bytes = read_artifact (artifact, &error);
  g_assert_null (bytes);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  /* the message names the file, and says what became of it */
  g_assert_nonnull (strstr (error->message, source));
  g_assert_nonnull (strstr (error->message, "no longer exists"));
  g_clear_error (&error);

  g_assert_false (save_artifact (artifact, copy, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, source));
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* a name that is no longer a file is not read either */
  g_assert_cmpint (g_mkdir (source, 0700), ==, 0);
  g_assert_null (read_artifact (artifact, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, source));
}

static void
test_private_key (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autofree char *fresh = g_build_filename (fixture->dir, "fresh.key", NULL);
  g_autofree char *shared = g_build_filename (fixture->dir, "shared.key", NULL);
  g_autofree char *own = g_build_filename (fixture->dir, "own.key", NULL);
  CdJobArtifactRecord artifact = {
    .job_id = 1,
    .name = (char *) "t.mail.brand.example.key",
    .media_type = (char *) "application/PKCS8; charset=us-ascii",
  };

  if (fixture->csr == NULL)
    return;

  key = cd_test_read_file (fixture->dir, "request.key");
  artifact.content = key;
  /* never to the clipboard */
  g_assert_false (cd_job_artifact_is_text (&artifact));

  /* whatever the umask, a new file is its owner's */
  g_assert_true (save_artifact (&artifact, fresh, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_test_file_mode (fresh), ==, 0600);
  written = cd_test_read_path (fresh);
  assert_same_bytes (written, key);

  /* not into a file others can read, which would keep its mode */
  cd_test_write_file (fixture->dir, "shared.key", "shared\n", -1);
  g_assert_cmpint (g_chmod (shared, 0644), ==, 0);
  g_assert_false (save_artifact (&artifact, shared, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, shared));
  g_clear_error (&error);
  g_clear_pointer (&written, g_bytes_unref);
  written = cd_test_read_path (shared);
  g_assert_cmpmem (g_bytes_get_data (written, NULL), g_bytes_get_size (written), "shared\n", 7);

  /* into one only its owner can read, it goes */
  cd_test_write_file (fixture->dir, "own.key", "old key\n", -1);
  g_assert_cmpint (g_chmod (own, 0600), ==, 0);
  g_assert_true (save_artifact (&artifact, own, &error));
  g_assert_no_error (error);
  g_clear_pointer (&written, g_bytes_unref);
  written = cd_test_read_path (own);
  assert_same_bytes (written, key);
  g_assert_cmpuint (cd_test_file_mode (own), ==, 0600);
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static void
test_is_text (void)
{
  static const guint8 der[] = { 0x30, 0x82, 0x01, 0x0a, 0x30, 0x81, 0xb0, 0x02, 0x01, 0x00 };
  static const char with_nul[] = "a\0b";
  g_autoptr(GBytes) der_bytes = g_bytes_new_static (der, sizeof der);
  g_autoptr(GBytes) csv = text_bytes ("kind,state\r\n\"a,b\",\tc\r\n");
  g_autoptr(GBytes) utf8 = text_bytes ("Zertifikat für München\n");
  g_autoptr(GBytes) nul = g_bytes_new_static (with_nul, sizeof with_nul - 1);
  g_autoptr(GBytes) latin1 = text_bytes ("M\xfcnchen\n");
  g_autoptr(GBytes) escape = text_bytes ("\x1b]0;title\x07\n");
  CdJobArtifactRecord artifact = { .name = (char *) "a" };

  artifact.media_type = (char *) "application/pkcs10";
  artifact.content = der_bytes;
  g_assert_false (cd_job_artifact_is_text (&artifact));

  artifact.media_type = (char *) "text/csv";
  artifact.content = csv;
  g_assert_true (cd_job_artifact_is_text (&artifact));
  artifact.media_type = (char *) "Text/Plain; charset=utf-8";
  artifact.content = utf8;
  g_assert_true (cd_job_artifact_is_text (&artifact));
  artifact.media_type = (char *) "application/json";
  g_assert_true (cd_job_artifact_is_text (&artifact));
  artifact.media_type = (char *) "application/x-pem-file";
  g_assert_true (cd_job_artifact_is_text (&artifact));

  /* text that is not printable UTF-8 is not offered as text */
  artifact.media_type = (char *) "text/plain";
  artifact.content = nul;
  g_assert_false (cd_job_artifact_is_text (&artifact));
  artifact.content = latin1;
  g_assert_false (cd_job_artifact_is_text (&artifact));
  artifact.content = escape;
  g_assert_false (cd_job_artifact_is_text (&artifact));

  /* binary media types, whatever the bytes */
  artifact.content = utf8;
  artifact.media_type = (char *) "application/octet-stream";
  g_assert_false (cd_job_artifact_is_text (&artifact));
  artifact.media_type = (char *) "application/x-java-keystore";
  g_assert_false (cd_job_artifact_is_text (&artifact));
  artifact.media_type = NULL;
  g_assert_false (cd_job_artifact_is_text (&artifact));

  /* a file a job wrote goes by its media type */
  artifact.content = NULL;
  artifact.path = (char *) "/nonexistent/report.csv";
  artifact.media_type = (char *) "text/csv";
  g_assert_true (cd_job_artifact_is_text (&artifact));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  FIXTURE_TEST ("/model/job-details/load", test_load);
  FIXTURE_TEST ("/model/job-details/unknown-job", test_unknown_job);
  FIXTURE_TEST ("/model/job-details/load-cancelled", test_load_cancelled);
  FIXTURE_TEST ("/model/job-details/save", test_save);
  FIXTURE_TEST ("/model/job-details/save-through-link", test_save_through_link);
  FIXTURE_TEST ("/model/job-details/file-artifact", test_file_artifact);
  FIXTURE_TEST ("/model/job-details/file-artifact-gone", test_file_artifact_gone);
  FIXTURE_TEST ("/model/job-details/private-key", test_private_key);
  g_test_add_func ("/model/job-details/is-text", test_is_text);

  return g_test_run ();
}
