// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-model"

#include "config.h"

#include <glib/gstdio.h>

#include "cd-test-util.h"
#include "cd-test-inventory.h"
#include "cd-certificate.h"
#include "cd-data-center.h"
#include "cd-error.h"
#include "cd-inventory.h"
#include "cd-job.h"

typedef CdTestInventoryFixture Fixture;

/* Every items-changed a list emitted, as "position,removed,added" */
typedef struct
{
  GPtrArray *events;
} Recorder;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup_printf ("%u,%u,%u", position, removed, added));
}

static Recorder *
recorder_new (GListModel *model)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), recorder);
  return recorder;
}

static char *
recorder_take (Recorder *recorder)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (recorder->events, NULL);
  joined = g_strjoinv (" ", (char **) recorder->events->pdata);
  g_ptr_array_set_size (recorder->events, 0);
  return g_steal_pointer (&joined);
}

static void
recorder_free (Recorder *recorder)
{
  g_ptr_array_unref (recorder->events);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

#define assert_events(recorder, expected)                                                     \
  G_STMT_START {                                                                              \
    g_autofree char *events_ = recorder_take (recorder);                                      \
    g_assert_cmpstr (events_, ==, expected);                                                  \
  } G_STMT_END

static const char * const usual_hosts[] = {
  CD_HOST_PURPOSE_TRACKING, CD_HOST_PURPOSE_MIRROR, CD_HOST_PURPOSE_RESOURCES, NULL
};

/* A second inventory read from the same database: what a restart would show. */
static CdInventory *
reload (Fixture *fixture)
{
  CdInventory *inventory = cd_inventory_new (fixture->store);

  cd_test_load_inventory (inventory);
  return inventory;
}

static CdInstance *
nth_instance (CdInventory *inventory,
              guint        n)
{
  g_autoptr(CdInstance) instance = g_list_model_get_item (cd_inventory_get_instances (inventory), n);
  return instance;
}

static void
test_add_emits_precisely (Fixture       *fixture,
                          gconstpointer  data)
{
  GListModel *instances = cd_inventory_get_instances (fixture->inventory);
  g_autoptr(Recorder) instance_events = recorder_new (instances);
  g_autoptr(Recorder) subdomain_events = NULL;
  g_autoptr(Recorder) host_events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventory) again = NULL;
  CdInstance *first, *second;
  CdSubdomain *subdomain;
  CdHost *host;

  first = cd_test_add_instance (fixture->inventory, "  Acme Retail ",
                                "acme.campaign.example.net", "us2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_instance_get_name (first), ==, "Acme Retail");
  g_assert_cmpstr (cd_instance_get_url (first), ==, "https://acme.campaign.example.net");
  g_assert_cmpstr (cd_instance_get_data_center_title (first), ==, "us2 · Chicago");
  assert_events (instance_events, "0,0,1");

  second = cd_test_add_instance (fixture->inventory, "Nordlicht", "", "em4", &error);
  g_assert_no_error (error);
  assert_events (instance_events, "1,0,1");

  subdomain_events = recorder_new (cd_instance_get_subdomains (second));
  subdomain = cd_test_add_subdomain (fixture->inventory, second, "Mail.Nordlicht.Example.",
                                     usual_hosts, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_subdomain_get_name (subdomain), ==, "mail.nordlicht.example");
  assert_events (subdomain_events, "0,0,1");
  /* the other instance's list did not move */
  assert_events (instance_events, "");
  g_assert_cmpuint (g_list_model_get_n_items (cd_subdomain_get_hosts (subdomain)), ==, 3);

  host_events = recorder_new (cd_subdomain_get_hosts (subdomain));
  host = cd_test_add_host (fixture->inventory, subdomain, CD_HOST_PURPOSE_CUSTOM, "Click",
                           &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_host_get_fqdn (host), ==, "click.mail.nordlicht.example");
  assert_events (host_events, "3,0,1");
  assert_events (subdomain_events, "");

  /* Survives a restart: a fresh inventory over the same database sees the same tree. */
  again = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (again)), ==, 2);
  {
    CdInstance *instance = nth_instance (again, 1);
    g_autoptr(CdSubdomain) sub = g_list_model_get_item (cd_instance_get_subdomains (instance), 0);
    g_autoptr(CdHost) last = g_list_model_get_item (cd_subdomain_get_hosts (sub), 3);

    g_assert_cmpstr (cd_instance_get_name (instance), ==, "Nordlicht");
    g_assert_cmpstr (cd_subdomain_get_name (sub), ==, "mail.nordlicht.example");
    g_assert_cmpstr (cd_host_get_fqdn (last), ==, "click.mail.nordlicht.example");
    g_assert_cmpstr (cd_host_get_purpose (last), ==, CD_HOST_PURPOSE_CUSTOM);
  }
}

