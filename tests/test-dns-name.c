// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "cd-dns-name.h"
#include "cd-error.h"
#include "cd-test-util.h"

typedef struct
{
  const char     *input;
  CdDnsNameFlags  flags;
  const char     *expected; /* NULL: must be rejected */
  const char     *mentions; /* a fragment the error message must contain */
} NameCase;

#define WILD  CD_DNS_NAME_ALLOW_WILDCARD
#define MULTI CD_DNS_NAME_REQUIRE_MULTI_LABEL

static void
assert_name_error (const GError *error,
                   const char   *input,
                   const char   *mentions)
{
  if (error == NULL)
    g_error ("“%s” was accepted", input);

  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_NAME);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (mentions != NULL && strstr (error->message, mentions) == NULL)
    g_error ("the message for “%s” does not mention “%s”: %s", input, mentions, error->message);
}

static void
check_cases (const NameCase *cases,
             gsize           n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;
      g_autofree char *shown = g_utf8_make_valid (cases[i].input, -1);

      g_test_message ("“%s” (flags %u)", shown, (guint) cases[i].flags);
      result = cd_dns_name_normalize (cases[i].input, cases[i].flags, &error);

      if (cases[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, cases[i].expected);
        }
      else
        {
          g_assert_null (result);
          assert_name_error (error, cases[i].input, cases[i].mentions);
        }
    }
}

