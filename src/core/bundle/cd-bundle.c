// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-bundle"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <string.h>

#include "cd-bundle-private.h"
#include "cd-cert-info.h"
#include "cd-error.h"

#define READ_CHUNK (64 * 1024)

/* --- bundle ------------------------------------------------------------------------------ */

void
cd_key_free (CdKey *key)
{
  if (key == NULL)
    return;
  EVP_PKEY_free (key->pkey);
  g_free (key->source);
  g_free (key);
}

CdBundle *
cd_bundle_new (void)
{
  CdBundle *self = g_new0 (CdBundle, 1);

  self->certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  self->certificate_sources = g_ptr_array_new_with_free_func (g_free);
  self->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_key_free);
  self->skipped = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
cd_bundle_free (CdBundle *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->certificates);
  g_ptr_array_unref (self->certificate_sources);
  g_ptr_array_unref (self->keys);
  g_ptr_array_unref (self->skipped);
  g_free (self);
}

void
_cd_bundle_wipe (gpointer data,
                gsize    size)
{
  if (data != NULL && size > 0)
    OPENSSL_cleanse (data, size);
}

void
_cd_bundle_wipe_and_free (gpointer data,
                         gsize    size)
{
  _cd_bundle_wipe (data, size);
  g_free (data);
}

/* --- messages ---------------------------------------------------------------------------- */

static const char *
readable_formats (void)
{
  return _("Certdesk reads certificates and private keys in PEM and DER files, PKCS#7 files "
           "(.p7b, .p7c), PKCS#12 files (.p12, .pfx) and zip files of these.");
}

/* @problem is a whole sentence that names the file; the formats Certdesk reads follow it. */
void
_cd_bundle_set_format_error (GError     **error,
                            int          code,
                            const char  *problem)
{
  g_set_error (error, CD_ERROR, code, "%s %s", problem, readable_formats ());
}

void
_cd_bundle_set_not_readable (GError     **error,
                            const char  *source)
{
  g_autofree char *problem =
    g_strdup_printf (_("“%s” is not a certificate, key or bundle that Certdesk can read."),
                     source);

  _cd_bundle_set_format_error (error, CD_ERROR_BAD_FORMAT, problem);
}

static void
set_file_too_large (GError     **error,
                    const char  *display)
{
  g_autofree char *limit =
    g_format_size_full (CD_BUNDLE_MAX_FILE_SIZE, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
               _("“%s” is larger than %s, the most Certdesk reads from one file. Check that it "
                 "is the right file."),
               display, limit);
}

/* --- adding what was found --------------------------------------------------------------- */

/* Takes @cert. A certificate whose validity dates cannot be read is refused here, so that
 * everything downstream can rely on them. */
gboolean
_cd_bundle_add_certificate (CdBundle    *bundle,
                           X509        *cert,
                           const char  *source,
                           GError     **error)
{
  gint64 ignored;

  if (!cd_cert_info_time_to_unix (X509_get0_notBefore (cert), &ignored) ||
      !cd_cert_info_time_to_unix (X509_get0_notAfter (cert), &ignored))
    {
      X509_free (cert);
      g_set_error (error, CD_ERROR, CD_ERROR_BAD_FORMAT,
                   _("A certificate in “%s” has validity dates that cannot be read. Ask its "
                     "issuer for a new copy."),
                   source);
      return FALSE;
    }
  g_ptr_array_add (bundle->certificates, cert);
  g_ptr_array_add (bundle->certificate_sources, g_strdup (source));
  return TRUE;
}

/* Takes @pkey, which may be NULL for an encrypted key that was not opened. */
void
_cd_bundle_add_key (CdBundle   *bundle,
                   EVP_PKEY   *pkey,
                   gboolean    encrypted,
                   const char *source)
{
  CdKey *key = g_new0 (CdKey, 1);

  key->pkey = pkey;
  key->encrypted = encrypted;
  key->source = g_strdup (source);
  g_ptr_array_add (bundle->keys, key);
}

/* --- detection --------------------------------------------------------------------------- */

static gboolean
has_prefix (const guint8 *data,
            gsize         size,
            const char   *prefix,
            gsize         prefix_len)
{
  return size >= prefix_len && memcmp (data, prefix, prefix_len) == 0;
}

gboolean
_cd_bundle_is_zip (const guint8 *data,
                  gsize         size)
{
  /* a local file header, or the end record of an empty archive */
  return has_prefix (data, size, "PK\003\004", 4) || has_prefix (data, size, "PK\005\006", 4);
}

