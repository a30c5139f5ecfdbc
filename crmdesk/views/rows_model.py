"""`RowsTableModel`: a table over a short Python list of frozen rows with fixed, named columns."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    """The shared mechanics of the small tables (today's follow-ups, a customer's timeline, a rule's
    records): `items` holds the rows, `COLUMNS` names the columns, `header(column)` titles one. The rows
    are what a service returned (a page, a day), never a whole table: big lists use RecordTableModel."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def header(self, column: str) -> str:
        raise NotImplementedError

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

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.COLUMNS):
            return self.header(self.COLUMNS[section])
        return None
