// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-file-lock"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-file-lock.h"
#include "cd-file-util.h"

/* A waiting writer looks again after 2, 4, 8 ... ms, then every 50 ms: a short save is
 * followed quickly, a long one costs little. */
#define FIRST_POLL_MS 2
#define MAX_POLL_MS   50

struct _CdFileLock
{
  int       fd;
  gboolean  writable; /* opened for writing: it can hold the holder's process id */
  char     *lock_path;
};

/* ".NAME.lock" beside @target, a path with its links followed. */
static char *
lock_path_for (const char *target)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *name = g_strconcat (".", base, ".lock", NULL);

  return g_build_filename (dir, name, NULL);
}

/* A lock file that root makes for another user's file belongs to that user, who can then take
 * the lock in turn. */
static void
give_to_owner_of (int         fd,
                  const char *target)
{
  struct stat info;

  if (stat (target, &info) == 0 && (info.st_uid != geteuid () || info.st_gid != getegid ())
      && fchown (fd, info.st_uid, info.st_gid) != 0)
    g_debug ("The lock file of %s cannot be given to its owner: %s", target, g_strerror (errno));
}

static int
open_lock_file (const char  *path,
                const char  *target,
                const char  *lock_path,
                gboolean    *writable,
                GError     **error)
{
  struct stat info;
  int saved_errno;
  int fd;

  /* never through a link (O_EXCL, O_NOFOLLOW): a link planted there could make a root process
   * create or truncate any file */
  fd = open (lock_path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
  if (fd >= 0)
    give_to_owner_of (fd, target);
  else if (errno == EEXIST)
    fd = open (lock_path, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  *writable = fd >= 0;
  /* a lock file made by another user: flock() works on a descriptor open for reading too */
  if (fd < 0 && errno == EACCES)
    fd = open (lock_path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT)
        {
          g_autofree char *dir = g_path_get_dirname (lock_path);

          g_set_error (error, CD_ERROR, CD_ERROR_IO,
                       _("“%s” cannot be written: the folder “%s” does not exist."), path, dir);
        }
      else if (saved_errno == ELOOP)
        g_set_error (error, CD_ERROR, CD_ERROR_IO,
                     _("“%s” is a symbolic link, not the lock file Certdesk makes there: remove "
                       "it and try again."),
                     lock_path);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_IO,
                     _("The lock file “%s” cannot be opened: %s. Certdesk needs it to keep two "
                       "programs from writing the same file at once."),
                     lock_path, g_strerror (saved_errno));
      return -1;
    }

  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      close (fd);
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("“%s” is not the lock file Certdesk makes there: remove it and try again."),
                   lock_path);
      return -1;
    }
  return fd;
}

/* Whether the file locked through @fd is still the one named @lock_path: a lock file removed
 * and made again between open() and flock() would be one that nobody else locks. */
static gboolean
is_still_named (int         fd,
                const char *lock_path)
{
  struct stat held;
  struct stat named;

  return fstat (fd, &held) == 0 && stat (lock_path, &named) == 0 && held.st_dev == named.st_dev
         && held.st_ino == named.st_ino;
}

static void
write_holder (CdFileLock *lock)
{
  char text[32];
  int length;

  if (!lock->writable)
    return;
  length = g_snprintf (text, sizeof text, "%ld\n", (long) getpid ());
  if (ftruncate (lock->fd, 0) != 0 || pwrite (lock->fd, text, (size_t) length, 0) != length)
    g_debug ("The process id cannot be written into %s: %s", lock->lock_path,
             g_strerror (errno));
}

/* The process id in the lock file, or 0. */
static long
read_holder (int fd)
{
  char text[32];
  char *end = NULL;
  gint64 pid;
  ssize_t n;

  if (fd < 0 || (n = pread (fd, text, sizeof text - 1, 0)) <= 0)
    return 0;
  text[n] = '\0';
  pid = g_ascii_strtoll (text, &end, 10);
  if (end == text || pid <= 0 || pid > G_MAXINT)
    return 0;
  return (long) pid;
}

