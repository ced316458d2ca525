// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-cli-keystore"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "cd-test-cli.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"

/* certdesk-cli keystore is run as a user runs it, and the keystores it writes are read back
 * with keytool, the tool DBAs use today. Each keytool call costs a JVM start (0.3 s or more):
 * the tests make few of them. */

#define PASSWORD "changeit"

/* A PKI with a data center's bundle: root, intermediate and server certificate, in the
 * disorder support attachments come in. */
static CdTestPki *pki;

/* certdesk-cli in the PKI's directory, without CERTDESK_STORE_PASSWORD unless @envp says */
#define cli_env(run, envp, ...) cd_test_cli (run, cd_test_pki_get_dir (pki), envp, __VA_ARGS__)
#define cli(run, ...) cli_env (run, NULL, __VA_ARGS__)

/* keytool in the PKI's directory, in English whatever the caller's locale; @run->status is 0
 * when it succeeded, 1 when it failed. */
static void
keytool (CdTestRun        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  cd_test_run_clear (run);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run->status = cd_test_run_keytool (cd_test_pki_get_dir (pki), (const char * const *) args->pdata,
                                     &run->out, &run->err) ? 0 : 1;
  g_test_message ("keytool %s: %d\n%s%s", first, run->status, run->out, run->err);
}

static gboolean
have_keytool (void)
{
  return cd_test_require_tool ("keytool", "OpenJDK 17");
}

static char *
path_in_pki (const char *name)
{
  return cd_test_pki_path (pki, name);
}

static void
remove_if_exists (const char *name)
{
  g_autofree char *path = path_in_pki (name);

  g_unlink (path);
}

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

/* What keytool -list -v says of one entry. */
typedef struct
{
  char *kind;   /* "trusted-certificate" or "private-key", as certdesk-cli says */
  char *sha256; /* of the entry's (first) certificate */
  int chain_length;
} Listed;

static void
listed_free (Listed *listed)
{
  g_free (listed->kind);
  g_free (listed->sha256);
  g_free (listed);
}

static const char *
after (const char *line,
       const char *prefix)
{
  const char *start = g_strstr_len (line, -1, prefix);

  return start != NULL ? g_strstrip ((char *) start + strlen (prefix)) : NULL;
}

/* alias -> Listed, from `keytool -list -v` (in English, see keytool()). */
static GHashTable *
parse_keytool_listing (const char *output)
{
  GHashTable *entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) listed_free);
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  Listed *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *value;

      if ((value = after (lines[i], "Alias name:")) != NULL)
        {
          current = g_new0 (Listed, 1);
          current->chain_length = 1;
          g_hash_table_insert (entries, g_strdup (value), current);
        }
      else if (current == NULL)
        continue;
      else if ((value = after (lines[i], "Entry type:")) != NULL)
        current->kind = g_strdup (g_str_equal (value, "PrivateKeyEntry") ? "private-key"
                                                                          : "trusted-certificate");
      else if ((value = after (lines[i], "Certificate chain length:")) != NULL)
        current->chain_length = atoi (value);
      else if ((value = after (lines[i], "SHA256:")) != NULL && current->sha256 == NULL)
        current->sha256 = g_strdup (value);
    }
  return entries;
}

/* keytool -list -v of @keystore equals certdesk-cli keystore list --json of @keystore. */
static void
assert_listing_matches_keytool (const char *keystore,
                                guint       n_entries)
{
  g_auto(CdTestRun) ours = { 0 };
  g_auto(CdTestRun) theirs = { 0 };
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GHashTable) listed = NULL;
  JsonArray *entries;

  cli (&ours, "keystore", "list", "--json", "--password", PASSWORD, keystore, NULL);
  g_assert_cmpint (ours.status, ==, 0);
  root = parse_json (ours.out);
  entries = json_object_get_array_member (root, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, n_entries);

  keytool (&theirs, "-list", "-v", "-keystore", keystore, "-storepass", PASSWORD, NULL);
  g_assert_cmpint (theirs.status, ==, 0);
  listed = parse_keytool_listing (theirs.out);
  g_assert_cmpuint (g_hash_table_size (listed), ==, n_entries);

  for (guint i = 0; i < n_entries; i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *alias = json_object_get_string_member (entry, "alias");
      Listed *expected = g_hash_table_lookup (listed, alias);

      g_assert_nonnull (expected);
      g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, expected->kind);
      g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, expected->sha256);
      g_assert_cmpint (json_object_get_int_member (entry, "chain_length"), ==,
                       expected->chain_length);
      g_assert_false (json_object_get_boolean_member (entry, "locked"));
      /* PKCS#12 records a date for key entries only (keytool's localKeyId "Time ms") */
      if (g_str_equal (json_object_get_string_member (root, "type"), "jks") ||
          g_str_equal (expected->kind, "private-key"))
        g_assert_nonnull (json_object_get_string_member (entry, "created"));
    }
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static char *
fingerprint (const char *name)
{
  return cd_test_openssl_sha256 (cd_test_pki_get_dir (pki), name);
}

