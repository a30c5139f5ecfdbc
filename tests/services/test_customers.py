"""Customers and contacts: ID checks, lost reasons, the public pool default, renames carried to deals."""

import pytest

from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import ValidationError
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor


def test_customer_without_owner_stays_in_the_public_pool(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "李娜", "phone": "13900001111"})
    assert customer["owner_id"] is None
    assert services.customers.count(actor, ListQuery(filters={"owner_id": None})) == 1


def test_resident_id_and_credit_code_are_checked(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.customers.create(actor, {"name": "李娜", "id_number": "110101199003070000",
                                          "uscc": "91110000000000000X"})
    assert set(caught.value.errors) == {"id_number", "uscc"}
    ok = services.customers.create(actor, {"name": "李娜", "id_number": "11010119900307803x"})
    assert ok["id_number"] == "11010119900307803X"


def test_lost_customer_needs_a_reason(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "李娜"})
    with pytest.raises(ValidationError) as caught:
        services.customers.update(actor, customer.id, {"status": "lost"})
    assert "lost_reason" in caught.value.errors


def test_rename_reaches_deals_orders_and_search(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"kind": "company", "name": "远景科技"})
    first = list_stages(services.db, actor, "project")[0]
    deal = services.opportunities.create(actor, {"name": "机房改造", "customer_id": customer.id, "stage_id": first.id})
    order = services.orders.create(actor, {"customer_id": customer.id})
    services.customers.update(actor, customer.id, {"name": "蔚蓝动力"})
    assert services.opportunities.get(actor, deal.id)["customer_name"] == "蔚蓝动力"
    assert services.orders.get(actor, order.id)["customer_name"] == "蔚蓝动力"
    assert services.opportunities.count(actor, ListQuery(search="蔚蓝")) == 1
    assert services.opportunities.count(actor, ListQuery(search="远景")) == 0


def test_contact_needs_an_existing_customer(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.contacts.create(actor, {"customer_id": "missing", "name": "张伟"})
    assert "customer_id" in caught.value.errors
    customer = services.customers.create(actor, {"name": "远景科技", "kind": "company"})
    contact = services.contacts.create(actor, {"customer_id": customer.id, "name": "张伟", "is_primary": "是"})
    assert contact["is_primary"] is True


def test_references_must_name_live_records(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.customers.create(actor, {"name": "李娜", "owner_id": "no-such-user"})
    assert caught.value.errors == {"owner_id": "Choose an existing user."}
    customer = services.customers.create(actor, {"name": "李娜"})
    services.customers.delete(actor, customer.id)
    with pytest.raises(ValidationError) as caught:
        services.orders.create(actor, {"customer_id": customer.id})
    assert caught.value.errors == {"customer_id": "Choose an existing customer."}
