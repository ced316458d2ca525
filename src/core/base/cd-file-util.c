// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-file-util"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "cd-file-util.h"

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
