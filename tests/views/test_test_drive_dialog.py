"""The test-drive dialog through a drive's life (book, check out, return), the ID checked as typed, and
today's test drives; screenshots of each status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from crmdesk.models import Product
from crmdesk.services.demo import resident_id_number
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.test_drives import book_test_drive, check_out, list_test_drives
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.settings import Settings
from crmdesk.views.main_window import MainWindow
from crmdesk.views.test_drive_dialog import TestDriveDialog, TodayTestDrivesDialog

SHOTS = Path("/tmp/shots/drives")
VALID_ID = resident_id_number("330106", date(1988, 5, 17), 123, male=True)


def _shot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


@pytest.fixture
def drive_book(services: Services, actor: Actor) -> dict[str, str]:
    with unit_of_work(services.db, actor) as session:
        car = Product(code="HC-S5-LUX-WHT", name_zh="华驰 S5 豪华版 珍珠白", is_vehicle=True, model="华驰 S5",
                      trim="豪华版", colour="珍珠白", list_price=Decimal("189800"))
        session.add(car)
        session.flush()
        car_id = car.id
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "id_number": VALID_ID,
                                                 "city": "宁波市", "owner_id": actor.user_id}).id
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "test_drive")
    deal = services.opportunities.create(actor, {"name": "华驰 S5 豪华版", "customer_id": customer,
                                                 "stage_id": stage, "amount": Decimal("189800")}).id
    return {"car": car_id, "customer": customer, "deal": deal}


def test_book_check_out_and_return_in_one_dialog(app: QApplication, qtbot: QtBot, services: Services,
                                                 actor: Actor, drive_book: dict[str, str]) -> None:
    dialog = TestDriveDialog(services, actor, None, customer_id=drive_book["customer"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "试乘试驾：陈静"
    assert dialog.driver_name.text() == "陈静" and dialog.driver_id_number.text() == VALID_ID
    assert dialog.opportunity.currentData() == drive_book["deal"]  # the one open deal
    assert not dialog.start_odometer.isEnabled() and not dialog.end_odometer.isEnabled()
    dialog.vehicle.setCurrentIndex(dialog.vehicle.findData(drive_book["car"]))
    qtbot.keyClicks(dialog.vehicle_plate, "ZA12345")
    qtbot.keyClicks(dialog.licence_number, VALID_ID)
    _shot(dialog, "test_drive_new.png")
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    assert dialog.status == "booked" and dialog.status_label.text() == "已预约"
    assert dialog.start_odometer.isEnabled() and dialog.check_out_button.isVisible()
    assert not dialog.book_button.isVisible()
    _shot(dialog, "test_drive_booked.png")

    qtbot.keyClicks(dialog.start_odometer, "12034")
    qtbot.mouseClick(dialog.check_out_button, Qt.MouseButton.LeftButton)
    assert dialog.status == "out" and dialog.status_label.text() == "试驾中"
    assert not dialog.driver_name.isEnabled() and dialog.end_odometer.isEnabled()
    qtbot.keyClicks(dialog.end_odometer, "12038")
    assert "过短" in dialog.distance_label.text() or "5" in dialog.distance_label.text()
    dialog.end_odometer.clear()
    qtbot.keyClicks(dialog.end_odometer, "12051")
    assert "17" in dialog.distance_label.text()
    _shot(dialog, "test_drive_out.png")
    qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    assert dialog.status == "returned" and dialog.record is not None and dialog.record["counts_as_done"]
    assert not dialog.end_odometer.isEnabled() and not dialog.return_button.isVisible()
    _shot(dialog, "test_drive_returned.png")
    saved = list_test_drives(services.db, actor, customer_id=drive_book["customer"])
    assert [(d["status"], d["distance_km"], d["vehicle_plate"]) for d in saved] == [("returned", 17, "ZA12345")]


def test_id_number_is_marked_as_typed_and_a_refusal_keeps_the_typing(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, drive_book: dict[str, str]) -> None:
    dialog = TestDriveDialog(services, actor, None, customer_id=drive_book["customer"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.driver_id_number.clear()
    wrong = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    qtbot.keyClicks(dialog.driver_id_number, wrong[:17])
    error = dialog.marks.labels["driver_id_number"]
    assert not error.isVisible()
    qtbot.keyClicks(dialog.driver_id_number, wrong[17])
    assert error.isVisible() and "身份证号无效" in error.text()
    assert dialog.driver_id_number.property("invalid") is True
    dialog.driver_id_number.setText(VALID_ID)
    assert not error.isVisible()
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)  # no vehicle chosen
    assert dialog.status == "new"
    assert dialog.marks.labels["product_id"].isVisible()
    assert dialog.driver_id_number.text() == VALID_ID
    _shot(dialog, "test_drive_refused.png")


def test_check_out_refused_without_licence_marks_the_field(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, drive_book: dict[str, str]) -> None:
    drive = book_test_drive(services.db, actor, {"customer_id": drive_book["customer"],
                                                 "product_id": drive_book["car"], "vehicle_plate": "浙B99999"})
    dialog = TestDriveDialog(services, actor, None, customer_id=drive_book["customer"], test_drive_id=drive.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.start_odometer, "500")
    qtbot.mouseClick(dialog.check_out_button, Qt.MouseButton.LeftButton)
    assert dialog.status == "booked" and dialog.marks.labels["licence_number"].isVisible()
    assert dialog.marks.labels["licence_number"].text() == "出车前必须填写。"
    qtbot.keyClicks(dialog.licence_number, VALID_ID)
    qtbot.mouseClick(dialog.check_out_button, Qt.MouseButton.LeftButton)
    assert dialog.status == "out"


def test_cancel_asks_for_a_reason(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                  drive_book: dict[str, str]) -> None:
    drive = book_test_drive(services.db, actor, {"customer_id": drive_book["customer"],
                                                 "product_id": drive_book["car"]})
    dialog = TestDriveDialog(services, actor, None, customer_id=drive_book["customer"], test_drive_id=drive.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.cancel_drive_button, Qt.MouseButton.LeftButton)
    assert dialog.reason_dialog is not None
    dialog.reason_dialog.setTextValue("客户临时出差")
    dialog.reason_dialog.accept()
    assert dialog.status == "cancelled" and "客户临时出差" in (dialog.record["notes"] if dialog.record else "")


def test_today_dialog_lists_booked_and_out_and_opens_the_drive(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, drive_book: dict[str, str]) -> None:
    booked = book_test_drive(services.db, actor, {"customer_id": drive_book["customer"],
                                                  "product_id": drive_book["car"], "vehicle_plate": "浙B11111"})
    out = book_test_drive(services.db, actor, {"customer_id": drive_book["customer"], "product_id": drive_book["car"],
                                               "vehicle_plate": "浙B22222", "licence_number": VALID_ID})
    check_out(services.db, actor, out.id, 800)
    dialog = TodayTestDrivesDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 2
    assert dialog.summary.text() == "已预约 1 个，试驾中 1 个"
    _shot(dialog, "today_test_drives.png")
    row_of = {drive.id: row for row, drive in enumerate(dialog.drives)}
    dialog.table.selectRow(row_of[out.id])
    assert dialog.return_button.isEnabled() and not dialog.check_out_button.isEnabled()
    opened = dialog.open_current()
    assert opened is not None and opened.status == "out"
    with qtbot.waitSignal(dialog.records_changed):
        qtbot.keyClicks(opened.end_odometer, "803")
        qtbot.mouseClick(opened.return_button, Qt.MouseButton.LeftButton)
    assert [d.id for d in dialog.drives] == [booked.id]
    opened.close()


def test_row_menu_books_a_test_drive_from_an_opportunity(app: QApplication, qtbot: QtBot, services: Services,
                                                         actor: Actor, settings: Settings,
                                                         drive_book: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    tab = window.show_tab("opportunity")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.view.selectRow(0)
    menu = tab.row_actions_menu()
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.objectName() == "bookTestDriveAction")
    assert action.text() == "预约试驾…"
    action.trigger()
    dialog = tab.findChild(TestDriveDialog)
    assert isinstance(dialog, TestDriveDialog)
    assert dialog.opportunity.currentData() == drive_book["deal"] and dialog.customer_id == drive_book["customer"]
    dialog.close()
    tools = next(a for a in window.findChildren(type(action)) if a.objectName() == "todayTestDrivesAction")
    assert tools.text() == "今日试驾(&T)…"
    tools.trigger()
    assert isinstance(window.findChild(TodayTestDrivesDialog), TodayTestDrivesDialog)
