"""The row menu of the lead and customer lists (right click, the menu key, Shift+F10): open, find the
record's duplicates, and the lead's lifecycle actions."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from crmdesk.services.duplicates import RecordRef
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.duplicates import DuplicatesDialog
from crmdesk.views.lead_rules_page import MarkInvalidDialog
from crmdesk.views.main_window import MainWindow
from crmdesk.views.record_form import RecordDialog
from crmdesk.views.record_tab import RecordTab


def _tab(qtbot: QtBot, services: Services, actor: Actor, settings: Settings, entity: str = "lead") -> RecordTab:
    tab = RecordTab(services, actor, entity, settings)
    qtbot.addWidget(tab)
    tab.resize(1200, 600)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activate()
    return tab


def _row(tab: RecordTab, record_id: str) -> int:
    row = tab.model.row_of(record_id)
    assert row is not None
    return row


def _right_click_at(qtbot: QtBot, tab: RecordTab, position: QPoint) -> None:
    """As the window system does it: the button goes down on the row, then the context menu event follows
    (QTest's clicks do not make one)."""
    viewport = tab.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.RightButton, pos=position)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, position, viewport.mapToGlobal(position))
    QApplication.sendEvent(viewport, event)
    qtbot.mouseRelease(viewport, Qt.MouseButton.RightButton, pos=position)


def _right_click(qtbot: QtBot, tab: RecordTab, record_id: str) -> QMenu:
    rect = tab.view.visualRect(tab.model.index(_row(tab, record_id), 1))
    _right_click_at(qtbot, tab, rect.center())
    qtbot.waitUntil(lambda: tab.row_menu is not None and tab.row_menu.isVisible(), timeout=2000)
    assert tab.row_menu is not None
    return tab.row_menu


def _texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def _action(menu: QMenu, name: str) -> QAction:
    action = menu.findChild(QAction, name)
    assert isinstance(action, QAction), name
    return action


def _enabled(menu: QMenu) -> dict[str, bool]:
    return {action.objectName(): action.isEnabled() for action in menu.actions() if not action.isSeparator()}


