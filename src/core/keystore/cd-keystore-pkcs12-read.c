// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <string.h>

#include "cd-decrypt.h"
#include "cd-error.h"
#include "cd-keystore-pkcs12-private.h"

/* Reading a PKCS#12 keystore as keytool 17 (Java's PKCS12KeyStore) opens it: the size bound,
 * the MAC, the plain and the encrypted safes, and the key-derivation work the whole file may
 * ask for. Which bags become which entries is in cd-keystore-pkcs12-bags.c; each key's chain
 * in cd-keystore-pkcs12-chains.c. */

/* --- messages ---------------------------------------------------------------------------- */

static void
set_tampered (GError     **error,
              const char  *name)
{
  /* keytool's words, since users search for them; a MAC cannot tell the two apart */
  g_set_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
               _("Keystore was tampered with, or password was incorrect: “%s” does not open "
                 "with this password. Check the keystore password and try again; if it is "
                 "right, the file is damaged: restore it from a backup."),
               name);
}

void
_cd_keystore_pkcs12_set_damaged (GError     **error,
                                 const char  *name)
{
  g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
               _("“%s” is not a PKCS#12 keystore, or it is damaged or cut short. Check that it "
                 "is the right file, or restore it from a backup."),
               name);
}

static void
set_too_much_work (GError     **error,
                   const char  *name)
{
  g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
               _("“%s” asks for more key-derivation work to open than Certdesk allows for one "
                 "keystore. Export it again with the usual settings."),
               name);
}

/* --- key-derivation work ----------------------------------------------------------------- */

static guint64
integer_or_zero (const ASN1_INTEGER *value)
{
  long n = value != NULL ? ASN1_INTEGER_get (value) : 0;

  return n > 0 ? (guint64) n : 0;
}

/* The rounds a PBES1, PBES2 or PKCS#12 scheme asks for (N * r * p for scrypt), so that many
 * keys at the highest count allowed for one cannot add up to hours. Each scheme on its own is
 * checked by cd_decrypt_check_kdf_cost(). */
static guint64
kdf_work (const X509_ALGOR *alg)
{
  const ASN1_OBJECT *object = NULL;
  const void *value = NULL;
  int value_type = V_ASN1_UNDEF;
  guint64 work = 1;

  if (alg == NULL)
    return work;
  X509_ALGOR_get0 (&object, &value_type, &value, alg);
  if (value_type != V_ASN1_SEQUENCE || value == NULL)
    return work;

  if (OBJ_obj2nid (object) == NID_pbes2)
    {
      PBE2PARAM *pbe2 = ASN1_item_unpack (value, ASN1_ITEM_rptr (PBE2PARAM));
      const ASN1_OBJECT *kdf_object = NULL;
      const void *kdf_value = NULL;
      int kdf_type = V_ASN1_UNDEF;

      if (pbe2 != NULL && pbe2->keyfunc != NULL)
        X509_ALGOR_get0 (&kdf_object, &kdf_type, &kdf_value, pbe2->keyfunc);
      if (kdf_type == V_ASN1_SEQUENCE && kdf_value != NULL)
        {
          if (OBJ_obj2nid (kdf_object) == NID_id_pbkdf2)
            {
              PBKDF2PARAM *kdf = ASN1_item_unpack (kdf_value, ASN1_ITEM_rptr (PBKDF2PARAM));

              if (kdf != NULL)
                work = MAX (integer_or_zero (kdf->iter), 1);
              PBKDF2PARAM_free (kdf);
            }
          else if (OBJ_obj2nid (kdf_object) == NID_id_scrypt)
            {
              SCRYPT_PARAMS *kdf = ASN1_item_unpack (kdf_value, ASN1_ITEM_rptr (SCRYPT_PARAMS));
              guint64 n_r;

              /* saturates: past the budget either way */
              if (kdf != NULL &&
                  (!g_uint64_checked_mul (&n_r, integer_or_zero (kdf->costParameter),
                                          MAX (integer_or_zero (kdf->blockSize), 1)) ||
                   !g_uint64_checked_mul (&work, n_r,
                                          MAX (integer_or_zero (kdf->parallelizationParameter),
                                               1))))
                work = G_MAXUINT64;
              work = MAX (work, 1);
              SCRYPT_PARAMS_free (kdf);
            }
        }
      PBE2PARAM_free (pbe2);
    }
  else
    {
      PBEPARAM *pbe = ASN1_item_unpack (value, ASN1_ITEM_rptr (PBEPARAM));

      if (pbe != NULL)
        work = MAX (integer_or_zero (pbe->iter), 1);
      PBEPARAM_free (pbe);
    }
  ERR_clear_error ();
  return work;
}

