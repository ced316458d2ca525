// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-keystore-damage"

#include "config.h"

#include <openssl/evp.h>
#include <string.h>

#include "cd-error.h"
#include "cd-keystore.h"
#include "cd-test-pki.h"
#include "cd-test-util.h"
#include "cd-test-x509.h"

/* Damaged and hostile JKS files: every one is a clear error with a code a caller can branch
 * on, never a crash, a leak or an allocation of what a length field claims. Hand-made files
 * carry a correct digest, so that the checks behind it are what the test reaches. */

#define PASSWORD "changeit"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)

static CdTestPki *pki;
static const char *dir;
/* A JKS written by Certdesk: the trusted certificates "alpha" and "beta", then the key entry
 * "server" with its chain. */
static GBytes *valid;
static gsize alias_offset;       /* the first byte of the alias "alpha" */
static gsize certificate_offset; /* the first byte of alpha's certificate DER */
static GBytes *root_der;

/* ----------------------------------------------------------------------------------------- */
/* Hand-made keystores */

static void
put_u16 (GByteArray *out,
         guint       value)
{
  guint8 bytes[2] = { value >> 8, value & 0xFF };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);

  g_byte_array_append (out, (const guint8 *) &be, sizeof be);
}

static void
put_u64 (GByteArray *out,
         guint64     value)
{
  guint64 be = GUINT64_TO_BE (value);

  g_byte_array_append (out, (const guint8 *) &be, sizeof be);
}

/* A u16 length and the bytes as given (ASCII is modified UTF-8 as it is). */
static void
put_utf (GByteArray *out,
         const char *bytes,
         gsize       length)
{
  put_u16 (out, length);
  g_byte_array_append (out, (const guint8 *) bytes, length);
}

static void
put_header (GByteArray *out,
            guint32     magic,
            guint32     version,
            guint32     count)
{
  put_u32 (out, magic);
  put_u32 (out, version);
  put_u32 (out, count);
}

/* A trusted certificate entry with @der (version 2 framing unless @version is 1). */
static void
put_trusted (GByteArray   *out,
             guint32       version,
             const char   *alias,
             gsize         alias_length,
             const char   *type,
             GBytes       *der)
{
  put_u32 (out, 2);
  put_utf (out, alias, alias_length);
  put_u64 (out, G_GUINT64_CONSTANT (1700000000000));
  if (version == 2)
    put_utf (out, type, strlen (type));
  put_u32 (out, g_bytes_get_size (der));
  g_byte_array_append (out, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
}

/* The keystore digest, computed independently of Certdesk's code: SHA-1 of the password in
 * UTF-16BE, "Mighty Aphrodite" and everything so far. */
static void
put_digest (GByteArray *out,
            const char *password)
{
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  glong n_units = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (password, -1, NULL, &n_units, NULL);
  guint8 digest[20];

  g_assert_true (EVP_DigestInit_ex (ctx, EVP_sha1 (), NULL));
  for (glong i = 0; i < n_units; i++)
    {
      guint8 be[2] = { units[i] >> 8, units[i] & 0xFF };

      g_assert_true (EVP_DigestUpdate (ctx, be, 2));
    }
  g_assert_true (EVP_DigestUpdate (ctx, "Mighty Aphrodite", 16));
  g_assert_true (EVP_DigestUpdate (ctx, out->data, out->len));
  g_assert_true (EVP_DigestFinal_ex (ctx, digest, NULL));
  g_byte_array_append (out, digest, sizeof digest);
}

static GBytes *
finish (GByteArray *out,
        const char *password)
{
  put_digest (out, password);
  return g_byte_array_free_to_bytes (out);
}

/* ----------------------------------------------------------------------------------------- */

static CdKeystore *
load (GBytes      *bytes,
      const char  *password,
      GError     **error)
{
  return cd_keystore_load_bytes (bytes, "damaged.jks", password, NULL, error);
}

static void
assert_load_fails (GBytes     *bytes,
                   const char *password,
                   int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdKeystore) store = load (bytes, password, &error);

  g_assert_error (error, CD_ERROR, code);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "damaged.jks"));
  g_test_message ("%s", error->message);
}

static GBytes *
cut (GBytes *bytes,
     gsize   length)
{
  return g_bytes_new_from_bytes (bytes, 0, length);
}

