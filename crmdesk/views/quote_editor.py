"""The quote editor (`QuoteEditor`): header fields, the lines with a product picker that searches as you type,
quantity, price and discount edited in place with live totals, the quote's history, read-only for old
versions and sent quotes; a refused save keeps what was typed and marks what is wrong."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import catalog, quotes
from crmdesk.services.catalog import ProductHit
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import UserError
from crmdesk.services.quotes import LineAmounts, QuoteLineView, QuoteView
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.dialog_helpers import EDIT_IN_PLACE, date_edit, parse_decimal, pydate
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_datetime, format_money
from crmdesk.views.history_panel import HistoryDialog, open_history
from crmdesk.views.rows_model import EditRowsModel

ModelIndex = QModelIndex | QPersistentModelIndex
PICKER_DELAY_MS = 150
PICKER_LIMIT = 20
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ERROR_STYLE = "QLabel#quoteErrors { color: #c5221f; } *[invalid=\"true\"] { border: 1px solid #c5221f; }"


def _plain(value: Decimal | None, places: int = 2) -> str:
    """A number as typed in a cell: 189800.00 -> "189800", 1.500 -> "1.5"."""
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent_text(bp: int) -> str:
    return _plain(Decimal(bp) / 100) if bp else ""


@dataclass
class EditLine:
    """One line as the user is typing it: texts, so what was typed survives a refused save."""

    id: str | None
    product_id: str | None
    code: str
    description: str
    quantity: str
    unit: str
    unit_price: str
    discount_percent: str
    discount_amount: str
    tax_rate: str
    list_price: Decimal | None

    @classmethod
    def from_view(cls, line: QuoteLineView) -> EditLine:
        return cls(line.id, line.product_id, line.code, line.description, _plain(line.quantity, 3), line.unit,
                   _plain(line.unit_price), _percent_text(line.discount_bp),
                   "" if line.discount_bp else _plain(line.discount_amount) if line.discount_amount else "",
                   _percent_text(line.tax_rate_bp) or "0", line.list_price)

    @classmethod
    def from_product(cls, hit: ProductHit) -> EditLine:
        return cls(None, hit.id, hit.code, hit.label, "1", hit.unit, _plain(hit.price), "", "",
                   _percent_text(hit.tax_rate_bp) or "0", hit.price)

    def tax_rate_bp(self) -> int | None:
        try:
            return catalog.parse_tax_rate(self.tax_rate) if self.tax_rate.strip() else 0
        except ValueError:
            return None

    def amounts(self) -> LineAmounts | None:
        """The line's figures as the service will compute them, or None while a number is unreadable."""
        quantity, price = parse_decimal(self.quantity or "1"), parse_decimal(self.unit_price)
        percent, amount = parse_decimal(self.discount_percent), parse_decimal(self.discount_amount)
        rate = self.tax_rate_bp()
        if quantity is None or price is None or rate is None or (self.discount_percent.strip() and percent is None) \
                or (self.discount_amount.strip() and amount is None):
            return None
        bp = int((percent or Decimal(0)) * 100)
        try:
            return quotes.line_amounts(quantity, price, bp, amount or Decimal(0), rate, self.list_price)
        except (UserError, ArithmeticError):
            return None

    def as_input(self) -> dict[str, Any]:
        """What the quotes service takes: the texts as typed (it checks them and names what is wrong)."""
        rate = self.tax_rate_bp()
        line: dict[str, Any] = {
            "product_id": self.product_id, "description": self.description, "quantity": self.quantity,
            "unit": self.unit, "unit_price": self.unit_price, "discount_percent": self.discount_percent,
            "discount_amount": self.discount_amount, "tax_rate_bp": rate if rate is not None else self.tax_rate,
        }
        if self.id:
            line["id"] = self.id
        return line


