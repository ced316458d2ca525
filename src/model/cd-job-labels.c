// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-labels"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "cd-job-enums.h"
#include "cd-job-labels.h"
#include "cd-job-types.h"

/* The tables are indexed by the enums of cd-job-types.h, whose nicks are the stored names:
 * a value added there without a title here fails to build. */

static const char *const kind_titles[] = {
  [CD_JOB_KIND_GENERATE_CSR] = N_("Generate CSR"),
  [CD_JOB_KIND_INSTALL_CERTIFICATE] = N_("Install Certificate"),
  [CD_JOB_KIND_RENEW_CERTIFICATE] = N_("Renew Certificate"),
  [CD_JOB_KIND_DOWNLOAD_BUNDLE] = N_("Download Bundle"),
  [CD_JOB_KIND_IMPORT_BUNDLE] = N_("Import Bundle"),
  [CD_JOB_KIND_IMPORT_KEYSTORE] = N_("Import into Keystore"),
  /* TRANSLATORS: a kind of job: probing the hosts of a subdomain for the certificate they
   * serve */
  [CD_JOB_KIND_CHECK_HOSTS] = N_("Check Hosts"),
  /* TRANSLATORS: a kind of job: looking up the DNS records (CNAME) of a subdomain's hosts */
  [CD_JOB_KIND_CHECK_DNS] = N_("Check DNS"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_titles) == CD_JOB_KIND_LAST + 1);

static const char *const state_titles[] = {
  /* TRANSLATORS: the state of a job that waits for its turn */
  [CD_JOB_QUEUED] = N_("Queued"),
  /* TRANSLATORS: the state of a job */
  [CD_JOB_RUNNING] = N_("Running"),
  /* TRANSLATORS: the state of a job that did all it was asked */
  [CD_JOB_FINISHED] = N_("Finished"),
  /* TRANSLATORS: the state of a job */
  [CD_JOB_FAILED] = N_("Failed"),
  /* TRANSLATORS: the state of a job that a person stopped */
  [CD_JOB_CANCELLED] = N_("Cancelled"),
  /* TRANSLATORS: the state of a job whose program ended (quit, crashed, the computer
   * restarted) before the job did */
  [CD_JOB_INTERRUPTED] = N_("Interrupted"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_titles) == CD_JOB_INTERRUPTED + 1);

/* Symbolic icons of the Adwaita theme, one shape per state, so that a state is never told by
 * colour alone. */
static const char *const state_icon_names[] = {
  [CD_JOB_QUEUED] = "document-open-recent-symbolic",
  [CD_JOB_RUNNING] = "media-playback-start-symbolic",
  [CD_JOB_FINISHED] = "emblem-ok-symbolic",
  [CD_JOB_FAILED] = "dialog-error-symbolic",
  [CD_JOB_CANCELLED] = "process-stop-symbolic",
  [CD_JOB_INTERRUPTED] = "dialog-warning-symbolic",
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_icon_names) == CD_JOB_INTERRUPTED + 1);

