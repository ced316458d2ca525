// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-keystore-jks"

#include "config.h"

#include <openssl/evp.h>
#include <string.h>

#include "cd-cert-info.h"
#include "cd-error.h"
#include "cd-keystore.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* JKS and JCEKS against keytool (OpenJDK 17), both ways: what Certdesk writes, keytool lists
 * and exports; what keytool writes, Certdesk lists and opens. Every keytool call starts a JVM
 * (a few tenths of a second), so each test makes few of them. */

#define PASSWORD        "changeit"
#define KEY_PASSWORD    "k3y-only"
#define UMLAUT_PASSWORD "pässwörd"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)

/* One PKI for the program: a root, an intermediate, an RSA and an EC server certificate. */
static CdTestPki *pki;
static const char *dir;

static const char *const rsa_chain[] = { "leaf-rsa", "inter", "root", NULL };
static const char *const ec_chain[] = { "leaf-ec", "inter", "root", NULL };

static gboolean
skip_without_keytool (void)
{
  return !cd_test_require_tool ("keytool", "OpenJDK 17");
}

/* Runs keytool in the PKI directory (in English and UTF-8 whatever the caller's locale).
 * @output receives stdout and stderr. */
static gboolean
keytool_v (char       **output,
           const char  *first_arg,
           va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean ok;

  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  ok = cd_test_run_keytool (dir, (const char * const *) argv->pdata, &out, &err);
  if (output != NULL)
    *output = g_strconcat (out, err, NULL);
  return ok;
}

/* keytool must succeed; its output otherwise fails the test. */
static char *
keytool_ok (const char *first_arg,
            ...) G_GNUC_NULL_TERMINATED;

static char *
keytool_ok (const char *first_arg,
            ...)
{
  va_list args;
  char *output = NULL;
  gboolean ok;

  va_start (args, first_arg);
  ok = keytool_v (&output, first_arg, args);
  va_end (args);
  if (!ok)
    g_error ("keytool failed:\n%s", output);
  return output;
}

/* An entry as `keytool -list -v` shows it. */
typedef struct
{
  char      *alias;
  char      *type;         /* "trustedCertEntry", "PrivateKeyEntry" */
  guint      chain_length; /* 1 for a trusted certificate */
  GPtrArray *fingerprints; /* SHA-256, "AB:CD:...", in chain order */
} Listed;

static void
listed_free (Listed *listed)
{
  g_free (listed->alias);
  g_free (listed->type);
  g_ptr_array_unref (listed->fingerprints);
  g_free (listed);
}

static GPtrArray *
keytool_list (const char *file,
              const char *store_type,
              const char *password)
{
  g_autofree char *output = keytool_ok ("-list", "-v", "-keystore", file, "-storetype",
                                        store_type, "-storepass", password, NULL);
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) listed_free);
  Listed *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "Alias name: "))
        {
          current = g_new0 (Listed, 1);
          current->alias = g_strdup (line + strlen ("Alias name: "));
          current->chain_length = 1;
          current->fingerprints = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (entries, current);
        }
      else if (current == NULL)
        continue;
      else if (g_str_has_prefix (line, "Entry type: "))
        current->type = g_strdup (line + strlen ("Entry type: "));
      else if (g_str_has_prefix (line, "Certificate chain length: "))
        current->chain_length = atoi (line + strlen ("Certificate chain length: "));
      else if (g_str_has_prefix (line, "SHA256: "))
        g_ptr_array_add (current->fingerprints, g_strdup (line + strlen ("SHA256: ")));
    }
  return entries;
}

/* The entry with exactly this alias; there must be one. */
static CdKeystoreEntry *
find_exact (CdKeystore *store,
            const char *alias)
{
  for (guint i = 0; i < cd_keystore_get_n_entries (store); i++)
    {
      CdKeystoreEntry *entry = cd_keystore_get_entry (store, i);

      if (g_str_equal (entry->alias, alias))
        return entry;
    }
  g_error ("the keystore has no entry “%s”", alias);
}

