// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <string.h>

#include "cd-keystore-jks-private.h"

/* What the passwords of a JKS or JCEKS do: the store digest, Sun's key protector (JKS) and
 * PBEWithMD5AndTripleDES (JCEKS, read only). */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_CIPHER_CTX, EVP_CIPHER_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD, EVP_MD_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PBEPARAM, PBEPARAM_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_SIG, X509_SIG_free)

#define SUN_SALT_LEN   20
#define STORE_WHITENER "Mighty Aphrodite"

/* Sun's own key protector for JKS, and PBEWithMD5AndTripleDES for JCEKS. */
#define SUN_KEY_PROTECTOR_OID "1.3.6.1.4.1.42.2.17.1.1"
#define PBE_MD5_DES3_OID      "1.3.6.1.4.1.42.2.19.1"
/* SunJCE refuses more: a file cannot make Certdesk spin for minutes either */
#define JCEKS_MAX_ITERATIONS 5000000
#define JCEKS_SALT_LEN       8

void
_cd_jks_secret_clear (CdJksSecret *secret)
{
  if (secret->data != NULL)
    {
      OPENSSL_cleanse (secret->data, secret->length);
      g_free (secret->data);
    }
  secret->data = NULL;
  secret->length = 0;
}

static void
secret_alloc (CdJksSecret *secret,
              gsize        length)
{
  _cd_jks_secret_clear (secret);
  /* one byte more, so that an empty password still has a buffer */
  secret->data = g_malloc0 (length + 1);
  secret->length = length;
}

/* ----------------------------------------------------------------------------------------- */
/* Passwords */

gboolean
_cd_jks_password_to_utf16be (const char  *password,
                            CdJksSecret *out)
{
  glong n_units = 0;
  gunichar2 *units = g_utf8_to_utf16 (password, -1, NULL, &n_units, NULL);

  if (units == NULL)
    return FALSE;

  secret_alloc (out, (gsize) n_units * 2);
  for (glong i = 0; i < n_units; i++)
    {
      out->data[2 * i] = units[i] >> 8;
      out->data[2 * i + 1] = units[i] & 0xFF;
    }
  OPENSSL_cleanse (units, (gsize) n_units * sizeof (gunichar2));
  g_free (units);
  return TRUE;
}

gboolean
_cd_jks_password_to_pbe_ascii (const char  *password,
                              CdJksSecret *out)
{
  gsize length = strlen (password);

  for (gsize i = 0; i < length; i++)
    if ((guchar) password[i] < 0x20 || (guchar) password[i] > 0x7E)
      return FALSE;

  secret_alloc (out, length);
  memcpy (out->data, password, length);
  return TRUE;
}

/* ----------------------------------------------------------------------------------------- */
/* Digests and key protection */

static gboolean
sha1_parts (EVP_MD_CTX        *ctx,
            const CdJksSecret *password,
            const void        *data,
            gsize              length,
            const void        *more,
            gsize              more_length,
            guint8             digest[SHA1_LEN])
{
  return EVP_DigestInit_ex (ctx, EVP_sha1 (), NULL)
         && EVP_DigestUpdate (ctx, password->data, password->length)
         && EVP_DigestUpdate (ctx, data, length)
         && (more_length == 0 || EVP_DigestUpdate (ctx, more, more_length))
         && EVP_DigestFinal_ex (ctx, digest, NULL);
}

gboolean
_cd_jks_store_digest (const CdJksSecret *password,
                     const guint8      *data,
                     gsize              length,
                     guint8             digest[SHA1_LEN])
{
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();

  return ctx != NULL
         && sha1_parts (ctx, password, STORE_WHITENER, strlen (STORE_WHITENER), data, length,
                        digest);
}

/* XORs @length bytes with Sun's keystream: D1 = SHA1(pw || salt), Di = SHA1(pw || Di-1). */
static gboolean
sun_keystream_xor (EVP_MD_CTX        *ctx,
                   const CdJksSecret *password,
                   const guint8      *salt,
                   const guint8      *in,
                   guint8            *out,
                   gsize              length)
{
  guint8 block[SHA1_LEN];
  gboolean ok = TRUE;

  memcpy (block, salt, SUN_SALT_LEN);
  for (gsize done = 0; done < length && ok; done += SHA1_LEN)
    {
      ok = sha1_parts (ctx, password, block, SHA1_LEN, NULL, 0, block);
      for (gsize i = 0; i < SHA1_LEN && done + i < length; i++)
        out[done + i] = in[done + i] ^ block[i];
    }
  OPENSSL_cleanse (block, sizeof block);
  return ok;
}

