// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "cd-subdomains-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cd-host-dialog.h"
#include "cd-inventory-cells.h"
#include "cd-inventory-filter.h"
#include "cd-instance-dialog.h"
#include "cd-status-label.h"
#include "cd-subdomain-dialog.h"
#include "cd-subdomains-page.h"

struct _CdSubdomainsPage
{
  AdwBin parent_instance;

  CdInventory *inventory;
  GtkFilter *filter;            /* a CdInventoryFilter shared by every level of the tree */
  GtkTreeListModel *tree_model;
  GtkSingleSelection *selection;

  GtkStack *stack;
  GtkStack *list_stack;
  GtkWidget *empty_add_button;
  GtkSearchEntry *search_entry;
  GtkColumnView *column_view;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *kind_column;
  GtkColumnViewColumn *data_center_column;
  GtkColumnViewColumn *status_column;
};

G_DEFINE_FINAL_TYPE (CdSubdomainsPage, cd_subdomains_page, ADW_TYPE_BIN)

enum {
  SIGNAL_ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Keyboard focus left in the hidden list would take the keys, shortcuts too, with it: a
 * first-time user's Ctrl+N would do nothing. */
static void
keep_focus_visible (CdSubdomainsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") != 0)
    return;

  if (focus == NULL ||
      (gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) && !gtk_widget_get_mapped (focus)))
    gtk_widget_grab_focus (self->empty_add_button);
}

static void
update_visible_page (CdSubdomainsPage *self)
{
  gboolean empty = self->inventory == NULL ||
                   g_list_model_get_n_items (cd_inventory_get_instances (self->inventory)) == 0;
  gboolean no_rows = self->selection == NULL ||
                     g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
  gtk_stack_set_visible_child_name (self->list_stack, no_rows ? "no-results" : "rows");

  keep_focus_visible (self);
}

static void
on_search_changed (CdSubdomainsPage *self)
{
  cd_inventory_filter_set_search (CD_INVENTORY_FILTER (self->filter),
                                  gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_visible_page (self);
}

static void
on_stop_search (CdSubdomainsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

void
cd_subdomains_page_set_compact (CdSubdomainsPage *self,
                                gboolean          compact)
{
  GListModel *columns;
  gboolean shown;

  g_return_if_fail (CD_IS_SUBDOMAINS_PAGE (self));

  /* Removing the columns, rather than hiding them, lets the name column take their room:
   * this GTK keeps the widths of hidden columns in its sums. */
  columns = gtk_column_view_get_columns (self->column_view);
  shown = g_list_model_get_n_items (columns) == 4;
  if (compact == !shown)
    return;

  if (compact)
    {
      gtk_column_view_remove_column (self->column_view, self->kind_column);
      gtk_column_view_remove_column (self->column_view, self->data_center_column);
    }
  else
    {
      gtk_column_view_insert_column (self->column_view, 1, self->kind_column);
      gtk_column_view_insert_column (self->column_view, 2, self->data_center_column);
    }
}

void
cd_subdomains_page_focus_list (CdSubdomainsPage *self)
{
  g_return_if_fail (CD_IS_SUBDOMAINS_PAGE (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    gtk_widget_grab_focus (self->empty_add_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

void
cd_subdomains_page_focus_search (CdSubdomainsPage *self)
{
  g_return_if_fail (CD_IS_SUBDOMAINS_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Tree */

static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  CdSubdomainsPage *self = user_data;
  GListModel *children;

  if (CD_IS_INSTANCE (item))
    children = cd_instance_get_subdomains (item);
  else if (CD_IS_SUBDOMAIN (item))
    children = cd_subdomain_get_hosts (item);
  else
    return NULL;

  return G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (children),
                                                  g_object_ref (self->filter)));
}

static char *
sort_name (GObject *item)
{
  return item != NULL ? g_utf8_collate_key (cd_inventory_item_get_name (item), -1) : NULL;
}

static int
item_status (GObject *item)
{
  if (CD_IS_INSTANCE (item))
    return cd_instance_get_status (CD_INSTANCE (item));
  if (CD_IS_SUBDOMAIN (item))
    return cd_subdomain_get_status (CD_SUBDOMAIN (item));
  if (CD_IS_HOST (item))
    return cd_host_get_status (CD_HOST (item));
  return 0;
}

static char *
sort_kind (GObject *item)
{
  return item != NULL ? g_utf8_collate_key (cd_inventory_item_get_kind_label (item), -1) : NULL;
}

static void
setup_sorters (CdSubdomainsPage *self)
{
  GtkSorter *sorter;

  sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (sort_name), NULL,
                                 NULL)));
  gtk_column_view_column_set_sorter (self->name_column, sorter);
  g_object_unref (sorter);

  sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (sort_kind), NULL,
                                 NULL)));
  gtk_column_view_column_set_sorter (self->kind_column, sorter);
  g_object_unref (sorter);

  sorter = GTK_SORTER (gtk_numeric_sorter_new (
    gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL, G_CALLBACK (item_status), NULL,
                                 NULL)));
  gtk_numeric_sorter_set_sort_order (GTK_NUMERIC_SORTER (sorter), GTK_SORT_DESCENDING);
  gtk_column_view_column_set_sorter (self->status_column, sorter);
  g_object_unref (sorter);
}

