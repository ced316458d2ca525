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

#include "cd-decrypt.h"
#include "cd-error.h"
#include "cd-keystore-pkcs12-private.h"

/* The bags of a PKCS#12 keystore as entries. Reading mirrors what keytool 17 (Java's
 * PKCS12KeyStore) lists, not what OpenSSL sees in the file:
 *  - a pkcs8ShroudedKeyBag is a private key entry; its chain is attached once every bag is
 *    read (cd-keystore-pkcs12-chains.c).
 *  - a certificate bag is a trusted entry only with Oracle's trusted-key-usage attribute;
 *    other certificate bags only serve key chains: keytool lists an `openssl pkcs12 -nokeys`
 *    export as 0 entries, and so does Certdesk.
 *  - the alias is the friendlyName in lower case (as keytool shows it), or "1", "2" ... for a
 *    bag without one; a later entry with the same alias replaces the earlier one in its place.
 *  - unencrypted keyBags, secret keys, CRLs and nested safeContents are skipped: Certdesk has
 *    no entry kind for them (Java reads secret keys; it skips the others too).
 *  - entries are listed in the order of their bags in the file. keytool writes all keys
 *    before all certificates, so a store's listing groups its key entries first.
 *  - PKCS#12 records no creation date; keytool's localKeyId "Time <ms>" is read back as the
 *    entry's date, as Java does; other entries have 0. */

/* Java lower-cases aliases with Locale.ENGLISH: no Turkish dotless i, whatever the locale. */
static char *
lower_alias (const char *alias)
{
  GString *lower = g_string_sized_new (strlen (alias));

  for (const char *p = alias; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (lower, g_unichar_tolower (g_utf8_get_char (p)));
  return g_string_free (lower, FALSE);
}

/* The friendlyName as UTF-8, or NULL. */
static char *
bag_friendly_name (PKCS12_SAFEBAG *bag)
{
  char *utf8 = PKCS12_get_friendlyname (bag);
  char *alias;

  ERR_clear_error ();
  if (utf8 == NULL)
    return NULL;
  alias = g_utf8_make_valid (utf8, -1);
  OPENSSL_free (utf8);
  return alias;
}

static GBytes *
bag_local_key_id (const PKCS12_SAFEBAG *bag)
{
  const ASN1_TYPE *value = PKCS12_SAFEBAG_get0_attr (bag, NID_localKeyID);

  if (value == NULL || value->type != V_ASN1_OCTET_STRING || value->value.octet_string == NULL)
    return NULL;
  return g_bytes_new (ASN1_STRING_get0_data (value->value.octet_string),
                      ASN1_STRING_length (value->value.octet_string));
}

/* Java makes an entry trusted for the attribute alone, whatever key usages it lists. */
static gboolean
bag_is_trusted (CdPkcs12Reader       *reader,
                const PKCS12_SAFEBAG *bag)
{
  const STACK_OF (X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs (bag);

  if (reader->trusted_key_usage == NULL)
    return FALSE;
  for (int i = 0; i < sk_X509_ATTRIBUTE_num (attrs); i++)
    {
      X509_ATTRIBUTE *attr = sk_X509_ATTRIBUTE_value (attrs, i);

      if (OBJ_cmp (X509_ATTRIBUTE_get0_object (attr), reader->trusted_key_usage) == 0)
        return TRUE;
    }
  return FALSE;
}

/* keytool writes localKeyId "Time <milliseconds>" and Java reads the entry's date from it. */
static gint64
created_from_key_id (GBytes *key_id)
{
  gsize length;
  const char *data = g_bytes_get_data (key_id, &length);
  g_autofree char *text = NULL;
  gint64 created = 0;

  if (length <= 5 || length > 32 || memcmp (data, "Time ", 5) != 0)
    return 0;
  text = g_strndup (data + 5, length - 5);
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &created, NULL))
    return 0;
  return created;
}

static char *
reader_unfriendly_name (CdPkcs12Reader *reader)
{
  return g_strdup_printf ("%u", ++reader->unfriendly_count);
}

/* Lists @entry, in the place of an earlier entry with its alias if there is one, as Java's
 * map of entries does. */
static void
reader_put_entry (CdPkcs12Reader  *reader,
                  CdKeystoreEntry *entry)
{
  gpointer index = g_hash_table_lookup (reader->entry_index, entry->alias);

  if (index != NULL)
    {
      guint i = GPOINTER_TO_UINT (index) - 1;

      g_ptr_array_add (reader->replaced, g_ptr_array_index (reader->entries, i));
      g_ptr_array_index (reader->entries, i) = entry;
      return;
    }
  g_ptr_array_add (reader->entries, entry);
  g_hash_table_insert (reader->entry_index, g_strdup (entry->alias),
                       GUINT_TO_POINTER (reader->entries->len));
}

