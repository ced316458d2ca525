// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-cert-checks"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "cd-cert-checks.h"
#include "cd-dns-name.h"
#include "cd-error.h"

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* X509_check_host() as RFC 6125 and today's browsers have it: a wildcard only as a whole
 * leftmost label, matching exactly one label, and never a fallback to the subject CN. */
#define HOST_CHECK_FLAGS \
  (X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_NAMES, GENERAL_NAMES_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

CdProblem *
cd_problem_new (const char *code,
                int         certificate,
                gboolean    warning,
                const char *message)
{
  CdProblem *problem;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (certificate >= -1, NULL);

  problem = g_new0 (CdProblem, 1);
  problem->code = g_strdup (code);
  problem->certificate = certificate;
  problem->warning = warning;
  problem->message = g_strdup (message);
  return problem;
}

void
cd_problem_free (CdProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->code);
  g_free (problem->message);
  g_free (problem);
}

char *
cd_cert_checks_format_name (const X509_NAME *name)
{
  /* RFC 2253 escaping but UTF-8 left readable, most specific part first, ", " between */
  const unsigned long flags = (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB)
                              | XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_DN_REV | XN_FLAG_FN_SN;
  g_autoptr(BIO) bio = NULL;
  char *data = NULL;
  long length;

  g_return_val_if_fail (name != NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  g_assert (bio != NULL);
  if (X509_NAME_print_ex (bio, name, 0, flags) < 0)
    return g_strdup ("");
  length = BIO_get_mem_data (bio, &data);
  if (length <= 0 || data == NULL)
    return g_strdup ("");
  return g_utf8_make_valid (data, length);
}

char *
cd_cert_checks_display_name (X509 *cert)
{
  const X509_NAME *subject;
  g_autofree char *formatted = NULL;
  int last = -1;

  g_return_val_if_fail (cert != NULL, NULL);

  subject = X509_get_subject_name (cert);
  for (int i = -1; (i = X509_NAME_get_index_by_NID (subject, NID_commonName, i)) >= 0;)
    last = i;

  if (last >= 0)
    {
      const ASN1_STRING *data = X509_NAME_ENTRY_get_data (X509_NAME_get_entry (subject, last));
      unsigned char *utf8 = NULL;
      int length = ASN1_STRING_to_UTF8 (&utf8, data);

      if (length > 0)
        {
          g_autofree char *name = g_utf8_make_valid ((const char *) utf8, length);

          OPENSSL_free (utf8);
          /* a host name in A-labels reads better as people write it */
          if (strstr (name, "xn--") != NULL || strstr (name, "XN--") != NULL)
            return cd_dns_name_to_unicode (name);
          return g_steal_pointer (&name);
        }
      OPENSSL_free (utf8);
    }

  formatted = cd_cert_checks_format_name (subject);
  if (formatted[0] != '\0')
    return g_steal_pointer (&formatted);
  return g_strdup (_("certificate without a name"));
}

int
cd_cert_max_validity_days (gint64 not_before)
{
  /* CA/Browser Forum baseline requirements, section 6.3.2, and ballot SC-081 */
  if (not_before < G_GINT64_CONSTANT (1519862400)) /* 2018-03-01 */
    return 1185;
  if (not_before < G_GINT64_CONSTANT (1598918400)) /* 2020-09-01 */
    return 825;
  if (not_before < G_GINT64_CONSTANT (1773532800)) /* 2026-03-15 */
    return 398;
  if (not_before < G_GINT64_CONSTANT (1805068800)) /* 2027-03-15 */
    return 200;
  if (not_before < G_GINT64_CONSTANT (1868227200)) /* 2029-03-15 */
    return 100;
  return 47;
}

static gint64
asn1_time_to_unix (const ASN1_TIME *time)
{
  g_autoptr(GDateTime) dt = NULL;
  struct tm tm = { 0 };

  if (time == NULL || ASN1_TIME_to_tm (time, &tm) != 1)
    return 0;
  dt = g_date_time_new_utc (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                            tm.tm_sec);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
}

static gboolean
is_ca (X509 *cert)
{
  return (X509_get_extension_flags (cert) & EXFLAG_CA) != 0;
}

static gboolean
is_self_signed (X509 *cert)
{
  return X509_self_signed (cert, 0) == 1;
}

/* The dNSName and iPAddress entries of the subjectAltName, as text. */
static GPtrArray *
san_entries (X509 *cert)
{
  g_autoptr(GENERAL_NAMES) names = X509_get_ext_d2i (cert, NID_subject_alt_name, NULL, NULL);
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num (names); i++)
    {
      const GENERAL_NAME *name = sk_GENERAL_NAME_value (names, i);

      if (name->type == GEN_DNS)
        {
          const ASN1_STRING *value = name->d.dNSName;

          g_ptr_array_add (entries, g_utf8_make_valid ((const char *) ASN1_STRING_get0_data (value),
                                                       ASN1_STRING_length (value)));
        }
      else if (name->type == GEN_IPADD)
        {
          const ASN1_STRING *value = name->d.iPAddress;
          int length = ASN1_STRING_length (value);
          g_autoptr(GInetAddress) address = NULL;

          if (length == 4)
            address = g_inet_address_new_from_bytes (ASN1_STRING_get0_data (value),
                                                     G_SOCKET_FAMILY_IPV4);
          else if (length == 16)
            address = g_inet_address_new_from_bytes (ASN1_STRING_get0_data (value),
                                                     G_SOCKET_FAMILY_IPV6);
          if (address != NULL)
            g_ptr_array_add (entries, g_inet_address_to_string (address));
        }
    }

  return entries;
}