static void
on_items_changed (CdSubdomainsPage *self)
{
  update_visible_page (self);
}

static void update_actions (CdSubdomainsPage *self);

void
cd_subdomains_page_set_inventory (CdSubdomainsPage *self,
                                  CdInventory      *inventory)
{
  GtkTreeListModel *tree;
  GtkSortListModel *sorted;
  GtkTreeListRowSorter *row_sorter;
  GListModel *roots;

  g_return_if_fail (CD_IS_SUBDOMAINS_PAGE (self));
  g_return_if_fail (CD_IS_INVENTORY (inventory));

  if (self->inventory == inventory)
    return;

  g_set_object (&self->inventory, inventory);

  roots = G_LIST_MODEL (gtk_filter_list_model_new (
    g_object_ref (cd_inventory_get_instances (inventory)), g_object_ref (self->filter)));
  tree = gtk_tree_list_model_new (roots, FALSE, TRUE, create_child_model, self, NULL);
  g_set_object (&self->tree_model, tree);

  row_sorter = gtk_tree_list_row_sorter_new (
    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (tree), GTK_SORTER (row_sorter));

  g_clear_object (&self->selection);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cd_inventory_get_instances (inventory), "items-changed",
                           G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  update_visible_page (self);
  update_actions (self);
}

GObject *
cd_subdomains_page_get_selected_item (CdSubdomainsPage *self)
{
  GtkTreeListRow *row;

  g_return_val_if_fail (CD_IS_SUBDOMAINS_PAGE (self), NULL);

  if (self->selection == NULL)
    return NULL;

  row = gtk_single_selection_get_selected_item (self->selection);
  return row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
}

void
cd_subdomains_page_select_item (CdSubdomainsPage *self,
                                GObject          *item)
{
  GListModel *rows;
  guint n;

  g_return_if_fail (CD_IS_SUBDOMAINS_PAGE (self));

  if (self->selection == NULL)
    return;

  rows = G_LIST_MODEL (self->selection);
  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) row_item = gtk_tree_list_row_get_item (row);

      if (row_item == item)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u",
                                      i);
          return;
        }
    }
}

/* Actions */

static void
update_actions (CdSubdomainsPage *self)
{
  GObject *item = cd_subdomains_page_get_selected_item (self);
  gboolean writable = self->inventory != NULL && !cd_inventory_is_read_only (self->inventory);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.add-instance", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.add-subdomain",
                                 writable && item != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.add-host",
                                 writable && (CD_IS_SUBDOMAIN (item) || CD_IS_HOST (item)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.edit", writable && item != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.delete", writable && item != NULL);
}

