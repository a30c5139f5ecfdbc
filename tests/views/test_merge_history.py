"""The merge history (合并记录): merges listed newest first with who, what was kept and what merged,
undo of those that can be undone (and why not the others), errors in Chinese, and its entry points."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from crmdesk.services.duplicates import RecordRef
from crmdesk.services.merge import MergeResult, list_merges, merge_records
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views import merge_history
from crmdesk.views.duplicates import DuplicatesDialog
from crmdesk.views.main_window import MainWindow
from crmdesk.views.merge_dialog import MergeDialog
from crmdesk.views.merge_history import MergeHistoryDialog

TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d"


@pytest.fixture
def merges(services: Services, actor: Actor) -> dict[str, str]:
    """张伟 keeps two leads merged one after the other; the customer 陈静 keeps the lead 陈静."""
    ids = {
        "zhangwei": services.leads.create(actor, {"name": "张伟", "phone": "13812345678"}).id,
        "zhangwei2": services.leads.create(actor, {"name": "张玮", "phone": "13812345678"}).id,
        "zhangwei3": services.leads.create(actor, {"name": "章伟", "phone": "13812345678"}).id,
        "lead": services.leads.create(actor, {"name": "陈静", "phone": "13600003333"}).id,
        "customer": services.customers.create(actor, {"name": "陈静", "phone": "13600003333"}).id,
    }
    ids["first"] = merge_records(services.db, actor, RecordRef("lead", ids["zhangwei"]),
                                 RecordRef("lead", ids["zhangwei2"]), {"name": ids["zhangwei"]}).merge_ids[0]
    ids["second"] = merge_records(services.db, actor, RecordRef("lead", ids["zhangwei"]),
                                  RecordRef("lead", ids["zhangwei3"]), {"name": ids["zhangwei"]}).merge_ids[0]
    ids["customer_merge"] = merge_records(services.db, actor, RecordRef("customer", ids["customer"]),
                                          RecordRef("lead", ids["lead"])).merge_ids[0]
    return ids


def _dialog(qtbot: QtBot, services: Services, actor: Actor) -> MergeHistoryDialog:
    dialog = MergeHistoryDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _row_texts(dialog: MergeHistoryDialog, row: int) -> list[str]:
    return [dialog.table.item(row, column).text() for column in range(6)]


def test_merges_are_listed_newest_first_in_chinese(app: QApplication, qtbot: QtBot, services: Services,
                                                   actor: Actor, merges: dict[str, str]) -> None:
    dialog = _dialog(qtbot, services, actor)
    assert dialog.windowTitle() == "合并记录"
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(6)]
    assert headers == ["时间", "操作人", "保留的记录", "被合并的记录", "移动的关联数据", "状态"]
    assert [m.id for m in dialog.merges] == [merges["customer_merge"], merges["second"], merges["first"]]
    newest = _row_texts(dialog, 0)
    assert re.fullmatch(TIME, newest[0])
    assert newest[1:4] == [actor.display_name, "陈静（客户）", "陈静（线索）"]
    assert newest[5] == "有效"
    assert _row_texts(dialog, 1)[2:4] == ["张伟（线索）", "章伟（线索）"]
    assert _row_texts(dialog, 2)[2:4] == ["张伟（线索）", "张玮（线索）"]
    assert dialog.status.text() == "显示 3 次合并。"
    # The newer merge into 张伟 blocks the older one: that one's Undo is off and says why.
    assert dialog.undo_buttons[merges["second"]].isEnabled()
    older = dialog.undo_buttons[merges["first"]]
    assert not older.isEnabled()
    assert older.toolTip() == "之后还有合并到“张伟”的操作仍然有效：请先撤销那一次。"


def test_undo_brings_the_record_back_and_frees_the_older_merge(app: QApplication, qtbot: QtBot,
                                                               services: Services, actor: Actor,
                                                               merges: dict[str, str]) -> None:
    dialog = _dialog(qtbot, services, actor)
    changed: list[str] = []
    dialog.merge_undone.connect(changed.append)
    qtbot.mouseClick(dialog.undo_buttons[merges["second"]], Qt.MouseButton.LeftButton)
    assert changed == [merges["second"]]
    assert services.leads.get(actor, merges["zhangwei3"])["name"] == "章伟"  # alive again
    assert re.fullmatch(r"已撤销合并：“章伟”已恢复，移回 \d+ 条关联数据。", dialog.status.text())
    row = [m.id for m in dialog.merges].index(merges["second"])
    assert re.fullmatch(f"已于 {TIME} 撤销", _row_texts(dialog, row)[5])
    assert merges["second"] not in dialog.undo_buttons  # nothing left to undo there
    assert dialog.undo_buttons[merges["first"]].isEnabled()
    qtbot.mouseClick(dialog.undo_buttons[merges["first"]], Qt.MouseButton.LeftButton)
    assert services.leads.get(actor, merges["zhangwei2"])["name"] == "张玮"
    assert [m.undone_at is not None for m in list_merges(services.db, actor)] == [False, True, True]


def test_a_refused_undo_says_why_in_chinese(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            merges: dict[str, str]) -> None:
    dialog = _dialog(qtbot, services, actor)
    services.customers.delete(actor, merges["customer"])  # the kept record is gone since the list was read
    button = dialog.undo_buttons[merges["customer_merge"]]
    assert button.isEnabled()
    undone: list[str] = []
    dialog.merge_undone.connect(undone.append)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    box = dialog.findChild(QMessageBox, "userErrorBox")
    assert box is not None and box.text() == "保留的记录已被删除或再次合并，无法撤销这次合并。"
    box.close()
    assert undone == [] and list_merges(services.db, actor)[0].undone_at is None


def test_older_merges_are_read_on_demand(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                         merges: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge_history, "PAGE_SIZE", 2)
    dialog = _dialog(qtbot, services, actor)
    assert dialog.table.rowCount() == 2 and dialog.more_button.isVisible()
    qtbot.mouseClick(dialog.more_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 3 and not dialog.more_button.isVisible()


def test_no_merges_yet(app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    dialog = _dialog(qtbot, services, actor)
    assert dialog.table.rowCount() == 0 and dialog.status.text() == "还没有合并过记录。"
    assert not dialog.more_button.isVisible()


def test_reached_from_the_tools_menu_and_from_the_duplicates_view(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        merges: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    action = window.findChild(QAction, "mergeHistoryAction")
    assert action is not None and action.text() == "合并记录(&M)…"
    action.trigger()
    history = window.merge_history_dialog
    assert isinstance(history, MergeHistoryDialog) and history.table.rowCount() == 3
    leads = window.show_tab("lead")
    qtbot.waitUntil(lambda: not leads.model.is_loading() and leads.model.rowCount() == 1, timeout=5000)
    qtbot.mouseClick(history.undo_buttons[merges["second"]], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not leads.model.is_loading() and leads.model.rowCount() == 2, timeout=5000)  # re-read
    history.close()

    duplicates = window.open_duplicates()
    qtbot.waitUntil(lambda: not duplicates.model.is_loading(), timeout=10_000)
    assert duplicates.model.rowCount() == 1  # 张伟 and 章伟 again
    duplicates.groups_view.selectRow(0)
    qtbot.mouseClick(duplicates.merge_button, Qt.MouseButton.LeftButton)
    merge = duplicates.merge_dialog
    assert isinstance(merge, MergeDialog)
    with qtbot.waitSignal(merge.merged, timeout=5000) as merged_signal:
        qtbot.mouseClick(merge.merge_button, Qt.MouseButton.LeftButton)
    merged = merged_signal.args[0]
    assert isinstance(merged, MergeResult) and duplicates.undo_button.isEnabled()
    assert duplicates.history_button.text() == "合并记录…"
    qtbot.mouseClick(duplicates.history_button, Qt.MouseButton.LeftButton)
    from_view = duplicates.history_dialog
    assert isinstance(from_view, MergeHistoryDialog) and from_view.parent() is duplicates
    qtbot.mouseClick(from_view.undo_buttons[merged.merge_ids[0]], Qt.MouseButton.LeftButton)
    # Undone in the history: the view's own "undo merge" has nothing left, and the group is back.
    assert not duplicates.undo_button.isEnabled()
    qtbot.waitUntil(lambda: not duplicates.model.is_loading() and duplicates.model.rowCount() == 1, timeout=10_000)
    assert isinstance(duplicates, DuplicatesDialog)
    from_view.close()
    duplicates.close()
