// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What people read for the stable names a job is stored with: the Job Logs, their search
 * and their CSV export use these, translated. Every function takes the stored name (the
 * nick: "generate-csr", "finished", "command-line", "data-center") and returns a static,
 * translated string; an unknown name comes back as it is. */

/* "Generate CSR", "Import into Keystore", ... */
const char *cd_job_kind_get_title        (const char *kind);
/* "Queued", "Running", "Finished", "Failed", "Cancelled", "Interrupted" */
const char *cd_job_state_get_title       (const char *state);
/* a symbolic icon name per state, so that a state is never told by colour alone */
const char *cd_job_state_get_icon_name   (const char *state);
/* "User", "Reminder", "Command line" */
const char *cd_job_initiator_get_title   (const char *initiator);
/* "Instance", "Subdomain", "Host", "Data center", "Keystore", "" */
const char *cd_job_target_type_get_title (const char *target_type);
/* "Info", "Warning", "Error" */
const char *cd_job_event_level_get_title (const char *level);

/* The groups the Job Logs filter by. */
typedef enum
{
  CD_JOB_GROUP_ALL,
  CD_JOB_GROUP_SUBDOMAINS,    /* generate-csr, install-certificate, renew-certificate */
  CD_JOB_GROUP_DATA_CENTERS,  /* download-bundle, import-bundle, import-keystore */
  CD_JOB_GROUP_CHECKS,        /* check-hosts, check-dns */
} CdJobGroup;

#define CD_JOB_GROUP_LAST CD_JOB_GROUP_CHECKS

/* "All Kinds", "Subdomain Management", "Data Centers", "Checks" */
const char        *cd_job_group_get_title (CdJobGroup group);
/* the kinds of @group, NULL-terminated, static; NULL for CD_JOB_GROUP_ALL */
const char *const *cd_job_group_get_kinds (CdJobGroup group);

/* The kinds whose title contains @text (case-insensitive, as g_utf8_casefold() folds),
 * NULL-terminated; NULL when none does or @text is empty. Free with g_strfreev(). */
char **cd_job_kinds_matching (const char *text);

/* The kinds (or states, or initiators) sorted by their translated title, NULL-terminated,
 * static: the value_order of a CdJobQuery that sorts by that column. */
const char *const *cd_job_kinds_by_title      (void);
const char *const *cd_job_states_by_title     (void);
const char *const *cd_job_initiators_by_title (void);

G_END_DECLS
