"""工具 › 目标设置…: a manager sets the sales targets (amount and deal count) of the company, a team or a
consultant for each month or quarter of a year; saved in one go by analytics.set_targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import analytics
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_teams, list_users
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_money

_COMPANY = "company"  # the scope combo's data: this, "team:<id>" or "owner:<id>"


class TargetsDialog(QDialog):
    """One year of one scope's targets in a table (a row per month or quarter: amount in yuan, deal count)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None,
                 year: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetsDialog")
        self.setWindowTitle(self.tr("Sales targets"))
        self.services, self.actor = services, actor
        self.year_spin = QSpinBox(self)
        self.year_spin.setObjectName("yearSpin")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year or date.today().year)
        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("scopeCombo")
        self.scope_combo.addItem(self.tr("The whole company"), _COMPANY)
        for team in list_teams(services.db, actor):
            self.scope_combo.addItem(self.tr("Team: {name}").format(name=team["name"]), f"team:{team.id}")
        for user in list_users(services.db, actor):
            if user["active"]:
                self.scope_combo.addItem(str(user["display_name"]), f"owner:{user.id}")
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindCombo")
        self.kind_combo.addItem(self.tr("Monthly"), "month")
        self.kind_combo.addItem(self.tr("Quarterly"), "quarter")
        bar = QHBoxLayout()
        for label, widget in ((self.tr("Year:"), self.year_spin), (self.tr("For:"), self.scope_combo),
                              (self.tr("Period:"), self.kind_combo)):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(widget)
        bar.addStretch(1)
        self.table = QTableWidget(self)
        self.table.setObjectName("targetsTable")
        self.table.setColumnCount(3)
        self.table.setHorizontalHeaderLabels([self.tr("Period"), self.tr("Amount (yuan)"), self.tr("Deals")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("targetsTotal")
        self.table.itemChanged.connect(lambda _item: self._update_total())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close,
                                   self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(buttons)
        for signal in (self.year_spin.valueChanged, self.scope_combo.currentIndexChanged,
                       self.kind_combo.currentIndexChanged):
            signal.connect(lambda _value: self.load())
        self.resize(520, 560)
        self.load()

    # ---- the scope and its periods ----
    def scope(self) -> tuple[str | None, str | None]:
        """(owner_id, team_id) of the chosen scope; both None for the whole company."""
        kind, _colon, key = str(self.scope_combo.currentData()).partition(":")  # "owner:<id>", "team:<id>"
        return (key if kind == "owner" else None), (key if kind == "team" else None)

    def periods(self) -> list[date]:
        year = self.year_spin.value()
        months = range(1, 13) if self.kind_combo.currentData() == "month" else (1, 4, 7, 10)
        return [date(year, month, 1) for month in months]

    def _period_title(self, start: date) -> str:
        if self.kind_combo.currentData() == "month":
            return f"{start:%Y-%m}"
        return self.tr("{year} Q{quarter}").format(year=start.year, quarter=(start.month - 1) // 3 + 1)

    def load(self) -> None:
        """Fill the table with the stored targets of the scope (empty cells where none is set)."""
        owner_id, team_id = self.scope()
        kind = self.kind_combo.currentData()
        stored = {row["period_start"]: row for row in analytics.list_targets(self.services.db, self.actor,
                                                                              self.year_spin.value())
                  if row["owner_id"] == owner_id and row["team_id"] == team_id and row["period_kind"] == kind}
        self.table.blockSignals(True)
        periods = self.periods()
        self.table.setRowCount(len(periods))
        for number, start in enumerate(periods):
            title = QTableWidgetItem(self._period_title(start))
            title.setFlags(title.flags() & ~Qt.ItemFlag.ItemIsEditable)
            title.setData(Qt.ItemDataRole.UserRole, start)
            self.table.setItem(number, 0, title)
            row = stored.get(start)
            amount = QTableWidgetItem("" if row is None else f"{Decimal(row['amount']):.2f}")
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(number, 1, amount)
            count = QTableWidgetItem("" if row is None else str(row["deal_count"]))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(number, 2, count)
        self.table.blockSignals(False)
        self._update_total()

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip().replace(",", "").replace("，", "").replace("¥", "") if item else ""

    def _update_total(self) -> None:
        total = Decimal(0)
        for row in range(self.table.rowCount()):
            try:
                total += Decimal(self._cell(row, 1) or "0")
            except InvalidOperation:
                continue
        self.total_label.setText(self.tr("Year total: {amount}").format(amount=format_money(total)))

    # ---- saving ----
    def rows_to_save(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The filled rows as set_targets takes them, and the cells that are not numbers (row.field: message)."""
        owner_id, team_id = self.scope()
        rows: list[dict[str, Any]] = []
        errors: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            amount_text, count_text = self._cell(row, 1), self._cell(row, 2)
            if not amount_text and not count_text:
                continue
            title = self.table.item(row, 0)
            assert title is not None
            try:
                amount = Decimal(amount_text or "0")
            except InvalidOperation:
                errors[f"{title.text()}"] = self.tr("{period}: the amount is not a number.").format(
                    period=title.text())
                continue
            if not count_text.isdigit() and count_text:
                errors[f"{title.text()}"] = self.tr("{period}: the deal count is a whole number.").format(
                    period=title.text())
                continue
            rows.append({"owner_id": owner_id, "team_id": team_id, "period_kind": self.kind_combo.currentData(),
                         "period_start": title.data(Qt.ItemDataRole.UserRole), "amount": amount,
                         "deal_count": int(count_text or 0)})
        return rows, errors

    def save(self) -> bool:
        """Save every filled row at once; a refused save keeps the table as typed and says why."""
        rows, errors = self.rows_to_save()
        if errors:
            show_user_error(self, UserError("\n".join(errors.values())))
            return False
        try:
            analytics.set_targets(self.services.db, self.actor, rows)
        except ValidationError as error:  # keyed "<row>.<field>": name the period of each row instead
            lines = []
            for key, message in error.errors.items():
                number = key.split(".", 1)[0]
                start = rows[int(number) - 1]["period_start"] if number.isdigit() else None
                lines.append(f"{self._period_title(start)}: {message}" if start else message)
            show_user_error(self, UserError("\n".join(lines)))
            return False
        except UserError as error:
            show_user_error(self, error)
            return False
        self.total_label.setText(self.total_label.text() + "  " + self.tr("(saved)"))
        return True


__all__ = ["TargetsDialog"]
