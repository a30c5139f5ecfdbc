"""Activities and follow-ups (跟进): logging and completing them, the plans the rules make (first revisit,
after delivery, the intent grade's cadence), the Today list, reminders and the .ics export.

Every change of a customer's planned follow-ups ends in `sync_customer_followups`, which keeps the
cadence follow-up and `customer.next_followup_at` (a list column) true.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, Select, func, inspect, select
from sqlalchemy.orm import Session, aliased

from crmdesk.i18n import SERVICES_CONTEXT, _, translate
from crmdesk.labels import QT_TRANSLATE_NOOP
from crmdesk.models import Activity, AuditEntry, Contact, Customer, Lead, Opportunity, Order, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services.entities import Record, visible_rows
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.fields import EARLIEST_DATE, LATEST_DATE, FieldSpec, collect_clean_values
from crmdesk.services.personal_data import mask_phone, masked_fields
from crmdesk.services.team_settings import read_setting, write_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

ACTIVITY_KINDS = ("call", "visit", "message", "wechat", "meeting")
ACTIVITY_STATUSES = ("planned", "done", "cancelled")
LOGGED_STATUSES = ("done", "planned")  # what a user logs; "cancelled" is the rules' word

# The subject a new activity of each kind starts with (the dialog prefills it; a log without one gets it).
_DEFAULT_SUBJECTS = {
    "call": QT_TRANSLATE_NOOP("services", "Phone follow-up"),
    "visit": QT_TRANSLATE_NOOP("services", "Showroom visit"),
    "message": QT_TRANSLATE_NOOP("services", "Text message follow-up"),
    "wechat": QT_TRANSLATE_NOOP("services", "WeChat follow-up"),
    "meeting": QT_TRANSLATE_NOOP("services", "Meeting"),
}

# plan_rule codes: which rule planned a follow-up (None: planned by hand).
RULE_FIRST_REVISIT = "first_revisit"
RULE_DELIVERY_48H = "delivery_48h"
RULE_DELIVERY_WEEKLY = "delivery_weekly"
RULE_BIRTHDAY = "birthday"
RULE_CADENCE = "cadence"
# A lead's first call and its next revisit (the walk-in desk and the demo plan them).
RULE_FIRST_CONTACT = "first_contact"
RULE_REVISIT = "revisit"
HOLIDAY_RULE_PREFIX = "holiday:"
HOLIDAYS = ("new_year", "spring_festival", "dragon_boat", "mid_autumn", "national_day")
_HOLIDAY_NAMES = {
    "new_year": QT_TRANSLATE_NOOP("services", "New Year's Day"),
    "spring_festival": QT_TRANSLATE_NOOP("services", "Spring Festival"),
    "dragon_boat": QT_TRANSLATE_NOOP("services", "Dragon Boat Festival"),
    "mid_autumn": QT_TRANSLATE_NOOP("services", "Mid-Autumn Festival"),
    "national_day": QT_TRANSLATE_NOOP("services", "National Day"),
}
DELIVERY_WEEKS = 4  # weekly calls for the first month after delivery
GREETING_HOUR = 9  # local time a birthday or holiday greeting is due
# A done activity may be dated a little ahead of this computer's clock (another device's clock, typing).
_CLOCK_SKEW = timedelta(minutes=5)

CADENCE_SETTING = "followup_cadence"
GRADES = ("H", "A", "B", "C", "O")
DEFAULT_CADENCE: dict[str, int | None] = {
    "H": 2, "A": 7, "B": 14, "C": 30, "O": None, "first_revisit_days": 5,
}
MAX_CADENCE_DAYS = 365
TODAY_LIMIT = 200  # rows of each Today section read at a time; counts are always whole


def default_subject(kind: str) -> str:
    """The subject a new activity of `kind` starts with, in the current language."""
    source = _DEFAULT_SUBJECTS.get(kind)
    return translate(SERVICES_CONTEXT, source) if source else kind


def holiday_name(code: str) -> str:
    source = _HOLIDAY_NAMES.get(code)
    return translate(SERVICES_CONTEXT, source) if source else code


def plan_rule_label(rule: str | None) -> str:
    """What a plan rule code means to a user: 首次回访, 交车48小时回访, 春节问候, ..."""
    if not rule:
        return ""
    if rule.startswith(HOLIDAY_RULE_PREFIX):
        return _("{holiday} greeting", holiday=holiday_name(rule.removeprefix(HOLIDAY_RULE_PREFIX)))
    labels = {
        RULE_FIRST_REVISIT: _("First revisit"),
        RULE_DELIVERY_48H: _("48-hour call after delivery"),
        RULE_DELIVERY_WEEKLY: _("Weekly call after delivery"),
        RULE_BIRTHDAY: _("Birthday greeting"),
        RULE_CADENCE: _("Intent grade cadence"),
        RULE_FIRST_CONTACT: _("First contact"),
        RULE_REVISIT: _("Revisit"),
    }
    return labels.get(rule, rule)


# ---- the cadence setting ---------------------------------------------------------------------
def clean_cadence(value: Any) -> dict[str, int | None]:
    """The cadence setting checked: days per intent grade (empty: no cadence follow-up) and the days to
    the first revisit of a new opportunity. Missing keys take their defaults; raises ValidationError."""
    if not isinstance(value, Mapping):
        raise ValidationError({"followup_cadence": _("Expected an object of intent grades and days.")})
    unknown = set(value) - set(DEFAULT_CADENCE)
    errors: dict[str, str] = {key: _("Unknown setting.") for key in sorted(unknown)}
    cleaned: dict[str, int | None] = {}
    for key, default in DEFAULT_CADENCE.items():
        raw = value.get(key, default)
        if raw is None or raw == "":
            if key == "first_revisit_days":
                errors[key] = _("This field is required.")
            cleaned[key] = None
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            errors[key] = _("Not a whole number.")
            continue
        try:
            days = int(raw)
        except ValueError:
            errors[key] = _("Not a whole number.")
            continue
        if not 1 <= days <= MAX_CADENCE_DAYS:
            errors[key] = _("Between {low} and {high} days.", low=1, high=MAX_CADENCE_DAYS)
            continue
        cleaned[key] = days
    if errors:
        raise ValidationError(errors)
    return cleaned


def _cadence(session: Session) -> dict[str, int | None]:
    stored = read_setting(session, CADENCE_SETTING, None)
    if not isinstance(stored, Mapping):
        return dict(DEFAULT_CADENCE)
    try:
        return clean_cadence(stored)
    except ValidationError:  # written by a newer version or by hand: the defaults keep the plans going
        return dict(DEFAULT_CADENCE)


def load_cadence(db: Database) -> dict[str, int | None]:
    """The team's follow-up cadence: {"H": 2, "A": 7, "B": 14, "C": 30, "O": None, "first_revisit_days": 5}."""
    with read_session(db) as session:
        return _cadence(session)


