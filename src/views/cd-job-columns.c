// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-job-columns"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-job-columns.h"

/* A column's sorter never sorts: the store does. Asked to compare, it notes that it was asked
 * and answers "larger", so that the column view's sorter, asked to compare two rows, tells
 * which column is its first and in which direction (GTK 4.8 has no getter for either). */
#define CD_TYPE_JOB_ORDER_SORTER (cd_job_order_sorter_get_type ())
G_DECLARE_FINAL_TYPE (CdJobOrderSorter, cd_job_order_sorter, CD, JOB_ORDER_SORTER, GtkSorter)

struct _CdJobOrderSorter
{
  GtkSorter  parent_instance;
  CdJobOrder order;
  gboolean   asked;
};

G_DEFINE_FINAL_TYPE (CdJobOrderSorter, cd_job_order_sorter, GTK_TYPE_SORTER)

static GtkOrdering
cd_job_order_sorter_compare (GtkSorter *sorter,
                             gpointer   item1,
                             gpointer   item2)
{
  CD_JOB_ORDER_SORTER (sorter)->asked = TRUE;
  return GTK_ORDERING_LARGER;
}

static GtkSorterOrder
cd_job_order_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
cd_job_order_sorter_class_init (CdJobOrderSorterClass *klass)
{
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  sorter_class->compare = cd_job_order_sorter_compare;
  sorter_class->get_order = cd_job_order_sorter_get_order;
}

static void
cd_job_order_sorter_init (CdJobOrderSorter *self)
{
}

static GtkSorter *
cd_job_order_sorter_new (CdJobOrder order)
{
  CdJobOrderSorter *self = g_object_new (CD_TYPE_JOB_ORDER_SORTER, NULL);

  self->order = order;
  return GTK_SORTER (self);
}

gboolean
cd_job_columns_get_order (GtkColumnView *view,
                          CdJobOrder    *out_order,
                          gboolean      *out_ascending)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(CdJob) first = cd_job_new_placeholder ();
  g_autoptr(CdJob) second = cd_job_new_placeholder ();
  GtkOrdering ordering;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (CD_IS_JOB_ORDER_SORTER (sorter))
        CD_JOB_ORDER_SORTER (sorter)->asked = FALSE;
    }

  ordering = gtk_sorter_compare (gtk_column_view_get_sorter (view), first, second);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (CD_IS_JOB_ORDER_SORTER (sorter) && CD_JOB_ORDER_SORTER (sorter)->asked)
        {
          *out_order = CD_JOB_ORDER_SORTER (sorter)->order;
          *out_ascending = ordering == GTK_ORDERING_LARGER;
          return TRUE;
        }
    }
  return FALSE;
}

/* Formatting */

char *
cd_job_format_time (gint64 time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (time == 0)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  /* the same width on every day, and sorted as text as it is in time */
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

GtkWidget *
cd_job_state_label_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "job-state");
  return box;
}

static const char *const state_classes[] = {
  CD_JOB_STATE_QUEUED, CD_JOB_STATE_RUNNING, CD_JOB_STATE_FINISHED, CD_JOB_STATE_FAILED,
  CD_JOB_STATE_CANCELLED, CD_JOB_STATE_INTERRUPTED,
};

void
cd_job_state_label_set (GtkWidget  *box,
                        const char *state)
{
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);

  /* a row that takes another job in the same state changes nothing here */
  if (g_strcmp0 (g_object_get_data (G_OBJECT (box), "cd-state"), state) == 0 &&
      g_object_get_data (G_OBJECT (box), "cd-state-set") != NULL)
    return;
  g_object_set_data_full (G_OBJECT (box), "cd-state", g_strdup (state), g_free);
  g_object_set_data (G_OBJECT (box), "cd-state-set", GINT_TO_POINTER (TRUE));

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (box, state_classes[i]);

  if (state == NULL)
    {
      gtk_image_clear (GTK_IMAGE (image));
      gtk_label_set_label (GTK_LABEL (label), "");
      return;
    }
  gtk_widget_add_css_class (box, state);
  gtk_image_set_from_icon_name (GTK_IMAGE (image), cd_job_state_get_icon_name (state));
  gtk_label_set_label (GTK_LABEL (label), cd_job_state_get_title (state));
}

/* Cells: each shows its job, and follows it (a placeholder fills in; a running job moves on) */

typedef void (*CellUpdate) (GtkWidget *cell,
                            CdJob     *job);

typedef struct
{
  GtkWidget  *(*create) (void);
  CellUpdate  update;
  /* the properties it shows, notify::NAME details: a row that takes another job notifies
   * every property, and each cell redraws for its own only */
  const char *notify[4];
} CellKind;

