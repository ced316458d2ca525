// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <gio/gio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <string.h>

#include "cd-cert-info.h"
#include "cd-error.h"
#include "cd-keystore.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* PKCS#12 keystores against the real keytool (OpenJDK 17) and openssl: what Certdesk writes,
 * keytool lists and exports; what keytool and openssl write, Certdesk lists as keytool does.
 * keytool costs a JVM start per call, so the calls are few; the PKI is made once, in main(). */

#define PASSWORD "changeit"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

#define TRUSTED_KEY_USAGE_OID      "2.16.840.1.113894.746875.1.1"
#define ANY_EXTENDED_KEY_USAGE_OID "2.5.29.37.0"

/* root -> inter -> rsa (RSA 2048), ec (P-256) */
static CdTestPki *pki;

/* --- keytool ----------------------------------------------------------------------------- */

static gboolean
have_keytool (void)
{
  return cd_test_require_tool ("keytool", "OpenJDK 17");
}

/* Runs keytool in the PKI directory (in English whatever the caller's locale); stdout goes to
 * @out. Fails the test when it fails. */
static void
run_keytool (char       **out,
             const char  *first_arg,
             ...) G_GNUC_NULL_TERMINATED;

static void
run_keytool (char       **out,
             const char  *first_arg,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!cd_test_run_keytool (cd_test_pki_get_dir (pki), (const char * const *) argv->pdata,
                            &stdout_text, &stderr_text))
    g_error ("keytool %s failed:\n%s%s", first_arg, stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
}

typedef struct
{
  char      *alias;
  char      *kind;         /* "trustedCertEntry", "PrivateKeyEntry" */
  guint      chain_length; /* as printed for key entries; 1 for trusted ones */
  GPtrArray *fingerprints; /* char*, SHA-256, in keytool's order */
} KeytoolEntry;

static void
keytool_entry_free (KeytoolEntry *entry)
{
  g_free (entry->alias);
  g_free (entry->kind);
  g_ptr_array_unref (entry->fingerprints);
  g_free (entry);
}

/* The entries of `keytool -list -v`. */
static GPtrArray *
keytool_list (const char *file)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) keytool_entry_free);
  KeytoolEntry *entry = NULL;
  int count = -1;

  run_keytool (&out, "-list", "-v", "-storetype", "PKCS12", "-keystore", file, "-storepass",
               PASSWORD, NULL);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (sscanf (line, "Your keystore contains %d", &count) == 1)
        continue;
      if (g_str_has_prefix (line, "Alias name: "))
        {
          entry = g_new0 (KeytoolEntry, 1);
          entry->alias = g_strdup (line + strlen ("Alias name: "));
          entry->fingerprints = g_ptr_array_new_with_free_func (g_free);
          entry->chain_length = 1;
          g_ptr_array_add (entries, entry);
        }
      else if (entry != NULL && g_str_has_prefix (line, "Entry type: "))
        entry->kind = g_strdup (line + strlen ("Entry type: "));
      else if (entry != NULL && g_str_has_prefix (line, "Certificate chain length: "))
        entry->chain_length = atoi (line + strlen ("Certificate chain length: "));
      else if (entry != NULL && g_str_has_prefix (line, "SHA256: "))
        g_ptr_array_add (entry->fingerprints, g_strdup (line + strlen ("SHA256: ")));
    }
  g_assert_cmpint (count, ==, (int) entries->len);
  return entries;
}

static char *
fingerprint (X509 *cert)
{
  return cd_cert_info_fingerprint (cert, G_CHECKSUM_SHA256);
}

/* keytool lists @file with @store's aliases, kinds, chains and fingerprints. keytool sorts
 * its listing by alias; Certdesk keeps the file's order, so entries are matched by alias. */
static void
assert_keytool_agrees (CdKeystore *store,
                       const char *file)
{
  g_autoptr(GPtrArray) listed = keytool_list (file);

  g_assert_cmpuint (listed->len, ==, cd_keystore_get_n_entries (store));
  for (guint i = 0; i < listed->len; i++)
    {
      KeytoolEntry *expected = g_ptr_array_index (listed, i);
      CdKeystoreEntry *entry = cd_keystore_lookup (store, expected->alias);

      g_assert_nonnull (entry);
      /* keytool shows PKCS#12 aliases in lower case, and so does Certdesk after a load */
      g_assert_cmpstr (entry->alias, ==, expected->alias);
      g_assert_cmpstr (expected->kind, ==,
                       entry->kind == CD_KEYSTORE_ENTRY_PRIVATE_KEY ? "PrivateKeyEntry"
                                                                    : "trustedCertEntry");
      g_assert_cmpuint (expected->chain_length, ==, entry->chain->len);
      g_assert_cmpuint (expected->fingerprints->len, ==, entry->chain->len);
      for (guint j = 0; j < entry->chain->len; j++)
        {
          g_autofree char *actual = fingerprint (g_ptr_array_index (entry->chain, j));

          g_assert_cmpstr (actual, ==, g_ptr_array_index (expected->fingerprints, j));
        }
    }
}

/* --- fixtures and checks ----------------------------------------------------------------- */

static char *
pki_path (const char *name)
{
  return cd_test_pki_path (pki, name);
}

