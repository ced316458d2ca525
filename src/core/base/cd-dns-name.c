// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-dns-name"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <idn2.h>
#include <string.h>

#include "cd-dns-name.h"
#include "cd-error.h"

#define LABEL_MAX_OCTETS 63
#define NAME_MAX_OCTETS  253

/* UTS #46 non-transitional processing keeps "ß" and "ς" as they are (IDNA 2008), while still
 * mapping upper case to lower case, so no transitional fallback is needed for "EXAMPLE". */
#define IDN2_FLAGS (IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT)

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
is_ldh (char c)
{
  return g_ascii_isalnum (c) || c == '-';
}

static gboolean
is_all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* UTS #46 maps the ideographic and fullwidth full stops to "."; they have to separate labels
 * before the name is split, or "例え。jp" would be taken for one label. */
static gboolean
is_alternate_dot (gunichar c)
{
  return c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}

/* Strips white space at both ends (a no-break space pasted from a web page counts) and turns
 * the alternate full stops into ASCII dots. @input must be valid UTF-8. */
static char *
tidy_input (const char *input)
{
  const char *start = input;
  const char *end = input + strlen (input);
  GString *out;

  while (start < end && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  out = g_string_sized_new (end - start);
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_alternate_dot (c))
        g_string_append_c (out, '.');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* libidn2 allocates with its own allocator: hand back GLib memory so callers can use
 * g_autofree. */
static int
to_ascii (const char *input, char **output)
{
  char *out = NULL;
  int rc;

  rc = idn2_to_ascii_8z (input, &out, IDN2_FLAGS);
  *output = rc == IDN2_OK ? g_ascii_strdown (out, -1) : NULL;
  idn2_free (out);
  return rc;
}

static int
to_unicode (const char *input, char **output)
{
  char *out = NULL;
  int rc;

  rc = idn2_to_unicode_8z8z (input, &out, 0);
  *output = rc == IDN2_OK ? g_strdup (out) : NULL;
  idn2_free (out);
  return rc;
}

/* Decodes a lower-case "xn--" label, accepting it only if it survives the round trip back to
 * the same A-label: the punycode must be well formed, decode to non-ASCII text that IDNA 2008
 * allows, and be the canonical encoding of that text. */
static char *
alabel_decode (const char *alabel)
{
  g_autofree char *ulabel = NULL;
  g_autofree char *back = NULL;

  g_assert (g_str_has_prefix (alabel, "xn--"));

  if (to_unicode (alabel, &ulabel) != IDN2_OK || ulabel[0] == '\0' || is_ascii (ulabel))
    return NULL;
  if (!g_utf8_validate (ulabel, -1, NULL))
    return NULL;
  if (to_ascii (ulabel, &back) != IDN2_OK || g_strcmp0 (back, alabel) != 0)
    return NULL;

  return g_steal_pointer (&ulabel);
}

static gboolean
set_bad_char_error (const char *label, gunichar c, GError **error)
{
  char utf8[7] = { 0 };

  g_unichar_to_utf8 (c, utf8);

  if (c == '_')
    g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                 _("“%s” contains an underscore (“_”), which is not allowed in a host name: "
                   "use letters, digits and hyphens."),
                 label);
  else if (c == '*')
    g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                 _("The label “%s” contains a wildcard (“*”), which is not allowed here."), label);
  else if (g_unichar_isspace (c))
    g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                 _("“%s” contains a space, which is not allowed in a host name: "
                   "use letters, digits and hyphens."),
                 label);
  else if (c < 0x80 && g_ascii_isgraph ((char) c))
    g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                 _("“%s” contains “%s”, which is not allowed in a host name: "
                   "use letters, digits and hyphens."),
                 label, utf8);
  else if (g_unichar_isgraph (c))
    g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                 _("“%s” contains “%s” (U+%04X), which is not allowed in a host name."),
                 label, utf8, c);
  else
    g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                 _("“%s” contains the invisible character U+%04X, which is not allowed in a "
                   "host name."),
                 label, c);

  return FALSE;
}

/* Finds the character of a Unicode label that IDNA refuses, or that maps to something other
 * than letters, digits and hyphens, by converting each on its own. */
static gunichar
find_culprit (const char *label)
{
  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *alone = NULL;
      g_autofree char *mapped = NULL;
      gunichar c = g_utf8_get_char (p);
      int rc;

      if (c == '-' || (c < 0x80 && g_ascii_isalnum ((char) c)))
        continue;

      alone = g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);
      rc = to_ascii (alone, &mapped);
      switch (rc)
        {
          case IDN2_OK:
            for (const char *m = mapped; *m != '\0'; m++)
              if (!is_ldh (*m))
                return c;
            break;
          case IDN2_DISALLOWED:
          case IDN2_UNASSIGNED:
          case IDN2_CONTEXTJ:
          case IDN2_CONTEXTJ_NO_RULE:
          case IDN2_CONTEXTO:
          case IDN2_CONTEXTO_NO_RULE:
          case IDN2_INVALID_NONTRANSITIONAL:
            return c;
          default:
            break;
        }
    }

  return 0;
}