class QuoteLinesModel(EditRowsModel):
    """The quote's lines, edited in place; cells the last save refused are shaded with the reason as tip."""

    COLUMNS = ("code", "description", "quantity", "unit", "unit_price", "discount_percent", "discount_amount",
               "tax_rate", "line_total")
    EDITABLE = frozenset({"description", "quantity", "unit", "unit_price", "discount_percent", "discount_amount",
                          "tax_rate"})
    NUMERIC = frozenset({"quantity", "unit_price", "discount_percent", "discount_amount", "tax_rate", "line_total"})
    # The service's field names (lines[i].<field>) and the column that shows each.
    FIELD_COLUMNS: ClassVar[dict[str, str]] = {"product_id": "code", "id": "description", "description": "description", "quantity": "quantity",
                     "unit": "unit", "unit_price": "unit_price", "discount": "discount_percent",
                     "tax_rate_bp": "tax_rate"}

    # `changed`: any line added, removed or edited: the totals are out of date
    rows: list[EditLine]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.read_only = False

    @property
    def lines(self) -> list[EditLine]:
        return self.rows

    def header(self, column: str) -> str:
        return {
            "code": self.tr("Code"), "description": self.tr("Product / description"), "quantity": self.tr("Qty"),
            "unit": self.tr("Unit"), "unit_price": self.tr("Unit price"), "discount_percent": self.tr("Discount %"),
            "discount_amount": self.tr("Discount (yuan)"), "tax_rate": self.tr("VAT %"),
            "line_total": self.tr("Amount"),
        }[column]

    # ---- contents --------------------------------------------------------------------------------------
    def set_lines(self, lines: Sequence[EditLine]) -> None:
        self.set_rows(lines)

    def add_line(self, line: EditLine) -> int:
        return self.add_row(line)

    def remove_line(self, row: int) -> None:
        self.remove_row(row)

    def inputs(self) -> list[dict[str, Any]]:
        return [line.as_input() for line in self.lines]

    def amounts(self) -> list[LineAmounts | None]:
        return [line.amounts() for line in self.lines]

    # ---- Qt's model interface -------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and section >= 0:
            return str(section + 1)
        return super().headerData(section, orientation, role)

    def editable(self) -> bool:
        return not self.read_only

    def _text(self, line: EditLine, column: str) -> str:
        if column == "line_total":
            amounts = line.amounts()
            return format_money(amounts.total) if amounts is not None else "—"
        value: str = getattr(line, column)
        return value

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        line, column = cell
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMERIC:
            return int(_RIGHT)
        return self.error_data(index, column, role)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only \
                or not 0 <= index.row() < len(self.lines):
            return False
        column = self.COLUMNS[index.column()]
        if column not in self.EDITABLE:
            return False
        line = self.lines[index.row()]
        text = "" if value is None else str(value).strip()
        setattr(line, column, text)
        first, last = index.column(), index.column()
        # A discount is a percentage or an amount: typing one clears the other.
        if column == "discount_percent" and text:
            line.discount_amount = ""
            last = self.COLUMNS.index("discount_amount")
        elif column == "discount_amount" and text:
            line.discount_percent = ""
            first = self.COLUMNS.index("discount_percent")
        self.errors.pop((index.row(), column), None)
        total = self.COLUMNS.index("line_total")
        self.dataChanged.emit(self.index(index.row(), min(first, total)), self.index(index.row(), max(last, total)))
        self.changed.emit()
        return True


class ProductPicker(QWidget):
    """A search box over the catalog (code, name, pinyin) that lists matches as you type; choosing one
    emits `chosen(ProductHit)`."""

    chosen = Signal(object)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.price_list_id: str | None = None
        self.hits: list[ProductHit] = []
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("productSearch")
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setPlaceholderText(self.tr("Add a product: code, name or pinyin…"))
        self.completions = QStringListModel(self)
        self.completer = QCompleter(self.completions, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.line_edit)
        popup = self.completer.popup()
        assert popup is not None
        popup.clicked.connect(lambda index: self.choose(index.row()))
        self.completer.activated.connect(lambda _text: self.choose(max(popup.currentIndex().row(), 0)))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PICKER_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.line_edit.textEdited.connect(lambda _text: self._timer.start())
        self.line_edit.returnPressed.connect(self._enter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit)

    def search(self) -> list[ProductHit]:
        """The products matching the box (the list shown under it)."""
        self._timer.stop()
        text = self.line_edit.text()
        self.hits = catalog.search_products(self.services.db, self.actor, text, PICKER_LIMIT,
                                            price_list_id=self.price_list_id) if text.strip() else []
        self.completions.setStringList([f"{hit.code}  {hit.label}  {format_money(hit.price)}" for hit in self.hits])
        if self.hits and self.line_edit.hasFocus():
            self.completer.complete()
        return self.hits

    def _enter(self) -> None:
        """Enter takes the first match (the exact code ranks first)."""
        if self._timer.isActive() or not self.hits:
            self.search()
        if self.hits:
            self.choose(0)

    def choose(self, row: int) -> ProductHit | None:
        if not 0 <= row < len(self.hits):
            return None
        hit = self.hits[row]
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        self.line_edit.clear()
        self.hits = []
        self.completions.setStringList([])
        self.chosen.emit(hit)
        return hit


