// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-test-pki"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cd-test-pki.h"
#include "cd-test-util.h"

struct _CdTestPki
{
  char       *dir;
  /* file name -> absolute path, so that the paths handed out stay valid */
  GHashTable *paths;
  /* Unix seconds; 0: the current time */
  gint64      now;
};

/* `openssl ca` is the one tool in OpenSSL 3.0 that signs with an arbitrary notBefore.
 * -preserveDN keeps every field of the request, so the policy only has to exist; a random
 * serial spares a serial file, one shared database serves every issuer. */
static const char ca_config[] =
  "[ ca ]\n"
  "default_ca = cd_ca\n"
  "[ cd_ca ]\n"
  "database = index.txt\n"
  "serial = serial.txt\n"
  "new_certs_dir = newcerts\n"
  "unique_subject = no\n"
  "policy = cd_policy\n"
  "default_md = sha256\n"
  "email_in_dn = no\n"
  "copy_extensions = none\n"
  "[ cd_policy ]\n"
  "commonName = optional\n"
  "[ req ]\n"
  "distinguished_name = cd_dn\n"
  "prompt = no\n"
  "[ cd_dn ]\n"
  "CN = unused\n";

/* RSA 4096 takes seconds to generate: one per process. */
static char *shared_rsa4096_pem;

CdTestPki *
cd_test_pki_new (void)
{
  g_autoptr(GError) error = NULL;
  CdTestPki *pki = g_new0 (CdTestPki, 1);
  g_autofree char *config = NULL;
  g_autofree char *database = NULL;
  g_autofree char *newcerts = NULL;

  pki->dir = g_dir_make_tmp ("certdesk-pki-XXXXXX", &error);
  g_assert_no_error (error);
  pki->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  config = g_build_filename (pki->dir, "ca.cnf", NULL);
  g_file_set_contents (config, ca_config, -1, &error);
  g_assert_no_error (error);
  database = g_build_filename (pki->dir, "index.txt", NULL);
  g_file_set_contents (database, "", 0, &error);
  g_assert_no_error (error);
  newcerts = g_build_filename (pki->dir, "newcerts", NULL);
  g_assert_no_errno (g_mkdir (newcerts, 0700));

  return pki;
}

void
cd_test_pki_free (CdTestPki *pki)
{
  if (pki == NULL)
    return;

  cd_test_remove_tree (pki->dir);
  g_hash_table_unref (pki->paths);
  g_free (pki->dir);
  g_free (pki);
}

const char *
cd_test_pki_get_dir (CdTestPki *pki)
{
  g_assert_nonnull (pki);
  return pki->dir;
}

void
cd_test_pki_set_now (CdTestPki *pki,
                     gint64     now)
{
  g_assert_nonnull (pki);
  pki->now = now;
}

char *
cd_test_pki_path (CdTestPki  *pki,
                  const char *file_name)
{
  g_assert_nonnull (pki);
  g_assert_nonnull (file_name);
  return g_build_filename (pki->dir, file_name, NULL);
}

static const char *
kept_path (CdTestPki  *pki,
           const char *file_name)
{
  const char *path = g_hash_table_lookup (pki->paths, file_name);

  if (path == NULL)
    {
      char *built = g_build_filename (pki->dir, file_name, NULL);

      g_hash_table_insert (pki->paths, g_strdup (file_name), built);
      path = built;
    }
  return path;
}

/* @args is NULL-terminated (see args_new()). */
static gboolean
run_openssl (CdTestPki  *pki,
             GPtrArray  *args,
             char      **output)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean ok = cd_test_run_openssl (pki->dir, (const char * const *) args->pdata, &out, &err);

  if (output != NULL)
    *output = g_strconcat (out, err, NULL);
  return ok;
}

/* Runs openssl and fails the test with its output when it fails. */
static void
must_run_openssl (CdTestPki *pki,
                  GPtrArray *args)
{
  g_autofree char *output = NULL;

  if (!run_openssl (pki, args, &output))
    {
      g_autofree char *line = g_strjoinv (" ", (char **) args->pdata);

      g_error ("openssl %s failed:\n%s", line, output);
    }
}

/* A NULL-terminated array of arguments, as run_openssl() takes them. */
static GPtrArray *
args_new_valist (const char *first,
                 va_list     ap)
{
  GPtrArray *args = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  return args;
}

