// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

G_BEGIN_DECLS

/* Removes a file, or a directory with everything in it (a symbolic link is removed, never
 * followed), and asserts that it went. */
void      cd_test_remove_tree    (const char         *path);

/* The file @name in @dir, whole. Fails the test when it cannot be read. */
GBytes   *cd_test_read_file      (const char         *dir,
                                  const char         *name);
/* The file at @path, whole. Fails the test when it cannot be read. */
GBytes   *cd_test_read_path      (const char         *path);
/* Writes @length bytes of @data (-1: up to its NUL) to the file @name in @dir. */
void      cd_test_write_file     (const char         *dir,
                                  const char         *name,
                                  const void         *data,
                                  gssize              length);

/* What stat() says of @path, following a symbolic link. Fails the test when it cannot. */
GStatBuf  cd_test_stat           (const char         *path);
/* The mode bits of @path (permissions, setuid, setgid and sticky), following a symbolic link. */
guint     cd_test_file_mode      (const char         *path);
/* The names in the directory @dir, sorted and joined by spaces ("" when it is empty), so that
 * a test compares everything there is in it, stray files too, with one string. */
char     *cd_test_list_dir       (const char         *dir);
/* The strings in @names joined by spaces, after sorting @names in place (by strcmp()): a list
 * compared whatever order it was made in. */
char     *cd_test_join_sorted    (GPtrArray          *names);

/* For g_test_add(): a directory of the test's own, made for each test and removed with
 * everything in it after, and the path of a keystore in it, which the test may create. */
typedef struct
{
  char *dir;
  char *path; /* "<dir>/store.jks" */
} CdTestStoreDir;

void      cd_test_store_dir_set_up    (CdTestStoreDir *fixture,
                                       gconstpointer   data);
void      cd_test_store_dir_tear_down (CdTestStoreDir *fixture,
                                       gconstpointer   data);

/* Whether @program, a command-line tool a test checks against (openssl, keytool, idn2), is on
 * the PATH. Without it the test cannot prove anything: it is skipped, naming @provider (the
 * package or version it was written against, e.g. "OpenJDK 17"), except in CI (the
 * environment variable CI is "true"), where it fails, so that a CI machine without the tool
 * never passes. Returns TRUE when the test can go on; after FALSE the test must return. */
gboolean  cd_test_require_tool   (const char         *program,
                                  const char         *provider);

/* Runs the openssl command-line tool in @dir with @args (NULL-terminated, without "openssl").
 * Returns TRUE when it exits with status 0; @out and @err (either may be NULL) receive what it
 * printed on stdout and on stderr. Only failing to start it fails the test. */
gboolean  cd_test_run_openssl    (const char         *dir,
                                  const char * const *args,
                                  char              **out,
                                  char              **err);

/* Runs keytool (OpenJDK) in @dir (NULL: the current directory) with @args (NULL-terminated,
 * without "keytool"), in English whatever the caller's locale, as its messages are read, and
 * with UTF-8 for the arguments, which the JVM decodes by the locale (non-ASCII passwords
 * too); with JVM options that make it start faster, also under faketime. Returns TRUE when
 * it exits with status 0; @out and @err (either may be NULL) receive what it printed on stdout
 * and on stderr. Only failing to start it fails the test. */
gboolean  cd_test_run_keytool    (const char         *dir,
                                  const char * const *args,
                                  char              **out,
                                  char              **err);

/* Runs openssl in @dir with the given arguments (NULL-terminated) and returns what it printed
 * on stdout. Any failure fails the test with what openssl printed. */
char     *cd_test_spawn_openssl  (const char         *dir,
                                  const char         *first_arg,
                                  ...) G_GNUC_NULL_TERMINATED;

/* The SHA-256 fingerprint ("AB:CD:...") openssl prints for the PEM certificate @cert_file,
 * a path relative to @dir or an absolute one. */
char     *cd_test_openssl_sha256 (const char         *dir,
                                  const char         *cert_file);

/* Unix seconds of a time as openssl prints it ("Nov 22 13:12:27 2026 GMT", "Mar  5 ..."):
 * always English month names and GMT, whatever the locale. Fails the test on anything else. */
gint64    cd_test_parse_openssl_time (const char       *text);

/* @s, @n times over. */
char     *cd_test_repeat         (const char         *s,
                                  guint               n);

G_END_DECLS