class QuoteEditor(QDialog):
    """One quote version: a new quote (for an opportunity) or an existing one. Saving stores the header and
    every line in one call; a ValidationError keeps the dialog as typed, with the bad fields marked."""

    saved = Signal(object)  # the QuoteView after a save, submit or any change made here

    def __init__(self, services: Services, actor: Actor, quote_id: str | None = None, *,
                 opportunity_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteEditor")
        self.setStyleSheet(_ERROR_STYLE)
        self.services, self.actor = services, actor
        self.view: QuoteView | None = quotes.get_quote(services.db, actor, quote_id) if quote_id else None
        self.opportunity_id = self.view.opportunity_id if self.view is not None else opportunity_id
        self.customer_id = self.view.customer_id if self.view is not None else None
        self.last_error: QWidget | None = None
        self.resize(1080, 720)

        # ---- header ----
        self.title_label = QLabel(self)
        self.title_label.setObjectName("quoteTitle")
        self.title_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("quoteState")
        self.state_label.setWordWrap(True)
        self.opportunity_box = QComboBox(self)
        self.opportunity_box.setObjectName("quoteOpportunity")
        self.opportunity_box.setMinimumWidth(320)
        self.opportunity_search = QLineEdit(self)
        self.opportunity_search.setObjectName("quoteOpportunitySearch")
        self.opportunity_search.setPlaceholderText(self.tr("Find the opportunity: name, customer, pinyin…"))
        self.opportunity_search.textEdited.connect(lambda text: self.find_opportunities(text))
        self.opportunity_box.currentIndexChanged.connect(lambda _index: self._opportunity_chosen())
        self.customer_label = QLabel(self)
        self.customer_label.setObjectName("quoteCustomer")
        self.contact_box = QComboBox(self)
        self.contact_box.setObjectName("quoteContact")
        self.valid_until = date_edit(self, "quoteValidUntil")
        self.price_list_box = QComboBox(self)
        self.price_list_box.setObjectName("quotePriceList")
        self.price_list_box.addItem(self.tr("Default prices"), None)
        for price_list in catalog.price_lists(services.db, actor):
            self.price_list_box.addItem(price_list.name, price_list.id)
        self.price_list_box.currentIndexChanged.connect(self._price_list_chosen)
        self.terms_box = QPlainTextEdit(self)
        self.terms_box.setObjectName("quoteTerms")
        self.terms_box.setFixedHeight(64)
        header = QFormLayout()
        opportunity_row = QHBoxLayout()
        opportunity_row.addWidget(self.opportunity_search, 1)
        opportunity_row.addWidget(self.opportunity_box, 2)
        header.addRow(self.tr("Opportunity:"), opportunity_row)
        header.addRow(self.tr("Customer:"), self.customer_label)
        header.addRow(self.tr("Contact:"), self.contact_box)
        dates = QHBoxLayout()
        dates.addWidget(self.valid_until)
        dates.addWidget(QLabel(self.tr("Price list:"), self))
        dates.addWidget(self.price_list_box, 1)
        header.addRow(self.tr("Valid until:"), dates)
        header.addRow(self.tr("Terms:"), self.terms_box)
        self.field_widgets: dict[str, QWidget] = {
            "opportunity_id": self.opportunity_box, "contact_id": self.contact_box, "valid_until": self.valid_until,
            "terms": self.terms_box, "price_list_id": self.price_list_box,
        }

        # ---- lines ----
        self.picker = ProductPicker(services, actor, self)
        self.picker.chosen.connect(self.add_product)
        self.remove_button = QPushButton(self.tr("Remove line"), self)
        self.remove_button.setObjectName("removeLineButton")
        self.remove_button.clicked.connect(self.remove_selected_line)
        self.free_line_button = QPushButton(self.tr("Add a line without product"), self)
        self.free_line_button.setObjectName("freeLineButton")
        self.free_line_button.clicked.connect(self.add_free_line)
        self.lines_model = QuoteLinesModel(self)
        self.lines_model.changed.connect(self.update_totals)
        self.lines_view = QTableView(self)
        self.lines_view.setObjectName("quoteLines")
        self.lines_view.setModel(self.lines_model)
        self.lines_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines_view.setEditTriggers(EDIT_IN_PLACE)
        self.lines_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 110), (2, 60), (3, 50), (4, 100), (5, 80), (6, 100), (7, 60), (8, 120)):
            self.lines_view.setColumnWidth(column, width)
        self.field_widgets["lines"] = self.lines_view
        line_bar = QHBoxLayout()
        line_bar.addWidget(self.picker, 1)
        line_bar.addWidget(self.free_line_button)
        line_bar.addWidget(self.remove_button)

        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("quoteTotals")
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.discount_label = QLabel(self)
        self.discount_label.setObjectName("quoteDiscount")
        self.discount_label.setAlignment(Qt.AlignmentFlag.AlignRight)

        history_box = QGroupBox(self.tr("History"), self)
        self.history_list = QListWidget(history_box)
        self.history_list.setObjectName("quoteHistory")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_list)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("quoteErrors")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        # ---- buttons ----
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("saveQuoteButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.submit_button = QPushButton(self.tr("Save and submit"), self)
        self.submit_button.setObjectName("submitQuoteButton")
        self.submit_button.clicked.connect(self.save_and_submit)
        self.preview_button = QPushButton(self.tr("Preview / print…"), self)
        self.preview_button.setObjectName("previewQuoteButton")
        self.preview_button.clicked.connect(self.preview)
        self.history_button = QPushButton(self.tr("History…"), self)
        self.history_button.setObjectName("quoteHistoryButton")
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeQuoteButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.close_button)

        lines_panel = QWidget(self)
        lines_layout = QVBoxLayout(lines_panel)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        lines_layout.addLayout(line_bar)
        lines_layout.addWidget(self.lines_view, 1)
        lines_layout.addWidget(self.totals_label)
        lines_layout.addWidget(self.discount_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(lines_panel)
        splitter.addWidget(history_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.state_label, 1)
        layout.addLayout(title_row)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self._fill()

    # ---- showing the quote ---------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.view is not None and self.view.read_only

    def _fill(self) -> None:
        view = self.view
        if view is None:
            self.setWindowTitle(self.tr("New quote"))
            self.title_label.setText(self.tr("New quote"))
            self.state_label.setText(self.tr("Draft: saved with a number of its own."))
            self.valid_until.setDate(_qdate(date.today().toordinal() + quotes.DEFAULT_VALIDITY_DAYS))
            self.find_opportunities("", keep=self.opportunity_id)
            self.lines_model.set_lines([])
        else:
            self.setWindowTitle(self.tr("Quote {label}").format(label=view.label))
            self.title_label.setText(view.label)
            self.state_label.setText(self._state_text(view))
            self.opportunity_search.hide()
            self.opportunity_box.clear()
            self.opportunity_box.addItem(view.opportunity_name or "—", view.opportunity_id)
            self.opportunity_box.setEnabled(False)
            self.customer_label.setText(view.customer_name)
            self._fill_contacts(view.customer_id, view.contact_id)
            self.valid_until.setDate(_qdate(view.valid_until.toordinal()) if view.valid_until else QDate.currentDate())
            index = self.price_list_box.findData(view.price_list_id)
            self.price_list_box.setCurrentIndex(max(index, 0))
            self.terms_box.setPlainText(view.terms)
            self.lines_model.set_lines([EditLine.from_view(line) for line in view.lines])
            self._fill_history(view)
        self.history_button.setVisible(view is not None)  # a new quote has none yet
        self._apply_read_only()
        self.update_totals()

    def _state_text(self, view: QuoteView) -> str:
        parts = [quotes.status_label(view.status)]
        if not view.is_current:
            parts.append(self.tr("an old version: read only"))
        elif view.status not in quotes.EDITABLE_STATUSES:
            parts.append(self.tr("read only: a change makes a new version"))
        if view.approval_status == "approved" and view.approved_by_name:
            parts.append(self.tr("discount approved by {name}").format(name=view.approved_by_name))
        elif view.approval_status == "rejected":
            parts.append(self.tr("discount rejected by {name}: {comment}").format(
                name=view.approved_by_name, comment=view.approval_comment or ""))
        return " · ".join(parts)

    def _fill_history(self, view: QuoteView) -> None:
        self.history_list.clear()
        for event in reversed(view.events):  # newest first
            move = ""
            if event.from_status and event.to_status and event.from_status != event.to_status:
                move = f"（{quotes.status_label(event.from_status)} → {quotes.status_label(event.to_status)}）"
            text = f"{format_datetime(event.at)}  V{event.version}  {event.user_name}  " \
                   f"{quotes.action_label(event.action)}{move}"
            if event.comment:
                text += f"：{event.comment}"
            self.history_list.addItem(text)

    def _apply_read_only(self) -> None:
        read_only = self.read_only
        self.lines_model.read_only = read_only
        for widget in (self.contact_box, self.valid_until, self.price_list_box, self.picker, self.remove_button,
                       self.free_line_button, self.save_button, self.submit_button):
            widget.setEnabled(not read_only)
        self.terms_box.setReadOnly(read_only)
        self.save_button.setVisible(not read_only)
        self.submit_button.setVisible(not read_only and (self.view is None or self.view.status == "draft"))
        self.preview_button.setEnabled(self.view is not None)

    def _fill_contacts(self, customer_id: str | None, chosen: str | None) -> None:
        self.contact_box.clear()
        self.contact_box.addItem(self.tr("(none)"), None)
        if customer_id:
            for row in self.services.contacts.page(self.actor, ListQuery(filters={"customer_id": customer_id}), 0, 100):
                self.contact_box.addItem(str(row[1]), row[0])
        self.contact_box.setCurrentIndex(max(self.contact_box.findData(chosen), 0))

    def find_opportunities(self, text: str, keep: str | None = None) -> int:
        """Fill the opportunity choice with the open deals matching `text` (a new quote only)."""
        chosen = keep or self.opportunity_box.currentData()
        rows = self.services.opportunities.page(self.actor, ListQuery(search=text, filters={"status": "open"}), 0, 50)
        if chosen and all(row[0] != chosen for row in rows):
            try:
                record = self.services.opportunities.get(self.actor, chosen)
                rows = [(record.id, record["name"], record["customer_name"]), *rows]
            except UserError:
                pass
        self.opportunity_box.blockSignals(True)
        self.opportunity_box.clear()
        for row in rows:
            self.opportunity_box.addItem(f"{row[1]}（{row[2]}）", row[0])
        self.opportunity_box.setCurrentIndex(max(self.opportunity_box.findData(chosen), 0) if rows else -1)
        self.opportunity_box.blockSignals(False)
        self._opportunity_chosen()
        return len(rows)

    def _opportunity_chosen(self) -> None:
        if self.view is not None:
            return
        opportunity_id = self.opportunity_box.currentData()
        self.opportunity_id = str(opportunity_id) if opportunity_id else None
        if not self.opportunity_id:
            self.customer_label.setText("")
            self._fill_contacts(None, None)
            return
        record = self.services.opportunities.get(self.actor, self.opportunity_id)
        self.customer_id = record["customer_id"]
        self.customer_label.setText(record["customer_name"])
        self._fill_contacts(record["customer_id"], record["contact_id"])

    def _price_list_chosen(self) -> None:
        data = self.price_list_box.currentData()
        self.picker.price_list_id = str(data) if data else None

    def update_totals(self) -> None:
        amounts = self.lines_model.amounts()
        if any(amount is None for amount in amounts):
            self.totals_label.setText(self.tr("Totals appear once every line's numbers are readable."))
            self.discount_label.clear()
            return
        totals = quotes.quote_totals([amount for amount in amounts if amount is not None])
        self.totals_label.setText(self.tr(
            "Subtotal {subtotal}   Discount {discount}   Total {total} (VAT included: {tax})").format(
            subtotal=format_money(totals.subtotal), discount=format_money(totals.discount_total),
            total=format_money(totals.total), tax=format_money(totals.tax_total)))
        limit = self.view.limit_bp if self.view is not None else quotes.discount_limit_bp(
            quotes.load_discount_policy(self.services.db), self.actor.role)
        text = self.tr("Largest discount {discount} (your limit {limit})").format(
            discount=quotes.format_bp(totals.max_discount_bp), limit=quotes.format_bp(limit))
        if limit is not None and totals.max_discount_bp > limit:
            text += self.tr(": a manager must approve it")
            self.discount_label.setStyleSheet("color: #b06000;")
        else:
            self.discount_label.setStyleSheet("")
        self.discount_label.setText(text)

    # ---- editing -------------------------------------------------------------------------------------
    def add_product(self, hit: ProductHit) -> int:
        row = self.lines_model.add_line(EditLine.from_product(hit))
        self.lines_view.selectRow(row)
        return row

    def add_free_line(self) -> int:
        row = self.lines_model.add_line(EditLine(None, None, "", "", "1", "", "", "", "", "13", None))
        index = self.lines_model.index(row, QuoteLinesModel.COLUMNS.index("description"))
        self.lines_view.setCurrentIndex(index)
        self.lines_view.edit(index)
        return row

    def remove_selected_line(self) -> None:
        rows = {index.row() for index in self.lines_view.selectionModel().selectedRows()}
        current = self.lines_view.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        for row in sorted(rows, reverse=True):
            self.lines_model.remove_line(row)

    def header_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "contact_id": self.contact_box.currentData(),
            "valid_until": pydate(self.valid_until.date()),
            "terms": self.terms_box.toPlainText(),
            "price_list_id": self.price_list_box.currentData(),
        }
        if self.view is None:
            values["opportunity_id"] = self.opportunity_id
        return values

    # ---- saving --------------------------------------------------------------------------------------
    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        """Shade the refused cells and fields (their reason as tooltip) and list every reason below the
        lines; returns those no field shows (shown in a message box)."""
        for widget in self.field_widgets.values():
            widget.setProperty("invalid", False)
            widget.setToolTip("")
        cells: dict[tuple[int, str], str] = {}
        rest: dict[str, str] = {}
        lines_text: list[str] = []
        for key, message in errors.items():
            if key.startswith("lines[") and "]." in key:
                row_text, field = key[len("lines["):].split("].", 1)
                column = QuoteLinesModel.FIELD_COLUMNS.get(field)
                if row_text.isdigit() and column is not None:
                    cells[(int(row_text), column)] = message
                    lines_text.append(self.tr("Line {row}: {message}").format(row=int(row_text) + 1, message=message))
                    continue
            target = self.field_widgets.get(key)
            if target is not None:
                target.setProperty("invalid", True)
                target.setToolTip(message)
                lines_text.append(message)
            else:
                rest[key] = message
        for widget in self.field_widgets.values():
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.lines_model.mark_errors(cells)
        self.error_label.setText("\n".join(lines_text + list(rest.values())))
        self.error_label.setVisible(bool(lines_text or rest))
        return rest

    def _clear_errors(self) -> None:
        self.mark_field_errors({})

    def save(self) -> QuoteView | None:
        """Store the header and all lines (one transaction); None when refused (nothing typed is lost)."""
        if self.read_only:
            return None
        try:
            if self.view is None:
                view = quotes.create_quote(self.services.db, self.actor, self.header_values(), self.lines_model.inputs())
            else:
                view = quotes.update_quote(self.services.db, self.actor, self.view.id, self.header_values(),
                                           self.lines_model.inputs())
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self._clear_errors()
        self._show_saved(view)
        return view

    def save_and_submit(self) -> QuoteView | None:
        view = self.save()
        if view is None:
            return None
        try:
            view = quotes.submit_quote(self.services.db, self.actor, view.id)
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self._show_saved(view)
        return view

    def _show_saved(self, view: QuoteView) -> None:
        self.view = view
        self.opportunity_id, self.customer_id = view.opportunity_id, view.customer_id
        self._fill()
        self.saved.emit(view)

    def show_history(self) -> HistoryDialog | None:
        """This version's change history (its header and its lines)."""
        if self.view is None:
            return None
        return open_history(self, self.services, self.actor, "quote", self.view.id, self.view.label)

    def preview(self) -> QDialog | None:
        """The saved version as its PDF, in the preview dialog (print or save from there)."""
        if self.view is None:
            return None
        from crmdesk.services.documents import render_quote_pdf
        from crmdesk.views.pdf_preview import PdfPreviewDialog

        try:
            data = render_quote_pdf(quotes.quote_document(self.services.db, self.actor, self.view.id))
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        dialog = PdfPreviewDialog(data, self.tr("Quote {label}").format(label=self.view.label), self,
                                  file_name=f"{self.view.number}-V{self.view.version}.pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


def _qdate(ordinal: int) -> QDate:
    day = date.fromordinal(ordinal)
    return QDate(day.year, day.month, day.day)
