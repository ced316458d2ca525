// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-csr.h"

G_BEGIN_DECLS

/* Shared by cd-csr.c (the request and what is made from it) and cd-csr-check.c (the checks). */

#define CD_CSR_N_SUBJECT_FIELDS CD_CSR_FIELD_HOSTS

typedef struct
{
  int         nid;
  int         max_chars;   /* RFC 5280 Appendix A upper bounds */
  const char *label;       /* untranslated */
} CdCsrFieldInfo;

/* Indexed by CdCsrField. */
extern const CdCsrFieldInfo cd_csr_field_info[CD_CSR_FIELD_HOSTS + 1];

/* What the check learns on the way, so that cd_csr_create() uses exactly what was checked. */
typedef struct
{
  char      *values[CD_CSR_N_SUBJECT_FIELDS];  /* tidy; country upper-cased, CN normalized */
  GPtrArray *names;                            /* the subjectAltName, normalized, in CSR order */
} CdCsrPrepared;

void          _cd_csr_prepared_clear    (CdCsrPrepared       *prepared);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdCsrPrepared, _cd_csr_prepared_clear)

/* cd-csr.c */

/* A subject field of @request as typed; not for CD_CSR_FIELD_HOSTS. */
const char   *_cd_csr_request_get_field (const CdCsrRequest  *request,
                                        CdCsrField           field);
guint         _cd_csr_request_n_hosts   (const CdCsrRequest  *request);
const char   *_cd_csr_request_get_host  (const CdCsrRequest  *request,
                                        guint                i);
char         *_cd_csr_tidy_value        (const char          *value);

/* cd-csr-check.c */

/* Checks @request as for a private CA and fills @prepared; FALSE with the message of the first
 * error (CD_ERROR_INVALID_VALUE). */
gboolean      _cd_csr_request_prepare   (const CdCsrRequest  *request,
                                        CdCsrPrepared       *prepared,
                                        GError             **error);

G_END_DECLS
