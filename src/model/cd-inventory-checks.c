// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-inventory"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-data-center.h"
#include "cd-dns-name.h"
#include "cd-error.h"
#include "cd-inventory.h"
#include "cd-inventory-private.h"

#define MAX_INSTANCE_NAME_CHARS 100

/* Checks */

char *
cd_inventory_check_instance_name (CdInventory  *self,
                                  const char   *name,
                                  CdInstance   *except,
                                  GError      **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *folded = NULL;
  guint n;

  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);

  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*trimmed == '\0')
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE, _("Enter a name for the instance."));
      return NULL;
    }
  if (g_utf8_strlen (trimmed, -1) > MAX_INSTANCE_NAME_CHARS)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("The name is longer than %d characters."), MAX_INSTANCE_NAME_CHARS);
      return NULL;
    }

  folded = g_utf8_casefold (trimmed, -1);
  n = g_list_model_get_n_items (G_LIST_MODEL (_cd_inventory_get_instance_store (self)));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdInstance) other = g_list_model_get_item (G_LIST_MODEL (_cd_inventory_get_instance_store (self)), i);
      g_autofree char *other_folded = NULL;

      if (other == except)
        continue;
      other_folded = g_utf8_casefold (cd_instance_get_name (other), -1);
      if (g_str_equal (folded, other_folded))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                       _("An instance named “%s” already exists."), cd_instance_get_name (other));
          return NULL;
        }
    }

  return g_steal_pointer (&trimmed);
}

char *
cd_inventory_check_instance_url (CdInventory  *self,
                                 const char   *url,
                                 GError      **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);

  trimmed = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (*trimmed == '\0')
    return g_steal_pointer (&trimmed);

  /* People paste "acme.campaign.example.net" as often as a full URL. */
  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_steal_pointer (&trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("Enter the instance’s web address, such as https://acme.campaign.example.net."));
      return NULL;
    }

  return g_uri_to_string (uri);
}

static CdSubdomain *
find_subdomain (CdInventory *self,
                const char  *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (_cd_inventory_get_instance_store (self)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdInstance) instance = g_list_model_get_item (G_LIST_MODEL (_cd_inventory_get_instance_store (self)), i);
      GListModel *subdomains = cd_instance_get_subdomains (instance);
      guint n_sub = g_list_model_get_n_items (subdomains);

      for (guint j = 0; j < n_sub; j++)
        {
          g_autoptr(CdSubdomain) subdomain = g_list_model_get_item (subdomains, j);

          if (g_str_equal (cd_subdomain_get_name (subdomain), name))
            return subdomain;
        }
    }

  return NULL;
}

/* The full name of a host must itself be a valid DNS name: a long prefix on a long subdomain
 * can pass 253 octets. */
gboolean
_cd_inventory_check_host_name_fits (const char  *prefix,
                      const char  *subdomain,
                      GError     **error)
{
  g_autofree char *fqdn = g_strconcat (prefix, ".", subdomain, NULL);
  g_autofree char *normalized = cd_dns_name_normalize (fqdn, CD_DNS_NAME_DEFAULT, error);

  return normalized != NULL;
}

char *
cd_inventory_check_subdomain_name (CdInventory  *self,
                                   const char   *name,
                                   CdSubdomain  *except,
                                   GError      **error)
{
  g_autofree char *normalized = NULL;
  CdSubdomain *other;

  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);

  normalized = cd_dns_name_normalize (name, CD_DNS_NAME_REQUIRE_MULTI_LABEL, error);
  if (normalized == NULL)
    return NULL;

  other = find_subdomain (self, normalized);
  if (other != NULL && other != except)
    {
      CdInstance *instance = cd_subdomain_get_instance (other);

      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("“%s” is already in the inventory, under “%s”."),
                   cd_subdomain_get_display_name (other),
                   instance != NULL ? cd_instance_get_name (instance) : "");
      return NULL;
    }

  if (except != NULL)
    {
      GListModel *hosts = cd_subdomain_get_hosts (except);
      guint n = g_list_model_get_n_items (hosts);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CdHost) host = g_list_model_get_item (hosts, i);

          if (!_cd_inventory_check_host_name_fits (cd_host_get_prefix (host), normalized, error))
            return NULL;
        }
    }

  return g_steal_pointer (&normalized);
}

char *
cd_inventory_check_host_prefix (CdInventory  *self,
                                CdSubdomain  *subdomain,
                                const char   *prefix,
                                CdHost       *except,
                                GError      **error)
{
  g_autofree char *normalized = NULL;
  GListModel *hosts;
  guint n;

  g_return_val_if_fail (CD_IS_INVENTORY (self), NULL);
  g_return_val_if_fail (CD_IS_SUBDOMAIN (subdomain), NULL);

  normalized = cd_dns_name_normalize (prefix, CD_DNS_NAME_DEFAULT, error);
  if (normalized == NULL)
    return NULL;

  if (!_cd_inventory_check_host_name_fits (normalized, cd_subdomain_get_name (subdomain), error))
    return NULL;

  hosts = cd_subdomain_get_hosts (subdomain);
  n = g_list_model_get_n_items (hosts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdHost) host = g_list_model_get_item (hosts, i);

      if (host != except && g_str_equal (cd_host_get_prefix (host), normalized))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                       _("The host “%s” already exists."), cd_host_get_display_name (host));
          return NULL;
        }
    }

  return g_steal_pointer (&normalized);
}

gboolean
_cd_inventory_check_data_center (const char  *data_center,
                   GError     **error)
{
  if (cd_data_center_catalog_lookup (data_center) != NULL)
    return TRUE;

  g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE, _("Choose the instance’s data center."));
  return FALSE;
}

gboolean
_cd_inventory_check_purpose (const char  *purpose,
               GError     **error)
{
  if (g_strcmp0 (purpose, CD_HOST_PURPOSE_TRACKING) == 0 ||
      g_strcmp0 (purpose, CD_HOST_PURPOSE_MIRROR) == 0 ||
      g_strcmp0 (purpose, CD_HOST_PURPOSE_RESOURCES) == 0 ||
      g_strcmp0 (purpose, CD_HOST_PURPOSE_CUSTOM) == 0)
    return TRUE;

  g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE, _("Choose what the host is for."));
  return FALSE;
}

