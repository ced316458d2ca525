// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-cli-jobs-commands"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "cd-store.h"
#include "cd-test-util.h"

/* certdesk-cli jobs list|show|artifact read the job history of the user's database (under
 * XDG_DATA_HOME, a folder of each test's own here), which each test fills itself with jobs of
 * fixed times, so that what is listed, and in which order, is the same on any day. */

/* 2025-10-09T08:53:20Z, in seconds; the jobs are created a second apart */
#define T0 G_GINT64_CONSTANT (1760000000)
#define AT(seconds) ((T0 + (seconds)) * G_USEC_PER_SEC)

#define CSR_PEM \
  "-----BEGIN CERTIFICATE REQUEST-----\n" \
  "MIIBVTCB/QIBADAZMRcwFQYDVQQDDA5tYWlsLmJyYW5kLmNvbTBZMBMGByqGSM49\n" \
  "-----END CERTIFICATE REQUEST-----\n"

/* a target, an event and an artifact name as a hostile file could make them: an ANSI colour,
 * a bell, a right-to-left override that would show "exe.txt" as "txt.exe", a title change */
#define EVIL_TARGET "evil\x1b[31m\x07\xe2\x80\xaetxt.exe\xc2\x9b\xff"
#define EVIL_EVENT "line1\nline2\x1b]0;owned\x07"
#define EVIL_NAME "a\x1b[2Jb.csr"

/* DER: any bytes, a NUL and an ESC among them */
static const guint8 csr_der[] = { 0x30, 0x82, 0x00, 0x1b, 0x0a, 0x0d, 0xff, 0x00, 0x7f, 0x9b };

typedef struct
{
  char   *data_home;  /* XDG_DATA_HOME of the commands */
  char   *files;      /* where the jobs' keystores are */
  char   *db;
  gint64  ids[7];     /* ids[n]: the n-th job of make_history(), 1-based */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->data_home = g_dir_make_tmp ("certdesk-cli-jobs-commands-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->files = g_build_filename (fixture->data_home, "files", NULL);
  g_assert_no_errno (g_mkdir (fixture->files, 0700));
  fixture->db = g_build_filename (fixture->data_home, "certdesk", "certdesk.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_remove_tree (fixture->data_home);
  g_free (fixture->data_home);
  g_free (fixture->files);
  g_free (fixture->db);
}

typedef struct
{
  int     status;
  GBytes *out;
  char   *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_bytes_unref);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* stdout as text */
static const char *
out_text (Run *run)
{
  gsize length;
  const char *data = g_bytes_get_data (run->out, &length);

  if (length == 0)
    return "";
  /* GSubprocess ends what it read with a NUL it does not count */
  g_assert_cmpuint (strlen (data), ==, length);
  return data;
}

/* @length bytes of @data for a test message: the TAP reader splits lines at more characters
 * than \n, so that control characters and bytes that are not UTF-8 become "?". */
static char *
printable (const char *data,
           gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (data != NULL ? data : "", length);
  GString *shown = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029)
        g_string_append_c (shown, '?');
      else
        g_string_append_unichar (shown, c);
    }
  return g_string_free (shown, FALSE);
}

/* certdesk-cli jobs with the arguments (NULL-terminated), untranslated. */
static void
jobs (Run        *run,
      Fixture    *fixture,
      const char *first,
      ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  run_clear (run);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_set_cwd (launcher, fixture->files);

  g_ptr_array_add (argv, (gpointer) g_getenv ("CERTDESK_CLI"));
  g_ptr_array_add (argv, (gpointer) "jobs");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &run->out, &err, &error);
  g_assert_no_error (error);
  run->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  {
    g_autofree char *out = printable (g_bytes_get_data (run->out, NULL),
                                      g_bytes_get_size (run->out));
    g_autofree char *shown_err = printable (run->err, strlen (run->err));

    g_test_message ("exit %d\n%s%s", run->status, out, shown_err);
  }
}

static gint64
add_job (CdStore    *store,
         const char *kind,
         const char *target_type,
         const char *target,
         const char *state,
         const char *initiator,
         gint64      created)
{
  g_autoptr(GError) error = NULL;
  CdJobRecord record = {
    .kind = (char *) kind,
    .target_type = (char *) target_type,
    .target = (char *) target,
    .state = (char *) state,
    .initiator = (char *) initiator,
    .created = created,
    .progress = -1,
  };
  gint64 id = cd_store_insert_job (store, &record, &error);

  g_assert_no_error (error);
  return id;
}

