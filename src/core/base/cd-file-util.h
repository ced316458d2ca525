// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes all @length bytes to @fd, retrying after signals. FALSE with errno set (EIO when the
 * system wrote nothing and said nothing) when it cannot. */
gboolean cd_write_all (int            fd,
                       gconstpointer  data,
                       gsize          length);

G_END_DECLS