/* The DBA's job: one call for the whole bundle, and keytool sees what it would have made with
 * three calls. */
static void
test_import_bundle (void)
{
  g_auto(CdTestRun) run = { 0 };
  g_autofree char *keystore = path_in_pki ("dc.jks");
  g_autoptr(JsonObject) root = NULL;
  const char *aliases[] = { "brand-root-ca-g2", "brand-tls-ca-2026", "t.mail.brand.example" };
  const char *names[] = { "root", "inter", "server" };

  if (!have_keytool ())
    return;
  remove_if_exists ("dc.jks");

  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "dc.jks", "dc.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Added “t.mail.brand.example”"));
  g_assert_nonnull (strstr (run.out, "Added “brand-tls-ca-2026”"));
  g_assert_nonnull (strstr (run.out, "Added “brand-root-ca-g2”"));
  /* the data centers' advice, where the server certificate is imported */
  g_assert_nonnull (strstr (run.err, "warning: Trust the root, not the load balancer"));
  g_assert_true (g_file_test (keystore, G_FILE_TEST_IS_REGULAR));

  assert_listing_matches_keytool ("dc.jks", 3);

  cli (&run, "keystore", "list", "--json", "--password", PASSWORD, "dc.jks", NULL);
  root = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "jks");
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      JsonObject *entry = json_array_get_object_element (
        json_object_get_array_member (root, "entries"), i);
      g_autofree char *sha256 = fingerprint (cd_test_pki_cert_path (pki, names[i]));

      g_assert_cmpstr (json_object_get_string_member (entry, "alias"), ==, aliases[i]);
      g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, "trusted-certificate");
      g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, sha256);
    }

  /* the text listing says the same */
  cli (&run, "keystore", "list", "--password", PASSWORD, "dc.jks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Keystore type: JKS"));
  g_assert_nonnull (strstr (run.out, "brand-root-ca-g2: trusted certificate"));
}

/* What keytool refuses, Certdesk refuses, writing nothing; what is there already is skipped
 * with exit status 1. */
static void
test_import_refusals (void)
{
  g_auto(CdTestRun) run = { 0 };
  g_autofree char *keystore = path_in_pki ("refusals.p12");
  g_autofree char *backup = path_in_pki ("refusals.p12.bak");
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *other = fingerprint (cd_test_pki_cert_path (pki, "other-root"));

  remove_if_exists ("refusals.p12");
  remove_if_exists ("refusals.p12.bak");

  /* a CA without --trust: keytool would ask; nothing is created */
  cli (&run, "keystore", "import", "--password", PASSWORD, "refusals.p12", "dc.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "-trustcacerts"));
  g_assert_nonnull (strstr (run.err, "--trust"));
  g_assert_false (g_file_test (keystore, G_FILE_TEST_EXISTS));

  /* keytool's rule for a new keystore's password */
  cli (&run, "keystore", "import", "--trust", "--password", "short", "refusals.p12", "dc.pem",
       NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "6 characters"));
  g_assert_false (g_file_test (keystore, G_FILE_TEST_EXISTS));

  /* .p12: PKCS#12, also without --type */
  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "refusals.p12",
       "root.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));

  /* the same certificate again: skipped, said so, not written, exit 1 */
  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "refusals.p12", "dc.pem",
       NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "already as “brand-root-ca-g2”"));
  g_assert_nonnull (strstr (run.out, "Added “brand-tls-ca-2026”"));
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));

  /* an alias that is taken: an error, unless --replace */
  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "--alias",
       "brand-root-ca-g2", "refusals.p12", "other-root.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "already exists"));
  cli (&run, "keystore", "import", "--trust", "--replace", "--password", PASSWORD, "--alias",
       "brand-root-ca-g2", "refusals.p12", "other-root.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Replaced “brand-root-ca-g2”"));

  cli (&run, "keystore", "list", "--json", "--password", PASSWORD, "refusals.p12", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "pkcs12");
  {
    JsonArray *entries = json_object_get_array_member (root, "entries");
    gboolean found = FALSE;

    g_assert_cmpuint (json_array_get_length (entries), ==, 3);
    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);

        if (g_str_equal (json_object_get_string_member (entry, "alias"), "brand-root-ca-g2"))
          {
            g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, other);
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  /* --type must agree with an existing keystore */
  cli (&run, "keystore", "import", "--type", "jks", "--password", PASSWORD, "refusals.p12",
       "server.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "pkcs12"));
}

