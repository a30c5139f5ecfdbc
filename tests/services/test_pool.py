"""The public pool: claim within caps, the daily limit and the cooldown; concurrent claims; release;
manager assignment; the automatic reclaim with its warning; the history; the tier rules."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from crmdesk.models import AuditEntry, Customer, Opportunity, PoolEvent, Stage, User
from crmdesk.models.database import Database, open_database
from crmdesk.services import pool
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work

STAGE = "01900000-0000-7000-8000-000000001000"  # vehicle sales: qualify


def local_noon(days: int = 0) -> datetime:
    """Noon of a local day, as UTC: 'today' for the daily limit whatever the machine's zone."""
    day = datetime(2026, 3, 2).date() + timedelta(days=days)
    return datetime.combine(day, time(12)).astimezone().astimezone(UTC)


@pytest.fixture
def rep(consultant: str) -> Actor:
    return Actor(user_id=consultant, display_name="王磊", role="consultant")


def make_user(db: Database, actor: Actor, username: str, name: str, role: str = "consultant") -> Actor:
    with unit_of_work(db, actor) as session:
        user = User(username=username, display_name=name, role=role)
        session.add(user)
        session.flush()
        return Actor(user_id=user.id, display_name=name, role=role)


def pool_customers(services: Services, actor: Actor, count: int, tier: str | None = None) -> list[str]:
    return [services.customers.create(actor, {"name": f"公海客户{i}", "tier": tier, "city": "杭州市"}).id
            for i in range(count)]


def customer(db: Database, customer_id: str) -> Customer:
    with read_session(db) as session:
        row = session.get(Customer, customer_id)
        assert row is not None
        return row


def events(db: Database, customer_id: str) -> list[tuple[str, str | None, str | None]]:
    with read_session(db) as session:
        return [(e.action, e.user_id, e.from_owner_id) for e in session.scalars(
            select(PoolEvent).where(PoolEvent.customer_id == customer_id).order_by(PoolEvent.at, PoolEvent.id))]


def set_rules(db: Database, actor: Actor, **changes: object) -> None:
    rules = pool.load_pool_rules(db, actor)
    for key, value in changes.items():
        if isinstance(value, dict):
            rules[key] = {**rules[key], **value}
        else:
            rules[key] = value
    pool.save_pool_rules(db, actor, rules)


# ---- claim ---------------------------------------------------------------------------------------
def test_claim_takes_the_customer_logs_it_and_audits_it(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1)
    result = pool.claim_from_public_pool(db, rep, [cid], now=local_noon())
    assert result.claimed == (cid,) and result.refused == ()
    row = customer(db, cid)
    assert row.owner_id == rep.user_id and row.claimed_at == local_noon() and row.last_followup_at is None
    assert events(db, cid) == [("claim", rep.user_id, None)]
    with read_session(db) as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == cid,
                                                         AuditEntry.action == "claim")).one()
    assert (audit.field, audit.old_value, audit.new_value, audit.user_id) == ("owner_id", None, rep.user_id,
                                                                              rep.user_id)


def test_a_customer_someone_owns_is_refused_naming_the_owner(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1)
    other = make_user(db, actor, "lina", "李娜")
    pool.claim_from_public_pool(db, other, [cid])
    result = pool.claim_from_public_pool(db, rep, [cid])
    assert result.claimed == ()
    assert [r.reason for r in result.refused] == ["Already claimed by 李娜."]
    assert pool.claim_from_public_pool(db, other, [cid]).refused[0].reason == "You already own this customer."
    assert customer(db, cid).owner_id == other.user_id