/* The chain of @entry is the certificates of these PKI entries. */
static void
assert_chain (CdKeystoreEntry    *entry,
              const char * const *names)
{
  guint n = g_strv_length ((char **) names);

  g_assert_cmpuint (entry->chain->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(X509) expected = cd_test_pki_load_cert (pki, names[i]);

      g_assert_cmpint (X509_cmp (g_ptr_array_index (entry->chain, i), expected), ==, 0);
    }
}

static void
assert_key (CdKeystoreEntry *entry,
            const char      *name)
{
  g_autoptr(EVP_PKEY) expected = cd_test_pki_load_key (pki, name);

  g_assert_nonnull (entry->key);
  g_assert_false (entry->locked);
  g_assert_cmpint (EVP_PKEY_eq (entry->key, expected), ==, 1);
}

static CdKeystore *
load_ok (const char *file,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pki_path (file);
  CdKeystore *store = cd_keystore_load (path, password, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (cd_keystore_get_store_type (store), ==, CD_KEYSTORE_PKCS12);
  return store;
}

static GPtrArray *
load_chain (const char * const *names)
{
  return cd_test_pki_load_certs (pki, names);
}

/* Two trusted certificates and two key entries with their chains, made with Certdesk. */
static CdKeystore *
make_store (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_PKCS12);
  g_autoptr(GError) error = NULL;
  g_autoptr(X509) root = cd_test_pki_load_cert (pki, "root");
  g_autoptr(X509) inter = cd_test_pki_load_cert (pki, "inter");
  g_autoptr(EVP_PKEY) rsa_key = cd_test_pki_load_key (pki, "rsa");
  g_autoptr(EVP_PKEY) ec_key = cd_test_pki_load_key (pki, "ec");
  g_autoptr(GPtrArray) rsa_chain = load_chain ((const char *[]) { "rsa", "inter", "root", NULL });
  g_autoptr(GPtrArray) ec_chain = load_chain ((const char *[]) { "ec", "inter", "root", NULL });

  g_assert_true (cd_keystore_add_certificate (store, "Root CA", root, 0, &error));
  g_assert_true (cd_keystore_add_key (store, "RSA-Server", rsa_key, rsa_chain, 0, &error));
  g_assert_true (cd_keystore_add_certificate (store, "inter", inter, 0, &error));
  g_assert_true (cd_keystore_add_key (store, "ec-server", ec_key, ec_chain, 0, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static void
save_ok (CdKeystore *store,
         const char *file,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pki_path (file);

  g_assert_true (cd_keystore_save (store, path, password, &error));
  g_assert_no_error (error);
}

/* The same entries in the same order, with the same chains, keys and dates. */
static void
assert_same_entries (CdKeystore *a,
                     CdKeystore *b)
{
  g_assert_cmpuint (cd_keystore_get_n_entries (a), ==, cd_keystore_get_n_entries (b));
  for (guint i = 0; i < cd_keystore_get_n_entries (a); i++)
    {
      CdKeystoreEntry *x = cd_keystore_get_entry (a, i);
      CdKeystoreEntry *y = cd_keystore_get_entry (b, i);

      g_assert_cmpstr (x->alias, ==, y->alias);
      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpint (x->created, ==, y->created);
      g_assert_cmpuint (x->chain->len, ==, y->chain->len);
      for (guint j = 0; j < x->chain->len; j++)
        g_assert_cmpint (X509_cmp (g_ptr_array_index (x->chain, j),
                                   g_ptr_array_index (y->chain, j)), ==, 0);
      g_assert_cmpint (x->locked, ==, y->locked);
      g_assert_true ((x->key == NULL) == (y->key == NULL));
      if (x->key != NULL)
        g_assert_cmpint (EVP_PKEY_eq (x->key, y->key), ==, 1);
    }
}

static char *
public_key_pem (EVP_PKEY *key)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;

  g_assert_cmpint (PEM_write_bio_PUBKEY (bio, key), ==, 1);
  length = BIO_get_mem_data (bio, &data);
  return g_strndup (data, length);
}

/* The PEM block of the key openssl printed after "friendlyName: @alias". */
static char *
key_block_after (const char *text,
                 const char *alias)
{
  g_autofree char *marker = g_strdup_printf ("friendlyName: %s\n", alias);
  const char *start = strstr (text, marker);
  const char *end;

  g_assert_nonnull (start);
  start = strstr (start, "-----BEGIN PRIVATE KEY-----");
  g_assert_nonnull (start);
  end = strstr (start, "-----END PRIVATE KEY-----");
  g_assert_nonnull (end);
  end += strlen ("-----END PRIVATE KEY-----");
  return g_strdup_printf ("%.*s\n", (int) (end - start), start);
}

/* The bags of @file, decrypted: what keytool and openssl read, seen from inside. */
static STACK_OF (PKCS12_SAFEBAG) *
read_bags (const char *file)
{
  g_autoptr(GBytes) bytes = cd_test_read_file (cd_test_pki_get_dir (pki), file);
  const unsigned char *p = g_bytes_get_data (bytes, NULL);
  PKCS12 *p12 = d2i_PKCS12 (NULL, &p, g_bytes_get_size (bytes));
  STACK_OF (PKCS7) *safes;
  STACK_OF (PKCS12_SAFEBAG) *all = sk_PKCS12_SAFEBAG_new_null ();

  g_assert_nonnull (p12);
  safes = PKCS12_unpack_authsafes (p12);
  g_assert_nonnull (safes);
  for (int i = 0; i < sk_PKCS7_num (safes); i++)
    {
      PKCS7 *p7 = sk_PKCS7_value (safes, i);
      STACK_OF (PKCS12_SAFEBAG) *bags;

      if (OBJ_obj2nid (p7->type) == NID_pkcs7_data)
        bags = PKCS12_unpack_p7data (p7);
      else
        bags = PKCS12_unpack_p7encdata (p7, PASSWORD, -1);
      g_assert_nonnull (bags);
      while (sk_PKCS12_SAFEBAG_num (bags) > 0)
        sk_PKCS12_SAFEBAG_push (all, sk_PKCS12_SAFEBAG_shift (bags));
      sk_PKCS12_SAFEBAG_free (bags);
    }
  sk_PKCS7_pop_free (safes, PKCS7_free);
  PKCS12_free (p12);
  return all;
}

/* The OIDs in Oracle's trusted-key-usage attribute of @bag, as text joined by ',', or NULL
 * without the attribute. */
static char *
trusted_key_usage (const PKCS12_SAFEBAG *bag)
{
  const STACK_OF (X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs (bag);
  ASN1_OBJECT *oid = OBJ_txt2obj (TRUSTED_KEY_USAGE_OID, 1);
  GString *usages = NULL;

  for (int i = 0; i < sk_X509_ATTRIBUTE_num (attrs); i++)
    {
      X509_ATTRIBUTE *attr = sk_X509_ATTRIBUTE_value (attrs, i);

      if (OBJ_cmp (X509_ATTRIBUTE_get0_object (attr), oid) != 0)
        continue;
      usages = g_string_new (NULL);
      for (int j = 0; j < X509_ATTRIBUTE_count (attr); j++)
        {
          ASN1_TYPE *value = X509_ATTRIBUTE_get0_type (attr, j);
          char text[80];

          g_assert_cmpint (value->type, ==, V_ASN1_OBJECT);
          OBJ_obj2txt (text, sizeof text, value->value.object, 1);
          g_string_append_printf (usages, "%s%s", j > 0 ? "," : "", text);
        }
    }
  ASN1_OBJECT_free (oid);
  return usages != NULL ? g_string_free (usages, FALSE) : NULL;
}

static char *
local_key_id (const PKCS12_SAFEBAG *bag)
{
  const ASN1_TYPE *value = PKCS12_SAFEBAG_get0_attr (bag, NID_localKeyID);

  if (value == NULL)
    return NULL;
  g_assert_cmpint (value->type, ==, V_ASN1_OCTET_STRING);
  return g_strndup ((const char *) ASN1_STRING_get0_data (value->value.octet_string),
                    ASN1_STRING_length (value->value.octet_string));
}

static char *
friendly_name (PKCS12_SAFEBAG *bag)
{
  char *name = PKCS12_get_friendlyname (bag);
  char *copy = g_strdup (name);

  OPENSSL_free (name);
  return copy;
}

static void
assert_error_message_safe (const GError *error,
                           const char   *password)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, password));
}

