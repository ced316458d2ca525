// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-csr"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-csr.h"
#include "cd-dns-name.h"
#include "cd-error.h"
#include "cd-keygen.h"
#include "cd-test-util.h"

/* Local, as in the library: the core has no shared autoptr definitions for OpenSSL types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_REQ, X509_REQ_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

/* Every generated CSR and key is checked by the openssl command-line tool, the reference a
 * CA's support desk would use too. Each test runs in a temporary directory of its own. */

typedef struct
{
  char *tmpdir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("certdesk-csr-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define TEST_DATA(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

/* Helpers */

static EVP_PKEY *
generate (CdKeyType type)
{
  g_autoptr(GError) error = NULL;
  EVP_PKEY *key;

  key = cd_keygen (type, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static char *
write_key (Fixture    *fixture,
           EVP_PKEY   *key,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->tmpdir, "keys", name, NULL);

  g_assert_true (cd_key_write (key, path, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static X509_REQ *
create (const CdCsrRequest *request,
        EVP_PKEY           *key)
{
  g_autoptr(GError) error = NULL;
  X509_REQ *req;

  req = cd_csr_create (request, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (req);
  return req;
}

static char *
write_csr (Fixture    *fixture,
           X509_REQ   *req,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = cd_csr_to_pem (req);
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  g_assert_nonnull (pem);
  g_file_set_contents (path, pem, -1, &error);
  g_assert_no_error (error);
  return path;
}

static CdCsrRequest *
make_request (const char *country,
              const char *state,
              const char *locality,
              const char *organization,
              const char *unit,
              const char *common_name,
              ...)
{
  CdCsrRequest *request = cd_csr_request_new ();
  const char *host;
  va_list args;

  request->country = g_strdup (country);
  request->state = g_strdup (state);
  request->locality = g_strdup (locality);
  request->organization = g_strdup (organization);
  request->organizational_unit = g_strdup (unit);
  request->common_name = g_strdup (common_name);

  va_start (args, common_name);
  while ((host = va_arg (args, const char *)) != NULL)
    cd_csr_request_add_host (request, host);
  va_end (args);

  return request;
}

static void
assert_verifies (Fixture    *fixture,
                 const char *csr)
{
  const char *args[] = { "req", "-verify", "-noout", "-in", csr, NULL };
  g_autofree char *err = NULL;

  g_assert_true (cd_test_run_openssl (fixture->tmpdir, args, NULL, &err));
  g_assert_nonnull (strstr (err, "verify OK"));
}

static void
assert_subject (Fixture    *fixture,
                const char *csr,
                const char *expected)
{
  g_autofree char *out = cd_test_spawn_openssl (fixture->tmpdir, "req", "-noout", "-subject",
                                                "-nameopt", "RFC2253,-esc_msb", "-in", csr, NULL);
  g_autofree char *line = g_strconcat ("subject=", expected, "\n", NULL);

  g_assert_cmpstr (out, ==, line);
}

/* The DNS names of the "X509v3 Subject Alternative Name" block of `openssl req -text`, joined
 * with spaces, and whether openssl calls the extension critical. */
static char *
openssl_san (Fixture    *fixture,
             const char *csr,
             gboolean   *critical)
{
  g_autofree char *text = cd_test_spawn_openssl (fixture->tmpdir, "req", "-noout", "-text",
                                                 "-in", csr, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) entries = NULL;

      if (strstr (lines[i], "X509v3 Subject Alternative Name:") == NULL)
        continue;

      *critical = strstr (lines[i], "critical") != NULL;
      g_assert_nonnull (lines[i + 1]);
      entries = g_strsplit (g_strstrip (lines[i + 1]), ", ", -1);
      for (guint j = 0; entries[j] != NULL; j++)
        {
          g_assert_true (g_str_has_prefix (entries[j], "DNS:"));
          g_ptr_array_add (names, g_strdup (entries[j] + 4));
        }
      g_ptr_array_add (names, NULL);
      return g_strjoinv (" ", (char **) names->pdata);
    }

  g_error ("no subjectAltName in %s", text);
}

static void
assert_san (Fixture    *fixture,
            const char *csr,
            const char *expected,
            gboolean    expected_critical)
{
  gboolean critical = !expected_critical;
  g_autofree char *names = openssl_san (fixture, csr, &critical);

  g_assert_cmpstr (names, ==, expected);
  g_assert_cmpint (critical, ==, expected_critical);
}

static CdCsrProblem *
problem_at (GPtrArray *problems,
            guint      i)
{
  g_assert_cmpuint (i, <, problems->len);
  return g_ptr_array_index (problems, i);
}

/* Checks @request and asserts exactly one problem, for @field / @index. */
static void
assert_one_problem (const CdCsrRequest *request,
                    CdCsrField          field,
                    int                 index,
                    gboolean            warning,
                    const char         *mentions)
{
  g_autoptr(GPtrArray) problems = cd_csr_request_check (request, CD_CSR_CHECK_DEFAULT);
  CdCsrProblem *problem;

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", problem_at (problems, i)->message);

  g_assert_cmpuint (problems->len, ==, 1);
  problem = problem_at (problems, 0);
  g_assert_cmpint (problem->field, ==, field);
  g_assert_cmpint (problem->index, ==, index);
  g_assert_cmpint (problem->warning, ==, warning);
  g_assert_true (g_utf8_validate (problem->message, -1, NULL));
  if (field != CD_CSR_FIELD_HOSTS)
    g_assert_true (g_str_has_prefix (problem->message, cd_csr_field_get_label (field)));
  else
    g_assert_true (strstr (problem->message, "Host") != NULL);
  if (mentions != NULL && strstr (problem->message, mentions) == NULL)
    g_error ("“%s” does not mention “%s”", problem->message, mentions);
  g_assert_cmpint (cd_csr_problems_have_errors (problems), ==, !warning);
}

static void
assert_no_problem (const CdCsrRequest *request)
{
  g_autoptr(GPtrArray) problems = cd_csr_request_check (request, CD_CSR_CHECK_DEFAULT);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", problem_at (problems, i)->message);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_false (cd_csr_problems_have_errors (problems));
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_no_errno (g_lstat (path, &st));
  return st.st_mode & 07777;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* Key types */

static void
test_key_type_strings (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct
  {
    CdKeyType   type;
    const char *string;
    const char *algorithm;
    int         bits;
    const char *curve;
  } types[] = {
    { CD_KEY_TYPE_RSA_2048, "rsa2048", "rsa", 2048, NULL },
    { CD_KEY_TYPE_RSA_3072, "rsa3072", "rsa", 3072, NULL },
    { CD_KEY_TYPE_RSA_4096, "rsa4096", "rsa", 4096, NULL },
    { CD_KEY_TYPE_EC_P256, "p256", "ec", 256, "P-256" },
    { CD_KEY_TYPE_EC_P384, "p384", "ec", 384, "P-384" },
  };
  static const char *bad[] = { "", "rsa", "rsa1024", "ec", "p521", "ed25519", "rsa 2048" };

  G_STATIC_ASSERT (G_N_ELEMENTS (types) == CD_KEY_TYPE_LAST + 1);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *upper = g_ascii_strup (types[i].string, -1);
      g_autofree char *padded = g_strdup_printf (" %s\t", types[i].string);
      CdKeyType type = (CdKeyType) -1;

      g_assert_cmpstr (cd_key_type_to_string (types[i].type), ==, types[i].string);
      g_assert_cmpstr (cd_key_type_get_algorithm (types[i].type), ==, types[i].algorithm);
      g_assert_cmpint (cd_key_type_get_bits (types[i].type), ==, types[i].bits);
      g_assert_cmpstr (cd_key_type_get_curve (types[i].type), ==, types[i].curve);
      g_assert_nonnull (cd_key_type_get_label (types[i].type));

      g_assert_true (cd_key_type_parse (types[i].string, &type, &error));
      g_assert_no_error (error);
      g_assert_cmpint (type, ==, types[i].type);
      g_assert_true (cd_key_type_parse (upper, &type, NULL));
      g_assert_cmpint (type, ==, types[i].type);
      g_assert_true (cd_key_type_parse (padded, &type, NULL));
      g_assert_cmpint (type, ==, types[i].type);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      CdKeyType type = CD_KEY_TYPE_EC_P384;

      g_assert_false (cd_key_type_parse (bad[i], &type, &error));
      g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, "rsa2048"));
      g_assert_cmpint (type, ==, CD_KEY_TYPE_EC_P384);
    }

  g_assert_cmpint (CD_KEY_TYPE_DEFAULT, ==, CD_KEY_TYPE_RSA_2048);
}

/* One full round per key type: generate, write, make the CSR, and let openssl check it all. */
static void
test_verify (Fixture       *fixture,
             gconstpointer  data)
{
  CdKeyType type = GPOINTER_TO_INT (data);
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(CdCsrRequest) request = NULL;
  g_autoptr(X509_REQ) req = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *req_pub = NULL;
  g_autofree char *key_pub = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected_bits = NULL;
  CdKeyType found;

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  key = generate (type);
  g_assert_true (cd_key_type_from_key (key, &found));
  g_assert_cmpint (found, ==, type);

  key_path = write_key (fixture, key, "key.pem");
  g_assert_true (g_file_get_contents (key_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "-----BEGIN PRIVATE KEY-----\n"));

  request = make_request ("de", "Bavaria", "München", "Example GmbH", "Marketing",
                          "t.mail.brand.com",
                          "m.mail.brand.com", "res.mail.brand.com", "bücher.example", NULL);
  req = create (request, key);
  csr_path = write_csr (fixture, req, "request.csr");

  assert_verifies (fixture, csr_path);
  assert_subject (fixture, csr_path,
                  "CN=t.mail.brand.com,OU=Marketing,O=Example GmbH,L=München,ST=Bavaria,C=DE");
  assert_san (fixture, csr_path,
              "t.mail.brand.com m.mail.brand.com res.mail.brand.com xn--bcher-kva.example",
              FALSE);

  text = cd_test_spawn_openssl (fixture->tmpdir, "req", "-noout", "-text", "-in", csr_path, NULL);
  if (type == CD_KEY_TYPE_EC_P256 || type == CD_KEY_TYPE_EC_P384)
    g_assert_nonnull (strstr (text, "Signature Algorithm: ecdsa-with-SHA256\n"));
  else
    g_assert_nonnull (strstr (text, "Signature Algorithm: sha256WithRSAEncryption\n"));
  g_assert_nonnull (strstr (text, "Version: 1 (0x0)"));

  /* the written key as openssl reads it */
  key_text = cd_test_spawn_openssl (fixture->tmpdir, "pkey", "-in", key_path, "-noout", "-text",
                                    NULL);
  if (cd_key_type_get_curve (type) != NULL)
    {
      g_autofree char *curve = g_strdup_printf ("NIST CURVE: %s\n", cd_key_type_get_curve (type));

      expected_bits = g_strdup_printf ("Private-Key: (%d bit)\n", cd_key_type_get_bits (type));
      g_assert_nonnull (strstr (key_text, curve));
    }
  else
    expected_bits = g_strdup_printf ("Private-Key: (%d bit, 2 primes)\n",
                                     cd_key_type_get_bits (type));
  g_assert_true (g_str_has_prefix (key_text, expected_bits));

  /* and the CSR carries that key */
  req_pub = cd_test_spawn_openssl (fixture->tmpdir, "req", "-noout", "-pubkey", "-in", csr_path,
                                   NULL);
  key_pub = cd_test_spawn_openssl (fixture->tmpdir, "pkey", "-in", key_path, "-pubout", NULL);
  g_assert_true (g_str_has_prefix (req_pub, "-----BEGIN PUBLIC KEY-----"));
  g_assert_cmpstr (req_pub, ==, key_pub);
}

static void
check_subject_case (Fixture            *fixture,
                    EVP_PKEY           *key,
                    const CdCsrRequest *request,
                    const char         *subject,
                    const char         *san,
                    gboolean            critical)
{
  g_autoptr(X509_REQ) req = create (request, key);
  g_autofree char *csr_path = write_csr (fixture, req, "subset.csr");

  assert_verifies (fixture, csr_path);
  assert_subject (fixture, csr_path, subject);
  assert_san (fixture, csr_path, san, critical);
}

static void
test_subject_subsets (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = NULL;

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  key = generate (CD_KEY_TYPE_EC_P256);

  {
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, "a.example.com",
                                              NULL);
    check_subject_case (fixture, key, r, "CN=a.example.com", "a.example.com", FALSE);
  }
  {
    /* no subject at all: the names live in a critical subjectAltName (RFC 5280 4.2.1.6) */
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                              "a.example.com", "b.example.com", NULL);
    check_subject_case (fixture, key, r, "", "a.example.com b.example.com", TRUE);
  }
  {
    g_autoptr(CdCsrRequest) r = make_request ("us", NULL, NULL, "Acme, Inc.", NULL, NULL,
                                              "a.example.com", NULL);
    check_subject_case (fixture, key, r, "O=Acme\\, Inc.,C=US", "a.example.com", FALSE);
  }
  {
    /* blanks around values go, empty strings count as absent */
    g_autoptr(CdCsrRequest) r = make_request (" fr ", "", "\tParis ", "\u00a0Acme\u00a0", "  ",
                                              " Www.Example.COM. ", NULL);
    check_subject_case (fixture, key, r, "CN=www.example.com,O=Acme,L=Paris,C=FR",
                        "www.example.com", FALSE);
  }
  {
    g_autoptr(CdCsrRequest) r = make_request (NULL, "Québec", NULL, NULL, "IT", NULL,
                                              "a.example.com", NULL);
    check_subject_case (fixture, key, r, "OU=IT,ST=Québec", "a.example.com", FALSE);
  }
}

/* C is a PrintableString, the other attributes UTF8String (RFC 5280). */
static void
test_subject_string_types (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(CdCsrRequest) request = NULL;
  g_autoptr(X509_REQ) req = NULL;
  g_autofree char *csr_path = NULL;
  g_autofree char *parsed = NULL;

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  key = generate (CD_KEY_TYPE_EC_P256);
  request = make_request ("CH", NULL, "Zürich", "Example AG", NULL, "a.example.ch", NULL);
  req = create (request, key);
  csr_path = write_csr (fixture, req, "types.csr");

  parsed = cd_test_spawn_openssl (fixture->tmpdir, "asn1parse", "-in", csr_path, NULL);
  g_assert_nonnull (strstr (parsed, "PRINTABLESTRING   :CH"));
  g_assert_nonnull (strstr (parsed, "UTF8STRING        :Example AG"));
  g_assert_nonnull (strstr (parsed, "UTF8STRING        :a.example.ch"));
}

static void
test_san_order (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = NULL;

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  key = generate (CD_KEY_TYPE_EC_P256);

  {
    /* a CN that is not among the hosts goes first */
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, "Acme", NULL, "www.example.com",
                                              "b.example.com", "a.example.com", NULL);
    check_subject_case (fixture, key, r, "CN=www.example.com,O=Acme",
                        "www.example.com b.example.com a.example.com", FALSE);
  }
  {
    /* a CN among the hosts (in another spelling) is not repeated, the order stays */
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, "B.Example.COM.",
                                              "a.example.com", "b.example.com", "c.example.com",
                                              NULL);
    check_subject_case (fixture, key, r, "CN=b.example.com",
                        "a.example.com b.example.com c.example.com", FALSE);
  }
  {
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, "*.mail.brand.com",
                                              "mail.brand.com", NULL);
    check_subject_case (fixture, key, r, "CN=*.mail.brand.com",
                        "*.mail.brand.com mail.brand.com", FALSE);
  }
}

