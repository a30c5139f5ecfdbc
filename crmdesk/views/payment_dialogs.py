"""The payment dialogs: the plan editor (`PaymentPlanDialog`: installments by amount or by percentage that
must add up to 100 %, due dates), a payment received (`PaymentDialog`), allocating a payment by hand or
oldest first (`AllocationDialog`) and taking allocations back (`UnallocateDialog`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import contracts, payments
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.payments import AllocationView, InstallmentView, PaymentResult, PaymentView, PlanView
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.dialog_helpers import (
    date_edit,
    parse_decimal,
    pydate,
    row_table,
    select_first,
    selected_item,
)
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_date, format_datetime, format_money
from crmdesk.views.history_panel import open_history
from crmdesk.views.record_form import FORM_STYLE, FieldErrorMarks, banner_label, error_label, field_cell
from crmdesk.views.rows_model import EditRowsModel, RowsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
FEN = Decimal("0.01")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
INSTALLMENT_COLOURS = {"overdue": QColor("#c5221f"), "partial": QColor("#b06000"), "paid": QColor("#188038")}
CUSTOMER_ORDERS_LIMIT = 500


def installment_status_label(status: str) -> str:
    labels = {
        "open": QCoreApplication.translate("payments", "Open"),
        "partial": QCoreApplication.translate("payments", "Partly paid"),
        "paid": QCoreApplication.translate("payments", "Paid"),
        "overdue": QCoreApplication.translate("payments", "Overdue"),
    }
    return labels.get(status, status)


def payment_method_label(method: str | None) -> str:
    labels = {
        "bank_transfer": QCoreApplication.translate("payments", "Bank transfer"),
        "cash": QCoreApplication.translate("payments", "Cash"),
        "card": QCoreApplication.translate("payments", "Card"),
        "wechat": QCoreApplication.translate("payments", "WeChat Pay"),
        "alipay": QCoreApplication.translate("payments", "Alipay"),
        "cheque": QCoreApplication.translate("payments", "Cheque"),
        "loan": QCoreApplication.translate("payments", "Car loan"),
        "other": QCoreApplication.translate("payments", "Other"),
    }
    return labels.get(method or "", method or "")


# ---- a customer's plans, from their contracts and orders ------------------------------------------------------
@dataclass(frozen=True)
class CustomerPlan:
    """A plan and what it belongs to ("CT-…" / "SO-…"), for the lists of one customer."""

    label: str
    plan: PlanView


def customer_plans(services: Services, actor: Actor, customer_id: str, today: date | None = None) -> list[CustomerPlan]:
    """The live payment plans of one customer: those of their contracts and of their orders, oldest due first."""
    found: dict[str, CustomerPlan] = {}
    for contract in contracts.list_contracts(services.db, actor, customer_id=customer_id, limit=contracts.LIST_LIMIT):
        plan = payments.plan_for(services.db, actor, contract_id=contract.id, today=today)
        if plan is not None:
            found.setdefault(plan.id, CustomerPlan(str(contract["number"]), plan))
    for row in services.orders.page(actor, ListQuery(filters={"customer_id": customer_id}), 0, CUSTOMER_ORDERS_LIMIT):
        plan = payments.plan_for(services.db, actor, order_id=str(row[0]), today=today)
        if plan is not None:
            found.setdefault(plan.id, CustomerPlan(str(row[1]), plan))

    def first_due(item: CustomerPlan) -> tuple[date, str]:
        dues = [installment.due_date for installment in item.plan.installments]
        return (min(dues) if dues else date.max, item.label)

    return sorted(found.values(), key=first_due)


@dataclass(frozen=True)
class InstallmentRow:
    """An installment with the plan it is in, for the tables of a customer's installments."""

    label: str
    installment: InstallmentView


def installment_rows(plans: list[CustomerPlan], *, owed_only: bool = False) -> list[InstallmentRow]:
    rows = [InstallmentRow(item.label, installment) for item in plans for installment in item.plan.installments
            if not owed_only or installment.outstanding > 0]
    return sorted(rows, key=lambda row: (row.installment.due_date, row.label, row.installment.sequence))


