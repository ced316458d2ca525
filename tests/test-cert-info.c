// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "cd-cert-info.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* Certificates are made once per run with the openssl CLI, and everything cd-cert-info says
 * about them is compared with what the same CLI prints. */
static char *workdir;

/* The text after "@key" up to the end of its line, in openssl's output. */
static char *
value_after (const char *output,
             const char *key)
{
  const char *start = strstr (output, key);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (key);
  end = strchr (start, '\n');
  return g_strstrip (g_strndup (start, end != NULL ? (gsize) (end - start) : strlen (start)));
}

static void
assert_strv_equal (char       **actual,
                   const char  *const *expected)
{
  g_assert_nonnull (actual);
  g_assert_cmpuint (g_strv_length (actual), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (actual[i], ==, expected[i]);
}

/* Everything openssl prints about @name equals what cd-cert-info says. */
static CdCertInfo *
inspect_and_compare (const char *name)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);
  g_autofree char *text = cd_test_spawn_openssl (workdir, "x509", "-in", path, "-noout",
                                                 "-serial", "-dates", "-subject", "-issuer",
                                                 "-nameopt", "RFC2253", "-fingerprint", "-sha256",
                                                 "-ext", "subjectAltName", "-text", NULL);
  g_autofree char *sha1 = cd_test_spawn_openssl (workdir, "x509", "-in", path, "-noout",
                                                 "-fingerprint", "-sha1", NULL);
  g_autofree char *expected_sha256 = value_after (text, "Fingerprint=");
  g_autofree char *expected_sha1 = value_after (sha1, "Fingerprint=");
  g_autofree char *expected_serial = value_after (text, "serial=");
  g_autofree char *not_before = value_after (text, "notBefore=");
  g_autofree char *not_after = value_after (text, "notAfter=");
  g_autofree char *subject = value_after (text, "subject=");
  g_autofree char *issuer = value_after (text, "issuer=");
  g_autofree char *signature = value_after (text, "Signature Algorithm:");
  g_autofree char *version = value_after (text, "Version:");
  g_autoptr(GPtrArray) dns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ips = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  X509 *cert = cd_test_load_certificate (path);
  CdCertInfo *info = cd_cert_info_new (cert);
  const char *san_line;

  g_test_message ("%s: %s", name, info->subject);
  g_assert_cmpstr (info->sha256_fingerprint, ==, expected_sha256);
  g_assert_cmpstr (info->sha1_fingerprint, ==, expected_sha1);
  g_assert_cmpstr (info->serial, ==, expected_serial);
  g_assert_cmpstr (info->subject, ==, subject);
  g_assert_cmpstr (info->issuer, ==, issuer);
  g_assert_cmpstr (info->signature_algorithm, ==, signature);
  g_assert_cmpint (info->version, ==, atoi (version));

  g_assert_cmpint (info->not_before, ==, cd_test_parse_openssl_time (not_before));
  g_assert_cmpint (info->not_after, ==, cd_test_parse_openssl_time (not_after));
  before_text = cd_cert_info_format_time (info->not_before);
  after_text = cd_cert_info_format_time (info->not_after);
  g_assert_cmpstr (info->not_before_text, ==, before_text);
  g_assert_cmpstr (info->not_after_text, ==, after_text);

  /* "X509v3 Subject Alternative Name: \n    DNS:a, IP Address:2001:DB8:0:0:0:0:0:1", first
   * from -ext, then again in -text */
  san_line = strstr (text, "X509v3 Subject Alternative Name:");
  if (san_line != NULL)
    {
      g_autofree char *line = value_after (san_line, "\n");
      g_auto(GStrv) parts = g_strsplit (line, ", ", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          if (g_str_has_prefix (parts[i], "DNS:"))
            g_ptr_array_add (dns, g_strdup (parts[i] + strlen ("DNS:")));
          else if (g_str_has_prefix (parts[i], "IP Address:"))
            {
              /* OpenSSL 3.0 writes IPv6 in full; compare in RFC 5952 form */
              g_autoptr(GInetAddress) address =
                g_inet_address_new_from_string (parts[i] + strlen ("IP Address:"));

              g_assert_nonnull (address);
              g_ptr_array_add (ips, g_inet_address_to_string (address));
            }
        }
    }
  g_ptr_array_add (dns, NULL);
  g_ptr_array_add (ips, NULL);
  assert_strv_equal (info->dns_names, (const char *const *) dns->pdata);
  assert_strv_equal (info->ip_addresses, (const char *const *) ips->pdata);

  if (g_str_equal (info->public_key->type, "rsa") || g_str_equal (info->public_key->type, "ec"))
    {
      g_autofree char *bits = g_strdup_printf ("Public-Key: (%u bit)", info->public_key->bits);

      g_assert_nonnull (strstr (text, bits));
    }
  if (g_str_equal (info->public_key->type, "ec"))
    {
      g_autofree char *oid = value_after (text, "ASN1 OID:");
      g_autofree char *nist = value_after (text, "NIST CURVE:");

      g_assert_cmpstr (info->public_key->curve_name, ==, oid);
      g_assert_cmpstr (info->public_key->curve_nist, ==, nist);
    }

  X509_free (cert);
  return info;
}

