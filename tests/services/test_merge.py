"""Merging leads and customers: field choices, every linked row moved, the ledger and the audit log,
undo restoring exactly, and refusals that leave nothing half-written."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import inspect, select

from crmdesk.models import (
    Activity,
    AuditEntry,
    Contact,
    Contract,
    Customer,
    Lead,
    Opportunity,
    Order,
    Payment,
    PaymentPlan,
    Quote,
    RecordMerge,
    TestDrive,
)
from crmdesk.models.database import Database
from crmdesk.services import merge as merge_service
from crmdesk.services.duplicates import RecordRef, find_groups
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.merge import (
    COMBINE,
    linked_columns,
    list_merges,
    merge_preview,
    merge_records,
    undo_merge,
)
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work

STAMPS = {"updated_at", "updated_by"}
STAGE = "01900000-0000-7000-8000-000000001000"  # vehicle sales: qualify


def row_values(db: Database, model: Any, record_id: str) -> dict[str, Any]:
    with read_session(db) as session:
        obj = session.get(model, record_id)
        assert obj is not None
        return {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs if a.key not in STAMPS}


def all_rows(db: Database) -> dict[str, dict[str, dict[str, Any]]]:
    """Every business row of every table that can point at a lead or customer, without stamps."""
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    models = {model for entity in ("lead", "customer") for model, _column in linked_columns(entity)}
    with read_session(db) as session:
        for model in {*models, Lead, Customer}:
            tables[model.__tablename__] = {
                obj.id: {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs if a.key not in STAMPS}
                for obj in session.scalars(select(model))
            }
    return tables


def link_everything(db: Database, actor: Actor, customer_id: str, tag: str) -> dict[str, str]:
    """One row of every kind that belongs to a customer."""
    ids: dict[str, str] = {}
    with unit_of_work(db, actor) as session:
        name = session.get(Customer, customer_id).name  # type: ignore[union-attr]
        opportunity = Opportunity(name=f"商机{tag}", customer_id=customer_id, customer_name=name,
                                  pipeline_id="01900000-0000-7000-8000-000000000001", stage_id=STAGE)
        contact = Contact(customer_id=customer_id, name=f"联系人{tag}")
        session.add_all([opportunity, contact])
        session.flush()
        quote = Quote(number=f"QT-{tag}", customer_id=customer_id, opportunity_id=opportunity.id)
        contract = Contract(number=f"CT-{tag}", title="合同", customer_id=customer_id)
        order = Order(number=f"SO-{tag}", customer_id=customer_id, customer_name=name, order_date=date(2026, 1, 5))
        session.add_all([quote, contract, order])
        session.flush()
        plan = PaymentPlan(customer_id=customer_id, order_id=order.id, total=Decimal("100"))
        payment = Payment(customer_id=customer_id, order_id=order.id, received_on=date(2026, 1, 6),
                          amount=Decimal("100"))
        drive = TestDrive(customer_id=customer_id, driver_name=f"司机{tag}")
        activity = Activity(subject=f"回访{tag}", customer_id=customer_id)
        lead = Lead(name=f"已转化{tag}", email=f"{tag}@example.com", status="converted", customer_id=customer_id)
        session.add_all([plan, payment, drive, activity, lead])
        session.flush()
        for key, obj in (("opportunities", opportunity), ("contacts", contact), ("quotes", quote),
                         ("contracts", contract), ("orders", order), ("payment_plans", plan), ("payments", payment),
                         ("test_drives", drive), ("activities", activity), ("leads", lead)):
            ids[key] = obj.id
    return ids


def test_every_table_pointing_at_a_customer_is_known() -> None:
    tables = {f"{model.__tablename__}.{column}" for model, column in linked_columns("customer")}
    assert {"activities.customer_id", "test_drives.customer_id", "quotes.customer_id", "contracts.customer_id",
            "orders.customer_id", "payment_plans.customer_id", "payments.customer_id", "contacts.customer_id",
            "opportunities.customer_id", "leads.customer_id"} <= tables
    assert "activities.lead_id" in {f"{m.__tablename__}.{c}" for m, c in linked_columns("lead")}


def test_preview_defaults_to_the_newest_non_empty_value(db: Database, services: Services, actor: Actor) -> None:
    kept = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "city": "杭州市",
                                         "company": "远景"}).id
    merged = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "email": "zw@example.com",
                                           "city": "上海市"}).id
    preview = merge_preview(db, actor, RecordRef("lead", kept), [RecordRef("lead", merged)])
    fields = {f.name: f for f in preview.fields}
    assert fields["name"].identical and fields["phone"].identical
    assert fields["city"].default == merged  # the merged lead is newer
    assert fields["email"].default == merged  # only it has one
    assert fields["company"].default == kept  # the newer one is empty
    assert fields["city"].value_of(kept) == "杭州市" and fields["city"].value_of(merged) == "上海市"
    assert [r.ref.id for r in preview.records] == [kept, merged]
    # The kept one edited later: its city is now the newest.
    services.leads.update(actor, kept, {"notes": "更新"})
    preview = merge_preview(db, actor, RecordRef("lead", kept), [RecordRef("lead", merged)])
    assert {f.name: f for f in preview.fields}["city"].default == kept


def test_lead_merge_writes_choices_moves_activities_and_is_recorded(
        db: Database, services: Services, actor: Actor) -> None:
    kept = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "city": "杭州市",
                                         "notes": "老客户"}).id
    merged = services.leads.create(actor, {"name": "张玮", "phone": "13812345678", "email": "zw@example.com",
                                           "city": "上海市", "notes": "新来电"}).id
    with unit_of_work(db, actor) as session:
        session.add_all([Activity(subject="首次来电", lead_id=merged), Activity(subject="到店", lead_id=merged),
                         Activity(subject="kept's own", lead_id=kept)])
    result = merge_records(db, actor, RecordRef("lead", kept), RecordRef("lead", merged),
                           {"name": merged, "city": kept, "notes": COMBINE})
    lead = services.leads.get(actor, kept)
    assert (lead["name"], lead["city"], lead["email"]) == ("张玮", "杭州市", "zw@example.com")
    assert lead["notes"] == "老客户\n\n新来电"
    assert result.moved == {"activities.lead_id": 2}
    assert set(result.changed_fields) >= {"name", "email", "notes"}
    with read_session(db) as session:
        assert {a.subject for a in session.scalars(select(Activity).where(Activity.lead_id == kept))} == {
            "首次来电", "到店", "kept's own"}
        gone = session.get(Lead, merged)
        assert gone is not None and gone.deleted_at is not None and gone.merged_into_id == kept
        record = session.get(RecordMerge, result.merge_ids[0])
        assert record is not None and (record.entity_type, record.kept_id, record.merged_id) == ("lead", kept, merged)
        snapshot = json.loads(record.snapshot)
        assert snapshot["kept"]["before"]["name"] == "张伟"
        assert snapshot["merged"]["values"]["city"] == "上海市"  # the value not chosen is still readable
        assert snapshot["moves"][0]["table"] == "activities" and len(snapshot["moves"][0]["ids"]) == 2
        actions = {(e.action, e.entity_id) for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "merge"))}
        assert actions == {("merge", kept), ("merge", merged)}
    # The search columns follow: found by the new name's pinyin, the merged lead found no more.
    assert services.leads.count(actor, ListQuery(search="张玮")) == 1
    assert services.leads.page(actor, ListQuery(search="13812345678"), 0, 10)[0][0] == kept
    assert find_groups(db, actor) == []


def test_undo_restores_both_records_and_every_row_exactly(db: Database, services: Services, actor: Actor) -> None:
    kept = services.customers.create(actor, {"name": "苏州群英电子", "kind": "company", "phone": "051262345678",
                                             "city": "苏州市", "tier": "B"}).id
    merged = services.customers.create(actor, {"name": "苏州群英电子有限公司", "kind": "company",
                                               "phone": "051262345678", "tier": "A",
                                               "uscc": "91110108551385082Q"}).id
    kept_links = link_everything(db, actor, kept, "K")
    merged_links = link_everything(db, actor, merged, "M")
    before = all_rows(db)
    result = merge_records(db, actor, RecordRef("customer", kept), RecordRef("customer", merged),
                           {"name": merged, "tier": merged})
    # Every linked row of the merged customer now belongs to the kept one.
    with read_session(db) as session:
        for table, row_id in merged_links.items():
            model = next(m for m, _c in linked_columns("customer") if m.__tablename__ == table)
            assert session.get(model, row_id).customer_id == kept, table  # type: ignore[union-attr]
        names = {o.customer_name for o in session.scalars(select(Opportunity).where(Opportunity.customer_id == kept))}
        assert names == {"苏州群英电子有限公司"}  # deals copy the new name, moved ones and its own
        assert {o.customer_name for o in session.scalars(select(Order))} == {"苏州群英电子有限公司"}
    assert {key.split(".")[0] for key in result.moved} >= set(merged_links)
    customer = services.customers.get(actor, kept)
    assert (customer["name"], customer["tier"], customer["uscc"], customer["city"]) == (
        "苏州群英电子有限公司", "A", "91110108551385082Q", "苏州市")
    assert services.opportunities.count(actor, ListQuery(search="群英电子有限公司")) == 2

    undone = undo_merge(db, actor, result.merge_ids[0])
    assert undone.kept_later_edits == ()
    after = all_rows(db)
    for table, rows in before.items():
        for row_id, values in rows.items():
            restored = after[table][row_id]
            differing = {k for k in values if values[k] != restored[k] and k not in ("search_body",)}
            assert not differing, (table, row_id, differing)
    assert services.customers.get(actor, merged)["name"] == "苏州群英电子有限公司"
    assert services.opportunities.count(actor, ListQuery(search="群英电子有限公司")) == 1  # the search follows
    assert kept_links["orders"] in after["orders"]
    with read_session(db) as session:
        assert {e.entity_id for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "unmerge"))} == {
            kept, merged}
        assert session.get(RecordMerge, result.merge_ids[0]).undone_at is not None  # type: ignore[union-attr]
    with pytest.raises(ConflictError, match="already been undone"):
        undo_merge(db, actor, result.merge_ids[0])


def test_lead_folds_into_a_customer(db: Database, services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "city": "宁波市"}).id
    lead = services.leads.create(actor, {"name": "陈静", "phone": "13600003333", "email": "cj@example.com",
                                         "residential_area": "鄞州区 万达广场"}).id
    with unit_of_work(db, actor) as session:
        session.add(Activity(subject="来电咨询", lead_id=lead))
    preview = merge_preview(db, actor, RecordRef("customer", customer), [RecordRef("lead", lead)])
    fields = {f.name: f for f in preview.fields}
    assert fields["email"].value_of(lead) == "cj@example.com"
    assert fields["address"].value_of(lead) == "鄞州区 万达广场"
    assert fields["tier"].value_of(lead) is None
    assert preview.moves == {"activities": 1}
    result = merge_records(db, actor, RecordRef("customer", customer), RecordRef("lead", lead))
    assert services.customers.get(actor, customer)["email"] == "cj@example.com"
    with read_session(db) as session:
        activity = session.scalars(select(Activity).where(Activity.subject == "来电咨询")).one()
        assert (activity.customer_id, activity.lead_id) == (customer, None)
        assert session.get(Lead, lead).merged_into_id == customer  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        services.leads.get(actor, lead)
    undo_merge(db, actor, result.merge_ids[0])
    with read_session(db) as session:
        activity = session.scalars(select(Activity).where(Activity.subject == "来电咨询")).one()
        assert (activity.customer_id, activity.lead_id) == (None, lead)
    assert services.customers.get(actor, customer)["email"] is None
    assert services.leads.get(actor, lead)["email"] == "cj@example.com"


def test_a_customer_never_folds_into_a_lead(db: Database, services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333"}).id
    lead = services.leads.create(actor, {"name": "陈静", "phone": "13600003333"}).id
    with pytest.raises(ConflictError):
        merge_records(db, actor, RecordRef("lead", lead), RecordRef("customer", customer))
    with pytest.raises(ValidationError):
        merge_records(db, actor, RecordRef("lead", lead), RecordRef("lead", lead))


def test_merging_an_already_merged_record_is_refused(db: Database, services: Services, actor: Actor) -> None:
    a, b, c = (services.leads.create(actor, {"name": n, "phone": "13811112222"}).id for n in ("甲", "乙", "丙"))
    merge_records(db, actor, RecordRef("lead", a), RecordRef("lead", b))
    with pytest.raises(ConflictError, match="already been merged"):
        merge_records(db, actor, RecordRef("lead", c), RecordRef("lead", b))
    with pytest.raises(ConflictError, match="already been merged"):
        merge_records(db, actor, RecordRef("lead", b), RecordRef("lead", c))


def test_a_merge_that_fails_writes_nothing(db: Database, services: Services, actor: Actor,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    kept = services.leads.create(actor, {"name": "周杰", "email": "zj@example.com"}).id
    merged = services.leads.create(actor, {"name": "周杰伦", "phone": "13955556666"}).id
    with unit_of_work(db, actor) as session:
        session.add(Activity(subject="电话", lead_id=merged))
    before = all_rows(db)
    # Neither a phone nor an e-mail left: the same rule as the form refuses it.
    with pytest.raises(ValidationError) as caught:
        merge_records(db, actor, RecordRef("lead", kept), RecordRef("lead", merged), {"email": merged, "phone": kept})
    assert "phone" in caught.value.errors
    assert all_rows(db) == before
    # A failure halfway (after the values were written and rows moved) rolls everything back.
    real_move = merge_service._move
    calls = []

    def failing_move(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk full")
        return real_move(*args, **kwargs)

    monkeypatch.setattr(merge_service, "_move", failing_move)
    with pytest.raises(RuntimeError):
        merge_records(db, actor, RecordRef("lead", kept), RecordRef("lead", merged), {"name": merged})
    assert all_rows(db) == before
    with read_session(db) as session:
        assert session.scalars(select(RecordMerge)).first() is None


def test_undo_keeps_later_edits_and_refuses_while_a_later_merge_stands(
        db: Database, services: Services, actor: Actor) -> None:
    a, b, c = (services.leads.create(actor, {"name": n, "phone": "13811113333", "city": city}).id
               for n, city in (("甲", "北京市"), ("乙", "上海市"), ("丙", "广州市")))
    first = merge_records(db, actor, RecordRef("lead", a), RecordRef("lead", b), {"city": b, "name": a})
    second = merge_records(db, actor, RecordRef("lead", a), RecordRef("lead", c), {"name": c})
    with pytest.raises(ConflictError, match="later merge"):
        undo_merge(db, actor, first.merge_ids[0])
    undo_merge(db, actor, second.merge_ids[0])
    services.leads.update(actor, a, {"city": "深圳市"})  # edited after the merge
    undone = undo_merge(db, actor, first.merge_ids[0])
    assert undone.kept_later_edits == ("city",)
    assert services.leads.get(actor, a)["city"] == "深圳市"
    assert services.leads.get(actor, b)["city"] == "上海市"
    history = list_merges(db, actor)
    assert [m.id for m in history] == [second.merge_ids[0], first.merge_ids[0]]
    assert all(m.undone_at is not None for m in history)
    assert history[1].merged_name == "乙" and history[1].kept_name == "甲"


def test_merging_several_records_at_once(db: Database, services: Services, actor: Actor) -> None:
    a, b, c = (services.leads.create(actor, {"name": n, "phone": "13811114444"}).id for n in ("甲", "乙", "丙"))
    result = merge_records(db, actor, RecordRef("lead", a), [RecordRef("lead", b), RecordRef("lead", c)],
                           {"name": c})
    assert len(result.merge_ids) == 2
    assert services.leads.get(actor, a)["name"] == "丙"
    for merge_id in reversed(result.merge_ids):
        undo_merge(db, actor, merge_id)
    assert [services.leads.get(actor, i)["name"] for i in (a, b, c)] == ["甲", "乙", "丙"]


def test_a_converted_lead_merged_into_another_lead_passes_on_its_conversion(
        db: Database, services: Services, actor: Actor) -> None:
    kept = services.leads.create(actor, {"name": "王芳", "phone": "13700002222"}).id
    merged = services.leads.create(actor, {"name": "王芳", "phone": "13700002222"}).id
    conversion = services.leads.convert(actor, merged)
    preview = merge_preview(db, actor, RecordRef("lead", kept), [RecordRef("lead", merged)])
    assert "status" not in {f.name for f in preview.fields}
    result = merge_records(db, actor, RecordRef("lead", kept), RecordRef("lead", merged))
    lead = services.leads.get(actor, kept)
    assert (lead["status"], lead["customer_id"], lead["opportunity_id"]) == (
        "converted", conversion.customer_id, conversion.opportunity_id)
    with read_session(db) as session:
        deal = session.get(Opportunity, conversion.opportunity_id)
        assert deal is not None and deal.source_id == kept  # the deal's source is the kept lead now
    undo_merge(db, actor, result.merge_ids[0])
    lead = services.leads.get(actor, kept)
    assert (lead["status"], lead["customer_id"]) == ("new", None)
    with read_session(db) as session:
        assert session.get(Opportunity, conversion.opportunity_id).source_id == merged  # type: ignore[union-attr]
    assert datetime.now(UTC)  # times stay aware
