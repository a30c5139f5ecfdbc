"""Payment plans and reconciliation, against figures worked out by hand: percentages with the fen
remainder, partial, full and over-payment, credit, unallocating, and the receivables with aging buckets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crmdesk.models import AuditEntry, Installment, Payment, PaymentAllocation, PaymentPlan, Quote
from crmdesk.models.database import Database
from crmdesk.services import contracts, payments
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.payments import installment_status
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work

D = Decimal


def _order(services: Services, actor: Actor, total: str, name: str = "张伟", owner_id: str | None = None) -> tuple[str, str]:
    customer = services.customers.create(actor, {"name": name})
    values = {"customer_id": customer.id, "total": total, **({"owner_id": owner_id} if owner_id else {})}
    order = services.orders.create(actor, values)
    return customer.id, order.id


def _rows(db: Database, model: type) -> int:
    with read_session(db) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _statuses(db: Database, actor: Actor, plan_id: str, today: date) -> list[tuple[Decimal, Decimal, str]]:
    plan = payments.payment_plan(db, actor, plan_id, today)
    return [(item.amount, item.paid, item.status) for item in plan.installments]


def test_percentages_of_100000_01_leave_the_fen_to_the_last_installment(services: Services, actor: Actor) -> None:
    _customer, order_id = _order(services, actor, "100000.01")
    plan = payments.create_payment_plan(services.db, actor, order_id=order_id, installments=[
        {"due_date": "2026-01-10", "percent": "30", "note": "首付款"},
        {"due_date": "2026-02-10", "percent": "40%"},
        {"due_date": "2026-03-10", "percent": 30}], today=date(2026, 1, 1))
    # 30 % = 30,000.003 -> 30,000.00; 40 % = 40,000.004 -> 40,000.00; the last: 100,000.01 - 70,000.00.
    assert [item.amount for item in plan.installments] == [D("30000.00"), D("40000.00"), D("30000.01")]
    assert [item.percent for item in plan.installments] == [D("30.00"), D("40.00"), D("30.00")]
    assert (plan.total, plan.basis, plan.installments[0].note) == (D("100000.01"), "percent", "首付款")
    assert [item.status for item in plan.installments] == ["open", "open", "open"]


def test_plans_in_amounts_or_percentages_that_do_not_add_up_are_refused_and_write_nothing(
        services: Services, actor: Actor) -> None:
    _customer, order_id = _order(services, actor, "1000")
    cases = [
        ([{"due_date": "2026-01-10", "percent": "30"}, {"due_date": "2026-02-10", "percent": "60"}], "installments"),
        ([{"due_date": "2026-01-10", "amount": "400"}, {"due_date": "2026-02-10", "amount": "500"}], "installments"),
        ([{"due_date": "2026-01-10", "amount": "400"}, {"due_date": "2026-02-10", "percent": "60"}], "installments"),
        ([{"due_date": "2026-02-30", "amount": "1000"}], "installments[0].due_date"),
        ([{"due_date": "2026-01-10", "amount": "-5"}, {"due_date": "2026-02-10", "amount": "1005"}],
         "installments[0].amount"),
        ([{"due_date": "2026-01-10", "percent": "33.333"}], "installments[0].percent"),
        ([{"due_date": "2026-01-10", "amount": "999.999"}], "installments[0].amount"),
        ([], "installments"),
    ]
    for installments, field in cases:
        with pytest.raises(ValidationError) as refused:
            payments.create_payment_plan(services.db, actor, order_id=order_id, installments=installments)
        assert field in refused.value.errors, installments
    assert (_rows(services.db, PaymentPlan), _rows(services.db, Installment)) == (0, 0)
    plan = payments.create_payment_plan(services.db, actor, order_id=order_id, installments=[
        {"due_date": "2026-01-10", "amount": "400"}, {"due_date": "2026-02-10", "amount": "600.00"}])
    assert [item.amount for item in plan.installments] == [D("400.00"), D("600.00")]
    with pytest.raises(ConflictError):
        payments.create_payment_plan(services.db, actor, order_id=order_id,
                                     installments=[{"due_date": "2026-01-10", "amount": "1000"}])


def test_two_partial_payments_and_an_over_payment(services: Services, actor: Actor) -> None:
    customer_id, order_id = _order(services, actor, "100000.01")
    plan = payments.create_payment_plan(services.db, actor, order_id=order_id, installments=[
        {"due_date": "2026-01-10", "percent": "30"}, {"due_date": "2026-02-10", "percent": "40"},
        {"due_date": "2026-03-10", "percent": "30"}])

    first = payments.record_payment(services.db, actor, {
        "customer_id": customer_id, "received_on": "2026-01-08", "amount": "20000", "method": "bank_transfer",
        "payer": "张伟", "reference": "BOC-20260108-001"})
    assert [(a.amount) for a in first.allocations] == [D("20000.00")]
    assert (first.payment.allocated, first.payment.unallocated, first.customer_credit) == (
        D("20000.00"), D("0.00"), D("0.00"))
    assert _statuses(services.db, actor, plan.id, date(2026, 1, 9)) == [
        (D("30000.00"), D("20000.00"), "partial"), (D("40000.00"), D("0.00"), "open"),
        (D("30000.01"), D("0.00"), "open")]

    second = payments.record_payment(services.db, actor, {
        "customer_id": customer_id, "received_on": "2026-02-05", "amount": "30000.00", "method": "wechat"})
    assert [a.amount for a in second.allocations] == [D("10000.00"), D("20000.00")]  # the oldest due first
    assert _statuses(services.db, actor, plan.id, date(2026, 2, 20)) == [
        (D("30000.00"), D("30000.00"), "paid"), (D("40000.00"), D("20000.00"), "overdue"),
        (D("30000.01"), D("0.00"), "open")]

    over = payments.record_payment(services.db, actor, {
        "customer_id": customer_id, "received_on": "2026-03-01", "amount": "60000", "method": "bank_transfer"})
    # 20,000.00 finishes the second, 30,000.01 the third; 60,000 - 50,000.01 = 9,999.99 stays as credit.
    assert [a.amount for a in over.allocations] == [D("20000.00"), D("30000.01")]
    assert (over.payment.unallocated, over.customer_credit) == (D("9999.99"), D("9999.99"))
    assert payments.customer_credit(services.db, customer_id) == D("9999.99")
    after = payments.payment_plan(services.db, actor, plan.id, date(2026, 3, 2))
    assert [item.status for item in after.installments] == ["paid", "paid", "paid"]
    assert (after.paid, after.outstanding) == (D("100000.01"), D("0.00"))

    # Unallocate the third installment's share: owed again, the money is credit again (audited).
    undone = payments.unallocate(services.db, actor, over.allocations[1].id)
    assert undone.deleted_at is not None
    assert _statuses(services.db, actor, plan.id, date(2026, 3, 2))[2] == (D("30000.01"), D("0.00"), "open")
    assert payments.customer_credit(services.db, customer_id) == D("40000.00")
    with read_session(services.db) as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == undone.id,
                                                         AuditEntry.field == "deleted_at")).one()
    assert (audit.action, audit.user_id) == ("delete", actor.user_id)

    # The credit goes back to the oldest installment owed.
    (again,) = payments.allocate_credit(services.db, actor, customer_id)
    assert (again.payment_id, again.amount) == (over.payment.id, D("30000.01"))
    assert payments.customer_credit(services.db, customer_id) == D("9999.99")
    assert [item.status for item in payments.payment_plan(services.db, actor, plan.id).installments] == ["paid"] * 3
    listed = payments.payments_for(services.db, actor, customer_id)
    assert [p.amount for p in listed] == [D("60000.00"), D("30000.00"), D("20000.00")]
    assert [len(payments.allocations_of(services.db, actor, p.id, include_undone=True)) for p in listed] == [3, 2, 1]


def test_allocation_by_hand_checks_what_is_left_and_what_is_owed(services: Services, actor: Actor) -> None:
    customer_id, order_id = _order(services, actor, "1000")
    plan = payments.create_payment_plan(services.db, actor, order_id=order_id, installments=[
        {"due_date": "2026-01-10", "amount": "400"}, {"due_date": "2026-02-10", "amount": "600"}])
    first, second = plan.installments
    payment = payments.record_payment(services.db, actor, {"customer_id": customer_id, "received_on": "2026-01-05",
                                                           "amount": "700"}, allocate=False)
    assert payment.allocations == () and payment.customer_credit == D("700.00")
    by_hand = payments.allocate_payment(services.db, actor, payment.payment.id, second.id, "600")
    assert by_hand.amount == D("600.00")
    with pytest.raises(ValidationError) as too_much:
        payments.allocate_payment(services.db, actor, payment.payment.id, first.id, "400")
    assert "100.00" in too_much.value.errors["amount"]  # only 100 left of the payment
    with pytest.raises(ValidationError) as paid:
        payments.allocate_payment(services.db, actor, payment.payment.id, second.id, "1")
    assert "installment_id" in paid.value.errors
    rest = payments.allocate_payment(services.db, actor, payment.payment.id, first.id)  # all that is left
    assert rest.amount == D("100.00")
    assert _statuses(services.db, actor, plan.id, date(2026, 1, 6)) == [
        (D("400.00"), D("100.00"), "partial"), (D("600.00"), D("600.00"), "paid")]
    other_customer, other_order = _order(services, actor, "50", name="李娜")
    other_plan = payments.create_payment_plan(services.db, actor, order_id=other_order,
                                              installments=[{"due_date": "2026-01-10", "amount": "50"}])
    extra = payments.record_payment(services.db, actor, {"customer_id": customer_id, "received_on": "2026-01-06",
                                                         "amount": "10"}, allocate=False)
    with pytest.raises(ValidationError) as foreign:
        payments.allocate_payment(services.db, actor, extra.payment.id, other_plan.installments[0].id)
    assert "installment_id" in foreign.value.errors
    assert other_customer


def test_a_bad_payment_writes_nothing(services: Services, actor: Actor) -> None:
    customer_id, order_id = _order(services, actor, "1000")
    _other, other_order = _order(services, actor, "1000", name="李娜")
    before = (_rows(services.db, Payment), _rows(services.db, PaymentAllocation), _rows(services.db, AuditEntry))
    for values, field in (
            ({"customer_id": customer_id, "received_on": "2026-01-05", "amount": "0"}, "amount"),
            ({"customer_id": customer_id, "received_on": "2026-01-05", "amount": "10.001"}, "amount"),
            ({"customer_id": customer_id, "received_on": "yesterday", "amount": "10"}, "received_on"),
            ({"customer_id": customer_id, "received_on": "2026-01-05", "amount": "10", "method": "bitcoin"}, "method"),
            ({"customer_id": customer_id, "received_on": "2026-01-05", "amount": "10", "order_id": other_order},
             "order_id"),
            ({"customer_id": "nobody", "received_on": "2026-01-05", "amount": "10"}, "customer_id")):
        with pytest.raises(ValidationError) as refused:
            payments.record_payment(services.db, actor, values)
        assert field in refused.value.errors, values
    assert (_rows(services.db, Payment), _rows(services.db, PaymentAllocation),
            _rows(services.db, AuditEntry)) == before
    assert order_id


def test_a_payment_against_one_sale_stays_with_it(services: Services, actor: Actor) -> None:
    """A payment naming an order goes to that order's installments only; the rest is credit, not another
    sale's money, until allocate_credit is asked for."""
    customer_id, first_order = _order(services, actor, "100")
    second_order = services.orders.create(actor, {"customer_id": customer_id, "total": "100"}).id
    older = payments.create_payment_plan(services.db, actor, order_id=first_order,
                                         installments=[{"due_date": "2026-01-01", "amount": "100"}])
    newer = payments.create_payment_plan(services.db, actor, order_id=second_order,
                                         installments=[{"due_date": "2026-03-01", "amount": "100"}])
    result = payments.record_payment(services.db, actor, {"customer_id": customer_id, "received_on": "2026-02-01",
                                                          "amount": "150", "order_id": second_order})
    assert [(a.installment_id, a.amount) for a in result.allocations] == [(newer.installments[0].id, D("100.00"))]
    assert result.customer_credit == D("50.00")
    (moved,) = payments.allocate_credit(services.db, actor, customer_id)
    assert (moved.installment_id, moved.amount) == (older.installments[0].id, D("50.00"))


