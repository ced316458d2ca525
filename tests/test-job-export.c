// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-job-export"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cd-error.h"
#include "cd-job-export.h"
#include "cd-job-labels.h"
#include "cd-test-inventory.h"
#include "cd-test-util.h"

/* The job history as CSV, read back by a strict RFC 4180 reader of the test's own (and by
 * Python's csv module where python3 is installed): the rows of the query in its order, the
 * cells a spreadsheet would run as formulas made text, commas, quotes and line ends kept,
 * times in UTC, and what an empty history, a long one and a cancelled export give. */

/* a Tuesday in 2025, in microseconds; the jobs are a second apart */
#define T0 G_GINT64_CONSTANT (1760000000000000)
#define AT(seconds) (T0 + (seconds) * G_USEC_PER_SEC)

#define HEADER "Number,Kind,Kind Title,Target Type,Target,State,State Title,Created,Started," \
               "Finished,Duration (s),Initiator,Message\r\n"

typedef struct
{
  const char *kind;
  const char *target_type;
  const char *target;
  const char *state;
  const char *initiator;
  const char *message;
  /* the cells the CSV must hold for the target and the message */
  const char *target_cell;
  const char *message_cell;
} JobSpec;

static const JobSpec specs[] = {
  { "generate-csr", "subdomain", "mail.brand.example", "finished", "user",
    "CSR generated, with 3 hosts.",
    "mail.brand.example", "CSR generated, with 3 hosts." },
  { "import-keystore", "keystore", "/srv/ks/trust, \"old\".jks", "failed", "command-line",
    "Line one\r\nLine two\nLine \"three\"",
    "/srv/ks/trust, \"old\".jks", "Line one\r\nLine two\nLine \"three\"" },
  { "check-hosts", "host", "=HYPERLINK(\"http://evil.example\",\"x\")", "running", "reminder",
    "+1 host answered",
    "'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1 host answered" },
  { "check-dns", "host", "-t.mail.brand.example", "queued", "user", "@SUM(A1:A2)",
    "'-t.mail.brand.example", "'@SUM(A1:A2)" },
  { "download-bundle", "data-center", "em3", "cancelled", "user", "\tTabbed",
    "em3", "'\tTabbed" },
  { "install-certificate", "subdomain", "m.mail.brand.example", "interrupted", "user",
    "\rCR first",
    "m.mail.brand.example", "'\rCR first" },
  /* not UTF-8, as an old program may have stored it: the file is UTF-8 all the same */
  { "renew-certificate", "", "res.mail.brand.example", "finished", "reminder", "M\xfcnchen",
    "res.mail.brand.example", "M\xef\xbf\xbdnchen" },
};

typedef struct
{
  char    *dir;
  CdStore *store;
  gint64   ids[G_N_ELEMENTS (specs)];
} Fixture;

