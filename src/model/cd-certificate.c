// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-certificate"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-certificate.h"

struct _CdCertificate
{
  GObject parent_instance;

  gint64 id;
  char *subject;
  char *issuer;
  char *serial;
  char *sha256;
  gint64 not_before;
  gint64 not_after;
  GStrv dns_names;
  GBytes *der;
  gint64 key_id;
};

G_DEFINE_FINAL_TYPE (CdCertificate, cd_certificate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_SERIAL,
  PROP_SHA256,
  PROP_NOT_BEFORE,
  PROP_NOT_AFTER,
  PROP_DNS_NAMES,
  PROP_KEY_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_certificate_finalize (GObject *object)
{
  CdCertificate *self = CD_CERTIFICATE (object);

  g_free (self->subject);
  g_free (self->issuer);
  g_free (self->serial);
  g_free (self->sha256);
  g_strfreev (self->dns_names);
  g_clear_pointer (&self->der, g_bytes_unref);

  G_OBJECT_CLASS (cd_certificate_parent_class)->finalize (object);
}

static void
cd_certificate_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CdCertificate *self = CD_CERTIFICATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;
    case PROP_SERIAL:
      g_value_set_string (value, self->serial);
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_NOT_BEFORE:
      g_value_set_int64 (value, self->not_before);
      break;
    case PROP_NOT_AFTER:
      g_value_set_int64 (value, self->not_after);
      break;
    case PROP_DNS_NAMES:
      g_value_set_boxed (value, self->dns_names);
      break;
    case PROP_KEY_ID:
      g_value_set_int64 (value, self->key_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_certificate_class_init (CdCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cd_certificate_finalize;
  object_class->get_property = cd_certificate_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_ISSUER] = g_param_spec_string ("issuer", NULL, NULL, NULL, flags);
  properties[PROP_SERIAL] = g_param_spec_string ("serial", NULL, NULL, NULL, flags);
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, flags);
  properties[PROP_NOT_BEFORE] =
    g_param_spec_int64 ("not-before", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_NOT_AFTER] =
    g_param_spec_int64 ("not-after", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DNS_NAMES] = g_param_spec_boxed ("dns-names", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_KEY_ID] = g_param_spec_int64 ("key-id", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_certificate_init (CdCertificate *self)
{
}

CdCertificate *
cd_certificate_new_from_record (const CdCertificateRecord *record)
{
  CdCertificate *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (CD_TYPE_CERTIFICATE, NULL);
  self->id = record->id;
  self->subject = g_strdup (record->subject);
  self->issuer = g_strdup (record->issuer);
  self->serial = g_strdup (record->serial);
  self->sha256 = g_strdup (record->sha256);
  self->not_before = record->not_before;
  self->not_after = record->not_after;
  self->dns_names = record->dns_names != NULL && *record->dns_names != '\0'
                      ? g_strsplit (record->dns_names, "\n", -1)
                      : g_new0 (char *, 1);
  self->der = record->der != NULL ? g_bytes_ref (record->der) : NULL;
  self->key_id = record->key_id;

  return self;
}

gint64
cd_certificate_get_id (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), 0);
  return self->id;
}

const char *
cd_certificate_get_subject (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);
  return self->subject;
}

const char *
cd_certificate_get_issuer (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);
  return self->issuer;
}

const char *
cd_certificate_get_serial (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);
  return self->serial;
}

const char *
cd_certificate_get_sha256 (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);
  return self->sha256;
}

gint64
cd_certificate_get_not_before (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), 0);
  return self->not_before;
}

gint64
cd_certificate_get_not_after (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), 0);
  return self->not_after;
}

const char * const *
cd_certificate_get_dns_names (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->dns_names;
}

GBytes *
cd_certificate_get_der (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);
  return self->der;
}

gint64
cd_certificate_get_key_id (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), 0);
  return self->key_id;
}

CdCertStatus
cd_certificate_get_status (CdCertificate          *self,
                           gint64                  now,
                           const CdCertThresholds *thresholds)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), CD_CERT_STATUS_NONE);
  return cd_cert_status_compute (cd_record_time_to_unix (self->not_before),
                                 cd_record_time_to_unix (self->not_after),
                                 cd_record_time_to_unix (now), thresholds);
}