static void
add_event (CdStore    *store,
           gint64      job_id,
           const char *level,
           const char *message)
{
  g_autoptr(GError) error = NULL;

  cd_store_add_job_event (store, job_id, level, message, &error);
  g_assert_no_error (error);
}

static void
add_artifact (CdStore    *store,
              gint64      job_id,
              const char *name,
              const char *media_type,
              GBytes     *content,
              const char *path)
{
  g_autoptr(GError) error = NULL;

  cd_store_add_job_artifact (store, job_id, name, media_type, content, path, &error);
  g_assert_no_error (error);
}

/* The file @name in the fixture's folder of files. */
static char *
file_path (Fixture    *fixture,
           const char *name)
{
  return g_build_filename (fixture->files, name, NULL);
}

/* Six jobs, newest last, with the times set in the file afterwards: the store stamps started
 * and finished with the time they happen. */
static void
make_history (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (fixture->db, CD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GBytes) pem = g_bytes_new_static (CSR_PEM, strlen (CSR_PEM));
  g_autoptr(GBytes) der = g_bytes_new_static (csr_der, sizeof csr_der);
  g_autoptr(GBytes) evil = g_bytes_new_static ("x", 1);
  g_autofree char *trust = file_path (fixture, "trust.p12");
  g_autofree char *client = file_path (fixture, "client.p12");
  g_autofree char *gone = file_path (fixture, "gone.p12");
  g_autofree char *times = NULL;
  gint64 *ids = fixture->ids;
  CdJobRecord csr = {
    .kind = (char *) "generate-csr", .target_type = (char *) "subdomain",
    .target = (char *) "mail.brand.com", .state = (char *) "finished",
    .initiator = (char *) "user", .created = AT (1), .progress = -1,
    .parameters = g_variant_new_parsed ("{'key_type': 'rsa2048',"
                                        " 'hosts': 't.mail.brand.com m.mail.brand.com'}"),
  };
  sqlite3 *db = NULL;

  g_assert_no_error (error);

  g_variant_ref_sink (csr.parameters);
  ids[1] = cd_store_insert_job (store, &csr, &error);
  g_assert_no_error (error);
  g_variant_unref (csr.parameters);
  add_event (store, ids[1], "info", "Generated a 2048-bit RSA key");
  add_event (store, ids[1], "info", "Wrote the CSR for 2 hosts");
  add_artifact (store, ids[1], "mail.brand.com.csr", "application/pkcs10", pem, NULL);
  add_artifact (store, ids[1], "mail.brand.com.der", "application/pkcs10", der, NULL);

  ids[2] = add_job (store, "import-keystore", "keystore", trust, "failed", "command-line",
                    AT (2));
  cd_store_set_job_outcome (store, ids[2], "failed", "Nothing was imported: it is unchanged.",
                            "Add --trust to import CA certificates as trusted entries.", &error);
  g_assert_no_error (error);
  add_event (store, ids[2], "error", "Add --trust to import CA certificates");

  ids[3] = add_job (store, "import-keystore", "keystore", client, "finished", "command-line",
                    AT (3));
  cd_test_write_file (fixture->files, "client.p12", "\x30\x82\x0a\x1b keystore bytes\x00\xff",
                      20);
  g_assert_no_errno (g_chmod (client, 0600));
  add_artifact (store, ids[3], "client.p12", "application/x-pkcs12", NULL, client);

  ids[4] = add_job (store, "check-hosts", "subdomain", "res.mail.brand.com", "running",
                    "reminder", AT (4));
  add_event (store, ids[4], "info", "Probing t.res.mail.brand.com");

  ids[5] = add_job (store, "import-keystore", "keystore", gone, "finished", "command-line",
                    AT (5));
  add_artifact (store, ids[5], "gone.p12", "application/x-pkcs12", NULL, gone);

  ids[6] = add_job (store, "generate-csr", "", EVIL_TARGET, "queued", "user", AT (6));
  add_event (store, ids[6], "warning", EVIL_EVENT);
  add_artifact (store, ids[6], EVIL_NAME, "application/pkcs10", evil, NULL);
  g_clear_object (&store);

  /* started and finished a fixed time after creation: 1.5 s, 90 s, 2 s; 4 has not finished */
  times = g_strdup_printf ("UPDATE jobs SET started = created + 200000,"
                           " finished = created + 1700000 WHERE id = %" G_GINT64_FORMAT ";"
                           "UPDATE jobs SET started = created, finished = created + 90000000"
                           " WHERE id = %" G_GINT64_FORMAT ";"
                           "UPDATE jobs SET started = created, finished = created + 2000000"
                           " WHERE id IN (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ");"
                           "UPDATE jobs SET started = created, finished = NULL"
                           " WHERE id = %" G_GINT64_FORMAT,
                           ids[1], ids[2], ids[3], ids[5], ids[4]);
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, times, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* The job numbers (as in fixture->ids) of the lines of `jobs list`, "6 5 4", after checking
 * its heading. */