static void
on_item_saved (CdSubdomainsPage *self,
               GObject          *item)
{
  /* A renamed item may now match the search, or no longer. */
  cd_inventory_filter_refresh (CD_INVENTORY_FILTER (self->filter));
  update_visible_page (self);
  cd_subdomains_page_select_item (self, item);
}

static void
present_dialog (CdSubdomainsPage *self,
                GtkWindow        *dialog)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (dialog, GTK_WINDOW (root));
  gtk_window_set_modal (dialog, TRUE);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_item_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

static CdInstance *
selected_instance (CdSubdomainsPage *self)
{
  GObject *item = cd_subdomains_page_get_selected_item (self);

  if (CD_IS_HOST (item))
    item = G_OBJECT (cd_host_get_subdomain (CD_HOST (item)));
  if (CD_IS_SUBDOMAIN (item))
    item = G_OBJECT (cd_subdomain_get_instance (CD_SUBDOMAIN (item)));
  return CD_IS_INSTANCE (item) ? CD_INSTANCE (item) : NULL;
}

static CdSubdomain *
selected_subdomain (CdSubdomainsPage *self)
{
  GObject *item = cd_subdomains_page_get_selected_item (self);

  if (CD_IS_HOST (item))
    item = G_OBJECT (cd_host_get_subdomain (CD_HOST (item)));
  return CD_IS_SUBDOMAIN (item) ? CD_SUBDOMAIN (item) : NULL;
}

static void
add_instance_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CdSubdomainsPage *self = CD_SUBDOMAINS_PAGE (widget);

  present_dialog (self, GTK_WINDOW (cd_instance_dialog_new (self->inventory, NULL)));
}

static void
add_subdomain_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CdSubdomainsPage *self = CD_SUBDOMAINS_PAGE (widget);
  CdInstance *instance = selected_instance (self);

  if (instance != NULL)
    present_dialog (self,
                    GTK_WINDOW (cd_subdomain_dialog_new (self->inventory, instance, NULL)));
}

static void
add_host_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CdSubdomainsPage *self = CD_SUBDOMAINS_PAGE (widget);
  CdSubdomain *subdomain = selected_subdomain (self);

  if (subdomain != NULL)
    present_dialog (self, GTK_WINDOW (cd_host_dialog_new (self->inventory, subdomain, NULL)));
}

static void
edit_item (CdSubdomainsPage *self,
           GObject          *item)
{
  GtkWindow *dialog = NULL;

  if (self->inventory == NULL || cd_inventory_is_read_only (self->inventory))
    return;

  if (CD_IS_INSTANCE (item))
    dialog = GTK_WINDOW (cd_instance_dialog_new (self->inventory, CD_INSTANCE (item)));
  else if (CD_IS_SUBDOMAIN (item))
    dialog = GTK_WINDOW (cd_subdomain_dialog_new (self->inventory,
                                                  cd_subdomain_get_instance (CD_SUBDOMAIN (item)),
                                                  CD_SUBDOMAIN (item)));
  else if (CD_IS_HOST (item))
    dialog = GTK_WINDOW (cd_host_dialog_new (self->inventory,
                                             cd_host_get_subdomain (CD_HOST (item)),
                                             CD_HOST (item)));

  if (dialog != NULL)
    present_dialog (self, dialog);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CdSubdomainsPage *self = CD_SUBDOMAINS_PAGE (widget);

  edit_item (self, cd_subdomains_page_get_selected_item (self));
}

static void
on_row_activated (CdSubdomainsPage *self,
                  guint             position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL)
    edit_item (self, cd_inventory_row_get_item (row));
}

/* The page, for an answer that may come after it has gone. */
static GWeakRef *
weak_page_new (CdSubdomainsPage *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  return weak;
}

static CdSubdomainsPage *
weak_page_take (GWeakRef *weak)
{
  CdSubdomainsPage *self = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return self;
}

typedef struct
{
  GWeakRef page;
  CdInventory *inventory;
  CdInventoryRemoval *removal;
} UndoData;

