// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-records.h"

G_BEGIN_DECLS

/* The store keeps the inventory, certificates, keys and the job history in one SQLite
 * database, behind this interface only (no SQL outside src/core/store).
 *
 * Writes have one owner: a writer thread with its own connection. The synchronous write
 * functions below hand their work to it and wait (they run straight away when called on the
 * writer thread, as from a CdStoreWriteFunc); cd_store_write_async() hands it any function and
 * returns at once. A write that waits for another process (certdesk-cli from cron, say) waits
 * on the writer thread, up to CD_STORE_BUSY_TIMEOUT_MS.
 *
 * Reads use connections of their own, from a small pool, so that no read waits for a write
 * (the database is in WAL mode). A read that must be consistent, such as the inventory, runs
 * in one read transaction: one snapshot.
 *
 * Every synchronous function, read or write, may wait for the disk or another process: none
 * may be called on the thread that runs the default main context (the user interface), and
 * each says so with a critical warning when it is. The model's asynchronous functions and
 * cd_store_load_inventory_async() are what the main loop calls.
 *
 * Time: one unit everywhere, microseconds since the Unix epoch (UTC) as g_get_real_time()
 * gives it, for every created, not_before, not_after and job time; see cd-records.h. */

/* How long a write waits for another program's lock before it fails with CD_ERROR_IO. */
#define CD_STORE_BUSY_TIMEOUT_MS 15000

/* The newest schema this build writes. Migrations from every earlier version are in code. */
#define CD_STORE_SCHEMA_VERSION 6
/* The first version whose jobs record their owner, parameters and progress. */
#define CD_STORE_JOBS_RUNNER_VERSION 4

typedef enum
{
  CD_STORE_OPEN_DEFAULT = 0,
  /* never write: no migration, no job recovery; every write fails with CD_ERROR_READ_ONLY */
  CD_STORE_OPEN_READ_ONLY = 1 << 0,
} CdStoreOpenFlags;

#define CD_TYPE_STORE (cd_store_get_type ())
G_DECLARE_FINAL_TYPE (CdStore, cd_store, CD, STORE, GObject)

/* The inventory as one snapshot, for loading off the main loop. */
typedef struct
{
  GPtrArray *instances;    /* CdInstanceRecord, ordered by id */
  GPtrArray *subdomains;   /* CdSubdomainRecord, ordered by id */
  GPtrArray *hosts;        /* CdHostRecord, ordered by id */
  /* CdCertificateRecord of every certificate a host has, ordered by id, read in the same
   * snapshot as the hosts; without their DER (der is NULL): cd_store_get_certificate() has
   * it when one is needed */
  GPtrArray *certificates;
} CdInventoryRecords;

void cd_inventory_records_free (CdInventoryRecords *records);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdInventoryRecords, cd_inventory_records_free)

/* Runs on the store's writer thread, where it may call the synchronous write (and read)
 * functions of @store: they run there and then, each in its own transaction. Returns FALSE
 * with @error set on failure. */