static GPtrArray *
args_new (const char *first,
          ...)
{
  GPtrArray *args;
  va_list ap;

  va_start (ap, first);
  args = args_new_valist (first, ap);
  va_end (ap);
  return args;
}

static void
args_add (GPtrArray  *args,
          const char *arg)
{
  g_ptr_array_add (args, g_strdup (arg));
}

gboolean
cd_test_pki_openssl (CdTestPki   *pki,
                     char       **output,
                     const char  *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) args = NULL;
  va_list ap;

  g_assert_nonnull (pki);
  va_start (ap, first_arg);
  args = args_new_valist (first_arg, ap);
  va_end (ap);

  return run_openssl (pki, args, output);
}

static void
generate_key (CdTestPki     *pki,
              const char    *file_name,
              CdTestKeyType  type)
{
  g_autoptr(GPtrArray) args = args_new ("genpkey", "-out", file_name, NULL);

  if (type == CD_TEST_KEY_RSA_4096 && shared_rsa4096_pem != NULL)
    {
      cd_test_write_file (pki->dir, file_name, shared_rsa4096_pem, -1);
      return;
    }

  switch (type)
    {
    case CD_TEST_KEY_RSA_1024:
    case CD_TEST_KEY_RSA_2048:
    case CD_TEST_KEY_RSA_4096:
      args_add (args, "-algorithm");
      args_add (args, "RSA");
      args_add (args, "-pkeyopt");
      args_add (args, type == CD_TEST_KEY_RSA_1024   ? "rsa_keygen_bits:1024"
                      : type == CD_TEST_KEY_RSA_2048 ? "rsa_keygen_bits:2048"
                                                     : "rsa_keygen_bits:4096");
      break;
    case CD_TEST_KEY_DEFAULT:
    case CD_TEST_KEY_EC_P256:
    case CD_TEST_KEY_EC_P384:
    case CD_TEST_KEY_EC_P224:
      args_add (args, "-algorithm");
      args_add (args, "EC");
      args_add (args, "-pkeyopt");
      args_add (args, type == CD_TEST_KEY_EC_P384   ? "ec_paramgen_curve:P-384"
                      : type == CD_TEST_KEY_EC_P224 ? "ec_paramgen_curve:secp224r1"
                                                    : "ec_paramgen_curve:P-256");
      break;
    default:
      g_assert_not_reached ();
    }
  must_run_openssl (pki, args);

  if (type == CD_TEST_KEY_RSA_4096)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = cd_test_pki_path (pki, file_name);

      g_file_get_contents (path, &shared_rsa4096_pem, NULL, &error);
      g_assert_no_error (error);
    }
}

const char *
cd_test_pki_make_key (CdTestPki     *pki,
                      const char    *name,
                      CdTestKeyType  type)
{
  g_autofree char *file_name = g_strconcat (name, ".key", NULL);

  g_assert_nonnull (pki);
  generate_key (pki, file_name, type);
  return kept_path (pki, file_name);
}

const char *
cd_test_pki_cert_path (CdTestPki  *pki,
                       const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".pem", NULL);
  const char *path;

  g_assert_nonnull (pki);
  path = kept_path (pki, file_name);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("the test PKI has no certificate “%s”", name);
  return path;
}

const char *
cd_test_pki_key_path (CdTestPki  *pki,
                      const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".key", NULL);
  const char *path;

  g_assert_nonnull (pki);
  path = kept_path (pki, file_name);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("the test PKI has no key “%s”", name);
  return path;
}

gint64
cd_test_pki_parse_time (const char *generalized_time)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, mo, d, h, mi, s;
  char z = 0;

  g_assert_nonnull (generalized_time);
  if (strlen (generalized_time) != 15
      || sscanf (generalized_time, "%4d%2d%2d%2d%2d%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7
      || z != 'Z')
    g_error ("“%s” is not a time of the form YYYYMMDDHHMMSSZ", generalized_time);
  dt = g_date_time_new_utc (y, mo, d, h, mi, s);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

char *
cd_test_pki_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  g_assert_nonnull (dt);
  return g_date_time_format (dt, "%Y%m%d%H%M%SZ");
}

