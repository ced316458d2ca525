// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* Writes all @length bytes to @fd, retrying after signals. FALSE with errno set (EIO when the
 * system wrote nothing and said nothing) when it cannot. */
gboolean cd_write_all          (int            fd,
                                gconstpointer  data,
                                gsize          length);

/* The file @path names once every symbolic link on the way is followed: a link's target
 * (relative to the directory of the link) replaces it until a name that is no link, or that
 * does not exist yet (where a new file would be made, as open() would make it). Directories
 * leading to it are left as they are. Writers replace this file, in its own directory, so that
 * a link (Debian's JDK cacerts is one) stays a link. CD_ERROR_IO for a loop of links or a
 * name that cannot be examined. */
char    *cd_file_resolve_links (const char    *path,
                                GError       **error);

/* Whether @a and @b, once their links are followed (cd_file_resolve_links()), are one name in
 * one directory, whether or not a file has that name yet: the file a writer of @a would replace
 * is the one @b names. FALSE when either cannot be examined. */
gboolean cd_file_same_entry    (const char    *a,
                                const char    *b);

/* The bytes of the regular file at @path as they are now, up to @max_size: opened without
 * blocking on a FIFO put in its place, and read, not mapped (a file rewritten in place, as
 * keytool rewrites a keystore, cannot end the program). NULL with errno set when it cannot:
 * as open() and read() set it, EINVAL when it is not a regular file, EFBIG when it is larger
 * than @max_size, ECANCELED when @cancellable (may be NULL) is cancelled. @out_stat (may be
 * NULL) receives its status. */
GBytes  *cd_file_read_regular  (const char    *path,
                                gsize          max_size,
                                GCancellable  *cancellable,
                                struct stat   *out_stat);

G_END_DECLS
