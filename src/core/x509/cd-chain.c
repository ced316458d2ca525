// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-chain"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "cd-chain.h"
#include "cd-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE, X509_STORE_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE_CTX, X509_STORE_CTX_free)

/* An error the verify callback saw: what, and about which certificate (a reference). */
typedef struct
{
  int   error;
  X509 *cert;
} VerifyError;

static void
verify_error_free (gpointer data)
{
  VerifyError *error = data;

  X509_free (error->cert);
  g_free (error);
}

/* @issuer issued @subject (by name, key identifier and key usage; the signature is checked
 * when the chain is verified) and is not the same certificate. */
static gboolean
issued (X509 *issuer,
        X509 *subject)
{
  return issuer != subject && X509_check_issued (issuer, subject) == X509_V_OK;
}

static gboolean
is_self_signed (X509 *cert)
{
  return X509_self_signed (cert, 0) == 1;
}

static gboolean
contains (GPtrArray *certs,
          X509      *cert)
{
  for (guint i = 0; i < certs->len; i++)
    if (X509_cmp (g_ptr_array_index (certs, i), cert) == 0)
      return TRUE;
  return FALSE;
}

static int
index_in (GPtrArray *certs,
          X509      *cert)
{
  if (cert == NULL)
    return -1;
  for (guint i = 0; i < certs->len; i++)
    if (X509_cmp (g_ptr_array_index (certs, i), cert) == 0)
      return (int) i;
  return -1;
}

/* The path from @start up through issuers in @bag, as indexes; @used marks them. */
static GArray *
walk_up (GPtrArray *bag,
         guint      start,
         gboolean  *used)
{
  GArray *path = g_array_new (FALSE, FALSE, sizeof (guint));
  guint current = start;

  for (;;)
    {
      X509 *cert = g_ptr_array_index (bag, current);
      int next = -1;

      used[current] = TRUE;
      g_array_append_val (path, current);
      if (is_self_signed (cert))
        break;

      for (guint j = 0; j < bag->len; j++)
        {
          X509 *candidate = g_ptr_array_index (bag, j);
          gboolean has_issuer = FALSE;

          if (used[j] || !issued (candidate, cert))
            continue;
          /* of two cross-signed copies, the one that leads further */
          for (guint k = 0; k < bag->len && !has_issuer; k++)
            has_issuer = !used[k] && k != j && issued (g_ptr_array_index (bag, k), candidate);
          if (next < 0 || has_issuer)
            next = (int) j;
          if (has_issuer)
            break;
        }
      if (next < 0)
        break;
      current = (guint) next;
    }

  return path;
}

/* The leaf issued none of the others. Of several such certificates a server certificate
 * (not a CA) wins, then the one with the longest path, then the first given. */
static GArray *
leaf_path (GPtrArray *bag,
           gboolean  *used)
{
  GArray *best = NULL;
  gboolean best_is_ca = TRUE;

  for (guint i = 0; i < bag->len; i++)
    {
      X509 *cert = g_ptr_array_index (bag, i);
      gboolean issues_one = FALSE;
      gboolean cert_is_ca;
      GArray *path;

      for (guint j = 0; j < bag->len && !issues_one; j++)
        issues_one = issued (cert, g_ptr_array_index (bag, j));
      if (issues_one)
        continue;

      cert_is_ca = (X509_get_extension_flags (cert) & EXFLAG_CA) != 0;
      memset (used, 0, bag->len * sizeof (gboolean));
      path = walk_up (bag, i, used);
      if (best == NULL || (best_is_ca && !cert_is_ca)
          || (best_is_ca == cert_is_ca && path->len > best->len))
        {
          g_clear_pointer (&best, g_array_unref);
          best = path;
          best_is_ca = cert_is_ca;
        }
      else
        g_array_unref (path);
    }

  /* every certificate issued another one: only a loop of cross-certificates does that */
  memset (used, 0, bag->len * sizeof (gboolean));
  if (best == NULL)
    return walk_up (bag, 0, used);
  for (guint i = 0; i < best->len; i++)
    used[g_array_index (best, guint, i)] = TRUE;
  return best;
}