/* Sun's key protector, reversed: salt || XORed PKCS#8 || SHA1(pw || PKCS#8). FALSE when the
 * check fails: another password. */
static gboolean
sun_unprotect (const CdJksSecret *password,
               const guint8      *data,
               gsize              length,
               CdJksSecret       *plain)
{
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  guint8 check[SHA1_LEN];
  gboolean ok;

  if (ctx == NULL || length < SUN_SALT_LEN + SHA1_LEN)
    return FALSE;

  secret_alloc (plain, length - SUN_SALT_LEN - SHA1_LEN);
  ok = sun_keystream_xor (ctx, password, data, data + SUN_SALT_LEN, plain->data, plain->length)
       && sha1_parts (ctx, password, plain->data, plain->length, NULL, 0, check)
       && CRYPTO_memcmp (check, data + length - SHA1_LEN, SHA1_LEN) == 0;
  if (!ok)
    _cd_jks_secret_clear (plain);
  return ok;
}

static guint8 *
sun_protect (const CdJksSecret *password,
             const CdJksSecret *plain,
             gsize             *length)
{
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  gsize total = SUN_SALT_LEN + plain->length + SHA1_LEN;
  g_autofree guint8 *data = g_malloc (total);

  if (ctx == NULL || RAND_bytes (data, SUN_SALT_LEN) != 1
      || !sun_keystream_xor (ctx, password, data, plain->data, data + SUN_SALT_LEN,
                             plain->length)
      || !sha1_parts (ctx, password, plain->data, plain->length, NULL, 0,
                      data + SUN_SALT_LEN + plain->length))
    return NULL;

  *length = total;
  return g_steal_pointer (&data);
}

/* SunJCE's PBEWithMD5AndTripleDES: two MD5 chains over the halves of an 8-byte salt give the
 * 3DES key and IV. */
static gboolean
pbe_md5_des3_decrypt (const CdJksSecret *password,
                      const guint8      *salt_in,
                      guint              iterations,
                      const guint8      *data,
                      gsize              length,
                      CdJksSecret       *plain)
{
  g_autoptr(EVP_MD) md5 = EVP_MD_fetch (NULL, "MD5", NULL);
  g_autoptr(EVP_MD_CTX) md_ctx = EVP_MD_CTX_new ();
  g_autoptr(EVP_CIPHER_CTX) cipher_ctx = EVP_CIPHER_CTX_new ();
  guint8 salt[JCEKS_SALT_LEN];
  guint8 derived[32];
  int out_length = 0, final_length = 0;
  gboolean ok = TRUE;

  if (md5 == NULL || md_ctx == NULL || cipher_ctx == NULL || length == 0
      || length > G_MAXINT - 8)
    return FALSE;

  /* SunJCE reverses the first half when both are equal */
  memcpy (salt, salt_in, sizeof salt);
  if (memcmp (salt, salt + 4, 4) == 0)
    {
      guint8 tmp = salt[0];

      salt[0] = salt[3];
      salt[3] = tmp;
      tmp = salt[1];
      salt[1] = salt[2];
      salt[2] = tmp;
    }

  for (guint half = 0; half < 2 && ok; half++)
    {
      guint8 *block = derived + 16 * half;

      ok = EVP_DigestInit_ex2 (md_ctx, md5, NULL) && EVP_DigestUpdate (md_ctx, salt + 4 * half, 4)
           && EVP_DigestUpdate (md_ctx, password->data, password->length)
           && EVP_DigestFinal_ex (md_ctx, block, NULL);
      for (guint i = 1; i < iterations && ok; i++)
        ok = EVP_DigestInit_ex2 (md_ctx, md5, NULL) && EVP_DigestUpdate (md_ctx, block, 16)
             && EVP_DigestUpdate (md_ctx, password->data, password->length)
             && EVP_DigestFinal_ex (md_ctx, block, NULL);
    }

  secret_alloc (plain, length + 8);
  ok = ok && EVP_DecryptInit_ex (cipher_ctx, EVP_des_ede3_cbc (), NULL, derived, derived + 24)
       && EVP_DecryptUpdate (cipher_ctx, plain->data, &out_length, data, (int) length)
       && EVP_DecryptFinal_ex (cipher_ctx, plain->data + out_length, &final_length);
  OPENSSL_cleanse (derived, sizeof derived);
  /* a wrong password mostly ends in bad padding: not an error to report, just a lock */
  ERR_clear_error ();
  if (!ok)
    {
      _cd_jks_secret_clear (plain);
      return FALSE;
    }
  plain->length = out_length + final_length;
  return TRUE;
}