static void
test_san_idn (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(CdCsrRequest) request = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  key = generate (CD_KEY_TYPE_EC_P256);

  /* the CN too is spelled as in the SAN (A-labels), as the CA/Browser Forum requires */
  request = make_request (NULL, NULL, NULL, NULL, NULL, "Bücher.example",
                          "*.bücher.example", "例え.jp", "xn--bcher-kva.example", NULL);
  check_subject_case (fixture, key, request, "CN=xn--bcher-kva.example",
                      "*.xn--bcher-kva.example xn--r8jz45g.jp xn--bcher-kva.example", FALSE);

  names = cd_csr_request_dup_dns_names (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "*.xn--bcher-kva.example");
  g_assert_cmpstr (names[1], ==, "xn--r8jz45g.jp");
  g_assert_cmpstr (names[2], ==, "xn--bcher-kva.example");
}

static void
test_pem (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autoptr(CdCsrRequest) request = make_request (NULL, NULL, NULL, NULL, NULL, "a.example.com",
                                                  NULL);
  g_autoptr(X509_REQ) req = create (request, key);
  g_autoptr(X509_REQ) back = NULL;
  g_autoptr(BIO) bio = NULL;
  g_autofree char *pem = cd_csr_to_pem (req);

  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE REQUEST-----\n"));
  g_assert_true (g_str_has_suffix (pem, "-----END CERTIFICATE REQUEST-----\n"));

  bio = BIO_new_mem_buf (pem, -1);
  back = PEM_read_bio_X509_REQ (bio, NULL, NULL, NULL);
  g_assert_nonnull (back);
  g_assert_cmpint (X509_NAME_cmp (X509_REQ_get_subject_name (back),
                                  X509_REQ_get_subject_name (req)), ==, 0);
  g_assert_cmpint (X509_REQ_verify (back, key), ==, 1);
}

