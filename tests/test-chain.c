// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-chain"

#include "config.h"

#include <string.h>

#include <openssl/x509_vfy.h>

#include "cd-chain.h"
#include "cd-error.h"
#include "cd-test-pki.h"
#include "cd-test-x509.h"

/* One PKI for the whole program: making it costs about a second. Its certificates are made for
 * CD_TEST_PKI_NOW, and verified at that instant unless a test says otherwise: the results hold
 * on any day. */
static CdTestPki *pki;

static gint64
now (void)
{
  return cd_test_pki_parse_time (CD_TEST_PKI_NOW);
}

static char *
subject_cn (X509 *cert)
{
  char cn[256] = "";

  X509_NAME_get_text_by_NID (X509_get_subject_name (cert), NID_commonName, cn, sizeof cn);
  return g_strdup (cn);
}

/* The subject CNs of @chain, joined with " > ". */
static char *
describe (GPtrArray *chain)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < chain->len; i++)
    g_ptr_array_add (names, subject_cn (g_ptr_array_index (chain, i)));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" > ", (char **) names->pdata);
}

static void
log_problems (const CdVerifyResult *result)
{
  for (guint i = 0; i < result->problems->len; i++)
    {
      const CdProblem *problem = g_ptr_array_index (result->problems, i);

      g_test_message ("  %s [%d]%s: %s", problem->code, problem->certificate,
                      problem->warning ? " (warning)" : "", problem->message);
    }
}

/* What an openssl verify error means in Certdesk's terms. */
static const char *
code_for_openssl_error (int error)
{
  switch (error)
    {
    case X509_V_OK:
      return NULL;
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
      return CD_PROBLEM_UNTRUSTED_ROOT;
    default:
      return CD_PROBLEM_INVALID_CHAIN;
    }
}

/* ---- the PKI ---------------------------------------------------------------------------- */

#define CA_FROM "20000101000000Z"
#define CA_TO   "20491231000000Z"

