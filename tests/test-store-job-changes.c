// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-store-job-changes"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "cd-error.h"
#include "cd-store.h"
#include "cd-store-migrations.h"
#include "cd-store-private.h"
#include "cd-test-util.h"

/* What changes the job history, seen from outside: the jobs' revision, which a Job Logs
 * window polls to learn that something changed, whoever changed it; and retention, which
 * deletes the old jobs but the newest CSR of each target, in batches a cancellable stops. */

/* a Tuesday in 2025, in microseconds; T(s) is s seconds after it */
#define T0 G_GINT64_CONSTANT (1760000000000000)
#define T(seconds) (T0 + (gint64) (seconds) * G_USEC_PER_SEC)

typedef struct
{
  char    *tmpdir;
  char    *path;
  CdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("certdesk-job-changes-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmpdir, "certdesk.db", NULL);
  fixture->store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->path);
}

/* Another connection to the file, as another process has. */
static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static gint64
revision (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 value = cd_store_get_jobs_revision (store, &error);

  g_assert_no_error (error);
  return value;
}

/* Asserts that the revision moved since *@last, and keeps the new one there. */
#define assert_changed(store, last) \
  G_STMT_START { \
    gint64 now_ = revision (store); \
    g_assert_cmpint (now_, !=, *(last)); \
    *(last) = now_; \
  } G_STMT_END