def save_cadence(db: Database, actor: Actor, value: Any) -> dict[str, int | None]:
    """Check and store the cadence; planned follow-ups already made keep their dates until the next change."""
    cleaned = clean_cadence(value)
    with unit_of_work(db, actor) as session:
        write_setting(session, CADENCE_SETTING, cleaned)
    return cleaned


# ---- times -------------------------------------------------------------------------------------
def _utc(value: datetime) -> datetime:
    """Aware UTC; a naive time is read as this computer's local time (what a user typed)."""
    return value.astimezone(UTC)


def _local_start_of_day(moment: datetime) -> datetime:
    local = moment.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _local_at(day: date, hour: int) -> datetime:
    """`hour` o'clock on `day` in local time, as UTC."""
    return _utc(datetime.combine(day, time(hour)))


def parse_datetime(raw: Any) -> datetime | None:
    """A datetime (aware, or naive local) or an ISO text (2026-03-05, 2026-03-05 14:30) as aware UTC."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    day = raw.date() if isinstance(raw, datetime) else raw
    if isinstance(day, date) and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(_("The date is out of range (1900-2100)."))
    if isinstance(raw, datetime):
        return _utc(raw)
    if isinstance(raw, date):
        return _local_at(raw, GREETING_HOUR)
    text = str(raw).strip().replace("/", "-")
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(_("Not a date and time; write it as 2024-03-05 14:30.")) from error
    if len(text) <= 10:  # a date alone: in the morning
        value = value.replace(hour=GREETING_HOUR)
    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:  # also: no UTC conversion past year 1 or 9999
        raise ValueError(_("The date is out of range (1900-2100)."))
    return _utc(value)


# ---- snapshots ---------------------------------------------------------------------------------
def _record(activity: Activity) -> Record:
    values = {attr.key: getattr(activity, attr.key) for attr in inspect(activity).mapper.column_attrs}
    return Record("activity", activity.id, MappingProxyType(values))


def get_activity(db: Database, actor: Actor, activity_id: str) -> Record:
    with read_session(db) as session:
        return _record(_load(session, actor, activity_id))


def _load(session: Session, actor: Actor, activity_id: str) -> Activity:
    activity = session.scalars(select(Activity).where(
        Activity.id == activity_id, Activity.deleted_at.is_(None), visible_rows(actor, Activity))).first()
    if activity is None:
        raise NotFoundError("activity", activity_id)
    return activity


# ---- logging and completing ------------------------------------------------------------------
_ACTIVITY_FIELDS = (
    FieldSpec("kind", "choice", required=True, choices=ACTIVITY_KINDS),
    FieldSpec("subject", max_length=200),
    FieldSpec("outcome", "longtext", max_length=10000),
    FieldSpec("next_step", "longtext", max_length=2000),
    FieldSpec("status", "choice", required=True, choices=LOGGED_STATUSES),
    FieldSpec("owner_id", "ref"),
    FieldSpec("lead_id", "ref"),
    FieldSpec("customer_id", "ref"),
    FieldSpec("opportunity_id", "ref"),
    FieldSpec("contact_id", "ref"),
)
_TIME_FIELDS = ("due_at", "done_at", "next_due_at")


def _clean_times(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, datetime | None]:
    times: dict[str, datetime | None] = {}
    for name in _TIME_FIELDS:
        try:
            times[name] = parse_datetime(values.get(name))
        except ValueError as error:
            errors[name] = str(error)
    return times


def _live(session: Session, model: Any, record_id: str | None) -> Any:
    if record_id is None:
        return None
    row = session.get(model, record_id)
    return row if row is not None and row.deleted_at is None else None


def _check_links(session: Session, cleaned: dict[str, Any], errors: dict[str, str]) -> Customer | None:
    """The lead, customer, opportunity and contact named must exist and fit together; an opportunity's
    customer is filled in. Returns the customer the activity is about, if any."""
    lead = _live(session, Lead, cleaned.get("lead_id"))
    if cleaned.get("lead_id") and lead is None:
        errors.setdefault("lead_id", _("Choose an existing lead."))
    opportunity = _live(session, Opportunity, cleaned.get("opportunity_id"))
    if cleaned.get("opportunity_id") and opportunity is None:
        errors.setdefault("opportunity_id", _("Choose an existing opportunity."))
    if opportunity is not None:
        if cleaned.get("customer_id") and cleaned["customer_id"] != opportunity.customer_id:
            errors.setdefault("customer_id", _("The opportunity belongs to another customer."))
        cleaned["customer_id"] = opportunity.customer_id
    customer = _live(session, Customer, cleaned.get("customer_id"))
    if cleaned.get("customer_id") and customer is None:
        errors.setdefault("customer_id", _("Choose an existing customer."))
    if cleaned.get("lead_id") and cleaned.get("customer_id"):
        errors.setdefault("lead_id", _("A follow-up is about a lead or a customer, not both."))
    if not any(cleaned.get(name) for name in ("lead_id", "customer_id", "opportunity_id")):
        errors.setdefault("customer_id", _("Choose the customer, lead or opportunity this is about."))
    contact = _live(session, Contact, cleaned.get("contact_id"))
    if cleaned.get("contact_id") and (contact is None or contact.customer_id != cleaned.get("customer_id")):
        errors.setdefault("contact_id", _("Choose a contact of this customer."))
    owner = _live(session, User, cleaned.get("owner_id"))
    if cleaned.get("owner_id") and owner is None:
        errors.setdefault("owner_id", _("Choose an existing user."))
    return customer


def log_activity(db: Database, actor: Actor, values: Mapping[str, Any]) -> Record:
    """Log a call, visit, message, WeChat or meeting (status "done", the default) or plan one ("planned").

    values: kind, subject (default: the kind's), outcome, next_step, status, due_at (a planned one's
    date, required), done_at (default now), owner_id (default the actor), next_due_at (a done one's
    next follow-up, planned in the same step), and lead_id or customer_id and/or opportunity_id (the
    opportunity's customer is filled in), contact_id. Times are datetimes or ISO texts.
    A done activity for a customer moves its last follow-up (and clears a pool warning) and plans the
    next cadence follow-up. Raises ValidationError naming every bad field.
    """
    given = {"status": "done", **values}
    times_given = {name: given.pop(name, None) for name in _TIME_FIELDS}
    cleaned, errors = collect_clean_values(_ACTIVITY_FIELDS, given)
    times = _clean_times(times_given, errors)
    now = utcnow()
    status = cleaned.get("status")
    if status == "planned" and times.get("due_at") is None and "due_at" not in errors:
        errors["due_at"] = _("A planned follow-up needs its date.")
    done_at = times.get("done_at")
    if status == "done" and done_at is not None and done_at > now + _CLOCK_SKEW:
        errors["done_at"] = _("A follow-up done cannot be in the future.")
    next_due = times.get("next_due_at")
    if next_due is not None and next_due <= now:
        errors["next_due_at"] = _("The next follow-up must be in the future.")
    if next_due is not None and status == "planned":
        errors["next_due_at"] = _("Only a follow-up done has a next one.")
    with unit_of_work(db, actor) as session:
        customer = _check_links(session, cleaned, errors)
        if errors:
            raise ValidationError(errors)
        kind = cleaned["kind"]
        activity = Activity(
            kind=kind, status=status, subject=cleaned.get("subject") or default_subject(kind),
            outcome=cleaned.get("outcome"), next_step=cleaned.get("next_step"),
            due_at=times.get("due_at"), done_at=(done_at or now) if status == "done" else None,
            owner_id=cleaned.get("owner_id") or actor.user_id,
            lead_id=cleaned.get("lead_id"), customer_id=cleaned.get("customer_id"),
            contact_id=cleaned.get("contact_id"), opportunity_id=cleaned.get("opportunity_id"),
        )
        session.add(activity)
        session.flush()
        if status == "done":
            _after_done(session, activity, customer)
        if next_due is not None:
            _plan_next(session, activity, next_due, cleaned.get("next_step"))
        if customer is not None:
            session.flush()
            sync_customer_followups(session, actor, customer, now=now)
        session.flush()
        return _record(activity)


def complete_activity(db: Database, actor: Actor, activity_id: str, outcome: str, next_step: str | None = None,
                      next_due_at: datetime | None = None) -> Record:
    """Mark a planned follow-up done with its result (required) and next step; with `next_due_at`
    plan the next follow-up (same kind, the next step as its subject, the same owner and links).
    Raises ValidationError, NotFoundError, or ConflictError when it is no longer planned."""
    cleaned, errors = collect_clean_values(
        (FieldSpec("outcome", "longtext", required=True, max_length=10000),
         FieldSpec("next_step", "longtext", max_length=2000)),
        {"outcome": outcome, "next_step": next_step})
    times = _clean_times({"next_due_at": next_due_at}, errors)
    now = utcnow()
    next_due = times.get("next_due_at")
    if next_due is not None and next_due <= now:
        errors["next_due_at"] = _("The next follow-up must be in the future.")
    with unit_of_work(db, actor) as session:
        activity = _load(session, actor, activity_id)
        if activity.status != "planned":
            raise ConflictError(_("This follow-up is already done or cancelled."))
        if errors:
            raise ValidationError(errors)
        activity.status = "done"
        activity.done_at = now
        activity.outcome = cleaned["outcome"]
        activity.next_step = cleaned.get("next_step")
        customer = _live(session, Customer, activity.customer_id)
        _after_done(session, activity, customer)
        if next_due is not None:
            _plan_next(session, activity, next_due, cleaned.get("next_step"))
        session.flush()
        if customer is not None:
            sync_customer_followups(session, actor, customer, now=now)
        session.flush()
        return _record(activity)


def cancel_activity(db: Database, actor: Actor, activity_id: str) -> Record:
    """A planned follow-up no longer needed (the customer bought elsewhere, a duplicate plan)."""
    with unit_of_work(db, actor) as session:
        activity = _load(session, actor, activity_id)
        if activity.status != "planned":
            raise ConflictError(_("This follow-up is already done or cancelled."))
        activity.status = "cancelled"
        session.flush()
        customer = _live(session, Customer, activity.customer_id)
        if customer is not None:
            sync_customer_followups(session, actor, customer)
        return _record(activity)


def _after_done(session: Session, activity: Activity, customer: Customer | None) -> None:
    done_at = activity.done_at or utcnow()
    if customer is not None:
        if customer.last_followup_at is None or customer.last_followup_at < done_at:
            customer.last_followup_at = done_at
        customer.pool_warned_at = None  # followed up: the warning before the reclaim no longer holds
    lead = _live(session, Lead, activity.lead_id)
    if lead is not None and lead.status == "new":
        lead.status = "contacted"


def _plan_next(session: Session, done: Activity, due_at: datetime, next_step: str | None) -> Activity:
    planned = Activity(
        kind=done.kind, status="planned", subject=(next_step or "").strip()[:200] or default_subject(done.kind),
        due_at=due_at, owner_id=done.owner_id, lead_id=done.lead_id, customer_id=done.customer_id,
        contact_id=done.contact_id, opportunity_id=done.opportunity_id,
    )
    session.add(planned)
    return planned


# ---- the customer's planned follow-ups: cadence and next_followup_at -------------------------
def sync_customer_followups(session: Session, actor: Actor, customer: Customer, *,
                            now: datetime | None = None) -> None:
    """Keep the customer's cadence follow-up and next_followup_at true, inside the caller's unit of work.

    The cadence follow-up (plan_rule "cadence") is due (last follow-up or now) + the intent grade's days
    and belongs to the customer's owner. It is the safety net that keeps a customer on rhythm, so it is
    not planned (and a planned one is cancelled) when another follow-up is already planned on or before
    it, for grade O or no grade, for a customer without owner (in the public pool) or not active.
    """
    now = now or utcnow()
    cadence = _cadence(session)
    planned = list(session.scalars(select(Activity).where(
        Activity.customer_id == customer.id, Activity.status == "planned", Activity.deleted_at.is_(None))))
    cadence_rows = [row for row in planned if row.plan_rule == RULE_CADENCE]
    others = [row.due_at for row in planned if row.plan_rule != RULE_CADENCE and row.due_at is not None]
    days = cadence.get(customer.intent_grade or "") if customer.intent_grade in GRADES else None
    due: datetime | None = None
    if days and customer.owner_id and customer.status == "active" and customer.deleted_at is None:
        due = (customer.last_followup_at or now) + timedelta(days=days)
        if others and min(others) <= due:
            due = None
    keep = cadence_rows[0] if cadence_rows and due is not None else None
    for row in cadence_rows:
        if row is not keep:
            row.status = "cancelled"
    if due is not None:
        if keep is None:
            keep = Activity(kind="call", status="planned", subject=_("Follow-up by intent grade"),
                            plan_rule=RULE_CADENCE, customer_id=customer.id)
            session.add(keep)
        keep.due_at = due
        keep.owner_id = customer.owner_id
    dues = [*others, *([due] if due is not None else [])]
    next_due = min(dues) if dues else None
    if customer.next_followup_at != next_due:
        customer.next_followup_at = next_due


def note_followup_done(session: Session, customer_id: str | None, when: datetime) -> None:
    """For other services that write a done activity themselves (a test drive returned): the customer's
    last follow-up moves to `when`, a pool warning is cleared and the cadence follow-up is re-planned."""
    customer = _live(session, Customer, customer_id)
    if customer is None:
        return
    when = _utc(when)
    if customer.last_followup_at is None or customer.last_followup_at < when:
        customer.last_followup_at = when
    customer.pool_warned_at = None
    session.flush()
    sync_customer_followups(session, session.info.get("actor") or _NO_ACTOR, customer)


_NO_ACTOR = Actor(user_id="", display_name="", role="")


def on_grade_changed(session: Session, actor: Actor, customer: Customer) -> None:
    """Hook of CustomerService._after_update: the intent grade changed, so the cadence follow-up moves."""
    sync_customer_followups(session, actor, customer)


def refresh_customer_followups(db: Database, actor: Actor, customer_id: str) -> None:
    """For writers outside a unit of work of ours (the pool's claims, imports): re-plan one customer."""
    with unit_of_work(db, actor) as session:
        customer = _live(session, Customer, customer_id)
        if customer is not None:
            sync_customer_followups(session, actor, customer)


# ---- rule plans ------------------------------------------------------------------------------
def plan_first_revisit(session: Session, actor: Actor, opportunity: Opportunity) -> Activity | None:
    """Hook of OpportunityService._after_create: the first revisit (首次回访) is due within 5 days (the
    team's first_revisit_days) of a new opportunity. None for one created already won or lost, or when
    its first revisit is planned already."""
    if opportunity.status in ("won", "lost"):
        return None
    exists = session.scalar(select(Activity.id).where(
        Activity.opportunity_id == opportunity.id, Activity.plan_rule == RULE_FIRST_REVISIT,
        Activity.deleted_at.is_(None)).limit(1))
    if exists is not None:
        return None
    days = _cadence(session).get("first_revisit_days") or DEFAULT_CADENCE["first_revisit_days"]
    assert days is not None
    created = opportunity.created_at or utcnow()
    activity = Activity(
        kind="call", status="planned", subject=_("First revisit"), plan_rule=RULE_FIRST_REVISIT,
        due_at=created + timedelta(days=days), owner_id=opportunity.owner_id or actor.user_id,
        customer_id=opportunity.customer_id, contact_id=opportunity.contact_id, opportunity_id=opportunity.id,
        source_type="opportunity", source_id=opportunity.id,
    )
    session.add(activity)
    session.flush()
    customer = _live(session, Customer, opportunity.customer_id)
    if customer is not None:
        sync_customer_followups(session, actor, customer)
    return activity


def _next_birthday(birthday: date, after: date) -> date:
    for year in (after.year, after.year + 1):
        try:
            day = birthday.replace(year=year)
        except ValueError:  # born on 29 February: the 28th in other years
            day = date(year, 2, 28)
        if day > after:
            return day
    raise AssertionError("a birthday comes within a year")


def holiday_dates(year: int) -> dict[str, date]:
    """The five greeting holidays of `year`: 元旦 and 国庆 fixed, 春节, 端午 and 中秋 by the lunar calendar."""
    from lunar_python import Lunar

    def lunar(month: int, day: int) -> date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    return {
        "new_year": date(year, 1, 1),
        "spring_festival": lunar(1, 1),
        "dragon_boat": lunar(5, 5),
        "mid_autumn": lunar(8, 15),
        "national_day": date(year, 10, 1),
    }


def next_holidays(after: date, within_days: int = 365) -> list[tuple[str, date]]:
    """Each greeting holiday's next date after `after` within `within_days`, in date order."""
    last = after + timedelta(days=within_days)
    found: dict[str, date] = {}
    for year in (after.year, after.year + 1):
        for code, day in holiday_dates(year).items():
            if after < day <= last and code not in found:
                found[code] = day
    return sorted(found.items(), key=lambda item: item[1])


def delivery_plan(delivered_at: datetime, birthday: date | None) -> list[tuple[str, str, datetime, str]]:
    """(plan_rule, kind, due_at UTC, subject) of the follow-ups after a delivery, in date order: the call
    48 hours after, weekly calls for a month, the next birthday and holiday greetings within a year."""
    plan: list[tuple[str, str, datetime, str]] = [
        (RULE_DELIVERY_48H, "call", delivered_at + timedelta(hours=48), _("48-hour call after delivery")),
    ]
    for week in range(1, DELIVERY_WEEKS + 1):
        plan.append((RULE_DELIVERY_WEEKLY, "call", delivered_at + timedelta(days=7 * week),
                     _("Call after delivery, week {week}", week=week)))
    delivered_day = delivered_at.astimezone().date()
    if birthday is not None:
        day = _next_birthday(birthday, delivered_day)
        if day <= delivered_day + timedelta(days=365):
            plan.append((RULE_BIRTHDAY, "message", _local_at(day, GREETING_HOUR), _("Birthday greeting")))
    for code, day in next_holidays(delivered_day):
        plan.append((HOLIDAY_RULE_PREFIX + code, "message", _local_at(day, GREETING_HOUR),
                     _("{holiday} greeting", holiday=holiday_name(code))))
    return sorted(plan, key=lambda item: item[2])


def plan_after_delivery(session: Session, actor: Actor, order: Order) -> list[Activity]:
    """The follow-up plan of a delivered order (seed 003: 48 hours, weekly, birthday and holidays).

    Called twice for one order, it plans nothing new; a greeting the customer already has planned on
    that day (a second car delivered) is not planned again. Returns the activities planned now."""
    customer = _live(session, Customer, order.customer_id)
    if customer is None:
        return []
    delivered_at = order.delivered_at or utcnow()
    existing = {(rule, due) for rule, due in session.execute(select(Activity.plan_rule, Activity.due_at).where(
        Activity.customer_id == customer.id, Activity.plan_rule.is_not(None), Activity.deleted_at.is_(None),
        Activity.status != "cancelled"))}
    this_order = set(session.scalars(select(Activity.plan_rule).where(
        Activity.source_type == "order", Activity.source_id == order.id, Activity.deleted_at.is_(None))))
    owner_id = order.owner_id or customer.owner_id or actor.user_id
    planned = []
    for rule, kind, due, subject in delivery_plan(delivered_at, customer.birthday):
        order_rule = rule in (RULE_DELIVERY_48H, RULE_DELIVERY_WEEKLY)
        if (order_rule and rule in this_order) or (rule, due) in existing:
            continue
        activity = Activity(
            kind=kind, status="planned", subject=subject, plan_rule=rule, due_at=due, owner_id=owner_id,
            customer_id=customer.id, opportunity_id=order.opportunity_id,
            source_type="order", source_id=order.id,
        )
        session.add(activity)
        planned.append(activity)
    session.flush()
    sync_customer_followups(session, actor, customer)
    return planned


def on_order_delivered(session: Session, actor: Actor, order: Order) -> None:
    """Hook of OrderService: an order now delivered gets its delivery time (if none) and its plan."""
    if order.status != "delivered":
        return
    if order.delivered_at is None:
        order.delivered_at = utcnow()
    plan_after_delivery(session, actor, order)


# ---- the Today list and reminders --------------------------------------------------------------
ALL_OWNERS = "all"


@dataclass(frozen=True)
class FollowupItem:
    """One planned follow-up as the Today view and reminders show it."""

    id: str
    due_at: datetime  # UTC
    kind: str
    subject: str
    plan_rule: str | None
    owner_id: str | None
    owner_name: str | None
    customer_id: str | None
    lead_id: str | None
    opportunity_id: str | None
    name: str  # the customer's or lead's name
    phone: str | None
    opportunity_name: str | None
    days_overdue: int  # whole local days past the due date (0: due earlier today)
    overdue: bool


@dataclass(frozen=True)
class TodayCounts:
    overdue: int
    due_today: int


@dataclass(frozen=True)
class TodayList:
    overdue: list[FollowupItem]  # oldest first, at most `limit`
    due_today: list[FollowupItem]  # earliest first, at most `limit`
    counts: TodayCounts  # whole counts, beyond the limit


def _owner_condition(actor: Actor, owner_id: str | None) -> ColumnElement[bool]:
    """One owner (the actor when None) or every user: `IN (users)` keeps the (owner, status, due) index
    in use for "all", one range per user, instead of a scan of every activity."""
    if owner_id == ALL_OWNERS:
        return Activity.owner_id.in_(select(User.id))
    return Activity.owner_id == (owner_id or actor.user_id)


def _planned(actor: Actor, owner_id: str | None) -> list[ColumnElement[bool]]:
    return [_owner_condition(actor, owner_id), Activity.status == "planned", Activity.due_at.is_not(None),
            Activity.deleted_at.is_(None), visible_rows(actor, Activity)]


def _item_statement(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    owner = aliased(User)
    columns: list[Any] = [
        Activity.id, Activity.due_at, Activity.kind, Activity.subject, Activity.plan_rule, Activity.owner_id,
        owner.display_name, Activity.customer_id, Activity.lead_id, Activity.opportunity_id, Customer.name,
        Customer.phone, Lead.name, Lead.phone, Opportunity.name,
    ]
    statement: Select[Any] = (
        select(*columns)
        .select_from(Activity)
        .outerjoin(owner, owner.id == Activity.owner_id)
        .outerjoin(Customer, Customer.id == Activity.customer_id)
        .outerjoin(Lead, Lead.id == Activity.lead_id)
        .outerjoin(Opportunity, Opportunity.id == Activity.opportunity_id)
        .where(*conditions)
    )
    return statement


def _phones_masked(db: Database, actor: Actor) -> bool:
    return bool(masked_fields(db, actor, ("phone",)))


def _items(session: Session, statement: Select[Any], now: datetime, *, masked: bool = False) -> list[FollowupItem]:
    """The follow-ups `statement` reads; `masked`: phones shown as 138****5678 (a role that may not see
    them: the personal-data setting)."""
    today = now.astimezone().date()
    items = []
    for (activity_id, due_at, kind, subject, rule, owner_id, owner_name, customer_id, lead_id,
         opportunity_id, customer_name, customer_phone, lead_name, lead_phone, opportunity_name) in session.execute(
            statement):
        items.append(FollowupItem(
            id=activity_id, due_at=due_at, kind=kind, subject=subject, plan_rule=rule, owner_id=owner_id,
            owner_name=owner_name, customer_id=customer_id, lead_id=lead_id, opportunity_id=opportunity_id,
            name=customer_name or lead_name or "",
            phone=mask_phone(customer_phone or lead_phone) if masked else customer_phone or lead_phone,
            opportunity_name=opportunity_name,
            days_overdue=max((today - due_at.astimezone().date()).days, 0) if due_at < now else 0,
            overdue=due_at < now,
        ))
    return items


def today_list(db: Database, actor: Actor, owner_id: str | None = None, now: datetime | None = None,
               limit: int = TODAY_LIMIT) -> TodayList:
    """What is overdue (planned, due before now) and due for the rest of today (local day), for one owner
    (`owner_id`; None: the actor) or every owner ("all"): at most `limit` of each, and whole counts."""
    now = _utc(now) if now is not None else utcnow()
    end_of_today = _utc(_local_start_of_day(now) + timedelta(days=1))
    base = _planned(actor, owner_id)
    overdue_where = [*base, Activity.due_at < now]
    today_where = [*base, Activity.due_at >= now, Activity.due_at < end_of_today]
    masked = _phones_masked(db, actor)
    with read_session(db) as session:
        overdue = _items(session, _item_statement(overdue_where)
                         .order_by(Activity.due_at, Activity.id).limit(limit), now, masked=masked)
        due_today = _items(session, _item_statement(today_where)
                           .order_by(Activity.due_at, Activity.id).limit(limit), now, masked=masked)
        counts = TodayCounts(
            overdue=len(overdue) if len(overdue) < limit else int(session.scalar(
                select(func.count()).select_from(Activity).where(*overdue_where)) or 0),
            due_today=len(due_today) if len(due_today) < limit else int(session.scalar(
                select(func.count()).select_from(Activity).where(*today_where)) or 0),
        )
    return TodayList(overdue=overdue, due_today=due_today, counts=counts)


def overdue_count(db: Database, actor: Actor, owner_id: str | None = None, now: datetime | None = None) -> int:
    now = _utc(now) if now is not None else utcnow()
    with read_session(db) as session:
        return int(session.scalar(select(func.count()).select_from(Activity).where(
            *_planned(actor, owner_id), Activity.due_at < now)) or 0)


def due_reminders(db: Database, actor: Actor, owner_id: str | None, since: datetime, until: datetime,
                  limit: int = 50) -> list[FollowupItem]:
    """Planned follow-ups that fall due in (since, until], earliest first: what a reminder announces."""
    since, until = _utc(since), _utc(until)
    statement = (_item_statement([*_planned(actor, owner_id), Activity.due_at > since, Activity.due_at <= until])
                 .order_by(Activity.due_at, Activity.id).limit(limit))
    masked = _phones_masked(db, actor)
    with read_session(db) as session:
        return _items(session, statement, until, masked=masked)


def owner_choices(db: Database, actor: Actor) -> list[tuple[str, str]]:
    """(user id, name) of the active users whose follow-ups the actor may look at: managers and admins
    every user's, everyone else their own."""
    with read_session(db) as session:
        statement = select(User.id, User.display_name).where(User.deleted_at.is_(None), User.active.is_(True))
        if actor.role not in ("manager", "admin"):
            statement = statement.where(User.id == actor.user_id)
        return [(user_id, name) for user_id, name in session.execute(statement.order_by(User.display_name))]


def find_user(db: Database, actor: Actor, username: str) -> str:
    """The id of the user with this login name (for the command line); NotFoundError when there is none."""
    with read_session(db) as session:
        user_id = session.scalar(select(User.id).where(User.username == username, User.deleted_at.is_(None)))
    if user_id is None:
        raise NotFoundError("user", username)
    return user_id


# ---- .ics --------------------------------------------------------------------------------------
EVENT_MINUTES = 30  # a follow-up's length in the calendar


def _ics_rows(session: Session, actor: Actor, owner_id: str | None, until: datetime,
              masked: bool) -> Iterator[FollowupItem]:
    statement = (_item_statement([*_planned(actor, owner_id), Activity.due_at <= until])
                 .order_by(Activity.due_at, Activity.id))
    yield from _items(session, statement.execution_options(yield_per=1000), utcnow(), masked=masked)


def export_ics(db: Database, actor: Actor, path: str | Path, owner_id: str | None = None,
               days_ahead: int = 30) -> int:
    """Write the planned follow-ups due up to `days_ahead` days from now (overdue ones included: they
    are still to do) as an iCalendar file Outlook, Apple Calendar and Thunderbird import: one VEVENT
    each, UID the activity id (a second import updates instead of doubling), times in UTC.
    Returns how many were written."""
    from icalendar import Calendar, Event

    if days_ahead < 0:
        raise ValidationError({"days_ahead": _("At least {minimum}.", minimum=0)})
    now = utcnow()
    calendar = Calendar()
    calendar.add("prodid", "-//crmdesk//follow-ups//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("crmdesk follow-ups"))
    count = 0
    masked = _phones_masked(db, actor)
    with read_session(db) as session:
        for item in _ics_rows(session, actor, owner_id, now + timedelta(days=days_ahead), masked):
            event = Event()
            event.add("uid", item.id)
            event.add("dtstamp", now)
            event.add("dtstart", item.due_at.astimezone(UTC))
            event.add("dtend", item.due_at.astimezone(UTC) + timedelta(minutes=EVENT_MINUTES))
            event.add("summary", f"{item.subject} · {item.name}" if item.name else item.subject)
            lines = [line for line in (
                _("Customer: {name}", name=item.name) if item.name else "",
                _("Phone: {phone}", phone=item.phone) if item.phone else "",
                _("Opportunity: {name}", name=item.opportunity_name) if item.opportunity_name else "",
                _("Plan: {rule}", rule=plan_rule_label(item.plan_rule)) if item.plan_rule else "",
                _("Owner: {name}", name=item.owner_name) if item.owner_name else "",
            ) if line]
            event.add("description", "\n".join(lines))
            event.add("status", "CONFIRMED")
            event.add("categories", [_("Follow-up")])
            calendar.add_component(event)
            count += 1
    Path(path).write_bytes(calendar.to_ical())
    with unit_of_work(db, actor) as session:  # customers' names and numbers left the app: an export
        session.add(AuditEntry(user_id=actor.user_id, action="export", entity_type="activities", entity_id="-",
                               field="ics", new_value=f"{count} rows -> {Path(path).name}"))
    return count
