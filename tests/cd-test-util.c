// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-test-util"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "cd-test-util.h"

void
cd_test_remove_tree (const char *path)
{
  GStatBuf info;
  GDir *dir = NULL;

  /* a symbolic link to a directory is removed, never followed into what it points at */
  if (g_lstat (path, &info) == 0 && S_ISDIR (info.st_mode))
    dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          cd_test_remove_tree (child);
        }
      g_dir_close (dir);
      g_assert_no_errno (g_rmdir (path));
    }
  else
    g_assert_no_errno (g_unlink (path));
}

GBytes *
cd_test_read_file (const char *dir,
                   const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return cd_test_read_path (path);
}

GBytes *
cd_test_read_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, length);
}

void
cd_test_write_file (const char *dir,
                    const char *name,
                    const void *data,
                    gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

GStatBuf
cd_test_stat (const char *path)
{
  GStatBuf info;

  g_assert_no_errno (g_stat (path, &info));
  return info;
}

guint
cd_test_file_mode (const char *path)
{
  return cd_test_stat (path).st_mode & 07777;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
cd_test_list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  return cd_test_join_sorted (names);
}

char *
cd_test_join_sorted (GPtrArray *names)
{
  GString *joined = g_string_new (NULL);

  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, g_ptr_array_index (names, i));
    }
  return g_string_free (joined, FALSE);
}

void
cd_test_store_dir_set_up (CdTestStoreDir *fixture,
                          gconstpointer   data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("certdesk-store-dir-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store.jks", NULL);
}

void
cd_test_store_dir_tear_down (CdTestStoreDir *fixture,
                             gconstpointer   data)
{
  cd_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

gboolean
cd_test_require_tool (const char *program,
                      const char *provider)
{
  g_autofree char *path = NULL;
  const char *ci = g_getenv ("CI");

  g_assert_nonnull (program);
  g_assert_nonnull (provider);
  path = g_find_program_in_path (program);
  if (path != NULL)
    return TRUE;

  if (ci != NULL && g_ascii_strcasecmp (ci, "true") == 0)
    g_test_fail_printf ("%s (%s) is not installed, and CI=true: the test would check nothing",
                        program, provider);
  else
    {
      g_autofree char *message = g_strdup_printf ("%s (%s) is not installed", program, provider);

      g_test_skip (message);
    }
  return FALSE;
}

gboolean
cd_test_run_openssl (const char         *dir,
                     const char * const *args,
                     char              **out,
                     char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* stdout and stderr are always captured: what openssl prints must not land in the TAP
   * stream of the test */
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &stdout_text, &stderr_text, &status, &error);
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_spawn_check_wait_status (status, NULL);
}

gboolean
cd_test_run_keytool (const char         *dir,
                     const char * const *args,
                     char              **out,
                     char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  int status = 0;

  /* LC_ALL sets the encoding the JVM decodes the arguments with, the properties the language
   * of keytool's messages */
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  /* Under faketime, libfaketime's "monotonic fix" makes pthread_cond_timedwait() return
   * early, and the JVM's timed waits spin: a call took 2-7 s instead of 0.3 s. The clock
   * stays faked without it. A value the caller set is kept. */
  envp = g_environ_setenv (envp, "FAKETIME_FORCE_MONOTONIC_FIX", "0", FALSE);
  g_ptr_array_add (argv, (gpointer) "keytool");
  g_ptr_array_add (argv, (gpointer) "-J-Duser.language=en");
  g_ptr_array_add (argv, (gpointer) "-J-Duser.country=US");
  g_ptr_array_add (argv, (gpointer) "-J-Dfile.encoding=UTF-8");
  /* a JVM that lives for a second needs neither the optimising compiler nor a parallel
   * collector: a third less CPU time per call, and a quarter of the time under faketime */
  g_ptr_array_add (argv, (gpointer) "-J-XX:TieredStopAtLevel=1");
  g_ptr_array_add (argv, (gpointer) "-J-XX:+UseSerialGC");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (dir, (char **) argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &stdout_text,
                &stderr_text, &status, &error);
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_spawn_check_wait_status (status, NULL);
}

char *
cd_test_spawn_openssl (const char *dir,
                       const char *first_arg,
                       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  if (!cd_test_run_openssl (dir, (const char * const *) args->pdata, &out, &err))
    g_error ("openssl %s failed:\n%s%s", first_arg, out, err);
  return out;
}

char *
cd_test_openssl_sha256 (const char *dir,
                        const char *cert_file)
{
  g_autofree char *out = cd_test_spawn_openssl (dir, "x509", "-in", cert_file, "-noout",
                                                "-fingerprint", "-sha256", NULL);
  const char *value = strchr (out, '=');

  g_assert_nonnull (value);
  return g_strstrip (g_strdup (value + 1));
}

gint64
cd_test_parse_openssl_time (const char *text)
{
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) time = NULL;
  char month[4] = { 0 };
  int day, hour, minute, second, year, end = -1, month_number = 0;

  g_assert_nonnull (text);
  /* %d skips the space openssl pads a one-digit day with */
  if (sscanf (text, "%3s %d %d:%d:%d %d GMT%n", month, &day, &hour, &minute, &second, &year,
              &end) != 6 || end < 0 || text[end] != '\0')
    g_error ("“%s” is not a time as openssl prints it", text);
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_str_equal (months[i], month))
      month_number = (int) i + 1;
  if (month_number == 0)
    g_error ("“%s” is not a time as openssl prints it", text);
  time = g_date_time_new_utc (year, month_number, day, hour, minute, second);
  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

char *
cd_test_repeat (const char *s,
                guint       n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, s);
  return g_string_free (out, FALSE);
}
