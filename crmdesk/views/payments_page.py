"""The payments tab (`PaymentsPage`, 回款): receivables per customer as of a day (due, overdue, collected, credit),
the aging report (1-30, 31-60, 61-90, > 90 days past due) by customer, rep or month, and for the customer
chosen their installments (overdue in red) and payments; register a payment, allocate it, undo allocations,
and export the table shown. The report is computed off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import payments
from crmdesk.services.audit import record_export
from crmdesk.services.errors import UserError
from crmdesk.services.exporter import write_table
from crmdesk.services.payments import AGING_BUCKETS, PaymentView, ReceivableRow, ReceivablesReport
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.dialog_helpers import date_edit, selected_item
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_money
from crmdesk.views.list_page import action_button
from crmdesk.views.payment_dialogs import (
    AllocationDialog,
    InstallmentsModel,
    PaymentDialog,
    PaymentsModel,
    UnallocateDialog,
    customer_plans,
    installment_rows,
    payment_outcome,
)
from crmdesk.views.rows_model import RowsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
CUSTOMER_LIMIT = 200  # the customers owing most; the totals count every customer
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_OVERDUE = QColor("#c5221f")
_CREDIT = QColor("#1a73e8")


@dataclass(frozen=True)
class ReceivableLine:
    """A customer's receivables and their credit (paid and allocated to nothing)."""

    row: ReceivableRow
    credit: Decimal


@dataclass(frozen=True)
class Loaded:
    report: ReceivablesReport
    credits: dict[str, Decimal]


def load_receivables(services: Services, actor: Actor, as_of: date) -> Loaded:
    """The report as of `as_of` and the credit of each customer it lists (run off the GUI thread)."""
    report = payments.receivables(services.db, actor, as_of, customer_limit=CUSTOMER_LIMIT)
    credits = {row.key: payments.customer_credit(services.db, row.key) for row in report.by_customer if row.key}
    return Loaded(report, credits)