CdBundleParseResult
_cd_bundle_parse (CdBundleLoader  *loader,
                 CdBundle        *bundle,
                 const guint8    *data,
                 gsize            size,
                 const char      *source,
                 gboolean         in_archive,
                 GError         **error)
{
  gboolean has_pem;
  gsize bare_len = 0;
  guint8 *bare;

  g_assert (loader != NULL && bundle != NULL && source != NULL);

  if (size > CD_BUNDLE_MAX_FILE_SIZE)
    {
      set_file_too_large (error, source);
      return CD_BUNDLE_PARSE_FAILED;
    }

  if (has_prefix (data, size, "\xef\xbb\xbf", 3))
    {
      data += 3;
      size -= 3;
    }
  /* a large run of zeros is not called empty: it is not worth a scan */
  if (size == 0 || (size <= READ_CHUNK && _cd_bundle_is_padding (data, size)))
    {
      g_autofree char *problem = g_strdup_printf (_("“%s” is empty."), source);

      _cd_bundle_set_format_error (error, CD_ERROR_BAD_FORMAT, problem);
      return CD_BUNDLE_PARSE_NOTHING;
    }

  /* Windows tools (PowerShell's Out-File, Notepad) may save PEM as UTF-16. */
  if (has_prefix (data, size, "\xff\xfe", 2) || has_prefix (data, size, "\xfe\xff", 2))
    {
      const char *charset = data[0] == 0xff ? "UTF-16LE" : "UTF-16BE";
      gsize text_len = 0;
      g_autofree char *text = g_convert ((const char *) data + 2, (gssize) (size - 2), "UTF-8",
                                         charset, NULL, &text_len, NULL);
      CdBundleParseResult result;

      if (text == NULL)
        {
          _cd_bundle_set_not_readable (error, source);
          return CD_BUNDLE_PARSE_NOTHING;
        }
      result = _cd_bundle_parse (loader, bundle, (const guint8 *) text, text_len, source,
                                in_archive, error);
      _cd_bundle_wipe (text, text_len);
      return result;
    }

  if (_cd_bundle_is_zip (data, size))
    {
      guint n_before = bundle->certificates->len + bundle->keys->len;

      if (in_archive)
        {
          g_autofree char *problem =
            g_strdup_printf (_("“%s” is an archive inside an archive. Certdesk does not open "
                               "nested archives: extract it first."),
                             source);

          _cd_bundle_set_format_error (error, CD_ERROR_UNSUPPORTED, problem);
          return CD_BUNDLE_PARSE_NOTHING;
        }
      if (!_cd_bundle_load_zip (loader, bundle, data, size, source, error))
        return CD_BUNDLE_PARSE_FAILED;
      if (bundle->certificates->len + bundle->keys->len == n_before)
        {
          g_autofree char *problem =
            g_strdup_printf (_("The zip file “%s” holds no certificate or key that Certdesk "
                               "can read."),
                             source);

          _cd_bundle_set_format_error (error, CD_ERROR_BAD_FORMAT, problem);
          return CD_BUNDLE_PARSE_NOTHING;
        }
      return CD_BUNDLE_PARSE_FOUND;
    }

  has_pem = _cd_bundle_has_pem (data, size);
  if (data[0] == 0x30)
    {
      g_autoptr(GError) der_error = NULL;
      CdBundleParseResult result = _cd_bundle_parse_der (loader, bundle, data, size, source,
                                                        &der_error);

      /* text that starts with "0" and holds PEM blocks further on */
      if (result != CD_BUNDLE_PARSE_NOTHING || !has_pem)
        {
          if (der_error != NULL)
            g_propagate_error (error, g_steal_pointer (&der_error));
          return result;
        }
    }
  if (has_pem)
    return _cd_bundle_parse_pem (loader, bundle, (const char *) data, size, source, error);

  bare = _cd_bundle_decode_bare_base64 (data, size, &bare_len);
  if (bare != NULL)
    {
      CdBundleParseResult result = _cd_bundle_parse_der (loader, bundle, bare, bare_len, source,
                                                        error);

      _cd_bundle_wipe_and_free (bare, bare_len);
      return result;
    }

  _cd_bundle_set_not_readable (error, source);
  return CD_BUNDLE_PARSE_NOTHING;
}

/* --- loading ----------------------------------------------------------------------------- */

