"""Lost and dormant: the lost-reason list, request -> approve / reject, dormant customers, the pool,
managers only, the direct lost stage, reactivation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from crmdesk import i18n
from crmdesk.models import Activity, AuditEntry, Customer, LostRequest, PoolEvent, User
from crmdesk.models.base import utcnow
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.lost import (
    DEFAULT_LOST_REASONS,
    NotAllowedError,
    approve_lost,
    lost_reasons,
    lost_requests_for,
    pending_lost_requests,
    reactivate_customer,
    reject_lost,
    request_lost,
    save_lost_reasons,
)
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work


@pytest.fixture
def rep(services: Services, consultant: str) -> Actor:
    return Actor(user_id=consultant, display_name="王磊", role="consultant")


@pytest.fixture
def manager(services: Services, actor: Actor) -> Actor:
    with unit_of_work(services.db, actor) as session:
        user = User(username="zhaomin", display_name="赵敏", role="manager")
        session.add(user)
        session.flush()
        return Actor(user_id=user.id, display_name="赵敏", role="manager")


def _stage(services: Services, actor: Actor, code: str) -> str:
    return next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == code)


@pytest.fixture
def customer_id(services: Services, rep: Actor) -> str:
    return services.customers.create(rep, {"name": "陈静", "phone": "13600003333", "owner_id": rep.user_id}).id


def _deal(services: Services, rep: Actor, customer_id: str, name: str = "华驰 S5") -> str:
    return services.opportunities.create(rep, {
        "name": name, "customer_id": customer_id, "stage_id": _stage(services, rep, "negotiation"),
        "amount": Decimal("189800"), "owner_id": rep.user_id}).id


def _customer(services: Services, customer_id: str) -> Customer:
    with read_session(services.db) as session:
        customer = session.get_one(Customer, customer_id)
        session.expunge(customer)
        return customer


def test_default_reasons_and_saving_a_list(services: Services, actor: Actor, rep: Actor) -> None:
    assert [r.code for r in lost_reasons(services.db)] == [r["code"] for r in DEFAULT_LOST_REASONS]
    assert next(r for r in lost_reasons(services.db) if r.code == "other").needs_detail
    i18n.set_language("zh_CN")
    assert lost_reasons(services.db)[0].label == "价格因素"
    i18n.set_language("en")
    with pytest.raises(ValidationError) as caught:
        save_lost_reasons(services.db, actor, [{"code": "a", "zh": "甲"}, {"code": "a", "zh": ""}])
    assert set(caught.value.errors) == {"reasons[1].code", "reasons[1].zh"}
    with pytest.raises(NotAllowedError):
        save_lost_reasons(services.db, rep, [{"code": "a", "zh": "甲"}])
    saved = save_lost_reasons(services.db, actor, [{"code": "dealer", "zh": "去了别的 4S 店", "en": "Other dealer"}])
    assert [(r.code, r.en) for r in saved] == [("dealer", "Other dealer")]
    assert lost_reasons(services.db) == saved


def test_request_keeps_the_deal_open_and_only_one_waits(services: Services, rep: Actor, customer_id: str) -> None:
    deal = _deal(services, rep, customer_id)
    with pytest.raises(ValidationError) as caught:
        request_lost(services.db, rep, deal, "nonsense")
    assert set(caught.value.errors) == {"reason"}
    with pytest.raises(ValidationError) as caught:
        request_lost(services.db, rep, deal, "other", "  ")
    assert set(caught.value.errors) == {"detail"}
    request = request_lost(services.db, rep, deal, "competitor", "买了别家的 SUV")
    assert request["status"] == "pending" and request["requested_by"] == rep.user_id
    assert services.opportunities.get(rep, deal)["status"] == "open"
    with pytest.raises(ConflictError):
        request_lost(services.db, rep, deal, "price")
    pending = pending_lost_requests(services.db, rep)
    assert [(p.id, p["customer_name"], p["amount"], p["owner_name"], p["days_pending"]) for p in pending] == [
        (request.id, "陈静", Decimal("189800.00"), "王磊", 0)]


def test_approve_makes_the_customer_dormant_and_puts_it_in_the_pool(services: Services, rep: Actor,
                                                                    manager: Actor, customer_id: str) -> None:
    deal = _deal(services, rep, customer_id)
    with unit_of_work(services.db, rep) as session:
        session.add(Activity(kind="call", status="planned", subject="回访", due_at=utcnow(), owner_id=rep.user_id,
                             customer_id=customer_id, opportunity_id=deal))
    request = request_lost(services.db, rep, deal, "price")
    with pytest.raises(NotAllowedError):
        approve_lost(services.db, rep, request.id)
    approved = approve_lost(services.db, manager, request.id, "同意")
    assert approved["status"] == "approved" and approved["reviewed_by"] == manager.user_id
    lost = services.opportunities.get(manager, deal)
    assert lost["status"] == "lost" and lost["stage_id"] == _stage(services, manager, "lost")
    assert lost["lost_reason"] == "Price" and lost["lost_at"] is not None
    history = services.opportunities.stage_history(manager, deal)
    assert history[-1]["to_stage_id"] == _stage(services, manager, "lost")
    customer = _customer(services, customer_id)
    assert customer.status == "dormant" and customer.dormant_at is not None and customer.lost_reason == "Price"
    assert customer.owner_id is None and customer.pool_entered_at is not None
    with read_session(services.db) as session:
        event = session.scalars(select(PoolEvent).where(PoolEvent.customer_id == customer_id)).one()
        assert (event.action, event.from_owner_id) == ("lost", rep.user_id)
        statuses = set(session.scalars(select(Activity.status).where(Activity.opportunity_id == deal)))
        assert "planned" not in statuses and "cancelled" in statuses
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == request.id,
                                                         AuditEntry.action == "approve")).one()
        assert (audit.user_id, audit.field, audit.old_value, audit.new_value) == (
            manager.user_id, "status", "pending", "approved")
        comment = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == request.id,
                                                           AuditEntry.field == "review_comment")).one()
        assert comment.new_value == "同意"  # the comment is recorded as the field it is
    assert pending_lost_requests(services.db, manager) == []
    with pytest.raises(ConflictError):
        approve_lost(services.db, manager, request.id)


def test_approve_with_another_open_deal_keeps_the_owner(services: Services, rep: Actor, manager: Actor,
                                                        customer_id: str) -> None:
    deal = _deal(services, rep, customer_id)
    _deal(services, rep, customer_id, "华驰 A3")
    approve_lost(services.db, manager, request_lost(services.db, rep, deal, "postponed").id)
    customer = _customer(services, customer_id)
    assert customer.status == "dormant" and customer.owner_id == rep.user_id
    with read_session(services.db) as session:
        assert session.scalar(select(PoolEvent.id).where(PoolEvent.customer_id == customer_id)) is None


def test_reject_needs_a_comment_keeps_the_deal_open_and_the_rep_sees_it(services: Services, rep: Actor,
                                                                        manager: Actor, customer_id: str) -> None:
    deal = _deal(services, rep, customer_id)
    request = request_lost(services.db, rep, deal, "no_contact")
    with pytest.raises(NotAllowedError):
        reject_lost(services.db, rep, request.id, "不行")
    with pytest.raises(ValidationError) as caught:
        reject_lost(services.db, manager, request.id, " ")
    assert set(caught.value.errors) == {"comment"}
    reject_lost(services.db, manager, request.id, "再打三次电话，换个时间段")
    assert services.opportunities.get(rep, deal)["status"] == "open"
    assert _customer(services, customer_id).status == "active"
    seen = lost_requests_for(services.db, rep, deal)
    assert [(r["status"], r["review_comment"], r["reviewed_by_name"]) for r in seen] == [
        ("rejected", "再打三次电话，换个时间段", "赵敏")]
    with read_session(services.db) as session:
        assert session.scalar(select(AuditEntry.id).where(AuditEntry.entity_id == request.id,
                                                          AuditEntry.action == "reject")) is not None
    assert request_lost(services.db, rep, deal, "price")["status"] == "pending"  # may ask again


def test_a_rep_cannot_set_a_lost_stage_directly_but_a_manager_can(services: Services, rep: Actor,
                                                                   manager: Actor, customer_id: str) -> None:
    deal = _deal(services, rep, customer_id)
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as caught:
        services.opportunities.update(rep, deal, {"stage_id": _stage(services, rep, "lost"), "lost_reason": "价格"})
    assert caught.value.errors["stage_id"] == "请提交战败申请，经理批准后才能战败"
    i18n.set_language("en")
    assert services.opportunities.get(rep, deal)["status"] == "open"
    pending = request_lost(services.db, rep, deal, "price")
    services.opportunities.update(manager, deal, {"stage_id": _stage(services, manager, "lost"),
                                                  "lost_reason": "价格太高"})
    customer = _customer(services, customer_id)
    assert customer.status == "dormant" and customer.lost_reason == "价格太高" and customer.owner_id is None
    assert lost_requests_for(services.db, manager, deal)[0]["status"] == "approved"
    assert pending.id == lost_requests_for(services.db, manager, deal)[0].id
    with pytest.raises(ConflictError):
        request_lost(services.db, rep, deal, "price")


def test_reactivation_claims_a_pooled_customer(services: Services, rep: Actor, manager: Actor,
                                               customer_id: str) -> None:
    with pytest.raises(ConflictError):
        reactivate_customer(services.db, rep, customer_id)
    deal = _deal(services, rep, customer_id)
    approve_lost(services.db, manager, request_lost(services.db, rep, deal, "no_budget").id)
    record = reactivate_customer(services.db, rep, customer_id, "客户来电说预算批下来了")
    assert record["status"] == "active" and record["dormant_at"] is None and record["owner_id"] == rep.user_id
    with read_session(services.db) as session:
        actions = [e.action for e in session.scalars(
            select(PoolEvent).where(PoolEvent.customer_id == customer_id).order_by(PoolEvent.at))]
        assert actions == ["lost", "claim"]
        old = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == customer_id,
                                                       AuditEntry.field == "lost_reason")).first()
        assert old is not None and old.new_value == "No budget"
        note = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == customer_id,
                                                        AuditEntry.action == "reactivate")).one()
        assert note.new_value == "客户来电说预算批下来了"


def test_reactivating_an_owned_dormant_customer_keeps_its_owner(services: Services, rep: Actor, manager: Actor,
                                                                customer_id: str) -> None:
    deal = _deal(services, rep, customer_id)
    _deal(services, rep, customer_id, "华驰 A3")
    approve_lost(services.db, manager, request_lost(services.db, rep, deal, "price").id)
    record = reactivate_customer(services.db, manager, customer_id)
    assert record["status"] == "active" and record["owner_id"] == rep.user_id
    with read_session(services.db) as session:
        assert session.scalar(select(LostRequest.status)) == "approved"


def test_reactivating_a_pooled_customer_obeys_the_pools_rules(services: Services, rep: Actor, manager: Actor,
                                                              customer_id: str) -> None:
    from crmdesk.services import pool

    deal = _deal(services, rep, customer_id)
    approve_lost(services.db, manager, request_lost(services.db, rep, deal, "no_budget").id)
    rules = pool.load_pool_rules(services.db, manager)
    rules["daily_claim_limit"] = 0
    pool.save_pool_rules(services.db, manager, rules)
    with pytest.raises(ConflictError, match="daily limit"):
        reactivate_customer(services.db, rep, customer_id)
    record = services.customers.get(manager, customer_id)
    assert record["status"] == "dormant" and record["owner_id"] is None  # nothing half-done
