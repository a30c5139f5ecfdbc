"""Lost and dormant in the window: `LostRequestDialog` (a rep's 战败申请), `LostApprovalsDialog` (a
manager's 战败审批), and the row-menu actions 预约试驾… / 申请战败… / 重新激活 on the lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import lost
from crmdesk.services.entities import Record
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_datetime, format_money
from crmdesk.views.record_form import FORM_STYLE, FieldErrorMarks, banner_label, error_label, field_cell

if TYPE_CHECKING:
    from crmdesk.views.record_tab import RecordTab


class LostRequestDialog(QDialog):
    """Ask a manager to let an opportunity go: a reason from the team's list, and words of one's own
    (required for "other"). Shows what became of earlier requests (a rejection's comment). On a
    problem the dialog stays open with what was typed. `record` holds the request after `accepted`."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 opportunity_id: str) -> None:
        super().__init__(parent)
        self.setObjectName("lostRequestDialog")
        self.setWindowTitle(self.tr("Request to mark as lost"))
        self.setStyleSheet(FORM_STYLE)
        self.services = services
        self.actor = actor
        self.opportunity_id = opportunity_id
        self.record: Record | None = None
        self.opportunity = services.opportunities.get(actor, opportunity_id)
        self.reasons = lost.lost_reasons(services.db)

        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("<b>{deal}</b> — {customer}, {amount}").format(
            deal=self.opportunity["name"], customer=self.opportunity["customer_name"],
            amount=format_money(self.opportunity["amount"])), self)
        heading.setObjectName("headingLabel")
        layout.addWidget(heading)
        explain = QLabel(self.tr("The opportunity stays open until a manager approves. On approval the "
                                 "customer becomes dormant and, with no other open opportunity, goes to "
                                 "the public pool."), self)
        explain.setWordWrap(True)
        explain.setProperty("role", "info")
        layout.addWidget(explain)
        self.history = QLabel(self)
        self.history.setObjectName("historyLabel")
        self.history.setWordWrap(True)
        self.history.setProperty("role", "info")
        layout.addWidget(self.history)
        self._show_history()

        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        layout.addWidget(self.banner)
        grid = QGridLayout()
        self.reason = QComboBox(self)
        self.reason.setObjectName("reasonCombo")
        for reason in self.reasons:
            self.reason.addItem(reason.label, reason.code)
        self.reason.currentIndexChanged.connect(self._detail_required)
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("detailEdit")
        self.detail.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.detail_label = QLabel(self)
        for row, (name, widget) in enumerate((("reason", self.reason), ("detail", self.detail))):
            label = QLabel(self.tr("Reason") + " <span style='color:#c5221f'>*</span>", self) if name == "reason" \
                else self.detail_label
            label.setBuddy(widget)
            error = error_label(name, self)
            self.marks.add(name, widget, error)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(field_cell(widget, error, self), row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.submit_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.submit_button.setText(self.tr("Submit request"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._detail_required()
        self.setMinimumWidth(520)

    def _show_history(self) -> None:
        requests = lost.lost_requests_for(self.services.db, self.actor, self.opportunity_id)
        lines = []
        for request in requests[:3]:
            if request["status"] == "rejected":
                lines.append(self.tr("Rejected by {name} on {time}: {comment}").format(
                    name=request["reviewed_by_name"] or "", time=format_datetime(request["reviewed_at"]),
                    comment=request["review_comment"] or ""))
            elif request["status"] == "pending":
                lines.append(self.tr("A request ({reason}) is already waiting since {time}.").format(
                    reason=request["reason_label"], time=format_datetime(request["requested_at"])))
        self.history.setText("\n".join(lines))
        self.history.setVisible(bool(lines))

    def _chosen(self) -> lost.LostReason | None:
        code = self.reason.currentData()
        return next((reason for reason in self.reasons if reason.code == code), None)

    def _detail_required(self) -> None:
        chosen = self._chosen()
        required = chosen is not None and chosen.needs_detail
        self.detail_label.setText(self.tr("Details") + (" <span style='color:#c5221f'>*</span>" if required else ""))
        self.detail.setPlaceholderText(self.tr("Say what happened (required for this reason)") if required
                                       else self.tr("What happened (optional)"))

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        rest = self.marks.mark(errors, self.tr("Please correct the marked fields."))
        self.resize(self.width(), self.sizeHint().height())  # room for the messages under the fields
        return rest

    def submit(self) -> None:
        try:
            self.record = lost.request_lost(self.services.db, self.actor, self.opportunity_id,
                                            str(self.reason.currentData() or ""), self.detail.toPlainText())
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()


class LostApprovalsDialog(QDialog):
    """战败审批: the requests waiting, oldest first; approve or reject the selected one with a comment
    (required to reject). Managers and admins only decide; others see their own requests."""

    records_changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lostApprovalsDialog")
        self.setWindowTitle(self.tr("Lost approvals"))
        self.setStyleSheet(FORM_STYLE)
        self.services = services
        self.actor = actor
        self.requests: list[Record] = []
        self.may_decide = lost.may_approve(actor)

        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("summaryLabel")
        layout.addWidget(self.summary)
        headers = (self.tr("Requested"), self.tr("Customer"), self.tr("Opportunity"), self.tr("Amount"),
                   self.tr("Consultant"), self.tr("Reason"), self.tr("Details"), self.tr("Days waiting"))
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName("requestsTable")
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.table, 1)

        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        layout.addWidget(self.banner)
        row = QHBoxLayout()
        comment_label = QLabel(self.tr("Comment"), self)
        self.comment = QLineEdit(self)
        self.comment.setObjectName("commentEdit")
        self.comment.setPlaceholderText(self.tr("Required to reject: the rep reads it"))
        comment_label.setBuddy(self.comment)
        comment_error = error_label("comment", self)
        self.marks.add("comment", self.comment, comment_error)
        row.addWidget(comment_label)
        row.addWidget(field_cell(self.comment, comment_error, self), 1)
        layout.addLayout(row)

        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("Approve"), self)
        self.approve_button.setObjectName("approveButton")
        self.reject_button = QPushButton(self.tr("Reject"), self)
        self.reject_button.setObjectName("rejectButton")
        self.close_button = QPushButton(self.tr("Close"), self)
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject_request)
        self.close_button.clicked.connect(self.reject)
        if not self.may_decide:
            for button in (self.approve_button, self.reject_button):
                button.setToolTip(self.tr("Only a manager can approve or reject a lost request."))
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(980, 460)
        self.refresh()

    def refresh(self) -> None:
        self.requests = lost.pending_lost_requests(self.services.db, self.actor)
        self.table.setRowCount(len(self.requests))
        for row, request in enumerate(self.requests):
            texts = (format_datetime(request["requested_at"]), request["customer_name"],
                     request["opportunity_name"], format_money(request["amount"]), request["owner_name"] or "",
                     request["reason_label"], request["detail"] or "", str(request["days_pending"]))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(str(text))
                if column in (3, 7):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 6:
                    item.setToolTip(str(text))
                self.table.setItem(row, column, item)
        self.summary.setText(self.tr("{count} requests waiting").format(count=len(self.requests))
                             if self.requests else self.tr("No lost requests are waiting."))
        if self.requests:
            self.table.selectRow(0)
        self._enable()

    def current(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.requests):
            return None
        return self.requests[rows[0].row()]

    def _enable(self) -> None:
        chosen = self.current() is not None and self.may_decide
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("Please correct the marked fields."))

    def _decide(self, call: Any) -> bool:
        request = self.current()
        if request is None:
            return False
        try:
            call(request.id, self.comment.text())
        except UserError as error:
            show_user_error(self, error)
            return False
        self.marks.clear()
        self.comment.clear()
        self.refresh()
        self.records_changed.emit()
        return True

    def approve(self) -> bool:
        return self._decide(lambda request_id, comment: lost.approve_lost(self.services.db, self.actor,
                                                                          request_id, comment))

    def reject_request(self) -> bool:
        return self._decide(lambda request_id, comment: lost.reject_lost(self.services.db, self.actor,
                                                                         request_id, comment))


