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
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

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
        return kept, common

    def uscc_blocks(self) -> list[list[_Row]]:
        if "customer" not in self.tables:
            return []
        keys, _common = self._grouped_keys("customer", Customer.uscc)
        blocks: dict[str, list[_Row]] = defaultdict(list)
        for row in self._read_in("customer", Customer.uscc, keys):
            blocks[row.uscc or ""].append(row)
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
        evidence: dict[tuple[Ref, Ref], dict[str, float]] = {}
        rows: dict[Ref, _Row] = {}
        for pairs in candidates:
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
        return _rank(evidence, rows)


def _rank(found: Mapping[tuple[Ref, Ref], dict[str, float]], rows: Mapping[Ref, _Row]) -> list[_Skeleton]:
    """Pairs joined into groups (union-find), best score first, then the most recently updated."""
    parent: dict[Ref, Ref] = {}

    def root(item: Ref) -> Ref:
        top = parent.setdefault(item, item)
        while parent[top] != top:
            top = parent[top]
        while parent[item] != top:
            parent[item], item = top, parent[item]
        return top

    scored = []
    for (first, second), evidence in found.items():
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
        scored.append((first, second, combine_scores(evidence.values()),
                       tuple(rule for rule in RULE_KEYS if rule in evidence)))
    by_root: dict[Ref, list[tuple[Ref, Ref, int, tuple[str, ...]]]] = defaultdict(list)
    for pair in scored:
        by_root[root(pair[0])].append(pair)
    groups = []
    for group_pairs in by_root.values():
        refs = tuple(sorted({ref for pair in group_pairs for ref in pair[:2]}))
        group_pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
        reasons = tuple(rule for rule in RULE_KEYS if any(rule in pair[3] for pair in group_pairs))
        groups.append(_Skeleton(f"{refs[0][0]}:{refs[0][1]}", group_pairs[0][2], reasons, refs, tuple(group_pairs),
                                max(rows[ref].stamp for ref in refs)))
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
    skeletons, _seconds = _scan_cached(db, actor, entity, rules)
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
    """One page of candidate groups, best score first, and how many there are in all. The scan
    behind it is cached until a lead, customer or dismissal changes; the members' details are read
    for the page's groups only."""
    skeletons, seconds = _scan_cached(db, actor, entity, rules)
    offset = max(offset, 0)
    with read_session(db) as session:
        groups = _materialize(session, skeletons[offset:offset + max(limit, 0)])
    return DuplicatePage(len(skeletons), groups, seconds)


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
