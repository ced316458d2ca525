// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/x509v3.h>

#include "cd-cert-checks.h"
#include "cd-chain.h"
#include "cd-error.h"
#include "cd-keystore-import-private.h"

/* Deepest chain a reply may have: real ones have three or four certificates. */
#define MAX_CHAIN_DEPTH 10

/* The public key an entry's key has: from the key itself, or from its certificate when the
 * key is locked. */
static EVP_PKEY *
entry_public_key (CdKeystoreEntry *entry)
{
  if (entry->key != NULL)
    return entry->key;
  if (entry->chain->len > 0)
    return X509_get0_pubkey (g_ptr_array_index (entry->chain, 0));
  return NULL;
}

gboolean
_cd_import_is_for_key (X509            *cert,
                      CdKeystoreEntry *entry)
{
  EVP_PKEY *key = entry_public_key (entry);
  EVP_PKEY *cert_key = X509_get0_pubkey (cert);

  return key != NULL && cert_key != NULL && EVP_PKEY_eq (cert_key, key) == 1;
}

static gboolean
issued_by (X509 *issuer,
           X509 *subject)
{
  EVP_PKEY *key = X509_get0_pubkey (issuer);

  return X509_cmp (issuer, subject) != 0 && X509_check_issued (issuer, subject) == X509_V_OK &&
         key != NULL && X509_verify (subject, key) == 1;
}

static gboolean
contains_cert (GPtrArray *certs,
               X509      *cert)
{
  for (guint i = 0; i < certs->len; i++)
    if (X509_cmp (g_ptr_array_index (certs, i), cert) == 0)
      return TRUE;
  return FALSE;
}

/* The issuer of @cert among the reply's certificates first, then the trusted entries of the
 * store, leaving out those already in @chain. */
static X509 *
find_issuer (X509       *cert,
             GPtrArray  *reply,
             CdKeystore *store,
             GPtrArray  *chain)
{
  for (guint i = 0; i < reply->len; i++)
    {
      X509 *candidate = g_ptr_array_index (reply, i);

      if (!contains_cert (chain, candidate) && issued_by (candidate, cert))
        return candidate;
    }

  for (guint i = 0; i < cd_keystore_get_n_entries (store); i++)
    {
      CdKeystoreEntry *entry = cd_keystore_get_entry (store, i);
      X509 *candidate;

      if (entry->kind != CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE || entry->chain->len == 0)
        continue;
      candidate = g_ptr_array_index (entry->chain, 0);
      if (!contains_cert (chain, candidate) && issued_by (candidate, cert))
        return candidate;
    }
  return NULL;
}

/* Leaf first, then each issuer, up to a self-signed root or the first certificate whose
 * issuer is nowhere to be found. */
static GPtrArray *
build_reply_chain (X509       *leaf,
                   GPtrArray  *reply,
                   CdKeystore *store)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  X509 *current = leaf;

  X509_up_ref (leaf);
  g_ptr_array_add (chain, leaf);
  while (chain->len < MAX_CHAIN_DEPTH && X509_self_signed (current, 0) != 1)
    {
      X509 *issuer = find_issuer (current, reply, store, chain);

      if (issuer == NULL)
        break;
      X509_up_ref (issuer);
      g_ptr_array_add (chain, issuer);
      current = issuer;
    }
  return chain;
}

static gboolean
same_chain (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (X509_cmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

void
_cd_import_evaluate_reply (CdImportPlan  *plan,
                          CdImportIndex *index,
                          CdImportItem  *item)
{
  CdKeystoreEntry *entry = _cd_import_index_lookup (index, item->alias);
  g_autofree char *name = cd_cert_checks_display_name (item->certificate);
  g_autofree char *missing = NULL;
  X509 *last;

  item->action = CD_IMPORT_ACTION_INSTALL_REPLY;

  if (entry == NULL || entry->kind != CD_KEYSTORE_ENTRY_PRIVATE_KEY)
    {
      _cd_import_item_add_error (item, CD_ERROR_NOT_FOUND,
                                g_strdup_printf (_("The keystore has no private key entry "
                                                   "“%s” any more: plan the import again."),
                                                 item->alias));
      return;
    }

  if (!_cd_import_is_for_key (item->certificate, entry))
    {
      _cd_import_item_add_error (item, CD_ERROR_INVALID_VALUE,
                                g_strdup_printf (_("The reply is not for this key: the public "
                                                   "key of “%s” is not the key of the entry "
                                                   "“%s” (keytool: “Public keys in reply and "
                                                   "keystore don't match”). Check that the CA "
                                                   "signed the CSR made from this entry."),
                                                 name, entry->alias));
      return;
    }

  if (entry->key == NULL)
    {
      _cd_import_item_add_error (item, CD_ERROR_UNSUPPORTED,
                                g_strdup_printf (_("The key of “%s” is protected by a password "
                                                   "of its own, which was not given: open the "
                                                   "keystore with that key password to install "
                                                   "the reply."),
                                                 entry->alias));
      return;
    }

  if (same_chain (item->chain, entry->chain))
    {
      item->action = CD_IMPORT_ACTION_SKIP_DUPLICATE;
      g_free (item->duplicate_of);
      item->duplicate_of = g_strdup (entry->alias);
      return;
    }

  _cd_import_item_add_certificate_warnings (item);

  missing = cd_chain_find_missing_issuer (item->chain);
  last = g_ptr_array_index (item->chain, item->chain->len - 1);
  if (missing != NULL)
    {
      g_autofree char *last_name = cd_cert_checks_display_name (last);

      _cd_import_item_add_warning (item,
                                  g_strdup_printf (_("The chain of the reply ends at “%s”: its "
                                                     "issuer “%s” is neither in the file nor a "
                                                     "trusted entry of the keystore (keytool "
                                                     "would fail with “Failed to establish "
                                                     "chain from reply”). Import the issuer’s "
                                                     "certificate first."),
                                                   last_name, missing));
    }
  else
    {
      const char *trusted = _cd_import_index_find_certificate (index, last);
      CdKeystoreEntry *anchor =
        trusted != NULL ? _cd_import_index_lookup (index, trusted) : NULL;

      if (anchor == NULL || anchor->kind != CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE)
        {
          g_autofree char *root = cd_cert_checks_display_name (last);

          _cd_import_item_add_warning (item,
                                      g_strdup_printf (_("The root “%s” of the reply’s chain "
                                                         "is not a trusted entry of the "
                                                         "keystore (keytool would ask whether "
                                                         "to install the reply anyway)."),
                                                       root));
        }
    }
}

/* A reply item for the key entry @entry: @leaf and its chain; the certificates of @ordered
 * that went into the chain are marked in @used. */
CdImportItem *
_cd_import_reply_item (CdKeystore      *store,
                      GHashTable      *sources,
                      GPtrArray       *ordered,
                      gboolean        *used,
                      X509            *leaf,
                      CdKeystoreEntry *entry)
{
  CdImportItem *item = _cd_import_item_new (leaf, _cd_import_source_of (sources, leaf));

  item->alias = g_strdup (entry->alias);
  item->alias_chosen = TRUE;
  item->is_ca = _cd_import_is_ca (leaf);
  item->chain = build_reply_chain (leaf, ordered, store);
  for (guint i = 0; i < ordered->len; i++)
    if (contains_cert (item->chain, g_ptr_array_index (ordered, i)))
      used[i] = TRUE;
  return item;
}
