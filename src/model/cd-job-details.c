// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-details"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-error.h"
#include "cd-file-util.h"
#include "cd-job-details.h"
#include "cd-safe-file.h"

/* One job as the Job Logs open it, and the files it kept. Everything here waits for the
 * database or the disk, so it runs in a GTask's worker thread. */

void
cd_job_details_free (CdJobDetails *details)
{
  if (details == NULL)
    return;

  g_clear_pointer (&details->job, cd_job_record_free);
  g_clear_pointer (&details->events, g_ptr_array_unref);
  g_clear_pointer (&details->artifacts, g_ptr_array_unref);
  g_free (details);
}

/* Loading */

typedef struct
{
  CdStore *store;
  gint64   job_id;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  g_free (data);
}

static gboolean
is_active (const CdJobRecord *job)
{
  return g_strcmp0 (job->state, CD_JOB_STATE_QUEUED) == 0 ||
         g_strcmp0 (job->state, CD_JOB_STATE_RUNNING) == 0;
}

/* How often a job that changes state while it is read is read again. */
#define MAX_LOAD_ATTEMPTS 3

static CdJobDetails *
load_details (CdStore       *store,
              gint64         job_id,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(CdJobDetails) details = g_new0 (CdJobDetails, 1);

  details->job = cd_store_get_job (store, job_id, error);
  if (details->job == NULL)
    return NULL;

  /* The job, its events and its artifacts are three reads. A job that has ended changes no
   * more, so they agree; one that ends while it is read is read again, so that its end does
   * not show without the events that led to it. */
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(CdJobRecord) again = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      g_clear_pointer (&details->events, g_ptr_array_unref);
      g_clear_pointer (&details->artifacts, g_ptr_array_unref);
      details->events = cd_store_list_job_events (store, job_id, error);
      if (details->events == NULL)
        return NULL;
      details->artifacts = cd_store_list_job_artifacts (store, job_id, error);
      if (details->artifacts == NULL)
        return NULL;

      if (!is_active (details->job) || attempt == MAX_LOAD_ATTEMPTS)
        break;

      again = cd_store_get_job (store, job_id, error);
      if (again == NULL)
        return NULL;
      if (g_strcmp0 (again->state, details->job->state) == 0)
        break;
      cd_job_record_free (details->job);
      details->job = g_steal_pointer (&again);
    }

  return g_steal_pointer (&details);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  CdJobDetails *details;

  details = load_details (data->store, data->job_id, cancellable, &error);
  if (details == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, details, (GDestroyNotify) cd_job_details_free);
}

void
cd_job_details_load_async (CdStore             *store,
                           gint64               job_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CD_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (store);
  data->job_id = job_id;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_job_details_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

CdJobDetails *
cd_job_details_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_job_details_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Media types */

/* @media_type without its parameters, in lower case: "text/plain; charset=utf-8" is
 * "text/plain". */
static char *
media_type_essence (const char *media_type)
{
  g_autofree char *lower = NULL;
  char *semicolon;

  if (media_type == NULL)
    return g_strdup ("");
  lower = g_ascii_strdown (media_type, -1);
  semicolon = strchr (lower, ';');
  if (semicolon != NULL)
    *semicolon = '\0';
  return g_strdup (g_strstrip (lower));
}

/* A private key on its own (RFC 5958 and 8351). */
static gboolean
is_private_key_type (const char *essence)
{
  return g_str_equal (essence, "application/pkcs8") ||
         g_str_equal (essence, "application/pkcs8-encrypted");
}

/* A keystore, which holds private keys as often as not. */
static gboolean
is_keystore_type (const char *essence)
{
  return g_str_equal (essence, "application/x-pkcs12") ||
         g_str_equal (essence, "application/pkcs12") ||
         g_str_equal (essence, "application/x-java-keystore") ||
         g_str_equal (essence, "application/x-java-jce-keystore");
}

/* Text a person may read and copy: a certificate request (PEM), PEM files, CSV, JSON. */
static gboolean
is_text_type (const char *essence)
{
  return g_str_has_prefix (essence, "text/") ||
         g_str_equal (essence, "application/json") ||
         g_str_equal (essence, "application/pkcs10") ||
         g_str_equal (essence, "application/x-pem-file") ||
         g_str_equal (essence, "application/pem-certificate-chain");
}

/* UTF-8 without NUL or control characters other than tab and line ends: a DER CSR stored as
 * application/pkcs10 is not. */
static gboolean
is_printable (GBytes *content)
{
  gsize length;
  const char *data = g_bytes_get_data (content, &length);
  const char *end;

  if (!g_utf8_validate_len (data, length, &end))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
        return FALSE;
    }
  return TRUE;
}

