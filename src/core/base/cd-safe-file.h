// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-file-lock.h"

G_BEGIN_DECLS

/* Replacing a file a user owns (a keystore, a CSR, an export) so that whatever happens, a crash,
 * a kill, a full disk, it holds either all of its old bytes or all of its new ones, and keeps
 * what made it work for the programs that read it:
 *
 *  - written through symbolic links: the file replaced is the one the path names once every
 *    link is followed (cd_file_resolve_links()); the links stay links;
 *  - a temporary file ".NAME.tmp-XXXXXX" beside that file, flushed to disk, renamed over it, and
 *    the directory flushed;
 *  - the replaced file's mode and owner kept (the owner as far as the system lets the writer:
 *    root always; others keep the group when they belong to it); a new file is 0600, or with
 *    CD_SAFE_FILE_PUBLIC what the umask allows;
 *  - with CD_SAFE_FILE_BACKUP, the previous version as "NAME.bak" beside it: a copy of its own
 *    (never a second name of the same file, which an in-place writer such as keytool would
 *    change with it), written the same way, so that it too is whole or absent;
 *  - under the file's lock (cd-file-lock.h): the caller's, or one taken here;
 *  - temporary files that an earlier writer, killed half-way, left for this file are removed
 *    first (under the lock, nobody else is writing them). */

typedef enum
{
  CD_SAFE_FILE_DEFAULT = 0,
  /* keep the previous version as "NAME.bak" (one generation) */
  CD_SAFE_FILE_BACKUP  = 1 << 0,
  /* the file holds, or held, a secret such as a private key: its backup is never readable by
   * anyone but its owner (at most 0600), whatever the mode of the file */
  CD_SAFE_FILE_PRIVATE = 1 << 1,
  /* the file holds nothing secret (certificates, a CSR): a new one gets the mode open() gives a
   * new file, 0666 less the umask, as other tools make such files (not with PRIVATE) */
  CD_SAFE_FILE_PUBLIC  = 1 << 2,
} CdSafeFileFlags;

/* Replaces (or creates) the file @path names with @length bytes of @data as described above.
 * @lock is the lock of @path the caller took before reading the file, to cover a whole
 * read-modify-write; NULL: the lock is taken here, waiting as long as
 * CD_FILE_LOCK_DEFAULT_TIMEOUT_MS for another writer (@cancellable stops the wait). Errors are
 * CD_ERROR_IO (the file is unchanged; the message names the file and the reason), and those
 * of cd_file_lock_acquire(). */
gboolean  cd_safe_file_write       (const char       *path,
                                    gconstpointer     data,
                                    gsize             length,
                                    CdSafeFileFlags   flags,
                                    CdFileLock       *lock,
                                    GCancellable     *cancellable,
                                    GError          **error);

/* Where cd_safe_file_write() keeps the previous version of @path: "NAME.bak" beside the file
 * @path names after its links. */
char     *cd_safe_file_backup_path (const char       *path);

/* Creating a file that holds a secret (a private key), which is never written over anything:
 * not over a file, not through a symbolic link, not even a dangling one (the new file could
 * land wherever the link points). The file is whole or absent: a temporary file
 * ".NAME.tmp-XXXXXX" beside @path, made with O_EXCL and mode 0600 from the start, so never
 * readable by others, flushed to disk, then given the name @path by a step that fails when the
 * name exists (rename with RENAME_NOREPLACE, or link() where the file system lacks it), and the
 * directory flushed. The new file is 0600 whatever the umask. On failure nothing is left: no
 * file at @path, no temporary file. The directory must exist.
 *
 * Anything at @path, found before or appearing during the write: CD_ERROR_IO, "“PATH” already
 * exists: Certdesk never overwrites a file with a private key ..." Other failures: CD_ERROR_IO
 * with the path and the system's reason. No lock is taken: the name is either free or not. */
gboolean  cd_safe_file_create_private (const char     *path,
                                       gconstpointer   data,
                                       gsize           length,
                                       GError        **error);

/* The early answer of cd_safe_file_create_private() for @path: FALSE, with the same error, when
 * anything is at @path already (a file, a directory, a symbolic link, dangling or not). For a
 * caller that has slow work to do (generate a key, read a keystore) before it writes. */
gboolean  cd_safe_file_check_new      (const char     *path,
                                       GError        **error);

G_END_DECLS