/* @store holds what keytool lists: the same aliases, kinds, chains and fingerprints. */
static void
assert_same_as_keytool (CdKeystore *store,
                        GPtrArray  *listed)
{
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, listed->len);
  for (guint i = 0; i < listed->len; i++)
    {
      const Listed *expected = g_ptr_array_index (listed, i);
      CdKeystoreEntry *entry = find_exact (store, expected->alias);

      g_test_message ("%s: %s, %u certificates", expected->alias, expected->type,
                      expected->chain_length);
      g_assert_nonnull (entry);
      g_assert_cmpstr (expected->type, ==,
                       entry->kind == CD_KEYSTORE_ENTRY_PRIVATE_KEY ? "PrivateKeyEntry"
                                                                   : "trustedCertEntry");
      g_assert_cmpuint (entry->chain->len, ==, expected->chain_length);
      g_assert_cmpuint (expected->fingerprints->len, ==, expected->chain_length);
      for (guint j = 0; j < entry->chain->len; j++)
        {
          g_autofree char *fingerprint =
            cd_cert_info_fingerprint (g_ptr_array_index (entry->chain, j), G_CHECKSUM_SHA256);

          g_assert_cmpstr (fingerprint, ==, g_ptr_array_index (expected->fingerprints, j));
        }
    }
}