def test_installment_status_on_its_due_day_and_after() -> None:
    due = date(2026, 5, 1)
    assert installment_status(D("10"), D("0"), due, date(2026, 5, 1)) == "open"  # due today: not yet overdue
    assert installment_status(D("10"), D("0"), due, date(2026, 5, 2)) == "overdue"
    assert installment_status(D("10"), D("4"), due, date(2026, 4, 30)) == "partial"
    assert installment_status(D("10"), D("4"), due, date(2026, 5, 2)) == "overdue"
    assert installment_status(D("10"), D("10"), due, date(2027, 1, 1)) == "paid"


AGING_DUE = [  # (due date, amount): as of 2026-06-30, days past due in the comment
    ("2026-06-30", "1000"),  # 0: due today, not overdue
    ("2026-06-29", "2000"),  # 1  -> 0-30
    ("2026-05-31", "3000"),  # 30 -> 0-30
    ("2026-05-30", "4000"),  # 31 -> 31-60
    ("2026-05-01", "5000"),  # 60 -> 31-60
    ("2026-04-30", "6000"),  # 61 -> 61-90
    ("2026-04-01", "7000"),  # 90 -> 61-90
    ("2026-03-31", "8000"),  # 91 -> 90+
    ("2026-07-31", "9000"),  # not due yet
]