static void
test_refusals_change_nothing (Fixture       *fixture,
                              gconstpointer  data)
{
  GListModel *instances = cd_inventory_get_instances (fixture->inventory);
  g_autoptr(Recorder) events = NULL;
  g_autoptr(GError) error = NULL;
  CdInstance *instance, *other;
  CdSubdomain *subdomain;

  instance = cd_test_add_instance (fixture->inventory, "Acme", "", "us2", &error);
  g_assert_no_error (error);
  other = cd_test_add_instance (fixture->inventory, "Other", "", "em3", &error);
  g_assert_no_error (error);
  subdomain = cd_test_add_subdomain (fixture->inventory, instance, "mail.acme.example",
                                     usual_hosts, &error);
  g_assert_no_error (error);
  events = recorder_new (instances);

  g_assert_null (cd_test_add_instance (fixture->inventory, "ACME", "", "us2", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  g_assert_null (cd_test_add_instance (fixture->inventory, "   ", "", "us2", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_null (cd_test_add_instance (fixture->inventory, "New", "", "zz9", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_null (cd_test_add_instance (fixture->inventory, "New", "ftp://x.example", "us2",
                                       &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* a subdomain belongs to one instance only */
  g_assert_null (cd_test_add_subdomain (fixture->inventory, other, "MAIL.acme.example", NULL,
                                        &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Acme"));
  g_clear_error (&error);

  g_assert_null (cd_test_add_subdomain (fixture->inventory, other, "bad_name.example", NULL,
                                        &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_NAME);
  g_clear_error (&error);

  g_assert_null (cd_test_add_subdomain (fixture->inventory, other, "localhost", NULL,
                                        &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_NAME);
  g_clear_error (&error);

  g_assert_null (cd_test_add_host (fixture->inventory, subdomain, CD_HOST_PURPOSE_CUSTOM,
                                   "T", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* a long prefix on a subdomain must still give a name within 253 octets */
  {
    g_autoptr(GString) prefix = g_string_new (NULL);

    for (guint i = 0; i < 4; i++)
      g_string_append_printf (prefix, "%s%s", i ? "." : "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    g_assert_null (cd_test_add_host (fixture->inventory, subdomain, CD_HOST_PURPOSE_CUSTOM,
                                     prefix->str, &error));
    g_assert_error (error, CD_ERROR, CD_ERROR_INVALID_NAME);
    g_clear_error (&error);
  }

  assert_events (events, "");
  g_assert_cmpuint (g_list_model_get_n_items (cd_instance_get_subdomains (other)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cd_subdomain_get_hosts (subdomain)), ==, 3);
}

typedef struct
{
  GPtrArray *names;
} Notifications;

static void
on_notify (GObject       *object,
           GParamSpec    *pspec,
           Notifications *notifications)
{
  g_ptr_array_add (notifications->names, g_strdup (pspec->name));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
watch_take (GPtrArray *names)
{
  g_autofree char *joined = NULL;

  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv (" ", (char **) names->pdata);
  g_ptr_array_set_size (names, 0);
  return g_steal_pointer (&joined);
}

static void
test_edits_notify_only_real_changes (Fixture       *fixture,
                                     gconstpointer  data)
{
  Notifications instance_notes = { g_ptr_array_new_with_free_func (g_free) };
  Notifications subdomain_notes = { g_ptr_array_new_with_free_func (g_free) };
  Notifications host_notes = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(Recorder) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  CdInstance *instance;
  CdSubdomain *subdomain;
  g_autoptr(CdHost) host = NULL;

  instance = cd_test_add_instance (fixture->inventory, "Acme", "", "us2", &error);
  subdomain = cd_test_add_subdomain (fixture->inventory, instance, "mail.acme.example",
                                     usual_hosts, &error);
  g_assert_no_error (error);
  host = g_list_model_get_item (cd_subdomain_get_hosts (subdomain), 0);
  events = recorder_new (cd_inventory_get_instances (fixture->inventory));

  g_signal_connect (instance, "notify", G_CALLBACK (on_notify), &instance_notes);
  g_signal_connect (subdomain, "notify", G_CALLBACK (on_notify), &subdomain_notes);
  g_signal_connect (host, "notify", G_CALLBACK (on_notify), &host_notes);

  /* the same values: nothing to tell */
  g_assert_true (cd_test_update_instance (fixture->inventory, instance, "Acme", "", "us2",
                                          &error));
  g_assert_no_error (error);
  seen = watch_take (instance_notes.names);
  g_assert_cmpstr (seen, ==, "");
  g_clear_pointer (&seen, g_free);

  g_assert_true (cd_test_update_instance (fixture->inventory, instance, "Acme", "", "em3",
                                          &error));
  seen = watch_take (instance_notes.names);
  g_assert_cmpstr (seen, ==, "data-center data-center-title");
  g_clear_pointer (&seen, g_free);

  /* renaming a subdomain renames its hosts, without moving any list */
  g_assert_true (cd_test_rename_subdomain (fixture->inventory, subdomain,
                                           "post.bücher.example", &error));
  g_assert_no_error (error);
  seen = watch_take (subdomain_notes.names);
  g_assert_cmpstr (seen, ==, "display-name name");
  g_clear_pointer (&seen, g_free);
  g_assert_cmpstr (cd_subdomain_get_name (subdomain), ==, "post.xn--bcher-kva.example");
  g_assert_cmpstr (cd_subdomain_get_display_name (subdomain), ==, "post.bücher.example");
  seen = watch_take (host_notes.names);
  g_assert_cmpstr (seen, ==, "display-name fqdn");
  g_clear_pointer (&seen, g_free);
  g_assert_cmpstr (cd_host_get_fqdn (host), ==, "t.post.xn--bcher-kva.example");
  g_assert_cmpstr (cd_host_get_display_name (host), ==, "t.post.bücher.example");

  g_assert_true (cd_test_update_host (fixture->inventory, host, CD_HOST_PURPOSE_CUSTOM,
                                      "click", &error));
  g_assert_no_error (error);
  seen = watch_take (host_notes.names);
  g_assert_cmpstr (seen, ==, "display-name fqdn prefix purpose purpose-label");
  g_clear_pointer (&seen, g_free);

  assert_events (events, "");

  g_signal_handlers_disconnect_by_data (instance, &instance_notes);
  g_signal_handlers_disconnect_by_data (subdomain, &subdomain_notes);
  g_signal_handlers_disconnect_by_data (host, &host_notes);
  g_ptr_array_unref (instance_notes.names);
  g_ptr_array_unref (subdomain_notes.names);
  g_ptr_array_unref (host_notes.names);
}

static void
test_remove_and_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  GListModel *instances = cd_inventory_get_instances (fixture->inventory);
  g_autoptr(Recorder) instance_events = recorder_new (instances);
  g_autoptr(Recorder) host_events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventoryRemoval) removal = NULL;
  g_autoptr(CdInventory) again = NULL;
  CdInstance *a, *b, *c;
  CdSubdomain *subdomain;
  g_autoptr(CdHost) middle = NULL;
  gint64 middle_id;

  a = cd_test_add_instance (fixture->inventory, "A", "", "us2", &error);
  b = cd_test_add_instance (fixture->inventory, "B", "", "em3", &error);
  c = cd_test_add_instance (fixture->inventory, "C", "", "ap5", &error);
  g_assert_no_error (error);
  subdomain = cd_test_add_subdomain (fixture->inventory, b, "mail.b.example", usual_hosts,
                                     &error);
  g_assert_no_error (error);
  assert_events (instance_events, "0,0,1 1,0,1 2,0,1");
  (void) a;
  (void) c;

  /* a host */
  host_events = recorder_new (cd_subdomain_get_hosts (subdomain));
  middle = g_list_model_get_item (cd_subdomain_get_hosts (subdomain), 1);
  middle_id = cd_host_get_id (middle);
  removal = cd_test_remove_item (fixture->inventory, G_OBJECT (middle), &error);
  g_assert_no_error (error);
  assert_events (host_events, "1,1,0");
  again = reload (fixture);
  {
    g_autoptr(CdSubdomain) s = g_list_model_get_item (cd_instance_get_subdomains (nth_instance (again, 1)), 0);
    g_assert_cmpuint (g_list_model_get_n_items (cd_subdomain_get_hosts (s)), ==, 2);
  }
  g_clear_object (&again);

  g_assert_true (cd_test_undo_removal (fixture->inventory, removal, &error));
  g_assert_no_error (error);
  assert_events (host_events, "1,0,1");
  g_clear_pointer (&removal, cd_inventory_removal_unref);
  again = reload (fixture);
  {
    g_autoptr(CdSubdomain) s = g_list_model_get_item (cd_instance_get_subdomains (nth_instance (again, 1)), 0);
    g_autoptr(CdHost) h = g_list_model_get_item (cd_subdomain_get_hosts (s), 1);
    g_assert_cmpuint (g_list_model_get_n_items (cd_subdomain_get_hosts (s)), ==, 3);
    g_assert_cmpint (cd_host_get_id (h), ==, middle_id);
  }
  g_clear_object (&again);

  /* an instance with everything below it */
  removal = cd_test_remove_item (fixture->inventory, G_OBJECT (b), &error);
  g_assert_no_error (error);
  assert_events (instance_events, "1,1,0");
  again = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (again)), ==, 2);
  g_clear_object (&again);

  g_assert_true (cd_test_undo_removal (fixture->inventory, removal, &error));
  g_assert_no_error (error);
  assert_events (instance_events, "1,0,1");
  again = reload (fixture);
  {
    CdInstance *back = nth_instance (again, 1);
    g_autoptr(CdSubdomain) s = g_list_model_get_item (cd_instance_get_subdomains (back), 0);

    g_assert_cmpstr (cd_instance_get_name (back), ==, "B");
    g_assert_cmpint (cd_instance_get_id (back), ==, cd_instance_get_id (b));
    g_assert_cmpstr (cd_subdomain_get_name (s), ==, "mail.b.example");
    g_assert_cmpuint (g_list_model_get_n_items (cd_subdomain_get_hosts (s)), ==, 3);
  }
  g_clear_pointer (&removal, cd_inventory_removal_unref);

  /* a subdomain whose instance went meanwhile cannot come back */
  removal = cd_test_remove_item (fixture->inventory, G_OBJECT (subdomain), &error);
  g_assert_no_error (error);
  {
    g_autoptr(CdInventoryRemoval) parent_removal =
      cd_test_remove_item (fixture->inventory, G_OBJECT (b), &error);
    g_assert_no_error (error);
    g_assert_false (cd_test_undo_removal (fixture->inventory, removal, &error));
    g_assert_error (error, CD_ERROR, CD_ERROR_NOT_FOUND);
  }
}

static void
test_load_replaces_in_one_change (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventory) again = NULL;
  g_autoptr(Recorder) events = NULL;

  g_assert_true (cd_store_seed_demo (fixture->store, &error));
  g_assert_no_error (error);

  again = cd_inventory_new (fixture->store);
  events = recorder_new (cd_inventory_get_instances (again));
  cd_test_load_inventory (again);
  assert_events (events, "0,0,3");
}

static void
test_status_follows_certificates (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInventory) again = NULL;
  CdCertificateRecord certificate = { 0 };
  gint64 now = g_get_real_time ();
  Notifications notes = { g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *seen = NULL;
  CdInstance *instance;
  CdSubdomain *subdomain;
  g_autoptr(CdHost) host = NULL;
  g_autoptr(CdHost) other = NULL;
  gint64 certificate_id;

  instance = cd_test_add_instance (fixture->inventory, "Acme", "", "us2", &error);
  subdomain = cd_test_add_subdomain (fixture->inventory, instance, "mail.acme.example",
                                     usual_hosts, &error);
  g_assert_no_error (error);
  host = g_list_model_get_item (cd_subdomain_get_hosts (subdomain), 0);
  g_assert_cmpint (cd_host_get_status (host), ==, CD_CERT_STATUS_NONE);
  g_assert_cmpint (cd_instance_get_status (instance), ==, CD_CERT_STATUS_NONE);

  certificate.der = g_bytes_new_static ("\x30\x00", 2);
  certificate.sha256 = (char *) "AA:BB";
  certificate.subject = (char *) "CN=t.mail.acme.example";
  certificate.issuer = (char *) "CN=Test CA";
  certificate.serial = (char *) "01";
  certificate.not_before = now - 300 * G_TIME_SPAN_DAY;
  certificate.not_after = now + 45 * G_TIME_SPAN_DAY;
  certificate.dns_names = (char *) "t.mail.acme.example";
  certificate_id = cd_store_add_certificate (fixture->store, &certificate, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_host_certificate (fixture->store, cd_host_get_id (host),
                                                certificate_id, &error));
  g_assert_no_error (error);
  g_bytes_unref (certificate.der);

  again = reload (fixture);
  instance = nth_instance (again, 0);
  {
    g_autoptr(CdSubdomain) s = g_list_model_get_item (cd_instance_get_subdomains (instance), 0);

    host = g_list_model_get_item (cd_subdomain_get_hosts (s), 0);
    other = g_list_model_get_item (cd_subdomain_get_hosts (s), 1);
    g_assert_cmpint (cd_host_get_status (host), ==, CD_CERT_STATUS_EXPIRING);
    g_assert_cmpint (cd_host_get_status (other), ==, CD_CERT_STATUS_NONE);
    g_assert_cmpint (cd_subdomain_get_status (s), ==, CD_CERT_STATUS_EXPIRING);
    g_assert_cmpint (cd_instance_get_status (instance), ==, CD_CERT_STATUS_EXPIRING);

    g_signal_connect (host, "notify", G_CALLBACK (on_notify), &notes);
    cd_inventory_set_thresholds (again, 40, 20);
    g_assert_cmpint (cd_host_get_status (host), ==, CD_CERT_STATUS_VALID);
    g_assert_cmpint (cd_instance_get_status (instance), ==, CD_CERT_STATUS_VALID);
    cd_inventory_set_thresholds (again, 90, 50);
    g_assert_cmpint (cd_host_get_status (host), ==, CD_CERT_STATUS_CRITICAL);
    g_assert_cmpint (cd_subdomain_get_status (s), ==, CD_CERT_STATUS_CRITICAL);
    seen = watch_take (notes.names);
    g_assert_cmpstr (seen, ==, "status status");
    g_signal_handlers_disconnect_by_data (host, &notes);
  }
  g_ptr_array_unref (notes.names);
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdInventory) inventory = NULL;

  g_assert_nonnull (cd_test_add_instance (fixture->inventory, "Acme", "", "us2", &error));
  g_clear_object (&fixture->inventory);
  cd_test_release_store (&fixture->store);

  store = cd_store_open (fixture->path, CD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  inventory = cd_inventory_new (store);
  cd_test_load_inventory (inventory);
  g_assert_true (cd_inventory_is_read_only (inventory));
  /* nothing could be recorded: no job runs */
  g_assert_null (cd_inventory_get_job_runner (inventory));
  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (inventory)), ==, 1);
  g_assert_null (cd_test_add_instance (inventory, "Other", "", "us2", &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_null (cd_test_remove_item (inventory, G_OBJECT (nth_instance (inventory, 0)), &error));
  g_assert_error (error, CD_ERROR, CD_ERROR_READ_ONLY);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CdInventory **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cd_inventory_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_open_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("certdesk-test-demo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "certdesk.db", NULL);
  g_autoptr(CdInventory) inventory = NULL;
  g_autoptr(GHashTable) data_centers = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *instances;
  guint n_subdomains = 0;

  cd_inventory_open_async (path, CD_INVENTORY_OPEN_SEED_DEMO, NULL, opened_cb, &inventory);
  while (inventory == NULL)
    g_main_context_iteration (NULL, TRUE);
  cd_test_load_inventory (inventory);

  instances = cd_inventory_get_instances (inventory);
  g_assert_cmpuint (g_list_model_get_n_items (instances), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      CdInstance *instance = nth_instance (inventory, i);

      g_hash_table_add (data_centers, (gpointer) cd_instance_get_data_center (instance));
      g_assert_nonnull (cd_data_center_catalog_lookup (cd_instance_get_data_center (instance)));
      n_subdomains += g_list_model_get_n_items (cd_instance_get_subdomains (instance));
      g_assert_cmpuint (cd_instance_count_hosts (instance), >=, 3);
    }
  g_assert_cmpuint (g_hash_table_size (data_centers), ==, 3);
  g_assert_cmpuint (n_subdomains, >=, 12);

  g_clear_object (&inventory);
  cd_test_remove_tree (dir);
}

static void
open_failed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **out = user_data;
  g_autoptr(CdInventory) inventory = cd_inventory_open_finish (result, out);

  g_assert_null (inventory);
  g_assert_nonnull (*out);
}

static void
test_open_damaged (void)
{
  static const char garbage[] = "This is not an SQLite database, not at all.";
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) open_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("certdesk-test-damaged-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "certdesk.db", NULL);
  g_autofree char *kept = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GAsyncResult) moved = NULL;
  CdInventory *inventory = NULL;

  g_assert_true (g_file_set_contents (path, garbage, -1, &error));

  cd_inventory_open_async (path, CD_INVENTORY_OPEN_DEFAULT, NULL, open_failed_cb, &open_error);
  while (open_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (open_error, CD_ERROR, CD_ERROR_DATABASE_CORRUPT);
  g_assert_nonnull (strstr (open_error->message, path));

  /* the damaged file is left exactly as it was */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, garbage);
  g_clear_pointer (&contents, g_free);

  cd_inventory_move_aside_async (path, NULL, cd_test_got_result, &moved);
  kept = cd_inventory_move_aside_finish (cd_test_wait_for (&moved), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (kept, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, garbage);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* and a fresh inventory can start in its place */
  cd_inventory_open_async (path, CD_INVENTORY_OPEN_DEFAULT, NULL, opened_cb, &inventory);
  while (inventory == NULL)
    g_main_context_iteration (NULL, TRUE);
  cd_test_load_inventory (inventory);
  g_assert_cmpuint (g_list_model_get_n_items (cd_inventory_get_instances (inventory)), ==, 0);
  g_clear_object (&inventory);

  cd_test_remove_tree (dir);
}

static void
test_catalog (void)
{
  GListModel *catalog = cd_data_center_catalog ();
  CdDataCenter *em3 = cd_data_center_catalog_lookup ("em3");

  g_assert_cmpuint (g_list_model_get_n_items (catalog), ==, 14);
  g_assert_nonnull (em3);
  g_assert_cmpstr (cd_data_center_get_name (em3), ==, "Slough");
  g_assert_cmpstr (cd_data_center_get_region (em3), ==, "Europe");
  g_assert_cmpstr (cd_data_center_get_title (em3), ==, "em3 · Slough");
  g_assert_null (cd_data_center_catalog_lookup ("xx1"));
  g_assert_cmpuint (cd_data_center_catalog_find ("la1"), ==, 13);
}

static void
test_job_and_certificate_objects (void)
{
  CdJobRecord record = { 0 };
  CdCertificateRecord certificate = { 0 };
  g_autoptr(CdJob) job = NULL;
  g_autoptr(CdCertificate) cert = NULL;
  Notifications notes = { g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *seen = NULL;
  CdCertThresholds thresholds = { 60, 30 };

  record.id = 7;
  record.kind = (char *) "generate-csr";
  record.target = (char *) "mail.acme.example";
  record.state = (char *) CD_JOB_STATE_QUEUED;
  record.created = 1000;
  job = cd_job_new_from_record (&record);
  g_assert_true (cd_job_is_active (job));
  g_signal_connect (job, "notify", G_CALLBACK (on_notify), &notes);

  cd_job_update (job, &record);
  seen = watch_take (notes.names);
  g_assert_cmpstr (seen, ==, "");
  g_clear_pointer (&seen, g_free);

  record.state = (char *) CD_JOB_STATE_FINISHED;
  record.started = 2000;
  record.finished = 3000;
  cd_job_update (job, &record);
  seen = watch_take (notes.names);
  g_assert_cmpstr (seen, ==, "active finished started state");
  g_assert_false (cd_job_is_active (job));
  g_assert_cmpint (cd_job_get_finished (job), ==, 3000);
  g_signal_handlers_disconnect_by_data (job, &notes);
  g_ptr_array_unref (notes.names);

  certificate.id = 3;
  certificate.subject = (char *) "CN=a.example";
  certificate.dns_names = (char *) "a.example\nb.example";
  /* record times are microseconds */
  certificate.not_before = 0;
  certificate.not_after = 100 * G_TIME_SPAN_DAY;
  cert = cd_certificate_new_from_record (&certificate);
  g_assert_cmpstr (cd_certificate_get_dns_names (cert)[1], ==, "b.example");
  g_assert_null (cd_certificate_get_dns_names (cert)[2]);
  g_assert_cmpint (cd_certificate_get_not_after (cert), ==, 100 * G_TIME_SPAN_DAY);
  g_assert_cmpint (cd_certificate_get_status (cert, 50 * G_TIME_SPAN_DAY, &thresholds), ==,
                   CD_CERT_STATUS_EXPIRING);
  g_assert_cmpint (cd_certificate_get_status (cert, 101 * G_TIME_SPAN_DAY, &thresholds), ==,
                   CD_CERT_STATUS_EXPIRED);
  /* the last microsecond before notAfter is still valid, notAfter itself is not */
  g_assert_cmpint (cd_certificate_get_status (cert, 100 * G_TIME_SPAN_DAY - 1, &thresholds), ==,
                   CD_CERT_STATUS_CRITICAL);
  g_assert_cmpint (cd_certificate_get_status (cert, 100 * G_TIME_SPAN_DAY, &thresholds), ==,
                   CD_CERT_STATUS_EXPIRED);
}

/* Takes what @notes saw, sorted, and compares it with @expected. */
#define assert_notified(notes, expected)                                                      \
  G_STMT_START {                                                                              \
    g_autofree char *seen_ = watch_take ((notes)->names);                                     \
    g_assert_cmpstr (seen_, ==, expected);                                                    \
  } G_STMT_END

static void
test_job_placeholder (void)
{
  g_autoptr(GVariant) parameters = g_variant_ref_sink (g_variant_new_parsed (
    "{'hosts': 't.mail.acme.example m.mail.acme.example'}"));
  CdJobRecord record = {
    .id = 42,
    .kind = (char *) "generate-csr",
    .target_type = (char *) "subdomain",
    .target = (char *) "mail.acme.example",
    .instance_id = 3,
    .initiator = (char *) "reminder",
    .parameters = parameters,
    .state = (char *) CD_JOB_STATE_RUNNING,
    .created = 1000,
    .started = 2000,
    .progress = 0.25,
    .step = (char *) "Generating the key",
  };
  CdJobRecord other = record;
  g_autoptr(CdJob) job = cd_job_new_placeholder ();
  Notifications notes = { g_ptr_array_new_with_free_func (g_free) };
  gboolean loaded = TRUE;

  g_assert_false (cd_job_is_loaded (job));
  g_object_get (job, "loaded", &loaded, NULL);
  g_assert_false (loaded);
  g_assert_cmpint (cd_job_get_id (job), ==, 0);
  g_assert_null (cd_job_get_kind (job));
  g_assert_null (cd_job_get_state (job));
  g_assert_null (cd_job_get_target_type (job));
  g_assert_null (cd_job_get_parameters (job));
  g_assert_cmpfloat (cd_job_get_progress (job), <, 0);
  g_assert_false (cd_job_is_active (job));
  g_signal_connect (job, "notify", G_CALLBACK (on_notify), &notes);

  /* filled in with any id, telling everything that changed and that it is loaded now */
  cd_job_update (job, &record);
  assert_notified (&notes, "active created id initiator instance-id kind loaded parameters "
                           "progress started state step target target-type");
  g_assert_true (cd_job_is_loaded (job));
  g_assert_cmpint (cd_job_get_id (job), ==, 42);
  g_assert_cmpstr (cd_job_get_kind (job), ==, "generate-csr");
  g_assert_cmpstr (cd_job_get_target_type (job), ==, "subdomain");
  g_assert_cmpstr (cd_job_get_initiator (job), ==, "reminder");
  g_assert_true (g_variant_equal (cd_job_get_parameters (job), parameters));
  g_assert_cmpfloat (cd_job_get_progress (job), ==, 0.25);
  g_assert_cmpstr (cd_job_get_step (job), ==, "Generating the key");
  g_assert_true (cd_job_is_active (job));

  /* the same values, in a parameters variant of its own: nothing to tell */
  other.parameters = g_variant_ref_sink (g_variant_new_parsed (
    "{'hosts': 't.mail.acme.example m.mail.acme.example'}"));
  cd_job_update (job, &other);
  g_variant_unref (other.parameters);
  assert_notified (&notes, "");

  /* live progress between two reads of the store; an unknown one is the same as another */
  cd_job_set_progress (job, 0.5, "Writing the CSR");
  assert_notified (&notes, "progress step");
  cd_job_set_progress (job, 0.5, "Writing the CSR");
  assert_notified (&notes, "");
  cd_job_set_progress (job, -1, "Writing the CSR");
  assert_notified (&notes, "progress");
  cd_job_set_progress (job, -0.5, "Writing the CSR");
  assert_notified (&notes, "");
  g_assert_cmpfloat (cd_job_get_progress (job), ==, -1);
  cd_job_set_progress (job, 7, NULL);
  g_assert_cmpfloat (cd_job_get_progress (job), ==, 1);
  assert_notified (&notes, "progress step");

  /* the end as it was stored */
  record.state = (char *) CD_JOB_STATE_FAILED;
  record.finished = 9000;
  record.progress = 0.5;
  record.step = NULL;
  record.message = (char *) "The key could not be written.";
  record.error_action = (char *) "Free some space on the disk, then run the job again.";
  cd_job_update (job, &record);
  assert_notified (&notes, "active error-action finished message progress state");
  g_assert_cmpstr (cd_job_get_error_action (job), ==, record.error_action);

  /* a loaded job is filled once: another job's values do not go into it */
  other = record;
  other.id = 43;
  g_test_expect_message ("cd-job", G_LOG_LEVEL_CRITICAL, "*record->id == self->id*");
  cd_job_update (job, &other);
  g_test_assert_expected_messages ();
  g_assert_cmpint (cd_job_get_id (job), ==, 42);
  assert_notified (&notes, "");

  g_signal_handlers_disconnect_by_data (job, &notes);
  g_ptr_array_unref (notes.names);
}

static void
test_job_duration (void)
{
  CdJobRecord record = {
    .id = 5,
    .kind = (char *) "check-hosts",
    .state = (char *) CD_JOB_STATE_QUEUED,
    .created = 1000,
    .progress = -1,
  };
  g_autoptr(CdJob) job = cd_job_new_from_record (&record);

  g_assert_cmpint (cd_job_get_duration (job, 50000), ==, 0);

  record.state = (char *) CD_JOB_STATE_RUNNING;
  record.started = 2000;
  cd_job_update (job, &record);
  g_assert_cmpint (cd_job_get_duration (job, 50000), ==, 48000);
  g_assert_cmpint (cd_job_get_duration (job, 60000), ==, 58000);
  /* "now" from a clock that was set back */
  g_assert_cmpint (cd_job_get_duration (job, 1500), ==, 0);

  record.state = (char *) CD_JOB_STATE_FINISHED;
  record.finished = 7000;
  cd_job_update (job, &record);
  g_assert_cmpint (cd_job_get_duration (job, 50000), ==, 5000);

  /* an interrupted job that never got an end time has no duration to tell */
  record.state = (char *) CD_JOB_STATE_INTERRUPTED;
  record.finished = 0;
  cd_job_update (job, &record);
  g_assert_cmpint (cd_job_get_duration (job, 50000), ==, 0);

  /* cancelled while it waited: it ended without starting */
  record.state = (char *) CD_JOB_STATE_CANCELLED;
  record.started = 0;
  record.finished = 7000;
  cd_job_update (job, &record);
  g_assert_cmpint (cd_job_get_duration (job, 50000), ==, 0);
}

/* A host check as a job's work: an event, an artifact, and done. */
static gboolean
check_hosts_work (CdJobContext  *context,
                  gpointer       user_data,
                  GError       **error)
{
  g_autoptr(GBytes) report = g_bytes_new_static ("t.mail.acme.example,ok\r\n", 24);

  cd_job_context_set_progress (context, 0.5);
  cd_job_context_log (context, CD_JOB_EVENT_INFO, "Probed %d hosts", 3);
  return cd_job_context_add_artifact (context, "hosts.csv", "text/csv", report, error);
}

static void
test_job_runner (Fixture       *fixture,
                 gconstpointer  data)
{
  CdJobRunner *runner = cd_inventory_get_job_runner (fixture->inventory);
  g_autoptr(CdJobRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdJobRecord) job = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) artifacts = NULL;
  const CdJobEventRecord *event;
  const CdJobArtifactRecord *artifact;
  gint64 job_id = 0;

  g_assert_nonnull (runner);
  g_assert_true (cd_job_runner_get_store (runner) == fixture->store);
  g_assert_true (cd_inventory_get_job_runner (fixture->inventory) == runner);

  request = cd_job_request_new (CD_JOB_KIND_CHECK_HOSTS, CD_JOB_TARGET_HOST,
                                "t.mail.acme.example");
  cd_job_request_set_initiator (request, CD_JOB_INITIATOR_REMINDER);
  cd_job_runner_run_async (runner, request, check_hosts_work, NULL, NULL, NULL,
                           cd_test_got_result, &result);
  g_assert_true (cd_job_runner_run_finish (runner, cd_test_wait_for (&result), &job_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);

  /* stored in the inventory's database, with what it logged and kept */
  job = cd_store_get_job (fixture->store, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->kind, ==, "check-hosts");
  g_assert_cmpstr (job->target, ==, "t.mail.acme.example");
  g_assert_cmpstr (job->initiator, ==, "reminder");
  g_assert_cmpstr (job->state, ==, CD_JOB_STATE_FINISHED);
  g_assert_cmpint (job->started, >, 0);
  g_assert_cmpint (job->finished, >=, job->started);

  events = cd_store_list_job_events (fixture->store, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->message, ==, "Probed 3 hosts");

  artifacts = cd_store_list_job_artifacts (fixture->store, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artifacts->len, ==, 1);
  artifact = g_ptr_array_index (artifacts, 0);
  g_assert_cmpstr (artifact->name, ==, "hosts.csv");
  g_assert_cmpmem (g_bytes_get_data (artifact->content, NULL),
                   g_bytes_get_size (artifact->content), "t.mail.acme.example,ok\r\n", 24);
}

static void
job_ran_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *finished = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_job_runner_run_finish (CD_JOB_RUNNER (source), result, NULL, &error));
  g_assert_no_error (error);
  *finished = TRUE;
}

/* Opened from a thread whose main context is not the default one (as a second window's
 * could be), the inventory's runner answers on that context: it is made where the open
 * ends, not in the thread that opened the database. */
static void
test_job_runner_context (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autofree char *dir = g_dir_make_tmp ("certdesk-test-runner-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "certdesk.db", NULL);
  g_autoptr(CdJobRequest) request = NULL;
  CdInventory *inventory = NULL;
  gboolean finished = FALSE;
  gint64 deadline;

  g_main_context_push_thread_default (context);

  cd_inventory_open_async (path, CD_INVENTORY_OPEN_DEFAULT, NULL, opened_cb, &inventory);
  while (inventory == NULL)
    g_main_context_iteration (context, TRUE);
  g_assert_nonnull (cd_inventory_get_job_runner (inventory));

  request = cd_job_request_new (CD_JOB_KIND_CHECK_HOSTS, CD_JOB_TARGET_HOST,
                                "t.mail.acme.example");
  cd_job_runner_run_async (cd_inventory_get_job_runner (inventory), request, check_hosts_work,
                           NULL, NULL, NULL, job_ran_cb, &finished);
  /* only this context turns: an answer sent to another one never comes */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!finished)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (context, FALSE);
      g_usleep (1000);
    }
  /* what the runner still had queued here, it lets go of */
  while (g_main_context_iteration (context, FALSE))
    ;

  g_clear_object (&inventory);
  g_main_context_pop_thread_default (context);
  cd_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, cd_test_inventory_set_up, func, cd_test_inventory_tear_down)

  FIXTURE_TEST ("/model/inventory/add-emits-precisely", test_add_emits_precisely);
  FIXTURE_TEST ("/model/inventory/refusals-change-nothing", test_refusals_change_nothing);
  FIXTURE_TEST ("/model/inventory/edits-notify-only-real-changes",
                test_edits_notify_only_real_changes);
  FIXTURE_TEST ("/model/inventory/remove-and-undo", test_remove_and_undo);
  FIXTURE_TEST ("/model/inventory/load-replaces-in-one-change", test_load_replaces_in_one_change);
  FIXTURE_TEST ("/model/inventory/status-follows-certificates", test_status_follows_certificates);
  FIXTURE_TEST ("/model/inventory/read-only", test_read_only);
  FIXTURE_TEST ("/model/inventory/job-runner", test_job_runner);
  g_test_add_func ("/model/inventory/open-demo", test_open_demo);
  g_test_add_func ("/model/inventory/damaged-database", test_open_damaged);
  g_test_add_func ("/model/inventory/job-runner-context", test_job_runner_context);
  g_test_add_func ("/model/data-center/catalog", test_catalog);
  g_test_add_func ("/model/objects/job-and-certificate", test_job_and_certificate_objects);
  g_test_add_func ("/model/objects/job-placeholder", test_job_placeholder);
  g_test_add_func ("/model/objects/job-duration", test_job_duration);

  return g_test_run ();
}
