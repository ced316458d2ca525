// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

#include "cd-cert-status.h"

G_BEGIN_DECLS

#define CD_TYPE_STATUS_LABEL (cd_status_label_get_type ())
G_DECLARE_FINAL_TYPE (CdStatusLabel, cd_status_label, CD, STATUS_LABEL, GtkWidget)

/* A certificate status as a coloured pill whose words carry the meaning on their own. */
GtkWidget    *cd_status_label_new        (void);
CdCertStatus  cd_status_label_get_status (CdStatusLabel *self);
void          cd_status_label_set_status (CdStatusLabel *self,
                                          CdCertStatus   status);

G_END_DECLS
