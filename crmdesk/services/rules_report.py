"""The rules report (管理规则, seed 003): per consultant, how often the showroom rules were broken, with a
drill-down list of the records that broke each rule.

The rules:
1. no_first_revisit: an opportunity created more than N days ago (the follow-up cadence's
   first_revisit_days, default 5) with no done activity, linked to it or to its customer, within N days
   of its creation.
2. overdue_activities: planned activities whose due time has passed.
3. past_purchase_date: open opportunities whose expected close date (the intended purchase date) is
   before today.
4. won_without_test_drive: customers with a won opportunity in a vehicle pipeline and no test drive
   that counts as done (returned, with more than 5 km between the odometer readings).
5. delivered_incomplete: orders delivered more than 24 hours ago whose record is incomplete: the
   customer lacks its name, phone, province, city or address, or its identity number (a person its
   resident ID number, a company its unified social credit code instead), or the order lacks its sale
   date or a VIN on a vehicle line.

Rules 1, 4 and 5 count what fell due in the period looked back over (by default the last 30 days); 2 and
3 count what stands overdue now. Each count is one SQL aggregate grouped by owner over an index on the
period's column, the "no ..." conditions as NOT EXISTS on indexed columns, so the report stays instant
at a million leads (the benchmark's report_rules_ms).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from crmdesk.i18n import _, current_language
from crmdesk.models import (
    Activity,
    AuditEntry,
    Customer,
    Lead,
    Opportunity,
    Order,
    OrderLine,
    Pipeline,
    Product,
    TestDrive,
    User,
)
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services.entities import visible_rows
from crmdesk.services.exporter import write_table
from crmdesk.services.team_settings import read_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

RULES = ("no_first_revisit", "overdue_activities", "past_purchase_date", "won_without_test_drive",
         "delivered_incomplete")
DEFAULT_FIRST_REVISIT_DAYS = 5
CADENCE_SETTING = "followup_cadence"  # the follow-ups' setting; its first_revisit_days is the rule's N
TEST_DRIVE_MIN_KM = 5
DELIVERY_GRACE = timedelta(hours=24)
NO_OWNER = "-"  # the owner_id of the row for records nobody owns (the public pool)
# The period the report looks back over by default: the last 30 days, as a showroom manager reviews a
# month. A rule about something that happened (a first revisit due, a deal won, a car delivered) counts
# what fell due in the period; the overdue follow-ups and the deals past their date count as they stand.
DEFAULT_PERIOD_DAYS = 30


def rule_title(rule: str) -> str:
    return {
        "no_first_revisit": _("No first revisit within {days} days"),
        "overdue_activities": _("Overdue planned activities"),
        "past_purchase_date": _("Past the intended purchase date"),
        "won_without_test_drive": _("Won without a test drive"),
        "delivered_incomplete": _("Delivered, record incomplete after 24 h"),
    }[rule]


@dataclass(frozen=True)
class ConsultantCounts:
    owner_id: str  # NO_OWNER for records without an owner
    owner: str
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class RulesReport:
    now: datetime
    since: datetime | None  # the period's start (None: all the book's history)
    first_revisit_days: int
    rules: tuple[str, ...]
    titles: Mapping[str, str]  # rule -> translated column title
    consultants: tuple[ConsultantCounts, ...]  # by name; only owners with a count
    totals: Mapping[str, int]

    def as_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "since": self.since.isoformat() if self.since is not None else None,
            "first_revisit_days": self.first_revisit_days,
            "rules": [{"rule": rule, "title": self.titles[rule]} for rule in self.rules],
            "consultants": [{"owner_id": row.owner_id, "owner": row.owner, **row.counts, "total": row.total}
                            for row in self.consultants],
            "totals": {**self.totals, "total": sum(self.totals.values())},
        }


@dataclass(frozen=True)
class RuleRow:
    """One record that broke a rule: what to open (entity, record_id), who owns it, since when."""

    rule: str
    entity: str  # opportunity / activity / customer / order
    record_id: str
    name: str
    customer_id: str | None
    customer_name: str
    owner_id: str
    owner: str
    broken_on: date | datetime  # the deadline missed (due time, purchase date, won date, delivery + 24 h)
    days_late: int
    detail: str
    open_entity: str  # what a double click opens: customer / opportunity / lead
    open_id: str

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "entity": self.entity, "id": self.record_id, "name": self.name,
                "customer_id": self.customer_id, "customer": self.customer_name, "owner_id": self.owner_id,
                "owner": self.owner, "broken_on": self.broken_on.isoformat(), "days_late": self.days_late,
                "detail": self.detail}


def first_revisit_days(session: Session) -> int:
    stored = read_setting(session, CADENCE_SETTING, None)
    days = stored.get("first_revisit_days") if isinstance(stored, Mapping) else None
    return int(days) if isinstance(days, int) and days > 0 else DEFAULT_FIRST_REVISIT_DAYS


def _plus_days(column: Any, days: int) -> Any:
    """column + days, as SQLite compares stored times (text 'YYYY-MM-DD HH:MM:SS.ffffff')."""
    return func.strftime("%Y-%m-%d %H:%M:%f", column, f"+{int(days)} days")


def _blank(column: Any) -> ColumnElement[bool]:
    return func.coalesce(func.trim(column), "") == ""


# ---- the rules as SQL: (statement of the broken rows) --------------------------------------------


@dataclass(frozen=True)
class _Context:
    actor: Actor
    now: datetime
    today: date
    days: int
    since: datetime | None  # the period looked back over starts here (None: no limit)


def _no_first_revisit(ctx: _Context) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    o = Opportunity
    deadline = _plus_days(o.created_at, ctx.days)

    def done_within(link: ColumnElement[bool]) -> Any:
        return exists().where(link, Activity.status == "done", Activity.deleted_at.is_(None),
                              Activity.done_at >= o.created_at, Activity.done_at <= deadline)

    conditions = [
        o.deleted_at.is_(None), visible_rows(ctx.actor, o), o.created_at < ctx.now - timedelta(days=ctx.days),
        *([o.created_at >= ctx.since - timedelta(days=ctx.days)] if ctx.since is not None else []),  # due in it
        # Two NOT EXISTS, one per link, so each walks its own index (an OR would scan).
        ~done_within(Activity.opportunity_id == o.id), ~done_within(Activity.customer_id == o.customer_id),
    ]
    return o, o.owner_id, conditions


def _overdue_activities(ctx: _Context) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    a = Activity
    # Owner IN (every user) OR no owner: each term walks the (owner, status, due) index for its range of
    # overdue rows, where the bare status and due conditions would read every activity.
    owners = or_(a.owner_id.in_(select(User.id)), a.owner_id.is_(None))
    return a, a.owner_id, [owners, a.status == "planned", a.due_at < ctx.now, a.deleted_at.is_(None),
                           visible_rows(ctx.actor, a)]


def _past_purchase_date(ctx: _Context) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    o = Opportunity
    return o, o.owner_id, [o.status == "open", o.expected_close_date < ctx.today, o.deleted_at.is_(None),
                           visible_rows(ctx.actor, o)]


def _done_test_drive(customer_id: Any) -> Any:
    # `status || ''`: SQLite would otherwise walk the (status, booked_for) index, every returned drive,
    # for each won deal, instead of the customer's few drives.
    return exists().where(
        TestDrive.customer_id == customer_id, TestDrive.status.concat("") == "returned",
        TestDrive.deleted_at.is_(None),
        TestDrive.end_odometer_km - TestDrive.start_odometer_km > TEST_DRIVE_MIN_KM)


def _won_vehicle(ctx: _Context) -> tuple[Any, list[ColumnElement[bool]]]:
    o = Opportunity
    if ctx.since is None:
        won = [o.status == "won"]
    else:  # won in the period: the won_at index (`status || ''` keeps SQLite off the status index)
        won = [o.won_at >= ctx.since.astimezone().date(), o.status.concat("") == "won"]
    return o, [*won, o.deleted_at.is_(None), visible_rows(ctx.actor, o),
               o.pipeline_id.in_(select(Pipeline.id).where(Pipeline.kind == "vehicle")),
               ~_done_test_drive(o.customer_id)]


def _delivered_incomplete(ctx: _Context) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    order, customer = Order, aliased(Customer)  # aliased: the drill-down joins the customer itself too
    vehicle_without_vin = exists().where(
        OrderLine.order_id == order.id, OrderLine.deleted_at.is_(None), _blank(OrderLine.vin),
        OrderLine.product_id.in_(select(Product.id).where(Product.is_vehicle.is_(True))))
    incomplete_customer = exists().where(
        customer.id == order.customer_id,
        or_(_blank(customer.name), _blank(customer.phone), _blank(customer.province), _blank(customer.city),
            _blank(customer.address),
            and_(customer.kind == "company", _blank(customer.uscc)),
            and_(customer.kind != "company", _blank(customer.id_number))))
    conditions = [
        order.deleted_at.is_(None), visible_rows(ctx.actor, order), order.status != "cancelled",
        order.delivered_at.is_not(None), order.delivered_at < ctx.now - DELIVERY_GRACE,
        *([order.delivered_at >= ctx.since - DELIVERY_GRACE] if ctx.since is not None else []),  # due in it
        or_(incomplete_customer, vehicle_without_vin, order.order_date.is_(None)),
    ]
    return order, order.owner_id, conditions


_SIMPLE = {
    "no_first_revisit": _no_first_revisit,
    "overdue_activities": _overdue_activities,
    "past_purchase_date": _past_purchase_date,
    "delivered_incomplete": _delivered_incomplete,
}


def _context(session: Session, actor: Actor, now: datetime | None, period_days: int | None) -> _Context:
    now = (now or utcnow()).astimezone(UTC)
    since = now - timedelta(days=period_days) if period_days is not None else None
    return _Context(actor, now, now.astimezone().date(), first_revisit_days(session), since)


def _owner_condition(column: Any, owner_id: str | None) -> list[ColumnElement[bool]]:
    if owner_id is None:
        return []
    return [column.is_(None)] if owner_id == NO_OWNER else [column == owner_id]


def _counts(session: Session, ctx: _Context, rule: str, owner_id: str | None) -> dict[str | None, int]:
    # Grouped by coalesce(owner, ''), not the bare column: grouped by the column, SQLite walks the owner
    # index to skip the sort, every row of the table, instead of the period's few through their index.
    if rule == "won_without_test_drive":
        o, conditions = _won_vehicle(ctx)
        owner = func.coalesce(o.owner_id, "")
        statement = (select(owner, func.count(func.distinct(o.customer_id)))
                     .where(*conditions, *_owner_condition(o.owner_id, owner_id)).group_by(owner))
    else:
        model, column, conditions = _SIMPLE[rule](ctx)
        owner = func.coalesce(column, "")
        statement = (select(owner, func.count()).select_from(model)
                     .where(*conditions, *_owner_condition(column, owner_id)).group_by(owner))
    return {row[0] or None: int(row[1]) for row in session.execute(statement)}


def rules_report(db: Database, actor: Actor, now: datetime | None = None, owner_id: str | None = None,
                 period_days: int | None = DEFAULT_PERIOD_DAYS) -> RulesReport:
    """The counts of every rule per owner (only owners with at least one), and the totals.
    `owner_id`: one owner only (NO_OWNER: records without an owner)."""
    with read_session(db) as session:
        ctx = _context(session, actor, now, period_days)
        per_rule = {rule: _counts(session, ctx, rule, owner_id) for rule in RULES}
        owners = {owner for counts in per_rule.values() for owner in counts}
        names = dict(session.execute(select(User.id, User.display_name).where(
            User.id.in_([owner for owner in owners if owner]))).all())
    rows = [
        ConsultantCounts(owner or NO_OWNER, names.get(owner or "", "") if owner else _("(nobody: public pool)"),
                         MappingProxyType({rule: per_rule[rule].get(owner, 0) for rule in RULES}))
        for owner in owners
    ]
    rows.sort(key=lambda row: (row.owner_id == NO_OWNER, row.owner, row.owner_id))
    totals = MappingProxyType({rule: sum(per_rule[rule].values()) for rule in RULES})
    titles = MappingProxyType({rule: rule_title(rule).format(days=ctx.days) for rule in RULES})
    return RulesReport(ctx.now, ctx.since, ctx.days, RULES, titles, tuple(rows), totals)


# ---- the drill-down ---------------------------------------------------------------------------------


def _days_between(later: date, earlier: date) -> int:
    return max((later - earlier).days, 0)


def _local_day(value: datetime) -> date:
    return value.astimezone().date()


def rules_report_rows(db: Database, actor: Actor, rule: str, owner_id: str | None = None, offset: int = 0,
                      limit: int = 200, *, now: datetime | None = None,
                      period_days: int | None = DEFAULT_PERIOD_DAYS) -> list[RuleRow]:
    """The records breaking `rule` (of one owner, or all with None), longest overdue first, a page at a time."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; known: {', '.join(RULES)}")
    with read_session(db) as session:
        ctx = _context(session, actor, now, period_days)
        reader = {
            "no_first_revisit": _rows_no_first_revisit, "overdue_activities": _rows_overdue,
            "past_purchase_date": _rows_past_purchase, "won_without_test_drive": _rows_won_without_drive,
            "delivered_incomplete": _rows_delivered_incomplete,
        }[rule]
        raw = reader(session, ctx, owner_id, max(offset, 0), max(limit, 0))
        names = dict(session.execute(select(User.id, User.display_name).where(
            User.id.in_({row["owner_id"] for row in raw if row["owner_id"]}))).all())
    return [
        RuleRow(rule, row["entity"], row["id"], row["name"] or "", row["customer_id"], row["customer_name"] or "",
                row["owner_id"] or NO_OWNER, names.get(row["owner_id"] or "", "") or _("(nobody: public pool)"),
                row["broken_on"], row["days_late"], row.get("detail") or "", row["open_entity"], row["open_id"])
        for row in raw
    ]


