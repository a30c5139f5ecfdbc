"""Walk-in registration (客流登记): the showroom's required fields, the check for someone already in the
book while a phone number or name is typed, and a revisit logged for them instead of a second lead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, func, inspect, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import Activity, Customer, Lead, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services.customers import CustomerService
from crmdesk.services.entities import EntityService, Record
from crmdesk.services.errors import ValidationError
from crmdesk.services.fields import FieldSpec, collect_clean_values, normalize_phone, unstorable
from crmdesk.services.lead_rules import rescore_leads
from crmdesk.services.leads import LEAD_SOURCES, LeadService
from crmdesk.services.personal_data import mask_phone, masked_fields
from crmdesk.services.registry import Services
from crmdesk.services.search_index import prefix_range
from crmdesk.services.team_settings import load_setting
from crmdesk.services.text import name_pinyin, phone_digits
from crmdesk.services.uow import Actor, read_session, unit_of_work

# The showroom rules (seed 003): a walk-in's surname, phone, gender, source, intended purchase date and
# residential area must be right, so a walk-in cannot be saved without them.
SHOWROOM_REQUIRED = frozenset({"name", "phone", "gender", "source", "intended_purchase_date", "residential_area"})
_WALK_IN_FIELD_ORDER = ("name", "phone", "gender", "source", "intended_product", "intended_purchase_date",
                        "residential_area", "visitors_count", "owner_id")
_LEAD_FIELDS = {spec.name: spec for spec in LeadService.fields}

WALK_IN_FIELDS: tuple[FieldSpec, ...] = tuple(
    replace(_LEAD_FIELDS[name], required=True) if name in SHOWROOM_REQUIRED else _LEAD_FIELDS[name]
    for name in _WALK_IN_FIELD_ORDER
)
"""The walk-in form's fields in form order: the lead's own specs, the showroom's ones required."""

# The channels the issue names, in the order a front desk meets them; a team setting can narrow or
# reorder them (WALK_IN_SOURCES_SETTING: a JSON list of lead source codes).
DEFAULT_WALK_IN_SOURCES = ("walk_in", "phone", "web", "campaign", "referral", "ad_keyword")
WALK_IN_SOURCES_SETTING = "walk_in_sources"

# A typed number shows other leads starting with it from this many digits on (a mobile has 11): fewer
# would list strangers; the lookup is an index range either way.
MIN_PREFIX_DIGITS = 7
_PHONE_TYPED = re.compile(r"^[\d\s\-+()]+$")

Book = Database | Services


def _database(book: Book) -> Database:
    return book.db if isinstance(book, Services) else book


def walk_in_sources(configured: Sequence[str] | None = None) -> tuple[str, ...]:
    """The source codes the walk-in form offers: the configured ones that are lead sources (in the
    configured order), or the issue's six channels when nothing usable is configured."""
    chosen = tuple(dict.fromkeys(code for code in configured or () if code in LEAD_SOURCES))
    return chosen or DEFAULT_WALK_IN_SOURCES


def configured_walk_in_sources(book: Book) -> tuple[str, ...]:
    """The walk-in form's sources as the team configured them (see walk_in_sources)."""
    configured = load_setting(_database(book), WALK_IN_SOURCES_SETTING, None)
    return walk_in_sources(configured if isinstance(configured, list) else None)


class _WalkInLeads(LeadService):
    """The lead service with the walk-in's fields: the same field checks, references and cross checks
    (one ValidationError naming every bad field), the showroom's fields required."""

    # LeadService's tuple is typed by its length; any tuple of specs is what EntityService reads.
    fields = WALK_IN_FIELDS  # type: ignore[assignment]

    def create(self, actor: Actor, values: Any) -> Any:
        given = dict(values)
        if given.get("source") is None:
            given["source"] = "walk_in"
        # `status` is no walk-in field (the form does not offer it): a new lead is "new" by the column default.
        return EntityService.create(self, actor, given)