static void
make_pki (void)
{
  const CdTestCertSpec root = {
    .subject = "/O=Certdesk Tests/CN=Certdesk Test Root", .ca = TRUE,
    .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec inter = {
    .subject = "/O=Certdesk Tests/CN=Certdesk Test Inter", .ca = TRUE, .has_pathlen = TRUE,
    .pathlen = 1, .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec inter2 = {
    .subject = "/O=Certdesk Tests/CN=Certdesk Test Inter 2", .ca = TRUE, .has_pathlen = TRUE,
    .pathlen = 0, .not_before = CA_FROM, .not_after = CA_TO,
  };
  /* beyond the path length inter2 allows */
  const CdTestCertSpec inter3 = {
    .subject = "/O=Certdesk Tests/CN=Certdesk Test Inter 3", .ca = TRUE,
    .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec other_root = {
    .subject = "/CN=Certdesk Other Root", .ca = TRUE, .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec self = {
    .dns = (const char *[]) { "self.example", NULL },
  };
  const CdTestCertSpec leaf_expired = {
    .dns = (const char *[]) { "expired.example", NULL },
    .not_before = "20250101000000Z", .days = 60,
  };
  const CdTestCertSpec inter_expired = {
    .subject = "/CN=Certdesk Old Inter", .ca = TRUE, .not_before = "20100101000000Z",
    .not_after = "20250601000000Z",
  };
  const CdTestCertSpec leaf_future = {
    .dns = (const char *[]) { "future.example", NULL },
    .not_before = "20300101000000Z", .days = 40,
  };
  const CdTestCertSpec leaf_timed = {
    .dns = (const char *[]) { "timed.example", NULL },
    .not_before = "20240101000000Z", .days = 60,
  };
  const CdTestCertSpec root_a = {
    .subject = "/CN=Certdesk Root A", .ca = TRUE, .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec root_b = {
    .subject = "/CN=Certdesk Root B", .ca = TRUE, .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec cross_a = {
    .subject = "/CN=Certdesk Cross Inter", .ca = TRUE, .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec cross_b = {
    .subject = "/CN=Certdesk Cross Inter", .key = "cross-a", .ca = TRUE, .not_before = CA_FROM,
    .not_after = CA_TO,
  };

  cd_test_pki_make_self_signed (pki, "root", &root);
  cd_test_pki_issue (pki, "inter", "root", &inter);
  cd_test_pki_issue (pki, "inter2", "inter", &inter2);
  cd_test_pki_make_leaf (pki, "leaf", "inter", "leaf.example");
  cd_test_pki_make_leaf (pki, "leaf4", "inter2", "leaf4.example");
  cd_test_pki_issue (pki, "inter3", "inter2", &inter3);
  cd_test_pki_make_leaf (pki, "leaf5", "inter3", "leaf5.example");
  cd_test_pki_make_self_signed (pki, "other-root", &other_root);
  cd_test_pki_make_leaf (pki, "unrelated", "other-root", "unrelated.example");
  cd_test_pki_make_self_signed (pki, "self", &self);
  cd_test_pki_issue (pki, "leaf-expired", "inter", &leaf_expired);
  cd_test_pki_issue (pki, "inter-expired", "root", &inter_expired);
  cd_test_pki_make_leaf (pki, "leaf-under-expired", "inter-expired", "old.example");
  cd_test_pki_issue (pki, "leaf-future", "inter", &leaf_future);
  cd_test_pki_issue (pki, "leaf-timed", "inter", &leaf_timed);
  cd_test_pki_make_self_signed (pki, "root-a", &root_a);
  cd_test_pki_make_self_signed (pki, "root-b", &root_b);
  cd_test_pki_issue (pki, "cross-a", "root-a", &cross_a);
  cd_test_pki_issue (pki, "cross-b", "root-b", &cross_b);
  cd_test_pki_make_leaf (pki, "leaf-x", "cross-a", "cross.example");
}

/* ---- ordering --------------------------------------------------------------------------- */

static void
assert_order (const char * const *given,
              const char         *expected,
              gboolean            expected_in_order)
{
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, given);
  g_autoptr(GPtrArray) ordered = NULL;
  g_autofree char *shown = NULL;
  gboolean in_order = !expected_in_order;

  ordered = cd_chain_order (bag, &in_order);
  shown = describe (ordered);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpint (in_order, ==, expected_in_order);

  /* the result holds references of its own */
  g_clear_pointer (&bag, g_ptr_array_unref);
  g_clear_pointer (&shown, g_free);
  shown = describe (ordered);
  g_assert_cmpstr (shown, ==, expected);
}

#define CHAIN4 "leaf4.example > Certdesk Test Inter 2 > Certdesk Test Inter > Certdesk Test Root"

static void
test_order_in_order (void)
{
  assert_order ((const char *[]) { "leaf4", "inter2", "inter", "root", NULL }, CHAIN4, TRUE);
  assert_order ((const char *[]) { "leaf", NULL }, "leaf.example", TRUE);
  assert_order ((const char *[]) { "inter", "root", NULL },
                "Certdesk Test Inter > Certdesk Test Root", TRUE);
}

static void
permute (const char **items,
         guint        first,
         guint        n,
         guint       *count)
{
  if (first == n)
    {
      gboolean identity = g_str_equal (items[0], "leaf4") && g_str_equal (items[1], "inter2")
                          && g_str_equal (items[2], "inter");

      assert_order (items, CHAIN4, identity);
      (*count)++;
      return;
    }

  for (guint i = first; i < n; i++)
    {
      const char *swap = items[first];

      items[first] = items[i];
      items[i] = swap;
      permute (items, first + 1, n, count);
      items[i] = items[first];
      items[first] = swap;
    }
}

static void
test_order_shuffled (void)
{
  const char *items[] = { "leaf4", "inter2", "inter", "root", NULL };
  guint count = 0;

  /* every one of the 24 orders gives the same chain, and only one was in order */
  permute (items, 0, 4, &count);
  g_assert_cmpuint (count, ==, 24);
}

static void
test_order_duplicates (void)
{
  assert_order ((const char *[]) { "leaf", "leaf", "inter", "inter", NULL },
                "leaf.example > Certdesk Test Inter", TRUE);
  assert_order ((const char *[]) { "inter", "leaf", "inter", NULL },
                "leaf.example > Certdesk Test Inter", FALSE);
}

static void
test_order_extra (void)
{
  /* a certificate that belongs to no chain of the bag goes last, whatever its place */
  assert_order ((const char *[]) { "unrelated", "inter", "leaf", NULL },
                "leaf.example > Certdesk Test Inter > unrelated.example", FALSE);
  assert_order ((const char *[]) { "leaf", "inter", "unrelated", NULL },
                "leaf.example > Certdesk Test Inter > unrelated.example", TRUE);
  /* a server certificate is the leaf rather than a CA that issued nothing in the bag */
  assert_order ((const char *[]) { "other-root", "leaf", NULL },
                "leaf.example > Certdesk Other Root", FALSE);
}

static void
test_order_cross_signed (void)
{
  /* the copy of the intermediate whose root is in the bag is on the path */
  assert_order ((const char *[]) { "leaf-x", "cross-a", "cross-b", "root-b", NULL },
                "cross.example > Certdesk Cross Inter > Certdesk Root B > Certdesk Cross Inter",
                FALSE);
  {
    g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "cross-a", "root-b",
                                                                               "cross-b", "leaf-x",
                                                                               NULL });
    g_autoptr(GPtrArray) ordered = cd_chain_order (bag, NULL);

    g_assert_cmpuint (ordered->len, ==, 4);
    g_assert_true (X509_cmp (g_ptr_array_index (ordered, 1), g_ptr_array_index (bag, 2)) == 0);
    g_assert_true (X509_cmp (g_ptr_array_index (ordered, 3), g_ptr_array_index (bag, 0)) == 0);
  }
  /* with neither root, the first given */
  assert_order ((const char *[]) { "leaf-x", "cross-b", "cross-a", NULL },
                "cross.example > Certdesk Cross Inter > Certdesk Cross Inter", TRUE);
}

static void
test_order_empty (void)
{
  g_autoptr(GPtrArray) bag = g_ptr_array_new ();
  g_autoptr(GPtrArray) ordered = NULL;
  gboolean in_order = FALSE;

  ordered = cd_chain_order (bag, &in_order);
  g_assert_cmpuint (ordered->len, ==, 0);
  g_assert_true (in_order);
}

static void
test_missing_issuer (void)
{
  g_autoptr(GPtrArray) alone = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", NULL });
  g_autoptr(GPtrArray) two = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "inter",
                                                                             NULL });
  g_autoptr(GPtrArray) full = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "inter",
                                                                              "root", NULL });
  g_autofree char *missing = NULL;

  missing = cd_chain_find_missing_issuer (alone);
  g_assert_cmpstr (missing, ==, "CN=Certdesk Test Inter, O=Certdesk Tests");
  g_clear_pointer (&missing, g_free);
  missing = cd_chain_find_missing_issuer (two);
  g_assert_cmpstr (missing, ==, "CN=Certdesk Test Root, O=Certdesk Tests");
  g_clear_pointer (&missing, g_free);
  g_assert_null (cd_chain_find_missing_issuer (full));

  /* a certificate of no chain at the end is not the end of the path */
  {
    g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "unrelated",
                                                                               NULL });
    g_autoptr(GPtrArray) ordered = cd_chain_order (bag, NULL);

    g_assert_cmpuint (ordered->len, ==, 2);
    missing = cd_chain_find_missing_issuer (ordered);
    g_assert_cmpstr (missing, ==, "CN=Certdesk Test Inter, O=Certdesk Tests");
  }
}