static void
test_revision (Fixture       *fixture,
               gconstpointer  data)
{
  static const char csr[] = "-----BEGIN CERTIFICATE REQUEST-----\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static (csr, sizeof csr - 1);
  g_autoptr(CdStore) other = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  CdInstanceRecord instance = { .name = (char *) "Acme", .data_center = (char *) "us2" };
  CdJobRecord old = { .kind = (char *) "check-hosts", .state = (char *) "finished",
                      .created = T (1), .progress = -1 };
  gint64 last = revision (fixture->store);
  gint64 instance_id, job_id, old_id;
  guint n_deleted = 0;

  instance_id = cd_store_add_instance (fixture->store, &instance, &error);
  g_assert_no_error (error);
  g_assert_cmpint (revision (fixture->store), ==, last);

  job_id = cd_store_add_job (fixture->store, "generate-csr", "mail.example", instance_id,
                             &error);
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_true (cd_store_set_job_state (fixture->store, job_id, "running", NULL, &error));
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_true (cd_store_set_job_progress (fixture->store, job_id, 0.5, "Writing", &error));
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_cmpint (cd_store_add_job_event (fixture->store, job_id, "info", "Key made", &error),
                   >, 0);
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_cmpint (cd_store_add_job_artifact (fixture->store, job_id, "mail.csr",
                                              "application/pkcs10", content, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_true (cd_store_delete_job_artifacts (fixture->store, job_id, &error));
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);

  /* reading changes nothing */
  jobs = cd_store_list_jobs (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (revision (fixture->store), ==, last);

  /* a job's instance deleted leaves the job without one */
  g_assert_true (cd_store_delete_instance (fixture->store, instance_id, &error));
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);

  old_id = cd_store_insert_job (fixture->store, &old, &error);
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_true (cd_store_delete_jobs_before (fixture->store, T (2), NULL, &n_deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_deleted, ==, 1);
  assert_changed (fixture->store, &last);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  jobs = cd_store_list_jobs (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpint (((CdJobRecord *) g_ptr_array_index (jobs, 0))->id, !=, old_id);

  /* what another process writes, through connections of its own */
  other = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (revision (other), ==, last);
  g_assert_cmpint (cd_store_add_job_event (other, job_id, "info", "From the other one", &error),
                   >, 0);
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_true (cd_store_set_job_state (other, job_id, "finished", "Done.", &error));
  g_assert_no_error (error);
  assert_changed (fixture->store, &last);
  g_assert_cmpint (revision (other), ==, last);
}

/* A store older than the revision, opened read-only, still tells added and deleted jobs,
 * events and artifacts from what it can count; one too old to have jobs says 0. */
static void
test_revision_old_schema (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "v5.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  gint64 last;
  sqlite3 *db;

  g_assert_true (cd_store_migrations_create_at_version (path, 5, &error));
  g_assert_no_error (error);
  store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, 5);
  g_assert_cmpint (revision (store), ==, 0);
  last = 0;

  db = open_raw (path);
  exec (db, "INSERT INTO jobs (id, kind, target, state, created) VALUES"
            " (1, 'check-hosts', 't.example', 'running', 1)");
  assert_changed (store, &last);
  exec (db, "INSERT INTO job_events (job_id, time, level, message) VALUES (1, 2, 'info', 'a')");
  assert_changed (store, &last);
  exec (db, "INSERT INTO job_artifacts (job_id, name, content, created) VALUES (1, 'a', 'x', 3)");
  assert_changed (store, &last);
  exec (db, "DELETE FROM job_artifacts");
  assert_changed (store, &last);
  exec (db, "INSERT INTO jobs (id, kind, target, state, created) VALUES"
            " (2, 'check-dns', 'example', 'queued', 4)");
  assert_changed (store, &last);
  exec (db, "DELETE FROM jobs WHERE id = 1");
  assert_changed (store, &last);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  g_clear_object (&store);

  g_assert_no_errno (g_unlink (path));
  g_assert_true (cd_store_migrations_create_at_version (path, 1, &error));
  g_assert_no_error (error);
  store = cd_store_open (path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (revision (store), ==, 0);
}

/* Retention */

typedef struct
{
  const char *kind;
  const char *target_type;
  gint64      target_id;
  const char *target;
  const char *state;
  gint64      created;
  gint64      finished;   /* 0: NULL */
  const char *artifact;   /* the media type of its artifact, if it has one */
  gboolean    deleted;    /* by retention at T (100) */
} RetainedJob;

static const RetainedJob retained_jobs[] = {
  { NULL },
  /* 1-6: ended before the cut, after it, or not ended at all */
  { "check-hosts", "host", 1, "t.a.example", "finished", T (10), T (11), NULL, TRUE },
  /* no finish time: created decides */
  { "check-hosts", "host", 1, "t.a.example", "failed", T (20), 0, NULL, TRUE },
  { "check-hosts", "host", 1, "t.a.example", "cancelled", T (99), T (101), NULL, FALSE },
  { "check-dns", "subdomain", 5, "a.example", "interrupted", T (30), 0, NULL, TRUE },
  { "check-hosts", "host", 1, "t.a.example", "queued", T (5), 0, NULL, FALSE },
  { "check-hosts", "host", 1, "t.a.example", "running", T (6), 0, NULL, FALSE },
  /* 7-10: the CSRs of one subdomain: the newest finished one with a CSR stays */
  { "generate-csr", "subdomain", 5, "mail.a.example", "finished", T (40), T (41),
    "application/pkcs10", TRUE },
  { "generate-csr", "subdomain", 5, "mail.a.example", "finished", T (50), T (52),
    "application/pkcs10", FALSE },
  { "generate-csr", "subdomain", 5, "mail.a.example", "failed", T (60), T (61),
    "application/pkcs10", TRUE },
  { "generate-csr", "subdomain", 5, "mail.a.example", "finished", T (70), T (71),
    "application/pkcs8", TRUE },
  /* 11-12: renewals keep theirs too */
  { "renew-certificate", "subdomain", 6, "news.a.example", "finished", T (45), T (46),
    "application/pkcs10", FALSE },
  { "renew-certificate", "subdomain", 6, "news.a.example", "finished", T (15), T (16),
    "application/pkcs10", TRUE },
  /* 13-14: a newer CSR after the cut: the old one is not the newest any more */
  { "generate-csr", "subdomain", 7, "shop.example", "finished", T (35), T (36),
    "application/pkcs10", TRUE },
  { "generate-csr", "subdomain", 7, "shop.example", "finished", T (150), T (151),
    "application/pkcs10", FALSE },
  /* 15: a target without an id, as jobs of older versions have */
  { "generate-csr", "", 0, "legacy.example", "finished", T (2), T (3), "application/pkcs10",
    FALSE },
  /* 16: the same name as another type of target is another target */
  { "generate-csr", "host", 5, "mail.a.example", "finished", T (25), T (26),
    "application/pkcs10", FALSE },
  /* 17: other artifacts go with their job */
  { "import-keystore", "keystore", 0, "/opt/k.jks", "finished", T (85), T (86),
    "application/x-java-keystore", TRUE },
};

/* Writes retained_jobs[] as jobs 1 to 17, each with two events. */
static void
fill_retained (const char *path)
{
  sqlite3 *db = open_raw (path);
  sqlite3_stmt *job = NULL;
  sqlite3_stmt *event = NULL;
  sqlite3_stmt *artifact = NULL;

  exec (db, "PRAGMA foreign_keys = ON; BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO jobs (id, kind, target_type, target_id,"
                                       " target, state, created, finished)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                       -1, &job, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO job_events (job_id, time, level, message)"
                                       " VALUES (?1, ?2, 'info', 'Step ' || ?1)",
                                       -1, &event, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO job_artifacts (job_id, name, media_type,"
                                       " content, created) VALUES (?1, 'out', ?2, 'x', ?3)",
                                       -1, &artifact, NULL), ==, SQLITE_OK);

  for (guint i = 1; i < G_N_ELEMENTS (retained_jobs); i++)
    {
      const RetainedJob *spec = &retained_jobs[i];

      sqlite3_bind_int64 (job, 1, i);
      sqlite3_bind_text (job, 2, spec->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (job, 3, spec->target_type, -1, SQLITE_STATIC);
      if (spec->target_id != 0)
        sqlite3_bind_int64 (job, 4, spec->target_id);
      sqlite3_bind_text (job, 5, spec->target, -1, SQLITE_STATIC);
      sqlite3_bind_text (job, 6, spec->state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (job, 7, spec->created);
      if (spec->finished != 0)
        sqlite3_bind_int64 (job, 8, spec->finished);
      g_assert_cmpint (sqlite3_step (job), ==, SQLITE_DONE);
      sqlite3_reset (job);
      sqlite3_clear_bindings (job);

      for (int e = 0; e < 2; e++)
        {
          sqlite3_bind_int64 (event, 1, i);
          sqlite3_bind_int64 (event, 2, spec->created + e);
          g_assert_cmpint (sqlite3_step (event), ==, SQLITE_DONE);
          sqlite3_reset (event);
        }

      if (spec->artifact != NULL)
        {
          sqlite3_bind_int64 (artifact, 1, i);
          sqlite3_bind_text (artifact, 2, spec->artifact, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (artifact, 3, spec->created);
          g_assert_cmpint (sqlite3_step (artifact), ==, SQLITE_DONE);
          sqlite3_reset (artifact);
        }
    }

  sqlite3_finalize (job);
  sqlite3_finalize (event);
  sqlite3_finalize (artifact);
  exec (db, "COMMIT");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static char *
job_ids (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = cd_store_list_jobs (store, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            ((CdJobRecord *) g_ptr_array_index (jobs, i))->id);
  return g_string_free (ids, FALSE);
}

/* Nothing of a deleted job is left: no event, no artifact, no row of the search index, which
 * holds what the tables hold and no more. */
static void
check_nothing_left (const char *path)
{
  sqlite3 *db = open_raw (path);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM job_events"
                                  " WHERE job_id NOT IN (SELECT id FROM jobs)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM job_artifacts"
                                  " WHERE job_id NOT IN (SELECT id FROM jobs)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM job_search"), ==,
                   query_int (db, "SELECT (SELECT count(*) FROM jobs)"
                                  " + (SELECT count(*) FROM job_events)"));
  exec (db, "INSERT INTO job_search (job_search) VALUES ('integrity-check')");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
test_retention (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *left = NULL;
  g_autofree char *left_again = NULL;
  guint n_expected = 0;
  guint n_deleted = 0;

  fill_retained (fixture->path);
  for (guint i = 1; i < G_N_ELEMENTS (retained_jobs); i++)
    {
      if (retained_jobs[i].deleted)
        n_expected++;
      else
        g_string_append_printf (expected, "%s%u", expected->len > 0 ? " " : "", i);
    }

  g_assert_true (cd_store_delete_jobs_before (fixture->store, T (100), NULL, &n_deleted,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_deleted, ==, n_expected);
  left = job_ids (fixture->store);
  g_assert_cmpstr (left, ==, expected->str);
  check_nothing_left (fixture->path);

  /* what is kept keeps its events and its CSR */
  for (guint i = 1; i < G_N_ELEMENTS (retained_jobs); i++)
    {
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(GPtrArray) artifacts = NULL;

      if (retained_jobs[i].deleted)
        continue;
      events = cd_store_list_job_events (fixture->store, i, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (events->len, ==, 2);
      artifacts = cd_store_list_job_artifacts (fixture->store, i, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (artifacts->len, ==, retained_jobs[i].artifact != NULL ? 1 : 0);
    }

  /* a second run has nothing left to do */
  g_assert_true (cd_store_delete_jobs_before (fixture->store, T (100), NULL, &n_deleted,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_deleted, ==, 0);
  left_again = job_ids (fixture->store);
  g_assert_cmpstr (left_again, ==, left);
}

/* Writes @n finished check jobs that ended before T (100) with an event each, and every tenth
 * job queued, which stays. */
static void
fill_many (const char *path,
           guint       n)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = open_raw (path);

  sql = g_strdup_printf ("BEGIN;"
                         "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                         "  WHERE i < %u)"
                         " INSERT INTO jobs (id, kind, target, state, created, finished)"
                         " SELECT i, 'check-hosts', 'h' || i || '.example',"
                         "  CASE WHEN i %% 10 = 0 THEN 'queued' ELSE 'finished' END,"
                         "  %" G_GINT64_FORMAT " + i, %" G_GINT64_FORMAT " + i FROM n;"
                         "INSERT INTO job_events (job_id, time, level, message)"
                         " SELECT id, created, 'info', 'Checked ' || target FROM jobs;"
                         "COMMIT",
                         n, T (1), T (2));
  exec (db, sql);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static guint
count_jobs (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  guint count = cd_store_count_jobs (store, NULL, &error);

  g_assert_no_error (error);
  return count;
}

/* More jobs than one batch takes: every one is deleted, batch after batch. */
static void
test_retention_batches (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_deleted = 0;

  fill_many (fixture->path, 1234);
  g_assert_true (cd_store_delete_jobs_before (fixture->store, T (100), NULL, &n_deleted,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_deleted, ==, 1234 - 123);
  g_assert_cmpuint (count_jobs (fixture->store), ==, 123);
  check_nothing_left (fixture->path);
}

static int
cancel_on_commit (gpointer data)
{
  g_cancellable_cancel (data);
  return 0; /* the commit goes ahead */
}

/* Cancelled while it runs, retention stops after the batch it is in, which it keeps: what it
 * deleted is said, and a later run deletes the rest. */
static void
test_retention_cancelled (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  guint n_deleted = 0;

  fill_many (fixture->path, 1234);

  /* before it starts: nothing */
  g_cancellable_cancel (cancelled);
  n_deleted = 99;
  g_assert_false (cd_store_delete_jobs_before (fixture->store, T (100), cancelled, &n_deleted,
                                               &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (n_deleted, ==, 0);
  g_assert_cmpuint (count_jobs (fixture->store), ==, 1234);

  /* as the first batch commits, on the writer's connection */
  sqlite3_commit_hook (_cd_store_get_db (fixture->store), cancel_on_commit, cancellable);
  g_assert_false (cd_store_delete_jobs_before (fixture->store, T (100), cancellable,
                                               &n_deleted, &error));
  sqlite3_commit_hook (_cd_store_get_db (fixture->store), NULL, NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (n_deleted, ==, 500);
  g_assert_cmpuint (count_jobs (fixture->store), ==, 1234 - 500);
  check_nothing_left (fixture->path);

  g_assert_true (cd_store_delete_jobs_before (fixture->store, T (100), NULL, &n_deleted,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_deleted, ==, 1234 - 123 - 500);
  g_assert_cmpuint (count_jobs (fixture->store), ==, 123);
}

static void
test_retention_read_only (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  guint n_deleted = 99;

  fill_many (fixture->path, 10);
  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_false (cd_store_delete_jobs_before (store, T (100), NULL, &n_deleted, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_assert_cmpuint (n_deleted, ==, 0);
  g_assert_cmpuint (count_jobs (store), ==, 10);
}

#define TEST(name, func) \
  g_test_add ("/core/store/job-changes/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TEST ("revision", test_revision);
  TEST ("revision-old-schema", test_revision_old_schema);
  TEST ("retention", test_retention);
  TEST ("retention-batches", test_retention_batches);
  TEST ("retention-cancelled", test_retention_cancelled);
  TEST ("retention-read-only", test_retention_read_only);

  return g_test_run ();
}
