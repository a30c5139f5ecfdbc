"""A record's change history (变更记录): `HistoryPanel` (time, who, what, field, old -> new; read off the GUI
thread page by page, "load more" for older ones), `HistoryDialog` around it, and `HistoryTableModel`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services.audit import HISTORY_PAGE, HistoryCursor, HistoryEntry, HistoryPage, record_history
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.formatting import format_datetime
from crmdesk.views.rows_model import RowsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 50
ARROW = " → "
LONG_VALUE = 120  # characters of a value a cell shows; the tip holds the whole change
_ACT_COLOUR = QColor("#1a73e8")  # acts that are not a field's change: merges, pool moves, approvals, ...
_CHANGES = frozenset({"create", "update", "delete"})


def change_text(entry: HistoryEntry) -> str:
    """"old → new" as a cell shows it: one side alone when the other is empty."""
    old, new = entry.old_value, entry.new_value
    if old and new:
        return f"{_short(old)}{ARROW}{_short(new)}"
    if new:  # a field set from empty; an act's detail (a printed number, an export's file) stands alone
        return f"{ARROW.strip()} {_short(new)}" if entry.field and entry.action != "export" else _short(new)
    if old:
        return f"{_short(old)}{ARROW}" + QCoreApplication.translate("HistoryTableModel", "(empty)")
    return ""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONG_VALUE else text[:LONG_VALUE - 1] + "…"


class HistoryTableModel(RowsTableModel):
    """History entries, newest first; `add_page` appends the next (older) page."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("at", "user", "action", "field", "change")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[HistoryEntry] = []

    def header(self, column: str) -> str:
        return {
            "at": QCoreApplication.translate("HistoryTableModel", "Time"),
            "user": QCoreApplication.translate("HistoryTableModel", "Who"),
            "action": QCoreApplication.translate("HistoryTableModel", "What"),
            "record": QCoreApplication.translate("HistoryTableModel", "Record"),
            "field": QCoreApplication.translate("HistoryTableModel", "Field"),
            "change": QCoreApplication.translate("HistoryTableModel", "Old → new"),
        }[column]

    def add_page(self, entries: tuple[HistoryEntry, ...] | list[HistoryEntry]) -> None:
        if not entries:
            return
        first = len(self.items)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self.items.extend(entries)
        self.endInsertRows()

    def cell_text(self, entry: HistoryEntry, column: str) -> str:
        if column == "at":
            return format_datetime(entry.at)
        if column == "user":
            return entry.user_name
        if column == "action":
            return entry.action_label
        if column == "record":
            return entry.record
        if column == "field":
            # A child row's change names the row first: "报价行：华驰 S5 · 数量".
            return " · ".join(part for part in (entry.record if "record" not in self.COLUMNS else "",
                                                entry.field_label) if part)
        return change_text(entry)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.item_at(index)
        if entry is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("change", "field", "record"):
            parts = [self.cell_text(entry, "field"), entry.old_value, entry.new_value]
            if entry.old_value and entry.new_value:
                parts = [parts[0], f"{entry.old_value}\n{ARROW.strip()}\n{entry.new_value}"]
            return "\n".join(part for part in parts if part) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == "action" and entry.action not in _CHANGES:
            return _ACT_COLOUR
        if role == ENTRY_ROLE:
            return entry
        return None


Loader = Callable[[HistoryCursor | None], HistoryPage]


