// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-keystore"

#include "config.h"

#include "cd-keystore-jks-private.h"

/* Java's modified UTF-8 (DataInput.readUTF, DataOutput.writeUTF), in which JKS writes its
 * aliases: UTF-16 code units, each in one to three bytes, NUL as C0 80. */

#define MAX_MUTF8_LENGTH G_MAXUINT16

static void
append_utf16_unit (GString   *out,
                   gunichar2 *pending_high,
                   gunichar2  unit)
{
  if (*pending_high != 0)
    {
      gunichar2 high = *pending_high;

      *pending_high = 0;
      if (unit >= 0xDC00 && unit <= 0xDFFF)
        {
          g_string_append_unichar (out, 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00));
          return;
        }
      g_string_append_unichar (out, 0xFFFD);
    }

  if (unit >= 0xD800 && unit <= 0xDBFF)
    *pending_high = unit;
  else if ((unit >= 0xDC00 && unit <= 0xDFFF) || unit == 0)
    /* a lone surrogate or NUL has no place in a UTF-8 C string */
    g_string_append_unichar (out, 0xFFFD);
  else
    g_string_append_unichar (out, unit);
}

char *
_cd_jks_mutf8_decode (const guint8 *data,
                     gsize         length)
{
  g_autoptr(GString) out = g_string_sized_new (length);
  gunichar2 pending_high = 0;
  gsize i = 0;

  while (i < length)
    {
      guint8 b = data[i];
      gunichar2 unit;

      if (b < 0x80)
        {
          unit = b;
          i += 1;
        }
      else if ((b & 0xE0) == 0xC0 && i + 1 < length && (data[i + 1] & 0xC0) == 0x80)
        {
          unit = ((b & 0x1F) << 6) | (data[i + 1] & 0x3F);
          i += 2;
        }
      else if ((b & 0xF0) == 0xE0 && i + 2 < length && (data[i + 1] & 0xC0) == 0x80
               && (data[i + 2] & 0xC0) == 0x80)
        {
          unit = ((b & 0x0F) << 12) | ((data[i + 1] & 0x3F) << 6) | (data[i + 2] & 0x3F);
          i += 3;
        }
      else
        return NULL;

      append_utf16_unit (out, &pending_high, unit);
    }
  if (pending_high != 0)
    g_string_append_unichar (out, 0xFFFD);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
mutf8_put_unit (GByteArray *out,
                gunichar    unit)
{
  guint8 bytes[3];
  guint n;

  if (unit >= 0x01 && unit <= 0x7F)
    {
      bytes[0] = unit;
      n = 1;
    }
  else if (unit <= 0x7FF)
    {
      /* NUL too, as C0 80 */
      bytes[0] = 0xC0 | (unit >> 6);
      bytes[1] = 0x80 | (unit & 0x3F);
      n = 2;
    }
  else
    {
      bytes[0] = 0xE0 | (unit >> 12);
      bytes[1] = 0x80 | ((unit >> 6) & 0x3F);
      bytes[2] = 0x80 | (unit & 0x3F);
      n = 3;
    }
  g_byte_array_append (out, bytes, n);
}

static void
put_u16 (GByteArray *out,
         guint       value)
{
  guint8 bytes[2] = { value >> 8, value & 0xFF };

  g_byte_array_append (out, bytes, sizeof bytes);
}

gboolean
_cd_jks_put_mutf8 (GByteArray *out,
                  const char *text)
{
  guint start = out->len;
  guint length;

  put_u16 (out, 0);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x10000)
        {
          mutf8_put_unit (out, 0xD800 + ((c - 0x10000) >> 10));
          mutf8_put_unit (out, 0xDC00 + ((c - 0x10000) & 0x3FF));
        }
      else
        mutf8_put_unit (out, c);
    }

  length = out->len - start - 2;
  if (length > MAX_MUTF8_LENGTH)
    {
      g_byte_array_set_size (out, start);
      return FALSE;
    }
  out->data[start] = length >> 8;
  out->data[start + 1] = length & 0xFF;
  return TRUE;
}
