"""`DuplicatesDialog` (查重): candidate groups with reasons and scores, read off the GUI thread in pages,
the members of the chosen group, and the actions merge, not a duplicate, and undo of the last merge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import entity_singular
from crmdesk.services.duplicates import (
    DuplicateGroup,
    DuplicatePage,
    Member,
    RecordRef,
    dismiss_group,
    group_of_record,
    list_groups,
)
from crmdesk.services.errors import UserError
from crmdesk.services.merge import MergeResult, undo_merge
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.errors import ask_to_confirm, show_user_error
from crmdesk.views.formatting import format_count, format_datetime
from crmdesk.views.merge_dialog import MergeDialog
from crmdesk.views.merge_history import MergeHistoryDialog

ModelIndex = QModelIndex | QPersistentModelIndex
GROUP_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 100

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _member_label(member: Member) -> str:
    return f"{member.name}（{entity_singular(member.entity)}）"


class _ColumnsModel(QAbstractTableModel):
    """A flat table of fixed COLUMNS over a list of rows: counting, headers (headers()) and flags."""

    COLUMNS: tuple[str, ...] = ()

    def _rows(self) -> Sequence[Any]:
        raise NotImplementedError

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers()[section] if 0 <= section < len(self.COLUMNS) else None
        return str(section + 1)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class DuplicateGroupModel(_ColumnsModel):
    """One row per candidate group, best score first; pages of groups are read on a pool thread
    (the first scan of a large book takes seconds) and appended as the view scrolls."""

    loading = Signal(bool)
    loaded = Signal(int, float)  # groups in all, seconds the scan took

    COLUMNS = ("score", "reasons", "records", "phones", "cities", "updated")

    def __init__(self, load_page: Callable[[int, int], DuplicatePage], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load_page = load_page
        self.groups: list[DuplicateGroup] = []
        self.total = 0
        self._generation = 0
        self._busy = False
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_finished)
        self._tickets: dict[int, tuple[int, int]] = {}  # ticket -> (generation, offset)

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Score"), self.tr("Why"), self.tr("Records"), self.tr("Phones"), self.tr("Cities"),
                self.tr("Last updated"))

    # ---- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._generation += 1
        self._busy = False
        self._start(0)

    def set_loader(self, load_page: Callable[[int, int], DuplicatePage]) -> None:
        self._load_page = load_page
        self.reload()

    def is_loading(self) -> bool:
        return self._busy

    def _start(self, offset: int) -> None:
        if self._busy:
            return
        self._busy = True
        self.loading.emit(True)
        load, generation = self._load_page, self._generation
        ticket = self._caller.start(lambda: load(offset, PAGE_SIZE))
        self._tickets[ticket] = (generation, offset)

    def _on_finished(self, ticket: int, result: Any, error: BaseException | None) -> None:
        generation, offset = self._tickets.pop(ticket, (-1, 0))
        if generation != self._generation:
            return  # a page of a scan no longer shown
        self._busy = False
        self.loading.emit(False)
        if error is not None:
            if isinstance(error, UserError):
                show_user_error(None, error)
                return
            raise error
        assert isinstance(result, DuplicatePage)
        if offset == 0:
            self.beginResetModel()
            self.groups = list(result.groups)
            self.total = result.total
            self.endResetModel()
        elif result.groups:
            self.beginInsertRows(QModelIndex(), len(self.groups), len(self.groups) + len(result.groups) - 1)
            self.groups.extend(result.groups)
            self.total = result.total
            self.endInsertRows()
        self.loaded.emit(self.total, result.seconds)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self.groups) < self.total and not self._busy

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if self.canFetchMore(parent):
            self._start(len(self.groups))

    def remove_group(self, key: str) -> None:
        for row, group in enumerate(self.groups):
            if group.key == key:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.groups[row]
                self.total -= 1
                self.endRemoveRows()
                return

    # ---- Qt's model interface --------------------------------------------------------------
    def _rows(self) -> Sequence[Any]:
        return self.groups

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.groups):
            return None
        group = self.groups[index.row()]
        key = self.COLUMNS[index.column()]
        if role == GROUP_ROLE:
            return group
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if key == "score" else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(group, key, role == Qt.ItemDataRole.ToolTipRole)
        return None

    def _text(self, group: DuplicateGroup, key: str, tooltip: bool) -> str:
        if key == "score":
            return str(group.score)
        if key == "reasons":
            return group.reason_text
        if key == "records":
            return ("\n" if tooltip else "、").join(_member_label(m) for m in group.members)
        if key == "phones":
            return "、".join(dict.fromkeys(m.phone for m in group.members if m.phone))
        if key == "cities":
            return "、".join(dict.fromkeys(m.city for m in group.members if m.city))
        newest = max((m.updated_at for m in group.members if m.updated_at), default=None)
        return format_datetime(newest)


class GroupMemberModel(_ColumnsModel):
    """The records of one group, side by side in rows: kind, name, phone, company, city, owner, dates."""

    COLUMNS = ("entity", "name", "phone", "company", "city", "owner", "created", "updated")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.members: list[Member] = []

    def set_group(self, group: DuplicateGroup | None) -> None:
        self.beginResetModel()
        self.members = list(group.members) if group is not None else []
        self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Kind"), self.tr("Name"), self.tr("Phone"), self.tr("Company"), self.tr("City"),
                self.tr("Owner"), self.tr("Created"), self.tr("Updated"))

    def _rows(self) -> Sequence[Any]:
        return self.members

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.members):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        member = self.members[index.row()]
        values = {
            "entity": entity_singular(member.entity), "name": member.name, "phone": member.phone or "",
            "company": member.company or "", "city": member.city or "", "owner": member.owner_name or "",
            "created": format_datetime(member.created_at), "updated": format_datetime(member.updated_at),
        }
        return values[self.COLUMNS[index.column()]]


class DuplicatesDialog(QDialog):
    """查重: every candidate group of the book, or (with `record`) what looks like one record.

    `records_changed` is emitted after a merge, an undo or a dismissal, so open lists can re-read.
    """

    records_changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 record: RecordRef | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.services = services
        self.actor = actor
        self.record = record
        self.merge_dialog: MergeDialog | None = None
        self.history_dialog: MergeHistoryDialog | None = None
        self.last_merge: MergeResult | None = None
        self.setWindowTitle(self.tr("Duplicates") if record is None else self.tr("Duplicates of this record"))
        self.resize(1040, 640)

        self.scope = QComboBox(self)
        self.scope.setObjectName("scopeBox")
        self.scope.addItem(self.tr("Leads and customers"), "all")
        self.scope.addItem(self.tr("Leads only"), "lead")
        self.scope.addItem(self.tr("Customers only"), "customer")
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.scope.setVisible(record is None)
        self.refresh_button = QPushButton(self.tr("Check again"), self)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.reload)
        self.status = QLabel(self)
        self.status.setObjectName("statusLabel")

        self.model = DuplicateGroupModel(self._loader(), self)
        self.model.loading.connect(self._on_loading)
        self.model.loaded.connect(self._on_loaded)
        self.groups_view = self._table("groupsView", self.model)
        self.groups_view.setWordWrap(False)
        header = self.groups_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((56, 220, 300, 140, 130, 130)):
            self.groups_view.setColumnWidth(column, width)
        # The records take what the other columns leave, so the last column is never cut off at the right.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.groups_view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_members())
        self.groups_view.doubleClicked.connect(lambda _index: self.merge_current())

        self.members = GroupMemberModel(self)
        self.members_view = self._table("membersView", self.members)
        for column, width in enumerate((56, 110, 110, 220, 80, 80, 130, 130)):
            self.members_view.setColumnWidth(column, width)
        self.members_view.horizontalHeader().setStretchLastSection(True)

        self.merge_button = QPushButton(self.tr("Merge…"), self)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip(self.tr("Keep one record, take the right value for each field, move everything "
                                             "linked to it"))
        self.merge_button.clicked.connect(self.merge_current)
        self.dismiss_button = QPushButton(self.tr("Not duplicates"), self)
        self.dismiss_button.setObjectName("dismissButton")
        self.dismiss_button.setToolTip(self.tr("These records are different people or companies: never offer "
                                               "them again"))
        self.dismiss_button.clicked.connect(self.dismiss_current)
        self.undo_button = QPushButton(self.tr("Undo merge"), self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_last_merge)
        self.history_button = QPushButton(self.tr("Merge history…"), self)
        self.history_button.setObjectName("historyButton")
        self.history_button.setToolTip(self.tr("Every merge made, and undo of any that can still be undone"))
        self.history_button.clicked.connect(self.open_history)
        close_button = QPushButton(self.tr("Close"), self)
        close_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.refresh_button)
        top.addWidget(self.status, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.groups_view)
        below = QWidget(split)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 4, 0, 0)
        members_title = QLabel(self.tr("Records of the chosen group"), below)
        members_title.setStyleSheet("font-weight: bold;")
        below_layout.addWidget(members_title)
        below_layout.addWidget(self.members_view)
        split.addWidget(below)
        split.setSizes([360, 220])
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self._update_buttons()
        self.model.reload()

    def _table(self, name: str, model: QAbstractTableModel) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(26)
        view.setAlternatingRowColors(True)
        return view

    # ---- loading ---------------------------------------------------------------------------
    def _loader(self) -> Callable[[int, int], DuplicatePage]:
        db, actor = self.services.db, self.actor
        if self.record is not None:
            record = self.record

            def one_record(offset: int, limit: int) -> DuplicatePage:
                group = group_of_record(db, actor, record.entity, record.id)
                groups = [group] if group is not None else []
                return DuplicatePage(len(groups), groups[offset:offset + limit])

            return one_record
        scope = str(self.scope.currentData() or "all")
        return lambda offset, limit: list_groups(db, actor, entity=scope, offset=offset, limit=limit)

    def reload(self) -> None:
        self.model.set_loader(self._loader())

    def _on_loading(self, busy: bool) -> None:
        if busy and not self.model.groups:
            self.status.setText(self.tr("Looking for duplicates…"))
        self.refresh_button.setEnabled(not busy)

    def _on_loaded(self, total: int, seconds: float) -> None:
        if total == 0:
            self.status.setText(self.tr("No duplicates found."))
        else:
            self.status.setText(self.tr("{count} groups of likely duplicates, best match first.").format(
                count=format_count(total)))
        if self.groups_view.currentIndex().row() < 0 and self.model.rowCount() > 0:
            self.groups_view.selectRow(0)
        self._show_members()

    def current_group(self) -> DuplicateGroup | None:
        index = self.groups_view.currentIndex()
        if not index.isValid():
            return None
        group = self.model.data(index, GROUP_ROLE)
        return group if isinstance(group, DuplicateGroup) else None

    def _show_members(self) -> None:
        self.members.set_group(self.current_group())
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_group = self.current_group() is not None
        self.merge_button.setEnabled(has_group)
        self.dismiss_button.setEnabled(has_group)
        self.undo_button.setEnabled(self.last_merge is not None)

    # ---- actions ---------------------------------------------------------------------------
    def merge_current(self) -> MergeDialog | None:
        group = self.current_group()
        if group is None:
            return None
        dialog = MergeDialog(self.services, self.actor, [m.ref for m in group.members],
                             kept=group.suggested_kept().ref, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.merged.connect(lambda result, key=group.key: self._merged(key, result))
        dialog.finished.connect(lambda _result: setattr(self, "merge_dialog", None))
        self.merge_dialog = dialog
        dialog.open()
        return dialog

    def _merged(self, key: str, result: MergeResult) -> None:
        self.last_merge = result
        self.model.remove_group(key)
        self._show_members()
        self.status.setText(self.tr("Merged: {count} records folded into one. You can undo it.").format(
            count=len(result.merge_ids) + 1))
        self.records_changed.emit()

    def undo_last_merge(self) -> None:
        if self.last_merge is None:
            return
        try:
            for merge_id in reversed(self.last_merge.merge_ids):
                undo_merge(self.services.db, self.actor, merge_id)
        except UserError as error:
            show_user_error(self, error)
            return
        finally:
            self.records_changed.emit()
        self.last_merge = None
        self.status.setText(self.tr("Merge undone."))
        self._update_buttons()
        self.reload()

    def open_history(self) -> MergeHistoryDialog:
        """The merge ledger (of this record, when the view checks one); an undo there re-reads the groups."""
        dialog = MergeHistoryDialog(self.services, self.actor, self,
                                    record_id=self.record.id if self.record is not None else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.merge_undone.connect(self._undone_in_history)
        dialog.finished.connect(lambda _result: setattr(self, "history_dialog", None))
        self.history_dialog = dialog
        dialog.open()
        return dialog

    def _undone_in_history(self, merge_id: str) -> None:
        if self.last_merge is not None and merge_id in self.last_merge.merge_ids:
            self.last_merge = None  # partly undone already: the rest is undone from the history
        self._update_buttons()
        self.records_changed.emit()
        self.reload()

    def dismiss_current(self, *, confirm: bool = True) -> None:
        group = self.current_group()
        if group is None:
            return
        if confirm and not ask_to_confirm(self, self.tr("Not duplicates"), self.tr(
                "Mark these {count} records as different? They will not be offered as duplicates again.").format(
                    count=len(group.members))):
            return
        try:
            dismiss_group(self.services.db, self.actor, group.members)
        except UserError as error:
            show_user_error(self, error)
            return
        self.model.remove_group(group.key)
        self._show_members()
        self.status.setText(self.tr("Marked as not duplicates."))
