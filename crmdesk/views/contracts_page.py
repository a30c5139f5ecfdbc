"""The contracts tab (`ContractsPage`): contracts newest first, read page by page from SQL as the list is
scrolled, filtered by status and searched by number or customer; a contract from an accepted quote, open /
edit, sign, put in force, finish, terminate with a reason, the attachments, the PDF and the order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import contracts
from crmdesk.services.entities import ListQuery, Record
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_users
from crmdesk.settings import Settings
from crmdesk.views.contract_dialogs import (
    STATUS_COLOURS,
    AcceptedQuotesDialog,
    AttachmentsDialog,
    ContractDialog,
    DateDialog,
    ReasonDialog,
    contract_status_label,
)
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_date, format_money
from crmdesk.views.list_page import ListPage, action_button, list_view
from crmdesk.views.rows_model import ColumnsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
SEARCH_CUSTOMERS = 20  # a search by customer name reads the contracts of the 20 best-matching customers
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class ContractQuery:
    status: str | None = None
    search: str = ""


class ContractsTableModel(ColumnsTableModel):
    """Contracts for a QTableView, newest first. Without a search the rows come PAGE_SIZE at a time as the
    view scrolls to the end (Qt's fetchMore); a search finds the contract by its number, or the contracts
    of the customers whose name (or pinyin) matches."""

    COLUMNS = ("number", "title", "customer_name", "status", "amount", "signed_on", "owner_name")

    def __init__(self, services: Services, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.query = ContractQuery()
        self.rows: list[Record] = []
        self.complete = False
        self._resetting = False
        self.owner_names: dict[str, str] = {}
        self.refresh()

    def header(self, column: str) -> str:
        return {"number": self.tr("Contract number"), "title": self.tr("Title"), "customer_name": self.tr("Customer"),
                "status": self.tr("Status"), "amount": self.tr("Amount"), "signed_on": self.tr("Signed on"),
                "owner_name": self.tr("Owner")}[column]

    # ---- reading -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        # A view answers the reset by asking for more rows at once; those come after the reset, not inside it.
        self._resetting = True
        try:
            self.beginResetModel()
            self.owner_names = {user.id: str(user["display_name"])
                                for user in list_users(self.services.db, self.actor)}
            if self.query.search.strip():
                self.rows, self.complete = self._search(self.query.search.strip()), True
            else:
                page = contracts.list_contracts(self.services.db, self.actor, status=self.query.status, offset=0,
                                                limit=PAGE_SIZE)
                self.rows, self.complete = list(page), len(page) < PAGE_SIZE
            self.endResetModel()
        finally:
            self._resetting = False

    def set_query(self, query: ContractQuery) -> None:
        self.query = query
        self.refresh()

    def _search(self, text: str) -> list[Record]:
        found: dict[str, Record] = {}
        try:
            contract_id = contracts.resolve_contract(self.services.db, self.actor, text)
        except UserError:
            contract_id = None
        if contract_id is not None:
            record = contracts.get_contract(self.services.db, self.actor, contract_id)
            if self.query.status in (None, record["status"]):
                found[record.id] = record
        customers = self.services.customers.page(self.actor, ListQuery(search=text), 0, SEARCH_CUSTOMERS)
        for row in customers:
            for record in contracts.list_contracts(self.services.db, self.actor, status=self.query.status,
                                                   customer_id=str(row[0]), limit=contracts.LIST_LIMIT):
                found.setdefault(record.id, record)
        return sorted(found.values(), key=lambda record: (record["created_at"], record.id), reverse=True)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's signature)
        return not parent.isValid() and not self.complete and not self._resetting

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        start = len(self.rows)
        page = contracts.list_contracts(self.services.db, self.actor, status=self.query.status, offset=start,
                                        limit=PAGE_SIZE)
        self.complete = len(page) < PAGE_SIZE
        if not page:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    def row_at(self, row: int) -> Record | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, contract_id: str) -> int | None:
        return next((row for row, record in enumerate(self.rows) if record.id == contract_id), None)

    def replace(self, record: Record) -> None:
        """Show `record` (just changed) in its row, without reading the list again."""
        row = self.row_of(record.id)
        if row is None:
            return
        self.rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    # ---- Qt's model interface -----------------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self.rows)

    def _text(self, record: Record, column: str) -> str:
        if column == "status":
            return contract_status_label(str(record["status"]))
        if column == "amount":
            return format_money(record["amount"])
        if column == "signed_on":
            return format_date(record["signed_on"])
        if column == "owner_name":
            return self.owner_names.get(str(record["owner_id"]), "")
        return str(record.get(column) or "")

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.COLUMNS):
            return None
        record = self.row_at(index.row())
        if record is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "amount":
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return STATUS_COLOURS.get(str(record["status"]))
        if role == Qt.ItemDataRole.UserRole:
            return record.id
        return None


class ContractsPage(ListPage):
    """合同: every contract the user may see, with the actions of its status."""

    ENTITY = "contract"
    COLUMN_WIDTHS = (200, 260, 200, 80, 130, 100)
    model: ContractsTableModel | None

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(services, actor, settings, parent)
        self.setObjectName("contractsPage")

        self.add_filters("contractSearch", "contractStatusFilter", self.tr("All statuses"),
                         ((status, contract_status_label(status)) for status in contracts.CONTRACT_STATUSES))
        self.search_box.setPlaceholderText(self.tr("Search contract number or customer…"))

        def button(name: str, text: str, slot: Any, tip: str = "") -> QPushButton:
            return action_button(self, name, text, slot, tip)

        self.from_quote_button = button("contractFromQuoteButton", self.tr("From a quote…"), self.from_quote,
                                        self.tr("A draft contract from an accepted quote version"))
        self.open_button = button("openContractButton", self.tr("Open / edit"), self.open_selected)
        self.sign_button = button("signContractButton", self.tr("Sign…"), self.sign_selected)
        self.in_force_button = button("contractInForceButton", self.tr("Put in force"), self.put_in_force_selected)
        self.finish_button = button("finishContractButton", self.tr("Finish"), self.finish_selected,
                                    self.tr("Both sides did what they agreed"))
        self.terminate_button = button("terminateContractButton", self.tr("Terminate…"), self.terminate_selected)
        self.attachments_button = button("contractAttachmentsButton", self.tr("Attachments…"),
                                         self.attachments_selected, self.tr("The signed scan"))
        self.pdf_button = button("contractPdfButton", self.tr("Preview / print PDF"), self.preview_selected)
        self.order_button = button("contractOrderButton", self.tr("Make order"), self.make_order_selected,
                                   self.tr("An order with the contract's lines"))

        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 2)
        bar.addWidget(self.status_box)
        bar.addStretch(1)
        actions = QHBoxLayout()
        for widget in (self.from_quote_button, self.open_button, self.sign_button, self.in_force_button,
                       self.finish_button, self.terminate_button, self.attachments_button, self.pdf_button,
                       self.order_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        self.view = list_view(self, "contractsTable")
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(self.view, 1)
        self._update_buttons()

    # ---- the list ------------------------------------------------------------------------------------------
    def make_model(self) -> ContractsTableModel:
        return ContractsTableModel(self.services, self.actor, self)

    def make_query(self, status: str | None, search: str) -> ContractQuery:
        return ContractQuery(status=status, search=search)

    def status_text(self) -> str:
        if self.model is None:
            return ""
        count = format_count(self.model.rowCount())
        if self.model.complete:
            return self.tr("{count} contracts").format(count=count)
        return self.tr("{count} contracts shown, more as you scroll").format(count=count)

    def selected_row(self) -> Record | None:
        record: Record | None = super().selected_row()
        return record

    def select_contract(self, contract_id: str) -> bool:
        return self.select_item(contract_id)

    def _update_buttons(self) -> None:
        record = self.selected_row()
        status = str(record["status"]) if record is not None else None
        self.open_button.setEnabled(record is not None)
        self.sign_button.setEnabled(status == "draft")
        self.in_force_button.setEnabled(status == "signed")
        self.finish_button.setEnabled(status == "in_force")
        self.terminate_button.setEnabled(status in ("draft", "signed", "in_force"))
        self.attachments_button.setEnabled(record is not None)
        self.pdf_button.setEnabled(record is not None)
        self.order_button.setEnabled(status in ("signed", "in_force"))

    # ---- actions -------------------------------------------------------------------------------------------
    def from_quote(self) -> AcceptedQuotesDialog:
        """从报价生成…: pick an accepted quote version; its draft contract then opens."""
        dialog = AcceptedQuotesDialog(self.services, self.actor, self)

        def chosen() -> None:
            quote = dialog.selected_quote()
            if quote is None:
                return
            try:
                record = contracts.create_contract_from_quote(self.services.db, self.actor, quote.id)
            except UserError as error:
                self.last_message = show_user_error(self, error)
                return
            self._after_change(record)
            self.open_contract(record.id)

        dialog.accepted.connect(chosen)
        self._show(dialog)
        return dialog

    def open_contract(self, contract_id: str) -> ContractDialog:
        dialog = ContractDialog(self.services, self.actor, contract_id, self)
        dialog.saved.connect(self._after_change)
        self._show(dialog)
        return dialog

    def open_selected(self) -> ContractDialog | None:
        contract_id = self.selected_id()
        return self.open_contract(contract_id) if contract_id else None

    def _run(self, step: Any) -> Record | None:
        record: Record | None = super()._run(step)
        return record

    def sign_selected(self) -> DateDialog | None:
        """签署…: the signing date (today by default); the text is rendered a last time with it."""
        contract_id = self.selected_id()
        if contract_id is None:
            return None
        dialog = DateDialog(self.tr("Sign the contract"), self.tr("The day both sides signed:"),
                            lambda day: contracts.sign_contract(self.services.db, self.actor, contract_id, day), self)
        dialog.accepted.connect(lambda: self._after_change(dialog.result_value))
        self._show(dialog)
        return dialog

    def put_in_force_selected(self) -> Record | None:
        return self._run(lambda contract_id: contracts.put_contract_in_force(self.services.db, self.actor,
                                                                               contract_id))

    def finish_selected(self) -> Record | None:
        return self._run(lambda contract_id: contracts.finish_contract(self.services.db, self.actor, contract_id))

    def terminate_selected(self) -> ReasonDialog | None:
        """终止…: with the reason (required)."""
        contract_id = self.selected_id()
        if contract_id is None:
            return None
        dialog = ReasonDialog(self.tr("Terminate the contract"), self.tr("Why is the contract terminated?"),
                              lambda reason: contracts.terminate_contract(self.services.db, self.actor, contract_id,
                                                                          reason),
                              self, max_length=contracts.MAX_REASON)
        dialog.accepted.connect(lambda: self._after_change(dialog.result_value))
        self._show(dialog)
        return dialog

    def attachments_selected(self) -> AttachmentsDialog | None:
        contract_id = self.selected_id()
        if contract_id is None:
            return None
        dialog = AttachmentsDialog(self.services, self.actor, contract_id, self)
        dialog.changed.connect(lambda: self.records_changed.emit("contract"))
        self._show(dialog)
        return dialog

    def preview_selected(self) -> QDialog | None:
        """预览/打印: the contract as its PDF, in the preview (print or save from there)."""
        record = self.selected_row()
        if record is None:
            return None
        from crmdesk.services.documents import render_contract_pdf
        from crmdesk.views.pdf_preview import PdfPreviewDialog

        try:
            data = render_contract_pdf(contracts.contract_document(self.services.db, self.actor, record.id))
        except UserError as error:
            self.last_message = show_user_error(self, error)
            return None
        dialog = PdfPreviewDialog(data, self.tr("Contract {number}").format(number=record["number"]), self,
                                  file_name=f"{record['number']}.pdf")
        self._show(dialog)
        return dialog

    def make_order_selected(self) -> QDialog | None:
        """生成订单: a draft order with the contract's lines, opened in the order dialog (VINs go there)."""
        contract_id = self.selected_id()
        if contract_id is None:
            return None
        from crmdesk.views.order_dialog import OrderDialog

        try:
            result = self.services.orders.create_from_contract(self.actor, contract_id)
        except UserError as error:
            self.last_message = show_user_error(self, error)
            return None
        self.records_changed.emit("order")
        dialog = OrderDialog(self.services, self.actor, result.order.id, self)
        dialog.changed.connect(lambda: self.records_changed.emit("order"))
        self._show(dialog)
        return dialog