/* --- Certdesk writes, keytool and openssl read ------------------------------------------- */

static void
test_keytool_reads_certdesk (void)
{
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(CdKeystore) loaded = NULL;
  g_autofree char *info = NULL;
  g_autofree char *exported = NULL;
  STACK_OF (PKCS12_SAFEBAG) *bags;
  guint n_trusted = 0;
  guint n_keys = 0;

  if (!have_keytool ())
    return;

  store = make_store ();
  save_ok (store, "certdesk.p12", PASSWORD);

  /* keytool lists what Certdesk holds (in lower case, as keytool shows PKCS#12 aliases) */
  loaded = load_ok ("certdesk.p12", PASSWORD);
  assert_keytool_agrees (loaded, "certdesk.p12");
  g_assert_nonnull (cd_keystore_lookup (loaded, "root ca"));
  g_assert_cmpstr (cd_keystore_lookup (loaded, "Root CA")->alias, ==, "root ca");

  /* keytool 17's protection */
  g_assert_true (cd_test_pki_openssl (pki, &info, "pkcs12", "-info", "-noout", "-in",
                                      "certdesk.p12", "-passin", "pass:" PASSWORD, NULL));
  g_assert_nonnull (strstr (info, "MAC: sha256, Iteration 10000"));
  g_assert_nonnull (strstr (info, "salt length: 20"));
  g_assert_nonnull (strstr (info, "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration "
                                  "10000, PRF hmacWithSHA256"));
  g_assert_nonnull (strstr (info, "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration "
                                  "10000, PRF hmacWithSHA256"));
  g_assert_null (strstr (info, "RC2"));
  g_assert_null (strstr (info, "3DES"));

  /* trusted certificates carry Oracle's attribute with anyExtendedKeyUsage; a key's
   * certificate never does, and shares its localKeyId with the key */
  bags = read_bags ("certdesk.p12");
  for (int i = 0; i < sk_PKCS12_SAFEBAG_num (bags); i++)
    {
      PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value (bags, i);
      g_autofree char *usage = trusted_key_usage (bag);
      g_autofree char *id = local_key_id (bag);
      g_autofree char *name = friendly_name (bag);

      if (PKCS12_SAFEBAG_get_nid (bag) == NID_pkcs8ShroudedKeyBag)
        {
          n_keys++;
          g_assert_nonnull (id);
          g_assert_true (g_str_has_prefix (id, "Time "));
          g_assert_null (usage);
        }
      else if (usage != NULL)
        {
          n_trusted++;
          g_assert_cmpstr (usage, ==, ANY_EXTENDED_KEY_USAGE_OID);
          g_assert_nonnull (name);
          g_assert_null (id);
        }
      else if (id != NULL)
        {
          /* a key's own certificate: the id of a key bag with the same name */
          gboolean found = FALSE;

          for (int j = 0; j < sk_PKCS12_SAFEBAG_num (bags); j++)
            {
              PKCS12_SAFEBAG *other = sk_PKCS12_SAFEBAG_value (bags, j);
              g_autofree char *other_id = local_key_id (other);
              g_autofree char *other_name = friendly_name (other);

              found |= PKCS12_SAFEBAG_get_nid (other) == NID_pkcs8ShroudedKeyBag &&
                       g_strcmp0 (other_id, id) == 0 && g_strcmp0 (other_name, name) == 0;
            }
          g_assert_true (found);
        }
    }
  g_assert_cmpuint (n_keys, ==, 2);
  g_assert_cmpuint (n_trusted, ==, 2);
  sk_PKCS12_SAFEBAG_pop_free (bags, PKCS12_SAFEBAG_free);

  /* keytool exports the keys; openssl reads them back as the originals */
  run_keytool (NULL, "-importkeystore", "-noprompt", "-srckeystore", "certdesk.p12",
               "-srcstoretype", "PKCS12", "-srcstorepass", PASSWORD, "-destkeystore",
               "exported.p12", "-deststoretype", "PKCS12", "-deststorepass", PASSWORD, NULL);
  g_assert_true (cd_test_pki_openssl (pki, &exported, "pkcs12", "-in", "exported.p12",
                                      "-nocerts", "-nodes", "-passin", "pass:" PASSWORD, NULL));
  for (guint i = 0; i < 2; i++)
    {
      /* keytool names what it imports by the aliases it lists: in lower case */
      const char *alias = i == 0 ? "rsa-server" : "ec-server";
      const char *name = i == 0 ? "rsa" : "ec";
      g_autofree char *block = key_block_after (exported, alias);
      g_autofree char *file = g_strdup_printf ("exported-%s.key", name);
      g_autofree char *pub = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(EVP_PKEY) key = cd_test_pki_load_key (pki, name);

      cd_test_write_file (cd_test_pki_get_dir (pki), file, block, -1);
      g_assert_true (cd_test_pki_openssl (pki, &pub, "pkey", "-in", file, "-pubout", NULL));
      expected = public_key_pem (key);
      g_assert_cmpstr (pub, ==, expected);
    }
}

