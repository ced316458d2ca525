// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/x509v3.h>

#include "cd-cert-checks.h"
#include "cd-cert-info.h"
#include "cd-chain.h"
#include "cd-error.h"
#include "cd-keystore-import-private.h"

static void
item_free (CdImportItem *item)
{
  if (item == NULL)
    return;

  X509_free (item->certificate);
  g_free (item->source);
  g_free (item->alias);
  g_free (item->duplicate_of);
  g_clear_pointer (&item->chain, g_ptr_array_unref);
  g_ptr_array_unref (item->warnings);
  g_ptr_array_unref (item->errors);
  g_free (item);
}

CdImportItem *
_cd_import_item_new (X509       *cert,
                    const char *source)
{
  CdImportItem *item = g_new0 (CdImportItem, 1);

  X509_up_ref (cert);
  item->certificate = cert;
  item->source = g_strdup (source);
  item->warnings = g_ptr_array_new_with_free_func (g_free);
  item->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  return item;
}

void
cd_import_plan_free (CdImportPlan *plan)
{
  if (plan == NULL)
    return;

  g_ptr_array_unref (plan->items);
  g_ptr_array_unref (plan->warnings);
  g_free (plan);
}

const char *
cd_import_action_to_string (CdImportAction action)
{
  switch (action)
    {
    case CD_IMPORT_ACTION_ADD_TRUSTED:
      return "add-trusted";
    case CD_IMPORT_ACTION_REPLACE:
      return "replace";
    case CD_IMPORT_ACTION_INSTALL_REPLY:
      return "install-reply";
    case CD_IMPORT_ACTION_SKIP_DUPLICATE:
      return "skip-duplicate";
    case CD_IMPORT_ACTION_SKIP:
      return "skip";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
_cd_import_item_add_warning (CdImportItem *item,
                            char         *message)
{
  g_ptr_array_add (item->warnings, message);
}

void
_cd_import_item_add_error (CdImportItem *item,
                          int           code,
                          char         *message)
{
  g_ptr_array_add (item->errors, g_error_new_literal (CD_ERROR, code, message));
  g_free (message);
}

/* What keytool warns about: weak keys and signatures; and dates. */
void
_cd_import_item_add_certificate_warnings (CdImportItem *item)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_problem_free);
  g_autofree char *name = cd_cert_checks_display_name (item->certificate);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 not_before, not_after;

  g_ptr_array_add (chain, item->certificate);
  if (cd_cert_checks_run (chain, NULL, NULL, problems, NULL))
    for (guint i = 0; i < problems->len; i++)
      {
        CdProblem *problem = g_ptr_array_index (problems, i);

        if (g_str_equal (problem->code, CD_PROBLEM_WEAK_KEY) ||
            g_str_equal (problem->code, CD_PROBLEM_WEAK_SIGNATURE))
          _cd_import_item_add_warning (item, g_strdup (problem->message));
      }

  if (cd_cert_info_time_to_unix (X509_get0_notAfter (item->certificate), &not_after) &&
      not_after < now)
    {
      g_autofree char *date = cd_cert_info_format_time (not_after);

      _cd_import_item_add_warning (item,
                                  g_strdup_printf (_("“%s” expired on %s: Java will not "
                                                     "accept it."),
                                                   name, date));
    }
  else if (cd_cert_info_time_to_unix (X509_get0_notBefore (item->certificate), &not_before) &&
           not_before > now)
    {
      g_autofree char *date = cd_cert_info_format_time (not_before);

      _cd_import_item_add_warning (item,
                                  g_strdup_printf (_("“%s” is not valid before %s."), name, date));
    }
}

