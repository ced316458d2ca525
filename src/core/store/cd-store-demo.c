// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-error.h"
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