/* --- keytool and openssl write, Certdesk reads ------------------------------------------- */

/* Makes @file with keytool: a trusted root imported as "MixedCase", and the RSA key with its
 * chain, exported by openssl as "Server" (in main()) and imported with -importkeystore. Each
 * test makes its own, under a file name of its own. */
static const char *
make_keytool_store (const char *file)
{
  g_autofree char *path = pki_path (file);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  run_keytool (NULL, "-importcert", "-trustcacerts", "-noprompt", "-alias", "MixedCase",
               "-file", "root.pem", "-keystore", file, "-storetype", "PKCS12", "-storepass",
               PASSWORD, NULL);
  run_keytool (NULL, "-importkeystore", "-noprompt", "-srckeystore", "openssl-server.p12",
               "-srcstoretype", "PKCS12", "-srcstorepass", PASSWORD, "-destkeystore", file,
               "-deststoretype", "PKCS12", "-deststorepass", PASSWORD, NULL);
  return file;
}

static void
test_certdesk_reads_keytool (void)
{
  g_autoptr(CdKeystore) store = NULL;
  CdKeystoreEntry *root;
  CdKeystoreEntry *server;
  gint64 now;

  if (!have_keytool ())
    return;

  store = load_ok (make_keytool_store ("keytool.p12"), PASSWORD);
  now = g_get_real_time () / 1000;
  assert_keytool_agrees (store, "keytool.p12");
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 2);

  root = cd_keystore_lookup (store, "MixedCase");
  g_assert_nonnull (root);
  g_assert_cmpstr (root->alias, ==, "mixedcase");
  g_assert_cmpint (root->kind, ==, CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE);
  g_assert_cmpint (root->created, ==, 0);
  assert_chain (root, (const char *[]) { "root", NULL });

  server = cd_keystore_lookup (store, "server");
  g_assert_nonnull (server);
  g_assert_cmpstr (server->alias, ==, "server");
  g_assert_cmpint (server->kind, ==, CD_KEYSTORE_ENTRY_PRIVATE_KEY);
  assert_chain (server, (const char *[]) { "rsa", "inter", "root", NULL });
  assert_key (server, "rsa");
  /* keytool's localKeyId "Time <ms>" is the date it shows */
  g_assert_cmpint (server->created, >, now - 10 * 60 * 1000);
  g_assert_cmpint (server->created, <=, now);

  /* listed by alias, as keytool lists a PKCS#12, though keytool wrote the key first */
  g_assert_cmpstr (cd_keystore_get_entry (store, 0)->alias, ==, "mixedcase");
  g_assert_cmpstr (cd_keystore_get_entry (store, 1)->alias, ==, "server");
}

