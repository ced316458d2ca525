// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store.h"
#include "cd-store-migrations.h"

/* Each step takes the schema from version N to N + 1. Steps are never edited once released:
 * a change to the schema is a new step, so every database a user has can be brought up to
 * date whatever version wrote it. */

/* 0 -> 1: the inventory. AUTOINCREMENT keeps ids from being handed out again, so an undo can
 * always put deleted rows back under their old ids. */
static const char migration_1[] =
  "CREATE TABLE instances ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  url         TEXT NOT NULL DEFAULT '',"
  "  data_center TEXT NOT NULL,"
  "  created     INTEGER NOT NULL"
  ");"
  "CREATE TABLE subdomains ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  instance_id INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,"
  "  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  created     INTEGER NOT NULL"
  ");"
  "CREATE INDEX subdomains_instance_id ON subdomains (instance_id);"
  "CREATE TABLE hosts ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  subdomain_id INTEGER NOT NULL REFERENCES subdomains (id) ON DELETE CASCADE,"
  "  purpose      TEXT NOT NULL"
  "               CHECK (purpose IN ('tracking', 'mirror', 'resources', 'custom')),"
  "  prefix       TEXT NOT NULL,"
  "  created      INTEGER NOT NULL,"
  /* also serves lookups by subdomain_id, the leftmost column */
  "  UNIQUE (subdomain_id, prefix)"
  ");";

/* 1 -> 2: keys, certificates and the jobs with their logs and artifacts. */
static const char migration_2[] =
  "CREATE TABLE keys ("
  "  id      INTEGER PRIMARY KEY,"
  "  path    TEXT NOT NULL UNIQUE,"
  "  type    TEXT NOT NULL CHECK (type IN ('rsa', 'ec')),"
  "  bits    INTEGER NOT NULL,"
  "  curve   TEXT,"
  "  created INTEGER NOT NULL"
  ");"
  "CREATE TABLE certificates ("
  "  id         INTEGER PRIMARY KEY,"
  "  der        BLOB NOT NULL,"
  "  sha256     TEXT NOT NULL UNIQUE,"
  "  subject    TEXT NOT NULL DEFAULT '',"
  "  issuer     TEXT NOT NULL DEFAULT '',"
  "  serial     TEXT NOT NULL DEFAULT '',"
  "  not_before INTEGER NOT NULL,"
  "  not_after  INTEGER NOT NULL,"
  "  dns_names  TEXT NOT NULL DEFAULT '',"
  "  key_id     INTEGER REFERENCES keys (id) ON DELETE SET NULL,"
  "  created    INTEGER NOT NULL"
  ");"
  "CREATE INDEX certificates_key_id ON certificates (key_id);"
  "CREATE INDEX certificates_not_after ON certificates (not_after);"
  "ALTER TABLE hosts ADD COLUMN certificate_id INTEGER"
  "  REFERENCES certificates (id) ON DELETE SET NULL;"
  "CREATE INDEX hosts_certificate_id ON hosts (certificate_id);"
  "CREATE TABLE jobs ("
  "  id          INTEGER PRIMARY KEY,"
  "  kind        TEXT NOT NULL,"
  "  target      TEXT NOT NULL DEFAULT '',"
  "  instance_id INTEGER REFERENCES instances (id) ON DELETE SET NULL,"
  "  state       TEXT NOT NULL DEFAULT 'queued'"
  "              CHECK (state IN ('queued', 'running', 'finished', 'failed', 'cancelled',"
  "                               'interrupted')),"
  "  created     INTEGER NOT NULL,"
  "  started     INTEGER,"
  "  finished    INTEGER,"
  "  message     TEXT"
  ");"
  "CREATE INDEX jobs_state ON jobs (state);"
  "CREATE INDEX jobs_instance_id ON jobs (instance_id);"
  "CREATE INDEX jobs_created ON jobs (created);"
  "CREATE TABLE job_events ("
  "  id      INTEGER PRIMARY KEY,"
  "  job_id  INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  time    INTEGER NOT NULL,"
  "  level   TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),"
  "  message TEXT NOT NULL"
  ");"
  "CREATE INDEX job_events_job_id ON job_events (job_id, time);"
  "CREATE TABLE job_artifacts ("
  "  id         INTEGER PRIMARY KEY,"
  "  job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  name       TEXT NOT NULL,"
  "  media_type TEXT NOT NULL DEFAULT 'application/octet-stream',"
  "  content    BLOB,"
  "  path       TEXT,"
  "  created    INTEGER NOT NULL,"
  "  CHECK (content IS NOT NULL OR path IS NOT NULL)"
  ");"
  "CREATE INDEX job_artifacts_job_id ON job_artifacts (job_id);";

/* 2 -> 3: one unit of time. The inventory, keys and certificates counted seconds and the jobs
 * microseconds; now every time is microseconds since the epoch (UTC), as g_get_real_time().
 * Job times already were. */
