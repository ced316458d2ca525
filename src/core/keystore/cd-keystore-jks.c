// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <string.h>

#include "cd-error.h"
#include "cd-keystore-jks-private.h"

/* Reading JKS and JCEKS. Reading goes in three steps, so that nothing from the file is
 * interpreted before it is known to be whole and unaltered:
 *  1. the framing: every count and length is checked against the bytes left, without any
 *     allocation (a truncated file fails here, as keytool's EOFException does);
 *  2. the store digest over everything before it, when a password is given;
 *  3. the content: aliases, certificates and keys. */

/* The smallest entry (version 1, a trusted certificate with empty alias and certificate) and
 * the smallest certificate of a chain in version 2: bounds for counts read from the file. */
#define MIN_ENTRY_SIZE      (4 + 2 + 8 + 4)
#define MIN_CHAIN_CERT_SIZE 4

/* ----------------------------------------------------------------------------------------- */
/* Framing */

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         offset;
} Cursor;

typedef struct
{
  const guint8 *data;
  gsize         length;
} Span;

static gsize
cursor_left (const Cursor *cursor)
{
  return cursor->length - cursor->offset;
}

static gboolean
cursor_take (Cursor  *cursor,
             gsize    length,
             Span    *span)
{
  if (length > cursor_left (cursor))
    return FALSE;
  if (span != NULL)
    {
      span->data = cursor->data + cursor->offset;
      span->length = length;
    }
  cursor->offset += length;
  return TRUE;
}

static gboolean
cursor_u16 (Cursor *cursor,
            guint  *value)
{
  Span span;

  if (!cursor_take (cursor, 2, &span))
    return FALSE;
  *value = (span.data[0] << 8) | span.data[1];
  return TRUE;
}

static gboolean
cursor_u32 (Cursor  *cursor,
            guint32 *value)
{
  Span span;

  if (!cursor_take (cursor, 4, &span))
    return FALSE;
  *value = ((guint32) span.data[0] << 24) | ((guint32) span.data[1] << 16)
           | ((guint32) span.data[2] << 8) | span.data[3];
  return TRUE;
}

static gboolean
cursor_u64 (Cursor  *cursor,
            guint64 *value)
{
  guint32 high, low;

  if (!cursor_u32 (cursor, &high) || !cursor_u32 (cursor, &low))
    return FALSE;
  *value = ((guint64) high << 32) | low;
  return TRUE;
}

/* A u16 length (writeUTF) or u32 length (writeInt) and that many bytes. */
static gboolean
cursor_string16 (Cursor *cursor,
                 Span   *span)
{
  guint length;

  return cursor_u16 (cursor, &length) && cursor_take (cursor, length, span);
}

static gboolean
cursor_bytes32 (Cursor *cursor,
                Span   *span)
{
  guint32 length;

  return cursor_u32 (cursor, &length) && cursor_take (cursor, length, span);
}

typedef struct
{
  guint32 tag;
  Span    alias;
  guint64 created;
  Span    protected_key; /* private key entries */
  guint32 n_certs;       /* 1 for a trusted certificate */
  Cursor  certs;         /* on the first certificate */
} RawEntry;

/* A certificate as JKS frames it: the type string (version 2) and the DER. */
static gboolean
cursor_certificate (Cursor *cursor,
                    guint32 version,
                    Span   *type,
                    Span   *der)
{
  static const guint8 x509_type[] = CERTIFICATE_TYPE;

  if (version == 1)
    {
      type->data = x509_type;
      type->length = strlen (CERTIFICATE_TYPE);
    }
  else if (!cursor_string16 (cursor, type))
    return FALSE;
  return cursor_bytes32 (cursor, der);
}

static void
set_damaged (GError    **error,
             const char *name,
             guint       index)
{
  g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
               _("The keystore “%s” is damaged: it ends inside entry %u, or that entry claims "
                 "more data than the file holds. Restore the keystore from a backup or export "
                 "it again."),
               name, index);
}

