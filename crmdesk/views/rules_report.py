"""`RulesReportDialog` (工具 › 管理规则报告…): consultants x showroom rules with counts, computed off the GUI
thread, and the drill-down list of the records behind the clicked cell."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.rules_report import (
    DEFAULT_PERIOD_DAYS,
    ConsultantCounts,
    RuleRow,
    RulesReport,
    export_rules_report,
    rules_report,
    rules_report_rows,
)
from crmdesk.services.uow import Actor
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_date, format_datetime
from crmdesk.views.rows_model import RowsTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
CELL_ROLE = Qt.ItemDataRole.UserRole + 40  # (owner_id or None for the totals row, rule or None)
ROW_ROLE = Qt.ItemDataRole.UserRole + 41

ZERO = QColor("#9aa0a6")
BROKEN_TEXT = QColor("#b3261e")
BROKEN_BACKGROUND = QColor("#fce8e6")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RulesTableModel(QAbstractTableModel):
    """One row per consultant and a totals row; the first column the name, then one per rule, then the sum."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.report: RulesReport | None = None

    def set_report(self, report: RulesReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    def _rows(self) -> list[ConsultantCounts | None]:  # None: the totals row
        return [*self.report.consultants, None] if self.report is not None else []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.report is None:
            return 0
        return len(self.report.rules) + 2

    def rule_of(self, column: int) -> str | None:
        if self.report is None or not 1 <= column <= len(self.report.rules):
            return None
        return self.report.rules[column - 1]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.report is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return self.tr("Consultant")
        if section == len(self.report.rules) + 1:
            return self.tr("Total")
        rule = self.rule_of(section)
        return self.report.titles[rule] if rule else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.report is None or not index.isValid():
            return None
        rows = self._rows()
        if not 0 <= index.row() < len(rows) or not 0 <= index.column() < self.columnCount():
            return None
        row = rows[index.row()]
        rule = self.rule_of(index.column())
        if index.column() == 0:
            value: Any = row.owner if row is not None else self.tr("Total")
        elif rule is not None:
            value = row.counts[rule] if row is not None else self.report.totals[rule]
        else:
            value = row.total if row is not None else sum(self.report.totals.values())
        if role == Qt.ItemDataRole.DisplayRole:
            return format_count(value) if isinstance(value, int) else value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and isinstance(value, int):
            return QBrush(ZERO) if value == 0 else QBrush(BROKEN_TEXT) if rule else None
        if role == Qt.ItemDataRole.BackgroundRole and rule is not None and isinstance(value, int) and value:
            return QBrush(BROKEN_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and row is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == CELL_ROLE:
            return (row.owner_id if row is not None else None, rule)
        return None


class RuleRowsModel(RowsTableModel):
    """The records behind one cell, read a page at a time as the list is scrolled."""

    COLUMNS = ("name", "customer_name", "owner", "broken_on", "days_late", "detail")

    def __init__(self, services: Services, actor: Actor, page_size: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.page_size = page_size
        self.rule: str | None = None
        self.owner_id: str | None = None
        self.now: datetime | None = None
        self.period_days: int | None = DEFAULT_PERIOD_DAYS
        self.items: list[RuleRow] = []
        self._exhausted = True

    def show_cell(self, rule: str | None, owner_id: str | None, now: datetime | None) -> None:
        self.beginResetModel()
        self.rule, self.owner_id, self.now = rule, owner_id, now
        self.items = []
        self._exhausted = rule is None
        self.endResetModel()
        self.fetchMore()

    def header(self, column: str) -> str:
        return {
            "name": self.tr("Record"), "customer_name": self.tr("Customer"), "owner": self.tr("Owner"),
            "broken_on": self.tr("Due"), "days_late": self.tr("Days late"), "detail": self.tr("Detail"),
        }[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        row = self.items[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(row, column)
            if isinstance(value, datetime):
                return format_datetime(value)
            if isinstance(value, date):
                return format_date(value)
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "days_late":
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == "detail":
            return row.detail or None
        if role == ROW_ROLE:
            return row
        return None

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self.rule is None:
            return
        page = rules_report_rows(self.services.db, self.actor, self.rule, self.owner_id, len(self.items),
                                 self.page_size, now=self.now, period_days=self.period_days)
        self._exhausted = len(page) < self.page_size
        if page:
            first = len(self.items)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self.items.extend(page)
            self.endInsertRows()


class RulesReportDialog(QDialog):
    """管理规则报告: click a count to list its records; double-click one to open it."""

    record_requested = Signal(str, str)  # entity (customer / opportunity / lead), id: the main window opens it
    report_ready = Signal(object)  # the RulesReport, once computed

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesReportDialog")
        self.setWindowTitle(self.tr("Showroom rules report"))
        self.services = services
        self.actor = actor
        self.report: RulesReport | None = None

        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        # What fell due in the period (first revisits, won deals, deliveries); overdue follow-ups and
        # deals past their date count as they stand whatever the period.
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("periodCombo")
        for text, days in ((self.tr("Last 30 days"), 30), (self.tr("Last 90 days"), 90),
                           (self.tr("Last 12 months"), 365), (self.tr("All history"), None)):
            self.period_combo.addItem(text, days)
        self.period_combo.setToolTip(self.tr("First revisits, won deals and deliveries due in this period; "
                                             "overdue follow-ups and deals past their date as they stand now."))
        self.period_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.table_model = RulesTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("rulesTable")
        self.table.setModel(self.table_model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self.show_cell)

        self.rows_label = QLabel(self.tr("Click a count to list its records."), self)
        self.rows_label.setObjectName("rowsLabel")
        self.rows_model = RuleRowsModel(services, actor, parent=self)
        self.rows_view = QTableView(self)
        self.rows_view.setObjectName("ruleRowsTable")
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_view.setAlternatingRowColors(True)
        self.rows_view.verticalHeader().hide()
        self.rows_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.rows_view.setWordWrap(False)
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((220, 200, 90, 140, 70)):
            self.rows_view.setColumnWidth(column, width)
        self.rows_view.doubleClicked.connect(self.open_row)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(splitter)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        header_row = QHBoxLayout()
        header_row.addWidget(self.status_label, 1)
        header_row.addWidget(QLabel(self.tr("Period:"), top))
        header_row.addWidget(self.period_combo)
        top_layout.addLayout(header_row)
        top_layout.addWidget(self.table)
        bottom = QWidget(splitter)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.rows_label)
        bottom_layout.addWidget(self.rows_view)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([260, 420])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.refresh_button = self.buttons.addButton(self.tr("Refresh"), QDialogButtonBox.ButtonRole.ActionRole)
        self.refresh_button.setObjectName("refreshButton")
        self.export_button = self.buttons.addButton(self.tr("Export…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("exportButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(lambda: self.export())
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_finished)
        self._ticket = 0
        self._exports = BackgroundCaller()
        self._exports.finished.connect(self._on_exported)
        self.resize(1100, 720)
        self.refresh()

    # ---- computing ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Count the rules again, on a pool thread (a big book takes a moment); the window stays usable."""
        db, actor = self.services.db, self.actor
        days = self.period_days()
        self.status_label.setText(self.tr("Counting…"))
        self.refresh_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self._ticket = self._caller.start(lambda: rules_report(db, actor, period_days=days))

    def period_days(self) -> int | None:
        data = self.period_combo.currentData()
        return int(data) if data is not None else None

    def is_loading(self) -> bool:
        return not self.refresh_button.isEnabled()

    def _on_finished(self, ticket: int, result: RulesReport | None, error: BaseException | None) -> None:
        if ticket != self._ticket:
            return
        self.refresh_button.setEnabled(True)
        if error is not None:
            self.status_label.setText("")
            if isinstance(error, UserError):
                show_user_error(self, error)
                return
            raise error
        assert result is not None
        self.report = result
        self.table_model.set_report(result)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.export_button.setEnabled(True)
        total = sum(result.totals.values())
        self.status_label.setText(self.tr("{count} breaches of the showroom rules, counted at {at}").format(
            count=format_count(total), at=format_datetime(result.now)))
        self.rows_model.period_days = self.period_days()
        self.rows_model.show_cell(None, None, None)
        self.rows_label.setText(self.tr("Click a count to list its records."))
        self.report_ready.emit(result)

    # ---- the drill-down -----------------------------------------------------------------------
    def show_cell(self, index: QModelIndex) -> None:
        cell = index.data(CELL_ROLE)
        if self.report is None or not cell or cell[1] is None:
            return
        owner_id, rule = cell
        owner = index.sibling(index.row(), 0).data() or ""
        self.rows_model.show_cell(rule, owner_id, self.report.now)
        self.rows_label.setText(self.tr("{rule} — {owner}: {count} records").format(
            rule=self.report.titles[rule], owner=owner, count=index.data()))

    def open_row(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, RuleRow):
            self.record_requested.emit(row.open_entity, row.open_id)

    # ---- export ------------------------------------------------------------------------------------
    def export(self, path: str | None = None) -> None:
        if self.report is None:
            return
        if path is None:
            suggested = f"rules-report-{date.today():%Y%m%d}.xlsx"
            path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Export the report"), suggested,
                                                        self.tr("Excel (*.xlsx);;CSV (*.csv)"))
            if not path:
                return
        target = Path(path)
        fmt = "csv" if target.suffix.lower() == ".csv" else "xlsx"
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_suffix(".xlsx")
        db, actor, report = self.services.db, self.actor, self.report
        self.export_button.setEnabled(False)
        self._exports.start(lambda: (export_rules_report(db, actor, report, target, fmt=fmt), target)[1])

    def _on_exported(self, _ticket: int, result: Path | None, error: BaseException | None) -> None:
        self.export_button.setEnabled(True)
        if error is not None:
            if isinstance(error, UserError):
                show_user_error(self, error)
                return
            raise error
        self.status_label.setText(self.tr("Report exported to {path}").format(path=result))
