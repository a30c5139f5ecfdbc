"""Orders: numbers unique per device and day, dates, totals; made from a contract or a quote with their
lines, VINs (refused when malformed, warned on a failed check digit), the status and delivery."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crmdesk.models import Activity, Customer, Order, OrderLine, Product, Quote, QuoteLine
from crmdesk.models.database import Database
from crmdesk.services import contracts, followups, payments
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work


def test_order_numbers_carry_device_date_and_sequence(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟"})
    first = services.orders.create(actor, {"customer_id": customer.id, "total": "¥158,000"})
    second = services.orders.create(actor, {"customer_id": customer.id})
    prefix, device, day, seq = first["number"].split("-")
    assert (prefix, day, seq) == ("SO", f"{date.today():%Y%m%d}", "0001")
    assert len(device) == 4
    assert second["number"].endswith("-0002") and second["number"].split("-")[1] == device
    assert first["total"] == Decimal("158000.00") and first["customer_name"] == "张伟"


def test_rejected_order_does_not_burn_a_number(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟"})
    with pytest.raises(ValidationError):
        services.orders.create(actor, {"customer_id": customer.id, "order_date": "2026-05-02",
                                       "delivery_date": "2026-05-01"})
    assert services.orders.create(actor, {"customer_id": customer.id})["number"].endswith("-0001")


def test_orders_are_found_by_number_or_by_their_customer(services: Services, actor: Actor) -> None:
    from crmdesk.services.entities import ListQuery

    zhang = services.customers.create(actor, {"name": "张伟", "phone": "13812345678"})
    li = services.customers.create(actor, {"name": "李娜"})
    first = services.orders.create(actor, {"customer_id": zhang.id})
    services.orders.create(actor, {"customer_id": li.id})

    def found(text: str) -> int:
        return services.orders.count(actor, ListQuery(search=text))

    assert found("张伟") == 1 and found("zw") == 1 and found("5678") == 1
    assert found(first["number"][:7].lower()) == 2  # SO-<device>: both orders of this device
    assert found(first["number"]) == 1
    assert found("王") == 0


# ---- made from a contract or a quote, VINs, the status ------------------------------------------------
US_VIN = "1HGCM82633A004352"  # check digit right
CN_VIN = "LSVAU2180N2183294"  # check digit wrong: a warning only


def _quote(db: Database, actor: Actor, customer_id: str, *, cars: int = 2, status: str = "accepted") -> str:
    """Accepted quote: `cars` cars of 50,000.00 with 0.01 off the line, and a floor mat set (not a car)."""
    with unit_of_work(db, actor) as session:
        car = Product(code="A6L", name_zh="奥迪A6L", unit="台", list_price=Decimal("50000"), is_vehicle=True,
                      model="A6L")
        mats = Product(code="MAT", name_zh="脚垫", unit="套", list_price=Decimal("800"))
        session.add_all([car, mats])
        session.flush()
        line_total = Decimal("50000.00") * cars - Decimal("0.01")
        quote = Quote(number="QT-TEST-20261201-0009", version=1, customer_id=customer_id, status=status,
                      total=line_total + Decimal("800.00"), owner_id=actor.user_id)
        session.add(quote)
        session.flush()
        session.add_all([
            QuoteLine(quote_id=quote.id, position=1, product_id=car.id, description="奥迪A6L 星河白",
                      quantity=Decimal(cars), unit_price=Decimal("50000.00"), line_total=line_total),
            QuoteLine(quote_id=quote.id, position=2, product_id=mats.id, description="全包围脚垫",
                      quantity=Decimal("1"), unit_price=Decimal("800.00"), line_total=Decimal("800.00")),
        ])
        return quote.id


def _rows(db: Database, model: type) -> int:
    with read_session(db) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_an_order_from_a_signed_contract_copies_its_lines_one_car_a_line(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟", "intent_grade": "H"})
    contract = contracts.create_contract_from_quote(services.db, actor, _quote(services.db, actor, customer.id))
    with pytest.raises(ConflictError, match="signed"):
        services.orders.create_from_contract(actor, contract.id)
    contracts.sign_contract(services.db, actor, contract.id)
    result = services.orders.create_from_contract(actor, contract.id, vins=[US_VIN, CN_VIN.lower()])
    order = result.order
    assert (order["contract_id"], order["quote_id"], order["source_type"], order["source_id"]) == (
        contract.id, contract["quote_id"], "contract", contract.id)
    assert order["customer_id"] == customer.id and order["status"] == "draft" and order["number"].startswith("SO-")
    assert order["total"] == contract["amount"] == Decimal("100799.99")
    assert [(line["description"], line["quantity"], line["line_total"], line["vin"], line["is_vehicle"])
            for line in result.lines] == [
        ("奥迪A6L 星河白", Decimal("1.000"), Decimal("50000.00"), US_VIN, True),
        ("奥迪A6L 星河白", Decimal("1.000"), Decimal("49999.99"), CN_VIN, True),  # the last car takes the fen
        ("全包围脚垫", Decimal("1.000"), Decimal("800.00"), None, False)]
    assert len(result.warnings) == 1 and CN_VIN in result.warnings[0]
    assert [line.id for line in services.orders.lines(actor, order.id)] == [line.id for line in result.lines]
    with pytest.raises(ConflictError, match="already made"):
        services.orders.create_from_contract(actor, contract.id)


def test_a_bad_vin_refuses_the_whole_order_and_writes_nothing(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟"})
    quote_id = _quote(services.db, actor, customer.id)
    before = (_rows(services.db, Order), _rows(services.db, OrderLine))
    for vins, field in (([US_VIN, "LSVAU2180N218329"], "vins[1]"), (["1HGCM8263IA004352"], "vins[0]"),
                        ([US_VIN, US_VIN], "vins[1]"), ([US_VIN, CN_VIN, US_VIN], "vins")):
        with pytest.raises(ValidationError) as refused:
            services.orders.create_from_quote(actor, quote_id, vins=vins)
        assert field in refused.value.errors, vins
    assert (_rows(services.db, Order), _rows(services.db, OrderLine)) == before
    made = services.orders.create_from_quote(actor, quote_id, vins=[US_VIN])
    assert made.order["number"].endswith("-0001") and made.warnings == ()  # no number burned by the refusals
    assert (made.order["source_type"], made.order["quote_id"], made.order["contract_id"]) == ("quote", quote_id, None)


def test_a_vin_is_set_on_a_car_line_once_across_open_orders(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟"})
    first = services.orders.create_from_quote(actor, _quote(services.db, actor, customer.id), vins=[US_VIN])
    car, second_car, mats = first.lines
    set_vin = services.orders.set_vin(actor, second_car.id, "lsvau2180n2183294")
    assert set_vin.line["vin"] == CN_VIN and len(set_vin.warnings) == 1
    with pytest.raises(ValidationError) as not_a_car:
        services.orders.set_vin(actor, mats.id, "1M8GDM9AXKP042788")
    assert "not a vehicle" in not_a_car.value.errors["vin"]
    other = services.orders.create(actor, {"customer_id": customer.id})
    with pytest.raises(ValidationError) as taken:
        services.orders.add_line(actor, other.id, {"description": "二手车置换", "unit_price": "1", "vin": US_VIN})
    assert first.order["number"] in taken.value.errors["vin"]
    added = services.orders.add_line(actor, other.id, {"description": "精品套装", "quantity": "2", "unit_price": "99.995"})
    assert added.line["line_total"] == Decimal("200.00") and services.orders.get(actor, other.id)["total"] == Decimal(
        "200.00")
    assert services.orders.set_vin(actor, car.id, "").line["vin"] is None  # cleared


def test_the_status_moves_by_its_rules_and_a_cancellation_keeps_its_reason(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟"})
    order = services.orders.create(actor, {"customer_id": customer.id, "total": "1000"})
    confirmed = services.orders.confirm(actor, order.id)
    assert confirmed["status"] == "confirmed" and confirmed["confirmed_at"] is not None
    with pytest.raises(ValidationError) as no_reason:
        services.orders.update(actor, order.id, {"status": "cancelled"})
    assert "cancel_reason" in no_reason.value.errors
    cancelled = services.orders.cancel(actor, order.id, "客户资金未到位")
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "客户资金未到位")
    assert cancelled["cancelled_at"] is not None
    for target in ("draft", "confirmed", "delivered"):
        with pytest.raises(ValidationError) as refused:
            services.orders.update(actor, order.id, {"status": target})
        assert "status" in refused.value.errors
    delivered = services.orders.create(actor, {"customer_id": customer.id, "status": "delivered"})
    with pytest.raises(ValidationError):
        services.orders.cancel(actor, delivered.id, "反悔")
    closed = services.orders.close(actor, delivered.id)
    assert closed["status"] == "closed" and closed["closed_at"] is not None


def test_delivering_makes_a_purchasing_customer_and_plans_the_follow_ups(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟", "intent_grade": "A", "phone": "13812345678"})
    contract = contracts.create_contract_from_quote(services.db, actor, _quote(services.db, actor, customer.id))
    contracts.sign_contract(services.db, actor, contract.id)
    order = services.orders.create_from_contract(actor, contract.id, vins=[US_VIN, "1M8GDM9AXKP042788"]).order
    services.orders.confirm(actor, order.id)
    delivered = services.orders.deliver(actor, order.id, date.today())
    assert delivered["status"] == "delivered" and delivered["delivered_at"] is not None
    assert delivered["delivery_date"] == date.today()
    with read_session(services.db) as session:
        assert session.get_one(Customer, customer.id).intent_grade == "O"
        rules = set(session.scalars(select(Activity.plan_rule).where(
            Activity.customer_id == customer.id, Activity.status == "planned")))
    assert {followups.RULE_DELIVERY_48H, followups.RULE_DELIVERY_WEEKLY} <= rules
    assert followups.RULE_CADENCE not in rules  # grade O: the delivery plan, not the intent cadence


def test_an_order_with_payments_allocated_is_not_cancelled(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟"})
    order = services.orders.create(actor, {"customer_id": customer.id, "total": "1000"})
    plan = payments.create_payment_plan(services.db, actor, order_id=order.id,
                                        installments=[{"due_date": "2026-12-01", "amount": "1000"}])
    paid = payments.record_payment(services.db, actor, {"customer_id": customer.id, "received_on": "2026-11-30",
                                                        "amount": "300", "order_id": order.id})
    with pytest.raises(ValidationError) as refused:
        services.orders.cancel(actor, order.id, "客户退订")
    assert "unallocate" in refused.value.errors["status"]
    payments.unallocate(services.db, actor, paid.allocations[0].id)
    services.orders.cancel(actor, order.id, "客户退订")
    assert payments.plan_for(services.db, actor, order_id=order.id) is None  # the unpaid plan went with it
    assert payments.customer_credit(services.db, customer.id) == Decimal("300.00")
    assert plan.id
