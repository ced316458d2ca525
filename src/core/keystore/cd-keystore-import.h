// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <openssl/x509.h>

#include "cd-bundle.h"
#include "cd-keystore.h"

G_BEGIN_DECLS

/* Importing certificates into a keystore as a DBA knows it from `keytool -importcert`, in two
 * steps so that a person can see and change what will happen first: cd_keystore_plan_import()
 * says what it would do with every certificate of a bundle (the plan, which changes nothing),
 * cd_keystore_apply_import() does it.
 *
 * What differs from keytool, on purpose: a bundle imports all its certificates, in chain order
 * (keytool takes the first one of a PEM file only), each under an alias derived from its
 * subject; nothing is asked on a terminal: what keytool would ask is a flag, a warning or an
 * error in the plan. */

typedef enum
{
  CD_IMPORT_DEFAULT = 0,
  /* keytool's -trustcacerts: CA certificates (basicConstraints cA) become trusted entries;
   * without it a CA certificate is an error in the plan */
  CD_IMPORT_TRUST_CA = 1 << 0,
  /* an alias the caller chose that already names a trusted certificate entry is replaced
   * instead of being an error; derived aliases never replace anything */
  CD_IMPORT_REPLACE = 1 << 1,
  /* a certificate the keystore holds already under another alias is added again instead of
   * being skipped (with a warning) */
  CD_IMPORT_ALLOW_DUPLICATES = 1 << 2,
} CdImportFlags;

typedef enum
{
  CD_IMPORT_ACTION_ADD_TRUSTED,    /* a new trusted certificate entry */
  CD_IMPORT_ACTION_REPLACE,        /* a trusted certificate entry that replaces the entry with
                                    * the same alias */
  CD_IMPORT_ACTION_INSTALL_REPLY,  /* a CA reply: the chain of the private key entry @alias is
                                    * replaced by @chain */
  CD_IMPORT_ACTION_SKIP_DUPLICATE, /* the keystore holds the certificate already, as
                                    * @duplicate_of */
  CD_IMPORT_ACTION_SKIP,           /* left out on the caller's request */
} CdImportAction;

/* One certificate of the import. Read every field; change the alias and whether the item is
 * left out only with the functions below, which check the whole plan again. */
typedef struct
{
  X509           *certificate;  /* owned reference; for a reply, the leaf */
  char           *source;       /* where it was found, as in CdBundle; may be NULL */
  char           *alias;        /* the proposed alias: derived, the caller's, or for a reply
                                 * the alias of the key entry */
  gboolean        alias_chosen; /* TRUE when the caller chose @alias (alias hint or
                                 * cd_import_plan_set_alias()), FALSE when derived */
  CdImportAction  action;
  gboolean        is_ca;        /* basicConstraints cA */
  char           *duplicate_of; /* the alias of an entry that holds the certificate already, or
                                 * NULL */
  GPtrArray      *chain;        /* INSTALL_REPLY: the key entry's new chain, X509*, leaf first
                                 * up to a root where one is found (the reply's certificates,
                                 * then the keystore's trusted ones); NULL otherwise */
  GPtrArray      *warnings;     /* char*, translated: the import goes ahead */
  GPtrArray      *errors;       /* GError*: while an item that is not skipped has one, the plan
                                 * cannot be applied */
  /* private */
  gboolean        skip_requested;
  gboolean        keep_duplicate;
} CdImportItem;

typedef struct
{
  GPtrArray     *items;    /* CdImportItem*: replies first, then the other certificates in
                            * chain order (leaf first) */
  GPtrArray     *warnings; /* char*, translated: about the import as a whole (keys in the
                            * bundle that are not imported, an alias hint that went unused) */
  CdImportFlags  flags;
} CdImportPlan;

/* The alias Certdesk proposes for @cert: the subject's CN, else its O, else the first 16 hex
 * digits of the SHA-256 fingerprint; lower case; anything but letters, digits, '.' and '_'
 * becomes '-' (a run of them one '-'), and the alias starts and ends with a letter or a digit
 * ("*.mail.example" gives "mail.example"). Not made unique. */
