"""The walk-in registration dialog, driven by keyboard only: shortcut, typing, Enter, known people, revisits."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crmdesk.models import Activity
from crmdesk.services.entities import ListQuery
from crmdesk.services.registry import Services
from crmdesk.services.team_settings import save_setting
from crmdesk.services.uow import Actor, read_session
from crmdesk.services.walk_in import WALK_IN_SOURCES_SETTING, log_revisit, register_walk_in
from crmdesk.settings import Settings
from crmdesk.views.formatting import format_datetime
from crmdesk.views.main_window import MainWindow
from crmdesk.views.walk_in import KNOWN_DELAY_MS, WalkInDialog

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
KNOWN_LEAD = {"name": "张先生", "phone": "13812345678", "gender": "M", "intended_purchase_date": date(2026, 3, 5),
              "residential_area": "西湖区文三路"}


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> MainWindow:
    window = MainWindow(services, actor, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitActive(window)
    return window


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """ASCII key by key; Chinese committed as an input method does (QTest keys are ASCII only).
    The same as test_record_form's helper, which a test module cannot import from another."""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _keys(qtbot: QtBot, text: str) -> None:
    """Type into whatever has the focus, as a user at the front desk does."""
    type_text(qtbot, _focused(), text)


def _press(qtbot: QtBot, key: Qt.Key, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(_focused(), key)


def _open_by_shortcut(qtbot: QtBot, window: MainWindow, start: QWidget) -> WalkInDialog:
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_N, CTRL_SHIFT)
    dialog = window.walk_in_dialog
    assert isinstance(dialog, WalkInDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.editors["name"].focus_widget.hasFocus())
    return dialog


def _line(dialog: WalkInDialog, name: str) -> QLineEdit:
    line = dialog.findChild(QLineEdit, f"field_{name}")
    assert isinstance(line, QLineEdit)
    return line


def _label(dialog: WalkInDialog, object_name: str) -> QLabel:
    label = dialog.findChild(QLabel, object_name)
    assert isinstance(label, QLabel)
    return label


def _error(dialog: WalkInDialog, name: str) -> QLabel:
    return _label(dialog, f"error_{name}")


def _lead_names(window: MainWindow) -> list[str]:
    model = window.tabs["lead"].model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _wait_for_known(qtbot: QtBot, dialog: WalkInDialog, count: int) -> None:
    qtbot.waitUntil(lambda: len(dialog.revisit_buttons) == count and dialog.known_panel.isVisible() == bool(count),
                    timeout=KNOWN_DELAY_MS * 20)


def test_ctrl_shift_n_opens_the_registration_from_anywhere_in_the_window_and_esc_cancels(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor) -> None:
    window.show_tab("customer")
    dialog = _open_by_shortcut(qtbot, window, window.tabs["customer"].search_box)
    assert dialog.windowTitle() == "客流登记"
    assert window.walk_in_action.shortcut() == QKeySequence("Ctrl+Shift+N")
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu) and window.walk_in_action in file_menu.actions() and window.walk_in_action.text() == "客流登记(&W)…"
    assert window.open_walk_in() is dialog  # one registration at a time
    qtbot.keyClick(_focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.walk_in_dialog is None)
    assert services.leads.count(actor, ListQuery()) == 0


def test_a_walk_in_typed_by_keyboard_alone_is_saved_by_enter_and_shown_in_the_lead_tab(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor, consultant: str) -> None:
    window.show_tab("order")
    dialog = _open_by_shortcut(qtbot, window, window.global_search)
    labels = {name: _label(dialog, f"label_{name}").text() for name in dialog.editors}
    assert labels["name"].startswith("姓名") and "*" in labels["residential_area"] and "*" not in labels["visitors_count"]
    assert labels["owner_id"] == "销售顾问" and labels["phone"].startswith("手机号")

    _keys(qtbot, "张先生")
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "+86 138 1234 5678")
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused().objectName() == "field_gender"
    _press(qtbot, Qt.Key.Key_Down)  # 男
    _press(qtbot, Qt.Key.Key_Tab)
    _press(qtbot, Qt.Key.Key_Down, 4)  # 展厅到店 -> 来电 -> 网络 -> 市场活动 -> 转介绍
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "华驰 A3")
    _press(qtbot, Qt.Key.Key_Tab)
    _press(qtbot, Qt.Key.Key_Space)  # tick: the date is set
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "20260305")
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "西湖区文三路")
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "2")
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused().objectName() == "field_owner_id"
    combo = _focused()
    assert isinstance(combo, QComboBox) and combo.currentText() == actor.display_name
    _press(qtbot, Qt.Key.Key_Down)
    assert combo.currentText() == "王磊"
    _press(qtbot, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: window.walk_in_dialog is None)
    assert dialog.record is not None
    lead = services.leads.get(actor, dialog.record.id)
    assert {key: lead[key] for key in (*KNOWN_LEAD, "source", "status", "intended_product", "visitors_count",
                                       "owner_id")} == {
        **KNOWN_LEAD, "source": "referral", "status": "new", "intended_product": "华驰 A3", "visitors_count": 2,
        "owner_id": consultant}
    assert window.current_key() == "lead"
    qtbot.waitUntil(lambda: _lead_names(window) == ["张先生"])
    assert window.tabs["lead"].selected_ids() == [dialog.record.id]