/* ---- verification, side by side with openssl verify ---------------------------------- */

typedef struct
{
  const char *path;
  const char *leaf;
  /* the other certificates, in the order given (and in the -untrusted file) */
  const char *others[4];
  /* the bag puts the leaf after the others */
  gboolean    leaf_last;
  /* the -CAfile / the only trust anchor */
  const char *anchor;
  /* the time to verify at, "YYYYMMDDHHMMSSZ"; NULL: CD_TEST_PKI_NOW; "now": the current time,
   * as Certdesk and openssl take it by default */
  const char *at;
  /* what openssl verify says: X509_V_OK or the first X509_V_ERR_* */
  int         openssl_error;
  /* a problem Certdesk must report (NULL: none but warnings), about this certificate */
  const char *code;
  int         certificate;
} Scenario;

static const Scenario scenarios[] = {
  { "/core/chain/verify/good", "leaf", { "inter" }, FALSE, "root", NULL, X509_V_OK, NULL, 0 },
  { "/core/chain/verify/good-with-root", "leaf", { "inter", "root" }, FALSE, "root", NULL,
    X509_V_OK, NULL, 0 },
  { "/core/chain/verify/shuffled", "leaf", { "root", "inter" }, TRUE, "root", NULL, X509_V_OK,
    NULL, 0 },
  { "/core/chain/verify/long", "leaf4", { "inter2", "inter" }, FALSE, "root", NULL, X509_V_OK,
    NULL, 0 },
  { "/core/chain/verify/path-too-long", "leaf5", { "inter3", "inter2", "inter" }, FALSE, "root",
    NULL, X509_V_ERR_PATH_LENGTH_EXCEEDED, CD_PROBLEM_INVALID_CHAIN, 2 },
  { "/core/chain/verify/missing-intermediate", "leaf", { NULL }, FALSE, "root", NULL,
    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CD_PROBLEM_INCOMPLETE_CHAIN, 0 },
  { "/core/chain/verify/missing-middle", "leaf4", { "inter" }, FALSE, "root", NULL,
    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CD_PROBLEM_INCOMPLETE_CHAIN, 0 },
  { "/core/chain/verify/untrusted-root", "leaf", { "inter", "root" }, FALSE, "other-root", NULL,
    X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, CD_PROBLEM_UNTRUSTED_ROOT, 2 },
  { "/core/chain/verify/unknown-root", "leaf", { "inter" }, FALSE, "other-root", NULL,
    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CD_PROBLEM_INCOMPLETE_CHAIN, 1 },
  { "/core/chain/verify/self-signed", "self", { NULL }, FALSE, "root", NULL,
    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, CD_PROBLEM_UNTRUSTED_ROOT, 0 },
  { "/core/chain/verify/self-signed-trusted", "self", { NULL }, FALSE, "self", NULL, X509_V_OK,
    NULL, 0 },
  { "/core/chain/verify/expired-leaf", "leaf-expired", { "inter" }, FALSE, "root", NULL,
    X509_V_ERR_CERT_HAS_EXPIRED, CD_PROBLEM_EXPIRED, 0 },
  { "/core/chain/verify/expired-intermediate", "leaf-under-expired", { "inter-expired" }, FALSE,
    "root", NULL, X509_V_ERR_CERT_HAS_EXPIRED, CD_PROBLEM_EXPIRED, 1 },
  { "/core/chain/verify/not-yet-valid", "leaf-future", { "inter" }, FALSE, "root", NULL,
    X509_V_ERR_CERT_NOT_YET_VALID, CD_PROBLEM_NOT_YET_VALID, 0 },
  { "/core/chain/verify/cross-signed-root-a", "leaf-x", { "cross-a" }, FALSE, "root-a", NULL,
    X509_V_OK, NULL, 0 },
  { "/core/chain/verify/cross-signed-root-b", "leaf-x", { "cross-b" }, FALSE, "root-b", NULL,
    X509_V_OK, NULL, 0 },
  { "/core/chain/verify/cross-signed-root-b-with-root", "leaf-x", { "cross-b", "root-b" }, FALSE,
    "root-b", NULL, X509_V_OK, NULL, 0 },
  { "/core/chain/verify/cross-signed-wrong-root", "leaf-x", { "cross-a" }, FALSE, "root-b",
    NULL, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CD_PROBLEM_INCOMPLETE_CHAIN, 1 },
  /* with both copies, OpenSSL takes the first valid issuer given, and so does Certdesk */
  { "/core/chain/verify/cross-signed-both-b-first", "leaf-x", { "cross-b", "cross-a" }, FALSE,
    "root-b", NULL, X509_V_OK, NULL, 0 },
  { "/core/chain/verify/cross-signed-both-a-first", "leaf-x", { "cross-a", "cross-b" }, FALSE,
    "root-b", NULL, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CD_PROBLEM_INCOMPLETE_CHAIN,
    1 },
  { "/core/chain/verify/attime-inside", "leaf-timed", { "inter" }, FALSE, "root",
    "20240201000000Z", X509_V_OK, NULL, 0 },
  { "/core/chain/verify/attime-before", "leaf-timed", { "inter" }, FALSE, "root",
    "20231201000000Z", X509_V_ERR_CERT_NOT_YET_VALID, CD_PROBLEM_NOT_YET_VALID, 0 },
  { "/core/chain/verify/attime-after", "leaf-timed", { "inter" }, FALSE, "root",
    "20240401000000Z", X509_V_ERR_CERT_HAS_EXPIRED, CD_PROBLEM_EXPIRED, 0 },
  { "/core/chain/verify/attime-now", "leaf-timed", { "inter" }, FALSE, "root", "now",
    X509_V_ERR_CERT_HAS_EXPIRED, CD_PROBLEM_EXPIRED, 0 },
  { "/core/chain/verify/attime-future", "leaf-future", { "inter" }, FALSE, "root",
    "20300115000000Z", X509_V_OK, NULL, 0 },
  { "/core/chain/verify/attime-far-future", "leaf", { "inter" }, FALSE, "root",
    "20600101000000Z", X509_V_ERR_CERT_HAS_EXPIRED, CD_PROBLEM_EXPIRED, 0 },
  { "/core/chain/verify/attime-before-root", "leaf", { "inter" }, FALSE, "root",
    "19990601000000Z", X509_V_ERR_CERT_NOT_YET_VALID, CD_PROBLEM_NOT_YET_VALID, 0 },
};

