// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-keystore-import"

#include "config.h"

#include <string.h>

#include "cd-bundle.h"
#include "cd-error.h"
#include "cd-keystore-import.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* Import semantics, on keystores in memory: what keytool does with a duplicate alias, a
 * certificate already present, a CA certificate without -trustcacerts and a CA reply, and
 * what Certdesk does differently (all the certificates of a bundle, in chain order, under
 * derived aliases). */

/* One PKI for the whole program: making it costs about a second. */
static CdTestPki *pki;

static void
make_pki (void)
{
  const CdTestCertSpec root = { .subject = "/O=Brand Trust/CN=Brand Root CA G2", .ca = TRUE };
  const CdTestCertSpec inter = { .subject = "/O=Brand Trust/CN=Brand TLS CA 2026", .ca = TRUE };
  const CdTestCertSpec app_self = { .subject = "/CN=app.brand.example", .key = "appkey" };
  const CdTestCertSpec app_reply = {
    .subject = "/CN=app.brand.example",
    .dns = (const char *[]) { "app.brand.example", NULL },
    .key = "appkey",
  };
  const CdTestCertSpec stranger = {
    .subject = "/CN=app.brand.example",
    .dns = (const char *[]) { "app.brand.example", NULL },
  };
  const CdTestCertSpec org_only = { .subject = "/C=DE/O=Büro Müller & Söhne, GmbH", .ca = TRUE };
  const CdTestCertSpec no_name = { .subject = "/C=DE/L=Berlin", .ca = TRUE };
  const CdTestCertSpec wildcard = { .dns = (const char *[]) { "*.mail.brand.example", NULL } };
  const CdTestCertSpec weak = {
    .subject = "/CN=weak.brand.example",
    .key_type = CD_TEST_KEY_RSA_1024,
    .digest = "sha1",
  };
  const CdTestCertSpec expired = {
    .subject = "/CN=old.brand.example",
    .not_before = "20200101000000Z",
    .days = 90,
  };
  const CdTestCertSpec other_root = { .subject = "/CN=Other Root", .ca = TRUE };

  cd_test_pki_make_self_signed (pki, "root", &root);
  cd_test_pki_issue (pki, "inter", "root", &inter);
  /* the same subject, another key: two CAs that derive the same alias */
  cd_test_pki_issue (pki, "inter-b", "root", &inter);
  cd_test_pki_make_leaf (pki, "server", "inter", "t.mail.brand.example");
  cd_test_pki_make_key (pki, "appkey", CD_TEST_KEY_DEFAULT);
  /* what keytool -genkeypair leaves in the key entry until the reply comes */
  cd_test_pki_make_self_signed (pki, "app-self", &app_self);
  cd_test_pki_issue (pki, "app-reply", "inter", &app_reply);
  cd_test_pki_issue (pki, "stranger", "inter", &stranger);
  cd_test_pki_make_self_signed (pki, "org-only", &org_only);
  cd_test_pki_make_self_signed (pki, "no-name", &no_name);
  cd_test_pki_issue (pki, "wildcard", "inter", &wildcard);
  cd_test_pki_issue (pki, "weak", "root", &weak);
  cd_test_pki_issue (pki, "expired", "root", &expired);
  cd_test_pki_make_self_signed (pki, "other-root", &other_root);

  /* in the disorder support attachments come in */
  cd_test_pki_bundle (pki, "dc", "root", "server", "inter", NULL);
  cd_test_pki_bundle (pki, "reply-chain", "inter", "app-reply", NULL);
}

static CdBundle *
load_bundle (const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *path = cd_test_pki_path (pki, file_name);
  g_autoptr(GError) error = NULL;
  CdBundle *bundle = cd_bundle_load_file (path, NULL, &error);

  g_assert_no_error (error);
  return bundle;
}

static X509 *
entry_cert (CdKeystore *store,
            const char *alias)
{
  CdKeystoreEntry *entry = cd_keystore_lookup (store, alias);

  g_assert_nonnull (entry);
  g_assert_cmpuint (entry->chain->len, >, 0);
  return g_ptr_array_index (entry->chain, 0);
}