def test_missing_showroom_fields_are_marked_nothing_is_saved_and_what_was_typed_stays(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor) -> None:
    dialog = _open_by_shortcut(qtbot, window, window.tabs["lead"].view)
    _keys(qtbot, "李")
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "1381234abcd")
    _press(qtbot, Qt.Key.Key_Tab, 3)  # gender, source, intended product
    _keys(qtbot, "A6")
    _press(qtbot, Qt.Key.Key_Return)

    assert dialog.isVisible() and services.leads.count(actor, ListQuery()) == 0
    assert dialog.banner.isVisible() and dialog.banner.text() == "请更正标红的字段。"
    shown = {name for name in dialog.editors if _error(dialog, name).isVisible()}
    assert shown == {"phone", "gender", "intended_purchase_date", "residential_area"}
    assert _error(dialog, "phone").text() == "电话号码不能包含字母。"
    assert _error(dialog, "residential_area").text() == "此项必填。"
    assert _line(dialog, "phone").property("invalid") is True
    assert _line(dialog, "name").text() == "李" and _line(dialog, "intended_product").text() == "A6"
    qtbot.waitUntil(lambda: _line(dialog, "phone").hasFocus())

    # Fixed, it saves; the marks go.
    _line(dialog, "phone").selectAll()
    _keys(qtbot, "13900001111")
    dialog.editors["gender"].set_value("F")
    dialog.editors["intended_purchase_date"].set_value(date(2026, 4, 1))
    type_text(qtbot, _line(dialog, "residential_area"), "滨江区")
    qtbot.keyClick(_line(dialog, "residential_area"), Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: window.walk_in_dialog is None)
    assert services.leads.count(actor, ListQuery()) == 1


def test_a_known_mobile_shows_the_lead_with_owner_and_last_follow_up_as_it_is_typed(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor, consultant: str) -> None:
    lead = register_walk_in(services, actor, {**KNOWN_LEAD, "owner_id": consultant})
    visit = log_revisit(services, actor, "lead", lead.id, "看了 S5")
    dialog = _open_by_shortcut(qtbot, window, window.tabs["lead"].search_box)
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "138 1234")
    _wait_for_known(qtbot, dialog, 1)  # seven digits: numbers starting with them
    _keys(qtbot, " 5679")
    _wait_for_known(qtbot, dialog, 0)  # a whole number no one has
    qtbot.keyClick(_focused(), Qt.Key.Key_Backspace)
    _keys(qtbot, "8")
    _wait_for_known(qtbot, dialog, 1)
    text = _label(dialog, "knownText_0").text()
    assert text == (f"线索 · 张先生 · 13812345678 · 已联系\n"
                    f"负责人：王磊 · 最近跟进：{format_datetime(visit['done_at'])}")
    assert dialog.revisit_buttons[0].objectName() == "revisitButton_0"
    assert dialog.revisit_buttons[0].text() == "登记回访"


def test_log_revisit_records_the_visit_and_makes_no_new_lead(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor, consultant: str) -> None:
    lead = register_walk_in(services, actor, {**KNOWN_LEAD, "owner_id": consultant})
    window.show_tab("lead")
    dialog = _open_by_shortcut(qtbot, window, window.tabs["lead"].search_box)
    _press(qtbot, Qt.Key.Key_Tab)
    _keys(qtbot, "13812345678")
    _wait_for_known(qtbot, dialog, 1)
    _press(qtbot, Qt.Key.Key_Tab)
    assert _focused() is dialog.revisit_buttons[0]  # Tab from the mobile reaches the offer first
    # A bad visitors count is marked on its field like any other error; nothing is logged.
    _line(dialog, "visitors_count").setText("0")
    qtbot.keyClick(_focused(), Qt.Key.Key_Space)
    assert dialog.isVisible() and _error(dialog, "visitors_count").text() == "不能小于 1。"
    _line(dialog, "visitors_count").setText("3")
    type_text(qtbot, _line(dialog, "intended_product"), "华驰 S5")
    dialog.revisit_buttons[0].setFocus()
    qtbot.keyClick(dialog.revisit_buttons[0], Qt.Key.Key_Space)

    qtbot.waitUntil(lambda: window.walk_in_dialog is None)
    assert dialog.record is None and dialog.revisited is not None and dialog.revisited.id == lead.id
    assert services.leads.count(actor, ListQuery()) == 1
    with read_session(services.db) as session:
        visits = session.scalars(select(Activity)).all()
        assert [(a.kind, a.status, a.subject, a.lead_id, a.owner_id, a.outcome) for a in visits] == [
            ("visit", "done", "到店回访", lead.id, actor.user_id, "意向产品：华驰 S5\n到店人数：3")]
    leads = window.tabs["lead"].model
    qtbot.waitUntil(lambda: leads.index(0, leads.column_keys.index("status")).data() == "已联系")


def test_the_same_name_is_offered_and_a_customer_revisit_updates_its_last_follow_up(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333"})
    dialog = WalkInDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, _line(dialog, "name"), "陈静")
    _wait_for_known(qtbot, dialog, 1)
    assert _label(dialog, "knownText_0").text() == (
        "客户 · 陈静 · 13600003333 · 活跃 · 同名\n负责人：公海 · 尚未跟进")  # no owner: in the public pool
    qtbot.mouseClick(dialog.revisit_buttons[0], Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.revisit is not None
    assert services.customers.get(actor, customer.id)["last_followup_at"] == dialog.revisit["done_at"]


def test_the_source_list_is_the_teams_configured_one(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    save_setting(services.db, actor, WALK_IN_SOURCES_SETTING, ["referral", "walk_in"])
    dialog = WalkInDialog(services, actor)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "field_source")
    assert combo is not None
    assert [combo.itemData(i) for i in range(combo.count())] == ["referral", "walk_in"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["转介绍", "展厅到店"]