static void
test_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  g_autoptr(GPtrArray) bag = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { scenario->anchor,
                                                                                 NULL });
  g_autoptr(CdVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *untrusted_name = NULL;
  g_autofree char *output = NULL;
  const char *untrusted = NULL;
  CdVerifyOptions options = { .anchors = anchors };
  int openssl_error;

  if (scenario->at == NULL)
    options.at = now ();
  else if (!g_str_equal (scenario->at, "now"))
    options.at = cd_test_pki_parse_time (scenario->at);

  /* openssl verify on the same files */
  if (scenario->others[0] != NULL)
    {
      g_autoptr(GString) contents = g_string_new (NULL);

      untrusted_name = g_strdup_printf ("untrusted-%s", strrchr (scenario->path, '/') + 1);
      for (guint i = 0; i < G_N_ELEMENTS (scenario->others) && scenario->others[i] != NULL; i++)
        {
          g_autofree char *pem = NULL;

          g_assert_true (g_file_get_contents (cd_test_pki_cert_path (pki, scenario->others[i]),
                                              &pem, NULL, NULL));
          g_string_append (contents, pem);
        }
      {
        g_autofree char *file_name = g_strconcat (untrusted_name, ".pem", NULL);
        g_autofree char *path = cd_test_pki_path (pki, file_name);

        g_assert_true (g_file_set_contents (path, contents->str, contents->len, NULL));
      }
      untrusted = cd_test_pki_cert_path (pki, untrusted_name);
    }
  openssl_error = cd_test_pki_verify (pki, cd_test_pki_cert_path (pki, scenario->anchor),
                                      untrusted, options.at,
                                      cd_test_pki_cert_path (pki, scenario->leaf), &output);
  g_test_message ("openssl verify: %s", output);
  g_assert_cmpint (openssl_error, ==, scenario->openssl_error);
  g_assert_cmpstr (code_for_openssl_error (openssl_error), ==, scenario->code);

  /* Certdesk on the same certificates */
  if (!scenario->leaf_last)
    g_ptr_array_add (bag, cd_test_pki_load_cert (pki, scenario->leaf));
  for (guint i = 0; i < G_N_ELEMENTS (scenario->others) && scenario->others[i] != NULL; i++)
    g_ptr_array_add (bag, cd_test_pki_load_cert (pki, scenario->others[i]));
  if (scenario->leaf_last)
    g_ptr_array_add (bag, cd_test_pki_load_cert (pki, scenario->leaf));

  result = cd_chain_verify (bag, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  log_problems (result);

  g_assert_cmpint (result->ok, ==, openssl_error == X509_V_OK);
  g_assert_cmpint (result->chain->len, ==, bag->len);
  if (scenario->code != NULL)
    {
      const CdProblem *problem =
        cd_verify_result_find_for (result, scenario->code, scenario->certificate);

      if (problem == NULL)
        g_error ("no %s problem about certificate %d", scenario->code, scenario->certificate);
      g_assert_false (problem->warning);
    }
  else
    {
      for (guint i = 0; i < result->problems->len; i++)
        {
          const CdProblem *problem = g_ptr_array_index (result->problems, i);

          g_assert_true (problem->warning);
        }
    }

  /* a bag delivered out of order says so, as a warning */
  if (scenario->leaf_last)
    {
      const CdProblem *problem = cd_verify_result_find (result, CD_PROBLEM_CHAIN_ORDER);

      g_assert_nonnull (problem);
      g_assert_true (problem->warning);
      g_assert_cmpint (problem->certificate, ==, -1);
    }
  else
    g_assert_null (cd_verify_result_find (result, CD_PROBLEM_CHAIN_ORDER));
}

static void
test_missing_message (void)
{
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", NULL });
  g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { "root", NULL });
  CdVerifyOptions options = { .anchors = anchors, .at = now () };
  g_autoptr(CdVerifyResult) result = cd_chain_verify (bag, &options, NULL);
  const CdProblem *problem;

  g_assert_nonnull (result);
  problem = cd_verify_result_find (result, CD_PROBLEM_INCOMPLETE_CHAIN);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->message, ==,
                   "The certificate that issued “leaf.example” is missing: add the intermediate "
                   "certificate of “CN=Certdesk Test Inter, O=Certdesk Tests”.");
}

