// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-keystore-private.h"
#include "cd-safe-file.h"

#define MAX_KEYSTORE_SIZE (256 * 1024 * 1024)

CdKeystoreEntry *
_cd_keystore_entry_new (const char          *alias,
                        CdKeystoreEntryKind  kind)
{
  CdKeystoreEntry *entry = g_new0 (CdKeystoreEntry, 1);

  entry->alias = g_strdup (alias);
  entry->kind = kind;
  entry->chain = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  return entry;
}

void
_cd_keystore_entry_free (CdKeystoreEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->alias);
  g_ptr_array_unref (entry->chain);
  EVP_PKEY_free (entry->key);
  g_free (entry);
}

static int
compare_aliases (gconstpointer a,
                 gconstpointer b)
{
  const CdKeystoreEntry *entry_a = *(CdKeystoreEntry * const *) a;
  const CdKeystoreEntry *entry_b = *(CdKeystoreEntry * const *) b;

  return g_ascii_strcasecmp (entry_a->alias, entry_b->alias);
}

/* Where @entry goes in the alias order: after every entry that does not sort after it. */
static guint
sorted_position (CdKeystore      *self,
                 CdKeystoreEntry *entry)
{
  guint low = 0;
  guint high = self->entries->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (compare_aliases (&g_ptr_array_index (self->entries, middle), &entry) <= 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

void
_cd_keystore_take_entry (CdKeystore      *self,
                         CdKeystoreEntry *entry)
{
  /* Listed by alias, whatever the type: keytool sorts a PKCS#12 listing by alias, and lists a
   * JKS in the order of a hash table, which is no order a person can use. Codecs mostly add
   * entries in order, which costs nothing here; the model inserts one where it belongs. */
  if (self->entries->len == 0
      || compare_aliases (&g_ptr_array_index (self->entries, self->entries->len - 1), &entry) <= 0)
    g_ptr_array_add (self->entries, entry);
  else
    g_ptr_array_insert (self->entries, (int) sorted_position (self, entry), entry);
}

CdKeystore *
cd_keystore_new (CdKeystoreType type)
{
  CdKeystore *self = g_new0 (CdKeystore, 1);

  self->type = type;
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _cd_keystore_entry_free);
  return self;
}

void
cd_keystore_free (CdKeystore *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->entries);
  g_free (self);
}

const char *
cd_keystore_type_to_string (CdKeystoreType type)
{
  switch (type)
    {
    case CD_KEYSTORE_JKS:
      return "jks";
    case CD_KEYSTORE_PKCS12:
      return "pkcs12";
    case CD_KEYSTORE_JCEKS:
      return "jceks";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
cd_keystore_type_parse (const char     *string,
                        CdKeystoreType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  if (g_ascii_strcasecmp (string, "jks") == 0)
    *type = CD_KEYSTORE_JKS;
  else if (g_ascii_strcasecmp (string, "pkcs12") == 0 || g_ascii_strcasecmp (string, "p12") == 0)
    *type = CD_KEYSTORE_PKCS12;
  else if (g_ascii_strcasecmp (string, "jceks") == 0)
    *type = CD_KEYSTORE_JCEKS;
  else
    return FALSE;
  return TRUE;
}

static gboolean
has_private_key (CdKeystore *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (((CdKeystoreEntry *) g_ptr_array_index (self->entries, i))->kind
        == CD_KEYSTORE_ENTRY_PRIVATE_KEY)
      return TRUE;
  return FALSE;
}

CdKeystore *
cd_keystore_load_bytes (GBytes      *data,
                        const char  *name,
                        const char  *password,
                        const char  *key_password,
                        GError     **error)
{
  g_autoptr(CdKeystore) self = NULL;
  const guint8 *bytes;
  gsize length;
  gboolean loaded;

  g_return_val_if_fail (data != NULL, NULL);

  if (name == NULL)
    name = _("the keystore");

  bytes = g_bytes_get_data (data, &length);
  if (length >= 4 && memcmp (bytes, "\xFE\xED\xFE\xED", 4) == 0)
    self = cd_keystore_new (CD_KEYSTORE_JKS);
  else if (length >= 4 && memcmp (bytes, "\xCE\xCE\xCE\xCE", 4) == 0)
    self = cd_keystore_new (CD_KEYSTORE_JCEKS);
  else if (length >= 2 && bytes[0] == 0x30)
    self = cd_keystore_new (CD_KEYSTORE_PKCS12);
  else
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   length == 0 ? _("“%s” is empty: it is not a keystore.")
                               : _("“%s” is not a keystore Certdesk can read: it reads JKS, "
                                   "JCEKS and PKCS#12 keystores."),
                   name);
      return NULL;
    }

  if (self->type == CD_KEYSTORE_PKCS12)
    loaded = _cd_keystore_pkcs12_read (self, bytes, length, name, password, key_password, error);
  else
    loaded = _cd_keystore_jks_read (self, bytes, length, name, password, key_password, error);

  if (!loaded)
    return NULL;
  self->loaded_with_key = has_private_key (self);
  return g_steal_pointer (&self);
}

