// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* A public or private key, described. */
typedef struct
{
  char  *type;       /* "rsa", "rsa-pss", "ec", "ed25519", "ed448", "dsa", or OpenSSL's name
                      * for anything else in lower case ("unknown" when there is none) */
  guint  bits;       /* RSA modulus, EC group size ...; 0 when unknown */
  char  *curve_name; /* EC only: OpenSSL's short name, "prime256v1"; NULL otherwise */
  char  *curve_nist; /* EC only: the NIST name where there is one, "P-256"; NULL otherwise */
} CdKeyInfo;

CdKeyInfo *cd_key_info_new  (EVP_PKEY  *pkey);
void       cd_key_info_free (CdKeyInfo *info);

/* A certificate, described: what `openssl x509 -text` shows, as data. Every string is UTF-8
 * and owned; lists are NULL-terminated and never NULL. */
typedef struct
{
  int         version;             /* 1, 2 or 3 */
  char       *subject;             /* RFC 4514, as `openssl x509 -subject -nameopt RFC2253` */
  char       *issuer;
  char       *common_name;         /* the first such field of the subject; NULL when absent */
  char       *organization;
  char       *organizational_unit;
  char       *country;
  char       *state;
  char       *locality;
  char       *serial;              /* upper-case hex as `openssl x509 -serial`: "01AB..." */
  gint64      not_before;          /* Unix seconds, UTC; 0 when the date cannot be read */
  gint64      not_after;
  char       *not_before_text;     /* "YYYY-MM-DDTHH:MM:SSZ"; NULL when it cannot be read */
  char       *not_after_text;
  char       *sha256_fingerprint;  /* "AB:CD:...", as `openssl x509 -fingerprint -sha256` */
  char       *sha1_fingerprint;
  char      **dns_names;           /* subjectAltName DNS entries as written (A-labels) */
  char      **ip_addresses;        /* subjectAltName IP entries: "192.0.2.1", "2001:db8::1" */
  CdKeyInfo  *public_key;          /* never NULL */
  char       *signature_algorithm;       /* OpenSSL's long name, "sha256WithRSAEncryption" */
  char       *signature_algorithm_short; /* OpenSSL's short name, "RSA-SHA256" */
  gboolean    has_basic_constraints;
  gboolean    is_ca;               /* basicConstraints cA */
  int         path_length;         /* basicConstraints pathLenConstraint; -1 when absent */
  gboolean    has_key_usage;
  char      **key_usage;           /* RFC 5280 names: "digitalSignature", "keyCertSign" ... */
  char      **extended_key_usage;  /* OpenSSL short names, "serverAuth", or dotted OIDs */
  gboolean    self_signed;         /* issuer equals subject and its own key verifies it */
} CdCertInfo;

CdCertInfo *cd_cert_info_new               (X509                *cert);
void        cd_cert_info_free              (CdCertInfo          *info);

/* Upper-case hex pairs joined by ':', as OpenSSL prints fingerprints. */
char       *cd_cert_info_format_hex_pairs  (const guint8        *data,
                                            gsize                length);
/* The fingerprint of the DER encoding with @type (G_CHECKSUM_SHA256, G_CHECKSUM_SHA1 ...). */
char       *cd_cert_info_fingerprint       (X509                *cert,
                                            GChecksumType        type);
/* "YYYY-MM-DDTHH:MM:SSZ"; NULL outside years 1 to 9999. */
char       *cd_cert_info_format_time       (gint64               unix_seconds);
/* Converts a UTCTime or GeneralizedTime; FALSE when it cannot be read. */
gboolean    cd_cert_info_time_to_unix      (const ASN1_TIME     *time,
                                            gint64              *unix_seconds);
/* RFC 4514 (XN_FLAG_RFC2253: most specific first, non-ASCII bytes escaped). */
char       *cd_cert_info_name_to_string    (const X509_NAME     *name);
/* The first value of the field with OpenSSL short name @short_name ("CN", "O", "OU", "C",
 * "ST", "L" ...) in UTF-8; NULL when absent. */
char       *cd_cert_info_name_get_field    (const X509_NAME     *name,
                                            const char          *short_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdKeyInfo, cd_key_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCertInfo, cd_cert_info_free)

G_END_DECLS