static char *
extensions_for (const char           *name,
                const CdTestCertSpec *spec)
{
  GString *ext = g_string_new ("[ ext ]\n");

  g_string_append (ext, "subjectKeyIdentifier = hash\n"
                        "authorityKeyIdentifier = keyid:always\n");
  if (spec->ca)
    {
      g_string_append (ext, "basicConstraints = critical,CA:TRUE");
      if (spec->has_pathlen)
        g_string_append_printf (ext, ",pathlen:%u", spec->pathlen);
      g_string_append (ext, "\nkeyUsage = critical,keyCertSign,cRLSign\n");
    }
  else
    g_string_append (ext, "basicConstraints = critical,CA:FALSE\n"
                          "keyUsage = critical,digitalSignature,keyEncipherment\n"
                          "extendedKeyUsage = serverAuth\n");

  if ((spec->dns != NULL && spec->dns[0] != NULL) || (spec->ips != NULL && spec->ips[0] != NULL))
    {
      const char *sep = "";

      g_string_append (ext, "subjectAltName = ");
      for (guint i = 0; spec->dns != NULL && spec->dns[i] != NULL; i++, sep = ",")
        g_string_append_printf (ext, "%sDNS:%s", sep, spec->dns[i]);
      for (guint i = 0; spec->ips != NULL && spec->ips[i] != NULL; i++, sep = ",")
        g_string_append_printf (ext, "%sIP:%s", sep, spec->ips[i]);
      g_string_append_c (ext, '\n');
    }

  return g_string_free (ext, FALSE);
}

static const char *
make_certificate (CdTestPki            *pki,
                  const char           *name,
                  const char           *issuer,
                  const CdTestCertSpec *spec)
{
  g_autofree char *key_file = g_strconcat (name, ".key", NULL);
  g_autofree char *csr_file = g_strconcat (name, ".csr", NULL);
  g_autofree char *ext_file = g_strconcat (name, ".ext", NULL);
  g_autofree char *cert_file = g_strconcat (name, ".pem", NULL);
  g_autofree char *subject = NULL;
  g_autofree char *extensions = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr(GPtrArray) args = NULL;

  g_assert_nonnull (pki);
  g_assert_nonnull (name);
  g_assert_nonnull (spec);

  if (spec->key != NULL)
    {
      if (g_strcmp0 (spec->key, name) != 0)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *contents = NULL;
          gsize length;

          g_file_get_contents (cd_test_pki_key_path (pki, spec->key), &contents, &length, &error);
          g_assert_no_error (error);
          cd_test_write_file (pki->dir, key_file, contents, length);
        }
    }
  else
    generate_key (pki, key_file, spec->key_type);

  if (spec->subject != NULL)
    subject = g_strdup (spec->subject);
  else if (spec->dns != NULL && spec->dns[0] != NULL)
    subject = g_strconcat ("/CN=", spec->dns[0], NULL);
  else
    subject = g_strconcat ("/CN=", name, NULL);
  args = args_new ("req", "-config", "ca.cnf", "-new", "-utf8", "-key", key_file, "-subj",
                   subject, "-out", csr_file, NULL);
  must_run_openssl (pki, args);

  extensions = extensions_for (name, spec);
  cd_test_write_file (pki->dir, ext_file, extensions, -1);

  if (spec->not_before != NULL)
    start = g_strdup (spec->not_before);
  else
    {
      gint64 now = pki->now != 0 ? pki->now : g_get_real_time () / G_USEC_PER_SEC;

      start = cd_test_pki_format_time (now - 24 * 3600);
    }
  if (spec->not_after != NULL)
    end = g_strdup (spec->not_after);
  else
    {
      int days = spec->days != 0 ? spec->days : spec->ca ? 3650 : 90;

      end = cd_test_pki_format_time (cd_test_pki_parse_time (start) + (gint64) days * 24 * 3600);
    }

  g_clear_pointer (&args, g_ptr_array_unref);
  args = args_new ("ca", "-config", "ca.cnf", "-batch", "-notext", "-rand_serial", "-utf8",
                   "-preserveDN", "-in", csr_file, "-out", cert_file, "-startdate", start,
                   "-enddate", end, "-md", spec->digest != NULL ? spec->digest : "sha256",
                   "-extfile", ext_file, "-extensions", "ext", NULL);
  if (issuer == NULL)
    {
      args_add (args, "-selfsign");
      args_add (args, "-keyfile");
      args_add (args, key_file);
    }
  else
    {
      args_add (args, "-cert");
      args_add (args, cd_test_pki_cert_path (pki, issuer));
      args_add (args, "-keyfile");
      args_add (args, cd_test_pki_key_path (pki, issuer));
    }
  must_run_openssl (pki, args);

  return cd_test_pki_cert_path (pki, name);
}

