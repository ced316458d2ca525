// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "bench-csr"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>

#include "cd-csr.h"
#include "cd-keygen.h"
#include "cd-test-util.h"

/* Generating a CSR (a new key, then the signed request) with Certdesk's code, next to what an
 * administrator would otherwise type:
 *
 *   openssl req -new -newkey rsa:2048 -nodes -keyout K -out R -subj ... -addext ...
 *
 * Certdesk is timed twice over the same rounds: in memory (key + CSR + PEM), and with the key
 * written as a file the way Certdesk stores it (atomic, fsync'ed) plus the .csr file. The
 * openssl figure includes starting the process and writing both files (without fsync).
 * RSA generation time varies a lot from key to key (it searches for primes), so these few
 * rounds (about 40 s in all) give rough figures; `--scale 3` runs three times as many.
 * Nothing here is an assertion. */

#define SUBJECT "/C=DE/ST=Bavaria/L=Munich/O=Example GmbH/CN=t.mail.brand.com"
#define SAN     "subjectAltName=DNS:t.mail.brand.com,DNS:m.mail.brand.com,DNS:res.mail.brand.com"

typedef struct
{
  CdKeyType   type;
  const char *newkey;     /* openssl req -newkey */
  const char *pkeyopt;    /* openssl req -pkeyopt, or NULL */
  guint       rounds;
} Case;

static const Case cases[] = {
  { CD_KEY_TYPE_RSA_2048, "rsa:2048", NULL, 30 },
  { CD_KEY_TYPE_RSA_3072, "rsa:3072", NULL, 12 },
  { CD_KEY_TYPE_RSA_4096, "rsa:4096", NULL, 8 },
  { CD_KEY_TYPE_EC_P256, "ec", "ec_paramgen_curve:P-256", 100 },
  { CD_KEY_TYPE_EC_P384, "ec", "ec_paramgen_curve:P-384", 100 },
};

static CdCsrRequest *
make_request (void)
{
  CdCsrRequest *request = cd_csr_request_new ();

  request->country = g_strdup ("DE");
  request->state = g_strdup ("Bavaria");
  request->locality = g_strdup ("Munich");
  request->organization = g_strdup ("Example GmbH");
  request->common_name = g_strdup ("t.mail.brand.com");
  cd_csr_request_add_host (request, "t.mail.brand.com");
  cd_csr_request_add_host (request, "m.mail.brand.com");
  cd_csr_request_add_host (request, "res.mail.brand.com");
  return request;
}

/* Milliseconds per CSR in memory (@memory_ms) and with the files written (@files_ms). */
static void
run_certdesk (const Case         *c,
              const CdCsrRequest *request,
              const char         *dir,
              guint               rounds,
              double             *memory_ms,
              double             *files_ms)
{
  gint64 memory_us = 0;
  gint64 files_us = 0;

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key_path = NULL;
      g_autofree char *csr_path = NULL;
      g_autofree char *pem = NULL;
      EVP_PKEY *key;
      X509_REQ *req;
      gint64 start = g_get_monotonic_time ();
      gint64 middle;

      key = cd_keygen (c->type, NULL, &error);
      req = key != NULL ? cd_csr_create (request, key, &error) : NULL;
      pem = req != NULL ? cd_csr_to_pem (req) : NULL;
      if (pem == NULL)
        g_error ("Certdesk could not make a CSR: %s", error != NULL ? error->message : "?");
      middle = g_get_monotonic_time ();

      key_path = g_strdup_printf ("%s/certdesk/%s-%u.key", dir, cd_key_type_to_string (c->type),
                                  i);
      csr_path = g_strdup_printf ("%s/certdesk/%s-%u.csr", dir, cd_key_type_to_string (c->type),
                                  i);
      if (!cd_key_write (key, key_path, NULL, &error) ||
          !g_file_set_contents (csr_path, pem, -1, &error))
        g_error ("Certdesk could not write the files: %s", error->message);

      memory_us += middle - start;
      files_us += g_get_monotonic_time () - start;
      X509_REQ_free (req);
      EVP_PKEY_free (key);
    }

  *memory_ms = memory_us / 1000.0 / rounds;
  *files_ms = files_us / 1000.0 / rounds;
}

/* Milliseconds per CSR, or a negative number when openssl is missing or fails. */
static double
run_openssl (const Case *c,
             const char *dir,
             guint       rounds)
{
  gint64 total_us = 0;

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key_path = g_strdup_printf ("%s/openssl/%s-%u.key", dir,
                                                   cd_key_type_to_string (c->type), i);
      g_autofree char *csr_path = g_strdup_printf ("%s/openssl/%s-%u.csr", dir,
                                                   cd_key_type_to_string (c->type), i);
      const char *argv[] = {
        "openssl", "req", "-new", "-newkey", c->newkey, "-nodes", "-sha256",
        "-keyout", key_path, "-out", csr_path, "-subj", SUBJECT, "-addext", SAN,
        c->pkeyopt != NULL ? "-pkeyopt" : NULL, c->pkeyopt, NULL,
      };
      int status = 0;
      gint64 start = g_get_monotonic_time ();

      if (!g_spawn_sync (NULL, (char **) argv, NULL,
                         G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                           G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, NULL, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        {
          g_printerr ("openssl req failed: %s\n", error->message);
          return -1;
        }
      total_us += g_get_monotonic_time () - start;
    }

  return total_us / 1000.0 / rounds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdCsrRequest) request = make_request ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *openssl = NULL;
  g_autofree char *openssl_dir = NULL;
  double scale = 1.0;
  const GOptionEntry entries[] = {
    { "scale", 's', 0, G_OPTION_ARG_DOUBLE, &scale, "Multiply the number of rounds", "FACTOR" },
    { NULL },
  };

  context = g_option_context_new ("- time CSR generation against openssl req");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || scale <= 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--scale must be positive");
      return 2;
    }

  dir = g_dir_make_tmp ("certdesk-bench-csr-XXXXXX", &error);
  g_assert_no_error (error);
  openssl_dir = g_build_filename (dir, "openssl", NULL);
  g_assert_no_errno (g_mkdir (openssl_dir, 0700));
  openssl = g_find_program_in_path ("openssl");

  printf ("CSR generation: new key + signed CSR (SHA-256, 3 SANs), mean per CSR\n");
  printf ("Library: %s; openssl tool: %s\n\n", OpenSSL_version (OPENSSL_VERSION),
          openssl != NULL ? openssl : "not found");
  printf ("%-9s %6s %15s %19s %15s\n", "key type", "rounds", "Certdesk ms", "Certdesk+files ms",
          "openssl req ms");
  fflush (stdout);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint rounds = MAX (1, (guint) (cases[i].rounds * scale + 0.5));
      double memory_ms, files_ms, openssl_ms = -1;

      run_certdesk (&cases[i], request, dir, rounds, &memory_ms, &files_ms);
      if (openssl != NULL)
        openssl_ms = run_openssl (&cases[i], dir, rounds);

      printf ("%-9s %6u %15.1f %19.1f ", cd_key_type_to_string (cases[i].type), rounds,
              memory_ms, files_ms);
      if (openssl_ms >= 0)
        printf ("%15.1f\n", openssl_ms);
      else
        printf ("%15s\n", "n/a");
      fflush (stdout);
    }

  printf ("\nopenssl req includes starting the process (run `openssl version` for its cost);\n"
          "Certdesk+files adds the atomic, fsync'ed key file and the .csr file.\n");

  cd_test_remove_tree (dir);
  return 0;
}
