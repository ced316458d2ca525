// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-csr.h"
#include "cd-error.h"
#include "cd-keygen.h"
#include "cd-store-private.h"

/* A sample inventory for `certdesk --demo`, screenshots and trying things out. Every name is
 * under a domain reserved for examples (RFC 2606, RFC 6761), so nothing here can reach a
 * real host. Names are stored normalized, as the store expects: the IDN subdomain
 * "post.bücher-haus.example" is written as its A-label. */

typedef struct
{
  const char *name;
  /* custom host prefixes beside t, m and res, NULL-terminated */
  const char *custom[3];
} DemoSubdomain;

typedef struct
{
  const char   *name;
  const char   *data_center;
  const char   *url;
  int           age_days;
  DemoSubdomain subdomains[4];
} DemoInstance;

static const DemoInstance demo_instances[] = {
  {
    "Acme Retail", "us2", "https://acme-retail.campaign.example.net", 410,
    {
      { "mail.acme-retail.example", { "click", NULL } },
      { "news.acme-retail.example", { NULL } },
      { "offers.acme-retail.example", { "click", "img", NULL } },
      { "email.acme-outlet.example", { NULL } },
    },
  },
  {
    "Nordlicht Reisen", "em4", "https://nordlicht-reisen.campaign.example.net", 270,
    {
      { "info.nordlicht-reisen.example", { "click", NULL } },
      { "mail.nordlicht-reisen.example", { NULL } },
      { "angebote.nordlicht-reisen.example", { "links", NULL } },
      /* post.bücher-haus.example */
      { "post.xn--bcher-haus-9db.example", { NULL } },
    },
  },
  {
    "Sakura Foods", "ap5", "https://sakura-foods.campaign.example.net", 120,
    {
      { "mail.sakura-foods.example", { "click", NULL } },
      { "news.sakura-foods.example", { NULL } },
      { "recipes.sakura-foods.example", { "img", NULL } },
      { "club.sakura-foods.example", { "click", "links", NULL } },
    },
  },
};

static const struct
{
  const char *prefix;
  const char *purpose;
} standard_hosts[] = {
  { "t", CD_HOST_PURPOSE_TRACKING },
  { "m", CD_HOST_PURPOSE_MIRROR },
  { "res", CD_HOST_PURPOSE_RESOURCES },
};

static gboolean
inventory_is_empty (CdStore   *self,
                    gboolean  *empty,
                    GError   **error)
{
  g_autoptr(CdStoreStmt) stmt = NULL;
  int rc;

  stmt = _cd_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM instances)", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cd_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  *empty = sqlite3_column_int (stmt, 0) == 0;

  return TRUE;
}

static gboolean
seed_instance (CdStore             *self,
               const DemoInstance  *demo,
               gint64               now,
               GError             **error)
{
  CdInstanceRecord instance = {
    .name = (char *) demo->name,
    .url = (char *) demo->url,
    .data_center = (char *) demo->data_center,
    .created = now - (gint64) demo->age_days * G_TIME_SPAN_DAY,
  };
  gint64 instance_id;

  instance_id = _cd_store_insert_instance (self, &instance, error);
  if (instance_id == 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo->subdomains); i++)
    {
      const DemoSubdomain *demo_subdomain = &demo->subdomains[i];
      /* subdomains were delegated a few weeks apart after the instance was set up */
      gint64 created = instance.created + (gint64) (i + 1) * 21 * G_TIME_SPAN_DAY;
      CdSubdomainRecord subdomain = {
        .instance_id = instance_id,
        .name = (char *) demo_subdomain->name,
        .created = created,
      };
      gint64 subdomain_id;

      subdomain_id = _cd_store_insert_subdomain (self, &subdomain, error);
      if (subdomain_id == 0)
        return FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (standard_hosts); j++)
        {
          CdHostRecord host = {
            .subdomain_id = subdomain_id,
            .purpose = (char *) standard_hosts[j].purpose,
            .prefix = (char *) standard_hosts[j].prefix,
            .created = created,
          };

          if (_cd_store_insert_host (self, &host, error) == 0)
            return FALSE;
        }

      for (guint j = 0; demo_subdomain->custom[j] != NULL; j++)
        {
          CdHostRecord host = {
            .subdomain_id = subdomain_id,
            .purpose = (char *) CD_HOST_PURPOSE_CUSTOM,
            .prefix = (char *) demo_subdomain->custom[j],
            .created = created + G_TIME_SPAN_DAY,
          };

          if (_cd_store_insert_host (self, &host, error) == 0)
            return FALSE;
        }
    }

  return TRUE;
}