/* Reads the framing of the entry @index (from 1) and leaves @cursor after it. */
static gboolean
frame_entry (Cursor      *cursor,
             guint32      version,
             gboolean     jceks,
             const char  *name,
             guint        index,
             RawEntry    *raw,
             GError     **error)
{
  Span type, der;

  memset (raw, 0, sizeof *raw);
  if (!cursor_u32 (cursor, &raw->tag))
    {
      set_damaged (error, name, index);
      return FALSE;
    }

  if (raw->tag == TAG_SECRET_KEY && jceks)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                   _("The keystore “%s” holds a secret key (entry %u), which Certdesk cannot "
                     "read: it reads certificates and private keys. Move the secret keys into "
                     "another keystore with keytool, then open this one again."),
                   name, index);
      return FALSE;
    }
  if (raw->tag != TAG_PRIVATE_KEY && raw->tag != TAG_TRUSTED_CERT)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The keystore “%s” is damaged: entry %u is of an unknown kind. Restore the "
                     "keystore from a backup or export it again."),
                   name, index);
      return FALSE;
    }

  if (!cursor_string16 (cursor, &raw->alias) || !cursor_u64 (cursor, &raw->created))
    {
      set_damaged (error, name, index);
      return FALSE;
    }

  if (raw->tag == TAG_TRUSTED_CERT)
    {
      raw->n_certs = 1;
      raw->certs = *cursor;
      if (!cursor_certificate (cursor, version, &type, &der))
        {
          set_damaged (error, name, index);
          return FALSE;
        }
      return TRUE;
    }

  if (!cursor_bytes32 (cursor, &raw->protected_key) || !cursor_u32 (cursor, &raw->n_certs)
      || raw->n_certs > cursor_left (cursor) / MIN_CHAIN_CERT_SIZE)
    {
      set_damaged (error, name, index);
      return FALSE;
    }
  raw->certs = *cursor;
  for (guint32 i = 0; i < raw->n_certs; i++)
    if (!cursor_certificate (cursor, version, &type, &der))
      {
        set_damaged (error, name, index);
        return FALSE;
      }
  return TRUE;
}

/* ----------------------------------------------------------------------------------------- */
/* Reading */

typedef struct
{
  const char *name;
  guint32     version;
  gboolean    jceks;
  gboolean    have_key_password;
  CdJksSecret key_password; /* UTF-16BE for JKS, ASCII for JCEKS; empty when unusable */
} ReadContext;

/* FALSE for a certificate type other than X.509; TRUE with @cert NULL for DER that OpenSSL
 * cannot read. */
static gboolean
read_certificate (const Span  *type,
                  const Span  *der,
                  X509       **cert)
{
  const unsigned char *p = der->data;

  *cert = NULL;
  if (type->length != strlen (CERTIFICATE_TYPE)
      || memcmp (type->data, CERTIFICATE_TYPE, type->length) != 0)
    return FALSE;

  *cert = d2i_X509 (NULL, &p, (long) der->length);
  if (*cert == NULL || p != der->data + der->length)
    {
      g_clear_pointer (cert, X509_free);
      ERR_clear_error ();
    }
  return TRUE;
}

static CdKeystoreEntry *
read_entry (ReadContext     *context,
            const RawEntry  *raw,
            guint            index,
            GError         **error)
{
  g_autofree char *alias = _cd_jks_mutf8_decode (raw->alias.data, raw->alias.length);
  CdKeystoreEntry *entry;
  Cursor certs = raw->certs;

  if (alias == NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The keystore “%s” is damaged: the alias of entry %u cannot be read. "
                     "Restore the keystore from a backup or export it again."),
                   context->name, index);
      return NULL;
    }

  entry = _cd_keystore_entry_new (alias, raw->tag == TAG_PRIVATE_KEY
                                             ? CD_KEYSTORE_ENTRY_PRIVATE_KEY
                                             : CD_KEYSTORE_ENTRY_TRUSTED_CERTIFICATE);
  entry->created = (gint64) raw->created;

  for (guint32 i = 0; i < raw->n_certs; i++)
    {
      Span type, der;
      X509 *cert;

      /* framed before: cannot fail */
      if (!cursor_certificate (&certs, context->version, &type, &der))
        g_assert_not_reached ();

      if (!read_certificate (&type, &der, &cert))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                       _("The entry “%s” of the keystore “%s” holds a certificate that is not "
                         "X.509, which Certdesk cannot read."),
                       alias, context->name);
          _cd_keystore_entry_free (entry);
          return NULL;
        }
      if (cert == NULL)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                       _("The certificate of the entry “%s” in the keystore “%s” cannot be "
                         "read. Restore the keystore from a backup or export it again."),
                       alias, context->name);
          _cd_keystore_entry_free (entry);
          return NULL;
        }
      g_ptr_array_add (entry->chain, cert);
    }

  if (raw->tag == TAG_PRIVATE_KEY)
    {
      if (context->have_key_password)
        entry->key = _cd_jks_open_key (&context->key_password, raw->protected_key.data,
                                      raw->protected_key.length);
      entry->locked = entry->key == NULL;
    }

  return entry;
}