const char *
cd_test_pki_make_self_signed (CdTestPki            *pki,
                              const char           *name,
                              const CdTestCertSpec *spec)
{
  const CdTestCertSpec root = { .ca = TRUE };

  return make_certificate (pki, name, NULL, spec != NULL ? spec : &root);
}

const char *
cd_test_pki_issue (CdTestPki            *pki,
                   const char           *name,
                   const char           *issuer,
                   const CdTestCertSpec *spec)
{
  g_assert_nonnull (issuer);

  if (spec == NULL)
    {
      const char *dns[] = { name, NULL };
      const CdTestCertSpec leaf = { .dns = dns };

      return make_certificate (pki, name, issuer, &leaf);
    }
  return make_certificate (pki, name, issuer, spec);
}

const char *
cd_test_pki_make_root (CdTestPki  *pki,
                       const char *name)
{
  return cd_test_pki_make_self_signed (pki, name, NULL);
}

const char *
cd_test_pki_make_intermediate (CdTestPki  *pki,
                               const char *name,
                               const char *issuer)
{
  const CdTestCertSpec spec = { .ca = TRUE };

  return cd_test_pki_issue (pki, name, issuer, &spec);
}

const char *
cd_test_pki_make_leaf (CdTestPki  *pki,
                       const char *name,
                       const char *issuer,
                       const char *dns)
{
  const char *names[] = { dns != NULL ? dns : name, NULL };
  g_autofree char *subject = g_strconcat ("/CN=", names[0], NULL);
  const CdTestCertSpec spec = { .subject = subject, .dns = names };

  return cd_test_pki_issue (pki, name, issuer, &spec);
}

const char *
cd_test_pki_bundle (CdTestPki  *pki,
                    const char *name,
                    const char *first_entry,
                    ...)
{
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autofree char *file_name = g_strconcat (name, ".pem", NULL);
  va_list ap;

  g_assert_nonnull (pki);
  va_start (ap, first_entry);
  for (const char *entry = first_entry; entry != NULL; entry = va_arg (ap, const char *))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pem = NULL;

      g_file_get_contents (cd_test_pki_cert_path (pki, entry), &pem, NULL, &error);
      g_assert_no_error (error);
      g_string_append (contents, pem);
    }
  va_end (ap);

  cd_test_write_file (pki->dir, file_name, contents->str, contents->len);
  return kept_path (pki, file_name);
}

int
cd_test_pki_verify (CdTestPki   *pki,
                    const char  *ca_file,
                    const char  *untrusted,
                    gint64       at,
                    const char  *cert,
                    char       **output)
{
  g_autoptr(GPtrArray) args = args_new ("verify", NULL);
  g_autofree char *out = NULL;
  const char *error_line;
  int code = -1;

  g_assert_nonnull (pki);
  g_assert_nonnull (cert);

  if (ca_file != NULL)
    {
      args_add (args, "-CAfile");
      args_add (args, ca_file);
    }
  if (untrusted != NULL)
    {
      args_add (args, "-untrusted");
      args_add (args, untrusted);
    }
  if (at != 0)
    {
      args_add (args, "-attime");
      g_ptr_array_add (args, g_strdup_printf ("%" G_GINT64_FORMAT, at));
    }
  args_add (args, cert);

  if (run_openssl (pki, args, &out))
    code = 0;
  else
    {
      /* "error 20 at 0 depth lookup: unable to get local issuer certificate" */
      error_line = strstr (out, "error ");
      while (error_line != NULL && sscanf (error_line, "error %d at", &code) != 1)
        error_line = strstr (error_line + 1, "error ");
      if (error_line == NULL)
        g_error ("openssl verify failed without an error number:\n%s", out);
    }

  if (output != NULL)
    *output = g_steal_pointer (&out);
  return code;
}