static GBytes *
flip (GBytes *bytes,
      gsize   offset,
      guint8  mask)
{
  gsize length = g_bytes_get_size (bytes);
  guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), length);

  g_assert_cmpuint (offset, <, length);
  data[offset] ^= mask;
  return g_bytes_new_take (data, length);
}

static void
test_truncated (void)
{
  gsize length = g_bytes_get_size (valid);
  const gsize cuts[] = {
    4, 8, 11, 12, 13, alias_offset + 2, certificate_offset - 2, certificate_offset + 100,
    length / 2, length - 21, length - 20, length - 19, length - 1,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GBytes) short_bytes = cut (valid, cuts[i]);

      g_test_message ("cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, cuts[i], length);
      assert_load_fails (short_bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
    }

  /* shorter than a magic number: not a keystore at all */
  for (gsize n = 1; n < 4; n++)
    {
      g_autoptr(GBytes) short_bytes = cut (valid, n);

      assert_load_fails (short_bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
    }

  /* without a password keytool reads no digest, so a file cut just before it still lists */
  {
    g_autoptr(GBytes) no_digest = cut (valid, length - 20);
    g_autoptr(GError) error = NULL;
    g_autoptr(CdKeystore) store = load (no_digest, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 3);
  }
}

static void
test_flipped_byte (void)
{
  gsize length = g_bytes_get_size (valid);
  const struct
  {
    const char *region;
    gsize       offset;
    guint8      mask;
    int         code;
  } cases[] = {
    { "magic", 0, 0x01, CD_ERROR_BAD_FORMAT },
    { "magic", 3, 0x10, CD_ERROR_BAD_FORMAT },
    { "version", 7, 0x01, CD_ERROR_BAD_FORMAT },
    { "entry count, larger", 8, 0x80, CD_ERROR_BAD_FORMAT },
    /* two entries read, then the digest is looked for in the third */
    { "entry count, smaller", 11, 0x01, CD_ERROR_WRONG_PASSWORD },
    { "entry tag", 15, 0x04, CD_ERROR_BAD_FORMAT },
    { "alias length", alias_offset - 2, 0x40, CD_ERROR_BAD_FORMAT },
    { "alias", alias_offset, 0x01, CD_ERROR_WRONG_PASSWORD },
    { "timestamp", alias_offset + 5 + 3, 0x01, CD_ERROR_WRONG_PASSWORD },
    { "certificate length", certificate_offset - 4, 0x80, CD_ERROR_BAD_FORMAT },
    { "certificate", certificate_offset, 0x01, CD_ERROR_WRONG_PASSWORD },
    { "certificate", certificate_offset + 200, 0x20, CD_ERROR_WRONG_PASSWORD },
    { "key entry", length - 300, 0x01, CD_ERROR_WRONG_PASSWORD },
    { "digest", length - 20, 0x01, CD_ERROR_WRONG_PASSWORD },
    { "digest", length - 1, 0x80, CD_ERROR_WRONG_PASSWORD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) damaged = flip (valid, cases[i].offset, cases[i].mask);

      g_test_message ("%s: byte %" G_GSIZE_FORMAT, cases[i].region, cases[i].offset);
      assert_load_fails (damaged, PASSWORD, cases[i].code);
    }

  /* without a password nothing checks the digest: a certificate that is no longer DER is
   * found by the parser */
  {
    g_autoptr(GBytes) damaged = flip (valid, certificate_offset, 0x01);

    assert_load_fails (damaged, NULL, CD_ERROR_BAD_FORMAT);
  }
}

static void
test_wrong_password (void)
{
  const char *passwords[] = { "wrong", "", "changeiT", "changeit ", "pässwörd" };

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdKeystore) store = load (valid, passwords[i], &error);

      g_assert_error (error, CD_ERROR, CD_ERROR_WRONG_PASSWORD);
      g_assert_null (store);
      /* keytool's words, which users search for */
      g_assert_nonnull (strstr (error->message,
                                "Keystore was tampered with, or password was incorrect"));
    }
}