static gint64
add_job (CdStore       *store,
         const JobSpec *spec,
         gint64         created)
{
  g_autoptr(GError) error = NULL;
  CdJobRecord record = {
    .kind = (char *) spec->kind,
    .target_type = (char *) spec->target_type,
    .target = (char *) spec->target,
    .initiator = (char *) spec->initiator,
    .created = created,
    .progress = -1,
  };
  gint64 id = cd_store_insert_job (store, &record, &error);

  g_assert_no_error (error);
  /* through the states a runner would take it, so that the store stamps started and
   * finished */
  if (!g_str_equal (spec->state, "queued") && !g_str_equal (spec->state, "cancelled"))
    {
      g_assert_true (cd_store_set_job_state (store, id, "running", NULL, &error));
      g_assert_no_error (error);
    }
  if (!g_str_equal (spec->state, "queued"))
    {
      g_assert_true (cd_store_set_job_state (store, id, spec->state, spec->message, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_true (cd_store_set_job_state (store, id, "queued", spec->message, &error));
      g_assert_no_error (error);
    }
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("certdesk-test-job-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "certdesk.db", NULL);
  fixture->store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    fixture->ids[i] = add_job (fixture->store, &specs[i], AT (i));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_release_store (&fixture->store);
  cd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* RFC 4180, strictly: rows end with CRLF (the last one too), a cell with a quote, a comma or
 * a line end is quoted, a quote in it doubled. Each row is a GStrv; anything else fails the
 * test. */
static GPtrArray *
parse_csv (GBytes *bytes)
{
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gsize i = 0;

  while (i < length)
    {
      g_autoptr(GStrvBuilder) row = g_strv_builder_new ();

      for (;;)
        {
          g_autoptr(GString) cell = g_string_new (NULL);

          if (text[i] == '"')
            {
              for (i++;; i++)
                {
                  g_assert_cmpuint (i, <, length);
                  if (text[i] == '"' && i + 1 < length && text[i + 1] == '"')
                    g_string_append_c (cell, text[i++]);
                  else if (text[i] == '"')
                    break;
                  else
                    g_string_append_c (cell, text[i]);
                }
              i++;
            }
          else
            {
              for (; i < length && strchr (",\r\n\"", text[i]) == NULL; i++)
                g_string_append_c (cell, text[i]);
            }
          g_strv_builder_add (row, cell->str);

          g_assert_cmpuint (i, <, length);
          if (text[i] == ',')
            {
              i++;
              continue;
            }
          /* the end of a row, and nothing else, comes after a cell */
          g_assert_cmpint (text[i], ==, '\r');
          g_assert_cmpuint (i + 1, <, length);
          g_assert_cmpint (text[i + 1], ==, '\n');
          i += 2;
          break;
        }
      g_ptr_array_add (rows, g_strv_builder_end (row));
    }

  return rows;
}

static GBytes *
export (Fixture          *fixture,
        const CdJobQuery *query,
        guint            *out_n_jobs)
{
  g_autoptr(GError) error = NULL;
  GBytes *csv;

  csv = cd_job_export_csv (fixture->store, query, NULL, out_n_jobs, &error);
  g_assert_no_error (error);
  g_assert_nonnull (csv);
  return csv;
}

/* A time cell: "2025-10-09T08:53:20Z", the second of @time. */
static void
assert_time_cell (const char *cell,
                  gint64      time)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (time == 0)
    {
      g_assert_cmpstr (cell, ==, "");
      return;
    }
  g_assert_cmpuint (strlen (cell), ==, 20);
  g_assert_cmpint (cell[10], ==, 'T');
  g_assert_cmpint (cell[19], ==, 'Z');
  parsed = g_date_time_new_from_iso8601 (cell, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_to_unix (parsed), ==, cd_record_time_to_unix (time));
}

/* The rows of @csv are the jobs @query lists, in its order, cell by cell. */
static void
assert_rows (Fixture          *fixture,
             GBytes           *csv,
             const CdJobQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = parse_csv (csv);
  g_autoptr(GPtrArray) jobs = cd_store_list_jobs_filtered (fixture->store, query, &error);
  g_autofree char *header = g_strjoinv (",", g_ptr_array_index (rows, 0));

  g_assert_no_error (error);
  g_assert_cmpstr (header, ==, "Number,Kind,Kind Title,Target Type,Target,State,State Title,"
                               "Created,Started,Finished,Duration (s),Initiator,Message");
  g_assert_cmpuint (rows->len, ==, jobs->len + 1);

  for (guint i = 0; i < jobs->len; i++)
    {
      const CdJobRecord *job = g_ptr_array_index (jobs, i);
      char **row = g_ptr_array_index (rows, i + 1);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
      const JobSpec *spec = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (specs); j++)
        if (fixture->ids[j] == job->id)
          spec = &specs[j];

      g_assert_cmpuint (g_strv_length (row), ==, 13);
      g_assert_cmpstr (row[0], ==, number);
      g_assert_cmpstr (row[1], ==, job->kind);
      g_assert_cmpstr (row[2], ==, cd_job_kind_get_title (job->kind));
      g_assert_cmpstr (row[3], ==, job->target_type);
      g_assert_cmpstr (row[5], ==, job->state);
      g_assert_cmpstr (row[6], ==, cd_job_state_get_title (job->state));
      assert_time_cell (row[7], job->created);
      assert_time_cell (row[8], job->started);
      assert_time_cell (row[9], job->finished);
      if (job->started != 0 && job->finished != 0)
        g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[10], NULL),
                                        (job->finished - job->started) / 1e6, 0.0011);
      else
        g_assert_cmpstr (row[10], ==, "");
      g_assert_cmpstr (row[11], ==, job->initiator);
      if (spec != NULL)
        {
          g_assert_cmpstr (row[4], ==, spec->target_cell);
          g_assert_cmpstr (row[12], ==, spec->message_cell);
        }
    }
}