static void
cell_update_from_notify (CdJob      *job,
                         GParamSpec *pspec,
                         GtkListItem *list_item)
{
  CellUpdate update = g_object_get_data (G_OBJECT (list_item), "cd-update");

  update (gtk_list_item_get_child (list_item), job);
}

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            const CellKind           *kind)
{
  gtk_list_item_set_child (list_item, kind->create ());
  g_object_set_data (G_OBJECT (list_item), "cd-update", kind->update);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           const CellKind           *kind)
{
  CdJob *job = gtk_list_item_get_item (list_item);

  for (guint i = 0; i < G_N_ELEMENTS (kind->notify) && kind->notify[i] != NULL; i++)
    g_signal_connect (job, kind->notify[i], G_CALLBACK (cell_update_from_notify), list_item);
  kind->update (gtk_list_item_get_child (list_item), job);
}

static void
cell_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             const CellKind           *kind)
{
  CdJob *job = gtk_list_item_get_item (list_item);

  if (job != NULL)
    g_signal_handlers_disconnect_by_func (job, cell_update_from_notify, list_item);
  kind->update (gtk_list_item_get_child (list_item), NULL);
}

static GtkWidget *
label_create (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

static GtkWidget *
numeric_label_create (void)
{
  GtkWidget *label = label_create ();

  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
kind_update (GtkWidget *cell,
             CdJob     *job)
{
  const char *kind = job != NULL ? cd_job_get_kind (job) : NULL;

  gtk_label_set_label (GTK_LABEL (cell), kind != NULL ? cd_job_kind_get_title (kind) : "");
}

static void
target_update (GtkWidget *cell,
               CdJob     *job)
{
  const char *target = job != NULL ? cd_job_get_target (job) : NULL;
  const char *type = job != NULL ? cd_job_get_target_type (job) : NULL;

  gtk_label_set_label (GTK_LABEL (cell), target != NULL ? target : "");
  gtk_widget_set_tooltip_text (cell, type != NULL && type[0] != '\0'
                                       ? cd_job_target_type_get_title (type) : NULL);
}

/* The state's icon and word; a running job's cell gets a progress bar after them, made only
 * then: some 200 rows are held, few of them running. */
static GtkWidget *
state_create (void)
{
  return cd_job_state_label_new ();
}

static GtkWidget *
state_progress (GtkWidget *cell,
                gboolean   running)
{
  GtkWidget *progress = gtk_widget_get_last_child (cell);

  if (!GTK_IS_PROGRESS_BAR (progress))
    progress = NULL;
  if (running && progress == NULL)
    {
      progress = gtk_progress_bar_new ();
      gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
      gtk_widget_set_hexpand (progress, TRUE);
      gtk_widget_set_margin_start (progress, 2);
      gtk_box_append (GTK_BOX (cell), progress);
    }
  else if (!running && progress != NULL)
    {
      gtk_box_remove (GTK_BOX (cell), progress);
      progress = NULL;
    }
  return progress;
}

/* A running job's cell ticks every second: elapsed time moves, a job without a fraction
 * pulses. */
static gboolean
tick (gpointer user_data)
{
  GtkWidget *cell = user_data;
  CdJob *job = g_object_get_data (G_OBJECT (cell), "cd-job");
  CellUpdate update = g_object_get_data (G_OBJECT (cell), "cd-tick-update");

  if (job != NULL && update != NULL)
    update (cell, job);
  return G_SOURCE_CONTINUE;
}

static void
set_ticking (GtkWidget  *cell,
             CdJob      *job,
             CellUpdate  update)
{
  guint source = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "cd-tick"));
  gboolean running = job != NULL &&
                     g_strcmp0 (cd_job_get_state (job), CD_JOB_STATE_RUNNING) == 0;

  /* the job is not referenced: the cell forgets it on unbind, before the row lets go of it */
  g_object_set_data (G_OBJECT (cell), "cd-job", running ? job : NULL);
  g_object_set_data (G_OBJECT (cell), "cd-tick-update", update);
  if (running && source == 0)
    {
      source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 1, tick, g_object_ref (cell),
                                           g_object_unref);
      g_object_set_data (G_OBJECT (cell), "cd-tick", GUINT_TO_POINTER (source));
    }
  else if (!running && source != 0)
    {
      g_source_remove (source);
      g_object_set_data (G_OBJECT (cell), "cd-tick", NULL);
    }
}

static void state_update (GtkWidget *cell, CdJob *job);

static void
state_tick (GtkWidget *cell,
            CdJob     *job)
{
  GtkWidget *progress = state_progress (cell, TRUE);

  if (cd_job_get_progress (job) < 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (progress));
}

