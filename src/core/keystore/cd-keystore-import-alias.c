// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <string.h>

#include "cd-cert-info.h"
#include "cd-keystore-import-private.h"

/* The aliases of an import: the one proposed for a certificate, and the index that keeps the
 * aliases of the plan apart from each other and from the keystore's. */

/* Aliases compare as Java compares them: without regard to case. */
gboolean
_cd_import_same_alias (const char *a,
                      const char *b)
{
  g_autofree char *folded_a = g_utf8_casefold (a, -1);
  g_autofree char *folded_b = g_utf8_casefold (b, -1);

  return g_str_equal (folded_a, folded_b);
}

/* Letters and digits (any script, lower-cased), '.' and '_' stay; anything else becomes one
 * '-'; the alias starts and ends with a letter or digit ("*.mail.example" gives
 * "mail.example"): safe to type in a shell and to read aloud. */
static char *
sanitize_alias (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *alias = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || ((c == '.' || c == '_') && alias->len > 0))
        {
          if (dash && alias->len > 0)
            g_string_append_c (alias, '-');
          dash = FALSE;
          g_string_append_unichar (alias, g_unichar_tolower (c));
        }
      else
        dash = TRUE;
    }
  while (alias->len > 0 && strchr ("._", alias->str[alias->len - 1]) != NULL)
    g_string_truncate (alias, alias->len - 1);
  return g_string_free (alias, FALSE);
}

char *
cd_keystore_derive_alias (X509 *cert)
{
  const char *fields[] = { "CN", "O" };
  g_autofree char *fingerprint = NULL;
  GString *hex;

  g_return_val_if_fail (cert != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = cd_cert_info_name_get_field (X509_get_subject_name (cert),
                                                            fields[i]);
      g_autofree char *alias = value != NULL ? sanitize_alias (value) : NULL;

      if (alias != NULL && *alias != '\0')
        return g_steal_pointer (&alias);
    }

  fingerprint = cd_cert_info_fingerprint (cert, G_CHECKSUM_SHA256);
  hex = g_string_new (NULL);
  for (const char *p = fingerprint; *p != '\0' && hex->len < 16; p++)
    if (*p != ':')
      g_string_append_c (hex, g_ascii_tolower (*p));
  return g_string_free (hex, FALSE);
}

GBytes *
_cd_import_certificate_digest (X509 *cert)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;

  if (X509_digest (cert, EVP_sha256 (), digest, &length) != 1)
    length = 0;
  return g_bytes_new (digest, length);
}

void
_cd_import_index_free (CdImportIndex *index)
{
  g_hash_table_unref (index->store_aliases);
  g_hash_table_unref (index->store_certs);
  g_hash_table_unref (index->claimed);
  g_free (index);
}

CdImportIndex *
_cd_import_index_new (CdKeystore *store)
{
  CdImportIndex *index = g_new0 (CdImportIndex, 1);

  index->store_aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->store_certs = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                              (GDestroyNotify) g_bytes_unref, NULL);
  index->claimed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < cd_keystore_get_n_entries (store); i++)
    {
      CdKeystoreEntry *entry = cd_keystore_get_entry (store, i);
      char *folded = g_utf8_casefold (entry->alias, -1);

      if (!g_hash_table_contains (index->store_aliases, folded))
        g_hash_table_insert (index->store_aliases, folded, entry);
      else
        g_free (folded);

      if (entry->chain->len > 0)
        {
          GBytes *digest = _cd_import_certificate_digest (g_ptr_array_index (entry->chain, 0));

          if (!g_hash_table_contains (index->store_certs, digest))
            g_hash_table_insert (index->store_certs, digest, entry->alias);
          else
            g_bytes_unref (digest);
        }
    }
  return index;
}

CdKeystoreEntry *
_cd_import_index_lookup (CdImportIndex *index,
                        const char    *alias)
{
  g_autofree char *folded = g_utf8_casefold (alias, -1);

  return g_hash_table_lookup (index->store_aliases, folded);
}

/* As cd_keystore_find_certificate(). */
const char *
_cd_import_index_find_certificate (CdImportIndex *index,
                                  X509          *cert)
{
  g_autoptr(GBytes) digest = _cd_import_certificate_digest (cert);

  return g_hash_table_lookup (index->store_certs, digest);
}

void
_cd_import_index_claim (CdImportIndex *index,
                       const char    *alias)
{
  char *folded = g_utf8_casefold (alias, -1);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (index->claimed, folded));

  g_hash_table_insert (index->claimed, folded, GUINT_TO_POINTER (n + 1));
}

guint
_cd_import_index_n_claims (CdImportIndex *index,
                          const char    *alias)
{
  g_autofree char *folded = g_utf8_casefold (alias, -1);

  return GPOINTER_TO_UINT (g_hash_table_lookup (index->claimed, folded));
}

/* @base, or @base-2, @base-3 … whichever neither the keystore nor the plan has; claimed. */
char *
_cd_import_unique_alias (CdImportIndex *index,
                        const char    *base)
{
  char *alias = g_strdup (base);

  for (guint n = 2;
       _cd_import_index_lookup (index, alias) != NULL || _cd_import_index_n_claims (index, alias) > 0;
       n++)
    {
      g_free (alias);
      alias = g_strdup_printf ("%s-%u", base, n);
    }
  _cd_import_index_claim (index, alias);
  return alias;
}
