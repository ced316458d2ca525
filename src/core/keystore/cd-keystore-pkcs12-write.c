// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <string.h>

#include "cd-error.h"
#include "cd-keystore-pkcs12-private.h"

/* Writing a PKCS#12 keystore does what keytool 17 (Java's PKCS12KeyStore) does: the keys in
 * shrouded key bags in a plain safe, then all certificates in a safe encrypted with
 * PBES2/AES-256-CBC/PBKDF2-HMAC-SHA256, an HMAC-SHA256 MAC, 10000 iterations and 20-byte salts
 * throughout. */

#define ANY_EXTENDED_KEY_USAGE_OID "2.5.29.37.0"

#define WRITE_ITERATIONS  10000
#define WRITE_SALT_LENGTH 20

static void
set_write_failed (GError **error)
{
  ERR_clear_error ();
  g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
               _("The PKCS#12 keystore could not be encrypted. Try again; if it fails again, "
                 "save the keystore as JKS."));
}

/* Java turns any password with characters other than printable ASCII away ("Password is not
 * ASCII"), tabs included, so a file protected by one would be lost to every Java program. */
static gboolean
check_password (const char  *password,
                GError     **error)
{
  if (password == NULL || *password == '\0')
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("Enter a password for the keystore: keytool and Java open PKCS#12 "
                     "keystores with a password only."));
      return FALSE;
    }
  for (const char *p = password; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7E)
      {
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                     _("Java cannot open a PKCS#12 keystore whose password has characters "
                       "other than ASCII letters, digits, punctuation and spaces: keytool would "
                       "not read the file. Choose such a password, or save the keystore as "
                       "JKS."));
        return FALSE;
      }
  return TRUE;
}

static gboolean
add_cert_bag (STACK_OF (PKCS12_SAFEBAG)  *bags,
              X509                       *cert,
              PKCS12_SAFEBAG            **out)
{
  PKCS12_SAFEBAG *bag = PKCS12_SAFEBAG_create_cert (cert);

  if (bag == NULL || !sk_PKCS12_SAFEBAG_push (bags, bag))
    {
      PKCS12_SAFEBAG_free (bag);
      return FALSE;
    }
  *out = bag;
  return TRUE;
}

/* "Time <milliseconds>", as keytool writes it, made unique within the file. */
static char *
make_key_id (GHashTable *used,
             gint64      created)
{
  gint64 ms = created > 0 ? created : g_get_real_time () / 1000;

  for (;; ms++)
    {
      char *id = g_strdup_printf ("Time %" G_GINT64_FORMAT, ms);

      if (!g_hash_table_contains (used, id))
        {
          g_hash_table_add (used, id);
          return g_strdup (id);
        }
      g_free (id);
    }
}

static PKCS12_SAFEBAG *
make_key_bag (EVP_PKEY   *key,
              const char *password)
{
  PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8 (key);
  X509_SIG *sig;
  PKCS12_SAFEBAG *bag;

  if (p8 == NULL)
    return NULL;
  /* pbe_nid -1 with a cipher: PBES2, with PBKDF2-HMAC-SHA256 in OpenSSL 3.0 */
  sig = PKCS8_encrypt_ex (-1, EVP_aes_256_cbc (), password, -1, NULL, WRITE_SALT_LENGTH,
                          WRITE_ITERATIONS, p8, NULL, NULL);
  /* frees with the key bytes wiped */
  PKCS8_PRIV_KEY_INFO_free (p8);
  if (sig == NULL)
    return NULL;
  bag = PKCS12_SAFEBAG_create0_pkcs8 (sig);
  if (bag == NULL)
    X509_SIG_free (sig);
  return bag;
}

