// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a command-line program did, run by a test to its end. */
typedef struct
{
  int   status; /* the exit status, -1 when a signal ended it */
  char *out;
  char *err;
} CdTestRun;

/* Frees what @run printed, leaving it ready for another run. */
void     cd_test_run_clear   (CdTestRun          *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdTestRun, cd_test_run_clear)

/* The test's environment without CERTDESK_STORE_PASSWORD, so that a password set where the
 * tests were started never answers for a test: a test that means certdesk-cli to find one
 * adds it. */
char   **cd_test_cli_environ (void);

/* Runs certdesk-cli (the program the environment variable CERTDESK_CLI names, as meson test
 * sets it) with @args (NULL-terminated, without the program) in @dir, with @envp (NULL:
 * cd_test_cli_environ()), and waits for it. It runs untranslated whatever the caller's locale,
 * as tests compare its messages. @run receives its exit status and what it printed, dropping
 * what it held, and the test's log shows both. Only failing to start it fails the test. */
void     cd_test_cli_argv    (CdTestRun          *run,
                              const char         *dir,
                              char * const       *envp,
                              const char * const *args);
/* cd_test_cli_argv() with the arguments given in turn, ending with NULL. */
void     cd_test_cli         (CdTestRun          *run,
                              const char         *dir,
                              char * const       *envp,
                              const char         *first,
                              ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
