// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The advisory lock every Certdesk writer (the application, its jobs and certdesk-cli) takes
 * before it reads a file it is about to replace (a keystore, a CSR, an export), and holds until
 * the new version is in place, so that two read-modify-write cycles never interleave and lose
 * one another's changes.
 *
 * The lock is the file ".NAME.lock" beside the file the path names once its symbolic links are
 * followed (cd_file_resolve_links()): a link and its target share one lock. It is created 0600
 * when missing and never removed, since a holder could have it open (a new file under the same
 * name would let a second writer in). It is locked with flock(), which belongs to one open file
 * description: two holders in one process, in two threads, exclude each other as two
 * processes do, and the kernel releases a lock when its holder dies. While held the file holds
 * the holder's process id, for the message that others get. */

typedef struct _CdFileLock CdFileLock;

/* how long a writer waits for another one by default */
#define CD_FILE_LOCK_DEFAULT_TIMEOUT_MS 10000

/* Takes the lock of @path, waiting up to @timeout_ms (0: not at all; negative:
 * CD_FILE_LOCK_DEFAULT_TIMEOUT_MS) for another holder to finish. Fails with CD_ERROR_BUSY and
 * a message naming the holder's process when it does not finish in time, CD_ERROR_CANCELLED
 * when @cancellable is cancelled meanwhile, CD_ERROR_IO when the lock file cannot be made or
 * opened (a read-only or missing directory). Release the lock with cd_file_lock_release(). */
CdFileLock *cd_file_lock_acquire       (const char    *path,
                                        int            timeout_ms,
                                        GCancellable  *cancellable,
                                        GError       **error);
/* Releases and frees the lock; NULL is ignored. */
void        cd_file_lock_release       (CdFileLock    *lock);

/* Whether @lock is the lock of the file @path names (through any links). */
gboolean    cd_file_lock_covers        (CdFileLock    *lock,
                                        const char    *path);
/* The lock file. */
const char *cd_file_lock_get_lock_path (CdFileLock    *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFileLock, cd_file_lock_release)

G_END_DECLS