static void
test_root_ca (void)
{
  static const char *const usage[] = { "keyCertSign", "cRLSign", NULL };
  static const char *const none[] = { NULL };
  g_autoptr(CdCertInfo) info = inspect_and_compare ("root.pem");

  g_assert_cmpstr (info->subject, ==, "CN=Certdesk Test Root,O=Certdesk Tests,C=DE");
  g_assert_cmpstr (info->issuer, ==, info->subject);
  g_assert_cmpstr (info->common_name, ==, "Certdesk Test Root");
  g_assert_cmpstr (info->organization, ==, "Certdesk Tests");
  g_assert_cmpstr (info->country, ==, "DE");
  g_assert_null (info->organizational_unit);
  g_assert_cmpstr (info->serial, ==, "01");
  g_assert_cmpint (info->version, ==, 3);
  g_assert_true (info->has_basic_constraints);
  g_assert_true (info->is_ca);
  g_assert_cmpint (info->path_length, ==, 1);
  g_assert_true (info->has_key_usage);
  assert_strv_equal (info->key_usage, usage);
  assert_strv_equal (info->extended_key_usage, none);
  assert_strv_equal (info->dns_names, none);
  g_assert_cmpstr (info->public_key->type, ==, "rsa");
  g_assert_cmpuint (info->public_key->bits, ==, 2048);
  g_assert_null (info->public_key->curve_name);
  g_assert_cmpstr (info->signature_algorithm, ==, "sha256WithRSAEncryption");
  g_assert_cmpstr (info->signature_algorithm_short, ==, "RSA-SHA256");
  g_assert_true (info->self_signed);
}

static void
test_intermediate_ca (void)
{
  g_autoptr(CdCertInfo) info = inspect_and_compare ("intermediate.pem");

  g_assert_cmpstr (info->issuer, ==, "CN=Certdesk Test Root,O=Certdesk Tests,C=DE");
  g_assert_true (info->is_ca);
  g_assert_cmpint (info->path_length, ==, 0);
  g_assert_false (info->self_signed);
  g_assert_cmpstr (info->public_key->type, ==, "ec");
  g_assert_cmpuint (info->public_key->bits, ==, 384);
  g_assert_cmpstr (info->public_key->curve_name, ==, "secp384r1");
  g_assert_cmpstr (info->public_key->curve_nist, ==, "P-384");
  /* signed by the RSA root */
  g_assert_cmpstr (info->signature_algorithm, ==, "sha256WithRSAEncryption");
}

