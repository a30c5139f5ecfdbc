"""阶段设置: edit a pipeline's stages; a rejected save keeps the edits and lists every problem."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidgetItem
from pytestqt.qtbot import QtBot

from crmdesk.services import pipelines
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.stages_dialog import StagesDialog, StagesTable


def _cell(table: StagesTable, row: int, column: int) -> QTableWidgetItem:
    item = table.table.item(row, column)
    assert item is not None
    return item


def test_edit_reorder_add_and_save(qtbot: QtBot, app: QApplication, services: Services, actor: Actor) -> None:
    dialog = StagesDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.grab().save("/tmp/shots/board/stages_dialog.png")
    table = dialog.tables["vehicle"]
    assert table.table.rowCount() == 7
    _cell(table, 1, 1).setText("需求确认")
    table.table.setCurrentCell(1, 1)
    table.move_current(-1)
    row = table.add_row(None)
    for column, text in enumerate(("visit", "到店", "Visit", "30")):
        _cell(table, row, column).setText(text)
    table.table.setCurrentCell(row, 0)
    for _ in range(row - 2):
        table.move_current(-1)
    assert dialog.save()
    codes = [s["code"] for s in pipelines.list_stages(services.db, actor, "vehicle")]
    assert codes[:3] == ["needs_analysis", "qualify", "visit"]
    assert pipelines.list_stages(services.db, actor, "vehicle")[0]["name_zh"] == "需求确认"


def test_rejected_save_keeps_edits_and_shows_every_error(qtbot: QtBot, app: QApplication, services: Services,
                                                         actor: Actor) -> None:
    dialog = StagesDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.tables["vehicle"]
    _cell(table, 0, 3).setText("150")
    _cell(table, 2, 1).setText("")
    _cell(table, 6, 5).setCheckState(Qt.CheckState.Unchecked)  # no lost stage
    assert not dialog.save()
    assert dialog.isVisible()
    assert dialog.error_label.text().count("\n") >= 2
    assert _cell(table, 0, 3).text() == "150"
    assert _cell(table, 0, 3).toolTip()
    dialog.grab().save("/tmp/shots/board/stages_dialog_errors.png")
    assert pipelines.list_stages(services.db, actor, "vehicle")[0]["probability"] == 10


def test_consultant_reads_only(qtbot: QtBot, app: QApplication, services: Services, consultant: str) -> None:
    dialog = StagesDialog(services, Actor(consultant, "王磊", "consultant"))
    qtbot.addWidget(dialog)
    assert not dialog.tables["vehicle"].add_button.isEnabled()
    assert dialog.findChild(type(dialog.error_label), "readOnlyNote") is not None