static void
test_empty (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdKeystore) store = NULL;

  assert_load_fails (empty, PASSWORD, CD_ERROR_BAD_FORMAT);

  cd_test_write_file (dir, "empty.jks", "", 0);
  path = cd_test_pki_path (pki, "empty.jks");
  store = cd_keystore_load (path, PASSWORD, NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT);
  g_assert_null (store);
  g_clear_error (&error);

  /* and a file that is not there, or a folder */
  g_clear_pointer (&path, g_free);
  path = cd_test_pki_path (pki, "missing.jks");
  store = cd_keystore_load (path, PASSWORD, NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_null (store);
  g_clear_error (&error);

  store = cd_keystore_load (dir, PASSWORD, NULL, &error);
  g_assert_error (error, CD_ERROR, CD_ERROR_IO);
  g_assert_null (store);
}

/* An entry count beyond what the file holds, with a digest that matches. */
static void
test_count_too_large (void)
{
  const guint32 counts[] = { 4, 1000, G_MAXINT32, G_MAXUINT32 };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (valid, &length);
      GByteArray *out = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;

      /* the three real entries, announced as more */
      put_header (out, 0xFEEDFEED, 2, counts[i]);
      g_byte_array_append (out, data + 12, length - 12 - 20);
      bytes = finish (out, PASSWORD);
      assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
      assert_load_fails (bytes, NULL, CD_ERROR_BAD_FORMAT);
    }

  /* a header alone that claims entries */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
  }
}

/* Lengths of 2 GiB and more inside a small file, with a digest that matches: the length
 * checks themselves must refuse them. */
static void
test_huge_lengths (void)
{
  static const guint8 filler[64] = { 0 };

  /* a certificate of 2 GiB */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_u32 (out, 2);
    put_utf (out, "big", 3);
    put_u64 (out, 0);
    put_utf (out, "X.509", 5);
    put_u32 (out, 0x80000000u);
    g_byte_array_append (out, filler, sizeof filler);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
    assert_load_fails (bytes, NULL, CD_ERROR_BAD_FORMAT);
  }

  /* a protected key of 4 GiB - 1 */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_u32 (out, 1);
    put_utf (out, "key", 3);
    put_u64 (out, 0);
    put_u32 (out, G_MAXUINT32);
    g_byte_array_append (out, filler, sizeof filler);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
  }

  /* a chain of 2^31 certificates */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_u32 (out, 1);
    put_utf (out, "chain", 5);
    put_u64 (out, 0);
    put_u32 (out, 8);
    g_byte_array_append (out, filler, 8);
    put_u32 (out, 0x80000000u);
    g_byte_array_append (out, filler, sizeof filler);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
  }

  /* an alias of 65535 bytes in a file of a hundred */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_u32 (out, 2);
    put_u16 (out, G_MAXUINT16);
    g_byte_array_append (out, filler, sizeof filler);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
  }
}

