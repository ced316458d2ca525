// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-safe-file"

#include "config.h"

/* renameat2() and RENAME_NOREPLACE; config.h only defines macros, so this still comes before
 * the first system header */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-file-util.h"
#include "cd-safe-file-private.h"

/* ".NAME.tmp-XXXXXX": hidden, and a name no person gives a file, so that what a killed writer
 * left can be recognised and removed */
#define TMP_INFIX      ".tmp-"
#define TMP_TEMPLATE   "XXXXXX"

/* write_temp(): the mode open() gives a new file, 0666 less the umask */
#define MODE_AS_CREATED ((mode_t) -1)

gboolean _cd_safe_file_fail_before_rename;
void (*_cd_safe_file_before_publish) (const char *path);
gboolean _cd_safe_file_without_noreplace;

/* Removes the temporary files a writer killed half-way left for @base. Only regular files:
 * anything else with such a name was not made here. */
static void
remove_leftovers (const char *dir,
                  const char *base)
{
  g_autofree char *prefix = g_strconcat (".", base, TMP_INFIX, NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  gsize length = strlen (prefix) + strlen (TMP_TEMPLATE);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *leftover = NULL;
      GStatBuf info;

      if (strlen (name) != length || !g_str_has_prefix (name, prefix))
        continue;
      leftover = g_build_filename (dir, name, NULL);
      if (g_lstat (leftover, &info) == 0 && S_ISREG (info.st_mode))
        {
          g_debug ("Removing %s, left by an interrupted save", leftover);
          if (g_unlink (leftover) != 0)
            g_debug ("%s cannot be removed: %s", leftover, g_strerror (errno));
        }
    }
}

/* Gives the file @fd the owner and group of @like, as far as the system lets this process:
 * root always; another user only a group it belongs to (the one that matters to the programs
 * reading the file through its group). */
static gboolean
keep_owner (int                fd,
            const struct stat *like)
{
  struct stat info;

  if (like == NULL)
    return TRUE;
  if (fstat (fd, &info) != 0)
    return FALSE;
  if (info.st_uid == like->st_uid && info.st_gid == like->st_gid)
    return TRUE;
  if (fchown (fd, like->st_uid, like->st_gid) == 0)
    return TRUE;
  if (errno != EPERM)
    return FALSE;
  if (info.st_gid != like->st_gid && fchown (fd, (uid_t) -1, like->st_gid) != 0 && errno != EPERM)
    return FALSE;
  g_debug ("The owner %u:%u cannot be kept", (guint) like->st_uid, (guint) like->st_gid);
  return TRUE;
}

static gboolean
copy_contents (int from,
               int to)
{
  guint8 buffer[16384];
  off_t offset = 0;

  for (;;)
    {
      ssize_t n = pread (from, buffer, sizeof buffer, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      if (!cd_write_all (to, buffer, (gsize) n))
        return FALSE;
      offset += n;
    }
}

/* A new ".@base.tmp-XXXXXX" in @dir holding @data (or, when @source_fd is not negative, a copy
 * of that file), with the owner of @like (NULL: this process's) and @mode (MODE_AS_CREATED:
 * what the umask allows), flushed to disk. Its path; NULL with errno set, and nothing left
 * behind, when it cannot be made. */
static char *
write_temp (const char        *dir,
            const char        *base,
            gconstpointer      data,
            gsize              length,
            int                source_fd,
            const struct stat *like,
            mode_t             mode)
{
  g_autofree char *name = g_strconcat (".", base, TMP_INFIX, TMP_TEMPLATE, NULL);
  g_autofree char *tmp = g_build_filename (dir, name, NULL);
  gboolean written;
  int saved_errno;
  int fd;

  /* O_EXCL, and mode 0600 from the start unless what the umask allows is wanted: never readable
   * by others, not even for a moment, when that is to be its mode or that of the file replaced */
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, mode == MODE_AS_CREATED ? 0666 : 0600);
  if (fd < 0)
    return NULL;

  written = source_fd >= 0 ? copy_contents (source_fd, fd) : cd_write_all (fd, data, length);
  /* the owner first: fchown() clears set-id bits, which fchmod() then sets as they were */
  if (written && keep_owner (fd, like) && (mode == MODE_AS_CREATED || fchmod (fd, mode) == 0)
      && fsync (fd) == 0)
    {
      if (close (fd) == 0)
        return g_steal_pointer (&tmp);
      saved_errno = errno;
    }
  else
    {
      saved_errno = errno;
      close (fd);
    }
  g_unlink (tmp);
  errno = saved_errno;
  return NULL;
}

/* Keeps what @target holds as @backup, a file of its own. */
static gboolean
write_backup (const char         *target,
              const char         *dir,
              const char         *base,
              const char         *backup,
              const struct stat  *info,
              CdSafeFileFlags     flags,
              GError            **error)
{
  g_autofree char *tmp = NULL;
  mode_t mode = info->st_mode & 0777;
  int saved_errno;
  int fd;

  if (flags & CD_SAFE_FILE_PRIVATE)
    mode &= 0600;

  fd = open (target, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be read to keep a copy of it: %s"),
                   target, g_strerror (saved_errno));
      return FALSE;
    }
  tmp = write_temp (dir, base, NULL, 0, fd, info, mode);
  saved_errno = errno;
  close (fd);

  /* rename() replaces what was there in one step: the backup is always whole too */
  if (tmp != NULL && rename (tmp, backup) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp);
      g_clear_pointer (&tmp, g_free);
    }
  if (tmp == NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO, _("The backup “%s” cannot be written: %s"),
                   backup, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  /* some file systems cannot flush a directory; the rename stands either way */
  if (fsync (fd) != 0)
    g_debug ("%s cannot be flushed: %s", dir, g_strerror (errno));
  close (fd);
}

