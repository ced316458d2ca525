// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* Shared by the files `certdesk-cli keystore` is split over:
 *  - cd-cli-keystore.c: picking the subcommand, and the keystore password;
 *  - cd-cli-keystore-list.c, cd-cli-keystore-import.c, cd-cli-keystore-export.c and
 *    cd-cli-keystore-convert.c: one subcommand each. */

#include "cd-cli.h"

G_BEGIN_DECLS

/* --password and --password-file of a subcommand. */
typedef struct
{
  char *password;
  char *password_file;
} CdCliPasswordOptions;

void      _cd_cli_password_options_clear        (CdCliPasswordOptions  *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdCliPasswordOptions, _cd_cli_password_options_clear)

/* Adds --password and --password-file to @context, which fill @options. */
void      _cd_cli_keystore_add_password_entries (GOptionContext        *context,
                                                CdCliPasswordOptions  *options);
char     *_cd_cli_keystore_get_password         (CdCliPasswordOptions  *options);
/* Whether keytool would take @password for a new keystore; if not, says so on stderr. */
gboolean  _cd_cli_keystore_check_new_password   (const char            *password);

/* The subcommands: @argv[0] is the subcommand's name. */
int       _cd_cli_keystore_list                 (int                    argc,
                                                char                 **argv);
int       _cd_cli_keystore_import               (int                    argc,
                                                char                 **argv);
int       _cd_cli_keystore_export               (int                    argc,
                                                char                 **argv);
int       _cd_cli_keystore_convert              (int                    argc,
                                                char                 **argv);

G_END_DECLS
