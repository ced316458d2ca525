// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-test-x509"

#include "config.h"

#include <openssl/pem.h>

#include "cd-test-x509.h"

X509 *
cd_test_load_certificate (const char *path)
{
  BIO *bio = BIO_new_file (path, "r");
  X509 *cert;

  g_assert_nonnull (bio);
  cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  BIO_free (bio);
  g_assert_nonnull (cert);
  return cert;
}

EVP_PKEY *
cd_test_load_private_key (const char *path)
{
  BIO *bio = BIO_new_file (path, "r");
  EVP_PKEY *key;

  g_assert_nonnull (bio);
  key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);
  g_assert_nonnull (key);
  return key;
}

X509 *
cd_test_pki_load_cert (CdTestPki  *pki,
                       const char *name)
{
  return cd_test_load_certificate (cd_test_pki_cert_path (pki, name));
}

GPtrArray *
cd_test_pki_load_certs (CdTestPki          *pki,
                        const char * const *names)
{
  GPtrArray *certs = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_ptr_array_add (certs, cd_test_pki_load_cert (pki, names[i]));
  return certs;
}

EVP_PKEY *
cd_test_pki_load_key (CdTestPki  *pki,
                      const char *name)
{
  return cd_test_load_private_key (cd_test_pki_key_path (pki, name));
}
