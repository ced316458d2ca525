// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

/* What a person fills in on the CSR form. Every field may be NULL or empty (absent); blanks at
 * either end are ignored. @hosts holds host names (char *, owned) as typed: in Unicode or
 * A-label form, any case, one trailing dot allowed. */
typedef struct
{
  char      *country;              /* C: ISO 3166 two letters, "de" is taken as "DE" */
  char      *state;                /* ST, written out in full */
  char      *locality;             /* L, the city */
  char      *organization;         /* O */
  char      *organizational_unit;  /* OU: a warning for public CAs, see CdCsrCheckFlags */
  char      *common_name;          /* CN: a host name, also put into the subjectAltName */
  GPtrArray *hosts;                /* subjectAltName DNS names, in this order */
} CdCsrRequest;

/* A request with no fields set and an empty @hosts array (which frees its strings). */
CdCsrRequest *cd_csr_request_new       (void);
void          cd_csr_request_free      (CdCsrRequest       *request);
CdCsrRequest *cd_csr_request_copy      (const CdCsrRequest *request);
void          cd_csr_request_add_host  (CdCsrRequest       *request,
                                        const char         *host);

/* The fields of the form, in the order of the subject (C, ST, L, O, OU, CN), then the hosts. */
typedef enum
{
  CD_CSR_FIELD_COUNTRY,
  CD_CSR_FIELD_STATE,
  CD_CSR_FIELD_LOCALITY,
  CD_CSR_FIELD_ORGANIZATION,
  CD_CSR_FIELD_ORGANIZATIONAL_UNIT,
  CD_CSR_FIELD_COMMON_NAME,
  CD_CSR_FIELD_HOSTS,
} CdCsrField;

/* A translated name for the field, as the form labels it ("Organizational unit"). */
const char   *cd_csr_field_get_label   (CdCsrField          field);

typedef struct
{
  CdCsrField  field;
  int         index;    /* for CD_CSR_FIELD_HOSTS: the host in @hosts, or -1 for the list */
  char       *message;  /* translated, names the field and the value, for people */
  gboolean    warning;  /* TRUE: worth showing, does not stop the request */
} CdCsrProblem;

void          cd_csr_problem_free      (CdCsrProblem       *problem);

typedef enum
{
  CD_CSR_CHECK_DEFAULT = 0,
  /* The request goes to a private (in-house) CA: no warning for an OU, which public CAs may
   * no longer put into TLS certificates (CA/Browser Forum, since 2022-09-01). */
  CD_CSR_CHECK_PRIVATE_CA = 1 << 0,
} CdCsrCheckFlags;

/* Checks every field before anything is generated, so a form can show each problem next to
 * its field: RFC 5280 lengths (CN, O, OU at most 64 characters, L and ST at most 128, counted
 * in characters, not bytes), a country of exactly two letters A-Z, no control characters, the
 * CN and every host a valid DNS name (a wildcard only as the whole leftmost label), no host
 * twice (compared after normalization: case, trailing dot, Unicode vs A-label), and at least
 * one name. Returns a new array of CdCsrProblem (with its free function), in field order,
 * empty when there is nothing to say. */
GPtrArray    *cd_csr_request_check     (const CdCsrRequest *request,
                                        CdCsrCheckFlags     flags);

/* TRUE when @problems (from cd_csr_request_check()) holds an error, not only warnings. */
gboolean      cd_csr_problems_have_errors (GPtrArray       *problems);

/* The DNS names the CSR will carry, in order: the CN first when it is not among the hosts,
 * then the hosts; lower case, A-labels, without duplicates. NULL with CD_ERROR_INVALID_VALUE
 * when the request has errors. */
GStrv         cd_csr_request_dup_dns_names (const CdCsrRequest *request,
                                            GError            **error);

/* Makes and signs (SHA-256) a PKCS#10 request for @key: the subject holds the given fields in
 * the order C, ST, L, O, OU, CN (values trimmed, the country upper-cased, the CN in its
 * normalized A-label form as the CA/Browser Forum wants it copied from the SAN), and a
 * subjectAltName with cd_csr_request_dup_dns_names() (critical when the subject is empty, as
 * RFC 5280 requires). Refuses a request with errors (CD_ERROR_INVALID_VALUE with the message
 * of the first one; warnings do not matter), and a key a public CA would refuse: anything
 * other than RSA of at least 2048 bits or ECDSA P-256 / P-384 (CD_ERROR_UNSUPPORTED). Fast:
 * fine on the main loop once the key exists. Free the result with X509_REQ_free(). */
X509_REQ     *cd_csr_create            (const CdCsrRequest *request,
                                        EVP_PKEY           *key,
                                        GError            **error);

/* The request as PEM ("-----BEGIN CERTIFICATE REQUEST-----"), the content of a .csr file.
 * NULL only when OpenSSL cannot encode @req (an incomplete request). */
char         *cd_csr_to_pem            (X509_REQ           *req);

/* The text of "Copy CSR content": what a person pastes into a ticket or an order form.
 * Lines with a label each for the organization, the unit, the instance (when @instance is
 * given), the common name, the location when given, then every host of the CSR, one per
 * line, with the Unicode form beside an internationalized name. Works on requests with
 * errors too (hosts that are not valid names are shown as typed). Labels are translated. */
char         *cd_csr_request_to_text   (const CdCsrRequest *request,
                                        const char         *instance);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCsrRequest, cd_csr_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCsrProblem, cd_csr_problem_free)

G_END_DECLS
