"""`RowsTableModel`: a table over a short Python list of frozen rows with fixed, named columns.
`ColumnsTableModel` is the part every small table shares (named columns, their titles) and
`EditRowsModel` a list of rows typed in place whose refused cells are marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

ModelIndex = QModelIndex | QPersistentModelIndex
ERROR_COLOUR = QColor("#fce8e6")  # a cell the last save refused


class ColumnsTableModel(QAbstractTableModel):
    """A flat table with fixed, named columns: `COLUMNS` names them, `header(column)` titles one and
    `row_count()` says how many rows there are (a list's length, a count from SQL)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def header(self, column: str) -> str:
        raise NotImplementedError

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.COLUMNS):
            return self.header(self.COLUMNS[section])
        return None


class RowsTableModel(ColumnsTableModel):
    """The shared mechanics of the small tables (today's follow-ups, a customer's timeline, a rule's
    records): `items` holds the rows, `COLUMNS` names the columns, `header(column)` titles one. The rows
    are what a service returned (a page, a day), never a whole table: big lists use RecordTableModel."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item_at(self, index: ModelIndex) -> Any:
        """The row behind `index`, or None for an index outside the table."""
        if not index.isValid() or not 0 <= index.row() < len(self.items) \
                or not 0 <= index.column() < len(self.COLUMNS):
            return None
        return self.items[index.row()]

    def row_count(self) -> int:
        return len(self.items)


class EditRowsModel(ColumnsTableModel):
    """Rows typed in place (`rows`, texts so a refused save loses nothing); `errors` holds the message of
    each refused cell by (row, column). `changed` says a row was added, removed or replaced. The columns
    named in `EDITABLE` are edited in place while `editable()`."""

    EDITABLE: ClassVar[frozenset[str]] = frozenset()
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.errors: dict[tuple[int, str], str] = {}

    def row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.errors = {}
        self.endResetModel()
        self.changed.emit()

    def add_row(self, row: Any) -> int:
        position = len(self.rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.append(row)
        self.endInsertRows()
        self.changed.emit()
        return position

    def remove_row(self, position: int) -> None:
        if not 0 <= position < len(self.rows):
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self.rows[position]
        self.errors = {(r - (r > position), key): text for (r, key), text in self.errors.items() if r != position}
        self.endRemoveRows()
        self.changed.emit()

    def mark_errors(self, errors: Mapping[tuple[int, str], str]) -> None:
        self.errors = dict(errors)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))

    def editable(self) -> bool:
        return True

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable() and self.COLUMNS[index.column()] in self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def cell(self, index: ModelIndex) -> tuple[Any, str] | None:
        """The row behind `index` and the name of its column, or None for an index outside the table."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < len(self.COLUMNS):
            return None
        return self.rows[index.row()], self.COLUMNS[index.column()]

    def error_data(self, index: ModelIndex, column: str, role: int) -> Any:
        """A refused cell shaded, its reason as the tip (the roles `data` leaves to this)."""
        if role == Qt.ItemDataRole.BackgroundRole and (index.row(), column) in self.errors:
            return ERROR_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.errors.get((index.row(), column))
        return None