class InstallmentsModel(RowsTableModel):
    """Installments of one customer's plans: due, paid, owed and the status as of the day read (overdue red)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("label", "sequence", "due_date", "amount", "paid", "outstanding", "status",
                                          "note")
    MONEY: ClassVar[frozenset[str]] = frozenset({"amount", "paid", "outstanding"})

    def header(self, column: str) -> str:
        return {"label": self.tr("Contract / order"), "sequence": self.tr("No."), "due_date": self.tr("Due on"),
                "amount": self.tr("Amount"), "paid": self.tr("Paid"), "outstanding": self.tr("Owed"),
                "status": self.tr("Status"), "note": self.tr("Note")}[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: InstallmentRow | None = self.item_at(index)
        if row is None:
            return None
        column, item = self.COLUMNS[index.column()], row.installment
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "label":
                return row.label
            if column == "sequence":
                return str(item.sequence)
            if column == "due_date":
                return format_date(item.due_date)
            if column in self.MONEY:
                return format_money(getattr(item, column))
            if column == "status":
                return installment_status_label(item.status)
            return item.note or ""
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.MONEY:
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return INSTALLMENT_COLOURS.get(item.status)
        if role == Qt.ItemDataRole.ForegroundRole and column in ("due_date", "outstanding") \
                and item.status == "overdue":
            return INSTALLMENT_COLOURS["overdue"]
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None


# ---- the plan editor -------------------------------------------------------------------------------------------
@dataclass
class EditInstallment:
    """One installment as typed (texts, so a refused save loses nothing)."""

    due_date: str
    share: str  # a percentage or an amount, by the plan's basis
    note: str = ""


@dataclass
class _Preview:
    amounts: list[Decimal | None] = field(default_factory=list)
    given: Decimal = Decimal("0")  # the percentages or the amounts added up
    readable: bool = True


class PlanDraftModel(EditRowsModel):
    """The installments of a new plan, typed in place; the amount column shows what each share comes to
    (a percentage rounded half up to the fen, the last one taking what rounding left, as the service does)."""

    COLUMNS = ("sequence", "due_date", "share", "amount", "note")
    EDITABLE = frozenset({"due_date", "share", "note"})
    rows: list[EditInstallment]

    def __init__(self, total: Decimal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.total = total
        self.basis = "percent"

    def header(self, column: str) -> str:
        share = self.tr("Share %") if self.basis == "percent" else self.tr("Amount (yuan)")
        return {"sequence": self.tr("No."), "due_date": self.tr("Due on (yyyy-mm-dd)"), "share": share,
                "amount": self.tr("Comes to"), "note": self.tr("Note")}[column]

    def set_basis(self, basis: str) -> None:
        self.beginResetModel()
        self.basis = basis
        self.errors = {}
        self.endResetModel()
        self.changed.emit()

    def preview(self) -> _Preview:
        shares = [parse_decimal(row.share) for row in self.rows]
        preview = _Preview()
        if any(share is None for share in shares):
            preview.readable = False
        known = [share for share in shares if share is not None]
        preview.given = sum(known, Decimal("0"))
        if self.basis == "amount":
            preview.amounts = list(shares)
            return preview
        amounts: list[Decimal | None] = []
        running = Decimal("0")
        whole = preview.readable and preview.given == 100  # only then does the last share take the remainder
        for position, share in enumerate(shares):
            if share is None:
                amounts.append(None)
            elif position == len(shares) - 1 and whole:
                amounts.append(self.total - running)
            else:
                amount = (self.total * share / 100).quantize(FEN, rounding=ROUND_HALF_UP)
                running += amount
                amounts.append(amount)
        preview.amounts = amounts
        return preview

    def inputs(self) -> list[dict[str, Any]]:
        key = "percent" if self.basis == "percent" else "amount"
        return [{"due_date": row.due_date.strip(), key: row.share.strip(), "note": row.note.strip() or None}
                for row in self.rows]

    # ---- Qt's model interface ---------------------------------------------------------------------------------
    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, column = cell
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == "sequence":
                return str(index.row() + 1)
            if column == "amount":
                amounts = self.preview().amounts
                amount = amounts[index.row()] if index.row() < len(amounts) else None
                return format_money(amount) if amount is not None else "—"
            value: str = getattr(row, column)
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("share", "amount"):
            return int(_RIGHT)
        return self.error_data(index, column, role)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return False
        column = self.COLUMNS[index.column()]
        if column not in self.EDITABLE:
            return False
        setattr(self.rows[index.row()], column, "" if value is None else str(value).strip())
        self.errors.pop((index.row(), column), None)
        # Every amount may move: the last percentage takes what the others leave.
        amount_column = self.COLUMNS.index("amount")
        self.dataChanged.emit(self.index(index.row(), index.column()), self.index(index.row(), index.column()))
        self.dataChanged.emit(self.index(0, amount_column), self.index(len(self.rows) - 1, amount_column))
        self.changed.emit()
        return True


class PaymentPlanDialog(QDialog):
    """回款计划: the plan of an order or a contract. An existing plan is shown with what was paid on each
    installment (it can be deleted while nothing is paid); otherwise installments are typed by percentage
    (adding up to 100 %) or by amount (adding up to the total) and saved in one transaction."""

    saved = Signal(object)  # the PlanView made

    # The service's installments[i].<field> and the column that shows it.
    FIELD_COLUMNS: ClassVar[dict[str, str]] = {"due_date": "due_date", "amount": "share", "percent": "share",
                                               "note": "note"}

    def __init__(self, services: Services, actor: Actor, *, order_id: str | None = None,
                 contract_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentPlanDialog")
        self.setStyleSheet(FORM_STYLE)
        self.services, self.actor = services, actor
        self.order_id, self.contract_id = order_id, contract_id
        self.last_error: QWidget | None = None
        if order_id:
            order = services.orders.get(actor, order_id)
            self.source_text = self.tr("Order {number}").format(number=order["number"])
            self.total = Decimal(order["total"])
            self.parent_contract_id = order["contract_id"]
        else:
            contract = contracts.get_contract(services.db, actor, contract_id or "")
            self.source_text = self.tr("Contract {number}").format(number=contract["number"])
            self.total = Decimal(contract["amount"])
            self.parent_contract_id = None
        self.setWindowTitle(self.tr("Payment plan of {source}").format(source=self.source_text))
        self.resize(820, 480)

        self.heading = QLabel(self)
        self.heading.setObjectName("planHeading")
        self.heading.setStyleSheet("font-weight: bold;")
        # ---- an existing plan ----
        self.plan: PlanView | None = None
        self.plan_model = InstallmentsModel(self)
        self.plan_view = QTableView(self)
        self.plan_view.setObjectName("planInstallments")
        self.plan_view.setModel(self.plan_model)
        self.plan_view.verticalHeader().hide()
        self.plan_view.horizontalHeader().setStretchLastSection(True)
        self.delete_button = QPushButton(self.tr("Delete the plan"), self)
        self.delete_button.setObjectName("deletePlanButton")
        self.delete_button.setToolTip(self.tr("Only while nothing is paid on it"))
        self.delete_button.clicked.connect(lambda: self.delete_plan())
        self.history_button = QPushButton(self.tr("History…"), self)
        self.history_button.setObjectName("planHistoryButton")
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(lambda: self.plan and open_history(
            self, services, actor, "payment_plan", self.plan.id, self.source_text))
        # ---- a new plan ----
        self.percent_radio = QRadioButton(self.tr("By percentage (adds up to 100 %)"), self)
        self.percent_radio.setObjectName("planByPercent")
        self.amount_radio = QRadioButton(self.tr("By amount (adds up to the total)"), self)
        self.amount_radio.setObjectName("planByAmount")
        self.basis_group = QButtonGroup(self)
        self.basis_group.addButton(self.percent_radio)
        self.basis_group.addButton(self.amount_radio)
        self.percent_radio.setChecked(True)
        self.percent_radio.toggled.connect(lambda checked: self.set_basis("percent" if checked else "amount"))
        self.draft_model = PlanDraftModel(self.total, self)
        self.draft_model.changed.connect(self.update_sum)
        self.draft_view = row_table(self, "planDraft", self.draft_model, edit_in_place=True)
        self.draft_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 40), (1, 150), (2, 120), (3, 140)):
            self.draft_view.setColumnWidth(column, width)
        self.add_button = QPushButton(self.tr("Add installment"), self)
        self.add_button.setObjectName("addInstallmentButton")
        self.add_button.clicked.connect(lambda: self.add_installment())
        self.remove_button = QPushButton(self.tr("Remove installment"), self)
        self.remove_button.setObjectName("removeInstallmentButton")
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.sum_label = QLabel(self)
        self.sum_label.setObjectName("planSum")
        self.sum_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("planErrors")
        self.error_label.setStyleSheet("color: #c5221f;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.save_button = QPushButton(self.tr("Save the plan"), self)
        self.save_button.setObjectName("savePlanButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closePlanButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        basis_row = QHBoxLayout()
        basis_row.addWidget(self.percent_radio)
        basis_row.addWidget(self.amount_radio)
        basis_row.addStretch(1)
        basis_row.addWidget(self.add_button)
        basis_row.addWidget(self.remove_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        self.editor_widgets: tuple[QWidget, ...] = (self.percent_radio, self.amount_radio, self.add_button,
                                                    self.remove_button, self.draft_view, self.sum_label,
                                                    self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.plan_view, 1)
        layout.addLayout(basis_row)
        layout.addWidget(self.draft_view, 1)
        layout.addWidget(self.sum_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.reload()

    # ---- showing ------------------------------------------------------------------------------------------
    def _existing(self) -> PlanView | None:
        plan = payments.plan_for(self.services.db, self.actor, order_id=self.order_id) if self.order_id else \
            payments.plan_for(self.services.db, self.actor, contract_id=self.contract_id)
        if plan is None and self.parent_contract_id:  # an order made from a contract shares the contract's plan
            plan = payments.plan_for(self.services.db, self.actor, contract_id=str(self.parent_contract_id))
        return plan

    def reload(self) -> PlanView | None:
        self.plan = self._existing()
        has_plan = self.plan is not None
        self.plan_view.setVisible(has_plan)
        self.delete_button.setVisible(has_plan)
        self.history_button.setVisible(has_plan)
        for widget in self.editor_widgets:
            widget.setVisible(not has_plan)
        if self.plan is not None:
            label = self.source_text
            self.plan_model.set_items([InstallmentRow(label, item) for item in self.plan.installments])
            self.plan_view.hideColumn(0)  # the heading names the order or contract
            self.plan_view.resizeColumnsToContents()
            self.heading.setText(self.tr("{source}: plan of {total}, paid {paid}, owed {owed}").format(
                source=self.source_text, total=format_money(self.plan.total), paid=format_money(self.plan.paid),
                owed=format_money(self.plan.outstanding)))
            self.delete_button.setEnabled(self.plan.paid == 0)
        else:
            self.heading.setText(self.tr("{source}: a new plan for {total}").format(
                source=self.source_text, total=format_money(self.total)))
            if not self.draft_model.rows:
                self.draft_model.set_rows([EditInstallment((date.today() + timedelta(days=7)).isoformat(), "100")])
        self.update_sum()
        return self.plan

    def set_basis(self, basis: str) -> None:
        if basis == self.draft_model.basis:
            return
        self.draft_model.set_basis(basis)
        for row in self.draft_model.rows:
            row.share = ""
        self.draft_model.set_rows(self.draft_model.rows)

    def set_installments(self, rows: list[tuple[str, str] | tuple[str, str, str]], basis: str = "percent") -> None:
        """Fill the editor: (due date, share[, note]) per installment."""
        (self.percent_radio if basis == "percent" else self.amount_radio).setChecked(True)
        self.draft_model.set_rows([EditInstallment(*row) for row in rows])

    def update_sum(self) -> None:
        if self.plan is not None:
            return
        preview = self.draft_model.preview()
        if self.draft_model.basis == "percent":
            text = self.tr("Shares add up to {given} % of 100 %").format(given=f"{preview.given:.2f}")
            good = preview.readable and preview.given == 100
        else:
            text = self.tr("Installments add up to {given} of {total}").format(
                given=format_money(preview.given), total=format_money(self.total))
            good = preview.readable and preview.given == self.total
        self.sum_label.setText(text)
        self.sum_label.setStyleSheet("color: #188038;" if good else "color: #c5221f;")

    # ---- editing ------------------------------------------------------------------------------------------
    def add_installment(self) -> int:
        rows = self.draft_model.rows
        last = date.fromisoformat(rows[-1].due_date) if rows and _is_date(rows[-1].due_date) else date.today()
        preview = self.draft_model.preview()
        left = (Decimal(100) if self.draft_model.basis == "percent" else self.total) - preview.given
        share = _plain(left) if left > 0 else ""  # what the others leave, to change as needed
        row = self.draft_model.add_row(EditInstallment((last + timedelta(days=30)).isoformat(), share))
        self.draft_view.selectRow(row)
        return row

    def remove_selected(self) -> None:
        rows = self.draft_view.selectionModel().selectedRows()
        if rows:
            self.draft_model.remove_row(rows[0].row())

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        cells: dict[tuple[int, str], str] = {}
        texts: list[str] = []
        rest: dict[str, str] = {}
        for key, message in errors.items():
            if key.startswith("installments[") and "]." in key:
                row_text, name = key[len("installments["):].split("].", 1)
                column = self.FIELD_COLUMNS.get(name)
                if row_text.isdigit() and column is not None:
                    cells[(int(row_text), column)] = message
                    texts.append(self.tr("Installment {row}: {message}").format(row=int(row_text) + 1,
                                                                                message=message))
                    continue
            if key in ("installments", "total"):
                texts.append(message)
            else:
                rest[key] = message
        self.draft_model.mark_errors(cells)
        self.error_label.setText("\n".join(texts))
        self.error_label.setVisible(bool(texts))
        return rest

    def save(self) -> PlanView | None:
        """The plan as typed, stored in one transaction; None when refused (the rows stay as typed)."""
        if self.plan is not None:
            return None
        source = {"order_id": self.order_id} if self.order_id else {"contract_id": self.contract_id}
        try:
            plan = payments.create_payment_plan(self.services.db, self.actor,
                                                installments=self.draft_model.inputs(), **source)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self.mark_field_errors({})
        self.draft_model.set_rows([])
        self.reload()
        self.saved.emit(plan)
        return plan

    def delete_plan(self) -> bool:
        if self.plan is None:
            return False
        try:
            payments.delete_payment_plan(self.services.db, self.actor, self.plan.id)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return False
        self.reload()
        return True


def _plain(value: Decimal) -> str:
    """30.00 -> "30", 12.50 -> "12.5": a number as one would type it."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