static void
test_openssl_files (void)
{
  g_autoptr(CdKeystore) nokeys = NULL;
  g_autoptr(CdKeystore) nocerts = NULL;
  g_autoptr(CdKeystore) legacy = NULL;
  CdKeystoreEntry *entry;

  if (!have_keytool ())
    return;

  cd_test_pki_bundle (pki, "root-inter", "root", "inter", NULL);

  /* certificates without Java's trust attribute are no entries, for keytool and Certdesk */
  g_assert_true (cd_test_pki_openssl (pki, NULL, "pkcs12", "-export", "-nokeys", "-in",
                                      "root-inter.pem", "-name", "Roots", "-out", "nokeys.p12",
                                      "-passout", "pass:" PASSWORD, NULL));
  nokeys = load_ok ("nokeys.p12", PASSWORD);
  g_assert_cmpuint (cd_keystore_get_n_entries (nokeys), ==, 0);
  assert_keytool_agrees (nokeys, "nokeys.p12");

  /* a key without its certificate: keytool lists it with a chain of 0 */
  g_assert_true (cd_test_pki_openssl (pki, NULL, "pkcs12", "-export", "-nocerts", "-inkey",
                                      "ec.key", "-name", "Lonely", "-out", "nocerts.p12",
                                      "-passout", "pass:" PASSWORD, NULL));
  nocerts = load_ok ("nocerts.p12", PASSWORD);
  assert_keytool_agrees (nocerts, "nocerts.p12");
  entry = cd_keystore_lookup (nocerts, "lonely");
  g_assert_nonnull (entry);
  g_assert_cmpuint (entry->chain->len, ==, 0);
  assert_key (entry, "ec");

  /* OpenSSL 1.x's RC2 and 3DES, without a friendlyName: Java names the entry "1" */
  g_assert_true (cd_test_pki_openssl (pki, NULL, "pkcs12", "-export", "-legacy", "-in",
                                      "rsa.pem", "-inkey", "rsa.key", "-certfile",
                                      "root-inter.pem", "-out", "legacy.p12", "-passout",
                                      "pass:" PASSWORD, NULL));
  legacy = load_ok ("legacy.p12", PASSWORD);
  assert_keytool_agrees (legacy, "legacy.p12");
  g_assert_cmpuint (cd_keystore_get_n_entries (legacy), ==, 1);
  entry = cd_keystore_get_entry (legacy, 0);
  g_assert_cmpstr (entry->alias, ==, "1");
  assert_chain (entry, (const char *[]) { "rsa", "inter", "root", NULL });
  assert_key (entry, "rsa");
}

/* --- round trips ------------------------------------------------------------------------- */

