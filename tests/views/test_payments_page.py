"""The payments tab and its dialogs: the plan editor (percentages that must add up to 100 %, amounts that must
add up to the total, refused rows kept and marked), receivables per customer with the credit and the aging
table as of a day, a customer's installments (overdue in red) and payments, a payment allocated oldest first
or by hand, an over-payment kept as credit, allocations undone (audited), and the export."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crmdesk.models import AuditEntry
from crmdesk.services import payments
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session
from crmdesk.settings import Settings
from crmdesk.views.payment_dialogs import (
    AllocationDialog,
    PaymentDialog,
    PaymentPlanDialog,
    PlanDraftModel,
    UnallocateDialog,
)
from crmdesk.views.payments_page import PaymentsPage

D = Decimal
TODAY = date.today()


def _day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture
def sale(services: Services, actor: Actor) -> dict[str, str]:
    """张伟 with an order of ¥100,000.01."""
    customer = services.customers.create(actor, {"name": "张伟", "phone": "13812345678"}).id
    order = services.orders.create(actor, {"customer_id": customer, "total": "100000.01"}).id
    return {"customer": customer, "order": order}


def _plan(services: Services, actor: Actor, order_id: str) -> payments.PlanView:
    """30 % forty days ago (overdue), 40 % in ten days, 30 % in forty days."""
    return payments.create_payment_plan(services.db, actor, order_id=order_id, installments=[
        {"due_date": _day(-40), "percent": "30", "note": "首付款"}, {"due_date": _day(10), "percent": "40"},
        {"due_date": _day(40), "percent": "30", "note": "尾款"}])


def _plan_dialog(qtbot: QtBot, services: Services, actor: Actor, order_id: str) -> PaymentPlanDialog:
    dialog = PaymentPlanDialog(services, actor, order_id=order_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _cell(model: PlanDraftModel, row: int, column: str) -> object:
    return model.data(model.index(row, model.COLUMNS.index(column)))


def test_a_plan_by_percentage_must_add_up_to_100_and_keeps_a_refused_draft(
        app_en: QApplication, qtbot: QtBot, qtmodeltester: object, services: Services, actor: Actor,
        sale: dict[str, str]) -> None:
    dialog = _plan_dialog(qtbot, services, actor, sale["order"])
    assert dialog.heading.text() == f"{dialog.source_text}: a new plan for ¥100,000.01"
    assert dialog.draft_model.rowCount() == 1 and _cell(dialog.draft_model, 0, "share") == "100"
    dialog.set_installments([(_day(0), "30", "首付款"), (_day(30), "40"), (_day(60), "20", "尾款")])
    qtmodeltester.check(dialog.draft_model)  # type: ignore[attr-defined]
    assert dialog.sum_label.text() == "Shares add up to 90.00 % of 100 %" and "c5221f" in dialog.sum_label.styleSheet()
    assert _cell(dialog.draft_model, 2, "amount") == "¥20,000.00"  # its own share: no remainder to take
    assert dialog.save() is None  # refused by the service: nothing written, the rows stay
    assert "90.00 %" in dialog.error_label.text() and dialog.error_label.isVisibleTo(dialog)
    assert payments.plan_for(services.db, actor, order_id=sale["order"]) is None
    assert [row.share for row in dialog.draft_model.rows] == ["30", "40", "20"]

    model = dialog.draft_model
    assert model.setData(model.index(2, model.COLUMNS.index("share")), "30")
    assert model.setData(model.index(1, model.COLUMNS.index("due_date")), "2026-02-30")  # no such day
    assert dialog.sum_label.text() == "Shares add up to 100.00 % of 100 %"
    assert [_cell(model, row, "amount") for row in range(3)] == ["¥30,000.00", "¥40,000.00", "¥30,000.01"]
    assert dialog.save() is None
    assert model.data(model.index(1, model.COLUMNS.index("due_date")), Qt.ItemDataRole.BackgroundRole) is not None
    assert "Installment 2" in dialog.error_label.text()
    assert model.setData(model.index(1, model.COLUMNS.index("due_date")), _day(30))
    assert model.data(model.index(1, model.COLUMNS.index("due_date")), Qt.ItemDataRole.BackgroundRole) is None

    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    plan = saved.args[0]
    assert [(item.amount, item.percent, item.note) for item in plan.installments] == [
        (D("30000.00"), D("30.00"), "首付款"), (D("40000.00"), D("40.00"), None), (D("30000.01"), D("30.00"), "尾款")]
    # The dialog now shows the plan, which can be deleted while nothing is paid on it.
    assert dialog.plan_view.isVisibleTo(dialog) and not dialog.draft_view.isVisibleTo(dialog)
    qtmodeltester.check(dialog.plan_model)  # type: ignore[attr-defined]
    assert dialog.plan_model.rowCount() == 3 and dialog.delete_button.isEnabled()
    assert "paid ¥0.00, owed ¥100,000.01" in dialog.heading.text()
    again = _plan_dialog(qtbot, services, actor, sale["order"])
    assert again.plan is not None and again.plan.id == plan.id
    assert again.delete_plan() and payments.plan_for(services.db, actor, order_id=sale["order"]) is None
    assert again.draft_view.isVisibleTo(again)


def test_a_plan_by_amount_adds_up_to_the_total(app_en: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                              sale: dict[str, str]) -> None:
    dialog = _plan_dialog(qtbot, services, actor, sale["order"])
    dialog.amount_radio.setChecked(True)
    assert dialog.draft_model.basis == "amount" and dialog.draft_model.rows[0].share == ""  # a share is no amount
    assert dialog.draft_model.headerData(2, Qt.Orientation.Horizontal) == "Amount (yuan)"
    dialog.draft_model.rows[0].share = "60000"
    dialog.draft_model.set_rows(dialog.draft_model.rows)
    row = dialog.add_installment()
    assert dialog.draft_model.rows[row].share == "40000.01"  # what the others leave
    assert dialog.sum_label.text() == "Installments add up to ¥100,000.01 of ¥100,000.01"
    dialog.draft_model.rows[row].share = "40000"
    dialog.draft_model.set_rows(dialog.draft_model.rows)
    assert dialog.save() is None and "100,000.01" in dialog.error_label.text()
    dialog.draft_model.rows[row].share = "40000.01"
    plan = dialog.save()
    assert plan is not None and plan.basis == "amount"
    assert [item.amount for item in plan.installments] == [D("60000.00"), D("40000.01")]


def _page(qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> PaymentsPage:
    page = PaymentsPage(services, actor, settings)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    return page


def _pay(qtbot: QtBot, page: PaymentsPage, amount: str, *, by_hand: bool = False, reference: str = "") -> PaymentDialog:
    dialog = page.register_payment()
    assert isinstance(dialog, PaymentDialog)
    dialog.amount_edit.setText(amount)
    dialog.method_box.setCurrentIndex(dialog.method_box.findData("bank_transfer"))
    dialog.reference_edit.setText(reference)
    (dialog.manual_radio if by_hand else dialog.auto_radio).setChecked(True)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog


def test_receivables_payments_credit_and_undo(app_en: QApplication, qtbot: QtBot, qtmodeltester: object,
                                              services: Services, actor: Actor, settings: Settings,
                                              sale: dict[str, str], tmp_path: Path) -> None:
    plan = _plan(services, actor, sale["order"])
    page = _page(qtbot, services, actor, settings)
    qtmodeltester.check(page.receivables_model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.aging_model)  # type: ignore[attr-defined]
    assert page.receivables_model.rowCount() == 1
    line = page.receivables_model.items[0]
    assert (line.row.label, line.row.due, line.row.overdue, line.credit) == ("张伟", D("30000.00"), D("30000.00"),
                                                                             D("0.00"))
    assert "overdue ¥30,000.00" in page.summary_label.text() and page.status_text() == "1 customers with receivables"
    aging = [[page.aging_model.data(page.aging_model.index(r, c)) for c in range(6)] for r in range(2)]
    assert aging[0] == ["Total", "¥30,000.00", "¥0.00", "¥30,000.00", "¥0.00", "¥0.00"]  # 40 days late
    assert aging[1][0] == "张伟"
    assert not page.register_button.isEnabled()  # no customer chosen yet

    page.receivables_view.selectRow(0)
    assert page.register_button.isEnabled() and page.installments_model.rowCount() == 3
    qtmodeltester.check(page.installments_model)  # type: ignore[attr-defined]
    status = page.installments_model.COLUMNS.index("status")
    assert page.installments_model.data(page.installments_model.index(0, status)) == "Overdue"
    assert page.installments_model.data(page.installments_model.index(0, status),
                                        Qt.ItemDataRole.ForegroundRole).name() == "#c5221f"
    assert page.installments_model.data(page.installments_model.index(1, status)) == "Open"

    # A payment too small for the first installment, then one that pays it and part of the second.
    dialog = _pay(qtbot, page, "10000", reference="TR-1")
    assert dialog.outcome is not None and len(dialog.outcome.allocations) == 1
    assert page.result_label.text() == "¥10,000.00 received: ¥10,000.00 allocated to 1 installments."
    _pay(qtbot, page, "50000", reference="TR-2")
    paid = payments.payment_plan(services.db, actor, plan.id)
    assert [(item.paid, item.status) for item in paid.installments] == [
        (D("30000.00"), "paid"), (D("30000.00"), "partial"), (D("0.00"), "open")]
    assert page.installments_model.data(page.installments_model.index(1, status)) == "Partly paid"
    assert page.payments_model.rowCount() == 2
    qtmodeltester.check(page.payments_model)  # type: ignore[attr-defined]
    assert page.receivables_model.items[0].row.collected == D("60000.00")

    # An over-payment: the rest of the plan and 5,000 more, which stays as the customer's credit.
    over = _pay(qtbot, page, "45000.01", reference="TR-3")
    assert over.outcome is not None and over.outcome.customer_credit == D("5000.00")
    assert "the customer's credit is now ¥5,000.00" in page.result_label.text()
    assert page.receivables_model.items[0].credit == D("5000.00")
    assert page.receivables_model.data(page.receivables_model.index(0, 6)) == "¥5,000.00"
    assert "credit ¥5,000.00" in page.customer_label.text() and "credit ¥5,000.00" in page.summary_label.text()
    assert all(item.status == "paid" for item in payments.payment_plan(services.db, actor, plan.id).installments)

    # Undo the second payment's allocations: the installments are owed again, the money is credit.
    page.payments_view.selectRow(1)  # newest first: TR-3, TR-2, TR-1
    assert page.selected_payment() is not None and page.selected_payment().reference == "TR-2"  # type: ignore[union-attr]
    undo = page.unallocate()
    assert isinstance(undo, UnallocateDialog)
    qtmodeltester.check(undo.allocations_model)  # type: ignore[attr-defined]
    assert undo.selected_payment() is not None and undo.selected_payment().reference == "TR-2"  # type: ignore[union-attr]
    assert undo.allocations_model.rowCount() == 2  # 20,000 to the first, 30,000 to the second
    first = undo.allocations_model.items[0]
    assert "installment 1" in first.installment
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        undone = undo.undo_selected()
    assert undone is not None and undone.amount == D("20000.00") and undo.allocations_model.rowCount() == 1
    assert payments.customer_credit(services.db, sale["customer"]) == D("25000.00")
    with read_session(services.db) as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == undone.id,
                                                         AuditEntry.action == "delete")).all()
        assert len(audit) == 1 and audit[0].user_id == actor.user_id
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        assert len(undo.undo_payment()) == 1
    assert payments.customer_credit(services.db, sale["customer"]) == D("55000.00")
    assert not undo.undo_all_button.isEnabled()

    # The credit goes back by hand: the allocation dialog for the payment with money left.
    page.payments_view.selectRow(1)
    assert page.allocate_button.isEnabled()
    allocation = page.allocate_selected()
    assert isinstance(allocation, AllocationDialog)
    assert allocation.model.rowCount() == 2 and "¥50,000.00 left to allocate" in allocation.heading.text()
    qtmodeltester.check(allocation.model)  # type: ignore[attr-defined]
    target = next(row for row, item in enumerate(allocation.model.items)
                  if item.installment.id == paid.installments[1].id)
    allocation.table.selectRow(target)
    column = allocation.model.COLUMNS.index("allocate")
    assert allocation.model.setData(allocation.model.index(target, column), "40000")
    assert allocation.allocate_selected() is None and "owed only 30,000.00" in allocation.message.text()
    assert allocation.model.setData(allocation.model.index(target, column), "")  # blank: as much as fits
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        made = allocation.allocate_selected()
    assert made is not None and made.amount == D("30000.00")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        rest = allocation.allocate_oldest_first()
    assert sum((item.amount for item in (made, *rest)), D("0")) == D("50000.00")
    assert payments.customer_credit(services.db, sale["customer"]) == D("5000.00")

    # The table in front, exported.
    exported = page.export_to(tmp_path / "receivables.csv")
    assert exported is not None
    with exported.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Customer", "Scheduled", "Due", "Collected", "Outstanding", "Overdue", "Credit"]
    assert rows[1] == ["张伟", "100000.01", "30000.00", "100000.01", "0.00", "0.00", "5000.00"]
    page.tabs.setCurrentIndex(1)
    assert page.export_to(tmp_path / "aging.xlsx") is not None and (tmp_path / "aging.xlsx").stat().st_size > 0


def test_a_payment_by_hand_the_as_of_day_and_a_refused_payment(app_en: QApplication, qtbot: QtBot,
                                                               services: Services, actor: Actor, settings: Settings,
                                                               sale: dict[str, str]) -> None:
    plan = _plan(services, actor, sale["order"])
    page = _page(qtbot, services, actor, settings)
    page.receivables_view.selectRow(0)
    dialog = page.register_payment()
    assert isinstance(dialog, PaymentDialog)
    heading = dialog.findChild(QLabel, "paymentHeading")
    assert heading is not None and heading.text() == "张伟: owed ¥100,000.01, credit ¥0.00"
    dialog.amount_edit.setText("12,34x")
    dialog.submit()
    assert dialog.isVisible() and dialog.marks.labels["amount"].isVisibleTo(dialog)
    assert payments.payments_for(services.db, actor, sale["customer"]) == []
    dialog.amount_edit.setText("200000")
    assert dialog.credit_hint.isVisibleTo(dialog) and "¥99,999.99 more than is owed" in dialog.credit_hint.text()
    dialog.amount_edit.setText("1000")
    dialog.manual_radio.setChecked(True)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        dialog.submit()
    allocation = page.dialog
    assert isinstance(allocation, AllocationDialog)  # by hand: the allocation dialog follows
    assert allocation.payment.unallocated == D("1000.00") and allocation.model.rowCount() == 3
    allocation.select_installment(plan.installments[2].id)  # the last one first, by choice
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        assert allocation.allocate_selected() is not None
    assert payments.payment_plan(services.db, actor, plan.id).installments[2].paid == D("1000.00")
    assert not allocation.allocate_button.isEnabled()  # nothing left

    # As of 35 days ago nothing was due, nor collected yet.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.as_of_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day).addDays(-35))
    assert page.report is not None and page.report.totals.overdue == D("30000.00")  # due 40 days ago: 5 days late
    assert page.report.totals.collected == D("0.00")
    assert page.aging_model.data(page.aging_model.index(0, 2)) == "¥30,000.00"  # 1-30 days
    page.grouping_box.setCurrentIndex(page.grouping_box.findData("month"))
    assert page.aging_model.rowCount() == 1 + len({i.due_date.strftime("%Y-%m") for i in plan.installments})
    assert page.aging_model.headerData(0, Qt.Orientation.Horizontal) == "Due month"