/* --- a job history ------------------------------------------------------------------------ */

/* What the demo's jobs did, by kind: the stable kind string, what it acts on, how long it
 * ran, its events, and what a failure said with the action to take. */
typedef enum
{
  TARGET_SUBDOMAIN,
  TARGET_HOST,
  TARGET_DATA_CENTER,
  TARGET_KEYSTORE,
} DemoTarget;

typedef struct
{
  const char *kind;
  DemoTarget  target;
  int         seconds;
  const char *events[3];
  const char *failure;
  const char *action;
} DemoJobKind;

static const DemoJobKind demo_job_kinds[] = {
  { "generate-csr", TARGET_SUBDOMAIN, 2,
    { N_("Generated an RSA 2048 key"), N_("Wrote the CSR for 4 names"), NULL },
    N_("The common name is not one of the selected hosts."),
    N_("Choose the common name among the hosts, then generate the CSR again.") },
  { "install-certificate", TARGET_SUBDOMAIN, 3,
    { N_("The certificate matches the key of the pending CSR"),
      N_("The chain is complete and trusted"), N_("Installed on 4 hosts") },
    N_("The certificate does not match the key of the pending CSR."),
    N_("Install the certificate the CA issued for the latest CSR of this subdomain.") },
  { "renew-certificate", TARGET_SUBDOMAIN, 4,
    { N_("Generated a new key"), N_("Wrote the renewal CSR"), NULL },
    N_("The renewal was cancelled before the CSR was written."),
    N_("Start the renewal again.") },
  { "download-bundle", TARGET_DATA_CENTER, 6,
    { N_("Downloaded 3 certificates (6.1 kB)"), N_("The root is the one imported last time"),
      NULL },
    N_("The download timed out after 10 s."),
    N_("Check the network connection and the bundle location, then download again.") },
  { "import-bundle", TARGET_DATA_CENTER, 1,
    { N_("Read a root, an intermediate and a server certificate"), NULL, NULL },
    N_("The zip holds an entry outside its folder and was refused."),
    N_("Ask the sender for the bundle again.") },
  { "import-keystore", TARGET_KEYSTORE, 1,
    { N_("Added the root and the intermediate as trusted certificates"),
      N_("Saved the keystore; the previous version is its .bak"), NULL },
    N_("Keystore was tampered with, or password was incorrect"),
    N_("Check the password, then run the job again.") },
  { "check-hosts", TARGET_HOST, 1,
    { N_("TLS 1.3, the chain is served in order"),
      N_("The served certificate is the one in the inventory"), NULL },
    N_("The host did not answer within 10 s."),
    N_("Check that the host is reachable, then check it again.") },
  { "check-dns", TARGET_SUBDOMAIN, 1,
    { N_("CNAME chain as expected"), N_("CAA allows the instance's CA"), NULL },
    N_("The CNAME of t. points to another target than the one configured."),
    N_("Fix the CNAME record at the DNS provider, then check again.") },
};

#define N_DEMO_JOBS  360
#define EVENT_GAP_US (400 * G_TIME_SPAN_MILLISECOND)

