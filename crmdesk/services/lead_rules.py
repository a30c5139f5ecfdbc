"""Lead scoring and assignment rules: stored as team settings, checked on save, applied to new,
imported and re-scored leads, every assignment written to the audit log with the rule that chose it.

Scoring (setting "lead_scoring", seed 001: source, company size, expected amount, engagement):
points by source, by company-size band and budget band (a band holds min <= value < max, max null
= no upper end), intent (an intended purchase date within N days, an intended product given) and
engagement (done activities in the last N days, capped). The sum is clamped to 0..100; a lead at or
over the MQL threshold becomes 'mql', one that drops under it loses 'mql'; 'sql' (accepted by sales)
is never taken back.

Assignment (setting "lead_assignment"): rules in order, the first that matches a lead without an
owner and can take it wins. A rule's conditions are ANDed (each list: any of its entries; an empty
list or null bound: no condition): province, city, territory (a territory includes its children),
industry, company size range (inclusive), product (the intended product contains a keyword). Its
target is a user, a team (round robin among the team's active members, the pointer kept in the
setting "lead_assignment_state" so it continues across runs), or the public pool. A rep whose open
leads (new, contacted, qualified) reached their cap is skipped: a team rule takes the next member,
a user rule is passed over. No rule: the fallback, which is the creator (the user entering the
lead, or the importing user), a fixed user (caps do not apply: it is the last resort), or the pool.

Audit: once the team has set a rule or a fallback other than the creator, each assignment writes two
entries with action "assign" on the lead: field "owner_id" (old_value the previous owner, new_value
the new one, None for the pool) and field "assignment_rule" (new_value the rule's name, None when
the fallback chose). `assignment_history` reads them back for display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import Activity, AuditEntry, Lead, Team, Territory, User
from crmdesk.models.base import new_id, utcnow
from crmdesk.models.database import Database
from crmdesk.services.errors import ValidationError
from crmdesk.services.team_settings import read_setting, write_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

SCORING_SETTING = "lead_scoring"
ASSIGNMENT_SETTING = "lead_assignment"
ASSIGNMENT_STATE_SETTING = "lead_assignment_state"

# Statuses a lead is still being worked in: what counts against a rep's cap, and what is qualified.
OPEN_STATUSES = ("new", "contacted", "qualified")
SCORE_MIN, SCORE_MAX = 0, 100
POINTS_LIMIT = 100  # one factor gives at most +-100 points: more could never matter after the clamp
SCORING_INPUTS = frozenset({"source", "company_size", "budget", "intended_purchase_date", "intended_product"})
TARGET_KINDS = ("user", "team", "pool")
FALLBACK_KINDS = ("creator", "user", "pool")
CONDITION_LISTS = ("provinces", "cities", "territory_ids", "industries", "products")

DEFAULT_SCORING: dict[str, Any] = {
    # Referrals and showroom visitors buy most often; ad clicks least (seed 001: the lead's source).
    "source_points": {"referral": 25, "walk_in": 20, "phone": 15, "trade_show": 15, "campaign": 10,
                      "web": 10, "ad_keyword": 5, "other": 0},
    "size_bands": [
        {"min": 0, "max": 10, "points": 0}, {"min": 10, "max": 100, "points": 5},
        {"min": 100, "max": 1000, "points": 10}, {"min": 1000, "max": None, "points": 15},
    ],
    "budget_bands": [
        {"min": "0", "max": "100000", "points": 0}, {"min": "100000", "max": "500000", "points": 5},
        {"min": "500000", "max": "2000000", "points": 10}, {"min": "2000000", "max": None, "points": 15},
    ],
    "intent": {"purchase_within_days": 30, "purchase_points": 20, "product_points": 10},
    "engagement": {"days": 30, "points_per_activity": 5, "max_points": 20},
    "mql_threshold": 60,
}

DEFAULT_ASSIGNMENT: dict[str, Any] = {
    "rules": [],
    "capacity": {"default": None, "per_user": {}},
    "fallback": {"kind": "creator"},
}

EMPTY_CONDITIONS: dict[str, Any] = {"provinces": [], "cities": [], "territory_ids": [], "industries": [],
                                    "size_min": None, "size_max": None, "products": []}

# Written with or without the administrative suffix (浙江 / 浙江省, 杭州 / 杭州市): the same place.
_PLACE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "省", "市", "地区", "盟")


def _place_key(text: Any) -> str:
    value = str(text or "").strip()
    for suffix in _PLACE_SUFFIXES:
        if value.endswith(suffix) and len(value) > len(suffix):
            return value[: -len(suffix)]
    return value.casefold()


def _text_key(text: Any) -> str:
    return str(text or "").strip().casefold()


# ---- checking what is saved ---------------------------------------------------------------------
class _Problems:
    """Collects field path -> message, so one ValidationError names every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def integer(self, path: str, raw: Any, minimum: int, maximum: int, *, allow_none: bool = False) -> int | None:
        if raw is None or raw == "":
            if not allow_none:
                self.add(path, _("Enter a whole number."))
            return None
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            self.add(path, _("Enter a whole number."))
            return None
        try:
            number = int(str(raw).strip()) if not isinstance(raw, float) else int(raw)
        except ValueError:
            self.add(path, _("Enter a whole number."))
            return None
        if not minimum <= number <= maximum:
            self.add(path, _("Enter a number from {minimum} to {maximum}.", minimum=minimum, maximum=maximum))
            return None
        return number

    def money(self, path: str, raw: Any, *, allow_none: bool = False) -> Decimal | None:
        if raw is None or raw == "":
            if not allow_none:
                self.add(path, _("Enter an amount."))
            return None
        try:
            amount = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            self.add(path, _("Enter an amount."))
            return None
        if not amount.is_finite() or amount < 0:
            self.add(path, _("The amount cannot be negative."))
            return None
        return amount

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _clean_bands(problems: _Problems, name: str, raw: Any, money: bool) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        problems.add(name, _("Give a list of bands."))
        return []
    bands: list[tuple[Any, Any, int]] = []
    for index, item in enumerate(raw):
        band = _mapping(item)
        path = f"{name}[{index}]"
        low: Decimal | int | None
        high: Decimal | int | None
        if money:
            low = problems.money(f"{path}.min", band.get("min"))
            high = problems.money(f"{path}.max", band.get("max"), allow_none=True)
        else:
            low = problems.integer(f"{path}.min", band.get("min"), 0, 10_000_000)
            high = problems.integer(f"{path}.max", band.get("max"), 0, 10_000_000, allow_none=True)
        points = problems.integer(f"{path}.points", band.get("points"), -POINTS_LIMIT, POINTS_LIMIT)
        if low is not None and high is not None and high <= low:
            problems.add(f"{path}.max", _("The upper end must be above the lower end."))
        elif low is not None and points is not None:
            bands.append((low, high, points))
    bands.sort(key=lambda band: band[0])
    for (_low, high, _points), (next_low, _next_high, _next_points) in pairwise(bands):
        if high is None or high > next_low:
            problems.add(name, _("The bands overlap: each band must start at or after the end of the one before."))
            break
    return [{"min": str(low) if money else low, "max": (str(high) if money else high) if high is not None else None,
             "points": points} for low, high, points in bands]