def _rows_no_first_revisit(session: Session, ctx: _Context, owner_id: str | None, offset: int,
                           limit: int) -> list[dict[str, Any]]:
    o, owner, conditions = _no_first_revisit(ctx)
    statement = (select(o.id, o.name, o.customer_id, o.customer_name, o.owner_id, o.created_at, o.status)
                 .where(*conditions, *_owner_condition(owner, owner_id))
                 .order_by(o.created_at.desc(), o.id.desc()).offset(offset).limit(limit))
    rows = []
    for row_id, name, customer_id, customer_name, owner, created, status in session.execute(statement):
        due = created + timedelta(days=ctx.days)
        rows.append({"entity": "opportunity", "id": row_id, "name": name, "customer_id": customer_id,
                     "customer_name": customer_name, "owner_id": owner, "broken_on": due,
                     "days_late": _days_between(ctx.today, _local_day(due)), "open_entity": "opportunity",
                     "open_id": row_id, "detail": _status_text(status)})
    return rows


def _status_text(status: str | None) -> str:
    return {"open": _("Open"), "won": _("Won"), "lost": _("Lost")}.get(status or "", status or "")


def _rows_overdue(session: Session, ctx: _Context, owner_id: str | None, offset: int,
                  limit: int) -> list[dict[str, Any]]:
    a, owner, conditions = _overdue_activities(ctx)
    customer = aliased(Customer)
    lead = aliased(Lead)
    statement = (select(a.id, a.subject, a.customer_id, customer.name, a.owner_id, a.due_at, a.lead_id, lead.name,
                        a.opportunity_id)
                 .outerjoin(customer, customer.id == a.customer_id)
                 .outerjoin(lead, lead.id == a.lead_id)
                 .where(*conditions, *_owner_condition(owner, owner_id))
                 .order_by(a.due_at, a.id).offset(offset).limit(limit))
    rows = []
    for row_id, subject, customer_id, customer_name, owner, due, lead_id, lead_name, deal_id in session.execute(
            statement):
        if customer_id:
            open_entity, open_id = "customer", customer_id
        elif deal_id:
            open_entity, open_id = "opportunity", deal_id
        else:
            open_entity, open_id = "lead", lead_id or row_id
        rows.append({"entity": "activity", "id": row_id, "name": subject, "customer_id": customer_id,
                     "customer_name": customer_name or lead_name or "", "owner_id": owner, "broken_on": due,
                     "days_late": _days_between(ctx.today, _local_day(due)), "open_entity": open_entity,
                     "open_id": open_id})
    return rows