static void
test_create_refuses (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autofree char *long_org = cd_test_repeat ("x", 65);

  {
    g_autoptr(CdCsrRequest) r = make_request ("DEU", NULL, NULL, long_org, NULL, "a.example",
                                              NULL);
    g_autoptr(GPtrArray) problems = cd_csr_request_check (r, CD_CSR_CHECK_DEFAULT);
    g_autoptr(GError) error = NULL;
    g_autoptr(X509_REQ) req = cd_csr_create (r, key, &error);

    g_assert_null (req);
    g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
    g_assert_cmpuint (problems->len, ==, 2);
    g_assert_cmpstr (error->message, ==, problem_at (problems, 0)->message);
    g_assert_true (g_str_has_prefix (error->message, "Country"));
  }
  {
    g_autoptr(CdCsrRequest) r = cd_csr_request_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(X509_REQ) req = cd_csr_create (r, key, &error);
    g_auto(GStrv) names = cd_csr_request_dup_dns_names (r, NULL);

    g_assert_null (req);
    g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
    g_assert_null (names);
  }
}

/* Keys a public CA would refuse are refused before anything is signed. */
static void
test_create_refuses_weak_keys (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CdCsrRequest) request = make_request (NULL, NULL, NULL, NULL, NULL, "a.example",
                                                  NULL);
  EVP_PKEY *keys[] = {
    EVP_PKEY_Q_keygen (NULL, NULL, "RSA", (size_t) 1024),
    EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-521"),
    EVP_PKEY_Q_keygen (NULL, NULL, "ED25519"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(X509_REQ) req = NULL;
      CdKeyType type;

      g_assert_nonnull (keys[i]);
      g_assert_false (cd_key_type_from_key (keys[i], &type));
      req = cd_csr_create (request, keys[i], &error);
      g_assert_null (req);
      g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
      g_test_message ("%s", error->message);
      EVP_PKEY_free (keys[i]);
    }
}