static void
evaluate_item (CdImportPlan  *plan,
               CdImportIndex *index,
               CdImportItem  *item)
{
  g_autofree char *name = cd_cert_checks_display_name (item->certificate);
  g_autofree char *alias = NULL;
  const char *duplicate;
  CdKeystoreEntry *existing;

  g_ptr_array_set_size (item->warnings, 0);
  g_ptr_array_set_size (item->errors, 0);
  g_clear_pointer (&item->duplicate_of, g_free);

  if (item->skip_requested)
    {
      item->action = CD_IMPORT_ACTION_SKIP;
      return;
    }

  if (item->chain != NULL)
    {
      _cd_import_evaluate_reply (plan, index, item);
      return;
    }

  duplicate = _cd_import_index_find_certificate (index, item->certificate);
  if (duplicate != NULL)
    {
      item->duplicate_of = g_strdup (duplicate);
      if (!(plan->flags & CD_IMPORT_ALLOW_DUPLICATES) && !item->keep_duplicate)
        {
          item->action = CD_IMPORT_ACTION_SKIP_DUPLICATE;
          return;
        }
      _cd_import_item_add_warning (item,
                                  g_strdup_printf (_("The keystore holds “%s” already, as "
                                                     "“%s”: it is added again."),
                                                   name, duplicate));
    }

  item->action = CD_IMPORT_ACTION_ADD_TRUSTED;

  alias = g_strstrip (g_strdup (item->alias != NULL ? item->alias : ""));
  if (*alias == '\0')
    _cd_import_item_add_error (item, CD_ERROR_INVALID_VALUE,
                              g_strdup_printf (_("Enter an alias for “%s”."), name));
  else if (!g_utf8_validate (alias, -1, NULL))
    _cd_import_item_add_error (item, CD_ERROR_INVALID_VALUE,
                              g_strdup_printf (_("The alias for “%s” is not valid UTF-8 text."),
                                               name));
  else
    {
      if (_cd_import_index_n_claims (index, alias) > 1)
        _cd_import_item_add_error (item, CD_ERROR_DUPLICATE,
                                  g_strdup_printf (_("The alias “%s” is given to two "
                                                     "certificates of this import: choose "
                                                     "another one."),
                                                   alias));

      existing = _cd_import_index_lookup (index, alias);
      if (existing != NULL && existing->kind == CD_KEYSTORE_ENTRY_PRIVATE_KEY)
        _cd_import_item_add_error (item, CD_ERROR_DUPLICATE,
                                  g_strdup_printf (_("The alias “%s” is a private key entry, "
                                                     "and “%s” is not its reply: choose "
                                                     "another alias."),
                                                   existing->alias, name));
      else if (existing != NULL && (plan->flags & CD_IMPORT_REPLACE))
        item->action = CD_IMPORT_ACTION_REPLACE;
      else if (existing != NULL)
        _cd_import_item_add_error (item, CD_ERROR_DUPLICATE,
                                  g_strdup_printf (_("The alias “%s” already exists in the "
                                                     "keystore: choose another alias, or "
                                                     "replace the entry."),
                                                   existing->alias));
    }

  if (item->is_ca && !(plan->flags & CD_IMPORT_TRUST_CA))
    _cd_import_item_add_error (item, CD_ERROR_INVALID_VALUE,
                              g_strdup_printf (_("“%s” is a CA certificate: import it with "
                                                 "trust for CA certificates (keytool’s "
                                                 "-trustcacerts) to make it a trusted entry."),
                                               name));

  if (!item->is_ca)
    _cd_import_item_add_warning (item,
                                g_strdup_printf (_("Trust the root, not the load balancer: "
                                                   "“%s” is a server certificate, and "
                                                   "load-balancer certificates should not be "
                                                   "imported into client stores (they change "
                                                   "at every renewal). Import the root CA with "
                                                   "trust instead."),
                                                 name));

  _cd_import_item_add_certificate_warnings (item);
}

/* An item that will certainly not be added claims no alias. */
static gboolean
leaves_out (CdImportPlan  *plan,
            CdImportIndex *index,
            CdImportItem  *item)
{
  if (item->skip_requested)
    return TRUE;
  return item->chain == NULL && !(plan->flags & CD_IMPORT_ALLOW_DUPLICATES) &&
         !item->keep_duplicate &&
         _cd_import_index_find_certificate (index, item->certificate) != NULL;
}

