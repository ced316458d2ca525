// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cd-test-pki.h"

G_BEGIN_DECLS

/* OpenSSL objects from PEM files, for the tests that link OpenSSL (cd-test-util.h and
 * cd-test-pki.h need GLib only). Every failure is a test failure. */

/* The first certificate in the PEM file @path. */
X509      *cd_test_load_certificate (const char         *path);
/* The unencrypted private key in the PEM file @path. */
EVP_PKEY  *cd_test_load_private_key (const char         *path);

/* The certificate of the entry @name of @pki. */
X509      *cd_test_pki_load_cert    (CdTestPki          *pki,
                                     const char         *name);
/* A GPtrArray of X509* (it frees them): the certificates of the entries named in @names
 * (NULL-terminated, or NULL for none), in that order. */
GPtrArray *cd_test_pki_load_certs   (CdTestPki          *pki,
                                     const char * const *names);
/* The private key of the entry @name of @pki. */
EVP_PKEY  *cd_test_pki_load_key     (CdTestPki          *pki,
                                     const char         *name);

G_END_DECLS
