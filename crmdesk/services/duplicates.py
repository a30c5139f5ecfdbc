"""Duplicate detection across leads and customers: the configurable rules, blocking in SQL, scored
candidate groups, the check for one record, and the pairs users said are not duplicates.

Blocking keeps it fast at a million rows: SQL finds the keys shared by more than one live row (same
reversed phone digits, same USCC, same name pinyin with the same city or company) from the live-row
indexes, and only the members of those small blocks are read into Python and compared (names with
rapidfuzz). Pairs become groups through union-find.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, tuple_, union
from sqlalchemy.orm import Session

from crmdesk.i18n import SERVICES_CONTEXT, _, translate
from crmdesk.labels import QT_TRANSLATE_NOOP
from crmdesk.models import Customer, DuplicateDismissal, Lead, User
from crmdesk.models.database import Database
from crmdesk.services.entities import visible_rows
from crmdesk.services.errors import NotFoundError, ValidationError
from crmdesk.services.fields import normalize_phone
from crmdesk.services.team_settings import load_setting, save_setting
from crmdesk.services.text import name_pinyin, reversed_digits
from crmdesk.services.uow import Actor, read_session, unit_of_work

SETTING_KEY = "duplicate_rules"
ENTITIES = ("lead", "customer")
SCOPES = ("all", "lead", "customer")
RULE_KEYS = ("phone", "uscc", "name_company", "name_city")

DEFAULT_RULES: dict[str, Any] = {
    "rules": {
        "phone": {"enabled": True, "weight": 90},
        "uscc": {"enabled": True, "weight": 95},
        "name_company": {"enabled": True, "weight": 75},
        "name_city": {"enabled": True, "weight": 60},
    },
    # Names at least this similar (rapidfuzz ratio, 0-100) count as "similar" within a company block.
    "name_similarity": 85,
}

# A key shared by more rows than this is no evidence of one person: a placeholder phone
# (13800000000), or 张伟 in a city of millions. Such blocks are left out.
MAX_EXACT_BLOCK = 50
MAX_NAME_BLOCK = 12
_CHUNK = 500  # ids per IN (...) list

_RULE_LABELS = {
    "phone": QT_TRANSLATE_NOOP("services", "Same mobile number"),
    "uscc": QT_TRANSLATE_NOOP("services", "Same unified social credit code"),
    "name_company": QT_TRANSLATE_NOOP("services", "Same or similar name at the same company"),
    "name_city": QT_TRANSLATE_NOOP("services", "Same name in the same city"),
}

_TABLES: dict[str, Any] = {"lead": Lead, "customer": Customer}


def rule_label(rule: str) -> str:
    """What a matched rule is called on screen: 手机号相同, ..."""
    source = _RULE_LABELS.get(rule)
    return translate(SERVICES_CONTEXT, source) if source else rule


# ---- rules ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleSetting:
    enabled: bool
    weight: int  # the score (0-100) a pair matched by this rule alone gets


@dataclass(frozen=True)
class DuplicateRules:
    rules: Mapping[str, RuleSetting]
    name_similarity: int

    def enabled(self, rule: str) -> bool:
        return self.rules[rule].enabled

    def weight(self, rule: str) -> int:
        return self.rules[rule].weight

    def to_json(self) -> dict[str, Any]:
        return {
            "rules": {key: {"enabled": s.enabled, "weight": s.weight} for key, s in self.rules.items()},
            "name_similarity": self.name_similarity,
        }


def check_rules(value: Any) -> dict[str, Any]:
    """The cleaned JSON of a rules setting (missing parts take their defaults), or ValidationError
    naming each bad part ("phone.weight", "name_similarity", ...)."""
    errors: dict[str, str] = {}
    if not isinstance(value, Mapping):
        raise ValidationError({"rules": _("The duplicate rules must be a table of rules.")})
    given_rules = value.get("rules", {})
    if not isinstance(given_rules, Mapping):
        raise ValidationError({"rules": _("The duplicate rules must be a table of rules.")})
    unknown = set(given_rules) - set(RULE_KEYS)
    for key in sorted(unknown):
        errors[key] = _("Unknown duplicate rule.")
    cleaned: dict[str, Any] = {"rules": {}}
    for key in RULE_KEYS:
        default = DEFAULT_RULES["rules"][key]
        given = given_rules.get(key, {})
        if not isinstance(given, Mapping):
            errors[key] = _("The duplicate rules must be a table of rules.")
            continue
        enabled = given.get("enabled", default["enabled"])
        weight = given.get("weight", default["weight"])
        if not isinstance(enabled, bool):
            errors[f"{key}.enabled"] = _("Not yes or no.")
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            errors[f"{key}.weight"] = _("A score from 1 to 100.")
        cleaned["rules"][key] = {"enabled": enabled, "weight": weight}
    similarity = value.get("name_similarity", DEFAULT_RULES["name_similarity"])
    if isinstance(similarity, bool) or not isinstance(similarity, int) or not 50 <= similarity <= 100:
        errors["name_similarity"] = _("A similarity from 50 to 100.")
    cleaned["name_similarity"] = similarity
    if errors:
        raise ValidationError(errors)
    return cleaned


def _rules_from_json(value: Mapping[str, Any]) -> DuplicateRules:
    return DuplicateRules(
        rules={key: RuleSetting(bool(v["enabled"]), int(v["weight"])) for key, v in value["rules"].items()},
        name_similarity=int(value["name_similarity"]),
    )


def load_rules(db: Database) -> DuplicateRules:
    """The team's duplicate rules; the defaults where none are stored (or a stored one is unreadable)."""
    stored = load_setting(db, SETTING_KEY, DEFAULT_RULES)
    try:
        return _rules_from_json(check_rules(stored))
    except ValidationError:
        return _rules_from_json(DEFAULT_RULES)