class HistoryView(QWidget):
    """A table of history entries with "load more" paging, each page read on the thread pool by `loader`
    (a service call with the cursor to read before). The shared part of HistoryPanel and the audit log."""

    def __init__(self, model: HistoryTableModel, parent: QWidget | None = None, *, name: str = "history") -> None:
        super().__init__(parent)
        self.model = model
        self.loader: Loader | None = None
        self._cursor: HistoryCursor | None = None
        self._exhausted = False
        self._loading = False
        self._ticket = 0
        self.table = QTableView(self)
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.status_label = QLabel(self)
        self.status_label.setObjectName(f"{name}Status")
        self.status_label.setProperty("role", "info")
        self.more_button = QPushButton(QCoreApplication.translate("HistoryView", "Load more"), self)
        self.more_button.setObjectName(f"{name}MoreButton")
        self.more_button.setAutoDefault(False)
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_page)

    def set_column_widths(self, widths: dict[str, int]) -> None:
        for section, column in enumerate(self.model.COLUMNS):
            if column in widths:
                self.table.setColumnWidth(section, widths[column])

    def reload(self) -> None:
        """From the newest entry again (after a change, or new filters)."""
        self.model.set_items([])
        self._cursor = None
        self._exhausted = False
        self._start()

    def load_more(self) -> None:
        if not self._exhausted and not self._loading:
            self._start()

    def is_loading(self) -> bool:
        return self._loading

    def has_more(self) -> bool:
        return not self._exhausted

    def _start(self) -> None:
        loader, cursor = self.loader, self._cursor
        if loader is None:
            return
        self._loading = True
        self.more_button.setEnabled(False)
        self.status_label.setText(QCoreApplication.translate("HistoryView", "Loading…"))
        self._ticket = self._caller.start(lambda: loader(cursor))

    def _on_page(self, ticket: int, page: HistoryPage | None, error: BaseException | None) -> None:
        if ticket != self._ticket:
            return  # a reload started since: this page belongs to the old list
        self._loading = False
        self.more_button.setEnabled(True)
        if error is not None:
            self._exhausted = True
            self.more_button.hide()
            if isinstance(error, UserError):  # the record went, or the reader may not see it
                self.status_label.setText(error.message)
                return
            raise error
        assert page is not None
        self.model.add_page(page.entries)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        self.more_button.setVisible(not self._exhausted)
        count = self.model.rowCount()
        if not count:
            self.status_label.setText(QCoreApplication.translate("HistoryView", "Nothing recorded."))
        elif self._exhausted:
            self.status_label.setText(QCoreApplication.translate("HistoryView", "{count} entries, all shown.")
                                      .format(count=count))
        else:
            self.status_label.setText(QCoreApplication.translate("HistoryView", "{count} newest entries shown.")
                                      .format(count=count))


class HistoryPanel(HistoryView):
    """One record's history: its changes and acts (and those of its lines, installments, attachments),
    read when the panel is first shown; `refresh()` reads it again once it has been shown."""

    def __init__(self, services: Services, actor: Actor, entity: str, record_id: str,
                 parent: QWidget | None = None, *, page_size: int = HISTORY_PAGE) -> None:
        super().__init__(HistoryTableModel(), parent, name="history")
        self.setObjectName("historyPanel")
        self.model.setParent(self)
        self.services, self.actor = services, actor
        self.entity, self.record_id = entity, record_id
        self.page_size = page_size
        self.loaded = False
        db = services.db
        self.loader = lambda cursor: record_history(db, actor, entity, record_id, before=cursor, limit=page_size)
        self.set_column_widths({"at": 125, "user": 80, "action": 150, "field": 170})

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded:  # a tab nobody opens reads nothing
            self.load()

    def load(self) -> None:
        self.loaded = True
        self.reload()

    def refresh(self) -> None:
        """Read again after a change made elsewhere, if the history was read at all."""
        if self.loaded:
            self.reload()


class HistoryDialog(QDialog):
    """变更记录 of one record, in a window of its own (from a detail dialog's "History…" button)."""

    def __init__(self, services: Services, actor: Actor, entity: str, record_id: str, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(self.tr("History: {name}").format(name=title) if title else self.tr("History"))
        self.panel = HistoryPanel(services, actor, entity, record_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(900, 520)


def open_history(parent: QWidget, services: Services, actor: Actor, entity: str, record_id: str,
                 title: str = "") -> HistoryDialog:
    """Open the history of a record beside `parent` (not modal: the record stays at hand)."""
    dialog = HistoryDialog(services, actor, entity, record_id, title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


__all__ = ["HistoryDialog", "HistoryPanel", "HistoryTableModel", "HistoryView", "change_text", "open_history"]