def _rows_past_purchase(session: Session, ctx: _Context, owner_id: str | None, offset: int,
                        limit: int) -> list[dict[str, Any]]:
    o, owner, conditions = _past_purchase_date(ctx)
    statement = (select(o.id, o.name, o.customer_id, o.customer_name, o.owner_id, o.expected_close_date)
                 .where(*conditions, *_owner_condition(owner, owner_id))
                 .order_by(o.expected_close_date, o.id).offset(offset).limit(limit))
    return [{"entity": "opportunity", "id": row_id, "name": name, "customer_id": customer_id,
             "customer_name": customer_name, "owner_id": owner, "broken_on": close,
             "days_late": _days_between(ctx.today, close), "open_entity": "opportunity", "open_id": row_id}
            for row_id, name, customer_id, customer_name, owner, close in session.execute(statement)]


def _rows_won_without_drive(session: Session, ctx: _Context, owner_id: str | None, offset: int,
                            limit: int) -> list[dict[str, Any]]:
    o, conditions = _won_vehicle(ctx)
    won = func.max(o.won_at)
    statement = (select(o.customer_id, func.max(o.customer_name), o.owner_id, won, func.count())
                 .where(*conditions, *_owner_condition(o.owner_id, owner_id))
                 .group_by(o.customer_id, o.owner_id)
                 .order_by(won.desc(), o.customer_id).offset(offset).limit(limit))
    rows = []
    for customer_id, customer_name, owner, won_on, deals in session.execute(statement):
        won_day = won_on if isinstance(won_on, date) else date.fromisoformat(str(won_on)) if won_on else ctx.today
        rows.append({"entity": "customer", "id": customer_id, "name": customer_name, "customer_id": customer_id,
                     "customer_name": customer_name, "owner_id": owner, "broken_on": won_day,
                     "days_late": _days_between(ctx.today, won_day), "open_entity": "customer",
                     "open_id": customer_id, "detail": _("{count} won deals", count=deals) if deals > 1 else ""})
    return rows


