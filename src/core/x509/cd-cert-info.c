// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-cert-info"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "cd-cert-info.h"

/* --- keys -------------------------------------------------------------------------------- */

static char *
key_type_name (EVP_PKEY *pkey)
{
  const char *name;

  switch (EVP_PKEY_get_base_id (pkey))
    {
    case EVP_PKEY_RSA:
      return g_strdup ("rsa");
    case EVP_PKEY_RSA_PSS:
      return g_strdup ("rsa-pss");
    case EVP_PKEY_EC:
      return g_strdup ("ec");
    case EVP_PKEY_ED25519:
      return g_strdup ("ed25519");
    case EVP_PKEY_ED448:
      return g_strdup ("ed448");
    case EVP_PKEY_DSA:
      return g_strdup ("dsa");
    default:
      break;
    }
  name = EVP_PKEY_get0_type_name (pkey);
  return name != NULL ? g_ascii_strdown (name, -1) : g_strdup ("unknown");
}

CdKeyInfo *
cd_key_info_new (EVP_PKEY *pkey)
{
  CdKeyInfo *info;
  char group[80];
  size_t group_len = 0;

  g_return_val_if_fail (pkey != NULL, NULL);

  info = g_new0 (CdKeyInfo, 1);
  info->type = key_type_name (pkey);
  info->bits = (guint) MAX (EVP_PKEY_get_bits (pkey), 0);

  if (EVP_PKEY_get_base_id (pkey) == EVP_PKEY_EC &&
      EVP_PKEY_get_group_name (pkey, group, sizeof group, &group_len) == 1 && group_len > 0)
    {
      int nid = OBJ_sn2nid (group);
      const char *nist = nid != NID_undef ? EC_curve_nid2nist (nid) : NULL;

      info->curve_name = g_strndup (group, group_len);
      info->curve_nist = g_strdup (nist);
    }
  ERR_clear_error ();
  return info;
}

void
cd_key_info_free (CdKeyInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->type);
  g_free (info->curve_name);
  g_free (info->curve_nist);
  g_free (info);
}

/* For a certificate whose key OpenSSL cannot decode: the algorithm's name, and nothing more. */
static CdKeyInfo *
key_info_from_algorithm (X509 *cert)
{
  CdKeyInfo *info = g_new0 (CdKeyInfo, 1);
  ASN1_OBJECT *object = NULL;
  X509_PUBKEY *pubkey = X509_get_X509_PUBKEY (cert);
  char name[128];

  if (pubkey != NULL && X509_PUBKEY_get0_param (&object, NULL, NULL, NULL, pubkey) == 1 &&
      object != NULL && OBJ_obj2txt (name, sizeof name, object, 0) > 0)
    info->type = g_ascii_strdown (name, -1);
  else
    info->type = g_strdup ("unknown");
  return info;
}

/* --- formatting -------------------------------------------------------------------------- */

char *
cd_cert_info_format_hex_pairs (const guint8 *data,
                               gsize         length)
{
  GString *out;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  out = g_string_sized_new (length * 3);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", data[i]);
  return g_string_free (out, FALSE);
}

char *
cd_cert_info_fingerprint (X509          *cert,
                          GChecksumType  type)
{
  g_autoptr(GChecksum) checksum = NULL;
  unsigned char *der = NULL;
  guint8 digest[64];
  gsize digest_len = sizeof digest;
  int der_len;

  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (g_checksum_type_get_length (type) > 0, NULL);

  der_len = i2d_X509 (cert, &der);
  if (der_len <= 0)
    {
      ERR_clear_error ();
      return NULL;
    }
  checksum = g_checksum_new (type);
  g_checksum_update (checksum, der, der_len);
  OPENSSL_free (der);
  g_checksum_get_digest (checksum, digest, &digest_len);
  return cd_cert_info_format_hex_pairs (digest, digest_len);
}

char *
cd_cert_info_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  if (time == NULL)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (time),
                          g_date_time_get_month (time), g_date_time_get_day_of_month (time),
                          g_date_time_get_hour (time), g_date_time_get_minute (time),
                          g_date_time_get_second (time));
}