static void
evaluate_plan (CdImportPlan *plan,
               CdKeystore   *store)
{
  g_autoptr(CdImportIndex) index = _cd_import_index_new (store);

  for (guint i = 0; i < plan->items->len; i++)
    {
      CdImportItem *item = g_ptr_array_index (plan->items, i);

      if (item->alias != NULL && !leaves_out (plan, index, item))
        _cd_import_index_claim (index, item->alias);
    }
  for (guint i = 0; i < plan->items->len; i++)
    evaluate_item (plan, index, g_ptr_array_index (plan->items, i));
}

gboolean
_cd_import_is_ca (X509 *cert)
{
  return (X509_get_extension_flags (cert) & EXFLAG_CA) != 0;
}

/* SHA-256 of the DER -> where the bundle has the certificate from (the first place). */
static GHashTable *
map_sources (CdBundle *bundle)
{
  GHashTable *sources = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                               (GDestroyNotify) g_bytes_unref, NULL);

  for (guint i = 0; i < bundle->certificates->len && i < bundle->certificate_sources->len; i++)
    {
      GBytes *digest = _cd_import_certificate_digest (g_ptr_array_index (bundle->certificates, i));

      if (!g_hash_table_contains (sources, digest))
        g_hash_table_insert (sources, digest, g_ptr_array_index (bundle->certificate_sources, i));
      else
        g_bytes_unref (digest);
    }
  return sources;
}

const char *
_cd_import_source_of (GHashTable *sources,
                     X509       *cert)
{
  g_autoptr(GBytes) digest = _cd_import_certificate_digest (cert);

  return g_hash_table_lookup (sources, digest);
}

