"""`RecordTableModel`: a list of any entity, counted once and read in pages; sorted and filtered in SQL."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from crmdesk.labels import field_title
from crmdesk.services.entities import EntityService, ListColumn, ListQuery
from crmdesk.services.uow import Actor
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.formatting import NUMERIC_KINDS, format_value

ModelIndex = QModelIndex | QPersistentModelIndex

RAW_VALUE_ROLE = Qt.ItemDataRole.UserRole
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class _Page:
    """One page of rows as the service gave them, with the text each cell shows made once."""

    __slots__ = ("ids", "raw", "text")

    def __init__(self, entity: str, columns: tuple[ListColumn, ...], rows: list[tuple]) -> None:
        self.ids: list[str] = [row[0] for row in rows]
        self.raw: list[tuple] = [row[1:] for row in rows]
        self.text: list[list[str]] = [
            [format_value(entity, column.key, column.kind, value) for column, value in zip(columns, values, strict=False)]
            for values in self.raw
        ]


class RecordTableModel(QAbstractTableModel):
    """Rows of one entity for a QTableView; never holds more than `max_pages` pages in memory.

    `count()` runs once per query (each reset); pages of `page_size` rows are read when the view
    first asks for a cell in them and kept in a small LRU cache. The first page is read during the
    reset itself, so the model is ready to paint when `loaded` is emitted.

    A new search or filter can match a large part of a million rows (one Chinese character: ~0.3 s),
    so its count and first page are read on a pool thread; the old rows stay on screen meanwhile and
    `loading` tells the view. Opening, sorting and paging are fast index walks and stay synchronous.
    """

    loaded = Signal(int)  # the row count, after every reset
    loading = Signal(bool)  # a background search or filter started (True) or finished (False)

    def __init__(
        self,
        service: EntityService,
        actor: Actor,
        query: ListQuery | None = None,
        *,
        page_size: int = 200,
        max_pages: int = 50,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.actor = actor
        self.entity = service.entity
        self.columns: tuple[ListColumn, ...] = tuple(service.columns)
        self.column_keys: list[str] = [column.key for column in self.columns]
        self.page_size = page_size
        self.max_pages = max_pages
        self._query = query or ListQuery()
        self._total = 0
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self.page_reads = 0  # pages read from the service since creation, for tests and benchmarks
        self._generation = 0  # the ticket of the newest background load; older results are dropped
        self._waiting_for: ListQuery | None = None  # the query a background load is reading
        self._background = BackgroundCaller()
        self._background.finished.connect(self._on_load_finished)
        self._load(recount=True)

    # ---- the query -----------------------------------------------------------------------
    @property
    def query(self) -> ListQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by a column (-1: the service's default order); the count stays as it is."""
        key = self.column_keys[column] if 0 <= column < len(self.columns) else None
        descending = order == Qt.SortOrder.DescendingOrder
        query = replace(self._query, sort_key=key, descending=descending if key else False)
        if query != self._query:
            self._reset(query, recount=False)

    def set_search(self, text: str) -> None:
        """Filter by the search box's text; the rows change when `loaded` is emitted."""
        text = text.strip()
        if text != self._pending_query().search:
            self._load_in_background(replace(self._pending_query(), search=text))

    def set_filters(self, filters: Mapping[str, Any]) -> None:
        """Filter by field values; the rows change when `loaded` is emitted."""
        filters = dict(filters)
        if filters != dict(self._pending_query().filters):
            self._load_in_background(replace(self._pending_query(), filters=filters))

    def is_loading(self) -> bool:
        return self._waiting_for is not None

    def _pending_query(self) -> ListQuery:
        return self._waiting_for or self._query

    def _load_in_background(self, query: ListQuery) -> None:
        self._waiting_for = query
        self.loading.emit(True)
        service, actor, page_size = self.service, self.actor, self.page_size

        def count_and_first_page() -> tuple[ListQuery, int, list[tuple]]:
            total = service.count(actor, query)
            return query, total, service.page(actor, query, 0, page_size, total=total) if total else []

        self._generation = self._background.start(count_and_first_page)

    def _on_load_finished(self, generation: int, result: Any, error: BaseException | None) -> None:
        if generation != self._generation:
            return  # the user typed on; a newer load is under way
        self._waiting_for = None
        self.loading.emit(False)
        if error is not None:
            raise error
        query, total, rows = result
        self.beginResetModel()
        try:
            self._query, self._total = query, total
            self._pages.clear()
            if rows:
                self.page_reads += 1
                self._pages[0] = _Page(self.entity, self.columns, rows)
        finally:
            self.endResetModel()
        self.loaded.emit(self._total)

    def refresh(self) -> None:
        """Read everything again (after a create, edit or delete): same query, new count."""
        self._reset(self._query, recount=True)

    def _reset(self, query: ListQuery, *, recount: bool) -> None:
        self._generation = -1  # a search still loading in the background is superseded
        if self._waiting_for is not None:
            query = replace(query, search=self._waiting_for.search, filters=self._waiting_for.filters)
            self._waiting_for = None
            self.loading.emit(False)
        self.beginResetModel()
        try:
            self._query = query
            self._load(recount=recount)
        finally:
            self.endResetModel()
        self.loaded.emit(self._total)

    def _load(self, *, recount: bool) -> None:
        self._pages.clear()
        if recount:
            self._total = self.service.count(self.actor, self._query)
        if self._total:
            self._page(0)

    # ---- pages ---------------------------------------------------------------------------
    def _page(self, number: int) -> _Page:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        offset = number * self.page_size
        rows = self.service.page(self.actor, self._query, offset, self.page_size, total=self._total)
        self.page_reads += 1
        page = _Page(self.entity, self.columns, rows)
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    def _locate(self, row: int) -> tuple[_Page, int] | None:
        if not 0 <= row < self._total:
            return None
        page = self._page(row // self.page_size)
        at = row % self.page_size
        # The file may have lost rows since the count (another window, a sync): show them empty.
        return (page, at) if at < len(page.ids) else None

    def record_id(self, row: int) -> str | None:
        found = self._locate(row)
        return found[0].ids[found[1]] if found else None

    def raw_value(self, row: int, key: str) -> Any:
        found = self._locate(row)
        return found[0].raw[found[1]][self.column_keys.index(key)] if found else None

    def row_of(self, record_id: str) -> int | None:
        """The row showing `record_id` in the current order and filter, asked of the service."""
        row = self.service.position_of(self.actor, self._query, record_id)
        return row if row is not None and row < self._total else None

    def column_texts(self, column: int) -> list[str]:
        """The texts of a column in the pages already read (reads nothing): to fit a column to them."""
        return [texts[column] for page in self._pages.values() for texts in page.text]

    def cached_pages(self) -> int:
        return len(self._pages)

    # ---- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self.columns[column].kind in NUMERIC_KINDS else _LEFT
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, RAW_VALUE_ROLE, RECORD_ID_ROLE):
            return None
        found = self._locate(index.row())
        if found is None:
            return None
        page, at = found
        if role == RECORD_ID_ROLE:
            return page.ids[at]
        if role == RAW_VALUE_ROLE:
            return page.raw[at][column]
        text = page.text[at][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 20 else None  # long notes and names, cut off in the cell
        return text

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return field_title(self.entity, column.key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.kind in NUMERIC_KINDS else _LEFT
        return None