static void
set_busy_error (GError     **error,
                const char  *path,
                long         holder)
{
  if (holder == (long) getpid ())
    g_set_error (error, CD_ERROR, CD_ERROR_BUSY,
                 _("Another task of Certdesk is writing “%s”: try again when it has finished."),
                 path);
  else if (holder > 0)
    g_set_error (error, CD_ERROR, CD_ERROR_BUSY,
                 _("Another program (process %ld) is writing “%s”: try again when it has "
                   "finished."),
                 holder, path);
  else
    g_set_error (error, CD_ERROR, CD_ERROR_BUSY,
                 _("Another program is writing “%s”: try again when it has finished."), path);
}

/* Sleeps @ms milliseconds, or less when @cancellable is cancelled. */
static void
wait_a_moment (GPollFD      *cancel_fd,
               gboolean      have_cancel_fd,
               guint         ms)
{
  if (have_cancel_fd)
    g_poll (cancel_fd, 1, (int) ms);
  else
    g_usleep ((gulong) ms * 1000);
}

CdFileLock *
cd_file_lock_acquire (const char    *path,
                      int            timeout_ms,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *target = NULL;
  g_autofree char *lock_path = NULL;
  CdFileLock *lock = NULL;
  GPollFD cancel_fd = { 0 };
  gboolean have_cancel_fd = FALSE;
  gboolean writable = FALSE;
  guint interval_ms = FIRST_POLL_MS;
  gint64 deadline;
  int fd = -1;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  target = cd_file_resolve_links (path, error);
  if (target == NULL)
    return NULL;
  lock_path = lock_path_for (target);

  if (timeout_ms < 0)
    timeout_ms = CD_FILE_LOCK_DEFAULT_TIMEOUT_MS;
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  if (cancellable != NULL)
    have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);

  for (;;)
    {
      gint64 now;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_CANCELLED,
                       _("Waiting for another program to finish writing “%s” was cancelled."),
                       path);
          break;
        }

      if (fd < 0 && (fd = open_lock_file (path, target, lock_path, &writable, error)) < 0)
        break;

      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          if (is_still_named (fd, lock_path))
            {
              lock = g_new0 (CdFileLock, 1);
              lock->fd = fd;
              lock->writable = writable;
              lock->lock_path = g_steal_pointer (&lock_path);
              write_holder (lock);
              break;
            }
          /* closing drops the lock on the file nobody else will use; then the new one */
          close (fd);
          fd = -1;
        }
      else if (errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved_errno = errno;

          g_set_error (error, CD_ERROR, CD_ERROR_IO,
                       _("The lock file “%s” cannot be locked: %s. Certdesk needs it to keep "
                         "two programs from writing the same file at once."),
                       lock_path, g_strerror (saved_errno));
          break;
        }

      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          /* read now rather than at the first refusal: by now the holder has written it */
          set_busy_error (error, path, read_holder (fd));
          break;
        }
      wait_a_moment (&cancel_fd, have_cancel_fd,
                     (guint) MIN ((gint64) interval_ms, (deadline - now + 999) / 1000));
      interval_ms = MIN (interval_ms * 2, MAX_POLL_MS);
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  if (lock == NULL && fd >= 0)
    close (fd);
  return lock;
}

void
cd_file_lock_release (CdFileLock *lock)
{
  if (lock == NULL)
    return;

  /* an idle lock file names nobody */
  if (lock->writable && ftruncate (lock->fd, 0) != 0)
    g_debug ("%s cannot be emptied: %s", lock->lock_path, g_strerror (errno));
  /* explicitly: a child forked meanwhile shares the open file, and would keep it locked */
  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock->lock_path);
  g_free (lock);
}

gboolean
cd_file_lock_covers (CdFileLock *lock,
                     const char *path)
{
  g_autofree char *target = NULL;
  g_autofree char *lock_path = NULL;

  g_return_val_if_fail (lock != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  target = cd_file_resolve_links (path, NULL);
  if (target == NULL)
    return FALSE;
  lock_path = lock_path_for (target);
  return is_still_named (lock->fd, lock_path);
}

const char *
cd_file_lock_get_lock_path (CdFileLock *lock)
{
  g_return_val_if_fail (lock != NULL, NULL);
  return lock->lock_path;
}