CdImportPlan *
cd_keystore_plan_import (CdKeystore     *store,
                         CdBundle       *bundle,
                         CdImportFlags   flags,
                         const char     *alias_hint,
                         GError        **error)
{
  g_autoptr(CdImportPlan) plan = NULL;
  g_autoptr(GPtrArray) ordered = NULL;
  g_autofree gboolean *used = NULL;
  g_autofree char *hint = NULL;
  g_autoptr(GHashTable) sources = NULL;
  g_autoptr(GPtrArray) key_entries = g_ptr_array_new ();
  g_autoptr(CdImportIndex) index = NULL;
  CdKeystoreEntry *hint_entry = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (bundle != NULL, NULL);

  if (bundle->certificates->len == 0)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   bundle->keys->len > 0
                     ? _("The file holds a private key but no certificate: there is nothing "
                         "to import.")
                     : _("The file holds no certificate: there is nothing to import."));
      return NULL;
    }

  plan = g_new0 (CdImportPlan, 1);
  plan->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  plan->warnings = g_ptr_array_new_with_free_func (g_free);
  plan->flags = flags;

  ordered = cd_chain_order (bundle->certificates, NULL);
  used = g_new0 (gboolean, ordered->len);
  sources = map_sources (bundle);
  index = _cd_import_index_new (store);
  for (guint i = 0; i < cd_keystore_get_n_entries (store); i++)
    if (cd_keystore_get_entry (store, i)->kind == CD_KEYSTORE_ENTRY_PRIVATE_KEY)
      g_ptr_array_add (key_entries, cd_keystore_get_entry (store, i));

  if (alias_hint != NULL)
    {
      hint = g_strstrip (g_strdup (alias_hint));
      if (*hint == '\0')
        g_clear_pointer (&hint, g_free);
      else if (cd_keystore_get_store_type (store) == CD_KEYSTORE_JKS &&
               g_utf8_validate (hint, -1, NULL))
        {
          char *lower = g_utf8_strdown (hint, -1);

          g_free (hint);
          hint = lower;
        }
    }
  if (hint != NULL)
    hint_entry = _cd_import_index_lookup (index, hint);

  /* keytool: importing into the alias of a key entry installs a reply; the leaf of the file
   * is the reply unless another of its certificates is the key's */
  if (hint_entry != NULL && hint_entry->kind == CD_KEYSTORE_ENTRY_PRIVATE_KEY)
    {
      X509 *leaf = g_ptr_array_index (ordered, 0);

      for (guint i = 0; i < ordered->len; i++)
        if (_cd_import_is_for_key (g_ptr_array_index (ordered, i), hint_entry))
          {
            leaf = g_ptr_array_index (ordered, i);
            break;
          }
      g_ptr_array_add (plan->items,
                       _cd_import_reply_item (store, sources, ordered, used, leaf, hint_entry));
      _cd_import_index_claim (index, hint_entry->alias);
      g_clear_pointer (&hint, g_free);
    }

  /* any other certificate for the key of a key entry is that entry's reply */
  for (guint i = 0; i < ordered->len && key_entries->len > 0; i++)
    {
      X509 *cert = g_ptr_array_index (ordered, i);
      CdKeystoreEntry *entry = NULL;

      for (guint j = 0; j < key_entries->len && entry == NULL; j++)
        if (_cd_import_is_for_key (cert, g_ptr_array_index (key_entries, j)))
          entry = g_ptr_array_index (key_entries, j);
      if (used[i] || entry == NULL || _cd_import_index_n_claims (index, entry->alias) > 0)
        continue;
      g_ptr_array_add (plan->items,
                       _cd_import_reply_item (store, sources, ordered, used, cert, entry));
      _cd_import_index_claim (index, entry->alias);
    }

  for (guint i = 0; i < ordered->len; i++)
    {
      X509 *cert = g_ptr_array_index (ordered, i);
      CdImportItem *item;

      if (used[i])
        continue;

      item = _cd_import_item_new (cert, _cd_import_source_of (sources, cert));
      item->is_ca = _cd_import_is_ca (cert);
      if (hint != NULL)
        {
          _cd_import_index_claim (index, hint);
          item->alias = g_steal_pointer (&hint);
          item->alias_chosen = TRUE;
        }
      else
        {
          g_autofree char *base = cd_keystore_derive_alias (cert);

          item->alias = _cd_import_unique_alias (index, base);
        }
      g_ptr_array_add (plan->items, item);
    }

  if (hint != NULL)
    g_ptr_array_add (plan->warnings,
                     g_strdup_printf (_("The alias “%s” was not used: every certificate of the "
                                        "file is the reply for a key entry, which keeps its "
                                        "alias."),
                                      hint));

  for (guint i = 0; i < bundle->keys->len; i++)
    {
      CdKey *key = g_ptr_array_index (bundle->keys, i);

      g_ptr_array_add (plan->warnings,
                       g_strdup_printf (_("The private key in “%s” is not imported: importing "
                                          "adds certificates only. Convert a PKCS#12 file that "
                                          "holds a key and its chain into a keystore instead."),
                                        key->source != NULL ? key->source : _("the file")));
    }

  evaluate_plan (plan, store);
  return g_steal_pointer (&plan);
}

gboolean
cd_import_plan_has_errors (CdImportPlan *plan)
{
  g_return_val_if_fail (plan != NULL, FALSE);

  for (guint i = 0; i < plan->items->len; i++)
    {
      CdImportItem *item = g_ptr_array_index (plan->items, i);

      if (item->action != CD_IMPORT_ACTION_SKIP && item->errors->len > 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
cd_import_plan_set_alias (CdImportPlan  *plan,
                          CdKeystore    *store,
                          guint          index,
                          const char    *alias,
                          GError       **error)
{
  CdImportItem *item;
  g_autofree char *name = NULL;

  g_return_val_if_fail (plan != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (index < plan->items->len, FALSE);

  item = g_ptr_array_index (plan->items, index);
  if (item->chain != NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("A reply keeps the alias of its key entry, “%s”."), item->alias);
      return FALSE;
    }

  name = g_strstrip (g_strdup (alias != NULL ? alias : ""));
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   *name == '\0' ? _("Enter an alias for the entry.")
                                 : _("The alias is not valid UTF-8 text."));
      return FALSE;
    }
  if (cd_keystore_get_store_type (store) == CD_KEYSTORE_JKS)
    {
      char *lower = g_utf8_strdown (name, -1);

      g_free (name);
      name = lower;
    }

  for (guint i = 0; i < plan->items->len; i++)
    {
      CdImportItem *other = g_ptr_array_index (plan->items, i);

      if (i != index && _cd_import_same_alias (other->alias, name))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                       _("The alias “%s” is given to another certificate of this import: choose "
                         "another one."),
                       other->alias);
          return FALSE;
        }
    }

  g_free (item->alias);
  item->alias = g_steal_pointer (&name);
  item->alias_chosen = TRUE;
  evaluate_plan (plan, store);
  return TRUE;
}

