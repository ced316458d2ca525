// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "bench-keystore"

#include "config.h"

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>

#include "cd-bundle.h"
#include "cd-cert-info.h"
#include "cd-keystore-import.h"
#include "cd-keystore.h"
#include "cd-test-util.h"

/* Importing 1,000 CA certificates as trusted entries into a new JKS and a new PKCS#12 keystore
 * with Certdesk, next to what a DBA runs today:
 *
 *   keytool -importcert -trustcacerts -noprompt -alias A -file F -keystore K   once per
 *   certificate (a JVM start and a rewrite of the whole store each time: this takes minutes,
 *   so only the first BENCH_KEYTOOL_CALLS calls (default 100) run, and the time for 1,000 is
 *   extrapolated from them, and printed as such)
 *
 *   keytool -importkeystore from a PKCS#12 that holds the 1,000 certificates as trusted
 *   entries (made by Certdesk): one call, the fastest way keytool has
 *
 * and listing the 1,000-entry keystore (certdesk-cli keystore list --json beside keytool
 * -list). Certdesk is timed in process (load the bundle, plan, apply, save: what the app does)
 * and as one certdesk-cli call. The certificates are made in process with OpenSSL (EC P-256,
 * CA certificates issued by one root). Nothing about speed is asserted. */

#define N_CERTIFICATES 1000
#define PASSWORD       "changeit"

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
  X509_EXTENSION *ext;

  X509_set_version (cert, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (cert), serial);
  X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const unsigned char *) "Bench Trust",
                              -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const unsigned char *) cn, -1, -1, 0);
  X509_set_subject_name (cert, name);
  X509_set_issuer_name (cert, issuer != NULL ? issuer : name);
  X509_gmtime_adj (X509_getm_notBefore (cert), 0);
  X509_gmtime_adj (X509_getm_notAfter (cert), 3650L * 86400);
  X509_set_pubkey (cert, key);
  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_basic_constraints, "critical,CA:TRUE");
  X509_add_ext (cert, ext, -1);
  X509_EXTENSION_free (ext);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
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
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
  /* certdesk-cli exits 1 when it skipped something; nothing here should be skipped */
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s %s failed: %s\n%s", argv[0], argv[1], error->message, err);
  return elapsed_ms (start);
}

/* What the app does: load the bundle, plan, apply, save. */
static double
import_in_process (const char     *bundle_path,
                   const char     *keystore_path,
                   CdKeystoreType  type)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(CdBundle) bundle = cd_bundle_load_file (bundle_path, NULL, &error);
  g_autoptr(CdKeystore) store = cd_keystore_new (type);
  g_autoptr(CdImportPlan) plan = NULL;
  double ms;

  g_assert_no_error (error);
  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA, NULL, &error);
  g_assert_no_error (error);
  cd_keystore_apply_import (store, plan, NULL, &error);
  g_assert_no_error (error);
  cd_keystore_save (store, keystore_path, PASSWORD, &error);
  g_assert_no_error (error);
  ms = elapsed_ms (start);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, N_CERTIFICATES);
  return ms;
}

/* What keystore list does: load, and describe every entry. */
static double
list_in_process (const char *keystore_path)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(CdKeystore) store = cd_keystore_load (keystore_path, PASSWORD, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, N_CERTIFICATES);
  for (guint i = 0; i < cd_keystore_get_n_entries (store); i++)
    cd_cert_info_free (cd_cert_info_new (
      g_ptr_array_index (cd_keystore_get_entry (store, i)->chain, 0)));
  return elapsed_ms (start);
}

/* One keytool -importcert per certificate, for the first @calls certificates. */
static double
keytool_one_by_one (const char *dir,
                    const char *keystore_path,
                    const char *store_type,
                    guint       calls)
{
  double total = 0;

  for (guint i = 0; i < calls; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/%u.pem", dir, i);
      g_autofree char *alias = g_strdup_printf ("bench-ca-%04u", i);

      total += run_command ((const char *[]) { "keytool", "-importcert", "-trustcacerts",
                                               "-noprompt", "-alias", alias, "-file", file,
                                               "-keystore", keystore_path, "-storetype",
                                               store_type, "-storepass", PASSWORD, NULL });
    }
  return total;
}

typedef struct
{
  double in_process;
  double cli;
  double keytool_measured;
  double keytool_extrapolated;
  double importkeystore;
  double list_in_process;
  double list_cli;
  double keytool_list;
} Figures;

static char *
format_cell (double ms)
{
  if (ms < 0)
    return g_strdup ("-");
  if (ms >= 10000)
    return g_strdup_printf ("%.1f s", ms / 1000);
  return g_strdup_printf ("%.0f ms", ms);
}

