// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-cert-checks"

#include "config.h"

#include <string.h>

#include "cd-cert-checks.h"
#include "cd-chain.h"
#include "cd-error.h"
#include "cd-test-pki.h"
#include "cd-test-x509.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)

/* One PKI for the whole program: making it costs a few seconds, most of it the RSA 4096 key.
 * Its certificates are made for CD_TEST_PKI_NOW and verified at that instant unless a test says
 * otherwise: the results hold on any day (a leaf made today for 90 days would be too long from
 * 2029-03-15 on). */
static CdTestPki *pki;

static gint64
now (void)
{
  return cd_test_pki_parse_time (CD_TEST_PKI_NOW);
}

#define CA_FROM "20000101000000Z"
#define CA_TO   "20491231000000Z"

/* Verifies the certificates of @bag_names against the root "root", at @at
 * ("YYYYMMDDHHMMSSZ"; NULL: CD_TEST_PKI_NOW). */
static CdVerifyResult *
verify_full (const char * const *bag_names,
             const char * const *hosts,
             EVP_PKEY           *key,
             const char         *at)
{
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, bag_names);
  g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { "root", NULL });
  g_autoptr(GError) error = NULL;
  CdVerifyOptions options = { .anchors = anchors, .hosts = hosts, .key = key };
  CdVerifyResult *result;

  options.at = at != NULL ? cd_test_pki_parse_time (at) : now ();
  result = cd_chain_verify (bag, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  for (guint i = 0; i < result->problems->len; i++)
    {
      const CdProblem *problem = g_ptr_array_index (result->problems, i);

      g_test_message ("  %s [%d]%s: %s", problem->code, problem->certificate,
                      problem->warning ? " (warning)" : "", problem->message);
      /* every message is for people: not empty, a sentence, valid UTF-8 */
      g_assert_true (g_utf8_validate (problem->message, -1, NULL));
      g_assert_cmpuint (strlen (problem->message), >, 20);
      g_assert_true (g_str_has_suffix (problem->message, "."));
    }
  return result;
}

static CdVerifyResult *
verify_leaf (const char         *leaf,
             const char * const *hosts,
             EVP_PKEY           *key,
             const char         *at)
{
  return verify_full ((const char *[]) { leaf, "inter", NULL }, hosts, key, at);
}

static const CdProblem *
require_problem (const CdVerifyResult *result,
                 const char           *code,
                 int                   certificate)
{
  const CdProblem *problem = cd_verify_result_find_for (result, code, certificate);

  if (problem == NULL)
    g_error ("no “%s” problem about certificate %d", code, certificate);
  return problem;
}

/* @result has exactly the problems listed (codes), nothing else. */
static void
assert_codes (const CdVerifyResult *result,
              const char * const   *codes)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autofree char *seen_text = NULL;
  g_autofree char *expected_text = NULL;

  for (guint i = 0; i < result->problems->len; i++)
    g_ptr_array_add (seen, ((CdProblem *) g_ptr_array_index (result->problems, i))->code);
  g_ptr_array_add (seen, NULL);
  seen_text = g_strjoinv (",", (char **) seen->pdata);
  expected_text = g_strjoinv (",", (char **) codes);
  g_assert_cmpstr (seen_text, ==, expected_text);
}

#define NO_PROBLEMS ((const char *[]) { NULL })
#define HOSTS(...) ((const char *[]) { __VA_ARGS__, NULL })

