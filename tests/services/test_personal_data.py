"""Personal data: masks, who sees real values, the audited reveal, and masking on every read path."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crmdesk.models import AuditEntry
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import NotFoundError, ValidationError
from crmdesk.services.exporter import export_list
from crmdesk.services.permissions import load_role_permissions, role_grant, save_role_permissions
from crmdesk.services.personal_data import (
    mask_id_number,
    mask_phone,
    reveal_personal_data,
    sees_personal_data,
)
from crmdesk.services.registry import Services
from crmdesk.services.search import search
from crmdesk.services.uow import Actor, read_session

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def rep(consultant: str) -> Actor:
    return Actor(user_id=consultant, display_name="王磊", role="consultant")


@pytest.fixture
def customer(services: Services, actor: Actor, rep: Actor) -> str:
    """The consultant's own customer (their scope is their own records): masking, not scope, is tested here."""
    return services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "id_number": ID_NUMBER,
                                             "city": "宁波市", "owner_id": rep.user_id}).id


def test_masks_keep_the_ends_of_a_number() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-6888-1234") == "021-****-1234"  # separators stay, digits are counted
    assert mask_phone("+85291234567") == "+852****4567"
    assert mask_phone("1234567") == "*****67"  # short: only the last two
    assert mask_phone("12") == "**"
    assert mask_phone(None) is None and mask_phone("") == ""
    assert mask_id_number("330106199001011234") == "330***********1234"
    assert len(mask_id_number(ID_NUMBER) or "") == 18
    assert mask_id_number("12345") == "****5"


def test_managers_see_personal_data_consultants_do_not(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    assert sees_personal_data(db, actor)  # admin
    assert sees_personal_data(db, Actor("x", "经理", "manager"))
    assert not sees_personal_data(db, rep)
    assert not sees_personal_data(db, Actor("y", "外勤", "field_rep"))
    grants = load_role_permissions(db)  # the "unmask" permission is the role setting's, changed by an admin
    grants["consultant"]["permissions"].append("unmask")
    grants["manager"]["permissions"].remove("unmask")
    save_role_permissions(db, actor, grants)
    permissions, scope = role_grant(db, "consultant")
    assert sees_personal_data(db, Actor(rep.user_id, "王磊", "consultant", permissions=permissions, scope=scope))
    manager, scope = role_grant(db, "manager")
    assert not sees_personal_data(db, Actor("x", "经理", "manager", permissions=manager, scope=scope))
    with pytest.raises(ValidationError):
        save_role_permissions(db, actor, {"boss": {"permissions": ["see"], "scope": "all"}})


def test_a_consultant_reads_masks_in_get_lists_and_search(services: Services, actor: Actor, rep: Actor,
                                                          customer: str) -> None:
    record = services.customers.get(rep, customer)
    assert record["phone"] == "136****3333" and record["id_number"] == "110***********002X"
    assert services.customers.get(actor, customer)["phone"] == "13600003333"
    phone = [c.key for c in services.customers.columns].index("phone") + 1
    assert services.customers.page(rep, ListQuery(), 0, 10)[0][phone] == "136****3333"
    assert services.customers.page(actor, ListQuery(), 0, 10)[0][phone] == "13600003333"
    rows = [row for batch in services.customers.iter_rows(rep, ListQuery()) for row in batch]
    assert rows[0][phone] == "136****3333"
    contact = services.contacts.create(actor, {"customer_id": customer, "name": "陈静", "phone": "13600003333"})
    assert services.contacts.get(rep, contact.id)["phone"] == "136****3333"
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "owner_id": rep.user_id})
    assert services.leads.get(rep, lead.id)["phone"] == "138****5678"
    hits = search(services.db, rep, "3333")  # found by its digits, shown masked
    assert hits and {hit.phone for hit in hits} == {"136****3333"}
    assert {hit.phone for hit in search(services.db, actor, "3333")} == {"13600003333"}


def test_exports_by_a_role_without_unmask_are_masked(services: Services, actor: Actor, customer: str,
                                                    new_user: Any, tmp_path: Path) -> None:
    finance = new_user("kuaiji", "会计", "finance")  # may export, may not see personal data
    export_list(services.customers, finance, tmp_path / "rep.csv")
    export_list(services.customers, actor, tmp_path / "admin.csv")
    with (tmp_path / "rep.csv").open(encoding="utf-8-sig") as handle:
        text = handle.read()
    assert "136****3333" in text and "13600003333" not in text
    with (tmp_path / "admin.csv").open(encoding="utf-8-sig") as handle:
        assert "13600003333" in [cell for row in csv.reader(handle) for cell in row]


def test_reveal_returns_the_value_and_is_audited_without_it(services: Services, rep: Actor, customer: str) -> None:
    assert reveal_personal_data(services.db, rep, "customer", customer, "phone") == "13600003333"
    assert reveal_personal_data(services.db, rep, "customer", customer, "id_number") == ID_NUMBER
    with read_session(services.db) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")
                                  .order_by(AuditEntry.at)).all()
        assert [(e.user_id, e.entity_type, e.entity_id, e.field) for e in entries] == [
            (rep.user_id, "customers", customer, "phone"), (rep.user_id, "customers", customer, "id_number")]
        assert all(e.old_value is None and e.new_value is None for e in entries)  # never the value itself
    with pytest.raises(NotFoundError):
        reveal_personal_data(services.db, rep, "customer", "no-such-id", "phone")
    with pytest.raises(ValueError):
        reveal_personal_data(services.db, rep, "customer", customer, "name")


def test_saving_the_mask_back_keeps_the_real_value(services: Services, actor: Actor, rep: Actor,
                                                   customer: str) -> None:
    shown = services.customers.get(rep, customer)
    updated = services.customers.update(rep, customer, {"phone": shown["phone"], "id_number": shown["id_number"],
                                                        "city": "杭州市"})
    assert updated["phone"] == "136****3333"  # still masked for the consultant
    real = services.customers.get(actor, customer)
    assert (real["phone"], real["id_number"], real["city"]) == ("13600003333", ID_NUMBER, "杭州市")
    services.customers.update(rep, customer, {"phone": "13900001111"})  # a real new number is saved
    assert services.customers.get(actor, customer)["phone"] == "13900001111"


def test_a_consultant_reads_masks_from_the_lead_lifecycle_too(services: Services, actor: Actor, rep: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "score": 80,
                                         "owner_id": rep.user_id}).id
    invalid = services.leads.mark_invalid(rep, lead, "other", "客户说打错了")
    assert invalid["phone"] == "138****5678"
    assert services.leads.reopen(rep, lead)["phone"] == "138****5678"
    assert services.leads.reopen(actor, services.leads.mark_invalid(actor, lead, "other", "再试").id)["phone"] \
        == "13812345678"