static gboolean
write_entries (CdKeystore                 *store,
               const char                 *password,
               STACK_OF (PKCS12_SAFEBAG)  *key_bags,
               STACK_OF (PKCS12_SAFEBAG)  *cert_bags,
               GError                    **error)
{
  g_autoptr(GHashTable) used_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          NULL);
  ASN1_OBJECT *any_usage = OBJ_txt2obj (ANY_EXTENDED_KEY_USAGE_OID, 1);
  gboolean ok = any_usage != NULL;

  for (guint i = 0; ok && i < store->entries->len; i++)
    {
      CdKeystoreEntry *entry = g_ptr_array_index (store->entries, i);
      PKCS12_SAFEBAG *bag = NULL;

      if (entry->kind == CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE)
        {
          g_assert (entry->chain->len >= 1);
          /* With V_ASN1_OBJECT and a length of -1, OpenSSL 3.0 takes an ASN1_OBJECT*, not
           * text (text with a length would be stored as a string mislabelled as an OID). */
          ok = add_cert_bag (cert_bags, g_ptr_array_index (entry->chain, 0), &bag) &&
               PKCS12_add_friendlyname_utf8 (bag, entry->alias, -1) &&
               PKCS12_add1_attr_by_txt (bag, TRUSTED_KEY_USAGE_OID, V_ASN1_OBJECT,
                                        (const unsigned char *) any_usage, -1);
        }
      else
        {
          g_autofree char *key_id = NULL;

          if (entry->key == NULL)
            {
              g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                           _("The key of “%s” was not opened, so it cannot be saved: open the "
                             "keystore with the key’s password."),
                           entry->alias);
              ASN1_OBJECT_free (any_usage);
              return FALSE;
            }
          key_id = make_key_id (used_ids, entry->created);

          bag = make_key_bag (entry->key, password);
          if (bag != NULL && !sk_PKCS12_SAFEBAG_push (key_bags, bag))
            {
              PKCS12_SAFEBAG_free (bag);
              bag = NULL;
            }
          ok = bag != NULL && PKCS12_add_friendlyname_utf8 (bag, entry->alias, -1) &&
               PKCS12_add_localkeyid (bag, (unsigned char *) key_id, strlen (key_id));

          /* the key's own certificate carries its name and id, never the trusted attribute;
           * the rest of the chain carries nothing: Java finds it by issuer */
          for (guint j = 0; ok && j < entry->chain->len; j++)
            {
              ok = add_cert_bag (cert_bags, g_ptr_array_index (entry->chain, j), &bag);
              if (ok && j == 0)
                ok = PKCS12_add_friendlyname_utf8 (bag, entry->alias, -1) &&
                     PKCS12_add_localkeyid (bag, (unsigned char *) key_id, strlen (key_id));
            }
        }
    }

  ASN1_OBJECT_free (any_usage);
  if (!ok)
    set_write_failed (error);
  return ok;
}

GBytes *
_cd_keystore_pkcs12_write (CdKeystore  *store,
                           const char  *password,
                           GError     **error)
{
  STACK_OF (PKCS12_SAFEBAG) *key_bags = NULL;
  STACK_OF (PKCS12_SAFEBAG) *cert_bags = NULL;
  STACK_OF (PKCS7) *safes = NULL;
  PKCS12 *p12 = NULL;
  unsigned char *der = NULL;
  GBytes *bytes = NULL;
  PKCS7 *p7;
  int der_length;

  g_assert (store != NULL);

  if (!check_password (password, error))
    return NULL;

  ERR_clear_error ();
  key_bags = sk_PKCS12_SAFEBAG_new_null ();
  cert_bags = sk_PKCS12_SAFEBAG_new_null ();
  safes = sk_PKCS7_new_null ();
  if (key_bags == NULL || cert_bags == NULL || safes == NULL)
    {
      set_write_failed (error);
      goto out;
    }

  if (!write_entries (store, password, key_bags, cert_bags, error))
    goto out;

  /* keytool's layout: the keys (encrypted one by one) in a plain safe, then every
   * certificate in one encrypted safe */
  if (sk_PKCS12_SAFEBAG_num (key_bags) > 0)
    {
      p7 = PKCS12_pack_p7data (key_bags);
      if (p7 == NULL || !sk_PKCS7_push (safes, p7))
        {
          PKCS7_free (p7);
          set_write_failed (error);
          goto out;
        }
    }
  if (sk_PKCS12_SAFEBAG_num (cert_bags) > 0)
    {
      p7 = PKCS12_pack_p7encdata_ex (NID_aes_256_cbc, password, -1, NULL, WRITE_SALT_LENGTH,
                                     WRITE_ITERATIONS, cert_bags, NULL, NULL);
      if (p7 == NULL || !sk_PKCS7_push (safes, p7))
        {
          PKCS7_free (p7);
          set_write_failed (error);
          goto out;
        }
    }

  p12 = PKCS12_init_ex (NID_pkcs7_data, NULL, NULL);
  if (p12 == NULL || !PKCS12_pack_authsafes (p12, safes) ||
      !PKCS12_set_mac (p12, password, -1, NULL, WRITE_SALT_LENGTH, WRITE_ITERATIONS,
                       EVP_sha256 ()))
    {
      set_write_failed (error);
      goto out;
    }

  der_length = i2d_PKCS12 (p12, &der);
  if (der_length <= 0)
    {
      set_write_failed (error);
      goto out;
    }
  bytes = g_bytes_new (der, der_length);

out:
  OPENSSL_free (der);
  PKCS12_free (p12);
  sk_PKCS7_pop_free (safes, PKCS7_free);
  sk_PKCS12_SAFEBAG_pop_free (cert_bags, PKCS12_SAFEBAG_free);
  sk_PKCS12_SAFEBAG_pop_free (key_bags, PKCS12_SAFEBAG_free);
  ERR_clear_error ();
  return bytes;
}
