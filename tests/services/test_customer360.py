"""The customer 360° view: the overview, and one timeline of everything linked, paged with a keyset cursor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crmdesk.models import (
    Activity,
    Contract,
    LostRequest,
    Payment,
    PoolEvent,
    Quote,
    RecordMerge,
    TestDrive,
)
from crmdesk.services.customer360 import TimelineCursor, TimelineItem, customer_overview, customer_timeline
from crmdesk.services.errors import NotFoundError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work

STAGE_QUALIFY = "01900000-0000-7000-8000-000000001000"  # vehicle sales: qualify
BASE = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def book(services: Services, actor: Actor, consultant: str) -> dict[str, str]:
    """A customer with one row of every kind the timeline shows, at known times, and a second customer."""
    ids: dict[str, str] = {}
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "tier": "A",
                                                 "intent_grade": "H", "owner_id": consultant})
    other = services.customers.create(actor, {"name": "李娜", "phone": "13900001111"})
    ids["customer"], ids["other"] = customer.id, other.id
    services.contacts.create(actor, {"customer_id": customer.id, "name": "陈静", "phone": "13600003333",
                                     "is_primary": True})
    deal = services.opportunities.create(actor, {"name": "华驰 S5", "customer_id": customer.id,
                                                 "stage_id": STAGE_QUALIFY, "amount": Decimal("169800"),
                                                 "owner_id": consultant})
    ids["deal"] = deal.id
    services.opportunities.create(actor, {"name": "别人的商机", "customer_id": other.id, "stage_id": STAGE_QUALIFY})
    order = services.orders.create(actor, {"customer_id": customer.id, "total": Decimal("169800")})
    ids["order"] = order.id
    with unit_of_work(services.db, actor) as session:
        rows = [
            Activity(kind="call", status="done", subject="首次回访", outcome="客户周末到店", done_at=BASE,
                     due_at=BASE - timedelta(days=1), customer_id=customer.id, owner_id=consultant),
            Activity(kind="visit", status="planned", subject="跟进购车意向", due_at=BASE + timedelta(days=3),
                     customer_id=customer.id, owner_id=consultant),
            Activity(kind="call", status="done", subject="别人的跟进", done_at=BASE, customer_id=other.id),
            TestDrive(customer_id=customer.id, status="returned", started_at=BASE + timedelta(hours=1),
                      ended_at=BASE + timedelta(hours=2), start_odometer_km=100, end_odometer_km=112,
                      vehicle_plate="浙A12345", driver_name="陈静"),
            Quote(number="QT-1", customer_id=customer.id, total=Decimal("169800"), status="accepted",
                  created_at=BASE + timedelta(days=1)),
            Contract(number="HT-1", title="购车合同", customer_id=customer.id, amount=Decimal("169800"),
                     status="signed", created_at=BASE + timedelta(days=2)),
            Payment(customer_id=customer.id, received_on=date(2025, 3, 4), amount=Decimal("20000"),
                    method="微信支付", created_at=BASE + timedelta(days=3)),
            RecordMerge(entity_type="customer", kept_id=customer.id, merged_type="lead", merged_id="x",
                        snapshot="{}", created_at=BASE + timedelta(days=4)),
            PoolEvent(customer_id=customer.id, action="claim", user_id=consultant, at=BASE + timedelta(days=5)),
            LostRequest(opportunity_id=deal.id, customer_id=customer.id, reason="price", detail="嫌贵",
                        requested_at=BASE + timedelta(days=6), requested_by=consultant),
        ]
        session.add_all(rows)
    return ids


def _all_pages(services: Services, actor: Actor, customer_id: str, limit: int) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    cursor: TimelineCursor | None = None
    pages = 0
    while True:
        page = customer_timeline(services.db, actor, customer_id, cursor, limit)
        items.extend(page.items)
        pages += 1
        assert len(page.items) <= limit
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor
        assert pages < 100


def test_the_timeline_holds_every_kind_linked_to_the_customer_newest_first(
        services: Services, actor: Actor, book: dict[str, str]) -> None:
    items = customer_timeline(services.db, actor, book["customer"]).items
    kinds = {item.kind for item in items}
    assert kinds == {"activity", "test_drive", "opportunity", "stage_change", "quote", "contract", "order", "payment",
                     "merge", "pool", "lost_request"}
    assert [item.at for item in items] == sorted((item.at for item in items), reverse=True)
    assert not any("别人" in item.title or "别人" in item.detail for item in items)  # not the other customer's
    done = next(item for item in items if item.title.endswith("首次回访"))
    assert done.at == BASE and done.status == "Done" and done.detail == "客户周末到店"  # done: at done_at
    planned = next(item for item in items if item.title.endswith("跟进购车意向"))
    assert planned.at == BASE + timedelta(days=3) and planned.status == "Planned"  # planned: at due_at
    drive = next(item for item in items if item.kind == "test_drive")
    assert "12 km" in drive.detail and drive.at == BASE + timedelta(hours=2)
    payment = next(item for item in items if item.kind == "payment")
    assert payment.amount == Decimal("20000") and payment.entity == "payment"
    lost = next(item for item in items if item.kind == "lost_request")
    assert (lost.entity, lost.record_id) == ("opportunity", book["deal"])


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 50])
def test_pages_join_up_to_the_whole_timeline_without_gaps_or_repeats(
        services: Services, actor: Actor, book: dict[str, str], limit: int) -> None:
    whole = customer_timeline(services.db, actor, book["customer"], limit=500).items
    paged = _all_pages(services, actor, book["customer"], limit)
    assert [(item.kind, item.id) for item in paged] == [(item.kind, item.id) for item in whole]
    assert len({(item.kind, item.id) for item in paged}) == len(paged) == len(whole) >= 13


def test_items_at_the_same_moment_page_by_kind_and_id(services: Services, actor: Actor,
                                                      book: dict[str, str]) -> None:
    same = BASE + timedelta(days=30)
    with unit_of_work(services.db, actor) as session:
        for index in range(7):
            session.add(Activity(kind="call", status="done", subject=f"同时 {index}", done_at=same,
                                 customer_id=book["customer"]))
            session.add(PoolEvent(customer_id=book["customer"], action="warn", at=same))
    paged = _all_pages(services, actor, book["customer"], 3)
    at_same = [item for item in paged if item.at == same]
    assert len(at_same) == 14
    assert [(item.kind, item.id) for item in at_same] == sorted(((i.kind, i.id) for i in at_same), reverse=True)


def test_the_overview_sums_up_the_customer(services: Services, actor: Actor, consultant: str,
                                           book: dict[str, str]) -> None:
    overview = customer_overview(services.db, actor, book["customer"])
    assert overview.profile["name"] == "陈静" and overview.owner_name == "王磊"
    assert (overview.tier, overview.intent_grade, overview.status) == ("A", "H", "active")
    assert [contact["name"] for contact in overview.contacts] == ["陈静"]
    assert [deal.name for deal in overview.open_opportunities] == ["华驰 S5"]
    assert overview.open_amount == Decimal("169800.00")
    assert overview.counts["activities"] >= 2 and overview.counts["test_drives"] == 1
    assert overview.counts["orders"] == 1 and overview.counts["payments"] == 1
    assert overview.pending_lost_request is not None
    assert overview.pending_lost_request.opportunity_name == "华驰 S5"
    assert overview.pending_lost_request.requested_by == "王磊"
    assert overview.pool_state == "owned"
    other = customer_overview(services.db, actor, book["other"])
    assert other.pool_state == "pool" and other.owner_name is None and other.pending_lost_request is None


def test_a_consultant_sees_the_overview_masked(services: Services, consultant: str, book: dict[str, str]) -> None:
    rep = Actor(user_id=consultant, display_name="王磊", role="consultant")
    overview = customer_overview(services.db, rep, book["customer"])
    assert overview.profile["phone"] == "136****3333"
    assert overview.contacts[0]["phone"] == "136****3333"


def test_a_deleted_customer_has_no_360_view(services: Services, actor: Actor, book: dict[str, str]) -> None:
    services.customers.delete(actor, book["other"])
    with pytest.raises(NotFoundError):
        customer_overview(services.db, actor, book["other"])
    with pytest.raises(NotFoundError):
        customer_timeline(services.db, actor, book["other"])
