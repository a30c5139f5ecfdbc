"""The order dialog (`OrderDialog`): the order's header, its lines with the cars' VINs typed in place (a
malformed VIN is refused and stays as typed, marked; a failed check digit is shown as a warning and kept),
and the status steps: confirm, deliver on a date, close, cancel with a reason; the payment plan from here."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label
from crmdesk.services.entities import Record
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.contract_dialogs import DateDialog, ReasonDialog
from crmdesk.views.dialog_helpers import row_table
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_date, format_money
from crmdesk.views.history_panel import open_history
from crmdesk.views.record_form import FORM_STYLE
from crmdesk.views.rows_model import ColumnsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ERROR_COLOUR = QColor("#fce8e6")
_WARNING_COLOUR = QColor("#fef7e0")
EDITABLE_STATUSES = ("draft", "confirmed", "delivered")  # where a VIN may still be typed (the service's rule)
STATUS_COLOURS = {"confirmed": QColor("#1a73e8"), "delivered": QColor("#188038"), "closed": QColor("#80868b"),
                  "cancelled": QColor("#c5221f")}


def _quantity_text(value: Any) -> str:
    text = f"{value:f}" if value is not None else ""
    return text.rstrip("0").rstrip(".") if "." in text else text


class OrderLinesModel(ColumnsTableModel):
    """The order's lines; the VIN cell of a car line (or a line without a product) is edited in place.
    What was typed is kept until the service takes it: `vin_entered(row, text)` asks the dialog to store it."""

    COLUMNS = ("position", "description", "quantity", "unit", "unit_price", "line_total", "vin")
    vin_entered = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[Record] = []
        self.typed: dict[int, str] = {}  # row -> a VIN as typed that the service refused
        self.errors: dict[int, str] = {}
        self.warnings: dict[int, str] = {}
        self.editable = True

    def header(self, column: str) -> str:
        return {"position": self.tr("No."), "description": self.tr("Product / description"), "quantity": self.tr("Qty"),
                "unit": self.tr("Unit"), "unit_price": self.tr("Unit price"), "line_total": self.tr("Amount"),
                "vin": self.tr("VIN")}[column]

    def set_lines(self, lines: list[Record]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.typed, self.errors, self.warnings = {}, {}, {}
        self.endResetModel()

    def takes_vin(self, row: int) -> bool:
        line = self.lines[row]
        return bool(line["is_vehicle"]) or not line["product_id"]

    def line_stored(self, row: int, line: Record, warning: str | None) -> None:
        """The service stored the VIN of `row`: show it, with the check-digit warning if any."""
        self.lines[row] = line
        self.typed.pop(row, None)
        self.errors.pop(row, None)
        if warning:
            self.warnings[row] = warning
        else:
            self.warnings.pop(row, None)
        self._changed(row)

    def line_refused(self, row: int, text: str, message: str) -> None:
        """The service refused what was typed: keep it in the cell, shaded, the reason as the tip."""
        self.typed[row] = text
        self.errors[row] = message
        self._changed(row)

    def _changed(self, row: int) -> None:
        column = self.COLUMNS.index("vin")
        self.dataChanged.emit(self.index(row, column), self.index(row, column))

    # ---- Qt's model interface -------------------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self.lines)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.COLUMNS[index.column()] == "vin" and self.takes_vin(index.row()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _text(self, row: int, line: Record, column: str) -> str:
        if column == "vin":
            return self.typed.get(row, str(line["vin"] or ""))
        if column in ("unit_price", "line_total"):
            return format_money(line[column])
        if column == "quantity":
            return _quantity_text(line["quantity"])
        return str(line[column] if line[column] is not None else "")

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines) \
                or not 0 <= index.column() < len(self.COLUMNS):
            return None
        row, column = index.row(), self.COLUMNS[index.column()]
        line = self.lines[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("quantity", "unit_price", "line_total"):
            return int(_RIGHT)
        if column == "vin" and role == Qt.ItemDataRole.BackgroundRole:
            if row in self.errors:
                return _ERROR_COLOUR
            if row in self.warnings:
                return _WARNING_COLOUR
        if column == "vin" and role == Qt.ItemDataRole.ToolTipRole:
            return self.errors.get(row) or self.warnings.get(row) or (
                self.tr("Type the car's 17-character VIN") if self.takes_vin(row) else None)
        if role == Qt.ItemDataRole.UserRole:
            return line.id
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable \
                or self.COLUMNS[index.column()] != "vin" or not self.takes_vin(index.row()):
            return False
        text = "" if value is None else str(value).strip()
        if text == self._text(index.row(), self.lines[index.row()], "vin") and index.row() not in self.errors:
            return False  # nothing changed
        self.typed[index.row()] = text
        self._changed(index.row())
        self.vin_entered.emit(index.row(), text)
        return True


class OrderDialog(QDialog):
    """订单: one order, its lines and VINs, and its status steps."""

    changed = Signal()  # the order or a line was changed here

    def __init__(self, services: Services, actor: Actor, order_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderDialog")
        self.setStyleSheet(FORM_STYLE)
        self.services, self.actor, self.order_id = services, actor, order_id
        self.order: Record = services.orders.get(actor, order_id)
        self.last_error: QWidget | None = None
        self.dialog: QDialog | None = None  # the dialog opened last (tests read it)
        self.resize(980, 560)

        self.title_label = QLabel(self)
        self.title_label.setObjectName("orderTitle")
        self.title_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("orderStatus")
        self.customer_label = QLabel(self)
        self.customer_label.setObjectName("orderCustomer")
        self.dates_label = QLabel(self)
        self.dates_label.setObjectName("orderDates")
        self.total_label = QLabel(self)
        self.total_label.setObjectName("orderTotal")
        self.source_label = QLabel(self)
        self.source_label.setObjectName("orderSource")
        self.source_label.setProperty("role", "info")
        header = QFormLayout()
        header.addRow(self.tr("Status:"), self.status_label)
        header.addRow(self.tr("Customer:"), self.customer_label)
        header.addRow(self.tr("Dates:"), self.dates_label)
        header.addRow(self.tr("Total:"), self.total_label)

        self.lines_model = OrderLinesModel(self)
        self.lines_model.vin_entered.connect(self.store_vin)
        self.lines_view = row_table(self, "orderLines", self.lines_model, edit_in_place=True)
        self.lines_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 50), (2, 60), (3, 50), (4, 120), (5, 120), (6, 190)):
            self.lines_view.setColumnWidth(column, width)
        self.vin_hint = QLabel(self.tr("Double-click a car's VIN cell to type it: 17 characters, never I, O or Q."),
                               self)
        self.vin_hint.setProperty("role", "info")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("orderMessage")
        self.message_label.setTextFormat(Qt.TextFormat.RichText)
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        def button(name: str, text: str, slot: Any) -> QPushButton:
            widget = QPushButton(text, self)
            widget.setObjectName(name)
            widget.setAutoDefault(False)
            widget.clicked.connect(lambda _checked=False: slot())
            return widget

        self.confirm_button = button("confirmOrderButton", self.tr("Confirm"), self.confirm)
        self.deliver_button = button("deliverOrderButton", self.tr("Deliver…"), self.deliver)
        self.close_order_button = button("closeOrderButton", self.tr("Close the order"), self.close_order)
        self.cancel_button = button("cancelOrderButton", self.tr("Cancel order…"), self.cancel_order)
        self.plan_button = button("orderPlanButton", self.tr("Payment plan…"), self.payment_plan)
        self.history_button = button("orderHistoryButton", self.tr("History…"), lambda: open_history(
            self, services, actor, "order", order_id, str(self.order["number"])))
        self.done_button = button("doneOrderButton", self.tr("Close"), self.reject)
        buttons = QHBoxLayout()
        for widget in (self.confirm_button, self.deliver_button, self.close_order_button, self.cancel_button,
                       self.plan_button, self.history_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)

        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addStretch(1)
        title_row.addWidget(self.source_label)
        layout.addLayout(title_row)
        layout.addLayout(header)
        layout.addWidget(self.lines_view, 1)
        layout.addWidget(self.vin_hint)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.lines_model.set_lines(services.orders.lines(actor, order_id))
        self._fill()

    # ---- showing ------------------------------------------------------------------------------------------
    def _fill(self) -> None:
        order = self.order
        status = str(order["status"])
        self.setWindowTitle(self.tr("Order {number}").format(number=order["number"]))
        self.title_label.setText(str(order["number"]))
        status_text = code_label("order", "status", status)
        if status == "cancelled" and order["cancel_reason"]:
            status_text = self.tr("{status}: {reason}").format(status=status_text, reason=order["cancel_reason"])
        self.status_label.setText(status_text)
        colour = STATUS_COLOURS.get(status)
        self.status_label.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "")
        self.customer_label.setText(str(order["customer_name"] or ""))
        delivery = format_date(order["delivery_date"]) or self.tr("not yet")
        self.dates_label.setText(self.tr("ordered {ordered}, delivery {delivery}").format(
            ordered=format_date(order["order_date"]), delivery=delivery))
        self.total_label.setText(format_money(order["total"]))
        source = {"contract": self.tr("Made from a contract"), "quote": self.tr("Made from a quote")}.get(
            str(order.get("source_type") or ""), "")
        self.source_label.setText(source)
        self.lines_model.editable = status in EDITABLE_STATUSES
        self.vin_hint.setVisible(self.lines_model.editable and any(
            self.lines_model.takes_vin(row) for row in range(self.lines_model.rowCount())))
        self.confirm_button.setEnabled(status == "draft")
        self.deliver_button.setEnabled(status in ("draft", "confirmed"))
        self.close_order_button.setEnabled(status == "delivered")
        self.cancel_button.setEnabled(status in ("draft", "confirmed"))
        self.plan_button.setEnabled(status != "cancelled")

    def _show_messages(self) -> None:
        """Every line's refusal (red) and check-digit warning (amber), in line order."""
        model = self.lines_model
        lines = []
        for row in sorted(set(model.errors) | set(model.warnings)):
            error = row in model.errors
            text = self.tr("Line {row}: {message}").format(
                row=row + 1, message=model.errors[row] if error else model.warnings[row])
            lines.append(f"<span style='color:{'#c5221f' if error else '#b06000'}'>{html.escape(text)}</span>")
        self.message_label.setText("<br>".join(lines))
        self.message_label.setVisible(bool(lines))

    def _reload(self) -> None:
        self.order = self.services.orders.get(self.actor, self.order_id)
        self._fill()

    # ---- the VINs -----------------------------------------------------------------------------------------
    def store_vin(self, row: int, text: str) -> bool:
        """Store the VIN typed on line `row`: True when stored (perhaps with the check-digit warning shown)."""
        line = self.lines_model.lines[row]
        try:
            result = self.services.orders.set_vin(self.actor, line.id, text or None)
        except ValidationError as error:
            message = error.errors.get("vin") or next(iter(error.errors.values()), error.message)
            self.lines_model.line_refused(row, text, message)
            self._show_messages()
            return False
        except UserError as error:
            self.lines_model.line_refused(row, text, error.message)
            self._show_messages()
            self.last_error = show_user_error(self, error)
            return False
        self.lines_model.line_stored(row, result.line, result.warnings[0] if result.warnings else None)
        self._show_messages()
        self.changed.emit()
        return True

    # ---- status steps --------------------------------------------------------------------------------------
    def _step(self, step: Any) -> Record | None:
        try:
            record: Record = step()
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self._after(record)
        return record

    def _after(self, _record: Any) -> None:
        self._reload()
        self.changed.emit()

    def confirm(self) -> Record | None:
        return self._step(lambda: self.services.orders.confirm(self.actor, self.order_id))

    def close_order(self) -> Record | None:
        return self._step(lambda: self.services.orders.close(self.actor, self.order_id))

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def deliver(self) -> DateDialog:
        """交付…: the delivery day; the customer becomes a purchasing customer with the after-delivery plan."""
        dialog = DateDialog(self.tr("Deliver the order"), self.tr("The day the customer takes delivery:"),
                            lambda day: self.services.orders.deliver(self.actor, self.order_id, day), self,
                            initial=self.order["delivery_date"] or date.today())
        dialog.accepted.connect(lambda: self._after(dialog.result_value))
        self._open(dialog)
        return dialog

    def cancel_order(self) -> ReasonDialog:
        """取消订单…: with the reason (required)."""
        dialog = ReasonDialog(self.tr("Cancel the order"), self.tr("Why is the order cancelled?"),
                              lambda reason: self.services.orders.cancel(self.actor, self.order_id, reason), self)
        dialog.accepted.connect(lambda: self._after(dialog.result_value))
        self._open(dialog)
        return dialog

    def payment_plan(self) -> QDialog:
        """回款计划…: the order's plan (or its contract's), or a new one."""
        from crmdesk.views.payment_dialogs import PaymentPlanDialog

        dialog = PaymentPlanDialog(self.services, self.actor, order_id=self.order_id, parent=self)
        dialog.saved.connect(lambda _plan: self.changed.emit())
        self._open(dialog)
        return dialog
