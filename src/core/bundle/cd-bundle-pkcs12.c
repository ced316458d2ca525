// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-bundle"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <string.h>

#include "cd-bundle-private.h"
#include "cd-error.h"

/* Nesting of safeContents bags inside a PKCS#12; real files use none. */
#define P12_MAX_DEPTH 3

typedef struct
{
  CdBundleLoader *loader;
  CdBundle       *bundle;
  const char     *source;
  const char     *password; /* the one that opened the MAC: NULL, "" or the given one */
} P12Walk;

static int
p12_password_length (const P12Walk *walk)
{
  return walk->password != NULL ? (int) strlen (walk->password) : 0;
}

static void
set_p12_damaged (GError     **error,
                 const char  *source)
{
  g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
               _("The PKCS#12 file “%s” is damaged. Export or download it again."), source);
}

static void
set_wrong_password (GError     **error,
                    const char  *source,
                    const char  *password)
{
  if (password == NULL || *password == '\0')
    g_set_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
                 _("“%s” is protected by a password. Enter the password and try again."),
                 source);
  else
    g_set_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD,
                 _("The password does not open “%s”. Check it and try again."), source);
}

static gboolean
p12_walk_bags (P12Walk                        *walk,
               const STACK_OF (PKCS12_SAFEBAG) *bags,
               int                             depth,
               GError                        **error)
{
  if (depth > P12_MAX_DEPTH)
    {
      set_p12_damaged (error, walk->source);
      return FALSE;
    }

  for (int i = 0; i < sk_PKCS12_SAFEBAG_num (bags); i++)
    {
      const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value (bags, i);

      switch (PKCS12_SAFEBAG_get_nid (bag))
        {
        case NID_keyBag:
          if (PKCS12_SAFEBAG_get0_p8inf (bag) == NULL)
            {
              set_p12_damaged (error, walk->source);
              return FALSE;
            }
          if (_cd_bundle_add_pkcs8 (walk->bundle, PKCS12_SAFEBAG_get0_p8inf (bag), FALSE,
                                   walk->source, error) != CD_BUNDLE_PARSE_FOUND)
            return FALSE;
          break;

        case NID_pkcs8ShroudedKeyBag:
          {
            const X509_SIG *sig = PKCS12_SAFEBAG_get0_pkcs8 (bag);
            const X509_ALGOR *alg = NULL;
            PKCS8_PRIV_KEY_INFO *p8;
            CdBundleParseResult result;

            if (sig == NULL)
              {
                set_p12_damaged (error, walk->source);
                return FALSE;
              }
            X509_SIG_get0 (sig, &alg, NULL);
            if (!cd_decrypt_check_kdf_cost (alg, walk->source, error))
              return FALSE;
            ERR_clear_error ();
            p8 = PKCS12_decrypt_skey_ex (bag, walk->password, p12_password_length (walk),
                                         cd_decrypt_context_get_libctx (&walk->loader->decrypt), NULL);
            if (p8 == NULL)
              {
                /* The MAC opened with this password, so only a second password (openssl
                 * -twopass) or a missing algorithm can stop the key. */
                if (cd_decrypt_error_is_unsupported ())
                  cd_decrypt_set_unsupported (error, walk->source);
                else
                  set_wrong_password (error, walk->source, walk->loader->password);
                return FALSE;
              }
            result = _cd_bundle_add_pkcs8 (walk->bundle, p8, TRUE, walk->source, error);
            PKCS8_PRIV_KEY_INFO_free (p8);
            if (result != CD_BUNDLE_PARSE_FOUND)
              return FALSE;
          }
          break;

        case NID_certBag:
          if (PKCS12_SAFEBAG_get_bag_nid (bag) == NID_x509Certificate)
            {
              X509 *cert = PKCS12_SAFEBAG_get1_cert (bag);

              if (cert == NULL)
                {
                  set_p12_damaged (error, walk->source);
                  return FALSE;
                }
              if (!_cd_bundle_add_certificate (walk->bundle, cert, walk->source, error))
                return FALSE;
            }
          break;

        case NID_safeContentsBag:
          if (!p12_walk_bags (walk, PKCS12_SAFEBAG_get0_safes (bag), depth + 1, error))
            return FALSE;
          break;

        default:
          /* CRLs and secrets have no place in a bundle */
          break;
        }
    }
  return TRUE;
}