static void
assert_same_cert (X509       *cert,
                  const char *name)
{
  X509 *expected = cd_test_pki_load_cert (pki, name);

  g_assert_cmpint (X509_cmp (cert, expected), ==, 0);
  X509_free (expected);
}

static void
add_trusted (CdKeystore *store,
             const char *alias,
             const char *name)
{
  X509 *cert = cd_test_pki_load_cert (pki, name);
  g_autoptr(GError) error = NULL;

  cd_keystore_add_certificate (store, alias, cert, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  X509_free (cert);
}

/* A key entry as keytool -genkeypair makes it: the key and a self-signed certificate. */
static void
add_app_key (CdKeystore *store)
{
  const char *names[] = { "app-self", NULL };
  g_autoptr(GPtrArray) chain = cd_test_pki_load_certs (pki, names);
  EVP_PKEY *key = cd_test_pki_load_key (pki, "appkey");
  g_autoptr(GError) error = NULL;

  cd_keystore_add_key (store, "app", key, chain, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  EVP_PKEY_free (key);
}

static CdImportItem *
item_at (CdImportPlan *plan,
         guint         index)
{
  g_assert_cmpuint (index, <, plan->items->len);
  return g_ptr_array_index (plan->items, index);
}

static gboolean
has_message (GPtrArray  *messages,
             const char *needle)
{
  for (guint i = 0; i < messages->len; i++)
    if (strstr (g_ptr_array_index (messages, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
has_error (CdImportItem *item,
           int           code,
           const char   *needle)
{
  for (guint i = 0; i < item->errors->len; i++)
    {
      GError *error = g_ptr_array_index (item->errors, i);

      if (g_error_matches (error, CD_ERROR, code) && strstr (error->message, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_derive_alias (void)
{
  struct
  {
    const char *name;
    const char *alias;
  } cases[] = {
    { "root", "brand-root-ca-g2" },
    { "server", "t.mail.brand.example" },
    { "wildcard", "mail.brand.example" },
    { "org-only", "büro-müller-söhne-gmbh" },
  };
  X509 *no_name = cd_test_pki_load_cert (pki, "no-name");
  g_autofree char *fingerprint = cd_test_openssl_sha256 (cd_test_pki_get_dir (pki),
                                                         cd_test_pki_cert_path (pki, "no-name"));
  g_autofree char *derived = cd_keystore_derive_alias (no_name);
  GString *expected = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      X509 *cert = cd_test_pki_load_cert (pki, cases[i].name);
      g_autofree char *alias = cd_keystore_derive_alias (cert);

      g_assert_cmpstr (alias, ==, cases[i].alias);
      X509_free (cert);
    }

  /* neither CN nor O: the start of the fingerprint openssl prints, in lower case */
  for (const char *p = fingerprint; *p != '\0' && expected->len < 16; p++)
    if (*p != ':')
      g_string_append_c (expected, g_ascii_tolower (*p));
  g_assert_cmpstr (derived, ==, expected->str);
  g_string_free (expected, TRUE);
  X509_free (no_name);
}

/* root, server and intermediate in one file: all three, leaf first, each under its alias. */
static void
test_bundle_in_chain_order (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("dc");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "server", "inter", "root" };
  const char *aliases[] = { "t.mail.brand.example", "brand-tls-ca-2026", "brand-root-ca-g2" };
  guint changed = 0;

  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->items->len, ==, 3);
  g_assert_false (cd_import_plan_has_errors (plan));
  g_assert_cmpuint (plan->warnings->len, ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      CdImportItem *item = item_at (plan, i);

      assert_same_cert (item->certificate, names[i]);
      g_assert_cmpstr (item->alias, ==, aliases[i]);
      g_assert_false (item->alias_chosen);
      g_assert_cmpint (item->action, ==, CD_IMPORT_ACTION_ADD_TRUSTED);
      g_assert_cmpint (item->is_ca, ==, i > 0);
      g_assert_cmpuint (item->errors->len, ==, 0);
      g_assert_nonnull (item->source);
      g_assert_null (item->chain);
    }
  /* the server certificate carries the advice; the CAs nothing */
  g_assert_true (has_message (item_at (plan, 0)->warnings, "Trust the root, not the load "
                                                           "balancer"));
  g_assert_cmpuint (item_at (plan, 1)->warnings->len, ==, 0);
  g_assert_cmpuint (item_at (plan, 2)->warnings->len, ==, 0);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 0);

  g_assert_true (cd_keystore_apply_import (store, plan, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      CdKeystoreEntry *entry = cd_keystore_lookup (store, aliases[i]);

      g_assert_nonnull (entry);
      g_assert_cmpint (entry->kind, ==, CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE);
      g_assert_cmpuint (entry->chain->len, ==, 1);
      assert_same_cert (g_ptr_array_index (entry->chain, 0), names[i]);
    }
}

/* keytool asks "Trust this certificate?"; Certdesk refuses the CA without trust, says how, and
 * changes nothing. */
static void
test_ca_needs_trust (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_PKCS12);
  g_autoptr(CdBundle) bundle = load_bundle ("dc");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cd_import_plan_has_errors (plan));
  g_assert_cmpuint (item_at (plan, 0)->errors->len, ==, 0);
  g_assert_true (has_error (item_at (plan, 1), CD_ERROR_INVALID_VALUE, "-trustcacerts"));
  g_assert_true (has_error (item_at (plan, 2), CD_ERROR_INVALID_VALUE, "CA certificate"));

  g_assert_false (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "Brand TLS CA 2026"));
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 0);
  g_clear_error (&error);

  /* the user renames one entry, then switches trust on: the name stays */
  g_assert_true (cd_import_plan_set_alias (plan, store, 2, "Root G2", &error));
  g_assert_no_error (error);
  cd_import_plan_set_flags (plan, store, CD_IMPORT_TRUST_CA);
  g_assert_false (cd_import_plan_has_errors (plan));
  g_assert_cmpstr (item_at (plan, 2)->alias, ==, "Root G2");
  g_assert_true (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 3);
  /* PKCS#12 keeps the case the user gave */
  g_assert_cmpstr (cd_keystore_lookup (store, "root g2")->alias, ==, "Root G2");
}

/* Derived aliases never collide: not with the store, not within the import. */
static void
test_unique_aliases (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = NULL;
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  cd_test_pki_bundle (pki, "twins", "inter", "inter-b", NULL);
  bundle = load_bundle ("twins");
  add_trusted (store, "brand-tls-ca-2026", "other-root");

  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->items->len, ==, 2);
  g_assert_cmpstr (item_at (plan, 0)->alias, ==, "brand-tls-ca-2026-2");
  g_assert_cmpstr (item_at (plan, 1)->alias, ==, "brand-tls-ca-2026-3");
  g_assert_false (cd_import_plan_has_errors (plan));
  g_assert_true (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 3);
  assert_same_cert (entry_cert (store, "brand-tls-ca-2026"), "other-root");
}

/* keytool: "Certificate not imported, alias <x> already exists"; unless the user asks. */
static void
test_existing_alias (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("inter");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(CdImportPlan) replace = NULL;
  g_autoptr(GError) error = NULL;

  add_trusted (store, "ca", "other-root");

  /* JKS: Java looks aliases up in lower case */
  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA, "CA", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item_at (plan, 0)->alias, ==, "ca");
  g_assert_true (item_at (plan, 0)->alias_chosen);
  g_assert_true (has_error (item_at (plan, 0), CD_ERROR_DUPLICATE, "already exists"));
  g_assert_false (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);
  assert_same_cert (entry_cert (store, "ca"), "other-root");

  replace = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA | CD_IMPORT_REPLACE, "ca",
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (item_at (replace, 0)->action, ==, CD_IMPORT_ACTION_REPLACE);
  g_assert_false (cd_import_plan_has_errors (replace));
  g_assert_true (cd_keystore_apply_import (store, replace, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 1);
  assert_same_cert (entry_cert (store, "ca"), "inter");
}

/* keytool: "Certificate already exists in keystore under alias <x>". */
static void
test_duplicate_certificate (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("dc");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(CdImportPlan) again = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 99;

  add_trusted (store, "our-root", "root");

  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (item_at (plan, 2)->action, ==, CD_IMPORT_ACTION_SKIP_DUPLICATE);
  g_assert_cmpstr (item_at (plan, 2)->duplicate_of, ==, "our-root");
  g_assert_cmpint (item_at (plan, 0)->action, ==, CD_IMPORT_ACTION_ADD_TRUSTED);
  g_assert_true (cd_keystore_apply_import (store, plan, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 3);
  g_assert_null (cd_keystore_lookup (store, "brand-root-ca-g2"));

  /* the same bundle again: nothing to do */
  again = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < again->items->len; i++)
    g_assert_cmpint (item_at (again, i)->action, ==, CD_IMPORT_ACTION_SKIP_DUPLICATE);
  g_assert_cmpstr (item_at (again, 0)->duplicate_of, ==, "t.mail.brand.example");
  g_assert_true (cd_keystore_apply_import (store, again, &changed, &error));
  g_assert_cmpuint (changed, ==, 0);

  /* the user takes the root in anyway: added again, with a warning */
  cd_import_plan_set_skipped (again, store, 2, FALSE);
  g_assert_cmpint (item_at (again, 2)->action, ==, CD_IMPORT_ACTION_ADD_TRUSTED);
  g_assert_true (has_message (item_at (again, 2)->warnings, "our-root"));
  g_assert_cmpstr (item_at (again, 2)->alias, ==, "brand-root-ca-g2");
  g_assert_true (cd_keystore_apply_import (store, again, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 4);
}

static void
test_allow_duplicates (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_PKCS12);
  g_autoptr(CdBundle) bundle = load_bundle ("root");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  add_trusted (store, "brand-root-ca-g2", "root");
  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA | CD_IMPORT_ALLOW_DUPLICATES,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (item_at (plan, 0)->action, ==, CD_IMPORT_ACTION_ADD_TRUSTED);
  g_assert_cmpstr (item_at (plan, 0)->alias, ==, "brand-root-ca-g2-2");
  g_assert_cmpstr (item_at (plan, 0)->duplicate_of, ==, "brand-root-ca-g2");
  g_assert_true (has_message (item_at (plan, 0)->warnings, "already"));
  g_assert_true (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 2);
}

/* The CA's reply for a key entry: the chain is built from the reply and the trusted entries,
 * the key stays. */
static void
test_reply (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("reply-chain");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "app-reply", "inter", "root" };
  CdImportItem *item;
  CdKeystoreEntry *entry;
  EVP_PKEY *key = cd_test_pki_load_key (pki, "appkey");

  add_trusted (store, "brand-root-ca-g2", "root");
  add_app_key (store);

  /* found by its key, without an alias */
  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->items->len, ==, 1);
  item = item_at (plan, 0);
  g_assert_cmpint (item->action, ==, CD_IMPORT_ACTION_INSTALL_REPLY);
  g_assert_cmpstr (item->alias, ==, "app");
  g_assert_cmpuint (item->errors->len, ==, 0);
  g_assert_cmpuint (item->warnings->len, ==, 0);
  g_assert_cmpuint (item->chain->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_same_cert (g_ptr_array_index (item->chain, i), names[i]);

  g_assert_true (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 2);
  entry = cd_keystore_lookup (store, "app");
  g_assert_cmpint (entry->kind, ==, CD_KEYSTORE_ENTRY_PRIVATE_KEY);
  g_assert_cmpint (EVP_PKEY_eq (entry->key, key), ==, 1);
  g_assert_cmpuint (entry->chain->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_same_cert (g_ptr_array_index (entry->chain, i), names[i]);
  /* the intermediate went into the chain, not into an entry of its own */
  g_assert_null (cd_keystore_lookup (store, "brand-tls-ca-2026"));

  /* the same reply again is nothing to do */
  {
    g_autoptr(CdImportPlan) again = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT,
                                                             "app", &error);

    g_assert_no_error (error);
    g_assert_cmpint (item_at (again, 0)->action, ==, CD_IMPORT_ACTION_SKIP_DUPLICATE);
    g_assert_cmpstr (item_at (again, 0)->duplicate_of, ==, "app");
  }
  EVP_PKEY_free (key);
}

/* A reply of one certificate, its issuers trusted in the store; named by the alias. */
static void
test_reply_from_store (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_PKCS12);
  g_autoptr(CdBundle) bundle = load_bundle ("app-reply");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "app-reply", "inter", "root" };
  CdImportItem *item;

  add_app_key (store);
  add_trusted (store, "root", "root");
  add_trusted (store, "inter", "inter");

  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT, "APP", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->items->len, ==, 1);
  item = item_at (plan, 0);
  g_assert_cmpint (item->action, ==, CD_IMPORT_ACTION_INSTALL_REPLY);
  g_assert_cmpstr (item->alias, ==, "app");
  g_assert_cmpuint (item->chain->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_same_cert (g_ptr_array_index (item->chain, i), names[i]);
  g_assert_cmpuint (item->warnings->len, ==, 0);

  /* a reply keeps the alias of its key */
  g_assert_false (cd_import_plan_set_alias (plan, store, 0, "other", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_true (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_keystore_lookup (store, "app")->chain->len, ==, 3);
}

/* A reply whose issuer is nowhere: installed with a warning that names the issuer. */
static void
test_reply_incomplete (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("app-reply");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  CdImportItem *item;

  add_app_key (store);
  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  item = item_at (plan, 0);
  g_assert_cmpint (item->action, ==, CD_IMPORT_ACTION_INSTALL_REPLY);
  g_assert_cmpuint (item->chain->len, ==, 1);
  g_assert_true (has_message (item->warnings, "Brand TLS CA 2026"));
  g_assert_false (cd_import_plan_has_errors (plan));

  /* with the intermediate but not the root, the root is not trusted */
  {
    g_autoptr(CdBundle) chain = NULL;
    g_autoptr(CdImportPlan) untrusted = NULL;

    cd_test_pki_bundle (pki, "reply-full", "app-reply", "inter", "root", NULL);
    chain = load_bundle ("reply-full");
    untrusted = cd_keystore_plan_import (store, chain, CD_IMPORT_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (item_at (untrusted, 0)->chain->len, ==, 3);
    g_assert_true (has_message (item_at (untrusted, 0)->warnings, "not a trusted entry"));
  }
}

/* keytool: "Public keys in reply and keystore don't match". */
static void
test_reply_wrong_key (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("stranger");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  CdKeystoreEntry *entry;

  add_app_key (store);
  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT, "app", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->items->len, ==, 1);
  g_assert_cmpint (item_at (plan, 0)->action, ==, CD_IMPORT_ACTION_INSTALL_REPLY);
  g_assert_true (has_error (item_at (plan, 0), CD_ERROR_INVALID_VALUE,
                            "The reply is not for this key"));
  g_assert_false (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  entry = cd_keystore_lookup (store, "app");
  g_assert_cmpuint (entry->chain->len, ==, 1);
  assert_same_cert (g_ptr_array_index (entry->chain, 0), "app-self");

  /* without the alias it is no reply at all: a server certificate like any other */
  {
    g_autoptr(CdImportPlan) plain = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT,
                                                             NULL, NULL);

    g_assert_cmpint (item_at (plain, 0)->action, ==, CD_IMPORT_ACTION_ADD_TRUSTED);
    g_assert_cmpstr (item_at (plain, 0)->alias, ==, "app.brand.example");
  }
}

/* A key entry whose key could not be opened cannot take a reply. */
static void
test_reply_locked (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("reply-chain");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  CdKeystoreEntry *entry;

  add_app_key (store);
  entry = cd_keystore_lookup (store, "app");
  g_clear_pointer (&entry->key, EVP_PKEY_free);
  entry->locked = TRUE;

  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item_at (plan, 0)->alias, ==, "app");
  g_assert_true (has_error (item_at (plan, 0), CD_ERROR_UNSUPPORTED, "password"));
  g_assert_false (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED);
}

/* Editing aliases in the plan, as a dialog does. */
static void
test_set_alias (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("dc");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  add_trusted (store, "taken", "other-root");
  add_app_key (store);
  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_TRUST_CA, NULL, &error);
  g_assert_no_error (error);

  /* refused outright: another certificate of the import has it, or it is empty */
  g_assert_false (cd_import_plan_set_alias (plan, store, 0, "Brand-Root-CA-G2", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_false (cd_import_plan_set_alias (plan, store, 0, "  ", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_cmpstr (item_at (plan, 0)->alias, ==, "t.mail.brand.example");

  /* accepted, with an error in the item: an entry of the store has it */
  g_assert_true (cd_import_plan_set_alias (plan, store, 0, "Taken", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (item_at (plan, 0)->alias, ==, "taken");
  g_assert_true (has_error (item_at (plan, 0), CD_ERROR_DUPLICATE, "taken"));
  g_assert_true (cd_import_plan_set_alias (plan, store, 0, "app", &error));
  g_assert_true (has_error (item_at (plan, 0), CD_ERROR_DUPLICATE, "private key entry"));
  /* and with replace, a trusted entry is replaced, a key entry never */
  cd_import_plan_set_flags (plan, store, CD_IMPORT_TRUST_CA | CD_IMPORT_REPLACE);
  g_assert_true (has_error (item_at (plan, 0), CD_ERROR_DUPLICATE, "private key entry"));
  g_assert_true (cd_import_plan_set_alias (plan, store, 0, "taken", &error));
  g_assert_cmpint (item_at (plan, 0)->action, ==, CD_IMPORT_ACTION_REPLACE);
  g_assert_false (cd_import_plan_has_errors (plan));

  g_assert_true (cd_import_plan_set_alias (plan, store, 0, "LB 2026", &error));
  g_assert_no_error (error);
  g_assert_cmpint (item_at (plan, 0)->action, ==, CD_IMPORT_ACTION_ADD_TRUSTED);
  g_assert_true (cd_keystore_apply_import (store, plan, NULL, &error));
  g_assert_no_error (error);
  assert_same_cert (entry_cert (store, "lb 2026"), "server");
  assert_same_cert (entry_cert (store, "taken"), "other-root");
}

/* Leaving out the server certificate, as the data centers advise. */
static void
test_skip (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) bundle = load_bundle ("dc");
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  plan = cd_keystore_plan_import (store, bundle, CD_IMPORT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  /* skipped items carry no errors */
  cd_import_plan_set_skipped (plan, store, 1, TRUE);
  cd_import_plan_set_skipped (plan, store, 2, TRUE);
  g_assert_false (cd_import_plan_has_errors (plan));
  g_assert_cmpint (item_at (plan, 1)->action, ==, CD_IMPORT_ACTION_SKIP);
  g_assert_cmpuint (item_at (plan, 1)->errors->len, ==, 0);

  cd_import_plan_set_flags (plan, store, CD_IMPORT_TRUST_CA);
  cd_import_plan_set_skipped (plan, store, 1, FALSE);
  cd_import_plan_set_skipped (plan, store, 0, TRUE);
  g_assert_true (cd_keystore_apply_import (store, plan, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_nonnull (cd_keystore_lookup (store, "brand-tls-ca-2026"));
  g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 1);
}

/* What keytool warns about, and the dates. */
static void
test_warnings (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) weak = load_bundle ("weak");
  g_autoptr(CdBundle) expired = load_bundle ("expired");
  g_autoptr(CdImportPlan) weak_plan = NULL;
  g_autoptr(CdImportPlan) expired_plan = NULL;

  weak_plan = cd_keystore_plan_import (store, weak, CD_IMPORT_DEFAULT, NULL, NULL);
  expired_plan = cd_keystore_plan_import (store, expired, CD_IMPORT_DEFAULT, NULL, NULL);
  for (guint i = 0; i < item_at (weak_plan, 0)->warnings->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (item_at (weak_plan, 0)->warnings, i));
  g_assert_cmpuint (item_at (weak_plan, 0)->warnings->len, ==, 3);
  g_assert_true (has_message (item_at (weak_plan, 0)->warnings, "1024"));
  g_assert_true (has_message (item_at (weak_plan, 0)->warnings, "SHA-1"));
  g_assert_true (has_message (item_at (expired_plan, 0)->warnings, "expired on 2020-03-31"));
  g_assert_false (cd_import_plan_has_errors (weak_plan));
}

/* A file with keys: the keys are named as not imported; a file with no certificate fails. */
static void
test_keys_and_empty (void)
{
  g_autoptr(CdKeystore) store = cd_keystore_new (CD_KEYSTORE_JKS);
  g_autoptr(CdBundle) with_key = NULL;
  g_autoptr(CdBundle) key_only = NULL;
  g_autoptr(CdBundle) empty = cd_bundle_new ();
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(CdImportPlan) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pair_path = cd_test_pki_path (pki, "pair.pem");

  g_file_get_contents (cd_test_pki_cert_path (pki, "server"), &cert, NULL, NULL);
  g_file_get_contents (cd_test_pki_key_path (pki, "server"), &key, NULL, NULL);
  pair = g_strconcat (cert, key, NULL);
  g_file_set_contents (pair_path, pair, -1, &error);
  g_assert_no_error (error);
  with_key = cd_bundle_load_file (pair_path, NULL, &error);
  g_assert_no_error (error);

  plan = cd_keystore_plan_import (store, with_key, CD_IMPORT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->items->len, ==, 1);
  g_assert_cmpuint (plan->warnings->len, ==, 1);
  g_assert_true (has_message (plan->warnings, "private key"));

  key_only = cd_bundle_load_file (cd_test_pki_key_path (pki, "server"), NULL, &error);
  g_assert_no_error (error);
  none = cd_keystore_plan_import (store, key_only, CD_IMPORT_DEFAULT, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_null (cd_keystore_plan_import (store, empty, CD_IMPORT_DEFAULT, NULL, &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
}

static void
test_action_names (void)
{
  g_assert_cmpstr (cd_import_action_to_string (CD_IMPORT_ACTION_ADD_TRUSTED), ==, "add-trusted");
  g_assert_cmpstr (cd_import_action_to_string (CD_IMPORT_ACTION_REPLACE), ==, "replace");
  g_assert_cmpstr (cd_import_action_to_string (CD_IMPORT_ACTION_INSTALL_REPLY), ==,
                   "install-reply");
  g_assert_cmpstr (cd_import_action_to_string (CD_IMPORT_ACTION_SKIP_DUPLICATE), ==,
                   "skip-duplicate");
  g_assert_cmpstr (cd_import_action_to_string (CD_IMPORT_ACTION_SKIP), ==, "skip");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  pki = cd_test_pki_new ();
  make_pki ();

  g_test_add_func ("/core/keystore-import/derive-alias", test_derive_alias);
  g_test_add_func ("/core/keystore-import/bundle-in-chain-order", test_bundle_in_chain_order);
  g_test_add_func ("/core/keystore-import/ca-needs-trust", test_ca_needs_trust);
  g_test_add_func ("/core/keystore-import/unique-aliases", test_unique_aliases);
  g_test_add_func ("/core/keystore-import/existing-alias", test_existing_alias);
  g_test_add_func ("/core/keystore-import/duplicate-certificate", test_duplicate_certificate);
  g_test_add_func ("/core/keystore-import/allow-duplicates", test_allow_duplicates);
  g_test_add_func ("/core/keystore-import/reply", test_reply);
  g_test_add_func ("/core/keystore-import/reply-from-store", test_reply_from_store);
  g_test_add_func ("/core/keystore-import/reply-incomplete", test_reply_incomplete);
  g_test_add_func ("/core/keystore-import/reply-wrong-key", test_reply_wrong_key);
  g_test_add_func ("/core/keystore-import/reply-locked", test_reply_locked);
  g_test_add_func ("/core/keystore-import/set-alias", test_set_alias);
  g_test_add_func ("/core/keystore-import/skip", test_skip);
  g_test_add_func ("/core/keystore-import/warnings", test_warnings);
  g_test_add_func ("/core/keystore-import/keys-and-empty", test_keys_and_empty);
  g_test_add_func ("/core/keystore-import/action-names", test_action_names);

  status = g_test_run ();
  cd_test_pki_free (pki);
  return status;
}