def clean_scoring(value: Any) -> dict[str, Any]:
    """The scoring rules checked and in their stored form; ValidationError naming every problem."""
    from crmdesk.services.leads import LEAD_SOURCES

    problems = _Problems()
    raw = _mapping(value)
    if not isinstance(value, Mapping):
        problems.add("scoring", _("The scoring rules must be an object."))
    sources: dict[str, int] = {}
    for code, points in _mapping(raw.get("source_points")).items():
        if code not in LEAD_SOURCES:
            problems.add(f"source_points.{code}", _("Not a lead source."))
            continue
        checked = problems.integer(f"source_points.{code}", points, -POINTS_LIMIT, POINTS_LIMIT)
        if checked is not None:
            sources[code] = checked
    size_bands = _clean_bands(problems, "size_bands", raw.get("size_bands", []), money=False)
    budget_bands = _clean_bands(problems, "budget_bands", raw.get("budget_bands", []), money=True)
    intent, engagement = _mapping(raw.get("intent")), _mapping(raw.get("engagement"))
    cleaned = {
        "source_points": sources,
        "size_bands": size_bands,
        "budget_bands": budget_bands,
        "intent": {
            "purchase_within_days": problems.integer("intent.purchase_within_days",
                                                     intent.get("purchase_within_days", 0), 0, 3650),
            "purchase_points": problems.integer("intent.purchase_points", intent.get("purchase_points", 0),
                                                -POINTS_LIMIT, POINTS_LIMIT),
            "product_points": problems.integer("intent.product_points", intent.get("product_points", 0),
                                               -POINTS_LIMIT, POINTS_LIMIT),
        },
        "engagement": {
            "days": problems.integer("engagement.days", engagement.get("days", 30), 1, 3650),
            "points_per_activity": problems.integer("engagement.points_per_activity",
                                                    engagement.get("points_per_activity", 0), 0, POINTS_LIMIT),
            "max_points": problems.integer("engagement.max_points", engagement.get("max_points", 0), 0, POINTS_LIMIT),
        },
        "mql_threshold": problems.integer("mql_threshold", raw.get("mql_threshold"), 1, SCORE_MAX),
    }
    problems.raise_if_any()
    return cleaned


