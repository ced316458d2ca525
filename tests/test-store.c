// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-test-util.h"
#include "cd-error.h"
#include "cd-store.h"
#include "cd-store-private.h"

/* Each test gets its own temporary directory; the database goes one level down so that
 * cd_store_open() has a directory to create. */
typedef struct
{
  char *tmpdir;
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("certdesk-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->tmpdir, "certdesk", NULL);
  fixture->path = g_build_filename (fixture->dir, "certdesk.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

#define TEST(name, func) \
  g_test_add ("/core/store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

/* Helpers */

static CdStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  CdStore *store;

  store = cd_store_open (path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (CD_IS_STORE (store));

  return store;
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

/* Runs @sql through a connection of its own, leaving the changes in the -wal as a process
 * that died before the checkpoint would. */
static void
exec_sql_keep_wal (const char *path,
                   const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
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

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static gint64
add_instance (CdStore    *store,
              const char *name,
              const char *data_center)
{
  g_autoptr(GError) error = NULL;
  CdInstanceRecord record = {
    .name = (char *) name,
    .url = (char *) "https://campaign.example.net",
    .data_center = (char *) data_center,
  };
  gint64 id;

  id = cd_store_add_instance (store, &record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static gint64
add_subdomain (CdStore    *store,
               gint64      instance_id,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  CdSubdomainRecord record = { .instance_id = instance_id, .name = (char *) name };
  gint64 id;

  id = cd_store_add_subdomain (store, &record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static gint64
add_host (CdStore    *store,
          gint64      subdomain_id,
          const char *purpose,
          const char *prefix)
{
  g_autoptr(GError) error = NULL;
  CdHostRecord record = {
    .subdomain_id = subdomain_id,
    .purpose = (char *) purpose,
    .prefix = (char *) prefix,
  };
  gint64 id;

  id = cd_store_add_host (store, &record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static CdInventoryRecords *
load (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  CdInventoryRecords *records;

  records = cd_store_load_inventory (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (records);

  return records;
}

static void
assert_inventory_equal (CdInventoryRecords *a,
                        CdInventoryRecords *b)
{
  g_assert_cmpuint (a->instances->len, ==, b->instances->len);
  g_assert_cmpuint (a->subdomains->len, ==, b->subdomains->len);
  g_assert_cmpuint (a->hosts->len, ==, b->hosts->len);

  for (guint i = 0; i < a->instances->len; i++)
    {
      CdInstanceRecord *x = g_ptr_array_index (a->instances, i);
      CdInstanceRecord *y = g_ptr_array_index (b->instances, i);

      g_assert_cmpint (x->id, ==, y->id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->url, ==, y->url);
      g_assert_cmpstr (x->data_center, ==, y->data_center);
      g_assert_cmpint (x->created, ==, y->created);
    }

  for (guint i = 0; i < a->subdomains->len; i++)
    {
      CdSubdomainRecord *x = g_ptr_array_index (a->subdomains, i);
      CdSubdomainRecord *y = g_ptr_array_index (b->subdomains, i);

      g_assert_cmpint (x->id, ==, y->id);
      g_assert_cmpint (x->instance_id, ==, y->instance_id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->created, ==, y->created);
    }

  for (guint i = 0; i < a->hosts->len; i++)
    {
      CdHostRecord *x = g_ptr_array_index (a->hosts, i);
      CdHostRecord *y = g_ptr_array_index (b->hosts, i);

      g_assert_cmpint (x->id, ==, y->id);
      g_assert_cmpint (x->subdomain_id, ==, y->subdomain_id);
      g_assert_cmpstr (x->purpose, ==, y->purpose);
      g_assert_cmpstr (x->prefix, ==, y->prefix);
      g_assert_cmpint (x->certificate_id, ==, y->certificate_id);
      g_assert_cmpint (x->created, ==, y->created);
    }
}

static gboolean
companion_exists (const char *path,
                  const char *suffix)
{
  g_autofree char *companion = g_strconcat (path, suffix, NULL);

  return g_file_test (companion, G_FILE_TEST_EXISTS);
}

/* Opening must fail with @code and leave the file byte for byte as it was. */
static void
assert_open_fails_untouched (const char       *path,
                             CdStoreOpenFlags  flags,
                             int               code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autofree char *before = file_checksum (path);
  g_autofree char *after = NULL;

  store = cd_store_open (path, flags, &error);
  g_assert_error (error, CD_ERROR, code);
  g_assert_null (store);
  /* a person must learn which file and what to do */
  g_assert_nonnull (strstr (error->message, path));

  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (companion_exists (path, "-journal"));
}

/* Tests */

static void
test_create_reopen (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) before = NULL;
  g_autoptr(CdInventoryRecords) after = NULL;
  gint64 instance_id, subdomain_id, host_id;
  CdInstanceRecord *instance;
  CdSubdomainRecord *subdomain;
  CdHostRecord *host;
  gint64 now = g_get_real_time ();

  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  store = open_store (fixture->path);
  g_assert_cmpstr (cd_store_get_path (store), ==, fixture->path);
  g_assert_false (cd_store_is_read_only (store));
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (cd_store_get_interrupted_jobs (store), ==, 0);

  instance_id = add_instance (store, "Acme Retail", "us2");
  subdomain_id = add_subdomain (store, instance_id, "mail.acme-retail.example");
  host_id = add_host (store, subdomain_id, CD_HOST_PURPOSE_TRACKING, "t");
  before = load (store);
  g_clear_object (&store);

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  store = open_store (fixture->path);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  after = load (store);
  assert_inventory_equal (before, after);

  g_assert_cmpuint (after->instances->len, ==, 1);
  instance = g_ptr_array_index (after->instances, 0);
  g_assert_cmpint (instance->id, ==, instance_id);
  g_assert_cmpstr (instance->name, ==, "Acme Retail");
  g_assert_cmpstr (instance->url, ==, "https://campaign.example.net");
  g_assert_cmpstr (instance->data_center, ==, "us2");
  /* the store stamps a record whose created is 0, in microseconds */
  g_assert_cmpint (instance->created, >=, now);
  g_assert_cmpint (instance->created, <=, now + 60 * G_USEC_PER_SEC);

  g_assert_cmpuint (after->subdomains->len, ==, 1);
  subdomain = g_ptr_array_index (after->subdomains, 0);
  g_assert_cmpint (subdomain->id, ==, subdomain_id);
  g_assert_cmpint (subdomain->instance_id, ==, instance_id);
  g_assert_cmpstr (subdomain->name, ==, "mail.acme-retail.example");
  g_assert_cmpint (subdomain->created, >=, now);
  g_assert_cmpint (subdomain->created, <=, now + 60 * G_USEC_PER_SEC);

  g_assert_cmpuint (after->hosts->len, ==, 1);
  host = g_ptr_array_index (after->hosts, 0);
  g_assert_cmpint (host->id, ==, host_id);
  g_assert_cmpint (host->subdomain_id, ==, subdomain_id);
  g_assert_cmpstr (host->purpose, ==, CD_HOST_PURPOSE_TRACKING);
  g_assert_cmpstr (host->prefix, ==, "t");
  g_assert_cmpint (host->certificate_id, ==, 0);
  g_assert_cmpint (host->created, >=, now);
  g_assert_cmpint (host->created, <=, now + 60 * G_USEC_PER_SEC);
}

static void
test_directory_mode (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autofree char *nested = g_build_filename (fixture->dir, "a", "b", "certdesk.db", NULL);
  g_autofree char *nested_dir = g_path_get_dirname (nested);
  GStatBuf st;

  store = open_store (nested);

  g_assert_no_errno (g_stat (fixture->dir, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_no_errno (g_stat (nested_dir, &st));
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *other_mode = NULL;
  sqlite3 *db;
  sqlite3 *other = NULL;
  CdSubdomainRecord orphan = { .instance_id = 4242, .name = (char *) "orphan.example" };

  store = open_store (fixture->path);
  db = _cd_store_get_db (store);
  g_assert_nonnull (db);

  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  /* NORMAL */
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, CD_STORE_SCHEMA_VERSION);

  /* WAL is a property of the file: another connection sees it too */
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &other, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  other_mode = query_text (other, "PRAGMA journal_mode");
  g_assert_cmpstr (other_mode, ==, "wal");
  sqlite3_close (other);

  /* and the foreign keys do hold */
  g_assert_cmpint (cd_store_add_subdomain (store, &orphan, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
}

static void
test_instance_crud (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  CdInstanceRecord record = {
    .name = (char *) "Acme Retail",
    .data_center = (char *) "us2",
  };
  CdInstanceRecord *stored;
  gint64 id, other_id;

  store = open_store (fixture->path);
  id = add_instance (store, "Acme Retail", "us2");
  other_id = add_instance (store, "Sakura Foods", "ap5");
  g_assert_cmpint (other_id, !=, id);

  /* the same name in another case is the same instance */
  record.name = (char *) "ACME retail";
  g_assert_cmpint (cd_store_add_instance (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "ACME retail"));
  g_clear_error (&error);

  /* renaming onto a taken name fails too */
  record.id = other_id;
  record.name = (char *) "acme retail";
  record.data_center = (char *) "ap5";
  g_assert_false (cd_store_update_instance (store, &record, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* an update may keep its own name in another case */
  record.id = id;
  record.name = (char *) "ACME Retail";
  record.url = (char *) "https://acme.campaign.example.net";
  record.data_center = (char *) "us6";
  g_assert_true (cd_store_update_instance (store, &record, &error));
  g_assert_no_error (error);

  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 2);
  stored = g_ptr_array_index (records->instances, 0);
  g_assert_cmpint (stored->id, ==, id);
  g_assert_cmpstr (stored->name, ==, "ACME Retail");
  g_assert_cmpstr (stored->url, ==, "https://acme.campaign.example.net");
  g_assert_cmpstr (stored->data_center, ==, "us6");
  g_assert_cmpint (stored->created, >, 0);

  /* a missing id */
  record.id = 9999;
  record.name = (char *) "Nobody";
  g_assert_false (cd_store_update_instance (store, &record, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cd_store_delete_instance (store, 9999, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a name and a data center are required */
  record.id = 0;
  record.name = (char *) "";
  g_assert_cmpint (cd_store_add_instance (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  record.name = (char *) "Nordlicht Reisen";
  record.data_center = NULL;
  g_assert_cmpint (cd_store_add_instance (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* a given id and created are kept, a NULL url becomes empty */
  record.id = 77;
  record.data_center = (char *) "em4";
  record.url = NULL;
  record.created = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  g_assert_cmpint (cd_store_add_instance (store, &record, &error), ==, 77);
  g_assert_no_error (error);

  g_assert_true (cd_store_delete_instance (store, other_id, &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_delete_instance (store, other_id, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&records, cd_inventory_records_free);
  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 2);
  stored = g_ptr_array_index (records->instances, 1);
  g_assert_cmpint (stored->id, ==, 77);
  g_assert_cmpstr (stored->name, ==, "Nordlicht Reisen");
  g_assert_cmpstr (stored->url, ==, "");
  g_assert_cmpint (stored->created, ==, G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
}

static void
test_subdomain_crud (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  CdSubdomainRecord record = { 0, };
  CdSubdomainRecord *stored;
  gint64 acme, sakura, mail, news;

  store = open_store (fixture->path);
  acme = add_instance (store, "Acme Retail", "us2");
  sakura = add_instance (store, "Sakura Foods", "ap5");
  mail = add_subdomain (store, acme, "mail.acme-retail.example");
  news = add_subdomain (store, acme, "news.acme-retail.example");

  /* subdomain names are unique across the store, whatever the instance */
  record.instance_id = sakura;
  record.name = (char *) "mail.acme-retail.example";
  g_assert_cmpint (cd_store_add_subdomain (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "mail.acme-retail.example"));
  g_clear_error (&error);
  record.name = (char *) "MAIL.acme-retail.example";
  g_assert_cmpint (cd_store_add_subdomain (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* update: move to another instance and rename */
  record.id = news;
  record.instance_id = sakura;
  record.name = (char *) "news.sakura-foods.example";
  g_assert_true (cd_store_update_subdomain (store, &record, &error));
  g_assert_no_error (error);

  record.name = (char *) "mail.acme-retail.example";
  g_assert_false (cd_store_update_subdomain (store, &record, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  record.id = 4242;
  record.name = (char *) "gone.example";
  g_assert_false (cd_store_update_subdomain (store, &record, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cd_store_delete_subdomain (store, 4242, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* an instance that is not there */
  record.id = 0;
  record.instance_id = 4242;
  record.name = (char *) "orphan.example";
  g_assert_cmpint (cd_store_add_subdomain (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  records = load (store);
  g_assert_cmpuint (records->subdomains->len, ==, 2);
  stored = g_ptr_array_index (records->subdomains, 1);
  g_assert_cmpint (stored->id, ==, news);
  g_assert_cmpint (stored->instance_id, ==, sakura);
  g_assert_cmpstr (stored->name, ==, "news.sakura-foods.example");

  g_assert_true (cd_store_delete_subdomain (store, mail, &error));
  g_assert_no_error (error);
  g_clear_pointer (&records, cd_inventory_records_free);
  records = load (store);
  g_assert_cmpuint (records->subdomains->len, ==, 1);
  g_assert_cmpuint (records->instances->len, ==, 2);
}

static void
test_subdomain_with_hosts (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GError) error = NULL;
  CdSubdomainRecord subdomain = { .name = (char *) "mail.acme-retail.example" };
  static const char *const prefixes[][2] = {
    { "t", CD_HOST_PURPOSE_TRACKING },
    { "m", CD_HOST_PURPOSE_MIRROR },
    { "res", CD_HOST_PURPOSE_RESOURCES },
  };
  gint64 id;

  store = open_store (fixture->path);
  subdomain.instance_id = add_instance (store, "Acme Retail", "us2");

  hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_host_record_free);
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      CdHostRecord *host = g_new0 (CdHostRecord, 1);

      host->prefix = g_strdup (prefixes[i][0]);
      host->purpose = g_strdup (prefixes[i][1]);
      g_ptr_array_add (hosts, host);
    }
  /* the same prefix twice: the whole subdomain is refused */
  g_ptr_array_add (hosts, cd_host_record_copy (g_ptr_array_index (hosts, 0)));

  g_assert_cmpint (cd_store_add_subdomain_with_hosts (store, &subdomain, hosts, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);
  records = load (store);
  g_assert_cmpuint (records->subdomains->len, ==, 0);
  g_assert_cmpuint (records->hosts->len, ==, 0);
  for (guint i = 0; i < hosts->len; i++)
    g_assert_cmpint (((CdHostRecord *) g_ptr_array_index (hosts, i))->id, ==, 0);
  g_clear_pointer (&records, cd_inventory_records_free);

  g_ptr_array_remove_index (hosts, 3);
  id = cd_store_add_subdomain_with_hosts (store, &subdomain, hosts, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  records = load (store);
  g_assert_cmpuint (records->subdomains->len, ==, 1);
  g_assert_cmpuint (records->hosts->len, ==, 3);
  for (guint i = 0; i < hosts->len; i++)
    {
      CdHostRecord *given = g_ptr_array_index (hosts, i);
      CdHostRecord *stored = g_ptr_array_index (records->hosts, i);

      g_assert_cmpint (given->id, ==, stored->id);
      g_assert_cmpint (given->subdomain_id, ==, id);
      g_assert_cmpint (stored->subdomain_id, ==, id);
      g_assert_cmpstr (stored->prefix, ==, prefixes[i][0]);
    }

  /* a taken name */
  g_assert_cmpint (cd_store_add_subdomain_with_hosts (store, &subdomain, NULL, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
}

static void
test_host_crud (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  CdHostRecord record = { 0, };
  CdHostRecord *stored;
  gint64 instance, mail, news, t, click;

  store = open_store (fixture->path);
  instance = add_instance (store, "Acme Retail", "us2");
  mail = add_subdomain (store, instance, "mail.acme-retail.example");
  news = add_subdomain (store, instance, "news.acme-retail.example");
  t = add_host (store, mail, CD_HOST_PURPOSE_TRACKING, "t");
  add_host (store, mail, CD_HOST_PURPOSE_MIRROR, "m");
  click = add_host (store, mail, CD_HOST_PURPOSE_CUSTOM, "click");
  /* the same prefix in another subdomain is another host */
  add_host (store, news, CD_HOST_PURPOSE_TRACKING, "t");

  record.subdomain_id = mail;
  record.purpose = (char *) CD_HOST_PURPOSE_CUSTOM;
  record.prefix = (char *) "t";
  g_assert_cmpint (cd_store_add_host (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "“t”"));
  g_clear_error (&error);

  record.prefix = (char *) "img";
  record.purpose = (char *) "images";
  g_assert_cmpint (cd_store_add_host (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  record.purpose = (char *) CD_HOST_PURPOSE_CUSTOM;
  record.subdomain_id = 4242;
  g_assert_cmpint (cd_store_add_host (store, &record, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* update */
  record.id = click;
  record.subdomain_id = mail;
  record.purpose = (char *) CD_HOST_PURPOSE_CUSTOM;
  record.prefix = (char *) "links";
  g_assert_true (cd_store_update_host (store, &record, &error));
  g_assert_no_error (error);

  record.prefix = (char *) "m";
  g_assert_false (cd_store_update_host (store, &record, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  record.id = 4242;
  record.prefix = (char *) "nowhere";
  g_assert_false (cd_store_update_host (store, &record, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cd_store_delete_host (store, t, &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_delete_host (store, t, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  records = load (store);
  g_assert_cmpuint (records->hosts->len, ==, 3);
  stored = g_ptr_array_index (records->hosts, 1);
  g_assert_cmpint (stored->id, ==, click);
  g_assert_cmpstr (stored->prefix, ==, "links");
  g_assert_cmpstr (stored->purpose, ==, CD_HOST_PURPOSE_CUSTOM);
}

static void
test_delete_cascade (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  gint64 acme, sakura, sub, kept_sub, kept_host;

  store = open_store (fixture->path);
  acme = add_instance (store, "Acme Retail", "us2");
  sakura = add_instance (store, "Sakura Foods", "ap5");
  sub = add_subdomain (store, acme, "mail.acme-retail.example");
  add_host (store, sub, CD_HOST_PURPOSE_TRACKING, "t");
  add_host (store, sub, CD_HOST_PURPOSE_MIRROR, "m");
  sub = add_subdomain (store, acme, "news.acme-retail.example");
  add_host (store, sub, CD_HOST_PURPOSE_RESOURCES, "res");
  kept_sub = add_subdomain (store, sakura, "mail.sakura-foods.example");
  kept_host = add_host (store, kept_sub, CD_HOST_PURPOSE_TRACKING, "t");

  g_assert_true (cd_store_delete_instance (store, acme, &error));
  g_assert_no_error (error);

  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 1);
  g_assert_cmpuint (records->subdomains->len, ==, 1);
  g_assert_cmpuint (records->hosts->len, ==, 1);
  g_assert_cmpint (((CdSubdomainRecord *) g_ptr_array_index (records->subdomains, 0))->id, ==,
                   kept_sub);
  g_assert_cmpint (((CdHostRecord *) g_ptr_array_index (records->hosts, 0))->id, ==,
                   kept_host);

  /* deleting a subdomain takes its hosts */
  g_assert_true (cd_store_delete_subdomain (store, kept_sub, &error));
  g_assert_no_error (error);
  g_clear_pointer (&records, cd_inventory_records_free);
  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 1);
  g_assert_cmpuint (records->subdomains->len, ==, 0);
  g_assert_cmpuint (records->hosts->len, ==, 0);
}

static gpointer
copy_subdomain (gconstpointer src,
                gpointer      data)
{
  return cd_subdomain_record_copy (src);
}

static GPtrArray *
copy_subdomains (GPtrArray *subdomains)
{
  return g_ptr_array_copy (subdomains, copy_subdomain, NULL);
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) before = NULL;
  g_autoptr(CdInventoryRecords) after = NULL;
  g_autoptr(CdInstanceRecord) instance = NULL;
  g_autoptr(GPtrArray) subdomains = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GPtrArray) conflicting = NULL;
  g_autoptr(GError) error = NULL;
  gint64 acme, sub, host;

  store = open_store (fixture->path);
  add_instance (store, "Sakura Foods", "ap5");
  /* the newest rows, whose ids SQLite would hand out again without AUTOINCREMENT */
  acme = add_instance (store, "Acme Retail", "us2");
  sub = add_subdomain (store, acme, "mail.acme-retail.example");
  add_host (store, sub, CD_HOST_PURPOSE_TRACKING, "t");
  add_host (store, sub, CD_HOST_PURPOSE_CUSTOM, "click");
  sub = add_subdomain (store, acme, "news.acme-retail.example");
  host = add_host (store, sub, CD_HOST_PURPOSE_MIRROR, "m");
  before = load (store);

  /* what an undo of "delete instance" keeps */
  instance = cd_instance_record_copy (g_ptr_array_index (before->instances, 1));
  g_assert_cmpint (instance->id, ==, acme);
  subdomains = copy_subdomains (before->subdomains);
  hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_host_record_free);
  for (guint i = 0; i < before->hosts->len; i++)
    g_ptr_array_add (hosts, cd_host_record_copy (g_ptr_array_index (before->hosts, i)));

  g_assert_true (cd_store_delete_instance (store, acme, &error));
  g_assert_no_error (error);
  /* rows added meanwhile must not take the old ids */
  g_assert_cmpint (add_instance (store, "Nordlicht Reisen", "em4"), >, acme);
  add_subdomain (store, 1, "news.nordlicht-reisen.example");

  g_assert_true (cd_store_restore (store, instance, subdomains, hosts, &error));
  g_assert_no_error (error);

  after = load (store);
  g_assert_cmpuint (after->instances->len, ==, 3);
  g_ptr_array_remove_index (after->instances, 2);
  g_ptr_array_remove_index (after->subdomains, 2);
  assert_inventory_equal (before, after);

  /* only a host, without an instance */
  g_assert_true (cd_store_delete_host (store, host, &error));
  g_assert_no_error (error);
  g_ptr_array_remove_range (hosts, 0, 2);
  g_assert_true (cd_store_restore (store, NULL, NULL, hosts, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, cd_inventory_records_free);
  after = load (store);
  g_ptr_array_remove_index (after->instances, 2);
  g_ptr_array_remove_index (after->subdomains, 2);
  assert_inventory_equal (before, after);

  /* a restore that cannot complete leaves nothing behind */
  g_assert_true (cd_store_delete_instance (store, acme, &error));
  g_assert_no_error (error);
  conflicting = copy_subdomains (subdomains);
  g_ptr_array_add (conflicting, cd_subdomain_record_copy (g_ptr_array_index (subdomains, 0)));
  ((CdSubdomainRecord *) g_ptr_array_index (conflicting, 2))->id = 0;
  g_assert_false (cd_store_restore (store, instance, conflicting, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_pointer (&after, cd_inventory_records_free);
  after = load (store);
  g_assert_cmpuint (after->instances->len, ==, 2);
  g_assert_cmpuint (after->subdomains->len, ==, 1);
  g_assert_cmpuint (after->hosts->len, ==, 0);
}

/* A job whose process has ended: this process's pid, started at another time. */
static gint64
add_orphaned_job (CdStore    *store,
                  const char *kind,
                  const char *target)
{
  g_autoptr(CdProcessIdentity) owner = cd_process_identity_self ();
  g_autoptr(GError) error = NULL;
  CdJobRecord record = { .kind = (char *) kind, .target = (char *) target, .progress = -1,
                         .owner = owner };
  gint64 id;

  owner->start_time++;
  id = cd_store_insert_job (store, &record, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_interrupted_jobs (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) done_before = NULL;
  g_autoptr(CdJobRecord) failed_before = NULL;
  gint64 queued, running, done, failed;
  gint64 started_at = g_get_real_time ();

  store = open_store (fixture->path);
  queued = add_orphaned_job (store, "generate-csr", "mail.acme-retail.example");
  running = add_orphaned_job (store, "install", "news.acme-retail.example");
  done = cd_store_add_job (store, "download-bundle", "em3", 0, &error);
  g_assert_no_error (error);
  failed = cd_store_add_job (store, "check-hosts", "mail.acme-retail.example", 0, &error);
  g_assert_no_error (error);

  g_assert_true (cd_store_set_job_state (store, running, CD_JOB_STATE_RUNNING, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_set_job_state (store, done, CD_JOB_STATE_RUNNING, NULL, &error));
  g_assert_true (cd_store_set_job_state (store, done, CD_JOB_STATE_FINISHED, "Saved.", &error));
  g_assert_true (cd_store_set_job_state (store, failed, CD_JOB_STATE_FAILED, "No DNS.", &error));
  g_assert_no_error (error);
  done_before = cd_store_get_job (store, done, &error);
  failed_before = cd_store_get_job (store, failed, &error);
  g_assert_no_error (error);

  /* as if the process died here */
  g_clear_object (&store);
  store = open_store (fixture->path);
  g_assert_cmpuint (cd_store_get_interrupted_jobs (store), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      gint64 id = i == 0 ? queued : running;
      g_autoptr(CdJobRecord) job = cd_store_get_job (store, id, &error);
      g_autoptr(GPtrArray) events = NULL;
      CdJobEventRecord *event;

      g_assert_no_error (error);
      g_assert_cmpstr (job->state, ==, CD_JOB_STATE_INTERRUPTED);
      g_assert_cmpint (job->finished, >=, started_at);
      g_assert_nonnull (job->message);

      events = cd_store_list_job_events (store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (events->len, ==, 1);
      event = g_ptr_array_index (events, 0);
      g_assert_cmpint (event->job_id, ==, id);
      g_assert_cmpstr (event->level, ==, "error");
      g_assert_cmpstr (event->message, ==, "Certdesk stopped while this job was running.");
      g_assert_cmpint (event->time, ==, job->finished);
    }

  /* finished jobs are left alone */
  for (guint i = 0; i < 2; i++)
    {
      CdJobRecord *expected = i == 0 ? done_before : failed_before;
      g_autoptr(CdJobRecord) job = cd_store_get_job (store, expected->id, &error);
      g_autoptr(GPtrArray) events = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (job->state, ==, expected->state);
      g_assert_cmpint (job->started, ==, expected->started);
      g_assert_cmpint (job->finished, ==, expected->finished);
      g_assert_cmpstr (job->message, ==, expected->message);
      events = cd_store_list_job_events (store, expected->id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (events->len, ==, 0);
    }

  /* and nothing is left to recover the next time */
  g_clear_object (&store);
  store = open_store (fixture->path);
  g_assert_cmpuint (cd_store_get_interrupted_jobs (store), ==, 0);
}

static void
test_job_state (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  gint64 instance, id, other, started;
  gint64 t0 = g_get_real_time ();

  store = open_store (fixture->path);
  instance = add_instance (store, "Acme Retail", "us2");
  id = cd_store_add_job (store, "generate-csr", "mail.acme-retail.example", instance, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  job = cd_store_get_job (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->id, ==, id);
  g_assert_cmpstr (job->kind, ==, "generate-csr");
  g_assert_cmpstr (job->target, ==, "mail.acme-retail.example");
  g_assert_cmpint (job->instance_id, ==, instance);
  g_assert_cmpstr (job->state, ==, CD_JOB_STATE_QUEUED);
  g_assert_cmpint (job->created, >=, t0);
  g_assert_cmpint (job->started, ==, 0);
  g_assert_cmpint (job->finished, ==, 0);
  g_assert_null (job->message);
  g_clear_pointer (&job, cd_job_record_free);

  g_assert_true (cd_store_set_job_state (store, id, CD_JOB_STATE_RUNNING, NULL, &error));
  g_assert_no_error (error);
  job = cd_store_get_job (store, id, &error);
  g_assert_cmpstr (job->state, ==, CD_JOB_STATE_RUNNING);
  g_assert_cmpint (job->started, >=, job->created);
  g_assert_cmpint (job->finished, ==, 0);
  started = job->started;
  g_clear_pointer (&job, cd_job_record_free);

  /* staying in running does not move the stamp */
  g_usleep (2000);
  g_assert_true (cd_store_set_job_state (store, id, CD_JOB_STATE_RUNNING, "Half way", &error));
  job = cd_store_get_job (store, id, &error);
  g_assert_cmpint (job->started, ==, started);
  g_assert_cmpstr (job->message, ==, "Half way");
  g_clear_pointer (&job, cd_job_record_free);

  g_assert_true (cd_store_set_job_state (store, id, CD_JOB_STATE_FINISHED,
                                         "The CSR was saved.", &error));
  g_assert_no_error (error);
  job = cd_store_get_job (store, id, &error);
  g_assert_cmpstr (job->state, ==, CD_JOB_STATE_FINISHED);
  g_assert_cmpint (job->started, ==, started);
  g_assert_cmpint (job->finished, >, started);
  g_assert_cmpstr (job->message, ==, "The CSR was saved.");
  g_clear_pointer (&job, cd_job_record_free);

  /* cancelled before it ever ran: finished, never started */
  other = cd_store_add_job (store, "install", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_job_state (store, other, CD_JOB_STATE_CANCELLED, NULL, &error));
  job = cd_store_get_job (store, other, &error);
  g_assert_cmpstr (job->target, ==, "");
  g_assert_cmpint (job->instance_id, ==, 0);
  g_assert_cmpint (job->started, ==, 0);
  g_assert_cmpint (job->finished, >, 0);
  g_clear_pointer (&job, cd_job_record_free);

  g_assert_false (cd_store_set_job_state (store, 4242, CD_JOB_STATE_RUNNING, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cd_store_set_job_state (store, id, "sleeping", NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_null (cd_store_get_job (store, 4242, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cd_store_add_job (store, "install", "x", 4242, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  jobs = cd_store_list_jobs (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 2);
  g_assert_cmpint (((CdJobRecord *) g_ptr_array_index (jobs, 0))->id, ==, id);
  g_assert_cmpint (((CdJobRecord *) g_ptr_array_index (jobs, 1))->id, ==, other);

  /* the history outlives the instance */
  g_assert_true (cd_store_delete_instance (store, instance, &error));
  job = cd_store_get_job (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->instance_id, ==, 0);
}

static void
test_job_events_artifacts (Fixture       *fixture,
                           gconstpointer  data)
{
  static const guint8 csr[] = { '-', '-', '-', '-', '-', 0x00, 0xff, 0x80, '\n', 0x00 };
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static (csr, sizeof csr);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  CdJobArtifactRecord *artifact;
  CdJobEventRecord *event;
  gint64 job, other, id;

  store = open_store (fixture->path);
  job = cd_store_add_job (store, "generate-csr", "mail.acme-retail.example", 0, &error);
  other = cd_store_add_job (store, "import-keystore", "em3", 0, &error);
  g_assert_no_error (error);

  id = cd_store_add_job_event (store, job, "info", "Generating an RSA 2048 key", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  cd_store_add_job_event (store, job, "warning", "OU is deprecated", &error);
  cd_store_add_job_event (store, other, "info", "Another job", &error);
  cd_store_add_job_event (store, job, "error", "Übertragung fehlgeschlagen", &error);
  g_assert_no_error (error);

  g_assert_cmpint (cd_store_add_job_event (store, job, "debug", "x", &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_cmpint (cd_store_add_job_event (store, 4242, "info", "x", &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  events = cd_store_list_job_events (store, job, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->id, ==, id);
  g_assert_cmpint (event->job_id, ==, job);
  g_assert_cmpstr (event->level, ==, "info");
  g_assert_cmpstr (event->message, ==, "Generating an RSA 2048 key");
  g_assert_cmpint (event->time, >, 0);
  event = g_ptr_array_index (events, 2);
  g_assert_cmpstr (event->level, ==, "error");
  g_assert_cmpstr (event->message, ==, "Übertragung fehlgeschlagen");

  id = cd_store_add_job_artifact (store, job, "mail.acme-retail.example.csr",
                                  "application/pkcs10", content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  cd_store_add_job_artifact (store, job, "keystore.p12", NULL, NULL,
                             "/home/someone/keystore.p12", &error);
  g_assert_no_error (error);
  cd_store_add_job_artifact (store, job, "empty.txt", "text/plain", empty, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_add_job_artifact (store, 4242, "x", NULL, content, NULL, &error),
                   ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  artifacts = cd_store_list_job_artifacts (store, job, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, 3);
  artifact = g_ptr_array_index (artifacts, 0);
  g_assert_cmpint (artifact->id, ==, id);
  g_assert_cmpint (artifact->job_id, ==, job);
  g_assert_cmpstr (artifact->name, ==, "mail.acme-retail.example.csr");
  g_assert_cmpstr (artifact->media_type, ==, "application/pkcs10");
  g_assert_nonnull (artifact->content);
  g_assert_true (g_bytes_equal (artifact->content, content));
  g_assert_null (artifact->path);
  g_assert_cmpint (artifact->created, >, 0);
  artifact = g_ptr_array_index (artifacts, 1);
  g_assert_null (artifact->content);
  g_assert_cmpstr (artifact->path, ==, "/home/someone/keystore.p12");
  g_assert_cmpstr (artifact->media_type, ==, "application/octet-stream");
  artifact = g_ptr_array_index (artifacts, 2);
  g_assert_nonnull (artifact->content);
  g_assert_cmpuint (g_bytes_get_size (artifact->content), ==, 0);
  g_clear_pointer (&artifacts, g_ptr_array_unref);

  artifacts = cd_store_list_job_artifacts (store, other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, 0);
  g_clear_pointer (&artifacts, g_ptr_array_unref);

  /* a job's log and artifacts go with it */
  g_assert_cmpint (sqlite3_exec (_cd_store_get_db (store), "DELETE FROM jobs WHERE id = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = cd_store_list_job_events (store, job, &error);
  g_assert_cmpuint (events->len, ==, 0);
  artifacts = cd_store_list_job_artifacts (store, job, &error);
  g_assert_cmpuint (artifacts->len, ==, 0);
  g_assert_no_error (error);
}

static void
test_certificates (Fixture       *fixture,
                   gconstpointer  data)
{
  static const guint8 der[] = { 0x30, 0x82, 0x01, 0x0a, 0x00, 0x02, 0x82, 0x01, 0x01 };
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) der_bytes = g_bytes_new_static (der, sizeof der);
  g_autoptr(CdCertificateRecord) stored = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autofree char *key_path = g_build_filename (fixture->dir, "keys", "1.p8", NULL);
  CdKeyRecord key = {
    .path = key_path,
    .type = (char *) "rsa",
    .bits = 2048,
  };
  CdKeyRecord ec_key = {
    .path = (char *) "/keys/2.p8",
    .type = (char *) "ec",
    .bits = 256,
    .curve = (char *) "prime256v1",
  };
  CdCertificateRecord cert = {
    .der = der_bytes,
    .sha256 = (char *) "AB:CD:EF:01",
    .subject = (char *) "CN=t.mail.acme-retail.example,O=Acme Retail",
    .issuer = (char *) "CN=Example Issuing CA,O=Example Trust",
    .serial = (char *) "0A1B2C",
    .not_before = G_GINT64_CONSTANT (1760000000) * G_USEC_PER_SEC,
    .not_after = G_GINT64_CONSTANT (1777000000) * G_USEC_PER_SEC,
    .dns_names = (char *) "t.mail.acme-retail.example\nm.mail.acme-retail.example",
  };
  sqlite3 *other = NULL;
  gint64 key_id, cert_id, instance, sub, host;

  store = open_store (fixture->path);
  instance = add_instance (store, "Acme Retail", "us2");
  sub = add_subdomain (store, instance, "mail.acme-retail.example");
  host = add_host (store, sub, CD_HOST_PURPOSE_TRACKING, "t");

  key_id = cd_store_add_key (store, &key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (key_id, >, 0);
  g_assert_cmpint (cd_store_add_key (store, &ec_key, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_add_key (store, &key, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);
  ec_key.type = (char *) "dsa";
  ec_key.path = (char *) "/keys/3.p8";
  g_assert_cmpint (cd_store_add_key (store, &ec_key, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  cert.key_id = key_id;
  cert_id = cd_store_add_certificate (store, &cert, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cert_id, >, 0);

  g_assert_cmpint (cd_store_add_certificate (store, &cert, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  cert.sha256 = (char *) "00:11";
  cert.key_id = 4242;
  g_assert_cmpint (cd_store_add_certificate (store, &cert, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  stored = cd_store_get_certificate (store, cert_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->id, ==, cert_id);
  g_assert_true (g_bytes_equal (stored->der, der_bytes));
  g_assert_cmpstr (stored->sha256, ==, "AB:CD:EF:01");
  g_assert_cmpstr (stored->subject, ==, cert.subject);
  g_assert_cmpstr (stored->issuer, ==, cert.issuer);
  g_assert_cmpstr (stored->serial, ==, "0A1B2C");
  g_assert_cmpint (stored->not_before, ==, G_GINT64_CONSTANT (1760000000) * G_USEC_PER_SEC);
  g_assert_cmpint (stored->not_after, ==, G_GINT64_CONSTANT (1777000000) * G_USEC_PER_SEC);
  g_assert_cmpstr (stored->dns_names, ==, cert.dns_names);
  g_assert_cmpint (stored->key_id, ==, key_id);
  g_assert_cmpint (stored->created, >, 0);
  g_clear_pointer (&stored, cd_certificate_record_free);

  g_assert_null (cd_store_get_certificate (store, 4242, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a certificate no host has is not part of the inventory's snapshot */
  records = load (store);
  g_assert_cmpuint (records->certificates->len, ==, 0);
  g_clear_pointer (&records, cd_inventory_records_free);

  g_assert_true (cd_store_set_host_certificate (store, host, cert_id, &error));
  g_assert_no_error (error);
  records = load (store);
  g_assert_cmpint (((CdHostRecord *) g_ptr_array_index (records->hosts, 0))->certificate_id, ==,
                   cert_id);
  /* the hosts' certificates come with them, light: no DER */
  g_assert_cmpuint (records->certificates->len, ==, 1);
  {
    CdCertificateRecord *loaded = g_ptr_array_index (records->certificates, 0);

    g_assert_cmpint (loaded->id, ==, cert_id);
    g_assert_cmpint (loaded->not_before, ==, cert.not_before);
    g_assert_cmpint (loaded->not_after, ==, cert.not_after);
    g_assert_cmpstr (loaded->sha256, ==, "AB:CD:EF:01");
    g_assert_cmpstr (loaded->dns_names, ==, cert.dns_names);
    g_assert_cmpint (loaded->key_id, ==, key_id);
    g_assert_null (loaded->der);
  }
  g_clear_pointer (&records, cd_inventory_records_free);

  g_assert_false (cd_store_set_host_certificate (store, host, 4242, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cd_store_set_host_certificate (store, 4242, cert_id, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The store has no way to delete a key: do it as another program would, through a second
   * connection, and see the certificate let go of it. */
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &other, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "PRAGMA foreign_keys = ON; DELETE FROM keys WHERE id = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  stored = cd_store_get_certificate (store, cert_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->key_id, ==, 0);

  /* and a host lets go of a deleted certificate */
  g_assert_cmpint (sqlite3_exec (other, "DELETE FROM certificates", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (other);
  records = load (store);
  g_assert_cmpint (((CdHostRecord *) g_ptr_array_index (records->hosts, 0))->certificate_id, ==,
                   0);
  g_assert_cmpuint (records->certificates->len, ==, 0);
  g_clear_pointer (&records, cd_inventory_records_free);

  /* 0 removes the certificate from a host */
  cert.sha256 = (char *) "22:33";
  cert.key_id = 0;
  cert_id = cd_store_add_certificate (store, &cert, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_host_certificate (store, host, cert_id, &error));
  g_assert_true (cd_store_set_host_certificate (store, host, 0, &error));
  g_assert_no_error (error);
  records = load (store);
  g_assert_cmpint (((CdHostRecord *) g_ptr_array_index (records->hosts, 0))->certificate_id, ==,
                   0);
}

static void
test_corrupt_random (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint32 *noise = g_new (guint32, 16384);

  for (guint i = 0; i < 16384; i++)
    noise[i] = g_test_rand_int ();
  g_assert_no_errno (g_mkdir_with_parents (fixture->dir, 0700));
  g_file_set_contents (fixture->path, (const char *) noise, 16384 * sizeof (guint32), &error);
  g_assert_no_error (error);

  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_DEFAULT, CD_ERROR_DATABASE_CORRUPT);
  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_READ_ONLY, CD_ERROR_DATABASE_CORRUPT);
  g_assert_false (companion_exists (fixture->path, "-wal"));

  /* a short text file, as an editor might leave */
  g_file_set_contents (fixture->path, "inventory\n", -1, &error);
  g_assert_no_error (error);
  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_DEFAULT, CD_ERROR_DATABASE_CORRUPT);
}

static void
test_corrupt_truncated (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  store = open_store (fixture->path);
  g_assert_true (cd_store_seed_demo (store, &error));
  g_assert_no_error (error);
  /* enough rows for the file to grow past the pages that were freed (schema version 5 drops
   * three indexes, and the search index frees pages as it merges its segments), so that its
   * last page holds rows: an empty page cut short reads as the same empty page. A hundred
   * rows after the last free page is used take new pages at the end. */
  for (guint i = 0, extra = 0; extra < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("Brand %u", i);

      g_assert_cmpuint (i, <, 50000);
      add_instance (store, name, "em3");
      if (i >= 400 && query_int (_cd_store_get_db (store), "PRAGMA freelist_count") == 0)
        extra++;
    }
  g_clear_object (&store);

  g_file_get_contents (fixture->path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 4 * 4096);
  /* keep whole pages, as a copy cut short by a full disk would */
  g_file_set_contents (fixture->path, contents, (length / 2) & ~(gsize) 4095, &error);
  g_assert_no_error (error);

  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_DEFAULT, CD_ERROR_DATABASE_CORRUPT);
  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_READ_ONLY, CD_ERROR_DATABASE_CORRUPT);

  /* cut inside a page */
  g_file_set_contents (fixture->path, contents, length - 1000, &error);
  g_assert_no_error (error);
  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_DEFAULT, CD_ERROR_DATABASE_CORRUPT);

  /* a damaged page in the middle of an intact file */
  memset (contents + 2 * 4096, 0x5a, 4096);
  g_file_set_contents (fixture->path, contents, length, &error);
  g_assert_no_error (error);
  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_DEFAULT, CD_ERROR_DATABASE_CORRUPT);
}

static void
test_empty_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GError) error = NULL;

  /* SQLite reads a zero-length file as an empty database: treat it as a new one */
  g_assert_no_errno (g_mkdir_with_parents (fixture->dir, 0700));
  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);

  /* read-only, it is simply empty */
  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, 0);
  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 0);
  g_clear_pointer (&records, cd_inventory_records_free);
  g_clear_object (&store);

  store = open_store (fixture->path);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 0);
  add_instance (store, "Acme Retail", "us2");
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autofree char *set_version = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal_path = NULL;
  g_autofree char *wal_before = NULL;
  g_autofree char *wal_after = NULL;
  CdInstanceRecord instance = { .name = (char *) "New", .data_center = (char *) "us2" };

  store = open_store (fixture->path);
  add_instance (store, "Acme Retail", "us2");
  g_clear_object (&store);
  /* The newer Certdesk's last changes are still in the -wal, as after a crash: refusing the
   * file must not fold them into it either. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d;"
                                 "INSERT INTO instances (name, data_center, created)"
                                 " VALUES ('From the future', 'us6', 1)",
                                 CD_STORE_SCHEMA_VERSION + 1);
  exec_sql_keep_wal (fixture->path, set_version);
  g_assert_true (companion_exists (fixture->path, "-wal"));
  wal_path = g_strconcat (fixture->path, "-wal", NULL);
  wal_before = file_checksum (wal_path);
  before = file_checksum (fixture->path);

  assert_open_fails_untouched (fixture->path, CD_STORE_OPEN_DEFAULT, CD_ERROR_DATABASE_TOO_NEW);
  wal_after = file_checksum (wal_path);
  g_assert_cmpstr (wal_before, ==, wal_after);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_is_read_only (store));
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION + 1);
  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 2);

  g_assert_cmpint (cd_store_add_instance (store, &instance, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cd_store_delete_instance (store, 1, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_cmpint (cd_store_add_job (store, "install", "x", 0, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cd_store_seed_demo (store, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cd_store_restore (store, &instance, NULL, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_clear_object (&store);

  after = file_checksum (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  CdHostRecord host = {
    .subdomain_id = 1,
    .purpose = (char *) CD_HOST_PURPOSE_MIRROR,
    .prefix = (char *) "m",
  };
  gint64 instance, sub, job;

  /* a missing file is not created */
  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_assert_null (store);
  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  store = open_store (fixture->path);
  instance = add_instance (store, "Acme Retail", "us2");
  sub = add_subdomain (store, instance, "mail.acme-retail.example");
  job = cd_store_add_job (store, "install", "mail.acme-retail.example", instance, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), ==, CD_STORE_SCHEMA_VERSION);
  /* no recovery either */
  g_assert_cmpuint (cd_store_get_interrupted_jobs (store), ==, 0);
  records = load (store);
  g_assert_cmpuint (records->subdomains->len, ==, 1);
  jobs = cd_store_list_jobs (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpstr (((CdJobRecord *) g_ptr_array_index (jobs, 0))->state, ==,
                   CD_JOB_STATE_QUEUED);

  host.subdomain_id = sub;
  g_assert_cmpint (cd_store_add_host (store, &host, &error), ==, 0);
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cd_store_set_job_state (store, job, CD_JOB_STATE_RUNNING, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cd_store_set_host_certificate (store, 1, 0, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
}

static void
test_move_aside (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) pattern = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *moved_again = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *moved_checksum = NULL;
  static const char *const companions[] = { "-wal", "-shm" };

  g_assert_null (cd_store_move_aside (fixture->path, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* the usual way there: a damaged file, a refusal, then the way out */
  g_assert_no_errno (g_mkdir_with_parents (fixture->dir, 0700));
  g_file_set_contents (fixture->path, "not a database, but somebody's notes", -1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (fixture->path, companions[i], NULL);

      g_file_set_contents (companion, companions[i], -1, &error);
      g_assert_no_error (error);
    }
  checksum = file_checksum (fixture->path);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_DATABASE_CORRUPT);
  g_clear_error (&error);

  moved = cd_store_move_aside (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);

  pattern = g_regex_new ("/certdesk\\.db\\.broken-[0-9]{8}-[0-9]{6}$", 0, 0, NULL);
  g_assert_true (g_regex_match (pattern, moved, 0, NULL));
  g_assert_true (g_str_has_prefix (moved, fixture->dir));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  moved_checksum = file_checksum (moved);
  g_assert_cmpstr (moved_checksum, ==, checksum);
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (moved, companions[i], NULL);
      g_autofree char *contents = NULL;

      g_assert_false (companion_exists (fixture->path, companions[i]));
      g_file_get_contents (companion, &contents, NULL, &error);
      g_assert_no_error (error);
      /* SQLite rebuilds the -shm index whenever it opens a -wal; the -wal itself is kept */
      if (g_str_equal (companions[i], "-wal"))
        g_assert_cmpstr (contents, ==, companions[i]);
    }

  /* a new, empty inventory at the old place */
  store = open_store (fixture->path);
  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 0);
  add_instance (store, "Acme Retail", "us2");
  g_clear_object (&store);

  /* moving again within the same second does not overwrite the first */
  moved_again = cd_store_move_aside (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (moved_again, !=, moved);
  g_assert_true (g_file_test (moved, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (moved_again, G_FILE_TEST_IS_REGULAR));

  /* the moved database is still a database, with its rows */
  store = cd_store_open (moved_again, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_clear_pointer (&records, cd_inventory_records_free);
  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 1);
}

typedef struct
{
  GMainLoop          *loop;
  CdInventoryRecords *records;
  GError             *error;
} AsyncData;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncData *async = user_data;

  async->records = cd_store_load_inventory_finish (CD_STORE (object), result, &async->error);
  g_main_loop_quit (async->loop);
}

static void
test_load_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) sync = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AsyncData async = { loop, NULL, NULL };

  store = open_store (fixture->path);
  g_assert_true (cd_store_seed_demo (store, &error));
  g_assert_no_error (error);
  sync = load (store);

  cd_store_load_inventory_async (store, NULL, load_cb, &async);
  /* the main thread may use the store while the load runs */
  add_instance (store, "Nordlicht Outlet", "em5");
  g_main_loop_run (loop);
  g_assert_no_error (async.error);
  g_assert_nonnull (async.records);
  /* the load saw the inventory either before or after that insert, never half of it */
  if (async.records->instances->len == sync->instances->len + 1)
    g_ptr_array_remove_index (async.records->instances, sync->instances->len);
  assert_inventory_equal (sync, async.records);
  g_clear_pointer (&async.records, cd_inventory_records_free);

  g_cancellable_cancel (cancellable);
  cd_store_load_inventory_async (store, cancellable, load_cb, &async);
  g_main_loop_run (loop);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (async.records);
  g_clear_error (&async.error);
}

static void
test_seed_demo (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventoryRecords) records = NULL;
  g_autoptr(CdInventoryRecords) again = NULL;
  g_autoptr(GHashTable) data_centers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gboolean has_idn = FALSE;

  store = open_store (fixture->path);
  g_assert_true (cd_store_seed_demo (store, &error));
  g_assert_no_error (error);

  records = load (store);
  g_assert_cmpuint (records->instances->len, ==, 3);
  for (guint i = 0; i < records->instances->len; i++)
    {
      CdInstanceRecord *instance = g_ptr_array_index (records->instances, i);

      g_assert_true (g_hash_table_add (data_centers, instance->data_center));
      g_assert_true (g_str_has_prefix (instance->url, "https://"));
    }
  g_assert_cmpuint (g_hash_table_size (data_centers), ==, 3);

  g_assert_cmpuint (records->subdomains->len, >=, 12);
  for (guint i = 0; i < records->subdomains->len; i++)
    {
      CdSubdomainRecord *subdomain = g_ptr_array_index (records->subdomains, i);
      guint hosts = 0;
      gboolean t = FALSE, m = FALSE, res = FALSE;

      /* only names reserved for examples */
      g_assert_true (g_str_has_suffix (subdomain->name, ".example"));
      g_assert_true (g_str_is_ascii (subdomain->name));
      has_idn |= strstr (subdomain->name, "xn--") != NULL;

      for (guint j = 0; j < records->hosts->len; j++)
        {
          CdHostRecord *host = g_ptr_array_index (records->hosts, j);

          if (host->subdomain_id != subdomain->id)
            continue;
          hosts++;
          t |= g_str_equal (host->prefix, "t") &&
               g_str_equal (host->purpose, CD_HOST_PURPOSE_TRACKING);
          m |= g_str_equal (host->prefix, "m") &&
               g_str_equal (host->purpose, CD_HOST_PURPOSE_MIRROR);
          res |= g_str_equal (host->prefix, "res") &&
                 g_str_equal (host->purpose, CD_HOST_PURPOSE_RESOURCES);
        }
      g_assert_cmpuint (hosts, >=, 3);
      g_assert_true (t && m && res);
    }
  g_assert_true (has_idn);

  /* no certificates yet */
  for (guint i = 0; i < records->hosts->len; i++)
    g_assert_cmpint (((CdHostRecord *) g_ptr_array_index (records->hosts, i))->certificate_id,
                     ==, 0);

  /* only into an empty inventory, and a refusal changes nothing */
  g_assert_false (cd_store_seed_demo (store, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_FAILED);
  again = load (store);
  assert_inventory_equal (records, again);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("create-reopen", test_create_reopen);
  TEST ("directory-mode", test_directory_mode);
  TEST ("pragmas", test_pragmas);
  TEST ("instance-crud", test_instance_crud);
  TEST ("subdomain-crud", test_subdomain_crud);
  TEST ("subdomain-with-hosts", test_subdomain_with_hosts);
  TEST ("host-crud", test_host_crud);
  TEST ("delete-cascade", test_delete_cascade);
  TEST ("restore", test_restore);
  TEST ("interrupted-jobs", test_interrupted_jobs);
  TEST ("job-state", test_job_state);
  TEST ("job-events-artifacts", test_job_events_artifacts);
  TEST ("certificates", test_certificates);
  TEST ("corrupt/random-bytes", test_corrupt_random);
  TEST ("corrupt/truncated", test_corrupt_truncated);
  TEST ("corrupt/empty-file", test_empty_file);
  TEST ("too-new", test_too_new);
  TEST ("read-only", test_read_only);
  TEST ("move-aside", test_move_aside);
  TEST ("load-async", test_load_async);
  TEST ("seed-demo", test_seed_demo);

  return g_test_run ();
}
