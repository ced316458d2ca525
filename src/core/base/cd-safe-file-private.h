// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-safe-file.h"

G_BEGIN_DECLS

/* Tests set this to make cd_safe_file_write() fail once the new file (and the backup) are
 * written and before the new file replaces the old one, as a full disk would. */
extern gboolean _cd_safe_file_fail_before_rename;

/* Tests set this to run something (make a file at the name, as another program could) once
 * cd_safe_file_create_private() has written its temporary file and before it names it. */
extern void (*_cd_safe_file_before_publish) (const char *path);

/* Tests set this to make cd_safe_file_create_private() name its file with link(), as it does on
 * file systems without RENAME_NOREPLACE. */
extern gboolean _cd_safe_file_without_noreplace;

G_END_DECLS
