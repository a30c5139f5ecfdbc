"""The quotes tab (`QuotesPage`): the current version of every quote, paged from SQL, filtered by status and
searched by number or customer; new, open, submit, a manager's approve / reject, send, accept, a new
version and the comparison of two versions (`CompareDialog`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import quotes
from crmdesk.services.errors import UserError
from crmdesk.services.quotes import QuoteFilter, QuoteRow, QuoteView, VersionComparison
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_date, format_money
from crmdesk.views.list_page import ListPage, action_button, list_view
from crmdesk.views.quote_editor import QuoteEditor
from crmdesk.views.rows_model import ColumnsTableModel, RowsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
MAX_PAGES = 20
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_STATUS_COLOURS = {"pending_approval": QColor("#b06000"), "accepted": QColor("#188038"),
                   "rejected": QColor("#c5221f"), "expired": QColor("#80868b")}


class QuotesTableModel(ColumnsTableModel):
    """Quotes for a QTableView: counted once per query, read in pages of PAGE_SIZE as the view reaches them
    (a few pages kept), sorted and filtered in SQL."""

    COLUMNS = ("number", "version", "customer_name", "status", "total", "valid_until", "owner_name")  # sort keys too

    def __init__(self, services: Services, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.query = QuoteFilter()
        self.sort_key, self.descending = "created_at", True
        self.total = 0
        self._pages: dict[int, list[QuoteRow]] = {}
        self.refresh()

    def header(self, column: str) -> str:
        return {"number": self.tr("Quote number"), "version": self.tr("Version"), "customer_name": self.tr("Customer"),
                "status": self.tr("Status"), "total": self.tr("Total"), "valid_until": self.tr("Valid until"),
                "owner_name": self.tr("Owner")}[column]

    # ---- reading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.beginResetModel()
        self._pages = {}
        self.total = quotes.count_quotes(self.services.db, self.actor, self.query)
        if self.total:
            self._page(0)
        self.endResetModel()

    def set_query(self, query: QuoteFilter) -> None:
        self.query = query
        self.refresh()

    def _page(self, number: int) -> list[QuoteRow]:
        page = self._pages.get(number)
        if page is None:
            if len(self._pages) >= MAX_PAGES:
                self._pages.pop(next(iter(self._pages)))
            page = quotes.list_quotes(self.services.db, self.actor, self.query, number * PAGE_SIZE, PAGE_SIZE,
                                      self.sort_key, self.descending)
            self._pages[number] = page
        return page

    def row_at(self, row: int) -> QuoteRow | None:
        if not 0 <= row < self.total:
            return None
        page = self._page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def row_of(self, quote_id: str) -> int | None:
        """The row showing `quote_id` among the pages read, or None."""
        for number, page in self._pages.items():
            for offset, item in enumerate(page):
                if item.id == quote_id:
                    return number * PAGE_SIZE + offset
        return None

    # ---- Qt's model interface -------------------------------------------------------------------------
    def row_count(self) -> int:
        return self.total

    def _text(self, item: QuoteRow, column: str) -> str:
        if column == "version":
            return f"V{item.version}"
        if column == "status":
            return quotes.status_label(item.status)
        if column == "total":
            return format_money(item.total)
        if column == "valid_until":
            return format_date(item.valid_until)
        value: str = getattr(item, column)
        return value

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.COLUMNS):
            return None
        item = self.row_at(index.row())
        if item is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "total":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return _STATUS_COLOURS.get(item.status)
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.sort_key = self.COLUMNS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()


class CommentDialog(QDialog):
    """A comment for an approval, a rejection or the customer's answer; `required` refuses an empty one."""

    def __init__(self, title: str, prompt: str, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteCommentDialog")
        self.setWindowTitle(title)
        self.required = required
        self.text_box = QPlainTextEdit(self)
        self.text_box.setObjectName("quoteComment")
        self.text_box.setMinimumSize(360, 90)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("quoteCommentError")
        self.error_label.setStyleSheet("color: #c5221f;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt, self))
        layout.addWidget(self.text_box)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def comment(self) -> str:
        return self.text_box.toPlainText().strip()

    def accept(self) -> None:
        if self.required and not self.comment():
            self.error_label.setText(self.tr("Write a comment first."))
            self.error_label.show()
            return
        super().accept()


class ComparisonModel(RowsTableModel):
    """The lines of two versions side by side: what was added, removed or changed, and how."""

    COLUMNS = ("change", "positions", "description", "details")

    def header(self, column: str) -> str:
        return {"change": self.tr("Change"), "positions": self.tr("Line"), "description": self.tr("Product"),
                "details": self.tr("What changed")}[column]

    def field_name(self, field: str) -> str:
        return {
            "code": self.tr("Code"), "description": self.tr("Description"), "quantity": self.tr("Qty"),
            "unit": self.tr("Unit"), "unit_price": self.tr("Unit price"), "discount_bp": self.tr("Discount %"),
            "discount_amount": self.tr("Discount"), "tax_rate_bp": self.tr("VAT %"), "line_total": self.tr("Amount"),
            "subtotal": self.tr("Subtotal"), "discount_total": self.tr("Discount"), "tax_total": self.tr("VAT"),
            "total": self.tr("Total"), "max_discount_bp": self.tr("Largest discount"),
            "valid_until": self.tr("Valid until"), "terms": self.tr("Terms"), "contact_name": self.tr("Contact"),
            "price_list_id": self.tr("Price list"),
        }.get(field, field)

    @staticmethod
    def value_text(field: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if field.endswith("_bp") and isinstance(value, int):
            return quotes.format_bp(value)
        if isinstance(value, Decimal) and field != "quantity":
            return format_money(value)
        if isinstance(value, Decimal):
            text = f"{value:f}"
            return text.rstrip("0").rstrip(".") if "." in text else text
        return str(value)

    def change_text(self, change: str) -> str:
        return {"added": self.tr("Added"), "removed": self.tr("Removed"), "changed": self.tr("Changed"),
                "unchanged": self.tr("Unchanged")}[change]

    def details(self, changes: Any) -> str:
        return "; ".join(f"{self.field_name(c.field)} {self.value_text(c.field, c.old)} → "
                         f"{self.value_text(c.field, c.new)}" for c in changes)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.item_at(index)
        if line is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "change":
                return self.change_text(line.change)
            if column == "positions":
                return f"{line.position_a or '—'} → {line.position_b or '—'}"
            if column == "description":
                return line.description
            return self.details(line.fields)
        if role == Qt.ItemDataRole.ForegroundRole and column == "change":
            return {"added": QColor("#188038"), "removed": QColor("#c5221f"), "changed": QColor("#b06000")}.get(
                line.change)
        return None


class CompareDialog(QDialog):
    """版本对比: two versions of one quote, line by line, with the totals that differ."""

    def __init__(self, services: Services, actor: Actor, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteCompareDialog")
        self.services, self.actor, self.number = services, actor, number
        self.setWindowTitle(self.tr("Compare versions of {number}").format(number=number))
        self.resize(860, 460)
        versions = quotes.quote_versions(services.db, actor, number)
        self.first_box, self.second_box = QComboBox(self), QComboBox(self)
        self.first_box.setObjectName("compareFirst")
        self.second_box.setObjectName("compareSecond")
        for box in (self.first_box, self.second_box):
            for version in versions:
                box.addItem(f"V{version.version}（{quotes.status_label(version.status)}）", version.version)
        self.first_box.setCurrentIndex(max(len(versions) - 2, 0))
        self.second_box.setCurrentIndex(max(len(versions) - 1, 0))
        self.model = ComparisonModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("compareTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, 220)
        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("compareTotals")
        self.totals_label.setWordWrap(True)
        self.first_box.currentIndexChanged.connect(lambda _i: self.compare())
        self.second_box.currentIndexChanged.connect(lambda _i: self.compare())
        choose = QHBoxLayout()
        choose.addWidget(QLabel(self.tr("Compare"), self))
        choose.addWidget(self.first_box)
        choose.addWidget(QLabel(self.tr("with"), self))
        choose.addWidget(self.second_box)
        choose.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals_label)
        layout.addWidget(buttons)
        self.comparison: VersionComparison | None = None
        self.compare()

    def compare(self) -> VersionComparison | None:
        first, second = self.first_box.currentData(), self.second_box.currentData()
        if first is None or second is None:
            return None
        self.comparison = quotes.compare_versions(self.services.db, self.actor, self.number, int(first), int(second))
        self.model.set_items(list(self.comparison.lines))
        differences = [*self.comparison.header, *self.comparison.totals]
        if self.comparison.identical:
            self.totals_label.setText(self.tr("The two versions are the same."))
        else:
            self.totals_label.setText(self.model.details(differences) if differences
                                      else self.tr("The totals are the same."))
        return self.comparison


class QuotesPage(ListPage):
    """报价单: the current version of every quote, with the actions of its status."""

    ENTITY = "quote"
    COLUMN_WIDTHS = (200, 50, 200, 90, 130, 100)
    model: QuotesTableModel | None

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, settings, parent)  # `dialog`: the editor or dialog opened last
        self.setObjectName("quotesPage")
        self.approver = actor.role in quotes.APPROVER_ROLES

        self.add_filters("quoteSearch", "quoteStatusFilter", self.tr("All statuses"),
                         ((status, quotes.status_label(status)) for status in quotes.QUOTE_STATUSES))
        self.search_box.setPlaceholderText(self.tr("Search quote number or customer…"))

        def button(name: str, text: str, slot: Any, tip: str = "") -> QPushButton:
            return action_button(self, name, text, slot, tip)

        self.new_button = button("newQuoteButton", self.tr("New quote"), self.new_quote)
        self.open_button = button("openQuoteButton", self.tr("Open"), self.open_selected)
        self.submit_button = button("submitQuoteButton", self.tr("Submit for approval"), self.submit_selected,
                                    self.tr("Approved at once within your discount limit, else sent to a manager"))
        self.approve_button = button("approveQuoteButton", self.tr("Approve"), self.approve_selected)
        self.reject_button = button("rejectQuoteButton", self.tr("Reject"), self.reject_selected)
        self.send_button = button("sendQuoteButton", self.tr("Send"), self.send_selected,
                                  self.tr("Mark the quote as sent to the customer"))
        self.accept_button = button("acceptQuoteButton", self.tr("Accept"), self.accept_selected,
                                    self.tr("The customer accepted this version"))
        self.decline_button = button("declineQuoteButton", self.tr("Declined"), self.decline_selected,
                                     self.tr("The customer turned this version down"))
        self.revise_button = button("reviseQuoteButton", self.tr("New version"), self.revise_selected)
        self.compare_button = button("compareQuoteButton", self.tr("Compare versions…"), self.compare_selected)
        self.approve_button.setVisible(self.approver)
        self.reject_button.setVisible(self.approver)

        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 2)
        bar.addWidget(self.status_box)
        bar.addStretch(1)
        for widget in (self.new_button, self.open_button, self.submit_button, self.approve_button, self.reject_button,
                       self.send_button, self.accept_button, self.decline_button, self.revise_button,
                       self.compare_button):
            bar.addWidget(widget)
        self.view = list_view(self, "quotesTable")
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._update_buttons()

    # ---- the list ------------------------------------------------------------------------------------
    def make_model(self) -> QuotesTableModel:
        return QuotesTableModel(self.services, self.actor, self)

    def make_query(self, status: str | None, search: str) -> QuoteFilter:
        return QuoteFilter(status=status, search=search)

    def _sort_by(self, column: int) -> None:
        if self.model is None:
            return
        key = self.model.COLUMNS[column]
        descending = not self.model.descending if self.model.sort_key == key else False
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.model.sort(column, order)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSortIndicator(column, order)

    def status_text(self) -> str:
        total = self.model.total if self.model is not None else quotes.count_quotes(self.services.db, self.actor)
        text = self.tr("{count} quotes").format(count=format_count(total))
        if self.approver:
            waiting = len(quotes.pending_approvals(self.services.db, self.actor))
            if waiting:
                text += self.tr(", {count} waiting for your approval").format(count=waiting)
        return text

    def selected_row(self) -> QuoteRow | None:
        row: QuoteRow | None = super().selected_row()
        return row

    def select_quote(self, quote_id: str) -> bool:
        return self.select_item(quote_id)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        status = row.status if row is not None else None
        self.open_button.setEnabled(row is not None)
        self.submit_button.setEnabled(status == "draft")
        self.approve_button.setEnabled(status == "pending_approval")
        self.reject_button.setEnabled(status == "pending_approval")
        self.send_button.setEnabled(status == "approved")
        self.accept_button.setEnabled(status == "sent")
        self.decline_button.setEnabled(status == "sent")
        self.revise_button.setEnabled(status in quotes.REVISABLE_STATUSES)
        self.compare_button.setEnabled(row is not None and row.version > 1)

    # ---- actions -------------------------------------------------------------------------------------
    def _editor(self, quote_id: str | None, opportunity_id: str | None = None) -> QuoteEditor:
        editor = QuoteEditor(self.services, self.actor, quote_id, opportunity_id=opportunity_id, parent=self)
        editor.saved.connect(self._after_change)
        self._show(editor)
        return editor

    def new_quote(self, opportunity_id: str | None = None) -> QuoteEditor:
        """新建报价: the editor for a new quote (for `opportunity_id` when a caller knows it)."""
        return self._editor(None, opportunity_id if isinstance(opportunity_id, str) else None)

    def open_selected(self) -> QuoteEditor | None:
        quote_id = self.selected_id()
        return self._editor(quote_id) if quote_id else None

    def _run(self, step: Any) -> QuoteView | None:
        view: QuoteView | None = super()._run(step)
        return view

    def _with_comment(self, title: str, prompt: str, required: bool, step: Any) -> CommentDialog | None:
        quote_id = self.selected_id()
        if quote_id is None:
            return None
        dialog = CommentDialog(title, prompt, required, self)

        def decided() -> None:
            try:
                view = step(quote_id, dialog.comment())
            except UserError as error:
                self.last_message = show_user_error(self, error)
                return
            self._after_change(view)

        dialog.accepted.connect(decided)
        self._show(dialog)
        return dialog

    def submit_selected(self) -> QuoteView | None:
        view = self._run(lambda quote_id: quotes.submit_quote(self.services.db, self.actor, quote_id))
        if view is not None and view.status == "pending_approval":
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Submit for approval"), self.tr(
                "The largest discount, {discount}, is above your limit of {limit}: the quote waits for a manager."
            ).format(discount=quotes.format_bp(view.max_discount_bp), limit=quotes.format_bp(view.limit_bp)),
                QMessageBox.StandardButton.Ok, self)
            box.setObjectName("quoteSubmitted")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.last_message = box
        return view

    def approve_selected(self) -> CommentDialog | None:
        return self._with_comment(self.tr("Approve the discount"), self.tr("A comment for the rep (optional):"),
                                  False, lambda quote_id, comment: quotes.approve_quote(
                                      self.services.db, self.actor, quote_id, comment))

    def reject_selected(self) -> CommentDialog | None:
        return self._with_comment(self.tr("Reject the discount"), self.tr("Tell the rep why (required):"), True,
                                  lambda quote_id, comment: quotes.reject_quote(
                                      self.services.db, self.actor, quote_id, comment))

    def send_selected(self) -> QuoteView | None:
        return self._run(lambda quote_id: quotes.send_quote(self.services.db, self.actor, quote_id))

    def accept_selected(self) -> CommentDialog | None:
        return self._with_comment(self.tr("The customer accepts"), self.tr("A note (optional), e.g. signed on site:"),
                                  False, lambda quote_id, comment: quotes.accept_quote(
                                      self.services.db, self.actor, quote_id, comment))

    def decline_selected(self) -> CommentDialog | None:
        return self._with_comment(self.tr("The customer declines"), self.tr("Why (optional):"), False,
                                  lambda quote_id, comment: quotes.decline_quote(
                                      self.services.db, self.actor, quote_id, comment))

    def revise_selected(self) -> QuoteEditor | None:
        """新版本: the next version, opened in the editor."""
        view = self._run(lambda quote_id: quotes.revise_quote(self.services.db, self.actor, quote_id))
        return self._editor(view.id) if view is not None else None

    def compare_selected(self) -> CompareDialog | None:
        row = self.selected_row()
        if row is None:
            return None
        dialog = CompareDialog(self.services, self.actor, row.number, self)
        self._show(dialog)
        return dialog