static gboolean
set_idn2_error (const char *label, int rc, GError **error)
{
  gunichar culprit;

  switch (rc)
    {
      /* libidn2 encodes into a buffer of the maximum label length */
      case IDN2_PUNYCODE_BIG_OUTPUT:
      case IDN2_TOO_BIG_LABEL:
      case IDN2_TOO_BIG_DOMAIN:
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("The label “%s” is longer than 63 characters once encoded for DNS."),
                     label);
        break;

      case IDN2_HYPHEN_STARTEND:
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("A label cannot start or end with a hyphen: “%s”."), label);
        break;

      case IDN2_2HYPHEN:
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("“%s” has hyphens in the third and fourth positions, which only "
                       "internationalized labels (“xn--”) may have."),
                     label);
        break;

      case IDN2_LEADING_COMBINING:
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("“%s” starts with a combining mark, which is not allowed in a host name."),
                     label);
        break;

      case IDN2_BIDI:
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("“%s” mixes right-to-left and left-to-right text in a way that domain "
                       "names do not allow."),
                     label);
        break;

      case IDN2_PUNYCODE_BAD_INPUT:
      case IDN2_PUNYCODE_OVERFLOW:
      case IDN2_INVALID_ALABEL:
      case IDN2_UALABEL_MISMATCH:
      case IDN2_ALABEL_ROUNDTRIP_FAILED:
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("“%s” is not a valid internationalized label."), label);
        break;

      case IDN2_DISALLOWED:
      case IDN2_UNASSIGNED:
      case IDN2_CONTEXTJ:
      case IDN2_CONTEXTJ_NO_RULE:
      case IDN2_CONTEXTO:
      case IDN2_CONTEXTO_NO_RULE:
      case IDN2_INVALID_NONTRANSITIONAL:
        culprit = find_culprit (label);
        if (culprit != 0)
          return set_bad_char_error (label, culprit, error);
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("“%s” contains a character that is not allowed in a host name."), label);
        break;

      default:
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("“%s” is not a valid host name label: %s"), label, idn2_strerror (rc));
        break;
    }

  return FALSE;
}

/* One non-empty label without dots or wildcards, as typed, to its lower-case A-label. */
static char *
normalize_label (const char *label, GError **error)
{
  g_autofree char *alabel = NULL;
  gboolean from_unicode = !is_ascii (label);
  gsize len;

  g_assert (label != NULL && *label != '\0');

  if (from_unicode)
    {
      int rc;

      /* Name a stray ASCII character before IDNA gets to reject the label as a whole. */
      for (const char *p = label; *p != '\0'; p++)
        if ((guchar) *p < 0x80 && !is_ldh (*p))
          {
            set_bad_char_error (label, (guchar) *p, error);
            return NULL;
          }

      rc = to_ascii (label, &alabel);
      if (rc != IDN2_OK)
        {
          set_idn2_error (label, rc, error);
          return NULL;
        }
    }
  else
    {
      alabel = g_ascii_strdown (label, -1);
    }

  for (const char *p = alabel; *p != '\0'; p++)
    if (!is_ldh (*p))
      {
        gunichar culprit = from_unicode ? find_culprit (label) : (guchar) *p;

        if (culprit != 0)
          set_bad_char_error (label, culprit, error);
        else
          g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                       _("“%s” contains a character that is not allowed in a host name: "
                         "use letters, digits and hyphens."),
                       label);
        return NULL;
      }

  len = strlen (alabel);

  if (len > LABEL_MAX_OCTETS)
    {
      if (from_unicode)
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("The label “%s” is longer than 63 characters once encoded for DNS."),
                     label);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("The label “%s” is longer than 63 characters."), label);
      return NULL;
    }

  /* An A-label typed as such has not been through IDNA: the round trip proves it is one.
   * Checked before the hyphen rule, so that "xn--zzz-" is called what it is. */
  if (g_str_has_prefix (alabel, "xn--"))
    {
      g_autofree char *ulabel = alabel_decode (alabel);

      if (ulabel == NULL)
        {
          set_idn2_error (label, IDN2_INVALID_ALABEL, error);
          return NULL;
        }
    }

  if (alabel[0] == '-' || alabel[len - 1] == '-')
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                   _("A label cannot start or end with a hyphen: “%s”."), label);
      return NULL;
    }

  /* Other "reserved LDH labels" (RFC 5890, section 2.3.1) are kept for future encodings. */
  if (len >= 4 && alabel[2] == '-' && alabel[3] == '-' && !g_str_has_prefix (alabel, "xn--"))
    {
      set_idn2_error (label, IDN2_2HYPHEN, error);
      return NULL;
    }

  return g_steal_pointer (&alabel);
}

