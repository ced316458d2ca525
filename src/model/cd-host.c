// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-host"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-dns-name.h"
#include "cd-inventory-private.h"

struct _CdHost
{
  GObject parent_instance;

  gint64 id;
  gint64 created;
  char *purpose;
  char *prefix;
  char *fqdn;
  char *display_name;
  CdSubdomain *subdomain; /* weak: the subdomain owns its hosts */
  gint64 certificate_id;
  CdCertStatus status;
};

G_DEFINE_FINAL_TYPE (CdHost, cd_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PURPOSE,
  PROP_PURPOSE_LABEL,
  PROP_PREFIX,
  PROP_FQDN,
  PROP_DISPLAY_NAME,
  PROP_SUBDOMAIN,
  PROP_CERTIFICATE_ID,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_host_finalize (GObject *object)
{
  CdHost *self = CD_HOST (object);

  g_free (self->purpose);
  g_free (self->prefix);
  g_free (self->fqdn);
  g_free (self->display_name);

  G_OBJECT_CLASS (cd_host_parent_class)->finalize (object);
}

static void
cd_host_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CdHost *self = CD_HOST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PURPOSE:
      g_value_set_string (value, self->purpose);
      break;
    case PROP_PURPOSE_LABEL:
      g_value_set_string (value, cd_host_get_purpose_label (self));
      break;
    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;
    case PROP_FQDN:
      g_value_set_string (value, self->fqdn);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_SUBDOMAIN:
      g_value_set_object (value, self->subdomain);
      break;
    case PROP_CERTIFICATE_ID:
      g_value_set_int64 (value, self->certificate_id);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_host_class_init (CdHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cd_host_finalize;
  object_class->get_property = cd_host_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PURPOSE] = g_param_spec_string ("purpose", NULL, NULL, NULL, flags);
  properties[PROP_PURPOSE_LABEL] = g_param_spec_string ("purpose-label", NULL, NULL, NULL, flags);
  properties[PROP_PREFIX] = g_param_spec_string ("prefix", NULL, NULL, NULL, flags);
  properties[PROP_FQDN] = g_param_spec_string ("fqdn", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_SUBDOMAIN] = g_param_spec_object ("subdomain", NULL, NULL, G_TYPE_OBJECT, flags);
  properties[PROP_CERTIFICATE_ID] =
    g_param_spec_int64 ("certificate-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CD_TYPE_CERT_STATUS, CD_CERT_STATUS_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_host_init (CdHost *self)
{
}

void
_cd_host_refresh_name (CdHost *self)
{
  g_autofree char *fqdn = NULL;

  if (self->subdomain != NULL)
    fqdn = g_strconcat (self->prefix, ".", cd_subdomain_get_name (self->subdomain), NULL);
  else
    fqdn = g_strdup (self->prefix);

  if (_cd_set_string (&self->fqdn, fqdn))
    {
      g_autofree char *display = cd_dns_name_to_unicode (fqdn);

      _cd_set_string (&self->display_name, display);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FQDN]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
    }
}

CdHost *
_cd_host_new (const CdHostRecord *record,
              CdSubdomain        *subdomain)
{
  CdHost *self = g_object_new (CD_TYPE_HOST, NULL);

  self->id = record->id;
  self->created = record->created;
  self->purpose = g_strdup (record->purpose);
  self->prefix = g_strdup (record->prefix);
  self->certificate_id = record->certificate_id;
  self->subdomain = subdomain;
  _cd_host_refresh_name (self);

  return self;
}

void
_cd_host_update (CdHost             *self,
                 const CdHostRecord *record)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (_cd_set_string (&self->purpose, record->purpose))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PURPOSE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PURPOSE_LABEL]);
    }
  if (_cd_set_string (&self->prefix, record->prefix))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREFIX]);
      _cd_host_refresh_name (self);
    }
  if (self->certificate_id != record->certificate_id)
    {
      self->certificate_id = record->certificate_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE_ID]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

CdHostRecord *
_cd_host_to_record (CdHost *self)
{
  CdHostRecord *record = g_new0 (CdHostRecord, 1);

  record->id = self->id;
  record->subdomain_id = self->subdomain != NULL ? cd_subdomain_get_id (self->subdomain) : 0;
  record->purpose = g_strdup (self->purpose);
  record->prefix = g_strdup (self->prefix);
  record->certificate_id = self->certificate_id;
  record->created = self->created;

  return record;
}

void
_cd_host_set_subdomain (CdHost      *self,
                        CdSubdomain *subdomain)
{
  if (self->subdomain == subdomain)
    return;
  self->subdomain = subdomain;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBDOMAIN]);
}

void
_cd_host_set_status (CdHost       *self,
                     CdCertStatus  status)
{
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gint64
cd_host_get_id (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), 0);
  return self->id;
}

const char *
cd_host_get_purpose (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), NULL);
  return self->purpose;
}

const char *
cd_host_get_purpose_label (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), NULL);
  return cd_host_purpose_get_label (self->purpose);
}

const char *
cd_host_get_prefix (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), NULL);
  return self->prefix;
}

const char *
cd_host_get_fqdn (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), NULL);
  return self->fqdn;
}

const char *
cd_host_get_display_name (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), NULL);
  return self->display_name;
}

CdSubdomain *
cd_host_get_subdomain (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), NULL);
  return self->subdomain;
}

gint64
cd_host_get_certificate_id (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), 0);
  return self->certificate_id;
}

CdCertStatus
cd_host_get_status (CdHost *self)
{
  g_return_val_if_fail (CD_IS_HOST (self), CD_CERT_STATUS_NONE);
  return self->status;
}

const char *
cd_host_purpose_get_label (const char *purpose)
{
  if (g_strcmp0 (purpose, CD_HOST_PURPOSE_TRACKING) == 0)
    return _("Tracking");
  if (g_strcmp0 (purpose, CD_HOST_PURPOSE_MIRROR) == 0)
    return _("Mirror pages");
  if (g_strcmp0 (purpose, CD_HOST_PURPOSE_RESOURCES) == 0)
    return _("Resources");
  return _("Custom");
}

const char *
cd_host_purpose_get_default_prefix (const char *purpose)
{
  if (g_strcmp0 (purpose, CD_HOST_PURPOSE_TRACKING) == 0)
    return "t";
  if (g_strcmp0 (purpose, CD_HOST_PURPOSE_MIRROR) == 0)
    return "m";
  if (g_strcmp0 (purpose, CD_HOST_PURPOSE_RESOURCES) == 0)
    return "res";
  return NULL;
}