static gboolean
reader_read_key_bag (CdPkcs12Reader  *reader,
                     PKCS12_SAFEBAG  *bag,
                     GError         **error)
{
  const char *key_password;
  const X509_SIG *sig = PKCS12_SAFEBAG_get0_pkcs8 (bag);
  const X509_ALGOR *alg = NULL;
  g_autoptr(GBytes) key_id = NULL;
  g_autofree char *alias = NULL;
  PKCS8_PRIV_KEY_INFO *p8;
  CdKeystoreEntry *entry;
  CdPkcs12KeyRef *ref;

  if (sig == NULL)
    {
      _cd_keystore_pkcs12_set_damaged (error, reader->name);
      return FALSE;
    }

  reader->private_key_count++;
  key_id = bag_local_key_id (bag);
  if (key_id == NULL)
    {
      /* Java's allowance for files with one key and no localKeyId; it skips other such keys */
      if (reader->private_key_count != 1)
        return TRUE;
      key_id = g_bytes_new_static ("01", 2);
    }

  alias = bag_friendly_name (bag);
  if (alias == NULL)
    alias = reader_unfriendly_name (reader);

  X509_SIG_get0 (sig, &alg, NULL);
  if (!_cd_keystore_pkcs12_charge_kdf (reader, alg, error))
    return FALSE;

  {
    g_autofree char *lower = lower_alias (alias);

    entry = _cd_keystore_entry_new (lower, CD_KEYSTORE_ENTRY_PRIVATE_KEY);
  }
  entry->created = created_from_key_id (key_id);

  ERR_clear_error ();
  key_password = reader->key_password != NULL ? reader->key_password : reader->password;
  p8 = PKCS12_decrypt_skey_ex (bag, key_password,
                               _cd_keystore_pkcs12_password_length (key_password),
                               cd_decrypt_context_get_libctx (&reader->decrypt), NULL);
  if (p8 == NULL)
    {
      if (cd_decrypt_error_is_unsupported ())
        {
          _cd_keystore_entry_free (entry);
          cd_decrypt_set_unsupported (error, reader->name);
          return FALSE;
        }
      /* a key password of its own (openssl pkcs12 -twopass): listed, not opened */
      entry->locked = TRUE;
    }
  else
    {
      /* in the default library context: the key outlives the one that decrypted it */
      entry->key = EVP_PKCS82PKEY (p8);
      PKCS8_PRIV_KEY_INFO_free (p8);
      if (entry->key == NULL)
        {
          ERR_clear_error ();
          g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                       _("The private key “%s” in “%s” uses an algorithm Certdesk cannot use. "
                         "Certdesk handles RSA, EC, Ed25519 and DSA keys."),
                       entry->alias, reader->name);
          _cd_keystore_entry_free (entry);
          return FALSE;
        }
    }

  reader_put_entry (reader, entry);

  ref = g_new0 (CdPkcs12KeyRef, 1);
  ref->entry = entry;
  ref->key_id = g_steal_pointer (&key_id);
  ref->alias = g_steal_pointer (&alias);
  g_ptr_array_add (reader->keys, ref);
  return TRUE;
}

static gboolean
reader_read_cert_bag (CdPkcs12Reader  *reader,
                      PKCS12_SAFEBAG  *bag,
                      int              index_in_safe,
                      GError         **error)
{
  g_autoptr(GBytes) key_id = NULL;
  g_autofree char *alias = NULL;
  X509 *cert;

  if (PKCS12_SAFEBAG_get_bag_nid (bag) != NID_x509Certificate)
    return TRUE;

  cert = PKCS12_SAFEBAG_get1_cert (bag);
  if (cert == NULL)
    {
      ERR_clear_error ();
      _cd_keystore_pkcs12_set_damaged (error, reader->name);
      return FALSE;
    }
  g_ptr_array_add (reader->certs, cert);

  key_id = bag_local_key_id (bag);
  /* the other half of Java's allowance for one key without localKeyId */
  if (key_id == NULL && reader->private_key_count == 1 && index_in_safe == 0)
    key_id = g_bytes_new_static ("01", 2);
  alias = bag_friendly_name (bag);

  if (bag_is_trusted (reader, bag))
    {
      g_autofree char *lower = NULL;
      CdKeystoreEntry *entry;

      if (alias == NULL)
        alias = reader_unfriendly_name (reader);
      lower = lower_alias (alias);
      entry = _cd_keystore_entry_new (lower, CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE);
      X509_up_ref (cert);
      g_ptr_array_add (entry->chain, cert);
      reader_put_entry (reader, entry);
    }
  else
    {
      CdPkcs12CertRef *ref = g_new0 (CdPkcs12CertRef, 1);

      ref->cert = cert;
      ref->key_id = g_steal_pointer (&key_id);
      ref->alias = g_steal_pointer (&alias);
      g_ptr_array_add (reader->cert_refs, ref);
    }

  if (!g_hash_table_contains (reader->by_subject, X509_get_subject_name (cert)))
    g_hash_table_insert (reader->by_subject, X509_get_subject_name (cert), cert);
  return TRUE;
}

gboolean
_cd_keystore_pkcs12_read_bags (CdPkcs12Reader             *reader,
                               STACK_OF (PKCS12_SAFEBAG)  *bags,
                               GError                    **error)
{
  int n = sk_PKCS12_SAFEBAG_num (bags);

  if (n < 0 || (guint) n > MAX_BAGS - reader->n_bags)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                   _("“%s” holds more than %d entries and certificates, more than Certdesk "
                     "reads from one keystore."),
                   reader->name, MAX_BAGS);
      return FALSE;
    }
  reader->n_bags += n;

  for (int i = 0; i < n; i++)
    {
      PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value (bags, i);
      gboolean ok = TRUE;

      switch (PKCS12_SAFEBAG_get_nid (bag))
        {
        case NID_pkcs8ShroudedKeyBag:
          ok = reader_read_key_bag (reader, bag, error);
          break;
        case NID_certBag:
          ok = reader_read_cert_bag (reader, bag, i, error);
          break;
        default:
          /* keyBag, secretBag, crlBag, safeContentsBag: see the top of the file */
          break;
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}
