// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

#include "cd-job-types.h"

G_BEGIN_DECLS

/* What a caller asks the job runner to do, before it is a job. */
typedef struct _CdJobRequest CdJobRequest;

/* @target names what the job acts on, for people ("mail.brand.com", "em3", a keystore's
 * path); may be NULL. */
CdJobRequest *cd_job_request_new            (CdJobKind         kind,
                                             CdJobTargetType   target_type,
                                             const char       *target);
void          cd_job_request_free           (CdJobRequest     *self);

/* The target's id in the store, when it has one. */
void          cd_job_request_set_target_id  (CdJobRequest     *self,
                                             gint64            target_id);
void          cd_job_request_set_instance_id (CdJobRequest    *self,
                                             gint64            instance_id);
/* CD_JOB_INITIATOR_USER unless set. */
void          cd_job_request_set_initiator  (CdJobRequest     *self,
                                             CdJobInitiator    initiator);
/* A parameter shown with the job ("hosts", "t.mail.brand.com m.mail.brand.com"). Parameters
 * are stored and shown: a name that speaks of a password, a passphrase, a secret or a private
 * key, or a value that holds a PEM private key, is refused with a critical warning. */
void          cd_job_request_add_parameter  (CdJobRequest     *self,
                                             const char       *name,
                                             const char       *value);
/* Jobs with the same key run one at a time, whatever their kind (a keystore file's path: one
 * write to it at a time). NULL: none. */
void          cd_job_request_set_exclusive  (CdJobRequest     *self,
                                             const char       *key);

CdJobKind        cd_job_request_get_kind        (const CdJobRequest *self);
CdJobTargetType  cd_job_request_get_target_type (const CdJobRequest *self);
const char      *cd_job_request_get_target      (const CdJobRequest *self);
gint64           cd_job_request_get_target_id   (const CdJobRequest *self);
gint64           cd_job_request_get_instance_id (const CdJobRequest *self);
CdJobInitiator   cd_job_request_get_initiator   (const CdJobRequest *self);
const char      *cd_job_request_get_exclusive   (const CdJobRequest *self);
/* a{ss}, floating reference: NULL without parameters */
GVariant        *cd_job_request_build_parameters (const CdJobRequest *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJobRequest, cd_job_request_free)

G_END_DECLS
