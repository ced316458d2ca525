// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-safe-file.h"

G_BEGIN_DECLS

/* Tests set this to make cd_safe_file_write() fail once the new file (and the backup) are
 * written and before the new file replaces the old one, as a full disk would. */
extern gboolean _cd_safe_file_fail_before_rename;

G_END_DECLS