def register_walk_in(book: Book, actor: Actor, values: Mapping[str, Any]) -> Record:
    """Create the lead for a showroom visitor in one unit of work.

    `values` holds WALK_IN_FIELDS (as typed or as plain values); source defaults to walk_in, the owner
    to `actor` when no consultant is chosen. Raises one ValidationError naming every bad field.
    """
    return _WalkInLeads(_database(book)).create(actor, values)


@dataclass(frozen=True)
class KnownPerson:
    """Someone already in the book who may be the visitor being registered."""

    entity: str  # lead / customer
    id: str
    name: str
    phone: str | None
    owner_name: str | None  # None: no owner (a customer in the public pool)
    status: str  # the lead's or customer's status code
    last_followup_at: datetime | None  # UTC
    match: str  # phone / name


_KNOWN_TARGETS: tuple[tuple[str, Any], ...] = (("customer", Customer), ("lead", Lead))


def _phone_conditions(model: Any, phone: str | None) -> list[tuple[ColumnElement[bool], str]]:
    """The whole number: equality on the reversed digits. A start of 7+ digits: a range on the phone."""
    text = (phone or "").strip()
    if not text or not _PHONE_TYPED.match(text):
        return []
    try:
        full = normalize_phone(text)
    except ValueError:
        full = None
    digits = phone_digits(full or text) or ""
    if full is not None:
        return [(model.phone_rev == digits[::-1], "phone")]
    if len(digits) >= MIN_PREFIX_DIGITS:
        return [(prefix_range(model.phone, digits), "phone")]
    return []


def _name_conditions(model: Any, name: str | None) -> list[tuple[ColumnElement[bool], str]]:
    """The exact name, found through the pinyin index (equality) and then compared as written.

    Not the full-text phrase: a surname alone (张) matches a tenth of the book there, each a row to
    read; the whole name's pinyin narrows it to the few homophones (张伟, 章伟, 张薇).
    """
    typed = (name or "").strip()
    if not typed or unstorable(typed):  # a name no record can hold
        return []
    pinyin, _initials = name_pinyin(typed, person=True)
    if not pinyin:
        return []
    return [((model.name_pinyin == pinyin) & (model.name == typed), "name")]


def _last_done(session: Session, column: Any, ids: list[str]) -> dict[str, datetime]:
    """The newest done activity of each record: one grouped query on the activities' link index."""
    if not ids:
        return {}
    statement = (
        select(column, func.max(Activity.done_at))
        .where(column.in_(ids), Activity.status == "done", Activity.deleted_at.is_(None))
        .group_by(column)
    )
    return {record_id: done_at for record_id, done_at in session.execute(statement) if done_at is not None}


def find_known(book: Book, actor: Actor, phone: str | None = None, name: str | None = None,
               limit: int = 5) -> list[KnownPerson]:
    """Leads and customers the visitor may be: same phone first, customers before leads, then same name.

    A phone matches once it is a whole valid number (typed with +86, spaces or dashes as people do),
    or, from 7 digits on, every number starting with the digits typed. A name matches as written.
    A lead already converted into a customer that is listed is left out (the customer stands for it).
    Every lookup walks an index on live rows, so the answer comes in milliseconds at a million leads.
    """
    if limit <= 0:
        return []
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    with read_session(_database(book)) as session:
        for match_kind in ("phone", "name"):
            for entity, model in _KNOWN_TARGETS:
                conditions = (_phone_conditions(model, phone) if match_kind == "phone"
                              else _name_conditions(model, name))
                for condition, match in conditions:
                    if len(rows) >= limit:
                        break
                    extra = model.last_followup_at if model is Customer else model.customer_id
                    statement = (
                        select(model.id, model.name, model.phone, model.status, model.owner_id, extra)
                        # Every owner's records, not only the actor's scope: the front desk must learn that
                        # the visitor is already 李娜's customer (name, masked number, owner), or it makes
                        # a second lead. Opening the record is scoped as everywhere.
                        .where(condition, model.deleted_at.is_(None))
                        .limit(limit - len(rows) + 1)  # one more: a converted lead may be skipped
                    )
                    for record_id, record_name, record_phone, status, owner_id, other in session.execute(statement):
                        customer_listed = entity == "lead" and other and ("customer", other) in seen
                        if (entity, record_id) in seen or customer_listed or len(rows) >= limit:
                            continue
                        seen.add((entity, record_id))
                        rows.append({
                            "entity": entity, "id": record_id, "name": record_name, "phone": record_phone,
                            "owner_id": owner_id, "status": status, "match": match,
                            "last_followup_at": other if entity == "customer" else None,
                        })
        owner_ids = {row["owner_id"] for row in rows if row["owner_id"]}
        owners = {user_id: display_name for user_id, display_name in
                  session.execute(select(User.id, User.display_name).where(User.id.in_(owner_ids)))}
        done = {
            "lead": _last_done(session, Activity.lead_id, [r["id"] for r in rows if r["entity"] == "lead"]),
            "customer": _last_done(session, Activity.customer_id,
                                   [r["id"] for r in rows if r["entity"] == "customer"]),
        }
    known = []
    # A name typed at the desk must not show strangers' numbers to a role that may not see them.
    masked = bool(masked_fields(_database(book), actor, ("phone",)))
    for row in rows:
        times = [t for t in (row["last_followup_at"], done[row["entity"]].get(row["id"])) if t is not None]
        known.append(KnownPerson(
            entity=row["entity"], id=row["id"], name=row["name"],
            phone=mask_phone(row["phone"]) if masked else row["phone"],
            owner_name=owners.get(row["owner_id"]), status=row["status"],
            last_followup_at=max(times) if times else None, match=row["match"],
        ))
    return known


