"""Follow-ups: logging and completing activities, the rule plans, intent-grade cadences, the Today list,
reminders and the .ics export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from lunar_python import Lunar
from sqlalchemy import select

from crmdesk.models import Activity, Customer
from crmdesk.models.base import utcnow
from crmdesk.services import followups
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session

QUALIFY = "01900000-0000-7000-8000-000000001000"  # vehicle sales: qualify
WON = "01900000-0000-7000-8000-000000001005"  # vehicle sales: won


def _customer(services: Services, actor: Actor, grade: str | None = "B", **values: object) -> str:
    return services.customers.create(actor, {
        "name": "陈静", "phone": "13600003333", "intent_grade": grade, "owner_id": actor.user_id, **values,
    }).id


def _planned(services: Services, customer_id: str, rule: str | None = None) -> list[Activity]:
    with read_session(services.db) as session:
        statement = select(Activity).where(Activity.customer_id == customer_id, Activity.status == "planned")
        if rule is not None:
            statement = statement.where(Activity.plan_rule == rule)
        return list(session.scalars(statement.order_by(Activity.due_at)))


def _customer_row(services: Services, customer_id: str) -> Customer:
    with read_session(services.db) as session:
        return session.get_one(Customer, customer_id)


# ---- logging ---------------------------------------------------------------------------------
def test_a_done_call_moves_the_last_follow_up_clears_the_warning_and_plans_the_cadence(
        services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "A")
    with services.db.session_factory.begin() as session:
        session.get_one(Customer, customer_id).pool_warned_at = utcnow()
    record = followups.log_activity(services.db, actor, {
        "kind": "call", "customer_id": customer_id, "outcome": "想周末试驾"})
    assert record["status"] == "done" and record["subject"] == "Phone follow-up"
    assert record["owner_id"] == actor.user_id
    customer = _customer_row(services, customer_id)
    assert customer.last_followup_at == record["done_at"] and customer.pool_warned_at is None
    (cadence,) = _planned(services, customer_id, followups.RULE_CADENCE)
    assert cadence.due_at == record["done_at"] + timedelta(days=7)  # grade A: weekly
    assert customer.next_followup_at == cadence.due_at


def test_an_opportunitys_customer_is_filled_in(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor)
    deal = services.opportunities.create(actor, {"name": "华驰 S5", "customer_id": customer_id, "stage_id": QUALIFY})
    record = followups.log_activity(services.db, actor, {"kind": "visit", "opportunity_id": deal.id})
    assert record["customer_id"] == customer_id


def test_every_bad_field_is_named_at_once(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        followups.log_activity(services.db, actor, {
            "kind": "fax", "status": "planned", "next_due_at": "tomorrow", "owner_id": "nobody"})
    assert set(caught.value.errors) >= {"kind", "due_at", "next_due_at", "customer_id", "owner_id"}
    with read_session(services.db) as session:
        assert session.scalars(select(Activity)).first() is None  # nothing half-written


def test_a_done_follow_up_cannot_be_in_the_future_and_a_next_one_must_be(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor)
    with pytest.raises(ValidationError) as caught:
        followups.log_activity(services.db, actor, {
            "kind": "call", "customer_id": customer_id, "done_at": utcnow() + timedelta(days=1),
            "next_due_at": utcnow() - timedelta(hours=1)})
    assert set(caught.value.errors) == {"done_at", "next_due_at"}


def test_a_log_with_a_next_follow_up_plans_it_and_the_cadence_steps_aside(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "C")  # monthly
    due = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    followups.log_activity(services.db, actor, {
        "kind": "wechat", "customer_id": customer_id, "outcome": "发了报价", "next_step": "电话确认报价",
        "next_due_at": due})
    (planned,) = _planned(services, customer_id)  # no cadence one: the next follow-up comes sooner
    assert planned.subject == "电话确认报价" and planned.due_at == due and planned.kind == "wechat"
    assert _customer_row(services, customer_id).next_followup_at == due


def test_a_lead_contacted_by_a_follow_up_is_no_longer_new(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "source": "walk_in"})
    followups.log_activity(services.db, actor, {"kind": "call", "lead_id": lead.id, "outcome": "接通"})
    assert services.leads.get(actor, lead.id)["status"] == "contacted"


# ---- completing --------------------------------------------------------------------------------
def test_completing_a_cadence_follow_up_plans_the_next_and_updates_last_and_next(
        services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "H")  # within 2 days
    (first,) = _planned(services, customer_id, followups.RULE_CADENCE)
    done = followups.complete_activity(services.db, actor, first.id, "客户下周来店", "准备报价")
    assert done["status"] == "done" and done["outcome"] == "客户下周来店" and done["next_step"] == "准备报价"
    (second,) = _planned(services, customer_id, followups.RULE_CADENCE)
    assert second.id != first.id and second.due_at == done["done_at"] + timedelta(days=2)
    customer = _customer_row(services, customer_id)
    assert customer.last_followup_at == done["done_at"] and customer.next_followup_at == second.due_at
    with pytest.raises(ConflictError):
        followups.complete_activity(services.db, actor, first.id, "again")


def test_completing_needs_the_result_and_a_future_next_date(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "H")
    (planned,) = _planned(services, customer_id)
    with pytest.raises(ValidationError) as caught:
        followups.complete_activity(services.db, actor, planned.id, " ", next_due_at=utcnow() - timedelta(days=1))
    assert set(caught.value.errors) == {"outcome", "next_due_at"}
    assert _planned(services, customer_id)[0].status == "planned"


def test_completing_with_a_next_date_plans_that_follow_up(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "B")
    (planned,) = _planned(services, customer_id)
    due = (utcnow() + timedelta(days=4)).replace(microsecond=0)
    followups.complete_activity(services.db, actor, planned.id, "客户在比价", "再次报价", due)
    rows = _planned(services, customer_id)
    assert [(row.subject, row.due_at, row.plan_rule) for row in rows] == [("再次报价", due, None)]


# ---- rule plans --------------------------------------------------------------------------------
def test_a_new_opportunity_gets_its_first_revisit_in_five_days(services: Services, actor: Actor,
                                                               consultant: str) -> None:
    customer_id = _customer(services, actor, None)
    deal = services.opportunities.create(actor, {
        "name": "华驰 S5", "customer_id": customer_id, "stage_id": QUALIFY, "owner_id": consultant})
    (revisit,) = _planned(services, customer_id, followups.RULE_FIRST_REVISIT)
    assert revisit.due_at == deal["created_at"] + timedelta(days=5)
    assert (revisit.subject, revisit.kind, revisit.owner_id, revisit.opportunity_id) == (
        "First revisit", "call", consultant, deal.id)
    assert _customer_row(services, customer_id).next_followup_at == revisit.due_at


def test_the_first_revisit_follows_the_setting_and_skips_closed_deals(services: Services, actor: Actor) -> None:
    followups.save_cadence(services.db, actor, {"first_revisit_days": 3})
    customer_id = _customer(services, actor, None)
    deal = services.opportunities.create(actor, {"name": "A", "customer_id": customer_id, "stage_id": QUALIFY})
    (revisit,) = _planned(services, customer_id, followups.RULE_FIRST_REVISIT)
    assert revisit.due_at == deal["created_at"] + timedelta(days=3)
    other = _customer(services, actor, None, name="李娜", phone="13900001111")
    services.opportunities.create(actor, {"name": "B", "customer_id": other, "stage_id": WON, "amount": "150000"})
    assert _planned(services, other, followups.RULE_FIRST_REVISIT) == []


def _deliver(services: Services, actor: Actor, customer_id: str, delivered_at: datetime) -> str:
    order = services.orders.create(actor, {"customer_id": customer_id, "total": "168000", "status": "confirmed"})
    with services.db.session_factory.begin() as session:
        from crmdesk.models import Order

        session.get_one(Order, order.id).delivered_at = delivered_at
    services.orders.update(actor, order.id, {"status": "delivered"})
    return order.id


def test_delivery_plans_48_hours_four_weeks_birthday_and_holidays_once(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "O", birthday=date(1988, 3, 8))
    delivered = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)
    order_id = _deliver(services, actor, customer_id, delivered)
    rows = _planned(services, customer_id)
    by_rule: dict[str, list[datetime]] = {}
    for row in rows:
        assert row.plan_rule is not None and row.due_at is not None
        by_rule.setdefault(row.plan_rule, []).append(row.due_at)
    assert by_rule["delivery_48h"] == [delivered + timedelta(hours=48)]
    assert by_rule["delivery_weekly"] == [delivered + timedelta(days=7 * week) for week in range(1, 5)]
    assert [due.astimezone().date() for due in by_rule["birthday"]] == [date(2026, 3, 8)]
    spring = Lunar.fromYmd(2026, 1, 1).getSolar()
    assert [due.astimezone().date() for due in by_rule["holiday:spring_festival"]] == [
        date(spring.getYear(), spring.getMonth(), spring.getDay())]  # 2026-02-17, not the 2025 one
    assert by_rule["holiday:spring_festival"][0].astimezone().date() == date(2026, 2, 17)
    assert {"holiday:new_year", "holiday:dragon_boat", "holiday:mid_autumn", "holiday:national_day"} <= set(by_rule)
    assert by_rule["holiday:new_year"][0].astimezone().date() == date(2027, 1, 1)
    assert "cadence" not in by_rule  # grade O: ordered, no cadence
    # Delivered again (an edit, a second hook call): nothing planned twice.
    services.orders.update(actor, order_id, {"status": "delivered"})
    with services.db.session_factory.begin() as session:
        from crmdesk.models import Order

        assert followups.plan_after_delivery(session, actor, session.get_one(Order, order_id)) == []
    assert len(_planned(services, customer_id)) == len(rows)


def test_a_delivery_without_a_time_is_stamped_now(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "O")
    order = services.orders.create(actor, {"customer_id": customer_id, "total": "99000"})
    before = utcnow()
    record = services.orders.update(actor, order.id, {"status": "delivered"})
    assert record["delivered_at"] is not None and record["delivered_at"] >= before
    (call,) = _planned(services, customer_id, followups.RULE_DELIVERY_48H)
    assert call.due_at == record["delivered_at"] + timedelta(hours=48)


def test_holidays_by_the_lunar_calendar() -> None:
    days = followups.holiday_dates(2027)
    assert days["spring_festival"] == date(2027, 2, 6)
    assert days["dragon_boat"] == date(2027, 6, 9)
    assert days["mid_autumn"] == date(2027, 9, 15)
    assert (days["new_year"], days["national_day"]) == (date(2027, 1, 1), date(2027, 10, 1))
    found = dict(followups.next_holidays(date(2026, 10, 2)))
    assert found["national_day"] == date(2027, 10, 1) and found["spring_festival"] == date(2027, 2, 6)


# ---- cadence -----------------------------------------------------------------------------------
def test_a_grade_change_reschedules_and_o_cancels(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, "H")
    (planned,) = _planned(services, customer_id, followups.RULE_CADENCE)
    assert planned.due_at is not None
    created = planned.due_at - timedelta(days=2)
    services.customers.update(actor, customer_id, {"intent_grade": "C"})
    (moved,) = _planned(services, customer_id, followups.RULE_CADENCE)
    assert moved.due_at is not None
    assert moved.id == planned.id and abs(moved.due_at - (created + timedelta(days=30))) < timedelta(seconds=5)
    assert _customer_row(services, customer_id).next_followup_at == moved.due_at
    services.customers.update(actor, customer_id, {"intent_grade": "O"})
    assert _planned(services, customer_id) == []
    assert _customer_row(services, customer_id).next_followup_at is None


def test_a_customer_in_the_public_pool_has_no_cadence_follow_up(services: Services, actor: Actor) -> None:
    customer_id = services.customers.create(actor, {"name": "王芳", "intent_grade": "H"}).id
    assert _planned(services, customer_id) == []
    services.customers.update(actor, customer_id, {"owner_id": actor.user_id})
    (planned,) = _planned(services, customer_id)
    assert planned.owner_id == actor.user_id


def test_the_cadence_setting_is_checked(services: Services, actor: Actor) -> None:
    assert followups.load_cadence(services.db) == followups.DEFAULT_CADENCE
    saved = followups.save_cadence(services.db, actor, {"H": 1, "A": "5", "O": None})
    assert saved["H"] == 1 and saved["A"] == 5 and saved["B"] == 14
    assert followups.load_cadence(services.db) == saved
    with pytest.raises(ValidationError) as caught:
        followups.save_cadence(services.db, actor, {"H": 0, "A": "x", "Z": 3, "first_revisit_days": None})
    assert set(caught.value.errors) == {"H", "A", "Z", "first_revisit_days"}
    customer_id = _customer(services, actor, "H")
    (planned,) = _planned(services, customer_id)
    assert planned.due_at is not None
    assert timedelta(hours=23) < planned.due_at - utcnow() <= timedelta(days=1)


# ---- Today, reminders, ics -----------------------------------------------------------------------
def _plan(services: Services, actor: Actor, customer_id: str, due: datetime, subject: str,
          owner_id: str | None = None) -> str:
    return followups.log_activity(services.db, actor, {
        "kind": "call", "status": "planned", "customer_id": customer_id, "due_at": due, "subject": subject,
        "owner_id": owner_id}).id


def test_today_lists_overdue_and_due_today_for_the_user_and_for_all(services: Services, actor: Actor,
                                                                    consultant: str) -> None:
    customer_id = _customer(services, actor, None)
    now = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    late = _plan(services, actor, customer_id, now - timedelta(days=3), "三天前")
    earlier = _plan(services, actor, customer_id, now - timedelta(hours=1), "一小时前")
    later = _plan(services, actor, customer_id, now + timedelta(hours=2), "下午")
    _plan(services, actor, customer_id, now + timedelta(days=2), "后天")
    theirs = _plan(services, actor, customer_id, now + timedelta(hours=3), "王磊的", owner_id=consultant)
    mine = followups.today_list(services.db, actor, None, now=now)
    assert [item.id for item in mine.overdue] == [late, earlier]
    assert [item.days_overdue for item in mine.overdue] == [3, 0]
    assert all(item.overdue for item in mine.overdue)
    assert [item.id for item in mine.due_today] == [later]
    assert mine.counts == followups.TodayCounts(overdue=2, due_today=1)
    item = mine.overdue[0]
    assert (item.name, item.phone, item.subject, item.kind, item.owner_name) == (
        "陈静", "13600003333", "三天前", "call", actor.display_name)
    everyone = followups.today_list(services.db, actor, followups.ALL_OWNERS, now=now)
    assert [item.id for item in everyone.due_today] == [later, theirs]
    assert followups.today_list(services.db, actor, consultant, now=now).counts.due_today == 1
    limited = followups.today_list(services.db, actor, None, now=now, limit=1)
    assert len(limited.overdue) == 1 and limited.counts.overdue == 2  # the count is whole past the limit


def test_the_all_owners_query_walks_the_owner_index(services: Services, actor: Actor) -> None:
    statement = followups._item_statement(followups._planned(actor, followups.ALL_OWNERS))
    with read_session(services.db) as session:
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "ix_activities_owner_due" in plan


def test_reminders_are_the_follow_ups_falling_due_in_the_window(services: Services, actor: Actor) -> None:
    customer_id = _customer(services, actor, None)
    now = utcnow().replace(microsecond=0)
    inside = _plan(services, actor, customer_id, now + timedelta(minutes=1), "快到了")
    _plan(services, actor, customer_id, now + timedelta(minutes=5), "还早")
    _plan(services, actor, customer_id, now - timedelta(minutes=1), "早就过了")
    items = followups.due_reminders(services.db, actor, None, now, now + timedelta(minutes=1))
    assert [item.id for item in items] == [inside]
    assert followups.due_reminders(services.db, actor, None, now + timedelta(minutes=1),
                                   now + timedelta(minutes=2)) == []


def test_ics_export_reads_back(services: Services, actor: Actor, tmp_path: Path) -> None:
    customer_id = _customer(services, actor, None)
    due = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    first = _plan(services, actor, customer_id, due, "邀约试驾")
    _plan(services, actor, customer_id, utcnow() + timedelta(days=60), "太远")
    path = tmp_path / "followups.ics"
    assert followups.export_ics(services.db, actor, path, None, days_ahead=30) == 1
    calendar = Calendar.from_ical(path.read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == first
    assert event.decoded("DTSTART") == due and event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert str(event["SUMMARY"]) == "邀约试驾 · 陈静"
    assert "13600003333" in str(event["DESCRIPTION"])
    assert b"DTSTART:" in path.read_bytes() and b"Z\r\n" in path.read_bytes()  # UTC, the form every calendar reads


def test_a_consultant_sees_phones_masked_in_today_reminders_and_the_calendar(
        services: Services, actor: Actor, consultant: str, tmp_path: Path) -> None:
    rep = Actor(user_id=consultant, display_name="王磊", role="consultant")
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "owner_id": consultant}).id
    due = utcnow() + timedelta(minutes=30)
    followups.log_activity(services.db, actor, {"kind": "call", "status": "planned", "customer_id": customer,
                                                "due_at": due, "subject": "邀约试驾", "owner_id": consultant})
    [item] = [i for i in followups.today_list(services.db, rep).due_today if i.subject == "邀约试驾"]
    assert item.phone == "136****3333"
    assert followups.today_list(services.db, actor, consultant).due_today[0].phone == "13600003333"
    [reminder] = followups.due_reminders(services.db, rep, consultant, due - timedelta(minutes=1), due)
    assert reminder.phone == "136****3333"
    path = tmp_path / "plan.ics"
    followups.export_ics(services.db, rep, path, consultant)
    assert "13600003333" not in path.read_text(encoding="utf-8")