class ReceivablesModel(RowsTableModel):
    """应收 per customer: scheduled, due by the day, collected, outstanding, overdue and the credit."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("label", "scheduled", "due", "collected", "outstanding", "overdue",
                                          "credit")

    def header(self, column: str) -> str:
        return {"label": self.tr("Customer"), "scheduled": self.tr("Scheduled"), "due": self.tr("Due"),
                "collected": self.tr("Collected"), "outstanding": self.tr("Outstanding"),
                "overdue": self.tr("Overdue"), "credit": self.tr("Credit")}[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line: ReceivableLine | None = self.item_at(index)
        if line is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "label":
                return line.row.label
            value = line.credit if column == "credit" else getattr(line.row, column)
            return format_money(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != "label":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "overdue" and line.row.overdue > 0:
                return _OVERDUE
            if column == "credit" and line.credit > 0:
                return _CREDIT
        if role == Qt.ItemDataRole.UserRole:
            return line.row.key
        return None

    def export_rows(self) -> list[list[Any]]:
        return [[line.row.label, line.row.scheduled, line.row.due, line.row.collected, line.row.outstanding,
                 line.row.overdue, line.credit] for line in self.items]


class AgingModel(RowsTableModel):
    """账龄: what is owed past due, in buckets of days late; the first row is the total."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("label", "overdue", *AGING_BUCKETS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grouping = "customer"

    def header(self, column: str) -> str:
        first = {"customer": self.tr("Customer"), "rep": self.tr("Sales rep"), "month": self.tr("Due month")}
        return {"label": first[self.grouping], "overdue": self.tr("Overdue"), "0-30": self.tr("1–30 days"),
                "31-60": self.tr("31–60 days"), "61-90": self.tr("61–90 days"),
                "90+": self.tr("More than 90 days")}[column]

    def value(self, row: ReceivableRow, column: str) -> Decimal:
        return row.overdue if column == "overdue" else row.aging.get(column, Decimal("0.00"))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: ReceivableRow | None = self.item_at(index)
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label if column == "label" else format_money(self.value(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column != "label":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.FontRole and index.row() == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column in ("61-90", "90+") and self.value(row, column) > 0:
            return _OVERDUE
        if role == Qt.ItemDataRole.UserRole:
            return row.key if self.grouping == "customer" and index.row() > 0 else None
        return None

    def export_rows(self) -> list[list[Any]]:
        return [[row.label, *(self.value(row, column) for column in self.COLUMNS[1:])] for row in self.items]


class PaymentsPage(QWidget):
    """回款: receivables and aging as of a day, and one customer's installments and payments."""

    records_changed = Signal(str)
    status_changed = Signal()
    loaded = Signal()  # the report for the day asked arrived and is shown

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentsPage")
        self.services, self.actor, self.settings = services, actor, settings
        self.report: ReceivablesReport | None = None
        self.dialog: QDialog | None = None  # the dialog opened last (tests read it)
        self.last_message: QMessageBox | None = None
        self._activated = False
        self._ticket = 0
        self._customer_id: str | None = None
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_loaded)

        self.as_of_edit = date_edit(self, "asOfDate", date.today())
        self.as_of_edit.dateChanged.connect(lambda _day: self.refresh())
        self.grouping_box = QComboBox(self)
        self.grouping_box.setObjectName("agingGrouping")
        for key, title in (("customer", self.tr("by customer")), ("rep", self.tr("by sales rep")),
                           ("month", self.tr("by due month"))):
            self.grouping_box.addItem(title, key)
        self.grouping_box.currentIndexChanged.connect(lambda _index: self._show_aging())

        def button(name: str, text: str, slot: Any) -> QPushButton:
            return action_button(self, name, text, slot)

        self.refresh_button = button("refreshReceivablesButton", self.tr("Refresh"), self.refresh)
        self.register_button = button("registerPaymentButton", self.tr("Register payment…"), self.register_payment)
        self.allocate_button = button("allocatePaymentButton", self.tr("Allocate…"), self.allocate_selected)
        self.unallocate_button = button("unallocateButton", self.tr("Undo allocations…"), self.unallocate)
        self.export_button = button("exportReceivablesButton", self.tr("Export…"), self.choose_export)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("As of:"), self))
        bar.addWidget(self.as_of_edit)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        for widget in (self.register_button, self.allocate_button, self.unallocate_button, self.export_button):
            bar.addWidget(widget)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("receivablesSummary")
        self.summary_label.setWordWrap(True)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("paymentResult")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("color: #188038;")
        self.result_label.hide()

        self.receivables_model = ReceivablesModel(self)
        self.receivables_view = self._table("receivablesTable", self.receivables_model)
        self.aging_model = AgingModel(self)
        self.aging_view = self._table("agingTable", self.aging_model)
        aging_panel = QWidget(self)
        aging_layout = QVBoxLayout(aging_panel)
        aging_layout.setContentsMargins(0, 0, 0, 0)
        grouping_row = QHBoxLayout()
        grouping_row.addWidget(QLabel(self.tr("Overdue amounts by days past due,"), aging_panel))
        grouping_row.addWidget(self.grouping_box)
        grouping_row.addStretch(1)
        aging_layout.addLayout(grouping_row)
        aging_layout.addWidget(self.aging_view, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("receivablesTabs")
        self.tabs.addTab(self.receivables_view, self.tr("Receivables by customer"))
        self.tabs.addTab(aging_panel, self.tr("Aging"))

        self.customer_label = QLabel(self)
        self.customer_label.setObjectName("customerDetail")
        self.customer_label.setStyleSheet("font-weight: bold;")
        self.installments_model = InstallmentsModel(self)
        self.installments_view = self._table("installmentsTable", self.installments_model,
                                             InstallmentsModel.COLUMNS.index("note"))
        self.payments_model = PaymentsModel(self)
        self.payments_view = self._table("paymentsTable", self.payments_model,
                                         PaymentsModel.COLUMNS.index("reference"))
        detail = QSplitter(Qt.Orientation.Horizontal, self)
        for title, view in ((self.tr("Installments"), self.installments_view), (self.tr("Payments"),
                                                                                self.payments_view)):
            panel = QWidget(detail)
            panel_layout = QVBoxLayout(panel)
            panel_layout.setContentsMargins(0, 0, 0, 0)
            panel_layout.addWidget(QLabel(title, panel))
            panel_layout.addWidget(view, 1)
            detail.addWidget(panel)
        detail.setStretchFactor(0, 1)
        detail.setStretchFactor(1, 1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.customer_label)
        lower_layout.addWidget(detail, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.result_label)
        layout.addWidget(splitter, 1)
        self.receivables_view.selectionModel().selectionChanged.connect(lambda *_args: self._customer_chosen(
            self.receivables_view))
        self.aging_view.selectionModel().selectionChanged.connect(lambda *_args: self._customer_chosen(
            self.aging_view))
        self.payments_view.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self._update_buttons()

    def _table(self, name: str, model: RowsTableModel, stretch: int = 0) -> QTableView:
        """A read-only table; column `stretch` (the name, or the note) takes the width left."""
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    # ---- the report ------------------------------------------------------------------------------------------
    def activate(self) -> None:
        if not self._activated:
            self._activated = True
            self.refresh()

    def as_of(self) -> date:
        day = self.as_of_edit.date()
        return date(day.year(), day.month(), day.day())

    def refresh(self) -> int:
        """Compute the report for the day shown, off the GUI thread; `loaded` says when it is shown."""
        day = self.as_of()
        self.summary_label.setText(self.tr("Computing the receivables as of {day}…").format(day=day.isoformat()))
        self._ticket = self._caller.start(lambda: load_receivables(self.services, self.actor, day))
        return self._ticket

    def _on_loaded(self, ticket: int, result: Any, error: BaseException | None) -> None:
        if ticket != self._ticket:
            return  # an older day's report
        if error is not None:
            if isinstance(error, UserError):
                self.last_message = show_user_error(self, error)
                return
            raise error
        loaded: Loaded = result
        self.report = loaded.report
        self.receivables_model.set_items([ReceivableLine(row, loaded.credits.get(row.key or "", Decimal("0.00")))
                                          for row in loaded.report.by_customer])
        self._size(self.receivables_view, (0, 130, 130, 130, 130, 130, 130))
        self._show_aging()
        totals = loaded.report.totals
        text = self.tr("As of {day}: scheduled {scheduled}, due {due}, collected {collected}, outstanding "
                       "{outstanding}, overdue {overdue}; credit {credit}.").format(
            day=loaded.report.as_of.isoformat(), scheduled=format_money(totals.scheduled), due=format_money(totals.due),
            collected=format_money(totals.collected), outstanding=format_money(totals.outstanding),
            overdue=format_money(totals.overdue), credit=format_money(loaded.report.credit))
        if loaded.report.customers > len(loaded.report.by_customer):
            text += " " + self.tr("The {shown} customers owing most of {count} are listed.").format(
                shown=len(loaded.report.by_customer), count=format_count(loaded.report.customers))
        self.summary_label.setText(text)
        if self._customer_id is not None:
            self.select_customer(self._customer_id)
        self._show_customer(self._customer_id)
        self.status_changed.emit()
        self.loaded.emit()

    def _size(self, view: QTableView, widths: tuple[int, ...]) -> None:
        for column, width in enumerate(widths):
            if width:  # 0: the stretched column
                view.setColumnWidth(column, width)

    def _show_aging(self) -> None:
        grouping = str(self.grouping_box.currentData())
        self.aging_model.grouping = grouping
        if self.report is None:
            self.aging_model.set_items([])
            return
        rows = {"customer": self.report.by_customer, "rep": self.report.by_rep, "month": self.report.by_month}[grouping]
        overdue = [row for row in rows if row.overdue > 0] if grouping == "customer" else list(rows)
        self.aging_model.set_items([self.report.totals, *overdue])
        self._size(self.aging_view, (0, 130, 130, 130, 130, 130))

    def status_text(self) -> str:
        if self.report is None:
            return ""
        return self.tr("{count} customers with receivables").format(count=format_count(self.report.customers))

    # ---- the customer chosen -----------------------------------------------------------------------------------
    def _customer_chosen(self, view: QTableView) -> None:
        rows = view.selectionModel().selectedRows()
        if not rows:
            return
        customer_id = view.model().data(view.model().index(rows[0].row(), 0), Qt.ItemDataRole.UserRole)
        if customer_id and customer_id != self._customer_id:
            self._show_customer(str(customer_id))

    def select_customer(self, customer_id: str) -> bool:
        for row, line in enumerate(self.receivables_model.items):
            if line.row.key == customer_id:
                self.tabs.setCurrentIndex(0)
                self.receivables_view.selectRow(row)
                return True
        return False

    def customer_name(self) -> str:
        line = next((line for line in self.receivables_model.items if line.row.key == self._customer_id), None)
        return line.row.label if line is not None else ""

    def _show_customer(self, customer_id: str | None) -> None:
        self._customer_id = customer_id
        if customer_id is None:
            self.customer_label.setText(self.tr("Choose a customer above to see their installments and payments."))
            self.installments_model.set_items([])
            self.payments_model.set_items([])
        else:
            plans = customer_plans(self.services, self.actor, customer_id, self.as_of())
            self.installments_model.set_items(installment_rows(plans))
            self.payments_model.set_items(payments.payments_for(self.services.db, self.actor, customer_id))
            self._size(self.installments_view, (160, 40, 86, 100, 100, 100, 70))
            self._size(self.payments_view, (86, 100, 70, 80, 0, 100, 100))
            credit = payments.customer_credit(self.services.db, customer_id)
            self.customer_label.setText(self.tr("{customer}: {plans} plans, credit {credit}").format(
                customer=self.customer_name(), plans=len(plans), credit=format_money(credit)))
        self._update_buttons()

    def selected_payment(self) -> PaymentView | None:
        item: PaymentView | None = selected_item(self.payments_view, self.payments_model.items)
        return item

    def _update_buttons(self) -> None:
        chosen = self._customer_id is not None
        payment = self.selected_payment()
        self.register_button.setEnabled(chosen)
        self.unallocate_button.setEnabled(chosen and bool(self.payments_model.items))
        self.allocate_button.setEnabled(payment is not None and payment.unallocated > 0)
        self.export_button.setEnabled(self.report is not None)

    # ---- actions ---------------------------------------------------------------------------------------------
    def _changed(self) -> None:
        self._show_customer(self._customer_id)
        self.refresh()
        self.records_changed.emit("payment")

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def register_payment(self) -> PaymentDialog | None:
        """登记回款…: a payment of the customer chosen; by hand, the allocation dialog follows."""
        if self._customer_id is None:
            return None
        dialog = PaymentDialog(self.services, self.actor, self._customer_id, self.customer_name(), parent=self)

        def registered() -> None:
            outcome = dialog.outcome
            if outcome is None:
                return
            self.result_label.setText(payment_outcome(outcome))
            self.result_label.show()
            self._changed()
            if dialog.allocate_by_hand:
                self.allocate(outcome.payment)

        dialog.accepted.connect(registered)
        self._open(dialog)
        return dialog

    def allocate(self, payment: PaymentView) -> AllocationDialog:
        dialog = AllocationDialog(self.services, self.actor, payment, self)
        dialog.changed.connect(self._changed)
        self._open(dialog)
        return dialog

    def allocate_selected(self) -> AllocationDialog | None:
        payment = self.selected_payment()
        return self.allocate(payment) if payment is not None else None

    def unallocate(self) -> UnallocateDialog | None:
        """撤销核销…: the customer's payments and their allocations, to take back."""
        if self._customer_id is None:
            return None
        payment = self.selected_payment()
        dialog = UnallocateDialog(self.services, self.actor, self._customer_id,
                                  payment.id if payment is not None else None, self)
        dialog.changed.connect(self._changed)
        self._open(dialog)
        return dialog

    def choose_export(self) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Export the table"),
                                                    f"receivables-{self.as_of().isoformat()}.xlsx",
                                                    self.tr("Excel (*.xlsx);;CSV (*.csv)"))
        return self.export_to(Path(path)) if path else None

    def export_to(self, path: Path) -> Path | None:
        """The table in front (receivables or aging) as CSV or xlsx (by the file's suffix)."""
        model: ReceivablesModel | AgingModel = self.receivables_model if self.tabs.currentIndex() == 0 \
            else self.aging_model
        headers = [model.header(column) for column in model.COLUMNS]
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        try:
            count = write_table(path, headers, model.export_rows(), fmt=fmt)
            record_export(self.services.db, self.actor, "receivables", count, path)
        except UserError as error:
            self.last_message = show_user_error(self, error)
            return None
        except OSError as error:
            self.last_message = show_user_error(self, UserError(self.tr("Cannot write {name}: {reason}").format(
                name=path.name, reason=error.strerror or str(error))))
            return None
        self.result_label.setText(self.tr("Exported to {path}.").format(path=str(path)))
        self.result_label.show()
        return path
