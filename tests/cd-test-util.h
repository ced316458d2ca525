// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes a file, or a directory with everything in it, and asserts that it went. */
void cd_test_remove_tree (const char *path);

G_END_DECLS