static int
compare_aliases (gconstpointer a,
                 gconstpointer b)
{
  const CdKeystoreEntry *entry_a = *(CdKeystoreEntry * const *) a;
  const CdKeystoreEntry *entry_b = *(CdKeystoreEntry * const *) b;

  return g_ascii_strcasecmp (entry_a->alias, entry_b->alias);
}

gboolean
_cd_keystore_jks_read (CdKeystore    *store,
                       const guint8  *data,
                       gsize          length,
                       const char    *name,
                       const char    *password,
                       const char    *key_password,
                       GError       **error)
{
  Cursor cursor = { data, length, 0 };
  ReadContext context = { .name = name };
  g_auto(CdJksSecret) store_password = { 0 };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) by_alias = NULL;
  guint32 magic, count;
  gsize end;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!cursor_u32 (&cursor, &magic) || (magic != JKS_MAGIC && magic != JCEKS_MAGIC))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("“%s” is not a JKS or JCEKS keystore."), name);
      return FALSE;
    }
  context.jceks = magic == JCEKS_MAGIC;

  if (!cursor_u32 (&cursor, &context.version) || !cursor_u32 (&cursor, &count))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The keystore “%s” is damaged: it ends inside its header. Restore the "
                     "keystore from a backup or export it again."),
                   name);
      return FALSE;
    }
  if (context.version != 1 && context.version != 2)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The keystore “%s” has the format version %u, which neither keytool nor "
                     "Certdesk knows: the file is damaged or is not a Java keystore."),
                   name, context.version);
      return FALSE;
    }
  if (count > cursor_left (&cursor) / MIN_ENTRY_SIZE)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The keystore “%s” is damaged: it claims %u entries, more than the file "
                     "holds. Restore the keystore from a backup or export it again."),
                   name, count);
      return FALSE;
    }

  for (guint32 i = 0; i < count; i++)
    {
      RawEntry raw;

      if (!frame_entry (&cursor, context.version, context.jceks, name, i + 1, &raw, error))
        return FALSE;
    }
  end = cursor.offset;

  /* keytool skips the integrity check when it has no password, and so do we; keys stay
   * locked then, unless a key password is given */
  if (password != NULL)
    {
      guint8 digest[SHA1_LEN];
      Span expected;

      if (!cursor_take (&cursor, SHA1_LEN, &expected))
        {
          g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                       _("The keystore “%s” is damaged: it ends before its integrity check. "
                         "Restore the keystore from a backup or export it again."),
                       name);
          return FALSE;
        }
      if (!_cd_jks_password_to_utf16be (password, &store_password)
          || !_cd_jks_store_digest (&store_password, data, end, digest)
          || CRYPTO_memcmp (digest, expected.data, SHA1_LEN) != 0)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
                       _("The keystore “%s” cannot be opened: Keystore was tampered with, or "
                         "password was incorrect. Check the password; if it is right, the file "
                         "is damaged: restore it from a backup."),
                       name);
          return FALSE;
        }
    }

  if (key_password == NULL)
    key_password = password;
  if (key_password != NULL)
    context.have_key_password
      = context.jceks ? _cd_jks_password_to_pbe_ascii (key_password, &context.key_password)
                      : _cd_jks_password_to_utf16be (key_password, &context.key_password);

  /* As Java's hash table does, a later entry replaces an earlier one with the same alias. */
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _cd_keystore_entry_free);
  by_alias = g_hash_table_new (g_str_hash, g_str_equal);
  cursor.offset = 12;
  for (guint32 i = 0; i < count; i++)
    {
      RawEntry raw;
      CdKeystoreEntry *entry;
      CdKeystoreEntry *earlier;

      if (!frame_entry (&cursor, context.version, context.jceks, name, i + 1, &raw, error))
        g_assert_not_reached ();

      entry = read_entry (&context, &raw, i + 1, error);
      if (entry == NULL)
        {
          _cd_jks_secret_clear (&context.key_password);
          return FALSE;
        }

      earlier = g_hash_table_lookup (by_alias, entry->alias);
      if (earlier != NULL)
        {
          g_hash_table_remove (by_alias, earlier->alias);
          g_ptr_array_remove (entries, earlier);
        }
      g_hash_table_insert (by_alias, entry->alias, entry);
      g_ptr_array_add (entries, entry);
    }
  _cd_jks_secret_clear (&context.key_password);

  /* in listing order, so that the model appends each without searching */
  g_ptr_array_sort (entries, compare_aliases);
  for (guint i = 0; i < entries->len; i++)
    _cd_keystore_take_entry (store, g_ptr_array_index (entries, i));
  g_ptr_array_set_free_func (entries, NULL);

  return TRUE;
}