# ---- a payment received -----------------------------------------------------------------------------------------
class PaymentDialog(QDialog):
    """登记回款: a payment received from a customer, then allocated oldest due first, or left for allocation
    by hand (`allocate_by_hand`). What no installment takes stays as the customer's credit."""

    FIELDS = ("received_on", "amount", "method", "payer", "reference", "notes")

    def __init__(self, services: Services, actor: Actor, customer_id: str, customer_name: str = "", *,
                 order_id: str | None = None, contract_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setStyleSheet(FORM_STYLE)
        self.services, self.actor = services, actor
        self.customer_id, self.order_id, self.contract_id = customer_id, order_id, contract_id
        self.outcome: PaymentResult | None = None
        self.last_error: QWidget | None = None
        self.setWindowTitle(self.tr("Register a payment"))
        owed = sum((row.installment.outstanding for row in installment_rows(
            customer_plans(services, actor, customer_id), owed_only=True)), Decimal("0"))
        credit = payments.customer_credit(services.db, customer_id)
        heading = QLabel(self.tr("{customer}: owed {owed}, credit {credit}").format(
            customer=customer_name, owed=format_money(owed), credit=format_money(credit)), self)
        heading.setObjectName("paymentHeading")
        heading.setStyleSheet("font-weight: bold;")
        self.owed = owed

        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        self.received_on = date_edit(self, "paymentReceivedOn", date.today())
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setObjectName("paymentAmount")
        self.amount_edit.setPlaceholderText(self.tr("e.g. 30000.00"))
        self.method_box = QComboBox(self)
        self.method_box.setObjectName("paymentMethod")
        for method in payments.PAYMENT_METHODS:
            self.method_box.addItem(payment_method_label(method), method)
        self.payer_edit = QLineEdit(customer_name, self)
        self.payer_edit.setObjectName("paymentPayer")
        self.payer_edit.setMaxLength(200)
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setObjectName("paymentReference")
        self.reference_edit.setMaxLength(100)
        self.reference_edit.setPlaceholderText(self.tr("bank slip or transaction number"))
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("paymentNotes")
        self.notes_edit.setFixedHeight(56)
        self.auto_radio = QRadioButton(self.tr("Allocate automatically, oldest due first"), self)
        self.auto_radio.setObjectName("allocateAutomatically")
        self.manual_radio = QRadioButton(self.tr("Allocate by hand afterwards"), self)
        self.manual_radio.setObjectName("allocateByHand")
        group = QButtonGroup(self)
        group.addButton(self.auto_radio)
        group.addButton(self.manual_radio)
        self.auto_radio.setChecked(True)
        self.credit_hint = QLabel(self)
        self.credit_hint.setObjectName("creditHint")
        self.credit_hint.setProperty("role", "info")
        self.amount_edit.textChanged.connect(lambda _text: self._hint())

        grid = QGridLayout()
        rows: tuple[tuple[str, str, QWidget], ...] = (
            ("received_on", self.tr("Received on"), self.received_on),
            ("amount", self.tr("Amount"), self.amount_edit),
            ("method", self.tr("Method"), self.method_box),
            ("payer", self.tr("Payer"), self.payer_edit),
            ("reference", self.tr("Reference"), self.reference_edit),
            ("notes", self.tr("Notes"), self.notes_edit),
        )
        for row, (name, title, widget) in enumerate(rows):
            error = error_label(name, self)
            self.marks.add(name, widget, error)
            label = QLabel(title + (" <span style='color:#c5221f'>*</span>" if name in ("received_on", "amount")
                                    else ""), self)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(field_cell(widget, error, self), row, 1)
        grid.setColumnStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Register"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addLayout(grid)
        layout.addWidget(self.auto_radio)
        layout.addWidget(self.manual_radio)
        layout.addWidget(self.credit_hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._hint()

    @property
    def allocate_by_hand(self) -> bool:
        return self.manual_radio.isChecked()

    def _hint(self) -> None:
        amount = parse_decimal(self.amount_edit.text())
        if amount is not None and amount > self.owed:
            self.credit_hint.setText(self.tr("{extra} more than is owed: it stays as the customer's credit.").format(
                extra=format_money(amount - self.owed)))
        else:
            self.credit_hint.setText("")
        self.credit_hint.setVisible(bool(self.credit_hint.text()))

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "customer_id": self.customer_id, "received_on": pydate(self.received_on.date()),
            "amount": self.amount_edit.text().strip(), "method": self.method_box.currentData(),
            "payer": self.payer_edit.text().strip(), "reference": self.reference_edit.text().strip(),
            "notes": self.notes_edit.toPlainText().strip(),
        }
        if self.order_id:
            values["order_id"] = self.order_id
        if self.contract_id:
            values["contract_id"] = self.contract_id
        return values

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("Please correct the marked fields."))

    def submit(self) -> PaymentResult | None:
        try:
            self.outcome = payments.record_payment(self.services.db, self.actor, self.values(),
                                                   allocate=not self.allocate_by_hand)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self.accept()
        return self.outcome