gboolean
cd_job_artifact_is_text (const CdJobArtifactRecord *artifact)
{
  g_autofree char *essence = NULL;

  g_return_val_if_fail (artifact != NULL, FALSE);

  essence = media_type_essence (artifact->media_type);
  /* a key is never offered to the clipboard, from where any program may take it */
  if (is_private_key_type (essence) || !is_text_type (essence))
    return FALSE;
  /* a file a job wrote is judged by its media type: reading it is for when it is opened */
  return artifact->content == NULL || is_printable (artifact->content);
}

/* Reading */

/* The bytes of the file @artifact is, as they are now. @out_owner_only is set when only its
 * owner may read it. */
static GBytes *
read_artifact_file (const CdJobArtifactRecord  *artifact,
                    gboolean                   *out_owner_only,
                    GCancellable               *cancellable,
                    GError                    **error)
{
  const char *path = artifact->path;
  g_autoptr(GBytes) bytes = NULL;
  struct stat st;
  int errsv;

  /* the folder it was relative to is the one the command ran in, which nothing recorded */
  if (!g_path_is_absolute (path))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                   _("Job %lld recorded “%s” without the folder it is in, so the file cannot be "
                     "found."),
                   (long long) artifact->job_id, path);
      return NULL;
    }

  bytes = cd_file_read_regular (path, CD_JOB_ARTIFACT_MAX_FILE_SIZE, cancellable, &st);
  if (bytes == NULL)
    {
      errsv = errno;
      if (errsv == ECANCELED)
        g_cancellable_set_error_if_cancelled (cancellable, error);
      else if (errsv == ENOENT)
        g_set_error (error, CD_ERROR, CD_ERROR_NOT_FOUND,
                     _("“%s”, the file job %lld wrote, no longer exists: it was moved or "
                       "deleted after the job."),
                     path, (long long) artifact->job_id);
      else if (errsv == EINVAL)
        g_set_error (error, CD_ERROR, CD_ERROR_IO,
                     _("“%s”, the file job %lld wrote, is no longer a file."), path,
                     (long long) artifact->job_id);
      else if (errsv == EFBIG)
        g_set_error (error, CD_ERROR, CD_ERROR_TOO_LARGE,
                     _("“%s” is larger than %d MiB, far more than the file job %lld wrote: "
                       "check what replaced it."),
                     path, CD_JOB_ARTIFACT_MAX_FILE_SIZE / (1024 * 1024),
                     (long long) artifact->job_id);
      else
        g_set_error (error, CD_ERROR, CD_ERROR_IO,
                     _("“%s”, the file job %lld wrote, cannot be read: %s."), path,
                     (long long) artifact->job_id, g_strerror (errsv));
      return NULL;
    }

  *out_owner_only = (st.st_mode & 077) == 0;
  return g_steal_pointer (&bytes);
}

/* The artifact's bytes; @out_owner_only (may be NULL) is set when they are a file only its
 * owner may read. */