def _string_list(problems: _Problems, path: str, raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [part for part in raw.replace("，", ",").split(",")]
    if not isinstance(raw, list):
        problems.add(path, _("Give a list of values."))
        return []
    values = [str(item).strip() for item in raw if str(item).strip()]
    if any(len(item) > 200 for item in values):
        problems.add(path, _("At most {count} characters.", count=200))
    return list(dict.fromkeys(values))


def _live(session: Session, model: Any, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    statement = select(model.id).where(model.id.in_(ids), model.deleted_at.is_(None))
    if model is User:
        statement = statement.where(User.active.is_(True))
    return set(session.scalars(statement))


def clean_assignment(session: Session, value: Any) -> dict[str, Any]:
    """The assignment rules checked against the book (users, teams, territories must exist)."""
    problems = _Problems()
    raw = _mapping(value)
    if not isinstance(value, Mapping):
        problems.add("assignment", _("The assignment rules must be an object."))
    raw_rules = raw.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.add("rules", _("Give a list of rules."))
        raw_rules = []
    rules: list[dict[str, Any]] = []
    names: set[str] = set()
    wanted: dict[Any, set[str]] = {User: set(), Team: set(), Territory: set()}
    for index, item in enumerate(raw_rules):
        rule, path = _mapping(item), f"rules[{index}]"
        name = str(rule.get("name") or "").strip()
        if not name:
            problems.add(f"{path}.name", _("Give the rule a name."))
        elif len(name) > 100:
            problems.add(f"{path}.name", _("At most {count} characters.", count=100))
        elif name in names:
            problems.add(f"{path}.name", _("Two rules have the name “{name}”; give each its own.", name=name))
        names.add(name)
        given = _mapping(rule.get("conditions"))
        for key in sorted(set(given) - set(EMPTY_CONDITIONS)):  # a misspelt condition would match every lead
            problems.add(f"{path}.conditions.{key}", _("Unknown condition “{name}”; use one of: {names}.",
                                                      name=key, names=", ".join(EMPTY_CONDITIONS)))
        conditions: dict[str, Any] = {key: _string_list(problems, f"{path}.conditions.{key}", given.get(key))
                                      for key in CONDITION_LISTS}
        conditions["size_min"] = problems.integer(f"{path}.conditions.size_min", given.get("size_min"), 0,
                                                  10_000_000, allow_none=True)
        conditions["size_max"] = problems.integer(f"{path}.conditions.size_max", given.get("size_max"), 0,
                                                  10_000_000, allow_none=True)
        if (conditions["size_min"] is not None and conditions["size_max"] is not None
                and conditions["size_max"] < conditions["size_min"]):
            problems.add(f"{path}.conditions.size_max", _("The largest size must not be below the smallest."))
        wanted[Territory].update(conditions["territory_ids"])
        target = _mapping(rule.get("target"))
        kind = target.get("kind")
        cleaned_target: dict[str, Any] = {"kind": kind}
        if kind not in TARGET_KINDS:
            problems.add(f"{path}.target", _("Choose who gets the lead: a user, a team or the public pool."))
        elif kind == "user":
            cleaned_target["user_id"] = str(target.get("user_id") or "")
            wanted[User].add(cleaned_target["user_id"])
        elif kind == "team":
            cleaned_target["team_id"] = str(target.get("team_id") or "")
            wanted[Team].add(cleaned_target["team_id"])
        rules.append({"name": name, "enabled": bool(rule.get("enabled", True)), "conditions": conditions,
                      "target": cleaned_target})
    capacity = _mapping(raw.get("capacity"))
    per_user: dict[str, int] = {}
    for user_id, cap in _mapping(capacity.get("per_user")).items():
        checked = problems.integer(f"capacity.per_user.{user_id}", cap, 1, 1_000_000, allow_none=True)
        if checked is not None:
            per_user[str(user_id)] = checked
            wanted[User].add(str(user_id))
    default_cap = problems.integer("capacity.default", capacity.get("default"), 1, 1_000_000, allow_none=True)
    fallback_raw = _mapping(raw.get("fallback")) or {"kind": "creator"}
    fallback: dict[str, Any] = {"kind": fallback_raw.get("kind")}
    if fallback["kind"] not in FALLBACK_KINDS:
        problems.add("fallback", _("Choose the fallback: the creator, a user or the public pool."))
    elif fallback["kind"] == "user":
        fallback["user_id"] = str(fallback_raw.get("user_id") or "")
        wanted[User].add(fallback["user_id"])
    live = {model: _live(session, model, ids - {""}) for model, ids in wanted.items()}
    members = set(session.scalars(select(User.team_id).where(
        User.team_id.in_(live[Team]), User.active.is_(True), User.deleted_at.is_(None)))) if live[Team] else set()
    for index, rule in enumerate(rules):
        target, path = rule["target"], f"rules[{index}]"
        if target.get("kind") == "user" and target["user_id"] not in live[User]:
            problems.add(f"{path}.target", _("Choose an existing, active user."))
        if target.get("kind") == "team":
            if target["team_id"] not in live[Team]:
                problems.add(f"{path}.target", _("Choose an existing team."))
            elif target["team_id"] not in members:
                problems.add(f"{path}.target", _("The team has no active members to share leads between."))
        unknown = [t for t in rule["conditions"]["territory_ids"] if t not in live[Territory]]
        if unknown:
            problems.add(f"{path}.conditions.territory_ids", _("Choose existing territories."))
    for user_id in per_user:
        if user_id not in live[User]:
            problems.add(f"capacity.per_user.{user_id}", _("Choose an existing, active user."))
    if fallback.get("kind") == "user" and fallback["user_id"] not in live[User]:
        problems.add("fallback", _("Choose an existing, active user."))
    problems.raise_if_any()
    return {"rules": rules, "capacity": {"default": default_cap, "per_user": per_user}, "fallback": fallback}


# ---- reading and saving the settings ------------------------------------------------------------
def _stored(session: Session, key: str, default: dict[str, Any]) -> dict[str, Any]:
    value = read_setting(session, key, None)
    return value if isinstance(value, dict) else default


def load_scoring(db: Database) -> dict[str, Any]:
    with read_session(db) as session:
        return _stored(session, SCORING_SETTING, DEFAULT_SCORING)


def load_assignment(db: Database) -> dict[str, Any]:
    with read_session(db) as session:
        return _stored(session, ASSIGNMENT_SETTING, DEFAULT_ASSIGNMENT)


def save_scoring(db: Database, actor: Actor, value: Any) -> dict[str, Any]:
    """Check and store the scoring rules (existing scores change on the next rescore_leads)."""
    cleaned = clean_scoring(value)
    with unit_of_work(db, actor) as session:
        write_setting(session, SCORING_SETTING, cleaned)
    return cleaned


def save_assignment(db: Database, actor: Actor, value: Any) -> dict[str, Any]:
    """Check and store the assignment rules; they apply to leads created from now on."""
    with unit_of_work(db, actor) as session:
        cleaned = clean_assignment(session, value)
        write_setting(session, ASSIGNMENT_SETTING, cleaned)
    return cleaned


def save_lead_rules(db: Database, actor: Actor, *, scoring: Any, assignment: Any,
                    invalid_reasons: Sequence[Mapping[str, Any]] | None = None) -> None:
    """The settings page's save: every part checked first, then all stored in one unit of work, so a
    rejected part stores nothing. The ValidationError's keys are prefixed "scoring.", "assignment."
    and "reasons[i]..." so the page can say where each problem is."""
    from crmdesk.services.leads import INVALID_REASONS_SETTING, clean_invalid_reasons

    errors: dict[str, str] = {}
    cleaned_scoring: dict[str, Any] | None = None
    cleaned_reasons: list[dict[str, Any]] | None = None
    try:
        cleaned_scoring = clean_scoring(scoring)
    except ValidationError as error:
        errors.update({f"scoring.{key}": text for key, text in error.errors.items()})
    if invalid_reasons is not None:
        try:
            cleaned_reasons = clean_invalid_reasons(invalid_reasons)
        except ValidationError as error:
            errors.update(error.errors)
    with unit_of_work(db, actor) as session:
        try:
            cleaned_assignment = clean_assignment(session, assignment)
        except ValidationError as error:
            errors.update({f"assignment.{key}": text for key, text in error.errors.items()})
        if errors:
            raise ValidationError(errors)
        write_setting(session, SCORING_SETTING, cleaned_scoring)
        write_setting(session, ASSIGNMENT_SETTING, cleaned_assignment)
        if cleaned_reasons is not None:
            write_setting(session, INVALID_REASONS_SETTING, cleaned_reasons)


@dataclass(frozen=True)
class Choice:
    id: str
    name: str


@dataclass(frozen=True)
class AssignmentTargets:
    """What a rules editor offers: active users, teams and territories, by name."""

    users: tuple[Choice, ...]
    teams: tuple[Choice, ...]
    territories: tuple[Choice, ...]


def assignment_targets(db: Database) -> AssignmentTargets:
    with read_session(db) as session:
        users = session.execute(select(User.id, User.display_name).where(
            User.deleted_at.is_(None), User.active.is_(True)).order_by(User.display_name, User.id))
        teams = session.execute(select(Team.id, Team.name).where(Team.deleted_at.is_(None)).order_by(Team.name))
        territories = session.execute(select(Territory.id, Territory.name).where(
            Territory.deleted_at.is_(None)).order_by(Territory.name))
        return AssignmentTargets(tuple(Choice(*row) for row in users), tuple(Choice(*row) for row in teams),
                                 tuple(Choice(*row) for row in territories))


# ---- applying the rules ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Assignment:
    owner_id: str | None
    team_id: str | None
    rule_name: str  # '' when no rule matched (the fallback chose)


def _as_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _as_money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _band_points(bands: Sequence[Mapping[str, Any]], value: Decimal | int | None, money: bool) -> int:
    if value is None:
        return 0
    for band in bands:
        low = Decimal(str(band["min"])) if money else int(band["min"])
        high = band["max"]
        high_value = None if high is None else (Decimal(str(high)) if money else int(high))
        if value >= low and (high_value is None or value < high_value):
            return int(band["points"])
    return 0


@dataclass
class _Rule:
    name: str
    provinces: frozenset[str]
    cities: frozenset[str]
    territories: frozenset[str]  # the named territories and all their descendants
    industries: frozenset[str]
    size_min: int | None
    size_max: int | None
    products: tuple[str, ...]
    kind: str
    target_id: str | None


@dataclass
class LeadRules:
    """The scoring and assignment rules of one book, ready to apply to many leads.

    `assign` keeps the round-robin pointers and open-lead counts in memory, so a bulk import assigns
    fairly without a query per row; `save_state` stores the pointers inside the caller's transaction.
    """

    scoring: dict[str, Any]
    rules: list[_Rule]
    caps: dict[str, int]
    default_cap: int | None
    fallback_kind: str
    fallback_user_id: str | None
    creator_id: str | None
    open_counts: dict[str, int]
    team_members: dict[str, list[str]]
    user_teams: dict[str, str | None]
    round_robin: dict[str, str]
    _state_dirty: bool = field(default=False, repr=False)
    today: date | None = None  # None: the local date at each call (tests may fix it)

    @classmethod
    def load(cls, session: Session, *, creator_id: str | None = None) -> LeadRules:
        """Read the rules, the open-lead counts of every rep a rule can reach (one grouped query) and
        the round-robin pointers. `creator_id` (default: the acting user of the session's unit of work)
        is who the "creator" fallback gives leads to; with none, those leads go to the pool."""
        if creator_id is None:
            actor = session.info.get("actor")
            creator_id = actor.user_id if isinstance(actor, Actor) else None
        scoring = _stored(session, SCORING_SETTING, DEFAULT_SCORING)
        assignment = _stored(session, ASSIGNMENT_SETTING, DEFAULT_ASSIGNMENT)
        state = _stored(session, ASSIGNMENT_STATE_SETTING, {})
        raw_rules = [rule for rule in assignment.get("rules", []) if rule.get("enabled", True)]
        team_ids = {rule["target"].get("team_id") for rule in raw_rules if rule["target"].get("kind") == "team"}
        team_members: dict[str, list[str]] = {team_id: [] for team_id in team_ids if team_id}
        user_teams: dict[str, str | None] = {}
        user_ids = {rule["target"].get("user_id") for rule in raw_rules if rule["target"].get("kind") == "user"}
        fallback = assignment.get("fallback") or {"kind": "creator"}
        if fallback.get("kind") == "user":
            user_ids.add(fallback.get("user_id"))
        user_ids.discard(None)
        if team_members:
            rows = session.execute(
                select(User.id, User.team_id)
                .where(User.team_id.in_(team_members), User.active.is_(True), User.deleted_at.is_(None))
                .order_by(User.created_at, User.id))
            for user_id, team_id in rows:
                if team_id is not None:
                    team_members[team_id].append(user_id)
                    user_teams[user_id] = team_id
        if user_ids:
            rows = session.execute(select(User.id, User.team_id).where(
                User.id.in_(user_ids), User.active.is_(True), User.deleted_at.is_(None)))
            user_teams.update({user_id: team_id for user_id, team_id in rows})
        capacity = assignment.get("capacity") or {}
        caps = {str(k): int(v) for k, v in (capacity.get("per_user") or {}).items()}
        default_cap = capacity.get("default")
        counted = set(user_teams) if default_cap is not None else set(user_teams) & set(caps)
        open_counts: dict[str, int] = {}
        if counted:
            counts = session.execute(
                select(Lead.owner_id, func.count())
                .where(Lead.owner_id.in_(counted), Lead.deleted_at.is_(None), Lead.status.in_(OPEN_STATUSES))
                .group_by(Lead.owner_id))
            open_counts = {str(owner_id): int(count) for owner_id, count in counts}
        children: dict[str | None, list[str]] = {}
        if any(rule["conditions"].get("territory_ids") for rule in raw_rules):
            for territory_id, parent_id in session.execute(
                    select(Territory.id, Territory.parent_id).where(Territory.deleted_at.is_(None))):
                children.setdefault(parent_id, []).append(territory_id)
        rules = [cls._compile(rule, children) for rule in raw_rules]
        return cls(
            scoring=scoring, rules=rules, caps=caps, default_cap=default_cap,
            fallback_kind=str(fallback.get("kind") or "creator"), fallback_user_id=fallback.get("user_id"),
            creator_id=creator_id, open_counts=open_counts, team_members=team_members, user_teams=user_teams,
            round_robin=dict(state.get("round_robin") or {}),
        )

    @staticmethod
    def _compile(rule: Mapping[str, Any], children: Mapping[str | None, list[str]]) -> _Rule:
        conditions = {**EMPTY_CONDITIONS, **(rule.get("conditions") or {})}
        territories: set[str] = set()
        pending = list(conditions["territory_ids"])
        while pending:  # a territory covers its sub-territories (华东 covers 浙江 covers 杭州)
            territory_id = pending.pop()
            if territory_id not in territories:
                territories.add(territory_id)
                pending.extend(children.get(territory_id, ()))
        target = rule.get("target") or {}
        return _Rule(
            name=str(rule["name"]),
            provinces=frozenset(_place_key(p) for p in conditions["provinces"]),
            cities=frozenset(_place_key(c) for c in conditions["cities"]),
            territories=frozenset(territories),
            industries=frozenset(_text_key(i) for i in conditions["industries"]),
            size_min=conditions["size_min"], size_max=conditions["size_max"],
            products=tuple(_text_key(p) for p in conditions["products"]),
            kind=str(target.get("kind")), target_id=target.get("user_id") or target.get("team_id"),
        )

    @property
    def assigns(self) -> bool:
        """False while the team has set no rule and keeps the creator fallback: then a lead simply stays with
        whoever enters it, as without rules, and nothing is written to the audit log for it."""
        return bool(self.rules) or self.fallback_kind != "creator"

    # ---- scoring ----------------------------------------------------------------------------
    @property
    def mql_threshold(self) -> int:
        return int(self.scoring.get("mql_threshold", DEFAULT_SCORING["mql_threshold"]))

    @property
    def engagement_days(self) -> int:
        return int((self.scoring.get("engagement") or {}).get("days", 30))

    def score(self, values: Mapping[str, Any], engagement: int = 0) -> int:
        """The lead's score (0..100) from its values and its count of done activities in the window."""
        rules = self.scoring
        points = int((rules.get("source_points") or {}).get(str(values.get("source") or ""), 0))
        points += _band_points(rules.get("size_bands") or [], _as_int(values.get("company_size")), money=False)
        points += _band_points(rules.get("budget_bands") or [], _as_money(values.get("budget")), money=True)
        intent = rules.get("intent") or {}
        purchase = _as_date(values.get("intended_purchase_date"))
        if purchase is not None:
            days_left = (purchase - (self.today or date.today())).days
            if 0 <= days_left <= int(intent.get("purchase_within_days", 0)):
                points += int(intent.get("purchase_points", 0))
        if str(values.get("intended_product") or "").strip():
            points += int(intent.get("product_points", 0))
        engaged = rules.get("engagement") or {}
        if engagement > 0:
            points += min(engagement * int(engaged.get("points_per_activity", 0)), int(engaged.get("max_points", 0)))
        return max(SCORE_MIN, min(SCORE_MAX, points))

    def qualification_for(self, score: int, current: str | None) -> str | None:
        """'sql' stays; at or over the threshold 'mql'; under it no qualification."""
        if current == "sql":
            return "sql"
        return "mql" if score >= self.mql_threshold else None

    # ---- assignment -------------------------------------------------------------------------
    def _has_room(self, user_id: str) -> bool:
        cap = self.caps.get(user_id, self.default_cap)
        return cap is None or self.open_counts.get(user_id, 0) < cap

    @staticmethod
    def _matches(rule: _Rule, values: Mapping[str, Any]) -> bool:
        if rule.provinces and _place_key(values.get("province")) not in rule.provinces:
            return False
        if rule.cities and _place_key(values.get("city")) not in rule.cities:
            return False
        if rule.territories and values.get("territory_id") not in rule.territories:
            return False
        if rule.industries and _text_key(values.get("industry")) not in rule.industries:
            return False
        if rule.size_min is not None or rule.size_max is not None:
            size = _as_int(values.get("company_size"))
            if size is None or (rule.size_min is not None and size < rule.size_min) or (
                    rule.size_max is not None and size > rule.size_max):
                return False
        if rule.products:
            product = _text_key(values.get("intended_product"))
            if not any(keyword in product for keyword in rule.products):
                return False
        return True

    def _next_member(self, team_id: str) -> str | None:
        members = self.team_members.get(team_id) or []
        if not members:
            return None
        last = self.round_robin.get(team_id)
        start = members.index(last) + 1 if last in members else 0
        for step in range(len(members)):
            candidate = members[(start + step) % len(members)]
            if self._has_room(candidate):
                self.round_robin[team_id] = candidate
                self._state_dirty = True
                return candidate
        return None

    def _take(self, owner_id: str | None, team_id: str | None, rule_name: str) -> Assignment:
        if owner_id is not None:
            self.open_counts[owner_id] = self.open_counts.get(owner_id, 0) + 1
        return Assignment(owner_id, team_id, rule_name)

    def assign(self, values: Mapping[str, Any]) -> Assignment:
        """Who gets a lead without an owner: the first matching rule that can take it, else the fallback."""
        for rule in self.rules:
            if not self._matches(rule, values):
                continue
            if rule.kind == "pool":
                return Assignment(None, None, rule.name)
            if rule.kind == "user" and rule.target_id in self.user_teams and self._has_room(rule.target_id):
                return self._take(rule.target_id, self.user_teams[rule.target_id], rule.name)
            if rule.kind == "team" and rule.target_id:
                member = self._next_member(rule.target_id)
                if member is not None:
                    return self._take(member, rule.target_id, rule.name)
        if self.fallback_kind == "user" and self.fallback_user_id in self.user_teams:
            return self._take(self.fallback_user_id, self.user_teams[self.fallback_user_id], "")
        if self.fallback_kind == "creator" and self.creator_id is not None:
            return self._take(self.creator_id, None, "")
        return Assignment(None, None, "")

    def save_state(self, session: Session) -> None:
        """Store the round-robin pointers (inside the caller's transaction), if any moved."""
        if self._state_dirty:
            write_setting(session, ASSIGNMENT_STATE_SETTING, {"round_robin": self.round_robin})
            self._state_dirty = False


# ---- wiring into creates, the audit log, rescoring ---------------------------------------------------
def log_assignment(session: Session, actor: Actor, lead_id: str, assignment: Assignment,
                   old_owner_id: str | None = None) -> None:
    """Two audit entries (action "assign"): the owner it went to and the rule that chose (see module doc)."""
    now = utcnow()
    session.add(AuditEntry(at=now, user_id=actor.user_id, action="assign", entity_type="leads", entity_id=lead_id,
                           field="owner_id", old_value=old_owner_id, new_value=assignment.owner_id))
    session.add(AuditEntry(at=now, user_id=actor.user_id, action="assign", entity_type="leads", entity_id=lead_id,
                           field="assignment_rule", new_value=assignment.rule_name or None))


def _lead_values(lead: Lead) -> dict[str, Any]:
    return {key: getattr(lead, key) for key in (
        "source", "company_size", "budget", "intended_purchase_date", "intended_product", "province", "city",
        "territory_id", "industry", "status", "qualification")}


def apply_rules_to_new_lead(session: Session, actor: Actor, lead: Lead, rules: LeadRules | None = None,
                            *, keep_score: bool = False) -> Assignment | None:
    """Score a lead made with the ORM (keep_score: it already has its score), qualify it, and, when it has
    no owner, assign it (logged; the round-robin pointer saved). Returns the Assignment, or None when the
    lead already had an owner."""
    rules = rules or LeadRules.load(session, creator_id=actor.user_id)
    values = _lead_values(lead)
    if not keep_score or lead.score is None:
        lead.score = rules.score(values, engagement=0)
    if (lead.status or "new") in OPEN_STATUSES:
        qualification = rules.qualification_for(lead.score, lead.qualification)
        if qualification != lead.qualification:
            lead.qualification = qualification
            lead.mql_at = utcnow() if qualification == "mql" else lead.mql_at if qualification else None
    if lead.owner_id is not None:
        return None
    assignment = rules.assign(values)
    lead.owner_id, lead.team_id = assignment.owner_id, assignment.team_id or lead.team_id
    if lead.id is None:
        lead.id = new_id()
    if rules.assigns:
        log_assignment(session, actor, lead.id, assignment)
    rules.save_state(session)
    return assignment


@dataclass(frozen=True)
class AssignmentLogEntry:
    at: datetime
    owner_id: str | None
    owner_name: str | None  # None: the public pool
    rule_name: str  # '' when the fallback chose


def assignment_history(db: Database, lead_id: str) -> list[AssignmentLogEntry]:
    """The lead's assignments, oldest first, with the rule that made each."""
    with read_session(db) as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.entity_type == "leads", AuditEntry.entity_id == lead_id, AuditEntry.action == "assign",
        ).order_by(AuditEntry.at, AuditEntry.field.desc())).all()
        owners = {e.new_value for e in entries if e.field == "owner_id" and e.new_value}
        names = {user_id: name for user_id, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(owners)))} if owners else {}
    history: list[AssignmentLogEntry] = []
    pending: AuditEntry | None = None
    for entry in entries:
        if entry.field == "owner_id":
            pending = entry
        elif entry.field == "assignment_rule" and pending is not None:
            history.append(AssignmentLogEntry(pending.at, pending.new_value, names.get(pending.new_value or ""),
                                              entry.new_value or ""))
            pending = None
    return history