static void
test_leaf_p256 (void)
{
  static const char *const dns[] = { "t.mail.example.com", "xn--bcher-kva.example", NULL };
  static const char *const ips[] = { "192.0.2.10", "2001:db8::1", NULL };
  static const char *const usage[] = { "digitalSignature", NULL };
  static const char *const extended[] = { "serverAuth", "clientAuth", NULL };
  g_autoptr(CdCertInfo) info = inspect_and_compare ("leaf-p256.pem");

  assert_strv_equal (info->dns_names, dns);
  assert_strv_equal (info->ip_addresses, ips);
  assert_strv_equal (info->key_usage, usage);
  assert_strv_equal (info->extended_key_usage, extended);
  g_assert_cmpstr (info->common_name, ==, "t.mail.example.com");
  g_assert_cmpstr (info->organization, ==, "Brand GmbH");
  g_assert_cmpstr (info->organizational_unit, ==, "Marketing");
  g_assert_cmpstr (info->country, ==, "DE");
  g_assert_cmpstr (info->state, ==, "Bavaria");
  g_assert_cmpstr (info->locality, ==, "München");
  /* RFC 4514 as OpenSSL writes it: bytes beyond ASCII escaped */
  g_assert_nonnull (strstr (info->subject, "L=M\\C3\\BCnchen"));
  /* the high bit is set, so DER adds a zero byte that the serial does not show */
  g_assert_cmpstr (info->serial, ==, "F1E2D3C4B5A69788");
  g_assert_true (info->has_basic_constraints);
  g_assert_false (info->is_ca);
  g_assert_cmpint (info->path_length, ==, -1);
  g_assert_false (info->self_signed);
  g_assert_cmpstr (info->public_key->type, ==, "ec");
  g_assert_cmpuint (info->public_key->bits, ==, 256);
  g_assert_cmpstr (info->public_key->curve_name, ==, "prime256v1");
  g_assert_cmpstr (info->public_key->curve_nist, ==, "P-256");
  g_assert_cmpstr (info->signature_algorithm, ==, "ecdsa-with-SHA384");
  g_assert_cmpint (info->not_after - info->not_before, ==, 200 * 86400);
}

static void
test_rsa4096_sha1 (void)
{
  g_autoptr(CdCertInfo) info = inspect_and_compare ("rsa4096-sha1.pem");

  g_assert_cmpstr (info->public_key->type, ==, "rsa");
  g_assert_cmpuint (info->public_key->bits, ==, 4096);
  g_assert_cmpstr (info->signature_algorithm, ==, "sha1WithRSAEncryption");
  g_assert_cmpstr (info->signature_algorithm_short, ==, "RSA-SHA1");
  g_assert_false (info->has_key_usage);
  g_assert_cmpuint (g_strv_length (info->key_usage), ==, 0);
  g_assert_false (info->self_signed);
}

static void
test_self_signed_p384 (void)
{
  static const char *const ips[] = { "198.51.100.7", NULL };
  g_autoptr(CdCertInfo) info = inspect_and_compare ("self-p384.pem");

  g_assert_true (info->self_signed);
  g_assert_false (info->is_ca);
  assert_strv_equal (info->ip_addresses, ips);
  g_assert_cmpstr (info->public_key->curve_nist, ==, "P-384");
  g_assert_cmpstr (info->signature_algorithm, ==, "ecdsa-with-SHA384");
}

/* Issuer and subject are the same name, but another key signed it. */
static void
test_same_name_not_self_signed (void)
{
  g_autoptr(CdCertInfo) info = inspect_and_compare ("same-name.pem");

  g_assert_cmpstr (info->issuer, ==, info->subject);
  g_assert_false (info->self_signed);
}

static void
test_ed25519 (void)
{
  g_autoptr(CdCertInfo) info = inspect_and_compare ("ed25519.pem");

  g_assert_cmpstr (info->public_key->type, ==, "ed25519");
  g_assert_null (info->public_key->curve_name);
  g_assert_cmpstr (info->signature_algorithm, ==, "ED25519");
  g_assert_true (info->self_signed);
}

static void
check_key (const char *name,
           const char *type,
           guint       bits,
           const char *curve_name,
           const char *curve_nist)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);
  EVP_PKEY *pkey = cd_test_load_private_key (path);
  g_autoptr(CdKeyInfo) info = cd_key_info_new (pkey);

  g_assert_cmpstr (info->type, ==, type);
  g_assert_cmpuint (info->bits, ==, bits);
  g_assert_cmpstr (info->curve_name, ==, curve_name);
  g_assert_cmpstr (info->curve_nist, ==, curve_nist);
  EVP_PKEY_free (pkey);
}

static void
test_key_info (void)
{
  check_key ("root.key", "rsa", 2048, NULL, NULL);
  check_key ("rsa4096.key", "rsa", 4096, NULL, NULL);
  check_key ("intermediate.key", "ec", 384, "secp384r1", "P-384");
  check_key ("leaf-p256.key", "ec", 256, "prime256v1", "P-256");
  check_key ("ed25519.key", "ed25519", 256, NULL, NULL);
}

