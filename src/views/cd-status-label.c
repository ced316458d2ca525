// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-status-label"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-x509-enums.h"
#include "cd-status-label.h"

struct _CdStatusLabel
{
  GtkWidget parent_instance;

  GtkWidget *label;
  CdCertStatus status;
};

G_DEFINE_FINAL_TYPE (CdStatusLabel, cd_status_label, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_label (CdStatusLabel *self)
{
  static const CdCertStatus all[] = {
    CD_CERT_STATUS_NONE, CD_CERT_STATUS_VALID, CD_CERT_STATUS_EXPIRING,
    CD_CERT_STATUS_CRITICAL, CD_CERT_STATUS_NOT_YET_VALID, CD_CERT_STATUS_EXPIRED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), cd_cert_status_to_string (all[i]));
  gtk_widget_add_css_class (GTK_WIDGET (self), cd_cert_status_to_string (self->status));
  gtk_label_set_label (GTK_LABEL (self->label), cd_cert_status_get_label (self->status));
}

static void
cd_status_label_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CdStatusLabel *self = CD_STATUS_LABEL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_status_label_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CdStatusLabel *self = CD_STATUS_LABEL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      cd_status_label_set_status (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_status_label_dispose (GObject *object)
{
  CdStatusLabel *self = CD_STATUS_LABEL (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (cd_status_label_parent_class)->dispose (object);
}

static void
cd_status_label_class_init (CdStatusLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_status_label_dispose;
  object_class->get_property = cd_status_label_get_property;
  object_class->set_property = cd_status_label_set_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CD_TYPE_CERT_STATUS, CD_CERT_STATUS_NONE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "status-label");
}

static void
cd_status_label_init (CdStatusLabel *self)
{
  self->label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  self->status = CD_CERT_STATUS_NONE;
  update_label (self);
}

GtkWidget *
cd_status_label_new (void)
{
  return g_object_new (CD_TYPE_STATUS_LABEL, NULL);
}

CdCertStatus
cd_status_label_get_status (CdStatusLabel *self)
{
  g_return_val_if_fail (CD_IS_STATUS_LABEL (self), CD_CERT_STATUS_NONE);
  return self->status;
}

void
cd_status_label_set_status (CdStatusLabel *self,
                            CdCertStatus   status)
{
  g_return_if_fail (CD_IS_STATUS_LABEL (self));

  if (self->status == status)
    return;

  self->status = status;
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}
