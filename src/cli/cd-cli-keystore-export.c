// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <openssl/pem.h>
#include <stdio.h>

#include "cd-cli-keystore-private.h"
#include "cd-file-util.h"
#include "cd-keystore.h"
#include "cd-safe-file.h"

/* certdesk-cli keystore export: one entry as PEM, with its private key on request. */

static char *
bio_to_string (BIO   *bio,
               gsize *length)
{
  char *data = NULL;
  long size = BIO_get_mem_data (bio, &data);

  *length = size;
  return g_strndup (data, size);
}

int
_cd_cli_keystore_export (int    argc,
                        char **argv)
{
  g_auto(CdCliPasswordOptions) passwords = { 0 };
  g_autofree char *password = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *pem = NULL;
  gboolean include_key = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(GError) error = NULL;
  CdKeystoreEntry *entry;
  gboolean written;
  gsize length;
  BIO *bio;
  const GOptionEntry entries[] = {
    { "alias", 0, 0, G_OPTION_ARG_STRING, &alias, N_("The entry to export"), N_("ALIAS") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path,
      N_("Write the PEM to FILE (“-”: standard output)"), N_("FILE") },
    { "include-key", 0, 0, G_OPTION_ARG_NONE, &include_key,
      N_("With a key entry, write its private key too, as unencrypted PKCS#8 (mode 0600, "
         "never over an existing file)"),
      NULL },
    { NULL }
  };

  context = g_option_context_new (_("KEYSTORE"));
  g_option_context_set_summary (context,
                                _("Exports an entry as PEM: a trusted certificate, or the chain "
                                  "of a key entry, leaf first, with its key on request."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  _cd_cli_keystore_add_password_entries (context, &passwords);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (argc != 2)
    return cd_cli_fail (_("Name one keystore to export from."));
  if (alias == NULL || out_path == NULL)
    return cd_cli_fail (_("Say which entry to export with --alias and where with --out."));
  if (include_key && g_str_equal (out_path, "-"))
    return cd_cli_fail (_("Write a private key to a file, not to standard output."));
  if (include_key && !cd_safe_file_check_new (out_path, &error))
    return cd_cli_fail ("%s", error->message);
  if (!g_str_equal (out_path, "-") && cd_file_same_entry (out_path, argv[1]))
    return cd_cli_fail (_("“%s” is the keystore itself: write the export to another file."),
                        out_path);
  if ((password = _cd_cli_keystore_get_password (&passwords)) == NULL)
    return CD_CLI_EXIT_USAGE;

  store = cd_keystore_load (argv[1], password, NULL, &error);
  if (store == NULL)
    return cd_cli_fail ("%s", error->message);

  entry = cd_keystore_lookup (store, alias);
  if (entry == NULL)
    return cd_cli_fail (_("The keystore has no entry “%s”."), alias);
  if (include_key && entry->kind != CD_KEYSTORE_ENTRY_PRIVATE_KEY)
    return cd_cli_fail (_("“%s” is a trusted certificate entry: it has no private key."),
                        entry->alias);
  if (include_key && entry->key == NULL)
    return cd_cli_fail (_("The key of “%s” is protected by a password of its own, which was not "
                          "given: it cannot be exported."),
                        entry->alias);

  bio = BIO_new (BIO_s_mem ());
  for (guint i = 0; i < entry->chain->len; i++)
    PEM_write_bio_X509 (bio, g_ptr_array_index (entry->chain, i));
  if (include_key && PEM_write_bio_PKCS8PrivateKey (bio, entry->key, NULL, NULL, 0, NULL,
                                                    NULL) != 1)
    {
      BIO_free (bio);
      return cd_cli_fail (_("The private key of “%s” cannot be encoded."), entry->alias);
    }
  pem = bio_to_string (bio, &length);
  BIO_free (bio);

  if (g_str_equal (out_path, "-"))
    written = fwrite (pem, 1, length, stdout) == length;
  else if (include_key)
    written = cd_safe_file_create_private (out_path, pem, length, &error);
  else
    written = cd_safe_file_write (out_path, pem, length, CD_SAFE_FILE_PUBLIC, NULL, NULL, &error);
  OPENSSL_cleanse (pem, length);
  if (!written)
    return cd_cli_fail ("%s", error != NULL ? error->message : g_strerror (errno));

  if (!g_str_equal (out_path, "-"))
    {
      if (include_key)
        printf (g_dngettext (GETTEXT_PACKAGE,
                             "Wrote the private key and %u certificate of “%s” to “%s”.\n",
                             "Wrote the private key and %u certificates of “%s” to “%s”.\n",
                             entry->chain->len),
                entry->chain->len, entry->alias, out_path);
      else
        printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u certificate of “%s” to “%s”.\n",
                             "Wrote %u certificates of “%s” to “%s”.\n", entry->chain->len),
                entry->chain->len, entry->alias, out_path);
    }
  return CD_CLI_EXIT_OK;
}
