"""The duplicates view (查重): groups read off the GUI thread, members, merge, undo, not a duplicate,
and its entry points in the main window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.duplicates import RecordRef, find_groups, list_groups
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views import duplicates as duplicates_view
from crmdesk.views.duplicates import DuplicateGroupModel, DuplicatesDialog, GroupMemberModel
from crmdesk.views.main_window import MainWindow
from crmdesk.views.merge_dialog import MergeDialog


@pytest.fixture
def twins(services: Services, actor: Actor) -> dict[str, str]:
    return {
        "old": services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "city": "杭州市",
                                             "company": "远景科技"}).id,
        "new": services.leads.create(actor, {"name": "张玮", "phone": "138 1234 5678", "city": "杭州市",
                                             "email": "zw@example.com"}).id,
        "lead": services.leads.create(actor, {"name": "陈静", "phone": "13600003333"}).id,
        "customer": services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "city": "宁波市"}).id,
        "alone": services.leads.create(actor, {"name": "李娜", "phone": "13900001111"}).id,
    }


def open_dialog(qtbot: QtBot, services: Services, actor: Actor, **kwargs: Any) -> DuplicatesDialog:
    dialog = DuplicatesDialog(services, actor, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.model.is_loading() and dialog.model.rowCount() > 0, timeout=10_000)
    return dialog


def test_group_models_pass_the_model_tester(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            twins: dict[str, str], qtmodeltester: Any) -> None:
    model = DuplicateGroupModel(lambda offset, limit: list_groups(services.db, actor, offset=offset, limit=limit))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)
    members = GroupMemberModel()
    members.set_group(model.groups[0])
    assert members.rowCount() == 2
    qtmodeltester.check(members, force_py=True)


def test_groups_are_listed_with_reason_and_score_in_chinese(app: QApplication, qtbot: QtBot, services: Services,
                                                            actor: Actor, twins: dict[str, str]) -> None:
    dialog = open_dialog(qtbot, services, actor)
    model = dialog.model
    texts = [[model.data(model.index(row, column)) for column in range(model.columnCount())]
             for row in range(model.rowCount())]
    assert texts[0][0] == "95" and texts[0][1] == "手机号相同；同城同名"
    assert "张伟（线索）" in texts[0][2] and "张玮（线索）" in texts[0][2]
    assert texts[1][1] == "手机号相同" and "陈静（客户）" in texts[1][2]
    assert dialog.status.text() == "发现 2 组疑似重复，按相似度从高到低排列。"
    # The first group is chosen and its records are listed below.
    assert dialog.members.rowCount() == 2
    assert {dialog.members.data(dialog.members.index(r, 1)) for r in range(2)} == {"张伟", "张玮"}
    dialog.groups_view.selectRow(1)
    assert {dialog.members.data(dialog.members.index(r, 0)) for r in range(2)} == {"线索", "客户"}
    # Only leads: the lead-customer pair goes.
    dialog.scope.setCurrentIndex(dialog.scope.findData("lead"))
    qtbot.waitUntil(lambda: not dialog.model.is_loading() and dialog.model.rowCount() == 1, timeout=10_000)


def test_merge_from_the_view_then_undo(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                       twins: dict[str, str]) -> None:
    dialog = open_dialog(qtbot, services, actor)
    changed: list[bool] = []
    dialog.records_changed.connect(lambda: changed.append(True))
    dialog.groups_view.selectRow(0)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    merge = dialog.merge_dialog
    assert isinstance(merge, MergeDialog)
    kept = merge.kept()
    assert kept.id == twins["old"]  # the oldest is kept by default
    # The other record's name instead of the kept one's.
    name_from_other = merge.choice_buttons[("name", twins["new"])]
    qtbot.mouseClick(name_from_other, Qt.MouseButton.LeftButton, pos=QPoint(8, name_from_other.height() // 2))
    assert name_from_other.isChecked()
    qtbot.mouseClick(merge.merge_button, Qt.MouseButton.LeftButton)
    lead = services.leads.get(actor, twins["old"])
    assert (lead["name"], lead["email"], lead["company"]) == ("张玮", "zw@example.com", "远景科技")
    assert dialog.model.rowCount() == 1  # the merged group is gone
    assert changed and dialog.undo_button.isEnabled()
    assert "已合并" in dialog.status.text()

    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert services.leads.get(actor, twins["old"])["name"] == "张伟"
    assert services.leads.get(actor, twins["new"])["name"] == "张玮"
    assert not dialog.undo_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.model.is_loading() and dialog.model.rowCount() == 2, timeout=10_000)


def test_not_a_duplicate_is_never_offered_again(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                                twins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates_view, "ask_to_confirm", lambda *args: True)
    dialog = open_dialog(qtbot, services, actor)
    dialog.groups_view.selectRow(1)
    qtbot.mouseClick(dialog.dismiss_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    assert [{m.id for m in g.members} for g in find_groups(services.db, actor)] == [{twins["old"], twins["new"]}]
    dialog.reload()
    qtbot.waitUntil(lambda: not dialog.model.is_loading(), timeout=10_000)
    assert dialog.model.rowCount() == 1


def test_duplicates_of_one_record(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                  twins: dict[str, str]) -> None:
    dialog = open_dialog(qtbot, services, actor, record=RecordRef("customer", twins["customer"]))
    assert dialog.model.rowCount() == 1 and not dialog.scope.isVisible()
    assert {m.id for m in dialog.model.groups[0].members} == {twins["customer"], twins["lead"]}


def test_the_main_window_opens_the_view_from_the_tools_menu_and_from_a_record(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        twins: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    action = window.findChild(type(window.new_action), "duplicatesAction")
    assert action is not None and action.shortcut().toString() == "Ctrl+Shift+D"
    action.trigger()
    dialog = window.duplicates_dialog
    assert isinstance(dialog, DuplicatesDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    dialog.close()
    tab = window.show_tab("lead")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4, timeout=10_000)
    row = tab.model.row_of(twins["lead"])
    assert row is not None
    tab.view.setCurrentIndex(tab.model.index(row, 0, QModelIndex()))
    window.findChild(type(window.new_action), "recordDuplicatesAction").trigger()
    one = window.duplicates_dialog
    assert isinstance(one, DuplicatesDialog) and one is not dialog
    qtbot.waitUntil(lambda: one.model.rowCount() == 1, timeout=10_000)
    assert {m.id for m in one.model.groups[0].members} == {twins["lead"], twins["customer"]}