static void
set_too_large (GError     **error,
               const char  *path)
{
  g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
               _("“%s” is larger than %d MiB, far more than any keystore: check that it is the "
                 "right file."),
               path, MAX_KEYSTORE_SIZE / (1024 * 1024));
}

/* The whole file, read rather than mapped: keytool rewrites a keystore in place, and a mapped
 * file truncated under us would end the process. */
static GBytes *
read_keystore_file (const char  *path,
                    GError     **error)
{
  g_autoptr(GByteArray) contents = NULL;
  struct stat info;
  int saved_errno;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    goto failed;
  if (fstat (fd, &info) != 0)
    goto failed_open;
  if (info.st_size > MAX_KEYSTORE_SIZE)
    {
      close (fd);
      set_too_large (error, path);
      return NULL;
    }

  contents = g_byte_array_sized_new (S_ISREG (info.st_mode) ? (guint) info.st_size : 4096);
  for (;;)
    {
      guint8 buffer[16384];
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed_open;
      if (n == 0)
        break;
      if (contents->len + (gsize) n > MAX_KEYSTORE_SIZE)
        {
          close (fd);
          set_too_large (error, path);
          return NULL;
        }
      g_byte_array_append (contents, buffer, (guint) n);
    }
  close (fd);
  return g_byte_array_free_to_bytes (g_steal_pointer (&contents));

failed_open:
  saved_errno = errno;
  close (fd);
  errno = saved_errno;
failed:
  saved_errno = errno;
  g_set_error (error, CD_ERROR, CD_ERROR_IO, _("“%s” cannot be read: %s"), path,
               g_strerror (saved_errno));
  return NULL;
}

CdKeystore *
cd_keystore_load (const char  *path,
                  const char  *password,
                  const char  *key_password,
                  GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  bytes = read_keystore_file (path, error);
  if (bytes == NULL)
    return NULL;

  name = g_path_get_basename (path);
  return cd_keystore_load_bytes (bytes, name, password, key_password, error);
}

CdKeystoreType
cd_keystore_get_store_type (CdKeystore *self)
{
  g_return_val_if_fail (self != NULL, CD_KEYSTORE_JKS);
  return self->type;
}

guint
cd_keystore_get_n_entries (CdKeystore *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

CdKeystoreEntry *
cd_keystore_get_entry (CdKeystore *self,
                       guint       index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_ptr_array_index (self->entries, index);
}

static gboolean
str_is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

CdKeystoreEntry *
cd_keystore_lookup (CdKeystore *self,
                    const char *alias)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (alias != NULL, NULL);

  /* Java compares aliases without regard to case (ASCII and beyond). An ASCII alias folds to
   * its ASCII lower case, so most comparisons need no allocation. */
  folded = g_utf8_casefold (alias, -1);
  for (guint i = 0; i < self->entries->len; i++)
    {
      CdKeystoreEntry *entry = g_ptr_array_index (self->entries, i);

      if (str_is_ascii (entry->alias))
        {
          if (g_ascii_strcasecmp (entry->alias, folded) == 0)
            return entry;
        }
      else
        {
          g_autofree char *entry_folded = g_utf8_casefold (entry->alias, -1);

          if (g_str_equal (entry_folded, folded))
            return entry;
        }
    }
  return NULL;
}

const char *
cd_keystore_find_certificate (CdKeystore *self,
                              X509       *cert)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (cert != NULL, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      CdKeystoreEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->chain->len > 0 && X509_cmp (g_ptr_array_index (entry->chain, 0), cert) == 0)
        return entry->alias;
    }
  return NULL;
}

/* The alias as the store keeps it: JKS lower-cases (Java looks up in lower case but loads as
 * written, so a mixed-case alias written by another tool could never be found again). */
static char *
stored_alias (CdKeystore  *self,
              const char  *alias,
              GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (alias != NULL ? alias : ""));

  if (*trimmed == '\0')
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE, _("Enter an alias for the entry."));
      return NULL;
    }
  if (!g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("The alias is not valid UTF-8 text."));
      return NULL;
    }

  if (self->type == CD_KEYSTORE_PKCS12)
    return g_steal_pointer (&trimmed);
  return g_utf8_strdown (trimmed, -1);
}

/* Makes room for @alias: fails when it is taken, unless the caller asked to replace it. */
static gboolean
claim_alias (CdKeystore          *self,
             const char          *alias,
             CdKeystoreAddFlags   flags,
             GError             **error)
{
  CdKeystoreEntry *existing = cd_keystore_lookup (self, alias);

  if (existing == NULL)
    return TRUE;

  if (!(flags & CD_KEYSTORE_ADD_REPLACE))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The alias “%s” already exists in the keystore: choose another alias, or "
                     "replace the entry."),
                   existing->alias);
      return FALSE;
    }

  g_ptr_array_remove (self->entries, existing);
  return TRUE;
}