static void
test_helpers (void)
{
  static const guint8 bytes[] = { 0x00, 0x0f, 0xab, 0xff };
  g_autofree char *pairs = cd_cert_info_format_hex_pairs (bytes, sizeof bytes);
  g_autofree char *none = cd_cert_info_format_hex_pairs (bytes, 0);
  g_autofree char *epoch = cd_cert_info_format_time (0);
  g_autofree char *last = cd_cert_info_format_time (G_GINT64_CONSTANT (253402300799));
  g_autofree char *before_epoch = cd_cert_info_format_time (-1);
  g_autofree char *out_of_range = cd_cert_info_format_time (G_GINT64_CONSTANT (253402300800));
  ASN1_TIME *time = ASN1_TIME_new ();
  gint64 seconds = 0;

  g_assert_cmpstr (pairs, ==, "00:0F:AB:FF");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00Z");
  g_assert_cmpstr (last, ==, "9999-12-31T23:59:59Z");
  g_assert_cmpstr (before_epoch, ==, "1969-12-31T23:59:59Z");
  g_assert_null (out_of_range);

  /* UTCTime stops at 2049; GeneralizedTime takes over */
  g_assert_true (ASN1_TIME_set_string (time, "491231235959Z"));
  g_assert_true (cd_cert_info_time_to_unix (time, &seconds));
  g_assert_cmpint (seconds, ==, G_GINT64_CONSTANT (2524607999));
  g_assert_true (ASN1_TIME_set_string (time, "500101000000Z"));
  g_assert_true (cd_cert_info_time_to_unix (time, &seconds));
  g_assert_cmpint (seconds, ==, G_GINT64_CONSTANT (-631152000));
  g_assert_true (ASN1_TIME_set_string (time, "20500101000000Z"));
  g_assert_true (cd_cert_info_time_to_unix (time, &seconds));
  g_assert_cmpint (seconds, ==, G_GINT64_CONSTANT (2524608000));
  g_assert_false (cd_cert_info_time_to_unix (NULL, &seconds));
  ASN1_TIME_free (time);
}

static void
test_name_fields (void)
{
  X509_NAME *name = X509_NAME_new ();
  g_autofree char *ou = NULL;
  g_autofree char *o = NULL;
  g_autofree char *cn = NULL;
  g_autofree char *text = NULL;

  X509_NAME_add_entry_by_txt (name, "OU", MBSTRING_UTF8, (const unsigned char *) "First", -1, -1,
                              0);
  X509_NAME_add_entry_by_txt (name, "OU", MBSTRING_UTF8, (const unsigned char *) "Second", -1,
                              -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8,
                              (const unsigned char *) "a,b+c.example", -1, -1, 0);

  ou = cd_cert_info_name_get_field (name, "OU");
  o = cd_cert_info_name_get_field (name, "O");
  cn = cd_cert_info_name_get_field (name, "commonName");
  text = cd_cert_info_name_to_string (name);
  g_assert_cmpstr (ou, ==, "First");
  g_assert_null (o);
  g_assert_cmpstr (cn, ==, "a,b+c.example");
  g_assert_null (cd_cert_info_name_get_field (name, "NoSuchField"));
  /* RFC 4514 escapes the separators in values */
  g_assert_cmpstr (text, ==, "CN=a\\,b\\+c.example,OU=Second,OU=First");
  X509_NAME_free (name);
}