static char *
listed (Fixture *fixture,
        Run     *run)
{
  g_auto(GStrv) lines = g_strsplit (out_text (run), "\n", -1);
  g_autoptr(GString) numbers = g_string_new (NULL);

  g_assert_cmpint (run->status, ==, 0);
  if (lines[0] == NULL)
    return g_strdup ("");
  g_assert_true (g_str_has_prefix (lines[0], "ID "));
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      gint64 id = g_ascii_strtoll (lines[i], NULL, 10);
      guint number = 0;

      for (guint n = 1; n < G_N_ELEMENTS (fixture->ids); n++)
        if (fixture->ids[n] == id)
          number = n;
      g_assert_cmpuint (number, >, 0);
      g_string_append_printf (numbers, "%s%u", numbers->len > 0 ? " " : "", number);
    }
  return g_string_free (g_steal_pointer (&numbers), FALSE);
}

#define assert_listed(fixture, run, expected) \
  G_STMT_START { \
    g_autofree char *found_ = listed ((fixture), (run)); \
    g_assert_cmpstr (found_, ==, (expected)); \
  } G_STMT_END

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
test_list_filters (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_history (fixture);
  before = file_checksum (fixture->db);

  jobs (&run, fixture, "list", NULL);
  assert_listed (fixture, &run, "6 5 4 3 2 1");
  jobs (&run, fixture, "list", "--state", "failed", NULL);
  assert_listed (fixture, &run, "2");
  jobs (&run, fixture, "list", "--state", "finished", "--state", "failed", NULL);
  assert_listed (fixture, &run, "5 3 2 1");
  jobs (&run, fixture, "list", "--state", "finished,failed", NULL);
  assert_listed (fixture, &run, "5 3 2 1");
  jobs (&run, fixture, "list", "--kind", "import-keystore", NULL);
  assert_listed (fixture, &run, "5 3 2");
  jobs (&run, fixture, "list", "--kind", "generate-csr", "--state", "queued", NULL);
  assert_listed (fixture, &run, "6");
  jobs (&run, fixture, "list", "--kind", "check-hosts", NULL);
  assert_listed (fixture, &run, "4");
  jobs (&run, fixture, "list", "--kind", "check-dns", NULL);
  assert_listed (fixture, &run, "");
  jobs (&run, fixture, "list", "--search", "brand.com", NULL);
  assert_listed (fixture, &run, "4 1");
  jobs (&run, fixture, "list", "--search", "import CA", NULL);
  assert_listed (fixture, &run, "2");
  jobs (&run, fixture, "list", "--limit", "2", NULL);
  assert_listed (fixture, &run, "6 5");

  /* a line: id, kind, state, started, duration, initiator, target; "-" for never */
  jobs (&run, fixture, "list", "--kind", "check-hosts", NULL);
  g_assert_true (g_regex_match_simple ("^[0-9]+ +check-hosts +running +"
                                       "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
                                       " +- +reminder +res\\.mail\\.brand\\.com$",
                                       out_text (&run), G_REGEX_MULTILINE, 0));
  jobs (&run, fixture, "list", "--state", "queued", NULL);
  g_assert_true (g_regex_match_simple ("^[0-9]+ +generate-csr +queued +- +- +user ",
                                       out_text (&run), G_REGEX_MULTILINE, 0));

  /* read-only: the file is as it was */
  after = file_checksum (fixture->db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_unknown_names (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  make_history (fixture);

  jobs (&run, fixture, "list", "--state", "done", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpuint (g_bytes_get_size (run.out), ==, 0);
  g_assert_nonnull (strstr (run.err, "“done” is not a job state"));
  g_assert_nonnull (strstr (run.err, "queued, running, finished, failed, cancelled, interrupted"));

  jobs (&run, fixture, "list", "--state", "failed", "--kind", "make-coffee", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "“make-coffee” is not a job kind"));
  g_assert_nonnull (strstr (run.err, "generate-csr"));
  g_assert_nonnull (strstr (run.err, "import-keystore"));
  g_assert_nonnull (strstr (run.err, "check-hosts"));
}

static JsonNode *
parse_json (Run *run)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run->status, ==, 0);
  json_parser_load_from_data (parser, out_text (run), -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Unix seconds of an ISO 8601 time as certdesk-cli prints it. */
static gint64
json_time (JsonObject *object,
           const char *member)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (
    json_object_get_string_member (object, member), NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

static JsonObject *
find_job (JsonArray *array,
          gint64     id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *job = json_array_get_object_element (array, i);

      if (json_object_get_int_member (job, "id") == id)
        return job;
    }
  g_assert_not_reached ();
}

static void
test_list_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  JsonObject *job;

  make_history (fixture);
  jobs (&run, fixture, "list", "--json", NULL);
  root = parse_json (&run);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 6);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "id"),
                   ==, fixture->ids[6]);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 5), "id"),
                   ==, fixture->ids[1]);

  job = find_job (array, fixture->ids[1]);
  g_assert_cmpstr (json_object_get_string_member (job, "kind"), ==, "generate-csr");
  g_assert_cmpstr (json_object_get_string_member (job, "state"), ==, "finished");
  g_assert_cmpstr (json_object_get_string_member (job, "target_type"), ==, "subdomain");
  g_assert_cmpstr (json_object_get_string_member (job, "target"), ==, "mail.brand.com");
  g_assert_cmpstr (json_object_get_string_member (job, "initiator"), ==, "user");
  g_assert_cmpint (json_time (job, "created"), ==, T0 + 1);
  g_assert_cmpint (json_time (job, "started"), ==, T0 + 1);
  g_assert_cmpint (json_time (job, "finished"), ==, T0 + 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (job, "duration_seconds"), 1.5,
                                  1e-9);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (job, "parameters"), "key_type"), ==,
                   "rsa2048");
  g_assert_true (json_object_get_null_member (job, "instance_id"));

  job = find_job (array, fixture->ids[2]);
  g_assert_cmpstr (json_object_get_string_member (job, "initiator"), ==, "command-line");
  g_assert_cmpstr (json_object_get_string_member (job, "message"), ==,
                   "Nothing was imported: it is unchanged.");
  g_assert_cmpstr (json_object_get_string_member (job, "error_action"), ==,
                   "Add --trust to import CA certificates as trusted entries.");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (job, "duration_seconds"), 90,
                                  1e-9);

  job = find_job (array, fixture->ids[4]);
  g_assert_true (json_object_get_null_member (job, "finished"));
  g_assert_true (json_object_get_null_member (job, "duration_seconds"));

  /* json-glib escapes what a terminal would obey */
  job = find_job (array, fixture->ids[6]);
  {
    /* the byte that is not UTF-8 as U+FFFD: JSON is UTF-8 */
    g_autofree char *valid = g_utf8_make_valid (EVIL_TARGET, -1);

    g_assert_cmpstr (json_object_get_string_member (job, "target"), ==, valid);
  }
  g_assert_true (json_object_get_null_member (job, "started"));
  g_assert_null (memchr (g_bytes_get_data (run.out, NULL), 0x1b, g_bytes_get_size (run.out)));
}

