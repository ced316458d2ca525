// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-test-cli"

#include "config.h"

#include <stdarg.h>
#include <sys/wait.h>

#include "cd-test-cli.h"

void
cd_test_run_clear (CdTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

char **
cd_test_cli_environ (void)
{
  return g_environ_unsetenv (g_get_environ (), "CERTDESK_STORE_PASSWORD");
}

void
cd_test_cli_argv (CdTestRun          *run,
                  const char         *dir,
                  char * const       *envp,
                  const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = envp != NULL ? g_strdupv ((char **) envp) : cd_test_cli_environ ();
  g_autofree char *command = g_strjoinv (" ", (char **) args);
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("CERTDESK_CLI");

  g_assert_nonnull (program);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  cd_test_run_clear (run);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
  g_test_message ("certdesk-cli %s: %d\n%s%s", command, run->status, run->out, run->err);
}

void
cd_test_cli (CdTestRun    *run,
             const char   *dir,
             char * const *envp,
             const char   *first,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  cd_test_cli_argv (run, dir, envp, (const char * const *) args->pdata);
}
