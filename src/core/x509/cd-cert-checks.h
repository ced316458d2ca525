// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* Stable problem codes, used in the CLI's JSON and by callers that branch on a problem.
 * Never change a published one; add new ones instead. */
#define CD_PROBLEM_EXPIRED           "expired"           /* notAfter is past */
#define CD_PROBLEM_NOT_YET_VALID     "not-yet-valid"     /* notBefore is ahead */
#define CD_PROBLEM_INCOMPLETE_CHAIN  "incomplete-chain"  /* an issuer is neither given nor
                                                          * trusted */
#define CD_PROBLEM_UNTRUSTED_ROOT    "untrusted-root"    /* the chain ends in an untrusted root */
#define CD_PROBLEM_INVALID_CHAIN     "invalid-chain"     /* any other verification failure (bad
                                                          * signature, path length, not a CA ...) */
#define CD_PROBLEM_HOSTNAME_MISMATCH "hostname-mismatch" /* a required host is not covered */
#define CD_PROBLEM_KEY_MISMATCH      "key-mismatch"      /* the leaf is not for the given key */
#define CD_PROBLEM_WEAK_KEY          "weak-key"          /* RSA/DSA < 2048 bits, EC < 256 bits */
#define CD_PROBLEM_WEAK_SIGNATURE    "weak-signature"    /* signed with MD2, MD4, MD5 or SHA-1 */
#define CD_PROBLEM_VALIDITY_TOO_LONG "validity-too-long" /* beyond the CA/Browser Forum maximum */
#define CD_PROBLEM_NO_SAN            "no-san"            /* names only in the subject CN */
#define CD_PROBLEM_CN_NOT_IN_SAN     "cn-not-in-san"     /* warning */
#define CD_PROBLEM_LEAF_IS_CA        "leaf-is-ca"        /* the server certificate is a CA */
#define CD_PROBLEM_CHAIN_ORDER       "chain-order"       /* warning: delivered out of order */

/* One finding. @certificate is the index of the certificate it is about in the ordered chain
 * (0 = leaf), or -1 when it is about the chain as a whole or about a trusted certificate that
 * is not part of the chain. @message is translated, names the certificate by its subject CN
 * and says what to do. A warning does not make a chain unusable. */
typedef struct
{
  char     *code;
  int       certificate;
  char     *message;
  gboolean  warning;
} CdProblem;

CdProblem *cd_problem_new  (const char *code,
                            int         certificate,
                            gboolean    warning,
                            const char *message);
void       cd_problem_free (CdProblem  *problem);

/* Runs the checks that need no chain building on @chain, an ordered GPtrArray of X509*
 * (leaf first, as cd_chain_order() returns it), appending a CdProblem for each finding to
 * @problems (a GPtrArray that frees with cd_problem_free):
 *   hostname-mismatch for each of @hosts (may be NULL) the leaf does not cover,
 *   key-mismatch when @key (may be NULL; a private or public key) is not the leaf's,
 *   weak-key for every certificate, weak-signature for every certificate that is not
 *   self-signed (nobody checks the signature of a trust anchor), validity-too-long,
 *   no-san, cn-not-in-san and leaf-is-ca for the leaf.
 * Validity in time, completeness and trust are cd_chain_verify()'s business.
 * Returns FALSE with CD_ERROR_INVALID_NAME, adding nothing, when a host is not a valid
 * DNS name or IP address. */
gboolean   cd_cert_checks_run (GPtrArray          *chain,
                               const char * const *hosts,
                               EVP_PKEY           *key,
                               GPtrArray          *problems,
                               GError            **error);

/* Whether @cert's subjectAltName covers @host, as a TLS client decides: a Unicode host is
 * converted to A-labels first; "*.a.example" covers "x.a.example" but neither "a.example"
 * nor "y.x.a.example" (RFC 6125, no partial wildcards, the subject CN is never consulted);
 * an IP address must be listed as an iPAddress; a wildcard host ("*.a.example") is covered
 * only by the same wildcard. FALSE with CD_ERROR_INVALID_NAME for an invalid host. */
gboolean   cd_cert_covers_host (X509        *cert,
                                const char  *host,
                                GError     **error);

/* The longest validity in days the CA/Browser Forum baseline requirements allow for a TLS
 * server certificate whose notBefore is @not_before (Unix seconds): 39 months (1185 days)
 * before 2018-03-01, 825 days before 2020-09-01, 398 before 2026-03-15, 200 before
 * 2027-03-15, 100 before 2029-03-15, then 47. */
int        cd_cert_max_validity_days (gint64 not_before);

/* How messages name a certificate: its subject CN, or the whole subject when it has no CN.
 * Never NULL. */
char      *cd_cert_checks_display_name (X509 *cert);

/* A subject or issuer name as one line, most specific first ("CN=R3, O=Let's Encrypt, C=US"),
 * UTF-8. Never NULL. */
char      *cd_cert_checks_format_name (const X509_NAME *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdProblem, cd_problem_free)

G_END_DECLS