static void
test_all_problems (void)
{
  /* openssl verify stops at the first error; Certdesk reports every one */
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "leaf-expired",
                                                                             NULL });
  g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { "root", NULL });
  CdVerifyOptions options = { .anchors = anchors, .at = now () };
  g_autoptr(CdVerifyResult) result = cd_chain_verify (bag, &options, NULL);
  const CdProblem *expired;

  g_assert_nonnull (result);
  log_problems (result);
  g_assert_false (result->ok);
  g_assert_nonnull (cd_verify_result_find_for (result, CD_PROBLEM_INCOMPLETE_CHAIN, 0));
  expired = cd_verify_result_find_for (result, CD_PROBLEM_EXPIRED, 0);
  if (expired == NULL)
    g_error ("the expiry is not reported");
  g_assert_nonnull (strstr (expired->message, "expired.example"));
  g_assert_nonnull (strstr (expired->message, "2025-03-02"));
}

static void
test_expired_root (void)
{
  /* an anchor outside the bag: the problem is about the chain as a whole (-1) */
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "inter",
                                                                             NULL });
  g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { "root", NULL });
  CdVerifyOptions options = {
    .anchors = anchors, .at = cd_test_pki_parse_time ("20500601000000Z"),
  };
  g_autoptr(CdVerifyResult) result = cd_chain_verify (bag, &options, NULL);
  int openssl_error;

  g_assert_nonnull (result);
  log_problems (result);
  openssl_error = cd_test_pki_verify (pki, "root.pem", "inter.pem", options.at, "leaf.pem", NULL);
  g_assert_cmpint (openssl_error, ==, X509_V_ERR_CERT_HAS_EXPIRED);
  g_assert_false (result->ok);
  g_assert_nonnull (cd_verify_result_find_for (result, CD_PROBLEM_EXPIRED, -1));
  g_assert_nonnull (cd_verify_result_find_for (result, CD_PROBLEM_EXPIRED, 1));
  g_assert_nonnull (cd_verify_result_find_for (result, CD_PROBLEM_EXPIRED, 0));
  /* leaf first, the anchor last */
  g_assert_cmpint (((CdProblem *) g_ptr_array_index (result->problems, 0))->certificate, ==, 0);
}