CdBundleParseResult
_cd_bundle_add_pkcs12 (CdBundleLoader  *loader,
                      CdBundle        *bundle,
                      PKCS12          *p12,
                      const char      *source,
                      GError         **error)
{
  P12Walk walk = { loader, bundle, source, NULL };
  STACK_OF (PKCS7) *safes;
  guint n_before = bundle->certificates->len + bundle->keys->len;
  gboolean ok = TRUE;

  switch (cd_pkcs12_find_mac_password (p12, loader->password, FALSE, source,
                                              &walk.password, NULL, error))
    {
    case CD_PKCS12_MAC_OPENED:
      break;
    case CD_PKCS12_MAC_WRONG_PASSWORD:
      set_wrong_password (error, source, loader->password);
      return CD_BUNDLE_PARSE_FAILED;
    case CD_PKCS12_MAC_FAILED:
    default:
      return CD_BUNDLE_PARSE_FAILED;
    }

  safes = PKCS12_unpack_authsafes (p12);
  if (safes == NULL)
    {
      ERR_clear_error ();
      set_p12_damaged (error, source);
      return CD_BUNDLE_PARSE_FAILED;
    }

  for (int i = 0; ok && i < sk_PKCS7_num (safes); i++)
    {
      PKCS7 *p7 = sk_PKCS7_value (safes, i);
      STACK_OF (PKCS12_SAFEBAG) *bags = NULL;

      if (g_cancellable_set_error_if_cancelled (loader->cancellable, error))
        {
          ok = FALSE;
          break;
        }

      switch (OBJ_obj2nid (p7->type))
        {
        case NID_pkcs7_data:
          bags = PKCS12_unpack_p7data (p7);
          if (bags == NULL)
            {
              set_p12_damaged (error, source);
              ok = FALSE;
            }
          break;

        case NID_pkcs7_encrypted:
          if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL ||
              p7->d.encrypted->enc_data->enc_data == NULL)
            {
              set_p12_damaged (error, source);
              ok = FALSE;
              break;
            }
          if (!cd_decrypt_check_kdf_cost (p7->d.encrypted->enc_data->algorithm, source, error))
            {
              ok = FALSE;
              break;
            }
          ERR_clear_error ();
          /* PKCS12_unpack_p7encdata() would decrypt in the default library context */
          bags = PKCS12_item_decrypt_d2i_ex (p7->d.encrypted->enc_data->algorithm,
                                             ASN1_ITEM_rptr (PKCS12_SAFEBAGS), walk.password,
                                             p12_password_length (&walk),
                                             p7->d.encrypted->enc_data->enc_data, 1,
                                             cd_decrypt_context_get_libctx (&loader->decrypt), NULL);
          if (bags == NULL)
            {
              if (cd_decrypt_error_is_unsupported ())
                cd_decrypt_set_unsupported (error, source);
              else
                set_wrong_password (error, source, loader->password);
              ok = FALSE;
            }
          break;

        default:
          /* public-key privacy mode, which no tool a user meets writes */
          break;
        }

      if (ok && bags != NULL)
        ok = p12_walk_bags (&walk, bags, 0, error);
      sk_PKCS12_SAFEBAG_pop_free (bags, PKCS12_SAFEBAG_free);
    }
  sk_PKCS7_pop_free (safes, PKCS7_free);
  ERR_clear_error ();

  if (!ok)
    return CD_BUNDLE_PARSE_FAILED;
  if (bundle->certificates->len + bundle->keys->len == n_before)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The PKCS#12 file “%s” holds no certificates or keys. Export it again with "
                     "the certificates included."),
                   source);
      return CD_BUNDLE_PARSE_NOTHING;
    }
  return CD_BUNDLE_PARSE_FOUND;
}