gboolean
cd_keystore_add_certificate (CdKeystore          *self,
                             const char          *alias,
                             X509                *cert,
                             CdKeystoreAddFlags   flags,
                             GError             **error)
{
  g_autofree char *name = NULL;
  CdKeystoreEntry *entry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (cert != NULL, FALSE);

  if (!(name = stored_alias (self, alias, error)) || !claim_alias (self, name, flags, error))
    return FALSE;

  entry = _cd_keystore_entry_new (name, CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE);
  entry->created = g_get_real_time () / 1000;
  X509_up_ref (cert);
  g_ptr_array_add (entry->chain, cert);
  _cd_keystore_take_entry (self, entry);
  return TRUE;
}

gboolean
cd_keystore_add_key (CdKeystore          *self,
                     const char          *alias,
                     EVP_PKEY            *key,
                     GPtrArray           *chain,
                     CdKeystoreAddFlags   flags,
                     GError             **error)
{
  g_autofree char *name = NULL;
  CdKeystoreEntry *entry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (chain != NULL, FALSE);

  if (chain->len == 0 || X509_check_private_key (g_ptr_array_index (chain, 0), key) != 1)
    {
      ERR_clear_error ();
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("The certificate is not for this key: a key entry needs the certificate "
                     "issued for its own key first in its chain."));
      return FALSE;
    }

  if (!(name = stored_alias (self, alias, error)) || !claim_alias (self, name, flags, error))
    return FALSE;

  entry = _cd_keystore_entry_new (name, CD_KEYSTORE_ENTRY_PRIVATE_KEY);
  entry->created = g_get_real_time () / 1000;
  EVP_PKEY_up_ref (key);
  entry->key = key;
  for (guint i = 0; i < chain->len; i++)
    {
      X509 *cert = g_ptr_array_index (chain, i);

      X509_up_ref (cert);
      g_ptr_array_add (entry->chain, cert);
    }
  _cd_keystore_take_entry (self, entry);
  return TRUE;
}

gboolean
cd_keystore_remove (CdKeystore  *self,
                    const char  *alias,
                    GError     **error)
{
  CdKeystoreEntry *entry;

  g_return_val_if_fail (self != NULL, FALSE);

  entry = cd_keystore_lookup (self, alias);
  if (entry == NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The keystore has no entry “%s”."), alias);
      return FALSE;
    }

  g_ptr_array_remove (self->entries, entry);
  return TRUE;
}

gboolean
cd_keystore_rename (CdKeystore  *self,
                    const char  *alias,
                    const char  *new_alias,
                    GError     **error)
{
  g_autofree char *name = NULL;
  CdKeystoreEntry *entry;
  CdKeystoreEntry *other;

  g_return_val_if_fail (self != NULL, FALSE);

  entry = cd_keystore_lookup (self, alias);
  if (entry == NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("The keystore has no entry “%s”."), alias);
      return FALSE;
    }

  if (!(name = stored_alias (self, new_alias, error)))
    return FALSE;

  other = cd_keystore_lookup (self, name);
  if (other != NULL && other != entry)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_DUPLICATE,
                   _("The alias “%s” already exists in the keystore: choose another alias."),
                   other->alias);
      return FALSE;
    }

  g_free (entry->alias);
  entry->alias = g_steal_pointer (&name);
  g_ptr_array_sort (self->entries, compare_aliases);
  return TRUE;
}

GBytes *
cd_keystore_serialize (CdKeystore  *self,
                       const char  *password,
                       GError     **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->type == CD_KEYSTORE_JCEKS)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                   _("Certdesk reads JCEKS keystores but does not write them: save the keystore "
                     "as JKS or PKCS#12."));
      return NULL;
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      CdKeystoreEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->locked)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                       _("The key of “%s” is protected by a password of its own, which was not "
                         "given: open the keystore with that key password to save it."),
                       entry->alias);
          return NULL;
        }
    }

  switch (self->type)
    {
    case CD_KEYSTORE_JKS:
      return _cd_keystore_jks_write (self, password, error);
    case CD_KEYSTORE_PKCS12:
      return _cd_keystore_pkcs12_write (self, password, error);
    case CD_KEYSTORE_JCEKS:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
cd_keystore_save (CdKeystore  *self,
                  const char  *path,
                  const char  *password,
                  GError     **error)
{
  return cd_keystore_save_locked (self, path, password, NULL, error);
}

gboolean
cd_keystore_save_locked (CdKeystore  *self,
                         const char  *path,
                         const char  *password,
                         CdFileLock  *lock,
                         GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  CdSafeFileFlags flags = CD_SAFE_FILE_BACKUP;
  const guint8 *data;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* before the lock: a keystore that cannot be written leaves no trace at all */
  bytes = cd_keystore_serialize (self, password, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);

  /* the backup holds the previous version: private when that held a key, or this one does */
  if (self->loaded_with_key || has_private_key (self))
    flags |= CD_SAFE_FILE_PRIVATE;
  return cd_safe_file_write (path, data, length, flags, lock, NULL, error);
}
