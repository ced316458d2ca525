// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-file-util"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
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
