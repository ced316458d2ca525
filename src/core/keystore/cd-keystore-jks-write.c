// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "cd-error.h"
#include "cd-keystore-jks-private.h"

/* Writing JKS as keytool 17 does: version 2, aliases in lower case, every private key under
 * the store password. JCEKS is read only. */

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (out, (const guint8 *) &be, sizeof be);
}

static void
put_u64 (GByteArray *out,
         guint64     value)
{
  guint64 be = GUINT64_TO_BE (value);

  g_byte_array_append (out, (const guint8 *) &be, sizeof be);
}

static gboolean
put_certificate (GByteArray *out,
                 X509       *cert)
{
  unsigned char *der = NULL;
  int length = i2d_X509 (cert, &der);

  if (length <= 0)
    return FALSE;
  _cd_jks_put_mutf8 (out, CERTIFICATE_TYPE);
  put_u32 (out, (guint32) length);
  g_byte_array_append (out, der, (guint) length);
  OPENSSL_free (der);
  return TRUE;
}

static void
set_write_failed (GError     **error,
                  const char  *alias)
{
  ERR_clear_error ();
  g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
               _("The entry “%s” cannot be written into the keystore: OpenSSL could not encode "
                 "it."),
               alias);
}

static gboolean
put_entry (GByteArray         *out,
           CdKeystoreEntry    *entry,
           const char         *alias,
           const CdJksSecret  *password,
           GError            **error)
{
  gint64 created = entry->created != 0 ? entry->created : g_get_real_time () / 1000;

  if (entry->chain->len == 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("The entry “%s” has no certificate: Java keystores need one for every "
                     "entry. Add the certificate, or remove the entry."),
                   entry->alias);
      return FALSE;
    }

  if (entry->kind == CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE)
    {
      put_u32 (out, TAG_TRUSTED_CERT);
      if (!_cd_jks_put_mutf8 (out, alias))
        goto alias_too_long;
      put_u64 (out, (guint64) created);
      if (!put_certificate (out, g_ptr_array_index (entry->chain, 0)))
        {
          set_write_failed (error, entry->alias);
          return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autoptr(GBytes) protected_key = NULL;

      if (entry->key == NULL)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                       _("The key of “%s” is protected by a password of its own, which was not "
                         "given: open the keystore with that key password to save it."),
                       entry->alias);
          return FALSE;
        }

      protected_key = _cd_jks_protect_key (entry->key, password);
      if (protected_key == NULL || g_bytes_get_size (protected_key) > G_MAXUINT32)
        {
          set_write_failed (error, entry->alias);
          return FALSE;
        }

      put_u32 (out, TAG_PRIVATE_KEY);
      if (!_cd_jks_put_mutf8 (out, alias))
        goto alias_too_long;
      put_u64 (out, (guint64) created);
      put_u32 (out, (guint32) g_bytes_get_size (protected_key));
      g_byte_array_append (out, g_bytes_get_data (protected_key, NULL),
                           (guint) g_bytes_get_size (protected_key));
      put_u32 (out, entry->chain->len);
      for (guint i = 0; i < entry->chain->len; i++)
        if (!put_certificate (out, g_ptr_array_index (entry->chain, i)))
          {
            set_write_failed (error, entry->alias);
            return FALSE;
          }
      return TRUE;
    }

alias_too_long:
  g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
               _("The alias “%.40s…” is too long for a Java keystore: choose a shorter one."),
               entry->alias);
  return FALSE;
}

GBytes *
_cd_keystore_jks_write (CdKeystore  *store,
                        const char  *password,
                        GError     **error)
{
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GHashTable) aliases = NULL;
  g_auto(CdJksSecret) store_password = { 0 };
  guint8 digest[SHA1_LEN];

  g_return_val_if_fail (store != NULL, NULL);

  if (store->type != CD_KEYSTORE_JKS)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                   _("Certdesk reads JCEKS keystores but does not write them: save the keystore "
                     "as JKS or PKCS#12."));
      return NULL;
    }
  if (password == NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("Enter a password for the keystore: a JKS keystore is always protected by "
                     "one."));
      return NULL;
    }
  if (!_cd_jks_password_to_utf16be (password, &store_password))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("The password is not valid UTF-8 text."));
      return NULL;
    }

  out = g_byte_array_new ();
  put_u32 (out, JKS_MAGIC);
  put_u32 (out, 2);
  put_u32 (out, store->entries->len);

  aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < store->entries->len; i++)
    {
      CdKeystoreEntry *entry = g_ptr_array_index (store->entries, i);
      /* Java lower-cases on lookup: an alias with capitals could never be found again */
      char *alias = g_utf8_strdown (entry->alias, -1);

      if (!g_hash_table_add (aliases, alias))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                       _("The alias “%s” and another one differ only in case, which a JKS "
                         "keystore cannot tell apart: rename one of them."),
                       entry->alias);
          return NULL;
        }
      if (!put_entry (out, entry, alias, &store_password, error))
        return NULL;
    }

  if (!_cd_jks_store_digest (&store_password, out->data, out->len, digest))
    {
      ERR_clear_error ();
      g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                   _("The keystore cannot be written: OpenSSL could not compute its digest."));
      return NULL;
    }
  g_byte_array_append (out, digest, SHA1_LEN);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