def test_the_cap_on_owned_customers_refuses_the_rest(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    set_rules(db, actor, caps={"consultant": 2})
    ids = pool_customers(services, actor, 3)
    result = pool.claim_from_public_pool(db, rep, ids)
    assert result.claimed == tuple(ids[:2])
    assert [(r.customer_id, r.reason) for r in result.refused] == [
        (ids[2], "You own 2 customers, the most your role may hold (2).")]
    # A manager is not capped by default.
    manager = make_user(db, actor, "boss", "赵经理", "manager")
    assert pool.claim_from_public_pool(db, manager, [ids[2]]).claimed == (ids[2],)


def test_the_daily_claim_limit_counts_todays_claims(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    set_rules(db, actor, daily_claim_limit=2)
    ids = pool_customers(services, actor, 4)
    assert pool.claim_from_public_pool(db, rep, ids[:2], now=local_noon()).claimed == tuple(ids[:2])
    later = pool.claim_from_public_pool(db, rep, [ids[2]], now=local_noon() + timedelta(hours=5))
    assert later.claimed == ()
    assert later.refused[0].reason == "You have claimed 2 customers today, the daily limit (2)."
    assert pool.claim_status(db, rep, now=local_noon()).claimed_today == 2
    tomorrow = pool.claim_from_public_pool(db, rep, ids[2:], now=local_noon(1))
    assert tomorrow.claimed == tuple(ids[2:])


def test_a_released_customer_cannot_be_claimed_back_during_the_cooldown(services: Services, actor: Actor,
                                                                          rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1)
    pool.claim_from_public_pool(db, rep, [cid], now=local_noon())
    assert pool.release_to_public_pool(db, rep, [cid], "客户暂无购车计划", now=local_noon(1)).released == (cid,)
    again = pool.claim_from_public_pool(db, rep, [cid], now=local_noon(3))
    assert again.claimed == ()
    assert again.refused[0].reason.startswith("You gave this customer up on ")
    assert pool.claim_from_public_pool(db, rep, [cid], now=local_noon(8)).claimed == (cid,)  # 7 days on


def test_the_cooldown_binds_only_the_rep_who_gave_the_customer_up(services: Services, actor: Actor,
                                                                   rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1)
    pool.claim_from_public_pool(db, rep, [cid], now=local_noon())
    pool.release_to_public_pool(db, rep, [cid], "换人跟进", now=local_noon())
    other = make_user(db, actor, "lina", "李娜")
    assert pool.claim_from_public_pool(db, other, [cid], now=local_noon(1)).claimed == (cid,)


def test_of_two_desks_claiming_at_once_exactly_one_wins(tmp_path: Path, actor: Actor, services: Services) -> None:
    db = services.db
    first = make_user(db, actor, "lina", "李娜")
    second = make_user(db, actor, "zhoujie", "周杰")
    ids = pool_customers(services, actor, 5)
    desks = [open_database(db.path), open_database(db.path)]
    try:
        for cid in ids:
            barrier = threading.Barrier(2)
            results: dict[str, pool.ClaimResult] = {}

            def claim(desk: Database, who: Actor, cid: str = cid, barrier: threading.Barrier = barrier,
                      results: dict[str, pool.ClaimResult] = results) -> None:
                barrier.wait()
                results[who.user_id] = pool.claim_from_public_pool(desk, who, [cid])

            threads = [threading.Thread(target=claim, args=(desks[0], first)),
                       threading.Thread(target=claim, args=(desks[1], second))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            won = [uid for uid, result in results.items() if result.claimed == (cid,)]
            lost = [result for result in results.values() if not result.claimed]
            assert len(won) == 1 and len(lost) == 1
            winner_name = "李娜" if won[0] == first.user_id else "周杰"
            assert lost[0].refused[0].reason == f"Already claimed by {winner_name}."
            assert customer(db, cid).owner_id == won[0]
            assert [e[0] for e in events(db, cid)] == ["claim"]
    finally:
        for desk in desks:
            desk.close()


def test_a_claim_made_elsewhere_between_read_and_write_loses_to_the_conditional_update(
        services: Services, actor: Actor, rep: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal comes from the UPDATE's row count, not from the earlier read."""
    db = services.db
    [cid] = pool_customers(services, actor, 1)
    other = make_user(db, actor, "lina", "李娜")
    desk = open_database(db.path)
    real = pool._user_names
    calls = []

    def names_then_someone_claims(session: object, ids: set[str | None]) -> dict[str, str]:
        calls.append(ids)
        if len(calls) == 1:  # after the rep's desk read the customer as unowned
            assert pool.claim_from_public_pool(desk, other, [cid]).claimed == (cid,)
        return real(session, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(pool, "_user_names", names_then_someone_claims)
    try:
        result = pool.claim_from_public_pool(db, rep, [cid])
    finally:
        desk.close()
    assert result.claimed == () and result.refused[0].reason == "Already claimed by 李娜."
    assert customer(db, cid).owner_id == other.user_id
    assert [e[0] for e in events(db, cid)] == ["claim"]


# ---- release and assign --------------------------------------------------------------------------
def test_release_needs_a_reason_and_the_owner_or_a_manager(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    ids = pool_customers(services, actor, 2)
    pool.claim_from_public_pool(db, rep, ids)
    with pytest.raises(ValidationError) as error:
        pool.release_to_public_pool(db, rep, ids, "  ")
    assert "reason" in error.value.errors
    other = make_user(db, actor, "lina", "李娜")
    refused = pool.release_to_public_pool(db, other, ids[:1], "不是我的")  # not in her scope: not found
    assert refused.released == () and "no longer exists" in refused.refused[0].reason
    seeing = replace(other, scope="all")  # a role set to see the whole book still may not release it
    refused = pool.release_to_public_pool(db, seeing, ids[:1], "不是我的")
    assert refused.released == () and "owner or a manager" in refused.refused[0].reason
    assert pool.release_to_public_pool(db, actor, ids[:1], "经理收回").released == (ids[0],)  # admin
    row = customer(db, ids[0])
    assert row.owner_id is None and row.pool_entered_at is not None and row.claimed_at is None
    assert events(db, ids[0])[-1] == ("release", rep.user_id, rep.user_id)
    assert pool.release_to_public_pool(db, rep, ids[:1], "x").refused[0].reason == \
        "The customer is already in the public pool."


def test_a_manager_assigns_in_bulk_and_is_told_about_the_cap(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    set_rules(db, actor, caps={"consultant": 2})
    ids = pool_customers(services, actor, 3)
    other = make_user(db, actor, "lina", "李娜")
    pool.claim_from_public_pool(db, other, ids[:1])  # one from another rep, two from the pool
    result = pool.assign_customers(db, actor, ids, rep.user_id)
    assert result.assigned == tuple(ids) and result.owned == 3 and result.cap == 2 and result.over_cap
    assert all(customer(db, cid).owner_id == rep.user_id for cid in ids)
    assert events(db, ids[0])[-1] == ("assign", rep.user_id, other.user_id)
    assert events(db, ids[1]) == [("assign", rep.user_id, None)]
    again = pool.assign_customers(db, actor, ids[:1], rep.user_id)
    assert again.assigned == () and "already owns" in again.refused[0].reason
    with read_session(db) as session:  # the owner change is audited by the unit of work
        assert session.scalars(select(AuditEntry).where(AuditEntry.entity_id == ids[1],
                                                        AuditEntry.field == "owner_id")).all()


def test_a_rep_cannot_assign(services: Services, actor: Actor, rep: Actor) -> None:
    ids = pool_customers(services, actor, 1)
    with pytest.raises(UserError, match="Only a manager"):
        pool.assign_customers(services.db, rep, ids, rep.user_id)
    with pytest.raises(ValidationError):
        pool.assign_customers(services.db, actor, ids, "no-such-user")
    assert customer(services.db, ids[0]).owner_id is None


# ---- automatic reclaim ---------------------------------------------------------------------------
def test_a_customer_not_followed_up_is_warned_once_then_reclaimed(services: Services, actor: Actor,
                                                                   rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1, tier="C")  # C: 15 days, warned 3 days before
    start = local_noon()
    pool.claim_from_public_pool(db, rep, [cid], now=start)
    early = pool.run_pool_maintenance(db, actor, now=start + timedelta(days=11))
    assert (early.warned, early.reclaimed) == (0, 0)
    result = pool.run_pool_maintenance(db, actor, now=start + timedelta(days=12, hours=1))
    assert (result.warned, result.reclaimed) == (1, 0)
    assert customer(db, cid).pool_warned_at == start + timedelta(days=12, hours=1)
    [warning] = pool.pool_warnings_for(db, rep, now=start + timedelta(days=12, hours=1))
    assert (warning.customer_id, warning.days_left) == (cid, 3)
    again = pool.run_pool_maintenance(db, actor, now=start + timedelta(days=13))
    assert (again.warned, again.reclaimed) == (0, 0)  # warned once
    final = pool.run_pool_maintenance(db, actor, now=start + timedelta(days=15, hours=1))
    assert (final.warned, final.reclaimed) == (0, 1)
    row = customer(db, cid)
    assert row.owner_id is None and row.pool_entered_at == start + timedelta(days=15, hours=1)
    assert [e[0] for e in events(db, cid)] == ["claim", "warn", "reclaim"]
    assert events(db, cid)[-1] == ("reclaim", rep.user_id, rep.user_id)
    with read_session(db) as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == cid,
                                                         AuditEntry.action == "reclaim")).one()
    assert (audit.old_value, audit.new_value) == (rep.user_id, None)
    assert pool.pool_warnings_for(db, rep) == []
    # The rep lost it: the cooldown applies to claiming it back.
    assert pool.claim_from_public_pool(db, rep, [cid], now=start + timedelta(days=16)).claimed == ()


def test_a_follow_up_in_between_prevents_the_reclaim(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1, tier="C")
    start = local_noon()
    pool.claim_from_public_pool(db, rep, [cid], now=start)
    assert pool.run_pool_maintenance(db, actor, now=start + timedelta(days=13)).warned == 1
    with unit_of_work(db, rep) as session:  # what completing a follow-up does (the followups service)
        row = session.get(Customer, cid)
        assert row is not None
        row.last_followup_at = start + timedelta(days=13, hours=2)
        row.pool_warned_at = None
    result = pool.run_pool_maintenance(db, actor, now=start + timedelta(days=15, hours=1))
    assert (result.warned, result.reclaimed) == (0, 0)
    assert customer(db, cid).owner_id == rep.user_id


def test_each_tier_has_its_own_days(services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    start = local_noon()
    by_tier = {tier: pool_customers(services, actor, 1, tier=tier)[0] for tier in ("A", "B", "C")}
    [untiered] = pool_customers(services, actor, 1)
    [dormant] = pool_customers(services, actor, 1, tier="C")
    pool.assign_customers(db, actor, [*by_tier.values(), untiered, dormant], rep.user_id, now=start)
    services.customers.update(actor, dormant, {"status": "dormant", "lost_reason": "延期购买"})
    assert pool.run_pool_maintenance(db, actor, now=start + timedelta(days=16)).reclaimed == 2  # C and no tier
    assert customer(db, by_tier["C"]).owner_id is None and customer(db, untiered).owner_id is None
    assert customer(db, dormant).owner_id == rep.user_id  # only active customers go back
    assert pool.run_pool_maintenance(db, actor, now=start + timedelta(days=31)).reclaimed == 1
    assert customer(db, by_tier["B"]).owner_id is None and customer(db, by_tier["A"]).owner_id == rep.user_id
    assert pool.run_pool_maintenance(db, actor, now=start + timedelta(days=61)).reclaimed == 1
    # A tier set to never goes back.
    set_rules(db, actor, reclaim_days={"A": None})
    pool.assign_customers(db, actor, [by_tier["A"]], rep.user_id, now=start)
    assert pool.run_pool_maintenance(db, actor, now=start + timedelta(days=400)).reclaimed == 0


# ---- history, form hooks, lists -----------------------------------------------------------------
def test_history_is_complete_newest_first_including_form_owner_changes(services: Services, actor: Actor,
                                                                      rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1)
    pool.claim_from_public_pool(db, rep, [cid], now=local_noon())
    pool.release_to_public_pool(db, rep, [cid], "电话空号", now=local_noon(1))
    services.customers.update(actor, cid, {"owner_id": rep.user_id})  # the customer form
    services.customers.update(actor, cid, {"owner_id": None})
    history = pool.pool_history(db, actor, cid)
    assert [h.action for h in history] == ["release", "assign", "release", "claim"]
    assert history[1].user_name == "王磊" and history[2].reason == "电话空号"
    assert history[0].from_owner_id == rep.user_id
    assert customer(db, cid).pool_entered_at is not None


def test_pool_list_shows_only_pool_customers_with_their_former_owner(services: Services, actor: Actor,
                                                                     rep: Actor) -> None:
    db = services.db
    ids = pool_customers(services, actor, 3)
    pool.claim_from_public_pool(db, rep, ids[:2])
    pool.release_to_public_pool(db, rep, ids[:1], "不再跟进")
    assert pool.count_pool(db, actor) == 2
    rows = {row["id"]: row for row in pool.list_pool(db, actor)}
    assert set(rows) == {ids[0], ids[2]}
    assert rows[ids[0]]["former_owner"] == "王磊" and rows[ids[2]]["former_owner"] is None
    assert pool.count_pool(db, actor, "公海客户") == 2


# ---- settings ------------------------------------------------------------------------------------
def test_pool_rules_have_dealer_defaults_and_are_checked_on_save(services: Services, actor: Actor,
                                                                rep: Actor) -> None:
    db = services.db
    rules = pool.load_pool_rules(db, actor)
    assert rules["caps"]["consultant"] == 300 and rules["caps"]["manager"] is None
    assert rules["reclaim_days"] == {"A": 60, "B": 30, "C": 15, "none": 15} and rules["warning_days"] == 3
    with pytest.raises(ValidationError) as error:
        pool.save_pool_rules(db, actor, {**rules, "daily_claim_limit": -1, "warning_days": 20,
                                         "caps": {"consultant": "many", "wizard": 3}})
    assert set(error.value.errors) >= {"daily_claim_limit", "warning_days", "caps.consultant", "caps.wizard"}
    with pytest.raises(UserError):
        pool.save_pool_rules(db, rep, rules)
    saved = pool.save_pool_rules(db, actor, {**rules, "daily_claim_limit": "30"})
    assert saved["daily_claim_limit"] == 30 and pool.load_pool_rules(db, actor)["daily_claim_limit"] == 30


# ---- tiers ---------------------------------------------------------------------------------------
def add_deal(db: Database, actor: Actor, customer_id: str, amount: str, status: str, probability: int = 0,
             won_amount: str | None = None) -> None:
    with unit_of_work(db, actor) as session:
        stage = session.get(Stage, STAGE)
        assert stage is not None
        session.add(Opportunity(name="华驰 S5", customer_id=customer_id, pipeline_id=stage.pipeline_id,
                                stage_id=STAGE, status=status, amount=Decimal(amount), probability=probability,
                                won_amount=Decimal(won_amount) if won_amount else None))


def test_tiers_by_value_keep_a_tier_set_by_hand(services: Services, actor: Actor) -> None:
    db = services.db
    big, middle, small, manual = pool_customers(services, actor, 4)
    add_deal(db, actor, big, "300000", "won", won_amount="320000")
    add_deal(db, actor, big, "250000", "won")
    add_deal(db, actor, middle, "150000", "won")
    add_deal(db, actor, middle, "900000", "open", probability=90)  # open: not value
    add_deal(db, actor, manual, "900000", "won")
    services.customers.update(actor, manual, {"tier": "C"})  # the form: an override
    assert customer(db, manual).tier_overridden
    assert pool.apply_tier_rules(db, actor) == 3
    assert [customer(db, c).tier for c in (big, middle, small, manual)] == ["A", "B", "C", "C"]
    assert pool.apply_tier_rules(db, actor) == 0  # nothing changes twice


def test_tiers_by_potential(services: Services, actor: Actor) -> None:
    db = services.db
    hot, warm = pool_customers(services, actor, 2)
    add_deal(db, actor, hot, "1000000", "open", probability=60)  # 600,000
    add_deal(db, actor, warm, "1000000", "open", probability=20)  # 200,000
    add_deal(db, actor, warm, "5000000", "won")  # won: not potential
    pool.save_tier_rules(db, actor, {"basis": "potential", "a_min": "500000", "b_min": "100000"})
    pool.apply_tier_rules(db, actor)
    assert (customer(db, hot).tier, customer(db, warm).tier) == ("A", "B")
    with pytest.raises(ValidationError) as error:
        pool.save_tier_rules(db, actor, {"basis": "luck", "a_min": "10", "b_min": "20"})
    assert set(error.value.errors) == {"basis", "a_min"}


# ---- follow-ups travel with the owner ------------------------------------------------------------
def _planned_cadence(db: Database, customer_id: str) -> list[tuple[str | None, str]]:
    from crmdesk.models import Activity

    with read_session(db) as session:
        return [(a.owner_id, a.status) for a in session.scalars(
            select(Activity).where(Activity.customer_id == customer_id, Activity.plan_rule == "cadence"))]


def test_a_claim_plans_the_new_owners_cadence_call_and_a_reclaim_cancels_it(
        services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    cid = services.customers.create(actor, {"name": "陈静", "tier": "C", "intent_grade": "A"}).id
    start = datetime.now(UTC)
    pool.claim_from_public_pool(db, rep, [cid], now=start)
    assert _planned_cadence(db, cid) == [(rep.user_id, "planned")]
    assert customer(db, cid).next_followup_at is not None
    result = pool.run_pool_maintenance(db, actor, now=start + timedelta(days=16))
    assert result.reclaimed == 1
    assert _planned_cadence(db, cid) == [(rep.user_id, "cancelled")]  # not left in the former owner's day
    assert customer(db, cid).next_followup_at is None


def test_a_fresh_claim_gets_the_tiers_whole_period_whatever_the_last_follow_up(
        services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    [cid] = pool_customers(services, actor, 1, tier="C")  # C: 15 days
    start = datetime.now(UTC)
    with unit_of_work(db, actor) as session:  # followed up long ago, by somebody else
        row = session.get(Customer, cid)
        assert row is not None
        row.last_followup_at = start - timedelta(days=90)
    pool.claim_from_public_pool(db, rep, [cid], now=start)
    assert pool.run_pool_maintenance(db, actor, now=start + timedelta(days=1)).reclaimed == 0
    assert customer(db, cid).owner_id == rep.user_id
    assert pool.run_pool_maintenance(db, actor, now=start + timedelta(days=15, hours=1)).reclaimed == 1


def test_buyers_stay_with_their_consultant_unless_the_rules_say_otherwise(
        services: Services, actor: Actor, rep: Actor) -> None:
    db = services.db
    buyer, prospect = pool_customers(services, actor, 2, tier="C")
    won = services.opportunities.create(actor, {"name": "华驰 S5", "customer_id": buyer, "stage_id": STAGE,
                                                "amount": Decimal("158000")}).id
    with unit_of_work(db, actor) as session:
        won_stage = session.scalars(select(Stage).where(Stage.pipeline_id == session.get_one(Stage, STAGE).pipeline_id,
                                                        Stage.is_won.is_(True))).one()
    services.opportunities.update(actor, won, {"stage_id": won_stage.id})
    start = datetime.now(UTC)
    pool.claim_from_public_pool(db, rep, [buyer, prospect], now=start)
    later = start + timedelta(days=16)
    assert pool.run_pool_maintenance(db, actor, now=later).reclaimed == 1
    assert customer(db, buyer).owner_id == rep.user_id and customer(db, prospect).owner_id is None
    set_rules(db, actor, reclaim_buyers=True)
    assert pool.run_pool_maintenance(db, actor, now=later).reclaimed == 1
    assert customer(db, buyer).owner_id is None
    with pytest.raises(ValidationError):
        set_rules(db, actor, reclaim_buyers="yes")


def test_a_consultant_sees_the_pools_phones_masked(services: Services, actor: Actor, rep: Actor) -> None:
    services.customers.create(actor, {"name": "陈静", "phone": "13600003333"})
    service = pool.PoolCustomerList(services.db)
    query = service.pool_query()
    phone = [column.key for column in service.columns].index("phone") + 1
    assert [row[phone] for row in service.page(rep, query, 0, 10)] == ["136****3333"]
    assert [row[phone] for row in service.page(actor, query, 0, 10)] == ["13600003333"]