/* --- the reader -------------------------------------------------------------------------- */

static void
cert_ref_free (CdPkcs12CertRef *ref)
{
  g_clear_pointer (&ref->key_id, g_bytes_unref);
  g_free (ref->alias);
  g_free (ref);
}

static void
key_ref_free (CdPkcs12KeyRef *ref)
{
  g_clear_pointer (&ref->key_id, g_bytes_unref);
  g_free (ref->alias);
  g_free (ref);
}

static guint
name_hash (gconstpointer key)
{
  int ok = 0;
  unsigned long hash = X509_NAME_hash_ex (key, NULL, NULL, &ok);

  return ok ? (guint) hash : 0;
}

static gboolean
name_equal (gconstpointer a,
            gconstpointer b)
{
  return X509_NAME_cmp (a, b) == 0;
}

static void
reader_init (CdPkcs12Reader *reader,
             const char     *name)
{
  memset (reader, 0, sizeof *reader);
  reader->name = name;
  reader->trusted_key_usage = OBJ_txt2obj (TRUSTED_KEY_USAGE_OID, 1);
  reader->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _cd_keystore_entry_free);
  reader->entry_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  reader->replaced = g_ptr_array_new_with_free_func ((GDestroyNotify) _cd_keystore_entry_free);
  reader->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_ref_free);
  reader->cert_refs = g_ptr_array_new_with_free_func ((GDestroyNotify) cert_ref_free);
  reader->certs = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  reader->by_subject = g_hash_table_new (name_hash, name_equal);
  reader->self_signed = g_hash_table_new (NULL, NULL);
}

static void
reader_clear (CdPkcs12Reader *reader)
{
  g_hash_table_unref (reader->self_signed);
  g_hash_table_unref (reader->by_subject);
  g_ptr_array_unref (reader->cert_refs);
  g_ptr_array_unref (reader->keys);
  g_ptr_array_unref (reader->replaced);
  g_hash_table_unref (reader->entry_index);
  g_ptr_array_unref (reader->entries);
  g_ptr_array_unref (reader->certs);
  ASN1_OBJECT_free (reader->trusted_key_usage);
  cd_decrypt_context_clear (&reader->decrypt);
  ERR_clear_error ();
}

gboolean
_cd_keystore_pkcs12_charge_kdf (CdPkcs12Reader    *reader,
                                const X509_ALGOR  *alg,
                                GError           **error)
{
  if (!cd_decrypt_check_kdf_cost (alg, reader->name, error))
    return FALSE;
  reader->kdf_work = MIN (reader->kdf_work, MAX_TOTAL_KDF_WORK) +
                     MIN (kdf_work (alg), MAX_TOTAL_KDF_WORK + 1);
  if (reader->kdf_work > MAX_TOTAL_KDF_WORK)
    {
      set_too_much_work (error, reader->name);
      return FALSE;
    }
  return TRUE;
}

/* --- the file ---------------------------------------------------------------------------- */

/* Verifies the MAC and keeps the password that opened it. Java asks for a password; an empty
 * one is tried both ways PKCS#12 tools encode it. */
static gboolean
reader_check_mac (CdPkcs12Reader  *reader,
                  PKCS12          *p12,
                  const char      *password,
                  GError         **error)
{
  guint64 mac_work = 0;

  switch (cd_pkcs12_find_mac_password (p12, password, TRUE, reader->name,
                                              &reader->password, &mac_work, error))
    {
    case CD_PKCS12_MAC_OPENED:
      reader->kdf_work += mac_work;
      return TRUE;
    case CD_PKCS12_MAC_WRONG_PASSWORD:
      set_tampered (error, reader->name);
      return FALSE;
    case CD_PKCS12_MAC_FAILED:
    default:
      return FALSE;
    }
}