def save_rules(db: Database, actor: Actor, value: Mapping[str, Any]) -> DuplicateRules:
    cleaned = save_setting(db, actor, SETTING_KEY, dict(value), check_rules)
    return _rules_from_json(cleaned)


# ---- results ----------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class RecordRef:
    entity: str  # lead / customer
    id: str


@dataclass(frozen=True)
class Member:
    """One record of a group, with what a user needs to tell them apart."""

    entity: str
    id: str
    name: str
    phone: str | None
    company: str | None
    city: str | None
    owner_id: str | None
    owner_name: str | None
    created_at: datetime | None
    updated_at: datetime | None
    kind: str | None = None  # a customer's person/company
    uscc: str | None = None
    converted_customer_id: str | None = None  # a lead converted into this customer

    @property
    def ref(self) -> RecordRef:
        return RecordRef(self.entity, self.id)


@dataclass(frozen=True)
class DuplicatePair:
    first: RecordRef
    second: RecordRef
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateGroup:
    """Records that are probably one person or company: members newest first, the rules that
    matched, a score 0-100 (the best pair's), and each matched pair."""

    key: str
    score: int
    reasons: tuple[str, ...]
    members: tuple[Member, ...]
    pairs: tuple[DuplicatePair, ...]

    @property
    def reason_text(self) -> str:
        return "；".join(rule_label(rule) for rule in self.reasons)

    def suggested_kept(self) -> Member:
        """The record to keep by default: a customer before a lead (leads fold into customers),
        then the oldest (the original entry, with the longest history)."""
        far = datetime.max.replace(tzinfo=None)
        return min(self.members, key=lambda m: (m.entity != "customer",
                                                (m.created_at.replace(tzinfo=None) if m.created_at else far),
                                                m.id))


@dataclass(frozen=True)
class DuplicatePage:
    total: int  # groups in the whole scan
    groups: list[DuplicateGroup]
    seconds: float = 0.0  # how long the scan behind this page took (0 when it came from the cache)


@dataclass(frozen=True)
class DuplicateCandidate:
    member: Member
    score: int
    reasons: tuple[str, ...]