/* The PKCS#8 DER as a key; NULL when OpenSSL cannot read it. */
static EVP_PKEY *
pkcs8_to_key (const CdJksSecret *plain)
{
  const unsigned char *p = plain->data;
  g_autoptr(PKCS8_PRIV_KEY_INFO) p8 = d2i_PKCS8_PRIV_KEY_INFO (NULL, &p, (long) plain->length);
  EVP_PKEY *key = p8 != NULL ? EVP_PKCS82PKEY (p8) : NULL;

  ERR_clear_error ();
  return key;
}

static gboolean
algorithm_is (const ASN1_OBJECT *object,
              const char        *oid)
{
  char text[64];

  return OBJ_obj2txt (text, sizeof text, object, 1) > 0 && g_str_equal (text, oid);
}

/* A key read from a JKS keeps its protected form (as keytool does), so that saving the store
 * again with the same password writes the same bytes. It lives with the key object itself:
 * the key cannot change, and a copy of the entry carries it along. */
static void
protected_key_free (void           *parent,
                    void           *ptr,
                    CRYPTO_EX_DATA *ad,
                    int             index,
                    long            argl,
                    void           *argp)
{
  if (ptr != NULL)
    g_bytes_unref (ptr);
}

static int
protected_key_dup (CRYPTO_EX_DATA       *to,
                   const CRYPTO_EX_DATA *from,
                   void                **from_d,
                   int                   index,
                   long                  argl,
                   void                 *argp)
{
  if (*from_d != NULL)
    *from_d = g_bytes_ref (*from_d);
  return 1;
}

static int
protected_key_index (void)
{
  static gsize index_plus_two = 0;

  if (g_once_init_enter (&index_plus_two))
    {
      int index = EVP_PKEY_get_ex_new_index (0, NULL, NULL, protected_key_dup,
                                             protected_key_free);

      g_once_init_leave (&index_plus_two, (gsize) (index + 2));
    }
  return (int) index_plus_two - 2;
}

static void
remember_protected_key (EVP_PKEY     *key,
                        const guint8 *protected_key,
                        gsize         length)
{
  int index = protected_key_index ();
  GBytes *bytes;

  if (index < 0)
    return;
  bytes = g_bytes_new (protected_key, length);
  if (EVP_PKEY_set_ex_data (key, index, bytes) != 1)
    g_bytes_unref (bytes);
}

/* The protected form remembered for @key, if it opens with @password. */
static GBytes *
reusable_protected_key (EVP_PKEY          *key,
                        const CdJksSecret *password)
{
  int index = protected_key_index ();
  GBytes *bytes = index >= 0 ? EVP_PKEY_get_ex_data (key, index) : NULL;
  const unsigned char *p;
  gsize length;
  g_autoptr(X509_SIG) sig = NULL;
  const X509_ALGOR *algorithm;
  const ASN1_OCTET_STRING *octets;
  const ASN1_OBJECT *oid;
  g_auto(CdJksSecret) plain = { 0 };

  if (bytes == NULL)
    return NULL;

  p = g_bytes_get_data (bytes, &length);
  sig = d2i_X509_SIG (NULL, &p, (long) length);
  if (sig == NULL)
    {
      ERR_clear_error ();
      return NULL;
    }
  X509_SIG_get0 (sig, &algorithm, &octets);
  X509_ALGOR_get0 (&oid, NULL, NULL, algorithm);
  if (!algorithm_is (oid, SUN_KEY_PROTECTOR_OID)
      || !sun_unprotect (password, ASN1_STRING_get0_data (octets),
                         (gsize) ASN1_STRING_length (octets), &plain))
    return NULL;
  return g_bytes_ref (bytes);
}

/* ----------------------------------------------------------------------------------------- */
/* Opening and protecting keys */