static const char migration_3[] =
  "UPDATE instances SET created = created * 1000000;"
  "UPDATE subdomains SET created = created * 1000000;"
  "UPDATE hosts SET created = created * 1000000;"
  "UPDATE keys SET created = created * 1000000;"
  "UPDATE certificates SET created = created * 1000000,"
  "  not_before = not_before * 1000000, not_after = not_after * 1000000;";

/* 3 -> 4 (jobs): what a job acts on and who asked for it, its parameters, its last progress,
 * the action a person can take after a failure, and the process that runs it, so that only
 * jobs whose process is gone are marked interrupted. Jobs of older versions have no owner. */
static const char migration_jobs_runner[] =
  "ALTER TABLE jobs ADD COLUMN target_type TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE jobs ADD COLUMN target_id INTEGER;"
  "ALTER TABLE jobs ADD COLUMN initiator TEXT NOT NULL DEFAULT 'user'"
  "  CHECK (initiator IN ('user', 'reminder', 'command-line'));"
  "ALTER TABLE jobs ADD COLUMN parameters TEXT;"
  "ALTER TABLE jobs ADD COLUMN progress REAL;"
  "ALTER TABLE jobs ADD COLUMN step TEXT;"
  "ALTER TABLE jobs ADD COLUMN error_action TEXT;"
  "ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;"
  "ALTER TABLE jobs ADD COLUMN owner_boot_id TEXT;"
  "ALTER TABLE jobs ADD COLUMN owner_start_time INTEGER;"
  "ALTER TABLE jobs ADD COLUMN owner_host TEXT;"
  "CREATE INDEX jobs_kind ON jobs (kind);";

/* 4 -> 5 (job logs): the Job Logs page through the history newest first, filtered by state,
 * kind or instance. With (column, created) indexes, whose rows SQLite keeps in (column, created,
 * id) order, a page of one state, kind or instance is read in order from the index, without
 * sorting the history. They serve lookups by their first column too (recovery of interrupted
 * jobs, the instance's foreign key), so the indexes of that column alone go. */
static const char migration_job_logs[] =
  "CREATE INDEX jobs_state_created ON jobs (state, created);"
  "CREATE INDEX jobs_kind_created ON jobs (kind, created);"
  "CREATE INDEX jobs_instance_created ON jobs (instance_id, created);"
  "DROP INDEX jobs_state;"
  "DROP INDEX jobs_kind;"
  "DROP INDEX jobs_instance_id;";

/* 5 -> 6 (job search and revision): a search of the Job Logs looked at every job and its
 * events with LIKE, which finds a rare text only after reading the whole history. job_search
 * holds the same text in a trigram index, which finds any text of three characters or more,
 * in any case, without reading the rest: one row per job (its target, kind and message, under
 * rowid -id) and one per event (its message, under the event's id), so that every change finds
 * its row by rowid. Triggers keep it in step with the jobs and events, whoever writes them;
 * an event's row goes with the event when ON DELETE CASCADE deletes a job's events, since
 * foreign key actions fire the triggers of the rows they delete. A job's row changes only
 * when its text does, not at every change of state.
 *
 * jobs_revision counts every change of a job, an event or an artifact, from any connection,
 * so that a Job Logs window sees what certdesk-cli or another window did by reading one
 * number.
 *
 * jobs_kind_state and jobs_instance_state count the jobs of each tab for a kind filter or an
 * instance filter from the index alone (the counts of every tab are read at each change).
 * jobs_started_created gives the Job Logs sorted by when a job started (one not started yet by
 * when it was asked for) in the index's order, as jobs_created does by creation: any page of
 * the history without sorting it. */
