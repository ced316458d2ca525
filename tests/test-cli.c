// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "cd-test-cli.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"

/* certdesk-cli is run as a user runs it, and what it says is compared with what the openssl
 * tool says of the same files. */

/* certdesk-cli in @dir */
#define cli(run, dir, ...) cd_test_cli (run, dir, NULL, __VA_ARGS__)

static JsonObject *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Unix seconds of an ISO 8601 time as certdesk-cli prints it. */
static gint64
json_time (JsonObject *object,
           const char *member)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (
    json_object_get_string_member (object, member), NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

/* What openssl prints after "KEY=" for one certificate, e.g. "sha256 Fingerprint=AB:..". */
static char *
openssl_field (CdTestPki  *pki,
               const char *cert,
               const char *option,
               const char *key)
{
  g_autofree char *output = NULL;
  const char *start;

  g_assert_true (cd_test_pki_openssl (pki, &output, "x509", "-noout", option, "-nameopt",
                                      "RFC2253", "-in", cert, NULL));
  start = strstr (output, key);
  g_assert_nonnull (start);
  start += strlen (key);
  return g_strndup (start, strcspn (start, "\n"));
}

static void
test_inspect_matches_openssl (void)
{
  g_autoptr(CdTestPki) pki = cd_test_pki_new ();
  const char *dir = cd_test_pki_get_dir (pki);
  g_auto(CdTestRun) run = { 0 };
  g_autoptr(JsonObject) root = NULL;
  JsonArray *certificates;
  const char *names[] = { "leaf", "inter", "root" };
  CdTestCertSpec spec = {
    .dns = (const char *[]) { "t.mail.example.com", "xn--bcher-kva.example", NULL },
    .ips = (const char *[]) { "192.0.2.7", "2001:db8::7", NULL },
    .key_type = CD_TEST_KEY_RSA_2048,
  };
  /* days 1-9 of a month, whatever today is: openssl pads them with a space */
  CdTestCertSpec root_spec = {
    .ca = TRUE, .not_before = "20200102030405Z", .not_after = "20400708090001Z",
  };

  cd_test_pki_make_self_signed (pki, "root", &root_spec);
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_issue (pki, "leaf", "inter", &spec);
  cd_test_pki_bundle (pki, "chain", "leaf", "inter", "root", NULL);

  cli (&run, dir, "inspect", "--json", "chain.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  certificates = json_object_get_array_member (root, "certificates");
  g_assert_cmpuint (json_array_get_length (certificates), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "keys")), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *cert = json_array_get_object_element (certificates, i);
      const char *path = cd_test_pki_cert_path (pki, names[i]);
      g_autofree char *sha256 = cd_test_openssl_sha256 (dir, path);
      g_autofree char *serial = openssl_field (pki, path, "-serial", "serial=");
      g_autofree char *subject = openssl_field (pki, path, "-subject", "subject=");
      g_autofree char *issuer = openssl_field (pki, path, "-issuer", "issuer=");
      g_autofree char *start = openssl_field (pki, path, "-startdate", "notBefore=");
      g_autofree char *end = openssl_field (pki, path, "-enddate", "notAfter=");

      g_assert_cmpstr (json_object_get_string_member (cert, "sha256"), ==, sha256);
      g_assert_cmpstr (json_object_get_string_member (cert, "serial"), ==, serial);
      g_assert_cmpstr (json_object_get_string_member (cert, "subject"), ==, subject);
      g_assert_cmpstr (json_object_get_string_member (cert, "issuer"), ==, issuer);
      g_assert_cmpint (json_object_get_boolean_member (cert, "is_ca"), ==, i > 0);
      g_assert_cmpint (json_object_get_boolean_member (cert, "self_signed"), ==, i == 2);
      /* the same instants: formatted dates differ by locale and padding (GLib pads %e with
       * U+2007, openssl with a space) */
      g_assert_cmpint (json_time (cert, "not_before"), ==, cd_test_parse_openssl_time (start));
      g_assert_cmpint (json_time (cert, "not_after"), ==, cd_test_parse_openssl_time (end));
    }

  {
    JsonObject *leaf = json_array_get_object_element (certificates, 0);
    JsonArray *dns = json_object_get_array_member (leaf, "dns_names");
    JsonArray *ips = json_object_get_array_member (leaf, "ip_addresses");
    JsonObject *key = json_object_get_object_member (leaf, "key");

    g_assert_cmpuint (json_array_get_length (dns), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (dns, 0), ==, "t.mail.example.com");
    g_assert_cmpstr (json_array_get_string_element (dns, 1), ==, "xn--bcher-kva.example");
    g_assert_cmpstr (json_array_get_string_element (ips, 0), ==, "192.0.2.7");
    g_assert_cmpstr (json_array_get_string_element (ips, 1), ==, "2001:db8::7");
    g_assert_cmpstr (json_object_get_string_member (key, "type"), ==, "rsa");
    g_assert_cmpint (json_object_get_int_member (key, "bits"), ==, 2048);
    g_assert_true (json_object_get_null_member (key, "curve"));
    /* signed by the intermediate's key: what openssl names the algorithm */
    {
      g_autofree char *signature = openssl_field (pki, cd_test_pki_cert_path (pki, "leaf"),
                                                  "-text", "Signature Algorithm: ");

      g_assert_cmpstr (json_object_get_string_member (leaf, "signature"), ==, signature);
    }
  }
}