def combine_scores(weights: Iterable[float]) -> int:
    """Independent pieces of evidence add up without passing 100: 1 - Π(1 - w)."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1 - min(max(weight, 0.0), 100.0) / 100
    return round(100 * (1 - remaining))


# ---- reading the blocks -------------------------------------------------------------------------
_MEMBER_COLUMNS = {
    "lead": ("id", "name", "name_pinyin", "phone", "phone_rev", "company", "city", "owner_id",
             "created_at", "updated_at", "customer_id", "merged_into_id"),
    "customer": ("id", "name", "name_pinyin", "phone", "phone_rev", "kind", "uscc", "city", "owner_id",
                 "created_at", "updated_at", "merged_into_id"),
}


@dataclass
class _Row:
    entity: str
    id: str
    name: str
    pinyin: str
    phone: str | None
    phone_rev: str | None
    company: str | None  # cleaned for comparing; a company customer's own name is its company
    city: str | None
    owner_id: str | None
    created_at: datetime | None
    updated_at: datetime | None
    kind: str | None = None
    uscc: str | None = None
    converted_customer_id: str | None = None
    merged: bool = False
    company_text: str | None = None  # the company as typed, for the screen
    ref: RecordRef = field(init=False)

    def __post_init__(self) -> None:
        self.ref = RecordRef(self.entity, self.id)


def _row(entity: str, values: Sequence[Any]) -> _Row:
    data = dict(zip(_MEMBER_COLUMNS[entity], values, strict=True))
    company = data["company"] if entity == "lead" else (data["name"] if data["kind"] == "company" else None)
    return _Row(entity, data["id"], data["name"] or "", data["name_pinyin"] or "", data["phone"], data["phone_rev"],
                _clean_company(company), _clean_text(data["city"]), data["owner_id"], data["created_at"],
                data["updated_at"], data.get("kind"), data.get("uscc"), data.get("customer_id"),
                data["merged_into_id"] is not None, company)


def _clean_text(text: str | None) -> str | None:
    if not text:
        return None
    return unicodedata.normalize("NFKC", text).strip() or None


def _clean_company(text: str | None) -> str | None:
    cleaned = _clean_text(text)
    return cleaned.replace(" ", "").lower() if cleaned else None


def _live(model: Any, actor: Actor) -> ColumnElement[bool]:
    # Merged rows are soft-deleted too, so deleted_at alone keeps the partial (live-row) indexes usable.
    return and_(model.deleted_at.is_(None), visible_rows(actor, model))


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _load_rows(session: Session, entity: str, ids: Iterable[str]) -> dict[str, _Row]:
    model = _TABLES[entity]
    columns = [getattr(model, name) for name in _MEMBER_COLUMNS[entity]]
    rows: dict[str, _Row] = {}
    wanted = sorted(set(ids))
    for chunk in _chunks(wanted):
        for values in session.execute(select(*columns).where(model.id.in_(chunk), model.deleted_at.is_(None))):
            row = _row(entity, tuple(values))
            if not row.merged:
                rows[row.id] = row
    return rows


# Block key columns per rule: (lead columns, customer columns); a company customer's company is its name.
_KEY_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "phone": (("phone_rev",), ("phone_rev",)),
    "uscc": ((), ("uscc",)),
    "name_city": (("city", "name_pinyin"), ("city", "name_pinyin")),
    "name_company": (("company",), ("name",)),
}


def _not_converted_into_customer() -> ColumnElement[bool]:
    """Leaves out a lead and the customer it was converted into (they share phone and name)."""
    return or_(Lead.customer_id.is_(None), Lead.customer_id != Customer.id)


def _block_condition(rule: str, entity: str) -> list[ColumnElement[bool]]:
    # Only company customers have a company (their name); a person's name is not one.
    return [Customer.kind == "company"] if rule == "name_company" and entity == "customer" else []


def _key_query(actor: Actor, scope: str, rule: str) -> Any:
    """The block keys of `rule` worth reading, as one SQL query answered from the live-row indexes.

    phone, uscc, company: keys held by more than one live row (GROUP BY per table, and a join for
    leads against customers). name_city: the keys of rows without a phone: a pair that both have a
    phone is either found by its phone or told apart by it.
    """
    parts: list[Any] = []
    tables = [e for e in ENTITIES if scope in ("all", e) and _KEY_COLUMNS[rule][ENTITIES.index(e)]]
    for entity in tables:
        model = _TABLES[entity]
        cols = [getattr(model, c) for c in _KEY_COLUMNS[rule][ENTITIES.index(entity)]]
        conditions = [_live(model, actor), *(c.is_not(None) for c in cols), *_block_condition(rule, entity)]
        if rule == "name_city":
            parts.append(select(*cols).where(*conditions, model.phone_rev.is_(None), model.name_pinyin != ""))
        else:
            parts.append(select(*cols).where(*conditions).group_by(*cols).having(func.count() > 1))
    if scope == "all" and rule != "name_city" and len(tables) == 2:
        lead_cols = [getattr(Lead, c) for c in _KEY_COLUMNS[rule][0]]
        customer_cols = [getattr(Customer, c) for c in _KEY_COLUMNS[rule][1]]
        parts.append(
            select(*customer_cols)
            .join(Lead, and_(*(lc == cc for lc, cc in zip(lead_cols, customer_cols, strict=True))))
            .where(_live(Customer, actor), _live(Lead, actor), *(c.is_not(None) for c in customer_cols),
                   _not_converted_into_customer(), *_block_condition(rule, "customer"))
        )
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else union(*parts)


def _blocks(session: Session, actor: Actor, scope: str, rule: str, max_size: int) -> list[list[_Row]]:
    """The live rows sharing each key of `rule`, one list per key; blocks larger than `max_size`
    are left out (a key that common says nothing about one person)."""
    keys = _key_query(actor, scope, rule)
    if keys is None:
        return []
    keys = keys.subquery()
    found: dict[tuple[Any, ...], list[_Row]] = defaultdict(list)
    for entity in ENTITIES:
        names = _KEY_COLUMNS[rule][ENTITIES.index(entity)]
        if scope not in ("all", entity) or not names:
            continue
        model = _TABLES[entity]
        cols = [getattr(model, c) for c in names]
        key_cols = list(keys.c)
        match = (cols[0].in_(select(key_cols[0])) if len(cols) == 1
                 else tuple_(*cols).in_(select(*key_cols)))
        member_cols = [getattr(model, c) for c in _MEMBER_COLUMNS[entity]]
        statement = select(*member_cols, *cols).where(_live(model, actor), match, *_block_condition(rule, entity))
        width = len(member_cols)
        for values in session.execute(statement):
            row = _row(entity, tuple(values[:width]))
            if not row.merged:
                found[tuple(values[width:])].append(row)
    return [rows for rows in found.values() if 1 < len(rows) <= max_size]


# ---- pairing ------------------------------------------------------------------------------------
def _may_pair(a: _Row, b: _Row) -> bool:
    """A lead already converted into a customer is that customer's history, not its duplicate."""
    if a.ref == b.ref:
        return False
    if a.entity == "lead" and b.entity == "customer" and a.converted_customer_id == b.id:
        return False
    return not (b.entity == "lead" and a.entity == "customer" and b.converted_customer_id == a.id)