def engagement_counts(session: Session, lead_ids: Sequence[str], days: int) -> dict[str, int]:
    """Done activities per lead in the last `days` days: one grouped query on the activities' lead index."""
    if not lead_ids:
        return {}
    since = utcnow() - timedelta(days=days)
    rows = session.execute(
        select(Activity.lead_id, func.count())
        .where(Activity.lead_id.in_(lead_ids), Activity.status == "done", Activity.done_at >= since,
               Activity.deleted_at.is_(None))
        .group_by(Activity.lead_id))
    return {str(lead_id): int(count) for lead_id, count in rows}


_RESCORE_COLUMNS = (Lead.id, Lead.source, Lead.company_size, Lead.budget, Lead.intended_purchase_date,
                    Lead.intended_product, Lead.status, Lead.score, Lead.qualification, Lead.mql_at)


def _rescore_batch(session: Session, actor: Actor, rules: LeadRules, rows: Sequence[Any],
                   needs_engagement: bool) -> int:
    engagement = engagement_counts(session, [row.id for row in rows], rules.engagement_days) \
        if needs_engagement else {}
    now = utcnow()
    updates: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    for row in rows:
        score = rules.score(row._mapping, engagement.get(row.id, 0))
        qualification, mql_at = row.qualification, row.mql_at
        if row.status in OPEN_STATUSES:
            qualification = rules.qualification_for(score, row.qualification)
            if qualification != row.qualification:
                mql_at = now if qualification == "mql" else None
                audits.append({"id": new_id(), "at": now, "user_id": actor.user_id, "action": "update",
                               "entity_type": "leads", "entity_id": row.id, "field": "qualification",
                               "old_value": row.qualification, "new_value": qualification})
        if score != row.score or qualification != row.qualification:
            updates.append({"id": row.id, "score": score, "qualification": qualification, "mql_at": mql_at,
                            "updated_at": now, "updated_by": actor.user_id})
    if updates:
        session.execute(update(Lead), updates)
    if audits:
        session.execute(insert(AuditEntry), audits)
    return len(updates)