static void
test_inspect_keys_and_bad_input (void)
{
  g_autoptr(CdTestPki) pki = cd_test_pki_new ();
  const char *dir = cd_test_pki_get_dir (pki);
  g_auto(CdTestRun) run = { 0 };
  g_auto(CdTestRun) garbage = { 0 };
  g_auto(CdTestRun) missing = { 0 };
  g_autoptr(JsonObject) root = NULL;
  JsonObject *key;
  g_autofree char *path = cd_test_pki_path (pki, "garbage.pem");

  cd_test_pki_make_key (pki, "p384", CD_TEST_KEY_EC_P384);
  cli (&run, dir, "inspect", "--json", "p384.key", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  key = json_array_get_object_element (json_object_get_array_member (root, "keys"), 0);
  g_assert_cmpstr (json_object_get_string_member (key, "type"), ==, "ec");
  g_assert_cmpint (json_object_get_int_member (key, "bits"), ==, 384);
  g_assert_cmpstr (json_object_get_string_member (key, "curve"), ==, "P-384");
  g_assert_false (json_object_get_boolean_member (key, "encrypted"));

  g_assert_true (g_file_set_contents (path, "-----BEGIN CERTIFICATE-----\n!!!\n", -1, NULL));
  cli (&garbage, dir, "inspect", "--json", "garbage.pem", NULL);
  g_assert_cmpint (garbage.status, ==, 2);
  g_assert_cmpstr (garbage.out, ==, "");
  g_assert_nonnull (strstr (garbage.err, "garbage.pem"));

  cli (&missing, dir, "inspect", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "certdesk-cli:"));
}

/* certdesk-cli verify agrees with openssl verify on the same files, both at CD_TEST_PKI_NOW
 * (the certificates are made for that instant): the same on any day. */
