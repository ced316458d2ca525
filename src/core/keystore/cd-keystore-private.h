// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* Shared by the keystore's files: the model (cd-keystore.c) and the two codecs. */

#include "cd-keystore.h"

G_BEGIN_DECLS

struct _CdKeystore
{
  CdKeystoreType type;
  GPtrArray *entries; /* CdKeystoreEntry*, in listing order */
  gboolean loaded_with_key; /* the file it was read from held a private key */
};

CdKeystoreEntry *_cd_keystore_entry_new  (const char          *alias,
                                          CdKeystoreEntryKind  kind);
void             _cd_keystore_entry_free (CdKeystoreEntry     *entry);
/* Appends @entry (taking it) and keeps the listing order of the store's type. */
void             _cd_keystore_take_entry (CdKeystore          *self,
                                          CdKeystoreEntry     *entry);

/* Codecs. The readers fill @store (created by the caller with the right type) and report
 * errors as cd_keystore_load() documents; the writers return the file's bytes. */
gboolean _cd_keystore_jks_read      (CdKeystore   *store,
                                     const guint8 *data,
                                     gsize         length,
                                     const char   *name,
                                     const char   *password,
                                     const char   *key_password,
                                     GError      **error);
GBytes  *_cd_keystore_jks_write     (CdKeystore   *store,
                                     const char   *password,
                                     GError      **error);
gboolean _cd_keystore_pkcs12_read   (CdKeystore   *store,
                                     const guint8 *data,
                                     gsize         length,
                                     const char   *name,
                                     const char   *password,
                                     const char   *key_password,
                                     GError      **error);
GBytes  *_cd_keystore_pkcs12_write  (CdKeystore   *store,
                                     const char   *password,
                                     GError      **error);

G_END_DECLS
