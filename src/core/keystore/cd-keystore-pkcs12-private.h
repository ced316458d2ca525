// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <string.h>

#include "cd-decrypt.h"
#include "cd-keystore-private.h"

G_BEGIN_DECLS

/* Shared by the files the PKCS#12 keystore codec (keytool 17, Java's PKCS12KeyStore) is split
 * over:
 *  - cd-keystore-pkcs12-read.c: opening a file: its size, the MAC, the safes and their
 *    decryption, the key-derivation budget; hands the entries to the store.
 *  - cd-keystore-pkcs12-bags.c: Java's rules for turning bags into entries: aliases, trusted
 *    certificates, localKeyId, dates, which bags count.
 *  - cd-keystore-pkcs12-chains.c: each key's certificate and the chain up from it.
 *  - cd-keystore-pkcs12-write.c: writing as keytool does. */

#define TRUSTED_KEY_USAGE_OID "2.16.840.1.113894.746875.1.1"

/* Bounds on what a file may ask for. Real keystores hold a few hundred entries with chains of
 * two to four certificates, and keytool's 10000 rounds per key. */
#define MAX_INPUT_SIZE   (256 * 1024 * 1024)
#define MAX_BAGS         100000
#define MAX_CHAIN_LENGTH 32
/* Key-derivation rounds over the whole file (MAC, certificate safes and every key): about
 * 4000 keys at keytool's count, a few seconds of work. */
#define MAX_TOTAL_KDF_WORK (G_GUINT64_CONSTANT (40000000))

/* --- reading ----------------------------------------------------------------------------- */

/* A certificate bag that is no trusted entry: a candidate for a key's own certificate. */
typedef struct
{
  X509   *cert;   /* owned by CdPkcs12Reader.certs */
  GBytes *key_id; /* NULL: none */
  char   *alias;  /* the friendlyName as written, NULL: none */
} CdPkcs12CertRef;

typedef struct
{
  CdKeystoreEntry *entry; /* owned by CdPkcs12Reader.entries or CdPkcs12Reader.replaced */
  GBytes          *key_id;
  char            *alias; /* as written */
} CdPkcs12KeyRef;

/* One read of one file. */
typedef struct
{
  const char     *name;
  const char     *password; /* the one that opened the MAC */
  const char     *key_password; /* opens the keys; NULL: the one that opened the MAC */
  CdDecryptContext decrypt;
  guint64         kdf_work;
  guint           n_bags;
  guint           private_key_count; /* shrouded key bags seen so far, as Java counts them */
  guint           unfriendly_count;  /* aliases made up for bags without a friendlyName */
  ASN1_OBJECT    *trusted_key_usage;

  GPtrArray      *entries;      /* CdKeystoreEntry*, listing order */
  GHashTable     *entry_index;  /* lower-case alias -> index + 1 into entries */
  GPtrArray      *replaced;     /* CdKeystoreEntry* displaced by a later one of the same alias */
  GPtrArray      *keys;         /* CdPkcs12KeyRef* */
  GPtrArray      *cert_refs;    /* CdPkcs12CertRef* */
  GPtrArray      *certs;        /* X509*, every certificate bag, file order */
  GHashTable     *by_subject;   /* X509_NAME* -> the first X509* with that subject */
  GHashTable     *self_signed;  /* X509* -> 2 when self-signed, 1 when not */
} CdPkcs12Reader;

static inline int
_cd_keystore_pkcs12_password_length (const char *password)
{
  return password != NULL ? (int) strlen (password) : 0;
}

/* cd-keystore-pkcs12-read.c */
void     _cd_keystore_pkcs12_set_damaged   (GError                    **error,
                                            const char                 *name);
/* Counts the key-derivation work of one scheme against the file's budget. */
gboolean _cd_keystore_pkcs12_charge_kdf    (CdPkcs12Reader             *reader,
                                            const X509_ALGOR           *alg,
                                            GError                    **error);

/* cd-keystore-pkcs12-bags.c: adds the entries and certificates of one safe's @bags */
gboolean _cd_keystore_pkcs12_read_bags     (CdPkcs12Reader             *reader,
                                            STACK_OF (PKCS12_SAFEBAG)  *bags,
                                            GError                    **error);

/* cd-keystore-pkcs12-chains.c: fills in every key's chain once all bags are read */
gboolean _cd_keystore_pkcs12_attach_chains (CdPkcs12Reader             *reader,
                                            GError                    **error);

G_END_DECLS