/* ---- the PKI ---------------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *not_before;
  int         days;
  gboolean    too_long;
} ValidityCase;

static const ValidityCase validity_cases[] = {
  { "v398-397", "20250601000000Z", 397, FALSE },
  { "v398-399", "20250601000000Z", 399, TRUE },
  { "v200-199", "20260401000000Z", 199, FALSE },
  { "v200-201", "20260401000000Z", 201, TRUE },
  { "v100-99", "20270601000000Z", 99, FALSE },
  { "v100-101", "20270601000000Z", 101, TRUE },
  { "v47-46", "20290601000000Z", 46, FALSE },
  { "v47-48", "20290601000000Z", 48, TRUE },
};

static void
make_leaf (const char         *name,
           const char         *issuer,
           const char         *subject,
           const char * const *dns,
           CdTestKeyType       key_type,
           const char         *digest)
{
  const CdTestCertSpec spec = {
    .subject = subject, .dns = dns, .key_type = key_type, .digest = digest,
  };

  cd_test_pki_issue (pki, name, issuer, &spec);
}

static void
make_pki (void)
{
  const CdTestCertSpec root = {
    .subject = "/O=Certdesk Tests/CN=Certdesk Checks Root", .ca = TRUE, .not_before = CA_FROM,
    .not_after = CA_TO,
  };
  const CdTestCertSpec inter = {
    .subject = "/O=Certdesk Tests/CN=Certdesk Checks Inter", .ca = TRUE, .not_before = CA_FROM,
    .not_after = CA_TO,
  };
  const CdTestCertSpec inter_rsa = {
    .subject = "/CN=Certdesk RSA Inter", .ca = TRUE, .key_type = CD_TEST_KEY_RSA_2048,
    .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec inter_weak = {
    .subject = "/CN=Certdesk Weak Inter", .ca = TRUE, .key_type = CD_TEST_KEY_RSA_1024,
    .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec inter_sha1 = {
    .subject = "/CN=Certdesk SHA-1 Inter", .ca = TRUE, .digest = "sha1",
    .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec root_sha1 = {
    .subject = "/CN=Certdesk SHA-1 Root", .ca = TRUE, .digest = "sha1",
    .not_before = CA_FROM, .not_after = CA_TO,
  };
  const CdTestCertSpec ip = {
    .dns = HOSTS ("ip.example"), .ips = HOSTS ("192.0.2.10", "2001:db8::1"),
  };
  const CdTestCertSpec leaf_ca = {
    .subject = "/CN=ca.example", .dns = HOSTS ("ca.example"), .ca = TRUE,
  };
  const CdTestCertSpec self_long = {
    .dns = HOSTS ("self.example"), .days = 3650,
  };

  cd_test_pki_make_self_signed (pki, "root", &root);
  cd_test_pki_issue (pki, "inter", "root", &inter);
  cd_test_pki_issue (pki, "inter-rsa", "root", &inter_rsa);
  cd_test_pki_issue (pki, "inter-weak", "root", &inter_weak);
  cd_test_pki_issue (pki, "inter-sha1", "root", &inter_sha1);
  cd_test_pki_make_self_signed (pki, "root-sha1", &root_sha1);

  cd_test_pki_make_leaf (pki, "good", "inter", "good.example");
  make_leaf ("wild", "inter", NULL, HOSTS ("*.a.example"), 0, NULL);
  make_leaf ("partial", "inter", NULL, HOSTS ("f*.a.example"), 0, NULL);
  make_leaf ("idn", "inter", NULL, HOSTS ("xn--bcher-kva.example", "*.xn--bcher-kva.example"), 0,
             NULL);
  cd_test_pki_issue (pki, "ip", "inter", &ip);
  make_leaf ("cn-only", "inter", "/CN=cnonly.example", NULL, 0, NULL);
  make_leaf ("cn-not-in-san", "inter", "/CN=other.example", HOSTS ("in.example"), 0, NULL);
  make_leaf ("cn-in-san", "inter", "/CN=WWW.Example.COM", HOSTS ("www.example.com", "example.com"),
             0, NULL);
  make_leaf ("cn-idn", "inter", "/CN=bücher.example", HOSTS ("xn--bcher-kva.example"), 0, NULL);
  cd_test_pki_issue (pki, "leaf-ca", "inter", &leaf_ca);

  make_leaf ("rsa1024", "inter", NULL, HOSTS ("rsa1024.example"), CD_TEST_KEY_RSA_1024, NULL);
  make_leaf ("rsa2048", "inter", NULL, HOSTS ("rsa2048.example"), CD_TEST_KEY_RSA_2048, NULL);
  make_leaf ("rsa4096", "inter", NULL, HOSTS ("rsa4096.example"), CD_TEST_KEY_RSA_4096, NULL);
  make_leaf ("p256", "inter", NULL, HOSTS ("p256.example"), CD_TEST_KEY_EC_P256, NULL);
  make_leaf ("p384", "inter", NULL, HOSTS ("p384.example"), CD_TEST_KEY_EC_P384, NULL);
  make_leaf ("p224", "inter", NULL, HOSTS ("p224.example"), CD_TEST_KEY_EC_P224, NULL);
  make_leaf ("under-weak", "inter-weak", NULL, HOSTS ("under-weak.example"), 0, NULL);

  make_leaf ("sha1", "inter", NULL, HOSTS ("sha1.example"), 0, "sha1");
  make_leaf ("md5", "inter-rsa", NULL, HOSTS ("md5.example"), 0, "md5");
  make_leaf ("sha384", "inter-rsa", NULL, HOSTS ("sha384.example"), 0, "sha384");
  make_leaf ("under-sha1", "inter-sha1", NULL, HOSTS ("under-sha1.example"), 0, NULL);
  make_leaf ("under-sha1-root", "root-sha1", NULL, HOSTS ("under-sha1-root.example"), 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (validity_cases); i++)
    {
      const CdTestCertSpec spec = {
        .dns = HOSTS ("validity.example"),
        .not_before = validity_cases[i].not_before,
        .days = validity_cases[i].days,
      };

      cd_test_pki_issue (pki, validity_cases[i].name, "inter", &spec);
    }
  cd_test_pki_make_self_signed (pki, "self-long", &self_long);

  cd_test_pki_make_key (pki, "other-ec", CD_TEST_KEY_EC_P256);
  cd_test_pki_make_key (pki, "other-rsa", CD_TEST_KEY_RSA_2048);
}

/* What openssl itself says about a certificate: "-noout -text" output. */
static char *
openssl_text (const char *name)
{
  char *output = NULL;

  g_assert_true (cd_test_pki_openssl (pki, &output, "x509", "-in",
                                      cd_test_pki_cert_path (pki, name), "-noout", "-text", NULL));
  return output;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void
test_clean (void)
{
  g_autoptr(EVP_PKEY) key = cd_test_pki_load_key (pki, "good");
  g_autoptr(CdVerifyResult) result = verify_leaf ("good", HOSTS ("good.example"), key, NULL);

  assert_codes (result, NO_PROBLEMS);
  g_assert_true (result->ok);
}

static gboolean
covers (const char *name,
        const char *host)
{
  g_autoptr(X509) cert = cd_test_pki_load_cert (pki, name);
  g_autoptr(GError) error = NULL;
  gboolean covered = cd_cert_covers_host (cert, host, &error);

  g_assert_no_error (error);
  return covered;
}

static void
test_wildcard (void)
{
  g_autoptr(CdVerifyResult) good = NULL;
  g_autoptr(CdVerifyResult) bad = NULL;
  const CdProblem *problem;

  /* RFC 6125: one whole leftmost label */
  g_assert_true (covers ("wild", "x.a.example"));
  g_assert_true (covers ("wild", "X.A.Example"));
  g_assert_true (covers ("wild", "x.a.example."));
  g_assert_false (covers ("wild", "a.example"));
  g_assert_false (covers ("wild", "y.x.a.example"));
  g_assert_false (covers ("wild", "x.b.example"));
  /* a wildcard host is covered by the same wildcard */
  g_assert_true (covers ("wild", "*.a.example"));
  g_assert_false (covers ("wild", "*.b.example"));
  g_assert_false (covers ("good", "*.example"));
  /* no partial wildcards */
  g_assert_false (covers ("partial", "foo.a.example"));
  g_assert_false (covers ("partial", "f.a.example"));

  good = verify_leaf ("wild", HOSTS ("x.a.example", "www.a.example"), NULL, NULL);
  assert_codes (good, NO_PROBLEMS);
  g_assert_true (good->ok);

  bad = verify_leaf ("wild", HOSTS ("x.a.example", "a.example", "y.x.a.example"), NULL, NULL);
  assert_codes (bad, HOSTS (CD_PROBLEM_HOSTNAME_MISMATCH, CD_PROBLEM_HOSTNAME_MISMATCH));
  g_assert_false (bad->ok);
  problem = require_problem (bad, CD_PROBLEM_HOSTNAME_MISMATCH, 0);
  g_assert_nonnull (strstr (problem->message, "“a.example”"));
  g_assert_nonnull (strstr (problem->message, "*.a.example"));
  problem = g_ptr_array_index (bad->problems, 1);
  g_assert_nonnull (strstr (problem->message, "“y.x.a.example”"));
}

static void
test_idn (void)
{
  g_autoptr(CdVerifyResult) good = NULL;
  g_autoptr(CdVerifyResult) bad = NULL;
  const CdProblem *problem;

  g_assert_true (covers ("idn", "bücher.example"));
  g_assert_true (covers ("idn", "BÜCHER.example"));
  g_assert_true (covers ("idn", "xn--bcher-kva.example"));
  g_assert_true (covers ("idn", "shop.bücher.example"));
  g_assert_false (covers ("idn", "buecher.example"));
  g_assert_false (covers ("idn", "a.shop.bücher.example"));

  good = verify_leaf ("idn", HOSTS ("bücher.example", "laden.bücher.example"), NULL, NULL);
  assert_codes (good, NO_PROBLEMS);

  /* the message shows the names as people write them */
  bad = verify_leaf ("idn", HOSTS ("bücher.test"), NULL, NULL);
  problem = require_problem (bad, CD_PROBLEM_HOSTNAME_MISMATCH, 0);
  g_assert_nonnull (strstr (problem->message, "“bücher.test”"));
  g_assert_nonnull (strstr (problem->message, "bücher.example"));
  g_assert_false (bad->ok);
}

static void
test_ip_address (void)
{
  g_assert_true (covers ("ip", "192.0.2.10"));
  g_assert_true (covers ("ip", "2001:db8::1"));
  g_assert_true (covers ("ip", "2001:0db8:0:0:0:0:0:1"));
  g_assert_false (covers ("ip", "192.0.2.11"));
  g_assert_true (covers ("ip", "ip.example"));
  g_assert_false (covers ("good", "192.0.2.10"));
}

static void
test_invalid_host (void)
{
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "good", "inter",
                                                                             NULL });
  g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { "root", NULL });
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_problem_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdVerifyResult) result = NULL;
  const char *hosts[] = { "good.example", "bad_host..example", NULL };
  CdVerifyOptions options = { .anchors = anchors, .hosts = hosts };

  result = cd_chain_verify (bag, &options, &error);
  g_assert_null (result);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_NAME);
  g_clear_error (&error);

  /* the checks add nothing when they fail */
  g_assert_false (cd_cert_checks_run (bag, HOSTS ("nope.example", "-bad.example"), NULL, problems,
                                      &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_NAME);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_cn_only (void)
{
  g_autofree char *text = openssl_text ("cn-only");
  g_autoptr(CdVerifyResult) result = NULL;
  const CdProblem *problem;

  g_assert_null (strstr (text, "Subject Alternative Name"));

  /* the CN is never taken for a host name */
  g_assert_false (covers ("cn-only", "cnonly.example"));
  result = verify_leaf ("cn-only", HOSTS ("cnonly.example"), NULL, NULL);
  assert_codes (result, HOSTS (CD_PROBLEM_HOSTNAME_MISMATCH, CD_PROBLEM_NO_SAN));
  problem = require_problem (result, CD_PROBLEM_NO_SAN, 0);
  g_assert_false (problem->warning);
  g_assert_nonnull (strstr (problem->message, "“cnonly.example”"));
  g_assert_false (result->ok);
}

static void
test_cn_not_in_san (void)
{
  g_autoptr(CdVerifyResult) result = verify_leaf ("cn-not-in-san", NULL, NULL, NULL);
  g_autoptr(CdVerifyResult) in_san = verify_leaf ("cn-in-san", HOSTS ("www.example.com"), NULL,
                                                  NULL);
  g_autoptr(CdVerifyResult) idn = verify_leaf ("cn-idn", NULL, NULL, NULL);
  const CdProblem *problem;

  assert_codes (result, HOSTS (CD_PROBLEM_CN_NOT_IN_SAN));
  problem = require_problem (result, CD_PROBLEM_CN_NOT_IN_SAN, 0);
  g_assert_true (problem->warning);
  g_assert_nonnull (strstr (problem->message, "“other.example”"));
  /* a warning leaves the chain usable */
  g_assert_true (result->ok);

  /* case does not matter, nor whether the CN is written in Unicode */
  assert_codes (in_san, NO_PROBLEMS);
  assert_codes (idn, NO_PROBLEMS);
}

static void
test_leaf_is_ca (void)
{
  g_autoptr(CdVerifyResult) result = verify_leaf ("leaf-ca", HOSTS ("ca.example"), NULL, NULL);
  const CdProblem *problem;

  assert_codes (result, HOSTS (CD_PROBLEM_LEAF_IS_CA));
  problem = require_problem (result, CD_PROBLEM_LEAF_IS_CA, 0);
  g_assert_nonnull (strstr (problem->message, "“ca.example”"));
  g_assert_false (result->ok);
}

static void
test_key_mismatch (void)
{
  g_autoptr(EVP_PKEY) own = cd_test_pki_load_key (pki, "good");
  g_autoptr(EVP_PKEY) other_ec = cd_test_pki_load_key (pki, "other-ec");
  g_autoptr(EVP_PKEY) other_rsa = cd_test_pki_load_key (pki, "other-rsa");
  g_autoptr(EVP_PKEY) rsa_own = cd_test_pki_load_key (pki, "rsa2048");
  g_autoptr(X509) good = cd_test_pki_load_cert (pki, "good");
  g_autoptr(CdVerifyResult) matching = NULL;
  g_autoptr(CdVerifyResult) ec = NULL;
  g_autoptr(CdVerifyResult) rsa = NULL;
  g_autoptr(CdVerifyResult) rsa_matching = NULL;
  g_autoptr(CdVerifyResult) public_only = NULL;
  const CdProblem *problem;

  /* what OpenSSL's own check says */
  g_assert_cmpint (X509_check_private_key (good, own), ==, 1);
  g_assert_cmpint (X509_check_private_key (good, other_ec), ==, 0);

  matching = verify_leaf ("good", NULL, own, NULL);
  assert_codes (matching, NO_PROBLEMS);

  ec = verify_leaf ("good", NULL, other_ec, NULL);
  assert_codes (ec, HOSTS (CD_PROBLEM_KEY_MISMATCH));
  problem = require_problem (ec, CD_PROBLEM_KEY_MISMATCH, 0);
  g_assert_nonnull (strstr (problem->message, "“good.example”"));
  g_assert_false (ec->ok);

  rsa = verify_leaf ("good", NULL, other_rsa, NULL);
  assert_codes (rsa, HOSTS (CD_PROBLEM_KEY_MISMATCH));

  rsa_matching = verify_leaf ("rsa2048", NULL, rsa_own, NULL);
  assert_codes (rsa_matching, NO_PROBLEMS);

  /* a public key will do */
  public_only = verify_leaf ("good", NULL, X509_get0_pubkey (good), NULL);
  assert_codes (public_only, NO_PROBLEMS);
}

static void
test_weak_key (void)
{
  const char *strong[] = { "rsa2048", "rsa4096", "p256", "p384", NULL };
  g_autoptr(CdVerifyResult) rsa = verify_leaf ("rsa1024", NULL, NULL, NULL);
  g_autoptr(CdVerifyResult) ec = verify_leaf ("p224", NULL, NULL, NULL);
  g_autoptr(CdVerifyResult) ca = NULL;
  g_autofree char *rsa_text = openssl_text ("rsa1024");
  g_autofree char *ec_text = openssl_text ("p224");
  const CdProblem *problem;

  g_assert_nonnull (strstr (rsa_text, "Public-Key: (1024 bit)"));
  g_assert_nonnull (strstr (ec_text, "secp224r1"));

  assert_codes (rsa, HOSTS (CD_PROBLEM_WEAK_KEY));
  problem = require_problem (rsa, CD_PROBLEM_WEAK_KEY, 0);
  g_assert_nonnull (strstr (problem->message, "1024"));
  g_assert_nonnull (strstr (problem->message, "2048"));
  g_assert_false (rsa->ok);

  assert_codes (ec, HOSTS (CD_PROBLEM_WEAK_KEY));
  problem = require_problem (ec, CD_PROBLEM_WEAK_KEY, 0);
  g_assert_nonnull (strstr (problem->message, "secp224r1"));
  g_assert_false (ec->ok);

  for (guint i = 0; strong[i] != NULL; i++)
    {
      g_autoptr(CdVerifyResult) result = verify_leaf (strong[i], NULL, NULL, NULL);

      assert_codes (result, NO_PROBLEMS);
    }

  /* a weak intermediate, by its place in the chain */
  ca = verify_full ((const char *[]) { "under-weak", "inter-weak", NULL }, NULL, NULL, NULL);
  assert_codes (ca, HOSTS (CD_PROBLEM_WEAK_KEY));
  problem = require_problem (ca, CD_PROBLEM_WEAK_KEY, 1);
  g_assert_nonnull (strstr (problem->message, "“Certdesk Weak Inter”"));
}

static void
test_weak_signature (void)
{
  g_autoptr(CdVerifyResult) sha1 = verify_leaf ("sha1", NULL, NULL, NULL);
  g_autoptr(CdVerifyResult) md5 = NULL;
  g_autoptr(CdVerifyResult) sha384 = NULL;
  g_autoptr(CdVerifyResult) ca = NULL;
  g_autoptr(CdVerifyResult) root = NULL;
  g_autofree char *sha1_text = openssl_text ("sha1");
  g_autofree char *md5_text = openssl_text ("md5");
  const CdProblem *problem;

  g_assert_nonnull (strstr (sha1_text, "ecdsa-with-SHA1"));
  g_assert_nonnull (strstr (md5_text, "md5WithRSAEncryption"));

  assert_codes (sha1, HOSTS (CD_PROBLEM_WEAK_SIGNATURE));
  problem = require_problem (sha1, CD_PROBLEM_WEAK_SIGNATURE, 0);
  g_assert_nonnull (strstr (problem->message, "SHA-1"));
  g_assert_false (sha1->ok);

  md5 = verify_full ((const char *[]) { "md5", "inter-rsa", NULL }, NULL, NULL, NULL);
  assert_codes (md5, HOSTS (CD_PROBLEM_WEAK_SIGNATURE));
  problem = require_problem (md5, CD_PROBLEM_WEAK_SIGNATURE, 0);
  g_assert_nonnull (strstr (problem->message, "MD5"));

  sha384 = verify_full ((const char *[]) { "sha384", "inter-rsa", NULL }, NULL, NULL, NULL);
  assert_codes (sha384, NO_PROBLEMS);

  ca = verify_full ((const char *[]) { "under-sha1", "inter-sha1", NULL }, NULL, NULL, NULL);
  assert_codes (ca, HOSTS (CD_PROBLEM_WEAK_SIGNATURE));
  require_problem (ca, CD_PROBLEM_WEAK_SIGNATURE, 1);

  /* nobody checks the signature of a root: a SHA-1 self-signature is fine */
  {
    g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "under-sha1-root",
                                                                               "root-sha1", NULL });
    g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { "root-sha1",
                                                                                   NULL });
    CdVerifyOptions options = { .anchors = anchors, .at = now () };

    root = cd_chain_verify (bag, &options, NULL);
    g_assert_nonnull (root);
    assert_codes (root, NO_PROBLEMS);
    g_assert_true (root->ok);
  }
}

