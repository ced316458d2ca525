// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keygen"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cd-error.h"
#include "cd-keygen.h"
#include "cd-safe-file.h"

/* OpenSSL types have no shared autoptr definitions in the core yet; keep these local to this
 * file so that two headers cannot define them twice. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_SIG, X509_SIG_free)

/* PBKDF2-HMAC-SHA256 rounds for an encrypted key: OpenSSL's own default (2048) is from another
 * age; this costs a few hundredths of a second per unlock. */
#define PBKDF2_ITERATIONS 100000

typedef struct
{
  const char *string;
  const char *label;
  const char *algorithm;
  int         bits;
  const char *curve;
} KeyTypeInfo;

static const KeyTypeInfo key_types[] = {
  [CD_KEY_TYPE_RSA_2048] = { "rsa2048", N_("RSA, 2048 bits"), "rsa", 2048, NULL },
  [CD_KEY_TYPE_RSA_3072] = { "rsa3072", N_("RSA, 3072 bits"), "rsa", 3072, NULL },
  [CD_KEY_TYPE_RSA_4096] = { "rsa4096", N_("RSA, 4096 bits"), "rsa", 4096, NULL },
  [CD_KEY_TYPE_EC_P256] = { "p256", N_("ECDSA P-256"), "ec", 256, "P-256" },
  [CD_KEY_TYPE_EC_P384] = { "p384", N_("ECDSA P-384"), "ec", 384, "P-384" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (key_types) == CD_KEY_TYPE_LAST + 1);

static gboolean
key_type_is_valid (CdKeyType type)
{
  return (guint) type <= CD_KEY_TYPE_LAST;
}

gboolean
cd_key_type_parse (const char  *string,
                   CdKeyType   *out_type,
                   GError     **error)
{
  g_autofree char *tidy = NULL;

  g_return_val_if_fail (string != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tidy = g_strstrip (g_strdup (string));
  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    {
      if (g_ascii_strcasecmp (tidy, key_types[i].string) == 0)
        {
          if (out_type != NULL)
            *out_type = (CdKeyType) i;
          return TRUE;
        }
    }

  g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
               _("“%s” is not a key type Certdesk generates: use rsa2048, rsa3072, rsa4096, "
                 "p256 or p384."),
               string);
  return FALSE;
}

const char *
cd_key_type_to_string (CdKeyType type)
{
  g_return_val_if_fail (key_type_is_valid (type), NULL);

  return key_types[type].string;
}

const char *
cd_key_type_get_label (CdKeyType type)
{
  g_return_val_if_fail (key_type_is_valid (type), NULL);

  return _(key_types[type].label);
}

const char *
cd_key_type_get_algorithm (CdKeyType type)
{
  g_return_val_if_fail (key_type_is_valid (type), NULL);

  return key_types[type].algorithm;
}

int
cd_key_type_get_bits (CdKeyType type)
{
  g_return_val_if_fail (key_type_is_valid (type), 0);

  return key_types[type].bits;
}

const char *
cd_key_type_get_curve (CdKeyType type)
{
  g_return_val_if_fail (key_type_is_valid (type), NULL);

  return key_types[type].curve;
}

gboolean
cd_key_type_from_key (EVP_PKEY  *key,
                      CdKeyType *out_type)
{
  g_return_val_if_fail (key != NULL, FALSE);

  if (EVP_PKEY_is_a (key, "RSA"))
    {
      int bits = EVP_PKEY_get_bits (key);

      for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
        {
          if (key_types[i].curve == NULL && key_types[i].bits == bits)
            {
              if (out_type != NULL)
                *out_type = (CdKeyType) i;
              return TRUE;
            }
        }
    }
  else if (EVP_PKEY_is_a (key, "EC"))
    {
      char group[64];
      int nid;

      if (!EVP_PKEY_get_group_name (key, group, sizeof group, NULL))
        {
          ERR_clear_error ();
          return FALSE;
        }

      nid = OBJ_sn2nid (group);
      if (nid == NID_undef)
        nid = EC_curve_nist2nid (group);

      if (nid == NID_X9_62_prime256v1 || nid == NID_secp384r1)
        {
          if (out_type != NULL)
            *out_type = nid == NID_secp384r1 ? CD_KEY_TYPE_EC_P384 : CD_KEY_TYPE_EC_P256;
          return TRUE;
        }
    }

  return FALSE;
}

/* The reason of the last OpenSSL error in this thread, for a message; clears the queue so that
 * it does not leak into the next operation's report. */
static char *
take_openssl_reason (void)
{
  unsigned long code = ERR_peek_last_error ();
  const char *reason = code != 0 ? ERR_reason_error_string (code) : NULL;
  char *result;

  result = g_strdup (reason != NULL ? reason : _("unknown error"));
  ERR_clear_error ();
  return result;
}

/* Called by OpenSSL between steps of a generation (for RSA, for every prime candidate):
 * returning 0 aborts it. */
static int
keygen_progress_cb (EVP_PKEY_CTX *ctx)
{
  GCancellable *cancellable = EVP_PKEY_CTX_get_app_data (ctx);

  return !g_cancellable_is_cancelled (cancellable);
}

/* EVP_PKEY_Q_keygen() would be shorter, but it takes no progress callback, and the callback is
 * what lets a cancelled RSA 4096 generation stop within milliseconds instead of seconds. */
EVP_PKEY *
cd_keygen (CdKeyType      type,
           GCancellable  *cancellable,
           GError       **error)
{
  const KeyTypeInfo *info;
  g_autoptr(EVP_PKEY_CTX) ctx = NULL;
  EVP_PKEY *key = NULL;
  gboolean ok;

  g_return_val_if_fail (key_type_is_valid (type), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  info = &key_types[type];
  ctx = EVP_PKEY_CTX_new_from_name (NULL, info->curve != NULL ? "EC" : "RSA", NULL);
  ok = ctx != NULL && EVP_PKEY_keygen_init (ctx) > 0;
  if (ok && info->curve != NULL)
    ok = EVP_PKEY_CTX_set_group_name (ctx, info->curve) > 0;
  else if (ok)
    ok = EVP_PKEY_CTX_set_rsa_keygen_bits (ctx, info->bits) > 0;

  if (ok && cancellable != NULL)
    {
      EVP_PKEY_CTX_set_app_data (ctx, cancellable);
      EVP_PKEY_CTX_set_cb (ctx, keygen_progress_cb);
    }

  if (ok)
    ok = EVP_PKEY_generate (ctx, &key) > 0;

  if (!ok)
    {
      g_autofree char *reason = take_openssl_reason ();

      EVP_PKEY_free (key);
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                     _("The key (%s) could not be generated: %s."), _(info->label), reason);
      return NULL;
    }

  return key;
}

static void
keygen_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CdKeyType type = GPOINTER_TO_INT (task_data);
  GError *error = NULL;
  EVP_PKEY *key;

  key = cd_keygen (type, cancellable, &error);
  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) EVP_PKEY_free);
}

