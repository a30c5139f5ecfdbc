"""Orders: numbers unique per device and day, dates, totals."""

from datetime import date
from decimal import Decimal

import pytest

from crmdesk.services.errors import ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor


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
