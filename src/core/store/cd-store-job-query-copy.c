// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include "cd-store.h"

/* A query that outlives its caller's stack: an asynchronous export takes one. */

CdJobQuery *
cd_job_query_copy (const CdJobQuery *query)
{
  CdJobQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  /* NULL and an empty array mean different things: g_strdupv() keeps either */
  copy->states = (const char *const *) g_strdupv ((char **) query->states);
  copy->kinds = (const char *const *) g_strdupv ((char **) query->kinds);
  copy->search = g_strdup (query->search);
  copy->search_kinds = (const char *const *) g_strdupv ((char **) query->search_kinds);
  copy->value_order = (const char *const *) g_strdupv ((char **) query->value_order);
  return copy;
}

void
cd_job_query_free (CdJobQuery *query)
{
  if (query == NULL)
    return;

  g_strfreev ((char **) query->states);
  g_strfreev ((char **) query->kinds);
  g_free ((char *) query->search);
  g_strfreev ((char **) query->search_kinds);
  g_strfreev ((char **) query->value_order);
  g_free (query);
}
