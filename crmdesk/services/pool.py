"""The public pool (公海) and customer tiers (客户分级).

A customer without an owner sits in the public pool. Reps claim (领取) from it, within a cap on the
customers their role may own and a daily claim limit; a rep who released a customer (or lost it to the
automatic reclaim, or to an approved loss) cannot claim it back for a cooldown of N days. A customer
whose owner did not follow it up for N days (per tier) goes back (回收) to the pool automatically, with
a warning to the owner M days before. Managers assign and reassign in bulk.

Every move is a PoolEvent row (claim, release, reclaim, assign, warn, lost): caps, cooldowns, the daily
limit and the history are read from them. Owner changes are also in the audit log.

Settings (team settings, validated on save):
- "public_pool": caps per role, daily claim limit, reclaim cooldown, days without follow-up per tier
  ("A", "B", "C", "none" for no tier; null: never reclaimed), warning days before.
- "customer_tiers": basis "value" (sum of won opportunities' won amounts) or "potential" (open
  opportunities' amount × probability), thresholds for A and B in yuan (else C).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import Activity, AuditEntry, Customer, DeviceInfo, Opportunity, PoolEvent, User
from crmdesk.models.base import UTCDateTime, new_id, to_fen, utcnow
from crmdesk.models.database import Database
from crmdesk.services import followups
from crmdesk.services.customers import CustomerService
from crmdesk.services.entities import ListColumn, ListQuery, visible_rows
from crmdesk.services.errors import NotFoundError, UserError, ValidationError
from crmdesk.services.fields import unstorable
from crmdesk.services.team_settings import read_setting, save_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

log = logging.getLogger(__name__)
POOL_SETTING = "public_pool"
TIER_SETTING = "customer_tiers"
MAINTENANCE_KEY = "pool_maintenance_last_run"  # device_info: when this desk last ran the maintenance

POOL_ACTIONS = ("claim", "release", "reclaim", "assign", "warn", "lost")
# Moves that take a customer away from a rep: that rep cannot claim it back during the cooldown (which
# stops a release-and-claim to restart the follow-up clock). A lost deal approved by a manager is not
# such a move: the rep the customer calls back may reactivate and claim it at once.
_LEAVING_ACTIONS = ("release", "reclaim")
TIER_KEYS = ("A", "B", "C", "none")
TIER_BASES = ("value", "potential")
MANAGER_ROLES = ("manager", "admin")
_BATCH = 500  # ids per IN (...) list: well under SQLite's variable limit
DENSE_POOL = 2000  # from this many pool customers on, a page walks the sort index (see PoolCustomerList)

DEFAULT_POOL_RULES: dict[str, Any] = {
    # How many customers a role may own (null: no cap). Showroom consultants and field reps hold a few
    # hundred; managers and administrators hand customers out and are not capped; finance claims none.
    "caps": {"consultant": 300, "field_rep": 300, "manager": None, "finance": 0, "admin": None},
    "daily_claim_limit": 20,  # claims per user per (local) day; null: no limit
    "reclaim_cooldown_days": 7,  # after a release or a reclaim, that rep waits this long to claim it again
    # Days without a follow-up before a customer goes back to the pool, by tier (null: never).
    "reclaim_days": {"A": 60, "B": 30, "C": 15, "none": 15},
    "warning_days": 3,  # the owner is warned this many days before
    # Buyers (a won deal) stay with their consultant: after-sales care is theirs, not the pool's.
    "reclaim_buyers": False,
}

DEFAULT_TIER_RULES: dict[str, Any] = {
    "basis": "value",  # value: won amounts; potential: open amounts × probability
    "a_min": "500000",  # yuan, at or over: A
    "b_min": "100000",  # yuan, at or over: B; under: C
}


def is_manager(actor: Actor) -> bool:
    """Until roles and scopes land (issue 9): managers and administrators manage the pool."""
    return actor.role in MANAGER_ROLES


def actor_by_username(db: Database, username: str) -> Actor | None:
    """The active user called `username`, as an Actor with their role's grant in this book, or None."""
    from crmdesk.services.auth import actor_for

    with read_session(db) as session:
        user = session.scalars(select(User).where(User.username == username, User.deleted_at.is_(None),
                                                  User.active.is_(True))).first()
        return actor_for(db, user) if user is not None else None


# ---- results -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Refusal:
    """A customer an action did not apply to, and why (translated)."""

    customer_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class ClaimResult:
    claimed: tuple[str, ...]
    refused: tuple[Refusal, ...]


@dataclass(frozen=True)
class ReleaseResult:
    released: tuple[str, ...]
    refused: tuple[Refusal, ...]


@dataclass(frozen=True)
class AssignResult:
    assigned: tuple[str, ...]
    refused: tuple[Refusal, ...]
    owner_id: str
    owner_name: str
    owned: int  # customers the new owner owns after the assignment
    cap: int | None
    over_cap: bool  # a manager may assign over the cap; the result says so


@dataclass(frozen=True)
class MaintenanceResult:
    warned: int
    reclaimed: int
    seconds: float = 0.0


@dataclass(frozen=True)
class PoolWarning:
    customer_id: str
    name: str
    tier: str | None
    due_at: datetime  # when it goes back to the pool
    days_left: int