/* A vendor's PKCS#12 bundle has a password of its own. */
static void
test_import_pkcs12_bundle (void)
{
  g_auto(CdTestRun) run = { 0 };

  remove_if_exists ("from-p12.jks");
  g_assert_true (cd_test_pki_openssl (pki, NULL, "pkcs12", "-export", "-nokeys", "-in", "dc.pem",
                                      "-out", "dc.p12", "-passout", "pass:vendor-secret", NULL));

  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "from-p12.jks", "dc.p12",
       NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "dc.p12"));

  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "--file-password",
       "vendor-secret", "from-p12.jks", "dc.p12", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Created the jks keystore “from-p12.jks” (3 entries)"));
}

/* Passwords stay out of the process list: --password-file and the environment. */
static void
test_passwords (void)
{
  g_auto(CdTestRun) run = { 0 };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "CERTDESK_STORE_PASSWORD", PASSWORD,
                                         TRUE);
  g_auto(GStrv) wrong_envp = g_environ_setenv (g_get_environ (), "CERTDESK_STORE_PASSWORD",
                                               "wrong-password", TRUE);
  g_autofree char *right_file = path_in_pki ("right.txt");
  g_autofree char *wrong_file = path_in_pki ("wrong.txt");

  g_assert_true (g_file_set_contents (right_file, PASSWORD "\n", -1, NULL));
  g_assert_true (g_file_set_contents (wrong_file, "wrong-password\r\n", -1, NULL));
  remove_if_exists ("passwords.jks");

  cli_env (&run, envp, "keystore", "import", "--trust", "passwords.jks", "root.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli (&run, "keystore", "list", "--password-file", "right.txt", "passwords.jks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_env (&run, envp, "keystore", "list", "passwords.jks", NULL);
  g_assert_cmpint (run.status, ==, 0);

  /* the option wins over the file, the file over the environment */
  cli (&run, "keystore", "list", "--password", PASSWORD, "--password-file", "wrong.txt",
       "passwords.jks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_env (&run, wrong_envp, "keystore", "list", "--password-file", "right.txt", "passwords.jks",
           NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_env (&run, envp, "keystore", "list", "--password-file", "wrong.txt", "passwords.jks",
           NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* none at all */
  cli (&run, "keystore", "list", "passwords.jks", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "CERTDESK_STORE_PASSWORD"));
  g_assert_cmpstr (run.out, ==, "");
  cli (&run, "keystore", "list", "--password-file", "missing.txt", "passwords.jks", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "missing.txt"));
}

/* A wrong password is told as keytool tells it. */
static void
test_wrong_password (void)
{
  g_auto(CdTestRun) run = { 0 };
  g_auto(CdTestRun) theirs = { 0 };
  g_autofree char *message = NULL;
  const char *start;

  if (!have_keytool ())
    return;
  remove_if_exists ("wrong.jks");
  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "wrong.jks", "root.pem",
       NULL);
  g_assert_cmpint (run.status, ==, 0);

  keytool (&theirs, "-list", "-keystore", "wrong.jks", "-storepass", "not-the-password", NULL);
  g_assert_cmpint (theirs.status, !=, 0);
  /* "keytool error: java.io.IOException: MESSAGE" */
  start = strstr (theirs.out, "IOException: ");
  g_assert_nonnull (start);
  start += strlen ("IOException: ");
  message = g_strndup (start, strcspn (start, "\r\n"));

  cli (&run, "keystore", "list", "--password", "not-the-password", "wrong.jks", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, message));
}

/* The same entries, in the same order; the dates of key entries too (PKCS#12 keeps no date
 * for trusted certificates). */