static void
test_ascii (void)
{
  static const NameCase cases[] = {
    { "example.com", 0, "example.com", NULL },
    { "mail.brand.com", MULTI, "mail.brand.com", NULL },
    { "Mail.Brand.COM", 0, "mail.brand.com", NULL },
    { "T.MAIL.BRAND.COM", MULTI, "t.mail.brand.com", NULL },
    { "a-b.example", 0, "a-b.example", NULL },
    { "a--b.example", 0, "a--b.example", NULL },
    { "0day.example", 0, "0day.example", NULL },
    { "123.example.com", 0, "123.example.com", NULL },
    { "example.c0m", 0, "example.c0m", NULL },
    { "localhost", 0, "localhost", NULL },
    { "x", 0, "x", NULL },
    { "XN--BCHER-KVA.Example", 0, "xn--bcher-kva.example", NULL },
    { "xn--strae-oqa.de", 0, "xn--strae-oqa.de", NULL },
    { "ex@mple.com", 0, NULL, "“@”" },
    { "example.com/path", 0, NULL, "“/”" },
    { "https://example.com", 0, NULL, "“:”" },
    { "ab--cd.example", 0, NULL, "ab--cd" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_whitespace (void)
{
  static const NameCase cases[] = {
    { "  example.com", 0, "example.com", NULL },
    { "example.com  ", 0, "example.com", NULL },
    { "\t mail.example.com \n", 0, "mail.example.com", NULL },
    { "\u00a0example.com\u00a0", 0, "example.com", NULL }, /* no-break space from a web page */
    { "", 0, NULL, "Enter a name." },
    { "   ", 0, NULL, "Enter a name." },
    { " \t\n", MULTI, NULL, "Enter a name." },
    { "exa mple.com", 0, NULL, "exa mple" },
    { "example.com\tfoo", 0, NULL, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_trailing_dot (void)
{
  static const NameCase cases[] = {
    { "example.com.", 0, "example.com", NULL },
    { " example.com. ", MULTI, "example.com", NULL },
    { "bücher.example.", 0, "xn--bcher-kva.example", NULL },
    { "example.com..", 0, NULL, "example.com.." },
    { ".", 0, NULL, "Enter a name." },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_empty_labels (void)
{
  static const NameCase cases[] = {
    { ".example.com", 0, NULL, ".example.com" },
    { "a..example.com", 0, NULL, "a..example.com" },
    { "..", 0, NULL, NULL },
    { "..example", 0, NULL, NULL },
    { "a。。b", 0, NULL, NULL },
    { "例え。jp", 0, "xn--r8jz45g.jp", NULL }, /* the ideographic full stop separates labels */
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_label_length (void)
{
  g_autofree char *l63 = cd_test_repeat ("a", 63);
  g_autofree char *l64 = cd_test_repeat ("a", 64);
  g_autofree char *ok = g_strconcat (l63, ".example.com", NULL);
  g_autofree char *ok_upper = g_ascii_strup (ok, -1);
  g_autofree char *too_long = g_strconcat (l64, ".example.com", NULL);
  /* 60 octets as typed, 66 once encoded */
  g_autofree char *a58 = cd_test_repeat ("a", 58);
  g_autofree char *umlaut = g_strconcat (a58, "ü", NULL);
  g_autofree char *too_long_idn = g_strconcat (umlaut, ".example", NULL);
  /* punycode packs repeats: 30 characters, 60 octets as typed, 34 once encoded */
  g_autofree char *umlauts30 = cd_test_repeat ("ü", 30);
  g_autofree char *ok_idn = g_strconcat (umlauts30, ".example", NULL);
  /* 120 octets, too long either way */
  g_autofree char *umlauts60 = cd_test_repeat ("ü", 60);
  g_autofree char *too_long_idn2 = g_strconcat (umlauts60, ".example", NULL);
  const NameCase cases[] = {
    { ok, 0, ok, NULL },
    { ok_upper, 0, ok, NULL },
    { too_long, 0, NULL, l64 },
    { too_long_idn, 0, NULL, umlaut },
    { ok_idn, 0, "xn--tdaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", NULL },
    { too_long_idn2, 0, NULL, "63" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_name_length (void)
{
  g_autofree char *a = cd_test_repeat ("a", 63);
  g_autofree char *b = cd_test_repeat ("b", 63);
  g_autofree char *c = cd_test_repeat ("c", 63);
  g_autofree char *d61 = cd_test_repeat ("d", 61);
  g_autofree char *d62 = cd_test_repeat ("d", 62);
  g_autofree char *n253 = g_strjoin (".", a, b, c, d61, NULL);
  g_autofree char *n254 = g_strjoin (".", a, b, c, d62, NULL);
  g_autofree char *n253_dot = g_strconcat (n253, ".", NULL);
  g_autofree char *d55 = cd_test_repeat ("d", 55);
  g_autofree char *last_idn = g_strconcat (d55, "ü", NULL);
  /* 248 octets as typed; the last label encodes to 63, 255 in all */
  g_autofree char *long_idn = g_strjoin (".", a, b, c, last_idn, NULL);
  const NameCase cases[] = {
    { n253, 0, n253, NULL },
    { n253_dot, 0, n253, NULL },
    { n254, 0, NULL, "253" },
    { long_idn, 0, NULL, "253" },
  };

  g_assert_cmpuint (strlen (n253), ==, 253);
  g_assert_cmpuint (strlen (n254), ==, 254);
  g_assert_cmpuint (strlen (long_idn), <, 253);

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_underscore (void)
{
  static const NameCase cases[] = {
    { "_dmarc.example.com", 0, NULL, "_dmarc" },
    { "my_host.example.com", 0, NULL, "my_host" },
    { "example_com", 0, NULL, "“_”" },
    { "bü_cher.example", 0, NULL, "“_”" },
    { "ａ＿ｂ.example", 0, NULL, "U+FF3F" }, /* fullwidth underscore, mapped to "_" by UTS #46 */
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_hyphens (void)
{
  static const NameCase cases[] = {
    { "-mail.example.com", 0, NULL, "-mail" },
    { "mail-.example.com", 0, NULL, "mail-" },
    { "mail.example-.com", 0, NULL, "example-" },
    { "mail.example.-com", 0, NULL, "-com" },
    { "-", 0, NULL, "hyphen" },
    { "bücher-.example", 0, NULL, "bücher-" },
    { "m-a-i-l.example.com", 0, "m-a-i-l.example.com", NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_punycode (void)
{
  static const NameCase cases[] = {
    { "xn--zzz-", 0, NULL, "internationalized" },
    { "xn--zzz-.example.com", 0, NULL, "xn--zzz-" },
    { "xn--abc.example", 0, NULL, "xn--abc" },
    { "xn--.example", 0, NULL, NULL },
    { "xn--a.example", 0, NULL, NULL },
    { "xn--ls8h.la", 0, NULL, "xn--ls8h" },           /* decodes to an emoji */
    { "xn--99999999999999999a.example", 0, NULL, NULL }, /* punycode overflow */
    { "xn--abc-def.example", 0, NULL, "xn--abc-def" },      /* decodes to mixed directions */
    { "xn--53h.example", 0, NULL, NULL },                   /* decodes to a disallowed symbol */
    { "xn--bcher-kvaa.example", 0, "xn--bcher-kvaa.example", NULL }, /* "büücher" */
    { "xn--Bcher-kva.example", 0, "xn--bcher-kva.example", NULL },
    { "ｘｎ－－ｂｃｈｅｒ－ｋｖａ.example", 0, "xn--bcher-kva.example", NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_idn_rejects (void)
{
  static const NameCase cases[] = {
    { "a😀b.example", 0, NULL, "U+1F600" },
    { "a\u200db.example", 0, NULL, "U+200D" },        /* zero width joiner out of context */
    { "\u0308a.example", 0, NULL, "combining" },
    { "1שלום.example", 0, NULL, "1שלום" },
    { "\xff\xfe.example", 0, NULL, NULL },            /* not UTF-8 */
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_wildcard (void)
{
  static const NameCase cases[] = {
    { "*.a.com", WILD, "*.a.com", NULL },
    { "*.Mail.Brand.COM", WILD | MULTI, "*.mail.brand.com", NULL },
    { "*.bücher.example", WILD, "*.xn--bcher-kva.example", NULL },
    { "*.a.com", 0, NULL, "*" },
    { "*.a.com", MULTI, NULL, "*" },
    { "a.*.com", WILD, NULL, "leftmost" },
    { "f*o.a.com", WILD, NULL, "f*o" },
    { "*o.a.com", WILD, NULL, "*o" },
    { "*", WILD, NULL, "*.example.com" },
    { "*", 0, NULL, "*" },
    { "*.*.a.com", WILD, NULL, NULL },
    { "a.com.*", WILD, NULL, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_multi_label (void)
{
  static const NameCase cases[] = {
    { "mail", 0, "mail", NULL },
    { "mail", MULTI, NULL, "mail.example.com" },
    { "mail.", MULTI, NULL, "mail.example.com" },
    { "mail.brand", MULTI, "mail.brand", NULL },
    { "bücher", MULTI, NULL, "mail.example.com" },
    { "*.com", WILD | MULTI, "*.com", NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_numeric (void)
{
  static const NameCase cases[] = {
    { "192.0.2.1", 0, NULL, "IP address" },
    { "192.0.2.1", MULTI, NULL, "IP address" },
    { " 192.0.2.1. ", 0, NULL, "IP address" },
    { "999.999.999.999", 0, NULL, "IP address" },
    { "10.1", 0, NULL, "IP address" },
    { "2001:db8::1", 0, NULL, "IP address" },
    { "::1", 0, NULL, "IP address" },
    { "example.123", 0, NULL, "“123”" },
    { "mail.example.4", 0, NULL, "“4”" },
    { "123", 0, NULL, NULL },
    { "123.example", 0, "123.example", NULL },
    { "192.0.2.1.example", 0, "192.0.2.1.example", NULL },
    { "example.x1", 0, "example.x1", NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

typedef struct
{
  const char *input;
  const char *expected; /* the lower-case A-label, checked against idn2(1) when present */
} IdnCase;

static const IdnCase idn_cases[] = {
  { "bücher.example", "xn--bcher-kva.example" },
  { "BÜCHER.example", "xn--bcher-kva.example" },
  { "Ölfass.Beispiel.de", "xn--lfass-iua.beispiel.de" },
  { "παράδειγμα.δοκιμή", "xn--hxajbheg2az3al.xn--jxalpdlp" },
  { "日本語.jp", "xn--wgv71a119e.jp" },
  { "straße.de", "xn--strae-oqa.de" }, /* non-transitional: not "strasse.de" */
  { "Straße.DE", "xn--strae-oqa.de" },
  { "ｅｘａｍｐｌｅ.com", "example.com" }, /* fullwidth letters map to ASCII */
  { "t.mail.müller.example", "t.mail.xn--mller-kva.example" },
  { "שלום.example", "xn--9dbne9b.example" },
};

static void
test_idn (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (idn_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;

      result = cd_dns_name_normalize (idn_cases[i].input, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (result, ==, idn_cases[i].expected);
    }
}

/* Runs idn2(1) in lookup mode with non-transitional processing. Returns its output, or NULL
 * when it refused the name. */
static char *
run_idn2 (const char *idn2,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { idn2, "--lookup", "--tr46nt", "--", name, NULL };
  int status;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);

  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;

  return g_strdup (g_strstrip (out));
}

static void
test_idn_reference (void)
{
  g_autofree char *idn2 = NULL;
  static const char *const refused[] = {
    "xn--zzz-.example", "xn--abc.example", "a\u200db.example", "a😀b.example", "1שלום.example",
  };

  if (!cd_test_require_tool ("idn2", "GNU libidn2"))
    return;
  idn2 = g_find_program_in_path ("idn2");

  for (gsize i = 0; i < G_N_ELEMENTS (idn_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *ours = cd_dns_name_normalize (idn_cases[i].input, 0, &error);
      g_autofree char *theirs = run_idn2 (idn2, idn_cases[i].input);

      g_test_message ("%s: ours %s, idn2 %s", idn_cases[i].input, ours, theirs);
      g_assert_no_error (error);
      g_assert_nonnull (theirs);
      g_assert_cmpstr (ours, ==, theirs);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *ours = cd_dns_name_normalize (refused[i], 0, &error);
      g_autofree char *theirs = run_idn2 (idn2, refused[i]);

      g_test_message ("%s: idn2 gives %s", refused[i], theirs);
      g_assert_null (theirs);
      g_assert_null (ours);
      assert_name_error (error, refused[i], NULL);
    }
}

typedef struct
{
  const char *input;
  const char *expected; /* NULL: must be rejected */
  const char *mentions;
} LabelCase;

static void
test_label (void)
{
  g_autofree char *l63 = cd_test_repeat ("r", 63);
  g_autofree char *l64 = cd_test_repeat ("r", 64);
  const LabelCase cases[] = {
    { "t", "t", NULL },
    { "RES", "res", NULL },
    { " click ", "click", NULL },
    { "m-1", "m-1", NULL },
    { "1", "1", NULL },
    { "bücher", "xn--bcher-kva", NULL },
    { "xn--bcher-kva", "xn--bcher-kva", NULL },
    { l63, l63, NULL },
    { l64, NULL, l64 },
    { "", NULL, "Enter a name." },
    { "  ", NULL, "Enter a name." },
    { "t.mail", NULL, "dot" },
    { "t.", NULL, "dot" },
    { ".t", NULL, "dot" },
    { "例。jp", NULL, "dot" },
    { "*", NULL, "*" },
    { "_t", NULL, "“_”" },
    { "-t", NULL, "hyphen" },
    { "t-", NULL, "hyphen" },
    { "ab--c", NULL, "ab--c" },
    { "xn--zzz-", NULL, "xn--zzz-" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;

      g_test_message ("label “%s”", cases[i].input);
      result = cd_dns_label_normalize (cases[i].input, &error);

      if (cases[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, cases[i].expected);
        }
      else
        {
          g_assert_null (result);
          assert_name_error (error, cases[i].input, cases[i].mentions);
        }
    }
}

static void
test_to_unicode (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "xn--bcher-kva.example", "bücher.example" },
    { "XN--BCHER-KVA.example", "bücher.example" },
    { "xn--strae-oqa.de", "straße.de" },
    { "xn--hxajbheg2az3al.xn--jxalpdlp", "παράδειγμα.δοκιμή" },
    { "mail.example.com", "mail.example.com" },
    { "Mail.Example.com", "Mail.Example.com" },
    { "*.xn--wgv71a119e.jp", "*.日本語.jp" },
    /* not valid A-labels: shown as they are */
    { "xn--zzz-.example", "xn--zzz-.example" },
    { "xn--abc.example", "xn--abc.example" },
    { "xn--ls8h.la", "xn--ls8h.la" },
    { "ab--cd.example", "ab--cd.example" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *result = cd_dns_name_to_unicode (cases[i].input);

      g_assert_cmpstr (result, ==, cases[i].expected);
    }

  /* normalize -> to_unicode -> normalize is stable */
  for (gsize i = 0; i < G_N_ELEMENTS (idn_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *alabel = cd_dns_name_normalize (idn_cases[i].input, 0, &error);
      g_autofree char *ulabel = NULL;
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      ulabel = cd_dns_name_to_unicode (alabel);
      g_assert_true (g_utf8_validate (ulabel, -1, NULL));
      again = cd_dns_name_normalize (ulabel, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, alabel);
    }
}

static void
test_is_within (void)
{
  static const struct
  {
    const char *name;
    const char *domain;
    gboolean    within;
  } cases[] = {
    { "a.b.com", "b.com", TRUE },
    { "b.com", "b.com", TRUE },
    { "x.y.b.com", "b.com", TRUE },
    { "A.B.COM", "b.com", TRUE },
    { "a.b.com", "B.Com", TRUE },
    { "a.b.com.", "b.com", TRUE },
    { "a.b.com", "b.com.", TRUE },
    { "*.b.com", "b.com", TRUE },
    { "t.mail.brand.com", "mail.brand.com", TRUE },
    { "ab.com", "b.com", FALSE },
    { "xb.com", "b.com", FALSE },
    { "b.com", "a.b.com", FALSE },
    { "com", "b.com", FALSE },
    { "b.com.evil", "b.com", FALSE },
    { "b.com", "", FALSE },
    { "", "b.com", FALSE },
    { "t.mail.brand.com", "ail.brand.com", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s” within “%s”", cases[i].name, cases[i].domain);
      g_assert_cmpint (cd_dns_name_is_within (cases[i].name, cases[i].domain), ==,
                       cases[i].within);
    }
}

static void
test_error_messages (void)
{
  /* Every failure, with and without flags, carries the code a caller branches on and a
   * message naming what is wrong. */
  static const char *const bad[] = {
    "", " ", ".", "..", "a..b", ".a", "-a", "a-", "a_b", "a b", "xn--zzz-", "xn--abc", "ab--cd",
    "*.a", "a.*", "192.0.2.1", "a.1", "a😀b", "\u0308a", "a/b",
  };
  static const CdDnsNameFlags flag_sets[] = { 0, WILD, MULTI, WILD | MULTI };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    for (gsize f = 0; f < G_N_ELEMENTS (flag_sets); f++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *result = cd_dns_name_normalize (bad[i], flag_sets[f], &error);

        if (result != NULL)
          {
            /* only "*.a" with the wildcard flag is a name */
            g_assert_cmpstr (bad[i], ==, "*.a");
            g_assert_true (flag_sets[f] & WILD);
            continue;
          }
        assert_name_error (error, bad[i], NULL);
      }

  /* a NULL error is allowed */
  g_assert_null (cd_dns_name_normalize ("a_b.com", 0, NULL));
  g_assert_null (cd_dns_label_normalize ("a.b", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/dns-name/ascii", test_ascii);
  g_test_add_func ("/core/dns-name/whitespace", test_whitespace);
  g_test_add_func ("/core/dns-name/trailing-dot", test_trailing_dot);
  g_test_add_func ("/core/dns-name/empty-labels", test_empty_labels);
  g_test_add_func ("/core/dns-name/label-length", test_label_length);
  g_test_add_func ("/core/dns-name/name-length", test_name_length);
  g_test_add_func ("/core/dns-name/underscore", test_underscore);
  g_test_add_func ("/core/dns-name/hyphens", test_hyphens);
  g_test_add_func ("/core/dns-name/punycode", test_punycode);
  g_test_add_func ("/core/dns-name/idn-rejects", test_idn_rejects);
  g_test_add_func ("/core/dns-name/wildcard", test_wildcard);
  g_test_add_func ("/core/dns-name/multi-label", test_multi_label);
  g_test_add_func ("/core/dns-name/numeric", test_numeric);
  g_test_add_func ("/core/dns-name/idn", test_idn);
  g_test_add_func ("/core/dns-name/idn-reference", test_idn_reference);
  g_test_add_func ("/core/dns-name/label", test_label);
  g_test_add_func ("/core/dns-name/to-unicode", test_to_unicode);
  g_test_add_func ("/core/dns-name/is-within", test_is_within);
  g_test_add_func ("/core/dns-name/errors", test_error_messages);

  return g_test_run ();
}
