"""ActivityDialog: a follow-up logged in a few keystrokes, a planned one completed, rejected input kept."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from crmdesk.models.base import utcnow
from crmdesk.services import followups
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.activity_dialog import ActivityDialog
from crmdesk.views.main_window import MainWindow


def _dialog(qtbot: QtBot, dialog: ActivityDialog) -> ActivityDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # shortcuts (Alt+letter) reach the active window only
    return dialog


def test_a_call_logged_with_the_keyboard(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                         book: dict[str, str]) -> None:
    dialog = _dialog(qtbot, ActivityDialog(services, actor, None, customer_id=book["chenjing"]))
    assert "陈静" in dialog.target_label.text() and dialog.windowTitle() == "记录跟进"
    assert dialog.kind.currentData() == "call" and dialog.subject.text() == followups.default_subject("call")
    qtbot.keyClick(dialog.kind, "W")  # the kind's letter on the kind box
    assert dialog.kind.currentData() == "wechat" and dialog.subject.text() == followups.default_subject("wechat")
    qtbot.keyClick(dialog, "v", Qt.KeyboardModifier.AltModifier)  # Alt+letter from anywhere
    assert dialog.kind.currentData() == "visit"
    dialog.subject.setText("到店看车")
    qtbot.keyClick(dialog, "c", Qt.KeyboardModifier.AltModifier)
    assert dialog.kind.currentData() == "call" and dialog.subject.text() == "到店看车"  # typed subject kept
    dialog.outcome.setFocus()
    dialog.outcome.insertPlainText("想周末试驾")  # QTest types ASCII only; an input method types Chinese
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # a new line
    dialog.outcome.insertPlainText("带家人")
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.record is not None
    assert dialog.record["outcome"] == "想周末试驾\n带家人" and dialog.record["status"] == "done"
    assert services.customers.get(actor, book["chenjing"])["last_followup_at"] == dialog.record["done_at"]


def test_a_rejected_form_keeps_what_was_typed(app: QApplication, qtbot: QtBot, services: Services,
                                             actor: Actor, book: dict[str, str]) -> None:
    dialog = _dialog(qtbot, ActivityDialog(services, actor, None))  # no target: a customer is picked
    assert dialog.customer_picker is not None
    dialog.outcome.setPlainText("客户在比价")
    dialog.next_step.setText("再报一次价")
    dialog.next_check.setChecked(True)
    dialog.set_next_due_at(utcnow() - timedelta(days=1))
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.record is None
    assert dialog.marks.labels["customer_id"].isVisible() and dialog.marks.labels["next_due_at"].isVisible()
    assert dialog.customer_picker.property("invalid") is True
    assert dialog.banner.text() == "请更正标红的字段。"
    assert (dialog.outcome.toPlainText(), dialog.next_step.text()) == ("客户在比价", "再报一次价")
    dialog.customer_picker.set_customer(book["chenjing"])
    dialog.set_next_due_at(utcnow() + timedelta(days=2))
    dialog.save_button.click()
    assert dialog.record is not None and dialog.record["customer_id"] == book["chenjing"]
    assert not dialog.marks.labels["customer_id"].isVisible()


def test_plan_only_plans_a_follow_up(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                     book: dict[str, str]) -> None:
    dialog = _dialog(qtbot, ActivityDialog(services, actor, None, lead_id=book["zhangwei"]))
    assert dialog.plan_only is not None
    dialog.plan_only.setChecked(True)
    assert dialog.next_check.isChecked() and not dialog.outcome.isEnabled()
    dialog.save_button.click()
    assert dialog.record is not None and dialog.record["status"] == "planned"
    assert dialog.record["lead_id"] == book["zhangwei"] and dialog.record["due_at"] > utcnow()


def test_completing_a_planned_follow_up_asks_for_the_result(app: QApplication, qtbot: QtBot, services: Services,
                                                           actor: Actor, book: dict[str, str]) -> None:
    services.customers.update(actor, book["chenjing"], {"owner_id": actor.user_id})  # grade H: a call in 2 days
    (planned,) = followups.today_list(services.db, actor, now=utcnow() + timedelta(days=3)).overdue
    dialog = _dialog(qtbot, ActivityDialog(services, actor, None, activity_id=planned.id))
    assert dialog.windowTitle() == "完成跟进" and not dialog.kind.isVisible()
    assert planned.subject in dialog.planned_label.text()
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.marks.labels["outcome"].isVisible()  # the result is required
    dialog.outcome.setPlainText("客户下周二来店")
    dialog.next_step.setText("准备试驾车")
    dialog.set_next_due_at(utcnow() + timedelta(days=1))
    dialog.save_button.click()
    assert dialog.record is not None and dialog.record["status"] == "done"
    assert followups.get_activity(services.db, actor, planned.id)["outcome"] == "客户下周二来店"
    planned_now = followups.today_list(services.db, actor, now=utcnow() + timedelta(days=1, hours=1)).overdue
    assert [item.subject for item in planned_now if item.customer_id == book["chenjing"]] == ["准备试驾车"]


def test_ctrl_l_on_a_list_opens_the_dialog_for_the_current_row(app: QApplication, qtbot: QtBot, services: Services,
                                                             actor: Actor, settings: Settings,
                                                             book: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    tab = window.show_tab("customer")
    tab.show_record(book["chenjing"])
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    menu = tab.row_actions_menu()
    assert menu is not None
    action = menu.findChild(type(window.new_action), "logActivityAction")
    assert action is not None and action.text() == "记录跟进…" and action.shortcut().toString() == "Ctrl+L"
    menu.close()
    qtbot.keyClick(tab.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.activity_dialog
    assert isinstance(dialog, ActivityDialog) and dialog.isVisible() and dialog.customer_id == book["chenjing"]
    dialog.outcome.setPlainText("电话沟通")
    with qtbot.waitSignal(tab.records_changed, timeout=2_000):
        dialog.save_button.click()
