// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-data-center"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-center.h"
#include "cd-model-resources.h"

struct _CdDataCenter
{
  GObject parent_instance;

  char *code;
  char *name;
  char *region;
  char *title;
};

G_DEFINE_FINAL_TYPE (CdDataCenter, cd_data_center, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_REGION,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_data_center_finalize (GObject *object)
{
  CdDataCenter *self = CD_DATA_CENTER (object);

  g_free (self->code);
  g_free (self->name);
  g_free (self->region);
  g_free (self->title);

  G_OBJECT_CLASS (cd_data_center_parent_class)->finalize (object);
}

static void
cd_data_center_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CdDataCenter *self = CD_DATA_CENTER (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_data_center_class_init (CdDataCenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_data_center_finalize;
  object_class->get_property = cd_data_center_get_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_data_center_init (CdDataCenter *self)
{
}

const char *
cd_data_center_get_code (CdDataCenter *self)
{
  g_return_val_if_fail (CD_IS_DATA_CENTER (self), NULL);
  return self->code;
}

const char *
cd_data_center_get_name (CdDataCenter *self)
{
  g_return_val_if_fail (CD_IS_DATA_CENTER (self), NULL);
  return self->name;
}

const char *
cd_data_center_get_region (CdDataCenter *self)
{
  g_return_val_if_fail (CD_IS_DATA_CENTER (self), NULL);
  return self->region;
}

const char *
cd_data_center_get_title (CdDataCenter *self)
{
  g_return_val_if_fail (CD_IS_DATA_CENTER (self), NULL);
  return self->title;
}

static GListModel *
load_catalog (void)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  GListStore *store = g_list_store_new (CD_TYPE_DATA_CENTER);

  /* Looked up in this library's own resource, which also keeps it from being dropped at link
   * time as an unreferenced object. */
  bytes = g_resource_lookup_data (cd_model_get_resource (), RESOURCE_PREFIX "/data-centers.ini",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL || !g_key_file_load_from_bytes (keyfile, bytes, G_KEY_FILE_NONE, &error))
    {
      /* The catalog is compiled in: failing to read it is a build defect, not a user's. */
      g_critical ("The data center catalog cannot be read: %s", error->message);
      return G_LIST_MODEL (store);
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      CdDataCenter *dc = g_object_new (CD_TYPE_DATA_CENTER, NULL);

      dc->code = g_strdup (groups[i]);
      dc->name = g_key_file_get_string (keyfile, groups[i], "Name", NULL);
      dc->region = g_key_file_get_string (keyfile, groups[i], "Region", NULL);
      if (dc->name == NULL)
        dc->name = g_strdup (dc->code);
      if (dc->region == NULL)
        dc->region = g_strdup ("");
      /* TRANSLATORS: a data center's code and place, e.g. "us2 · Chicago" */
      dc->title = g_strdup_printf (_("%s · %s"), dc->code, dc->name);
      g_list_store_append (store, dc);
      g_object_unref (dc);
    }

  return G_LIST_MODEL (store);
}

GListModel *
cd_data_center_catalog (void)
{
  static gsize once;
  static GListModel *catalog;

  if (g_once_init_enter (&once))
    {
      catalog = load_catalog ();
      g_once_init_leave (&once, 1);
    }

  return catalog;
}

guint
cd_data_center_catalog_find (const char *code)
{
  GListModel *catalog = cd_data_center_catalog ();
  guint n = g_list_model_get_n_items (catalog);

  if (code == NULL)
    return G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdDataCenter) dc = g_list_model_get_item (catalog, i);

      if (g_str_equal (dc->code, code))
        return i;
    }

  return G_MAXUINT;
}

CdDataCenter *
cd_data_center_catalog_lookup (const char *code)
{
  guint pos = cd_data_center_catalog_find (code);
  g_autoptr(CdDataCenter) dc = NULL;

  if (pos == G_MAXUINT)
    return NULL;

  /* The catalog holds a reference for the life of the process. */
  dc = g_list_model_get_item (cd_data_center_catalog (), pos);
  return dc;
}
