// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-bundle"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-bundle-private.h"
#include "cd-error.h"

#define CHUNK_SIZE (64 * 1024)

typedef struct
{
  CdBundleLoader *loader;
  CdBundle       *bundle;
  const char     *zip_name;
  guint           n_entries;
  guint64         total;     /* uncompressed bytes read so far */
  guint8         *chunk;
  GByteArray     *entry;     /* the current entry; reused, so that it grows only once */
} ZipRead;

/* An entry name as it can be shown: valid UTF-8, no control characters. */
static char *
entry_display_name (struct archive_entry *entry)
{
  const char *name = archive_entry_pathname_utf8 (entry);
  char *shown;

  if (name == NULL)
    name = archive_entry_pathname (entry);
  if (name == NULL)
    return g_strdup ("");

  shown = g_utf8_make_valid (name, -1);
  for (char *p = shown; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return shown;
}

/* Extraction would place such an entry outside the folder it goes to: an absolute path, a
 * drive letter or a ".." component, with either kind of slash. Nothing is extracted here, but
 * an archive built that way is not one to trust. */
static gboolean
path_is_safe (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || *path == '\0' || path[0] == '/' || path[0] == '\\')
    return FALSE;
  if (g_ascii_isalpha (path[0]) && path[1] == ':')
    return FALSE;

  parts = g_strsplit_set (path, "/\\", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

static void
set_damaged (GError         **error,
             const char      *zip_name,
             struct archive  *archive)
{
  const char *detail = archive_error_string (archive);
  g_autofree char *shown = g_utf8_make_valid (detail != NULL ? detail : "", -1);

  g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
               _("The zip file “%s” is damaged (%s). Download it again."), zip_name, shown);
}

/* Reads one entry into @out, within the bounds of cd-bundle.h. */
static gboolean
read_entry (ZipRead         *zip,
            struct archive  *archive,
            const char      *entry_name,
            GByteArray      *out,
            GError         **error)
{
  la_int64_t start = archive_filter_bytes (archive, -1);

  for (;;)
    {
      la_ssize_t n = archive_read_data (archive, zip->chunk, CHUNK_SIZE);
      la_int64_t consumed;

      if (n == 0)
        return TRUE;
      if (n < 0)
        {
          set_damaged (error, zip->zip_name, archive);
          return FALSE;
        }

      if ((guint64) out->len + (guint64) n > CD_BUNDLE_MAX_FILE_SIZE)
        {
          g_autofree char *limit =
            g_format_size_full (CD_BUNDLE_MAX_FILE_SIZE, G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                       _("“%s” in the zip file “%s” is larger than %s, the most Certdesk reads "
                         "from one file. Check that it is the right file."),
                       entry_name, zip->zip_name, limit);
          return FALSE;
        }
      if (zip->total + (guint64) n > CD_BUNDLE_MAX_ZIP_TOTAL_SIZE)
        {
          g_autofree char *limit =
            g_format_size_full (CD_BUNDLE_MAX_ZIP_TOTAL_SIZE, G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                       _("The zip file “%s” expands to more than %s, the most Certdesk reads "
                         "from one archive. Extract the certificates you need and open them "
                         "instead."),
                       zip->zip_name, limit);
          return FALSE;
        }

      g_byte_array_append (out, zip->chunk, (guint) n);
      zip->total += (guint64) n;

      /* What the entry took in the archive so far, near enough: the decompressor consumes
       * its input as it goes. */
      consumed = MAX (archive_filter_bytes (archive, -1) - start, 1);
      if (out->len > CD_BUNDLE_ZIP_RATIO_FLOOR &&
          (guint64) out->len > (guint64) consumed * CD_BUNDLE_MAX_ZIP_RATIO)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                       _("“%s” in the zip file “%s” expands more than %d times, as only a zip "
                         "bomb does. Certdesk did not open it: check where the file came "
                         "from."),
                       entry_name, zip->zip_name, CD_BUNDLE_MAX_ZIP_RATIO);
          return FALSE;
        }
    }
}