gboolean
cd_safe_file_write (const char       *path,
                    gconstpointer     data,
                    gsize             length,
                    CdSafeFileFlags   flags,
                    CdFileLock       *lock,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autoptr(CdFileLock) own_lock = NULL;
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  struct stat info;
  gboolean exists;
  mode_t mode;
  int saved_errno;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail ((flags & CD_SAFE_FILE_PRIVATE) == 0 || (flags & CD_SAFE_FILE_PUBLIC) == 0,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (lock == NULL)
    {
      own_lock = cd_file_lock_acquire (path, -1, cancellable, error);
      if (own_lock == NULL)
        return FALSE;
    }
  else if (!cd_file_lock_covers (lock, path))
    {
      g_critical ("%s: the lock given is not the lock of %s", G_STRFUNC, path);
      g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                   _("“%s” cannot be written: it was not locked against other writers."), path);
      return FALSE;
    }

  /* followed again under the lock: the links as they are now */
  target = cd_file_resolve_links (path, error);
  if (target == NULL)
    return FALSE;
  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);

  remove_leftovers (dir, base);

  exists = lstat (target, &info) == 0;
  if (!exists && (saved_errno = errno) != ENOENT)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be examined: %s"), target,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (exists && !S_ISREG (info.st_mode))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("“%s” is not a regular file: Certdesk replaces only regular files."),
                   target);
      return FALSE;
    }
  /* what keytool would refuse too: the file's own permissions say it is not to change */
  if (exists && faccessat (AT_FDCWD, target, W_OK, AT_EACCESS) != 0 && errno == EACCES)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("“%s” is read-only: make it writable first if it is to change."), target);
      return FALSE;
    }

  if (exists)
    mode = info.st_mode & 07777;
  else
    mode = (flags & CD_SAFE_FILE_PUBLIC) ? MODE_AS_CREATED : 0600;
  tmp = write_temp (dir, base, data, length, -1, exists ? &info : NULL, mode);
  if (tmp == NULL)
    {
      saved_errno = errno;
      g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be written: %s"), target,
                   g_strerror (saved_errno));
      return FALSE;
    }

  if (exists && (flags & CD_SAFE_FILE_BACKUP))
    {
      g_autofree char *backup = g_strconcat (target, ".bak", NULL);

      if (!write_backup (target, dir, base, backup, &info, flags, error))
        {
          g_unlink (tmp);
          return FALSE;
        }
    }

  if (_cd_safe_file_fail_before_rename || rename (tmp, target) != 0)
    {
      saved_errno = _cd_safe_file_fail_before_rename ? EIO : errno;
      g_unlink (tmp);
      g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be replaced: %s"), target,
                   g_strerror (saved_errno));
      return FALSE;
    }

  sync_dir (dir);
  return TRUE;
}

char *
cd_safe_file_backup_path (const char *path)
{
  g_autofree char *target = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  target = cd_file_resolve_links (path, NULL);
  return g_strconcat (target != NULL ? target : path, ".bak", NULL);
}

static void
set_exists_error (GError     **error,
                  const char  *path)
{
  g_set_error (error, CD_ERROR, CD_ERROR_IO,
               _("“%s” already exists: Certdesk never overwrites a file with a private key. "
                 "Choose another name, or move the old file away first."),
               path);
}

gboolean
cd_safe_file_check_new (const char  *path,
                        GError     **error)
{
  GStatBuf info;
  int saved_errno;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* lstat(): a symbolic link is something at the name, wherever it points */
  if (g_lstat (path, &info) == 0)
    {
      set_exists_error (error, path);
      return FALSE;
    }
  saved_errno = errno;
  if (saved_errno == ENOENT)
    return TRUE;
  g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be examined: %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

/* Gives the file @tmp the name @path unless something has it, in one step: rename() with
 * RENAME_NOREPLACE where the file system has it, else link(), which never replaces either.
 * Neither follows a symbolic link at @path. @tmp is gone on success, left to the caller on
 * failure (errno set). */
static gboolean
publish_no_replace (const char *tmp,
                    const char *path)
{
  int saved_errno;

  if (!_cd_safe_file_without_noreplace)
    {
      if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return TRUE;
      if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EOPNOTSUPP)
        return FALSE;
    }

  if (link (tmp, path) != 0)
    return FALSE;
  /* the file is in place under its name; the temporary name is a second one */
  if (g_unlink (tmp) != 0)
    {
      saved_errno = errno;
      g_warning ("A second name of %s, %s, cannot be removed: %s", path, tmp,
                 g_strerror (saved_errno));
    }
  return TRUE;
}

gboolean
cd_safe_file_create_private (const char     *path,
                             gconstpointer   data,
                             gsize           length,
                             GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  int saved_errno;

  g_return_val_if_fail (path != NULL && path[0] != '\0', FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* an early answer for the common case; publish_no_replace() is what closes the race */
  if (!cd_safe_file_check_new (path, error))
    return FALSE;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = write_temp (dir, base, data, length, -1, NULL, 0600);
  if (tmp == NULL)
    {
      saved_errno = errno;
      g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be written: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  if (_cd_safe_file_before_publish != NULL)
    _cd_safe_file_before_publish (path);

  if (!publish_no_replace (tmp, path))
    {
      saved_errno = errno;
      g_unlink (tmp);
      if (saved_errno == EEXIST)
        set_exists_error (error, path);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be written: %s"), path,
                     g_strerror (saved_errno));
      return FALSE;
    }

  sync_dir (dir);
  return TRUE;
}