static void
undo_data_free (gpointer data,
                GClosure *closure)
{
  UndoData *undo = data;

  g_weak_ref_clear (&undo->page);
  g_clear_object (&undo->inventory);
  g_clear_pointer (&undo->removal, cd_inventory_removal_unref);
  g_free (undo);
}

static void
undone_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CdSubdomainsPage) self = weak_page_take (user_data);
  g_autoptr(GError) error = NULL;
  gboolean undone;

  undone = cd_inventory_undo_removal_finish (CD_INVENTORY (source), result, &error);
  if (self == NULL)
    return;

  if (!undone)
    {
      g_signal_emit (self, signals[SIGNAL_ADD_TOAST], 0, adw_toast_new (error->message));
      return;
    }

  cd_inventory_filter_refresh (CD_INVENTORY_FILTER (self->filter));
  update_visible_page (self);
}

static void
on_undo_clicked (AdwToast *toast,
                 UndoData *undo)
{
  g_autoptr(CdSubdomainsPage) self = g_weak_ref_get (&undo->page);
  /* one undo per deletion, however often the button is pressed */
  g_autoptr(CdInventoryRemoval) removal = g_steal_pointer (&undo->removal);

  if (removal == NULL || self == NULL)
    return;

  cd_inventory_undo_removal_async (undo->inventory, removal, NULL, undone_cb,
                                   weak_page_new (self));
}

typedef struct
{
  GWeakRef *page;
  char *title;    /* the item may go with the removal: its name, kept for the toast */
  guint position; /* the row selected when the deletion was asked for */
} Deletion;

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deletion *deletion = user_data;
  g_autoptr(CdSubdomainsPage) self = weak_page_take (deletion->page);
  g_autofree char *title = deletion->title;
  guint position = deletion->position;
  g_autoptr(CdInventoryRemoval) removal = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;
  UndoData *undo;
  guint n_rows;

  g_free (deletion);
  removal = cd_inventory_remove_finish (CD_INVENTORY (source), result, &error);
  if (self == NULL)
    return;

  if (removal == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_ADD_TOAST], 0, adw_toast_new (error->message));
      return;
    }

  undo = g_new0 (UndoData, 1);
  g_weak_ref_init (&undo->page, self);
  undo->inventory = g_object_ref (CD_INVENTORY (source));
  undo->removal = g_steal_pointer (&removal);

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_clicked), undo,
                         undo_data_free, 0);
  g_signal_emit (self, signals[SIGNAL_ADD_TOAST], 0, toast);
  update_visible_page (self);

  /* Keep the keyboard where it was: on the row that took the deleted one's place. */
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (n_rows > 0 && position != GTK_INVALID_LIST_POSITION)
    {
      position = MIN (position, n_rows - 1);
      gtk_single_selection_set_selected (self->selection, position);
      gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u",
                                  position);
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
}

static void
delete_item (CdSubdomainsPage *self,
             GObject          *item)
{
  Deletion *deletion = g_new0 (Deletion, 1);

  deletion->page = weak_page_new (self);
  deletion->title = g_strdup_printf (_("“%s” deleted"), cd_inventory_item_get_name (item));
  deletion->position = gtk_single_selection_get_selected (self->selection);
  cd_inventory_remove_async (self->inventory, item, NULL, removed_cb, deletion);
}