static const char migration_job_search[] =
  "CREATE VIRTUAL TABLE job_search USING fts5 ("
  "  target, kind, message, tokenize = 'trigram'"
  ");"
  /* by ascending rowid: FTS5 writes out what it holds in memory each time rowids go back */
  "INSERT INTO job_search (rowid, target, kind, message)"
  "  SELECT -id, target, kind, message FROM jobs ORDER BY id DESC;"
  "INSERT INTO job_search (rowid, message)"
  "  SELECT id, message FROM job_events ORDER BY id;"
  "CREATE TRIGGER jobs_search_insert AFTER INSERT ON jobs BEGIN"
  "  INSERT INTO job_search (rowid, target, kind, message)"
  "    VALUES (-NEW.id, NEW.target, NEW.kind, NEW.message);"
  "END;"
  "CREATE TRIGGER jobs_search_update AFTER UPDATE OF target, kind, message ON jobs"
  "  WHEN OLD.target IS NOT NEW.target OR OLD.kind IS NOT NEW.kind"
  "    OR OLD.message IS NOT NEW.message BEGIN"
  "  DELETE FROM job_search WHERE rowid = -OLD.id;"
  "  INSERT INTO job_search (rowid, target, kind, message)"
  "    VALUES (-NEW.id, NEW.target, NEW.kind, NEW.message);"
  "END;"
  "CREATE TRIGGER jobs_search_delete AFTER DELETE ON jobs BEGIN"
  "  DELETE FROM job_search WHERE rowid = -OLD.id;"
  "END;"
  "CREATE TRIGGER job_events_search_insert AFTER INSERT ON job_events BEGIN"
  "  INSERT INTO job_search (rowid, message) VALUES (NEW.id, NEW.message);"
  "END;"
  "CREATE TRIGGER job_events_search_update AFTER UPDATE OF message ON job_events BEGIN"
  "  DELETE FROM job_search WHERE rowid = OLD.id;"
  "  INSERT INTO job_search (rowid, message) VALUES (NEW.id, NEW.message);"
  "END;"
  "CREATE TRIGGER job_events_search_delete AFTER DELETE ON job_events BEGIN"
  "  DELETE FROM job_search WHERE rowid = OLD.id;"
  "END;"
  "CREATE TABLE jobs_revision ("
  "  id    INTEGER PRIMARY KEY CHECK (id = 1),"
  "  value INTEGER NOT NULL"
  ");"
  "INSERT INTO jobs_revision (id, value) VALUES (1, 0);"
  "CREATE TRIGGER jobs_revision_insert AFTER INSERT ON jobs BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER jobs_revision_update AFTER UPDATE ON jobs BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER jobs_revision_delete AFTER DELETE ON jobs BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER job_events_revision_insert AFTER INSERT ON job_events BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER job_events_revision_update AFTER UPDATE ON job_events BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER job_events_revision_delete AFTER DELETE ON job_events BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER job_artifacts_revision_insert AFTER INSERT ON job_artifacts BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER job_artifacts_revision_update AFTER UPDATE ON job_artifacts BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE TRIGGER job_artifacts_revision_delete AFTER DELETE ON job_artifacts BEGIN"
  "  UPDATE jobs_revision SET value = value + 1;"
  "END;"
  "CREATE INDEX jobs_started_created ON jobs (coalesce (started, created), created);"
  "CREATE INDEX jobs_kind_state ON jobs (kind, state);"
  "CREATE INDEX jobs_instance_state ON jobs (instance_id, state);";

/* migrations[N] takes the schema from version N to N + 1. A new step goes at the end, with
 * CD_STORE_SCHEMA_VERSION raised to match. */
static const char *const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_jobs_runner,
  migration_job_logs,
  migration_job_search,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CD_STORE_SCHEMA_VERSION);

static gboolean
run_step (sqlite3     *db,
          const char  *path,
          int          version,
          GError     **error)
{
  g_autofree char *set_version = NULL;
  char *message = NULL;
  int rc;

  g_assert (version >= 0 && version < CD_STORE_SCHEMA_VERSION);

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, &message);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, migrations[version], NULL, NULL, &message);
  if (rc == SQLITE_OK)
    {
      /* PRAGMA takes no parameters; the number is ours, not user input */
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      rc = sqlite3_exec (db, set_version, NULL, NULL, &message);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      int code = (rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR
                   ? CD_ERROR_IO
                   : CD_ERROR_FAILED;

      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);

      g_set_error (error, CD_ERROR, code,
                   _("The inventory database “%s” could not be upgraded from version %d to "
                     "version %d (%s). Its contents were left as they were, at version %d."),
                   path, version, version + 1,
                   message != NULL ? message : sqlite3_errstr (rc), version);
      sqlite3_free (message);
      return FALSE;
    }

  g_debug ("Upgraded %s from schema version %d to %d", path, version, version + 1);

  return TRUE;
}

gboolean
cd_store_migrations_run (sqlite3     *db,
                         const char  *path,
                         int          from_version,
                         int          to_version,
                         GError     **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (from_version >= 0, FALSE);
  g_return_val_if_fail (to_version <= CD_STORE_SCHEMA_VERSION, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (int version = from_version; version < to_version; version++)
    {
      if (!run_step (db, path, version, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
cd_store_migrations_create_at_version (const char  *path,
                                       int          version,
                                       GError     **error)
{
  sqlite3 *db = NULL;
  gboolean ret = FALSE;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (version >= 0 && version <= CD_STORE_SCHEMA_VERSION, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (version == 0)
    return g_file_set_contents (path, "", 0, error);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO, "Could not create “%s”: %s",
                   path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      goto out;
    }

  /* as every Certdesk has left its database */
  rc = sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", NULL, NULL,
                     NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO, "Could not set up “%s”: %s",
                   path, sqlite3_errmsg (db));
      goto out;
    }

  ret = cd_store_migrations_run (db, path, 0, version, error);

out:
  sqlite3_close (db);

  return ret;
}