static void
make_fixtures (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) rsa4096 = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 start = g_get_monotonic_time ();

  /* RSA 4096 key generation takes seconds: it runs while the other certificates are made */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, workdir);
  rsa4096 = g_subprocess_launcher_spawn (launcher, &error, "openssl", "genpkey", "-algorithm",
                                         "RSA", "-pkeyopt", "rsa_keygen_bits:4096", "-out",
                                         "rsa4096.key", NULL);
  g_assert_no_error (error);

  /* no default extensions: each certificate gets exactly the ones asked for */
  cd_test_write_file (workdir, "req.cnf", "[req]\ndistinguished_name = dn\n[dn]\n", -1);

  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf",
                                 "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key",
                                 "-out", "root.pem", "-days", "3650", "-set_serial", "1",
                                 "-subj", "/C=DE/O=Certdesk Tests/CN=Certdesk Test Root",
                                 "-addext", "basicConstraints=critical,CA:TRUE,pathlen:1",
                                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-CA", "root.pem",
                                 "-CAkey", "root.key", "-newkey", "ec",
                                 "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
                                 "-keyout", "intermediate.key", "-out", "intermediate.pem",
                                 "-days", "1825",
                                 "-subj", "/C=DE/O=Certdesk Tests/CN=Certdesk Test Intermediate",
                                 "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
                                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-utf8",
                                 "-CA", "intermediate.pem", "-CAkey", "intermediate.key",
                                 "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", "leaf-p256.key", "-out", "leaf-p256.pem",
                                 "-days", "200", "-sha384", "-set_serial", "0xF1E2D3C4B5A69788",
                                 "-subj",
                                 "/C=DE/ST=Bavaria/L=München/O=Brand GmbH/OU=Marketing"
                                 "/CN=t.mail.example.com",
                                 "-addext",
                                 "subjectAltName=DNS:t.mail.example.com,DNS:xn--bcher-kva.example,"
                                 "IP:192.0.2.10,IP:2001:db8::1",
                                 "-addext", "basicConstraints=critical,CA:FALSE",
                                 "-addext", "keyUsage=critical,digitalSignature",
                                 "-addext", "extendedKeyUsage=serverAuth,clientAuth", NULL));
  /* the slow one, waited for below */
  g_assert_true (g_subprocess_wait_check (rsa4096, NULL, &error));
  g_assert_no_error (error);
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-CA", "root.pem",
                                 "-CAkey", "root.key", "-key", "rsa4096.key", "-sha1",
                                 "-out", "rsa4096-sha1.pem", "-days", "30",
                                 "-subj", "/O=Legacy Ltd/CN=legacy.example.net",
                                 "-addext", "subjectAltName=DNS:legacy.example.net", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-newkey", "ec",
                                 "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
                                 "-keyout", "self-p384.key", "-out", "self-p384.pem", "-days", "90",
                                 "-sha384", "-subj", "/CN=self.example.org",
                                 "-addext", "subjectAltName=DNS:self.example.org,IP:198.51.100.7",
                                 "-addext", "basicConstraints=critical,CA:FALSE", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf", "-CA", "root.pem",
                                 "-CAkey", "root.key", "-newkey", "ec",
                                 "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", "same-name.key", "-out", "same-name.pem", "-days", "30",
                                 "-subj", "/C=DE/O=Certdesk Tests/CN=Certdesk Test Root", NULL));
  g_free (cd_test_spawn_openssl (workdir, "req", "-x509", "-config", "req.cnf",
                                 "-newkey", "ed25519", "-nodes", "-keyout", "ed25519.key",
                                 "-out", "ed25519.pem", "-days", "30",
                                 "-subj", "/CN=ed25519.example", NULL));

  g_test_message ("fixtures made in %.1f s", (g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  workdir = g_dir_make_tmp ("certdesk-cert-info-XXXXXX", &error);
  g_assert_no_error (error);
  make_fixtures ();

  g_test_add_func ("/core/cert-info/root-ca", test_root_ca);
  g_test_add_func ("/core/cert-info/intermediate-ca-p384", test_intermediate_ca);
  g_test_add_func ("/core/cert-info/leaf-p256-san", test_leaf_p256);
  g_test_add_func ("/core/cert-info/rsa4096-sha1", test_rsa4096_sha1);
  g_test_add_func ("/core/cert-info/self-signed-p384", test_self_signed_p384);
  g_test_add_func ("/core/cert-info/same-name-not-self-signed", test_same_name_not_self_signed);
  g_test_add_func ("/core/cert-info/ed25519", test_ed25519);
  g_test_add_func ("/core/cert-info/key-info", test_key_info);
  g_test_add_func ("/core/cert-info/helpers", test_helpers);
  g_test_add_func ("/core/cert-info/name-fields", test_name_fields);

  result = g_test_run ();
  cd_test_remove_tree (workdir);
  g_free (workdir);
  return result;
}