static const char *const initiator_titles[] = {
  /* TRANSLATORS: who started a job: a person, from the window */
  [CD_JOB_INITIATOR_USER] = N_("User"),
  /* TRANSLATORS: who started a job: a reminder before a certificate expires */
  [CD_JOB_INITIATOR_REMINDER] = N_("Reminder"),
  /* TRANSLATORS: who started a job: certdesk-cli, from a terminal, a script or cron */
  [CD_JOB_INITIATOR_COMMAND_LINE] = N_("Command line"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (initiator_titles) == CD_JOB_INITIATOR_COMMAND_LINE + 1);

static const char *const target_type_titles[] = {
  /* a job that acts on nothing of the inventory shows no type at all */
  [CD_JOB_TARGET_NONE] = "",
  /* TRANSLATORS: what a job acts on: an instance of a marketing platform */
  [CD_JOB_TARGET_INSTANCE] = N_("Instance"),
  /* TRANSLATORS: what a job acts on: a delegated subdomain such as mail.brand.com */
  [CD_JOB_TARGET_SUBDOMAIN] = N_("Subdomain"),
  /* TRANSLATORS: what a job acts on: one host name such as t.mail.brand.com */
  [CD_JOB_TARGET_HOST] = N_("Host"),
  /* TRANSLATORS: what a job acts on: a vendor's data center such as em3 */
  [CD_JOB_TARGET_DATA_CENTER] = N_("Data center"),
  /* TRANSLATORS: what a job acts on: a Java keystore file */
  [CD_JOB_TARGET_KEYSTORE] = N_("Keystore"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (target_type_titles) == CD_JOB_TARGET_KEYSTORE + 1);

static const char *const event_level_titles[] = {
  /* TRANSLATORS: the level of an event in a job's log */
  [CD_JOB_EVENT_INFO] = N_("Info"),
  /* TRANSLATORS: the level of an event in a job's log */
  [CD_JOB_EVENT_WARNING] = N_("Warning"),
  /* TRANSLATORS: the level of an event in a job's log */
  [CD_JOB_EVENT_ERROR] = N_("Error"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (event_level_titles) == CD_JOB_EVENT_ERROR + 1);

/* The title in @table of the value of @type whose nick is @name, translated; @name itself when
 * it names no value (a kind a newer Certdesk stored, say). */
static const char *
title_of (GType              type,
          const char *const *table,
          guint              n_entries,
          const char        *name)
{
  int value;

  if (!cd_job_enum_from_string (type, name, &value) || value < 0 || (guint) value >= n_entries)
    return name;
  /* gettext ("") is the catalog's header, not an empty title */
  if (table[value][0] == '\0')
    return "";
  return _(table[value]);
}

const char *
cd_job_kind_get_title (const char *kind)
{
  return title_of (CD_TYPE_JOB_KIND, kind_titles, G_N_ELEMENTS (kind_titles), kind);
}

const char *
cd_job_state_get_title (const char *state)
{
  return title_of (CD_TYPE_JOB_STATE, state_titles, G_N_ELEMENTS (state_titles), state);
}

const char *
cd_job_state_get_icon_name (const char *state)
{
  int value;

  /* an icon named after an unknown state would show as a missing image: a question mark
   * says more */
  if (!cd_job_enum_from_string (CD_TYPE_JOB_STATE, state, &value) ||
      value < 0 || (guint) value >= G_N_ELEMENTS (state_icon_names))
    return "dialog-question-symbolic";
  return state_icon_names[value];
}

const char *
cd_job_initiator_get_title (const char *initiator)
{
  return title_of (CD_TYPE_JOB_INITIATOR, initiator_titles, G_N_ELEMENTS (initiator_titles),
                   initiator);
}

const char *
cd_job_target_type_get_title (const char *target_type)
{
  return title_of (CD_TYPE_JOB_TARGET_TYPE, target_type_titles,
                   G_N_ELEMENTS (target_type_titles), target_type);
}

const char *
cd_job_event_level_get_title (const char *level)
{
  return title_of (CD_TYPE_JOB_EVENT_LEVEL, event_level_titles,
                   G_N_ELEMENTS (event_level_titles), level);
}

/* Groups */

static const char *const group_titles[] = {
  [CD_JOB_GROUP_ALL] = N_("All Kinds"),
  /* TRANSLATORS: the jobs that manage a subdomain's certificate: CSRs, installs and
   * renewals */
  [CD_JOB_GROUP_SUBDOMAINS] = N_("Subdomain Management"),
  /* TRANSLATORS: the jobs about data centers: their bundles and the keystores they go into */
  [CD_JOB_GROUP_DATA_CENTERS] = N_("Data Centers"),
  /* TRANSLATORS: the jobs that check hosts and DNS */
  [CD_JOB_GROUP_CHECKS] = N_("Checks"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (group_titles) == CD_JOB_GROUP_LAST + 1);

static const char *const subdomain_kinds[] = {
  "generate-csr", "install-certificate", "renew-certificate", NULL
};
static const char *const data_center_kinds[] = {
  "download-bundle", "import-bundle", "import-keystore", NULL
};
static const char *const check_kinds[] = {
  "check-hosts", "check-dns", NULL
};

const char *
cd_job_group_get_title (CdJobGroup group)
{
  g_return_val_if_fail ((guint) group <= CD_JOB_GROUP_LAST, NULL);
  return _(group_titles[group]);
}

const char *const *
cd_job_group_get_kinds (CdJobGroup group)
{
  g_return_val_if_fail ((guint) group <= CD_JOB_GROUP_LAST, NULL);

  switch (group)
    {
    case CD_JOB_GROUP_SUBDOMAINS:
      return subdomain_kinds;
    case CD_JOB_GROUP_DATA_CENTERS:
      return data_center_kinds;
    case CD_JOB_GROUP_CHECKS:
      return check_kinds;
    case CD_JOB_GROUP_ALL:
    default:
      return NULL;
    }
}

/* Search and sort */

/* @text folded so that case and the composition of accents do not matter. */
static char *
fold (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_DEFAULT_COMPOSE);
}

char **
cd_job_kinds_matching (const char *text)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autoptr(GStrvBuilder) kinds = NULL;
  g_autofree char *needle = NULL;
  guint n_found = 0;

  g_return_val_if_fail (text == NULL || g_utf8_validate (text, -1, NULL), NULL);

  if (text == NULL || text[0] == '\0')
    return NULL;

  klass = g_type_class_ref (CD_TYPE_JOB_KIND);
  kinds = g_strv_builder_new ();
  needle = fold (text);
  for (guint i = 0; i < klass->n_values; i++)
    {
      const char *kind = klass->values[i].value_nick;
      g_autofree char *title = fold (cd_job_kind_get_title (kind));

      if (strstr (title, needle) != NULL)
        {
          g_strv_builder_add (kinds, kind);
          n_found++;
        }
    }

  return n_found > 0 ? g_strv_builder_end (kinds) : NULL;
}

typedef struct
{
  const char *name;
  char       *key;
} Sortable;

static int
compare_sortables (gconstpointer a,
                   gconstpointer b)
{
  const Sortable *sa = a;
  const Sortable *sb = b;
  int order = strcmp (sa->key, sb->key);

  /* two titles a translation made equal still sort the same way every time */
  return order != 0 ? order : strcmp (sa->name, sb->name);
}

/* The nicks of @enum_type sorted by the titles @get_title gives them, NULL-terminated. */
static const char **
sort_by_title (GType         enum_type,
               const char *(*get_title) (const char *name))
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  g_autofree Sortable *sortables = g_new0 (Sortable, klass->n_values);
  const char **sorted = g_new0 (const char *, klass->n_values + 1);

  for (guint i = 0; i < klass->n_values; i++)
    {
      sortables[i].name = klass->values[i].value_nick;
      sortables[i].key = g_utf8_collate_key (get_title (sortables[i].name), -1);
    }
  qsort (sortables, klass->n_values, sizeof (Sortable), compare_sortables);

  /* nicks are static strings of the type */
  for (guint i = 0; i < klass->n_values; i++)
    {
      sorted[i] = sortables[i].name;
      g_free (sortables[i].key);
    }
  return sorted;
}

static gpointer
sort_kinds (gpointer data)
{
  return sort_by_title (CD_TYPE_JOB_KIND, cd_job_kind_get_title);
}

static gpointer
sort_states (gpointer data)
{
  return sort_by_title (CD_TYPE_JOB_STATE, cd_job_state_get_title);
}

static gpointer
sort_initiators (gpointer data)
{
  return sort_by_title (CD_TYPE_JOB_INITIATOR, cd_job_initiator_get_title);
}

/* Sorted once per process, in the language of the first call: the application sets its
 * locale and text domain before anything asks. */

const char *const *
cd_job_kinds_by_title (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, sort_kinds, NULL);
}

const char *const *
cd_job_states_by_title (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, sort_states, NULL);
}

const char *const *
cd_job_initiators_by_title (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, sort_initiators, NULL);
}
