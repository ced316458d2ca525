// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>

#include "cd-bundle.h"
#include "cd-decrypt.h"

G_BEGIN_DECLS

/* Shared by the files the loader is split over (cd-bundle*.c): cd-bundle.c recognises the
 * format and hands the data to the file that reads it. */

/* One load: what every part of it needs to know. */
typedef struct
{
  const char    *password;    /* may be NULL */
  GCancellable  *cancellable; /* may be NULL */
  /* for decryption only, made when first needed and dropped at the end of the load */
  CdDecryptContext decrypt;
} CdBundleLoader;

typedef enum
{
  CD_BUNDLE_PARSE_FOUND,   /* certificates or keys were added */
  CD_BUNDLE_PARSE_NOTHING, /* nothing Certdesk reads; the error says why */
  CD_BUNDLE_PARSE_FAILED,  /* recognised but damaged, locked or too large; the error says why */
} CdBundleParseResult;

/* cd-bundle.c: the bundle, format detection, messages ------------------------------------- */

/* Adds what @data holds to @bundle. @source names it in messages and sources. Inside an archive
 * (@in_archive) a nested archive is not opened. Sets @error for NOTHING and FAILED. */
CdBundleParseResult _cd_bundle_parse            (CdBundleLoader  *loader,
                                                CdBundle        *bundle,
                                                const guint8    *data,
                                                gsize            size,
                                                const char      *source,
                                                gboolean         in_archive,
                                                GError         **error);

gboolean            _cd_bundle_is_zip           (const guint8    *data,
                                                gsize            size);

/* Take @cert and @pkey; a certificate whose validity dates cannot be read is refused. */
gboolean            _cd_bundle_add_certificate  (CdBundle        *bundle,
                                                X509            *cert,
                                                const char      *source,
                                                GError         **error);
void                _cd_bundle_add_key          (CdBundle        *bundle,
                                                EVP_PKEY        *pkey,
                                                gboolean         encrypted,
                                                const char      *source);

/* Sets @error to @problem followed by the formats Certdesk reads. */
void                _cd_bundle_set_format_error (GError         **error,
                                                int              code,
                                                const char      *problem);
void                _cd_bundle_set_not_readable (GError         **error,
                                                const char      *source);

/* Overwrites @size bytes at @data; for buffers that held key material. */
void                _cd_bundle_wipe             (gpointer         data,
                                                gsize            size);
/* _cd_bundle_wipe(), then g_free(). */
void                _cd_bundle_wipe_and_free    (gpointer         data,
                                                gsize            size);

/* cd-bundle-pem.c: PEM blocks and bare base64 --------------------------------------------- */

gboolean            _cd_bundle_has_pem            (const guint8    *data,
                                                  gsize            size);
CdBundleParseResult _cd_bundle_parse_pem          (CdBundleLoader  *loader,
                                                  CdBundle        *bundle,
                                                  const char      *text,
                                                  gsize            size,
                                                  const char      *source,
                                                  GError         **error);
/* The DER in base64 text without PEM lines, or NULL; free it with _cd_bundle_wipe_and_free(). */
guint8             *_cd_bundle_decode_bare_base64 (const guint8    *data,
                                                  gsize            size,
                                                  gsize           *out_len);

/* cd-bundle-der.c: binary files ----------------------------------------------------------- */

gboolean            _cd_bundle_is_padding (const guint8    *data,
                                          gsize            size);
CdBundleParseResult _cd_bundle_parse_der  (CdBundleLoader  *loader,
                                          CdBundle        *bundle,
                                          const guint8    *data,
                                          gsize            size,
                                          const char      *source,
                                          GError         **error);

/* cd-bundle-pkcs7.c, cd-bundle-pkcs12.c --------------------------------------------------- */

CdBundleParseResult _cd_bundle_add_pkcs7  (CdBundle        *bundle,
                                          PKCS7           *p7,
                                          const char      *source,
                                          GError         **error);
CdBundleParseResult _cd_bundle_add_pkcs12 (CdBundleLoader  *loader,
                                          CdBundle        *bundle,
                                          PKCS12          *p12,
                                          const char      *source,
                                          GError         **error);

/* cd-bundle-keys.c: private keys ---------------------------------------------------------- */

CdBundleParseResult _cd_bundle_add_pkcs8           (CdBundle                   *bundle,
                                                   const PKCS8_PRIV_KEY_INFO  *p8,
                                                   gboolean                    encrypted,
                                                   const char                 *source,
                                                   GError                    **error);
/* Without a password the key is added unopened, with pkey NULL. */
CdBundleParseResult _cd_bundle_add_encrypted_pkcs8 (CdBundleLoader             *loader,
                                                   CdBundle                   *bundle,
                                                   const X509_SIG             *sig,
                                                   const char                 *source,
                                                   GError                    **error);
/* A "BEGIN RSA/EC/DSA PRIVATE KEY" block of @type (EVP_PKEY_RSA, ...) with its RFC 1421
 * @headers; an encrypted @der is decrypted in place. */
CdBundleParseResult _cd_bundle_add_traditional_key (CdBundleLoader             *loader,
                                                   CdBundle                   *bundle,
                                                   int                         type,
                                                   const char                 *headers,
                                                   guint8                     *der,
                                                   gsize                       der_len,
                                                   const char                 *source,
                                                   GError                    **error);

/* cd-bundle-zip.c ------------------------------------------------------------------------- */

/* Reads every entry of the zip in @data into memory, within the bounds of cd-bundle.h, and
 * parses it. Fails for an unsafe path, an encrypted entry, a bound passed, a damaged archive
 * or a damaged entry; entries with nothing recognisable go to bundle->skipped. */
gboolean            _cd_bundle_load_zip     (CdBundleLoader  *loader,
                                            CdBundle        *bundle,
                                            const guint8    *data,
                                            gsize            size,
                                            const char      *zip_name,
                                            GError         **error);

G_END_DECLS