EVP_PKEY *
_cd_jks_open_key (const CdJksSecret *password,
                 const guint8      *protected_key,
                 gsize              length)
{
  const unsigned char *p = protected_key;
  g_autoptr(X509_SIG) sig = NULL;
  const X509_ALGOR *algorithm;
  const ASN1_OCTET_STRING *octets;
  const ASN1_OBJECT *oid;
  const void *parameter;
  int parameter_type;
  g_auto(CdJksSecret) plain = { 0 };
  gboolean from_jks = FALSE;
  EVP_PKEY *key;

  sig = d2i_X509_SIG (NULL, &p, (long) length);
  if (sig == NULL || p != protected_key + length)
    {
      ERR_clear_error ();
      return NULL;
    }
  X509_SIG_get0 (sig, &algorithm, &octets);
  X509_ALGOR_get0 (&oid, &parameter_type, &parameter, algorithm);

  if (algorithm_is (oid, SUN_KEY_PROTECTOR_OID))
    {
      if (!sun_unprotect (password, ASN1_STRING_get0_data (octets),
                          (gsize) ASN1_STRING_length (octets), &plain))
        return NULL;
      from_jks = TRUE;
    }
  else if (algorithm_is (oid, PBE_MD5_DES3_OID) && parameter_type == V_ASN1_SEQUENCE)
    {
      const unsigned char *q = ASN1_STRING_get0_data (parameter);
      g_autoptr(PBEPARAM) pbe = d2i_PBEPARAM (NULL, &q, ASN1_STRING_length (parameter));
      gint64 iterations = 0;

      if (pbe == NULL || ASN1_STRING_length (pbe->salt) != JCEKS_SALT_LEN
          || !ASN1_INTEGER_get_int64 (&iterations, pbe->iter) || iterations < 1
          || iterations > JCEKS_MAX_ITERATIONS
          || !pbe_md5_des3_decrypt (password, ASN1_STRING_get0_data (pbe->salt),
                                    (guint) iterations, ASN1_STRING_get0_data (octets),
                                    (gsize) ASN1_STRING_length (octets), &plain))
        {
          ERR_clear_error ();
          return NULL;
        }
    }
  else
    /* a protection keytool does not know either */
    return NULL;

  key = pkcs8_to_key (&plain);
  if (key != NULL && from_jks)
    remember_protected_key (key, protected_key, length);
  return key;
}

/* PKCS#8 of @key, as Java's PrivateKey.getEncoded() gives it. */
static gboolean
key_to_pkcs8 (EVP_PKEY    *key,
              CdJksSecret *plain)
{
  g_autoptr(PKCS8_PRIV_KEY_INFO) p8 = EVP_PKEY2PKCS8 (key);
  unsigned char *der = NULL;
  int length = p8 != NULL ? i2d_PKCS8_PRIV_KEY_INFO (p8, &der) : -1;

  if (length <= 0)
    {
      ERR_clear_error ();
      return FALSE;
    }
  secret_alloc (plain, (gsize) length);
  memcpy (plain->data, der, (gsize) length);
  OPENSSL_clear_free (der, (gsize) length);
  return TRUE;
}

static GBytes *
protect_key (EVP_PKEY          *key,
             const CdJksSecret *password)
{
  g_auto(CdJksSecret) plain = { 0 };
  g_autofree guint8 *encrypted = NULL;
  g_autoptr(X509_SIG) sig = X509_SIG_new ();
  X509_ALGOR *algorithm;
  ASN1_OCTET_STRING *octets;
  ASN1_OBJECT *oid;
  unsigned char *der = NULL;
  gsize encrypted_length = 0;
  int der_length;
  GBytes *bytes;

  if (sig == NULL || !key_to_pkcs8 (key, &plain))
    return NULL;
  encrypted = sun_protect (password, &plain, &encrypted_length);
  if (encrypted == NULL || encrypted_length > G_MAXINT)
    return NULL;

  X509_SIG_getm (sig, &algorithm, &octets);
  oid = OBJ_txt2obj (SUN_KEY_PROTECTOR_OID, 1);
  /* keytool 17 writes the NULL parameter */
  if (oid == NULL || !X509_ALGOR_set0 (algorithm, oid, V_ASN1_NULL, NULL))
    {
      ASN1_OBJECT_free (oid);
      return NULL;
    }
  if (!ASN1_OCTET_STRING_set (octets, encrypted, (int) encrypted_length))
    return NULL;

  der_length = i2d_X509_SIG (sig, &der);
  if (der_length <= 0)
    return NULL;
  bytes = g_bytes_new (der, (gsize) der_length);
  OPENSSL_free (der);
  return bytes;
}

GBytes *
_cd_jks_protect_key (EVP_PKEY          *key,
                    const CdJksSecret *password)
{
  GBytes *protected_key = reusable_protected_key (key, password);

  if (protected_key == NULL)
    protected_key = protect_key (key, password);
  return protected_key;
}
