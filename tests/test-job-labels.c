// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "test-job-labels"

#include "config.h"

#include "cd-job-enums.h"
#include "cd-job-labels.h"
#include "cd-job-types.h"

/* What the Job Logs show for the names jobs are stored with, untranslated (the tests run in
 * the C locale with no catalog bound): every stored name has a title of its own, the groups
 * split the kinds, the sorted lists are sorted, and the search finds kinds by their titles. */

/* The nicks of @type, as the store holds them. */
static GPtrArray *
nicks_of (GType type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GPtrArray *nicks = g_ptr_array_new ();

  for (guint i = 0; i < klass->n_values; i++)
    g_ptr_array_add (nicks, (gpointer) klass->values[i].value_nick);
  return nicks;
}

/* Every value of @type has a title that is neither empty nor its stored name, and no two
 * values share one. */
static void
assert_titled (GType          type,
               const char  *(*get_title) (const char *name),
               const char    *skip)
{
  g_autoptr(GPtrArray) nicks = nicks_of (type);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < nicks->len; i++)
    {
      const char *nick = g_ptr_array_index (nicks, i);
      const char *title;

      if (g_strcmp0 (nick, skip) == 0)
        continue;
      title = get_title (nick);
      g_test_message ("%s: %s", nick, title);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_assert_cmpstr (title, !=, nick);
      g_assert_true (g_utf8_validate (title, -1, NULL));
      g_assert_false (g_hash_table_contains (seen, title));
      g_hash_table_add (seen, (gpointer) title);
    }
}

static void
test_titles (void)
{
  assert_titled (CD_TYPE_JOB_KIND, cd_job_kind_get_title, NULL);
  assert_titled (CD_TYPE_JOB_STATE, cd_job_state_get_title, NULL);
  assert_titled (CD_TYPE_JOB_INITIATOR, cd_job_initiator_get_title, NULL);
  assert_titled (CD_TYPE_JOB_EVENT_LEVEL, cd_job_event_level_get_title, NULL);
  assert_titled (CD_TYPE_JOB_TARGET_TYPE, cd_job_target_type_get_title, "none");

  g_assert_cmpstr (cd_job_kind_get_title ("generate-csr"), ==, "Generate CSR");
  g_assert_cmpstr (cd_job_kind_get_title ("import-keystore"), ==, "Import into Keystore");
  g_assert_cmpstr (cd_job_state_get_title ("interrupted"), ==, "Interrupted");
  g_assert_cmpstr (cd_job_initiator_get_title ("command-line"), ==, "Command line");
  g_assert_cmpstr (cd_job_target_type_get_title ("data-center"), ==, "Data center");
  g_assert_cmpstr (cd_job_event_level_get_title ("warning"), ==, "Warning");

  /* a job without a target type, as the runner stores it and as older versions did */
  g_assert_cmpstr (cd_job_target_type_get_title ("none"), ==, "");
  g_assert_cmpstr (cd_job_target_type_get_title (""), ==, "");

  /* what a newer Certdesk may have stored comes back as it is */
  g_assert_cmpstr (cd_job_kind_get_title ("rotate-keys"), ==, "rotate-keys");
  g_assert_cmpstr (cd_job_state_get_title ("paused"), ==, "paused");
  g_assert_cmpstr (cd_job_initiator_get_title ("schedule"), ==, "schedule");
  g_assert_null (cd_job_kind_get_title (NULL));
  /* the enum's own names are not stored names */
  g_assert_cmpstr (cd_job_kind_get_title ("CD_JOB_KIND_CHECK_DNS"), ==, "CD_JOB_KIND_CHECK_DNS");
}

/* Whether the icon theme @theme in one of the system's data directories has @icon_name, in
 * any size and context; NULL @icon_name: whether the theme is there at all. */