static CdBundle *
load_data (CdBundleLoader  *loader,
           const guint8    *data,
           gsize            size,
           const char      *name,
           GError         **error)
{
  g_autoptr(CdBundle) bundle = cd_bundle_new ();
  g_autoptr(GError) local_error = NULL;
  CdBundleParseResult result;

  result = _cd_bundle_parse (loader, bundle, data, size, name, FALSE, &local_error);
  cd_decrypt_context_clear (&loader->decrypt);
  ERR_clear_error ();
  if (result == CD_BUNDLE_PARSE_FOUND)
    return g_steal_pointer (&bundle);

  g_assert (local_error != NULL);
  /* whatever was wrong with the file, say what would have been right */
  if (g_error_matches (local_error, CD_ERROR, CD_ERROR_BAD_FORMAT) &&
      strstr (local_error->message, readable_formats ()) == NULL)
    {
      char *message = g_strconcat (local_error->message, " ", readable_formats (), NULL);

      g_free (local_error->message);
      local_error->message = message;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

CdBundle *
cd_bundle_load_bytes (GBytes      *data,
                      const char  *name,
                      const char  *password,
                      GError     **error)
{
  CdBundleLoader loader = { .password = password };
  gsize size = 0;
  const guint8 *bytes;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &size);
  return load_data (&loader, bytes, size, name != NULL ? name : _("data"), error);
}

static void
set_read_error (GError     **error,
                const char  *display,
                GError      *io_error)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (io_error));
  else
    g_set_error (error, CD_ERROR, CD_ERROR_IO, _("Could not read “%s”: %s"), display,
                 io_error->message);
}

/* Reads at most CD_BUNDLE_MAX_FILE_SIZE bytes, whatever the file claims to be (a FIFO or a
 * device has no size). */
static guint8 *
read_bounded (const char    *path,
              const char    *display,
              GCancellable  *cancellable,
              gsize         *out_size,
              GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 *buffer;
  gsize capacity = READ_CHUNK;
  gsize length = 0;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      set_read_error (error, display, local_error);
      return NULL;
    }

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable,
                                         NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      goffset reported = g_file_info_get_size (info);

      if (reported > CD_BUNDLE_MAX_FILE_SIZE)
        {
          set_file_too_large (error, display);
          return NULL;
        }
      if (reported > 0)
        capacity = (gsize) reported + 1;
    }

  buffer = g_malloc (capacity);
  for (;;)
    {
      gssize n;

      if (length == capacity)
        {
          if (capacity > CD_BUNDLE_MAX_FILE_SIZE)
            {
              _cd_bundle_wipe_and_free (buffer, length);
              set_file_too_large (error, display);
              return NULL;
            }
          capacity = MIN (capacity * 2, (gsize) CD_BUNDLE_MAX_FILE_SIZE + 1);
          buffer = g_realloc (buffer, capacity);
        }

      n = g_input_stream_read (G_INPUT_STREAM (stream), buffer + length, capacity - length,
                               cancellable, &local_error);
      if (n < 0)
        {
          _cd_bundle_wipe_and_free (buffer, length);
          set_read_error (error, display, local_error);
          return NULL;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }

  if (length > CD_BUNDLE_MAX_FILE_SIZE)
    {
      _cd_bundle_wipe_and_free (buffer, length);
      set_file_too_large (error, display);
      return NULL;
    }
  *out_size = length;
  return buffer;
}

static CdBundle *
load_file (CdBundleLoader  *loader,
           const char      *path,
           GError         **error)
{
  g_autofree char *display = g_filename_display_basename (path);
  CdBundle *bundle;
  guint8 *data;
  gsize size = 0;

  data = read_bounded (path, display, loader->cancellable, &size, error);
  if (data == NULL)
    return NULL;
  bundle = load_data (loader, data, size, display, error);
  _cd_bundle_wipe_and_free (data, size);
  return bundle;
}

CdBundle *
cd_bundle_load_file (const char  *path,
                     const char  *password,
                     GError     **error)
{
  CdBundleLoader loader = { .password = password };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_file (&loader, path, error);
}

typedef struct
{
  char *path;
  char *password;
} LoadFileData;

static void
load_file_data_free (LoadFileData *data)
{
  g_free (data->path);
  if (data->password != NULL)
    _cd_bundle_wipe_and_free (data->password, strlen (data->password));
  g_free (data);
}

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LoadFileData *data = task_data;
  CdBundleLoader loader = { .password = data->password, .cancellable = cancellable };
  g_autoptr(GError) error = NULL;
  CdBundle *bundle;

  if (g_task_return_error_if_cancelled (task))
    return;

  bundle = load_file (&loader, data->path, &error);
  if (bundle == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, bundle, (GDestroyNotify) cd_bundle_free);
}

void
cd_bundle_load_file_async (const char          *path,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadFileData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LoadFileData, 1);
  data->path = g_strdup (path);
  data->password = g_strdup (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_bundle_load_file_async);
  g_task_set_name (task, "[certdesk] load bundle");
  g_task_set_task_data (task, data, (GDestroyNotify) load_file_data_free);
  g_task_run_in_thread (task, load_file_thread);
}

CdBundle *
cd_bundle_load_file_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_bundle_load_file_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