static char *
tidy_checked_input (const char *input, GError **error)
{
  g_autofree char *tidy = NULL;

  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                           _("The name contains bytes that are not valid text."));
      return NULL;
    }

  tidy = tidy_input (input);
  if (tidy[0] == '\0')
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME, _("Enter a name."));
      return NULL;
    }

  return g_steal_pointer (&tidy);
}

char *
cd_dns_name_normalize (const char     *input,
                       CdDnsNameFlags  flags,
                       GError        **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) labels = NULL;
  g_autoptr(GString) out = NULL;
  const char *last;
  guint n_labels;
  gboolean all_digits = TRUE;
  gsize len;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  shown = tidy_checked_input (input, error);
  if (shown == NULL)
    return NULL;

  name = g_strdup (shown);
  len = strlen (name);
  if (name[len - 1] == '.')
    name[len - 1] = '\0';
  if (name[0] == '\0')
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME, _("Enter a name."));
      return NULL;
    }

  if (g_hostname_is_ip_address (name))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                   _("“%s” looks like an IP address: enter a host name."), name);
      return NULL;
    }

  labels = g_strsplit (name, ".", -1);
  n_labels = g_strv_length (labels);
  out = g_string_sized_new (len);

  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];
      g_autofree char *alabel = NULL;

      if (label[0] == '\0')
        {
          g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                       _("“%s” has an empty label: remove the extra dot."), shown);
          return NULL;
        }

      if (i > 0)
        g_string_append_c (out, '.');

      if (strchr (label, '*') != NULL)
        {
          if ((flags & CD_DNS_NAME_ALLOW_WILDCARD) == 0)
            {
              set_bad_char_error (label, '*', error);
              return NULL;
            }
          if (i != 0 || strcmp (label, "*") != 0)
            {
              g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                           _("The label “%s” contains a wildcard (“*”), but a wildcard can only "
                             "be the whole leftmost label, as in *.example.com."),
                           label);
              return NULL;
            }
          if (n_labels == 1)
            {
              g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                                   _("A wildcard must be followed by a domain, "
                                     "as in *.example.com."));
              return NULL;
            }
          g_string_append_c (out, '*');
          continue;
        }

      alabel = normalize_label (label, error);
      if (alabel == NULL)
        return NULL;

      g_string_append (out, alabel);
      all_digits = all_digits && is_all_digits (alabel);
    }

  if (out->len > NAME_MAX_OCTETS)
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                           _("The name is longer than 253 characters."));
      return NULL;
    }

  if ((flags & CD_DNS_NAME_REQUIRE_MULTI_LABEL) != 0 && n_labels < 2)
    {
      g_set_error_literal (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                           _("Enter a full domain name such as mail.example.com."));
      return NULL;
    }

  /* No top-level domain is all digits (RFC 3696, section 2), and resolvers would take such a
   * name for an address. */
  last = strrchr (out->str, '.');
  last = last != NULL ? last + 1 : out->str;
  if (is_all_digits (last))
    {
      if (all_digits)
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("“%s” looks like an IP address: enter a host name."), name);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                     _("The last label “%s” is all digits, but a top-level domain never is."),
                     labels[n_labels - 1]);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
cd_dns_label_normalize (const char  *input,
                        GError     **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  label = tidy_checked_input (input, error);
  if (label == NULL)
    return NULL;

  if (strchr (label, '.') != NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_NAME,
                   _("“%s” contains a dot: enter a single label such as “t” or “res”, "
                     "without the domain."),
                   label);
      return NULL;
    }

  if (strchr (label, '*') != NULL)
    {
      set_bad_char_error (label, '*', error);
      return NULL;
    }

  return normalize_label (label, error);
}

char *
cd_dns_name_to_unicode (const char *name)
{
  g_auto(GStrv) labels = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  labels = g_strsplit (name, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      g_autofree char *alabel = NULL;
      char *ulabel;

      if (g_ascii_strncasecmp (labels[i], "xn--", 4) != 0)
        continue;

      alabel = g_ascii_strdown (labels[i], -1);
      ulabel = alabel_decode (alabel);
      if (ulabel != NULL)
        {
          g_free (labels[i]);
          labels[i] = ulabel;
        }
    }

  return g_strjoinv (".", labels);
}

gboolean
cd_dns_name_is_within (const char *name,
                       const char *domain)
{
  gsize name_len;
  gsize domain_len;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  /* Tolerate the absolute form ("example.com.") on either side. */
  name_len = strlen (name);
  if (name_len > 0 && name[name_len - 1] == '.')
    name_len--;
  domain_len = strlen (domain);
  if (domain_len > 0 && domain[domain_len - 1] == '.')
    domain_len--;

  if (domain_len == 0 || name_len < domain_len)
    return FALSE;

  if (g_ascii_strncasecmp (name + name_len - domain_len, domain, domain_len) != 0)
    return FALSE;

  return name_len == domain_len || name[name_len - domain_len - 1] == '.';
}
