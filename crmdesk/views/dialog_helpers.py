"""Small pieces the quote, contract, order and payment dialogs share: dates between Python and Qt, a number as
typed, the date box, and the tables of one selected row (no text of their own)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate
from PySide6.QtWidgets import QAbstractItemView, QDateEdit, QTableView, QWidget

# A cell typed in place: started by a double click, F2 or simply typing.
EDIT_IN_PLACE = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def parse_decimal(text: str) -> Decimal | None:
    """A number as typed ("1,500", "¥300", "5 %"), or None when empty or unreadable."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("％", "").rstrip("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def date_edit(parent: QWidget, name: str, day: date | None = None) -> QDateEdit:
    """A date box with the calendar popup, yyyy-MM-dd, showing `day` when given."""
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if day is not None:
        edit.setDate(qdate(day))
    return edit


def row_table(parent: QWidget, name: str, model: QAbstractItemModel, *, edit_in_place: bool = False) -> QTableView:
    """A table of `model` without row numbers, one whole row selected at a time."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if edit_in_place:
        table.setEditTriggers(EDIT_IN_PLACE)
    return table


def selected_item(table: QTableView, items: Sequence[Any]) -> Any:
    """The item of the row selected in `table` (its model shows `items`), or None."""
    rows = table.selectionModel().selectedRows()
    return items[rows[0].row()] if rows else None


def select_first(table: QTableView, items: Sequence[Any], matches: Callable[[Any], bool]) -> bool:
    """Select the first row whose item `matches`; False when none does."""
    for row, item in enumerate(items):
        if matches(item):
            table.selectRow(row)
            return True
    return False