static void
test_show (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *job;
  JsonArray *events;
  JsonArray *artifacts;
  const char *out;

  make_history (fixture);
  id1 = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->ids[1]);
  id2 = g_strdup_printf ("#%" G_GINT64_FORMAT, fixture->ids[2]);
  id3 = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->ids[3]);

  jobs (&run, fixture, "show", id1, NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = out_text (&run);
  g_assert_true (g_regex_match_simple ("^  Kind: +generate-csr$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  Target: +mail\\.brand\\.com \\(subdomain\\)$", out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  Duration: +1\\.5 s$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  key_type = rsa2048$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  [-0-9T:]+Z +info +Generated a 2048-bit RSA key$", out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  [-0-9T:]+Z +info +Wrote the CSR for 2 hosts$", out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  mail\\.brand\\.com\\.csr  application/pkcs10  [0-9]+ "
                                       "bytes$", out, G_REGEX_MULTILINE, 0));
  g_assert_nonnull (strstr (out, "Wrote the CSR"));
  g_assert_true (g_regex_match_simple ("^  mail\\.brand\\.com\\.der  application/pkcs10  10 bytes$",
                                       out, G_REGEX_MULTILINE, 0));

  /* a failure says what to do; "#N" works as well as N */
  jobs (&run, fixture, "show", id2, NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = out_text (&run);
  g_assert_true (g_regex_match_simple ("^  State: +failed$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  Message: +Nothing was imported: it is unchanged\\.$",
                                       out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  What to do: +Add --trust to import CA certificates as "
                                       "trusted entries\\.$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^  [-0-9T:]+Z +error +Add --trust", out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Artifacts:\n  none$", out, G_REGEX_MULTILINE, 0));

  /* a file the job wrote: by its path */
  jobs (&run, fixture, "show", id3, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^  client\\.p12  application/x-pkcs12  "
                                       "file /.*/client\\.p12$",
                                       out_text (&run), G_REGEX_MULTILINE, 0));

  jobs (&run, fixture, "show", "--json", id1, NULL);
  root = parse_json (&run);
  job = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (job, "id"), ==, fixture->ids[1]);
  g_assert_cmpstr (json_object_get_string_member (job, "kind"), ==, "generate-csr");
  events = json_object_get_array_member (job, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "message"), ==,
                   "Generated a 2048-bit RSA key");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "level"), ==, "info");
  artifacts = json_object_get_array_member (job, "artifacts");
  g_assert_cmpuint (json_array_get_length (artifacts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (artifacts, 0),
                                                  "name"), ==, "mail.brand.com.csr");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (artifacts, 0),
                                               "size"), ==, strlen (CSR_PEM));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (artifacts, 0),
                                              "path"));

  /* unknown jobs */
  jobs (&run, fixture, "show", "999", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "There is no job 999"));
  jobs (&run, fixture, "show", "twelve", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "“twelve” is not a job number"));
}

