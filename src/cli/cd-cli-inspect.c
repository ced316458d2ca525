// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "certdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-bundle.h"
#include "cd-cert-info.h"
#include "cd-cli.h"

static void
add_strv (JsonBuilder *builder,
          const char  *member,
          char       **values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* {"type","bits","curve"}: the curve by its NIST name where it has one. */
static void
add_key (JsonBuilder     *builder,
         const CdKeyInfo *info)
{
  cd_cli_json_add_string (builder, "type", info != NULL ? info->type : NULL);
  json_builder_set_member_name (builder, "bits");
  if (info != NULL && info->bits > 0)
    json_builder_add_int_value (builder, info->bits);
  else
    json_builder_add_null_value (builder);
  cd_cli_json_add_string (builder, "curve",
                       info == NULL ? NULL
                       : info->curve_nist != NULL ? info->curve_nist : info->curve_name);
}

static void
add_certificate_json (JsonBuilder      *builder,
                      const CdCertInfo *info,
                      const char       *source)
{
  json_builder_begin_object (builder);
  cd_cli_json_add_string (builder, "source", source);
  cd_cli_json_add_string (builder, "subject", info->subject);
  cd_cli_json_add_string (builder, "issuer", info->issuer);
  cd_cli_json_add_string (builder, "serial", info->serial);
  cd_cli_json_add_string (builder, "not_before", info->not_before_text);
  cd_cli_json_add_string (builder, "not_after", info->not_after_text);
  cd_cli_json_add_string (builder, "sha256", info->sha256_fingerprint);
  add_strv (builder, "dns_names", info->dns_names);
  add_strv (builder, "ip_addresses", info->ip_addresses);
  json_builder_set_member_name (builder, "is_ca");
  json_builder_add_boolean_value (builder, info->is_ca);
  json_builder_set_member_name (builder, "self_signed");
  json_builder_add_boolean_value (builder, info->self_signed);
  json_builder_set_member_name (builder, "key");
  json_builder_begin_object (builder);
  add_key (builder, info->public_key);
  json_builder_end_object (builder);
  cd_cli_json_add_string (builder, "signature", info->signature_algorithm);
  json_builder_end_object (builder);
}

static char *
describe_key (const CdKeyInfo *info)
{
  if (info == NULL)
    return g_strdup (_("unknown until the password is given"));
  if (info->curve_nist != NULL || info->curve_name != NULL)
    return g_strdup_printf ("%s %s", info->type,
                            info->curve_nist != NULL ? info->curve_nist : info->curve_name);
  if (info->bits > 0)
    /* TRANSLATORS: a key type and its size, "rsa 2048 bits" */
    return g_strdup_printf (_("%s %u bits"), info->type, info->bits);
  return g_strdup (info->type);
}

/* "  Label:      value", the values aligned whatever the label's length in characters (printf
 * pads bytes, which puts translated labels with accents out of line). */
static void
print_field (const char *label,
             const char *value)
{
  long width = g_utf8_strlen (label, -1);

  printf ("  %s%*s %s\n", label, (int) MAX (0, 22 - width), "", value != NULL ? value : "");
}

static void
print_list (const char  *label,
            char       **values)
{
  g_autofree char *joined = NULL;

  if (values == NULL || values[0] == NULL)
    return;
  joined = g_strjoinv (", ", values);
  print_field (label, joined);
}

static void
print_certificate_text (const CdCertInfo *info,
                        const char       *source,
                        guint             number)
{
  g_autofree char *key = describe_key (info->public_key);

  /* TRANSLATORS: a heading: the file and the number of the certificate in it */
  printf (_("%s: certificate %u\n"), source, number);
  print_field (_("Subject:"), info->subject);
  print_field (_("Issuer:"), info->issuer);
  print_field (_("Serial:"), info->serial);
  print_field (_("Not before:"), info->not_before_text);
  print_field (_("Not after:"), info->not_after_text);
  print_field (_("SHA-256:"), info->sha256_fingerprint);
  print_field (_("SHA-1:"), info->sha1_fingerprint);
  print_list (_("DNS names:"), info->dns_names);
  print_list (_("IP addresses:"), info->ip_addresses);
  print_field (_("Key:"), key);
  print_field (_("Signature:"), info->signature_algorithm);
  {
    g_autofree char *ca = g_strconcat (info->is_ca ? _("yes") : _("no"),
                                       info->self_signed ? _(", self-signed") : "", NULL);
    print_field (_("CA:"), ca);
  }
  print_list (_("Key usage:"), info->key_usage);
  print_list (_("Extended key usage:"), info->extended_key_usage);
}

int
cd_cli_inspect (int    argc,
                char **argv)
{
  g_autofree char *password_option = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(JsonBuilder) certificates = json_builder_new ();
  g_autoptr(JsonBuilder) keys = json_builder_new ();
  const GOptionEntry entries[] = {
    { "password", 0, 0, G_OPTION_ARG_STRING, &password_option,
      N_("Password of PKCS#12 files and encrypted keys"), N_("PASSWORD") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Shows every certificate and private key found in the files: "
                                  "PEM, DER, PKCS#7, PKCS#12 or a zip of these."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cd_cli_parse_options (context, &argc, &argv))
    return CD_CLI_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    return cd_cli_fail (_("Name at least one file to inspect."));

  password = cd_cli_read_password (password_option, password_file, &error);
  if (error != NULL)
    return cd_cli_fail ("%s", error->message);

  json_builder_begin_array (certificates);
  json_builder_begin_array (keys);

  for (guint f = 0; files[f] != NULL; f++)
    {
      g_autoptr(CdBundle) bundle = cd_bundle_load_file (files[f], password, &error);

      if (bundle == NULL)
        return cd_cli_fail ("%s", error->message);

      for (guint i = 0; i < bundle->certificates->len; i++)
        {
          CdCertInfo *info = cd_cert_info_new (g_ptr_array_index (bundle->certificates, i));
          const char *source = g_ptr_array_index (bundle->certificate_sources, i);

          if (json)
            add_certificate_json (certificates, info, source);
          else
            print_certificate_text (info, source, i + 1);
          cd_cert_info_free (info);
        }

      for (guint i = 0; i < bundle->keys->len; i++)
        {
          const CdKey *key = g_ptr_array_index (bundle->keys, i);
          CdKeyInfo *info = key->pkey != NULL ? cd_key_info_new (key->pkey) : NULL;

          if (json)
            {
              json_builder_begin_object (keys);
              cd_cli_json_add_string (keys, "source", key->source);
              add_key (keys, info);
              json_builder_set_member_name (keys, "encrypted");
              json_builder_add_boolean_value (keys, key->encrypted);
              json_builder_end_object (keys);
            }
          else
            {
              g_autofree char *description = describe_key (info);
              g_autofree char *line = g_strconcat (description,
                                                   key->encrypted ? _(" (encrypted)") : "",
                                                   NULL);

              /* TRANSLATORS: a heading: the file, then what was found in it */
              printf (_("%s: private key\n"), key->source);
              print_field (_("Key:"), line);
            }
          g_clear_pointer (&info, cd_key_info_free);
        }

      for (guint i = 0; i < bundle->skipped->len; i++)
        fprintf (stderr, _("certdesk-cli: %s holds no certificate or key; skipped\n"),
                 (const char *) g_ptr_array_index (bundle->skipped, i));
    }

  json_builder_end_array (certificates);
  json_builder_end_array (keys);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "certificates");
      json_builder_add_value (builder, json_builder_get_root (certificates));
      json_builder_set_member_name (builder, "keys");
      json_builder_add_value (builder, json_builder_get_root (keys));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cd_cli_print_json (root);
    }

  return CD_CLI_EXIT_OK;
}
