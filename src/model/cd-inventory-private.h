// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* Constructors and setters the inventory uses to keep its items in step with the store.
 * Views read items through their public headers only. */

#include "cd-host.h"
#include "cd-instance.h"
#include "cd-records.h"
#include "cd-subdomain.h"

G_BEGIN_DECLS

/* Replaces *@field by a copy of @value; TRUE when that changed it, so callers notify only on a
 * real change. */
static inline gboolean
_cd_set_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

CdInstance  *_cd_instance_new               (const CdInstanceRecord  *record);
void         _cd_instance_update            (CdInstance              *self,
                                             const CdInstanceRecord  *record);
CdInstanceRecord *_cd_instance_to_record    (CdInstance              *self);
GListStore  *_cd_instance_get_store         (CdInstance              *self);
void         _cd_instance_refresh_status    (CdInstance              *self);

CdSubdomain *_cd_subdomain_new              (const CdSubdomainRecord *record,
                                             CdInstance              *instance);
void         _cd_subdomain_update           (CdSubdomain             *self,
                                             const CdSubdomainRecord *record);
CdSubdomainRecord *_cd_subdomain_to_record  (CdSubdomain             *self);
GListStore  *_cd_subdomain_get_store        (CdSubdomain             *self);
void         _cd_subdomain_set_instance     (CdSubdomain             *self,
                                             CdInstance              *instance);
/* returns TRUE when the status changed */
gboolean     _cd_subdomain_refresh_status   (CdSubdomain             *self);

CdHost      *_cd_host_new                   (const CdHostRecord      *record,
                                             CdSubdomain             *subdomain);
void         _cd_host_update                (CdHost                  *self,
                                             const CdHostRecord      *record);
CdHostRecord *_cd_host_to_record            (CdHost                  *self);
void         _cd_host_set_subdomain         (CdHost                  *self,
                                             CdSubdomain             *subdomain);
/* recomputes the host name after its subdomain was renamed */
void         _cd_host_refresh_name          (CdHost                  *self);
void         _cd_host_set_status            (CdHost                  *self,
                                             CdCertStatus             status);

/* Shared by the inventory's files. */
typedef struct _CdInventory CdInventory;

GListStore *_cd_inventory_get_instance_store      (CdInventory  *self);
gboolean    _cd_inventory_check_writable          (CdInventory  *self,
                                                   GError      **error);
void        _cd_inventory_refresh_instance_status (CdInventory  *self,
                                                   CdInstance   *instance);
gboolean    _cd_inventory_check_data_center       (const char   *data_center,
                                                   GError      **error);
gboolean    _cd_inventory_check_purpose           (const char   *purpose,
                                                   GError      **error);
gboolean    _cd_inventory_check_host_name_fits    (const char   *prefix,
                                                   const char   *subdomain,
                                                   GError      **error);

G_END_DECLS