/* Files no keytool would write, but Java reads or refuses in a known way. */
static void
test_hand_made (void)
{
  /* version 1: no certificate type strings; "a\0b" with NUL as C0 80 */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CdKeystore) store = NULL;

    put_header (out, 0xFEEDFEED, 1, 1);
    put_trusted (out, 1, "a\xC0\x80" "b", 4, NULL, root_der);
    bytes = finish (out, PASSWORD);
    store = load (bytes, PASSWORD, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 1);
    /* a C string cannot hold the NUL */
    g_assert_cmpstr (cd_keystore_get_entry (store, 0)->alias, ==, "a\xEF\xBF\xBD" "b");
    g_assert_cmpint (cd_keystore_get_entry (store, 0)->created, ==, 1700000000000);
  }

  /* the same alias twice: as Java's hash table, the later one wins */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GBytes) other_der = NULL;
    g_autoptr(X509) inter = cd_test_pki_load_cert (pki, "inter");
    g_autoptr(X509) stored = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CdKeystore) store = NULL;
    unsigned char *der = NULL;
    int der_length = i2d_X509 (inter, &der);

    other_der = g_bytes_new (der, der_length);
    OPENSSL_free (der);
    put_header (out, 0xFEEDFEED, 2, 3);
    put_trusted (out, 2, "twice", 5, "X.509", root_der);
    put_trusted (out, 2, "other", 5, "X.509", root_der);
    put_trusted (out, 2, "twice", 5, "X.509", other_der);
    bytes = finish (out, PASSWORD);
    store = load (bytes, PASSWORD, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 2);
    g_assert_cmpint (X509_cmp (g_ptr_array_index (cd_keystore_lookup (store, "twice")->chain, 0),
                               inter),
                     ==, 0);
  }

  /* bytes after the digest: Java stops reading at the digest */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CdKeystore) store = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_trusted (out, 2, "root", 4, "X.509", root_der);
    put_digest (out, PASSWORD);
    g_byte_array_append (out, (const guint8 *) "trailing", 8);
    bytes = g_byte_array_free_to_bytes (out);
    store = load (bytes, PASSWORD, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (cd_keystore_get_n_entries (store), ==, 1);
  }

  /* an entry tag Java does not know */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_trusted (out, 2, "root", 4, "X.509", root_der);
    out->data[15] = 7;
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
  }

  /* a certificate type other than X.509 */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_trusted (out, 2, "root", 4, "PGP", root_der);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_UNSUPPORTED);
  }

  /* an alias that is not modified UTF-8 (a lone continuation byte) */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xFEEDFEED, 2, 1);
    put_trusted (out, 2, "a\x80", 2, "X.509", root_der);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_BAD_FORMAT);
  }

  /* JCEKS secret keys are serialized Java objects: refused, not misread */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;

    put_header (out, 0xCECECECE, 2, 1);
    put_u32 (out, 3);
    put_utf (out, "aes", 3);
    put_u64 (out, 0);
    g_byte_array_append (out, (const guint8 *) "\xAC\xED\x00\x05", 4);
    bytes = finish (out, PASSWORD);
    assert_load_fails (bytes, PASSWORD, CD_ERROR_UNSUPPORTED);
  }

  /* a key entry whose protection is no key protector at all: listed, locked */
  {
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CdKeystore) store = NULL;
    static const guint8 not_der[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };

    put_header (out, 0xFEEDFEED, 2, 1);
    put_u32 (out, 1);
    put_utf (out, "odd", 3);
    put_u64 (out, 0);
    put_u32 (out, sizeof not_der);
    g_byte_array_append (out, not_der, sizeof not_der);
    put_u32 (out, 1);
    put_utf (out, "X.509", 5);
    put_u32 (out, g_bytes_get_size (root_der));
    g_byte_array_append (out, g_bytes_get_data (root_der, NULL), g_bytes_get_size (root_der));
    bytes = finish (out, PASSWORD);
    store = load (bytes, PASSWORD, &error);
    g_assert_no_error (error);
    g_assert_true (cd_keystore_get_entry (store, 0)->locked);
    g_assert_null (cd_keystore_get_entry (store, 0)->key);
  }
}

/* Garbage: random bytes, with and without a JKS header, and random damage to a real file. */
static void
test_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  gsize length = g_bytes_get_size (valid);

  for (guint round = 0; round < 50; round++)
    {
      guint8 data[2048];
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CdKeystore) store = NULL;

      for (guint i = 0; i < sizeof data; i++)
        data[i] = g_rand_int_range (rand, 0, 256);
      memcpy (data, "\xFE\xED\xFE\xED\x00\x00\x00\x02", 8);
      if (round % 2 == 0)
        data[0] = 'G'; /* not even a magic number */
      bytes = g_bytes_new (data, sizeof data);
      store = load (bytes, round % 3 == 0 ? NULL : PASSWORD, &error);
      g_assert_null (store);
      g_assert_nonnull (error);
      g_assert_true (error->code == CD_ERROR_BAD_FORMAT || error->code == CD_ERROR_WRONG_PASSWORD);
    }

  /* without a password nothing stops damage before the parser: any outcome but a crash */
  for (guint round = 0; round < 400; round++)
    {
      g_autoptr(GBytes) damaged = flip (valid, g_rand_int_range (rand, 0, length),
                                        1 << g_rand_int_range (rand, 0, 8));
      g_autoptr(GBytes) short_bytes = cut (damaged, g_rand_int_range (rand, 0, length + 1));
      GBytes *inputs[] = { damaged, short_bytes };

      for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
        for (guint with_password = 0; with_password < 2; with_password++)
          {
            g_autoptr(GError) error = NULL;
            g_autoptr(CdKeystore) store = cd_keystore_load_bytes (inputs[i], "damaged.jks",
                                                                  with_password ? PASSWORD
                                                                                : NULL,
                                                                  PASSWORD, &error);

            if (store == NULL)
              g_assert_true (error->code == CD_ERROR_BAD_FORMAT
                             || error->code == CD_ERROR_WRONG_PASSWORD
                             || error->code == CD_ERROR_UNSUPPORTED);
            else
              g_assert_no_error (error);
          }
    }

  /* text */
  {
    g_autoptr(GBytes) text = g_bytes_new_static ("-----BEGIN CERTIFICATE-----\n", 28);

    assert_load_fails (text, PASSWORD, CD_ERROR_BAD_FORMAT);
  }
}