/* Field checks */

static char **
field_slot (CdCsrRequest *request,
            CdCsrField    field)
{
  switch (field)
    {
    case CD_CSR_FIELD_COUNTRY:
      return &request->country;
    case CD_CSR_FIELD_STATE:
      return &request->state;
    case CD_CSR_FIELD_LOCALITY:
      return &request->locality;
    case CD_CSR_FIELD_ORGANIZATION:
      return &request->organization;
    case CD_CSR_FIELD_ORGANIZATIONAL_UNIT:
      return &request->organizational_unit;
    case CD_CSR_FIELD_COMMON_NAME:
      return &request->common_name;
    case CD_CSR_FIELD_HOSTS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_check_lengths (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct
  {
    CdCsrField field;
    guint      limit;
  } fields[] = {
    { CD_CSR_FIELD_ORGANIZATION, 64 },
    { CD_CSR_FIELD_ORGANIZATIONAL_UNIT, 64 },
    { CD_CSR_FIELD_LOCALITY, 128 },
    { CD_CSR_FIELD_STATE, 128 },
  };
  /* characters, not bytes: "ü" is two bytes in UTF-8, "𝄞" four */
  static const char *units[] = { "x", "ü", "𝄞" };
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    for (guint u = 0; u < G_N_ELEMENTS (units); u++)
      {
        g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, "a.example",
                                                  NULL);
        g_autoptr(GPtrArray) problems = NULL;
        g_autoptr(X509_REQ) req = NULL;
        g_autofree char *count = g_strdup_printf ("%u", fields[i].limit);
        char **slot = field_slot (r, fields[i].field);

        g_test_message ("%s, %u × “%s”", cd_csr_field_get_label (fields[i].field),
                        fields[i].limit, units[u]);

        *slot = cd_test_repeat (units[u], fields[i].limit);
        if (fields[i].field == CD_CSR_FIELD_ORGANIZATIONAL_UNIT)
          assert_one_problem (r, CD_CSR_FIELD_ORGANIZATIONAL_UNIT, -1, TRUE, NULL);
        else
          assert_no_problem (r);
        /* OpenSSL enforces the same bounds in X509_NAME_add_entry: at the limit it agrees */
        req = create (r, key);

        g_free (*slot);
        *slot = cd_test_repeat (units[u], fields[i].limit + 1);
        problems = cd_csr_request_check (r, CD_CSR_CHECK_PRIVATE_CA);
        g_assert_cmpuint (problems->len, ==, 1);
        g_assert_cmpint (problem_at (problems, 0)->field, ==, fields[i].field);
        g_assert_false (problem_at (problems, 0)->warning);
        g_assert_nonnull (strstr (problem_at (problems, 0)->message, count));
        g_assert_true (g_str_has_prefix (problem_at (problems, 0)->message,
                                         cd_csr_field_get_label (fields[i].field)));
      }
}

static void
test_check_common_name_length (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autofree char *label = cd_test_repeat ("a", 60);
  g_autofree char *cn64 = g_strconcat (label, ".com", NULL);
  g_autofree char *cn65 = g_strconcat (label, "a.com", NULL);
  g_autofree char *ulabel = cd_test_repeat ("äöüéèàçñåøæ", 2);
  g_autofree char *idn = g_strconcat (ulabel, ".", ulabel, ".example", NULL);
  g_autofree char *idn_alabel = NULL;

  g_assert_cmpuint (strlen (cn64), ==, 64);

  {
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, cn64, NULL);
    g_autoptr(X509_REQ) req = NULL;

    assert_no_problem (r);
    req = create (r, key);
  }
  {
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, cn65, NULL);

    assert_one_problem (r, CD_CSR_FIELD_COMMON_NAME, -1, FALSE, "64");
    /* the same name is fine as a host: only the CN has the 64-character bound */
    g_clear_pointer (&r->common_name, g_free);
    cd_csr_request_add_host (r, cn65);
    assert_no_problem (r);
  }
  {
    /* short in Unicode, too long once spelled with A-labels */
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, idn, NULL);

    idn_alabel = cd_dns_name_normalize (idn, 0, NULL);
    g_assert_nonnull (idn_alabel);
    g_assert_cmpint (g_utf8_strlen (idn, -1), <=, 64);
    g_assert_cmpuint (strlen (idn_alabel), >, 64);
    assert_one_problem (r, CD_CSR_FIELD_COMMON_NAME, -1, FALSE, idn_alabel);
  }
}