def test_receivables_and_aging_buckets_on_fixed_dates(services: Services, actor: Actor, consultant: str) -> None:
    customer_id, order_id = _order(services, actor, "45000", owner_id=consultant)
    plan = payments.create_payment_plan(services.db, actor, order_id=order_id,
                                        installments=[{"due_date": due, "amount": amount} for due, amount in AGING_DUE])
    by_due = {item.due_date.isoformat(): item for item in plan.installments}
    # 2,500 on 2026-06-01 by hand to the installment 61 days late; 8,000 after the day, to the 91-day one.
    early = payments.record_payment(services.db, actor, {"customer_id": customer_id, "received_on": "2026-06-01",
                                                         "amount": "2500"}, allocate=False)
    payments.allocate_payment(services.db, actor, early.payment.id, by_due["2026-04-30"].id)
    late = payments.record_payment(services.db, actor, {"customer_id": customer_id, "received_on": "2026-07-05",
                                                        "amount": "8000"}, allocate=False)
    payments.allocate_payment(services.db, actor, late.payment.id, by_due["2026-03-31"].id)
    second_customer, second_order = _order(services, actor, "500", name="李娜")
    payments.create_payment_plan(services.db, actor, order_id=second_order,
                                 installments=[{"due_date": "2026-06-15", "amount": "500"}])

    report = payments.receivables(services.db, actor, date(2026, 6, 30))
    totals = report.totals
    assert (totals.scheduled, totals.due, totals.collected) == (D("45500.00"), D("36500.00"), D("2500.00"))
    assert (totals.outstanding, totals.overdue) == (D("43000.00"), D("33000.00"))
    assert dict(totals.aging) == {"0-30": D("5500.00"), "31-60": D("9000.00"), "61-90": D("10500.00"),
                                  "90+": D("8000.00")}
    first, second = report.by_customer  # most outstanding first
    assert (first.key, first.label, first.outstanding) == (customer_id, "张伟", D("42500.00"))
    assert (second.key, second.label, second.overdue, dict(second.aging)["0-30"]) == (
        second_customer, "李娜", D("500.00"), D("500.00"))
    reps = {row.label: row for row in report.by_rep}
    assert reps["王磊"].scheduled == D("45000.00") and reps[actor.display_name].scheduled == D("500.00")
    months = {row.key: (row.scheduled, row.collected, row.overdue) for row in report.by_month}
    assert months == {"2026-03": (D("8000.00"), D("0.00"), D("8000.00")),
                      "2026-04": (D("13000.00"), D("2500.00"), D("10500.00")),
                      "2026-05": (D("12000.00"), D("0.00"), D("12000.00")),
                      "2026-06": (D("3500.00"), D("0.00"), D("2500.00")),
                      "2026-07": (D("9000.00"), D("0.00"), D("0.00"))}
    assert report.received_by_month == (("2026-06", D("2500.00")),) and report.credit == D("0.00")
    assert report.as_json()["totals"]["aging"]["90+"] == "8000.00"

    # As of 2026-07-10 the 8,000 received on 07-05 counts; the days move on by ten.
    later = payments.receivables(services.db, actor, date(2026, 7, 10))
    assert later.totals.collected == D("10500.00")
    assert dict(later.totals.aging) == {"0-30": D("3500.00"), "31-60": D("7000.00"), "61-90": D("8500.00"),
                                        "90+": D("7000.00")}
    assert payments.receivables(services.db, actor, date(2026, 7, 10), customer_limit=1).customers == 2

    # A third customer owes nothing now but owed 10,000 on 2026-06-30 (paid on 07-05): in the top two then.
    third, third_order = _order(services, actor, "10000", name="王芳")
    payments.create_payment_plan(services.db, actor, order_id=third_order,
                                 installments=[{"due_date": "2026-06-01", "amount": "10000"}])
    payments.record_payment(services.db, actor, {"customer_id": third, "received_on": "2026-07-05",
                                                 "amount": "10000"})
    top = payments.receivables(services.db, actor, date(2026, 6, 30), customer_limit=2)
    assert [(row.label, row.scheduled, row.due, row.collected, row.outstanding, dict(row.aging)["0-30"])
            for row in top.by_customer] == [
        ("张伟", D("45000.00"), D("36000.00"), D("2500.00"), D("42500.00"), D("5000.00")),
        ("王芳", D("10000.00"), D("10000.00"), D("0.00"), D("10000.00"), D("10000.00"))]
    assert top.customers == 3 and top.totals.overdue == D("43000.00")
    assert [row.key for row in payments.receivables(services.db, actor, date(2026, 7, 10), customer_limit=2)
            .by_customer] == [customer_id, second_customer]