@dataclass(frozen=True)
class PoolEventRow:
    id: str
    customer_id: str
    action: str
    at: datetime
    user_id: str | None
    user_name: str | None
    from_owner_id: str | None
    from_owner_name: str | None
    reason: str | None


@dataclass(frozen=True)
class ClaimStatus:
    """What the pool page's summary line shows: today's claims and owned customers against the rules."""

    claimed_today: int
    daily_limit: int | None
    owned: int
    cap: int | None


# ---- settings ------------------------------------------------------------------------------------
def _whole(errors: dict[str, str], path: str, raw: Any, low: int, high: int, *, allow_none: bool) -> int | None:
    if raw is None or raw == "":
        if allow_none:
            return None
        errors.setdefault(path, _("Enter a whole number from {low} to {high}.", low=low, high=high))
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str | float):
        value = None
    else:
        try:
            number = float(raw)
            value = int(number) if number.is_integer() else None
        except ValueError:
            value = None
    if value is None or not low <= value <= high:
        message = (_("Leave empty for none, or enter a whole number from {low} to {high}.", low=low, high=high)
                   if allow_none else _("Enter a whole number from {low} to {high}.", low=low, high=high))
        errors.setdefault(path, message)
        return None
    return value


def check_pool_rules(value: Any) -> dict[str, Any]:
    """The cleaned rules, defaults filled in; ValidationError naming every bad entry (dotted paths)."""
    if not isinstance(value, Mapping):
        raise ValidationError({"public_pool": _("The pool rules must be a JSON object.")})
    errors: dict[str, str] = {}
    raw_caps = value.get("caps", DEFAULT_POOL_RULES["caps"])
    caps: dict[str, int | None] = {}
    if not isinstance(raw_caps, Mapping):
        errors["caps"] = _("The caps must be an object: role -> number of customers.")
    else:
        from crmdesk.models.people import ROLES

        for role in ROLES:
            caps[role] = _whole(errors, f"caps.{role}", raw_caps.get(role, DEFAULT_POOL_RULES["caps"].get(role)),
                                0, 1_000_000, allow_none=True)
        for role in raw_caps:
            if role not in ROLES:
                errors.setdefault(f"caps.{role}", _("Unknown role {role}.", role=role))
    daily = _whole(errors, "daily_claim_limit", value.get("daily_claim_limit", DEFAULT_POOL_RULES["daily_claim_limit"]),
                   0, 10_000, allow_none=True)
    cooldown = _whole(errors, "reclaim_cooldown_days",
                      value.get("reclaim_cooldown_days", DEFAULT_POOL_RULES["reclaim_cooldown_days"]), 0, 3650,
                      allow_none=False)
    raw_days = value.get("reclaim_days", DEFAULT_POOL_RULES["reclaim_days"])
    days: dict[str, int | None] = {}
    if not isinstance(raw_days, Mapping):
        errors["reclaim_days"] = _("The reclaim days must be an object: tier -> days.")
    else:
        for tier in TIER_KEYS:
            days[tier] = _whole(errors, f"reclaim_days.{tier}",
                                raw_days.get(tier, DEFAULT_POOL_RULES["reclaim_days"][tier]), 1, 3650, allow_none=True)
    warning = _whole(errors, "warning_days", value.get("warning_days", DEFAULT_POOL_RULES["warning_days"]), 0, 365,
                     allow_none=False)
    if warning is not None and "reclaim_days" not in errors:
        shortest = min((d for d in days.values() if d is not None), default=None)
        if shortest is not None and warning >= shortest:
            errors.setdefault("warning_days", _("The warning must come before the reclaim: fewer days than the "
                                                "shortest reclaim period ({days}).", days=shortest))
    buyers = value.get("reclaim_buyers", DEFAULT_POOL_RULES["reclaim_buyers"])
    if not isinstance(buyers, bool):
        errors["reclaim_buyers"] = _("Say true or false.")
    if errors:
        raise ValidationError(errors)
    return {"caps": caps, "daily_claim_limit": daily, "reclaim_cooldown_days": cooldown,
            "reclaim_days": days, "warning_days": warning, "reclaim_buyers": buyers}


def _read_pool_rules(session: Session) -> dict[str, Any]:
    stored = read_setting(session, POOL_SETTING, None)
    if stored is None:
        return json.loads(json.dumps(DEFAULT_POOL_RULES))
    try:
        return check_pool_rules(stored)
    except ValidationError as error:  # written by a newer or broken desk: the defaults rather than a crash
        log.warning("the stored public pool rules are not valid (%s); the defaults apply", error)
        return json.loads(json.dumps(DEFAULT_POOL_RULES))


def load_pool_rules(db: Database, actor: Actor) -> dict[str, Any]:
    with read_session(db) as session:
        return _read_pool_rules(session)


def save_pool_rules(db: Database, actor: Actor, rules: Any) -> dict[str, Any]:
    if not is_manager(actor):
        raise UserError(_("Only a manager can change the public pool rules."))
    cleaned: dict[str, Any] = save_setting(db, actor, POOL_SETTING, rules, check_pool_rules)
    return cleaned