def _dismissed_pairs(session: Session) -> set[tuple[str, str]]:
    rows = session.execute(select(DuplicateDismissal.first_id, DuplicateDismissal.second_id)
                           .where(DuplicateDismissal.deleted_at.is_(None)))
    return {(first, second) for first, second in rows}


def _name_weight(a: _Row, b: _Row, rules: DuplicateRules, weight: int) -> float | None:
    """How strongly two names say "same": the same characters fully, the same pinyin (a homophone,
    e.g. a typing slip) a little less, a similar spelling in proportion to its similarity."""
    if not a.name or not b.name:
        return None
    if a.name == b.name:
        return float(weight)
    if a.pinyin and a.pinyin == b.pinyin:
        return weight * 0.9
    ratio = fuzz.ratio(a.name, b.name)
    if ratio >= rules.name_similarity:
        return weight * 0.9 * ratio / 100
    return None


def _evidence(a: _Row, b: _Row, rules: DuplicateRules) -> dict[str, float]:
    """Each enabled rule two records satisfy, with its weight. Names count only where the phones do
    not tell the two apart: two different mobile numbers (or credit codes) are two people (or companies),
    however alike the names."""
    evidence: dict[str, float] = {}
    if rules.enabled("phone") and a.phone_rev and a.phone_rev == b.phone_rev:
        evidence["phone"] = float(rules.weight("phone"))
    if rules.enabled("uscc") and a.uscc and a.uscc == b.uscc:
        evidence["uscc"] = float(rules.weight("uscc"))
    if a.phone_rev and b.phone_rev and a.phone_rev != b.phone_rev:
        return evidence
    if a.uscc and b.uscc and a.uscc != b.uscc:
        return evidence  # two registered companies
    companies = a.kind == "company" and b.kind == "company"  # for them name and company are one thing
    if rules.enabled("name_city") and a.city and a.city == b.city and not companies:
        weight = _name_weight(a, b, rules, rules.weight("name_city"))
        if weight is not None:
            evidence["name_city"] = weight
    if rules.enabled("name_company") and a.company and a.company == b.company:
        weight = _name_weight(a, b, rules, rules.weight("name_company"))
        if weight is not None:
            evidence["name_company"] = weight
    return evidence


