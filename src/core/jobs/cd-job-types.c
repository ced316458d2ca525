// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-jobs"

#include "config.h"

#include "cd-job-types.h"

const char *
cd_job_enum_to_string (GType enum_type,
                       int   value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value (klass, value);
  g_return_val_if_fail (found != NULL, NULL);
  /* nicks are static strings of the type, alive after the class reference goes */
  return found->value_nick;
}

gboolean
cd_job_enum_from_string (GType        enum_type,
                         const char  *string,
                         int         *out_value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (string == NULL)
    return FALSE;
  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value_by_nick (klass, string);
  if (found == NULL)
    return FALSE;
  *out_value = found->value;
  return TRUE;
}

gboolean
cd_job_state_is_active (CdJobState state)
{
  return state == CD_JOB_QUEUED || state == CD_JOB_RUNNING;
}