static char *
job_arg (Fixture *fixture,
         guint    number)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, fixture->ids[number]);
}

static void
assert_file_equals (const char   *path,
                    const void   *data,
                    gsize         length)
{
  g_autofree char *contents = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpmem (contents, size, data, length);
}

static void
test_artifact (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  g_autofree char *id5 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *client = NULL;
  g_autofree char *never = NULL;
  g_autofree char *client_bytes = NULL;
  gsize client_length;
  GStatBuf st;

  make_history (fixture);
  id1 = job_arg (fixture, 1);
  id2 = job_arg (fixture, 2);
  id3 = job_arg (fixture, 3);
  id5 = job_arg (fixture, 5);
  out = file_path (fixture, "out.csr");
  copy = file_path (fixture, "copy.p12");
  client = file_path (fixture, "client.p12");
  never = file_path (fixture, "never");

  /* the stored bytes, byte for byte: to a file, and to standard output */
  jobs (&run, fixture, "artifact", id1, "mail.brand.com.csr", "--out", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_file_equals (out, CSR_PEM, strlen (CSR_PEM));
  jobs (&run, fixture, "artifact", id1, "mail.brand.com.der", "--out", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpmem (g_bytes_get_data (run.out, NULL), g_bytes_get_size (run.out), csr_der,
                   sizeof csr_der);
  /* an existing file is replaced */
  jobs (&run, fixture, "artifact", id1, "mail.brand.com.der", "--out", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_file_equals (out, csr_der, sizeof csr_der);

  /* a file the job wrote: its bytes, in a copy no more readable than it */
  g_assert_true (g_file_get_contents (client, &client_bytes, &client_length, NULL));
  jobs (&run, fixture, "artifact", id3, "client.p12", "--out", copy, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_file_equals (copy, client_bytes, client_length);
  g_assert_no_errno (g_stat (copy, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* never over itself */
  jobs (&run, fixture, "artifact", id3, "client.p12", "--out", client, NULL);
  g_assert_cmpint (run.status, ==, 2);
  assert_file_equals (client, client_bytes, client_length);

  /* ... which is gone */
  jobs (&run, fixture, "artifact", id5, "gone.p12", "--out", never, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no longer exists"));
  g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));

  /* unknown jobs and names */
  jobs (&run, fixture, "artifact", "999", "mail.brand.com.csr", "--out", never, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "There is no job 999"));
  jobs (&run, fixture, "artifact", id1, "mail.brand.com.pem", "--out", never, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no artifact “mail.brand.com.pem”"));
  g_assert_nonnull (strstr (run.err, "mail.brand.com.csr, mail.brand.com.der"));
  jobs (&run, fixture, "artifact", id2, "trust.p12", "--out", never, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "it kept none"));
  g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));

  /* --out is needed */
  jobs (&run, fixture, "artifact", id1, "mail.brand.com.csr", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--out"));
}

/* Nothing recorded yet: no database, which these commands never create. */
static void
test_missing_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *dir = g_path_get_dirname (fixture->db);
  g_autoptr(JsonNode) root = NULL;

  jobs (&run, fixture, "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (run.out), ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  jobs (&run, fixture, "list", "--state", "failed", "--json", NULL);
  root = parse_json (&run);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 0);

  jobs (&run, fixture, "show", "1", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no job has been recorded yet"));
  jobs (&run, fixture, "artifact", "1", "a.csr", "--out", "-", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpuint (g_bytes_get_size (run.out), ==, 0);

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* a file that is not a database is reported, not taken for an empty history */
  g_assert_no_errno (g_mkdir (dir, 0700));
  cd_test_write_file (dir, "certdesk.db", "not a database, but a note to myself", -1);
  jobs (&run, fixture, "list", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, fixture->db));
}

static void
assert_no_terminal_controls (Run *run)
{
  gsize length;
  const char *out = g_bytes_get_data (run->out, &length);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_null (memchr (out, 0x1b, length));
  g_assert_null (memchr (out, 0x07, length));
  g_assert_null (g_strstr_len (out, length, "\xe2\x80\xae"));
}

/* What a hostile file put into the database reaches a terminal escaped. */
static void
test_escaped (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *id6 = NULL;

  make_history (fixture);
  id6 = job_arg (fixture, 6);

  jobs (&run, fixture, "list", NULL);
  assert_no_terminal_controls (&run);
  g_assert_nonnull (strstr (out_text (&run), "evil\\x1b[31m\\x07\\u202etxt.exe\\u009b\\xff\n"));

  jobs (&run, fixture, "show", id6, NULL);
  assert_no_terminal_controls (&run);
  g_assert_nonnull (strstr (out_text (&run), "evil\\x1b[31m\\x07\\u202etxt.exe\\u009b\\xff\n"));
  /* one event, one line */
  g_assert_nonnull (strstr (out_text (&run), "line1\\nline2\\x1b]0;owned\\x07\n"));
  g_assert_nonnull (strstr (out_text (&run), "a\\x1b[2Jb.csr  application/pkcs10  1 byte\n"));

  /* names in messages too */
  jobs (&run, fixture, "artifact", id6, "other", "--out", "-", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_null (strchr (run.err, 0x1b));
  g_assert_nonnull (strstr (run.err, "a\\x1b[2Jb.csr"));
  /* the artifact's name is given as it is stored */
  jobs (&run, fixture, "artifact", id6, EVIL_NAME, "--out", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (out_text (&run), ==, "x");
}

#define TEST(name, func) \
  g_test_add ("/cli/jobs-commands/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TEST ("list-filters", test_list_filters);
  TEST ("unknown-names", test_unknown_names);
  TEST ("list-json", test_list_json);
  TEST ("show", test_show);
  TEST ("artifact", test_artifact);
  TEST ("missing-database", test_missing_database);
  TEST ("escaped", test_escaped);

  return g_test_run ();
}
