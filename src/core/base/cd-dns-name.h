// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CD_DNS_NAME_DEFAULT = 0,
  /* "*" allowed as the whole leftmost label only (RFC 6125) */
  CD_DNS_NAME_ALLOW_WILDCARD = 1 << 0,
  /* at least two labels, as a delegated subdomain ("mail.brand.com") has */
  CD_DNS_NAME_REQUIRE_MULTI_LABEL = 1 << 1,
} CdDnsNameFlags;

/* Validates a host or domain name as a person typed it (surrounding blanks and one trailing
 * dot are ignored, Unicode labels are converted with IDNA 2008 / UTS #46 non-transitional)
 * and returns its lower-case A-label form ("bücher.example" -> "xn--bcher-kva.example").
 * On failure returns NULL and sets CD_ERROR_INVALID_NAME with a message that names the
 * offending label and the rule it breaks. Limits: 63 octets per label, 253 in total
 * (A-label form), letters, digits and hyphens only, no hyphen at either end of a label. */
char    *cd_dns_name_normalize   (const char     *input,
                                  CdDnsNameFlags  flags,
                                  GError        **error);

/* The same rules for a single label, such as a host prefix ("t", "res", "click"). */
char    *cd_dns_label_normalize  (const char     *input,
                                  GError        **error);

/* The Unicode form of a normalized name for display; labels that are not valid A-labels are
 * returned as they are. Never NULL for a non-NULL input. */
char    *cd_dns_name_to_unicode  (const char     *name);

/* TRUE when @name equals @domain or lies below it (both normalized). */
gboolean cd_dns_name_is_within   (const char     *name,
                                  const char     *domain);

G_END_DECLS