static void
test_check_country (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *good[] = { "de", "DE", "De", " us " };
  static const char *bad[] = { "DEU", "1A", "D", "A1", "ÄB", "D E", "--" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(CdCsrRequest) r = make_request (good[i], NULL, NULL, NULL, NULL, "a.example",
                                                NULL);
      g_autofree char *text = NULL;
      g_autofree char *upper = NULL;
      g_autofree char *line = NULL;

      assert_no_problem (r);
      /* upper-cased on the way in: the summary shows what the CSR holds */
      upper = g_ascii_strup (good[i], -1);
      line = g_strdup_printf ("Country: %s\n", g_strstrip (upper));
      text = cd_csr_request_to_text (r, NULL);
      g_assert_nonnull (strstr (text, line));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CdCsrRequest) r = make_request (bad[i], NULL, NULL, NULL, NULL, "a.example",
                                                NULL);

      assert_one_problem (r, CD_CSR_FIELD_COUNTRY, -1, FALSE, "ISO 3166");
    }
}

static void
test_check_country_in_csr (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(CdCsrRequest) r = NULL;

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  key = generate (CD_KEY_TYPE_EC_P256);
  r = make_request ("de", NULL, NULL, NULL, NULL, "a.example", NULL);
  check_subject_case (fixture, key, r, "CN=a.example,C=DE", "a.example", FALSE);
}

static void
test_check_control_characters (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, "Acme\nCorp", NULL, "a.example",
                                            NULL);
  g_autoptr(CdCsrRequest) invalid = make_request (NULL, NULL, "M\xfcnchen", NULL, NULL,
                                                  "a.example", NULL);

  assert_one_problem (r, CD_CSR_FIELD_ORGANIZATION, -1, FALSE, "U+000A");
  assert_one_problem (invalid, CD_CSR_FIELD_LOCALITY, -1, FALSE, "UTF-8");
}

static void
test_check_dns_names (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *bad[] = {
    "foo_bar.example.com", "exa mple.com", "-a.example.com", "a..example.com", "a/b.example",
    "192.0.2.1", "a.example.com:443", "https://a.example.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CdCsrRequest) as_cn = make_request (NULL, NULL, NULL, NULL, NULL, bad[i], NULL);
      g_autoptr(CdCsrRequest) as_host = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                                      "ok.example.com", bad[i], NULL);

      assert_one_problem (as_cn, CD_CSR_FIELD_COMMON_NAME, -1, FALSE, NULL);
      assert_one_problem (as_host, CD_CSR_FIELD_HOSTS, 1, FALSE, bad[i]);
    }

  {
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                              "a.example.com", "  ", NULL);

    assert_one_problem (r, CD_CSR_FIELD_HOSTS, 1, FALSE, "2");
  }
}

static void
test_check_wildcards (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *good[] = { "*.mail.brand.com", "*.bücher.example", "*.A.COM" };
  static const char *bad[] = {
    "t*.brand.com", "*t.brand.com", "*.*.brand.com", "mail.*.com", "*", "brand.com.*",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(CdCsrRequest) as_cn = make_request (NULL, NULL, NULL, NULL, NULL, good[i], NULL);
      g_autoptr(CdCsrRequest) as_host = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                                      good[i], NULL);

      assert_no_problem (as_cn);
      assert_no_problem (as_host);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CdCsrRequest) as_cn = make_request (NULL, NULL, NULL, NULL, NULL, bad[i], NULL);
      g_autoptr(CdCsrRequest) as_host = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                                      bad[i], NULL);

      assert_one_problem (as_cn, CD_CSR_FIELD_COMMON_NAME, -1, FALSE, NULL);
      assert_one_problem (as_host, CD_CSR_FIELD_HOSTS, 0, FALSE, NULL);
    }
}

static void
test_check_duplicates (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct
  {
    const char *first;
    const char *second;
  } pairs[] = {
    { "t.mail.brand.com", "t.mail.brand.com" },
    { "t.mail.brand.com", "T.MAIL.Brand.com" },
    { "t.mail.brand.com", "t.mail.brand.com." },
    { "t.mail.brand.com", " t.mail.brand.com " },
    { "bücher.example", "xn--bcher-kva.example" },
    { "BÜCHER.example", "bücher.example" },
    { "*.brand.com", "*.Brand.COM" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                                "m.mail.brand.com", pairs[i].first,
                                                "res.mail.brand.com", pairs[i].second, NULL);

      /* reported once, on the later entry */
      assert_one_problem (r, CD_CSR_FIELD_HOSTS, 3, FALSE, "twice");
    }

  {
    /* a wildcard and a name it covers are different names */
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                              "*.brand.com", "t.brand.com", "brand.com", NULL);
    assert_no_problem (r);
  }
  {
    /* the CN also being a host is normal, not a duplicate */
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, "T.brand.com",
                                              "t.brand.com", NULL);
    assert_no_problem (r);
  }
  {
    g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, NULL, NULL, NULL,
                                              "a.example", "a.example", "a.example", NULL);
    g_autoptr(GPtrArray) problems = cd_csr_request_check (r, CD_CSR_CHECK_DEFAULT);

    g_assert_cmpuint (problems->len, ==, 2);
    g_assert_cmpint (problem_at (problems, 0)->index, ==, 1);
    g_assert_cmpint (problem_at (problems, 1)->index, ==, 2);
  }
}