static char *
describe_deletion (GObject *item)
{
  if (CD_IS_INSTANCE (item))
    {
      CdInstance *instance = CD_INSTANCE (item);
      guint n_subdomains = g_list_model_get_n_items (cd_instance_get_subdomains (instance));
      guint n_hosts = cd_instance_count_hosts (instance);
      g_autofree char *hosts = NULL;

      if (n_subdomains == 0)
        return g_strdup_printf (_("“%s” will be removed from the inventory."),
                                cd_instance_get_name (instance));

      /* TRANSLATORS: the end of "… with its 4 subdomains and 12 hosts" */
      hosts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u host", "%u hosts", n_hosts),
                               n_hosts);
      /* TRANSLATORS: %s is the instance's name, %u a number of subdomains, the last %s the
       * number of hosts ("12 hosts") */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "“%s” will be removed from the "
                                           "inventory with its %u subdomain and %s.",
                                           "“%s” will be removed from the inventory with its "
                                           "%u subdomains and %s.",
                                           n_subdomains),
                              cd_instance_get_name (instance), n_subdomains, hosts);
    }

  if (CD_IS_SUBDOMAIN (item))
    {
      CdSubdomain *subdomain = CD_SUBDOMAIN (item);
      guint n_hosts = g_list_model_get_n_items (cd_subdomain_get_hosts (subdomain));

      if (n_hosts == 0)
        return g_strdup_printf (_("“%s” will be removed from the inventory."),
                                cd_subdomain_get_display_name (subdomain));

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "“%s” will be removed from the inventory with its "
                                           "%u host.",
                                           "“%s” will be removed from the inventory with its "
                                           "%u hosts.",
                                           n_hosts),
                              cd_subdomain_get_display_name (subdomain), n_hosts);
    }

  return g_strdup_printf (_("“%s” will be removed from the inventory."),
                          cd_host_get_display_name (CD_HOST (item)));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CdSubdomainsPage *self)
{
  GObject *item = g_object_get_data (G_OBJECT (dialog), "cd-item");

  if (g_strcmp0 (response, "delete") == 0 && item != NULL)
    delete_item (self, item);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CdSubdomainsPage *self = CD_SUBDOMAINS_PAGE (widget);
  GObject *item = cd_subdomains_page_get_selected_item (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  const char *heading;
  AdwMessageDialog *dialog;

  if (item == NULL)
    return;

  if (CD_IS_INSTANCE (item))
    heading = _("Delete Instance?");
  else if (CD_IS_SUBDOMAIN (item))
    heading = _("Delete Subdomain?");
  else
    heading = _("Delete Host?");

  body = describe_deletion (item);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cd-item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Life cycle */

static void
cd_subdomains_page_dispose (GObject *object)
{
  CdSubdomainsPage *self = CD_SUBDOMAINS_PAGE (object);

  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree_model);
  g_clear_object (&self->inventory);

  G_OBJECT_CLASS (cd_subdomains_page_parent_class)->dispose (object);
}

static void
cd_subdomains_page_finalize (GObject *object)
{
  CdSubdomainsPage *self = CD_SUBDOMAINS_PAGE (object);

  g_clear_object (&self->filter);
  g_clear_object (&self->kind_column);
  g_clear_object (&self->data_center_column);

  G_OBJECT_CLASS (cd_subdomains_page_parent_class)->finalize (object);
}

static void
cd_subdomains_page_class_init (CdSubdomainsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_subdomains_page_dispose;
  object_class->finalize = cd_subdomains_page_finalize;

  /* Asks the window to show a toast: a page does not reach into its parent. */
  signals[SIGNAL_ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (CD_TYPE_STATUS_LABEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/cd-subdomains-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, kind_column);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, data_center_column);
  gtk_widget_class_bind_template_child (widget_class, CdSubdomainsPage, status_column);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  cd_inventory_cells_bind_template_callbacks (widget_class);

  gtk_widget_class_install_action (widget_class, "page.add-instance", NULL,
                                   add_instance_activated);
  gtk_widget_class_install_action (widget_class, "page.add-subdomain", NULL,
                                   add_subdomain_activated);
  gtk_widget_class_install_action (widget_class, "page.add-host", NULL, add_host_activated);
  gtk_widget_class_install_action (widget_class, "page.edit", NULL, edit_activated);
  gtk_widget_class_install_action (widget_class, "page.delete", NULL, delete_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "page.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "page.edit", NULL);
}

static void
cd_subdomains_page_init (CdSubdomainsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = GTK_FILTER (cd_inventory_filter_new ());
  /* kept while compact mode takes them out of the view */
  g_object_ref (self->kind_column);
  g_object_ref (self->data_center_column);
  setup_sorters (self);
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);
  update_visible_page (self);
  update_actions (self);
}