static void
test_rows (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint n_jobs = 0;
  char **row;

  csv = export (fixture, NULL, &n_jobs);
  g_assert_cmpuint (n_jobs, ==, G_N_ELEMENTS (specs));
  assert_rows (fixture, csv, NULL);

  /* newest first: the last job added is the first row */
  rows = parse_csv (csv);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row[1], ==, "renew-certificate");
  g_assert_cmpstr (row[2], ==, "Renew Certificate");
  g_assert_cmpstr (row[7], ==, "2025-10-09T08:53:26Z");
  row = g_ptr_array_index (rows, G_N_ELEMENTS (specs));
  g_assert_cmpstr (row[1], ==, "generate-csr");
  g_assert_cmpstr (row[2], ==, "Generate CSR");
  g_assert_cmpstr (row[6], ==, "Finished");
  g_assert_cmpstr (row[7], ==, "2025-10-09T08:53:20Z");

  /* a cell that needs them is quoted, with its quotes doubled; a guarded one too */
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv),
                                  ",\"/srv/ks/trust, \"\"old\"\".jks\","));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv),
                                  ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","));
  /* one that does not is not */
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv),
                                  ",'@SUM(A1:A2)\r\n"));
}

static void
test_filtered (Fixture       *fixture,
               gconstpointer  data)
{
  const char *const states[] = { "finished", "failed", NULL };
  const char *const kinds[] = { "generate-csr", "import-keystore", NULL };
  CdJobQuery query = {
    .states = states,
    .kinds = kinds,
    /* ignored by the export */
    .limit = 1,
    .offset = 1,
  };
  CdJobQuery expected = query;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint n_jobs = 0;

  csv = export (fixture, &query, &n_jobs);
  g_assert_cmpuint (n_jobs, ==, 2);
  expected.limit = 0;
  expected.offset = 0;
  assert_rows (fixture, csv, &expected);

  rows = parse_csv (csv);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[1], ==, "import-keystore");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 2))[1], ==, "generate-csr");
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  const char *const none[] = { NULL };
  CdJobQuery query = { .kinds = none };
  g_autoptr(GBytes) csv = NULL;
  guint n_jobs = 42;

  csv = export (fixture, &query, &n_jobs);
  g_assert_cmpuint (n_jobs, ==, 0);
  g_assert_cmpmem (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv),
                   HEADER, strlen (HEADER));
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  /* more than two pages of a thousand, the last one short */
  const guint n_more = 2345;
  const JobSpec spec = { "check-hosts", "host", "t.mail.brand.example", "queued", "reminder",
                         NULL, "t.mail.brand.example", "" };
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_jobs = 0;

  for (guint i = 0; i < n_more; i++)
    {
      g_autoptr(GError) error = NULL;
      CdJobRecord record = {
        .kind = (char *) spec.kind,
        .target_type = (char *) spec.target_type,
        .target = (char *) spec.target,
        .initiator = (char *) spec.initiator,
        /* some in the same microsecond, where the id decides the order */
        .created = AT (100 + i / 2),
        .progress = -1,
      };

      cd_store_insert_job (fixture->store, &record, &error);
      g_assert_no_error (error);
    }

  csv = export (fixture, NULL, &n_jobs);
  g_assert_cmpuint (n_jobs, ==, n_more + G_N_ELEMENTS (specs));
  assert_rows (fixture, csv, NULL);

  /* each job once */
  rows = parse_csv (csv);
  for (guint i = 1; i < rows->len; i++)
    g_assert_true (g_hash_table_add (numbers, ((char **) g_ptr_array_index (rows, i))[0]));
  g_assert_cmpuint (g_hash_table_size (numbers), ==, n_jobs);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "jobs.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint n_jobs = 42;

  g_cancellable_cancel (cancellable);
  csv = cd_job_export_csv (fixture->store, NULL, cancellable, &n_jobs, &error);
  g_assert_null (csv);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n_jobs, ==, 0);
  g_clear_error (&error);

  n_jobs = 42;
  cd_job_export_csv_async (fixture->store, NULL, file, cancellable, cd_test_got_result,
                           &result);
  g_assert_false (cd_job_export_csv_finish (cd_test_wait_for (&result), &n_jobs, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n_jobs, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* @rows with their cells joined by U+001F and the rows by U+001E, as the Python below prints
 * them. */
static char *
join_rows (GPtrArray *rows)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *row = g_strjoinv ("\x1f", g_ptr_array_index (rows, i));

      g_string_append_printf (joined, "%s\x1e", row);
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* The rows of the CSV file @path as Python's csv module reads them; NULL without python3. */
static char *
read_with_python (const char *path)
{
  static const char script[] =
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
    "    rows = list(csv.reader(f, strict=True))\n"
    "sys.stdout.buffer.write(''.join('\\x1f'.join(r) + '\\x1e' for r in rows).encode())\n";
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;
  const char *argv[] = { python, "-c", script, path, NULL };

  if (python == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("python3 could not read %s: %s\n%s", path, error->message, err);
  return out;
}

static void
test_to_file (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "jobs.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *ours = NULL;
  g_autofree char *pythons = NULL;
  const char *const states[] = { "queued", "running", "failed", "finished", NULL };
  CdJobQuery query = { .states = states, .search = "mail" };
  guint n_jobs = 0;
  mode_t mask;

  expected = export (fixture, &query, NULL);

  /* the query is the caller's again as soon as the call returns */
  {
    g_autofree char *search = g_strdup ("mail");
    g_autofree char *state = g_strdup ("finished");
    const char *changing[] = { "queued", "running", "failed", state, NULL };
    CdJobQuery asked = { .states = changing, .search = search };

    cd_job_export_csv_async (fixture->store, &asked, file, NULL, cd_test_got_result, &result);
    search[0] = 'X';
    state[0] = 'X';
    changing[0] = "cancelled";
  }
  g_assert_true (cd_job_export_csv_finish (cd_test_wait_for (&result), &n_jobs, &error));
  g_assert_no_error (error);
  /* the jobs on hosts of mail.brand.example, but the cancelled and the interrupted one */
  g_assert_cmpuint (n_jobs, ==, 3);

  written = cd_test_read_path (path);
  g_assert_cmpmem (g_bytes_get_data (written, NULL), g_bytes_get_size (written),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  assert_rows (fixture, written, &query);

  /* nothing secret in it: a new file gets what the umask allows */
  mask = umask (0);
  umask (mask);
  g_assert_cmpuint (cd_test_file_mode (path), ==, 0666 & ~mask);

  rows = parse_csv (written);
  ours = join_rows (rows);
  pythons = read_with_python (path);
  if (pythons == NULL)
    {
      g_test_message ("python3 is not installed: the CSV is not read by its csv module");
      return;
    }
  g_assert_cmpstr (pythons, ==, ours);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  FIXTURE_TEST ("/model/job-export/rows", test_rows);
  FIXTURE_TEST ("/model/job-export/filtered", test_filtered);
  FIXTURE_TEST ("/model/job-export/empty", test_empty);
  FIXTURE_TEST ("/model/job-export/pages", test_pages);
  FIXTURE_TEST ("/model/job-export/cancelled", test_cancelled);
  FIXTURE_TEST ("/model/job-export/to-file", test_to_file);

  return g_test_run ();
}