def payment_outcome(result: PaymentResult) -> str:
    """What became of a payment: allocated to how many installments, and the credit left."""
    allocated = sum((allocation.amount for allocation in result.allocations), Decimal("0"))
    left = result.payment.amount - allocated
    text = QCoreApplication.translate("payments", "{amount} received: {allocated} allocated to {count} "
                                      "installments").format(amount=format_money(result.payment.amount),
                                                             allocated=format_money(allocated),
                                                             count=len(result.allocations))
    if left > 0:
        text += QCoreApplication.translate("payments", "; {left} not allocated").format(left=format_money(left))
    if result.customer_credit > 0:
        text += QCoreApplication.translate("payments", "; the customer's credit is now {credit}").format(
            credit=format_money(result.customer_credit))
    return text + "."


# ---- allocating by hand ------------------------------------------------------------------------------------------
class AllocateModel(InstallmentsModel):
    """The installments still owed, with the amount to allocate to each typed in the last column."""

    COLUMNS = ("label", "sequence", "due_date", "amount", "outstanding", "status", "allocate")
    MONEY = frozenset({"amount", "outstanding"})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.typed: dict[int, str] = {}

    def header(self, column: str) -> str:
        if column == "allocate":
            return self.tr("Allocate (blank: as much as fits)")
        return super().header(column)

    def set_items(self, items: list[Any]) -> None:
        self.typed = {}
        super().set_items(items)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.COLUMNS[index.column()] == "allocate":
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.column() < len(self.COLUMNS) and self.COLUMNS[index.column()] == "allocate":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return self.typed.get(index.row(), "")
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT)
            return None
        return super().data(index, role)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.item_at(index) is None \
                or self.COLUMNS[index.column()] != "allocate":
            return False
        self.typed[index.row()] = "" if value is None else str(value).strip()
        self.dataChanged.emit(index, index)
        return True


