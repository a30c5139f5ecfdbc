"""Lost requests and approvals in the window: the request dialog (reasons, detail for "other", typing
kept on error), the approvals dialog (approve, reject with a comment, managers only), the row menus."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from crmdesk.services.lost import lost_requests_for, pending_lost_requests, request_lost
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.lost_dialogs import LostApprovalsDialog, LostRequestDialog
from crmdesk.views.main_window import MainWindow

SHOTS = Path("/tmp/shots/drives")


@pytest.fixture
def rep(services: Services, consultant: str) -> Actor:
    return Actor(user_id=consultant, display_name="王磊", role="consultant")


@pytest.fixture
def deals(services: Services, actor: Actor, rep: Actor) -> dict[str, str]:
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "negotiation")
    ids: dict[str, str] = {}
    for key, name, phone, deal, amount in (("chen", "陈静", "13600003333", "华驰 S5 豪华版", "189800"),
                                           ("li", "李娜", "13900001111", "华驰 A3 舒适版", "129800")):
        ids[key] = services.customers.create(rep, {"name": name, "phone": phone, "owner_id": rep.user_id}).id
        ids[f"{key}_deal"] = services.opportunities.create(rep, {
            "name": deal, "customer_id": ids[key], "stage_id": stage, "amount": Decimal(amount),
            "owner_id": rep.user_id}).id
    return ids


def test_request_needs_detail_for_other_and_keeps_the_typing(app: QApplication, qtbot: QtBot, services: Services,
                                                             rep: Actor, deals: dict[str, str]) -> None:
    dialog = LostRequestDialog(services, rep, None, opportunity_id=deals["chen_deal"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.reason.itemText(i) for i in range(dialog.reason.count())] == [
        "价格因素", "购买竞品", "推迟购买", "预算不足", "联系不上", "其他"]
    dialog.reason.setCurrentIndex(dialog.reason.findData("other"))
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.marks.labels["detail"].isVisible()
    assert dialog.reason.currentData() == "other"
    dialog.detail.setPlainText("客户家人反对，暂不购车")
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "lost_request.png"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.record is not None and dialog.record["detail"] == "客户家人反对，暂不购车"


def test_manager_approves_and_rejects_in_the_approvals_dialog(app: QApplication, qtbot: QtBot, services: Services,
                                                              actor: Actor, rep: Actor,
                                                              deals: dict[str, str]) -> None:
    first = request_lost(services.db, rep, deals["chen_deal"], "competitor")
    second = request_lost(services.db, rep, deals["li_deal"], "other", "客户出国工作，一年内不买车")
    dialog = LostApprovalsDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 2 and dialog.summary.text() == "2 份申请待审批"
    assert dialog.table.item(0, 1).text() == "陈静" and dialog.table.item(0, 3).text() == "¥189,800.00"
    assert dialog.table.item(0, 4).text() == "王磊" and dialog.table.item(0, 5).text() == "购买竞品"
    dialog.grab().save(str(SHOTS / "lost_approvals.png"))
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)  # no comment
    assert dialog.marks.labels["comment"].isVisible() and dialog.table.rowCount() == 2
    qtbot.keyClicks(dialog.comment, "please call again")
    with qtbot.waitSignal(dialog.records_changed):
        qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert lost_requests_for(services.db, rep, deals["li_deal"])[0]["review_comment"] == "please call again"
    assert [r.id for r in dialog.requests] == [first.id]
    with qtbot.waitSignal(dialog.records_changed):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 0 and dialog.summary.text() == "没有待审批的战败申请。"
    assert services.customers.get(actor, deals["chen"])["status"] == "dormant"
    assert services.opportunities.get(actor, deals["li_deal"])["status"] == "open"
    assert second.id != first.id


def test_a_consultant_cannot_decide(app: QApplication, qtbot: QtBot, services: Services, rep: Actor,
                                    deals: dict[str, str]) -> None:
    request_lost(services.db, rep, deals["chen_deal"], "price")
    dialog = LostApprovalsDialog(services, rep)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1  # their own request
    assert not dialog.approve_button.isEnabled() and not dialog.reject_button.isEnabled()


def test_row_menus_request_lost_and_reactivate(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                               rep: Actor, settings: Settings, deals: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    tab = window.show_tab("opportunity")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    tab.view.selectRow(tab.model.row_of(deals["chen_deal"]))
    menu = tab.row_actions_menu()
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.objectName() == "requestLostAction")
    assert action.text() == "申请战败…" and action.isEnabled()
    action.trigger()
    dialog = tab.findChild(LostRequestDialog)
    assert isinstance(dialog, LostRequestDialog)
    dialog.reason.setCurrentIndex(dialog.reason.findData("price"))
    dialog.submit()
    assert [r["opportunity_id"] for r in pending_lost_requests(services.db, actor)] == [deals["chen_deal"]]

    window.open_lost_approvals()
    approvals = window.findChild(LostApprovalsDialog)
    assert isinstance(approvals, LostApprovalsDialog)
    approvals.approve()
    approvals.close()

    customers = window.show_tab("customer")
    qtbot.waitUntil(lambda: customers.model.row_of(deals["chen"]) is not None)
    customers.model.refresh()
    qtbot.waitUntil(lambda: customers.model.raw_value(customers.model.row_of(deals["chen"]), "status") == "dormant")
    customers.view.selectRow(customers.model.row_of(deals["chen"]))
    menu = customers.row_actions_menu()
    assert menu is not None
    reactivate = next(a for a in menu.actions() if a.objectName() == "reactivateAction")
    assert reactivate.text() == "重新激活" and reactivate.isEnabled()
    reactivate.trigger()
    record = services.customers.get(actor, deals["chen"])
    assert record["status"] == "active" and record["owner_id"] == actor.user_id
    customers.view.selectRow(customers.model.row_of(deals["li"]))
    menu = customers.row_actions_menu()
    assert menu is not None
    assert not next(a for a in menu.actions() if a.objectName() == "reactivateAction").isEnabled()