static CdKeystore *
load_ok (const char *file,
         const char *password,
         const char *key_password)
{
  g_autofree char *path = cd_test_pki_path (pki, file);
  g_autoptr(GError) error = NULL;
  CdKeystore *store = cd_keystore_load (path, password, key_password, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
save_ok (CdKeystore *store,
         const char *file,
         const char *password)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = cd_keystore_serialize (store, password, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  cd_test_write_file (dir, file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
assert_key_is (CdKeystoreEntry *entry,
               const char      *pki_name)
{
  g_autoptr(EVP_PKEY) original = cd_test_pki_load_key (pki, pki_name);

  g_assert_false (entry->locked);
  g_assert_nonnull (entry->key);
  g_assert_cmpint (EVP_PKEY_eq (entry->key, original), ==, 1);
}

static void
add_key_entry (CdKeystore         *store,
               const char         *alias,
               const char         *pki_name,
               const char * const *chain_names)
{
  g_autoptr(EVP_PKEY) key = cd_test_pki_load_key (pki, pki_name);
  g_autoptr(GPtrArray) chain = cd_test_pki_load_certs (pki, chain_names);
  g_autoptr(GError) error = NULL;

  cd_keystore_add_key (store, alias, key, chain, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
}

static void
add_trusted (CdKeystore *store,
             const char *alias,
             const char *pki_name)
{
  g_autoptr(X509) cert = cd_test_pki_load_cert (pki, pki_name);
  g_autoptr(GError) error = NULL;

  cd_keystore_add_certificate (store, alias, cert, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
}

/* A PKCS#12 with the key of @pki_name and its chain, as openssl exports it. */
static void
make_pkcs12 (const char *file,
             const char *pki_name,
             const char *chain_file,
             const char *friendly_name)
{
  g_autofree char *in = g_strconcat (pki_name, ".pem", NULL);
  g_autofree char *key = g_strconcat (pki_name, ".key", NULL);

  g_free (cd_test_spawn_openssl (dir, "pkcs12", "-export", "-in", in, "-inkey", key, "-certfile",
                                 chain_file, "-name", friendly_name, "-out", file, "-passout",
                                 "pass:" PASSWORD, NULL));
}

/* The public key of a PEM private key file, as `openssl pkey -pubout` prints it. */
static char *
openssl_public_key (const char *key_file)
{
  return cd_test_spawn_openssl (dir, "pkey", "-in", key_file, "-pubout", NULL);
}

/* keytool exports the key entry @alias of the JKS @file to PKCS#12; openssl's view of its key
 * has the public key of @pki_name. */
static void
assert_keytool_exports_key (const char *file,
                            const char *alias,
                            const char *pki_name)
{
  g_autofree char *p12 = g_strconcat (alias, "-export.p12", NULL);
  g_autofree char *pem = g_strconcat (alias, "-export.key", NULL);
  g_autofree char *original_key = g_strconcat (pki_name, ".key", NULL);
  g_autofree char *listed = NULL;
  g_autofree char *extracted = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;

  g_free (keytool_ok ("-importkeystore", "-srckeystore", file, "-srcstoretype", "JKS",
                      "-destkeystore", p12, "-deststoretype", "PKCS12", "-srcstorepass",
                      PASSWORD, "-deststorepass", PASSWORD, "-srcalias", alias, "-srckeypass",
                      PASSWORD, "-destkeypass", PASSWORD, "-noprompt", NULL));
  extracted = cd_test_spawn_openssl (dir, "pkcs12", "-in", p12, "-nocerts", "-nodes", "-passin",
                                     "pass:" PASSWORD, "-out", pem, NULL);
  expected = openssl_public_key (original_key);
  actual = openssl_public_key (pem);
  g_assert_cmpstr (actual, ==, expected);
}

/* --- the keystores: each test makes its own, under file names of its own, with these ---- */

/* A file the test is about to make: no other test made it before. */
static void
assert_new_file (const char *file)
{
  g_autofree char *path = cd_test_pki_path (pki, file);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* What Certdesk makes: trusted certificates under aliases in mixed case and beyond the BMP,
 * an RSA and an EC key entry with their chains. */
static CdKeystore *
make_certdesk_store (void)
{
  CdKeystore *store = cd_keystore_new (CD_KEYSTORE_JKS);

  add_trusted (store, "Data-Center ROOT", "root");
  add_trusted (store, "Intermediate-CA", "inter");
  add_trusted (store, "LEAF-EC-Trusted", "leaf-ec");
  /* modified UTF-8: a supplementary character is two surrogates of three bytes each */
  add_trusted (store, "Zertifikat-ÄÖÜ-\xF0\x9F\x94\x91", "root");
  add_key_entry (store, "Server-RSA", "leaf-rsa", rsa_chain);
  add_key_entry (store, "Server-EC", "leaf-ec", ec_chain);
  return store;
}

/* What keytool makes, as DESIGN.md describes the DBA's job: certificates imported one by one
 * (the root as "MixedCase", the intermediate) and the RSA key with its chain from an openssl
 * PKCS#12 ("server"). */
static void
make_keytool_jks (const char *file)
{
  assert_new_file (file);
  g_free (keytool_ok ("-importcert", "-trustcacerts", "-noprompt", "-alias", "MixedCase", "-file",
                      "root.pem", "-keystore", file, "-storetype", "JKS", "-storepass",
                      PASSWORD, NULL));
  g_free (keytool_ok ("-importcert", "-trustcacerts", "-noprompt", "-alias", "inter", "-file",
                      "inter.pem", "-keystore", file, "-storetype", "JKS", "-storepass",
                      PASSWORD, NULL));
  g_free (keytool_ok ("-importkeystore", "-srckeystore", "server-rsa.p12", "-srcstoretype",
                      "PKCS12", "-srcstorepass", PASSWORD, "-destkeystore", file,
                      "-deststoretype", "JKS", "-deststorepass", PASSWORD, "-noprompt", NULL));
}

/* keytool's JKS under a non-ASCII store and key password: the root and the EC key entry. */
static void
make_umlaut_jks (const char *file)
{
  assert_new_file (file);
  g_free (keytool_ok ("-importcert", "-trustcacerts", "-noprompt", "-alias", "root", "-file",
                      "root.pem", "-keystore", file, "-storetype", "JKS", "-storepass",
                      UMLAUT_PASSWORD, NULL));
  g_free (keytool_ok ("-importkeystore", "-srckeystore", "server-ec.p12", "-srcstoretype",
                      "PKCS12", "-srcstorepass", PASSWORD, "-destkeystore", file,
                      "-deststoretype", "JKS", "-deststorepass", UMLAUT_PASSWORD, "-destkeypass",
                      UMLAUT_PASSWORD, "-noprompt", NULL));
}

/* --- the tests --------------------------------------------------------------------------- */

/* Certdesk writes; keytool lists the same entries and exports the keys. */
static void
test_certdesk_writes (void)
{
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  static const char *const expected_aliases[] = {
    "data-center root", "intermediate-ca", "leaf-ec-trusted", "server-ec", "server-rsa",
    "zertifikat-äöü-\xF0\x9F\x94\x91", NULL
  };

  if (skip_without_keytool ())
    return;

  store = make_certdesk_store ();
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, g_strv_length ((char **) expected_aliases));
  for (guint i = 0; expected_aliases[i] != NULL; i++)
    g_assert_cmpstr (cd_keystore_get_entry (store, i)->alias, ==, expected_aliases[i]);
  /* found as Java finds them, whatever the case */
  g_assert_true (cd_keystore_lookup (store, "zertifikat-ÄöÜ-\xF0\x9F\x94\x91")
                 == cd_keystore_get_entry (store, 5));
  g_assert_true (cd_keystore_lookup (store, "SERVER-rsa") == cd_keystore_get_entry (store, 4));

  assert_new_file ("certdesk.jks");
  save_ok (store, "certdesk.jks", PASSWORD);
  listed = keytool_list ("certdesk.jks", "JKS", PASSWORD);
  assert_same_as_keytool (store, listed);
  for (guint i = 0; i < listed->len; i++)
    {
      const Listed *entry = g_ptr_array_index (listed, i);

      if (g_str_equal (entry->alias, "server-rsa"))
        g_assert_cmpuint (entry->chain_length, ==, 3);
    }

  assert_keytool_exports_key ("certdesk.jks", "server-rsa", "leaf-rsa");
  assert_keytool_exports_key ("certdesk.jks", "server-ec", "leaf-ec");
}

/* keytool writes (certificates one by one, as DESIGN.md describes the DBA's job, and a key
 * from an openssl PKCS#12); Certdesk lists the same and recovers the key; keytool lists what
 * Certdesk writes back. */
static void
test_keytool_writes (void)
{
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(CdKeystore) again = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) relisted = NULL;

  if (skip_without_keytool ())
    return;

  make_keytool_jks ("keytool.jks");
  listed = keytool_list ("keytool.jks", "JKS", PASSWORD);
  g_assert_cmpuint (listed->len, ==, 3);

  store = load_ok ("keytool.jks", PASSWORD, NULL);
  g_assert_cmpint (cd_keystore_get_store_type (store), ==, CD_KEYSTORE_JKS);
  assert_same_as_keytool (store, listed);
  /* keytool lower-cases the alias it is given */
  g_assert_nonnull (find_exact (store, "mixedcase"));
  g_assert_true (cd_keystore_lookup (store, "MixedCase") == find_exact (store, "mixedcase"));
  assert_key_is (find_exact (store, "server"), "leaf-rsa");
  g_assert_cmpint (find_exact (store, "server")->created, >, 0);

  /* written back, keytool reads the same */
  save_ok (store, "keytool-again.jks", PASSWORD);
  relisted = keytool_list ("keytool-again.jks", "JKS", PASSWORD);
  assert_same_as_keytool (store, relisted);
  again = load_ok ("keytool-again.jks", PASSWORD, NULL);
  assert_same_as_keytool (again, listed);
  assert_key_is (find_exact (again, "server"), "leaf-rsa");
}

/* JKS takes any password (keytool stores it as UTF-16); the keys' protection too. */
static void
test_non_ascii_password (void)
{
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdKeystore) wrong = NULL;
  g_autofree char *path = cd_test_pki_path (pki, "umlaut.jks");

  if (skip_without_keytool ())
    return;

  make_umlaut_jks ("umlaut.jks");
  store = load_ok ("umlaut.jks", UMLAUT_PASSWORD, NULL);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 2);
  assert_key_is (find_exact (store, "server"), "leaf-ec");

  /* the same letters in another encoding are another password */
  wrong = cd_keystore_load (path, "passwort", NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  g_assert_null (wrong);

  save_ok (store, "umlaut-again.jks", UMLAUT_PASSWORD);
  listed = keytool_list ("umlaut-again.jks", "JKS", UMLAUT_PASSWORD);
  assert_same_as_keytool (store, listed);
}

/* A key password of its own: listed but locked without it, open with it. */
static void
test_key_password (void)
{
  g_autoptr(CdKeystore) locked = NULL;
  g_autoptr(CdKeystore) open = NULL;
  g_autoptr(CdKeystore) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CdKeystoreEntry *entry;

  if (skip_without_keytool ())
    return;

  g_free (keytool_ok ("-importkeystore", "-srckeystore", "server-rsa.p12", "-srcstoretype",
                      "PKCS12", "-srcstorepass", PASSWORD, "-destkeystore", "keypass.jks",
                      "-deststoretype", "JKS", "-deststorepass", PASSWORD, "-destkeypass",
                      KEY_PASSWORD, "-noprompt", NULL));

  locked = load_ok ("keypass.jks", PASSWORD, NULL);
  entry = find_exact (locked, "server");
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->kind, ==, CD_KEYSTORE_ENTRY_PRIVATE_KEY);
  g_assert_true (entry->locked);
  g_assert_null (entry->key);
  g_assert_cmpuint (entry->chain->len, ==, 3);

  /* a locked key cannot be written again */
  bytes = cd_keystore_serialize (locked, PASSWORD, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  g_assert_null (bytes);

  open = load_ok ("keypass.jks", PASSWORD, KEY_PASSWORD);
  assert_key_is (find_exact (open, "server"), "leaf-rsa");

  /* saved, the key is protected by the store password, as keytool assumes by default */
  save_ok (open, "keypass-again.jks", PASSWORD);
  again = load_ok ("keypass-again.jks", PASSWORD, NULL);
  assert_key_is (find_exact (again, "server"), "leaf-rsa");
}

/* Loading and saving with the same password gives the same bytes: timestamps are kept and a
 * key keeps the protection it was read with. keytool writes entries in the order of its hash
 * table, Certdesk by alias: where the orders differ, the entries are compared instead. */
static void
test_roundtrip (void)
{
  static const char *const files[] = {
    "roundtrip-certdesk.jks", "roundtrip-keytool.jks", "roundtrip-umlaut.jks"
  };
  static const char *const passwords[] = { PASSWORD, PASSWORD, UMLAUT_PASSWORD };

  if (skip_without_keytool ())
    return;

  {
    g_autoptr(CdKeystore) made = make_certdesk_store ();

    assert_new_file (files[0]);
    save_ok (made, files[0], PASSWORD);
  }
  make_keytool_jks (files[1]);
  make_umlaut_jks (files[2]);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(CdKeystore) store = NULL;
      g_autoptr(CdKeystore) again = NULL;
      g_autoptr(GBytes) original = NULL;
      g_autoptr(GBytes) written = NULL;
      g_autoptr(GError) error = NULL;

      store = load_ok (files[i], passwords[i], NULL);
      original = cd_test_read_file (dir, files[i]);
      written = cd_keystore_serialize (store, passwords[i], &error);
      g_assert_no_error (error);

      if (g_bytes_equal (original, written))
        {
          g_test_message ("%s: written back byte for byte", files[i]);
          continue;
        }

      /* only the order may differ: same size, same entries, same timestamps */
      g_test_message ("%s: keytool's entry order differs from Certdesk's; comparing entries",
                      files[i]);
      /* Certdesk's own keystore comes back byte for byte */
      g_assert_cmpuint (i, >, 0);
      g_assert_cmpuint (g_bytes_get_size (written), ==, g_bytes_get_size (original));
      again = cd_keystore_load_bytes (written, files[i], passwords[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (cd_keystore_get_n_entries (again), ==, cd_keystore_get_n_entries (store));
      for (guint j = 0; j < cd_keystore_get_n_entries (store); j++)
        {
          CdKeystoreEntry *a = cd_keystore_get_entry (store, j);
          CdKeystoreEntry *b = cd_keystore_get_entry (again, j);

          g_assert_cmpstr (a->alias, ==, b->alias);
          g_assert_cmpint (a->kind, ==, b->kind);
          g_assert_cmpint (a->created, ==, b->created);
          g_assert_cmpuint (a->chain->len, ==, b->chain->len);
          for (guint k = 0; k < a->chain->len; k++)
            g_assert_cmpint (X509_cmp (g_ptr_array_index (a->chain, k),
                                       g_ptr_array_index (b->chain, k)), ==, 0);
          if (a->key != NULL)
            g_assert_cmpint (EVP_PKEY_eq (a->key, b->key), ==, 1);
        }
    }
}

/* Another password re-protects the keys: the old one opens nothing any more. */
static void
test_change_password (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdKeystore) loaded = NULL;
  g_autoptr(CdKeystore) changed = NULL;
  g_autoptr(CdKeystore) with_old_key_password = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GError) error = NULL;

  add_key_entry (store, "server", "leaf-ec", ec_chain);
  first = cd_keystore_serialize (store, "first-password", &error);
  g_assert_no_error (error);

  loaded = cd_keystore_load_bytes (first, "first", "first-password", NULL, &error);
  g_assert_no_error (error);
  second = cd_keystore_serialize (loaded, "second-password", &error);
  g_assert_no_error (error);

  changed = cd_keystore_load_bytes (second, "second", "second-password", NULL, &error);
  g_assert_no_error (error);
  assert_key_is (cd_keystore_get_entry (changed, 0), "leaf-ec");

  with_old_key_password = cd_keystore_load_bytes (second, "second", "second-password",
                                                  "first-password", &error);
  g_assert_no_error (error);
  g_assert_true (cd_keystore_get_entry (with_old_key_password, 0)->locked);
}

/* Modified UTF-8 as Java's writeUTF writes it, and back. */
static void
test_alias_encoding (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdKeystore) loaded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(X509) cert = cd_test_pki_load_cert (pki, "root");
  g_autofree char *long_alias = cd_test_repeat ("\xE2\x82\xAC", 21846); /* € x 3 bytes */
  /* "é" and U+1D11E: 2 bytes, and a surrogate pair of 3 + 3 bytes (not UTF-8's 4) */
  static const guint8 expected[] = { 0x00, 0x0A, 'c', 'l', 0xC3, 0xA9, 0xED, 0xA0, 0xB4, 0xED,
                                     0xB4, 0x9E };
  const guint8 *data;
  gsize length;

  add_trusted (store, "CL\xC3\x89\xF0\x9D\x84\x9E", "root");
  bytes = cd_keystore_serialize (store, PASSWORD, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &length);
  g_assert_cmpuint (length, >, 16 + sizeof expected);
  g_assert_cmpmem (data + 16, sizeof expected, expected, sizeof expected);

  loaded = cd_keystore_load_bytes (bytes, "aliases", PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_keystore_get_entry (loaded, 0)->alias, ==, "cl\xC3\xA9\xF0\x9D\x84\x9E");

  /* 65,538 bytes in modified UTF-8: more than writeUTF can say */
  g_clear_pointer (&bytes, g_bytes_unref);
  cd_keystore_add_certificate (store, long_alias, cert, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  bytes = cd_keystore_serialize (store, PASSWORD, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_assert_null (bytes);
}

/* A renamed entry is written under its new alias, lower-cased, in its new place. */
static void
test_rename (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdKeystore) loaded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  add_trusted (store, "alpha", "root");
  add_trusted (store, "beta", "inter");
  add_key_entry (store, "server", "leaf-ec", ec_chain);
  g_assert_true (cd_keystore_rename (store, "server", "A-Server", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 3);
  g_assert_cmpstr (cd_keystore_get_entry (store, 0)->alias, ==, "a-server");

  g_assert_false (cd_keystore_rename (store, "alpha", "BETA", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  bytes = cd_keystore_serialize (store, PASSWORD, &error);
  g_assert_no_error (error);
  loaded = cd_keystore_load_bytes (bytes, "renamed", PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (loaded), ==, 3);
  g_assert_cmpstr (cd_keystore_get_entry (loaded, 0)->alias, ==, "a-server");
  g_assert_cmpstr (cd_keystore_get_entry (loaded, 1)->alias, ==, "alpha");
  g_assert_cmpstr (cd_keystore_get_entry (loaded, 2)->alias, ==, "beta");
  assert_key_is (cd_keystore_get_entry (loaded, 0), "leaf-ec");
}

/* No store password: keytool lists a JKS without checking its integrity; keys stay locked
 * unless their own password is given. Writing always needs one. */
static void
test_null_password (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdKeystore) unverified = NULL;
  g_autoptr(CdKeystore) with_key_password = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GError) error = NULL;

  add_trusted (store, "root", "root");
  add_key_entry (store, "server", "leaf-ec", ec_chain);
  bytes = cd_keystore_serialize (store, PASSWORD, &error);
  g_assert_no_error (error);

  /* as keytool -list without a password: entries listed, integrity not checked, keys locked */
  unverified = cd_keystore_load_bytes (bytes, "store", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (unverified), ==, 2);
  g_assert_true (cd_keystore_lookup (unverified, "server")->locked);
  g_assert_false (cd_keystore_lookup (unverified, "root")->locked);

  with_key_password = cd_keystore_load_bytes (bytes, "store", NULL, PASSWORD, &error);
  g_assert_no_error (error);
  assert_key_is (cd_keystore_lookup (with_key_password, "server"), "leaf-ec");

  /* a JKS always has a password */
  none = cd_keystore_serialize (store, NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_assert_null (none);
}

/* JCEKS: keytool writes, Certdesk lists (and opens the key: PBEWithMD5AndTripleDES), and
 * refuses to write one. */
static void
test_jceks (void)
{
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(CdKeystore) other_key_password = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cd_test_pki_path (pki, "store.jceks");
  g_autofree char *saved = cd_test_pki_path (pki, "saved.jceks");

  if (skip_without_keytool ())
    return;

  g_free (keytool_ok ("-importcert", "-trustcacerts", "-noprompt", "-alias", "Root", "-file",
                      "root.pem", "-keystore", "store.jceks", "-storetype", "JCEKS",
                      "-storepass", PASSWORD, NULL));
  g_free (keytool_ok ("-importkeystore", "-srckeystore", "server-rsa.p12", "-srcstoretype",
                      "PKCS12", "-srcstorepass", PASSWORD, "-destkeystore", "store.jceks",
                      "-deststoretype", "JCEKS", "-deststorepass", PASSWORD, "-noprompt", NULL));
  listed = keytool_list ("store.jceks", "JCEKS", PASSWORD);

  store = load_ok ("store.jceks", PASSWORD, NULL);
  g_assert_cmpint (cd_keystore_get_store_type (store), ==, CD_KEYSTORE_JCEKS);
  assert_same_as_keytool (store, listed);
  g_assert_nonnull (find_exact (store, "root"));
  assert_key_is (find_exact (store, "server"), "leaf-rsa");

  other_key_password = load_ok ("store.jceks", PASSWORD, "not-the-key-password");
  g_assert_true (find_exact (other_key_password, "server")->locked);

  bytes = cd_keystore_serialize (store, PASSWORD, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  g_assert_null (bytes);
  g_clear_error (&error);

  g_assert_false (cd_keystore_save (store, saved, PASSWORD, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (saved, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_clear_pointer (&store, cd_keystore_free);
  store = cd_keystore_load (path, "wrong", NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
  g_assert_null (store);
}

int
main (int    argc,
      char **argv)
{
  CdTestCertSpec rsa = { .dns = (const char *[]) { "t.mail.brand.example", NULL },
                         .key_type = CD_TEST_KEY_RSA_2048 };
  CdTestCertSpec ec = { .dns = (const char *[]) { "m.mail.brand.example", NULL } };
  int result;

  g_test_init (&argc, &argv, NULL);

  pki = cd_test_pki_new ();
  dir = cd_test_pki_get_dir (pki);
  cd_test_pki_make_root (pki, "root");
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_issue (pki, "leaf-rsa", "inter", &rsa);
  cd_test_pki_issue (pki, "leaf-ec", "inter", &ec);
  cd_test_pki_bundle (pki, "ca-chain", "inter", "root", NULL);
  make_pkcs12 ("server-rsa.p12", "leaf-rsa", "ca-chain.pem", "Server");
  make_pkcs12 ("server-ec.p12", "leaf-ec", "ca-chain.pem", "Server");

  g_test_add_func ("/core/keystore/jks/certdesk-writes", test_certdesk_writes);
  g_test_add_func ("/core/keystore/jks/keytool-writes", test_keytool_writes);
  g_test_add_func ("/core/keystore/jks/non-ascii-password", test_non_ascii_password);
  g_test_add_func ("/core/keystore/jks/key-password", test_key_password);
  g_test_add_func ("/core/keystore/jks/roundtrip", test_roundtrip);
  g_test_add_func ("/core/keystore/jks/change-password", test_change_password);
  g_test_add_func ("/core/keystore/jks/alias-encoding", test_alias_encoding);
  g_test_add_func ("/core/keystore/jks/rename", test_rename);
  g_test_add_func ("/core/keystore/jks/null-password", test_null_password);
  g_test_add_func ("/core/keystore/jks/jceks", test_jceks);

  result = g_test_run ();
  cd_test_pki_free (pki);
  return result;
}
