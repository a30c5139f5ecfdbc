"""The customer 360° view (客户全景): one customer's overview and one timeline of everything linked to it.

The timeline is read page by page with a keyset cursor (at, kind, id), newest first, never OFFSET:
each source (activities, test drives, deals and their stage changes, quotes, contracts, orders,
payments, merges, pool moves, lost requests) is its own query on its customer_id index, limited to
one page before the cursor, and the sources are merged here (k sources x one page of rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _, current_language
from crmdesk.labels import code_label
from crmdesk.models import (
    Activity,
    Contact,
    Contract,
    Customer,
    LostRequest,
    Opportunity,
    OpportunityStageChange,
    Order,
    Payment,
    PoolEvent,
    Quote,
    RecordMerge,
    Stage,
    TestDrive,
    User,
)
from crmdesk.models.base import UTCDateTime
from crmdesk.models.database import Database
from crmdesk.services.customers import ContactService, CustomerService
from crmdesk.services.entities import Record, visible_rows
from crmdesk.services.errors import NotFoundError
from crmdesk.services.uow import Actor, read_session

TIMELINE_PAGE = 50

# The kinds of timeline items, in the order they sort among items of the same moment (descending).
TIMELINE_KINDS = ("activity", "contract", "lost_request", "merge", "opportunity", "order", "payment", "pool",
                  "quote", "stage_change", "test_drive")


@dataclass(frozen=True, order=True)
class TimelineCursor:
    """Where a timeline page ended: the next page holds the items that sort after it (older ones)."""

    at: datetime
    kind: str
    id: str


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # one of TIMELINE_KINDS
    id: str  # the row's id in its own table (with kind, unique in the timeline)
    title: str  # translated: "电话：首次回访"
    detail: str
    amount: Decimal | None
    status: str | None  # translated label of the row's status, if it has one
    entity: str  # the linked record to open: activity, test_drive, opportunity, quote, ..., customer
    record_id: str

    @property
    def cursor(self) -> TimelineCursor:
        return TimelineCursor(self.at, self.kind, self.id)


@dataclass(frozen=True)
class TimelinePage:
    items: tuple[TimelineItem, ...]
    next_cursor: TimelineCursor | None  # None: this was the last page


@dataclass(frozen=True)
class OpenOpportunity:
    id: str
    name: str
    stage: str
    amount: Decimal
    probability: int
    expected_close_date: Any


@dataclass(frozen=True)
class PendingLostRequest:
    id: str
    opportunity_id: str
    opportunity_name: str
    reason: str
    detail: str | None
    requested_at: datetime
    requested_by: str | None  # display name


@dataclass(frozen=True)
class Overview:
    """What the head of the 360° view shows; `profile` is the customer as its service reads it
    (phone and ID number masked for roles that do not see personal data)."""

    profile: Record
    contacts: tuple[Record, ...]
    owner_name: str | None
    tier: str | None
    intent_grade: str | None
    status: str
    last_followup_at: datetime | None
    next_followup_at: datetime | None
    counts: Mapping[str, int]  # per timeline source: activities, test_drives, opportunities, ...
    open_opportunities: tuple[OpenOpportunity, ...]
    open_amount: Decimal
    pending_lost_request: PendingLostRequest | None
    pool_state: str  # owned / warned (to go back to the pool) / pool / dormant
    pool_entered_at: datetime | None
    claimed_at: datetime | None
    pool_warned_at: datetime | None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


# ---- the overview ---------------------------------------------------------------------------------

_COUNTED: tuple[tuple[str, Any], ...] = (
    ("activities", Activity), ("test_drives", TestDrive), ("opportunities", Opportunity), ("quotes", Quote),
    ("contracts", Contract), ("orders", Order), ("payments", Payment),
)


def _user_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {user_id for user_id in ids if user_id}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all())


def _stage_name_column() -> Any:
    return Stage.name_en if current_language() == "en" else Stage.name_zh


def _check_customer(session: Session, actor: Actor, customer_id: str) -> Customer:
    customer = session.scalars(select(Customer).where(
        Customer.id == customer_id, Customer.deleted_at.is_(None), visible_rows(actor, Customer))).first()
    if customer is None:
        raise NotFoundError("customer", customer_id)
    return customer


def customer_overview(db: Database, actor: Actor, customer_id: str) -> Overview:
    """The customer's profile, contacts, owner, grades, follow-up dates, what is linked to it (counts),
    open deals with their amount, a lost request waiting for a manager, and where it stands with the pool."""
    profile = CustomerService(db).get(actor, customer_id)
    contact_service = ContactService(db)
    with read_session(db) as session:
        customer = _check_customer(session, actor, customer_id)
        contacts = session.scalars(
            select(Contact).where(Contact.customer_id == customer_id, Contact.deleted_at.is_(None),
                                  visible_rows(actor, Contact))
            .order_by(Contact.is_primary.desc(), Contact.created_at, Contact.id).limit(200)).all()
        contact_records = tuple(contact_service._mask_record(actor, contact_service._to_record(contact))
                                for contact in contacts)
        counts = {}
        for key, model in _COUNTED:
            counts[key] = int(session.scalar(select(func.count()).select_from(model).where(
                model.customer_id == customer_id, model.deleted_at.is_(None), visible_rows(actor, model))) or 0)
        deals = session.execute(
            select(Opportunity.id, Opportunity.name, _stage_name_column(), Opportunity.amount,
                   Opportunity.probability, Opportunity.expected_close_date)
            .join(Stage, Stage.id == Opportunity.stage_id)
            .where(Opportunity.customer_id == customer_id, Opportunity.status == "open",
                   Opportunity.deleted_at.is_(None), visible_rows(actor, Opportunity))
            .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())).all()
        open_deals = tuple(OpenOpportunity(row[0], row[1], row[2], row[3] or Decimal("0"), row[4] or 0, row[5])
                           for row in deals)
        pending = session.execute(
            select(LostRequest, Opportunity.name)
            .join(Opportunity, Opportunity.id == LostRequest.opportunity_id)
            .where(LostRequest.customer_id == customer_id, LostRequest.status == "pending",
                   LostRequest.deleted_at.is_(None), visible_rows(actor, LostRequest))
            .order_by(LostRequest.requested_at.desc()).limit(1)).first()
        names = _user_names(session, [customer.owner_id, pending[0].requested_by if pending else None])
        request = None
        if pending is not None:
            row = pending[0]
            reason = _lost_reason_labels(db).get(row.reason, row.reason)
            request = PendingLostRequest(row.id, row.opportunity_id, pending[1], reason, row.detail,
                                         row.requested_at, names.get(row.requested_by or ""))
        if customer.owner_id is None:
            pool_state = "pool"
        elif customer.status == "dormant":
            pool_state = "dormant"
        elif customer.pool_warned_at is not None:
            pool_state = "warned"
        else:
            pool_state = "owned"
        return Overview(
            profile=profile, contacts=contact_records, owner_name=names.get(customer.owner_id or ""),
            tier=customer.tier, intent_grade=customer.intent_grade, status=customer.status,
            last_followup_at=customer.last_followup_at, next_followup_at=customer.next_followup_at,
            counts=MappingProxyType(counts), open_opportunities=open_deals,
            open_amount=sum((deal.amount for deal in open_deals), Decimal("0")),
            pending_lost_request=request, pool_state=pool_state, pool_entered_at=customer.pool_entered_at,
            claimed_at=customer.claimed_at, pool_warned_at=customer.pool_warned_at,
        )


# ---- the timeline ---------------------------------------------------------------------------------

def _before(at: Any, row_id: Any, kind: str, cursor: TimelineCursor | None) -> ColumnElement[bool] | None:
    """Rows of one source (all of `kind`) that sort after the cursor in (at, kind, id) descending order."""
    if cursor is None:
        return None
    if kind < cursor.kind:
        return at <= cursor.at
    if kind > cursor.kind:
        return at < cursor.at
    return or_(at < cursor.at, and_(at == cursor.at, row_id < cursor.id))


def _activity_kind(kind: str | None) -> str:
    return {
        "call": _("Call"), "visit": _("Visit"), "message": _("Message"), "meeting": _("Meeting"),
        "email": _("E-mail"), "wechat": _("WeChat"),
    }.get(kind or "", kind or _("Follow-up"))


def _activity_status(status: str | None) -> str | None:
    return {"planned": _("Planned"), "done": _("Done"), "cancelled": _("Cancelled")}.get(status or "", status)


def _pool_action(action: str) -> str:
    return {
        "claim": _("Claimed from the public pool"), "release": _("Released to the public pool"),
        "reclaim": _("Taken back to the public pool"), "assign": _("Assigned"),
        "warn": _("Warned: goes back to the pool soon"), "lost": _("Lost: to the public pool"),
    }.get(action, action)


def _status_label(entity: str, code: str | None) -> str | None:
    if not code:
        return None
    own = {
        "quote": {"draft": _("Draft"), "sent": _("Sent"), "accepted": _("Accepted"), "rejected": _("Rejected"),
                  "expired": _("Expired")},
        "contract": {"draft": _("Draft"), "signed": _("Signed"), "in_force": _("In force"),
                     "finished": _("Finished"), "terminated": _("Terminated")},
    }.get(entity)
    if own is not None:
        return own.get(code, code)
    return code_label(entity, "status", code)


Source = Callable[[Session, Actor, str, TimelineCursor | None, int, dict[str, str]], list[TimelineItem]]


def _limit_order(statement: Any, at: Any, row_id: Any, limit: int) -> Any:
    return statement.order_by(at.desc(), row_id.desc()).limit(limit)


def _activities(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
                names: dict[str, str]) -> list[TimelineItem]:
    # Done ones at the time they were done, planned ones at the time they are due.
    at = func.coalesce(Activity.done_at, Activity.due_at, Activity.created_at, type_=UTCDateTime())
    statement = select(Activity, at).where(Activity.customer_id == customer_id, Activity.deleted_at.is_(None),
                                           visible_rows(actor, Activity))
    condition = _before(at, Activity.id, "activity", cursor)
    if condition is not None:
        statement = statement.where(condition)
    items = []
    for row, when in session.execute(_limit_order(statement, at, Activity.id, limit)):
        detail = " · ".join(part for part in (row.outcome, row.next_step) if part)
        items.append(TimelineItem(when, "activity", row.id, f"{_activity_kind(row.kind)}：{row.subject}", detail,
                                  None, _activity_status(row.status), "activity", row.id))
    return items


def _test_drives(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
                 names: dict[str, str]) -> list[TimelineItem]:
    at = func.coalesce(TestDrive.ended_at, TestDrive.started_at, TestDrive.booked_for, TestDrive.created_at,
                       type_=UTCDateTime())
    statement = select(TestDrive, at).where(TestDrive.customer_id == customer_id, TestDrive.deleted_at.is_(None),
                                            visible_rows(actor, TestDrive))
    condition = _before(at, TestDrive.id, "test_drive", cursor)
    if condition is not None:
        statement = statement.where(condition)
    items = []
    for row, when in session.execute(_limit_order(statement, at, TestDrive.id, limit)):
        parts = [row.vehicle_plate or "", row.driver_name or ""]
        if row.start_odometer_km is not None and row.end_odometer_km is not None:
            parts.append(_("{km} km", km=row.end_odometer_km - row.start_odometer_km))
        items.append(TimelineItem(when, "test_drive", row.id, _("Test drive"),
                                  " · ".join(part for part in parts if part), None,
                                  _status_label("test_drive", row.status), "test_drive", row.id))
    return items


def _opportunities(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
                   names: dict[str, str]) -> list[TimelineItem]:
    at = Opportunity.created_at
    statement = select(Opportunity).where(Opportunity.customer_id == customer_id, Opportunity.deleted_at.is_(None),
                                          visible_rows(actor, Opportunity))
    condition = _before(at, Opportunity.id, "opportunity", cursor)
    if condition is not None:
        statement = statement.where(condition)
    return [
        TimelineItem(row.created_at, "opportunity", row.id, _("Opportunity created: {name}", name=row.name),
                     row.product_interest or "", row.amount, _status_label("opportunity", row.status),
                     "opportunity", row.id)
        for row in session.scalars(_limit_order(statement, at, Opportunity.id, limit))
    ]


def _stage_changes(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
                   names: dict[str, str]) -> list[TimelineItem]:
    at = OpportunityStageChange.changed_at
    statement = (
        select(OpportunityStageChange, Opportunity.name, _stage_name_column())
        .join(Opportunity, Opportunity.id == OpportunityStageChange.opportunity_id)
        .join(Stage, Stage.id == OpportunityStageChange.to_stage_id)
        .where(Opportunity.customer_id == customer_id, Opportunity.deleted_at.is_(None),
               OpportunityStageChange.deleted_at.is_(None), visible_rows(actor, Opportunity))
    )
    condition = _before(at, OpportunityStageChange.id, "stage_change", cursor)
    if condition is not None:
        statement = statement.where(condition)
    return [
        TimelineItem(row.changed_at, "stage_change", row.id, _("Stage: {stage}", stage=stage), deal, None, None,
                     "opportunity", row.opportunity_id)
        for row, deal, stage in session.execute(_limit_order(statement, at, OpportunityStageChange.id, limit))
    ]


def _simple_source(model: Any, kind: str, title: Callable[[Any], str], detail: Callable[[Any], str],
                   amount: Callable[[Any], Decimal | None], status_entity: str | None) -> Source:
    """A source whose rows carry customer_id and are placed at their creation time."""

    def read(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
             names: dict[str, str]) -> list[TimelineItem]:
        at = model.created_at
        statement = select(model).where(model.customer_id == customer_id, model.deleted_at.is_(None),
                                        visible_rows(actor, model))
        condition = _before(at, model.id, kind, cursor)
        if condition is not None:
            statement = statement.where(condition)
        return [
            TimelineItem(row.created_at, kind, row.id, title(row), detail(row), amount(row),
                         _status_label(status_entity, getattr(row, "status", None)) if status_entity else None,
                         kind, row.id)
            for row in session.scalars(_limit_order(statement, at, model.id, limit))
        ]

    return read


def _merges(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
            names: dict[str, str]) -> list[TimelineItem]:
    at = RecordMerge.created_at
    statement = select(RecordMerge).where(RecordMerge.kept_id == customer_id, RecordMerge.deleted_at.is_(None))
    condition = _before(at, RecordMerge.id, "merge", cursor)
    if condition is not None:
        statement = statement.where(condition)
    items = []
    for row in session.scalars(_limit_order(statement, at, RecordMerge.id, limit)):
        title = _("Lead merged in") if row.merged_type == "lead" else _("Duplicate customer merged in")
        items.append(TimelineItem(row.created_at, "merge", row.id, title, row.reason or "", None,
                                  _("Undone") if row.undone_at else None, "merge", row.id))
    return items


def _pool_events(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
                 names: dict[str, str]) -> list[TimelineItem]:
    at = PoolEvent.at
    statement = select(PoolEvent).where(PoolEvent.customer_id == customer_id, PoolEvent.deleted_at.is_(None))
    condition = _before(at, PoolEvent.id, "pool", cursor)
    if condition is not None:
        statement = statement.where(condition)
    rows = session.scalars(_limit_order(statement, at, PoolEvent.id, limit)).all()
    names.update(_user_names(session, [user for row in rows for user in (row.user_id, row.from_owner_id)
                                       if user not in names]))
    items = []
    for row in rows:
        who = names.get(row.user_id or "", "")
        if row.from_owner_id and row.from_owner_id != row.user_id:
            who = _("{old} → {new}", old=names.get(row.from_owner_id, "?"), new=who or _("public pool"))
        detail = " · ".join(part for part in (who, row.reason or "") if part)
        items.append(TimelineItem(row.at, "pool", row.id, _pool_action(row.action), detail, None, None, "customer",
                                  customer_id))
    return items


def _lost_requests(session: Session, actor: Actor, customer_id: str, cursor: TimelineCursor | None, limit: int,
                   names: dict[str, str]) -> list[TimelineItem]:
    at = LostRequest.requested_at
    statement = select(LostRequest).where(LostRequest.customer_id == customer_id, LostRequest.deleted_at.is_(None),
                                          visible_rows(actor, LostRequest))
    condition = _before(at, LostRequest.id, "lost_request", cursor)
    if condition is not None:
        statement = statement.where(condition)
    return [
        TimelineItem(row.requested_at, "lost_request", row.id,
                     _("Lost request: {reason}", reason=names.get(f"lost_reason:{row.reason}", row.reason)),
                     row.review_comment or row.detail or "", None, _status_label("lost_request", row.status),
                     "opportunity", row.opportunity_id)
        for row in session.scalars(_limit_order(statement, at, LostRequest.id, limit))
    ]


SOURCES: tuple[Source, ...] = (
    _activities,
    _test_drives,
    _opportunities,
    _stage_changes,
    _simple_source(Quote, "quote", lambda row: _("Quote {number} (version {version})", number=row.number,
                                                  version=row.version),
                   lambda row: "", lambda row: row.total, "quote"),
    _simple_source(Contract, "contract", lambda row: _("Contract {number}", number=row.number),
                   lambda row: row.title or "", lambda row: row.amount, "contract"),
    _simple_source(Order, "order", lambda row: _("Order {number}", number=row.number),
                   lambda row: _("Delivered {day}", day=row.delivered_at.astimezone().date().isoformat())
                   if row.delivered_at else "", lambda row: row.total, "order"),
    _simple_source(Payment, "payment", lambda row: _("Payment received"),
                   lambda row: " · ".join(part for part in (row.method or "", row.reference or "") if part),
                   lambda row: row.amount, None),
    _merges,
    _pool_events,
    _lost_requests,
)


def _lost_reason_labels(db: Database) -> dict[str, str]:
    from crmdesk.services.lost import lost_reasons  # the lost-reason list lives with the lost flow

    return {reason.code: reason.label for reason in lost_reasons(db)}


def _sort_key(item: TimelineItem) -> tuple[datetime, str, str]:
    return item.at, item.kind, item.id


def customer_timeline(db: Database, actor: Actor, customer_id: str, before: TimelineCursor | None = None,
                      limit: int = TIMELINE_PAGE) -> TimelinePage:
    """One page of the customer's timeline, newest first, after `before` (None: from the newest)."""
    limit = max(1, limit)
    with read_session(db) as session:
        _check_customer(session, actor, customer_id)
        # Names the sources share: users by id, and the team's lost reasons by "lost_reason:<code>".
        names: dict[str, str] = {f"lost_reason:{code}": label for code, label in _lost_reason_labels(db).items()}
        items: list[TimelineItem] = []
        full = False
        for source in SOURCES:
            found = source(session, actor, customer_id, before, limit, names)
            full = full or len(found) >= limit
            items.extend(found)
    items.sort(key=_sort_key, reverse=True)
    page = items[:limit]
    more = len(items) > limit or (full and len(page) == limit)
    return TimelinePage(tuple(page), page[-1].cursor if more and page else None)