# ---- the lists' row menus ------------------------------------------------------------------------
def add_row_actions(tab: RecordTab, menu: QMenu, record_id: str) -> None:
    """预约试驾… on customers and opportunities, 申请战败… on open opportunities, 重新激活 on dormant customers."""
    if tab.entity not in ("customer", "opportunity"):
        return
    status = _raw_status(tab, record_id)
    menu.addSeparator()
    book = menu.addAction(QCoreApplication.translate("RowActions", "Book a test drive…"))
    book.setObjectName("bookTestDriveAction")
    book.triggered.connect(lambda: open_test_drive(tab, record_id))
    if tab.entity == "opportunity":
        request = menu.addAction(QCoreApplication.translate("RowActions", "Request to mark as lost…"))
        request.setObjectName("requestLostAction")
        request.setEnabled(status in (None, "open"))
        request.triggered.connect(lambda: open_lost_request(tab, record_id))
    else:
        reactivate = menu.addAction(QCoreApplication.translate("RowActions", "Reactivate"))
        reactivate.setObjectName("reactivateAction")
        reactivate.setEnabled(status in ("dormant", "lost"))
        if status not in ("dormant", "lost"):
            reactivate.setToolTip(QCoreApplication.translate("RowActions", "Only a dormant customer can be reactivated."))
        reactivate.triggered.connect(lambda: reactivate_customer(tab, record_id))


def _raw_status(tab: RecordTab, record_id: str) -> Any:
    model = tab._model
    if model is None:
        return None
    row = model.row_of(record_id)
    return model.raw_value(row, "status") if row is not None else None


def _changed(tab: RecordTab) -> None:
    tab.model.refresh()
    tab.records_changed.emit(tab.entity)


def open_test_drive(tab: RecordTab, record_id: str) -> QDialog | None:
    from crmdesk.views.test_drive_dialog import TestDriveDialog

    try:
        if tab.entity == "opportunity":
            deal = tab.services.opportunities.get(tab.actor, record_id)
            customer_id, opportunity_id = str(deal["customer_id"]), record_id
        else:
            customer_id, opportunity_id = record_id, None
        dialog = TestDriveDialog(tab.services, tab.actor, tab, customer_id=customer_id, opportunity_id=opportunity_id)
    except UserError as error:
        show_user_error(tab, error)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.changed.connect(lambda _record: tab.records_changed.emit("customer"))
    dialog.open()
    return dialog


def open_lost_request(tab: RecordTab, record_id: str) -> QDialog | None:
    try:
        dialog = LostRequestDialog(tab.services, tab.actor, tab, opportunity_id=record_id)
    except UserError as error:
        show_user_error(tab, error)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _changed(tab))
    dialog.open()
    return dialog


def reactivate_customer(tab: RecordTab, record_id: str) -> Record | None:
    try:
        record = lost.reactivate_customer(tab.services.db, tab.actor, record_id)
    except UserError as error:
        show_user_error(tab, error)
        return None
    _changed(tab)
    return record