_REVISIT_FIELDS = (
    FieldSpec("note", "longtext", max_length=10000),
    _LEAD_FIELDS["visitors_count"],
    FieldSpec("owner_id", "ref"),
)


def log_revisit(book: Book, actor: Actor, entity: str, entity_id: str, note: str | None,
                visitors_count: int | str | None = None, *, consultant_id: str | None = None) -> Record:
    """A known visitor came back: record a done visit (到店回访) on the lead or customer.

    A lead still "new" becomes "contacted"; a customer's last follow-up becomes now. The visit is the
    chosen consultant's (or the actor's). Returns the activity. Raises ValidationError for a bad
    visitors count or note, NotFoundError when the record was deleted meanwhile.
    """
    services: dict[str, type[EntityService]] = {"lead": LeadService, "customer": CustomerService}
    if entity not in services:
        raise ValueError(f"a revisit is logged on a lead or a customer, not on {entity!r}")
    db = _database(book)
    service = services[entity](db)
    cleaned, errors = collect_clean_values(
        _REVISIT_FIELDS, {"note": note, "visitors_count": visitors_count, "owner_id": consultant_id})
    with unit_of_work(db, actor) as session:
        target = service._load(session, actor, entity_id)
        consultant = session.get(User, cleaned["owner_id"]) if cleaned.get("owner_id") else None
        if cleaned.get("owner_id") and (consultant is None or consultant.deleted_at is not None):
            errors.setdefault("owner_id", _("Choose an existing user."))
        if errors:
            raise ValidationError(errors)
        now = utcnow()
        lines = [cleaned["note"]] if cleaned["note"] else []
        if cleaned["visitors_count"] is not None:
            lines.append(_("Visitors: {count}", count=cleaned["visitors_count"]))
        activity = Activity(
            kind="visit", status="done", subject=_("Showroom revisit"), outcome="\n".join(lines) or None,
            done_at=now, owner_id=cleaned.get("owner_id") or actor.user_id,
            lead_id=entity_id if entity == "lead" else None,
            customer_id=entity_id if entity == "customer" else None,
        )
        session.add(activity)
        if entity == "lead" and target.status == "new":
            target.status = "contacted"
        elif entity == "customer":
            target.last_followup_at = now
        session.flush()
        values = {attr.key: getattr(activity, attr.key) for attr in inspect(activity).mapper.column_attrs}
    if entity == "lead":  # the visit is engagement: the lead's score (and MQL) may change
        rescore_leads(db, actor, [entity_id])
    return Record("activity", str(values["id"]), MappingProxyType(values))