/* keytool fails on the same files. */
static void
test_keytool_agrees (void)
{
  g_autoptr(GBytes) truncated = cut (valid, g_bytes_get_size (valid) / 2);
  g_autoptr(GBytes) flipped = flip (valid, certificate_offset + 200, 0x20);
  const struct
  {
    const char *file;
    GBytes     *bytes;
    const char *password;
    const char *says;
  } cases[] = {
    { "keytool-wrong.jks", valid, "wrong-password", "tampered with" },
    { "keytool-flipped.jks", flipped, PASSWORD, "tampered with" },
    { "keytool-truncated.jks", truncated, PASSWORD, "EOFException" },
  };

  if (!cd_test_require_tool ("keytool", "OpenJDK 17"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "-list", "-keystore", cases[i].file, "-storepass",
                             cases[i].password, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      gboolean ok;

      cd_test_write_file (dir, cases[i].file, g_bytes_get_data (cases[i].bytes, NULL),
                          g_bytes_get_size (cases[i].bytes));
      ok = cd_test_run_keytool (dir, args, &out, &err);
      g_test_message ("keytool on %s: %s%s", cases[i].file, out, err);
      g_assert_false (ok);
      g_assert_true (strstr (out, cases[i].says) != NULL || strstr (err, cases[i].says) != NULL);
    }
}

/* The offset of @needle in @haystack, which must hold it. */
static gsize
find (GBytes       *haystack,
      const guint8 *needle,
      gsize         needle_length)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (haystack, &length);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return i;
  g_error ("not found");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(CdKeystore) store = NULL;
  g_autoptr(X509) root = NULL;
  g_autoptr(X509) inter = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) error = NULL;
  unsigned char *der = NULL;
  int der_length;
  int result;

  g_test_init (&argc, &argv, NULL);

  pki = cd_test_pki_new ();
  dir = cd_test_pki_get_dir (pki);
  cd_test_pki_make_root (pki, "root");
  cd_test_pki_make_intermediate (pki, "inter", "root");
  cd_test_pki_make_leaf (pki, "leaf", "inter", "t.mail.brand.example");

  root = cd_test_pki_load_cert (pki, "root");
  inter = cd_test_pki_load_cert (pki, "inter");
  key = cd_test_pki_load_key (pki, "leaf");
  chain = cd_test_pki_load_certs (pki, (const char *[]) { "leaf", "inter", "root", NULL });
  store = cd_keystore_new (CD_KEYSTORE_JKS);
  cd_keystore_add_certificate (store, "alpha", root, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  cd_keystore_add_certificate (store, "beta", inter, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  cd_keystore_add_key (store, "server", key, chain, CD_KEYSTORE_ADD_DEFAULT, &error);
  g_assert_no_error (error);
  valid = cd_keystore_serialize (store, PASSWORD, &error);
  g_assert_no_error (error);

  der_length = i2d_X509 (root, &der);
  root_der = g_bytes_new (der, der_length);
  OPENSSL_free (der);
  alias_offset = find (valid, (const guint8 *) "alpha", 5);
  certificate_offset = find (valid, g_bytes_get_data (root_der, NULL), 16);
  g_assert_cmpuint (alias_offset, ==, 18);

  g_test_add_func ("/core/keystore/damage/truncated", test_truncated);
  g_test_add_func ("/core/keystore/damage/flipped-byte", test_flipped_byte);
  g_test_add_func ("/core/keystore/damage/wrong-password", test_wrong_password);
  g_test_add_func ("/core/keystore/damage/empty", test_empty);
  g_test_add_func ("/core/keystore/damage/count-too-large", test_count_too_large);
  g_test_add_func ("/core/keystore/damage/huge-lengths", test_huge_lengths);
  g_test_add_func ("/core/keystore/damage/hand-made", test_hand_made);
  g_test_add_func ("/core/keystore/damage/garbage", test_garbage);
  g_test_add_func ("/core/keystore/damage/keytool-agrees", test_keytool_agrees);

  result = g_test_run ();
  g_bytes_unref (valid);
  g_bytes_unref (root_der);
  cd_test_pki_free (pki);
  return result;
}
