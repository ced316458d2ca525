// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* Shared by the files the import into a keystore (cd-keystore-import.h) is split over:
 *  - cd-keystore-import.c: the plan: its items, checking them against the keystore, editing
 *    the plan and applying it;
 *  - cd-keystore-import-alias.c: aliases: deriving one from a certificate, comparing them,
 *    and the index of what the keystore and the plan hold, which keeps them unique;
 *  - cd-keystore-import-reply.c: CA replies: the key entry a certificate is for, the chain
 *    built from the reply and the keystore's trusted entries, and checking a reply. */

#include "cd-keystore-import.h"

G_BEGIN_DECLS

/* The keystore and the plan seen through hash tables, so that planning 1,000 certificates
 * into a keystore of 1,000 entries costs milliseconds, not a million comparisons. Built anew
 * for every check of the plan: the keystore may have changed in between. */
typedef struct
{
  GHashTable *store_aliases; /* casefolded alias -> CdKeystoreEntry*, the first one */
  GHashTable *store_certs;   /* SHA-256 of the DER (GBytes) -> alias of the first entry that
                              * holds the certificate (the trusted one, or a key's leaf) */
  GHashTable *claimed;       /* casefolded alias -> number of items of the plan that claim it */
} CdImportIndex;

/* cd-keystore-import.c: items ------------------------------------------------------------ */

CdImportItem    *_cd_import_item_new                      (X509            *cert,
                                                          const char      *source);
/* Both take @message. */
void             _cd_import_item_add_warning              (CdImportItem    *item,
                                                          char            *message);
void             _cd_import_item_add_error                (CdImportItem    *item,
                                                          int              code,
                                                          char            *message);
void             _cd_import_item_add_certificate_warnings (CdImportItem    *item);
gboolean         _cd_import_is_ca                         (X509            *cert);
/* Where the bundle has @cert from, in the table that cd_keystore_plan_import() makes. */
const char      *_cd_import_source_of                     (GHashTable      *sources,
                                                          X509            *cert);

/* cd-keystore-import-alias.c: aliases and the index --------------------------------------- */

gboolean         _cd_import_same_alias                    (const char      *a,
                                                          const char      *b);
/* SHA-256 of the DER, the key of the tables that find a certificate. */
GBytes          *_cd_import_certificate_digest            (X509            *cert);

CdImportIndex   *_cd_import_index_new                     (CdKeystore      *store);
void             _cd_import_index_free                    (CdImportIndex   *index);
/* The entry of the keystore named @alias, whatever its case. */
CdKeystoreEntry *_cd_import_index_lookup                  (CdImportIndex   *index,
                                                          const char      *alias);
const char      *_cd_import_index_find_certificate        (CdImportIndex   *index,
                                                          X509            *cert);
/* An item of the plan claims @alias; _cd_import_index_n_claims() counts the claims. */
void             _cd_import_index_claim                   (CdImportIndex   *index,
                                                          const char      *alias);
guint            _cd_import_index_n_claims                (CdImportIndex   *index,
                                                          const char      *alias);
char            *_cd_import_unique_alias                  (CdImportIndex   *index,
                                                          const char      *base);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdImportIndex, _cd_import_index_free)

/* cd-keystore-import-reply.c: CA replies -------------------------------------------------- */

/* Whether @cert has the public key of the key entry @entry. */
gboolean         _cd_import_is_for_key                    (X509            *cert,
                                                          CdKeystoreEntry *entry);
CdImportItem    *_cd_import_reply_item                    (CdKeystore      *store,
                                                          GHashTable      *sources,
                                                          GPtrArray       *ordered,
                                                          gboolean        *used,
                                                          X509            *leaf,
                                                          CdKeystoreEntry *entry);
/* Checks the reply @item against the keystore as @index sees it. */
void             _cd_import_evaluate_reply                (CdImportPlan    *plan,
                                                          CdImportIndex   *index,
                                                          CdImportItem    *item);

G_END_DECLS