static gboolean
theme_has_icon (const char *theme,
                const char *icon_name)
{
  const char * const *dirs = g_get_system_data_dirs ();

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *theme_dir = g_build_filename (dirs[i], "icons", theme, NULL);
      g_autoptr(GDir) sizes = g_dir_open (theme_dir, 0, NULL);
      const char *size;

      if (sizes == NULL)
        continue;
      if (icon_name == NULL)
        return TRUE;

      while ((size = g_dir_read_name (sizes)) != NULL)
        {
          g_autofree char *size_dir = g_build_filename (theme_dir, size, NULL);
          g_autoptr(GDir) contexts = g_dir_open (size_dir, 0, NULL);
          const char *context;

          while (contexts != NULL && (context = g_dir_read_name (contexts)) != NULL)
            {
              static const char *const suffixes[] = { ".svg", ".png", ".symbolic.png" };

              for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
                {
                  g_autofree char *file = g_strconcat (icon_name, suffixes[j], NULL);
                  g_autofree char *path = g_build_filename (size_dir, context, file, NULL);

                  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
                    return TRUE;
                }
            }
        }
    }
  return FALSE;
}

static void
test_state_icons (void)
{
  g_autoptr(GPtrArray) states = nicks_of (CD_TYPE_JOB_STATE);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean have_theme = theme_has_icon ("Adwaita", NULL);

  if (!have_theme)
    {
      /* the icon names are only proved against the theme that draws them */
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_test_fail_printf ("The Adwaita icon theme is not installed (adwaita-icon-theme)");
      else
        g_test_skip ("The Adwaita icon theme is not installed (adwaita-icon-theme)");
    }

  for (guint i = 0; i < states->len; i++)
    {
      const char *state = g_ptr_array_index (states, i);
      const char *icon_name = cd_job_state_get_icon_name (state);

      g_test_message ("%s: %s", state, icon_name);
      g_assert_true (g_str_has_suffix (icon_name, "-symbolic"));
      /* one shape per state */
      g_assert_false (g_hash_table_contains (seen, icon_name));
      g_hash_table_add (seen, (gpointer) icon_name);
      if (have_theme)
        g_assert_true (theme_has_icon ("Adwaita", icon_name));
    }

  g_assert_false (g_hash_table_contains (seen, cd_job_state_get_icon_name ("paused")));
  g_assert_false (g_hash_table_contains (seen, cd_job_state_get_icon_name (NULL)));
  if (have_theme)
    g_assert_true (theme_has_icon ("Adwaita", cd_job_state_get_icon_name ("paused")));
}

static void
test_groups (void)
{
  g_autoptr(GPtrArray) kinds = nicks_of (CD_TYPE_JOB_KIND);
  g_autoptr(GHashTable) grouped = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_null (cd_job_group_get_kinds (CD_JOB_GROUP_ALL));
  g_assert_cmpstr (cd_job_group_get_title (CD_JOB_GROUP_ALL), ==, "All Kinds");
  g_assert_cmpstr (cd_job_group_get_title (CD_JOB_GROUP_SUBDOMAINS), ==,
                   "Subdomain Management");
  g_assert_cmpstr (cd_job_group_get_title (CD_JOB_GROUP_DATA_CENTERS), ==, "Data Centers");
  g_assert_cmpstr (cd_job_group_get_title (CD_JOB_GROUP_CHECKS), ==, "Checks");

  for (CdJobGroup group = CD_JOB_GROUP_ALL; group <= CD_JOB_GROUP_LAST; group++)
    {
      const char * const *members = cd_job_group_get_kinds (group);
      const char *title = cd_job_group_get_title (group);

      g_assert_cmpstr (title, !=, "");
      g_assert_false (g_hash_table_contains (titles, title));
      g_hash_table_add (titles, (gpointer) title);

      if (group == CD_JOB_GROUP_ALL)
        continue;
      g_assert_nonnull (members);
      g_assert_nonnull (members[0]);
      for (guint i = 0; members[i] != NULL; i++)
        {
          int value;

          /* a stored name of a kind, in one group only */
          g_assert_true (cd_job_enum_from_string (CD_TYPE_JOB_KIND, members[i], &value));
          g_assert_false (g_hash_table_contains (grouped, members[i]));
          g_hash_table_add (grouped, (gpointer) members[i]);
        }
    }

  /* and every kind is in one */
  g_assert_cmpuint (g_hash_table_size (grouped), ==, kinds->len);
  for (guint i = 0; i < kinds->len; i++)
    g_assert_true (g_hash_table_contains (grouped, g_ptr_array_index (kinds, i)));

  g_assert_true (g_strv_contains (cd_job_group_get_kinds (CD_JOB_GROUP_SUBDOMAINS),
                                  "renew-certificate"));
  g_assert_true (g_strv_contains (cd_job_group_get_kinds (CD_JOB_GROUP_DATA_CENTERS),
                                  "import-keystore"));
  g_assert_true (g_strv_contains (cd_job_group_get_kinds (CD_JOB_GROUP_CHECKS), "check-dns"));
}