GPtrArray *
cd_chain_order (GPtrArray *certificates,
                gboolean  *was_in_order)
{
  g_autoptr(GPtrArray) bag = g_ptr_array_new ();
  g_autoptr(GArray) path = NULL;
  g_autofree gboolean *used = NULL;
  GPtrArray *ordered;
  gboolean in_order = TRUE;

  g_return_val_if_fail (certificates != NULL, NULL);

  for (guint i = 0; i < certificates->len; i++)
    {
      X509 *cert = g_ptr_array_index (certificates, i);

      g_return_val_if_fail (cert != NULL, NULL);
      if (!contains (bag, cert))
        g_ptr_array_add (bag, cert);
    }

  ordered = g_ptr_array_new_full (bag->len, (GDestroyNotify) X509_free);
  if (bag->len == 0)
    {
      if (was_in_order != NULL)
        *was_in_order = TRUE;
      return ordered;
    }

  used = g_new0 (gboolean, bag->len);
  path = leaf_path (bag, used);
  for (guint i = 0; i < path->len; i++)
    g_ptr_array_add (ordered, g_ptr_array_index (bag, g_array_index (path, guint, i)));
  for (guint i = 0; i < bag->len; i++)
    if (!used[i])
      g_ptr_array_add (ordered, g_ptr_array_index (bag, i));

  for (guint i = 0; i < ordered->len; i++)
    {
      in_order = in_order && ordered->pdata[i] == bag->pdata[i];
      X509_up_ref (g_ptr_array_index (ordered, i));
    }

  if (was_in_order != NULL)
    *was_in_order = in_order;
  return ordered;
}

char *
cd_chain_find_missing_issuer (GPtrArray *chain)
{
  X509 *last;

  g_return_val_if_fail (chain != NULL, NULL);

  if (chain->len == 0)
    return NULL;
  /* the end of the path, not a certificate that came along and belongs to no chain */
  last = g_ptr_array_index (chain, 0);
  for (guint i = 1; i < chain->len && issued (g_ptr_array_index (chain, i), last); i++)
    last = g_ptr_array_index (chain, i);
  if (is_self_signed (last))
    return NULL;
  return cd_cert_checks_format_name (X509_get_issuer_name (last));
}

static int
verify_callback (int             ok,
                 X509_STORE_CTX *ctx)
{
  GPtrArray *errors = X509_STORE_CTX_get_app_data (ctx);
  VerifyError *error;
  X509 *cert;

  if (ok)
    return 1;

  cert = X509_STORE_CTX_get_current_cert (ctx);
  if (cert == NULL)
    {
      STACK_OF (X509) *chain = X509_STORE_CTX_get0_chain (ctx);
      int depth = X509_STORE_CTX_get_error_depth (ctx);

      if (chain != NULL && depth >= 0 && depth < sk_X509_num (chain))
        cert = sk_X509_value (chain, depth);
    }

  error = g_new0 (VerifyError, 1);
  error->error = X509_STORE_CTX_get_error (ctx);
  if (cert != NULL && X509_up_ref (cert))
    error->cert = cert;
  g_ptr_array_add (errors, error);

  /* go on, so that one run reports every problem, not only the first */
  return 1;
}