static void
test_verify_agrees_with_openssl (void)
{
  g_autoptr(CdTestPki) pki = cd_test_pki_new ();
  const char *dir = cd_test_pki_get_dir (pki);
  const gint64 now = cd_test_pki_parse_time (CD_TEST_PKI_NOW);
  g_autoptr(GDateTime) now_time = g_date_time_new_from_unix_utc (now);
  g_autofree char *at = g_date_time_format_iso8601 (now_time);
  CdTestCertSpec expired = {
    .dns = (const char *[]) { "old.example.com", NULL },
    .not_before = "20240101000000Z",
    .not_after = "20240301000000Z",
  };
  struct
  {
    const char *bundle;
    const char *expected_code;
    int status;
  } cases[] = {
    { "good", NULL, 0 },
    { "shuffled", "chain-order", 0 },
    { "expired", "expired", 1 },
    { "missing", "incomplete-chain", 1 },
  };

  cd_test_pki_set_now (pki, now);
  cd_test_pki_make_root (pki, "root");
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_make_leaf (pki, "leaf", "inter", "www.example.com");
  cd_test_pki_issue (pki, "old", "inter", &expired);
  cd_test_pki_bundle (pki, "good", "leaf", "inter", NULL);
  cd_test_pki_bundle (pki, "shuffled", "inter", "leaf", NULL);
  cd_test_pki_bundle (pki, "expired", "old", "inter", NULL);
  cd_test_pki_bundle (pki, "missing", "leaf", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CdTestRun) run = { 0 };
      g_autofree char *file = g_strconcat (cases[i].bundle, ".pem", NULL);
      g_autoptr(JsonObject) root = NULL;
      JsonArray *problems;
      gboolean found = cases[i].expected_code == NULL;
      const char *leaf = g_str_equal (cases[i].bundle, "expired") ? "old.pem" : "leaf.pem";
      const char *untrusted = g_str_equal (cases[i].bundle, "missing") ? NULL : "inter.pem";
      int openssl_status = cd_test_pki_verify (pki, "root.pem", untrusted, now, leaf, NULL);

      cli (&run, dir, "verify", "--json", "--ca", "root.pem", "--at", at, file, NULL);
      g_test_message ("%s: status %d, openssl %d", cases[i].bundle, run.status, openssl_status);
      g_assert_cmpint (run.status, ==, cases[i].status);
      root = parse_json (run.out);
      g_assert_cmpint (json_object_get_boolean_member (root, "ok"), ==, run.status == 0);
      /* the same verdict as openssl */
      g_assert_cmpint (openssl_status == 0, ==, run.status == 0);

      problems = json_object_get_array_member (root, "problems");
      for (guint p = 0; p < json_array_get_length (problems); p++)
        {
          JsonObject *problem = json_array_get_object_element (problems, p);

          if (g_strcmp0 (json_object_get_string_member (problem, "code"),
                         cases[i].expected_code) == 0)
            found = TRUE;
        }
      g_assert_true (found);

      /* the chain comes back leaf first, whatever order it was given in */
      {
        g_autofree char *sha256 = cd_test_openssl_sha256 (dir, leaf);
        JsonArray *chain = json_object_get_array_member (root, "chain");

        g_assert_cmpstr (json_array_get_string_element (chain, 0), ==, sha256);
      }
    }
}

static void
test_verify_host_key_and_time (void)
{
  g_autoptr(CdTestPki) pki = cd_test_pki_new ();
  const char *dir = cd_test_pki_get_dir (pki);
  g_auto(CdTestRun) host = { 0 };
  g_auto(CdTestRun) wildcard = { 0 };
  g_auto(CdTestRun) key = { 0 };
  g_auto(CdTestRun) wrong_key = { 0 };
  g_auto(CdTestRun) before = { 0 };
  g_auto(CdTestRun) bad_time = { 0 };
  /* verified at the current time, as a user runs it: valid from yesterday for 30 days, which
   * no maximum validity of the CA/Browser Forum, past or planned, forbids */
  CdTestCertSpec spec = { .dns = (const char *[]) { "*.mail.example.com", NULL }, .days = 30 };

  cd_test_pki_make_root (pki, "root");
  cd_test_pki_issue (pki, "leaf", "root", &spec);
  cd_test_pki_make_key (pki, "other", CD_TEST_KEY_DEFAULT);

  cli (&host, dir, "verify", "--json", "--ca", "root.pem", "--host", "mail.example.com",
       "leaf.pem", NULL);
  g_assert_cmpint (host.status, ==, 1);
  g_assert_nonnull (strstr (host.out, "hostname-mismatch"));

  cli (&wildcard, dir, "verify", "--ca", "root.pem", "--host", "t.mail.example.com",
       "leaf.pem", NULL);
  g_assert_cmpint (wildcard.status, ==, 0);

  cli (&key, dir, "verify", "--ca", "root.pem", "--key", "leaf.key", "leaf.pem", NULL);
  g_assert_cmpint (key.status, ==, 0);
  cli (&wrong_key, dir, "verify", "--json", "--ca", "root.pem", "--key", "other.key",
       "leaf.pem", NULL);
  g_assert_cmpint (wrong_key.status, ==, 1);
  g_assert_nonnull (strstr (wrong_key.out, "key-mismatch"));

  cli (&before, dir, "verify", "--json", "--ca", "root.pem", "--at", "2001-01-01", "leaf.pem",
       NULL);
  g_assert_cmpint (before.status, ==, 1);
  g_assert_nonnull (strstr (before.out, "not-yet-valid"));

  cli (&bad_time, dir, "verify", "--at", "yesterday", "leaf.pem", NULL);
  g_assert_cmpint (bad_time.status, ==, 2);
  g_assert_nonnull (strstr (bad_time.err, "yesterday"));
}