char         *cd_keystore_derive_alias   (X509            *cert);

/* Plans the import of the certificates of @bundle into @store; changes neither.
 *
 * A certificate whose public key is that of a private key entry of @store is a CA reply for
 * it (INSTALL_REPLY): its chain is built from the reply's other certificates, then the
 * trusted entries of @store, leaf first up to a root; those certificates become part of the
 * chain, not entries. @alias_hint naming a private key entry makes the whole bundle the reply
 * for that entry; when its leaf is not for that key the item carries the error "the reply is
 * not for this key" (keytool: "Public keys in reply and keystore don't match").
 *
 * Every other certificate becomes a trusted entry, in chain order, the first under
 * @alias_hint (may be NULL) and the others under derived aliases made unique within @store
 * and the plan with "-2", "-3" … A CA certificate needs CD_IMPORT_TRUST_CA (else an error in
 * the item); a server certificate carries DESIGN's advice to trust the root instead as a
 * warning; weak keys, SHA-1 or weaker signatures and dates outside the validity are warnings.
 * A certificate the store holds already is skipped (SKIP_DUPLICATE) unless
 * CD_IMPORT_ALLOW_DUPLICATES; an alias hint naming a trusted entry is an error unless
 * CD_IMPORT_REPLACE.
 *
 * Fails only when the bundle holds no certificate (CD_ERROR_INVALID_VALUE); every other
 * problem is in the plan. */
CdImportPlan *cd_keystore_plan_import    (CdKeystore      *store,
                                          CdBundle        *bundle,
                                          CdImportFlags    flags,
                                          const char      *alias_hint,
                                          GError         **error);

/* Does what @plan says, all of it or nothing: the plan is checked again against @store
 * first, and while an item that is not skipped has an error nothing changes and the first
 * error is returned (its code: CD_ERROR_DUPLICATE for an alias that is taken,
 * CD_ERROR_INVALID_VALUE otherwise). Changes @store only in memory: save it with
 * cd_keystore_save(). Returns the number of entries added, replaced or given a new chain in
 * @n_changed (may be NULL). */
gboolean      cd_keystore_apply_import   (CdKeystore      *store,
                                          CdImportPlan    *plan,
                                          guint           *n_changed,
                                          GError         **error);

/* Gives item @index the alias @alias (lower-cased for a JKS store, as it will be stored) and
 * checks the plan again. Fails, changing nothing, for an empty alias, one another item of the
 * plan has (CD_ERROR_DUPLICATE), and for a reply (its alias is the key entry's:
 * CD_ERROR_INVALID_VALUE). An alias that names an entry of @store is accepted, and the item
 * then carries an error unless the plan has CD_IMPORT_REPLACE. */
gboolean      cd_import_plan_set_alias   (CdImportPlan    *plan,
                                          CdKeystore      *store,
                                          guint            index,
                                          const char      *alias,
                                          GError         **error);

/* Leaves item @index out (SKIP) or takes it in again; taking in a SKIP_DUPLICATE item adds
 * the certificate again with a warning. Checks the plan again. */
void          cd_import_plan_set_skipped (CdImportPlan    *plan,
                                          CdKeystore      *store,
                                          guint            index,
                                          gboolean         skipped);

/* Changes the flags (a "Trust CA certificates" switch) and checks the plan again, keeping
 * the aliases. */
void          cd_import_plan_set_flags   (CdImportPlan    *plan,
                                          CdKeystore      *store,
                                          CdImportFlags    flags);

/* Whether an item that is not skipped has an error. */
gboolean      cd_import_plan_has_errors  (CdImportPlan    *plan);

/* "add-trusted", "replace", "install-reply", "skip-duplicate", "skip". */
const char   *cd_import_action_to_string (CdImportAction   action);

void          cd_import_plan_free        (CdImportPlan    *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdImportPlan, cd_import_plan_free)

G_END_DECLS
