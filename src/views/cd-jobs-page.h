// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-inventory.h"
#include "cd-job-list.h"

G_BEGIN_DECLS

#define CD_TYPE_JOBS_PAGE (cd_jobs_page_get_type ())
G_DECLARE_FINAL_TYPE (CdJobsPage, cd_jobs_page, CD, JOBS_PAGE, AdwBin)

/* The Job Logs: every job of the inventory's store, by tab, filtered, searched and sorted,
 * live while shown; a job opens in its own window. */
void       cd_jobs_page_set_inventory (CdJobsPage  *self,
                                       CdInventory *inventory);
/* The list shown, NULL before an inventory is set. */
CdJobList *cd_jobs_page_get_list      (CdJobsPage  *self);
void       cd_jobs_page_focus_search  (CdJobsPage  *self);
/* In a narrow window the tabs go above the search and the filters into a popover. */
void       cd_jobs_page_set_compact   (CdJobsPage  *self,
                                       gboolean     compact);
/* Opens the window of the job at @position of the list. */
void       cd_jobs_page_open_position (CdJobsPage  *self,
                                       guint        position);

G_END_DECLS
