"""The contract's dialogs: `ContractDialog` (open / edit a draft, read-only once signed), the accepted quote
picker (`AcceptedQuotesDialog`), the attachments (`AttachmentsDialog`), and the small `DateDialog` and
`ReasonDialog` the contract and order actions ask with (they stay open, as typed, when a step is refused)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import contracts, quotes
from crmdesk.services.contracts import AttachmentInfo, ContractTemplateInfo
from crmdesk.services.entities import Record
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.money import amount_in_words
from crmdesk.services.quotes import QuoteFilter, QuoteRow
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.dialog_helpers import date_edit, pydate, row_table, select_first, selected_item
from crmdesk.views.errors import show_user_error
from crmdesk.views.field_editors import DateField
from crmdesk.views.formatting import format_date, format_datetime, format_money
from crmdesk.views.history_panel import open_history
from crmdesk.views.record_form import FORM_STYLE, FieldErrorMarks, banner_label, error_label, field_cell
from crmdesk.views.rows_model import RowsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
QUOTE_PICK_LIMIT = 50
STATUS_COLOURS = {"draft": QColor("#5f6368"), "signed": QColor("#1a73e8"), "in_force": QColor("#188038"),
                  "finished": QColor("#80868b"), "terminated": QColor("#c5221f")}


def contract_status_label(status: str) -> str:
    """合同状态 as the window shows it."""
    labels = {
        "draft": QCoreApplication.translate("contracts", "Draft"),
        "signed": QCoreApplication.translate("contracts", "Signed"),
        "in_force": QCoreApplication.translate("contracts", "In force"),
        "finished": QCoreApplication.translate("contracts", "Finished"),
        "terminated": QCoreApplication.translate("contracts", "Terminated"),
    }
    return labels.get(status, status)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB" if size >= 1024 else f"{size} B"


# ---- the two small questions ------------------------------------------------------------------------------
class DateDialog(QDialog):
    """One date (the signing or the delivery day), today by default. `submit(date)` runs on OK: a
    UserError keeps the dialog open with the message under the date; anything it returns is `result_value`."""

    def __init__(self, title: str, prompt: str, submit: Callable[[date], Any], parent: QWidget | None = None,
                 *, initial: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dateDialog")
        self.setWindowTitle(title)
        self.setStyleSheet(FORM_STYLE)
        self.submit_step = submit
        self.result_value: Any = None
        self.date_edit = date_edit(self, "dateEdit", initial or date.today())
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        self.error = error_label("date", self)
        self.marks.add("date", self.date_edit, self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        prompt_label = QLabel(prompt, self)
        prompt_label.setWordWrap(True)
        layout.addWidget(prompt_label)
        layout.addWidget(field_cell(self.date_edit, self.error, self))
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    def value(self) -> date:
        return pydate(self.date_edit.date())

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        # Whatever date field the service names (signed_on, delivery_date, starts_on) is this one.
        rest = dict(errors)
        messages = [rest.pop(key) for key in list(rest) if key.endswith(("_on", "_date", "date"))]
        if messages:
            self.marks.mark({"date": "\n".join(messages)}, self.tr("Please correct the date."))
        return rest

    def submit(self) -> None:
        try:
            self.result_value = self.submit_step(self.value())
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()


class ReasonDialog(QDialog):
    """A reason in the user's words (to terminate a contract or cancel an order). An empty one is refused
    here; `submit(reason)` runs on OK and a UserError keeps the dialog open as typed."""

    def __init__(self, title: str, prompt: str, submit: Callable[[str], Any], parent: QWidget | None = None,
                 *, max_length: int = 200) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setStyleSheet(FORM_STYLE)
        self.submit_step = submit
        self.max_length = max_length
        self.result_value: Any = None
        self.text_box = QPlainTextEdit(self)
        self.text_box.setObjectName("reasonEdit")
        self.text_box.setMinimumSize(380, 90)
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        self.error = error_label("reason", self)
        self.marks.add("reason", self.text_box, self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        prompt_label = QLabel(prompt + " <span style='color:#c5221f'>*</span>", self)
        prompt_label.setWordWrap(True)
        layout.addWidget(prompt_label)
        layout.addWidget(field_cell(self.text_box, self.error, self))
        layout.addWidget(self.banner)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return self.text_box.toPlainText().strip()

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        rest = dict(errors)
        messages = [rest.pop(key) for key in list(rest) if key in ("reason", "cancel_reason", "termination_reason")]
        if messages:
            self.marks.mark({"reason": "\n".join(messages)}, self.tr("Please correct the reason."))
        return rest

    def submit(self) -> None:
        reason = self.reason()
        if not reason:
            self.mark_field_errors({"reason": self.tr("Write the reason first.")})
            return
        if len(reason) > self.max_length:
            self.mark_field_errors({"reason": self.tr("At most {count} characters.").format(count=self.max_length)})
            return
        try:
            self.result_value = self.submit_step(reason)
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()


# ---- picking the accepted quote ------------------------------------------------------------------------------
class AcceptedQuotesModel(RowsTableModel):
    """Accepted quote versions that have no contract yet."""

    COLUMNS = ("number", "version", "customer_name", "total", "owner_name", "opportunity_name")

    def header(self, column: str) -> str:
        return {"number": self.tr("Quote number"), "version": self.tr("Version"), "customer_name": self.tr("Customer"),
                "total": self.tr("Total"), "owner_name": self.tr("Owner"),
                "opportunity_name": self.tr("Opportunity")}[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item: QuoteRow | None = self.item_at(index)
        if item is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "version":
                return f"V{item.version}"
            if column == "total":
                return format_money(item.total)
            return str(getattr(item, column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "total":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None


def accepted_quotes_without_contract(services: Services, actor: Actor, search: str = "",
                                     limit: int = QUOTE_PICK_LIMIT) -> list[QuoteRow]:
    """The newest accepted quote versions matching `search` that no open contract was made from (the
    contracts of those quotes' customers are read, one customer at a time)."""
    rows = quotes.list_quotes(services.db, actor, QuoteFilter(status="accepted", search=search), 0, limit)
    taken: set[str] = set()
    for customer_id in _customers_of(services, actor, rows):
        for contract in contracts.list_contracts(services.db, actor, customer_id=customer_id,
                                                 limit=contracts.LIST_LIMIT):
            if contract["quote_id"] and contract["status"] in contracts.OPEN_STATUSES:
                taken.add(str(contract["quote_id"]))
    return [row for row in rows if row.id not in taken]


def _customers_of(services: Services, actor: Actor, rows: list[QuoteRow]) -> set[str]:
    # A QuoteRow names its customer but not the id: read it from the version (a handful of rows).
    return {quotes.get_quote(services.db, actor, row.id).customer_id for row in rows}


class AcceptedQuotesDialog(QDialog):
    """从报价生成: choose an accepted quote version that has no contract yet."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("acceptedQuotesDialog")
        self.setWindowTitle(self.tr("Contract from an accepted quote"))
        self.services, self.actor = services, actor
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("acceptedQuoteSearch")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(self.tr("Search quote number or customer…"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.reload)
        self.search_box.textChanged.connect(lambda _text: self._timer.start())
        self.model = AcceptedQuotesModel(self)
        self.table = row_table(self, "acceptedQuotesTable", self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.empty_label = QLabel(self.tr("No accepted quote is waiting for a contract."), self)
        self.empty_label.setObjectName("noAcceptedQuotes")
        self.empty_label.setProperty("role", "info")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Make the contract"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.buttons)
        self.resize(820, 420)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.reload()

    def reload(self) -> int:
        self._timer.stop()
        rows = accepted_quotes_without_contract(self.services, self.actor, self.search_box.text())
        self.model.set_items(rows)
        for column, width in enumerate((200, 50, 200, 120, 90)):
            self.table.setColumnWidth(column, width)
        self.empty_label.setVisible(not rows)
        if rows:
            self.table.selectRow(0)
        self._enable()
        return len(rows)

    def _enable(self) -> None:
        self.ok_button.setEnabled(self.selected_quote() is not None)

    def selected_quote(self) -> QuoteRow | None:
        item: QuoteRow | None = selected_item(self.table, self.model.items)
        return item

    def select_quote(self, quote_id: str) -> bool:
        return select_first(self.table, self.model.items, lambda item: item.id == quote_id)

    def accept(self) -> None:
        if self.selected_quote() is None:
            return
        super().accept()


# ---- the contract ---------------------------------------------------------------------------------------------
class ContractDialog(QDialog):
    """One contract: its link, parties and amount, the fields a draft may change (title, template, dates,
    terms; the amount of one made without a quote) and the text it renders to. Read-only once signed."""

    saved = Signal(object)  # the contract Record after a save

    def __init__(self, services: Services, actor: Actor, contract_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contractDialog")
        self.setStyleSheet(FORM_STYLE)
        self.services, self.actor = services, actor
        self.contract_id = contract_id
        self.record: Record = contracts.get_contract(services.db, actor, contract_id)
        self.last_error: QWidget | None = None
        self.templates: list[ContractTemplateInfo] = contracts.list_templates(services.db)
        self.resize(900, 760)

        self.title_label = QLabel(self)
        self.title_label.setObjectName("contractTitleLabel")
        self.title_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("contractState")
        self.state_label.setWordWrap(True)
        self.link_label = QLabel(self)
        self.link_label.setObjectName("contractLink")

        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("contractTitle")
        self.title_edit.setMaxLength(200)
        self.template_box = QComboBox(self)
        self.template_box.setObjectName("contractTemplate")
        for template in self.templates:
            self.template_box.addItem(self.tr("{name} (V{version})").format(name=template.name,
                                                                               version=template.version),
                                      template.code)
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setObjectName("contractAmount")
        self.amount_words = QLabel(self)
        self.amount_words.setObjectName("contractAmountWords")
        self.amount_words.setProperty("role", "info")
        self.starts_on = DateField(False, self.tr("not set"), self)
        self.starts_on.setObjectName("contractStartsOn")
        self.ends_on = DateField(False, self.tr("not set"), self)
        self.ends_on.setObjectName("contractEndsOn")
        self.terms_box = QPlainTextEdit(self)
        self.terms_box.setObjectName("contractTerms")
        self.terms_box.setFixedHeight(80)
        form = QGridLayout()
        fields: tuple[tuple[str, str, QWidget, QWidget], ...] = (
            ("title", self.tr("Title"), self.title_edit, self.title_edit),
            ("template", self.tr("Template"), self.template_box, self.template_box),
            ("amount", self.tr("Amount"), self.amount_edit, self.amount_edit),
            ("starts_on", self.tr("Starts on"), self.starts_on, self.starts_on.edit),
            ("ends_on", self.tr("Ends on"), self.ends_on, self.ends_on.edit),
            ("terms", self.tr("Terms"), self.terms_box, self.terms_box),
        )
        self.field_widgets: dict[str, QWidget] = {}
        for row, (name, title, widget, focus) in enumerate(fields):
            error = error_label(name, self)
            self.marks.add(name, focus, error)
            self.field_widgets[name] = widget
            label = QLabel(title, self)
            label.setBuddy(focus)
            form.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            cell = field_cell(widget, error, self)
            if name == "amount":
                amount_row = QWidget(self)
                amount_layout = QHBoxLayout(amount_row)
                amount_layout.setContentsMargins(0, 0, 0, 0)
                amount_layout.addWidget(cell, 1)
                amount_layout.addWidget(self.amount_words, 2)
                cell = amount_row
            form.addWidget(cell, row, 1)
        form.setColumnStretch(1, 1)

        parties = QGroupBox(self.tr("Parties"), self)
        parties_layout = QFormLayout(parties)
        self.buyer_label = QLabel(parties)
        self.buyer_label.setObjectName("buyerLabel")
        self.buyer_label.setWordWrap(True)
        self.buyer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.seller_label = QLabel(parties)
        self.seller_label.setObjectName("sellerLabel")
        parties_layout.addRow(self.tr("Buyer (party A):"), self.buyer_label)
        parties_layout.addRow(self.tr("Seller (party B):"), self.seller_label)

        body_box = QGroupBox(self.tr("Contract text (from the template)"), self)
        self.body_view = QPlainTextEdit(body_box)
        self.body_view.setObjectName("contractBody")
        self.body_view.setReadOnly(True)
        body_layout = QVBoxLayout(body_box)
        body_layout.addWidget(self.body_view)

        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("saveContractButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeContractButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.history_button = QPushButton(self.tr("History…"), self)
        self.history_button.setObjectName("contractHistoryButton")
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(lambda: open_history(
            self, services, actor, "contract", contract_id, str(self.record["number"])))
        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.state_label, 1)
        layout.addLayout(title_row)
        layout.addWidget(self.link_label)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(parties)
        layout.addWidget(body_box, 1)
        layout.addLayout(buttons)
        self._fill()

    @property
    def read_only(self) -> bool:
        return self.record["status"] != "draft"

    def _template_code(self) -> str | None:
        """The code of the template the contract was made from (its id names one version of one code)."""
        template_id = self.record["template_id"]
        for template in self.templates:
            if template.id == template_id:
                return template.code
            for version in contracts.template_versions(self.services.db, template.code):
                if version.id == template_id:
                    return version.code
        return None

    def _fill(self) -> None:
        record = self.record
        self.template_code = self._template_code()
        self.setWindowTitle(self.tr("Contract {number}").format(number=record["number"]))
        self.title_label.setText(str(record["number"]))
        parts = [contract_status_label(str(record["status"]))]
        if record["signed_on"]:
            parts.append(self.tr("signed on {day}").format(day=format_date(record["signed_on"])))
        if record["status"] == "terminated":
            parts.append(self.tr("terminated on {day}: {reason}").format(
                day=format_date(record["terminated_on"]), reason=record["termination_reason"] or ""))
        if self.read_only:
            parts.append(self.tr("read only: the text is what was signed"))
        self.state_label.setText(" · ".join(parts))
        if record["quote_number"]:
            link = self.tr("Made from quote {number} V{version}; customer {customer}").format(
                number=record["quote_number"], version=record["quote_version"], customer=record["customer_name"])
        else:
            link = self.tr("Made from an opportunity; customer {customer}").format(customer=record["customer_name"])
        self.link_label.setText(link)
        self.title_edit.setText(str(record["title"] or ""))
        index = self.template_box.findData(self.template_code)
        self.template_box.setCurrentIndex(max(index, 0))
        self.amount_edit.setText(f"{record['amount']:.2f}")
        self.amount_words.setText(self.tr("In words: {words}").format(
            words=amount_in_words(record["amount"])))
        self.starts_on.set_value(record["starts_on"])
        self.ends_on.set_value(record["ends_on"])
        self.terms_box.setPlainText(str(record["terms"] or ""))
        buyer = [str(record["buyer_name"] or "")]
        for key, title in (("buyer_contact", self.tr("contact")), ("buyer_phone", self.tr("phone")),
                           ("buyer_address", self.tr("address")), ("buyer_tax_id", self.tr("credit code"))):
            if record[key]:
                buyer.append(f"{title} {record[key]}")
        self.buyer_label.setText("，".join(buyer))
        self.seller_label.setText(str(record["seller_name"] or ""))
        self.body_view.setPlainText(str(record["body"] or ""))
        read_only = self.read_only
        for widget in (self.title_edit, self.template_box, self.starts_on, self.ends_on):
            widget.setEnabled(not read_only)
        self.terms_box.setReadOnly(read_only)
        # The amount of a contract made from a quote is the quote's total.
        self.amount_edit.setReadOnly(read_only or bool(record["quote_id"]))
        self.amount_edit.setEnabled(not self.amount_edit.isReadOnly())
        self.save_button.setVisible(not read_only)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "title": self.title_edit.text().strip(),
            "template": self.template_box.currentData(),
            "starts_on": self.starts_on.value(),
            "ends_on": self.ends_on.value(),
            "terms": self.terms_box.toPlainText(),
        }
        if not self.record["quote_id"]:
            values["amount"] = self.amount_edit.text().strip()
        if self.template_code == values["template"]:
            values.pop("template")  # the same template: keep the version the contract was made with
        return values

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("Please correct the marked fields."))

    def save(self) -> Record | None:
        """Store the draft's fields (one transaction) and show the text rendered again; None when refused."""
        if self.read_only:
            return None
        try:
            record = contracts.update_contract(self.services.db, self.actor, self.contract_id, self.values())
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self.marks.clear()
        self.record = contracts.get_contract(self.services.db, self.actor, record.id)
        self._fill()
        self.saved.emit(self.record)
        return self.record


# ---- attachments ----------------------------------------------------------------------------------------------
class AttachmentsModel(RowsTableModel):
    COLUMNS = ("filename", "content_type", "size", "created_at", "note")

    def header(self, column: str) -> str:
        return {"filename": self.tr("File"), "content_type": self.tr("Type"), "size": self.tr("Size"),
                "created_at": self.tr("Added"), "note": self.tr("Note")}[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item: AttachmentInfo | None = self.item_at(index)
        if item is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "content_type":
                return item.content_type.split("/")[-1].upper()
            if column == "size":
                return _size_text(item.size)
            if column == "created_at":
                return format_datetime(item.created_at)
            return str(getattr(item, column) or "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "size":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None


class AttachmentsDialog(QDialog):
    """附件: the files kept with a contract (the signed scan): add, remove, open or save a copy."""

    changed = Signal()

    def __init__(self, services: Services, actor: Actor, contract_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsDialog")
        self.setStyleSheet(FORM_STYLE)
        self.services, self.actor, self.contract_id = services, actor, contract_id
        record = contracts.get_contract(services.db, actor, contract_id)
        self.setWindowTitle(self.tr("Attachments of {number}").format(number=record["number"]))
        self.last_error: QWidget | None = None
        self.model = AttachmentsModel(self)
        self.table = row_table(self, "attachmentsTable", self.model)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        hint = QLabel(self.tr("PDF, JPEG, PNG or TIFF, at most {size} MB each.").format(
            size=contracts.ATTACHMENT_MAX_BYTES // 1024 // 1024), self)
        hint.setProperty("role", "info")
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("attachmentNote")
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(self.tr("A note for the next file (optional), e.g. signed copy"))
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.setObjectName("addAttachmentButton")
        self.add_button.clicked.connect(lambda: self.choose_file())
        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.setObjectName("openAttachmentButton")
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.save_button = QPushButton(self.tr("Save a copy…"), self)
        self.save_button.setObjectName("saveAttachmentButton")
        self.save_button.clicked.connect(lambda: self.save_selected())
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("removeAttachmentButton")
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        self.file_error = error_label("file", self)
        self.note_error = error_label("note", self)
        self.marks.add("file", self.add_button, self.file_error)
        self.marks.add("note", self.note_edit, self.note_error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(field_cell(self.note_edit, self.note_error, self), 1)
        for button in (self.add_button, self.open_button, self.save_button, self.remove_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.file_error)
        layout.addWidget(self.banner)
        layout.addWidget(close)
        self.resize(760, 360)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.reload()

    def reload(self) -> list[AttachmentInfo]:
        items = contracts.list_attachments(self.services.db, self.actor, self.contract_id)
        self.model.set_items(items)
        for column, width in ((1, 60), (2, 80), (3, 130)):
            self.table.setColumnWidth(column, width)
        self._enable()
        return items

    def _enable(self) -> None:
        chosen = self.selected() is not None
        for button in (self.open_button, self.save_button, self.remove_button):
            button.setEnabled(chosen)

    def selected(self) -> AttachmentInfo | None:
        item: AttachmentInfo | None = selected_item(self.table, self.model.items)
        return item

    def choose_file(self) -> AttachmentInfo | None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Attach a file"), "",
                                                    self.tr("Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"))
        return self.add_file(Path(path)) if path else None

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("The file was not attached."))

    def add_file(self, path: Path) -> AttachmentInfo | None:
        """Keep the file at `path` with the contract; None (and the reason shown) when refused."""
        try:
            data = path.read_bytes()
        except OSError as error:
            self.last_error = show_user_error(self, UserError(self.tr("Cannot read {name}: {reason}").format(
                name=path.name, reason=error.strerror or str(error))))
            return None
        try:
            info = contracts.add_attachment(self.services.db, self.actor, self.contract_id, path.name, data,
                                            self.note_edit.text())
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self.marks.clear()
        self.note_edit.clear()
        self.reload()
        self.table.selectRow(len(self.model.items) - 1)
        self.changed.emit()
        return info

    def remove_selected(self) -> bool:
        item = self.selected()
        if item is None:
            return False
        try:
            contracts.remove_attachment(self.services.db, self.actor, item.id)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return False
        self.reload()
        self.changed.emit()
        return True

    def save_selected(self, path: Path | None = None) -> Path | None:
        """A copy of the selected file at `path` (asked for when not given)."""
        item = self.selected()
        if item is None:
            return None
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("Save a copy"), item.filename)
            if not chosen:
                return None
            path = Path(chosen)
        try:
            _info, data = contracts.attachment_data(self.services.db, self.actor, item.id)
            path.write_bytes(data)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        except OSError as error:
            self.last_error = show_user_error(self, UserError(self.tr("Cannot write {name}: {reason}").format(
                name=path.name, reason=error.strerror or str(error))))
            return None
        return path

    def open_selected(self) -> Path | None:
        """The selected file copied to a temporary folder and opened in the system's viewer."""
        item = self.selected()
        if item is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="crmdesk-attachment-"))
        path = self.save_selected(folder / item.filename)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path


def first_error(error: UserError) -> str:
    """The text of a refusal in one line (a ValidationError's first field message)."""
    if isinstance(error, ValidationError) and error.errors:
        return next(iter(error.errors.values()))
    return error.message
