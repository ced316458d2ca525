// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cd-cert-checks.h"

G_BEGIN_DECLS

/* Puts a bag of certificates (a GPtrArray of X509*, in any order) in chain order: the leaf
 * (a certificate that issued none of the others; when several did not, a non-CA one wins,
 * then the one with the longest path, then the one given first), then its issuer, that
 * one's issuer and so on up to a self-signed root or to the first certificate whose issuer
 * is not in the bag. Where two certificates could issue the next one (a cross-signed
 * intermediate) the one whose own issuer is also in the bag wins, then the one given first.
 * Certificates that are not on that path (an unrelated certificate, the other copy of a
 * cross-signed intermediate) follow in the order given; exact duplicates are dropped.
 * Returns a new array of new references (it frees with X509_free), empty for an empty bag.
 * @was_in_order (may be NULL) is set to TRUE when the bag, duplicates left out, was already
 * in that order. */
GPtrArray      *cd_chain_order                (GPtrArray *certificates,
                                               gboolean  *was_in_order);

/* When the path of an ordered chain (leaf, its issuer, ...; certificates that follow and
 * belong to no chain are ignored) does not end in a self-signed certificate, the name of the
 * issuer of its last certificate (see cd_cert_checks_format_name()), which is what a person
 * has to find; NULL otherwise. */
char           *cd_chain_find_missing_issuer  (GPtrArray *chain);

typedef struct
{
  /* the trust anchors, X509*; NULL: the system's trusted certificates */
  GPtrArray          *anchors;
  /* hosts the leaf must cover, NULL-terminated (DNS names in Unicode or A-labels, IP
   * addresses); NULL: none */
  const char * const *hosts;
  /* the key the leaf must belong to; NULL: not checked */
  EVP_PKEY           *key;
  /* the moment to verify at, Unix seconds; 0: now */
  gint64              at;
} CdVerifyOptions;

typedef struct
{
  /* X509*, ordered as cd_chain_order() does; the indexes in the problems refer to it */
  GPtrArray *chain;
  /* CdProblem*: verification problems first, by certificate (leaf first, -1 last), then
   * those of cd_cert_checks_run(), then chain-order */
  GPtrArray *problems;
  /* TRUE when none of the problems is an error (warnings allowed) */
  gboolean   ok;
} CdVerifyResult;

/* Orders @certificates (a GPtrArray of X509*, any order, leaf included), verifies the chain
 * with OpenSSL (X509_verify_cert) against @options->anchors or the system store at
 * @options->at, and runs cd_cert_checks_run(). Every verification error is recorded and
 * verification goes on, so one call reports all the problems: expired, not-yet-valid,
 * incomplete-chain (naming the missing issuer), untrusted-root, invalid-chain, chain-order
 * (a warning) and those of the checks.
 *
 * Every certificate of the bag but the leaf is offered as an untrusted intermediate, in the
 * order given, as `openssl verify -untrusted` reads them from a file: where two copies of a
 * cross-signed intermediate could issue the next certificate, the first valid one given is
 * used, as openssl verify does, even when only the other one leads to a trusted root. No
 * purpose and no security level are imposed (as with openssl verify): weak keys and
 * signatures are the checks' business.
 *
 * @options may be NULL (system store, now, no hosts, no key). Fails only for unusable input:
 * no certificates (CD_ERROR_INVALID_VALUE), an invalid host (CD_ERROR_INVALID_NAME); or when
 * the system store cannot be loaded (CD_ERROR_FAILED). */
CdVerifyResult *cd_chain_verify               (GPtrArray              *certificates,
                                               const CdVerifyOptions  *options,
                                               GError                **error);

void            cd_verify_result_free         (CdVerifyResult         *result);

/* The first problem with @code, or NULL. */
const CdProblem *cd_verify_result_find        (const CdVerifyResult   *result,
                                               const char             *code);
/* The first problem with @code about @certificate (an index into @result->chain, or -1 for
 * the chain as a whole; see CdProblem), or NULL. */
const CdProblem *cd_verify_result_find_for    (const CdVerifyResult   *result,
                                               const char             *code,
                                               int                     certificate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdVerifyResult, cd_verify_result_free)

G_END_DECLS