static gboolean
add_demo_event (CdStore       *self,
                sqlite3_stmt  *stmt,
                gint64         job_id,
                gint64         time,
                const char    *level,
                const char    *message,
                GError       **error)
{
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, time);
  sqlite3_bind_text (stmt, 3, level, -1, SQLITE_STATIC);
  _cd_store_bind_text (stmt, 4, message);
  if (!_cd_store_step_done (self, stmt, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

/* A CSR for the demo's first subdomain, from a key made for it and dropped at once. */
static GBytes *
make_demo_csr (const char *subdomain,
               GError    **error)
{
  g_autoptr(CdCsrRequest) request = cd_csr_request_new ();
  EVP_PKEY *key;
  X509_REQ *req;
  char *pem;

  request->organization = g_strdup ("Acme Retail");
  request->country = g_strdup ("US");
  request->common_name = g_strdup_printf ("t.%s", subdomain);
  for (guint i = 0; i < G_N_ELEMENTS (standard_hosts); i++)
    {
      g_autofree char *host = g_strdup_printf ("%s.%s", standard_hosts[i].prefix, subdomain);

      cd_csr_request_add_host (request, host);
    }

  key = cd_keygen (CD_KEY_TYPE_EC_P256, NULL, error);
  if (key == NULL)
    return NULL;
  req = cd_csr_create (request, key, error);
  EVP_PKEY_free (key);
  if (req == NULL)
    return NULL;
  pem = cd_csr_to_pem (req);
  X509_REQ_free (req);
  return g_bytes_new_take (pem, strlen (pem));
}

static char *
demo_job_target (const DemoJobKind *kind,
                 const DemoInstance *instance,
                 guint               n)
{
  const char *subdomain = instance->subdomains[n % G_N_ELEMENTS (instance->subdomains)].name;

  switch (kind->target)
    {
    case TARGET_HOST:
      return g_strdup_printf ("%s.%s", standard_hosts[n % G_N_ELEMENTS (standard_hosts)].prefix,
                              subdomain);
    case TARGET_DATA_CENTER:
      return g_strdup (instance->data_center);
    case TARGET_KEYSTORE:
      return g_strdup_printf ("/opt/integration/truststore-%s.jks", instance->data_center);
    case TARGET_SUBDOMAIN:
    default:
      return g_strdup (subdomain);
    }
}

/* Six months of jobs, newest first: mostly finished, some failed with the action to take, a
 * few cancelled or interrupted, each with its events; the newest CSR generation keeps its
 * CSR. Nothing here is queued or running: no process of the demo would ever run them. */
static gboolean
seed_jobs (CdStore  *self,
           gint64    now,
           GError  **error)
{
  static const char *const target_types[] = { "subdomain", "host", "data-center", "keystore" };
  g_autoptr(CdStoreStmt) add_job = NULL;
  g_autoptr(CdStoreStmt) add_event = NULL;
  g_autoptr(CdStoreStmt) add_artifact = NULL;
  g_autoptr(CdStoreStmt) instances = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 instance_ids[G_N_ELEMENTS (demo_instances)];
  gboolean csr_kept = FALSE;
  guint n_instances = 0;

  /* the instances just added, in the order of demo_instances */
  instances = _cd_store_prepare (self, "SELECT id FROM instances ORDER BY id", error);
  if (instances == NULL)
    return FALSE;
  while (n_instances < G_N_ELEMENTS (instance_ids) && sqlite3_step (instances) == SQLITE_ROW)
    instance_ids[n_instances++] = sqlite3_column_int64 (instances, 0);
  g_assert (n_instances == G_N_ELEMENTS (instance_ids));

  add_job = _cd_store_prepare (self,
                               "INSERT INTO jobs (kind, target_type, target, instance_id,"
                               " initiator, state, created, started, finished, progress, message,"
                               " error_action) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                               " ?11, ?12)",
                               error);
  add_event = _cd_store_prepare (self,
                                 "INSERT INTO job_events (job_id, time, level, message)"
                                 " VALUES (?1, ?2, ?3, ?4)",
                                 error);
  add_artifact = _cd_store_prepare (self,
                                    "INSERT INTO job_artifacts (job_id, name, media_type, content,"
                                    " created) VALUES (?1, ?2, 'application/pkcs10', ?3, ?4)",
                                    error);
  if (add_job == NULL || add_event == NULL || add_artifact == NULL)
    return FALSE;

  for (guint n = 0; n < N_DEMO_JOBS; n++)
    {
      const DemoJobKind *kind = &demo_job_kinds[g_rand_int_range (rand, 0,
                                                                  G_N_ELEMENTS (demo_job_kinds))];
      guint instance_index = g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_instances));
      const DemoInstance *instance = &demo_instances[instance_index];
      g_autofree char *target = demo_job_target (kind, instance, n);
      int roll = g_rand_int_range (rand, 0, 100);
      const char *state = roll < 80 ? "finished" : roll < 90 ? "failed"
                        : roll < 95 ? "cancelled" : "interrupted";
      const char *initiator = g_str_equal (kind->kind, "import-keystore") ? "command-line"
                            : g_str_equal (kind->kind, "renew-certificate") && roll % 2 == 0
                              ? "reminder" : "user";
      gint64 created = now - (gint64) n * 12 * G_TIME_SPAN_HOUR -
                       (gint64) g_rand_int_range (rand, 60, 6 * 3600) * G_USEC_PER_SEC;
      gint64 started = created + G_USEC_PER_SEC;
      gint64 finished = started + (gint64) kind->seconds * G_USEC_PER_SEC +
                        (gint64) g_rand_int_range (rand, 0, 900) * G_TIME_SPAN_MILLISECOND;
      gint64 job_id;
      gint64 n_events = 0;

      sqlite3_bind_text (add_job, 1, kind->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (add_job, 2, target_types[kind->target], -1, SQLITE_STATIC);
      _cd_store_bind_text (add_job, 3, target);
      sqlite3_bind_int64 (add_job, 4, instance_ids[instance_index]);
      sqlite3_bind_text (add_job, 5, initiator, -1, SQLITE_STATIC);
      sqlite3_bind_text (add_job, 6, state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (add_job, 7, created);
      sqlite3_bind_int64 (add_job, 8, started);
      sqlite3_bind_int64 (add_job, 9, finished);
      if (g_str_equal (state, "finished"))
        sqlite3_bind_double (add_job, 10, 1.0);
      else
        sqlite3_bind_null (add_job, 10);
      if (g_str_equal (state, "failed"))
        {
          _cd_store_bind_text (add_job, 11, _(kind->failure));
          _cd_store_bind_text (add_job, 12, _(kind->action));
        }
      else if (g_str_equal (state, "cancelled"))
        _cd_store_bind_text (add_job, 11, _("Cancelled: nothing was left half-done."));
      else if (g_str_equal (state, "interrupted"))
        _cd_store_bind_text (add_job, 11, _("Certdesk stopped while this job was running."));
      if (!_cd_store_step_done (self, add_job, error))
        return FALSE;
      job_id = sqlite3_last_insert_rowid (_cd_store_db (self));
      sqlite3_reset (add_job);
      sqlite3_clear_bindings (add_job);

      /* a job that did not finish stops after its first event, with its end */
      for (guint e = 0; e < G_N_ELEMENTS (kind->events) && kind->events[e] != NULL; e++)
        {
          if (!add_demo_event (self, add_event, job_id, started + ++n_events * EVENT_GAP_US,
                               "info", _(kind->events[e]), error))
            return FALSE;
          if (!g_str_equal (state, "finished"))
            break;
        }
      if (g_str_equal (state, "failed") &&
          !add_demo_event (self, add_event, job_id, started + ++n_events * EVENT_GAP_US,
                           "error", _(kind->failure), error))
        return FALSE;
      if (g_str_equal (state, "cancelled") &&
          !add_demo_event (self, add_event, job_id, started + ++n_events * EVENT_GAP_US,
                           "info", _("Cancelled."), error))
        return FALSE;
      if (g_str_equal (state, "interrupted") &&
          !add_demo_event (self, add_event, job_id, started + ++n_events * EVENT_GAP_US,
                           "error", _("Certdesk stopped while this job was running."), error))
        return FALSE;

      if (!csr_kept && g_str_equal (kind->kind, "generate-csr") &&
          g_str_equal (state, "finished"))
        {
          const char *subdomain = instance->subdomains[n % G_N_ELEMENTS (instance->subdomains)].name;
          g_autoptr(GBytes) csr = make_demo_csr (subdomain, error);
          g_autofree char *name = g_strdup_printf ("%s.csr", subdomain);

          if (csr == NULL)
            return FALSE;
          sqlite3_bind_int64 (add_artifact, 1, job_id);
          _cd_store_bind_text (add_artifact, 2, name);
          _cd_store_bind_bytes (add_artifact, 3, csr);
          sqlite3_bind_int64 (add_artifact, 4, finished);
          if (!_cd_store_step_done (self, add_artifact, error))
            return FALSE;
          csr_kept = TRUE;
        }
    }

  return TRUE;
}

static gboolean
seed_demo_write (CdStore       *self,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gboolean empty = FALSE;
  gint64 now = g_get_real_time ();

  if (!_cd_store_begin (self, error))
    return FALSE;

  if (!inventory_is_empty (self, &empty, error))
    goto fail;

  if (!empty)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                   _("The sample inventory can only be added to an empty inventory, and “%s” "
                     "already has instances."),
                   self->path);
      goto fail;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_instances); i++)
    {
      if (!seed_instance (self, &demo_instances[i], now, error))
        goto fail;
    }
  if (!seed_jobs (self, now, error))
    goto fail;

  return _cd_store_commit (self, error);

fail:
  _cd_store_rollback (self);
  return FALSE;
}

gboolean
cd_store_seed_demo (CdStore  *self,
                    GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CD_STORE_CHECK_CALLER ();

  return _cd_store_write_sync (self, seed_demo_write, NULL, error);
}