static gboolean
san_has_name (X509       *cert,
              const char *name)
{
  g_autoptr(GPtrArray) entries = san_entries (cert);

  for (guint i = 0; i < entries->len; i++)
    if (g_ascii_strcasecmp (entries->pdata[i], name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
cd_cert_covers_host (X509        *cert,
                     const char  *host,
                     GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (cert != NULL, FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (host));
  if (g_hostname_is_ip_address (trimmed))
    return X509_check_ip_asc (cert, trimmed, 0) == 1;

  if (g_str_has_prefix (trimmed, "*."))
    {
      /* X509_check_host() treats the host as a literal name, and "*" is not a letter a
       * wildcard pattern matches: a wildcard host is covered by the same wildcard only */
      normalized = cd_dns_name_normalize (trimmed, CD_DNS_NAME_ALLOW_WILDCARD, error);
      return normalized != NULL && san_has_name (cert, normalized);
    }

  normalized = cd_dns_name_normalize (trimmed, CD_DNS_NAME_DEFAULT, error);
  if (normalized == NULL)
    return FALSE;
  return X509_check_host (cert, normalized, 0, HOST_CHECK_FLAGS, NULL) == 1;
}

static void
add_problem (GPtrArray  *problems,
             const char *code,
             int         certificate,
             gboolean    warning,
             const char *message)
{
  g_ptr_array_add (problems, cd_problem_new (code, certificate, warning, message));
}

static char *
joined_names (X509 *cert)
{
  g_autoptr(GPtrArray) entries = san_entries (cert);

  for (guint i = 0; i < entries->len; i++)
    {
      char *unicode = cd_dns_name_to_unicode (entries->pdata[i]);

      g_free (entries->pdata[i]);
      entries->pdata[i] = unicode;
    }
  g_ptr_array_add (entries, NULL);
  return g_strjoinv (", ", (char **) entries->pdata);
}

static gboolean
check_hosts (X509                *leaf,
             const char * const  *hosts,
             GPtrArray           *problems,
             GError             **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_problem_free);
  g_autofree char *name = cd_cert_checks_display_name (leaf);
  g_autofree char *covered = joined_names (leaf);

  for (guint i = 0; hosts != NULL && hosts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *message = NULL;
      g_autofree char *shown = NULL;

      if (cd_cert_covers_host (leaf, hosts[i], &local_error))
        continue;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      shown = g_strstrip (g_utf8_make_valid (hosts[i], -1));
      if (covered[0] != '\0')
        /* Translators: the first %s is the certificate's name, the second and fourth a host
         * name, the third the list of host names the certificate covers */
        message = g_strdup_printf (_("The certificate “%s” does not cover “%s”: it covers %s "
                                     "only. Request a certificate that includes “%s”, or "
                                     "remove that host."),
                                   name, shown, covered, shown);
      else
        message = g_strdup_printf (_("The certificate “%s” does not cover “%s”: it lists no "
                                     "host in its subjectAltName. Request a certificate that "
                                     "includes “%s”."),
                                   name, shown, shown);
      add_problem (found, CD_PROBLEM_HOSTNAME_MISMATCH, 0, FALSE, message);
    }

  g_ptr_array_extend_and_steal (problems, g_steal_pointer (&found));
  return TRUE;
}

static void
check_key (X509      *leaf,
           EVP_PKEY  *key,
           GPtrArray *problems)
{
  EVP_PKEY *public_key = X509_get0_pubkey (leaf);
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (public_key != NULL && EVP_PKEY_eq (public_key, key) == 1)
    return;

  name = cd_cert_checks_display_name (leaf);
  message = g_strdup_printf (_("The certificate “%s” does not belong to this private key: "
                               "install the certificate issued for the CSR made with this key, "
                               "or choose the key that goes with the certificate."),
                             name);
  add_problem (problems, CD_PROBLEM_KEY_MISMATCH, 0, FALSE, message);
}

static void
check_key_strength (X509      *cert,
                    int        index,
                    GPtrArray *problems)
{
  EVP_PKEY *key = X509_get0_pubkey (cert);
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  int bits;

  if (key == NULL)
    return;

  bits = EVP_PKEY_get_bits (key);
  if (EVP_PKEY_is_a (key, "RSA") || EVP_PKEY_is_a (key, "RSA-PSS") || EVP_PKEY_is_a (key, "DSA"))
    {
      const char *kind = EVP_PKEY_is_a (key, "DSA") ? "DSA" : "RSA";

      if (bits >= 2048)
        return;
      name = cd_cert_checks_display_name (cert);
      if (index == 0)
        /* Translators: "%d-bit %s key" is for example "1024-bit RSA key" */
        message = g_strdup_printf (_("The certificate “%s” has a %d-bit %s key, which is too "
                                     "weak: generate a new key of at least 2048 bits, make a "
                                     "CSR with it and have the certificate issued again."),
                                   name, bits, kind);
      else
        message = g_strdup_printf (_("The CA certificate “%s” has a %d-bit %s key, which is too "
                                     "weak: get the current chain from the certificate "
                                     "authority."),
                                   name, bits, kind);
    }
  else if (EVP_PKEY_is_a (key, "EC"))
    {
      char group[80] = "";

      if (bits >= 256)
        return;
      if (EVP_PKEY_get_group_name (key, group, sizeof group, NULL) != 1)
        g_strlcpy (group, "?", sizeof group);
      name = cd_cert_checks_display_name (cert);
      if (index == 0)
        /* Translators: the second %s is the name of an elliptic curve, such as secp224r1 */
        message = g_strdup_printf (_("The certificate “%s” has a key on the elliptic curve %s "
                                     "(%d bits), which is too weak: generate a new P-256 or "
                                     "P-384 key, make a CSR with it and have the certificate "
                                     "issued again."),
                                   name, group, bits);
      else
        message = g_strdup_printf (_("The CA certificate “%s” has a key on the elliptic curve "
                                     "%s (%d bits), which is too weak: get the current chain "
                                     "from the certificate authority."),
                                   name, group, bits);
    }
  else
    return;

  add_problem (problems, CD_PROBLEM_WEAK_KEY, index, FALSE, message);
}

static const char *
weak_digest_name (X509 *cert)
{
  int digest = NID_undef;
  int public_key = NID_undef;

  if (!OBJ_find_sigid_algs (X509_get_signature_nid (cert), &digest, &public_key))
    return NULL;

  switch (digest)
    {
    case NID_md2:
      return "MD2";
    case NID_md4:
      return "MD4";
    case NID_md5:
    case NID_md5_sha1:
      return "MD5";
    case NID_sha1:
      return "SHA-1";
    default:
      return NULL;
    }
}

static void
check_signature (X509      *cert,
                 int        index,
                 GPtrArray *problems)
{
  const char *digest;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  /* a trust anchor is trusted for what it is, its own signature is never checked */
  if (is_self_signed (cert))
    return;
  digest = weak_digest_name (cert);
  if (digest == NULL)
    return;

  name = cd_cert_checks_display_name (cert);
  if (index == 0)
    /* Translators: the second %s is a digest algorithm, such as SHA-1 */
    message = g_strdup_printf (_("The certificate “%s” is signed with %s, which clients no "
                                 "longer accept: have it issued again with SHA-256 or "
                                 "stronger."),
                               name, digest);
  else
    message = g_strdup_printf (_("The CA certificate “%s” is signed with %s, which clients no "
                                 "longer accept: get the current chain from the certificate "
                                 "authority."),
                               name, digest);
  add_problem (problems, CD_PROBLEM_WEAK_SIGNATURE, index, FALSE, message);
}

static void
check_validity_period (X509      *leaf,
                       GPtrArray *problems)
{
  int days = 0;
  int seconds = 0;
  gint64 length;
  gint64 not_before;
  int max_days;
  g_autofree char *name = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *message = NULL;

  /* the limits bind public CAs issuing server certificates, not roots nor one's own
   * self-signed certificates */
  if (is_self_signed (leaf) || is_ca (leaf))
    return;
  if (!ASN1_TIME_diff (&days, &seconds, X509_get0_notBefore (leaf), X509_get0_notAfter (leaf)))
    return;

  length = (gint64) days * SECONDS_PER_DAY + seconds;
  not_before = asn1_time_to_unix (X509_get0_notBefore (leaf));
  max_days = cd_cert_max_validity_days (not_before);
  if (length <= max_days * SECONDS_PER_DAY)
    return;

  name = cd_cert_checks_display_name (leaf);
  issued = format_date (not_before);
  message = g_strdup_printf (
    /* Translators: the first %d is the certificate's validity in days, %s a date, the second
     * %d the maximum number of days */
    _("The certificate “%s” is valid for %d days, but a public certificate issued on %s may "
      "be valid for at most %d days, so clients may reject it: have it issued again with a "
      "shorter validity."),
    name, (int) ((length + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY), issued, max_days);
  add_problem (problems, CD_PROBLEM_VALIDITY_TOO_LONG, 0, FALSE, message);
}

/* The common names of the subject, as UTF-8. */
static GPtrArray *
common_names (X509 *cert)
{
  const X509_NAME *subject = X509_get_subject_name (cert);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (int i = -1; (i = X509_NAME_get_index_by_NID (subject, NID_commonName, i)) >= 0;)
    {
      const ASN1_STRING *data = X509_NAME_ENTRY_get_data (X509_NAME_get_entry (subject, i));
      unsigned char *utf8 = NULL;
      int length = ASN1_STRING_to_UTF8 (&utf8, data);

      if (length > 0)
        g_ptr_array_add (names, g_utf8_make_valid ((const char *) utf8, length));
      OPENSSL_free (utf8);
    }
  return names;
}

static gboolean
san_lists_common_name (X509       *leaf,
                       const char *common_name)
{
  g_autofree char *normalized = NULL;

  if (g_hostname_is_ip_address (common_name))
    return X509_check_ip_asc (leaf, common_name, 0) == 1;
  if (san_has_name (leaf, common_name))
    return TRUE;
  /* a CN written in Unicode stands for its A-label form */
  normalized = cd_dns_name_normalize (common_name, CD_DNS_NAME_ALLOW_WILDCARD, NULL);
  return normalized != NULL && san_has_name (leaf, normalized);
}

static void
check_names (X509      *leaf,
             GPtrArray *problems)
{
  g_autoptr(GPtrArray) entries = san_entries (leaf);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *name = NULL;

  if (entries->len == 0)
    {
      g_autofree char *message = NULL;

      name = cd_cert_checks_display_name (leaf);
      message = g_strdup_printf (_("The certificate “%s” names its host only in the subject CN, "
                                   "which clients ignore: have it issued again with every host "
                                   "name in subjectAltName."),
                                 name);
      add_problem (problems, CD_PROBLEM_NO_SAN, 0, FALSE, message);
      return;
    }

  names = common_names (leaf);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *message = NULL;

      if (san_lists_common_name (leaf, names->pdata[i]))
        continue;
      /* a warning: clients only look at subjectAltName, so the certificate works for the
       * names listed there; it breaks the baseline requirements, not a connection */
      message = g_strdup_printf (_("The common name “%s” of the certificate is not among its "
                                   "subjectAltName names, and clients ignore the common name: "
                                   "if that host must be covered, have the certificate issued "
                                   "again with it in subjectAltName."),
                                 (const char *) names->pdata[i]);
      add_problem (problems, CD_PROBLEM_CN_NOT_IN_SAN, 0, TRUE, message);
    }
}

static void
check_leaf_is_ca (X509      *leaf,
                  GPtrArray *problems)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!is_ca (leaf))
    return;

  name = cd_cert_checks_display_name (leaf);
  message = g_strdup_printf (_("The certificate “%s” is a CA certificate, which clients do not "
                               "accept as a server certificate: make sure you chose the "
                               "server’s own certificate, not one of the CA certificates of "
                               "the bundle."),
                             name);
  add_problem (problems, CD_PROBLEM_LEAF_IS_CA, 0, FALSE, message);
}

gboolean
cd_cert_checks_run (GPtrArray          *chain,
                    const char * const *hosts,
                    EVP_PKEY           *key,
                    GPtrArray          *problems,
                    GError            **error)
{
  X509 *leaf;

  g_return_val_if_fail (chain != NULL, FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (chain->len == 0)
    return TRUE;
  leaf = g_ptr_array_index (chain, 0);

  /* first, as it is the one check that can fail and must then add nothing */
  if (!check_hosts (leaf, hosts, problems, error))
    return FALSE;
  if (key != NULL)
    check_key (leaf, key, problems);
  for (guint i = 0; i < chain->len; i++)
    check_key_strength (g_ptr_array_index (chain, i), (int) i, problems);
  for (guint i = 0; i < chain->len; i++)
    check_signature (g_ptr_array_index (chain, i), (int) i, problems);
  check_validity_period (leaf, problems);
  /* for a CA in the leaf's place, that is the problem to report, not its names */
  if (is_ca (leaf))
    check_leaf_is_ca (leaf, problems);
  else
    check_names (leaf, problems);

  return TRUE;
}