typedef gboolean (*CdStoreWriteFunc) (CdStore       *store,
                                      gpointer       data,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* $XDG_DATA_HOME/certdesk/certdesk.db */
char      *cd_store_get_default_path   (void);

/* Opens (creating it and its 0700 directory when missing, unless read-only) and migrates.
 * A file that is not a database, fails PRAGMA quick_check, or cannot be read is left exactly
 * as it is and reported as CD_ERROR_DATABASE_CORRUPT or CD_ERROR_IO; a database written by a
 * newer Certdesk is reported as CD_ERROR_DATABASE_TOO_NEW unless opened read-only. Jobs left
 * queued or running by a process that died are marked interrupted, with an event. */
CdStore   *cd_store_open               (const char        *path,
                                        CdStoreOpenFlags   flags,
                                        GError           **error);

/* Renames a damaged database (and its -wal and -shm files) to "NAME.broken-YYYYMMDD-HHMMSS"
 * beside it and returns the new path of the main file. */
char      *cd_store_move_aside         (const char        *path,
                                        GError           **error);

const char *cd_store_get_path          (CdStore           *self);
gboolean   cd_store_is_read_only       (CdStore           *self);
int        cd_store_get_schema_version (CdStore           *self);
/* How many jobs cd_store_open() marked interrupted. */
guint      cd_store_get_interrupted_jobs (CdStore         *self);

/* Inventory. Names are stored as given: callers normalize them first. Every multi-row change
 * runs in one transaction. A taken name fails with CD_ERROR_DUPLICATE and a message that says
 * which; a missing id with CD_ERROR_NOT_FOUND. On insert, a record id of 0 lets the store
 * choose; a non-zero id is kept (undo restores rows under their old ids). */
CdInventoryRecords *cd_store_load_inventory        (CdStore              *self,
                                                    GError              **error);
void                cd_store_load_inventory_async  (CdStore              *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
CdInventoryRecords *cd_store_load_inventory_finish (CdStore              *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

gint64   cd_store_add_instance      (CdStore                  *self,
                                     const CdInstanceRecord   *record,
                                     GError                  **error);
gboolean cd_store_update_instance   (CdStore                  *self,
                                     const CdInstanceRecord   *record,
                                     GError                  **error);
/* Deletes the instance with its subdomains and their hosts. */
gboolean cd_store_delete_instance   (CdStore                  *self,
                                     gint64                    id,
                                     GError                  **error);

gint64   cd_store_add_subdomain     (CdStore                  *self,
                                     const CdSubdomainRecord  *record,
                                     GError                  **error);
/* Adds a subdomain and its hosts in one transaction. On success the hosts' id and subdomain_id
 * are filled in and the subdomain's id is returned; on failure nothing is written. */
gint64   cd_store_add_subdomain_with_hosts (CdStore           *self,
                                            const CdSubdomainRecord *record,
                                            GPtrArray         *hosts,
                                            GError           **error);
gboolean cd_store_update_subdomain  (CdStore                  *self,
                                     const CdSubdomainRecord  *record,
                                     GError                  **error);
gboolean cd_store_delete_subdomain  (CdStore                  *self,
                                     gint64                    id,
                                     GError                  **error);

gint64   cd_store_add_host          (CdStore                  *self,
                                     const CdHostRecord       *record,
                                     GError                  **error);
gboolean cd_store_update_host       (CdStore                  *self,
                                     const CdHostRecord       *record,
                                     GError                  **error);
gboolean cd_store_delete_host       (CdStore                  *self,
                                     gint64                    id,
                                     GError                  **error);

/* Puts back, in one transaction and under their old ids, rows removed by a delete: an
 * instance (may be NULL when only subdomains or hosts were deleted), subdomains and hosts. */
gboolean cd_store_restore           (CdStore                  *self,
                                     const CdInstanceRecord   *instance,
                                     GPtrArray                *subdomains,
                                     GPtrArray                *hosts,
                                     GError                  **error);

/* Certificates and keys. */
gint64               cd_store_add_key             (CdStore                    *self,
                                                   const CdKeyRecord          *record,
                                                   GError                    **error);
gint64               cd_store_add_certificate     (CdStore                    *self,
                                                   const CdCertificateRecord  *record,
                                                   GError                    **error);
CdCertificateRecord *cd_store_get_certificate     (CdStore                    *self,
                                                   gint64                      id,
                                                   GError                    **error);
gboolean             cd_store_set_host_certificate (CdStore                   *self,
                                                   gint64                      host_id,
                                                   gint64                      certificate_id,
                                                   GError                    **error);

/* Jobs. A new job is queued; set_job_state stamps started when it enters running and finished
 * when it enters finished, failed or cancelled. cd_store_add_job() records the calling process
 * as the job's owner. */
gint64     cd_store_add_job             (CdStore            *self,
                                         const char         *kind,
                                         const char         *target,
                                         gint64              instance_id,
                                         GError            **error);
/* Stores a job as @record describes it (id, started and finished are ignored; a created of 0
 * is now; a NULL state is queued). Its owner is what cd_store_open() checks: a job left queued
 * or running whose owner is gone is marked interrupted. */
gint64     cd_store_insert_job          (CdStore            *self,
                                         const CdJobRecord  *record,
                                         GError            **error);
/* As set_job_state, with the action a person can take after a failure (NULL keeps it). */
gboolean   cd_store_set_job_outcome     (CdStore            *self,
                                         gint64              job_id,
                                         const char         *state,
                                         const char         *message,
                                         const char         *error_action,
                                         GError            **error);
/* @progress from 0 to 1, or negative when unknown; @step may be NULL. */
gboolean   cd_store_set_job_progress    (CdStore            *self,
                                         gint64              job_id,
                                         double              progress,
                                         const char         *step,
                                         GError            **error);
/* Removes what a job left that must not outlive it (a cancelled job's artifacts). */
gboolean   cd_store_delete_job_artifacts (CdStore           *self,
                                         gint64              job_id,
                                         GError            **error);
gboolean   cd_store_set_job_state       (CdStore            *self,
                                         gint64              job_id,
                                         const char         *state,
                                         const char         *message,
                                         GError            **error);
gint64     cd_store_add_job_event       (CdStore            *self,
                                         gint64              job_id,
                                         const char         *level,
                                         const char         *message,
                                         GError            **error);
gint64     cd_store_add_job_artifact    (CdStore            *self,
                                         gint64              job_id,
                                         const char         *name,
                                         const char         *media_type,
                                         GBytes             *content,
                                         const char         *path,
                                         GError            **error);
CdJobRecord *cd_store_get_job           (CdStore            *self,
                                         gint64              job_id,
                                         GError            **error);
GPtrArray *cd_store_list_jobs           (CdStore            *self,
                                         GError            **error);
GPtrArray *cd_store_list_job_events     (CdStore            *self,
                                         gint64              job_id,
                                         GError            **error);
GPtrArray *cd_store_list_job_artifacts  (CdStore            *self,
                                         gint64              job_id,
                                         GError            **error);

/* The orders cd_store_list_jobs_filtered() can give, one per column of the Job Logs. Ties
 * go by created, then by id, in the same direction, so that pages never overlap. */
typedef enum
{
  CD_JOB_ORDER_CREATED = 0,   /* when it was asked for (the default) */
  CD_JOB_ORDER_KIND,          /* by CdJobQuery.value_order, else by the kind's name */
  CD_JOB_ORDER_TARGET,        /* the target as written, case-insensitive for ASCII */
  CD_JOB_ORDER_STATE,         /* by CdJobQuery.value_order, else by the state's name */
  CD_JOB_ORDER_STARTED,       /* started, a job that has not started by created */
  CD_JOB_ORDER_DURATION,      /* finished - started; a running job until now; queued: 0 */
  CD_JOB_ORDER_INITIATOR,     /* by CdJobQuery.value_order, else by the initiator's name */
} CdJobOrder;

/* Which jobs cd_store_list_jobs_filtered() and cd_store_count_jobs() take; all zero (or a NULL
 * query) takes every job. The filters combine: a job must pass each one that is set. */
typedef struct
{
  /* job states (CD_JOB_STATE_*), NULL-terminated: a job in any of them; NULL: any state, an
   * empty array: none */
  const char *const *states;
  /* job kinds ("generate-csr", ...), the same way */
  const char *const *kinds;
  gint64             instance_id;   /* 0: any instance, or none */
  gint64             created_from;  /* created at or after this time; 0: no lower bound */
  gint64             created_until; /* created before this time; 0: no upper bound */
  /* text found in the target, the kind, the message or one of the job's events, as it is
   * written (case-insensitive; % and _ are plain characters); NULL or "": any. From schema
   * version 6 a search of three characters or more is looked up in a trigram index. */
  const char        *search;
  /* kinds whose title (as the caller shows it, translated) contains the search: their jobs
   * match the search too; NULL: none */
  const char *const *search_kinds;
  guint              limit;         /* at most this many jobs; 0: no limit */
  guint              offset;        /* after skipping this many */
  CdJobOrder         order;
  gboolean           ascending;     /* FALSE: newest, largest or last first */
  /* for CD_JOB_ORDER_KIND, _STATE and _INITIATOR: the values in the order they sort (the
   * caller's titles sorted), NULL-terminated; values not in it sort after them by name */
  const char *const *value_order;
} CdJobQuery;

/* A copy of @query whose strings and arrays it owns; free with cd_job_query_free(). */
CdJobQuery *cd_job_query_copy (const CdJobQuery *query);
void        cd_job_query_free (CdJobQuery       *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJobQuery, cd_job_query_free)


/* The jobs @query takes, in its order (newest first by default: by created, then by id), as
 * CdJobRecord. Indexes serve the states, kinds, instance and times, and the orders by created
 * and by started: a page costs what its offset and limit cost, not what the history does
 * (tests/bench/bench-job-queries.c: well under 5 ms for any page of 200,000 jobs). A page in
 * another order sorts every job the filters take (tens of ms for 200,000 jobs). A search of
 * three characters or more costs what its matches cost (a millisecond when a few jobs of
 * 200,000 match, about 100 ms when all do); a shorter one reads jobs and their events until
 * the page is full. A state that is not a job state fails with CD_ERROR_INVALID_VALUE. */
GPtrArray *cd_store_list_jobs_filtered  (CdStore            *self,
                                         const CdJobQuery   *query,
                                         GError            **error);
/* How many jobs @query takes, ignoring its limit and offset; on failure 0 with @error set. */
guint      cd_store_count_jobs          (CdStore            *self,
                                         const CdJobQuery   *query,
                                         GError            **error);

/* Jobs per state that @query takes, ignoring its states, limit and offset: one query for the
 * counts of every tab. */
typedef struct
{
  guint queued;
  guint running;
  guint finished;
  guint failed;
  guint cancelled;
  guint interrupted;
} CdJobStateCounts;

gboolean   cd_store_count_jobs_by_state (CdStore            *self,
                                         const CdJobQuery   *query,
                                         CdJobStateCounts   *out_counts,
                                         GError            **error);

/* A number that changes whenever a job, an event or an artifact is added, changed or deleted,
 * by this process or another one (certdesk-cli, a second window): cheap enough to poll every
 * second. 0 for a store without jobs. */
gint64     cd_store_get_jobs_revision   (CdStore            *self,
                                         GError            **error);

/* Retention: deletes, with their events and artifacts, the jobs that ended (finished, failed,
 * cancelled or interrupted) before @before, except the newest finished CSR job (generate-csr
 * or renew-certificate with a CSR artifact) of each target, whose CSR stays downloadable
 * however old. Deletes in batches, one transaction each, so that other writes wait little;
 * checks @cancellable between batches. @out_n_deleted (may be NULL) is how many were deleted,
 * also on failure. */
gboolean   cd_store_delete_jobs_before  (CdStore            *self,
                                         gint64              before,
                                         GCancellable       *cancellable,
                                         guint              *out_n_deleted,
                                         GError            **error);

/* Runs @func on the writer thread and reports on the calling thread's main context. Writes
 * queue in the order they are asked for. Cancelled before it starts, @func does not run; once
 * it has run, the result is what it did, cancelled or not. @destroy frees @data after the
 * callback, on the calling thread. A read-only store fails with CD_ERROR_READ_ONLY. */
void       cd_store_write_async         (CdStore            *self,
                                         CdStoreWriteFunc    func,
                                         gpointer            data,
                                         GDestroyNotify      destroy,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean   cd_store_write_finish        (CdStore            *self,
                                         GAsyncResult       *result,
                                         GError            **error);

/* Fills an empty store with a realistic sample inventory (three instances in different data
 * centers, a dozen subdomains and their hosts) for `certdesk --demo`. */
gboolean   cd_store_seed_demo           (CdStore            *self,
                                         GError            **error);

G_END_DECLS