static void
assert_same_entries (JsonObject *a,
                     JsonObject *b)
{
  JsonArray *entries_a = json_object_get_array_member (a, "entries");
  JsonArray *entries_b = json_object_get_array_member (b, "entries");
  const char *members[] = { "alias", "kind", "subject", "sha256", "not_after" };

  g_assert_cmpuint (json_array_get_length (entries_a), ==, json_array_get_length (entries_b));
  for (guint i = 0; i < json_array_get_length (entries_a); i++)
    {
      JsonObject *entry_a = json_array_get_object_element (entries_a, i);
      JsonObject *entry_b = json_array_get_object_element (entries_b, i);

      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_cmpstr (json_object_get_string_member (entry_a, members[m]), ==,
                         json_object_get_string_member (entry_b, members[m]));
      g_assert_cmpint (json_object_get_int_member (entry_a, "chain_length"), ==,
                       json_object_get_int_member (entry_b, "chain_length"));
      if (g_str_equal (json_object_get_string_member (entry_a, "kind"), "private-key"))
        g_assert_cmpstr (json_object_get_string_member (entry_a, "created"), ==,
                         json_object_get_string_member (entry_b, "created"));
    }
}

/* The CA's reply for a key keytool generated, then export and convert, each checked with
 * keytool or openssl. */
