"""The kanban board: columns with counts and sums, drag and drop between columns, paging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views import pipeline_board
from crmdesk.views.pipeline_board import OPPORTUNITY_MIME, PipelineBoard

QUALIFY = "01900000-0000-7000-8000-000000001000"
NEEDS = "01900000-0000-7000-8000-000000001001"
WON = "01900000-0000-7000-8000-000000001005"
LOST = "01900000-0000-7000-8000-000000001006"


def _board(qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> PipelineBoard:
    board = PipelineBoard(services, actor, settings)
    qtbot.addWidget(board)
    board.resize(1400, 700)
    board.show()
    return board


def _drop(board: PipelineBoard, source_stage: str, row: int, target_stage: str) -> bool:
    source = board.columns[source_stage].view
    target = board.columns[target_stage].view
    data = source.model().mimeData([source.model().index(row, 0)])
    assert data.hasFormat(OPPORTUNITY_MIME)
    return bool(target.model().dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, QModelIndex()))


def test_columns_show_counts_and_sums(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                      settings: Settings, book: dict[str, str]) -> None:
    board = _board(qtbot, services, actor, settings)
    assert len(board.columns) == 7
    qualify = board.columns[QUALIFY]
    assert qualify.model.rowCount() == 1
    assert "1 " in qualify.summary.text() and "¥1,234,567.50" in qualify.summary.text()
    assert qualify.title.text().startswith("初步接洽")
    text = qualify.model.index(0, 0).data()
    assert "苏州群英电子有限公司" in text and "¥1,234,567.50" in text
    board.grab().save("/tmp/shots/board/board_small.png")


def test_drag_and_drop_moves_the_deal(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                      settings: Settings, book: dict[str, str]) -> None:
    board = _board(qtbot, services, actor, settings)
    with qtbot.waitSignal(board.records_changed):
        assert _drop(board, QUALIFY, 0, NEEDS)
    deal = services.opportunities.get(actor, book["deal"])
    assert deal["stage_id"] == NEEDS and deal["probability"] == 20
    history = services.opportunities.stage_history(actor, book["deal"])
    assert (history[-1]["from_stage_id"], history[-1]["to_stage_id"]) == (QUALIFY, NEEDS)
    assert board.columns[QUALIFY].model.rowCount() == 0
    assert board.columns[NEEDS].model.rowCount() == 1
    # Drop on its own column: nothing happens.
    assert not _drop(board, NEEDS, 0, NEEDS)


def test_failed_move_keeps_the_card(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                    settings: Settings, book: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    services.opportunities.update(actor, book["deal"], {"amount": Decimal("0")})
    shown: list[str] = []
    monkeypatch.setattr(pipeline_board, "show_user_error", lambda parent, error: shown.append(error.message))
    board = _board(qtbot, services, actor, settings)
    assert not _drop(board, QUALIFY, 0, WON)  # a won deal needs its amount
    assert shown
    assert services.opportunities.get(actor, book["deal"])["stage_id"] == QUALIFY
    assert board.columns[QUALIFY].model.rowCount() == 1 and board.columns[WON].model.rowCount() == 0


def test_lost_drop_by_a_consultant_opens_the_request(qtbot: QtBot, app: QApplication, services: Services,
                                                     actor: Actor, settings: Settings, book: dict[str, str],
                                                     consultant: str) -> None:
    rep = Actor(consultant, "王磊", "consultant")
    services.opportunities.update(actor, book["deal"], {"owner_id": consultant})  # data scope own: the rep's deal
    board = _board(qtbot, services, rep, settings)
    assert not _drop(board, QUALIFY, 0, LOST)
    assert board.last_dialog is not None and board.last_dialog.objectName() == "lostRequestDialog"
    assert services.opportunities.get(actor, book["deal"])["status"] == "open"
    board.last_dialog.close()


def test_lost_drop_by_a_manager_asks_the_reason(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                                settings: Settings, book: dict[str, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    board = _board(qtbot, services, actor, settings)
    monkeypatch.setattr(board, "ask_lost_reason", lambda _id: "价格因素")
    assert _drop(board, QUALIFY, 0, LOST)
    deal = services.opportunities.get(actor, book["deal"])
    assert deal["status"] == "lost" and deal["lost_reason"] == "价格因素"
    assert board.columns[LOST].model.rowCount() == 1


def test_paging_fetch_more_and_model_tester(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                            settings: Settings, qtmodeltester: object) -> None:
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333"})
    for number in range(60):
        services.opportunities.create(actor, {"name": f"华驰 A3 #{number}", "customer_id": customer.id,
                                              "stage_id": QUALIFY, "amount": Decimal("1000"),
                                              "expected_close_date": date(2026, 6, 1)})
    board = _board(qtbot, services, actor, settings)
    model = board.columns[QUALIFY].model
    assert model.rowCount() == 50 and model.total_count == 60 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 60 and not model.canFetchMore()
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_double_click_asks_to_open_the_deal(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                            settings: Settings, book: dict[str, str]) -> None:
    board = _board(qtbot, services, actor, settings)
    view = board.columns[QUALIFY].view
    with qtbot.waitSignal(board.open_requested) as blocker:
        view.doubleClicked.emit(view.model().index(0, 0))
    assert blocker.args == ["opportunity", book["deal"]]


def test_foreign_mime_is_refused(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                 settings: Settings, book: dict[str, str]) -> None:
    board = _board(qtbot, services, actor, settings)
    data = QMimeData()
    data.setData("text/plain", QByteArray(book["deal"].encode()))
    model = board.columns[NEEDS].model
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, QModelIndex())


def test_in_the_window_a_double_click_opens_the_deals_form(qtbot: QtBot, app: QApplication, services: Services,
                                                           actor: Actor, settings: Settings,
                                                           book: dict[str, str]) -> None:
    from crmdesk.views.main_window import MainWindow
    from crmdesk.views.record_form import RecordDialog

    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    board = window.show_tab("board")
    assert isinstance(board, PipelineBoard) and window.tab_widget.tabText(window.tab_widget.currentIndex()) == "销售看板"
    view = board.columns[QUALIFY].view
    view.doubleClicked.emit(view.model().index(0, 0))
    dialog = window.tabs["opportunity"].dialog
    assert isinstance(dialog, RecordDialog) and dialog.record_id == book["deal"]
    dialog.reject()
