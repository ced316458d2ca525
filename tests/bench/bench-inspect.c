// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "bench-inspect"

#include "config.h"

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>

#include "cd-bundle.h"
#include "cd-cert-info.h"
#include "cd-test-util.h"

/* Inspecting a bundle of 1,000 certificates with Certdesk, next to what an administrator would
 * otherwise run:
 *
 *   openssl storeutl -certs -noout -text BUNDLE           (one process for the whole bundle)
 *   openssl x509 -noout -subject -fingerprint -sha256 -dates -ext subjectAltName   (once per
 *   certificate, on files split from the bundle, as a shell loop does)
 *
 * Certdesk is timed in process (load and describe every certificate: what the app does) and as
 * `certdesk-cli inspect --json` (a process, like openssl). The bundle is made in process with
 * OpenSSL (EC P-256, a CA and 1,000 leaves with three DNS names each). Nothing is asserted. */

#define N_CERTIFICATES 1000

static X509 *
make_certificate (EVP_PKEY   *key,
                  EVP_PKEY   *issuer_key,
                  X509_NAME  *issuer,
                  guint       serial,
                  const char *cn)
{
  X509 *cert = X509_new ();
  X509_NAME *name = X509_NAME_new ();
  X509V3_CTX ctx;
  g_autofree char *san = g_strdup_printf ("DNS:%s,DNS:m.%s,DNS:res.%s", cn, cn, cn);
  X509_EXTENSION *ext;

  X509_set_version (cert, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (cert), serial);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const unsigned char *) cn, -1, -1, 0);
  X509_set_subject_name (cert, name);
  X509_set_issuer_name (cert, issuer != NULL ? issuer : name);
  X509_gmtime_adj (X509_getm_notBefore (cert), 0);
  X509_gmtime_adj (X509_getm_notAfter (cert), 90 * 86400);
  X509_set_pubkey (cert, key);
  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_subject_alt_name, san);
  X509_add_ext (cert, ext, -1);
  X509_EXTENSION_free (ext);
  X509_sign (cert, issuer_key, EVP_sha256 ());
  X509_NAME_free (name);
  return cert;
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
run_command (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
  return elapsed_ms (start);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("certdesk-bench-inspect-XXXXXX", &error);
  g_autofree char *bundle_path = g_build_filename (dir, "bundle.pem", NULL);
  const char *cli = g_getenv ("CERTDESK_CLI");
  EVP_PKEY *ca_key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  EVP_PKEY *key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  X509 *ca = make_certificate (ca_key, ca_key, NULL, 1, "Bench CA");
  BIO *out = BIO_new_file (bundle_path, "w");
  double in_process, cli_ms = -1, storeutl, loop = 0;
  gint64 start;

  g_assert_no_error (error);

  for (guint i = 0; i < N_CERTIFICATES; i++)
    {
      g_autofree char *cn = g_strdup_printf ("t%u.mail.brand.example", i);
      g_autofree char *single = g_strdup_printf ("%s/%u.pem", dir, i);
      X509 *cert = make_certificate (key, ca_key, X509_get_subject_name (ca), i + 2, cn);
      BIO *one = BIO_new_file (single, "w");

      PEM_write_bio_X509 (out, cert);
      PEM_write_bio_X509 (one, cert);
      BIO_free (one);
      X509_free (cert);
    }
  BIO_free (out);

  start = g_get_monotonic_time ();
  {
    g_autoptr(CdBundle) bundle = cd_bundle_load_file (bundle_path, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bundle->certificates->len, ==, N_CERTIFICATES);
    for (guint i = 0; i < bundle->certificates->len; i++)
      cd_cert_info_free (cd_cert_info_new (g_ptr_array_index (bundle->certificates, i)));
  }
  in_process = elapsed_ms (start);

  if (cli != NULL)
    cli_ms = run_command ((const char *[]) { cli, "inspect", "--json", bundle_path, NULL });

  storeutl = run_command ((const char *[]) { "openssl", "storeutl", "-certs", "-noout", "-text",
                                             bundle_path, NULL });

  for (guint i = 0; i < N_CERTIFICATES; i++)
    {
      g_autofree char *single = g_strdup_printf ("%s/%u.pem", dir, i);

      loop += run_command ((const char *[]) { "openssl", "x509", "-noout", "-subject",
                                              "-fingerprint", "-sha256", "-dates", "-ext",
                                              "subjectAltName", "-in", single, NULL });
    }

  printf ("Inspecting %d certificates (EC P-256, three DNS names each)\n", N_CERTIFICATES);
  printf ("  %-52s %10.1f ms\n", "Certdesk, in process (load + describe each)", in_process);
  if (cli_ms >= 0)
    printf ("  %-52s %10.1f ms\n", "certdesk-cli inspect --json BUNDLE", cli_ms);
  printf ("  %-52s %10.1f ms\n", "openssl storeutl -certs -noout -text BUNDLE", storeutl);
  printf ("  %-52s %10.1f ms\n", "openssl x509 ..., once per certificate", loop);

  EVP_PKEY_free (ca_key);
  EVP_PKEY_free (key);
  X509_free (ca);
  cd_test_remove_tree (dir);
  return 0;
}