static char *
format_date (const ASN1_TIME *time)
{
  struct tm tm = { 0 };

  if (time == NULL || ASN1_TIME_to_tm (time, &tm) != 1)
    return g_strdup ("?");
  return g_strdup_printf ("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static const char *
problem_code_for (int error)
{
  switch (error)
    {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return CD_PROBLEM_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return CD_PROBLEM_NOT_YET_VALID;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return CD_PROBLEM_INCOMPLETE_CHAIN;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
      return CD_PROBLEM_UNTRUSTED_ROOT;
    default:
      return CD_PROBLEM_INVALID_CHAIN;
    }
}

static char *
problem_message_for (int   error,
                     X509 *cert,
                     int   index)
{
  g_autofree char *name = NULL;
  g_autofree char *date = NULL;
  g_autofree char *issuer = NULL;

  if (cert == NULL)
    /* Translators: %s is OpenSSL's description of the error, in English */
    return g_strdup_printf (_("The chain failed verification (%s): get the complete, current "
                              "chain from the certificate authority."),
                            X509_verify_cert_error_string (error));

  name = cd_cert_checks_display_name (cert);
  switch (error)
    {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      date = format_date (X509_get0_notAfter (cert));
      if (index == 0)
        /* Translators: the second %s is a date (YYYY-MM-DD) */
        return g_strdup_printf (_("The certificate “%s” expired on %s: renew it and install "
                                  "the new certificate."),
                                name, date);
      return g_strdup_printf (_("The CA certificate “%s” expired on %s: get the current chain "
                                "from the certificate authority and replace this one."),
                              name, date);

    case X509_V_ERR_CERT_NOT_YET_VALID:
      date = format_date (X509_get0_notBefore (cert));
      /* Translators: the second %s is a date (YYYY-MM-DD) */
      return g_strdup_printf (_("The certificate “%s” is not valid before %s: wait until then, "
                                "or check that this computer’s clock is right."),
                              name, date);

    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      issuer = cd_cert_checks_format_name (X509_get_issuer_name (cert));
      /* Translators: the first %s is a certificate's name, the second the full name of the
       * certificate authority that issued it, such as “CN=R3, O=Let's Encrypt, C=US” */
      return g_strdup_printf (_("The certificate that issued “%s” is missing: add the "
                                "intermediate certificate of “%s”."),
                              name, issuer);

    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return g_strdup_printf (_("The certificate “%s” is self-signed and not trusted: get a "
                                "certificate from a trusted certificate authority, or import "
                                "this one as a trusted certificate."),
                              name);

    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
      return g_strdup_printf (_("The root certificate “%s” is not trusted: import it as a "
                                "trusted certificate if you trust its owner, or get a "
                                "certificate from a trusted certificate authority."),
                              name);

    default:
      /* Translators: the second %s is OpenSSL's description of the error, in English */
      return g_strdup_printf (_("The certificate “%s” failed verification (%s): get the "
                                "complete, current chain from the certificate authority."),
                              name, X509_verify_cert_error_string (error));
    }
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *code,
             int         certificate,
             const char *message)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const CdProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->code, code) && problem->certificate == certificate
          && g_str_equal (problem->message, message))
        return TRUE;
    }
  return FALSE;
}

static int
compare_by_certificate (gconstpointer a,
                        gconstpointer b)
{
  const CdProblem *pa = *(const CdProblem * const *) a;
  const CdProblem *pb = *(const CdProblem * const *) b;
  /* -1 (not in the chain) after every certificate of the chain */
  guint ia = (guint) pa->certificate;
  guint ib = (guint) pb->certificate;

  return ia < ib ? -1 : ia > ib;
}

