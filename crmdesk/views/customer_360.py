"""`Customer360Dialog` (客户全景): one customer's profile, contacts, open deals and the timeline of
everything linked to it, read page by page as it is scrolled (`TimelineModel`)."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label, field_title
from crmdesk.services.customer360 import (
    TIMELINE_PAGE,
    Overview,
    TimelineCursor,
    TimelineItem,
    customer_overview,
    customer_timeline,
)
from crmdesk.services.customers import INTENT_GRADES, TIERS
from crmdesk.services.errors import UserError
from crmdesk.services.personal_data import reveal_personal_data
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_date, format_datetime, format_money
from crmdesk.views.history_panel import HistoryPanel
from crmdesk.views.rows_model import RowsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 30

TIER_COLOURS = {"A": "#c5221f", "B": "#e37400", "C": "#5f6368"}
STYLE = """
QLabel#nameLabel { font-size: 18px; font-weight: bold; }
QLabel[role="badge"] { border-radius: 3px; padding: 1px 6px; color: white; font-weight: bold; }
QLabel[role="field"] { color: #5f6368; }
QLabel[role="warning"] { color: #b3261e; font-weight: bold; }
"""


class TimelineModel(RowsTableModel):
    """The customer's timeline, newest first; the next page is read when the view scrolls to the end
    (canFetchMore / fetchMore), with the keyset cursor the service hands back."""

    COLUMNS = ("at", "kind", "title", "detail", "amount", "status")

    def __init__(self, services: Services, actor: Actor, customer_id: str, *, page_size: int = TIMELINE_PAGE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.customer_id = customer_id
        self.page_size = page_size
        self.items: list[TimelineItem] = []
        self._cursor: TimelineCursor | None = None
        self._exhausted = False

    def _kind_label(self, kind: str) -> str:
        return {
            "activity": self.tr("Follow-up"), "test_drive": self.tr("Test drive"),
            "opportunity": self.tr("Opportunity"), "stage_change": self.tr("Stage"), "quote": self.tr("Quote"),
            "contract": self.tr("Contract"), "order": self.tr("Order"), "payment": self.tr("Payment"),
            "merge": self.tr("Merge"), "pool": self.tr("Public pool"), "lost_request": self.tr("Lost request"),
        }.get(kind, kind)

    def header(self, column: str) -> str:
        return {
            "at": self.tr("Time"), "kind": self.tr("Type"), "title": self.tr("What"), "detail": self.tr("Detail"),
            "amount": self.tr("Amount"), "status": self.tr("Status"),
        }[column]

    # ---- Qt model ----------------------------------------------------------------------------
    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item_at(index)
        if item is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "at":
                return format_datetime(item.at)
            if column == "kind":
                return self._kind_label(item.kind)
            if column == "amount":
                return format_money(item.amount) if item.amount is not None else ""
            return str(getattr(item, column) or "")
        if role == Qt.ItemDataRole.ToolTipRole and column in ("title", "detail"):
            return "\n".join(part for part in (item.title, item.detail) if part)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "amount":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == "kind":
            return QColor("#1a73e8")
        if role == ITEM_ROLE:
            return item
        return None

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = customer_timeline(self.services.db, self.actor, self.customer_id, self._cursor, self.page_size)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if page.items:
            first = len(self.items)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self.items.extend(page.items)
            self.endInsertRows()

    def reload(self) -> None:
        """Back to the newest page (after something was logged or changed)."""
        self.beginResetModel()
        self.items = []
        self._cursor = None
        self._exhausted = False
        self.endResetModel()
        self.fetchMore()


class Customer360Dialog(QDialog):
    """The customer detail: header, contacts, open deals, the timeline, and the actions a rep takes there."""

    records_changed = Signal(str)  # "customer": the customer (or something linked) was changed here

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *, customer_id: str) -> None:
        super().__init__(parent)
        self.setObjectName("customer360Dialog")
        self.setStyleSheet(STYLE)
        self.services = services
        self.actor = actor
        self.customer_id = customer_id
        self.dialog: QDialog | None = None  # the form opened from here, if any
        self.overview: Overview = customer_overview(services.db, actor, customer_id)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_header())
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("warningLabel")
        self.warning_label.setProperty("role", "warning")
        self.warning_label.setWordWrap(True)
        layout.addWidget(self.warning_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        contacts_box = QGroupBox(self.tr("Contacts"), left)
        self.contacts_list = QListWidget(contacts_box)
        self.contacts_list.setObjectName("contactsList")
        QVBoxLayout(contacts_box).addWidget(self.contacts_list)
        deals_box = QGroupBox(self.tr("Open opportunities"), left)
        self.deals_box = deals_box
        self.deals_list = QListWidget(deals_box)
        self.deals_list.setObjectName("opportunitiesList")
        QVBoxLayout(deals_box).addWidget(self.deals_list)
        left_layout.addWidget(contacts_box, 2)
        left_layout.addWidget(deals_box, 3)

        # The timeline and the change history (变更记录, read when its tab is first opened) side by side.
        self.detail_tabs = QTabWidget(splitter)
        self.detail_tabs.setObjectName("customerDetailTabs")
        timeline_box = QGroupBox(self.tr("Timeline"), self.detail_tabs)
        self.timeline_box = timeline_box
        self.timeline = TimelineModel(services, actor, customer_id, parent=self)
        self.timeline_view = QTreeView(timeline_box)
        self.timeline_view.setObjectName("timelineView")
        self.timeline_view.setRootIsDecorated(False)
        self.timeline_view.setUniformRowHeights(True)
        self.timeline_view.setAlternatingRowColors(True)
        self.timeline_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline_view.setModel(self.timeline)
        header = self.timeline_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {"at": 130, "kind": 70, "title": 250, "detail": 240, "amount": 110, "status": 70}
        for section, column in enumerate(TimelineModel.COLUMNS):
            self.timeline_view.setColumnWidth(section, widths[column])
        header.setSectionResizeMode(TimelineModel.COLUMNS.index("detail"), QHeaderView.ResizeMode.Stretch)
        QVBoxLayout(timeline_box).addWidget(self.timeline_view)
        splitter.addWidget(left)
        self.history_panel = HistoryPanel(services, actor, "customer", customer_id, self.detail_tabs)
        self.detail_tabs.addTab(timeline_box, self.tr("Timeline"))
        self.detail_tabs.addTab(self.history_panel, self.tr("History"))
        splitter.addWidget(self.detail_tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        layout.addWidget(splitter, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.edit_button = buttons.addButton(self.tr("Edit profile…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.edit_button.setObjectName("editProfileButton")
        self.log_button = buttons.addButton(self.tr("Log follow-up…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.log_button.setObjectName("logFollowupButton")
        self.drive_button = buttons.addButton(self.tr("Book test drive…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.drive_button.setObjectName("bookTestDriveButton")
        self.edit_button.clicked.connect(self.edit_profile)
        self.log_button.clicked.connect(self.log_followup)
        self.drive_button.clicked.connect(self.book_test_drive)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._show_overview()
        self.timeline.fetchMore()
        self.resize(1200, 760)

    # ---- building -------------------------------------------------------------------------
    def _build_header(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.name_label = QLabel(self)
        self.name_label.setObjectName("nameLabel")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind_label = QLabel(self)
        self.kind_label.setObjectName("kindLabel")
        self.kind_label.setProperty("role", "field")
        self.tier_badge = QLabel(self)
        self.tier_badge.setObjectName("tierBadge")
        self.tier_badge.setProperty("role", "badge")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setProperty("role", "field")
        title_row = QHBoxLayout()
        title_row.setSpacing(10)
        title_row.addWidget(self.name_label)
        title_row.addWidget(self.tier_badge)
        title_row.addWidget(self.kind_label)
        title_row.addWidget(self.status_label)
        title_row.addStretch(1)
        grid.addLayout(title_row, 0, 0, 1, 7)

        self.tier_combo = QComboBox(self)
        self.tier_combo.setObjectName("tierCombo")
        self.tier_combo.addItem(self.tr("(no tier)"), None)
        for code in TIERS:
            self.tier_combo.addItem(code_label("customer", "tier", code), code)
        self.grade_combo = QComboBox(self)
        self.grade_combo.setObjectName("intentGradeCombo")
        self.grade_combo.addItem(self.tr("(no grade)"), None)
        for code in INTENT_GRADES:
            self.grade_combo.addItem(code_label("customer", "intent_grade", code), code)
        self.owner_label = QLabel(self)
        self.owner_label.setObjectName("ownerLabel")
        self.phone_label = QLabel(self)
        self.phone_label.setObjectName("phoneLabel")
        self.phone_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button = QPushButton(self.tr("Show"), self)
        self.reveal_button.setObjectName("revealPhoneButton")
        self.reveal_button.setToolTip(self.tr("Show the full number (the reveal is recorded in the audit log)"))
        self.reveal_button.clicked.connect(self.reveal_phone)
        self.last_label = QLabel(self)
        self.last_label.setObjectName("lastFollowupLabel")
        self.next_label = QLabel(self)
        self.next_label.setObjectName("nextFollowupLabel")
        self.pool_label = QLabel(self)
        self.pool_label.setObjectName("poolLabel")
        phone_cell = QHBoxLayout()
        phone_cell.setSpacing(4)
        phone_cell.addWidget(self.phone_label)
        phone_cell.addWidget(self.reveal_button)
        phone_cell.addStretch(1)

        def caption(text: str) -> QLabel:
            label = QLabel(text, self)
            label.setProperty("role", "field")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return label

        rows: list[tuple[str, Any, str, Any, str, Any]] = [
            (field_title("customer", "tier"), self.tier_combo, field_title("customer", "intent_grade"),
             self.grade_combo, field_title("customer", "owner_id"), self.owner_label),
            (field_title("customer", "phone"), phone_cell, self.tr("Last follow-up"), self.last_label,
             field_title("customer", "next_followup_at"), self.next_label),
        ]
        for row, cells in enumerate(rows, start=1):
            for pair in range(3):
                title, widget = str(cells[pair * 2]), cells[pair * 2 + 1]
                grid.addWidget(caption(title), row, pair * 2)
                if isinstance(widget, QHBoxLayout):
                    grid.addLayout(widget, row, pair * 2 + 1)
                elif isinstance(widget, QWidget):
                    grid.addWidget(widget, row, pair * 2 + 1)
        grid.addWidget(caption(self.tr("Public pool")), 3, 0)
        grid.addWidget(self.pool_label, 3, 1, 1, 6)
        for combo in (self.tier_combo, self.grade_combo):
            combo.setMinimumWidth(160)
            combo.setMaximumWidth(240)
        for column in (1, 3, 5):
            grid.setColumnMinimumWidth(column, 180)
        grid.setColumnStretch(6, 1)
        self.tier_combo.activated.connect(lambda _index: self._change("tier", self.tier_combo.currentData()))
        self.grade_combo.activated.connect(
            lambda _index: self._change("intent_grade", self.grade_combo.currentData()))
        return grid

    def _show_overview(self) -> None:
        overview = self.overview
        profile = overview.profile
        self.setWindowTitle(self.tr("Customer 360°: {name}").format(name=profile["name"]))
        self.name_label.setText(str(profile["name"]))
        self.kind_label.setText(code_label("customer", "kind", profile.get("kind")))
        self.status_label.setText(code_label("customer", "status", overview.status))
        tier = overview.tier
        self.tier_badge.setVisible(bool(tier))
        self.tier_badge.setText(str(tier or ""))
        self.tier_badge.setStyleSheet(f"background: {TIER_COLOURS.get(str(tier), '#5f6368')};")
        for combo, value in ((self.tier_combo, tier), (self.grade_combo, overview.intent_grade)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.owner_label.setText(overview.owner_name or self.tr("(public pool)"))
        phone = str(profile.get("phone") or "")
        self.phone_label.setText(phone or self.tr("(none)"))
        self.reveal_button.setVisible("*" in phone)
        self.last_label.setText(format_datetime(overview.last_followup_at) or self.tr("never"))
        self.next_label.setText(format_datetime(overview.next_followup_at) or self.tr("none planned"))
        self.pool_label.setText(self._pool_text(overview))
        warnings = []
        if overview.pending_lost_request is not None:
            request = overview.pending_lost_request
            warnings.append(self.tr("Lost request waiting for approval: {deal} ({reason}), asked by {who} on {at}")
                            .format(deal=request.opportunity_name,
                                    reason="：".join(part for part in (request.reason, request.detail or "") if part),
                                    who=request.requested_by or "?", at=format_datetime(request.requested_at)))
        if overview.pool_state == "warned":
            warnings.append(self.tr("Goes back to the public pool soon unless it is followed up."))
        self.warning_label.setText("\n".join(warnings))
        self.warning_label.setVisible(bool(warnings))

        self.contacts_list.clear()
        for contact in overview.contacts:
            parts = [str(contact["name"]), str(contact.get("title") or ""), str(contact.get("phone") or "")]
            text = "  ".join(part for part in parts if part)
            item = QListWidgetItem(("★ " if contact.get("is_primary") else "") + text)
            item.setData(ITEM_ROLE, contact.id)
            self.contacts_list.addItem(item)
        self.deals_list.clear()
        for deal in overview.open_opportunities:
            close = format_date(deal.expected_close_date) if deal.expected_close_date else ""
            text = f"{deal.name}\n{deal.stage} · {format_money(deal.amount)}" + (f" · {close}" if close else "")
            item = QListWidgetItem(text)
            item.setData(ITEM_ROLE, deal.id)
            self.deals_list.addItem(item)
        self.deals_box.setTitle(self.tr("Open opportunities ({count}, {amount})").format(
            count=len(overview.open_opportunities), amount=format_money(overview.open_amount)))
        counts = overview.counts
        self.timeline_box.setTitle(self.tr("Timeline: {activities} follow-ups, {drives} test drives, "
                                           "{orders} orders").format(activities=counts.get("activities", 0),
                                                                     drives=counts.get("test_drives", 0),
                                                                     orders=counts.get("orders", 0)))

    def _pool_text(self, overview: Overview) -> str:
        if overview.pool_state == "pool":
            return self.tr("In the public pool since {at}").format(at=format_datetime(overview.pool_entered_at) or "?")
        if overview.pool_state == "warned":
            return self.tr("Owned; warned on {at}").format(at=format_datetime(overview.pool_warned_at))
        if overview.pool_state == "dormant":
            return self.tr("Owned; the customer is dormant")
        if overview.claimed_at is not None:
            return self.tr("Owned; claimed from the pool on {at}").format(at=format_datetime(overview.claimed_at))
        return self.tr("Owned")

    def refresh(self) -> None:
        try:
            self.overview = customer_overview(self.services.db, self.actor, self.customer_id)
        except UserError as error:  # deleted or merged meanwhile
            show_user_error(self, error)
            return
        self._show_overview()
        self.timeline.reload()
        self.history_panel.refresh()

    # ---- actions ------------------------------------------------------------------------------
    def reveal_phone(self) -> str | None:
        try:
            phone = reveal_personal_data(self.services.db, self.actor, "customer", self.customer_id, "phone")
        except UserError as error:
            show_user_error(self, error)
            return None
        self.phone_label.setText(phone)
        self.reveal_button.hide()
        return phone

    def _change(self, field: str, value: Any) -> None:
        """A new tier or intent grade, saved at once (the grade moves the next planned follow-up)."""
        try:
            self.services.customers.update(self.actor, self.customer_id, {field: value})
        except UserError as error:
            show_user_error(self, error)
        self.refresh()
        self.records_changed.emit("customer")

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._changed_elsewhere)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _changed_elsewhere(self) -> None:
        self.refresh()
        self.records_changed.emit("customer")

    def edit_profile(self) -> QDialog | None:
        from crmdesk.views.record_form import RecordDialog

        try:
            dialog = RecordDialog(self.services, self.actor, "customer", self.customer_id, self)
        except UserError as error:
            show_user_error(self, error)
            return None
        return self._open(dialog)

    def _dialog_class(self, module: str, name: str) -> Any:
        return getattr(importlib.import_module(module), name)  # imported when first used

    def log_followup(self) -> QDialog | None:
        dialog_class = self._dialog_class("crmdesk.views.activity_dialog", "ActivityDialog")
        try:
            dialog = dialog_class(self.services, self.actor, self, customer_id=self.customer_id)
        except UserError as error:
            show_user_error(self, error)
            return None
        return self._open(dialog)

    def book_test_drive(self) -> QDialog | None:
        dialog_class = self._dialog_class("crmdesk.views.test_drive_dialog", "TestDriveDialog")
        deal = self.overview.open_opportunities[0].id if self.overview.open_opportunities else None
        try:
            dialog = dialog_class(self.services, self.actor, self, customer_id=self.customer_id, opportunity_id=deal)
        except UserError as error:
            show_user_error(self, error)
            return None
        changed = getattr(dialog, "changed", None)
        if changed is not None:  # the drive dialog saves step by step (book, check out, return)
            changed.connect(lambda _record: self._changed_elsewhere())
        return self._open(dialog)