def find_payment(services: Services, actor: Actor, customer_id: str, payment_id: str) -> PaymentView | None:
    return next((item for item in payments.payments_for(services.db, actor, customer_id) if item.id == payment_id),
                None)


class AllocationDialog(QDialog):
    """核销: what is left of one payment, allocated to the selected installment (the amount typed, or as much
    as fits) or to the owed installments oldest due first; each allocation is its own audited step."""

    changed = Signal()

    def __init__(self, services: Services, actor: Actor, payment: PaymentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allocationDialog")
        self.services, self.actor, self.payment = services, actor, payment
        self.last_error: QWidget | None = None
        self.setWindowTitle(self.tr("Allocate a payment"))
        self.heading = QLabel(self)
        self.heading.setObjectName("allocationHeading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.model = AllocateModel(self)
        self.table = row_table(self, "allocationTable", self.model, edit_in_place=True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = QLabel(self)
        self.message.setObjectName("allocationMessage")
        self.message.setWordWrap(True)
        self.allocate_button = QPushButton(self.tr("Allocate to the selected installment"), self)
        self.allocate_button.setObjectName("allocateSelectedButton")
        self.allocate_button.clicked.connect(lambda: self.allocate_selected())
        self.auto_button = QPushButton(self.tr("Oldest due first"), self)
        self.auto_button.setObjectName("allocateOldestButton")
        self.auto_button.clicked.connect(lambda: self.allocate_oldest_first())
        close = QPushButton(self.tr("Close"), self)
        close.setObjectName("closeAllocationButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.allocate_button)
        buttons.addWidget(self.auto_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(900, 420)
        self.reload()

    def reload(self) -> None:
        payment = find_payment(self.services, self.actor, self.payment.customer_id, self.payment.id)
        self.payment = payment or self.payment
        plans = customer_plans(self.services, self.actor, self.payment.customer_id)
        self.model.set_items(installment_rows(plans, owed_only=True))
        self.table.resizeColumnsToContents()
        self.heading.setText(self.tr("Payment of {amount} on {day}: {left} left to allocate").format(
            amount=format_money(self.payment.amount), day=format_date(self.payment.received_on),
            left=format_money(self.payment.unallocated)))
        left = self.payment.unallocated > 0 and bool(self.model.items)
        self.allocate_button.setEnabled(left)
        self.auto_button.setEnabled(left)
        if self.model.items and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)

    def select_installment(self, installment_id: str) -> bool:
        return select_first(self.table, self.model.items, lambda item: item.installment.id == installment_id)

    def _done(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.reload()
        self.changed.emit()

    def _refused(self, error: UserError) -> None:
        text = "\n".join(error.errors.values()) if isinstance(error, ValidationError) else error.message
        self.message.setStyleSheet("color: #c5221f;")
        self.message.setText(text)

    def allocate_selected(self) -> AllocationView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        item: InstallmentRow = self.model.items[row]
        typed = self.model.typed.get(row, "")
        try:
            allocation = payments.allocate_payment(self.services.db, self.actor, self.payment.id,
                                                   item.installment.id, typed or None)
        except UserError as error:
            self._refused(error)
            return None
        self._done(self.tr("{amount} allocated to {label} installment {sequence}.").format(
            amount=format_money(allocation.amount), label=item.label, sequence=item.installment.sequence))
        return allocation

    def allocate_oldest_first(self) -> tuple[AllocationView, ...]:
        try:
            made = payments.auto_allocate(self.services.db, self.actor, self.payment.id)
        except UserError as error:
            self._refused(error)
            return ()
        total = sum((allocation.amount for allocation in made), Decimal("0"))
        self._done(self.tr("{amount} allocated to {count} installments, oldest due first.").format(
            amount=format_money(total), count=len(made)))
        return made


# ---- taking allocations back --------------------------------------------------------------------------------------
class PaymentsModel(RowsTableModel):
    """A customer's payments, newest first, with what each has allocated and left."""

    COLUMNS = ("received_on", "amount", "method", "payer", "reference", "allocated", "unallocated")
    MONEY = frozenset({"amount", "allocated", "unallocated"})

    def header(self, column: str) -> str:
        return {"received_on": self.tr("Received on"), "amount": self.tr("Amount"), "method": self.tr("Method"),
                "payer": self.tr("Payer"), "reference": self.tr("Reference"), "allocated": self.tr("Allocated"),
                "unallocated": self.tr("Not allocated")}[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item: PaymentView | None = self.item_at(index)
        if item is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "received_on":
                return format_date(item.received_on)
            if column in self.MONEY:
                return format_money(getattr(item, column))
            if column == "method":
                return payment_method_label(item.method)
            return str(getattr(item, column) or "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.MONEY:
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and column == "unallocated" and item.unallocated > 0:
            return QColor("#1a73e8")  # credit
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None


@dataclass(frozen=True)
class AllocationRow:
    allocation: AllocationView
    installment: str  # "CT-… installment 2, due 2026-12-01"


class AllocationsModel(RowsTableModel):
    COLUMNS = ("installment", "amount", "created_at")

    def header(self, column: str) -> str:
        return {"installment": self.tr("Installment"), "amount": self.tr("Amount"),
                "created_at": self.tr("Allocated at")}[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: AllocationRow | None = self.item_at(index)
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "installment":
                return row.installment
            if column == "amount":
                return format_money(row.allocation.amount)
            return format_datetime(row.allocation.created_at)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "amount":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.UserRole:
            return row.allocation.id
        return None


class UnallocateDialog(QDialog):
    """撤销核销: a payment's allocations, taken back one at a time or all at once; the money becomes the
    customer's credit again and the installment owed again (audited with who and when)."""

    changed = Signal()

    def __init__(self, services: Services, actor: Actor, customer_id: str, payment_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unallocateDialog")
        self.services, self.actor, self.customer_id = services, actor, customer_id
        self.last_error: QWidget | None = None
        self.setWindowTitle(self.tr("Undo allocations"))
        self.payments_model = PaymentsModel(self)
        self.payments_table = row_table(self, "unallocatePayments", self.payments_model)
        self.payments_table.horizontalHeader().setSectionResizeMode(PaymentsModel.COLUMNS.index("reference"),
                                                                    QHeaderView.ResizeMode.Stretch)
        self.allocations_model = AllocationsModel(self)
        self.allocations_table = row_table(self, "unallocateAllocations", self.allocations_model)
        self.allocations_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.allocations_table.setColumnWidth(1, 120)
        self.allocations_table.setColumnWidth(2, 150)
        self.message = QLabel(self)
        self.message.setObjectName("unallocateMessage")
        self.message.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo the selected allocation"), self)
        self.undo_button.setObjectName("undoAllocationButton")
        self.undo_button.clicked.connect(lambda: self.undo_selected())
        self.undo_all_button = QPushButton(self.tr("Undo every allocation of the payment"), self)
        self.undo_all_button.setObjectName("undoPaymentButton")
        self.undo_all_button.clicked.connect(lambda: self.undo_payment())
        close = QPushButton(self.tr("Close"), self)
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.undo_all_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Payments"), self))
        layout.addWidget(self.payments_table, 1)
        layout.addWidget(QLabel(self.tr("Its allocations"), self))
        layout.addWidget(self.allocations_table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(860, 520)
        self.payments_table.selectionModel().selectionChanged.connect(lambda *_args: self._payment_chosen())
        self.allocations_table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.reload(payment_id)

    def reload(self, payment_id: str | None = None) -> None:
        current = self.selected_payment()
        chosen = payment_id or (current.id if current is not None else None)
        items = payments.payments_for(self.services.db, self.actor, self.customer_id)
        self.payments_model.set_items(items)
        for column, width in enumerate((90, 110, 80, 90, 0, 110, 110)):
            if width:
                self.payments_table.setColumnWidth(column, width)
        row = next((index for index, item in enumerate(items) if item.id == chosen), 0 if items else None)
        if row is not None:
            self.payments_table.selectRow(row)
        self._payment_chosen()

    def selected_payment(self) -> PaymentView | None:
        item: PaymentView | None = selected_item(self.payments_table, self.payments_model.items)
        return item

    def _payment_chosen(self) -> None:
        payment = self.selected_payment()
        if payment is None:
            self.allocations_model.set_items([])
            self._enable()
            return
        names: dict[str, str] = {}
        for plan in customer_plans(self.services, self.actor, self.customer_id):
            for item in plan.plan.installments:
                names[item.id] = self.tr("{label} installment {sequence}, due {day}").format(
                    label=plan.label, sequence=item.sequence, day=format_date(item.due_date))
        allocations = payments.allocations_of(self.services.db, self.actor, payment.id)
        self.allocations_model.set_items([AllocationRow(item, names.get(item.installment_id, item.installment_id))
                                          for item in allocations])
        if allocations:
            self.allocations_table.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        self.undo_button.setEnabled(bool(self.allocations_table.selectionModel().selectedRows()))
        self.undo_all_button.setEnabled(bool(self.allocations_model.items))

    def undo_selected(self) -> AllocationView | None:
        rows = self.allocations_table.selectionModel().selectedRows()
        if not rows:
            return None
        row: AllocationRow = self.allocations_model.items[rows[0].row()]
        try:
            undone = payments.unallocate(self.services.db, self.actor, row.allocation.id)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self.message.setText(self.tr("{amount} taken back from {installment}.").format(
            amount=format_money(undone.amount), installment=row.installment))
        self.reload()
        self.changed.emit()
        return undone

    def undo_payment(self) -> tuple[AllocationView, ...]:
        payment = self.selected_payment()
        if payment is None:
            return ()
        try:
            undone = payments.unallocate_payment(self.services.db, self.actor, payment.id)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return ()
        total = sum((item.amount for item in undone), Decimal("0"))
        self.message.setText(self.tr("{amount} taken back from {count} installments.").format(
            amount=format_money(total), count=len(undone)))
        self.reload()
        self.changed.emit()
        return undone
