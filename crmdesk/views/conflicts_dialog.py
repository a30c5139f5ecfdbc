"""同步冲突: `ConflictsDialog` lists the fields both this desk and another changed since they last synced, with
the value the rule kept and the one it set aside; the user keeps the other value or confirms the rule's
choice. `ConflictsTableModel` is its table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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

from crmdesk.labels import code_label, has_code_labels
from crmdesk.services import sync
from crmdesk.services.audit import field_label, kind_label
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_users
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_datetime, format_money
from crmdesk.views.rows_model import ModelIndex, RowsTableModel

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 60
LONG_VALUE = 80  # characters a cell shows; the tip holds the whole value
# The services that can name a record of a synced table (the record's name or number).
_SERVICE_OF_TABLE = {"leads": "leads", "customers": "customers", "contacts": "contacts",
                     "opportunities": "opportunities", "orders": "orders"}
_ENTITY_OF_TABLE = {"leads": "lead", "customers": "customer", "contacts": "contact",
                    "opportunities": "opportunity", "orders": "order"}
_USER_FIELDS = frozenset({"owner_id", "created_by", "updated_by", "consultant_id", "manager_id", "user_id"})


@dataclass(frozen=True)
class ConflictRow:
    """One conflict as the table shows it."""

    conflict: sync.Conflict
    record: str
    field: str
    kept: str
    other: str
    who: str


class ConflictsTableModel(RowsTableModel):
    """Conflicts, newest first."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("record", "field", "kept", "other", "who", "state", "at")

    def header(self, column: str) -> str:
        return {
            "record": QCoreApplication.translate("ConflictsTableModel", "Record"),
            "field": QCoreApplication.translate("ConflictsTableModel", "Field"),
            "kept": QCoreApplication.translate("ConflictsTableModel", "Value kept"),
            "other": QCoreApplication.translate("ConflictsTableModel", "Other value"),
            "who": QCoreApplication.translate("ConflictsTableModel", "Other value by"),
            "at": QCoreApplication.translate("ConflictsTableModel", "Found"),
            "state": QCoreApplication.translate("ConflictsTableModel", "State"),
        }[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: ConflictRow | None = self.item_at(index)
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.cell_text(row, column)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if column in ("kept", "other", "record") and text else None
            return _short(text)
        if role == CONFLICT_ROLE:
            return row.conflict
        return None

    def cell_text(self, row: ConflictRow, column: str) -> str:
        if column == "at":
            return format_datetime(row.conflict.detected_at)
        if column == "state":
            return {None: QCoreApplication.translate("ConflictsTableModel", "Open"), "other": QCoreApplication.translate("ConflictsTableModel", "Other value kept"), "kept": QCoreApplication.translate("ConflictsTableModel", "Confirmed")}.get(
                row.conflict.resolution, row.conflict.resolution or "")
        value: str = getattr(row, column)
        return value


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONG_VALUE else text[:LONG_VALUE - 1] + "…"


class _Namer:
    """Names for what the conflicts hold: records (by their service), users, and values by their field's kind."""

    def __init__(self, services: Services, actor: Actor) -> None:
        self.services, self.actor = services, actor
        self.records: dict[tuple[str, str], str] = {}
        try:
            self.users = {user.id: str(user["display_name"]) for user in list_users(services.db, actor)}
        except UserError:
            self.users = {}

    def record(self, table: str, row_id: str) -> str:
        key = (table, row_id)
        if key not in self.records:
            self.records[key] = self._record_name(table, row_id)
        kind = kind_label(table)
        if self.records[key]:
            return QCoreApplication.translate("ConflictsDialog", "{kind}: {name}").format(
                kind=kind, name=self.records[key])
        return f"{kind} {row_id}"

    def _record_name(self, table: str, row_id: str) -> str:
        if table == "users":
            return self.users.get(row_id, "")
        service = getattr(self.services, _SERVICE_OF_TABLE.get(table, ""), None)
        if service is None:
            return ""
        try:
            record = service.get(self.actor, row_id)
        except UserError:  # gone, or not this user's to read: the id says which
            return ""
        for name in ("name", "number", "title"):
            if record.get(name):
                return str(record.get(name))
        return ""

    def user(self, user_id: str | None) -> str:
        if not user_id:
            return QCoreApplication.translate("ConflictsDialog", "Another desk")
        return self.users.get(user_id) or QCoreApplication.translate("ConflictsDialog", "Unknown user")

    @staticmethod
    def _yes_no(value: bool) -> str:
        return QCoreApplication.translate("ConflictsDialog", "Yes") if value \
            else QCoreApplication.translate("ConflictsDialog", "No")

    def _kind(self, table: str, name: str) -> str:
        service = getattr(self.services, _SERVICE_OF_TABLE.get(table, ""), None)
        for spec in getattr(service, "fields", ()) if service is not None else ():
            if spec.name == name:
                return str(spec.kind)
        return ""

    def value(self, table: str, name: str, value: Any) -> str:
        """A stored value as the user reads it: money in yuan, dates and times in local time, codes by label."""
        if value is None or value == "":
            return QCoreApplication.translate("ConflictsDialog", "(empty)")
        if isinstance(value, dict) and "$b64" in value:
            return QCoreApplication.translate("ConflictsDialog", "(file content)")
        if name in _USER_FIELDS and isinstance(value, str):
            return self.users.get(value, value)
        if isinstance(value, bool):
            return self._yes_no(value)
        kind = self._kind(table, name)
        if kind == "money" and isinstance(value, int):
            return format_money(Decimal(value) / 100)  # kept as fen
        if kind == "bool" and isinstance(value, int):
            return self._yes_no(bool(value))
        if isinstance(value, str):
            if kind == "date":
                try:
                    return date.fromisoformat(value[:10]).strftime("%Y-%m-%d")
                except ValueError:
                    return value
            if len(value) >= 19 and value[4] == "-" and value[10] in " T":
                try:
                    return format_datetime(_utc(value))
                except ValueError:
                    return value
            entity = _ENTITY_OF_TABLE.get(table, table)
            if has_code_labels(entity, name):
                return code_label(entity, name, value)
        return str(value)


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ConflictsDialog(QDialog):
    """The open sync conflicts (all of them with "Show resolved too"), field by field; keep the other value
    (written here as a new edit, it syncs as the later one) or keep this one (the rule's choice confirmed)."""

    records_changed = Signal()  # a conflict was resolved: the lists and the status read again

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(self.tr("Sync conflicts"))
        self.resize(960, 460)
        self.services, self.actor = services, actor
        self.model = ConflictsTableModel(self)
        intro = QLabel(self.tr("These fields were changed on this desk and on another one before they synced. "
                               "The later change was kept; keep the other value instead, or confirm the one "
                               "kept."), self)
        intro.setObjectName("conflictsIntro")
        intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("conflictsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel(self.tr("No open conflicts."), self)
        self.empty_label.setObjectName("conflictsEmpty")
        self.empty_label.setProperty("role", "info")
        self.show_resolved = QCheckBox(self.tr("Show &resolved too"), self)
        self.show_resolved.setObjectName("showResolvedCheck")
        self.show_resolved.toggled.connect(self.reload)
        self.keep_other_button = QPushButton(self.tr("Keep the &other value"), self)
        self.keep_other_button.setObjectName("keepOtherButton")
        self.keep_other_button.setAutoDefault(False)
        self.keep_other_button.clicked.connect(self.keep_other)
        self.keep_this_button = QPushButton(self.tr("Keep &this value"), self)
        self.keep_this_button.setObjectName("keepThisButton")
        self.keep_this_button.setAutoDefault(False)
        self.keep_this_button.clicked.connect(self.keep_this)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.show_resolved)
        actions.addStretch(1)
        actions.addWidget(self.keep_other_button)
        actions.addWidget(self.keep_this_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, *_args: object) -> None:
        """Read the conflicts again (after a sync or a resolution); the selected one stays selected."""
        selected = self.current_conflict()
        conflicts = sync.list_conflicts(self.services.db, self.actor, open_only=not self.show_resolved.isChecked())
        namer = _Namer(self.services, self.actor)
        rows = [ConflictRow(item, namer.record(item.table_name, item.row_id), field_label(item.table_name, item.field),
                            namer.value(item.table_name, item.field, item.kept_value),
                            namer.value(item.table_name, item.field, item.other_value), namer.user(item.other_user_id))
                for item in conflicts]
        self.model.set_items(rows)
        self.table.setColumnHidden(self.model.COLUMNS.index("state"), not self.show_resolved.isChecked())
        self.table.resizeColumnsToContents()
        for position, column in enumerate(self.model.COLUMNS):  # some air; a long value is cut, its tip whole
            width = self.table.columnWidth(position) + 16
            self.table.setColumnWidth(position, min(width, 240) if column in ("kept", "other") else width)
        self.empty_label.setVisible(not rows)
        position = next((number for number, row in enumerate(rows)
                         if selected is not None and row.conflict.id == selected.id), 0 if rows else -1)
        if position >= 0:
            self.table.selectRow(position)
        self._update_buttons()

    def current_conflict(self) -> sync.Conflict | None:
        index = self.table.currentIndex() if hasattr(self, "table") else QModelIndex()
        rows = self.table.selectionModel().selectedRows() if hasattr(self, "table") else []
        if rows:
            index = rows[0]
        value = self.model.index(index.row(), 0).data(CONFLICT_ROLE) if index.isValid() else None
        return value if isinstance(value, sync.Conflict) else None

    def _update_buttons(self, *_args: object) -> None:
        conflict = self.current_conflict()
        is_open = conflict is not None and conflict.resolution is None
        self.keep_other_button.setEnabled(is_open)
        self.keep_this_button.setEnabled(is_open)

    def keep_other(self) -> None:
        self._resolve(sync.keep_other_value)

    def keep_this(self) -> None:
        self._resolve(sync.confirm_conflict)

    def _resolve(self, resolve: Any) -> None:
        conflict = self.current_conflict()
        if conflict is None or conflict.resolution is not None:
            return
        try:
            resolve(self.services.db, self.actor, conflict.id)
        except UserError as error:
            show_user_error(self, error)
        self.reload()
        self.records_changed.emit()