def rescore_leads(db: Database, actor: Actor, lead_ids: Sequence[str] | None = None, batch: int = 2000) -> int:
    """Recompute the score (engagement included) and MQL qualification of the given leads (default:
    every live lead), one transaction per batch (read and written together, so no edit in between is
    overwritten with a stale value); returns how many leads changed.

    Scores are derived values and are not written to the audit log; a qualification that changes is
    (action "update", field "qualification"). Leads that are invalid or converted keep their qualification.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    with read_session(db) as reader:
        rules = LeadRules.load(reader, creator_id=actor.user_id)
    engaged = rules.scoring.get("engagement") or {}
    needs_engagement = int(engaged.get("points_per_activity", 0)) > 0 and int(engaged.get("max_points", 0)) > 0
    changed = 0
    if lead_ids is not None:
        ids = list(dict.fromkeys(lead_ids))
        for start in range(0, len(ids), batch):
            with unit_of_work(db, actor) as session:
                rows = list(session.execute(select(*_RESCORE_COLUMNS).where(
                    Lead.id.in_(ids[start:start + batch]), Lead.deleted_at.is_(None))))
                changed += _rescore_batch(session, actor, rules, rows, needs_engagement)
        return changed
    after = ""
    while True:  # keyset on the primary key: every batch is an index range, however deep
        with unit_of_work(db, actor) as session:
            rows = list(session.execute(select(*_RESCORE_COLUMNS).where(Lead.id > after, Lead.deleted_at.is_(None))
                                        .order_by(Lead.id).limit(batch)))
            if not rows:
                return changed
            changed += _rescore_batch(session, actor, rules, rows, needs_engagement)
            after = rows[-1].id
