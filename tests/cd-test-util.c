// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-test-util"

#include "config.h"

#include <glib/gstdio.h>

#include "cd-test-util.h"

void
cd_test_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          cd_test_remove_tree (child);
        }
      g_dir_close (dir);
      g_assert_no_errno (g_rmdir (path));
    }
  else
    g_assert_no_errno (g_unlink (path));
}
