"""`MergeHistoryDialog` (合并记录): the merges made, newest first, who made them, what was kept and what
was folded in, whether each is undone, and an Undo button on each merge that can still be undone."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import entity_singular
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.errors import UserError
from crmdesk.services.merge import MergeInfo, list_merges, undo_merge
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_datetime

PAGE_SIZE = 100


def _record_text(name: str, ref: RecordRef) -> str:
    return f"{name}（{entity_singular(ref.entity)}）"


class MergeHistoryDialog(QDialog):
    """The merge ledger (of one record with `record_id`). `merge_undone(merge_id)` and `records_changed` are
    emitted after an undo."""

    merge_undone = Signal(str)
    records_changed = Signal()

    COLUMNS = ("at", "by", "kept", "merged", "moved", "state", "undo")

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 record_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeHistoryDialog")
        self.services, self.actor, self.record_id = services, actor, record_id
        self.merges: list[MergeInfo] = []
        self.undo_buttons: dict[str, QPushButton] = {}
        self.setWindowTitle(self.tr("Merge history"))
        self.intro = QLabel(self.tr("Every merge of leads and customers, newest first. Undoing a merge brings the "
                                    "merged record back with its linked records."), self)
        self.intro.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("statusLabel")
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("mergesTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("When"), self.tr("By"), self.tr("Kept"), self.tr("Merged into it"), self.tr("Linked rows moved"),
            self.tr("State"), ""])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((130, 100, 200, 200, 110, 190, 90)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.more_button = QPushButton(self.tr("Show older merges"), self)
        self.more_button.setObjectName("moreButton")
        self.more_button.clicked.connect(self.load_more)
        close_button = QPushButton(self.tr("Close"), self)
        close_button.setObjectName("closeButton")
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.more_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1000, 480)
        self.reload()

    # ---- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.merges = []
        self._read(PAGE_SIZE)

    def load_more(self) -> None:
        self._read(len(self.merges) + PAGE_SIZE)

    def _read(self, count: int) -> None:
        # Newest first, so a merge's later merges (which block its undo) are always among those read.
        self.merges = list_merges(self.services.db, self.actor, record_id=self.record_id, limit=count + 1)
        has_more = len(self.merges) > count
        self.merges = self.merges[:count]
        self.more_button.setVisible(has_more)
        self._show()

    def blocked_reason(self, row: int) -> str | None:
        """Why the merge in `row` cannot be undone now, seen from the newer merges; None: it can be."""
        merge = self.merges[row]
        if merge.undone_at is not None:
            return self.tr("Already undone.")
        for newer in self.merges[:row]:
            if newer.undone_at is not None:
                continue
            if newer.kept.id == merge.kept.id:
                return self.tr("A later merge into “{name}” is still in place: undo that one first.").format(
                    name=merge.kept_name)
            if newer.merged.id == merge.kept.id:
                return self.tr("“{name}” has since been merged into another record: undo that merge first.").format(
                    name=merge.kept_name)
        return None

    def _show(self) -> None:
        self.table.setRowCount(len(self.merges))
        self.undo_buttons = {}
        for row, merge in enumerate(self.merges):
            if merge.undone_at is not None:
                state = self.tr("Undone {at}").format(at=format_datetime(merge.undone_at))
            else:
                state = self.tr("In place")
            texts = [format_datetime(merge.at), merge.by or "", _record_text(merge.kept_name, merge.kept),
                     _record_text(merge.merged_name, merge.merged), format_count(merge.moved_rows), state]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if merge.undone_at is not None:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
            blocked = self.blocked_reason(row)
            if merge.undone_at is None:
                button = QPushButton(self.tr("Undo"), self.table)
                button.setObjectName(f"undo_{merge.id}")
                button.setEnabled(blocked is None)
                button.setToolTip(blocked or self.tr("Bring “{name}” back as it was before the merge").format(
                    name=merge.merged_name))
                button.clicked.connect(lambda _checked=False, merge_id=merge.id: self.undo(merge_id))
                self.table.setCellWidget(row, len(self.COLUMNS) - 1, self._centered(button))
                self.undo_buttons[merge.id] = button
        if not self.merges:
            self.status.setText(self.tr("No merges yet."))
        else:
            self.status.setText(self.tr("{count} merges shown.").format(count=format_count(len(self.merges))))

    def _centered(self, button: QPushButton) -> QWidget:
        cell = QWidget(self.table)
        layout = QHBoxLayout(cell)
        layout.setContentsMargins(4, 1, 4, 1)
        layout.addWidget(button)
        return cell

    # ---- undo ------------------------------------------------------------------------------
    def undo(self, merge_id: str) -> bool:
        """Undo one merge; a refusal (already undone, a later merge in place, ...) is shown in the user's words."""
        try:
            result = undo_merge(self.services.db, self.actor, merge_id)
        except UserError as error:
            show_user_error(self, error)
            self._read(max(len(self.merges), PAGE_SIZE))
            return False
        merge = next((m for m in self.merges if m.id == merge_id), None)
        name = merge.merged_name if merge is not None else ""
        self._read(max(len(self.merges), PAGE_SIZE))
        self.status.setText(self.tr("Merge undone: “{name}” is back, with {count} linked rows.").format(
            name=name, count=format_count(result.moved_back)))
        self.merge_undone.emit(merge_id)
        self.records_changed.emit()
        return True
