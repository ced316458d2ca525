// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A throw-away PKI for tests, made with the openssl command-line tool in a temporary
 * directory: keys, self-signed roots, intermediates (also cross-signed ones) and leaves with
 * any subject, subjectAltName, key type, digest, CA flag, path length and validity window,
 * including windows wholly in the past or the future.
 *
 * Every entry has a name ("root", "inter", "leaf" ...): its certificate is the PEM file
 * "<name>.pem" and its private key the PEM (PKCS#8) file "<name>.key" in the directory.
 * Paths returned as const char * belong to the PKI and live as long as it does. Every
 * failure of the openssl tool is a test failure (g_error with its output), so callers need
 * not check results. This file only needs GLib; cd-test-x509.h loads the PEM files with OpenSSL.
 *
 * Costs: an EC key, a CSR and a signature take a few milliseconds each; an RSA 2048 key
 * about a tenth of a second; an RSA 4096 key is generated once per process and reused by
 * every CD_TEST_KEY_RSA_4096 request. Prefer CD_TEST_KEY_DEFAULT when the key type does not
 * matter. */

typedef struct _CdTestPki CdTestPki;

/* A fixed instant, "YYYYMMDDHHMMSSZ", for tests that verify at a time they choose rather than
 * today (see cd_test_pki_set_now()): 2026-06-01 12:00:00 UTC, when a leaf may be valid for
 * 200 days, so the default 90 days are fine. */
#define CD_TEST_PKI_NOW "20260601120000Z"

typedef enum
{
  CD_TEST_KEY_DEFAULT,  /* EC P-256: the fastest acceptable key */
  CD_TEST_KEY_RSA_1024, /* weak */
  CD_TEST_KEY_RSA_2048,
  CD_TEST_KEY_RSA_4096, /* one key per process, shared */
  CD_TEST_KEY_EC_P256,
  CD_TEST_KEY_EC_P384,
  CD_TEST_KEY_EC_P224,  /* secp224r1: weak, below P-256 */
} CdTestKeyType;

/* Zero-initialise and set what matters: { .dns = (const char *[]) { "a.example", NULL } }. */
typedef struct
{
  /* OpenSSL's "/O=y/CN=x" form, UTF-8 allowed; NULL: "/CN=<first DNS name>", or "/CN=<name>"
   * without DNS names */
  const char         *subject;
  /* subjectAltName entries, NULL-terminated; with neither, the certificate has no SAN
   * extension at all (a CN-only certificate) */
  const char * const *dns;
  const char * const *ips;
  /* ignored when @key is set */
  CdTestKeyType       key_type;
  /* the name of an existing entry whose key is reused (a cross-signed intermediate has the
   * subject and key of another one) or of a key made with cd_test_pki_make_key() */
  const char         *key;
  /* "sha256" when NULL; "sha1", "sha384", "sha512"; "md5" works with RSA issuers only */
  const char         *digest;
  /* basicConstraints CA:TRUE with keyUsage keyCertSign and cRLSign; otherwise CA:FALSE with
   * digitalSignature, keyEncipherment and extendedKeyUsage serverAuth */
  gboolean            ca;
  /* with @ca, sets pathLenConstraint to @pathlen */
  gboolean            has_pathlen;
  guint               pathlen;
  /* "YYYYMMDDHHMMSSZ" (UTC); NULL: one day before now (see cd_test_pki_set_now()) */
  const char         *not_before;
  /* NULL: @not_before plus @days */
  const char         *not_after;
  /* 0: 90 for leaves, 3650 for CAs */
  int                 days;
} CdTestCertSpec;

CdTestPki  *cd_test_pki_new              (void);
/* Removes the directory and everything in it. */
void        cd_test_pki_free             (CdTestPki            *pki);

const char *cd_test_pki_get_dir          (CdTestPki            *pki);
/* The "now" default validity windows start a day before, in Unix seconds: a test that
 * verifies at a fixed instant makes its certificates for that instant, and holds on any day.
 * 0, the default: the current time, when each certificate is made. */
void        cd_test_pki_set_now          (CdTestPki            *pki,
                                          gint64                now);
/* A new path inside the directory (need not exist). Free it. */
char       *cd_test_pki_path             (CdTestPki            *pki,
                                          const char           *file_name);

/* "<name>.key". */
const char *cd_test_pki_make_key         (CdTestPki            *pki,
                                          const char           *name,
                                          CdTestKeyType         type);

/* A self-signed certificate signed by its own key. @spec may be NULL: then a CA with the
 * subject "/CN=<name>", valid from yesterday for ten years. Set @spec->ca for a root; leave
 * it FALSE for a self-signed server certificate. Returns "<name>.pem". */
const char *cd_test_pki_make_self_signed (CdTestPki            *pki,
                                          const char           *name,
                                          const CdTestCertSpec *spec);

/* A certificate for @name signed by the entry @issuer (which must have a key). @spec may be
 * NULL: a leaf "/CN=<name>" with the SAN DNS:<name>, valid from yesterday for 90 days.
 * Returns "<name>.pem". */
const char *cd_test_pki_issue            (CdTestPki            *pki,
                                          const char           *name,
                                          const char           *issuer,
                                          const CdTestCertSpec *spec);

/* Shorthands with the defaults above: a root CA "/CN=<name>"; a CA "/CN=<name>" issued by
 * @issuer; a leaf "/CN=<dns>" with the SAN DNS:<dns> (@dns NULL: @name) issued by @issuer. */
const char *cd_test_pki_make_root        (CdTestPki            *pki,
                                          const char           *name);
const char *cd_test_pki_make_intermediate(CdTestPki            *pki,
                                          const char           *name,
                                          const char           *issuer);
const char *cd_test_pki_make_leaf        (CdTestPki            *pki,
                                          const char           *name,
                                          const char           *issuer,
                                          const char           *dns);

/* Paths of an entry's files; they assert that the file exists. */
const char *cd_test_pki_cert_path        (CdTestPki            *pki,
                                          const char           *name);
const char *cd_test_pki_key_path         (CdTestPki            *pki,
                                          const char           *name);

/* Concatenates the certificates of the named entries, in that order, into "<name>.pem"
 * (a bundle, or an -untrusted file for openssl verify). NULL-terminated list. */
const char *cd_test_pki_bundle           (CdTestPki            *pki,
                                          const char           *name,
                                          const char           *first_entry,
                                          ...) G_GNUC_NULL_TERMINATED;

/* Runs openssl with the given arguments (NULL-terminated) in the directory. Returns TRUE
 * when it exits with status 0. @output (may be NULL) receives stdout followed by stderr. */
gboolean    cd_test_pki_openssl          (CdTestPki            *pki,
                                          char                **output,
                                          const char           *first_arg,
                                          ...) G_GNUC_NULL_TERMINATED;

/* Runs `openssl verify [-CAfile @ca_file] [-untrusted @untrusted] [-attime @at] @cert` (file
 * names relative to the directory, or absolute paths; @ca_file NULL: the system store; @at in
 * Unix seconds, 0 for now).
 * Returns 0 (X509_V_OK) when openssl accepts the certificate, otherwise the X509_V_ERR_*
 * number of the first error it reports. @output (may be NULL) receives what it printed. */
int         cd_test_pki_verify           (CdTestPki            *pki,
                                          const char           *ca_file,
                                          const char           *untrusted,
                                          gint64                at,
                                          const char           *cert,
                                          char                **output);

/* "YYYYMMDDHHMMSSZ" <-> Unix seconds, UTC. */
gint64      cd_test_pki_parse_time       (const char           *generalized_time);
char       *cd_test_pki_format_time      (gint64                unix_time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTestPki, cd_test_pki_free)

G_END_DECLS