static void
test_validity_too_long (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (validity_cases); i++)
    {
      const ValidityCase *c = &validity_cases[i];
      g_autoptr(CdVerifyResult) result = NULL;
      g_autofree char *at = NULL;

      g_test_message ("%s: from %s for %d days", c->name, c->not_before, c->days);
      /* inside the validity, so that only the length can be wrong */
      at = cd_test_pki_format_time (cd_test_pki_parse_time (c->not_before) + 10 * 86400);
      result = verify_leaf (c->name, HOSTS ("validity.example"), NULL, at);
      g_assert_cmpint (cd_test_pki_verify (pki, cd_test_pki_cert_path (pki, "root"),
                                           cd_test_pki_cert_path (pki, "inter"),
                                           cd_test_pki_parse_time (at),
                                           cd_test_pki_cert_path (pki, c->name), NULL),
                       ==, 0);
      if (c->too_long)
        {
          const CdProblem *problem;

          assert_codes (result, HOSTS (CD_PROBLEM_VALIDITY_TOO_LONG));
          problem = require_problem (result, CD_PROBLEM_VALIDITY_TOO_LONG, 0);
          g_assert_false (problem->warning);
          g_assert_false (result->ok);
        }
      else
        {
          assert_codes (result, NO_PROBLEMS);
          g_assert_true (result->ok);
        }
    }

  /* a self-signed certificate makes its own rules */
  {
    g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "self-long", NULL });
    g_autoptr(CdVerifyResult) result = NULL;
    CdVerifyOptions options = { .anchors = bag, .at = now () };

    result = cd_chain_verify (bag, &options, NULL);
    g_assert_nonnull (result);
    assert_codes (result, NO_PROBLEMS);
  }
}

