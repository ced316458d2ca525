// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-file-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-file-util.h"

/* as the kernel's limit on links followed in one path (MAXSYMLINKS) */
#define MAX_LINKS 40

gboolean
cd_write_all (int           fd,
              gconstpointer data,
              gsize         length)
{
  const guint8 *bytes = data;

  while (length > 0)
    {
      gssize written = write (fd, bytes, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          if (written == 0)
            errno = EIO;
          return FALSE;
        }
      bytes += written;
      length -= (gsize) written;
    }
  return TRUE;
}

char *
cd_file_resolve_links (const char  *path,
                       GError     **error)
{
  g_autofree char *current = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  current = g_strdup (path);
  for (guint links = 0;; links++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *target = NULL;
      GStatBuf info;

      if (g_lstat (current, &info) != 0)
        {
          int saved_errno = errno;

          if (saved_errno == ENOENT)
            return g_steal_pointer (&current);
          g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be examined: %s"), current,
                       g_strerror (saved_errno));
          return NULL;
        }
      if (!S_ISLNK (info.st_mode))
        return g_steal_pointer (&current);

      if (links == MAX_LINKS)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_IO,
                       _("“%s” leads through more than %d symbolic links, or round in a loop: "
                         "point it at the file itself."),
                       path, MAX_LINKS);
          return NULL;
        }

      target = g_file_read_link (current, &local_error);
      if (target == NULL)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_IO, _("The symbolic link “%s” cannot be read: %s"),
                       current, local_error->message);
          return NULL;
        }

      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
        }
      else
        {
          g_autofree char *dir = g_path_get_dirname (current);

          g_free (current);
          current = g_build_filename (dir, target, NULL);
        }
    }
}

gboolean
cd_file_same_entry (const char *a,
                    const char *b)
{
  g_autofree char *target_a = NULL;
  g_autofree char *target_b = NULL;
  g_autofree char *base_a = NULL;
  g_autofree char *base_b = NULL;
  g_autofree char *dir_a = NULL;
  g_autofree char *dir_b = NULL;
  GStatBuf info_a;
  GStatBuf info_b;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  target_a = cd_file_resolve_links (a, NULL);
  target_b = cd_file_resolve_links (b, NULL);
  if (target_a == NULL || target_b == NULL)
    return FALSE;
  base_a = g_path_get_basename (target_a);
  base_b = g_path_get_basename (target_b);
  if (strcmp (base_a, base_b) != 0)
    return FALSE;

  /* the directories by their identity: "keys/../a" and "./a" are one name */
  dir_a = g_path_get_dirname (target_a);
  dir_b = g_path_get_dirname (target_b);
  if (g_stat (dir_a, &info_a) == 0 && g_stat (dir_b, &info_b) == 0)
    return info_a.st_dev == info_b.st_dev && info_a.st_ino == info_b.st_ino;

  /* a directory yet to be made: by its name */
  {
    g_autofree char *canonical_a = g_canonicalize_filename (dir_a, NULL);
    g_autofree char *canonical_b = g_canonicalize_filename (dir_b, NULL);

    return strcmp (canonical_a, canonical_b) == 0;
  }
}

static GBytes *
read_bounded (int           fd,
              gsize         max_size,
              GCancellable *cancellable)
{
  g_autoptr(GByteArray) contents = g_byte_array_new ();

  for (;;)
    {
      guint8 buffer[16384];
      ssize_t n;

      if (g_cancellable_is_cancelled (cancellable))
        {
          errno = ECANCELED;
          return NULL;
        }
      n = read (fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (contents->len + (gsize) n > max_size)
        {
          errno = EFBIG;
          return NULL;
        }
      g_byte_array_append (contents, buffer, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&contents));
}

GBytes *
cd_file_read_regular (const char   *path,
                      gsize         max_size,
                      GCancellable *cancellable,
                      struct stat  *out_stat)
{
  GBytes *bytes;
  struct stat st;
  int errsv;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    return NULL;

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      errno = EINVAL;
      return NULL;
    }

  bytes = read_bounded (fd, max_size, cancellable);
  errsv = errno;
  close (fd);
  errno = errsv;
  if (bytes != NULL && out_stat != NULL)
    *out_stat = st;
  return bytes;
}
