"""TodayPage (今日): overdue and due today, done with one click and the result; owners; .ics; reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from crmdesk.models.base import utcnow
from crmdesk.services import followups
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.activity_dialog import ActivityDialog
from crmdesk.views.main_window import MainWindow
from crmdesk.views.today_page import OVERDUE_COLOR, FollowupReminders, TodayPage


def _plan(services: Services, actor: Actor, customer_id: str, due: datetime, subject: str,
          owner_id: str | None = None) -> str:
    return followups.log_activity(services.db, actor, {
        "kind": "call", "status": "planned", "customer_id": customer_id, "due_at": due, "subject": subject,
        "owner_id": owner_id}).id


def _end_of_today() -> datetime:
    return datetime.now().astimezone().replace(hour=23, minute=59, second=0, microsecond=0)


@pytest.fixture
def planned(services: Services, actor: Actor, consultant: str, book: dict[str, str]) -> dict[str, str]:
    now = utcnow()
    later_today = now + (_end_of_today() - now) / 2
    return {
        "late": _plan(services, actor, book["chenjing"], now - timedelta(days=3), "邀约试驾"),
        "soon": _plan(services, actor, book["qunying"], later_today, "报价跟进"),
        "theirs": _plan(services, actor, book["chenjing"], now - timedelta(days=1), "王磊的回访", consultant),
    }


def _page(qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> TodayPage:
    page = TodayPage(services, actor, settings)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_overdue_in_red_with_days_and_due_today(app: QApplication, qtbot: QtBot, qtmodeltester: object,
                                                services: Services, actor: Actor, settings: Settings,
                                                planned: dict[str, str]) -> None:
    page = _page(qtbot, services, actor, settings)
    assert [item.id for item in page.overdue_model.items] == [planned["late"]]
    assert [item.id for item in page.today_model.items] == [planned["soon"]]
    assert page.status_text() == "逾期 1，今日 1"
    assert page.overdue_title.text() == "逾期（1）" and page.today_title.text() == "今日到期（1）"
    model = page.overdue_model
    due = model.index(0, model.COLUMNS.index("due"))
    assert model.data(due).startswith("逾期 3 天") and model.data(due, Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    assert model.data(model.index(0, model.COLUMNS.index("name"))) == "陈静"
    assert model.data(model.index(0, model.COLUMNS.index("phone"))) == "13600003333"
    assert model.data(model.index(0, model.COLUMNS.index("kind"))) == "电话"
    assert page.today_model.data(page.today_model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert page.overdue_view.isColumnHidden(model.COLUMNS.index("owner"))  # my own list: no owner column


def test_done_with_one_click_and_the_result(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            settings: Settings, planned: dict[str, str]) -> None:
    page = _page(qtbot, services, actor, settings)
    qtbot.mouseClick(page.done_buttons[planned["late"]], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, ActivityDialog) and dialog.isVisible() and dialog.planned is not None
    assert dialog.planned.id == planned["late"]
    dialog.outcome.setPlainText("客户周六来店试驾")
    with qtbot.waitSignal(page.records_changed, timeout=2_000):
        dialog.save_button.click()
    assert followups.get_activity(services.db, actor, planned["late"])["status"] == "done"
    assert page.overdue_model.items == [] and page.status_text() == "逾期 0，今日 1"


def test_a_manager_chooses_whose_follow_ups(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            settings: Settings, consultant: str, planned: dict[str, str]) -> None:
    page = _page(qtbot, services, actor, settings)  # the local user is an admin
    combo = page.owner_combo
    assert combo.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())] == ["我的", "王磊", "全部"]
    page.set_owner(consultant)
    assert [item.id for item in page.overdue_model.items] == [planned["theirs"]]
    assert not page.overdue_view.isColumnHidden(page.overdue_model.COLUMNS.index("owner"))
    page.set_owner(followups.ALL_OWNERS)
    assert {item.id for item in page.overdue_model.items} == {planned["late"], planned["theirs"]}
    rep = Actor(user_id=consultant, display_name="王磊", role="consultant")
    rep_page = _page(qtbot, services, rep, settings)
    assert not rep_page.owner_combo.isVisible() and rep_page.owner_combo.count() == 1
    assert [item.id for item in rep_page.overdue_model.items] == [planned["theirs"]]


def test_export_calendar_writes_an_ics_file(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            settings: Settings, planned: dict[str, str], tmp_path: Path) -> None:
    page = _page(qtbot, services, actor, settings)
    path = tmp_path / "today.ics"
    assert page.export_calendar(str(path)) == 3  # with the book's deal's first revisit, due in 5 days
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert {str(event["UID"]) for event in events} >= {planned["late"], planned["soon"]}
    assert any(str(event["SUMMARY"]).startswith("首次回访") for event in events)
    assert page.message.text() == f"已将 3 条跟进写入 {path}"


def test_reminder_timer_announces_what_falls_due(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                                 book: dict[str, str]) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    clock = [utcnow()]
    reminders = FollowupReminders(services, actor, window, interval_ms=20, clock=lambda: clock[0])
    assert reminders.tray is None  # offscreen: no system tray, so the status bar carries the reminder
    due = _plan(services, actor, book["chenjing"], clock[0] + timedelta(minutes=1), "邀约试驾")
    clock[0] += timedelta(seconds=30)
    with qtbot.assertNotEmitted(reminders.reminded, wait=100):
        pass  # not due yet: the timer looks and says nothing
    with qtbot.waitSignal(reminders.reminded, timeout=2_000) as blocker:
        clock[0] += timedelta(minutes=1)
    assert [item.id for item in blocker.args[0]] == [due]
    assert window.statusBar().currentMessage() == "跟进到期：邀约试驾 — 陈静 · 13600003333"
    with qtbot.assertNotEmitted(reminders.reminded, wait=100):
        pass  # announced once, not every minute after


def test_the_main_window_has_today_first_with_ctrl_l_and_reminders(app: QApplication, qtbot: QtBot,
                                                                   services: Services, actor: Actor,
                                                                   settings: Settings, planned: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.tab_widget.tabText(0) == "今日"
    qtbot.waitUntil(lambda: isinstance(getattr(window, "reminders", None), FollowupReminders))
    page = window.show_tab("today")
    assert isinstance(page, TodayPage) and window.count_label.text() == "逾期 1，今日 1"
    window.activateWindow()
    page.overdue_view.setFocus()
    qtbot.waitUntil(page.overdue_view.hasFocus)
    page.overdue_view.selectRow(0)
    qtbot.keyClick(page.overdue_view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, ActivityDialog) and dialog.planned is None
    assert dialog.customer_id == page.overdue_model.items[0].customer_id  # the selected row's customer
    dialog.reject()


def test_the_status_bar_follows_the_page_when_the_owner_changes(app: QApplication, qtbot: QtBot,
                                                                services: Services, actor: Actor,
                                                                settings: Settings, planned: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    page = window.show_tab("today")
    assert window.count_label.text() == "逾期 1，今日 1"
    page.set_owner("all")  # the consultant's overdue call joins the list
    qtbot.waitUntil(lambda: window.count_label.text() == "逾期 2，今日 1")


def test_opening_the_tab_reads_the_day_once(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            settings: Settings, planned: dict[str, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from crmdesk.views import today_page

    reads: list[object] = []
    real = today_page.today_list
    monkeypatch.setattr(today_page, "today_list", lambda *args, **kwargs: reads.append(args) or real(*args, **kwargs))
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("today")
    assert len(reads) == 1
    window.show_tab("lead")
    window.tab_widget.setCurrentIndex(0)  # a click on 今日 again reads again
    assert len(reads) == 2