static void
test_max_validity (void)
{
  const struct
  {
    const char *not_before;
    int         days;
  } cases[] = {
    { "20170101000000Z", 1185 },
    { "20180301000000Z", 825 },
    { "20200901000000Z", 398 },
    { "20260314235959Z", 398 },
    { "20260315000000Z", 200 },
    { "20270314235959Z", 200 },
    { "20270315000000Z", 100 },
    { "20290314235959Z", 100 },
    { "20290315000000Z", 47 },
    { "20400101000000Z", 47 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cd_cert_max_validity_days (cd_test_pki_parse_time (cases[i].not_before)), ==,
                     cases[i].days);
}

static void
test_chain_order_warning (void)
{
  g_autoptr(CdVerifyResult) result = NULL;
  const CdProblem *problem;

  result = verify_full ((const char *[]) { "root", "inter", "good", NULL }, HOSTS ("good.example"),
                        NULL, NULL);
  assert_codes (result, HOSTS (CD_PROBLEM_CHAIN_ORDER));
  problem = require_problem (result, CD_PROBLEM_CHAIN_ORDER, -1);
  g_assert_true (problem->warning);
  g_assert_true (result->ok);
  g_assert_cmpuint (result->chain->len, ==, 3);
  {
    g_autoptr(X509) good = cd_test_pki_load_cert (pki, "good");

    g_assert_cmpint (X509_cmp (g_ptr_array_index (result->chain, 0), good), ==, 0);
  }
}

static void
test_several (void)
{
  /* one run reports every problem: weak key, SHA-1, host and key */
  g_autoptr(GPtrArray) bag = cd_test_pki_load_certs (pki, (const char *[]) { "inter", "sha1",
                                                                             NULL });
  g_autoptr(GPtrArray) anchors = cd_test_pki_load_certs (pki, (const char *[]) { "root", NULL });
  g_autoptr(EVP_PKEY) other = cd_test_pki_load_key (pki, "other-ec");
  g_autoptr(GError) error = NULL;
  CdVerifyOptions options = {
    .anchors = anchors, .hosts = HOSTS ("other.example"), .key = other,
    .at = cd_test_pki_parse_time ("20300101000000Z"),
  };
  g_autoptr(CdVerifyResult) result = cd_chain_verify (bag, &options, &error);

  g_assert_no_error (error);
  assert_codes (result, HOSTS (CD_PROBLEM_EXPIRED, CD_PROBLEM_HOSTNAME_MISMATCH,
                               CD_PROBLEM_KEY_MISMATCH, CD_PROBLEM_WEAK_SIGNATURE,
                               CD_PROBLEM_CHAIN_ORDER));
  g_assert_false (result->ok);
}

static void
test_display_name (void)
{
  g_autoptr(X509) good = cd_test_pki_load_cert (pki, "good");
  g_autoptr(X509) inter = cd_test_pki_load_cert (pki, "inter");
  g_autoptr(X509) cn_idn = cd_test_pki_load_cert (pki, "cn-idn");
  g_autoptr(X509) idn = cd_test_pki_load_cert (pki, "idn");
  g_autofree char *a_label_name = cd_cert_checks_display_name (idn);
  g_autofree char *good_name = cd_cert_checks_display_name (good);
  g_autofree char *inter_name = cd_cert_checks_display_name (inter);
  g_autofree char *idn_name = cd_cert_checks_display_name (cn_idn);
  g_autofree char *inter_dn = cd_cert_checks_format_name (X509_get_subject_name (inter));

  g_assert_cmpstr (good_name, ==, "good.example");
  g_assert_cmpstr (inter_name, ==, "Certdesk Checks Inter");
  g_assert_cmpstr (idn_name, ==, "bücher.example");
  g_assert_cmpstr (a_label_name, ==, "bücher.example");
  g_assert_cmpstr (inter_dn, ==, "CN=Certdesk Checks Inter, O=Certdesk Tests");
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

  g_test_add_func ("/core/checks/clean", test_clean);
  g_test_add_func ("/core/checks/wildcard", test_wildcard);
  g_test_add_func ("/core/checks/idn", test_idn);
  g_test_add_func ("/core/checks/ip-address", test_ip_address);
  g_test_add_func ("/core/checks/invalid-host", test_invalid_host);
  g_test_add_func ("/core/checks/no-san", test_cn_only);
  g_test_add_func ("/core/checks/cn-not-in-san", test_cn_not_in_san);
  g_test_add_func ("/core/checks/leaf-is-ca", test_leaf_is_ca);
  g_test_add_func ("/core/checks/key-mismatch", test_key_mismatch);
  g_test_add_func ("/core/checks/weak-key", test_weak_key);
  g_test_add_func ("/core/checks/weak-signature", test_weak_signature);
  g_test_add_func ("/core/checks/validity-too-long", test_validity_too_long);
  g_test_add_func ("/core/checks/max-validity", test_max_validity);
  g_test_add_func ("/core/checks/chain-order-warning", test_chain_order_warning);
  g_test_add_func ("/core/checks/several", test_several);
  g_test_add_func ("/core/checks/display-name", test_display_name);

  status = g_test_run ();
  cd_test_pki_free (pki);
  return status;
}