def _amount(errors: dict[str, str], path: str, raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value < 0 or value > Decimal("100000000000"):
        errors.setdefault(path, _("Enter an amount in yuan of at least 0."))
        return None
    return value.quantize(Decimal("0.01"))


def check_tier_rules(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError({"customer_tiers": _("The tier rules must be a JSON object.")})
    errors: dict[str, str] = {}
    basis = value.get("basis", DEFAULT_TIER_RULES["basis"])
    if basis not in TIER_BASES:
        errors["basis"] = _("Choose value (won amounts) or potential (open amounts × probability).")
    a_min = _amount(errors, "a_min", value.get("a_min", DEFAULT_TIER_RULES["a_min"]))
    b_min = _amount(errors, "b_min", value.get("b_min", DEFAULT_TIER_RULES["b_min"]))
    if a_min is not None and b_min is not None and a_min <= b_min:
        errors.setdefault("a_min", _("The A threshold must be above the B threshold."))
    if errors:
        raise ValidationError(errors)
    return {"basis": basis, "a_min": str(a_min), "b_min": str(b_min)}


def _read_tier_rules(session: Session) -> dict[str, Any]:
    stored = read_setting(session, TIER_SETTING, None)
    try:
        return check_tier_rules(stored if stored is not None else DEFAULT_TIER_RULES)
    except ValidationError:
        return check_tier_rules(DEFAULT_TIER_RULES)


def load_tier_rules(db: Database, actor: Actor) -> dict[str, Any]:
    with read_session(db) as session:
        return _read_tier_rules(session)


def save_tier_rules(db: Database, actor: Actor, rules: Any) -> dict[str, Any]:
    if not is_manager(actor):
        raise UserError(_("Only a manager can change the tier rules."))
    cleaned: dict[str, Any] = save_setting(db, actor, TIER_SETTING, rules, check_tier_rules)
    return cleaned


# ---- helpers -------------------------------------------------------------------------------------
def _local_day_start(now: datetime) -> datetime:
    """The start of `now`'s day in the computer's time zone, as an aware datetime."""
    local = now.astimezone()
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def _local_date(value: datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d")


def _user_names(session: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {row.id: row.display_name for row in session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))}


def _owned_count(session: Session, user_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Customer).where(
        Customer.owner_id == user_id, Customer.deleted_at.is_(None))) or 0)


def _claims_today(session: Session, user_id: str, now: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(PoolEvent).where(
        PoolEvent.user_id == user_id, PoolEvent.action == "claim", PoolEvent.at >= _local_day_start(now),
        PoolEvent.deleted_at.is_(None))) or 0)


def _role_of(session: Session, user_id: str, fallback: str) -> str:
    return session.scalar(select(User.role).where(User.id == user_id)) or fallback


def _cap_for(rules: Mapping[str, Any], role: str) -> int | None:
    value = rules["caps"].get(role)
    return None if value is None else int(value)