static gboolean
load_entry (ZipRead               *zip,
            struct archive        *archive,
            struct archive_entry  *entry,
            GError               **error)
{
  g_autofree char *entry_name = entry_display_name (entry);
  g_autofree char *source = g_strdup_printf ("%s:%s", zip->zip_name, entry_name);
  g_autoptr(GError) entry_error = NULL;
  GByteArray *data;
  gboolean ok;

  if (!path_is_safe (archive_entry_pathname (entry)))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("The zip file “%s” holds an entry with an unsafe path (“%s”). Certdesk does "
                     "not open such archives: ask the sender for a new one."),
                   zip->zip_name, entry_name);
      return FALSE;
    }

  if (archive_entry_filetype (entry) != AE_IFREG || archive_entry_hardlink (entry) != NULL)
    {
      /* folders are no news; a link is not followed, but said */
      if (archive_entry_filetype (entry) != AE_IFDIR)
        g_ptr_array_add (zip->bundle->skipped, g_steal_pointer (&source));
      return TRUE;
    }

  if (archive_entry_is_encrypted (entry))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_UNSUPPORTED,
                   _("“%s” in the zip file “%s” is encrypted. Certdesk does not open encrypted "
                     "zip files: extract it with its password first."),
                   entry_name, zip->zip_name);
      return FALSE;
    }

  data = zip->entry;
  ok = read_entry (zip, archive, entry_name, data, error);
  if (ok)
    {
      switch (_cd_bundle_parse (zip->loader, zip->bundle, data->data, data->len, source, TRUE,
                               &entry_error))
        {
        case CD_BUNDLE_PARSE_FOUND:
          break;
        case CD_BUNDLE_PARSE_NOTHING:
          g_debug ("skipping %s: %s", source, entry_error->message);
          g_ptr_array_add (zip->bundle->skipped, g_steal_pointer (&source));
          break;
        case CD_BUNDLE_PARSE_FAILED:
        default:
          g_propagate_error (error, g_steal_pointer (&entry_error));
          ok = FALSE;
          break;
        }
    }
  _cd_bundle_wipe (data->data, data->len);
  g_byte_array_set_size (data, 0);
  return ok;
}

static gboolean
load_entries (ZipRead         *zip,
              struct archive  *archive,
              GError         **error)
{
  for (;;)
    {
      struct archive_entry *entry = NULL;
      int status;

      if (g_cancellable_set_error_if_cancelled (zip->loader->cancellable, error))
        return FALSE;

      status = archive_read_next_header (archive, &entry);
      if (status == ARCHIVE_EOF)
        return TRUE;
      if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
        {
          set_damaged (error, zip->zip_name, archive);
          return FALSE;
        }

      if (++zip->n_entries > CD_BUNDLE_MAX_ZIP_ENTRIES)
        {
          g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                       _("The zip file “%s” has more than %d entries, the most Certdesk reads "
                         "from one archive. Extract the certificates you need and open them "
                         "instead."),
                       zip->zip_name, CD_BUNDLE_MAX_ZIP_ENTRIES);
          return FALSE;
        }

      if (!load_entry (zip, archive, entry, error))
        return FALSE;
    }
}

gboolean
_cd_bundle_load_zip (CdBundleLoader  *loader,
                    CdBundle        *bundle,
                    const guint8    *data,
                    gsize            size,
                    const char      *zip_name,
                    GError         **error)
{
  ZipRead zip = { loader, bundle, zip_name, 0, 0, NULL, NULL };
  struct archive *archive = archive_read_new ();
  gboolean ok;

  g_assert (loader != NULL && bundle != NULL && zip_name != NULL);

  archive_read_support_format_zip (archive);
  if (archive_read_open_memory (archive, data, size) != ARCHIVE_OK)
    {
      set_damaged (error, zip_name, archive);
      archive_read_free (archive);
      return FALSE;
    }

  zip.chunk = g_malloc (CHUNK_SIZE);
  zip.entry = g_byte_array_new ();
  ok = load_entries (&zip, archive, error);
  _cd_bundle_wipe (zip.chunk, CHUNK_SIZE);
  g_free (zip.chunk);
  g_byte_array_unref (zip.entry);
  archive_read_free (archive);
  return ok;
}