void
cd_keygen_async (CdKeyType            type,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (key_type_is_valid (type));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_keygen_async);
  g_task_set_name (task, "cd_keygen_async");
  g_task_set_task_data (task, GINT_TO_POINTER (type), NULL);
  g_task_run_in_thread (task, keygen_thread);
}

EVP_PKEY *
cd_keygen_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_keygen_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Writing */

static void set_io_error (GError     **error,
                          int          errsv,
                          const char  *format,
                          ...) G_GNUC_PRINTF (3, 4);

/* "<what happened>: <the system's reason>." */
static void
set_io_error (GError     **error,
              int          errsv,
              const char  *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: what could not be done, then the system's reason ("Permission denied") */
  g_set_error (error, CD_ERROR, CD_ERROR_IO, _("%s: %s."), what, g_strerror (errsv));
}

/* Creates @dir and any missing parents with mode 0700, exactly: mkdir() applies the umask, so
 * each new folder gets an explicit chmod(). Folders that exist are left as they are. */
static gboolean
make_private_dir (const char  *dir,
                  GError     **error)
{
  GStatBuf st;
  int errsv;

  if (g_mkdir (dir, 0700) == 0)
    {
      if (g_chmod (dir, 0700) == 0)
        return TRUE;
      errsv = errno;
      set_io_error (error, errsv,
                    _("The permissions of the folder “%s” for private keys could not be set"),
                    dir);
      return FALSE;
    }

  errsv = errno;
  if (errsv == ENOENT)
    {
      g_autofree char *parent = g_path_get_dirname (dir);

      if (g_strcmp0 (parent, dir) != 0)
        return make_private_dir (parent, error) && make_private_dir (dir, error);
    }
  else if (errsv == EEXIST && g_stat (dir, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        return TRUE;
      errsv = ENOTDIR;
    }

  set_io_error (error, errsv, _("The folder “%s” for private keys could not be created"), dir);
  return FALSE;
}

/* PKCS#8 PEM in OpenSSL's secure-memory BIO, which wipes its buffer when freed (and when it
 * grows), so no plain copy of the key is left behind in the heap. */
static BIO *
encode_key (EVP_PKEY    *key,
            const char  *passphrase,
            GError     **error)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_secmem ());
  g_autoptr(PKCS8_PRIV_KEY_INFO) p8info = NULL;
  gboolean ok;

  p8info = EVP_PKEY2PKCS8 (key);
  ok = bio != NULL && p8info != NULL;

  if (ok && passphrase != NULL && passphrase[0] != '\0')
    {
      g_autoptr(X509_SIG) encrypted = NULL;

      encrypted = PKCS8_encrypt_ex (NID_hmacWithSHA256, EVP_aes_256_cbc (),
                                    passphrase, (int) strlen (passphrase), NULL, 0,
                                    PBKDF2_ITERATIONS, p8info, NULL, NULL);
      ok = encrypted != NULL && PEM_write_bio_PKCS8 (bio, encrypted) > 0;
    }
  else if (ok)
    ok = PEM_write_bio_PKCS8_PRIV_KEY_INFO (bio, p8info) > 0;

  if (!ok)
    {
      g_autofree char *reason = take_openssl_reason ();

      g_set_error (error, CD_ERROR, CD_ERROR_FAILED,
                   _("The private key could not be encoded: %s."), reason);
      return NULL;
    }

  return g_steal_pointer (&bio);
}