def test_a_right_click_opens_the_menu_of_the_row_under_the_mouse(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    tab.view.selectRow(0)
    menu = _right_click(qtbot, tab, book["lina"])
    assert tab.current_id() == book["lina"] and tab.selected_ids() == [book["lina"]]
    assert _texts(menu) == ["打开", "记录跟进…", "查找此记录的重复项…", "转化…", "标为无效…", "重新激活", "接受（SQL）",
                            "删除…"]
    # 李娜 is contacted and scores under the MQL threshold: nothing to reopen, nothing sales can accept yet.
    assert _enabled(menu) == {"openAction": True, "logActivityAction": True, "findDuplicatesAction": True,
                              "convertAction": True,
                              "markInvalidAction": True, "reopenAction": False, "acceptAction": False,
                              "deleteAction": True}
    assert _action(menu, "acceptAction").toolTip() == "只有营销合格线索（MQL）才能接受。"
    _action(menu, "openAction").trigger()
    assert isinstance(tab.dialog, RecordDialog) and tab.dialog.windowTitle() == "线索：李娜"
    tab.dialog.reject()
    menu.close()

    invalid = _right_click(qtbot, tab, book["zhaolei"])
    assert tab.current_id() == book["zhaolei"]
    enabled = _enabled(invalid)
    assert (enabled["reopenAction"], enabled["markInvalidAction"], enabled["convertAction"],
            enabled["acceptAction"]) == (True, False, False, False)
    invalid.close()
    mql = _right_click(qtbot, tab, book["zhangwei"])  # scored 60: at the threshold, an MQL
    assert _enabled(mql)["acceptAction"]
    assert _action(mql, "acceptAction").toolTip() == "销售接受此营销合格线索，使其成为销售合格线索（SQL）"
    mql.close()


def test_a_right_click_in_a_selection_keeps_it_and_below_the_rows_shows_nothing(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    tab.view.selectAll()
    menu = _right_click(qtbot, tab, book["wangfang"])
    assert len(tab.selected_ids()) == 4 and tab.current_id() == book["wangfang"]
    menu.close()
    tab.row_menu = None
    last = tab.view.visualRect(tab.model.index(tab.model.rowCount() - 1, 0))
    _right_click_at(qtbot, tab, QPoint(20, last.bottom() + 40))
    assert tab.row_menu is None


def test_the_menu_key_and_shift_f10_open_the_menu_at_the_current_row(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert tab.row_menu is None  # no row chosen: no menu
    row = _row(tab, book["wangfang"])
    tab.view.selectRow(row)
    qtbot.keyClick(tab.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = tab.row_menu
    assert menu is not None and menu.isVisible() and _texts(menu)[0] == "打开"
    # It opens beside the current row, not somewhere else on the screen.
    rect = tab.view.visualRect(tab.model.index(row, 0))
    anchor = tab.view.viewport().mapToGlobal(rect.bottomLeft())
    assert abs(menu.pos().y() - anchor.y()) <= rect.height() and abs(menu.pos().x() - anchor.x()) <= 40
    menu.close()
    tab.row_menu = None
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_Menu)
    assert tab.row_menu is not None and tab.row_menu.isVisible()
    _action(tab.row_menu, "openAction").trigger()
    assert isinstance(tab.dialog, RecordDialog) and tab.dialog.windowTitle() == "线索：王芳"
    tab.dialog.reject()
    tab.row_menu.close()


def test_the_lifecycle_from_the_menu_mark_invalid_reopen_accept(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    menu = _right_click(qtbot, tab, book["lina"])
    _action(menu, "markInvalidAction").trigger()
    menu.close()
    assert tab.lifecycle is not None
    dialog = tab.lifecycle.dialog
    assert isinstance(dialog, MarkInvalidDialog) and dialog.windowTitle() == "标为无效：李娜"
    dialog.reason.setCurrentIndex(dialog.reason.findData("not_interested"))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.mark()
    stored = services.leads.get(actor, book["lina"])
    assert (stored["status"], stored["invalid_reason"]) == ("invalid", "not_interested")

    menu = _right_click(qtbot, tab, book["lina"])
    assert _enabled(menu)["reopenAction"] and not _enabled(menu)["markInvalidAction"]
    _action(menu, "reopenAction").trigger()
    menu.close()
    assert services.leads.get(actor, book["lina"])["status"] == "contacted"

    menu = _right_click(qtbot, tab, book["zhangwei"])
    _action(menu, "acceptAction").trigger()
    menu.close()
    assert services.leads.get(actor, book["zhangwei"])["qualification"] == "sql"
    row = _row(tab, book["zhangwei"])
    assert tab.model.index(row, tab.model.column_keys.index("qualification")).data() == "销售合格线索（SQL）"
    menu = _right_click(qtbot, tab, book["zhangwei"])
    assert not _enabled(menu)["acceptAction"]  # already accepted
    menu.close()


def test_customers_have_open_and_duplicates_other_lists_open_and_delete(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        book: dict[str, str]) -> None:
    customers = _tab(qtbot, services, actor, settings, "customer")
    menu = _right_click(qtbot, customers, book["chenjing"])
    # Open is the 360° view, Edit the plain form; reactivating is for dormant customers only.
    assert _texts(menu) == ["打开", "编辑…", "记录跟进…", "查找此记录的重复项…", "预约试驾…", "重新激活",
                            "释放到公海…", "删除…"]
    assert not _enabled(menu)["reactivateAction"]
    menu.close()
    deals = _tab(qtbot, services, actor, settings, "opportunity")
    menu = _right_click(qtbot, deals, book["deal"])
    assert _texts(menu) == ["打开", "记录跟进…", "预约试驾…", "申请战败…", "删除…"]
    menu.close()


def test_find_duplicates_from_the_menu_opens_the_view_on_that_record(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> None:
    lead = services.leads.create(actor, {"name": "陈静", "phone": "13600003333"}).id
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "city": "宁波市"}).id
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    services.leads.create(actor, {"name": "张玮", "phone": "13812345678"})
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.show_tab("customer")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    menu = _right_click(qtbot, tab, customer)
    _action(menu, "findDuplicatesAction").trigger()
    menu.close()
    dialog = window.duplicates_dialog
    assert isinstance(dialog, DuplicatesDialog) and dialog.record == RecordRef("customer", customer)
    assert dialog.windowTitle() == "此记录的重复项"
    qtbot.waitUntil(lambda: not dialog.model.is_loading() and dialog.model.rowCount() == 1, timeout=10_000)
    assert {m.id for m in dialog.model.groups[0].members} == {customer, lead}  # not the 张伟 pair
    dialog.close()

    leads = window.show_tab("lead")
    qtbot.waitUntil(lambda: leads.model.rowCount() == 3, timeout=5000)
    menu = _right_click(qtbot, leads, lead)
    _action(menu, "findDuplicatesAction").trigger()
    menu.close()
    focused = window.duplicates_dialog
    assert isinstance(focused, DuplicatesDialog) and focused is not dialog
    assert focused.record == RecordRef("lead", lead)
    qtbot.waitUntil(lambda: not focused.model.is_loading() and focused.model.rowCount() == 1, timeout=10_000)
    assert {m.id for m in focused.model.groups[0].members} == {customer, lead}
    focused.close()