/* "generate-csr renew-certificate", or "" for NULL. */
static char *
join (char **kinds)
{
  return kinds != NULL ? g_strjoinv (" ", kinds) : g_strdup ("");
}

#define assert_matching(text, expected)                                                       \
  G_STMT_START {                                                                              \
    g_auto(GStrv) kinds_ = cd_job_kinds_matching (text);                                      \
    g_autofree char *joined_ = join (kinds_);                                                 \
    g_assert_cmpstr (joined_, ==, expected);                                                  \
    g_assert_true (kinds_ == NULL || kinds_[0] != NULL);                                      \
  } G_STMT_END

static void
test_kinds_matching (void)
{
  assert_matching ("csr", "generate-csr");
  assert_matching ("CSR", "generate-csr");
  assert_matching ("cErTiFiCaTe", "install-certificate renew-certificate");
  assert_matching ("check", "check-hosts check-dns");
  assert_matching ("import", "import-bundle import-keystore");
  assert_matching ("Bundle", "download-bundle import-bundle");
  assert_matching ("into keystore", "import-keystore");
  /* titles, not stored names */
  assert_matching ("generate-csr", "");
  assert_matching ("-", "");
  assert_matching ("zzz", "");
  assert_matching ("", "");
  assert_matching (NULL, "");
  assert_matching ("Chec", "check-hosts check-dns");
  assert_matching ("CHECK HOSTS", "check-hosts");
}

/* @sorted holds each nick of @type once, sorted by the title @get_title gives it. */
static void
assert_sorted (const char * const  *sorted,
               GType                type,
               const char        *(*get_title) (const char *name))
{
  g_autoptr(GPtrArray) nicks = nicks_of (type);

  g_assert_nonnull (sorted);
  g_assert_cmpuint (g_strv_length ((char **) sorted), ==, nicks->len);
  for (guint i = 0; i < nicks->len; i++)
    g_assert_true (g_strv_contains (sorted, g_ptr_array_index (nicks, i)));

  for (guint i = 0; sorted[i] != NULL && sorted[i + 1] != NULL; i++)
    {
      const char *a = get_title (sorted[i]);
      const char *b = get_title (sorted[i + 1]);

      g_test_message ("%s <= %s", a, b);
      g_assert_cmpint (g_utf8_collate (a, b), <=, 0);
    }
}

static gpointer
kinds_by_title_thread (gpointer data)
{
  return (gpointer) cd_job_kinds_by_title ();
}

static void
test_by_title (void)
{
  const char * const *kinds;
  GThread *threads[4];

  /* sorted once, by whichever thread comes first; every caller gets that one list */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("by-title", kinds_by_title_thread, NULL);
  kinds = cd_job_kinds_by_title ();
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (g_thread_join (threads[i]) == (gpointer) kinds);

  assert_sorted (kinds, CD_TYPE_JOB_KIND, cd_job_kind_get_title);
  assert_sorted (cd_job_states_by_title (), CD_TYPE_JOB_STATE, cd_job_state_get_title);
  assert_sorted (cd_job_initiators_by_title (), CD_TYPE_JOB_INITIATOR,
                 cd_job_initiator_get_title);
  g_assert_true (cd_job_states_by_title () == cd_job_states_by_title ());

  /* in English */
  g_assert_cmpstr (kinds[0], ==, "check-dns");
  g_assert_cmpstr (kinds[1], ==, "check-hosts");
  g_assert_cmpstr (kinds[2], ==, "download-bundle");
  g_assert_cmpstr (cd_job_states_by_title ()[0], ==, "cancelled");
  g_assert_cmpstr (cd_job_initiators_by_title ()[0], ==, "command-line");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/job-labels/titles", test_titles);
  g_test_add_func ("/model/job-labels/state-icons", test_state_icons);
  g_test_add_func ("/model/job-labels/groups", test_groups);
  g_test_add_func ("/model/job-labels/kinds-matching", test_kinds_matching);
  g_test_add_func ("/model/job-labels/by-title", test_by_title);

  return g_test_run ();
}