static void
test_check_no_name (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CdCsrRequest) empty = cd_csr_request_new ();
  g_autoptr(CdCsrRequest) org_only = make_request ("DE", NULL, NULL, "Acme", NULL, " ", NULL);
  g_autoptr(CdCsrRequest) empty_host = make_request (NULL, NULL, NULL, NULL, NULL, NULL, "",
                                                     NULL);
  g_autoptr(GPtrArray) problems = NULL;

  assert_one_problem (empty, CD_CSR_FIELD_HOSTS, -1, FALSE, "at least one");
  assert_one_problem (org_only, CD_CSR_FIELD_HOSTS, -1, FALSE, "at least one");

  problems = cd_csr_request_check (empty_host, CD_CSR_CHECK_DEFAULT);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpint (problem_at (problems, 0)->index, ==, 0);
  g_assert_cmpint (problem_at (problems, 1)->index, ==, -1);

  /* a NULL host array is an empty one */
  g_clear_pointer (&empty->hosts, g_ptr_array_unref);
  assert_one_problem (empty, CD_CSR_FIELD_HOSTS, -1, FALSE, "at least one");
  empty->common_name = g_strdup ("a.example");
  assert_no_problem (empty);
}

static void
test_check_ou_warning (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(CdCsrRequest) r = make_request (NULL, NULL, NULL, "Acme", "Marketing", "a.example",
                                            NULL);
  g_autoptr(GPtrArray) private_ca = cd_csr_request_check (r, CD_CSR_CHECK_PRIVATE_CA);

  assert_one_problem (r, CD_CSR_FIELD_ORGANIZATIONAL_UNIT, -1, TRUE, "2022");
  g_assert_cmpuint (private_ca->len, ==, 0);

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  /* a warning does not stop the request */
  key = generate (CD_KEY_TYPE_EC_P256);
  check_subject_case (fixture, key, r, "CN=a.example,OU=Marketing,O=Acme", "a.example", FALSE);
}

static void
test_check_order (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *long_city = cd_test_repeat ("c", 129);
  g_autoptr(CdCsrRequest) r = make_request ("XYZ", NULL, long_city, NULL, "IT", "bad_name.com",
                                            "ok.example", "ok.example", NULL);
  g_autoptr(GPtrArray) problems = cd_csr_request_check (r, CD_CSR_CHECK_DEFAULT);
  static const CdCsrField expected[] = {
    CD_CSR_FIELD_COUNTRY, CD_CSR_FIELD_LOCALITY, CD_CSR_FIELD_ORGANIZATIONAL_UNIT,
    CD_CSR_FIELD_COMMON_NAME, CD_CSR_FIELD_HOSTS,
  };

  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < problems->len; i++)
    g_assert_cmpint (problem_at (problems, i)->field, ==, expected[i]);
  g_assert_true (cd_csr_problems_have_errors (problems));
}

/* Copy CSR content */

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CdCsrRequest) request = make_request (NULL, NULL, NULL, "Example Corp", "Marketing",
                                                  "t.mail.brand.com",
                                                  "t.mail.brand.com", "m.mail.brand.com",
                                                  "bücher.example", NULL);
  g_autofree char *text = NULL;
  g_autofree char *no_instance = NULL;
  g_autofree char *located = NULL;

  text = cd_csr_request_to_text (request, "https://acme-mkt-prod1.campaign.adobe.com");
  g_assert_cmpstr (text, ==,
                   "Organization: Example Corp\n"
                   "Organizational unit: Marketing\n"
                   "Instance: https://acme-mkt-prod1.campaign.adobe.com\n"
                   "Common name: t.mail.brand.com\n"
                   "Hosts:\n"
                   "  t.mail.brand.com\n"
                   "  m.mail.brand.com\n"
                   "  xn--bcher-kva.example (bücher.example)\n");

  /* no instance line without an instance; a CN outside the hosts leads the host list, as in
   * the CSR; the location when given */
  g_free (request->common_name);
  request->common_name = g_strdup ("WWW.brand.com");
  g_clear_pointer (&request->organizational_unit, g_free);
  request->country = g_strdup ("us");
  request->locality = g_strdup ("Chicago");
  no_instance = cd_csr_request_to_text (request, "  ");
  g_assert_cmpstr (no_instance, ==,
                   "Organization: Example Corp\n"
                   "Common name: www.brand.com\n"
                   "City: Chicago\n"
                   "Country: US\n"
                   "Hosts:\n"
                   "  www.brand.com\n"
                   "  t.mail.brand.com\n"
                   "  m.mail.brand.com\n"
                   "  xn--bcher-kva.example (bücher.example)\n");

  /* a request with errors still has a summary, with what was typed */
  g_ptr_array_set_size (request->hosts, 0);
  cd_csr_request_add_host (request, "bad_name.brand.com");
  cd_csr_request_add_host (request, "www.brand.com");
  located = cd_csr_request_to_text (request, NULL);
  g_assert_true (g_str_has_suffix (located,
                                   "Hosts:\n"
                                   "  bad_name.brand.com\n"
                                   "  www.brand.com\n"));
}

static void
test_request_copy (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CdCsrRequest) request = make_request ("DE", "Hesse", "Frankfurt", "Acme", "IT",
                                                  "a.example", "b.example", "c.example", NULL);
  g_autoptr(CdCsrRequest) copy = cd_csr_request_copy (request);
  g_autofree char *a = cd_csr_request_to_text (request, "i");
  g_autofree char *b = cd_csr_request_to_text (copy, "i");

  g_assert_true (copy->hosts != request->hosts);
  g_assert_cmpuint (copy->hosts->len, ==, 2);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (copy->state, ==, "Hesse");
}

/* Key generation */

typedef struct
{
  GMainLoop *loop;
  EVP_PKEY  *key;
  GError    *error;
  gboolean   written;
} AsyncResult;

static void
keygen_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncResult *async = user_data;

  g_assert_null (source);
  async->key = cd_keygen_finish (result, &async->error);
  g_main_loop_quit (async->loop);
}

