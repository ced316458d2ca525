// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Private to the store and its tests. */

/* Brings @db from @from_version up to @to_version, one step per version, each in its own
 * transaction (BEGIN IMMEDIATE ... COMMIT) that also sets PRAGMA user_version. A step that
 * fails is rolled back, so the file stays at the last version that completed. @path is only
 * used in messages. */
gboolean cd_store_migrations_run               (sqlite3     *db,
                                                const char  *path,
                                                int          from_version,
                                                int          to_version,
                                                GError     **error);

/* Creates a new database at @path with the schema of @version, as an older Certdesk would
 * have left it (0 gives an empty file), so tests can fill it and check the upgrade. */
gboolean cd_store_migrations_create_at_version (const char  *path,
                                                int          version,
                                                GError     **error);

G_END_DECLS