static void
test_csr (void)
{
  g_autoptr(CdTestPki) pki = cd_test_pki_new ();
  const char *dir = cd_test_pki_get_dir (pki);
  g_auto(CdTestRun) run = { 0 };
  g_auto(CdTestRun) again = { 0 };
  g_auto(CdTestRun) bad = { 0 };
  g_autofree char *key_path = cd_test_pki_path (pki, "keys/t.key");
  g_autofree char *x_csr = cd_test_pki_path (pki, "x.csr");
  g_autofree char *y_key = cd_test_pki_path (pki, "y.key");
  g_autofree char *key_before = NULL;
  g_autofree char *key_after = NULL;
  g_autofree char *output = NULL;
  GStatBuf st;

  cli (&run, dir, "csr", "--cn", "t.mail.example.com", "--san", "m.mail.example.com",
       "--san", "res.bücher.example", "--org", "Acme GmbH", "--country", "de", "--key-type",
       "p256", "--out-csr", "t.csr", "--out-key", "keys/t.key", NULL);
  g_assert_cmpint (run.status, ==, 0);

  g_assert_true (cd_test_pki_openssl (pki, &output, "req", "-verify", "-noout", "-subject",
                                      "-nameopt", "RFC2253", "-in", "t.csr", NULL));
  g_assert_nonnull (strstr (output, "subject=CN=t.mail.example.com,O=Acme GmbH,C=DE"));
  g_clear_pointer (&output, g_free);
  g_assert_true (cd_test_pki_openssl (pki, &output, "req", "-noout", "-text", "-in", "t.csr",
                                      NULL));
  g_assert_nonnull (strstr (output, "DNS:t.mail.example.com, DNS:m.mail.example.com, "
                                    "DNS:res.xn--bcher-kva.example"));
  g_clear_pointer (&output, g_free);

  g_assert_no_errno (g_stat (key_path, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (cd_test_pki_openssl (pki, &output, "pkey", "-noout", "-text", "-in",
                                      "keys/t.key", NULL));
  g_assert_nonnull (strstr (output, "P-256"));

  /* never over an existing key */
  g_assert_true (g_file_get_contents (key_path, &key_before, NULL, NULL));
  cli (&again, dir, "csr", "--cn", "x.example.com", "--out-csr", "x.csr", "--out-key",
       "keys/t.key", NULL);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "never overwrites"));
  g_assert_true (g_file_get_contents (key_path, &key_after, NULL, NULL));
  g_assert_cmpstr (key_before, ==, key_after);
  g_assert_false (g_file_test (x_csr, G_FILE_TEST_EXISTS));

  /* a bad field is refused before anything is written */
  cli (&bad, dir, "csr", "--cn", "x.example.com", "--country", "DEU", "--out-csr", "y.csr",
       "--out-key", "y.key", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "DEU"));
  g_assert_false (g_file_test (y_key, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (g_getenv ("CERTDESK_CLI"));

  g_test_add_func ("/cli/inspect/matches-openssl", test_inspect_matches_openssl);
  g_test_add_func ("/cli/inspect/keys-and-bad-input", test_inspect_keys_and_bad_input);
  g_test_add_func ("/cli/verify/agrees-with-openssl", test_verify_agrees_with_openssl);
  g_test_add_func ("/cli/verify/host-key-and-time", test_verify_host_key_and_time);
  g_test_add_func ("/cli/csr", test_csr);

  return g_test_run ();
}