static CdKeystore *
reload (CdKeystore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cd_keystore_serialize (store, PASSWORD, &error);
  CdKeystore *loaded;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  loaded = cd_keystore_load_bytes (bytes, "roundtrip.p12", PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  return loaded;
}

static void
test_roundtrip (void)
{
  g_autoptr(CdKeystore) made = make_store ();
  g_autoptr(CdKeystore) first = reload (made);
  g_autoptr(CdKeystore) second = reload (first);
  g_autoptr(CdKeystore) empty = cd_keystore_new (CD_KEYSTORE_PKCS12);
  g_autoptr(CdKeystore) empty_loaded = reload (empty);
  CdKeystoreEntry *entry;

  assert_same_entries (first, second);
  g_assert_cmpuint (cd_keystore_get_n_entries (first), ==, 4);
  /* listed by alias, as keytool lists a PKCS#12 */
  g_assert_cmpstr (cd_keystore_get_entry (first, 0)->alias, ==, "ec-server");
  g_assert_cmpstr (cd_keystore_get_entry (first, 1)->alias, ==, "inter");
  g_assert_cmpstr (cd_keystore_get_entry (first, 2)->alias, ==, "root ca");
  g_assert_cmpstr (cd_keystore_get_entry (first, 3)->alias, ==, "rsa-server");

  entry = cd_keystore_lookup (first, "rsa-server");
  assert_chain (entry, (const char *[]) { "rsa", "inter", "root", NULL });
  assert_key (entry, "rsa");
  entry = cd_keystore_lookup (first, "ec-server");
  assert_chain (entry, (const char *[]) { "ec", "inter", "root", NULL });
  assert_key (entry, "ec");
  /* the date survives as keytool's localKeyId (the first key written keeps it exactly; a later
   * one made in the same millisecond moves on by one to keep the ids unique) */
  g_assert_cmpint (entry->created, ==, cd_keystore_lookup (made, "ec-server")->created);
  entry = cd_keystore_lookup (first, "inter");
  g_assert_cmpint (entry->kind, ==, CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE);
  assert_chain (entry, (const char *[]) { "inter", NULL });

  g_assert_cmpuint (cd_keystore_get_n_entries (empty_loaded), ==, 0);

  /* and what keytool wrote, too */
  if (have_keytool ())
    {
      g_autoptr(CdKeystore) from_keytool = load_ok (make_keytool_store ("roundtrip-keytool.p12"),
                                                    PASSWORD);
      g_autoptr(CdKeystore) again = reload (from_keytool);

      assert_same_entries (from_keytool, again);
    }
}

/* A PKCS#12 file of these bags, as tools other than keytool may write them: the keys in a
 * plain safe, the certificates in an encrypted one, a SHA-256 MAC. Takes the stacks. */
static GBytes *
build_p12 (STACK_OF (PKCS12_SAFEBAG) *key_bags,
           STACK_OF (PKCS12_SAFEBAG) *cert_bags)
{
  STACK_OF (PKCS7) *safes = NULL;
  unsigned char *der = NULL;
  GBytes *bytes;
  PKCS12 *p12;
  int length;

  if (key_bags != NULL)
    g_assert_cmpint (PKCS12_add_safe_ex (&safes, key_bags, -1, 0, NULL, NULL, NULL), ==, 1);
  if (cert_bags != NULL)
    g_assert_cmpint (PKCS12_add_safe_ex (&safes, cert_bags, NID_aes_256_cbc, 2048, PASSWORD,
                                         NULL, NULL), ==, 1);
  p12 = PKCS12_add_safes_ex (safes, 0, NULL, NULL);
  g_assert_nonnull (p12);
  g_assert_cmpint (PKCS12_set_mac (p12, PASSWORD, -1, NULL, 0, 2048, EVP_sha256 ()), ==, 1);
  length = i2d_PKCS12 (p12, &der);
  g_assert_cmpint (length, >, 0);
  bytes = g_bytes_new (der, length);
  OPENSSL_free (der);
  PKCS12_free (p12);
  sk_PKCS7_pop_free (safes, PKCS7_free);
  sk_PKCS12_SAFEBAG_pop_free (key_bags, PKCS12_SAFEBAG_free);
  sk_PKCS12_SAFEBAG_pop_free (cert_bags, PKCS12_SAFEBAG_free);
  return bytes;
}

static PKCS12_SAFEBAG *
add_cert (STACK_OF (PKCS12_SAFEBAG) **bags,
          const char                 *name,
          const char                 *friendly_name,
          gboolean                    trusted)
{
  g_autoptr(X509) cert = cd_test_pki_load_cert (pki, name);
  PKCS12_SAFEBAG *bag = PKCS12_add_cert (bags, cert);

  g_assert_nonnull (bag);
  if (friendly_name != NULL)
    g_assert_cmpint (PKCS12_add_friendlyname_utf8 (bag, friendly_name, -1), ==, 1);
  if (trusted)
    {
      ASN1_OBJECT *usage = OBJ_txt2obj (ANY_EXTENDED_KEY_USAGE_OID, 1);

      g_assert_cmpint (PKCS12_add1_attr_by_txt (bag, TRUSTED_KEY_USAGE_OID, V_ASN1_OBJECT,
                                                (const unsigned char *) usage, -1), ==, 1);
      ASN1_OBJECT_free (usage);
    }
  return bag;
}

/* Java's rules for what other tools write: a trusted certificate without a friendlyName is
 * named by a counter, aliases that differ in case are one entry (the later bag, in the
 * earlier one's place), and a key finds its certificate by localKeyId whatever its name. */
static void
test_java_rules (void)
{
  g_autoptr(EVP_PKEY) key = cd_test_pki_load_key (pki, "ec");
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  STACK_OF (PKCS12_SAFEBAG) *key_bags = NULL;
  STACK_OF (PKCS12_SAFEBAG) *cert_bags = NULL;
  PKCS12_SAFEBAG *bag;

  if (!have_keytool ())
    return;

  bag = PKCS12_add_key_ex (&key_bags, key, 0, 2048, NID_aes_256_cbc, PASSWORD, NULL, NULL);
  g_assert_nonnull (bag);
  PKCS12_add_friendlyname_utf8 (bag, "Server Key", -1);
  PKCS12_add_localkeyid (bag, (unsigned char *) "k1", 2);
  add_cert (&cert_bags, "root", "Dup", TRUE);
  add_cert (&cert_bags, "root", NULL, TRUE);
  bag = add_cert (&cert_bags, "ec", "another name", FALSE);
  PKCS12_add_localkeyid (bag, (unsigned char *) "k1", 2);
  add_cert (&cert_bags, "inter", "DUP", TRUE);
  add_cert (&cert_bags, "inter", "untrusted", FALSE);
  bytes = build_p12 (key_bags, cert_bags);
  cd_test_write_file (cd_test_pki_get_dir (pki), "rules.p12", g_bytes_get_data (bytes, NULL),
                      g_bytes_get_size (bytes));

  store = load_ok ("rules.p12", PASSWORD);
  assert_keytool_agrees (store, "rules.p12");
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 3);
  /* listed by alias, as keytool lists a PKCS#12 */
  g_assert_cmpstr (cd_keystore_get_entry (store, 0)->alias, ==, "1");
  assert_chain (cd_keystore_get_entry (store, 0), (const char *[]) { "root", NULL });
  g_assert_cmpstr (cd_keystore_get_entry (store, 1)->alias, ==, "dup");
  assert_chain (cd_keystore_get_entry (store, 1), (const char *[]) { "inter", NULL });
  g_assert_cmpstr (cd_keystore_get_entry (store, 2)->alias, ==, "server key");
  assert_chain (cd_keystore_get_entry (store, 2), (const char *[]) { "ec", "inter", "root",
                                                                     NULL });
  assert_key (cd_keystore_get_entry (store, 2), "ec");
}