def _candidate_pairs(rule: str, block: list[_Row], rules: DuplicateRules) -> Iterable[tuple[_Row, _Row]]:
    """The pairs of a block worth scoring: all of them for a shared phone or code; for a name block
    only those whose names are alike (same pinyin, or similar as rapidfuzz measures it, in C)."""
    if rule in ("phone", "uscc"):
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                yield a, b
        return
    names = [row.name for row in block]
    seen: set[tuple[int, int]] = set()
    by_pinyin: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(block):
        if row.pinyin:
            by_pinyin[row.pinyin].append(index)
    for indexes in by_pinyin.values():
        for position, low in enumerate(indexes):
            for high in indexes[position + 1:]:
                seen.add((low, high))
    for index, name in enumerate(names):
        for _match, _score, other in process.extract(name, names, scorer=fuzz.ratio,
                                                     score_cutoff=rules.name_similarity, limit=None):
            if other > index:
                seen.add((index, other))
    for low, high in sorted(seen):
        yield block[low], block[high]


def _scan(session: Session, actor: Actor, scope: str, rules: DuplicateRules) -> list[DuplicateGroup]:
    dismissed = _dismissed_pairs(session)
    blocks: list[tuple[str, list[_Row]]] = []
    names_on = rules.enabled("name_city") or rules.enabled("name_company")
    # Records sharing a phone are compared even with the phone rule off: their names may match.
    if rules.enabled("phone") or names_on:
        blocks += [("phone", block) for block in _blocks(session, actor, scope, "phone", MAX_EXACT_BLOCK)]
    if rules.enabled("uscc") and scope in ("all", "customer"):
        blocks += [("uscc", block) for block in _blocks(session, actor, scope, "uscc", MAX_EXACT_BLOCK)]
    if rules.enabled("name_city"):
        blocks += [("name_city", block) for block in _blocks(session, actor, scope, "name_city", MAX_NAME_BLOCK)]
    if rules.enabled("name_company"):
        blocks += [("name_company", block) for block in _blocks(session, actor, scope, "name_company", MAX_EXACT_BLOCK * 4)]
    evidence: dict[tuple[RecordRef, RecordRef], dict[str, float]] = {}
    rows: dict[RecordRef, _Row] = {}
    for rule, block in blocks:
        for a, b in _candidate_pairs(rule, block, rules):
            if not _may_pair(a, b):
                continue
            first, second = (a, b) if a.ref < b.ref else (b, a)
            pair = (first.ref, second.ref)
            if pair in evidence or (min(a.id, b.id), max(a.id, b.id)) in dismissed:
                continue
            found = _evidence(first, second, rules)
            if found:
                evidence[pair] = found
                rows[first.ref], rows[second.ref] = first, second
    return _groups(session, evidence, rows)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[RecordRef, RecordRef] = {}

    def find(self, item: RecordRef) -> RecordRef:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: RecordRef, b: RecordRef) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _owner_names(session: Session, ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for chunk in _chunks(sorted(ids)):
        names.update({row[0]: row[1] for row in session.execute(
            select(User.id, User.display_name).where(User.id.in_(chunk)))})
    return names


def _member(row: _Row, owners: Mapping[str, str]) -> Member:
    return Member(row.entity, row.id, row.name, row.phone, row.company_text, row.city, row.owner_id,
                  owners.get(row.owner_id or ""), row.created_at, row.updated_at, row.kind, row.uscc,
                  row.converted_customer_id)


def _groups(session: Session, found: Mapping[tuple[RecordRef, RecordRef], dict[str, float]],
            rows: Mapping[RecordRef, _Row]) -> list[DuplicateGroup]:
    union_find = _UnionFind()
    scored: list[DuplicatePair] = []
    for (first, second), evidence in found.items():
        union_find.union(first, second)
        reasons = tuple(rule for rule in RULE_KEYS if rule in evidence)
        scored.append(DuplicatePair(first, second, combine_scores(evidence.values()), reasons))
    by_root: dict[RecordRef, list[DuplicatePair]] = defaultdict(list)
    for pair in scored:
        by_root[union_find.find(pair.first)].append(pair)
    owners = _owner_names(session, {row.owner_id for row in rows.values() if row.owner_id})
    groups = []
    for group_pairs in by_root.values():
        refs = sorted({ref for pair in group_pairs for ref in (pair.first, pair.second)})
        members = [_member(rows[ref], owners) for ref in refs]
        members.sort(key=lambda m: (m.updated_at.timestamp() if m.updated_at else 0.0), reverse=True)
        reasons = tuple(rule for rule in RULE_KEYS if any(rule in pair.reasons for pair in group_pairs))
        group_pairs.sort(key=lambda p: (-p.score, p.first, p.second))
        groups.append(DuplicateGroup(
            key=f"{refs[0].entity}:{refs[0].id}", score=max(pair.score for pair in group_pairs), reasons=reasons,
            members=tuple(members), pairs=tuple(group_pairs),
        ))
    newest = {g.key: max((m.updated_at.timestamp() if m.updated_at else 0.0) for m in g.members) for g in groups}
    groups.sort(key=lambda g: (-g.score, -newest[g.key], g.key))
    return groups


# ---- the scan, cached while nothing changes -----------------------------------------------------
@dataclass
class _CacheEntry:
    stamp: tuple[Any, ...]
    groups: list[DuplicateGroup] = field(default_factory=list)


_cache: dict[tuple[str, str, str, str], _CacheEntry] = {}
_cache_lock = threading.Lock()


def _data_stamp(session: Session) -> tuple[Any, ...]:
    """Changes whenever a lead, customer or dismissal is written: every write goes through the unit
    of work, which stamps updated_at; inserts and deletes change the counts too. Each part is one
    index lookup."""
    parts: list[Any] = []
    for model in (Lead, Customer, DuplicateDismissal):
        parts.append(session.scalar(select(func.max(model.updated_at))))
        parts.append(session.scalar(select(func.count()).select_from(model)))
    return tuple(parts)


def find_groups(db: Database, actor: Actor, *, entity: str = "all",
                rules: DuplicateRules | None = None) -> list[DuplicateGroup]:
    """Every candidate group (best score first) in `entity`: "lead", "customer" or "all" (which
    includes leads matching customers)."""
    return _scan_cached(db, actor, entity, rules)[0]


def _scan_cached(db: Database, actor: Actor, entity: str,
                 rules: DuplicateRules | None) -> tuple[list[DuplicateGroup], float]:
    import time

    if entity not in SCOPES:
        raise ValueError(f"unknown duplicate scope {entity!r}")
    rules = rules or load_rules(db)
    key = (str(db.path), entity, actor.user_id, json.dumps(rules.to_json(), sort_keys=True))
    with read_session(db) as session:
        stamp = _data_stamp(session)
        with _cache_lock:
            entry = _cache.get(key)
        if entry is not None and entry.stamp == stamp:
            return entry.groups, 0.0
        started = time.perf_counter()
        groups = _scan(session, actor, entity, rules)
        seconds = time.perf_counter() - started
    with _cache_lock:
        _cache[key] = _CacheEntry(stamp, groups)
    return groups, seconds


def list_groups(db: Database, actor: Actor, *, entity: str = "all", offset: int = 0, limit: int = 50,
                rules: DuplicateRules | None = None) -> DuplicatePage:
    """One page of candidate groups, best score first, and how many there are in all."""
    groups, seconds = _scan_cached(db, actor, entity, rules)
    offset = max(offset, 0)
    return DuplicatePage(len(groups), groups[offset:offset + max(limit, 0)], seconds)


def forget_cached_scans() -> None:
    with _cache_lock:
        _cache.clear()


# ---- one record ---------------------------------------------------------------------------------
def _row_from_values(entity: str, values: Mapping[str, Any]) -> _Row:
    name = str(values.get("name") or "").strip()
    phone = values.get("phone")
    normalised: str | None = None
    if phone:
        try:
            normalised = normalize_phone(str(phone))
        except ValueError:
            normalised = str(phone)
    kind = values.get("kind")
    company = values.get("company") if entity == "lead" else (name if kind == "company" else None)
    person = not (entity == "customer" and kind == "company")
    uscc = values.get("uscc")
    return _Row(entity, "", name, name_pinyin(name, person=person)[0], normalised, reversed_digits(normalised),
                _clean_company(company), _clean_text(values.get("city")), None, None, None, kind,
                str(uscc).strip().upper() if uscc else None, values.get("customer_id"),
                company_text=company)


def _probe_queries(probe: _Row, entity: str, actor: Actor, rules: DuplicateRules) -> list[Select[Any]]:
    """Index lookups for the rows of `entity` that may match `probe`, one per rule that applies."""
    model = _TABLES[entity]
    live = _live(model, actor)
    queries: list[Select[Any]] = []
    names_on = rules.enabled("name_city") or rules.enabled("name_company")
    if probe.phone_rev and (rules.enabled("phone") or names_on):
        queries.append(select(model.id).where(live, model.phone_rev == probe.phone_rev).limit(MAX_EXACT_BLOCK))
    if rules.enabled("uscc") and probe.uscc and entity == "customer":
        queries.append(select(model.id).where(live, Customer.uscc == probe.uscc).limit(MAX_EXACT_BLOCK))
    if rules.enabled("name_city") and probe.pinyin and probe.city:
        queries.append(select(model.id).where(live, model.name_pinyin == probe.pinyin, model.city == probe.city)
                       .limit(200))
    if rules.enabled("name_company") and probe.company_text:
        company = _clean_text(probe.company_text) or ""
        column = Lead.company if entity == "lead" else Customer.name
        extra = [Customer.kind == "company"] if entity == "customer" else []
        queries.append(select(model.id).where(live, column == company, *extra).limit(MAX_EXACT_BLOCK * 4))
    return queries


def find_duplicates_of(db: Database, actor: Actor, entity: str, values_or_id: str | Mapping[str, Any], *,
                       limit: int = 20, rules: DuplicateRules | None = None) -> list[DuplicateCandidate]:
    """Leads and customers that look like one record (given by id) or like the values of a record
    being typed or imported (name, phone, company, city, uscc, kind, customer_id): best first. The
    same rules as the scan; pairs dismissed as "not a duplicate" are left out."""
    if entity not in ENTITIES:
        raise ValueError(f"unknown entity {entity!r}")
    rules = rules or load_rules(db)
    with read_session(db) as session:
        if isinstance(values_or_id, str):
            probe = _load_rows(session, entity, [values_or_id]).get(values_or_id)
            model = _TABLES[entity]
            if probe is None or session.scalar(select(model.id).where(model.id == values_or_id,
                                                                      _live(model, actor))) is None:
                raise NotFoundError(entity, values_or_id)
        else:
            probe = _row_from_values(entity, values_or_id)
        dismissed = _dismissed_pairs(session) if probe.id else set()
        rows: dict[RecordRef, _Row] = {}
        for other in ENTITIES:
            ids: set[str] = set()
            for statement in _probe_queries(probe, other, actor, rules):
                ids.update(session.scalars(statement))
            rows.update({RecordRef(other, i): r for i, r in _load_rows(session, other, ids).items()})
        scored: list[tuple[_Row, dict[str, float]]] = []
        for ref, row in rows.items():
            if (probe.id and ref == probe.ref) or not _may_pair(probe, row):
                continue
            if probe.id and tuple(sorted((probe.id, row.id))) in dismissed:
                continue
            evidence = _evidence(probe, row, rules)
            if evidence:
                scored.append((row, evidence))
        owners = _owner_names(session, {row.owner_id for row, _e in scored if row.owner_id})
        found = [
            DuplicateCandidate(_member(row, owners), combine_scores(evidence.values()),
                               tuple(rule for rule in RULE_KEYS if rule in evidence))
            for row, evidence in scored
        ]
    found.sort(key=lambda c: (-c.score, -(c.member.updated_at.timestamp() if c.member.updated_at else 0.0),
                              c.member.id))
    return found[:limit]


def group_of_record(db: Database, actor: Actor, entity: str, record_id: str, *,
                    rules: DuplicateRules | None = None) -> DuplicateGroup | None:
    """The record and everything that looks like it, as one group (for "find duplicates" on a
    record), or None when nothing does."""
    candidates = find_duplicates_of(db, actor, entity, record_id, rules=rules)
    if not candidates:
        return None
    with read_session(db) as session:
        row = _load_rows(session, entity, [record_id])[record_id]
        me = _member(row, _owner_names(session, {row.owner_id} if row.owner_id else set()))
    pairs = tuple(DuplicatePair(min(me.ref, c.member.ref), max(me.ref, c.member.ref), c.score, c.reasons)
                  for c in candidates)
    reasons = tuple(rule for rule in RULE_KEYS if any(rule in c.reasons for c in candidates))
    return DuplicateGroup(key=f"{entity}:{record_id}", score=max(c.score for c in candidates), reasons=reasons,
                          members=(me, *(c.member for c in candidates)), pairs=pairs)


# ---- "not a duplicate" --------------------------------------------------------------------------
def dismiss(db: Database, actor: Actor, first: RecordRef, second: RecordRef) -> None:
    """Record that two records are not the same: the pair is never offered again."""
    dismiss_pairs(db, actor, [(first, second)])


def dismiss_group(db: Database, actor: Actor, members: Sequence[RecordRef | Member]) -> int:
    """Every pair among `members` is not a duplicate; returns how many pairs were newly recorded."""
    refs = sorted({m if isinstance(m, RecordRef) else m.ref for m in members})
    return dismiss_pairs(db, actor, [(a, b) for i, a in enumerate(refs) for b in refs[i + 1:]])


def dismiss_pairs(db: Database, actor: Actor, pairs: Sequence[tuple[RecordRef, RecordRef]]) -> int:
    added = 0
    with unit_of_work(db, actor) as session:
        for a, b in pairs:
            if a.entity not in ENTITIES or b.entity not in ENTITIES:
                raise ValueError("only leads and customers can be dismissed as duplicates")
            if a.id == b.id:
                continue
            first, second = sorted((a, b), key=lambda ref: ref.id)
            for ref in (first, second):
                model = _TABLES[ref.entity]
                if session.scalar(select(model.id).where(model.id == ref.id)) is None:
                    raise NotFoundError(ref.entity, ref.id)
            existing = session.scalars(select(DuplicateDismissal).where(
                DuplicateDismissal.first_id == first.id, DuplicateDismissal.second_id == second.id)).first()
            if existing is not None:
                if existing.deleted_at is not None:
                    existing.deleted_at = None
                    added += 1
                continue
            session.add(DuplicateDismissal(first_type=first.entity, first_id=first.id,
                                           second_type=second.entity, second_id=second.id))
            session.flush()
            added += 1
    return added


def is_dismissed(db: Database, first: RecordRef, second: RecordRef) -> bool:
    low, high = sorted((first.id, second.id))
    with read_session(db) as session:
        count = session.scalar(select(func.count()).select_from(DuplicateDismissal).where(
            DuplicateDismissal.first_id == low, DuplicateDismissal.second_id == high,
            DuplicateDismissal.deleted_at.is_(None)))
        return bool(count)


__all__ = [
    "DEFAULT_RULES", "RULE_KEYS", "DuplicateCandidate", "DuplicateGroup", "DuplicatePage", "DuplicatePair",
    "DuplicateRules", "Member", "RecordRef", "RuleSetting", "check_rules", "combine_scores", "dismiss",
    "dismiss_group", "dismiss_pairs", "find_duplicates_of", "find_groups", "forget_cached_scans", "group_of_record",
    "is_dismissed", "list_groups", "load_rules", "rule_label", "save_rules",
]
