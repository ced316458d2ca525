// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-subdomain"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-dns-name.h"
#include "cd-inventory-private.h"

struct _CdSubdomain
{
  GObject parent_instance;

  gint64 id;
  gint64 created;
  char *name;
  char *display_name;
  CdInstance *instance; /* weak: the instance owns its subdomains */
  GListStore *hosts;
  CdCertStatus status;
};

G_DEFINE_FINAL_TYPE (CdSubdomain, cd_subdomain, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_INSTANCE,
  PROP_HOSTS,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_subdomain_dispose (GObject *object)
{
  CdSubdomain *self = CD_SUBDOMAIN (object);

  /* Children that outlive this object must not point back at it. */
  if (self->hosts != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CdHost) child = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);
          _cd_host_set_subdomain (child, NULL);
        }
    }
  g_clear_object (&self->hosts);

  G_OBJECT_CLASS (cd_subdomain_parent_class)->dispose (object);
}

static void
cd_subdomain_finalize (GObject *object)
{
  CdSubdomain *self = CD_SUBDOMAIN (object);

  g_free (self->name);
  g_free (self->display_name);

  G_OBJECT_CLASS (cd_subdomain_parent_class)->finalize (object);
}

static void
cd_subdomain_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CdSubdomain *self = CD_SUBDOMAIN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_INSTANCE:
      g_value_set_object (value, self->instance);
      break;
    case PROP_HOSTS:
      g_value_set_object (value, self->hosts);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_subdomain_class_init (CdSubdomainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = cd_subdomain_dispose;
  object_class->finalize = cd_subdomain_finalize;
  object_class->get_property = cd_subdomain_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_INSTANCE] = g_param_spec_object ("instance", NULL, NULL, G_TYPE_OBJECT, flags);
  properties[PROP_HOSTS] = g_param_spec_object ("hosts", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CD_TYPE_CERT_STATUS, CD_CERT_STATUS_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_subdomain_init (CdSubdomain *self)
{
  self->hosts = g_list_store_new (CD_TYPE_HOST);
}

static void
set_name (CdSubdomain *self,
          const char  *name)
{
  g_autofree char *display = NULL;
  guint n;

  if (!_cd_set_string (&self->name, name))
    return;

  display = cd_dns_name_to_unicode (name);
  _cd_set_string (&self->display_name, display);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdHost) host = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);
      _cd_host_refresh_name (host);
    }
}

CdSubdomain *
_cd_subdomain_new (const CdSubdomainRecord *record,
                   CdInstance              *instance)
{
  CdSubdomain *self = g_object_new (CD_TYPE_SUBDOMAIN, NULL);

  self->id = record->id;
  self->created = record->created;
  self->instance = instance;
  set_name (self, record->name);

  return self;
}

void
_cd_subdomain_update (CdSubdomain             *self,
                      const CdSubdomainRecord *record)
{
  set_name (self, record->name);
}

CdSubdomainRecord *
_cd_subdomain_to_record (CdSubdomain *self)
{
  CdSubdomainRecord *record = g_new0 (CdSubdomainRecord, 1);

  record->id = self->id;
  record->instance_id = self->instance != NULL ? cd_instance_get_id (self->instance) : 0;
  record->name = g_strdup (self->name);
  record->created = self->created;

  return record;
}

GListStore *
_cd_subdomain_get_store (CdSubdomain *self)
{
  return self->hosts;
}

void
_cd_subdomain_set_instance (CdSubdomain *self,
                            CdInstance  *instance)
{
  if (self->instance == instance)
    return;
  self->instance = instance;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTANCE]);
}

gboolean
_cd_subdomain_refresh_status (CdSubdomain *self)
{
  CdCertStatus worst = CD_CERT_STATUS_NONE;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdHost) host = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);
      worst = cd_cert_status_worst (worst, cd_host_get_status (host));
    }

  if (worst == self->status)
    return FALSE;

  self->status = worst;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  return TRUE;
}

gint64
cd_subdomain_get_id (CdSubdomain *self)
{
  g_return_val_if_fail (CD_IS_SUBDOMAIN (self), 0);
  return self->id;
}

const char *
cd_subdomain_get_name (CdSubdomain *self)
{
  g_return_val_if_fail (CD_IS_SUBDOMAIN (self), NULL);
  return self->name;
}

const char *
cd_subdomain_get_display_name (CdSubdomain *self)
{
  g_return_val_if_fail (CD_IS_SUBDOMAIN (self), NULL);
  return self->display_name;
}

CdInstance *
cd_subdomain_get_instance (CdSubdomain *self)
{
  g_return_val_if_fail (CD_IS_SUBDOMAIN (self), NULL);
  return self->instance;
}

GListModel *
cd_subdomain_get_hosts (CdSubdomain *self)
{
  g_return_val_if_fail (CD_IS_SUBDOMAIN (self), NULL);
  return G_LIST_MODEL (self->hosts);
}

CdCertStatus
cd_subdomain_get_status (CdSubdomain *self)
{
  g_return_val_if_fail (CD_IS_SUBDOMAIN (self), CD_CERT_STATUS_NONE);
  return self->status;
}
