"""`ListPage`: what the list tabs (quotes, contracts) share: the table of one model's rows, made on the first
`activate()`; a search box that queries a moment after typing stops and a status filter; the selected row
kept over a refresh; the steps on the selected row (a refused one shows its reason) and the dialogs they open.
No text of its own: the pages pass their translated titles in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.errors import show_user_error
from crmdesk.views.record_tab import search_box


def action_button(parent: QWidget, name: str, text: str, slot: Callable[[], Any], tip: str = "") -> QPushButton:
    """A push button that runs `slot()` when clicked (the checked flag is not passed on)."""
    widget = QPushButton(text, parent)
    widget.setObjectName(name)
    widget.clicked.connect(lambda _checked=False: slot())
    if tip:
        widget.setToolTip(tip)
    return widget


def list_view(parent: QWidget, name: str) -> QTableView:
    """The table of a list page: one row selected at a time, rows of one line, the last column stretched."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ListPage(QWidget):
    """A tab over one model with `refresh()`, `set_query(query)`, `row_at(row)` and `row_of(id)`. A page
    says how to make the model (`make_model`) and the query of a status and a search (`make_query`), builds
    `view` and the filters (`add_filters`) in its __init__ and enables its actions in `_update_buttons`."""

    records_changed = Signal(str)
    status_changed = Signal()

    ENTITY: ClassVar[str] = ""  # what `records_changed` names after a step
    COLUMN_WIDTHS: ClassVar[tuple[int, ...]] = ()  # of the first columns, when the model is made

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.settings = services, actor, settings
        self.model: Any = None
        self.dialog: QDialog | None = None  # the dialog opened last (tests read it)
        self.last_message: QMessageBox | None = None
        self.view: QTableView

    def make_model(self) -> Any:
        raise NotImplementedError

    def make_query(self, status: str | None, search: str) -> Any:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        """Enable the actions the selected row allows."""

    def add_filters(self, search_name: str, status_name: str, all_text: str,
                    statuses: Iterable[tuple[str, str]]) -> None:
        """`search_box` and `status_box` (`all_text` first, then each (status, label)); both filter the list."""
        self.search_box, self._search_timer = search_box(self, search_name, self.apply_filter)
        self.status_box = QComboBox(self)
        self.status_box.setObjectName(status_name)
        self.status_box.addItem(all_text, None)
        for status, label in statuses:
            self.status_box.addItem(label, status)
        self.status_box.currentIndexChanged.connect(lambda _index: self.apply_filter())

    # ---- the list ----------------------------------------------------------------------------------------
    def activate(self) -> None:
        if self.model is None:
            self.model = self.make_model()
            self.view.setModel(self.model)
            self.view.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
            header = self.view.horizontalHeader()
            for column, width in enumerate(self.COLUMN_WIDTHS):
                header.resizeSection(column, width)
            self._update_buttons()
            self.status_changed.emit()

    def refresh(self, select: str | None = None) -> None:
        if self.model is None:
            return
        chosen = select or self.selected_id()
        self.model.refresh()
        if chosen:
            self.select_item(chosen)
        self._update_buttons()
        self.status_changed.emit()

    def apply_filter(self) -> None:
        self._search_timer.stop()
        if self.model is None:
            return
        status = self.status_box.currentData()
        self.model.set_query(self.make_query(str(status) if status else None, self.search_box.text()))
        self._update_buttons()
        self.status_changed.emit()

    def selected_row(self) -> Any:
        if self.model is None:
            return None
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def selected_id(self) -> str | None:
        item = self.selected_row()
        return item.id if item is not None else None

    def select_item(self, item_id: str) -> bool:
        if self.model is None:
            return False
        row = self.model.row_of(item_id)
        if row is None:
            return False
        self.view.selectRow(row)
        return True

    # ---- actions -----------------------------------------------------------------------------------------
    def _after_change(self, item: Any) -> None:
        self.refresh(select=item.id if item is not None else None)
        self.records_changed.emit(self.ENTITY)

    def _show(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _run(self, step: Callable[[str], Any]) -> Any:
        """`step(id)` on the selected row, then the list again; None (the reason shown) when refused."""
        item_id = self.selected_id()
        if item_id is None:
            return None
        try:
            result = step(item_id)
        except UserError as error:
            self.last_message = show_user_error(self, error)
            return None
        self._after_change(result)
        return result