gboolean
cd_key_write (EVP_PKEY    *key,
              const char  *path,
              const char  *passphrase,
              GError     **error)
{
  g_autoptr(BIO) pem = NULL;
  g_autofree char *dir = NULL;
  char *data = NULL;
  long length;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (path != NULL && path[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* before a folder is made or the key encoded: cd_safe_file_create_private() checks again */
  if (!cd_safe_file_check_new (path, error))
    return FALSE;

  dir = g_path_get_dirname (path);
  if (!make_private_dir (dir, error))
    return FALSE;

  pem = encode_key (key, passphrase, error);
  if (pem == NULL)
    return FALSE;
  length = BIO_get_mem_data (pem, &data);

  return cd_safe_file_create_private (path, data, (gsize) length, error);
}

typedef struct
{
  EVP_PKEY *key;
  char     *path;
  char     *passphrase;
} WriteData;

static void
write_data_free (WriteData *data)
{
  EVP_PKEY_free (data->key);
  g_free (data->path);
  if (data->passphrase != NULL)
    {
      OPENSSL_cleanse (data->passphrase, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !cd_key_write (data->key, data->path, data->passphrase, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Cancelling stops the write only before it starts: once the file is in place, the result
 * says so, or the caller would believe a key that exists is missing. */
void
cd_key_write_async (EVP_PKEY            *key,
                    const char          *path,
                    const char          *passphrase,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (key != NULL);
  g_return_if_fail (path != NULL && path[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (WriteData, 1);
  EVP_PKEY_up_ref (key);
  data->key = key;
  data->path = g_strdup (path);
  data->passphrase = g_strdup (passphrase);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_key_write_async);
  g_task_set_name (task, "cd_key_write_async");
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
cd_key_write_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_key_write_async, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