/* Runs OpenSSL's verification and turns what its callback saw into problems. */
static gboolean
verify_with_openssl (GPtrArray              *certificates,
                     GPtrArray              *chain,
                     const CdVerifyOptions  *options,
                     GPtrArray              *problems,
                     GError                **error)
{
  g_autoptr(X509_STORE) store = X509_STORE_new ();
  g_autoptr(X509_STORE_CTX) ctx = X509_STORE_CTX_new ();
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (verify_error_free);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_problem_free);
  STACK_OF (X509) *untrusted = NULL;
  X509 *leaf = g_ptr_array_index (chain, 0);
  int ret;

  if (store == NULL || ctx == NULL)
    g_error ("out of memory");

  if (options->anchors != NULL)
    {
      for (guint i = 0; i < options->anchors->len; i++)
        if (!X509_STORE_add_cert (store, g_ptr_array_index (options->anchors, i)))
          g_warning ("a trust anchor could not be added");
    }
  else if (!X509_STORE_set_default_paths (store))
    {
      ERR_clear_error ();
      g_set_error_literal (error, CD_ERROR, CD_ERROR_FAILED,
                           _("The system’s trusted certificates could not be loaded: check "
                             "that the ca-certificates package is installed."));
      return FALSE;
    }

  /* in the order given, as `openssl verify -untrusted` takes them from a file: of two
   * candidate issuers OpenSSL picks the first valid one */
  untrusted = sk_X509_new_null ();
  for (guint i = 0; i < certificates->len; i++)
    {
      X509 *cert = g_ptr_array_index (certificates, i);

      if (X509_cmp (cert, leaf) != 0)
        sk_X509_push (untrusted, cert);
    }

  if (!X509_STORE_CTX_init (ctx, store, leaf, untrusted))
    {
      sk_X509_free (untrusted);
      ERR_clear_error ();
      g_set_error_literal (error, CD_ERROR, CD_ERROR_FAILED,
                           _("The certificate chain could not be verified."));
      return FALSE;
    }
  if (options->at != 0)
    X509_VERIFY_PARAM_set_time (X509_STORE_CTX_get0_param (ctx), (time_t) options->at);
  X509_STORE_CTX_set_verify_cb (ctx, verify_callback);
  X509_STORE_CTX_set_app_data (ctx, errors);

  ret = X509_verify_cert (ctx);
  if (ret <= 0 && errors->len == 0)
    {
      VerifyError *internal = g_new0 (VerifyError, 1);

      internal->error = X509_STORE_CTX_get_error (ctx);
      g_ptr_array_add (errors, internal);
    }

  X509_STORE_CTX_cleanup (ctx);
  sk_X509_free (untrusted);
  ERR_clear_error ();

  for (guint i = 0; i < errors->len; i++)
    {
      const VerifyError *seen = g_ptr_array_index (errors, i);
      const char *code = problem_code_for (seen->error);
      int index = index_in (chain, seen->cert);
      g_autofree char *message = problem_message_for (seen->error, seen->cert, index);

      if (!has_problem (found, code, index, message))
        g_ptr_array_add (found, cd_problem_new (code, index, FALSE, message));
    }

  g_ptr_array_sort (found, compare_by_certificate);
  g_ptr_array_extend_and_steal (problems, g_steal_pointer (&found));
  return TRUE;
}

CdVerifyResult *
cd_chain_verify (GPtrArray              *certificates,
                 const CdVerifyOptions  *options,
                 GError                **error)
{
  const CdVerifyOptions defaults = { 0 };
  g_autoptr(CdVerifyResult) result = NULL;
  gboolean in_order = TRUE;

  g_return_val_if_fail (certificates != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &defaults;

  if (certificates->len == 0)
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                           _("There is no certificate to verify: add the server certificate "
                             "and its chain."));
      return NULL;
    }

  result = g_new0 (CdVerifyResult, 1);
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_problem_free);
  result->chain = cd_chain_order (certificates, &in_order);

  if (!verify_with_openssl (certificates, result->chain, options, result->problems, error))
    return NULL;
  if (!cd_cert_checks_run (result->chain, options->hosts, options->key, result->problems, error))
    return NULL;

  if (!in_order)
    g_ptr_array_add (result->problems,
                     cd_problem_new (CD_PROBLEM_CHAIN_ORDER, -1, TRUE,
                                     _("The certificates were not in order (server certificate, "
                                       "then each issuer up to the root): Certdesk puts them in "
                                       "order when it installs or exports them.")));

  result->ok = TRUE;
  for (guint i = 0; i < result->problems->len; i++)
    {
      const CdProblem *problem = g_ptr_array_index (result->problems, i);

      if (!problem->warning)
        result->ok = FALSE;
    }

  return g_steal_pointer (&result);
}

void
cd_verify_result_free (CdVerifyResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->chain, g_ptr_array_unref);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

/* -1 is a certificate index too: the chain as a whole */
#define ANY_CERTIFICATE G_MININT

static const CdProblem *
find_problem (const CdVerifyResult *result,
              const char           *code,
              int                   certificate)
{
  for (guint i = 0; i < result->problems->len; i++)
    {
      const CdProblem *problem = g_ptr_array_index (result->problems, i);

      if (g_str_equal (problem->code, code) &&
          (certificate == ANY_CERTIFICATE || problem->certificate == certificate))
        return problem;
    }
  return NULL;
}

const CdProblem *
cd_verify_result_find (const CdVerifyResult *result,
                       const char           *code)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return find_problem (result, code, ANY_CERTIFICATE);
}

const CdProblem *
cd_verify_result_find_for (const CdVerifyResult *result,
                           const char           *code,
                           int                   certificate)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (certificate >= -1, NULL);

  return find_problem (result, code, certificate);
}
