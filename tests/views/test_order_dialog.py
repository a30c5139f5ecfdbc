"""The order dialog: the lines of an order made from a contract, VINs typed in place (I/O/Q and wrong lengths
refused with the message and kept as typed; a failed check digit warned about but stored; a VIN already on
another order refused), and the status steps: confirm, deliver on a day, close, cancel with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from crmdesk.services import contracts, quotes
from crmdesk.services.catalog import ProductService
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.contract_dialogs import DateDialog, ReasonDialog
from crmdesk.views.order_dialog import OrderDialog, OrderLinesModel
from crmdesk.views.payment_dialogs import PaymentPlanDialog

US_VIN = "1HGCM82633A004352"  # its check digit is right
CN_VIN = "LSVAU2180N2183294"  # its check digit is not: a warning only
VIN = OrderLinesModel.COLUMNS.index("vin")


@pytest.fixture
def order_id(services: Services, actor: Actor) -> str:
    """A draft order from a signed contract of a quote for two cars and a floor mat set."""
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333"}).id
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "negotiation")
    deal = services.opportunities.create(actor, {"name": "华驰 S5 两台", "customer_id": customer, "stage_id": stage,
                                                 "amount": Decimal("379600")}).id
    products = ProductService(services.db)
    car = products.create(actor, {"code": "HC-S5", "name_zh": "华驰 S5 豪华版", "list_price": "189800",
                                  "is_vehicle": True, "model": "S5"}).id
    mats = products.create(actor, {"code": "MAT", "name_zh": "全包围脚垫", "list_price": "800", "unit": "套"}).id
    quote = quotes.create_quote(services.db, actor, {"opportunity_id": deal},
                                [{"product_id": car, "quantity": "2"}, {"product_id": mats}])
    quotes.submit_quote(services.db, actor, quote.id)
    quotes.send_quote(services.db, actor, quote.id)
    quotes.accept_quote(services.db, actor, quote.id)
    contract = contracts.create_contract_from_quote(services.db, actor, quote.id)
    contracts.sign_contract(services.db, actor, contract.id)
    return services.orders.create_from_contract(actor, contract.id).order.id


def _dialog(qtbot: QtBot, services: Services, actor: Actor, order_id: str) -> OrderDialog:
    dialog = OrderDialog(services, actor, order_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _vin_cell(dialog: OrderDialog, row: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return dialog.lines_model.data(dialog.lines_model.index(row, VIN), role)


def test_vins_are_typed_in_place_refused_warned_and_stored(app_en: QApplication, qtbot: QtBot, qtmodeltester: object,
                                                           services: Services, actor: Actor, order_id: str) -> None:
    dialog = _dialog(qtbot, services, actor, order_id)
    model = dialog.lines_model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 3  # two cars of one each, and the mats
    texts = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(3)]
    assert texts[0][1:6] == ["华驰 S5 豪华版", "1", "台", "¥189,800.00", "¥189,800.00"]
    assert texts[2][1:3] == ["全包围脚垫", "1"]
    assert model.flags(model.index(0, VIN)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(2, VIN)) & Qt.ItemFlag.ItemIsEditable  # mats take no VIN
    assert not model.setData(model.index(2, VIN), US_VIN)
    assert dialog.vin_hint.isVisibleTo(dialog)

    # Typed through the table's own editor: open the cell, type, Enter.
    dialog.lines_view.setCurrentIndex(model.index(0, VIN))
    dialog.lines_view.edit(model.index(0, VIN))
    editor = dialog.lines_view.viewport().findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClicks(editor, "LSVAU2180N2O83294")  # an O for a 0
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: bool(dialog.message_label.text()))
    assert _vin_cell(dialog, 0) == "LSVAU2180N2O83294"  # kept as typed
    assert "I, O or Q" in str(_vin_cell(dialog, 0, Qt.ItemDataRole.ToolTipRole))
    assert _vin_cell(dialog, 0, Qt.ItemDataRole.BackgroundRole) is not None
    assert "Line 1" in dialog.message_label.text() and "I, O or Q" in dialog.message_label.text()
    assert services.orders.lines(actor, order_id)[0]["vin"] is None  # nothing stored

    with qtbot.waitSignal(dialog.changed):
        assert model.setData(model.index(0, VIN), CN_VIN.lower())
    assert _vin_cell(dialog, 0) == CN_VIN  # stored, upper case
    assert "check digit" in str(_vin_cell(dialog, 0, Qt.ItemDataRole.ToolTipRole))
    assert "check digit" in dialog.message_label.text() and dialog.message_label.isVisibleTo(dialog)
    assert services.orders.lines(actor, order_id)[0]["vin"] == CN_VIN

    assert model.setData(model.index(1, VIN), CN_VIN)  # already on line 1
    assert "already on order" in str(_vin_cell(dialog, 1, Qt.ItemDataRole.ToolTipRole))
    assert "Line 1" in dialog.message_label.text() and "Line 2: VIN" in dialog.message_label.text()  # both shown
    assert model.setData(model.index(1, VIN), "1HGCM826")
    assert "17 characters" in str(_vin_cell(dialog, 1, Qt.ItemDataRole.ToolTipRole))
    assert model.setData(model.index(1, VIN), US_VIN)
    assert _vin_cell(dialog, 1) == US_VIN and _vin_cell(dialog, 1, Qt.ItemDataRole.BackgroundRole) is None
    assert "Line 1" in dialog.message_label.text() and "Line 2" not in dialog.message_label.text()  # 1's warning
    assert [line["vin"] for line in services.orders.lines(actor, order_id)] == [CN_VIN, US_VIN, None]
    assert model.setData(model.index(1, VIN), "")  # cleared
    assert services.orders.lines(actor, order_id)[1]["vin"] is None


def test_confirm_deliver_and_close(app_en: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                   order_id: str) -> None:
    dialog = _dialog(qtbot, services, actor, order_id)
    assert dialog.status_label.text() == "Draft" and dialog.total_label.text() == "¥380,400.00"
    assert dialog.source_label.text() == "Made from a contract"
    assert dialog.confirm_button.isEnabled() and not dialog.close_order_button.isEnabled()
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert services.orders.get(actor, order_id)["status"] == "confirmed"
    assert dialog.status_label.text() == "Confirmed" and not dialog.confirm_button.isEnabled()

    deliver = dialog.deliver()
    assert isinstance(deliver, DateDialog)
    order_date = services.orders.get(actor, order_id)["order_date"]
    deliver.date_edit.setDate(deliver.date_edit.date().addDays(-(date.today() - order_date).days - 3))
    qtbot.mouseClick(deliver.ok_button, Qt.MouseButton.LeftButton)  # before the order date: refused
    assert deliver.isVisible() and deliver.error.isVisibleTo(deliver) and "before" in deliver.error.text()
    assert services.orders.get(actor, order_id)["status"] == "confirmed"
    deliver.date_edit.setDate(deliver.date_edit.date().addDays(3))
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(deliver.ok_button, Qt.MouseButton.LeftButton)
    order = services.orders.get(actor, order_id)
    assert (order["status"], order["delivery_date"]) == ("delivered", order_date)
    assert services.customers.get(actor, order["customer_id"])["intent_grade"] == "O"  # a purchasing customer
    assert dialog.close_order_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert "delivery " + order_date.isoformat() in dialog.dates_label.text()
    assert dialog.close_order() is not None
    assert services.orders.get(actor, order_id)["status"] == "closed"
    assert not dialog.lines_model.editable and not dialog.deliver_button.isEnabled()


def test_cancel_needs_a_reason_and_the_payment_plan_opens(app_en: QApplication, qtbot: QtBot, services: Services,
                                                          actor: Actor, order_id: str) -> None:
    dialog = _dialog(qtbot, services, actor, order_id)
    plan = dialog.payment_plan()
    assert isinstance(plan, PaymentPlanDialog) and plan.order_id == order_id
    assert plan.total == Decimal("380400.00")
    plan.close()
    cancel = dialog.cancel_order()
    assert isinstance(cancel, ReasonDialog)
    cancel.submit()
    assert cancel.isVisible() and "reason" in cancel.error.text()
    cancel.text_box.setPlainText("客户资金未到位" * 30)  # longer than the 200 an order keeps
    cancel.submit()
    assert cancel.isVisible() and "200" in cancel.error.text()
    cancel.text_box.setPlainText("客户资金未到位")
    with qtbot.waitSignal(dialog.changed):
        cancel.submit()
    order = services.orders.get(actor, order_id)
    assert (order["status"], order["cancel_reason"]) == ("cancelled", "客户资金未到位")
    assert dialog.status_label.text() == "Cancelled: 客户资金未到位"
    assert not dialog.plan_button.isEnabled() and not dialog.lines_model.editable
