// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-instance"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-center.h"
#include "cd-inventory-private.h"

struct _CdInstance
{
  GObject parent_instance;

  gint64 id;
  gint64 created;
  char *name;
  char *url;
  char *data_center;
  GListStore *subdomains;
  CdCertStatus status;
};

G_DEFINE_FINAL_TYPE (CdInstance, cd_instance, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_URL,
  PROP_DATA_CENTER,
  PROP_DATA_CENTER_TITLE,
  PROP_SUBDOMAINS,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_instance_dispose (GObject *object)
{
  CdInstance *self = CD_INSTANCE (object);

  /* Children that outlive this object must not point back at it. */
  if (self->subdomains != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subdomains));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CdSubdomain) child = g_list_model_get_item (G_LIST_MODEL (self->subdomains), i);
          _cd_subdomain_set_instance (child, NULL);
        }
    }
  g_clear_object (&self->subdomains);

  G_OBJECT_CLASS (cd_instance_parent_class)->dispose (object);
}

static void
cd_instance_finalize (GObject *object)
{
  CdInstance *self = CD_INSTANCE (object);

  g_free (self->name);
  g_free (self->url);
  g_free (self->data_center);

  G_OBJECT_CLASS (cd_instance_parent_class)->finalize (object);
}

static void
cd_instance_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CdInstance *self = CD_INSTANCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_DATA_CENTER:
      g_value_set_string (value, self->data_center);
      break;
    case PROP_DATA_CENTER_TITLE:
      g_value_set_string (value, cd_instance_get_data_center_title (self));
      break;
    case PROP_SUBDOMAINS:
      g_value_set_object (value, self->subdomains);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_instance_class_init (CdInstanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = cd_instance_dispose;
  object_class->finalize = cd_instance_finalize;
  object_class->get_property = cd_instance_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_DATA_CENTER] = g_param_spec_string ("data-center", NULL, NULL, NULL, flags);
  properties[PROP_DATA_CENTER_TITLE] =
    g_param_spec_string ("data-center-title", NULL, NULL, NULL, flags);
  properties[PROP_SUBDOMAINS] =
    g_param_spec_object ("subdomains", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CD_TYPE_CERT_STATUS, CD_CERT_STATUS_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_instance_init (CdInstance *self)
{
  self->subdomains = g_list_store_new (CD_TYPE_SUBDOMAIN);
}

CdInstance *
_cd_instance_new (const CdInstanceRecord *record)
{
  CdInstance *self = g_object_new (CD_TYPE_INSTANCE, NULL);

  self->id = record->id;
  self->created = record->created;
  self->name = g_strdup (record->name);
  self->url = g_strdup (record->url != NULL ? record->url : "");
  self->data_center = g_strdup (record->data_center);

  return self;
}

void
_cd_instance_update (CdInstance             *self,
                     const CdInstanceRecord *record)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (_cd_set_string (&self->name, record->name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  if (_cd_set_string (&self->url, record->url != NULL ? record->url : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  if (_cd_set_string (&self->data_center, record->data_center))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_CENTER]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_CENTER_TITLE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

CdInstanceRecord *
_cd_instance_to_record (CdInstance *self)
{
  CdInstanceRecord *record = g_new0 (CdInstanceRecord, 1);

  record->id = self->id;
  record->name = g_strdup (self->name);
  record->url = g_strdup (self->url);
  record->data_center = g_strdup (self->data_center);
  record->created = self->created;

  return record;
}

GListStore *
_cd_instance_get_store (CdInstance *self)
{
  return self->subdomains;
}

void
_cd_instance_refresh_status (CdInstance *self)
{
  CdCertStatus worst = CD_CERT_STATUS_NONE;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subdomains));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (G_LIST_MODEL (self->subdomains), i);

      _cd_subdomain_refresh_status (subdomain);
      worst = cd_cert_status_worst (worst, cd_subdomain_get_status (subdomain));
    }

  if (worst == self->status)
    return;

  self->status = worst;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gint64
cd_instance_get_id (CdInstance *self)
{
  g_return_val_if_fail (CD_IS_INSTANCE (self), 0);
  return self->id;
}

const char *
cd_instance_get_name (CdInstance *self)
{
  g_return_val_if_fail (CD_IS_INSTANCE (self), NULL);
  return self->name;
}

const char *
cd_instance_get_url (CdInstance *self)
{
  g_return_val_if_fail (CD_IS_INSTANCE (self), NULL);
  return self->url;
}

const char *
cd_instance_get_data_center (CdInstance *self)
{
  g_return_val_if_fail (CD_IS_INSTANCE (self), NULL);
  return self->data_center;
}

const char *
cd_instance_get_data_center_title (CdInstance *self)
{
  CdDataCenter *dc;

  g_return_val_if_fail (CD_IS_INSTANCE (self), NULL);

  dc = cd_data_center_catalog_lookup (self->data_center);
  return dc != NULL ? cd_data_center_get_title (dc) : self->data_center;
}

GListModel *
cd_instance_get_subdomains (CdInstance *self)
{
  g_return_val_if_fail (CD_IS_INSTANCE (self), NULL);
  return G_LIST_MODEL (self->subdomains);
}

CdCertStatus
cd_instance_get_status (CdInstance *self)
{
  g_return_val_if_fail (CD_IS_INSTANCE (self), CD_CERT_STATUS_NONE);
  return self->status;
}

guint
cd_instance_count_hosts (CdInstance *self)
{
  guint n, total = 0;

  g_return_val_if_fail (CD_IS_INSTANCE (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->subdomains));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (G_LIST_MODEL (self->subdomains), i);
      total += g_list_model_get_n_items (cd_subdomain_get_hosts (subdomain));
    }

  return total;
}