static void
test_keygen_async (Fixture       *fixture,
                   gconstpointer  data)
{
  AsyncResult async = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CdKeyType type;

  cd_keygen_async (CD_KEY_TYPE_EC_P384, cancellable, keygen_done, &async);
  g_main_loop_run (async.loop);

  g_assert_no_error (async.error);
  g_assert_nonnull (async.key);
  g_assert_true (cd_key_type_from_key (async.key, &type));
  g_assert_cmpint (type, ==, CD_KEY_TYPE_EC_P384);

  EVP_PKEY_free (async.key);
  g_main_loop_unref (async.loop);
}

/* Cancellation is reported as G_IO_ERROR_CANCELLED, as everywhere in GIO. */
static void
test_keygen_cancel_before (Fixture       *fixture,
                           gconstpointer  data)
{
  AsyncResult async = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  EVP_PKEY *key;

  g_cancellable_cancel (cancellable);

  key = cd_keygen (CD_KEY_TYPE_RSA_2048, cancellable, &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  cd_keygen_async (CD_KEY_TYPE_RSA_2048, cancellable, keygen_done, &async);
  g_main_loop_run (async.loop);
  g_assert_null (async.key);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_error (&async.error);
  g_main_loop_unref (async.loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* An RSA 4096 generation under way stops when cancelled, instead of running to its end. */
static void
test_keygen_cancel_during (Fixture       *fixture,
                           gconstpointer  data)
{
  AsyncResult async = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start = g_get_monotonic_time ();

  cd_keygen_async (CD_KEY_TYPE_RSA_4096, cancellable, keygen_done, &async);
  g_timeout_add (5, cancel_cb, cancellable);
  g_main_loop_run (async.loop);

  g_assert_null (async.key);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);

  g_clear_error (&async.error);
  g_main_loop_unref (async.loop);
}

static gpointer
cancel_thread (gpointer user_data)
{
  g_usleep (5000);
  g_cancellable_cancel (user_data);
  return NULL;
}

/* The blocking variant stops too when another thread cancels: the error then comes from the
 * generation itself, not from a GTask. */
static void
test_keygen_cancel_sync (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread = g_thread_new ("cancel", cancel_thread, cancellable);
  EVP_PKEY *key;

  key = cd_keygen (CD_KEY_TYPE_RSA_4096, cancellable, &error);
  g_thread_join (thread);

  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* nothing of the aborted generation is left in this thread's OpenSSL error queue */
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
}

/* Writing keys */

static void
check_write_modes (Fixture    *fixture,
                   mode_t      mask,
                   const char *subdir)
{
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autoptr(GError) error = NULL;
  g_autofree char *top = g_build_filename (fixture->tmpdir, subdir, NULL);
  g_autofree char *middle = g_build_filename (top, "certdesk", NULL);
  g_autofree char *dir = g_build_filename (middle, "keys", NULL);
  g_autofree char *path = g_build_filename (dir, "t.mail.brand.com.key", NULL);
  mode_t old_mask;
  gboolean ok;

  old_mask = umask (mask);
  ok = cd_key_write (key, path, NULL, &error);
  umask (old_mask);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (middle), ==, 0700);
  g_assert_cmpuint (file_mode (top), ==, 0700);
  /* no temporary file left behind */
  g_assert_cmpuint (count_entries (dir), ==, 1);
}

static void
test_write_modes (Fixture       *fixture,
                  gconstpointer  data)
{
  /* whatever the umask: a permissive one, the usual one, and one that would leave the owner
   * without write access */
  check_write_modes (fixture, 0, "open");
  check_write_modes (fixture, 022, "usual");
  check_write_modes (fixture, 0277, "narrow");
}

/* An existing folder keeps its mode: the user chose it. */
static void
test_write_existing_dir (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->tmpdir, "k.pem", NULL);
  g_autofree char *relative_dir = g_build_filename (fixture->tmpdir, "rel", NULL);
  g_autofree char *cwd = g_get_current_dir ();

  g_assert_no_errno (g_chmod (fixture->tmpdir, 0750));
  g_assert_true (cd_key_write (key, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fixture->tmpdir), ==, 0750);
  g_assert_cmpuint (file_mode (path), ==, 0600);

  /* a bare file name goes into the current folder */
  g_assert_no_errno (g_mkdir (relative_dir, 0700));
  g_assert_no_errno (chdir (relative_dir));
  g_assert_true (cd_key_write (key, "bare.pem", NULL, &error));
  g_assert_no_errno (chdir (cwd));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (relative_dir), ==, 1);
}

