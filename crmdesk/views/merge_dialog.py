"""`MergeDialog` (合并): the records side by side, a choice per field, what will move, and Merge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label, entity_singular, has_code_labels
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.errors import UserError
from crmdesk.services.merge import (
    COMBINE,
    MergeField,
    MergePreview,
    MergeResult,
    merge_preview,
    merge_records,
)
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_users
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_date, format_datetime, format_money

MERGE_STYLE = """
QLabel[role="field"] { color: #555; }
QLabel[role="same"] { color: #333; }
QLabel[role="header"] { font-weight: bold; }
QLabel#summaryLabel { background: #eef5ff; border: 1px solid #b8d3f5; border-radius: 3px; padding: 6px; }
"""
MAX_SHOWN_CHARS = 60


class MergeDialog(QDialog):
    """Merge records into one: pick the record to keep, then for each field whose values differ the
    record whose value wins (the newest non-empty one is chosen already). `merged(MergeResult)` is
    emitted after the merge is written."""

    merged = Signal(object)

    def __init__(self, services: Services, actor: Actor, records: Sequence[RecordRef], *,
                 kept: RecordRef | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setStyleSheet(MERGE_STYLE)
        self.services = services
        self.actor = actor
        self.records = list(records)
        self.merge_result: MergeResult | None = None
        self.preview: MergePreview | None = None
        self.choice_groups: dict[str, QButtonGroup] = {}
        self.choice_buttons: dict[tuple[str, str], QRadioButton] = {}  # (field, record id or COMBINE)
        self._users = {user.id: user["display_name"] for user in list_users(services.db, actor)}
        self.setWindowTitle(self.tr("Merge records"))
        self.resize(820, 640)

        # A lead folds into a customer, never the other way: with a customer present only customers are kept.
        keepable = [r for r in self.records if r.entity == "customer"] or self.records
        self.kept_box = QComboBox(self)
        self.kept_box.setObjectName("keptBox")
        for ref in keepable:
            self.kept_box.addItem(entity_singular(ref.entity), ref)
        kept = kept if kept in keepable else keepable[0]
        self.kept_box.setCurrentIndex(keepable.index(kept))
        self.kept_box.currentIndexChanged.connect(lambda _i: self._load())

        intro = QLabel(self.tr("Choose the record to keep and, for each field that differs, the value it keeps. "
                               "The other records are folded into it; every value stays in the merge history "
                               "and the merge can be undone."), self)
        intro.setWordWrap(True)
        keep_row = QHBoxLayout()
        keep_row.addWidget(QLabel(self.tr("Keep:"), self))
        keep_row.addWidget(self.kept_box, 1)

        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(6)
        self.fields_scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)

        self.summary = QLabel(self)
        self.summary.setObjectName("summaryLabel")
        self.summary.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton(self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("mergeButton")
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(keep_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._load()

    # ---- the preview -----------------------------------------------------------------------
    def kept(self) -> RecordRef:
        ref = self.kept_box.currentData()
        assert isinstance(ref, RecordRef)
        return ref

    def merged_refs(self) -> list[RecordRef]:
        kept = self.kept()
        return [r for r in self.records if r != kept]

    def _load(self) -> None:
        try:
            self.preview = merge_preview(self.services.db, self.actor, self.kept(), self.merged_refs())
        except UserError as error:
            self.preview = None
            self.merge_button.setEnabled(False)
            show_user_error(self, error)
            return
        self.merge_button.setEnabled(True)
        for row in range(self.kept_box.count()):
            ref = self.kept_box.itemData(row)
            info = next((i for i in self.preview.records if i.ref == ref), None)
            if info is not None:
                self.kept_box.setItemText(row, self.tr("{kind} {name} (updated {updated})").format(
                    kind=entity_singular(ref.entity), name=info.name, updated=format_datetime(info.updated_at)))
        self._build_grid(self.preview)
        self._show_summary(self.preview)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the fields need (up to 640 px; longer lists scroll), not a fixed block of white."""
        chrome = self.sizeHint().height() - self.fields_scroll.sizeHint().height()  # intro, summary, buttons
        wanted = chrome + self.grid_host.sizeHint().height() + 2 * self.fields_scroll.frameWidth()
        self.resize(self.width(), max(320, min(640, wanted)))

    def _clear_grid(self) -> None:
        for group in self.choice_groups.values():
            group.deleteLater()
        self.choice_groups.clear()
        self.choice_buttons.clear()
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _build_grid(self, preview: MergePreview) -> None:
        self._clear_grid()
        columns = len(preview.records)
        self.grid.addWidget(self._label(self.tr("Field"), "header"), 0, 0)
        for column, info in enumerate(preview.records, start=1):
            title = self.tr("Kept: {name}") if column == 1 else self.tr("Merged: {name}")
            header = self._label(title.format(name=info.name) + f"\n{entity_singular(info.ref.entity)} · "
                                 f"{format_datetime(info.updated_at)}", "header")
            self.grid.addWidget(header, 0, column)
        row = 1
        for field in preview.fields:
            if all(self._is_empty(v.value) for v in field.values):
                continue  # nothing to choose and nothing to show
            self.grid.addWidget(self._label(field.title, "field"), row, 0, Qt.AlignmentFlag.AlignTop)
            # Only a choice where another record has something to offer: a merge never blanks a field.
            offers = any(not self._is_empty(v.value) for v in field.values[1:])
            if field.identical or not offers:
                same = self._label(self._text(field, field.values[0].value), "same")
                same.setObjectName(f"same_{field.name}")
                self.grid.addWidget(same, row, 1, 1, columns)
                row += 1
                continue
            group = QButtonGroup(self)
            group.setObjectName(f"choice_{field.name}")
            self.choice_groups[field.name] = group
            for column, value in enumerate(field.values, start=1):
                button = QRadioButton(self._shown(self._text(field, value.value)), self.grid_host)
                button.setObjectName(f"choice_{field.name}_{column - 1}")
                button.setToolTip(self._text(field, value.value))
                button.setProperty("source", value.record.id)
                group.addButton(button)
                self.choice_buttons[(field.name, value.record.id)] = button
                button.setChecked(value.record.id == field.default)
                self.grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if field.kind == "longtext":
                row += 1
                both = QRadioButton(self.tr("Keep all texts, one after another"), self.grid_host)
                both.setObjectName(f"choice_{field.name}_combine")
                both.setProperty("source", COMBINE)
                group.addButton(both)
                self.choice_buttons[(field.name, COMBINE)] = both
                self.grid.addWidget(both, row, 1, 1, columns, Qt.AlignmentFlag.AlignLeft)
            row += 1
        self.grid.setRowStretch(row, 1)
        for column in range(1, columns + 1):
            self.grid.setColumnStretch(column, 1)

    def _label(self, text: str, role: str) -> QLabel:
        label = QLabel(text, self.grid_host)
        label.setProperty("role", role)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    @staticmethod
    def _is_empty(value: Any) -> bool:
        return value is None or (isinstance(value, str) and not value.strip())

    def _shown(self, text: str) -> str:
        flat = " ".join(text.split())
        return flat if len(flat) <= MAX_SHOWN_CHARS else flat[:MAX_SHOWN_CHARS - 1] + "…"

    def _text(self, field: MergeField, value: Any) -> str:
        if self._is_empty(value):
            return self.tr("(empty)")
        entity = self.kept().entity
        if field.kind == "ref" and field.name == "owner_id":
            return self._users.get(str(value), str(value))
        if field.kind == "choice" and has_code_labels(entity, field.name):
            return code_label(entity, field.name, value)
        if field.kind == "date":
            return format_date(value)
        if field.kind == "money":
            return format_money(value)
        return str(value)

    def _show_summary(self, preview: MergePreview) -> None:
        names = {
            "activities": self.tr("{count} follow-ups"),
            "opportunities": self.tr("{count} opportunities"),
            "contacts": self.tr("{count} contacts"),
            "test_drives": self.tr("{count} test drives"),
            "quotes": self.tr("{count} quotes"),
            "contracts": self.tr("{count} contracts"),
            "orders": self.tr("{count} orders"),
            "payment_plans": self.tr("{count} payment plans"),
            "payments": self.tr("{count} payments"),
            "leads": self.tr("{count} converted leads"),
        }
        parts = [names.get(table, "{count} " + table).format(count=count)
                 for table, count in sorted(preview.moves.items())]
        merged = len(preview.merged)
        if parts:
            text = self.tr("Will move to the kept record: {items}. {count} record(s) will be folded into it.").format(
                items="、".join(parts), count=merged)
        else:
            text = self.tr("Nothing is linked to the other records. {count} record(s) will be folded into the kept "
                           "one.").format(count=merged)
        self.summary.setText(text)

    # ---- merging ---------------------------------------------------------------------------
    def choices(self) -> dict[str, str]:
        chosen: dict[str, str] = {}
        for name, group in self.choice_groups.items():
            button = group.checkedButton()
            if button is not None:
                chosen[name] = str(button.property("source"))
        return chosen

    def choose(self, field: str, record_id: str) -> None:
        """Take `field`'s value from `record_id` (or COMBINE), as a click on its button does."""
        self.choice_buttons[(field, record_id)].setChecked(True)

    def merge(self) -> None:
        if self.preview is None:
            return
        try:
            self.merge_result = merge_records(self.services.db, self.actor, self.kept(), self.merged_refs(), self.choices())
        except UserError as error:
            show_user_error(self, error)
            return
        self.merged.emit(self.merge_result)
        self.accept()
