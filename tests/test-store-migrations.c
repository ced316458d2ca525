// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-store-migrations"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-test-util.h"
#include "cd-error.h"
#include "cd-store.h"
#include "cd-store-migrations.h"

/* Every schema version a released Certdesk may have left behind is built here with the
 * migrations of that time, filled with rows, and opened with the current store. */

typedef struct
{
  char *tmpdir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("certdesk-migrations-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmpdir, "certdesk.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->path);
}

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

static gboolean
has_table (sqlite3    *db,
           const char *table)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT 1 FROM sqlite_schema"
                                       " WHERE type = 'table' AND name = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  return found;
}

static gboolean
has_column (sqlite3    *db,
            const char *table,
            const char *column)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT 1 FROM pragma_table_info (?1) WHERE name = ?2",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  return found;
}

static gboolean
has_index (sqlite3    *db,
           const char *index,
           const char *table)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT 1 FROM sqlite_schema"
                                       " WHERE type = 'index' AND name = ?1 AND tbl_name = ?2",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, index, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, table, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  return found;
}

/* The indexes the Job Logs page through (schema versions 5 and 6), and not the ones they
 * replace; the search index and the revision (version 6). */
static void
check_job_indexes (const char *path)
{
  sqlite3 *db = open_raw (path);

  g_assert_true (has_table (db, "job_search"));
  g_assert_true (has_table (db, "jobs_revision"));
  g_assert_true (has_index (db, "jobs_started_created", "jobs"));
  g_assert_true (has_index (db, "jobs_state_created", "jobs"));
  g_assert_true (has_index (db, "jobs_kind_created", "jobs"));
  g_assert_true (has_index (db, "jobs_instance_created", "jobs"));
  g_assert_true (has_index (db, "jobs_created", "jobs"));
  g_assert_false (has_index (db, "jobs_state", "jobs"));
  g_assert_false (has_index (db, "jobs_kind", "jobs"));
  g_assert_false (has_index (db, "jobs_instance_id", "jobs"));
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static char *
file_checksum (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* The times the rows below carry, in seconds since the epoch; before schema version 3 the
 * inventory, keys and certificates stored them as seconds, since then as microseconds. */
#define INSTANCE_CREATED   G_GINT64_CONSTANT (1700000000)
#define SUBDOMAIN_CREATED  G_GINT64_CONSTANT (1700000300)
#define HOST_CREATED       G_GINT64_CONSTANT (1700000500)
#define KEY_CREATED        G_GINT64_CONSTANT (1710000000)
#define CERT_NOT_BEFORE    G_GINT64_CONSTANT (1709990000)
#define CERT_NOT_AFTER     G_GINT64_CONSTANT (1727270000)
#define CERT_CREATED       G_GINT64_CONSTANT (1710000100)
/* job times were microseconds from the start */
#define JOB_CREATED        G_GINT64_CONSTANT (1710000200123456)
#define JOB_EVENT_TIME     G_GINT64_CONSTANT (1710000201654321)

/* Rows as a Certdesk of @version would have written them, with the SQL of that version. */
static void
fill (const char *path,
      int         version)
{
  /* the unit of time that version wrote */
  gint64 unit = version >= 3 ? G_USEC_PER_SEC : 1;
  g_autofree char *inventory = NULL;
  g_autofree char *certificates = NULL;
  sqlite3 *db;

  if (version < 1)
    return;

  db = open_raw (path);
  exec (db, "PRAGMA foreign_keys = ON");
  inventory = g_strdup_printf (
    "BEGIN;"
    "INSERT INTO instances (id, name, url, data_center, created) VALUES"
    " (1, 'Acme Retail', 'https://acme-retail.campaign.example.net', 'us2', %" G_GINT64_FORMAT "),"
    " (5, 'Nordlicht Reisen', '', 'em4', %" G_GINT64_FORMAT ");"
    "INSERT INTO subdomains (id, instance_id, name, created) VALUES"
    " (1, 1, 'mail.acme-retail.example', %" G_GINT64_FORMAT "),"
    " (2, 5, 'post.xn--bcher-haus-9db.example', %" G_GINT64_FORMAT ");"
    "INSERT INTO hosts (id, subdomain_id, purpose, prefix, created) VALUES"
    " (1, 1, 'tracking', 't', %" G_GINT64_FORMAT "),"
    " (2, 1, 'mirror', 'm', %" G_GINT64_FORMAT "),"
    " (3, 1, 'resources', 'res', %" G_GINT64_FORMAT "),"
    " (7, 2, 'custom', 'click', %" G_GINT64_FORMAT ");"
    "COMMIT",
    INSTANCE_CREATED * unit, (INSTANCE_CREATED + 100) * unit,
    (INSTANCE_CREATED + 200) * unit, SUBDOMAIN_CREATED * unit,
    (INSTANCE_CREATED + 400) * unit, (INSTANCE_CREATED + 400) * unit,
    (INSTANCE_CREATED + 400) * unit, HOST_CREATED * unit);
  exec (db, inventory);

  if (version >= 2)
    {
      certificates = g_strdup_printf (
        "BEGIN;"
        "INSERT INTO keys (id, path, type, bits, curve, created) VALUES"
        " (3, '/keys/3.p8', 'rsa', 2048, NULL, %" G_GINT64_FORMAT ");"
        "INSERT INTO certificates (id, der, sha256, subject, issuer, serial, not_before,"
        " not_after, dns_names, key_id, created) VALUES"
        " (4, x'3000', 'AA:BB', 'CN=t.mail.acme-retail.example', 'CN=Example CA', '0A',"
        " %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 't.mail.acme-retail.example', 3,"
        " %" G_GINT64_FORMAT ");"
        "UPDATE hosts SET certificate_id = 4 WHERE id = 1;"
        "INSERT INTO jobs (id, kind, target, instance_id, state, created, started, finished,"
        " message) VALUES (6, 'install', 'mail.acme-retail.example', 1, 'finished',"
        " %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'Installed.');"
        "INSERT INTO job_events (id, job_id, time, level, message) VALUES"
        " (8, 6, %" G_GINT64_FORMAT ", 'info', 'Uploaded');"
        "COMMIT",
        KEY_CREATED * unit, CERT_NOT_BEFORE * unit, CERT_NOT_AFTER * unit, CERT_CREATED * unit,
        JOB_CREATED, JOB_EVENT_TIME - 1000, JOB_EVENT_TIME + 1000, JOB_EVENT_TIME);
      exec (db, certificates);
    }

  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Whatever unit @version wrote, every time reads back as microseconds, and job times, which
 * always were, are left as they were. */
static void
check_times (CdStore *store,
             int      version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificateRecord) certificate = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GPtrArray) events = NULL;
  sqlite3 *db;

  if (version < 2)
    return;

  certificate = cd_store_get_certificate (store, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (certificate->not_before, ==, CERT_NOT_BEFORE * G_USEC_PER_SEC);
  g_assert_cmpint (certificate->not_after, ==, CERT_NOT_AFTER * G_USEC_PER_SEC);
  g_assert_cmpint (certificate->created, ==, CERT_CREATED * G_USEC_PER_SEC);
  g_assert_cmpint (certificate->key_id, ==, 3);

  job = cd_store_get_job (store, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->created, ==, JOB_CREATED);
  g_assert_cmpint (job->started, ==, JOB_EVENT_TIME - 1000);
  g_assert_cmpint (job->finished, ==, JOB_EVENT_TIME + 1000);
  events = cd_store_list_job_events (store, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (((CdJobEventRecord *) g_ptr_array_index (events, 0))->time, ==,
                   JOB_EVENT_TIME);

  /* keys have no reader in the store: look at the file, once it is migrated */
  if (cd_store_get_schema_version (store) < 3)
    return;
  db = open_raw (cd_store_get_path (store));
  g_assert_cmpint (query_int (db, "SELECT created FROM keys WHERE id = 3"), ==,
                   KEY_CREATED * G_USEC_PER_SEC);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
check_rows (CdStore *store,
            int      version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  CdInstanceRecord *instance;
  CdSubdomainRecord *subdomain;
  CdHostRecord *host;

  records = cd_store_load_inventory (store, &error);
  g_assert_no_error (error);

  if (version < 1)
    {
      g_assert_cmpuint (records->instances->len, ==, 0);
      g_assert_cmpuint (records->subdomains->len, ==, 0);
      g_assert_cmpuint (records->hosts->len, ==, 0);
      return;
    }

  g_assert_cmpuint (records->instances->len, ==, 2);
  instance = g_ptr_array_index (records->instances, 0);
  g_assert_cmpint (instance->id, ==, 1);
  g_assert_cmpstr (instance->name, ==, "Acme Retail");
  g_assert_cmpstr (instance->url, ==, "https://acme-retail.campaign.example.net");
  g_assert_cmpstr (instance->data_center, ==, "us2");
  g_assert_cmpint (instance->created, ==, INSTANCE_CREATED * G_USEC_PER_SEC);
  instance = g_ptr_array_index (records->instances, 1);
  g_assert_cmpint (instance->id, ==, 5);
  g_assert_cmpstr (instance->name, ==, "Nordlicht Reisen");
  g_assert_cmpstr (instance->url, ==, "");

  g_assert_cmpuint (records->subdomains->len, ==, 2);
  subdomain = g_ptr_array_index (records->subdomains, 1);
  g_assert_cmpint (subdomain->id, ==, 2);
  g_assert_cmpint (subdomain->instance_id, ==, 5);
  g_assert_cmpstr (subdomain->name, ==, "post.xn--bcher-haus-9db.example");
  g_assert_cmpint (subdomain->created, ==, SUBDOMAIN_CREATED * G_USEC_PER_SEC);

  g_assert_cmpuint (records->hosts->len, ==, 4);
  host = g_ptr_array_index (records->hosts, 3);
  g_assert_cmpint (host->id, ==, 7);
  g_assert_cmpint (host->subdomain_id, ==, 2);
  g_assert_cmpstr (host->purpose, ==, CD_HOST_PURPOSE_CUSTOM);
  g_assert_cmpstr (host->prefix, ==, "click");
  g_assert_cmpint (host->certificate_id, ==, 0);
  g_assert_cmpint (host->created, ==, HOST_CREATED * G_USEC_PER_SEC);

  /* the certificate of host 1 comes with the inventory, in the one unit of time */
  if (version >= 2)
    {
      CdCertificateRecord *certificate;

      g_assert_cmpint (((CdHostRecord *) g_ptr_array_index (records->hosts, 0))->certificate_id,
                       ==, 4);
      g_assert_cmpuint (records->certificates->len, ==, 1);
      certificate = g_ptr_array_index (records->certificates, 0);
      g_assert_cmpint (certificate->id, ==, 4);
      g_assert_cmpint (certificate->not_before, ==, CERT_NOT_BEFORE * G_USEC_PER_SEC);
      g_assert_cmpint (certificate->not_after, ==, CERT_NOT_AFTER * G_USEC_PER_SEC);
    }
  else
    g_assert_cmpuint (records->certificates->len, ==, 0);
}

/* What the newest schema adds works on the upgraded file. */
static void
check_usable (CdStore *store)
{
  static const guint8 der[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) der_bytes = g_bytes_new_static (der, sizeof der);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  CdInstanceRecord instance = { .name = (char *) "Sakura Foods", .data_center = (char *) "ap5" };
  CdSubdomainRecord subdomain = { .name = (char *) "mail.sakura-foods.example" };
  CdHostRecord host = { .purpose = (char *) CD_HOST_PURPOSE_TRACKING, .prefix = (char *) "t" };
  CdKeyRecord key = { .path = (char *) "/keys/1.p8", .type = (char *) "ec", .bits = 256,
                      .curve = (char *) "prime256v1" };
  CdCertificateRecord cert = { .der = der_bytes, .sha256 = (char *) "01:02",
                               .not_before = 1, .not_after = 2 };
  gint64 host_id, cert_id, job_id;

  subdomain.instance_id = cd_store_add_instance (store, &instance, &error);
  g_assert_no_error (error);
  host.subdomain_id = cd_store_add_subdomain (store, &subdomain, &error);
  g_assert_no_error (error);
  host_id = cd_store_add_host (store, &host, &error);
  g_assert_no_error (error);

  cert.key_id = cd_store_add_key (store, &key, &error);
  g_assert_no_error (error);
  cert_id = cd_store_add_certificate (store, &cert, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_host_certificate (store, host_id, cert_id, &error));
  g_assert_no_error (error);

  job_id = cd_store_add_job (store, "check-hosts", "mail.sakura-foods.example",
                             subdomain.instance_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_add_job_event (store, job_id, "info", "Started", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_job_state (store, job_id, CD_JOB_STATE_RUNNING, NULL, &error));
  g_assert_no_error (error);
  events = cd_store_list_job_events (store, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);

  /* the Job Logs' query, through the indexes of the newest schema */
  {
    const char *running[] = { CD_JOB_STATE_RUNNING, NULL };
    const char *check_hosts[] = { "check-hosts", NULL };
    CdJobQuery query = { .states = running, .kinds = check_hosts, .search = "sakura",
                         .limit = 10 };
    g_autoptr(GPtrArray) found = cd_store_list_jobs_filtered (store, &query, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpint (((CdJobRecord *) g_ptr_array_index (found, 0))->id, ==, job_id);
  }

  records = cd_store_load_inventory (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->hosts->len; i++)
    {
      CdHostRecord *record = g_ptr_array_index (records->hosts, i);

      if (record->id == host_id)
        g_assert_cmpint (record->certificate_id, ==, cert_id);
    }
}

static void
test_from_version (Fixture       *fixture,
                   gconstpointer  data)
{
  int version = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  sqlite3 *db;

  g_assert_true (cd_store_migrations_create_at_version (fixture->path, version, &error));
  g_assert_no_error (error);

  if (version > 0)
    {
      db = open_raw (fixture->path);
      g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, version);
      g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
    }
  else
    {
      GStatBuf st;

      g_assert_no_errno (g_stat (fixture->path, &st));
      g_assert_cmpint (st.st_size, ==, 0);
    }

  fill (fixture->path, version);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  check_rows (store, version);
  check_times (store, version);
  check_usable (store);
  g_clear_object (&store);

  /* the version is in the file, not just in the store */
  db = open_raw (fixture->path);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, CD_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  check_job_indexes (fixture->path);

  /* and the next open has nothing left to do: no time is converted twice */
  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  check_times (store, version);
}

static void
test_from_nothing (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;

  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  check_rows (store, 0);
  check_usable (store);
  check_job_indexes (fixture->path);
}

static char *
dump_schema (const char *path)
{
  GString *schema = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = open_raw (path);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type || ' ' || name || ': ' || coalesce (sql, '')"
                                       " FROM sqlite_schema ORDER BY type, name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (schema, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  return g_string_free (schema, FALSE);
}

/* Whatever version a file started from, it ends with the schema of a new one. */
static void
test_same_schema (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autofree char *fresh = NULL;

  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  fresh = dump_schema (fixture->path);
  g_assert_nonnull (strstr (fresh, "table job_artifacts"));

  for (int version = 0; version <= CD_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *name = g_strdup_printf ("v%d.db", version);
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
      g_autofree char *schema = NULL;

      g_assert_true (cd_store_migrations_create_at_version (path, version, &error));
      g_assert_no_error (error);
      store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_clear_object (&store);

      schema = dump_schema (path);
      g_assert_cmpstr (schema, ==, fresh);
    }
}

static void
test_failed_step (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db;

  g_assert_true (cd_store_migrations_create_at_version (fixture->path, 1, &error));
  g_assert_no_error (error);
  fill (fixture->path, 1);

  /* a table in the way of version 2, as a hand edit might leave */
  db = open_raw (fixture->path);
  exec (db, "CREATE TABLE jobs (note TEXT); INSERT INTO jobs VALUES ('mine')");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  before = file_checksum (fixture->path);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, CD_ERROR, CD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* rolled back: still version 1, nothing of version 2, the rows and the table intact */
  after = file_checksum (fixture->path);
  g_assert_cmpstr (before, ==, after);
  db = open_raw (fixture->path);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_false (has_table (db, "keys"));
  g_assert_false (has_table (db, "certificates"));
  g_assert_false (has_column (db, "hosts", "certificate_id"));
  g_assert_true (has_column (db, "jobs", "note"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM jobs"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM instances"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM hosts"), ==, 4);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  /* read-only it still opens, as version 1 */
  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, 1);
  check_rows (store, 1);
  g_clear_object (&store);

  /* once the table is out of the way, the upgrade goes through */
  db = open_raw (fixture->path);
  exec (db, "DROP TABLE jobs");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  check_rows (store, 1);
  check_usable (store);
}

/* The ids of the jobs a search finds, as "3 1". */
static char *
search_ids (CdStore    *store,
            const char *search)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  GString *ids = g_string_new (NULL);
  CdJobQuery query = { .search = search };

  jobs = cd_store_list_jobs_filtered (store, &query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            ((CdJobRecord *) g_ptr_array_index (jobs, i))->id);
  return g_string_free (ids, FALSE);
}

#define assert_search(store, search, expected) \
  G_STMT_START { \
    g_autofree char *found_ = search_ids ((store), (search)); \
    g_assert_cmpstr (found_, ==, (expected)); \
  } G_STMT_END

/* Rows of the trigram index that match @phrase, read straight from the file. */
static gint64
count_indexed (sqlite3    *db,
               const char *phrase)
{
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM job_search"
                                           " WHERE job_search MATCH ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, phrase, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

/* The jobs and events a Certdesk of schema version 5 recorded are in the search index of
 * version 6, which then follows every change. */
static void
test_job_search_from_5 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  gint64 revision;
  sqlite3 *db;

  g_assert_true (cd_store_migrations_create_at_version (fixture->path, 5, &error));
  g_assert_no_error (error);
  db = open_raw (fixture->path);
  exec (db,
        "INSERT INTO jobs (id, kind, target, target_type, state, created, started, finished,"
        " message, initiator) VALUES"
        " (3, 'generate-csr', 'Mail.Acme-Retail.example', 'subdomain', 'finished', 1, 2, 3,"
        "  'CSR written for 4 names', 'user'),"
        " (4, 'check-hosts', 't.news.example', 'host', 'failed', 4, 5, 6,"
        "  'The host did not answer', 'reminder'),"
        " (9, 'import-keystore', '/opt/trust.jks', 'keystore', 'interrupted', 7, NULL, 8,"
        "  NULL, 'command-line');"
        "INSERT INTO job_events (id, job_id, time, level, message) VALUES"
        " (20, 3, 2, 'info', 'Generated an RSA 2048 key'),"
        " (21, 4, 5, 'info', 'Resolved t.news.example'),"
        " (22, 4, 6, 'error', 'Timed out after 10 s'),"
        " (30, 9, 8, 'error', 'Certdesk stopped while this job was running.');");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, 6);

  /* one row per job and per event, each found in any case */
  db = open_raw (fixture->path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM job_search"), ==, 3 + 4);
  g_assert_cmpint (count_indexed (db, "\"acme-retail\""), ==, 1);
  g_assert_cmpint (count_indexed (db, "\"TIMED OUT\""), ==, 1);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  /* the target, the kind, the message and the events of the jobs of version 5 */
  assert_search (store, "ACME", "3");
  assert_search (store, "keystore", "9");
  assert_search (store, "did not answer", "4");
  assert_search (store, "rsa 2048", "3");
  assert_search (store, "timed out", "4");
  assert_search (store, "while this job", "9");
  assert_search (store, ".example", "4 3");

  /* and what happens to them after */
  revision = cd_store_get_jobs_revision (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_add_job_event (store, 9, "info", "Retried by hand", &error), >, 0);
  g_assert_no_error (error);
  assert_search (store, "by hand", "9");
  g_assert_cmpint (cd_store_get_jobs_revision (store, &error), >, revision);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_job_state (store, 4, CD_JOB_STATE_FAILED, "Refused by the host",
                                         &error));
  g_assert_no_error (error);
  assert_search (store, "did not answer", "");
  assert_search (store, "refused", "4");
  assert_search (store, "timed out", "4");
  g_clear_object (&store);

  db = open_raw (fixture->path);
  exec (db, "PRAGMA foreign_keys = ON; DELETE FROM jobs WHERE id = 4");
  g_assert_cmpint (count_indexed (db, "\"timed out\""), ==, 0);
  g_assert_cmpint (count_indexed (db, "\"refused\""), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM job_search"), ==, 2 + 3);
  /* the index holds what the tables hold, no more, no less */
  exec (db, "INSERT INTO job_search (job_search) VALUES ('integrity-check')");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* A database opened read-only is not migrated, yet reads in the one unit of time. */
static void
test_read_only_old_times (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  sqlite3 *db;

  g_assert_true (cd_store_migrations_create_at_version (fixture->path, 2, &error));
  g_assert_no_error (error);
  fill (fixture->path, 2);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, 2);
  check_rows (store, 2);
  check_times (store, 2);
  g_clear_object (&store);

  /* and the file still holds seconds */
  db = open_raw (fixture->path);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT not_after FROM certificates WHERE id = 4"), ==,
                   CERT_NOT_AFTER);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/store/migrations/from-nothing", Fixture, NULL,
              fixture_set_up, test_from_nothing, fixture_tear_down);
  for (int version = 0; version < CD_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *name = g_strdup_printf ("/core/store/migrations/from-%d", version);

      g_test_add (name, Fixture, GINT_TO_POINTER (version),
                  fixture_set_up, test_from_version, fixture_tear_down);
    }
  g_test_add ("/core/store/migrations/same-schema", Fixture, NULL,
              fixture_set_up, test_same_schema, fixture_tear_down);
  g_test_add ("/core/store/migrations/failed-step", Fixture, NULL,
              fixture_set_up, test_failed_step, fixture_tear_down);
  g_test_add ("/core/store/migrations/read-only-old-times", Fixture, NULL,
              fixture_set_up, test_read_only_old_times, fixture_tear_down);
  g_test_add ("/core/store/migrations/job-search-from-5", Fixture, NULL,
              fixture_set_up, test_job_search_from_5, fixture_tear_down);

  return g_test_run ();
}