static void
test_system_store (void)
{
  /* the test root is in no system store */
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "inter",
                                                                             "root", NULL });
  g_autoptr(CdVerifyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  /* no anchors: the system store */
  CdVerifyOptions options = { .at = now () };
  int openssl_error;

  openssl_error = cd_test_pki_verify (pki, NULL, cd_test_pki_bundle (pki, "u-system", "inter",
                                                                     "root", NULL),
                                      options.at, "leaf.pem", NULL);
  g_assert_cmpint (openssl_error, ==, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN);

  result = cd_chain_verify (bag, &options, &error);
  g_assert_no_error (error);
  log_problems (result);
  g_assert_false (result->ok);
  g_assert_nonnull (cd_verify_result_find_for (result, CD_PROBLEM_UNTRUSTED_ROOT, 2));
}

static void
test_empty (void)
{
  g_autoptr(GPtrArray) bag = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdVerifyResult) result = cd_chain_verify (bag, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
}

static void
test_no_anchors (void)
{
  /* an empty list of anchors trusts nothing (it is not the system store) */
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "inter",
                                                                             "root", NULL });
  g_autoptr(GPtrArray) anchors = g_ptr_array_new ();
  CdVerifyOptions options = { .anchors = anchors, .at = now () };
  g_autoptr(CdVerifyResult) result = cd_chain_verify (bag, &options, NULL);

  g_assert_nonnull (result);
  g_assert_false (result->ok);
  g_assert_nonnull (cd_verify_result_find_for (result, CD_PROBLEM_UNTRUSTED_ROOT, 2));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  pki = cd_test_pki_new ();
  cd_test_pki_set_now (pki, now ());
  make_pki ();

  g_test_add_func ("/core/chain/order-in-order", test_order_in_order);
  g_test_add_func ("/core/chain/order-shuffled", test_order_shuffled);
  g_test_add_func ("/core/chain/order-duplicates", test_order_duplicates);
  g_test_add_func ("/core/chain/order-extra", test_order_extra);
  g_test_add_func ("/core/chain/order-cross-signed", test_order_cross_signed);
  g_test_add_func ("/core/chain/order-empty", test_order_empty);
  g_test_add_func ("/core/chain/missing-issuer", test_missing_issuer);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_test_add_data_func (scenarios[i].path, &scenarios[i], test_scenario);
  g_test_add_func ("/core/chain/missing-message", test_missing_message);
  g_test_add_func ("/core/chain/all-problems", test_all_problems);
  g_test_add_func ("/core/chain/expired-root", test_expired_root);
  g_test_add_func ("/core/chain/system-store", test_system_store);
  g_test_add_func ("/core/chain/no-anchors", test_no_anchors);
  g_test_add_func ("/core/chain/empty", test_empty);

  status = g_test_run ();
  cd_test_pki_free (pki);
  return status;
}
