// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_ERROR (cd_error_quark ())

/* Codes a caller can branch on. Messages carried with them are written for people. */
typedef enum
{
  CD_ERROR_FAILED,
  CD_ERROR_INVALID_NAME,      /* a DNS name or label that fails validation */
  CD_ERROR_INVALID_VALUE,     /* any other field that fails validation */
  CD_ERROR_DUPLICATE,         /* the name or alias is taken */
  CD_ERROR_NOT_FOUND,
  CD_ERROR_READ_ONLY,         /* the store was opened read-only */
  CD_ERROR_DATABASE_CORRUPT,  /* the file is not a database Certdesk can read */
  CD_ERROR_DATABASE_TOO_NEW,  /* written by a newer Certdesk: open read-only */
  CD_ERROR_IO,
  CD_ERROR_BAD_FORMAT,        /* not a certificate, key or container Certdesk can read */
  CD_ERROR_WRONG_PASSWORD,    /* the password does not open the file */
  CD_ERROR_UNSUPPORTED,       /* a format or algorithm Certdesk does not handle */
  CD_ERROR_TOO_LARGE,         /* beyond the bounds Certdesk sets on input */
  CD_ERROR_CANCELLED,
  CD_ERROR_BUSY,              /* another program is writing the file: try again later */
} CdError;

GQuark cd_error_quark (void);

G_END_DECLS