gboolean
cd_cert_info_time_to_unix (const ASN1_TIME *time,
                           gint64          *unix_seconds)
{
  g_autoptr(GDateTime) converted = NULL;
  struct tm tm;

  g_return_val_if_fail (unix_seconds != NULL, FALSE);

  *unix_seconds = 0;
  memset (&tm, 0, sizeof tm);
  if (time == NULL || !ASN1_TIME_to_tm (time, &tm))
    {
      ERR_clear_error ();
      return FALSE;
    }
  converted = g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                   tm.tm_min, tm.tm_sec);
  if (converted == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (converted);
  return TRUE;
}

/* --- names ------------------------------------------------------------------------------- */

char *
cd_cert_info_name_to_string (const X509_NAME *name)
{
  BIO *bio;
  char *data = NULL;
  long length;
  char *result;

  g_return_val_if_fail (name != NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  if (bio == NULL)
    return g_strdup ("");
  if (X509_NAME_print_ex (bio, name, 0, XN_FLAG_RFC2253) < 0)
    ERR_clear_error ();
  length = BIO_get_mem_data (bio, &data);
  result = g_utf8_make_valid (data != NULL ? data : "", MAX (length, 0));
  BIO_free (bio);
  return result;
}

char *
cd_cert_info_name_get_field (const X509_NAME *name,
                             const char      *short_name)
{
  const X509_NAME_ENTRY *entry;
  unsigned char *utf8 = NULL;
  char *result;
  int nid, index, length;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (short_name != NULL, NULL);

  nid = OBJ_sn2nid (short_name);
  if (nid == NID_undef)
    nid = OBJ_ln2nid (short_name);
  if (nid == NID_undef)
    return NULL;

  index = X509_NAME_get_index_by_NID (name, nid, -1);
  if (index < 0)
    return NULL;
  entry = X509_NAME_get_entry (name, index);
  length = ASN1_STRING_to_UTF8 (&utf8, X509_NAME_ENTRY_get_data (entry));
  if (length < 0)
    {
      ERR_clear_error ();
      return g_strdup ("");
    }
  result = g_utf8_make_valid ((const char *) utf8, length);
  OPENSSL_free (utf8);
  return result;
}

/* --- extensions -------------------------------------------------------------------------- */

/* An IA5String as text; bytes that have no business in a DNS name are shown escaped. */
static char *
ia5_to_string (const ASN1_STRING *string)
{
  const unsigned char *data = ASN1_STRING_get0_data (string);
  int length = ASN1_STRING_length (string);
  GString *out = g_string_sized_new (MAX (length, 0));

  for (int i = 0; i < length; i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\')
        g_string_append_c (out, (char) data[i]);
      else
        g_string_append_printf (out, "\\x%02X", data[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
ip_to_string (const ASN1_OCTET_STRING *octets)
{
  const unsigned char *data = ASN1_STRING_get0_data (octets);
  int length = ASN1_STRING_length (octets);
  g_autoptr(GInetAddress) address = NULL;

  if (length == 4)
    address = g_inet_address_new_from_bytes (data, G_SOCKET_FAMILY_IPV4);
  else if (length == 16)
    address = g_inet_address_new_from_bytes (data, G_SOCKET_FAMILY_IPV6);
  else
    return cd_cert_info_format_hex_pairs (data, MAX (length, 0));
  return g_inet_address_to_string (address);
}

static void
read_subject_alt_names (CdCertInfo *info,
                        X509       *cert)
{
  g_autoptr(GPtrArray) dns = g_ptr_array_new ();
  g_autoptr(GPtrArray) ips = g_ptr_array_new ();
  GENERAL_NAMES *names = X509_get_ext_d2i (cert, NID_subject_alt_name, NULL, NULL);

  for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num (names); i++)
    {
      const GENERAL_NAME *name = sk_GENERAL_NAME_value (names, i);

      if (name->type == GEN_DNS)
        g_ptr_array_add (dns, ia5_to_string (name->d.dNSName));
      else if (name->type == GEN_IPADD)
        g_ptr_array_add (ips, ip_to_string (name->d.iPAddress));
    }
  GENERAL_NAMES_free (names);

  g_ptr_array_add (dns, NULL);
  g_ptr_array_add (ips, NULL);
  info->dns_names = (char **) g_ptr_array_free (g_steal_pointer (&dns), FALSE);
  info->ip_addresses = (char **) g_ptr_array_free (g_steal_pointer (&ips), FALSE);
}

static void
read_basic_constraints (CdCertInfo *info,
                        X509       *cert)
{
  BASIC_CONSTRAINTS *constraints = X509_get_ext_d2i (cert, NID_basic_constraints, NULL, NULL);

  info->path_length = -1;
  if (constraints == NULL)
    return;

  info->has_basic_constraints = TRUE;
  info->is_ca = constraints->ca != 0;
  if (constraints->pathlen != NULL)
    {
      long length = ASN1_INTEGER_get (constraints->pathlen);

      info->path_length = (int) CLAMP (length, -1, G_MAXINT);
    }
  BASIC_CONSTRAINTS_free (constraints);
}

static void
read_key_usage (CdCertInfo *info,
                X509       *cert)
{
  static const struct
  {
    guint32     bit;
    const char *name;
  } usages[] = {
    { KU_DIGITAL_SIGNATURE, "digitalSignature" },
    { KU_NON_REPUDIATION, "nonRepudiation" },
    { KU_KEY_ENCIPHERMENT, "keyEncipherment" },
    { KU_DATA_ENCIPHERMENT, "dataEncipherment" },
    { KU_KEY_AGREEMENT, "keyAgreement" },
    { KU_KEY_CERT_SIGN, "keyCertSign" },
    { KU_CRL_SIGN, "cRLSign" },
    { KU_ENCIPHER_ONLY, "encipherOnly" },
    { KU_DECIPHER_ONLY, "decipherOnly" },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  info->has_key_usage = (X509_get_extension_flags (cert) & EXFLAG_KUSAGE) != 0;
  if (info->has_key_usage)
    {
      guint32 bits = X509_get_key_usage (cert);

      for (gsize i = 0; i < G_N_ELEMENTS (usages); i++)
        if ((bits & usages[i].bit) != 0)
          g_strv_builder_add (builder, usages[i].name);
    }
  info->key_usage = g_strv_builder_end (builder);
}

static void
read_extended_key_usage (CdCertInfo *info,
                         X509       *cert)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  EXTENDED_KEY_USAGE *usages = X509_get_ext_d2i (cert, NID_ext_key_usage, NULL, NULL);

  for (int i = 0; usages != NULL && i < sk_ASN1_OBJECT_num (usages); i++)
    {
      const ASN1_OBJECT *object = sk_ASN1_OBJECT_value (usages, i);
      int nid = OBJ_obj2nid (object);
      char oid[128];

      if (nid != NID_undef)
        g_strv_builder_add (builder, OBJ_nid2sn (nid));
      else if (OBJ_obj2txt (oid, sizeof oid, object, 1) > 0)
        g_strv_builder_add (builder, oid);
    }
  EXTENDED_KEY_USAGE_free (usages);
  info->extended_key_usage = g_strv_builder_end (builder);
}

/* --- the certificate --------------------------------------------------------------------- */

static char *
format_serial (X509 *cert)
{
  const ASN1_INTEGER *serial = X509_get0_serialNumber (cert);
  const unsigned char *data = ASN1_STRING_get0_data (serial);
  int length = ASN1_STRING_length (serial);
  GString *out = g_string_new (NULL);

  if (ASN1_STRING_type (serial) == V_ASN1_NEG_INTEGER)
    g_string_append_c (out, '-');
  if (length <= 0)
    g_string_append (out, "00");
  for (int i = 0; i < length; i++)
    g_string_append_printf (out, "%02X", data[i]);
  return g_string_free (out, FALSE);
}

static void
read_signature_algorithm (CdCertInfo *info,
                          X509       *cert)
{
  const X509_ALGOR *algorithm = NULL;
  const ASN1_OBJECT *object = NULL;
  char oid[128];
  int nid;

  X509_get0_signature (NULL, &algorithm, cert);
  if (algorithm != NULL)
    X509_ALGOR_get0 (&object, NULL, NULL, algorithm);

  nid = object != NULL ? OBJ_obj2nid (object) : NID_undef;
  if (nid != NID_undef)
    {
      info->signature_algorithm = g_strdup (OBJ_nid2ln (nid));
      info->signature_algorithm_short = g_strdup (OBJ_nid2sn (nid));
    }
  else
    {
      if (object == NULL || OBJ_obj2txt (oid, sizeof oid, object, 1) <= 0)
        g_strlcpy (oid, "unknown", sizeof oid);
      info->signature_algorithm = g_strdup (oid);
      info->signature_algorithm_short = g_strdup (oid);
    }
}

static gboolean
is_self_signed (X509 *cert)
{
  EVP_PKEY *key;

  if (X509_NAME_cmp (X509_get_issuer_name (cert), X509_get_subject_name (cert)) != 0)
    return FALSE;
  key = X509_get0_pubkey (cert);
  return key != NULL && X509_verify (cert, key) == 1;
}

static void
read_time (const ASN1_TIME  *time,
           gint64           *unix_seconds,
           char            **text)
{
  if (cd_cert_info_time_to_unix (time, unix_seconds))
    *text = cd_cert_info_format_time (*unix_seconds);
}

CdCertInfo *
cd_cert_info_new (X509 *cert)
{
  CdCertInfo *info;
  const X509_NAME *subject;
  EVP_PKEY *key;

  g_return_val_if_fail (cert != NULL, NULL);

  info = g_new0 (CdCertInfo, 1);
  subject = X509_get_subject_name (cert);

  info->version = (int) X509_get_version (cert) + 1;
  info->subject = cd_cert_info_name_to_string (subject);
  info->issuer = cd_cert_info_name_to_string (X509_get_issuer_name (cert));
  info->common_name = cd_cert_info_name_get_field (subject, "CN");
  info->organization = cd_cert_info_name_get_field (subject, "O");
  info->organizational_unit = cd_cert_info_name_get_field (subject, "OU");
  info->country = cd_cert_info_name_get_field (subject, "C");
  info->state = cd_cert_info_name_get_field (subject, "ST");
  info->locality = cd_cert_info_name_get_field (subject, "L");
  info->serial = format_serial (cert);
  read_time (X509_get0_notBefore (cert), &info->not_before, &info->not_before_text);
  read_time (X509_get0_notAfter (cert), &info->not_after, &info->not_after_text);
  info->sha256_fingerprint = cd_cert_info_fingerprint (cert, G_CHECKSUM_SHA256);
  info->sha1_fingerprint = cd_cert_info_fingerprint (cert, G_CHECKSUM_SHA1);
  read_subject_alt_names (info, cert);

  key = X509_get0_pubkey (cert);
  info->public_key = key != NULL ? cd_key_info_new (key) : key_info_from_algorithm (cert);

  read_signature_algorithm (info, cert);
  read_basic_constraints (info, cert);
  read_key_usage (info, cert);
  read_extended_key_usage (info, cert);
  info->self_signed = is_self_signed (cert);

  ERR_clear_error ();
  return info;
}

void
cd_cert_info_free (CdCertInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->subject);
  g_free (info->issuer);
  g_free (info->common_name);
  g_free (info->organization);
  g_free (info->organizational_unit);
  g_free (info->country);
  g_free (info->state);
  g_free (info->locality);
  g_free (info->serial);
  g_free (info->not_before_text);
  g_free (info->not_after_text);
  g_free (info->sha256_fingerprint);
  g_free (info->sha1_fingerprint);
  g_strfreev (info->dns_names);
  g_strfreev (info->ip_addresses);
  cd_key_info_free (info->public_key);
  g_free (info->signature_algorithm);
  g_free (info->signature_algorithm_short);
  g_strfreev (info->key_usage);
  g_strfreev (info->extended_key_usage);
  g_free (info);
}