void
cd_import_plan_set_skipped (CdImportPlan *plan,
                            CdKeystore   *store,
                            guint         index,
                            gboolean      skipped)
{
  CdImportItem *item;

  g_return_if_fail (plan != NULL);
  g_return_if_fail (store != NULL);
  g_return_if_fail (index < plan->items->len);

  item = g_ptr_array_index (plan->items, index);
  if (!skipped && item->action == CD_IMPORT_ACTION_SKIP_DUPLICATE)
    item->keep_duplicate = TRUE;
  item->skip_requested = skipped;
  evaluate_plan (plan, store);
}

void
cd_import_plan_set_flags (CdImportPlan  *plan,
                          CdKeystore    *store,
                          CdImportFlags  flags)
{
  g_return_if_fail (plan != NULL);
  g_return_if_fail (store != NULL);

  plan->flags = flags;
  evaluate_plan (plan, store);
}

gboolean
cd_keystore_apply_import (CdKeystore    *store,
                          CdImportPlan  *plan,
                          guint         *n_changed,
                          GError       **error)
{
  guint changed = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (plan != NULL, FALSE);

  if (n_changed != NULL)
    *n_changed = 0;

  /* everything is checked before anything changes, so that the store is never half done */
  evaluate_plan (plan, store);
  for (guint i = 0; i < plan->items->len; i++)
    {
      CdImportItem *item = g_ptr_array_index (plan->items, i);

      if (item->action != CD_IMPORT_ACTION_SKIP && item->errors->len > 0)
        {
          g_propagate_error (error, g_error_copy (g_ptr_array_index (item->errors, 0)));
          return FALSE;
        }
    }

  for (guint i = 0; i < plan->items->len; i++)
    {
      CdImportItem *item = g_ptr_array_index (plan->items, i);
      gboolean ok = TRUE;

      switch (item->action)
        {
        case CD_IMPORT_ACTION_ADD_TRUSTED:
        case CD_IMPORT_ACTION_REPLACE:
          ok = cd_keystore_add_certificate (store, item->alias, item->certificate,
                                            item->action == CD_IMPORT_ACTION_REPLACE
                                              ? CD_KEYSTORE_ADD_REPLACE
                                              : CD_KEYSTORE_ADD_DEFAULT,
                                            error);
          break;

        case CD_IMPORT_ACTION_INSTALL_REPLY:
          {
            CdKeystoreEntry *entry = cd_keystore_lookup (store, item->alias);
            EVP_PKEY *key = entry->key;
            g_autofree char *alias = g_strdup (entry->alias);

            /* the entry, and its reference to the key, go when it is replaced */
            EVP_PKEY_up_ref (key);
            ok = cd_keystore_add_key (store, alias, key, item->chain, CD_KEYSTORE_ADD_REPLACE,
                                      error);
            EVP_PKEY_free (key);
          }
          break;

        case CD_IMPORT_ACTION_SKIP_DUPLICATE:
        case CD_IMPORT_ACTION_SKIP:
        default:
          continue;
        }

      if (!ok)
        return FALSE;
      changed++;
      if (n_changed != NULL)
        *n_changed = changed;
    }

  return TRUE;
}