static void
test_write_never_overwrites (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char precious[] = "-----BEGIN PRIVATE KEY-----\nthe old key\n";
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autofree char *dir = g_build_filename (fixture->tmpdir, "keys", NULL);
  g_autofree char *path = g_build_filename (dir, "old.key", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.key", NULL);
  g_autofree char *target = g_build_filename (fixture->tmpdir, "target", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  gsize length;

  g_assert_no_errno (g_mkdir (dir, 0700));
  g_file_set_contents (path, precious, -1, &error);
  g_assert_no_error (error);

  g_assert_false (cd_key_write (key, path, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "already exists"));
  g_assert_nonnull (strstr (error->message, "never overwrites"));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &after, &length, NULL));
  g_assert_cmpmem (after, length, precious, sizeof precious - 1);

  /* a symbolic link is not followed, even a dangling one */
  g_assert_no_errno (symlink (target, dangling));
  g_assert_false (cd_key_write (key, dangling, "secret", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  g_assert_cmpuint (count_entries (dir), ==, 2);
}

static void
test_write_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autofree char *file = g_build_filename (fixture->tmpdir, "file", NULL);
  g_autofree char *below_file = g_build_filename (file, "keys", "k.pem", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (file, "", -1, &error);
  g_assert_no_error (error);

  g_assert_false (cd_key_write (key, below_file, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, file));
  g_test_message ("%s", error->message);
}

static void
test_write_encrypted (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autofree char *path = g_build_filename (fixture->tmpdir, "keys", "enc.key", NULL);
  g_autofree char *plain = g_build_filename (fixture->tmpdir, "keys", "plain.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *parsed = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *expected_pub = NULL;

  g_assert_true (cd_key_write (key, path, "correct horse battery staple", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));

  /* an empty passphrase means no encryption */
  g_assert_true (cd_key_write (key, plain, "", &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (plain, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "-----BEGIN PRIVATE KEY-----\n"));

  if (!cd_test_require_tool ("openssl", "OpenSSL 3"))
    return;

  parsed = cd_test_spawn_openssl (fixture->tmpdir, "asn1parse", "-in", path, NULL);
  g_assert_nonnull (strstr (parsed, ":PBES2"));
  g_assert_nonnull (strstr (parsed, ":PBKDF2"));
  g_assert_nonnull (strstr (parsed, ":hmacWithSHA256"));
  g_assert_nonnull (strstr (parsed, ":aes-256-cbc"));

  text = cd_test_spawn_openssl (fixture->tmpdir, "pkey", "-in", path,
                                "-passin", "pass:correct horse battery staple", "-noout", "-text",
                                NULL);
  g_assert_true (g_str_has_prefix (text, "Private-Key: (256 bit)\n"));

  g_assert_false (cd_test_run_openssl (fixture->tmpdir,
                                       (const char *[]) { "pkey", "-in", path, "-passin",
                                                          "pass:wrong", "-noout", NULL },
                                       NULL, NULL));

  pub = cd_test_spawn_openssl (fixture->tmpdir, "pkey", "-in", path,
                               "-passin", "pass:correct horse battery staple", "-pubout", NULL);
  expected_pub = cd_test_spawn_openssl (fixture->tmpdir, "pkey", "-in", plain, "-pubout", NULL);
  g_assert_cmpstr (pub, ==, expected_pub);
}

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncResult *async = user_data;

  async->written = cd_key_write_finish (result, &async->error);
  g_main_loop_quit (async->loop);
}

static void
test_write_async (Fixture       *fixture,
                  gconstpointer  data)
{
  AsyncResult async = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE };
  g_autoptr(EVP_PKEY) key = generate (CD_KEY_TYPE_EC_P256);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *path = g_build_filename (fixture->tmpdir, "keys", "async.key", NULL);
  g_autofree char *second = g_build_filename (fixture->tmpdir, "keys", "second.key", NULL);

  cd_key_write_async (key, path, "pass phrase", NULL, write_done, &async);
  /* the task holds its own reference and copy of everything */
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  g_assert_true (async.written);
  g_assert_cmpuint (file_mode (path), ==, 0600);

  cd_key_write_async (key, path, NULL, NULL, write_done, &async);
  g_main_loop_run (async.loop);
  g_assert_false (async.written);
  g_assert_error (async.error, CD_ERROR, CD_ERROR_IO);
  g_clear_error (&async.error);

  g_cancellable_cancel (cancelled);
  cd_key_write_async (key, second, NULL, cancelled, write_done, &async);
  g_main_loop_run (async.loop);
  g_assert_false (async.written);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));
  g_clear_error (&async.error);

  g_main_loop_unref (async.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("/core/keygen/type-strings", test_key_type_strings);
  TEST ("/core/keygen/async", test_keygen_async);
  TEST ("/core/keygen/cancel-before", test_keygen_cancel_before);
  TEST ("/core/keygen/cancel-during", test_keygen_cancel_during);
  TEST ("/core/keygen/cancel-sync", test_keygen_cancel_sync);
  TEST ("/core/keygen/write-modes", test_write_modes);
  TEST ("/core/keygen/write-existing-dir", test_write_existing_dir);
  TEST ("/core/keygen/write-never-overwrites", test_write_never_overwrites);
  TEST ("/core/keygen/write-errors", test_write_errors);
  TEST ("/core/keygen/write-encrypted", test_write_encrypted);
  TEST ("/core/keygen/write-async", test_write_async);

  TEST_DATA ("/core/csr/verify-rsa2048", GINT_TO_POINTER (CD_KEY_TYPE_RSA_2048), test_verify);
  TEST_DATA ("/core/csr/verify-rsa3072", GINT_TO_POINTER (CD_KEY_TYPE_RSA_3072), test_verify);
  TEST_DATA ("/core/csr/verify-rsa4096", GINT_TO_POINTER (CD_KEY_TYPE_RSA_4096), test_verify);
  TEST_DATA ("/core/csr/verify-p256", GINT_TO_POINTER (CD_KEY_TYPE_EC_P256), test_verify);
  TEST_DATA ("/core/csr/verify-p384", GINT_TO_POINTER (CD_KEY_TYPE_EC_P384), test_verify);
  TEST ("/core/csr/subject-subsets", test_subject_subsets);
  TEST ("/core/csr/subject-string-types", test_subject_string_types);
  TEST ("/core/csr/san-order", test_san_order);
  TEST ("/core/csr/san-idn", test_san_idn);
  TEST ("/core/csr/pem", test_pem);
  TEST ("/core/csr/create-refuses", test_create_refuses);
  TEST ("/core/csr/create-refuses-weak-keys", test_create_refuses_weak_keys);
  TEST ("/core/csr/check/lengths", test_check_lengths);
  TEST ("/core/csr/check/common-name-length", test_check_common_name_length);
  TEST ("/core/csr/check/country", test_check_country);
  TEST ("/core/csr/check/country-in-csr", test_check_country_in_csr);
  TEST ("/core/csr/check/control-characters", test_check_control_characters);
  TEST ("/core/csr/check/dns-names", test_check_dns_names);
  TEST ("/core/csr/check/wildcards", test_check_wildcards);
  TEST ("/core/csr/check/duplicates", test_check_duplicates);
  TEST ("/core/csr/check/no-name", test_check_no_name);
  TEST ("/core/csr/check/ou-warning", test_check_ou_warning);
  TEST ("/core/csr/check/order", test_check_order);
  TEST ("/core/csr/summary", test_summary);
  TEST ("/core/csr/request-copy", test_request_copy);

  return g_test_run ();
}