def _rows_delivered_incomplete(session: Session, ctx: _Context, owner_id: str | None, offset: int,
                               limit: int) -> list[dict[str, Any]]:
    order, owner, conditions = _delivered_incomplete(ctx)
    c = Customer
    statement = (select(order.id, order.number, order.customer_id, c.name, order.owner_id, order.delivered_at,
                        c.kind, c.phone, c.id_number, c.uscc, c.province, c.city, c.address, order.order_date)
                 .join(c, c.id == order.customer_id)
                 .where(*conditions, *_owner_condition(owner, owner_id))
                 .order_by(order.delivered_at, order.id).offset(offset).limit(limit))
    result = session.execute(statement).all()
    without_vin: set[str] = set()
    if result:
        vehicles = select(Product.id).where(Product.is_vehicle.is_(True))
        without_vin = set(session.scalars(select(OrderLine.order_id).where(
            OrderLine.order_id.in_([row[0] for row in result]), OrderLine.deleted_at.is_(None),
            _blank(OrderLine.vin), OrderLine.product_id.in_(vehicles))))
    separator = ", " if current_language() == "en" else "、"
    rows = []
    for (row_id, number, customer_id, name, owner, delivered, kind, phone, id_number, uscc, province, city,
         address, order_day) in result:
        missing = [title for title, value in (
            (_("name"), name), (_("phone"), phone),
            (_("credit code") if kind == "company" else _("ID number"), uscc if kind == "company" else id_number),
            (_("province"), province), (_("city"), city), (_("address"), address), (_("sale date"), order_day),
        ) if not (str(value).strip() if value is not None else "")]
        if row_id in without_vin:
            missing.append(_("VIN"))
        due = delivered + DELIVERY_GRACE
        rows.append({"entity": "order", "id": row_id, "name": number, "customer_id": customer_id,
                     "customer_name": name, "owner_id": owner, "broken_on": due,
                     "days_late": _days_between(ctx.today, _local_day(due)), "open_entity": "customer",
                     "open_id": customer_id, "detail": _("Missing: {fields}", fields=separator.join(missing))})
    return rows


# ---- export -------------------------------------------------------------------------------------------


def export_rules_report(db: Database, actor: Actor, report: RulesReport, path: Path, *, fmt: str = "xlsx",
                        encoding: str = "utf-8-sig") -> int:
    """The report's table (consultants x rules, with the totals row) as CSV or xlsx; audited as an export."""
    headers = [_("Consultant"), *(report.titles[rule] for rule in report.rules), _("Total")]
    rows: list[list[Any]] = [[row.owner, *(row.counts[rule] for rule in report.rules), row.total]
                             for row in report.consultants]
    rows.append([_("Total"), *(report.totals[rule] for rule in report.rules), sum(report.totals.values())])
    count = write_table(path, headers, rows, fmt=fmt, encoding=encoding)
    with unit_of_work(db, actor) as session:
        session.add(AuditEntry(user_id=actor.user_id, action="export", entity_type="rules_report", entity_id="-",
                               field=fmt, new_value=f"{count} rows -> {path.name}"))
    return count