static GBytes *
read_artifact (const CdJobArtifactRecord  *artifact,
               gboolean                   *out_owner_only,
               GCancellable               *cancellable,
               GError                    **error)
{
  gboolean owner_only = FALSE;
  GBytes *bytes;

  if (artifact->content != NULL)
    bytes = g_bytes_ref (artifact->content);
  else
    bytes = read_artifact_file (artifact, &owner_only, cancellable, error);

  if (out_owner_only != NULL)
    *out_owner_only = owner_only;
  return bytes;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const CdJobArtifactRecord *artifact = task_data;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = read_artifact (artifact, NULL, cancellable, &error);
  if (bytes == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
cd_job_artifact_read_async (const CdJobArtifactRecord *artifact,
                            GCancellable              *cancellable,
                            GAsyncReadyCallback        callback,
                            gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (artifact != NULL);
  g_return_if_fail (artifact->content != NULL || artifact->path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_job_artifact_read_async);
  g_task_set_task_data (task, cd_job_artifact_record_copy (artifact),
                        (GDestroyNotify) cd_job_artifact_record_free);
  g_task_run_in_thread (task, read_thread);
}

GBytes *
cd_job_artifact_read_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_job_artifact_read_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saving */

typedef struct
{
  CdJobArtifactRecord *artifact;
  GFile               *file;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_pointer (&data->artifact, cd_job_artifact_record_free);
  g_clear_object (&data->file);
  g_free (data);
}

/* A private key goes into a new file, which is made 0600, or into one only its owner can read
 * already: cd_safe_file_write() keeps the mode of the file it replaces. */
static gboolean
check_private_target (const char  *path,
                      GError     **error)
{
  g_autofree char *target = cd_file_resolve_links (path, error);
  GStatBuf st;

  if (target == NULL)
    return FALSE;
  if (g_stat (target, &st) != 0 || (st.st_mode & 077) == 0)
    return TRUE;

  g_set_error (error, CD_ERROR, CD_ERROR_IO,
               _("“%s” can be read by other users, so a private key is not written into it: "
                 "choose a new file, or one only you can read."),
               path);
  return FALSE;
}

static gboolean
save_artifact (const CdJobArtifactRecord  *artifact,
               GFile                      *file,
               GCancellable               *cancellable,
               GError                    **error)
{
  g_autofree char *essence = media_type_essence (artifact->media_type);
  g_autofree char *shown = g_file_get_parse_name (file);
  g_autoptr(GBytes) bytes = NULL;
  const char *path = g_file_peek_path (file);
  gboolean owner_only = FALSE;
  CdSafeFileFlags flags;
  gconstpointer data;
  gsize length;

  if (path == NULL)
    {
      g_set_error (error, CD_ERROR, CD_ERROR_IO,
                   _("“%s” is not a file on this computer: choose a local file."), shown);
      return FALSE;
    }
  if (artifact->content == NULL && cd_file_same_entry (path, artifact->path))
    {
      g_set_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE,
                   _("“%s” is the artifact’s file itself: write the copy to another file."),
                   path);
      return FALSE;
    }

  bytes = read_artifact (artifact, &owner_only, cancellable, error);
  if (bytes == NULL)
    return FALSE;

  /* A private key is written as every secret is; a keystore, or a copy of a file only its
   * owner may read, gets 0600 when new; a CSR or certificates get the mode the umask allows,
   * as other tools give them. */
  if (is_private_key_type (essence))
    {
      if (!check_private_target (path, error))
        return FALSE;
      flags = CD_SAFE_FILE_PRIVATE;
    }
  else if (owner_only || is_keystore_type (essence))
    flags = CD_SAFE_FILE_DEFAULT;
  else
    flags = CD_SAFE_FILE_PUBLIC;

  data = g_bytes_get_data (bytes, &length);
  return cd_safe_file_write (path, data, length, flags, NULL, cancellable, error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (save_artifact (data->artifact, data->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
cd_job_artifact_save_async (const CdJobArtifactRecord *artifact,
                            GFile                     *file,
                            GCancellable              *cancellable,
                            GAsyncReadyCallback        callback,
                            gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (artifact != NULL);
  g_return_if_fail (artifact->content != NULL || artifact->path != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SaveData, 1);
  data->artifact = cd_job_artifact_record_copy (artifact);
  data->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_job_artifact_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
cd_job_artifact_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_job_artifact_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