static void
test_reply_export_convert (void)
{
  g_auto(CdTestRun) run = { 0 };
  g_autofree char *key_out = path_in_pki ("app-out.pem");
  g_autofree char *p12 = path_in_pki ("app.p12");
  g_autofree char *p12_backup = path_in_pki ("app.p12.bak");
  g_autofree char *pubkey_cert = NULL;
  g_autofree char *pubkey_key = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *root_sha256 = fingerprint (cd_test_pki_cert_path (pki, "root"));
  g_autofree char *exported_sha256 = NULL;
  g_autoptr(JsonObject) jks = NULL;
  g_autoptr(JsonObject) back = NULL;
  struct stat st;

  if (!have_keytool ())
    return;
  remove_if_exists ("app.jks");
  remove_if_exists ("app.jks.bak");
  remove_if_exists ("app-out.pem");
  remove_if_exists ("app-root.pem");
  remove_if_exists ("app.p12");
  remove_if_exists ("app.p12.bak");
  remove_if_exists ("app-back.jks");

  keytool (&run, "-genkeypair", "-alias", "app", "-keyalg", "EC", "-groupname", "secp256r1",
           "-dname", "CN=app.brand.example", "-validity", "90", "-storetype", "JKS", "-keystore",
           "app.jks", "-storepass", PASSWORD, "-keypass", PASSWORD, NULL);
  g_assert_cmpint (run.status, ==, 0);
  keytool (&run, "-certreq", "-alias", "app", "-file", "app.csr", "-keystore", "app.jks",
           "-storepass", PASSWORD, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (cd_test_pki_openssl (pki, NULL, "x509", "-req", "-in", "app.csr", "-CA",
                                      "inter.pem", "-CAkey", "inter.key", "-set_serial", "4242",
                                      "-days", "90", "-out", "app-reply.pem", NULL));

  /* the CA certificates first, as keytool wants them; then the reply, found by its key */
  cli (&run, "keystore", "import", "--trust", "--password", PASSWORD, "app.jks", "root.pem",
       "inter.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli (&run, "keystore", "import", "--password", PASSWORD, "app.jks", "app-reply.pem", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "in the key entry “app”: a chain of 3 certificates"));

  /* a certificate for another key is no reply for "app" */
  cli (&run, "keystore", "import", "--password", PASSWORD, "--alias", "app", "app.jks",
       "server.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "The reply is not for this key"));

  assert_listing_matches_keytool ("app.jks", 3);

  /* export: a trusted certificate as openssl sees it; a key entry's chain and its key */
  cli (&run, "keystore", "export", "--password", PASSWORD, "--alias", "Brand-Root-CA-G2",
       "--out", "app-root.pem", "app.jks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  exported_sha256 = fingerprint ("app-root.pem");
  g_assert_cmpstr (exported_sha256, ==, root_sha256);

  cli (&run, "keystore", "export", "--password", PASSWORD, "--alias", "app", "--include-key",
       "--out", "app-out.pem", "app.jks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (g_stat (key_out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (key_out, &exported, NULL, NULL));
  g_assert_cmpuint (count (exported, "-----BEGIN CERTIFICATE-----"), ==, 3);
  g_assert_nonnull (strstr (exported, "-----BEGIN PRIVATE KEY-----"));
  pubkey_cert = cd_test_spawn_openssl (cd_test_pki_get_dir (pki), "x509", "-in", "app-out.pem",
                                       "-noout", "-pubkey", NULL);
  pubkey_key = cd_test_spawn_openssl (cd_test_pki_get_dir (pki), "pkey", "-in", "app-out.pem",
                                      "-pubout", NULL);
  g_assert_cmpstr (pubkey_cert, ==, pubkey_key);
  {
    g_autofree char *reply_sha256 = fingerprint ("app-reply.pem");
    g_autofree char *leaf_sha256 = fingerprint ("app-out.pem");

    g_assert_cmpstr (leaf_sha256, ==, reply_sha256);
  }
  /* never over an existing file, and never a trusted entry's "key" */
  cli (&run, "keystore", "export", "--password", PASSWORD, "--alias", "app", "--include-key",
       "--out", "app-out.pem", "app.jks", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "never overwrites"));
  cli (&run, "keystore", "export", "--password", PASSWORD, "--alias", "nobody", "--out",
       "nobody.pem", "app.jks", NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* convert: keytool lists the PKCS#12 as it listed the JKS */
  cli (&run, "keystore", "convert", "--password", PASSWORD, "--to", "pkcs12", "app.jks",
       "app.p12", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_listing_matches_keytool ("app.p12", 3);

  cli (&run, "keystore", "convert", "--password", PASSWORD, "--to", "pkcs12", "app.jks",
       "app.p12", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--force"));
  g_assert_false (g_file_test (p12_backup, G_FILE_TEST_EXISTS));
  cli (&run, "keystore", "convert", "--force", "--password", PASSWORD, "--to", "pkcs12",
       "app.jks", "app.p12", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (p12_backup, G_FILE_TEST_EXISTS));

  /* and back: the same entries, dates included */
  cli (&run, "keystore", "convert", "--password", PASSWORD, "--to", "jks", "app.p12",
       "app-back.jks", NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli (&run, "keystore", "list", "--json", "--password", PASSWORD, "app.jks", NULL);
  jks = parse_json (run.out);
  cli (&run, "keystore", "list", "--json", "--password", PASSWORD, "app-back.jks", NULL);
  back = parse_json (run.out);
  assert_same_entries (jks, back);
  g_assert_true (g_file_test (p12, G_FILE_TEST_IS_REGULAR));
}

static void
test_usage (void)
{
  g_auto(CdTestRun) run = { 0 };

  cli (&run, "keystore", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "import"));
  cli (&run, "keystore", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "convert"));
  cli (&run, "keystore", "shred", NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli (&run, "keystore", "import", "--password", PASSWORD, "only-a-keystore.jks", NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli (&run, "keystore", "import", "--password", PASSWORD, "--type", "pem", "x.jks", "root.pem",
       NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli (&run, "keystore", "convert", "--password", PASSWORD, "--to", "jceks", "a.jks", "b.jceks",
       NULL);
  g_assert_cmpint (run.status, ==, 2);
  cli (&run, "keystore", "import", "--password", PASSWORD, "garbage.jks", "no-such-file.pem",
       NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no-such-file.pem"));
  cli (&run, "keystore", "list", "--password", PASSWORD, "root.pem", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "root.pem"));
  cli (&run, "--help", NULL);
  g_assert_nonnull (strstr (run.out, "keystore"));
}

int
main (int   argc,
      char *argv[])
{
  const CdTestCertSpec root = { .subject = "/O=Brand Trust/CN=Brand Root CA G2", .ca = TRUE };
  const CdTestCertSpec inter = { .subject = "/O=Brand Trust/CN=Brand TLS CA 2026", .ca = TRUE };
  const CdTestCertSpec other_root = { .subject = "/CN=Other Root", .ca = TRUE };
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("CERTDESK_CLI"));

  pki = cd_test_pki_new ();
  cd_test_pki_make_self_signed (pki, "root", &root);
  cd_test_pki_issue (pki, "inter", "root", &inter);
  cd_test_pki_make_leaf (pki, "server", "inter", "t.mail.brand.example");
  cd_test_pki_make_self_signed (pki, "other-root", &other_root);
  cd_test_pki_bundle (pki, "dc", "root", "server", "inter", NULL);

  g_test_add_func ("/cli/keystore/import-bundle", test_import_bundle);
  g_test_add_func ("/cli/keystore/import-refusals", test_import_refusals);
  g_test_add_func ("/cli/keystore/import-pkcs12-bundle", test_import_pkcs12_bundle);
  g_test_add_func ("/cli/keystore/passwords", test_passwords);
  g_test_add_func ("/cli/keystore/wrong-password", test_wrong_password);
  g_test_add_func ("/cli/keystore/reply-export-convert", test_reply_export_convert);
  g_test_add_func ("/cli/keystore/usage", test_usage);

  status = g_test_run ();
  cd_test_pki_free (pki);
  return status;
}
