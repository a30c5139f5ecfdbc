"""`RecordTab`: one entity's list (search, status filter, sortable columns) and its record actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label, codes_of
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import UserError
from crmdesk.services.exporter import ExportResult, export_list
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.errors import ask_to_confirm, show_user_error
from crmdesk.views.lead_rules_page import LeadLifecycleActions
from crmdesk.views.record_form import ConvertLeadDialog, RecordDialog, service_for
from crmdesk.views.table_model import RecordTableModel

# Settings keep per-table choices under the table's plural name.
TABLE_NAMES = {"lead": "leads", "customer": "customers", "opportunity": "opportunities", "order": "orders"}
SEARCH_DELAY_MS = 250
MAX_DEFAULT_WIDTH = 320  # px: a long note or company name is cut off (with a tooltip), not the table


def search_box(parent: QWidget, name: str, apply: Callable[[], None]) -> tuple[QLineEdit, QTimer]:
    """A list's search box: `apply` runs a moment after typing stops (one query for a burst of keys) or at
    once on Enter. Returns the box and its timer (stopped by `apply`'s owner when it runs)."""
    box = QLineEdit(parent)
    box.setObjectName(name)
    box.setClearButtonEnabled(True)
    box.setPlaceholderText(QCoreApplication.translate("RecordTab", "Search name, pinyin initials, phone…"))
    box.setMinimumWidth(260)
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(SEARCH_DELAY_MS)
    timer.timeout.connect(apply)
    box.textChanged.connect(lambda _text: timer.start())
    box.returnPressed.connect(apply)
    return box, timer


class RecordTab(QWidget):
    """The list of one entity. The model is made on first `activate()`, so a hidden tab costs nothing."""

    count_changed = Signal(str, int)  # entity, rows in the list as filtered
    records_changed = Signal(str)  # entity whose records were created, edited, deleted or converted
    record_converted = Signal(object)  # the Conversion of a lead
    export_started = Signal(str)  # entity
    export_finished = Signal(object)  # the ExportResult
    duplicates_requested = Signal(object)  # the RecordRef of a lead or customer to check for duplicates

    def __init__(self, services: Services, actor: Actor, entity: str, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tab_{entity}")
        self.services = services
        self.actor = actor
        self.entity = entity
        self.settings = settings
        self.table_name = TABLE_NAMES.get(entity, entity)
        self.service = service_for(services, entity)
        self._model: RecordTableModel | None = None
        self.dialog: QDialog | None = None  # the form (or a customer's 360° view) open from this tab
        self.row_menu: QMenu | None = None  # the right-click menu shown last

        self.search_box, self._search_timer = search_box(self, "searchBox", self.apply_search)

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        status = next((spec for spec in self.service.fields if spec.name == "status"), None)
        codes = status.choices if status is not None else codes_of(entity, "status")
        if codes and "status" in self.service.filterable:
            for code in codes:
                self.status_filter.addItem(code_label(entity, "status", code), code)
        else:
            self.status_filter.hide()
        self.status_filter.currentIndexChanged.connect(self.apply_filters)
        self.qualification_filter: QComboBox | None = None
        self.lifecycle: LeadLifecycleActions | None = None
        if entity == "lead":  # MQL / SQL (seed 001), and the lifecycle actions
            self.qualification_filter = QComboBox(self)
            self.qualification_filter.setObjectName("qualificationFilter")
            self.qualification_filter.addItem(self.tr("All qualifications"), None)
            for code in codes_of(entity, "qualification"):
                self.qualification_filter.addItem(code_label(entity, "qualification", code), code)
            self.qualification_filter.addItem(self.tr("Not qualified"), "")
            self.qualification_filter.currentIndexChanged.connect(self.apply_filters)
            self.lifecycle = LeadLifecycleActions(self)

        self.new_button = QPushButton(self.tr("New"), self)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.convert_button: QPushButton | None = None
        self.new_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)

        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 2)
        bar.addWidget(self.status_filter)
        if self.qualification_filter is not None:
            bar.addWidget(self.qualification_filter)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        if entity == "lead":
            self.convert_button = QPushButton(self.tr("Convert"), self)
            self.convert_button.setObjectName("convertButton")
            self.convert_button.setToolTip(self.tr("Turn the lead into a customer, contact and opportunity"))
            self.convert_button.clicked.connect(self.convert_current)
            bar.addWidget(self.convert_button)
        for button in self.lifecycle.buttons if self.lifecycle is not None else ():
            bar.addWidget(button)
        bar.addWidget(self.delete_button)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip(self.tr("Save the list as it is filtered and sorted now (CSV or Excel)"))
        self.export_button.clicked.connect(lambda: self.export_list())
        bar.addWidget(self.export_button)
        self._exports = BackgroundCaller()
        self._exports.finished.connect(self._on_export_finished)

        self.view = QTableView(self)
        self.view.setObjectName(f"table_{entity}")
        # Cheap scrolling over a million rows: fixed row height, no wrapping, whole-row selection.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_column_menu)
        # Double-click or Enter opens a record. Not `activated`: on some desktops that is a single
        # click, and where it is a double click it would open the record twice.
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.show_row_menu)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.view)

        # Ctrl+F is the window's "Find in list" action (one owner, or Qt calls the key ambiguous).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.view)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.edit_current)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_current)
        # The menu key and Shift+F10 open the row menu at the current row (Qt maps only the menu key itself).
        for sequence in (QKeySequence(Qt.Key.Key_Menu), QKeySequence("Shift+F10")):
            menu_key = QShortcut(sequence, self.view)
            menu_key.setContext(Qt.ShortcutContext.WidgetShortcut)
            menu_key.activated.connect(self.show_row_menu_at_current)

    # ---- export ----------------------------------------------------------------------------
    def export_list(self, path: str | None = None) -> None:
        """Write the list as the user sees it (filter, search, order) to CSV or xlsx, off the GUI thread."""
        if path is None:
            suggested = f"{self.table_name}-{date.today():%Y%m%d}.xlsx"
            path, _chosen = QFileDialog.getSaveFileName(
                self, self.tr("Export the list"), suggested, self.tr("Excel (*.xlsx);;CSV (*.csv)"))
            if not path:
                return
        target = Path(path)
        fmt = "csv" if target.suffix.lower() == ".csv" else "xlsx"
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_suffix(".xlsx")
        service, actor, query = self.service, self.actor, self.model.query
        self.export_button.setEnabled(False)
        self.export_started.emit(self.entity)
        self._exports.start(lambda: export_list(service, actor, target, fmt=fmt, query=query))

    def _on_export_finished(self, _ticket: int, result: ExportResult | None, error: BaseException | None) -> None:
        self.export_button.setEnabled(True)
        if error is not None:
            if isinstance(error, UserError):
                show_user_error(self, error)
                return
            raise error
        assert result is not None
        self.export_finished.emit(result)

    # ---- the model, made on first show ---------------------------------------------------
    @property
    def model(self) -> RecordTableModel:
        if self._model is None:
            self.activate()
        assert self._model is not None
        return self._model

    def is_loaded(self) -> bool:
        return self._model is not None

    def activate(self) -> None:
        """Make the model and load its first page (once); later calls do nothing."""
        if self._model is not None:
            return
        sort_key = self.settings.sort_columns.get(self.table_name)
        if sort_key not in [column.key for column in self.service.columns]:
            sort_key = None
        descending = bool(sort_key and self.settings.sort_descending.get(self.table_name))
        # The remembered order goes into the first query, so the first page is read once, in that order.
        model = RecordTableModel(self.service, self.actor, ListQuery(sort_key=sort_key, descending=descending),
                                 page_size=self.settings.page_size, parent=self)
        self._model = model
        model.loaded.connect(lambda total: self.count_changed.emit(self.entity, total))
        model.loading.connect(lambda _busy: self.count_changed.emit(self.entity, model.total))
        model.modelReset.connect(self._update_buttons)
        header = self.view.horizontalHeader()
        self.view.setModel(model)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._apply_column_settings()
        if sort_key is not None:
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(model.column_keys.index(sort_key), order)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's default order
        # Sorting goes to the model (SQL); enabling it sorts by the indicator once.
        self.view.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._remember_sort)
        header.sectionResized.connect(self._remember_width)
        self._update_buttons()
        self.count_changed.emit(self.entity, model.total)

    # ---- columns -------------------------------------------------------------------------
    def _apply_column_settings(self) -> None:
        assert self._model is not None
        keys = self._model.column_keys
        header = self.view.horizontalHeader()
        visible = self.settings.visible_columns.get(self.table_name) or []
        widths = self.settings.column_widths.get(self.table_name, {})
        if visible:
            shown = [key for key in visible if key in keys]
            for position, key in enumerate(shown):  # settings keep the user's column order too
                header.moveSection(header.visualIndex(keys.index(key)), position)
        for section, key in enumerate(keys):
            self.view.setColumnHidden(section, bool(visible) and key not in visible)
            width = widths.get(key)
            if width:
                self.view.setColumnWidth(section, width)
            else:
                self.view.setColumnWidth(section, self._default_width(section))

    def _default_width(self, section: int) -> int:
        """Wide enough for the title and the values of the rows read so far, within reason."""
        assert self._model is not None
        metrics = self.view.fontMetrics()
        title = str(self._model.headerData(section, Qt.Orientation.Horizontal) or "")
        texts = self._model.column_texts(section)[:200]
        widest = max([metrics.horizontalAdvance(text) for text in texts] or [0])
        # Room for the sort arrow beside the title, and for the cell's margins.
        width = max(widest + 14, self.view.horizontalHeader().fontMetrics().horizontalAdvance(title) + 28)
        return min(max(width, 56), MAX_DEFAULT_WIDTH)

    def show_column_menu(self, position: QPoint) -> None:
        menu = self.column_menu()
        menu.popup(self.view.horizontalHeader().mapToGlobal(position))

    def column_menu(self) -> QMenu:
        """Tick the columns to show; the choice is kept in the settings for this table."""
        model = self.model
        menu = QMenu(self)
        menu.setObjectName("columnMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        shown = [s for s in range(len(model.columns)) if not self.view.isColumnHidden(s)]
        for section in range(len(model.columns)):
            action = QAction(str(model.headerData(section, Qt.Orientation.Horizontal)), menu)
            action.setCheckable(True)
            action.setChecked(section in shown)
            action.setEnabled(not (section in shown and len(shown) == 1))  # keep one column
            action.setData(model.column_keys[section])
            action.toggled.connect(lambda checked, s=section: self.set_column_visible(s, checked))
            menu.addAction(action)
        menu.addSeparator()
        reset = menu.addAction(self.tr("Show all columns"))
        reset.triggered.connect(self.show_all_columns)
        return menu

    def set_column_visible(self, section: int, visible: bool) -> None:
        self.view.setColumnHidden(section, not visible)
        if visible and self.view.columnWidth(section) < 20:
            self.view.setColumnWidth(section, self._default_width(section))
        self._remember_columns()

    def show_all_columns(self) -> None:
        for section in range(self.model.columnCount()):
            self.set_column_visible(section, True)

    def visible_column_keys(self) -> list[str]:
        """The shown columns in the order the user sees them."""
        header = self.view.horizontalHeader()
        keys = self.model.column_keys
        sections = sorted(range(len(keys)), key=header.visualIndex)
        return [keys[s] for s in sections if not self.view.isColumnHidden(s)]

    def _remember_columns(self) -> None:
        visible = dict(self.settings.visible_columns)
        visible[self.table_name] = self.visible_column_keys()
        self.settings.visible_columns = visible

    def _remember_width(self, section: int, _old: int, new: int) -> None:
        if new <= 0 or self._model is None:
            return  # hiding a column resizes it to 0: that is not a width to keep
        widths = {table: dict(values) for table, values in self.settings.column_widths.items()}
        widths.setdefault(self.table_name, {})[self._model.column_keys[section]] = min(new, 10_000)
        self.settings.column_widths = widths

    def _remember_sort(self, section: int, order: Qt.SortOrder) -> None:
        if self._model is None:
            return
        sort_columns = dict(self.settings.sort_columns)
        descending = dict(self.settings.sort_descending)
        if 0 <= section < len(self._model.column_keys):
            sort_columns[self.table_name] = self._model.column_keys[section]
            descending[self.table_name] = order == Qt.SortOrder.DescendingOrder
        else:
            sort_columns.pop(self.table_name, None)
            descending.pop(self.table_name, None)
        self.settings.sort_columns = sort_columns
        self.settings.sort_descending = descending

    def save_state(self) -> None:
        """Record column order and visibility (widths and sort are recorded as they change)."""
        if self._model is not None:
            self._remember_columns()

    # ---- the row menu ----------------------------------------------------------------------
    def show_row_menu(self, position: QPoint) -> QMenu | None:
        """Right click on a row: it becomes the current row (kept in a selection it belongs to), then its menu."""
        if self._model is None:
            return None
        index = self.view.indexAt(position)
        if not index.isValid():
            return None
        selection = self.view.selectionModel()
        if index.row() not in {selected.row() for selected in selection.selectedRows()}:
            self.view.selectRow(index.row())
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        return self._popup_row_menu(self.view.viewport().mapToGlobal(position))

    def show_row_menu_at_current(self) -> QMenu | None:
        if self.current_id() is None:
            return None
        index = self.view.currentIndex()
        if not index.isValid() or self.model.record_id(index.row()) != self.current_id():
            row = self.model.row_of(self.current_id() or "")
            index = self.model.index(row or 0, max(index.column(), 0))
        rect = self.view.visualRect(index)
        return self._popup_row_menu(self.view.viewport().mapToGlobal(rect.bottomLeft()))

    def _popup_row_menu(self, where: QPoint) -> QMenu | None:
        menu = self.row_actions_menu()
        if menu is None:
            return None
        self.row_menu = menu
        menu.popup(where)
        return menu

    def row_actions_menu(self) -> QMenu | None:
        """The actions on the current row: open, find its duplicates, the lead's lifecycle, delete."""
        record_id = self.current_id()
        if record_id is None or self._model is None:
            return None
        menu = QMenu(self)
        menu.setObjectName("rowMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setToolTipsVisible(True)

        def add(text: str, name: str, slot: Any, enabled: bool = True, tip: str = "") -> QAction:
            action = menu.addAction(text)
            action.setObjectName(name)
            action.setEnabled(enabled)
            if tip:
                action.setToolTip(tip)
            action.triggered.connect(slot)
            return action

        opened = add(self.tr("Open"), "openAction", lambda: self.open_record(record_id))
        font = opened.font()
        font.setBold(True)  # what a double click does
        opened.setFont(font)
        if self.entity == "customer":  # Open shows the 360° view; the plain form is one step away
            add(self.tr("Edit…"), "editFormAction", lambda: self.edit_record(record_id))
        if self.entity in ("lead", "customer", "opportunity"):  # the window's Ctrl+L does the same
            add(self.tr("Log follow-up…"), "logActivityAction", self.log_activity_current).setShortcut(
                QKeySequence("Ctrl+L"))
        if self.entity in ("lead", "customer"):
            add(self.tr("Find duplicates of this record…"), "findDuplicatesAction",
                lambda: self.duplicates_requested.emit(RecordRef(self.entity, record_id)))
        if self.entity == "lead" and self.lifecycle is not None:
            row: int | None = self.view.currentIndex().row()
            if row is None or self._model.record_id(row) != record_id:
                row = self._model.row_of(record_id)
            status = self._model.raw_value(row, "status") if row is not None else None
            qualification = self._model.raw_value(row, "qualification") if row is not None else None
            in_work = status not in ("converted", "invalid")
            menu.addSeparator()
            add(self.tr("Convert…"), "convertAction", self.convert_current, in_work)
            lifecycle = self.lifecycle
            add(lifecycle.invalid_button.text(), "markInvalidAction", lifecycle.mark_invalid_current, in_work,
                lifecycle.invalid_button.toolTip())
            add(lifecycle.reopen_button.text(), "reopenAction", lifecycle.reopen_current, status == "invalid",
                lifecycle.reopen_button.toolTip() if status == "invalid"
                else self.tr("Only an invalid lead can be reopened."))
            add(lifecycle.accept_button.text(), "acceptAction", lifecycle.accept_current,
                in_work and qualification == "mql",
                lifecycle.accept_button.toolTip() if qualification == "mql"
                else self.tr("Only a marketing qualified lead (MQL) can be accepted."))
        if self.entity in ("customer", "opportunity"):  # test drives, lost requests, reactivation
            from crmdesk.views.lost_dialogs import add_row_actions

            add_row_actions(self, menu, record_id)
        if self.entity == "customer":
            from crmdesk.views.pool_page import add_release_action

            add_release_action(self, menu, record_id)
        menu.addSeparator()
        add(self.tr("Delete…"), "deleteAction", self.delete_current)
        return menu

    # ---- search and filter ---------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search_box.text())

    def apply_filters(self) -> None:
        status = self.status_filter.currentData()
        filters: dict[str, Any] = {"status": status} if status is not None else {}
        qualification = self.qualification_filter.currentData() if self.qualification_filter is not None else None
        if qualification is not None:
            filters["qualification"] = qualification or None  # "": not qualified
        self.model.set_filters(filters)

    # ---- records -------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        if self._model is None:
            return []
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        ids = [self._model.record_id(row) for row in rows]
        return [record_id for record_id in ids if record_id is not None]

    def current_id(self) -> str | None:
        if self._model is None:
            return None
        index = self.view.currentIndex()
        selected = self.selected_ids()
        if index.isValid() and self._model.record_id(index.row()) in selected:
            return self._model.record_id(index.row())
        return selected[0] if selected else None

    def _update_buttons(self) -> None:
        has = bool(self.selected_ids())
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        if self.convert_button is not None:
            self.convert_button.setEnabled(has)
        if self.lifecycle is not None:
            self.lifecycle.set_enabled(has)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and self._model is not None:
            record_id = self._model.record_id(index.row())
            if record_id:
                self.open_record(record_id)

    def new_record(self, defaults: dict[str, Any] | None = None) -> RecordDialog:
        return self._open_form(RecordDialog(self.services, self.actor, self.entity, None, self,
                                            defaults=defaults or None))

    def edit_current(self) -> QDialog | None:
        record_id = self.current_id()
        return self.open_record(record_id) if record_id else None

    def open_record(self, record_id: str) -> QDialog | None:
        """Open a record: a customer in its 360° view, anything else in its form."""
        if self.entity == "customer":
            return self.open_customer_360(record_id)
        return self.edit_record(record_id)

    def open_customer_360(self, customer_id: str) -> QDialog | None:
        from crmdesk.views.customer_360 import Customer360Dialog  # imported when first opened

        try:
            dialog = Customer360Dialog(self.services, self.actor, self, customer_id=customer_id)
        except UserError as error:  # deleted meanwhile
            show_user_error(self, error)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.records_changed.connect(self._changed_in_360)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _changed_in_360(self, _entity: str) -> None:
        self.model.refresh()
        self.records_changed.emit(self.entity)

    def edit_record(self, record_id: str) -> RecordDialog | None:
        try:
            dialog = RecordDialog(self.services, self.actor, self.entity, record_id, self)
        except UserError as error:  # deleted meanwhile
            show_user_error(self, error)
            return None
        return self._open_form(dialog)

    def _open_form(self, dialog: RecordDialog) -> RecordDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._saved(dialog))
        self.dialog = dialog
        dialog.open()  # window-modal, not blocking: the window keeps painting
        return dialog

    def _saved(self, dialog: RecordDialog) -> None:
        if dialog.record is not None:
            self.show_record(dialog.record.id)
        self.records_changed.emit(self.entity)

    def show_record(self, record_id: str) -> None:
        """Re-read the list and select `record_id` if the current search and filter show it."""
        model = self.model
        model.refresh()
        row = model.row_of(record_id)
        if row is None:
            return
        index = model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.selectRow(row)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def delete_current(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if len(ids) == 1:
            row = self.view.selectionModel().selectedRows()[0].row()
            name = self.model.raw_value(row, self.model.column_keys[0])
            question = self.tr("Delete “{name}”?").format(name=name or "")
        else:
            question = self.tr("Delete the {count} selected records?").format(count=len(ids))
        if not ask_to_confirm(self, self.tr("Delete"), question):
            return
        try:
            self.service.delete_many(self.actor, ids)
        except UserError as error:
            show_user_error(self, error)
        self.model.refresh()
        self.records_changed.emit(self.entity)

    def log_activity_current(self) -> Any:
        """记录跟进 for the current lead, customer or opportunity (crmdesk.views.activity_dialog)."""
        from crmdesk.views.activity_dialog import open_activity_dialog

        return open_activity_dialog(self, self.entity, self.current_id())

    def convert_current(self) -> ConvertLeadDialog | None:
        record_id = self.current_id()
        if record_id is None or self.entity != "lead":
            return None
        try:
            dialog = ConvertLeadDialog(self.services, self.actor, record_id, self)
        except UserError as error:
            show_user_error(self, error)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def converted() -> None:
            self.show_record(record_id)
            self.records_changed.emit(self.entity)
            self.record_converted.emit(dialog.conversion)

        dialog.accepted.connect(converted)
        self.dialog = dialog
        dialog.open()
        return dialog