static void
state_update (GtkWidget *cell,
              CdJob     *job)
{
  const char *state = job != NULL ? cd_job_get_state (job) : NULL;
  gboolean running = g_strcmp0 (state, CD_JOB_STATE_RUNNING) == 0;
  const char *step = running ? cd_job_get_step (job) : NULL;
  GtkWidget *progress = state_progress (cell, running);

  cd_job_state_label_set (cell, state);
  if (progress != NULL && cd_job_get_progress (job) >= 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (progress), cd_job_get_progress (job));
  if (g_strcmp0 (gtk_widget_get_tooltip_text (cell), step) != 0)
    gtk_widget_set_tooltip_text (cell, step);
  set_ticking (cell, job, state_tick);
}

static void
started_update (GtkWidget *cell,
                CdJob     *job)
{
  g_autofree char *text = cd_job_format_time (job != NULL ? cd_job_get_created (job) : 0);

  gtk_label_set_label (GTK_LABEL (cell), text);
}

static void
duration_update (GtkWidget *cell,
                 CdJob     *job)
{
  g_autofree char *text = NULL;

  if (job != NULL && cd_job_get_started (job) != 0)
    text = cd_record_format_duration (cd_job_get_duration (job, g_get_real_time ()), FALSE);
  gtk_label_set_label (GTK_LABEL (cell), text != NULL ? text : "");
  set_ticking (cell, job, duration_update);
}

static void
initiator_update (GtkWidget *cell,
                  CdJob     *job)
{
  const char *initiator = job != NULL ? cd_job_get_initiator (job) : NULL;

  gtk_label_set_label (GTK_LABEL (cell),
                       initiator != NULL ? cd_job_initiator_get_title (initiator) : "");
}

static GtkWidget *
cancel_create (void)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("process-stop-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
cancel_update (GtkWidget *cell,
               CdJob     *job)
{
  gboolean active = job != NULL && cd_job_is_loaded (job) && cd_job_is_active (job);
  g_autofree char *name = NULL;

  gtk_widget_set_visible (cell, active);
  /* the action and its target change together: a button never names the action without the
   * job it cancels */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cell), NULL);
  if (!active)
    {
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (cell), NULL);
      return;
    }

  gtk_actionable_set_action_target (GTK_ACTIONABLE (cell), "x", cd_job_get_id (job));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cell), "jobs.cancel");
  /* Translators: the accessible name of a job's Cancel button; %s is the job's target */
  name = g_strdup_printf (_("Cancel %s"), cd_job_get_target (job));
  gtk_widget_set_tooltip_text (cell, _("Cancel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static const CellKind kind_cell = { label_create, kind_update, { "notify::kind" } };
static const CellKind target_cell = {
  label_create, target_update, { "notify::target", "notify::target-type" }
};
static const CellKind state_cell = {
  state_create, state_update, { "notify::state", "notify::progress", "notify::step" }
};
static const CellKind started_cell = { numeric_label_create, started_update, { "notify::created" } };
static const CellKind duration_cell = {
  numeric_label_create, duration_update, { "notify::started", "notify::finished", "notify::state" }
};
static const CellKind initiator_cell = {
  label_create, initiator_update, { "notify::initiator" }
};
static const CellKind cancel_cell = {
  cancel_create, cancel_update, { "notify::state", "notify::id", "notify::loaded" }
};

static GtkColumnViewColumn *
add_column (GtkColumnView  *view,
            const char     *title,
            const CellKind *kind,
            int             order,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), (gpointer) kind);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), (gpointer) kind);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), (gpointer) kind);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  if (order >= 0)
    {
      g_autoptr(GtkSorter) sorter = cd_job_order_sorter_new (order);

      gtk_column_view_column_set_sorter (column, sorter);
    }
  gtk_column_view_append_column (view, column);
  return column;
}

void
cd_job_columns_add (GtkColumnView *view,
                    CdJobColumns  *columns)
{
  columns->kind = add_column (view, _("Kind"), &kind_cell, CD_JOB_ORDER_KIND, FALSE);
  columns->target = add_column (view, _("Target"), &target_cell, CD_JOB_ORDER_TARGET, TRUE);
  columns->state = add_column (view, _("State"), &state_cell, CD_JOB_ORDER_STATE, FALSE);
  columns->started = add_column (view, _("Started"), &started_cell, CD_JOB_ORDER_CREATED, FALSE);
  columns->duration = add_column (view, _("Duration"), &duration_cell, CD_JOB_ORDER_DURATION,
                                  FALSE);
  columns->initiator = add_column (view, _("Initiated By"), &initiator_cell,
                                   CD_JOB_ORDER_INITIATOR, FALSE);
  /* Translators: the header of the column of Cancel buttons */
  columns->cancel = add_column (view, _("Cancel"), &cancel_cell, -1, FALSE);
  gtk_column_view_column_set_resizable (columns->cancel, FALSE);

  gtk_column_view_column_set_fixed_width (columns->kind, 190);
  gtk_column_view_column_set_fixed_width (columns->state, 170);

  gtk_column_view_sort_by_column (view, columns->started, GTK_SORT_DESCENDING);
}
