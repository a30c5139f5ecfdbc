"""The customer 360° view: header, contacts, deals, a timeline read page by page, the actions, masking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from crmdesk.models import Activity
from crmdesk.models.base import utcnow
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.settings import Settings
from crmdesk.views.customer_360 import Customer360Dialog, TimelineModel
from crmdesk.views.record_form import RecordDialog
from crmdesk.views.record_tab import RecordTab


def _activities(services: Services, actor: Actor, customer_id: str, count: int) -> None:
    with unit_of_work(services.db, actor) as session:
        for number in range(count):
            at = utcnow() - timedelta(days=number + 1)
            session.add(Activity(kind="call", status="done", subject=f"回访 {number}", outcome="客户考虑中",
                                 done_at=at, customer_id=customer_id))


def _dialog(qtbot: QtBot, services: Services, actor: Actor, customer_id: str) -> Customer360Dialog:
    dialog = Customer360Dialog(services, actor, None, customer_id=customer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_header_and_lists_show_the_customer(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                                book: dict[str, str]) -> None:
    dialog = _dialog(qtbot, services, actor, book["qunying"])
    assert dialog.windowTitle() == "客户全景：苏州群英电子有限公司"
    assert dialog.name_label.text() == "苏州群英电子有限公司" and dialog.tier_badge.text() == "A"
    assert dialog.kind_label.text() == "企业" and dialog.tier_combo.currentData() == "A"
    assert dialog.phone_label.text() == "0512-6234-5678" and not dialog.reveal_button.isVisible()  # admin
    assert dialog.deals_list.count() == 1 and "华驰 S5 十台" in dialog.deals_list.item(0).text()
    assert "¥1,234,567.50" in dialog.deals_box.title()
    kinds = {dialog.timeline.index(row, 1).data() for row in range(dialog.timeline.rowCount())}
    assert {"商机", "阶段", "订单"} <= kinds


def test_the_timeline_reads_the_next_page_at_the_end(app: QApplication, qtbot: QtBot, services: Services,
                                                     actor: Actor, book: dict[str, str], qtmodeltester: object) -> None:
    _activities(services, actor, book["chenjing"], 120)
    qtmodeltester.check(TimelineModel(services, actor, book["chenjing"], page_size=50))  # type: ignore[attr-defined]
    model = TimelineModel(services, actor, book["chenjing"], page_size=50)
    assert model.canFetchMore() and model.rowCount() == 0
    model.fetchMore()
    assert model.rowCount() == 50 and model.canFetchMore()
    dialog = _dialog(qtbot, services, actor, book["chenjing"])
    view = dialog.timeline_view
    first = dialog.timeline.rowCount()
    assert first in (50, 100) and dialog.timeline.canFetchMore()  # a page or two: what fills the view
    view.scrollToBottom()  # the view asks for more when it reaches the end
    qtbot.waitUntil(lambda: dialog.timeline.rowCount() > first, timeout=5000)
    while dialog.timeline.canFetchMore():
        dialog.timeline.fetchMore()
    titles = [dialog.timeline.index(row, 2).data() for row in range(dialog.timeline.rowCount())]
    assert len([title for title in titles if title.startswith("电话：回访")]) == 120
    assert titles.index("电话：回访 0") < titles.index("电话：回访 119")  # newest first


def test_changing_the_grade_in_place_saves_it(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                              book: dict[str, str]) -> None:
    dialog = _dialog(qtbot, services, actor, book["chenjing"])
    changed: list[str] = []
    dialog.records_changed.connect(changed.append)
    combo = dialog.grade_combo
    combo.setCurrentIndex(combo.findData("B"))
    combo.activated.emit(combo.currentIndex())
    assert services.customers.get(actor, book["chenjing"])["intent_grade"] == "B" and changed == ["customer"]
    dialog.tier_combo.setCurrentIndex(dialog.tier_combo.findData("C"))
    dialog.tier_combo.activated.emit(dialog.tier_combo.currentIndex())
    assert services.customers.get(actor, book["chenjing"])["tier"] == "C" and dialog.tier_badge.text() == "C"


def test_edit_profile_opens_the_form_and_refreshes(app: QApplication, qtbot: QtBot, services: Services,
                                                   actor: Actor, book: dict[str, str]) -> None:
    dialog = _dialog(qtbot, services, actor, book["chenjing"])
    form = dialog.edit_profile()
    assert isinstance(form, RecordDialog) and form.record_id == book["chenjing"]
    form.editors["name"].set_value("陈静怡")
    form.save()
    qtbot.waitUntil(lambda: dialog.name_label.text() == "陈静怡", timeout=3000)


def test_follow_up_and_test_drive_buttons_open_their_dialogs(app: QApplication, qtbot: QtBot, services: Services,
                                                             actor: Actor, book: dict[str, str]) -> None:
    pytest.importorskip("crmdesk.views.activity_dialog")
    pytest.importorskip("crmdesk.views.test_drive_dialog")
    dialog = _dialog(qtbot, services, actor, book["chenjing"])
    activity = dialog.log_followup()
    assert isinstance(activity, QDialog) and activity.objectName() == "activityDialog"
    activity.reject()
    drive = dialog.book_test_drive()
    assert isinstance(drive, QDialog) and drive.objectName() == "testDriveDialog"
    drive.reject()


def test_a_consultant_sees_the_phone_masked_until_revealed(app: QApplication, qtbot: QtBot, services: Services,
                                                           consultant: str, book: dict[str, str]) -> None:
    rep = Actor(user_id=consultant, display_name="王磊", role="consultant")
    dialog = _dialog(qtbot, services, rep, book["chenjing"])
    assert dialog.phone_label.text() == "136****3333" and dialog.reveal_button.isVisible()
    dialog.reveal_button.click()
    assert dialog.phone_label.text() == "13600003333" and not dialog.reveal_button.isVisible()


def test_the_customer_list_opens_the_360_view_and_keeps_the_form(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        book: dict[str, str]) -> None:
    tab = RecordTab(services, actor, "customer", settings)
    qtbot.addWidget(tab)
    tab.activate()
    opened = tab.open_record(book["chenjing"])
    assert isinstance(opened, Customer360Dialog) and tab.dialog is opened
    opened.reject()
    form = tab.edit_record(book["chenjing"])
    assert isinstance(form, RecordDialog)
    form.reject()