def _unique(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


def _pool_event(customer_id: str, action: str, user_id: str | None, from_owner_id: str | None, at: datetime,
                reason: str | None, actor: Actor) -> dict[str, Any]:
    """A pool_events row for Core bulk inserts (the ORM path stamps these itself)."""
    return {"id": new_id(), "customer_id": customer_id, "action": action, "user_id": user_id,
            "from_owner_id": from_owner_id, "at": at, "reason": (reason or None) and reason[:200],
            "created_at": at, "updated_at": at, "created_by": actor.user_id, "updated_by": actor.user_id}


def _audit_row(actor: Actor, action: str, customer_id: str, old: str | None, new: str | None,
               at: datetime) -> dict[str, Any]:
    return {"id": new_id(), "at": at, "user_id": actor.user_id, "action": action, "entity_type": "customers",
            "entity_id": customer_id, "field": "owner_id", "old_value": old, "new_value": new}


def release_in_session(session: Session, actor: Actor, customer: Customer, *, action: str = "release",
                       reason: str | None = None, at: datetime | None = None) -> None:
    """Put `customer` in the public pool inside the caller's transaction: owner_id None,
    pool_entered_at = at or now, claimed_at None, pool_warned_at None, and a PoolEvent(action, user_id=
    former owner, from_owner_id=former owner, reason)."""
    when = at or utcnow()
    former = customer.owner_id
    customer.owner_id = None
    customer.pool_entered_at = when
    customer.claimed_at = None
    customer.pool_warned_at = None
    session.add(PoolEvent(customer_id=customer.id, action=action, user_id=former, from_owner_id=former,
                          at=when, reason=(reason or None) and reason[:200]))
    session.add(AuditEntry(**_audit_row(actor, action, customer.id, former, None, utcnow())))  # release / lost
    followups.sync_customer_followups(session, actor, customer)  # nobody's cadence call any more


# ---- claim ---------------------------------------------------------------------------------------
def claim_status(db: Database, actor: Actor, now: datetime | None = None) -> ClaimStatus:
    when = now or utcnow()
    with read_session(db) as session:
        rules = _read_pool_rules(session)
        return ClaimStatus(claimed_today=_claims_today(session, actor.user_id, when),
                           daily_limit=rules["daily_claim_limit"], owned=_owned_count(session, actor.user_id),
                           cap=_cap_for(rules, _role_of(session, actor.user_id, actor.role)))


def claim_from_public_pool(db: Database, actor: Actor, customer_ids: Sequence[str],
                           now: datetime | None = None) -> ClaimResult:
    """Claim (领取) customers from the public pool for `actor`, in one transaction.

    Refused, each with its reason: a customer that no longer exists, one someone owns (named), one the
    actor released (or lost to an automatic reclaim) less than the cooldown ago, and those past the actor's cap on
    owned customers or today's claim limit (claims counted from pool_events since local midnight).

    Concurrency: the claim itself is a conditional `UPDATE customers SET owner_id = actor WHERE id = ?
    AND owner_id IS NULL AND deleted_at IS NULL`; its row count decides. SQLite lets one writer in at a
    time, so of two desks (or windows, processes) claiming the same customer at once exactly one update
    finds the customer still in the pool; the other finds it owned and is told "Already claimed by X".
    After sync (issue 8) the same holds across devices: the hub keeps the first claim it receives and
    the later device is told the customer was claimed by someone else (its claim is undone on sync).
    """
    with unit_of_work(db, actor) as session:
        return claim_in_session(session, actor, customer_ids, now or utcnow())


def claim_in_session(session: Session, actor: Actor, customer_ids: Sequence[str], when: datetime) -> ClaimResult:
    """`claim_from_public_pool` inside the caller's transaction (a reactivation claims this way, so the
    pool's rules hold for it too)."""
    ids = _unique(customer_ids)
    claimed: list[str] = []
    refused: list[Refusal] = []
    rules = _read_pool_rules(session)
    cap = _cap_for(rules, _role_of(session, actor.user_id, actor.role))
    limit = rules["daily_claim_limit"]
    cooldown = timedelta(days=int(rules["reclaim_cooldown_days"]))
    owned = _owned_count(session, actor.user_id)
    today = _claims_today(session, actor.user_id, when)
    rows = {}
    for start in range(0, len(ids), _BATCH):
        rows.update({row.id: row for row in session.execute(
            # Not limited to the actor's scope: a pool customer claimed meanwhile by another desk is
            # refused naming who has it (the desk saw it in the pool a moment ago).
            select(Customer.id, Customer.name, Customer.owner_id).where(
                Customer.id.in_(ids[start:start + _BATCH]), Customer.deleted_at.is_(None)))})
    names = _user_names(session, {row.owner_id for row in rows.values()})
    for customer_id in ids:
        row = rows.get(customer_id)
        if row is None:
            refused.append(Refusal(customer_id, "", _("The record no longer exists (it may have been deleted).")))
            continue
        if row.owner_id is not None:
            refused.append(Refusal(customer_id, row.name, _("You already own this customer.")
                                   if row.owner_id == actor.user_id
                                   else _("Already claimed by {name}.", name=names.get(row.owner_id, "?"))))
            continue
        if cooldown:
            left_at = session.scalar(select(func.max(PoolEvent.at)).where(
                PoolEvent.customer_id == customer_id, PoolEvent.action.in_(_LEAVING_ACTIONS),
                PoolEvent.user_id == actor.user_id, PoolEvent.deleted_at.is_(None)))
            if left_at is not None and left_at + cooldown > when:
                refused.append(Refusal(customer_id, row.name, _(
                    "You gave this customer up on {date}; you can claim it again from {until}.",
                    date=_local_date(left_at), until=_local_date(left_at + cooldown))))
                continue
        if cap is not None and owned + len(claimed) >= cap:
            refused.append(Refusal(customer_id, row.name, _(
                "You own {owned} customers, the most your role may hold ({cap}).",
                owned=owned + len(claimed), cap=cap)))
            continue
        if limit is not None and today + len(claimed) >= limit:
            refused.append(Refusal(customer_id, row.name, _(
                "You have claimed {count} customers today, the daily limit ({limit}).",
                count=today + len(claimed), limit=limit)))
            continue
        result: Any = session.execute(
            update(Customer)
            .where(Customer.id == customer_id, Customer.owner_id.is_(None), Customer.deleted_at.is_(None))
            .values(owner_id=actor.user_id, claimed_at=when, pool_warned_at=None, updated_at=utcnow(),
                    updated_by=actor.user_id)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:  # another desk claimed it between our read and our write
            winner = session.scalar(select(Customer.owner_id).where(Customer.id == customer_id))
            winner_name = _user_names(session, {winner}).get(winner or "", "?")
            refused.append(Refusal(customer_id, row.name, _("Already claimed by {name}.", name=winner_name)
                                   if winner else _("The record no longer exists (it may have been deleted).")))
            continue
        session.execute(insert(PoolEvent), [_pool_event(customer_id, "claim", actor.user_id, None, when, None,
                                                        actor)])
        # The new owner's cadence follow-up (the Core UPDATE bypassed the ORM: read the row again).
        claimed_customer = session.get(Customer, customer_id, populate_existing=True)
        if claimed_customer is not None:
            followups.sync_customer_followups(session, actor, claimed_customer, now=when)
        session.execute(insert(AuditEntry), [_audit_row(actor, "claim", customer_id, None, actor.user_id,
                                                        utcnow())])
        claimed.append(customer_id)
    return ClaimResult(tuple(claimed), tuple(refused))


# ---- release -------------------------------------------------------------------------------------
def release_to_public_pool(db: Database, actor: Actor, customer_ids: Sequence[str], reason: str,
                           now: datetime | None = None) -> ReleaseResult:
    """Give customers back to the pool (释放到公海), with a reason; the owner or a manager only."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the customers go back to the public pool.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("At most {n} characters.", n=200)})
    if unstorable(reason):
        raise ValidationError({"reason": _("Contains characters that cannot be stored.")})
    when = now or utcnow()
    released: list[str] = []
    refused: list[Refusal] = []
    with unit_of_work(db, actor) as session:
        for customer_id in _unique(customer_ids):
            customer = session.scalars(select(Customer).where(
                Customer.id == customer_id, Customer.deleted_at.is_(None), visible_rows(actor, Customer))).first()
            if customer is None:
                refused.append(Refusal(customer_id, "", _("The record no longer exists (it may have been deleted).")))
            elif customer.owner_id is None:
                refused.append(Refusal(customer_id, customer.name, _("The customer is already in the public pool.")))
            elif customer.owner_id != actor.user_id and not is_manager(actor):
                refused.append(Refusal(customer_id, customer.name,
                                       _("Only the customer's owner or a manager can release it.")))
            else:
                release_in_session(session, actor, customer, reason=reason, at=when)
                released.append(customer_id)
    return ReleaseResult(tuple(released), tuple(refused))


# ---- assign --------------------------------------------------------------------------------------
def assign_customers(db: Database, actor: Actor, customer_ids: Sequence[str], owner_id: str,
                     now: datetime | None = None) -> AssignResult:
    """A manager gives customers (from the pool or from another rep) to `owner_id`. Caps do not stop a
    manager; the result says when the new owner is over theirs."""
    if not is_manager(actor):
        raise UserError(_("Only a manager can assign customers to a rep."))
    when = now or utcnow()
    assigned: list[str] = []
    refused: list[Refusal] = []
    with unit_of_work(db, actor) as session:
        user = session.get(User, owner_id) if owner_id else None
        if user is None or user.deleted_at is not None or not user.active:
            raise ValidationError({"owner_id": _("Choose an existing, active user.")})
        for customer_id in _unique(customer_ids):
            customer = session.scalars(select(Customer).where(
                Customer.id == customer_id, Customer.deleted_at.is_(None), visible_rows(actor, Customer))).first()
            if customer is None:
                refused.append(Refusal(customer_id, "", _("The record no longer exists (it may have been deleted).")))
                continue
            if customer.owner_id == owner_id:
                refused.append(Refusal(customer_id, customer.name,
                                       _("{name} already owns this customer.", name=user.display_name)))
                continue
            former = customer.owner_id
            customer.owner_id = owner_id
            customer.claimed_at = when
            customer.pool_warned_at = None
            session.add(PoolEvent(customer_id=customer.id, action="assign", user_id=owner_id, from_owner_id=former,
                                  at=when))
            session.add(AuditEntry(**_audit_row(actor, "assign", customer.id, former, owner_id, utcnow())))
            followups.sync_customer_followups(session, actor, customer, now=when)
            assigned.append(customer_id)
        session.flush()
        rules = _read_pool_rules(session)
        cap = _cap_for(rules, user.role)
        owned = _owned_count(session, owner_id)
        return AssignResult(tuple(assigned), tuple(refused), owner_id, user.display_name, owned, cap,
                            cap is not None and owned > cap)


def after_customer_form_update(session: Session, actor: Actor, obj: Customer, changes: Mapping[str, Any]) -> None:
    """Hook of CustomerService.update: a tier typed in the form is an override the tier rules keep;
    an owner changed in the form is an assignment in the pool history."""
    from sqlalchemy import inspect

    state = inspect(obj)
    if "tier" in changes and state.attrs.tier.history.has_changes():
        obj.tier_overridden = changes["tier"] is not None
    history = state.attrs.owner_id.history
    if "owner_id" in changes and history.has_changes():
        former = history.deleted[0] if history.deleted else None
        if former != obj.owner_id:
            when = utcnow()
            if obj.owner_id is None:
                obj.pool_entered_at = when
                obj.claimed_at = None
                obj.pool_warned_at = None
                session.add(PoolEvent(customer_id=obj.id, action="release", user_id=former, from_owner_id=former,
                                      at=when))
            else:
                obj.claimed_at = when
                obj.pool_warned_at = None
                session.add(PoolEvent(customer_id=obj.id, action="assign", user_id=obj.owner_id,
                                      from_owner_id=former, at=when))


# ---- maintenance: warnings and automatic reclaim -------------------------------------------------
def _tier_key(tier: str | None) -> str:
    return tier if tier in ("A", "B", "C") else "none"


def _owned_active(rules: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    """The customers the automatic reclaim looks at: owned, active, and (unless the rules say otherwise)
    not buyers, whose won deal is found through the opportunities' customer_id index."""
    conditions = [Customer.deleted_at.is_(None), Customer.owner_id.is_not(None), Customer.status == "active"]
    if not rules.get("reclaim_buyers"):
        # `status || ''`: SQLite would otherwise walk the status index (every won deal) for each customer.
        conditions.append(~exists().where(Opportunity.customer_id == Customer.id,
                                          Opportunity.status.concat("") == "won", Opportunity.deleted_at.is_(None)))
    return conditions


def _worked_at() -> ColumnElement[Any]:
    """When the customer was last worked: the later of the last follow-up and the claim (a rep who just
    claimed or was assigned a customer gets the tier's whole period), else its creation. SQLite's
    two-argument max() is the scalar one; NULLs are taken out first since it returns NULL for any."""
    followed, claimed = Customer.last_followup_at, Customer.claimed_at
    return func.max(func.coalesce(followed, claimed, Customer.created_at),
                    func.coalesce(claimed, followed, Customer.created_at))


def run_pool_maintenance(db: Database, actor: Actor, now: datetime | None = None) -> MaintenanceResult:
    """Warn owners M days before, and put back in the pool, the active customers nobody followed up for
    their tier's N days.

    Set-based: one pass over the owned active customers (the live owner/status indexes) compares each
    one's last work with its tier's warning cutoff (a CASE over the per-tier thresholds), so only the
    customers near or past their limit come back; they are then updated in batches (UPDATE ... WHERE id
    IN (...)), the PoolEvents and audit rows inserted in bulk. All in one transaction that starts with a
    write, so no claim or follow-up slips in between the read and the writes.

    A customer that passed both limits since the last run (the desk was off) is reclaimed without a
    separate warning. Reclaims are logged (PoolEvent "reclaim", audit "reclaim" of owner_id); warnings
    are PoolEvent "warn" for the owner, shown by `pool_warnings_for`.
    """
    import time as _time

    started = _time.perf_counter()
    when = now or utcnow()
    with unit_of_work(db, actor) as session:
        # The first write opens the transaction and takes the write lock: what follows reads and writes
        # one consistent state. It also tells the window when this desk last ran.
        # An upsert, not a read then an insert: two desks' runs on one file (the window's timer and a
        # `crmdesk pool maintain`) would both read "no row" and the second insert would fail.
        stamp = when.isoformat()
        session.execute(sqlite_insert(DeviceInfo).values(key=MAINTENANCE_KEY, value=stamp)
                        .on_conflict_do_update(index_elements=[DeviceInfo.key], set_={"value": stamp}))
        rules = _read_pool_rules(session)
        warning = timedelta(days=int(rules["warning_days"]))
        days = {tier: rules["reclaim_days"].get(tier) for tier in TIER_KEYS}
        if all(d is None for d in days.values()):
            return MaintenanceResult(0, 0, round(_time.perf_counter() - started, 3))

        def cutoff(tier: str) -> Any:
            value = days[tier]
            return None if value is None else bindparam(None, when - timedelta(days=int(value)) + warning,
                                                        type_=UTCDateTime())

        near = case(*((Customer.tier == tier, cutoff(tier)) for tier in ("A", "B", "C")), else_=cutoff("none"))
        candidates = list(session.execute(select(
            Customer.id, Customer.owner_id, Customer.tier, Customer.pool_warned_at, _worked_at().label("worked"))
            .where(*_owned_active(rules), _worked_at() < near)))
        to_reclaim, to_warn = [], []
        for candidate in candidates:
            limit = days[_tier_key(candidate.tier)]
            assert limit is not None  # a tier that is never reclaimed has no cutoff, so no candidates
            worked = candidate.worked if candidate.worked.tzinfo else candidate.worked.replace(tzinfo=UTC)
            if worked < when - timedelta(days=int(limit)):
                to_reclaim.append((candidate, limit))
            elif candidate.pool_warned_at is None and warning:
                to_warn.append((candidate, limit))
        for start in range(0, len(to_reclaim), _BATCH):
            batch = to_reclaim[start:start + _BATCH]
            session.execute(
                update(Customer).where(Customer.id.in_([c.id for c, _days in batch]))
                .values(owner_id=None, pool_entered_at=when, claimed_at=None, pool_warned_at=None,
                        updated_at=utcnow(), updated_by=actor.user_id)
                .execution_options(synchronize_session=False))
            session.execute(insert(PoolEvent), [_pool_event(
                c.id, "reclaim", c.owner_id, c.owner_id, when,
                _("No follow-up for {days} days: back to the public pool automatically.", days=limit), actor)
                for c, limit in batch])
            session.execute(insert(AuditEntry), [_audit_row(actor, "reclaim", c.id, c.owner_id, None, when)
                                                 for c, _days in batch])
            # The former owner's cadence calls go with the customer (set-based, like the reclaim itself;
            # sync_customer_followups would plan none for a customer without owner).
            session.execute(
                update(Activity).where(Activity.customer_id.in_([c.id for c, _days in batch]),
                                       Activity.status == "planned", Activity.plan_rule == followups.RULE_CADENCE)
                .values(status="cancelled", updated_at=utcnow(), updated_by=actor.user_id)
                .execution_options(synchronize_session=False))
            session.execute(
                update(Customer).where(Customer.id.in_([c.id for c, _days in batch]))
                .values(next_followup_at=select(func.min(Activity.due_at)).where(
                    Activity.customer_id == Customer.id, Activity.status == "planned",
                    Activity.deleted_at.is_(None)).scalar_subquery())
                .execution_options(synchronize_session=False))
        for start in range(0, len(to_warn), _BATCH):
            batch = to_warn[start:start + _BATCH]
            session.execute(update(Customer).where(Customer.id.in_([c.id for c, _days in batch]))
                            .values(pool_warned_at=when).execution_options(synchronize_session=False))
            session.execute(insert(PoolEvent), [_pool_event(
                c.id, "warn", c.owner_id, None, when,
                _("No follow-up for {days} days: back to the public pool in {left} days.",
                  days=limit - warning.days, left=warning.days), actor) for c, limit in batch])
    return MaintenanceResult(len(to_warn), len(to_reclaim), round(_time.perf_counter() - started, 3))


def pool_warnings_for(db: Database, actor: Actor, user_id: str | None = None,
                      now: datetime | None = None) -> list[PoolWarning]:
    """The customers of `user_id` (default: the actor) warned that they go back to the pool, soonest first."""
    when = now or utcnow()
    owner = user_id or actor.user_id
    with read_session(db) as session:
        rules = _read_pool_rules(session)
        rows = list(session.execute(select(
            Customer.id, Customer.name, Customer.tier, Customer.last_followup_at, Customer.claimed_at,
            Customer.created_at).where(
            # `status || ''`: the owner's customers through the owner index, not every active customer
            # through the status index.
            Customer.owner_id == owner, Customer.deleted_at.is_(None), Customer.status.concat("") == "active",
            Customer.pool_warned_at.is_not(None), visible_rows(actor, Customer))))
    warnings = []
    for row in rows:
        days = rules["reclaim_days"].get(_tier_key(row.tier))
        if days is None:
            continue
        worked = max(row.last_followup_at or row.claimed_at or row.created_at,
                     row.claimed_at or row.last_followup_at or row.created_at)
        due = worked + timedelta(days=int(days))
        seconds = (due - when).total_seconds()
        left = max(0, int(-(-seconds // 86400)))  # whole days, rounded up
        warnings.append(PoolWarning(row.id, row.name, row.tier, due, left))
    warnings.sort(key=lambda w: (w.due_at, w.name))
    return warnings


# ---- the pool list and history -------------------------------------------------------------------
class PoolCustomerList(CustomerService):
    """The customers in the public pool, for the pool page (paged like every list): the customers
    list's mechanics with the pool's columns, the former owner read per page from pool_events."""

    columns: ClassVar[tuple[ListColumn, ...]] = (  # type: ignore[assignment]
        ListColumn("name", sort="name_pinyin"),
        ListColumn("tier", "code"),
        ListColumn("city"),
        ListColumn("phone"),
        ListColumn("pool_entered_at", "datetime"),
        ListColumn("former_owner", "user"),
    )
    default_sort: ClassVar[tuple[str, bool]] = ("created_at", True)
    unsortable: ClassVar[frozenset[str]] = frozenset({"former_owner"})

    @staticmethod
    def pool_query(search: str = "", sort_key: str | None = None, descending: bool = False) -> ListQuery:
        return ListQuery(sort_key=sort_key, descending=descending, search=search, filters={"owner_id": None})

    def _pool_where(self, actor: Actor, query: ListQuery, *, walk_sort_index: bool) -> list[ColumnElement[bool]] | None:
        """The list's conditions, always limited to the pool. With `walk_sort_index` the owner test is
        hidden from the planner (unary +), so a large pool is read along the sort column's live index and
        stops after one page, instead of sorting the whole pool found by the owner_id index."""
        rest = ListQuery(query.sort_key, query.descending, query.search,
                         {k: v for k, v in query.filters.items() if k != "owner_id"})
        conditions = super()._where(actor, rest)
        if conditions is not None:
            owner = literal_column("+customers.owner_id") if walk_sort_index else Customer.owner_id
            conditions.append(owner.is_(None))
        return conditions

    def _where(self, actor: Actor, query: ListQuery) -> list[ColumnElement[bool]] | None:
        return self._pool_where(actor, query, walk_sort_index=False)

    def _sort_column(self, key: str | None) -> Any:
        if key == "pool_entered_at":
            return self._entered()
        if key in self.unsortable:
            raise KeyError(f"the pool list cannot be sorted by {key}")
        return super()._sort_column(key)

    @staticmethod
    def _entered() -> ColumnElement[Any]:
        """A customer created without an owner has been in the pool since it was created."""
        return func.coalesce(Customer.pool_entered_at, Customer.created_at)

    def page(self, actor: Actor, query: ListQuery, offset: int, limit: int, total: int | None = None) -> list[tuple]:
        """A page in two steps: the ids in order (an index walk), then the page's values and former owners
        for those ids alone."""
        big = total is not None and total > DENSE_POOL and query.sort_key != "pool_entered_at"
        conditions = self._pool_where(actor, query, walk_sort_index=big)
        if conditions is None or limit <= 0:
            return []
        sort = self._sort_column(query.sort_key)
        descending = query.descending if query.sort_key else self.default_sort[1]
        flip = total is not None and offset > total // 2
        if flip:
            assert total is not None
            limit = min(limit, max(total - offset, 0))
            offset = max(total - offset - limit, 0)
            descending = not descending
        order = [sort.desc(), Customer.id.desc()] if descending else [sort.asc(), Customer.id.asc()]
        with read_session(self.db) as session:
            ids = list(session.scalars(select(Customer.id).where(*conditions).order_by(*order)
                                       .offset(offset).limit(limit)))
            if flip:
                ids.reverse()
            values = {row[0]: row for row in session.execute(select(
                Customer.id, Customer.name, Customer.tier, Customer.city, Customer.phone, self._entered())
                .where(Customer.id.in_(ids)))} if ids else {}
            former: dict[str, tuple[datetime, str | None]] = {}
            for event in session.execute(select(PoolEvent.customer_id, PoolEvent.at, PoolEvent.from_owner_id).where(
                    PoolEvent.customer_id.in_(ids), PoolEvent.action.in_(_LEAVING_ACTIONS))) if ids else ():
                if event.customer_id not in former or former[event.customer_id][0] < event.at:
                    former[event.customer_id] = (event.at, event.from_owner_id)
            rows = [(*values[i], former.get(i, (None, None))[1]) for i in ids if i in values]
            rows = self._resolve_users(session, rows)
        mask = self._row_masker(actor)  # phones as 138****5678 for roles that may not see them
        return mask(rows) if mask is not None else rows

    def iter_rows(self, actor: Actor, query: ListQuery, batch: int = 2000) -> Any:
        total = self.count(actor, query)
        for offset in range(0, total, batch):
            yield self.page(actor, query, offset, batch)


def list_pool(db: Database, actor: Actor, search: str = "", offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    """A page of the pool as plain dicts (for the CLI and scripts); the page uses PoolCustomerList."""
    service = PoolCustomerList(db)
    keys = [column.key for column in service.columns]
    return [{"id": row[0], **dict(zip(keys, row[1:], strict=True))}
            for row in service.page(actor, service.pool_query(search), offset, limit)]


def count_pool(db: Database, actor: Actor, search: str = "") -> int:
    service = PoolCustomerList(db)
    return service.count(actor, service.pool_query(search))


def pool_history(db: Database, actor: Actor, customer_id: str) -> list[PoolEventRow]:
    """Every pool move of a customer, newest first."""
    with read_session(db) as session:
        if session.scalar(select(Customer.id).where(Customer.id == customer_id, visible_rows(actor, Customer))) is None:
            raise NotFoundError("customer", customer_id)
        events = list(session.execute(select(PoolEvent).where(
            PoolEvent.customer_id == customer_id, PoolEvent.deleted_at.is_(None))
            .order_by(PoolEvent.at.desc(), PoolEvent.id.desc())).scalars())
        names = _user_names(session, {e.user_id for e in events} | {e.from_owner_id for e in events})
        return [PoolEventRow(e.id, e.customer_id, e.action, e.at, e.user_id, names.get(e.user_id or ""),
                             e.from_owner_id, names.get(e.from_owner_id or ""), e.reason) for e in events]


# ---- tiers ---------------------------------------------------------------------------------------
def apply_tier_rules(db: Database, actor: Actor) -> int:
    """Set every live customer's tier (A/B/C) from the tier rules, in one UPDATE ... FROM over a GROUP BY
    of the opportunities; customers whose tier was set by hand (tier_overridden) keep it. Returns how many
    changed. Tiers are derived values: not written to the audit log (like lead scores)."""
    if not is_manager(actor):
        raise UserError(_("Only a manager can change the tier rules."))
    with read_session(db) as session:
        rules = _read_tier_rules(session)
    if rules["basis"] == "value":
        per_customer = ("SELECT customer_id, SUM(COALESCE(won_amount, amount)) AS total FROM opportunities "
                        "WHERE status = 'won' AND deleted_at IS NULL GROUP BY customer_id")
    else:
        per_customer = ("SELECT customer_id, SUM(amount * probability / 100) AS total FROM opportunities "
                        "WHERE status = 'open' AND deleted_at IS NULL GROUP BY customer_id")
    statement = text(
        "UPDATE customers SET tier = t.new_tier, updated_at = :now, updated_by = :user FROM ("
        " SELECT c.id AS id, CASE WHEN COALESCE(o.total, 0) >= :a THEN 'A'"
        " WHEN COALESCE(o.total, 0) >= :b THEN 'B' ELSE 'C' END AS new_tier"
        f" FROM customers c LEFT JOIN ({per_customer}) o ON o.customer_id = c.id"
        " WHERE c.deleted_at IS NULL AND NOT c.tier_overridden) t"
        " WHERE customers.id = t.id AND customers.tier IS NOT t.new_tier"
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    with unit_of_work(db, actor) as session:
        result: Any = session.execute(statement, {"a": to_fen(rules["a_min"]), "b": to_fen(rules["b_min"]),
                                                  "now": utcnow(), "user": actor.user_id})
        return int(result.rowcount or 0)

