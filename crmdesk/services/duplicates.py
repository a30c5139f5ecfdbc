"""Duplicate detection across leads and customers: the configurable rules, blocking in SQL, scored
candidate groups, the check for one record, and the pairs users said are not duplicates.

Blocking keeps it fast at a million rows: SQL finds the keys shared by more than one live row (same
reversed phone digits, same USCC, same name pinyin with the same city or company) from the live-row
indexes, and only the members of those small blocks are read into Python and compared (names with
rapidfuzz). Pairs become groups through union-find.

The pairs and groups are stored (duplicate_pairs, duplicate_groups: derived, per device) and kept up to
date record by record as leads, customers and dismissals change, so a page is a query on the stored,
ranked groups; see "the persisted index" below.
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import True_

from crmdesk.i18n import SERVICES_CONTEXT, _, translate
from crmdesk.labels import QT_TRANSLATE_NOOP
from crmdesk.models import Customer, DeviceInfo, DuplicateDismissal, DuplicateIndexKey, Lead, User
from crmdesk.models.database import Database
from crmdesk.services.entities import visible_rows
from crmdesk.services.errors import NotFoundError, ValidationError
from crmdesk.services.fields import normalize_phone, strip_unstorable
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
    cleaned = save_setting(db, actor, SETTING_KEY, dict(value) if isinstance(value, Mapping) else value, check_rules)
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


# ---- reading rows -------------------------------------------------------------------------------
_MEMBER_COLUMNS = {
    "lead": ("id", "name", "name_pinyin", "phone", "phone_rev", "company", "city", "owner_id",
             "created_at", "updated_at", "customer_id", "merged_into_id"),
    "customer": ("id", "name", "name_pinyin", "phone", "phone_rev", "kind", "uscc", "city", "owner_id",
                 "created_at", "updated_at", "merged_into_id", "source_type", "source_id"),
}
# What the scan compares and ranks by: no display columns, times as their stored text (which sorts as
# the times do), so that tens of thousands of rows are read without building a datetime for each.
_SCAN_COLUMNS = {
    "lead": ("id", "name", "name_pinyin", "phone_rev", "company", "city", "customer_id", "merged_into_id",
             "updated_at"),
    "customer": ("id", "name", "name_pinyin", "phone_rev", "kind", "uscc", "city", "merged_into_id", "updated_at",
                 "source_type", "source_id"),
}

Ref = tuple[str, str]  # (entity, id): the scan's cheap-to-hash form of a RecordRef


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
    converted_customer_id: str | None = None  # a lead: the customer it was converted into
    merged: bool = False
    company_text: str | None = None  # the company as typed, for the screen
    converted_from_lead_id: str | None = None  # a customer: the lead it was converted from
    stamp: str = ""  # updated_at as stored, for ranking in the scan
    company_key: str | None = None  # the company exactly as stored: the name_company block key
    city_key: str | None = None  # the city exactly as stored: with the pinyin, the name_city block key

    @property
    def ref(self) -> RecordRef:
        return RecordRef(self.entity, self.id)

    @property
    def key(self) -> Ref:
        return (self.entity, self.id)


def _row(entity: str, values: Sequence[Any]) -> _Row:
    data = dict(zip(_MEMBER_COLUMNS[entity], values, strict=True))
    company = data["company"] if entity == "lead" else (data["name"] if data["kind"] == "company" else None)
    return _Row(entity, data["id"], data["name"] or "", data["name_pinyin"] or "", data["phone"], data["phone_rev"],
                _clean_company(company), _clean_text(data["city"]), data["owner_id"], data["created_at"],
                data["updated_at"], data.get("kind"), data.get("uscc"), data.get("customer_id"),
                data["merged_into_id"] is not None, company,
                data["source_id"] if data.get("source_type") == "lead" else None, company_key=company)


def _scan_row(entity: str, values: Sequence[Any]) -> _Row:
    if entity == "lead":
        id_, name, pinyin, phone_rev, company, city, customer_id, merged_into, stamp = values
        return _Row("lead", id_, name or "", pinyin or "", None, phone_rev, _clean_company(company), _clean_text(city),
                    None, None, None, None, None, customer_id, merged_into is not None, company,
                    stamp=stamp or "", company_key=company, city_key=city)
    id_, name, pinyin, phone_rev, kind, uscc, city, merged_into, stamp, source_type, source_id = values
    company = name if kind == "company" else None
    return _Row("customer", id_, name or "", pinyin or "", None, phone_rev, _clean_company(company), _clean_text(city),
                None, None, None, kind, uscc, None, merged_into is not None, company,
                source_id if source_type == "lead" else None, stamp=stamp or "", company_key=company, city_key=city)


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


def _company_pinyins(companies: Iterable[str]) -> list[str]:
    """The stored pinyin a company customer named `company` has (read as a company name and, for
    rows written otherwise, as a person's): customers.name has no index of its own, name_pinyin has."""
    found = {name_pinyin(company, person=person)[0] for company in companies for person in (False, True)}
    return sorted(found - {""})


# ---- pairing ------------------------------------------------------------------------------------
def _may_pair(a: _Row, b: _Row) -> bool:
    """A lead already converted into a customer is that customer's history, not its duplicate: the
    lead points at the customer (customer_id), or the customer says it came from the lead (its source,
    which a merge of leads moves to the kept lead)."""
    if a.key == b.key:
        return False
    if a.entity == "lead" and b.entity == "customer":
        return not (a.converted_customer_id == b.id or b.converted_from_lead_id == a.id)
    if a.entity == "customer" and b.entity == "lead":
        return not (b.converted_customer_id == a.id or a.converted_from_lead_id == b.id)
    return True


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


def _all_pairs(block: Sequence[_Row]) -> Iterable[tuple[_Row, _Row]]:
    for i, a in enumerate(block):
        for b in block[i + 1:]:
            yield a, b


def _alike_pairs(block: Sequence[_Row], rules: DuplicateRules,
                 seeds: Sequence[int] | None = None) -> Iterable[tuple[_Row, _Row]]:
    """The pairs of a name block whose names are alike (the same pinyin, or similar as rapidfuzz
    measures it, in C); with `seeds`, only the pairs that include one of those positions."""
    names = [row.name for row in block]
    by_pinyin: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(block):
        if row.pinyin:
            by_pinyin[row.pinyin].append(index)
    wanted = range(len(block)) if seeds is None else seeds
    seen: set[tuple[int, int]] = set()
    for index in wanted:
        pinyin = block[index].pinyin
        for other in by_pinyin.get(pinyin, ()) if pinyin else ():
            if other != index:
                seen.add((min(index, other), max(index, other)))
        for _match, _score, other in process.extract(names[index], names, scorer=fuzz.ratio,
                                                     score_cutoff=rules.name_similarity, limit=None):
            if other != index:
                seen.add((min(index, other), max(index, other)))
    for low, high in sorted(seen):
        yield block[low], block[high]


# ---- the scan ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Skeleton:
    """A group as the scan ranks it: refs and scored pairs, without the member details a page shows."""

    key: str
    score: int
    reasons: tuple[str, ...]
    refs: tuple[Ref, ...]
    pairs: tuple[tuple[Ref, Ref, int, tuple[str, ...]], ...]
    newest: str


class _Scan:
    """Blocking in SQL on the live-row indexes, then scoring inside the blocks.

    The phone, credit-code and company keys come from index-only GROUP BY passes; names count only
    where the phones do not tell two records apart (see _evidence), so the name blocks start from
    the records without a phone (and those whose phone is too common to be evidence); only the rows
    of the blocks are read, and only the columns that compare.
    """

    def __init__(self, session: Session, actor: Actor, scope: str, rules: DuplicateRules) -> None:
        self.session, self.actor, self.scope, self.rules = session, actor, scope, rules
        self.tables = [e for e in ENTITIES if scope in ("all", e)]
        self.rows: dict[Ref, _Row] = {}
        # What the persisted index keeps to stay exact when it is updated record by record (see _Refresh):
        # the keys held by too many records to count, and every name-and-city block of two or more.
        self.over: dict[str, set[str]] = {"phone": set(), "uscc": set(), "company": set()}
        self.name_city_members: dict[tuple[str, str], list[_Row]] = {}

    # -- reading
    def _read(self, entity: str, *conditions: ColumnElement[bool]) -> list[_Row]:
        model = _TABLES[entity]
        columns = [type_coerce(getattr(model, name), String) if name == "updated_at" else getattr(model, name)
                   for name in _SCAN_COLUMNS[entity]]
        found = []
        for values in self.session.execute(select(*columns).where(_live(model, self.actor), *conditions)):
            row = _scan_row(entity, tuple(values))
            if row.merged:
                continue
            found.append(self.rows.setdefault(row.key, row))
        return found

    def _read_in(self, entity: str, column: Any, values: Iterable[Any],
                 *conditions: ColumnElement[bool]) -> list[_Row]:
        found: list[_Row] = []
        for chunk in _chunks(sorted(set(values))):
            found += self._read(entity, column.in_(chunk), *conditions)
        return found

    def _grouped_keys(self, entity: str, column: Any,
                      *conditions: ColumnElement[bool]) -> tuple[set[str], set[str]]:
        """The values of `column` held by 2..MAX_EXACT_BLOCK live rows, and those held by more."""
        model = _TABLES[entity]
        statement = (select(column, func.count()).where(_live(model, self.actor), column.is_not(None), *conditions)
                     .group_by(column).having(func.count() > 1))
        keys: set[str] = set()
        common: set[str] = set()
        for value, count in self.session.execute(statement):
            (common if count > MAX_EXACT_BLOCK else keys).add(value)
        return keys, common

    # -- the blocks of each rule
    def phone_blocks(self) -> tuple[list[list[_Row]], set[str]]:
        """Rows sharing a phone (blocks of at most MAX_EXACT_BLOCK), and the phones shared by more."""
        keys: set[str] = set()
        common: set[str] = set()
        for entity in self.tables:
            found, too_many = self._grouped_keys(entity, _TABLES[entity].phone_rev)
            keys |= found
            common |= too_many
        if self.scope == "all":
            # A lead sharing a customer's phone, unless it is that customer's own converted lead. The
            # source link is read from ix_customers_source_id (rowid included), so the lead's row is
            # read only for the few pairs not linked that way.
            source = aliased(Customer, name="converted")
            linked_by_source = exists().where(source.source_id == Lead.id,
                                              literal_column("converted.rowid") == literal_column("customers.rowid"))
            cross = (select(Customer.phone_rev).distinct()
                     .join(Lead, Lead.phone_rev == Customer.phone_rev)
                     .where(_live(Customer, self.actor), _live(Lead, self.actor), Customer.phone_rev.is_not(None),
                            ~linked_by_source, or_(Lead.customer_id.is_(None), Lead.customer_id != Customer.id)))
            keys |= set(self.session.scalars(cross))
        keys -= common
        blocks: dict[str, list[_Row]] = defaultdict(list)
        for entity in self.tables:
            for row in self._read_in(entity, _TABLES[entity].phone_rev, keys):
                blocks[row.phone_rev or ""].append(row)
        kept = []
        for key, block in blocks.items():
            if len(block) > MAX_EXACT_BLOCK:
                common.add(key)
            elif len(block) > 1:
                kept.append(block)
        self.over["phone"] = set(common)
        return kept, common

    def uscc_blocks(self) -> list[list[_Row]]:
        if "customer" not in self.tables:
            return []
        keys, common = self._grouped_keys("customer", Customer.uscc)
        blocks: dict[str, list[_Row]] = defaultdict(list)
        for row in self._read_in("customer", Customer.uscc, keys):
            blocks[row.uscc or ""].append(row)
        self.over["uscc"] = common | {key for key, block in blocks.items() if len(block) > MAX_EXACT_BLOCK}
        return [block for block in blocks.values() if 1 < len(block) <= MAX_EXACT_BLOCK]

    def name_seeds(self, common_phones: set[str]) -> list[_Row]:
        """The rows a name rule can pair with something no phone block pairs: those without a phone,
        and those whose phone is shared too widely to count."""
        seeds: list[_Row] = []
        for entity in self.tables:
            model = _TABLES[entity]
            seeds += self._read(entity, model.phone_rev.is_(None))
            if common_phones:
                seeds += self._read_in(entity, model.phone_rev, common_phones)
        return seeds

    def name_city_blocks(self, seeds: Sequence[_Row]) -> list[list[_Row]]:
        """Rows with the same city and name pinyin (as stored) as a row without a phone."""
        keys = {(row.city_key, row.pinyin) for row in seeds if row.phone_rev is None and row.pinyin and row.city_key}
        blocks: dict[tuple[str | None, str], list[_Row]] = defaultdict(list)
        for entity in self.tables:
            # By pinyin alone: SQLite would walk a whole city's rows for (city, pinyin) IN (...).
            for row in self._read_in(entity, _TABLES[entity].name_pinyin, {pinyin for _city, pinyin in keys}):
                if (row.city_key, row.pinyin) in keys:
                    blocks[(row.city_key, row.pinyin)].append(row)
        self.name_city_members.update({key: block for key, block in blocks.items()  # type: ignore[misc]
                                       if len(block) > 1})
        return [block for block in blocks.values() if 1 < len(block) <= MAX_NAME_BLOCK]

    def name_company_blocks(self, seeds: Sequence[_Row]) -> list[tuple[list[_Row], list[int]]]:
        """Rows at the same company (exactly as stored) as a seed, with the seeds' positions.

        A company's leads can be many (a seed may be a company customer of a busy company), so only
        their names are read first; the leads whose name is alike a seed's are then read in full.
        The block keeps its full size for the size limit; the pairs found are the same as on the
        whole block, since every pair scored includes a seed."""
        seeds_at: dict[str, list[_Row]] = defaultdict(list)
        for row in seeds:
            if row.company_key:
                seeds_at[row.company_key].append(row)
        if not seeds_at:
            return []
        keys = sorted(seeds_at)
        limit = MAX_EXACT_BLOCK * 4
        sizes: dict[str, int] = defaultdict(int)
        blocks: dict[str, list[_Row]] = defaultdict(list)
        if "customer" in self.tables:
            # kind is checked here, not in SQL, so that SQLite walks the pinyin index, not the kind one.
            for row in self._read_in("customer", Customer.name_pinyin, _company_pinyins(keys)):
                if row.kind == "company" and row.company_key in seeds_at:
                    blocks[row.company_key].append(row)
                    sizes[row.company_key] += 1
        if "lead" in self.tables:
            names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
            for chunk in _chunks(keys):
                statement = select(Lead.id, Lead.name, Lead.name_pinyin, Lead.company).where(
                    _live(Lead, self.actor), Lead.company.in_(chunk), Lead.merged_into_id.is_(None))
                for record_id, name, pinyin, company in self.session.execute(statement):
                    names[company or ""].append((record_id, name or "", pinyin or ""))
            alike: set[str] = set()
            for company, members in names.items():
                sizes[company] += len(members)
                if not 1 < sizes[company] <= limit:
                    continue
                texts = [name for _id, name, _pinyin in members]
                for seed in seeds_at[company]:
                    alike.update(members[index][0] for _m, _s, index in process.extract(
                        seed.name, texts, scorer=fuzz.ratio, score_cutoff=self.rules.name_similarity, limit=None))
                    if seed.pinyin:
                        alike.update(record_id for record_id, _name, pinyin in members if pinyin == seed.pinyin)
            for row in self._read_in("lead", Lead.id, alike):
                if row.company_key:
                    blocks[row.company_key].append(row)
        self.over["company"] |= {company for company in seeds_at if sizes[company] > limit}
        found = []
        for company, block in blocks.items():
            if 1 < sizes[company] <= limit:
                seed_keys = {row.key for row in seeds_at[company]}
                positions = [index for index, row in enumerate(block) if row.key in seed_keys]
                if positions:
                    found.append((block, positions))
        return found

    # -- all of it
    def run(self) -> list[_Skeleton]:
        found, rows = self.collect()
        return _rank(_scored(found), {ref: row.stamp for ref, row in rows.items()})

    def collect(self) -> tuple[dict[tuple[Ref, Ref], dict[str, float]], dict[Ref, _Row]]:
        """Every pair the rules find, with its evidence, and the rows of the records paired."""
        global scans_run
        scans_run += 1
        rules = self.rules
        dismissed = _dismissed_pairs(self.session)
        names_on = rules.enabled("name_city") or rules.enabled("name_company")
        candidates: list[Iterable[tuple[_Row, _Row]]] = []
        common_phones: set[str] = set()
        # Records sharing a phone are compared even with the phone rule off: their names may match.
        if rules.enabled("phone") or names_on:
            phone_blocks, common_phones = self.phone_blocks()
            candidates += [_all_pairs(block) for block in phone_blocks]
        if rules.enabled("uscc"):
            candidates += [_all_pairs(block) for block in self.uscc_blocks()]
        if names_on:
            seeds = self.name_seeds(common_phones)
            if rules.enabled("name_city"):
                candidates += [_alike_pairs(block, rules) for block in self.name_city_blocks(seeds)]
            if rules.enabled("name_company"):
                candidates += [_alike_pairs(block, rules, positions)
                               for block, positions in self.name_company_blocks(seeds)]
        return _evaluate(chain.from_iterable(candidates), rules, dismissed)


Scored = tuple[Ref, Ref, int, tuple[str, ...]]  # a pair as the index stores it: ordered refs, score, rules


def _scored(found: Mapping[tuple[Ref, Ref], dict[str, float]]) -> list[Scored]:
    return [(first, second, combine_scores(evidence.values()), tuple(rule for rule in RULE_KEYS if rule in evidence))
            for (first, second), evidence in found.items()]


def _rank(scored: Iterable[Scored], stamps: Mapping[Ref, str]) -> list[_Skeleton]:
    """Pairs joined into groups (union-find), best score first, then the most recently updated."""
    parent: dict[Ref, Ref] = {}

    def root(item: Ref) -> Ref:
        top = parent.setdefault(item, item)
        while parent[top] != top:
            top = parent[top]
        while parent[item] != top:
            parent[item], item = top, parent[item]
        return top

    scored = list(scored)
    for first, second, _score, _reasons in scored:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    by_root: dict[Ref, list[tuple[Ref, Ref, int, tuple[str, ...]]]] = defaultdict(list)
    for pair in scored:
        by_root[root(pair[0])].append(pair)
    groups = []
    for group_pairs in by_root.values():
        refs = tuple(sorted({ref for pair in group_pairs for ref in pair[:2]}))
        group_pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
        reasons = tuple(rule for rule in RULE_KEYS if any(rule in pair[3] for pair in group_pairs))
        groups.append(_Skeleton(f"{refs[0][0]}:{refs[0][1]}", group_pairs[0][2], reasons, refs, tuple(group_pairs),
                                max(stamps[ref] for ref in refs)))
    groups.sort(key=lambda g: g.key)
    groups.sort(key=lambda g: (g.score, g.newest), reverse=True)  # stable: ties keep the key order
    return groups


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


def _materialize(session: Session, skeletons: Sequence[_Skeleton]) -> list[DuplicateGroup]:
    """The groups with their members' details, read for these groups only (a page, not the scan)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for skeleton in skeletons:
        for entity, record_id in skeleton.refs:
            wanted[entity].add(record_id)
    rows = {(entity, record_id): row for entity, ids in wanted.items()
            for record_id, row in _load_rows(session, entity, ids).items()}
    owners = _owner_names(session, {row.owner_id for row in rows.values() if row.owner_id})
    members = {ref: _member(row, owners) for ref, row in rows.items()}
    groups = []
    for skeleton in skeletons:
        # A record merged or deleted since the scan drops out of the page (the next scan sees the change).
        present = [members[ref] for ref in skeleton.refs if ref in members]
        present.sort(key=lambda m: (m.updated_at.timestamp() if m.updated_at else 0.0), reverse=True)
        pairs = tuple(DuplicatePair(RecordRef(*first), RecordRef(*second), score, reasons)
                      for first, second, score, reasons in skeleton.pairs)
        groups.append(DuplicateGroup(key=skeleton.key, score=skeleton.score, reasons=skeleton.reasons,
                                     members=tuple(present), pairs=pairs))
    return groups


# ---- the scan, cached while nothing changes -----------------------------------------------------
@dataclass
class _CacheEntry:
    stamp: tuple[Any, ...]
    groups: list[_Skeleton] = field(default_factory=list)


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
    _total, skeletons, _seconds = _groups_for(db, actor, entity, rules)
    with read_session(db) as session:
        return _materialize(session, skeletons)


def _scan_cached(db: Database, actor: Actor, entity: str,
                 rules: DuplicateRules | None) -> tuple[list[_Skeleton], float]:
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
        groups = _Scan(session, actor, entity, rules).run()
        seconds = time.perf_counter() - started
    with _cache_lock:
        _cache[key] = _CacheEntry(stamp, groups)
    return groups, seconds


def list_groups(db: Database, actor: Actor, *, entity: str = "all", offset: int = 0, limit: int = 50,
                rules: DuplicateRules | None = None) -> DuplicatePage:
    """One page of candidate groups, best score first, and how many there are in all. The pairs come
    from the stored duplicate index, brought up to date first when a lead, customer or dismissal changed
    (record by record after a few changes, by a full scan after many or after a rule change); the
    members' details are read for the page's groups only. `seconds` is the time spent bringing the index
    up to date (0.0 when it was current)."""
    total, skeletons, seconds = _groups_for(db, actor, entity, rules, max(offset, 0), max(limit, 0))
    with read_session(db) as session:
        groups = _materialize(session, skeletons)
    return DuplicatePage(total, groups, seconds)


def forget_cached_scans() -> None:
    """Forget what this process holds and trust no stored index: the next read of each scope scans in
    full (for data written behind the services' back, which stamps no updated_at)."""
    global _forget_epoch
    with _cache_lock:
        _cache.clear()
        _forget_epoch += 1


# ---- the persisted index -----------------------------------------------------------------------------
# The scan's pairs are kept in duplicate_pairs (per scope), with the block keys that keep them exact in
# duplicate_index_keys and the index's state in device_info, all derived data of this device. A read
# finds the index current (nothing written since its watermark) and ranks the stored pairs; after a few
# changes it recomputes the pairs of the changed records (and of the records whose blocks crossed a
# size limit or lost or gained the record that made them) in one short write transaction; after many,
# after a rule change or with no index yet, it rebuilds it with the full scan.
INDEX_VERSION = 1
STATE_KEY_PREFIX = "duplicate_index:"
# More records changed than this and the index is rebuilt in full rather than refreshed record by record.
# Measured at 1,000,000 leads: a refresh (and the first page) took 0.5 s for 100 changed leads, 3.2 s for
# 1,000 and 7.5 s for 4,000, a full rebuild ~12 s; they cross near 6,000.
REBUILD_OVER = 5_000
# Rows whose updated_at lies up to this far below the watermark are looked at again: a write stamps its
# rows just before it commits, so one that commits a moment after a newer one is not missed.
_SLACK = timedelta(seconds=5)
_STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # updated_at as SQLAlchemy stores it on SQLite
_TABLE_NAMES = {"lead": "leads", "customer": "customers"}

scans_run = 0  # full scans this process ran (the tests and the benchmark read it)

PairValue = tuple[int, tuple[str, ...], str, str]  # score, rules, the two records' stamps


def _index_token(rules: DuplicateRules) -> str:
    """What the stored pairs were computed with: a different token means a rebuild."""
    return json.dumps({"version": INDEX_VERSION, "rules": rules.to_json(),
                       "limits": [MAX_EXACT_BLOCK, MAX_NAME_BLOCK, MAX_EXACT_BLOCK * 4]}, sort_keys=True)


def _mark_tables(scope: str) -> list[str]:
    return [_TABLE_NAMES[e] for e in ENTITIES if scope in ("all", e)] + ["duplicate_dismissals"]


def _below(mark: str | None) -> str | None:
    if mark is None:
        return None
    return (datetime.fromisoformat(mark) - _SLACK).strftime(_STAMP_FORMAT)


def _since(table: str, mark: str | None) -> tuple[str, dict[str, Any]]:
    """The condition on `table` for rows written at or after the slack below `mark` (all rows if none)."""
    low = _below(mark)
    if low is None:
        return "1 = 1", {}
    return "updated_at > :low", {"low": low}


def _marks(session: Session, scope: str) -> dict[str, list[Any]]:
    """Per table: the newest updated_at and how many rows lie within the slack below it (two index
    lookups each). Any write moves one of them, as every write stamps updated_at."""
    marks: dict[str, list[Any]] = {}
    for table in _mark_tables(scope):
        newest = session.execute(text(f"SELECT max(updated_at) FROM {table}")).scalar()
        condition, params = _since(table, newest)
        recent = session.execute(text(f"SELECT count(*) FROM {table} WHERE {condition}"), params).scalar()
        marks[table] = [newest, int(recent or 0)]
    return marks


def _stored_state(session: Session, scope: str) -> str | None:
    return session.scalar(select(DeviceInfo.value).where(DeviceInfo.key == STATE_KEY_PREFIX + scope))


def _trusted(key: tuple[str, str]) -> bool:
    """False once forget_cached_scans() asked for a fresh scan and none was made since."""
    return not (_forget_epoch and _built_epoch.get(key, 0) < _forget_epoch)


_index_lock = threading.Lock()  # one refresh at a time in this process; the write re-checks the stored state
_forget_epoch = 0
_built_epoch: dict[tuple[str, str], int] = {}


def _groups_of(pairs: Mapping[tuple[Ref, Ref], PairValue]) -> list[_Skeleton]:
    stamps: dict[Ref, str] = {}
    scored: list[Scored] = []
    for (first, second), (score, reasons, first_stamp, second_stamp) in pairs.items():
        stamps[first], stamps[second] = first_stamp, second_stamp
        scored.append((first, second, score, reasons))
    return _rank(scored, stamps)


_PAIR_COLUMNS = "first_type, first_id, second_type, second_id, score, reasons, first_stamp, second_stamp, group_key"


def _pair_rows(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[tuple[Ref, Ref], PairValue, str]]:
    """Stored pair rows (_PAIR_COLUMNS) as (pair, value, group key)."""
    reasons_of: dict[str, tuple[str, ...]] = {}
    for first_type, first_id, second_type, second_id, score, reasons, first_stamp, second_stamp, group in rows:
        parsed = reasons_of.get(reasons)
        if parsed is None:
            parsed = reasons_of[reasons] = tuple(json.loads(reasons))
        yield ((first_type, first_id), (second_type, second_id)), (score, parsed, first_stamp, second_stamp), group


def _skeleton(key: str, score: int, newest: str, pairs: Sequence[tuple[tuple[Ref, Ref], PairValue]]) -> _Skeleton:
    """A stored group as the scan ranks it (see _rank)."""
    refs = tuple(sorted({ref for pair, _value in pairs for ref in pair}))
    scored = sorted(((first, second, value[0], value[1]) for (first, second), value in pairs),
                    key=lambda p: (-p[2], p[0], p[1]))
    reasons = tuple(rule for rule in RULE_KEYS if any(rule in pair[3] for pair in scored))
    return _Skeleton(key, score, reasons, refs, tuple(scored), newest)


def _read_page(session: Session, scope: str, offset: int, limit: int | None) -> tuple[int, list[_Skeleton]]:
    """How many groups the stored index holds, and the groups offset..offset+limit in rank order."""
    connection = session.connection()
    total = connection.exec_driver_sql("SELECT count(*) FROM duplicate_groups WHERE scope = ?", (scope,)).scalar()
    ranked = list(connection.exec_driver_sql(
        "SELECT key, score, newest FROM duplicate_groups WHERE scope = ? ORDER BY score DESC, newest DESC, key "
        "LIMIT ? OFFSET ?", (scope, -1 if limit is None else limit, offset)))
    members: dict[str, list[tuple[tuple[Ref, Ref], PairValue]]] = defaultdict(list)
    if limit is None and offset == 0:
        rows = connection.exec_driver_sql(f"SELECT {_PAIR_COLUMNS} FROM duplicate_pairs WHERE scope = ?", (scope,))
        for pair, value, group in _pair_rows(rows):
            members[group].append((pair, value))
    else:
        keys = [key for key, _score, _newest in ranked]
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            rows = connection.exec_driver_sql(
                f"SELECT {_PAIR_COLUMNS} FROM duplicate_pairs WHERE scope = ? "
                f"AND group_key IN ({', '.join('?' * len(chunk))})", (scope, *chunk))
            for pair, value, group in _pair_rows(rows):
                members[group].append((pair, value))
    return int(total or 0), [_skeleton(key, score, newest, members[key]) for key, score, newest in ranked]


GroupRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _group_rows(scope: str, pairs: Mapping[tuple[Ref, Ref], PairValue]) -> GroupRows:
    """`pairs` joined into ranked groups: the rows of duplicate_groups and of duplicate_pairs."""
    groups = _groups_of(pairs)
    group_of = {ref: group.key for group in groups for ref in group.refs}
    group_rows = [(scope, group.key, group.score, group.newest, len(group.refs)) for group in groups]
    pair_rows = [(scope, first[1], second[1], first[0], second[0], score, json.dumps(list(reasons)), s1, s2,
                  group_of[first]) for (first, second), (score, reasons, s1, s2) in pairs.items()]
    return group_rows, pair_rows


def _store_groups(session: Session, rows: GroupRows) -> None:
    """Groups and pairs (from _group_rows) stored, over no stored group or pair of theirs."""
    group_rows, pair_rows = rows
    connection = session.connection()
    for start in range(0, len(group_rows), 5000):
        connection.exec_driver_sql("INSERT INTO duplicate_groups (scope, key, score, newest, size) "
                                   "VALUES (?, ?, ?, ?, ?)", group_rows[start:start + 5000])
    for start in range(0, len(pair_rows), 5000):
        connection.exec_driver_sql(
            "INSERT INTO duplicate_pairs (scope, first_id, second_id, first_type, second_type, score, reasons, "
            "first_stamp, second_stamp, group_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pair_rows[start:start + 5000])


def _pair_values(found: Mapping[tuple[Ref, Ref], dict[str, float]],
                 rows: Mapping[Ref, _Row]) -> dict[tuple[Ref, Ref], PairValue]:
    return {(first, second): (combine_scores(evidence.values()),
                              tuple(rule for rule in RULE_KEYS if rule in evidence),
                              rows[first].stamp, rows[second].stamp)
            for (first, second), evidence in found.items()}


def _insert_keys(session: Session, scope: str, rows: Iterable[tuple[str, str, str]]) -> None:
    values = [(scope, kind, key, record_id) for kind, key, record_id in rows]
    for start in range(0, len(values), 5000):
        session.connection().exec_driver_sql(
            "INSERT INTO duplicate_index_keys (scope, kind, key, record_id) VALUES (?, ?, ?, ?)",
            values[start:start + 5000])


def _city_key(key: tuple[str, str]) -> str:
    return json.dumps(list(key), ensure_ascii=False)


def _key_rows(over: Mapping[str, Iterable[str]],
              city_members: Mapping[tuple[str, str], Sequence[_Row]]) -> list[tuple[str, str, str]]:
    rows = [(kind, key, "") for kind, keys in over.items() for key in keys]
    rows += [("name_city", _city_key(key), row.id) for key, block in city_members.items() for row in block]
    return rows


@contextmanager
def _index_write(db: Database, scope: str, expected: str | None) -> Iterator[Session | None]:
    """A write transaction on the index, holding SQLite's write lock from its first statement so that
    what it reads is what it writes over; yields None (nothing written) when the stored state is no
    longer `expected`, i.e. another refresh got there first."""
    session = db.session_factory()
    try:
        with session.begin():
            session.execute(text("UPDATE device_info SET value = value WHERE key = :key"),
                            {"key": STATE_KEY_PREFIX + scope})  # takes the write lock
            if _stored_state(session, scope) != expected:
                yield None
                return
            yield session
    finally:
        session.close()


def _save_state(session: Session, scope: str, state: Mapping[str, Any]) -> str:
    raw = json.dumps(state, sort_keys=True, ensure_ascii=False)
    session.execute(text("INSERT INTO device_info (key, value) VALUES (:key, :value) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                    {"key": STATE_KEY_PREFIX + scope, "value": raw})
    return raw


def _new_state(token: str, marks: Mapping[str, Any]) -> dict[str, Any]:
    return {"token": token, "marks": marks, "built_at": datetime.now(UTC).strftime(_STAMP_FORMAT)}


def _rebuild(db: Database, actor: Actor, scope: str, rules: DuplicateRules, expected: str | None) -> bool:
    """The full scan, stored in one transaction in place of the scope's index (False: another process
    stored one meanwhile, nothing written)."""
    key = (str(db.path), scope)
    with read_session(db) as session:
        marks = _marks(session, scope)  # before the scan: what is written during it is newer, seen next time
        scan = _Scan(session, actor, scope, rules)
        found, rows = scan.collect()
    stored = _group_rows(scope, _pair_values(found, rows))  # ranked before the write lock is taken
    with _index_write(db, scope, expected) as session:
        if session is None:
            return False
        for table in ("duplicate_pairs", "duplicate_groups", "duplicate_index_keys"):
            session.execute(text(f"DELETE FROM {table} WHERE scope = :scope"), {"scope": scope})
        _store_groups(session, stored)
        _insert_keys(session, scope, _key_rows(scan.over, scan.name_city_members))
        _save_state(session, scope, _new_state(_index_token(rules), marks))
    _built_epoch[key] = _forget_epoch
    return True


class _Refresh:
    """The index brought up to date record by record, inside one write transaction.

    The pairs of a set Z of records are dropped and computed again from Z's blocks, exactly as the scan
    judges those blocks (their sizes counted over the whole book). Z holds the changed records and the
    dismissals' records, and the members of every block whose judgement changed with them: a phone, credit
    code or company whose count crossed its limit (which also makes its members start or stop being name
    seeds), and a name-and-city block that crossed its limit or gained or lost the record without a phone
    that makes it. The stored keys say what each block was: the keys over their limit, and the members of
    each name-and-city block.
    """

    def __init__(self, session: Session, actor: Actor, scope: str, rules: DuplicateRules) -> None:
        self.session, self.scope, self.rules = session, scope, rules
        self.scan = _Scan(session, actor, scope, rules)
        self.tables = self.scan.tables
        names_on = rules.enabled("name_city") or rules.enabled("name_company")
        self.phones_on = rules.enabled("phone") or names_on
        self.uscc_on = rules.enabled("uscc") and "customer" in self.tables
        self.city_on = rules.enabled("name_city")
        self.company_on = rules.enabled("name_company")
        self.phone_counts: dict[str, int] = {}
        self.uscc_counts: dict[str, int] = {}
        # What each block looked at is now, to store: over its limit or not; a name-and-city block's members.
        self.over_now: dict[str, dict[str, bool]] = {"phone": {}, "uscc": {}, "company": {}}
        self.city_now: dict[tuple[str, str], list[_Row]] = {}
        self.city_seen: dict[tuple[str, str], list[_Row]] = {}

    # -- reading
    def _rows(self, refs: Iterable[Ref]) -> dict[Ref, _Row]:
        wanted: dict[str, list[str]] = defaultdict(list)
        for entity, record_id in refs:
            if entity in self.tables and (entity, record_id) not in self.scan.rows:
                wanted[entity].append(record_id)
        for entity, ids in wanted.items():
            self.scan._read_in(entity, _TABLES[entity].id, ids)
        return {ref: self.scan.rows[ref] for ref in refs if ref in self.scan.rows}

    def _counts(self, cache: dict[str, int], entities: Sequence[str], column_name: str,
                keys: Iterable[str]) -> dict[str, int]:
        missing = sorted(set(keys) - set(cache))
        for key in missing:
            cache[key] = 0
        for entity in entities:
            model = _TABLES[entity]
            column = getattr(model, column_name)
            for chunk in _chunks(missing):
                statement = (select(column, func.count()).where(_live(model, self.scan.actor), column.in_(chunk))
                             .group_by(column))
                for value, count in self.session.execute(statement):
                    cache[value] += count
        return {key: cache[key] for key in keys}

    def phone_counts_of(self, keys: Iterable[str]) -> dict[str, int]:
        return self._counts(self.phone_counts, self.tables, "phone_rev", keys)

    def uscc_counts_of(self, keys: Iterable[str]) -> dict[str, int]:
        return self._counts(self.uscc_counts, ["customer"], "uscc", keys)

    def city_blocks(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[_Row]]:
        """The live rows with each (city as stored, name pinyin as stored)."""
        blocks: dict[tuple[str, str], list[_Row]] = defaultdict(list)
        ordered = sorted(keys)
        for start in range(0, len(ordered), 200):
            chunk = ordered[start:start + 200]
            wanted = set(chunk)
            for entity in self.tables:
                model = _TABLES[entity]
                # The city wrapped so that SQLite walks the pinyin index, not a whole city's rows.
                for row in self.scan._read(entity, model.name_pinyin.in_(sorted({p for _c, p in chunk})),
                                           func.coalesce(model.city, "").in_(sorted({c for c, _p in chunk}))):
                    if (row.city_key, row.pinyin) in wanted:
                        blocks[(row.city_key or "", row.pinyin)].append(row)
        return blocks

    def company_sizes(self, keys: set[str]) -> tuple[dict[str, int], dict[str, list[_Row]]]:
        """How many records each company has (as the scan counts them), and its company customers."""
        sizes: dict[str, int] = dict.fromkeys(keys, 0)
        customers: dict[str, list[_Row]] = defaultdict(list)
        if not keys:
            return sizes, customers
        if "customer" in self.tables:
            for row in self.scan._read_in("customer", Customer.name_pinyin, _company_pinyins(keys)):
                if row.kind == "company" and row.company_key in keys:
                    customers[row.company_key].append(row)
                    sizes[row.company_key] += 1
        if "lead" in self.tables:
            for chunk in _chunks(sorted(keys)):
                statement = (select(Lead.company, func.count())
                             .where(_live(Lead, self.scan.actor), Lead.company.in_(chunk), Lead.merged_into_id.is_(None))
                             .group_by(Lead.company))
                for company, count in self.session.execute(statement):
                    sizes[company or ""] += count
        return sizes, customers

    def company_members(self, keys: set[str], customers: Mapping[str, list[_Row]]) -> dict[str, list[_Row]]:
        members: dict[str, list[_Row]] = defaultdict(list)
        for company, rows in customers.items():
            if company in keys:
                members[company] += rows
        if "lead" in self.tables:
            for row in self.scan._read_in("lead", Lead.company, keys):
                if row.company_key in keys:
                    members[row.company_key].append(row)
        return members

    def common_phones(self) -> set[str]:
        """The phones shared by too many records to count. Every one was looked at (see affected): it was
        over its limit before, or a changed record now has it."""
        return {key for key, over in self.over_now["phone"].items() if over}

    def _seeded_lead(self, company: str) -> bool:
        common = sorted(self.common_phones())
        condition: ColumnElement[bool] = Lead.phone_rev.is_(None)
        if common:
            condition = or_(condition, Lead.phone_rev.in_(common))
        statement = select(Lead.id).where(_live(Lead, self.scan.actor), Lead.company == company,
                                          Lead.merged_into_id.is_(None), condition).limit(1)
        return self.session.scalar(statement) is not None

    def is_seed(self, row: _Row) -> bool:
        """Whether the scan starts name blocks from `row` (see _Scan.name_seeds)."""
        return row.phone_rev is None or row.phone_rev in self.common_phones()

    # -- which records to recompute
    def affected(self, changed: set[Ref], dismissed: set[Ref]) -> tuple[set[Ref], dict[Ref, _Row]]:
        session, scope = self.session, self.scope
        z: set[Ref] = {ref for ref in changed | dismissed if ref[0] in self.tables}
        live = self._rows(z)
        changed_live = [row for ref, row in live.items() if ref in changed]
        over_old: dict[str, set[str]] = {"phone": set(), "uscc": set(), "company": set()}
        for kind, key in session.execute(text(
                "SELECT kind, key FROM duplicate_index_keys WHERE scope = :scope AND record_id = '' "
                "AND kind IN ('phone', 'uscc', 'company')"), {"scope": scope}):
            over_old[kind].add(key)
        joins: list[Ref] = []
        if self.phones_on:
            keys = {row.phone_rev for row in changed_live if row.phone_rev is not None} | over_old["phone"]
            flipped = set()
            for key, count in self.phone_counts_of(keys).items():
                self.over_now["phone"][key] = count > MAX_EXACT_BLOCK
                if (count > MAX_EXACT_BLOCK) != (key in over_old["phone"]):
                    flipped.add(key)
            for entity in self.tables:
                joins += [row.key for row in self.scan._read_in(entity, _TABLES[entity].phone_rev, flipped)]
        if self.uscc_on:
            keys = {row.uscc for row in changed_live if row.entity == "customer" and row.uscc is not None}
            keys |= over_old["uscc"]
            flipped = set()
            for key, count in self.uscc_counts_of(keys).items():
                self.over_now["uscc"][key] = count > MAX_EXACT_BLOCK
                if (count > MAX_EXACT_BLOCK) != (key in over_old["uscc"]):
                    flipped.add(key)
            joins += [row.key for row in self.scan._read_in("customer", Customer.uscc, flipped)]
        if self.city_on:
            city_keys = {(row.city_key, row.pinyin) for row in changed_live if row.pinyin and row.city_key}
            ids = sorted({record_id for _entity, record_id in changed})
            old_keys: set[str] = set()
            for chunk in _chunks(ids):
                old_keys.update(session.execute(
                    select(DuplicateIndexKey.key).where(DuplicateIndexKey.scope == scope,
                                                        DuplicateIndexKey.kind == "name_city",
                                                        DuplicateIndexKey.record_id.in_(chunk))).scalars())
            city_keys |= {(city, pinyin) for city, pinyin in map(json.loads, old_keys)}
            old_sizes: dict[str, int] = {}
            for chunk in _chunks(sorted(_city_key(key) for key in city_keys)):
                old_sizes.update((stored, int(count)) for stored, count in session.execute(
                    select(DuplicateIndexKey.key, func.count()).where(
                        DuplicateIndexKey.scope == scope, DuplicateIndexKey.kind == "name_city",
                        DuplicateIndexKey.key.in_(chunk)).group_by(DuplicateIndexKey.key)))
            for city_key, block in self._judge_city(city_keys).items():
                old = _city_status(old_sizes.get(_city_key(city_key), 0), True)
                new = _city_status(len(block), any(row.phone_rev is None for row in block))
                if old != new and "kept" in (old, new):
                    joins += [row.key for row in block]
        if self.company_on:
            keys = {row.company_key for row in changed_live if row.company_key} | over_old["company"]
            sizes, customers = self.company_sizes(keys)
            here: dict[str, int] = defaultdict(int)
            for row in changed_live:
                if row.company_key:
                    here[row.company_key] += 1
            limit = MAX_EXACT_BLOCK * 4
            flipped = {key for key, size in sizes.items()
                       if (key in over_old["company"] and size <= limit)
                       or (key not in over_old["company"] and size > limit and size - here[key] <= limit)}
            for rows in self.company_members(flipped, customers).values():
                joins += [row.key for row in rows]
        z.update(joins)
        return z, self._rows(z)

    def _judge_city(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[_Row]]:
        blocks = self.city_blocks(keys - set(self.city_now))
        for key in keys - set(self.city_now):
            block = blocks.get(key, [])
            exists = any(row.phone_rev is None for row in block)
            self.city_now[key] = block if exists and len(block) > 1 else []
            self.city_seen[key] = block
        return {key: self.city_seen[key] for key in keys}

    # -- the pairs of those records
    def pairs_touching(self, z: set[Ref], rows: Mapping[Ref, _Row],
                       dismissed: set[tuple[str, str]]) -> dict[tuple[Ref, Ref], PairValue]:
        rules = self.rules
        live = list(rows.values())
        candidates: list[Iterable[tuple[_Row, _Row]]] = []
        if self.phones_on:
            counts = self.phone_counts_of({row.phone_rev for row in live if row.phone_rev is not None})
            for key, count in counts.items():
                self.over_now["phone"][key] = count > MAX_EXACT_BLOCK
            kept = {key for key, count in counts.items() if 1 < count <= MAX_EXACT_BLOCK}
            blocks: dict[str, list[_Row]] = defaultdict(list)
            for entity in self.tables:
                for row in self.scan._read_in(entity, _TABLES[entity].phone_rev, kept):
                    blocks[row.phone_rev or ""].append(row)
            # Records sharing a phone are compared even with the phone rule off: their names may match.
            candidates += [_all_pairs(block) for block in blocks.values() if 1 < len(block) <= MAX_EXACT_BLOCK]
        if self.uscc_on:
            counts = self.uscc_counts_of({row.uscc for row in live if row.entity == "customer" and row.uscc is not None})
            for key, count in counts.items():
                self.over_now["uscc"][key] = count > MAX_EXACT_BLOCK
            kept = {key for key, count in counts.items() if 1 < count <= MAX_EXACT_BLOCK}
            by_uscc: dict[str, list[_Row]] = defaultdict(list)
            for row in self.scan._read_in("customer", Customer.uscc, kept):
                by_uscc[row.uscc or ""].append(row)
            candidates += [_all_pairs(block) for block in by_uscc.values() if 1 < len(block) <= MAX_EXACT_BLOCK]
        if self.city_on:
            judged = self._judge_city({(row.city_key, row.pinyin) for row in live if row.pinyin and row.city_key})
            for city_key, block in judged.items():
                if self.city_now[city_key] and len(block) <= MAX_NAME_BLOCK:
                    candidates.append(_alike_pairs(block, rules))
        if self.company_on:
            keys = {row.company_key for row in live if row.company_key}
            sizes, customers = self.company_sizes(keys)
            limit = MAX_EXACT_BLOCK * 4
            small = {key for key in keys if 1 < sizes[key] <= limit}
            members = self.company_members(small, customers)
            seeds = [row for block in members.values() for row in block if self.is_seed(row)]
            for block, positions in self.scan.name_company_blocks(seeds):
                candidates.append(_alike_pairs(block, rules, positions))
            for key in keys:
                if sizes[key] > limit:
                    seeded = any(self.is_seed(row) for row in customers.get(key, ())) or self._seeded_lead(key)
                    self.over_now["company"][key] = seeded
                else:
                    self.over_now["company"][key] = False
        touching = (pair for pairs in candidates for pair in pairs if pair[0].key in z or pair[1].key in z)
        found, found_rows = _evaluate(touching, rules, dismissed)
        return _pair_values(found, found_rows)

    def run(self, changed: set[Ref], dismissed_refs: set[Ref]) -> tuple[set[Ref], dict[tuple[Ref, Ref], PairValue]]:
        z, rows = self.affected(changed, dismissed_refs)
        pairs = self.pairs_touching(z, rows, _dismissed_pairs(self.session))
        return z, pairs

    def store(self, z: set[Ref], pairs: Mapping[tuple[Ref, Ref], PairValue]) -> None:
        """Z's pairs replaced by `pairs`; the groups they touch (those of Z's old pairs and of the new
        pairs' records) joined again from their remaining pairs and the new ones; the keys looked at."""
        session, scope = self.session, self.scope
        ids = sorted({record_id for _entity, record_id in z} | {ref[1] for pair in pairs for ref in pair})
        touched: set[str] = set()
        for chunk in _chunks(ids):
            for column in ("first_id", "second_id"):
                touched.update(session.execute(
                    text(f"SELECT DISTINCT group_key FROM duplicate_pairs WHERE scope = :scope "
                         f"AND {column} IN :ids").bindparams(bindparam("ids", expanding=True)),
                    {"scope": scope, "ids": list(chunk)}).scalars())
        current: dict[tuple[Ref, Ref], PairValue] = {}
        for chunk in _chunks(sorted(touched)):
            rows = session.execute(text(f"SELECT {_PAIR_COLUMNS} FROM duplicate_pairs WHERE scope = :scope "
                                        "AND group_key IN :keys").bindparams(bindparam("keys", expanding=True)),
                                   {"scope": scope, "keys": list(chunk)})
            for pair, value, _group in _pair_rows(rows):
                if pair[0] not in z and pair[1] not in z:
                    current[pair] = value
        current.update(pairs)
        for chunk in _chunks(sorted(touched)):
            for table, column in (("duplicate_pairs", "group_key"), ("duplicate_groups", "key")):
                session.execute(text(f"DELETE FROM {table} WHERE scope = :scope AND {column} IN :keys")
                                .bindparams(bindparam("keys", expanding=True)), {"scope": scope, "keys": list(chunk)})
        _store_groups(session, _group_rows(scope, current))
        for kind, judged in self.over_now.items():
            for chunk in _chunks(sorted(judged)):
                session.execute(delete(DuplicateIndexKey).where(
                    DuplicateIndexKey.scope == scope, DuplicateIndexKey.kind == kind, DuplicateIndexKey.key.in_(chunk)))
        city_keys = sorted(_city_key(key) for key in self.city_now)
        for chunk in _chunks(city_keys):
            session.execute(delete(DuplicateIndexKey).where(
                DuplicateIndexKey.scope == scope, DuplicateIndexKey.kind == "name_city",
                DuplicateIndexKey.key.in_(chunk)))
        over = {kind: [key for key, is_over in judged.items() if is_over] for kind, judged in self.over_now.items()}
        _insert_keys(session, scope, _key_rows(over, self.city_now))


def _city_status(size: int, exists: bool) -> str:
    if not exists or size < 2:
        return "none"
    return "kept" if size <= MAX_NAME_BLOCK else "over"


def _changes(session: Session, scope: str, marks: Mapping[str, Any]) -> tuple[set[Ref], set[Ref]] | None:
    """The records and dismissals written since the index's marks (with the slack), or None when there
    are more than REBUILD_OVER of them."""
    changed: set[Ref] = set()
    dismissed: set[Ref] = set()
    for table in _mark_tables(scope):
        condition, params = _since(table, marks.get(table, [None])[0])
        count = session.execute(text(f"SELECT count(*) FROM {table} WHERE {condition}"), params).scalar() or 0
        if len(changed) + len(dismissed) + count > REBUILD_OVER:
            return None
        if table == "duplicate_dismissals":
            for first_type, first_id, second_type, second_id in session.execute(text(
                    f"SELECT first_type, first_id, second_type, second_id FROM {table} WHERE {condition}"), params):
                dismissed.update({(first_type, first_id), (second_type, second_id)})
        else:
            entity = next(e for e, name in _TABLE_NAMES.items() if name == table)
            changed.update((entity, record_id) for record_id in session.execute(
                text(f"SELECT id FROM {table} WHERE {condition}"), params).scalars())
    return changed, dismissed


def _refresh(db: Database, actor: Actor, scope: str, rules: DuplicateRules, expected: str,
             state: Mapping[str, Any]) -> bool | None:
    """Bring the stored index up to date record by record. False: too many changes (rebuild instead);
    None: the stored state changed meanwhile (look again)."""
    with _index_write(db, scope, expected) as session:
        if session is None:
            return None
        marks = _marks(session, scope)
        changes = _changes(session, scope, state["marks"])
        if changes is None:
            return False
        refresh = _Refresh(session, actor, scope, rules)
        z, pairs = refresh.run(*changes)
        refresh.store(z, pairs)
        _save_state(session, scope, {**state, "marks": marks})
    return True


def _index_page(db: Database, actor: Actor, scope: str, rules: DuplicateRules, offset: int = 0,
                limit: int | None = None) -> tuple[int, list[_Skeleton], float]:
    """How many groups there are and the ranked groups offset..offset+limit (all with limit None), from
    the stored index, brought up to date first if anything changed; and the seconds spent bringing it up
    to date (0.0 when it was current)."""
    key = (str(db.path), scope)
    token = _index_token(rules)
    started = time.perf_counter()
    worked = False
    for _attempt in range(5):
        with read_session(db) as session:
            raw = _stored_state(session, scope)
            state = json.loads(raw) if raw else None
            usable = state is not None and state.get("token") == token and _trusted(key)
            if usable and state is not None and state["marks"] == _marks(session, scope):
                total, groups = _read_page(session, scope, max(offset, 0), limit)
                return total, groups, (time.perf_counter() - started) if worked else 0.0
        worked = True
        with _index_lock:
            if usable and state is not None and raw is not None:
                done = _refresh(db, actor, scope, rules, raw, state)
                if done is None or done:
                    continue
            _rebuild(db, actor, scope, rules, raw)
    raise RuntimeError("the duplicate index kept changing while it was brought up to date")


def _evaluate(pairs: Iterable[tuple[_Row, _Row]], rules: DuplicateRules, dismissed: set[tuple[str, str]]
              ) -> tuple[dict[tuple[Ref, Ref], dict[str, float]], dict[Ref, _Row]]:
    """The evidence of each candidate pair that may pair, is not dismissed and matches a rule."""
    evidence: dict[tuple[Ref, Ref], dict[str, float]] = {}
    rows: dict[Ref, _Row] = {}
    for a, b in pairs:
        first, second = (a, b) if a.key < b.key else (b, a)
        pair = (first.key, second.key)
        if pair in evidence or not _may_pair(a, b):
            continue
        if (min(a.id, b.id), max(a.id, b.id)) in dismissed:
            continue
        found = _evidence(first, second, rules)
        if found:
            evidence[pair] = found
            rows[first.key], rows[second.key] = first, second
    return evidence, rows


def _uses_index(actor: Actor) -> bool:
    """The index holds the whole book; it answers only while every user sees every row."""
    return all(isinstance(visible_rows(actor, model), True_) for model in (Lead, Customer))


def _groups_for(db: Database, actor: Actor, entity: str, rules: DuplicateRules | None, offset: int = 0,
                limit: int | None = None) -> tuple[int, list[_Skeleton], float]:
    if entity not in SCOPES:
        raise ValueError(f"unknown duplicate scope {entity!r}")
    rules = rules or load_rules(db)
    if _uses_index(actor):
        return _index_page(db, actor, entity, rules, offset, limit)
    skeletons, seconds = _scan_cached(db, actor, entity, rules)
    end = None if limit is None else max(offset, 0) + max(limit, 0)
    return len(skeletons), skeletons[max(offset, 0):end], seconds


def rebuild_index(db: Database, actor: Actor, *, entity: str = "all", rules: DuplicateRules | None = None) -> float:
    """Rebuild the stored duplicate index of `entity` from a full scan now; returns the seconds it took."""
    if entity not in SCOPES:
        raise ValueError(f"unknown duplicate scope {entity!r}")
    rules = rules or load_rules(db)
    started = time.perf_counter()
    with _index_lock:
        for _attempt in range(5):
            with read_session(db) as session:
                raw = _stored_state(session, entity)
            if _rebuild(db, actor, entity, rules, raw):
                break
    return time.perf_counter() - started


# ---- one record ---------------------------------------------------------------------------------
def _row_from_values(entity: str, values: Mapping[str, Any]) -> _Row:
    # What is being typed, as text a record could hold (a half-typed form may hold anything).
    values = {key: None if value is None else strip_unstorable(str(value)) for key, value in values.items()}
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
        if entity == "lead":
            queries.append(select(Lead.id).where(live, Lead.company == company).limit(MAX_EXACT_BLOCK * 4))
        else:
            # customers.name has no index; name_pinyin has. A person customer found here has no company
            # to compare, so kind is left to _evidence (in SQL it would send SQLite down the kind index).
            queries.append(select(Customer.id).where(live, Customer.name_pinyin.in_(_company_pinyins([company])),
                                                     Customer.name == company).limit(MAX_EXACT_BLOCK * 4))
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
    record), or None when nothing does. While the stored index is current its pairs of the record
    answer (the same as the duplicates list shows); otherwise the record is checked live."""
    rules = rules or load_rules(db)
    candidates = _indexed_candidates(db, actor, entity, record_id, rules) if _uses_index(actor) else None
    if candidates is None:
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


def _indexed_candidates(db: Database, actor: Actor, entity: str, record_id: str, rules: DuplicateRules,
                        limit: int = 20) -> list[DuplicateCandidate] | None:
    """The record's pairs in the stored index of all records, best first; None when that index is not
    current (nothing is brought up to date here: the live check is as fast)."""
    if entity not in ENTITIES:
        raise ValueError(f"unknown entity {entity!r}")
    key = (str(db.path), "all")
    with read_session(db) as session:
        raw = _stored_state(session, "all")
        state = json.loads(raw) if raw else None
        if (state is None or state.get("token") != _index_token(rules) or not _trusted(key)
                or state["marks"] != _marks(session, "all")):
            return None
        model = _TABLES[entity]
        if session.scalar(select(model.id).where(model.id == record_id, _live(model, actor))) is None:
            raise NotFoundError(entity, record_id)
        found: dict[Ref, tuple[int, tuple[str, ...]]] = {}
        for column, other_type, other_id in (("first_id", "second_type", "second_id"),
                                             ("second_id", "first_type", "first_id")):
            for other_entity, other, score, reasons in session.execute(text(
                    f"SELECT {other_type}, {other_id}, score, reasons FROM duplicate_pairs "
                    f"WHERE scope = 'all' AND {column} = :id"), {"id": record_id}):
                found[(other_entity, other)] = (int(score), tuple(json.loads(reasons)))
        rows: dict[Ref, _Row] = {}
        for other_entity in ENTITIES:
            ids = [i for e, i in found if e == other_entity]
            rows.update({(other_entity, i): r for i, r in _load_rows(session, other_entity, ids).items()})
        owners = _owner_names(session, {row.owner_id for row in rows.values() if row.owner_id})
    candidates = [DuplicateCandidate(_member(row, owners), *found[ref]) for ref, row in rows.items()]
    candidates.sort(key=lambda c: (-c.score, -(c.member.updated_at.timestamp() if c.member.updated_at else 0.0),
                                   c.member.id))
    return candidates[:limit]


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
    "is_dismissed", "list_groups", "load_rules", "rebuild_index", "rule_label", "save_rules",
]
