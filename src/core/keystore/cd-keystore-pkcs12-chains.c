// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cd-error.h"
#include "cd-keystore-pkcs12-private.h"

/* The chain of a PKCS#12 keystore's private key entry, as keytool 17 (Java's PKCS12KeyStore)
 * lists it: its certificate (the certificate bag with the same localKeyId, preferring one with
 * the same friendlyName), then issuer after issuer, found by subject among all certificate
 * bags, up to a self-signed certificate. A key without a certificate is listed with an empty
 * chain, as keytool lists it ("Certificate chain length: 0"). */

/* Java's test: the certificate names itself as issuer and its own key verifies it. Each
 * certificate is verified once, however many chains pass through it. */
static gboolean
reader_is_self_signed (CdPkcs12Reader *reader,
                       X509           *cert)
{
  gpointer known = g_hash_table_lookup (reader->self_signed, cert);
  EVP_PKEY *pkey;
  gboolean self_signed;

  if (known != NULL)
    return GPOINTER_TO_INT (known) == 2;

  self_signed = X509_NAME_cmp (X509_get_subject_name (cert), X509_get_issuer_name (cert)) == 0;
  if (self_signed)
    {
      pkey = X509_get0_pubkey (cert);
      self_signed = pkey != NULL && X509_verify (cert, pkey) == 1;
      ERR_clear_error ();
    }
  g_hash_table_insert (reader->self_signed, cert, GINT_TO_POINTER (self_signed ? 2 : 1));
  return self_signed;
}

static char *
match_key (GBytes     *key_id,
           const char *alias)
{
  g_autofree char *hex = NULL;
  g_autofree char *folded = g_utf8_casefold (alias, -1);
  gsize length;
  const guint8 *data = g_bytes_get_data (key_id, &length);

  hex = g_malloc (length * 2 + 1);
  for (gsize i = 0; i < length; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", data[i]);
  hex[length * 2] = '\0';
  return g_strconcat (hex, "/", folded, NULL);
}

/* Finds each key's certificate as Java does: the first certificate with the key's localKeyId
 * and alias; else the last one with its localKeyId; else the last one with its alias. Then
 * follows issuers up to a self-signed certificate. */
gboolean
_cd_keystore_pkcs12_attach_chains (CdPkcs12Reader  *reader,
                                   GError         **error)
{
  g_autoptr(GHashTable) full = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_key_id = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  g_autoptr(GHashTable) by_alias = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          NULL);

  for (guint i = 0; i < reader->cert_refs->len; i++)
    {
      CdPkcs12CertRef *ref = g_ptr_array_index (reader->cert_refs, i);

      if (ref->key_id != NULL)
        g_hash_table_insert (by_key_id, ref->key_id, ref);
      if (ref->alias != NULL)
        g_hash_table_insert (by_alias, g_utf8_casefold (ref->alias, -1), ref);
      if (ref->key_id != NULL && ref->alias != NULL)
        {
          char *key = match_key (ref->key_id, ref->alias);

          if (g_hash_table_contains (full, key))
            g_free (key);
          else
            g_hash_table_insert (full, key, ref);
        }
    }

  for (guint i = 0; i < reader->keys->len; i++)
    {
      CdPkcs12KeyRef *key = g_ptr_array_index (reader->keys, i);
      g_autofree char *full_key = match_key (key->key_id, key->alias);
      g_autofree char *folded = g_utf8_casefold (key->alias, -1);
      CdPkcs12CertRef *match;
      X509 *cert;

      match = g_hash_table_lookup (full, full_key);
      if (match == NULL)
        match = g_hash_table_lookup (by_key_id, key->key_id);
      if (match == NULL)
        match = g_hash_table_lookup (by_alias, folded);

      for (cert = match != NULL ? match->cert : NULL; cert != NULL;)
        {
          GPtrArray *chain = key->entry->chain;
          gboolean seen = FALSE;

          for (guint j = 0; j < chain->len && !seen; j++)
            seen = X509_cmp (g_ptr_array_index (chain, j), cert) == 0;
          if (seen)
            break;

          if (chain->len >= MAX_CHAIN_LENGTH)
            {
              g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                           _("The certificate chain of “%s” in “%s” is longer than %d "
                             "certificates, more than Certdesk reads."),
                           key->entry->alias, reader->name, MAX_CHAIN_LENGTH);
              return FALSE;
            }
          X509_up_ref (cert);
          g_ptr_array_add (chain, cert);
          if (reader_is_self_signed (reader, cert))
            break;
          cert = g_hash_table_lookup (reader->by_subject, X509_get_issuer_name (cert));
        }
    }
  return TRUE;
}