static gboolean
reader_read_safe (CdPkcs12Reader  *reader,
                  PKCS7           *p7,
                  GError         **error)
{
  STACK_OF (PKCS12_SAFEBAG) *bags = NULL;
  gboolean ok;

  switch (OBJ_obj2nid (p7->type))
    {
    case NID_pkcs7_data:
      bags = PKCS12_unpack_p7data (p7);
      if (bags == NULL)
        {
          ERR_clear_error ();
          _cd_keystore_pkcs12_set_damaged (error, reader->name);
          return FALSE;
        }
      break;

    case NID_pkcs7_encrypted:
      if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL ||
          p7->d.encrypted->enc_data->enc_data == NULL)
        {
          _cd_keystore_pkcs12_set_damaged (error, reader->name);
          return FALSE;
        }
      if (!_cd_keystore_pkcs12_charge_kdf (reader, p7->d.encrypted->enc_data->algorithm,
                                           error))
        return FALSE;
      ERR_clear_error ();
      /* PKCS12_unpack_p7encdata() would decrypt in the default library context, without
       * the RC2 and 3DES of files from older tools */
      bags = PKCS12_item_decrypt_d2i_ex (p7->d.encrypted->enc_data->algorithm,
                                         ASN1_ITEM_rptr (PKCS12_SAFEBAGS), reader->password,
                                         _cd_keystore_pkcs12_password_length (reader->password),
                                         p7->d.encrypted->enc_data->enc_data, 1,
                                         cd_decrypt_context_get_libctx (&reader->decrypt), NULL);
      if (bags == NULL)
        {
          if (cd_decrypt_error_is_unsupported ())
            cd_decrypt_set_unsupported (error, reader->name);
          else
            set_tampered (error, reader->name);
          return FALSE;
        }
      break;

    default:
      /* public-key privacy mode: Java refuses it too */
      cd_decrypt_set_unsupported (error, reader->name);
      return FALSE;
    }

  ok = _cd_keystore_pkcs12_read_bags (reader, bags, error);
  sk_PKCS12_SAFEBAG_pop_free (bags, PKCS12_SAFEBAG_free);
  return ok;
}

gboolean
_cd_keystore_pkcs12_read (CdKeystore   *store,
                          const guint8 *data,
                          gsize         length,
                          const char   *name,
                          const char   *password,
                          const char   *key_password,
                          GError      **error)
{
  const unsigned char *p = data;
  PKCS12 *p12 = NULL;
  STACK_OF (PKCS7) *safes = NULL;
  CdPkcs12Reader reader;
  gboolean ok = FALSE;

  g_assert (store != NULL && store->type == CD_KEYSTORE_PKCS12);
  g_assert (data != NULL || length == 0);

  if (length > MAX_INPUT_SIZE)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                   _("“%s” is larger than %d MiB, far more than any keystore: check that it "
                     "is the right file."),
                   name, MAX_INPUT_SIZE / (1024 * 1024));
      return FALSE;
    }

  reader_init (&reader, name);
  reader.key_password = key_password;

  ERR_clear_error ();
  p12 = d2i_PKCS12 (NULL, &p, (long) length);
  if (p12 == NULL)
    {
      _cd_keystore_pkcs12_set_damaged (error, name);
      goto out;
    }

  if (!reader_check_mac (&reader, p12, password, error))
    goto out;

  safes = PKCS12_unpack_authsafes (p12);
  if (safes == NULL)
    {
      _cd_keystore_pkcs12_set_damaged (error, name);
      goto out;
    }

  for (int i = 0; i < sk_PKCS7_num (safes); i++)
    if (!reader_read_safe (&reader, sk_PKCS7_value (safes, i), error))
      goto out;

  if (!_cd_keystore_pkcs12_attach_chains (&reader, error))
    goto out;

  for (guint i = 0; i < reader.entries->len; i++)
    _cd_keystore_take_entry (store, g_steal_pointer (&g_ptr_array_index (reader.entries, i)));
  g_ptr_array_set_size (reader.entries, 0);
  ok = TRUE;

out:
  sk_PKCS7_pop_free (safes, PKCS7_free);
  PKCS12_free (p12);
  reader_clear (&reader);
  return ok;
}