static void
print_row (const char *label,
           double      jks,
           double      pkcs12)
{
  g_autofree char *a = format_cell (jks);
  g_autofree char *b = format_cell (pkcs12);

  printf ("  %-66s %10s %10s\n", label, a, b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("certdesk-bench-keystore-XXXXXX", &error);
  g_autofree char *bundle_path = g_build_filename (dir, "bundle.pem", NULL);
  g_autofree char *keytool = g_find_program_in_path ("keytool");
  const char *cli = g_getenv ("CERTDESK_CLI");
  const char *calls_env = g_getenv ("BENCH_KEYTOOL_CALLS");
  guint calls = calls_env != NULL ? (guint) g_ascii_strtoull (calls_env, NULL, 10) : 100;
  EVP_PKEY *root_key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  EVP_PKEY *key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  X509 *root = make_certificate (root_key, root_key, NULL, 1, "Bench Root");
  BIO *out = BIO_new_file (bundle_path, "w");
  const char *types[] = { "jks", "pkcs12" };
  const char *keytool_types[] = { "JKS", "PKCS12" };
  Figures figures[2];

  g_assert_no_error (error);
  calls = CLAMP (calls, 1, N_CERTIFICATES);

  for (guint i = 0; i < N_CERTIFICATES; i++)
    {
      g_autofree char *cn = g_strdup_printf ("Bench CA %04u", i);
      g_autofree char *single = g_strdup_printf ("%s/%u.pem", dir, i);
      X509 *cert = make_certificate (key, root_key, X509_get_subject_name (root), i + 2, cn);
      BIO *one = BIO_new_file (single, "w");

      PEM_write_bio_X509 (out, cert);
      PEM_write_bio_X509 (one, cert);
      BIO_free (one);
      X509_free (cert);
    }
  BIO_free (out);

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      Figures *f = &figures[t];
      CdKeystoreType type = t == 0 ? CD_KEYSTORE_JKS : CD_KEYSTORE_PKCS12;
      g_autofree char *in_process = g_strdup_printf ("%s/certdesk.%s", dir, types[t]);
      g_autofree char *by_cli = g_strdup_printf ("%s/cli.%s", dir, types[t]);
      g_autofree char *one_by_one = g_strdup_printf ("%s/keytool-one-by-one.%s", dir, types[t]);
      g_autofree char *imported = g_strdup_printf ("%s/keytool-importkeystore.%s", dir, types[t]);
      g_autofree char *source = g_strdup_printf ("%s/certdesk.pkcs12", dir);

      memset (f, 0, sizeof *f);
      f->cli = f->list_cli = f->keytool_measured = f->keytool_extrapolated = -1;
      f->importkeystore = f->keytool_list = -1;

      f->in_process = import_in_process (bundle_path, in_process, type);
      f->list_in_process = list_in_process (in_process);

      if (cli != NULL)
        {
          f->cli = run_command ((const char *[]) { cli, "keystore", "import", "--trust",
                                                   "--type", types[t], "--password", PASSWORD,
                                                   by_cli, bundle_path, NULL });
          f->list_cli = run_command ((const char *[]) { cli, "keystore", "list", "--json",
                                                        "--password", PASSWORD, by_cli, NULL });
        }

      if (keytool != NULL)
        {
          f->keytool_measured = keytool_one_by_one (dir, one_by_one, keytool_types[t], calls);
          f->keytool_extrapolated = f->keytool_measured * N_CERTIFICATES / calls;
          /* t == 0 ran first: the Certdesk-made PKCS#12 exists for both */
          if (t == 0)
            import_in_process (bundle_path, source, CD_KEYSTORE_PKCS12);
          f->importkeystore = run_command ((const char *[]) {
            "keytool", "-importkeystore", "-noprompt", "-srckeystore", source, "-srcstoretype",
            "PKCS12", "-srcstorepass", PASSWORD, "-destkeystore", imported, "-deststoretype",
            keytool_types[t], "-deststorepass", PASSWORD, NULL });
          f->keytool_list = run_command ((const char *[]) { "keytool", "-list", "-keystore",
                                                            in_process, "-storepass", PASSWORD,
                                                            NULL });
        }
    }

  printf ("Importing %d CA certificates (EC P-256) as trusted entries into a new keystore\n",
          N_CERTIFICATES);
  printf ("  %-66s %10s %10s\n", "", "JKS", "PKCS#12");
  print_row ("Certdesk, in process (load bundle, plan, apply, save)", figures[0].in_process,
             figures[1].in_process);
  print_row ("certdesk-cli keystore import --trust K BUNDLE (1 call)", figures[0].cli,
             figures[1].cli);
  {
    g_autofree char *measured = g_strdup_printf ("keytool -importcert, 1 call per certificate, "
                                                 "first %u: MEASURED", calls);
    g_autofree char *extrapolated = g_strdup_printf ("  the same for %d calls, EXTRAPOLATED "
                                                     "(x%.0f)",
                                                     N_CERTIFICATES,
                                                     (double) N_CERTIFICATES / calls);

    print_row (measured, figures[0].keytool_measured, figures[1].keytool_measured);
    print_row (extrapolated, figures[0].keytool_extrapolated, figures[1].keytool_extrapolated);
  }
  print_row ("keytool -importkeystore from a PKCS#12 (1 call)", figures[0].importkeystore,
             figures[1].importkeystore);
  printf ("Listing the %d-entry keystore\n", N_CERTIFICATES);
  print_row ("Certdesk, in process (load and describe every entry)",
             figures[0].list_in_process, figures[1].list_in_process);
  print_row ("certdesk-cli keystore list --json K", figures[0].list_cli, figures[1].list_cli);
  print_row ("keytool -list -keystore K", figures[0].keytool_list, figures[1].keytool_list);

  if (keytool != NULL && cli != NULL)
    for (guint t = 0; t < G_N_ELEMENTS (types); t++)
      printf ("%s: certdesk-cli import is %.0fx faster than one keytool call per certificate "
              "(extrapolated), %.1fx faster than keytool -importkeystore\n",
              keytool_types[t], figures[t].keytool_extrapolated / figures[t].cli,
              figures[t].importkeystore / figures[t].cli);
  if (keytool == NULL)
    printf ("keytool is not installed: its rows are empty\n");

  EVP_PKEY_free (root_key);
  EVP_PKEY_free (key);
  X509_free (root);
  cd_test_remove_tree (dir);
  return 0;
}
