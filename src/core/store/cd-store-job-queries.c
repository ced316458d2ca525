// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
#include "cd-store-private.h"

/* The job history filtered, sorted and paged, for the Job Logs and `certdesk-cli jobs`, and
 * the jobs' revision.
 *
 * The SQL depends on the query (one parameter per state and kind asked for, so that SQLite
 * looks each up in its index), so it is prepared for each call and finalized after it, not kept
 * in the connection's statement cache, which holds literals only. Every value is bound, never
 * written into the SQL. */

/* A statement of our own, finalized when it goes out of scope: declare it after the
 * CdStoreReader, so that it is finalized before the connection goes back to the pool. */
typedef sqlite3_stmt QueryStmt;

static void
query_stmt_finalize (QueryStmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QueryStmt, query_stmt_finalize)

/* One value to bind, as text (@text set) or as a number. */
typedef struct
{
  const char *text;
  gint64      number;
} Binding;

/* The WHERE clause of a query, and what its parameters take. */
typedef struct
{
  GPtrArray *conditions; /* SQL text, joined with AND */
  GArray    *bindings;   /* Binding; ?N takes bindings[N - 1] */
  char      *search;     /* the search as a LIKE pattern or as a phrase of the trigram index */
} Filter;

static void
filter_clear (Filter *filter)
{
  g_clear_pointer (&filter->conditions, g_ptr_array_unref);
  g_clear_pointer (&filter->bindings, g_array_unref);
  g_clear_pointer (&filter->search, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Filter, filter_clear)

/* Returns the parameter number that takes @binding. */
static guint
filter_bind (Filter        *filter,
             const Binding *binding)
{
  g_array_append_vals (filter->bindings, binding, 1);
  return filter->bindings->len;
}

/* Appends "@column IN (?1, ?2, ...)" to @sql, with one parameter per value; no value matches
 * nothing. */
static void
filter_append_in (Filter             *filter,
                  GString            *sql,
                  const char         *column,
                  const char *const  *values)
{
  g_string_append_printf (sql, "%s IN (", column);
  for (guint i = 0; values[i] != NULL; i++)
    {
      Binding binding = { .text = values[i] };

      g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", filter_bind (filter, &binding));
    }
  g_string_append_c (sql, ')');
}

static void
filter_add_in (Filter             *filter,
               const char         *column,
               const char *const  *values)
{
  GString *condition = g_string_new (NULL);

  filter_append_in (filter, condition, column, values);
  g_ptr_array_add (filter->conditions, g_string_free (condition, FALSE));
}

/* A condition that compares @column with one number: "created >= ?3". */
static void
filter_add_number (Filter     *filter,
                   const char *column,
                   const char *op,
                   gint64      number)
{
  Binding binding = { .number = number };
  guint parameter = filter_bind (filter, &binding);

  g_ptr_array_add (filter->conditions,
                   g_strdup_printf ("%s %s ?%u", column, op, parameter));
}

/* @needle as a LIKE pattern that finds it anywhere, with ESCAPE '\': its own %, _ and \ are
 * plain characters. */
static char *
like_pattern (const char *needle)
{
  GString *pattern = g_string_new ("%");

  for (const char *c = needle; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* @needle as a phrase of the trigram index: in double quotes, its own doubled, so that no
 * character of it means anything to FTS5. A phrase of the trigram tokenizer matches where its
 * text is found, in any case. */
static char *
fts_phrase (const char *needle)
{
  GString *phrase = g_string_new ("\"");

  for (const char *c = needle; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *c);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (phrase, FALSE);
}

/* How many rows of the trigram index a search must match to be common. */
#define COMMON_SEARCH 1000

/* Whether at least COMMON_SEARCH rows of the trigram index match @phrase: quick to tell either
 * way, since FTS5 stops at the LIMIT and finds a rare text at once. It only chooses how to
 * read, so a failure (which the query itself will report) reads as rare. */
static gboolean
search_is_common (CdStore    *self,
                  const char *phrase)
{
  g_autoptr(CdStoreStmt) stmt = NULL;

  stmt = _cd_store_prepare (self,
                            "SELECT count(*) FROM (SELECT 1 FROM job_search"
                            " WHERE job_search MATCH ?1 LIMIT ?2)",
                            NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, phrase, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, COMMON_SEARCH);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) >= COMMON_SEARCH;
}

static gboolean
has_search_kinds (const CdJobQuery *query)
{
  return query->search_kinds != NULL && query->search_kinds[0] != NULL;
}

/* The search: in the trigram index when there is one and the search is long enough to have a
 * trigram, else with LIKE through the jobs and their events; with the kinds whose title
 * matches, which the caller found. @in_order: the jobs are read in the order of an index,
 * newest first or oldest first. */
static void
filter_add_search (Filter           *filter,
                   CdStore          *self,
                   const CdJobQuery *query,
                   gboolean          in_order)
{
  GString *condition = g_string_new ("(");
  Binding binding;
  guint n;

  if (_cd_store_has_job_search (self) &&
      g_utf8_validate (query->search, -1, NULL) &&
      g_utf8_strlen (query->search, -1) >= 3)
    {
      /* SQLite reads the matches by id, then sorts them: the quickest for a rare text. A page
       * of a common one, or of one OR'ed with kinds, is quicker to find by reading the jobs in
       * the order of the index and looking each up among the matches, until the page is full:
       * the unary + keeps SQLite from reading them by id. */
      const char *by_id = "";

      filter->search = fts_phrase (query->search);
      if (in_order && (has_search_kinds (query) || search_is_common (self, filter->search)))
        by_id = "+";

      binding = (Binding) { .text = filter->search };
      n = filter_bind (filter, &binding);
      /* Only rowids are read, never the index's copy of the text: a job's own row is -id, an
       * event's row the event's id. The jobs' rows come by ascending id, which SQLite turns
       * into the list IN looks up faster than the reverse. */
      g_string_append_printf (condition,
                              "%sid IN (SELECT * FROM (SELECT -rowid FROM job_search"
                              "  WHERE job_search MATCH ?%u AND rowid < 0 ORDER BY rowid DESC)"
                              " UNION ALL SELECT job_events.job_id FROM job_search"
                              "  JOIN job_events ON job_events.id = job_search.rowid"
                              "  WHERE job_search MATCH ?%u AND job_search.rowid > 0)",
                              by_id, n, n);
    }
  else
    {
      /* One or two characters have no trigram: the index cannot help, and LIKE finds the
       * common ones quickly. EXISTS looks at the events of the jobs it is asked about only: a
       * first page of matches reads no more of the history than it must. */
      filter->search = like_pattern (query->search);
      binding = (Binding) { .text = filter->search };
      n = filter_bind (filter, &binding);
      g_string_append_printf (condition,
                              "target LIKE ?%u ESCAPE '\\' OR kind LIKE ?%u ESCAPE '\\'"
                              " OR message LIKE ?%u ESCAPE '\\' OR EXISTS (SELECT 1"
                              " FROM job_events WHERE job_events.job_id = jobs.id"
                              " AND job_events.message LIKE ?%u ESCAPE '\\')",
                              n, n, n, n);
    }

  if (has_search_kinds (query))
    {
      g_string_append (condition, " OR ");
      filter_append_in (filter, condition, "kind", query->search_kinds);
    }

  g_string_append_c (condition, ')');
  g_ptr_array_add (filter->conditions, g_string_free (condition, FALSE));
}

/* A state the store does not know is a mistake of the caller's, not "no jobs". */
static gboolean
check_query (const CdJobQuery  *query,
             GError           **error)
{
  if (query == NULL || query->states == NULL)
    return TRUE;

  for (guint i = 0; query->states[i] != NULL; i++)
    if (!_cd_store_is_job_state (query->states[i]))
      {
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                     _("“%s” is not a job state: use queued, running, finished, failed, "
                       "cancelled or interrupted."),
                     query->states[i]);
        return FALSE;
      }

  return TRUE;
}

/* The conditions of @query, checked by check_query(); without its states when @with_states
 * is FALSE. Runs on the connection of the read it is for (see filter_add_search()). */
static void
filter_init (Filter            *filter,
             CdStore           *self,
             const CdJobQuery  *query,
             gboolean           with_states,
             gboolean           in_order)
{
  filter->conditions = g_ptr_array_new_with_free_func (g_free);
  filter->bindings = g_array_new (FALSE, TRUE, sizeof (Binding));

  if (query == NULL)
    return;

  if (query->states != NULL && with_states)
    filter_add_in (filter, "state", query->states);
  if (query->kinds != NULL)
    filter_add_in (filter, "kind", query->kinds);
  if (query->instance_id != 0)
    filter_add_number (filter, "instance_id", "=", query->instance_id);
  if (query->created_from != 0)
    filter_add_number (filter, "created", ">=", query->created_from);
  if (query->created_until != 0)
    filter_add_number (filter, "created", "<", query->created_until);

  if (query->search != NULL && query->search[0] != '\0')
    filter_add_search (filter, self, query, in_order);
}

/* Whether cd_store_list_jobs_filtered() reads @query's jobs in the order of an index. */
static gboolean
is_in_order (const CdJobQuery *query)
{
  return query == NULL || query->order == CD_JOB_ORDER_CREATED;
}

/* " WHERE a AND b", or nothing. */
static void
filter_append_where (Filter  *filter,
                     GString *sql)
{
  for (guint i = 0; i < filter->conditions->len; i++)
    {
      g_string_append (sql, i == 0 ? " WHERE " : " AND ");
      g_string_append (sql, g_ptr_array_index (filter->conditions, i));
    }
}

/* Prepares @sql on the current thread's connection and binds @filter's values. */
static QueryStmt *
prepare_filtered (CdStore     *self,
                  const char  *sql,
                  Filter      *filter,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (_cd_store_db (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  for (guint i = 0; i < filter->bindings->len; i++)
    {
      const Binding *binding = &g_array_index (filter->bindings, Binding, i);

      if (binding->text != NULL)
        sqlite3_bind_text (stmt, i + 1, binding->text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, i + 1, binding->number);
    }

  return stmt;
}

/* Appends the first key of @query's order with its direction: for a column of a few stable
 * names, "CASE kind WHEN ?1 THEN 0 WHEN ?2 THEN 1 ... ELSE n END, kind", so that the names come
 * in the caller's order (its titles sorted) and any other after them, by name. */
static void
append_ranked (Filter           *filter,
               GString          *sql,
               const char       *column,
               const CdJobQuery *query,
               const char       *direction)
{
  guint n = 0;

  if (query->value_order != NULL && query->value_order[0] != NULL)
    {
      g_string_append_printf (sql, "CASE %s", column);
      for (; query->value_order[n] != NULL; n++)
        {
          Binding binding = { .text = query->value_order[n] };

          g_string_append_printf (sql, " WHEN ?%u THEN %u", filter_bind (filter, &binding), n);
        }
      g_string_append_printf (sql, " ELSE %u END %s, ", n, direction);
    }
  g_string_append_printf (sql, "%s %s", column, direction);
}

/* " ORDER BY ...": @query's order, then created and id, all in one direction, so that jobs
 * that tie still come in one order, and pages neither overlap nor leave a job out. */
static void
append_order (CdStore          *self,
              Filter           *filter,
              GString          *sql,
              const CdJobQuery *query)
{
  const char *direction = query != NULL && query->ascending ? "ASC" : "DESC";
  CdJobOrder order = query != NULL ? query->order : CD_JOB_ORDER_CREATED;

  g_string_append (sql, " ORDER BY ");
  switch (order)
    {
    case CD_JOB_ORDER_KIND:
      append_ranked (filter, sql, "kind", query, direction);
      break;

    case CD_JOB_ORDER_TARGET:
      g_string_append_printf (sql, "target COLLATE NOCASE %s", direction);
      break;

    case CD_JOB_ORDER_STATE:
      append_ranked (filter, sql, "state", query, direction);
      break;

    case CD_JOB_ORDER_STARTED:
      /* the expression of the index jobs_started_created, which SQLite matches as written */
      g_string_append_printf (sql, "coalesce (started, created) %s", direction);
      break;

    case CD_JOB_ORDER_DURATION:
      {
        /* One "now" for every running job, bound once for both ORDER BY of a sorted page
         * (build_list_sql()). A running job's duration grows as it runs: a page read later
         * may place it elsewhere, as it places a job that has changed since. */
        Binding now = { .number = g_get_real_time () };

        g_string_append_printf (sql,
                                "CASE WHEN started IS NULL THEN 0"
                                " WHEN finished IS NULL THEN ?%u - started"
                                " ELSE finished - started END %s",
                                filter_bind (filter, &now), direction);
      }
      break;

    case CD_JOB_ORDER_INITIATOR:
      /* before the job runner's columns, every job was a user's */
      append_ranked (filter, sql,
                     _cd_store_has_job_runner_columns (self) ? "initiator" : "'user'",
                     query, direction);
      break;

    case CD_JOB_ORDER_CREATED:
    default:
      break;
    }

  if (order != CD_JOB_ORDER_CREATED)
    g_string_append (sql, ", ");
  /* the indexes keep (column, created, id): both directions come from them, read backwards
   * or forwards */
  g_string_append_printf (sql, "created %s, id %s", direction, direction);
}

/* The SELECT of cd_store_list_jobs_filtered(), with @query's order, limit and offset. */
static char *
build_list_sql (CdStore          *self,
                const CdJobQuery *query,
                Filter           *filter)
{
  GString *sql = g_string_new ("SELECT ");
  g_autoptr(GString) order = g_string_new (NULL);
  g_autofree char *limit = NULL;

  g_string_append (sql, _cd_store_has_job_runner_columns (self) ? CD_STORE_JOB_COLUMNS
                                                                 : CD_STORE_JOB_COLUMNS_OLD);
  g_string_append (sql, " FROM jobs");
  append_order (self, filter, order, query);

  if (query != NULL && (query->limit > 0 || query->offset > 0))
    {
      Binding limit_binding = { .number = query->limit > 0 ? (gint64) query->limit : -1 };
      Binding offset_binding = { .number = query->offset };
      guint n_limit = filter_bind (filter, &limit_binding);
      guint n_offset = filter_bind (filter, &offset_binding);

      limit = g_strdup_printf (" LIMIT ?%u OFFSET ?%u", n_limit, n_offset);
    }

  if (limit != NULL && query->order != CD_JOB_ORDER_CREATED)
    {
      /* Sorted by anything but created, a page is chosen among every job the filters take.
       * The sort then holds the ids and what they are sorted by, read from an index where
       * one covers them, rather than whole rows; the page's rows are read after, by id. The
       * same parameters serve both ORDER BY, so that both sort the same way. */
      g_string_append (sql, " WHERE id IN (SELECT id FROM jobs");
      filter_append_where (filter, sql);
      g_string_append_printf (sql, "%s%s)%s", order->str, limit, order->str);
    }
  else
    {
      filter_append_where (filter, sql);
      g_string_append (sql, order->str);
      if (limit != NULL)
        g_string_append (sql, limit);
    }

  return g_string_free (sql, FALSE);
}

GPtrArray *
cd_store_list_jobs_filtered (CdStore           *self,
                             const CdJobQuery  *query,
                             GError           **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_auto(Filter) filter = { 0 };
  g_autoptr(QueryStmt) stmt = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CD_STORE_CHECK_CALLER ();

  if (!check_query (query, error))
    return NULL;

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_job_record_free);
  if (!_cd_store_has_jobs (self))
    return g_steal_pointer (&jobs);

  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  filter_init (&filter, self, query, TRUE, is_in_order (query));
  sql = build_list_sql (self, query, &filter);
  stmt = prepare_filtered (self, sql, &filter, error);
  if (stmt == NULL)
    return NULL;

  if (!_cd_store_collect_rows (self, stmt, jobs, _cd_store_job_from_row, error))
    return NULL;

  return g_steal_pointer (&jobs);
}

guint
cd_store_count_jobs (CdStore           *self,
                     const CdJobQuery  *query,
                     GError           **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_auto(Filter) filter = { 0 };
  g_autoptr(QueryStmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM jobs");
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!check_query (query, error))
    return 0;
  if (!_cd_store_has_jobs (self))
    return 0;

  if (!_cd_store_reader_begin (self, &reader, error))
    return 0;

  filter_init (&filter, self, query, TRUE, FALSE);
  filter_append_where (&filter, sql);
  stmt = prepare_filtered (self, sql->str, &filter, error);
  if (stmt == NULL)
    return 0;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  return (guint) MIN (sqlite3_column_int64 (stmt, 0), (sqlite3_int64) G_MAXUINT);
}

gboolean
cd_store_count_jobs_by_state (CdStore           *self,
                              const CdJobQuery  *query,
                              CdJobStateCounts  *out_counts,
                              GError           **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_auto(Filter) filter = { 0 };
  g_autoptr(QueryStmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT state, count(*) FROM jobs");
  CdJobStateCounts counts = { 0 };
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_counts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  *out_counts = counts;

  if (!check_query (query, error))
    return FALSE;
  if (!_cd_store_has_jobs (self))
    return TRUE;

  if (!_cd_store_reader_begin (self, &reader, error))
    return FALSE;

  filter_init (&filter, self, query, FALSE, FALSE);
  filter_append_where (&filter, sql);
  g_string_append (sql, " GROUP BY state");
  stmt = prepare_filtered (self, sql->str, &filter, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *state = (const char *) sqlite3_column_text (stmt, 0);
      guint count = (guint) MIN (sqlite3_column_int64 (stmt, 1), (sqlite3_int64) G_MAXUINT);

      if (g_strcmp0 (state, CD_JOB_STATE_QUEUED) == 0)
        counts.queued = count;
      else if (g_strcmp0 (state, CD_JOB_STATE_RUNNING) == 0)
        counts.running = count;
      else if (g_strcmp0 (state, CD_JOB_STATE_FINISHED) == 0)
        counts.finished = count;
      else if (g_strcmp0 (state, CD_JOB_STATE_FAILED) == 0)
        counts.failed = count;
      else if (g_strcmp0 (state, CD_JOB_STATE_CANCELLED) == 0)
        counts.cancelled = count;
      else if (g_strcmp0 (state, CD_JOB_STATE_INTERRUPTED) == 0)
        counts.interrupted = count;
    }
  if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  *out_counts = counts;
  return TRUE;
}

/* Mixes @value into @hash (as Boost's hash_combine does, on 64 bits). */
static guint64
hash_combine (guint64 hash,
              gint64  value)
{
  return hash ^ ((guint64) value + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + (hash << 6) +
                 (hash >> 2));
}

/* A store older than jobs_revision, opened read-only, may still be written by the Certdesk
 * that made it. What it can tell cheaply is how many jobs and artifacts it has and the newest
 * id of each table (events go only with their job): every job, event or artifact added or
 * deleted changes one of them. A change of state or message that adds no event changes none:
 * such a store's Job Logs see it at the next change that does. */
static gint64
old_jobs_revision (CdStore  *self,
                   GError  **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;
  guint64 hash = 0;
  gboolean empty = TRUE;
  int rc;

  stmt = _cd_store_prepare (self,
                            "SELECT (SELECT count(*) FROM jobs), (SELECT max (id) FROM jobs),"
                            " (SELECT max (id) FROM job_events),"
                            " (SELECT count(*) FROM job_artifacts),"
                            " (SELECT max (id) FROM job_artifacts)",
                            error);
  if (stmt == NULL)
    return 0;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  for (int i = 0; i < 5; i++)
    {
      gint64 value = sqlite3_column_int64 (stmt, i);

      empty = empty && value == 0;
      hash = hash_combine (hash, value);
    }

  /* positive, and 0 only for a store without jobs */
  return empty ? 0 : (gint64) MAX (hash & G_MAXINT64, 1);
}

gint64
cd_store_get_jobs_revision (CdStore  *self,
                            GError  **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  CD_STORE_CHECK_CALLER ();

  if (!_cd_store_has_jobs (self))
    return 0;

  if (!_cd_store_reader_begin (self, &reader, error))
    return 0;

  if (!_cd_store_has_job_search (self))
    return old_jobs_revision (self, error);

  stmt = _cd_store_prepare (self, "SELECT value FROM jobs_revision", error);
  if (stmt == NULL)
    return 0;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return 0;
    }

  return sqlite3_column_int64 (stmt, 0);
}

static const char *const *
strv_copy (const char *const *strv)
{
  return (const char *const *) g_strdupv ((char **) strv);
}

CdJobQuery *
cd_job_query_copy (const CdJobQuery *query)
{
  CdJobQuery *copy;

  /* no query takes every job, as its copy does */
  if (query == NULL)
    return NULL;

  copy = g_new (CdJobQuery, 1);
  *copy = *query;
  copy->states = strv_copy (query->states);
  copy->kinds = strv_copy (query->kinds);
  copy->search = g_strdup (query->search);
  copy->search_kinds = strv_copy (query->search_kinds);
  copy->value_order = strv_copy (query->value_order);

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

char *
_cd_store_explain_job_query (CdStore           *self,
                             const CdJobQuery  *query,
                             GError           **error)
{
  g_auto(CdStoreReader) reader = CD_STORE_READER_INIT;
  g_auto(Filter) filter = { 0 };
  g_autoptr(QueryStmt) stmt = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autofree char *select = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (_cd_store_has_jobs (self), NULL);

  if (!check_query (query, error))
    return NULL;
  if (!_cd_store_reader_begin (self, &reader, error))
    return NULL;

  filter_init (&filter, self, query, TRUE, is_in_order (query));
  select = build_list_sql (self, query, &filter);
  sql = g_strconcat ("EXPLAIN QUERY PLAN ", select, NULL);
  stmt = prepare_filtered (self, sql, &filter, error);
  if (stmt == NULL)
    return NULL;

  /* the columns are id, parent, notused and detail */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  if (rc != SQLITE_DONE)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&plan), FALSE);
}