def _signed_contract(services: Services, actor: Actor) -> tuple[str, str]:
    """(contract id, customer id): a signed contract of 20,000.00 from an accepted quote without lines."""
    customer = services.customers.create(actor, {"name": "赵敏"})
    with unit_of_work(services.db, actor) as session:
        quote = Quote(number="QT-TEST-20261201-0042", version=1, customer_id=customer.id, status="accepted",
                      total=D("20000.00"), owner_id=actor.user_id)
        session.add(quote)
        session.flush()
        quote_id = quote.id
    contract = contracts.create_contract_from_quote(services.db, actor, quote_id)
    contracts.sign_contract(services.db, actor, contract.id)
    return contract.id, customer.id


def test_a_plan_covers_a_sale_once_and_is_deleted_only_unpaid(services: Services, actor: Actor) -> None:
    contract_id, customer_id = _signed_contract(services, actor)
    plan = payments.create_payment_plan(services.db, actor, contract_id=contract_id,
                                        installments=[{"due_date": "2026-12-01", "percent": "100"}])
    assert plan.total == D("20000.00") and plan.customer_id == customer_id
    order = services.orders.create_from_contract(actor, contract_id).order
    with pytest.raises(ConflictError):  # the contract's plan already covers the order made from it
        payments.create_payment_plan(services.db, actor, order_id=order.id,
                                     installments=[{"due_date": "2026-12-01", "percent": "100"}])
    paid = payments.record_payment(services.db, actor, {"customer_id": customer_id, "received_on": "2026-11-01",
                                                        "amount": "10", "order_id": order.id})
    assert paid.allocations[0].installment_id == plan.installments[0].id  # the order pays its contract's plan
    with pytest.raises(ConflictError):
        payments.delete_payment_plan(services.db, actor, plan.id)
    payments.unallocate_payment(services.db, actor, paid.payment.id)
    payments.delete_payment_plan(services.db, actor, plan.id)
    assert payments.plan_for(services.db, actor, contract_id=contract_id) is None
    assert contracts.get_contract(services.db, actor, contract_id)["status"] == "signed"
