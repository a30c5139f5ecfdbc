"""The rules report: each rule counted per owner on a small hand-made book, and the whole report checked
against an independent count (plain Python over the raw rows) on a demo book."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from crmdesk.models import Activity, Opportunity, Order, OrderLine, Product, TestDrive
from crmdesk.models.database import Database, open_database
from crmdesk.services.demo import build_demo
from crmdesk.services.registry import Services
from crmdesk.services.rules_report import (
    NO_OWNER,
    RULES,
    export_rules_report,
    rules_report,
    rules_report_rows,
)
from crmdesk.services.team_settings import save_setting
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.services.users import ensure_local_user

QUALIFY = "01900000-0000-7000-8000-000000001000"  # vehicle sales: qualify
NOW = datetime(2026, 3, 20, 4, 0, tzinfo=UTC)


def _won_stage(services: Services, actor: Actor) -> str:
    from crmdesk.services.opportunities import list_stages

    return next(stage.id for stage in list_stages(services.db, actor, "vehicle") if stage["is_won"])


@pytest.fixture
def book(services: Services, actor: Actor, consultant: str) -> dict[str, str]:
    """Breaches with known owners: the consultant (王磊) and the admin. Three customers, since a done
    activity on a customer counts as the first revisit of each of its deals."""
    ids: dict[str, str] = {}
    address = {"province": "浙江省", "city": "宁波市", "address": "鄞州区1号"}
    for key, name, phone in (("kept_customer", "陈静", "13600003333"), ("late_customer", "李娜", "13900001111"),
                             ("person", "王芳", "13700002222")):
        ids[key] = services.customers.create(actor, {"name": name, "phone": phone, "owner_id": consultant,
                                                     **address}).id
    old = NOW - timedelta(days=10)
    kept = services.opportunities.create(actor, {"name": "回访及时", "customer_id": ids["kept_customer"],
                                                 "stage_id": QUALIFY, "owner_id": consultant,
                                                 "expected_close_date": date(2026, 4, 30)})
    late = services.opportunities.create(actor, {"name": "未回访", "customer_id": ids["late_customer"],
                                                 "stage_id": QUALIFY, "owner_id": consultant,
                                                 "expected_close_date": date(2026, 3, 1)})
    fresh = services.opportunities.create(actor, {"name": "刚建", "customer_id": ids["late_customer"],
                                                  "stage_id": QUALIFY, "owner_id": actor.user_id})
    won = services.opportunities.create(actor, {"name": "已成交", "customer_id": ids["person"],
                                                "stage_id": _won_stage(services, actor), "amount": Decimal("99800"),
                                                "owner_id": consultant})
    ids.update(kept=kept.id, late=late.id, fresh=fresh.id, won=won.id)
    with unit_of_work(services.db, actor) as session:
        for deal_id, created in ((kept.id, old), (late.id, old), (fresh.id, NOW - timedelta(days=2)),
                                 (won.id, old)):
            session.get_one(Opportunity, deal_id).created_at = created
        # The plans the follow-ups hooks made go; this book states its own activities.
        for activity in session.scalars(select(Activity)):
            activity.deleted_at = NOW
        session.add_all([
            # kept: revisited on day 3 (linked to the customer only: that counts too)
            Activity(kind="call", status="done", subject="首次回访", done_at=old + timedelta(days=3),
                     customer_id=ids["kept_customer"], owner_id=consultant),
            # late: revisited, but only on day 7
            Activity(kind="call", status="done", subject="迟到的回访", done_at=old + timedelta(days=7),
                     opportunity_id=late.id, owner_id=consultant),
            # two overdue planned ones of the consultant, one of the admin, one not yet due, one cancelled
            Activity(kind="call", status="planned", subject="逾期1", due_at=NOW - timedelta(days=2),
                     owner_id=consultant, customer_id=ids["kept_customer"]),
            Activity(kind="call", status="planned", subject="逾期2", due_at=NOW - timedelta(hours=1),
                     owner_id=consultant, customer_id=ids["kept_customer"]),
            Activity(kind="call", status="planned", subject="逾期3", due_at=NOW - timedelta(days=1),
                     owner_id=actor.user_id, customer_id=ids["late_customer"]),
            Activity(kind="call", status="planned", subject="未到期", due_at=NOW + timedelta(days=1),
                     owner_id=consultant, customer_id=ids["kept_customer"]),
            Activity(kind="call", status="cancelled", subject="取消", due_at=NOW - timedelta(days=1),
                     owner_id=consultant, customer_id=ids["kept_customer"]),
            # a test drive too short to count (5 km)
            TestDrive(customer_id=ids["person"], status="returned", start_odometer_km=100, end_odometer_km=105),
        ])
    order = services.orders.create(actor, {"customer_id": ids["person"], "total": Decimal("99800"),
                                           "status": "delivered", "owner_id": consultant})
    ids["order"] = order.id
    with unit_of_work(services.db, actor) as session:
        vehicle = Product(code="HC-A3", name_zh="华驰 A3", is_vehicle=True, list_price=Decimal("99800"))
        session.add(vehicle)
        session.flush()
        session.add(OrderLine(order_id=order.id, product_id=vehicle.id, description="华驰 A3", vin=None))
        session.get_one(Order, order.id).delivered_at = NOW - timedelta(days=2)
    return ids


def test_each_rule_counts_its_breaches_per_owner(services: Services, actor: Actor, consultant: str,
                                                 book: dict[str, str]) -> None:
    report = rules_report(services.db, actor, now=NOW)
    by_owner = {row.owner_id: row for row in report.consultants}
    rep = by_owner[consultant]
    assert rep.owner == "王磊"
    # late and won: no done activity within 5 days (kept was revisited; fresh is 2 days old)
    assert rep.counts["no_first_revisit"] == 2
    assert rep.counts["overdue_activities"] == 2 and by_owner[actor.user_id].counts["overdue_activities"] == 1
    assert rep.counts["past_purchase_date"] == 1  # late: 2026-03-01; kept is in April
    assert rep.counts["won_without_test_drive"] == 1  # the 5 km drive does not count
    # delivered 2 days ago, no ID number and no VIN on the car line
    assert rep.counts["delivered_incomplete"] == 1
    assert report.totals["overdue_activities"] == 3
    assert report.titles["no_first_revisit"] == "No first revisit within 5 days"
    assert rules_report(services.db, actor, now=NOW, owner_id=actor.user_id).totals["overdue_activities"] == 1


def test_the_drill_down_lists_the_records_longest_late_first(services: Services, actor: Actor, consultant: str,
                                                             book: dict[str, str]) -> None:
    overdue = rules_report_rows(services.db, actor, "overdue_activities", consultant, 0, 10, now=NOW)
    assert [row.name for row in overdue] == ["逾期1", "逾期2"]
    assert overdue[0].days_late >= 2 and overdue[0].open_entity == "customer"
    assert [row.name for row in rules_report_rows(services.db, actor, "overdue_activities", consultant, 1, 10,
                                                  now=NOW)] == ["逾期2"]
    revisit = rules_report_rows(services.db, actor, "no_first_revisit", None, 0, 10, now=NOW)
    assert {row.record_id for row in revisit} == {book["late"], book["won"]}
    assert [row.record_id for row in rules_report_rows(services.db, actor, "past_purchase_date", None, 0, 10,
                                                       now=NOW)] == [book["late"]]
    assert all(row.open_entity == "opportunity" for row in revisit)
    incomplete = rules_report_rows(services.db, actor, "delivered_incomplete", None, 0, 10, now=NOW)
    assert [row.record_id for row in incomplete] == [book["order"]]
    assert "ID number" in incomplete[0].detail and "VIN" in incomplete[0].detail
    won = rules_report_rows(services.db, actor, "won_without_test_drive", None, 0, 10, now=NOW)
    assert [(row.entity, row.record_id) for row in won] == [("customer", book["person"])]
    assert rules_report_rows(services.db, actor, "overdue_activities", NO_OWNER, 0, 10, now=NOW) == []


def test_completing_the_record_and_a_real_drive_clear_their_rules(services: Services, actor: Actor,
                                                                  book: dict[str, str]) -> None:
    services.customers.update(actor, book["person"], {"id_number": "11010519491231002X"})
    with unit_of_work(services.db, actor) as session:
        session.add(TestDrive(customer_id=book["person"], status="returned", start_odometer_km=100,
                              end_odometer_km=112))
        for line in session.scalars(select(OrderLine)):
            line.vin = "LHCA1CW0XSC000001"
    report = rules_report(services.db, actor, now=NOW)
    assert report.totals["won_without_test_drive"] == 0 and report.totals["delivered_incomplete"] == 0


def test_the_first_revisit_days_follow_the_cadence_setting(services: Services, actor: Actor,
                                                           book: dict[str, str]) -> None:
    save_setting(services.db, actor, "followup_cadence", {"first_revisit_days": 2})
    report = rules_report(services.db, actor, now=NOW)
    assert report.first_revisit_days == 2 and report.titles["no_first_revisit"] == "No first revisit within 2 days"
    assert report.totals["no_first_revisit"] == 3  # kept (revisited on day 3) is late now too; fresh is not yet due


def test_the_report_exports_as_csv(services: Services, actor: Actor, book: dict[str, str], tmp_path: Path) -> None:
    report = rules_report(services.db, actor, now=NOW)
    target = tmp_path / "rules.csv"
    assert export_rules_report(services.db, actor, report, target, fmt="csv") == len(report.consultants) + 1
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Consultant,No first revisit") and lines[-1].startswith("Total,")


# --- the demo book, counted independently ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("rules") / "demo.sqlite3")
    build_demo(db, 1500, seed=5)
    yield db
    db.close()


def _stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def independent_counts(path: Path, now: datetime, since: datetime | None,
                       days: int = 5) -> dict[str, Counter[str | None]]:
    """The five rules counted in plain Python over every row (no SQL beyond SELECT *), looking back to
    `since` (None: the whole history) for what fell due in a period."""
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        def rows(table: str) -> list[sqlite3.Row]:
            return [row for row in connection.execute(f"SELECT * FROM {table}") if row["deleted_at"] is None]

        opportunities, activities, customers = rows("opportunities"), rows("activities"), rows("customers")
        pipelines = {row["id"]: row["kind"] for row in rows("pipelines")}
        vehicles = {row["id"] for row in rows("products") if row["is_vehicle"]}
        drives, orders, lines = rows("test_drives"), rows("orders"), rows("order_lines")
    finally:
        connection.close()
    today = now.astimezone().date()
    counts: dict[str, Counter[str | None]] = {rule: Counter() for rule in RULES}
    done_by_deal: dict[str, list[datetime]] = {}
    done_by_customer: dict[str, list[datetime]] = {}
    for activity in activities:
        if activity["status"] == "done":
            at = _stamp(activity["done_at"])
            assert at is not None
            if activity["opportunity_id"]:
                done_by_deal.setdefault(activity["opportunity_id"], []).append(at)
            if activity["customer_id"]:
                done_by_customer.setdefault(activity["customer_id"], []).append(at)
        elif activity["status"] == "planned":
            due = _stamp(activity["due_at"])
            if due is not None and due < now:
                counts["overdue_activities"][activity["owner_id"]] += 1
    won_customers: set[tuple[str | None, str]] = set()
    for deal in opportunities:
        created = _stamp(deal["created_at"])
        assert created is not None
        if created < now - timedelta(days=days) and (since is None or created + timedelta(days=days) >= since):
            times = done_by_deal.get(deal["id"], []) + done_by_customer.get(deal["customer_id"], [])
            if not any(created <= at <= created + timedelta(days=days) for at in times):
                counts["no_first_revisit"][deal["owner_id"]] += 1
        close = deal["expected_close_date"]
        if deal["status"] == "open" and close and date.fromisoformat(close) < today:
            counts["past_purchase_date"][deal["owner_id"]] += 1
        if deal["status"] == "won" and pipelines.get(deal["pipeline_id"]) == "vehicle" and (
                since is None or date.fromisoformat(deal["won_at"]) >= since.astimezone().date()):
            won_customers.add((deal["owner_id"], deal["customer_id"]))
    driven = {drive["customer_id"] for drive in drives if drive["status"] == "returned"
              and drive["end_odometer_km"] is not None and drive["start_odometer_km"] is not None
              and drive["end_odometer_km"] - drive["start_odometer_km"] > 5}
    for owner, customer_id in won_customers:
        if customer_id not in driven:
            counts["won_without_test_drive"][owner] += 1
    by_id = {customer["id"]: customer for customer in customers}
    missing_vin = {line["order_id"] for line in lines if line["product_id"] in vehicles and _blank(line["vin"])}
    for order in orders:
        delivered = _stamp(order["delivered_at"])
        if order["status"] == "cancelled" or delivered is None or delivered >= now - timedelta(hours=24):
            continue
        if since is not None and delivered + timedelta(hours=24) < since:
            continue
        customer = by_id[order["customer_id"]]
        identity = customer["uscc"] if customer["kind"] == "company" else customer["id_number"]
        if any(_blank(customer[key]) for key in ("name", "phone", "province", "city", "address")) \
                or _blank(identity) or order["id"] in missing_vin or _blank(order["order_date"]):
            counts["delivered_incomplete"][order["owner_id"]] += 1
    return counts


@pytest.mark.parametrize("period_days", [30, 90, None])
def test_the_report_on_a_demo_book_matches_an_independent_count(demo: Database, period_days: int | None) -> None:
    actor = ensure_local_user(demo)
    now = datetime.now(UTC)
    report = rules_report(demo, actor, now=now, period_days=period_days)
    since = now - timedelta(days=period_days) if period_days is not None else None
    assert report.since == since
    expected = independent_counts(demo.path, now, since)
    for rule in RULES:
        got = {(row.owner_id if row.owner_id != NO_OWNER else None): row.counts[rule] for row in report.consultants
               if row.counts[rule]}
        assert got == dict(expected[rule]), rule
        assert report.totals[rule] == sum(expected[rule].values())
    if period_days is not None:
        return  # a small book's last month need not break every rule
    # The demo is realistic: every rule is broken somewhere, by every consultant, but not by most records.
    sellers = [row for row in report.consultants if row.owner_id != NO_OWNER]
    assert sellers and all(row.counts["overdue_activities"] > 0 for row in sellers)
    for rule in RULES:
        assert report.totals[rule] > 0, rule
    with sqlite3.connect(demo.path) as connection:
        deals = connection.execute("SELECT count(*) FROM opportunities").fetchone()[0]
    assert report.totals["no_first_revisit"] < 0.25 * deals


def test_the_demo_drill_down_adds_up_to_the_counts(demo: Database) -> None:
    actor = ensure_local_user(demo)
    now = datetime.now(UTC)
    report = rules_report(demo, actor, now=now)
    row = report.consultants[0]
    for rule in RULES:
        listed = rules_report_rows(demo, actor, rule, row.owner_id, 0, 100_000, now=now)
        assert len(listed) == row.counts[rule], rule
        assert len({item.record_id for item in listed}) == len(listed)


def test_the_period_keeps_what_fell_due_in_it_and_what_stands_overdue(services: Services, actor: Actor,
                                                                     consultant: str, book: dict[str, str]) -> None:
    with unit_of_work(services.db, actor) as session:  # the late deal's first revisit fell due 55 days ago
        session.get_one(Opportunity, book["late"]).created_at = NOW - timedelta(days=60)
        session.get_one(Order, book["order"]).delivered_at = NOW - timedelta(days=45)

    def counts(period_days: int | None) -> dict[str, int]:
        report = rules_report(services.db, actor, now=NOW, period_days=period_days)
        by_owner = {row.owner_id: row for row in report.consultants}
        return dict(by_owner[consultant].counts)

    last_month, quarter, everything = counts(30), counts(90), counts(None)
    assert (last_month["no_first_revisit"], quarter["no_first_revisit"], everything["no_first_revisit"]) == (1, 2, 2)
    assert (last_month["delivered_incomplete"], quarter["delivered_incomplete"]) == (0, 1)
    # Overdue follow-ups and deals past their date count as they stand, whatever the period.
    assert last_month["overdue_activities"] == everything["overdue_activities"] == 2
    assert last_month["past_purchase_date"] == everything["past_purchase_date"] == 1
    listed = rules_report_rows(services.db, actor, "no_first_revisit", consultant, now=NOW, period_days=30)
    assert [row.record_id for row in listed] == [book["won"]]
