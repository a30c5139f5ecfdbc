"""销售看板: the pipeline as columns of cards, one column per stage, dragged from stage to stage.

Each column is a QListView on a `BoardColumnModel` that reads its cards 50 at a time
(crmdesk.services.pipelines.board_column, fetchMore on scrolling). A card is dragged with the
`OPPORTUNITY_MIME` type carrying the deal's id; the target column's model hands the drop to the board,
which moves the deal (pipelines.move_to_stage) and re-reads the two columns. A failed move shows the
problem and leaves the card where it was; a rep's drop on the lost column opens the lost request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import current_language
from crmdesk.services import lost, pipelines
from crmdesk.services.entities import Record
from crmdesk.services.errors import UserError
from crmdesk.services.pipelines import BoardCard
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_users
from crmdesk.settings import Settings
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_date, format_money

OPPORTUNITY_MIME = "application/x-crmdesk-opportunity-id"
PAGE_SIZE = 50
COLUMN_WIDTH = 230
CARD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CARD_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex

COLUMN_STYLE = """
QListView { background: #f2f4f7; border: none; }
QListView::item { background: white; border: 1px solid #d5dae1; border-radius: 4px; padding: 6px;
                  margin: 3px 4px; color: #1f2933; }
QListView::item:selected { border: 1px solid #3b82f6; background: #eef4ff; color: #1f2933; }
"""


class BoardColumnModel(QAbstractListModel):
    """One stage's cards, read a page at a time; drops of a card from another column go to `on_drop`."""

    def __init__(self, services: Services, actor: Actor, pipeline_code: str, stage: Record,
                 on_drop: Callable[[str, str], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.pipeline_code = pipeline_code
        self.stage = stage
        self.owner_id: str | None = None
        self._on_drop = on_drop
        self.cards: list[BoardCard] = []
        self.total_count = 0
        self.total_amount: Any = 0

    # ---- reading ---------------------------------------------------------------------------
    def reload(self, owner_id: str | None = None) -> None:
        self.owner_id = owner_id
        column = pipelines.board_column(self.services.db, self.actor, self.pipeline_code, self.stage.id, 0,
                                        PAGE_SIZE, owner_id=owner_id)
        self.beginResetModel()
        self.cards = list(column.cards)
        self.total_count, self.total_amount = column.total_count, column.total_amount
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.cards) < self.total_count

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or len(self.cards) >= self.total_count:
            return
        column = pipelines.board_column(self.services.db, self.actor, self.pipeline_code, self.stage.id,
                                        len(self.cards), PAGE_SIZE, owner_id=self.owner_id)
        if not column.cards:
            self.total_count = len(self.cards)
            return
        self.beginInsertRows(QModelIndex(), len(self.cards), len(self.cards) + len(column.cards) - 1)
        self.cards.extend(column.cards)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.cards):
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join([
                card.customer_name or card.name,
                f"{format_money(card.amount)}  ·  {card.probability}%",
                self.tr("Close {date}").format(date=format_date(card.expected_close_date))
                if card.expected_close_date else self.tr("No close date"),
                self.tr("{owner} · {days} days in stage").format(owner=card.owner_name or self.tr("No owner"),
                                                                  days=card.days_in_stage),
            ])
        if role == Qt.ItemDataRole.ToolTipRole:
            return card.name
        if role == CARD_ID_ROLE:
            return card.id
        if role == CARD_ROLE:
            return card
        return None

    # ---- drag and drop ---------------------------------------------------------------------
    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        return base if index.isValid() else Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self) -> list[str]:
        return [OPPORTUNITY_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = [self.cards[index.row()].id for index in indexes if index.isValid()][:1]
        data.setData(OPPORTUNITY_MIME, QByteArray(("\n".join(ids)).encode("ascii")))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: _Index) -> bool:
        return data.hasFormat(OPPORTUNITY_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: _Index) -> bool:
        if not data.hasFormat(OPPORTUNITY_MIME):
            return False
        opportunity_id = bytes(data.data(OPPORTUNITY_MIME).data()).decode("ascii").strip()
        if not opportunity_id or any(card.id == opportunity_id for card in self.cards):
            return False  # dropped on its own column
        return self._on_drop(opportunity_id, self.stage.id)

    def removeRows(self, row: int, count: int, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return False  # a moved card leaves its column when the board re-reads it


class BoardColumnWidget(QFrame):
    """A stage's header (name, count, sum) over its list of cards."""

    def __init__(self, model: BoardColumnModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        stage = model.stage
        self.setObjectName(f"boardColumn_{stage['code']}")
        self.setFixedWidth(COLUMN_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = QLabel(self)
        self.title.setObjectName("columnTitle")
        self.title.setStyleSheet("font-weight: bold; padding: 4px 6px 0 6px;")
        self.summary = QLabel(self)
        self.summary.setObjectName("columnSummary")
        self.summary.setStyleSheet("color: #52606d; padding: 0 6px 4px 6px;")
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        self.view = QListView(self)
        self.view.setObjectName("columnView")
        self.view.setModel(model)
        self.view.setStyleSheet(COLUMN_STYLE)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.view, 1)
        model.modelReset.connect(self.update_header)
        self.update_header()

    def update_header(self) -> None:
        stage = self.model.stage
        name = stage["name_en"] if current_language() == "en" else stage["name_zh"]
        self.title.setText(f"{name}  {stage['probability']}%")
        self.summary.setText(self.tr("{count} deals · {amount}").format(
            count=format_count(self.model.total_count), amount=format_money(self.model.total_amount)))


class PipelineBoard(QWidget):
    """The kanban board of one pipeline, filtered by owner. Double-click opens the deal's form."""

    open_requested = Signal(str, str)  # entity, id
    records_changed = Signal(str)
    status_changed = Signal()

    def __init__(self, services: Services, actor: Actor, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pipelineBoard")
        self.services = services
        self.actor = actor
        self.settings = settings
        self.columns: dict[str, BoardColumnWidget] = {}
        self.last_dialog: QWidget | None = None

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Pipeline:"), self))
        self.pipeline_combo = QComboBox(self)
        self.pipeline_combo.setObjectName("pipelineCombo")
        name_key = "name_en" if current_language() == "en" else "name_zh"
        for pipeline in pipelines.list_pipelines(services.db, actor):
            self.pipeline_combo.addItem(str(pipeline[name_key]), pipeline["code"])
        bar.addWidget(self.pipeline_combo)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("Owner:"), self))
        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("ownerCombo")
        self.owner_combo.addItem(self.tr("Everyone"), None)
        for user in list_users(services.db, actor):
            self.owner_combo.addItem(str(user["display_name"]), user.id)
        bar.addWidget(self.owner_combo)
        bar.addStretch(1)
        self.hint = QLabel(self.tr("Drag a card to another column to move the deal."), self)
        self.hint.setStyleSheet("color: #7b8794;")
        bar.addWidget(self.hint)
        layout.addLayout(bar)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.board = QWidget(self.scroll_area)
        self.board_layout = QHBoxLayout(self.board)
        self.board_layout.setContentsMargins(0, 0, 0, 0)
        self.board_layout.setSpacing(8)
        self.scroll_area.setWidget(self.board)
        layout.addWidget(self.scroll_area, 1)

        self.pipeline_combo.currentIndexChanged.connect(lambda _index: self.build_columns())
        self.owner_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.build_columns()

    # ---- page protocol ---------------------------------------------------------------------
    def pipeline_code(self) -> str:
        return str(self.pipeline_combo.currentData() or "vehicle")

    def owner_id(self) -> str | None:
        data = self.owner_combo.currentData()
        return str(data) if data else None

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        for column in self.columns.values():
            column.model.reload(self.owner_id())
        self.status_changed.emit()

    def status_text(self) -> str:
        count = sum(column.model.total_count for column in self.columns.values()
                    if not (column.model.stage["is_won"] or column.model.stage["is_lost"]))
        return self.tr("{count} open deals on the board").format(count=format_count(count))

    def build_columns(self) -> None:
        while self.board_layout.count():
            item = self.board_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.columns.clear()
        code = self.pipeline_code()
        for stage in pipelines.list_stages(self.services.db, self.actor, code):
            model = BoardColumnModel(self.services, self.actor, code, stage, self.move_card, self)
            column = BoardColumnWidget(model, self.board)
            column.view.doubleClicked.connect(self._open_card)
            self.columns[stage.id] = column
            self.board_layout.addWidget(column)
        self.board_layout.addStretch(1)
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(1280, 720)

    # ---- actions ---------------------------------------------------------------------------
    def _open_card(self, index: QModelIndex) -> None:
        opportunity_id = index.data(CARD_ID_ROLE)
        if opportunity_id:
            self.open_requested.emit("opportunity", str(opportunity_id))

    def ask_lost_reason(self, opportunity_id: str) -> str | None:
        """A manager's drop on the lost column: which of the team's reasons (None: cancelled)."""
        reasons = lost.lost_reasons(self.services.db)
        labels = [reason.label for reason in reasons]
        label, ok = QInputDialog.getItem(self, self.tr("Mark as lost"), self.tr("Why was the deal lost?"),
                                         labels, 0, False)
        return label if ok and label else None

    def move_card(self, opportunity_id: str, stage_id: str) -> bool:
        """Move a deal to `stage_id`; True when it moved. The columns are re-read either way."""
        target = self.columns.get(stage_id)
        lost_reason = None
        if target is not None and target.model.stage["is_lost"] and lost.may_approve(self.actor):
            lost_reason = self.ask_lost_reason(opportunity_id)
            if lost_reason is None:
                return False
        try:
            pipelines.move_to_stage(self.services.db, self.actor, opportunity_id, stage_id, lost_reason=lost_reason)
        except pipelines.LostRequestNeeded:
            self.open_lost_request(opportunity_id)
            return False
        except UserError as error:
            show_user_error(self, error)
            return False
        self.refresh()
        self.records_changed.emit("opportunity")
        return True

    def open_lost_request(self, opportunity_id: str) -> QWidget | None:
        from crmdesk.views.lost_dialogs import LostRequestDialog

        try:
            dialog = LostRequestDialog(self.services, self.actor, self, opportunity_id=opportunity_id)
        except UserError as error:
            show_user_error(self, error)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.records_changed.emit("opportunity"))
        dialog.open()
        self.last_dialog = dialog
        return dialog