/* A key protected by a password of its own (as `openssl pkcs12 -twopass` writes): listed,
 * locked, and not saved again. */
static void
test_locked_key (void)
{
  g_autoptr(EVP_PKEY) key = cd_test_pki_load_key (pki, "ec");
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  STACK_OF (PKCS12_SAFEBAG) *key_bags = NULL;
  STACK_OF (PKCS12_SAFEBAG) *cert_bags = NULL;
  PKCS12_SAFEBAG *bag;
  CdKeystoreEntry *entry;

  bag = PKCS12_add_key_ex (&key_bags, key, 0, 2048, NID_aes_256_cbc, "other-password", NULL,
                           NULL);
  g_assert_nonnull (bag);
  PKCS12_add_friendlyname_utf8 (bag, "Twopass", -1);
  PKCS12_add_localkeyid (bag, (unsigned char *) "id", 2);
  bag = add_cert (&cert_bags, "ec", "Twopass", FALSE);
  PKCS12_add_localkeyid (bag, (unsigned char *) "id", 2);
  bytes = build_p12 (key_bags, cert_bags);

  store = cd_keystore_load_bytes (bytes, "twopass.p12", PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 1);
  entry = cd_keystore_get_entry (store, 0);
  g_assert_cmpstr (entry->alias, ==, "twopass");
  g_assert_cmpint (entry->kind, ==, CD_KEYSTORE_ENTRY_PRIVATE_KEY);
  g_assert_true (entry->locked);
  g_assert_null (entry->key);
  assert_chain (entry, (const char *[]) { "ec", NULL });

  g_assert_null (cd_keystore_serialize (store, PASSWORD, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_clear_pointer (&store, cd_keystore_free);

  /* with its own key password it opens, and can be saved under the store password */
  store = cd_keystore_load_bytes (bytes, "twopass.p12", PASSWORD, "other-password", &error);
  g_assert_no_error (error);
  entry = cd_keystore_get_entry (store, 0);
  g_assert_false (entry->locked);
  g_assert_true (EVP_PKEY_eq (entry->key, key) == 1);
  {
    g_autoptr(GBytes) saved = cd_keystore_serialize (store, PASSWORD, &error);
    g_autoptr(CdKeystore) reloaded = NULL;

    g_assert_no_error (error);
    reloaded = cd_keystore_load_bytes (saved, "saved.p12", PASSWORD, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (cd_keystore_get_entry (reloaded, 0)->locked);
    g_assert_true (EVP_PKEY_eq (cd_keystore_get_entry (reloaded, 0)->key, key) == 1);
  }
}

/* --- passwords and damage ---------------------------------------------------------------- */

static void
test_password_rules (void)
{
  g_autoptr(CdKeystore) store = make_store ();
  const char *refused[] = { "pässwort", "tab\there", "new\nline", "", NULL };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdKeystore) loaded = NULL;

  for (guint i = 0; refused[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_assert_null (cd_keystore_serialize (store, refused[i], &local_error));
      g_assert_error (local_error, CD_ERROR, CD_ERROR_INVALID_VALUE);
      if (*refused[i] != '\0')
        {
          g_assert_nonnull (strstr (local_error->message, "Java"));
          assert_error_message_safe (local_error, refused[i]);
        }
    }
  g_assert_null (cd_keystore_serialize (store, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* printable ASCII, spaces and punctuation included, is what Java accepts */
  bytes = cd_keystore_serialize (store, " ~Pa$$ word!", &error);
  g_assert_no_error (error);
  loaded = cd_keystore_load_bytes (bytes, "ascii.p12", " ~Pa$$ word!", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (loaded), ==, 4);
}

static void
test_wrong_password (void)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cd_keystore_serialize (store, PASSWORD, &error);
  const char *wrong[] = { "wrong-password", "", "changeiT", NULL };

  g_assert_no_error (error);
  for (guint i = 0; wrong[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_assert_null (cd_keystore_load_bytes (bytes, "store.p12", wrong[i], NULL, &local_error));
      g_assert_error (local_error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
      g_assert_nonnull (strstr (local_error->message,
                                "Keystore was tampered with, or password was incorrect"));
      g_assert_nonnull (strstr (local_error->message, "store.p12"));
      if (*wrong[i] != '\0')
        assert_error_message_safe (local_error, wrong[i]);
    }
  g_assert_null (cd_keystore_load_bytes (bytes, "store.p12", NULL, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
}

/* Loads @data; it may succeed (a byte the MAC does not cover) or fail with one of the codes a
 * damaged keystore gets, never otherwise. */
static void
load_damaged (const guint8 *data,
              gsize         length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdKeystore) store = cd_keystore_load_bytes (bytes, "damaged.p12", PASSWORD, NULL,
                                                        &error);

  if (store != NULL)
    {
      g_assert_no_error (error);
      return;
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == CD_ERROR);
  g_assert_true (error->code == CD_ERROR_BAD_FORMAT || error->code == CD_ERROR_WRONG_PASSWORD ||
                 error->code == CD_ERROR_UNSUPPORTED || error->code == CD_ERROR_TOO_LARGE);
  assert_error_message_safe (error, PASSWORD);
}

static void
test_damaged (void)
{
  g_autoptr(CdKeystore) store = make_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cd_keystore_serialize (store, PASSWORD, &error);
  g_autoptr(GBytes) weak = NULL;
  g_autofree guint8 *copy = NULL;
  const guint8 *data;
  gsize length;
  gsize mac_byte;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &length);
  copy = g_memdup2 (data, length);

  /* cut short anywhere: never a keystore */
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new (data, cut);
      g_autoptr(GError) local_error = NULL;

      g_assert_null (cd_keystore_load_bytes (part, "cut.p12", PASSWORD, NULL, &local_error));
      g_assert_nonnull (local_error);
      g_assert_true (local_error->code == CD_ERROR_BAD_FORMAT);
    }

  /* one byte of the MAC itself: the file ends with the 32-byte HMAC-SHA256 value, a 20-byte
   * salt and the iteration count 10000 (02 02 27 10) */
  g_assert_cmpmem (data + length - 4, 4, "\x02\x02\x27\x10", 4);
  mac_byte = length - 4 - 22 - 16;
  copy[mac_byte] ^= 0x01;
  {
    g_autoptr(GBytes) flipped = g_bytes_new (copy, length);

    g_assert_null (cd_keystore_load_bytes (flipped, "flipped.p12", PASSWORD, NULL, &error));
    g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
    g_clear_error (&error);
  }
  copy[mac_byte] ^= 0x01;

  /* bytes changed across the file, each costing a MAC check */
  for (gsize i = 0; i < length; i += 41)
    {
      copy[i] ^= 0x5A;
      load_damaged (copy, length);
      copy[i] ^= 0x5A;
    }

  /* without a MAC and with one round of key derivation, every byte reaches the parser */
  g_assert_true (cd_test_pki_openssl (pki, NULL, "pkcs12", "-export", "-in", "ec.pem", "-inkey",
                                      "ec.key", "-certfile", "inter.pem", "-name", "Weak",
                                      "-nomac", "-iter", "1", "-out", "weak.p12", "-passout",
                                      "pass:" PASSWORD, NULL));
  weak = cd_test_read_file (cd_test_pki_get_dir (pki), "weak.p12");
  {
    gsize weak_length;
    g_autofree guint8 *weak_copy = g_memdup2 (g_bytes_get_data (weak, &weak_length),
                                              g_bytes_get_size (weak));

    for (gsize i = 0; i < weak_length; i++)
      {
        weak_copy[i] ^= 0xFF;
        load_damaged (weak_copy, weak_length);
        weak_copy[i] ^= 0xFF;
        load_damaged (weak_copy, i);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  CdTestCertSpec rsa_spec = {
    .dns = (const char *[]) { "rsa.example.com", NULL },
    .key_type = CD_TEST_KEY_RSA_2048,
  };
  int result;

  g_test_init (&argc, &argv, NULL);

  pki = cd_test_pki_new ();
  cd_test_pki_make_root (pki, "root");
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_issue (pki, "rsa", "inter", &rsa_spec);
  cd_test_pki_make_leaf (pki, "ec", "inter", "ec.example.com");
  cd_test_pki_bundle (pki, "cas", "inter", "root", NULL);
  g_assert_true (cd_test_pki_openssl (pki, NULL, "pkcs12", "-export", "-in", "rsa.pem", "-inkey",
                                      "rsa.key", "-certfile", "cas.pem", "-name", "Server", "-out",
                                      "openssl-server.p12", "-passout", "pass:" PASSWORD, NULL));

  g_test_add_func ("/core/keystore/pkcs12/keytool-reads-certdesk", test_keytool_reads_certdesk);
  g_test_add_func ("/core/keystore/pkcs12/certdesk-reads-keytool", test_certdesk_reads_keytool);
  g_test_add_func ("/core/keystore/pkcs12/openssl-files", test_openssl_files);
  g_test_add_func ("/core/keystore/pkcs12/roundtrip", test_roundtrip);
  g_test_add_func ("/core/keystore/pkcs12/java-rules", test_java_rules);
  g_test_add_func ("/core/keystore/pkcs12/locked-key", test_locked_key);
  g_test_add_func ("/core/keystore/pkcs12/password-rules", test_password_rules);
  g_test_add_func ("/core/keystore/pkcs12/wrong-password", test_wrong_password);
  g_test_add_func ("/core/keystore/pkcs12/damaged", test_damaged);

  result = g_test_run ();
  cd_test_pki_free (pki);
  return result;
}
