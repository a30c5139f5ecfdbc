"""Merging duplicate leads and customers into one record, field by field, and undoing a merge.

A merge keeps one record, writes the chosen values onto it, moves every row that points at the
merged record (found from the models' foreign keys, so a new linked table is moved too), soft-deletes
the merged record with `merged_into_id` set, and writes a RecordMerge whose snapshot holds what undo
needs: the kept record's values before, the merged record's values, and the id of every moved row per
table and column. Nothing is lost: a value not chosen stays in the snapshot and on the merged row.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, inspect, or_, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.labels import field_title
from crmdesk.models import Activity, AuditEntry, Customer, Lead, Opportunity, Order, RecordMerge, User
from crmdesk.models.base import Base, utcnow
from crmdesk.models.database import Database
from crmdesk.services.customers import CustomerService
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.entities import EntityService, visible_rows
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.leads import LeadService
from crmdesk.services.uow import Actor, read_session, unit_of_work

SNAPSHOT_VERSION = 1
COMBINE = "combine"  # the choice for a long text: keep every record's text, one after another

_MODELS: dict[str, Any] = {"lead": Lead, "customer": Customer}
_SERVICES: dict[str, type[EntityService]] = {"lead": LeadService, "customer": CustomerService}
# What a lead gives a customer it is folded into: customer field -> lead field (the name is special).
_LEAD_TO_CUSTOMER = {
    "gender": "gender", "phone": "phone", "email": "email", "industry": "industry", "province": "province",
    "city": "city", "address": "residential_area", "owner_id": "owner_id", "notes": "notes",
    "external_id": "external_id",
}
# Handled by the merge itself, never chosen field by field.
_NOT_CHOSEN = {"lead": {"status"}, "customer": {"kind"}}
_CONVERSION_FIELDS = ("status", "converted_at", "customer_id", "opportunity_id")


# ---- results --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldValue:
    record: RecordRef
    value: Any


@dataclass(frozen=True)
class MergeField:
    """One field of the kept record with every record's value; `default` is whose value the merge
    takes unless told otherwise (the newest non-empty one)."""

    name: str
    title: str
    kind: str
    values: tuple[FieldValue, ...]
    default: str  # a record id, or COMBINE

    @property
    def identical(self) -> bool:
        return len({_comparable(v.value) for v in self.values}) <= 1

    def value_of(self, record_id: str) -> Any:
        return next((v.value for v in self.values if v.record.id == record_id), None)


@dataclass(frozen=True)
class MergeRecordInfo:
    ref: RecordRef
    name: str
    updated_at: datetime | None
    created_at: datetime | None


@dataclass(frozen=True)
class MergePreview:
    kept: RecordRef
    merged: tuple[RecordRef, ...]
    records: tuple[MergeRecordInfo, ...]  # kept first
    fields: tuple[MergeField, ...]
    moves: Mapping[str, int]  # "activities" -> rows that will move to the kept record

    def default_choices(self) -> dict[str, str]:
        return {f.name: f.default for f in self.fields}


@dataclass(frozen=True)
class MergeResult:
    kept: RecordRef
    merge_ids: tuple[str, ...]  # one RecordMerge per merged record, in merge order
    changed_fields: tuple[str, ...]
    moved: Mapping[str, int]  # "activities.lead_id" -> rows moved


@dataclass(frozen=True)
class UndoResult:
    merge_id: str
    kept: RecordRef
    restored: RecordRef
    moved_back: int
    kept_later_edits: tuple[str, ...]  # fields edited after the merge: left as the user set them


@dataclass(frozen=True)
class MergeInfo:
    id: str
    at: datetime
    by: str | None
    kept: RecordRef
    kept_name: str
    merged: RecordRef
    merged_name: str
    moved_rows: int
    undone_at: datetime | None


# ---- values in the snapshot -------------------------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$decimal" in value:
            return Decimal(value["$decimal"])
    return value


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _columns(obj: Any) -> dict[str, Any]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


# ---- what points at a record ------------------------------------------------------------------------
def _model_of_table() -> dict[str, Any]:
    return {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}  # type: ignore[attr-defined]


def linked_columns(entity: str) -> list[tuple[Any, str]]:
    """(model, column name) of every foreign key that points at a lead or a customer, read from the
    models, plus the plain-id references that name one (duplicate_of_id)."""
    target = _MODELS[entity].__table__.name
    models = _model_of_table()
    found: list[tuple[Any, str]] = []
    for table in Base.metadata.sorted_tables:
        for fk in sorted(table.foreign_keys, key=lambda k: k.parent.name):
            if fk.column.table.name == target and fk.column.name == "id" and table.name in models:
                found.append((models[table.name], fk.parent.name))
    for model in _MODELS.values():
        found.append((model, "duplicate_of_id"))
    return found


def _source_linked_models() -> list[Any]:
    return [model for model in _model_of_table().values()
            if "source_type" in model.__table__.c and "source_id" in model.__table__.c]


# ---- loading ---------------------------------------------------------------------------------------
def _load_live(session: Session, actor: Actor, ref: RecordRef) -> Any:
    if ref.entity not in _MODELS:
        raise ValueError(f"only leads and customers can be merged, not {ref.entity!r}")
    model = _MODELS[ref.entity]
    obj = session.scalars(select(model).where(model.id == ref.id, visible_rows(actor, model))).first()
    if obj is None:
        raise NotFoundError(ref.entity, ref.id)
    if obj.merged_into_id is not None:
        raise ConflictError(_("This record has already been merged into another one."))
    if obj.deleted_at is not None:
        raise NotFoundError(ref.entity, ref.id)
    return obj


def _check_pairing(kept: RecordRef, merged: Sequence[RecordRef]) -> None:
    if not merged:
        raise ValidationError({"merged": _("Choose at least one record to merge.")})
    for ref in merged:
        if ref.id == kept.id:
            raise ValidationError({"merged": _("A record cannot be merged into itself.")})
        if kept.entity == "lead" and ref.entity == "customer":
            raise ConflictError(_("A customer cannot be merged into a lead; keep the customer instead."))
    if len({ref.id for ref in merged}) != len(merged):
        raise ValidationError({"merged": _("A record is named twice.")})


def _field_value(obj: Any, source_entity: str, kept_entity: str, kept_kind: str | None, field: str) -> Any:
    """The value `obj` (a lead or customer) offers for `field` of the kept record."""
    if source_entity == kept_entity:
        return getattr(obj, field)
    # A lead folded into a customer: the lead's own words where the customer has a field for them;
    # a company customer's name is the lead's company.
    if field == "name":
        return obj.company if kept_kind == "company" and obj.company else obj.name
    source_field = _LEAD_TO_CUSTOMER.get(field)
    return getattr(obj, source_field) if source_field else None


def _chosen_fields(kept: RecordRef, kept_obj: Any, merged_objs: Sequence[tuple[RecordRef, Any]]) -> list[Any]:
    service = _SERVICES[kept.entity]
    skip = set(_NOT_CHOSEN[kept.entity])
    if kept.entity == "lead" and any(o.status == "converted" for _r, o in [(kept, kept_obj), *merged_objs]):
        skip.add("status")
    return [spec for spec in service.fields if spec.name not in skip]


def _build_fields(kept: RecordRef, kept_obj: Any, merged_objs: Sequence[tuple[RecordRef, Any]]) -> list[MergeField]:
    records = [(kept, kept_obj), *merged_objs]
    fields = []
    for spec in _chosen_fields(kept, kept_obj, merged_objs):
        kind = getattr(kept_obj, "kind", None)
        values = [FieldValue(ref, _field_value(obj, ref.entity, kept.entity, kind, spec.name)) for ref, obj in records]
        # The newest non-empty value; the kept record's when none is newer or all are empty.
        stamped = sorted(
            records, key=lambda r: (r[1].updated_at or r[1].created_at or utcnow(), r[0].id == kept.id), reverse=True)
        default = kept.id
        for ref, _obj in stamped:
            value = next(v.value for v in values if v.record.id == ref.id)
            if not _empty(value):
                default = ref.id
                break
        # Never offer the kept record's value as a "change" when it equals the default's.
        kept_value = values[0].value
        chosen_value = next(v.value for v in values if v.record.id == default)
        if _comparable(kept_value) == _comparable(chosen_value):
            default = kept.id
        fields.append(MergeField(spec.name, field_title(kept.entity, spec.name), spec.kind, tuple(values), default))
    return fields


def _count_moves(session: Session, kept: RecordRef, merged: Sequence[RecordRef]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for ref in merged:
        for model, column in linked_columns(ref.entity):
            if column == "duplicate_of_id":
                continue  # a flag, not something the user counts as "moving"
            col = getattr(model, column)
            count = session.scalar(select(func.count()).select_from(model).where(col == ref.id))
            if count:
                counts[model.__tablename__] += int(count)
    return dict(counts)


def merge_preview(db: Database, actor: Actor, kept: RecordRef, merged: Sequence[RecordRef]) -> MergePreview:
    """The records side by side, field by field, with the default choice per field (the newest
    non-empty value, by updated_at) and how many linked rows of each kind will move."""
    merged = list(merged)
    _check_pairing(kept, merged)
    with read_session(db) as session:
        kept_obj = _load_live(session, actor, kept)
        merged_objs = [(ref, _load_live(session, actor, ref)) for ref in merged]
        fields = _build_fields(kept, kept_obj, merged_objs)
        records = tuple(MergeRecordInfo(ref, obj.name, obj.updated_at, obj.created_at)
                        for ref, obj in [(kept, kept_obj), *merged_objs])
        return MergePreview(kept, tuple(merged), records, tuple(fields), _count_moves(session, kept, merged))


# ---- merging ---------------------------------------------------------------------------------------
def _resolve_choices(fields: Sequence[MergeField], choices: Mapping[str, str], ids: set[str]) -> dict[str, str]:
    by_name = {f.name: f for f in fields}
    unknown = set(choices) - set(by_name)
    if unknown:
        raise KeyError(f"fields that cannot be chosen: {sorted(unknown)}")
    resolved = {f.name: f.default for f in fields}
    for name, source in choices.items():
        if source == COMBINE:
            if by_name[name].kind != "longtext":
                raise ValidationError({name: _("Only long texts can be combined.")})
        elif source not in ids:
            raise ValidationError({name: _("Choose one of the records being merged.")})
        resolved[name] = source
    return resolved


def _combined(field: MergeField) -> str | None:
    texts: list[str] = []
    for item in field.values:
        text = (item.value or "").strip() if isinstance(item.value, str) else ""
        if text and text not in texts:
            texts.append(text)
    return "\n\n".join(texts) or None


def _move(session: Session, model: Any, column: str, rows_where: Any, to: Any,
          moves: list[dict[str, Any]]) -> int:
    """Point `column` of the rows matched at `to`, through ORM objects (so search columns, stamps and
    the audit log follow), noting each row's old value for undo."""
    moved: dict[Any, list[str]] = defaultdict(list)
    for obj in session.scalars(select(model).where(rows_where).order_by(model.id)):
        old = getattr(obj, column)
        if old == to:
            continue
        setattr(obj, column, to)
        moved[_json_key(old)].append(obj.id)
    for old_key, ids in moved.items():
        moves.append({"table": model.__tablename__, "column": column, "from": json.loads(old_key),
                      "to": _encode(to), "ids": ids})
    return sum(len(ids) for ids in moved.values())


def _json_key(value: Any) -> str:
    return json.dumps(_encode(value), sort_keys=True)


def _merge_one(db: Database, session: Session, actor: Actor, kept: RecordRef, kept_obj: Any, ref: RecordRef, obj: Any,
               fields: Sequence[MergeField], resolved: Mapping[str, str]) -> tuple[RecordMerge, list[str], dict[str, int]]:
    before = {k: _encode(v) for k, v in _columns(kept_obj).items()}
    merged_values = {k: _encode(v) for k, v in _columns(obj).items()}
    changes: dict[str, Any] = {}
    for field in fields:
        source = resolved[field.name]
        if source == COMBINE:
            value = _combined(field)
        elif source == ref.id:
            value = field.value_of(ref.id)
        else:
            continue
        if _comparable(value) != _comparable(getattr(kept_obj, field.name)):
            changes[field.name] = value
    # The same checks as a form's edit (a lead needs a phone or an e-mail, a lost customer a reason, ...).
    cleaned = _SERVICES[kept.entity](db)._validate(session, actor, changes, kept_obj) if changes else {}
    for key, value in cleaned.items():
        setattr(kept_obj, key, value)
    # A lead merged into a lead: the conversion (customer, deal) goes with whichever lead had one.
    if kept.entity == "lead" and ref.entity == "lead" and kept_obj.customer_id is None and obj.customer_id:
        for key in _CONVERSION_FIELDS:
            setattr(kept_obj, key, getattr(obj, key))
    moves: list[dict[str, Any]] = []
    counts: dict[str, int] = defaultdict(int)
    for model, column in linked_columns(ref.entity):
        target_column = column
        if ref.entity == "lead" and kept.entity == "customer":
            if model is not Activity or column != "lead_id":
                if column == "duplicate_of_id":
                    counts[f"{model.__tablename__}.{column}"] += _move(
                        session, model, column, getattr(model, column) == ref.id, kept.id, moves)
                continue
            # A lead's follow-ups become the customer's.
            target_column = "customer_id"
            ids = list(session.scalars(select(model.id).where(model.lead_id == ref.id)))
            if ids:
                counts[f"{model.__tablename__}.customer_id"] += _move(
                    session, model, target_column, model.id.in_(ids), kept.id, moves)
                counts[f"{model.__tablename__}.lead_id"] += _move(
                    session, model, "lead_id", model.id.in_(ids), None, moves)
            continue
        if model is _MODELS[ref.entity] and column == "duplicate_of_id":
            where = (getattr(model, column) == ref.id) & (model.id != kept.id)
        else:
            where = getattr(model, column) == ref.id
        counts[f"{model.__tablename__}.{target_column}"] += _move(session, model, column, where, kept.id, moves)
    if kept.entity == ref.entity:
        # Rows derived from the merged record (a deal from a lead, ...) now name the kept one as source.
        for model in _source_linked_models():
            where = (model.source_type == ref.entity) & (model.source_id == ref.id)
            counts[f"{model.__tablename__}.source_id"] += _move(session, model, "source_id", where, kept.id, moves)
    if kept.entity == "customer":
        # Deals and orders carry a copy of the customer's name for their lists.
        for model in (Opportunity, Order):
            where = (model.customer_id == kept.id) & (model.customer_name != kept_obj.name)
            counts[f"{model.__tablename__}.customer_name"] += _move(
                session, model, "customer_name", where, kept_obj.name, moves)
    obj.merged_into_id = kept.id
    obj.deleted_at = utcnow()
    session.flush()
    after = {k: _encode(getattr(kept_obj, k)) for k, v in before.items() if _encode(getattr(kept_obj, k)) != v
             and k not in ("updated_at", "updated_by", "name_pinyin", "name_initials", "phone_rev", "search_body")}
    record = RecordMerge(
        entity_type=kept.entity, kept_id=kept.id, merged_type=ref.entity, merged_id=ref.id,
        reason=None,
        snapshot=json.dumps({
            "version": SNAPSHOT_VERSION,
            "kept": {"entity": kept.entity, "id": kept.id, "before": before, "after": after},
            "merged": {"entity": ref.entity, "id": ref.id, "values": merged_values},
            "choices": {name: source for name, source in resolved.items()},
            "moves": moves,
        }, ensure_ascii=False, sort_keys=True),
    )
    session.add(record)
    session.flush()
    now = utcnow()
    session.add(AuditEntry(at=now, user_id=actor.user_id, action="merge", entity_type=kept_obj.__tablename__,
                           entity_id=kept.id, field="merged_id", old_value=None, new_value=ref.id))
    session.add(AuditEntry(at=now, user_id=actor.user_id, action="merge", entity_type=obj.__tablename__,
                           entity_id=ref.id, field="merged_into_id", old_value=None, new_value=kept.id))
    return record, sorted(after), {k: v for k, v in counts.items() if v}


def merge_records(db: Database, actor: Actor, kept: RecordRef, merged: RecordRef | Sequence[RecordRef],
                  choices: Mapping[str, str] | None = None) -> MergeResult:
    """Fold `merged` into `kept` in one unit of work (all or nothing).

    `choices` maps a field to the id of the record whose value the kept record takes (or COMBINE for
    a long text); fields not named take the preview's default, the newest non-empty value.
    """
    merged_list = [merged] if isinstance(merged, RecordRef) else list(merged)
    _check_pairing(kept, merged_list)
    with unit_of_work(db, actor) as session:
        kept_obj = _load_live(session, actor, kept)
        merged_objs = [(ref, _load_live(session, actor, ref)) for ref in merged_list]
        fields = _build_fields(kept, kept_obj, merged_objs)
        resolved = _resolve_choices(fields, choices or {}, {kept.id, *(ref.id for ref in merged_list)})
        merge_ids: list[str] = []
        changed: set[str] = set()
        moved: dict[str, int] = defaultdict(int)
        for ref, obj in merged_objs:
            record, fields_changed, counts = _merge_one(db, session, actor, kept, kept_obj, ref, obj, fields, resolved)
            merge_ids.append(record.id)
            changed.update(fields_changed)
            for key, count in counts.items():
                moved[key] += count
        return MergeResult(kept, tuple(merge_ids), tuple(sorted(changed)), dict(moved))


# ---- undo ------------------------------------------------------------------------------------------
def undo_merge(db: Database, actor: Actor, merge_id: str) -> UndoResult:
    """Give the merged record back its life and its rows, and the kept record its values before.

    Refused when already undone, when the kept record is gone (deleted or merged on), or when a later
    merge into it is still in place (undo that first). A field of the kept record edited since the
    merge keeps the later edit.
    """
    models = _model_of_table()
    with unit_of_work(db, actor) as session:
        record = session.get(RecordMerge, merge_id)
        if record is None or record.deleted_at is not None:
            raise NotFoundError("merge", merge_id)
        kept_model = _MODELS[record.entity_type]
        if session.scalar(select(kept_model.id).where(kept_model.id == record.kept_id,
                                                      visible_rows(actor, kept_model))) is None:
            raise NotFoundError("merge", merge_id)  # a merge into a record outside the actor's scope
        if record.undone_at is not None:
            raise ConflictError(_("This merge has already been undone."))
        snapshot = json.loads(record.snapshot)
        kept_ref = RecordRef(record.entity_type, record.kept_id)
        merged_ref = RecordRef(record.merged_type, record.merged_id)
        kept_obj = session.get(_MODELS[kept_ref.entity], kept_ref.id)
        merged_obj = session.get(_MODELS[merged_ref.entity], merged_ref.id)
        if kept_obj is None or kept_obj.deleted_at is not None:
            raise ConflictError(_("The kept record has been deleted or merged since; this merge cannot be undone."))
        if merged_obj is None or merged_obj.merged_into_id != kept_ref.id:
            raise ConflictError(_("The merged record has changed since; this merge cannot be undone."))
        later = session.scalar(select(func.count()).select_from(RecordMerge).where(
            RecordMerge.kept_id == kept_ref.id, RecordMerge.undone_at.is_(None), RecordMerge.deleted_at.is_(None),
            (RecordMerge.created_at > record.created_at)
            | ((RecordMerge.created_at == record.created_at) & (RecordMerge.id > record.id))))
        if later:
            raise ConflictError(_("A later merge into this record is still in place; undo that one first."))
        before = snapshot["kept"]["before"]
        after = snapshot["kept"]["after"]
        kept_later_edits = []
        for key, written in after.items():
            current = _encode(getattr(kept_obj, key))
            if current != written:
                kept_later_edits.append(key)  # edited after the merge: the user's later word stands
                continue
            setattr(kept_obj, key, _decode(before[key]))
        moved_back = 0
        for move in reversed(snapshot["moves"]):
            model = models[move["table"]]
            column = move["column"]
            target = _decode(move["to"])
            for obj in session.scalars(select(model).where(model.id.in_(move["ids"]))):
                if getattr(obj, column) == target:  # a row moved on again since stays where it is now
                    setattr(obj, column, _decode(move["from"]))
                    moved_back += 1
        merged_obj.merged_into_id = None
        merged_obj.deleted_at = None
        record.undone_at = utcnow()
        record.undone_by = actor.user_id
        now = utcnow()
        session.add(AuditEntry(at=now, user_id=actor.user_id, action="unmerge", entity_type=kept_obj.__tablename__,
                               entity_id=kept_ref.id, field="merged_id", old_value=merged_ref.id, new_value=None))
        session.add(AuditEntry(at=now, user_id=actor.user_id, action="unmerge",
                               entity_type=merged_obj.__tablename__, entity_id=merged_ref.id,
                               field="merged_into_id", old_value=kept_ref.id, new_value=None))
        session.flush()
        return UndoResult(merge_id, kept_ref, merged_ref, moved_back, tuple(sorted(kept_later_edits)))


# ---- history ---------------------------------------------------------------------------------------
def list_merges(db: Database, actor: Actor, *, record_id: str | None = None, include_undone: bool = True,
                offset: int = 0, limit: int = 50) -> list[MergeInfo]:
    """Merges newest first (of one record, kept or merged, when `record_id` is given): those whose kept record
    is in the actor's data scope (the merged one's values live on in it)."""
    with read_session(db) as session:
        kept_in_scope = [and_(RecordMerge.entity_type == kind, RecordMerge.kept_id.in_(
            select(model.id).where(visible_rows(actor, model)).scalar_subquery())) for kind, model in _MODELS.items()]
        statement = select(RecordMerge).where(RecordMerge.deleted_at.is_(None), or_(*kept_in_scope))
        if record_id:
            statement = statement.where((RecordMerge.kept_id == record_id) | (RecordMerge.merged_id == record_id))
        if not include_undone:
            statement = statement.where(RecordMerge.undone_at.is_(None))
        statement = statement.order_by(RecordMerge.created_at.desc(), RecordMerge.id.desc()).offset(offset).limit(limit)
        merges = list(session.scalars(statement))
        users = {u.id: u.display_name for u in session.scalars(
            select(User).where(User.id.in_({m.created_by for m in merges if m.created_by})))}
        infos = []
        for merge in merges:
            snapshot = json.loads(merge.snapshot)
            kept_name = _current_name(session, merge.entity_type, merge.kept_id) or snapshot["kept"]["before"].get("name")
            infos.append(MergeInfo(
                id=merge.id, at=merge.created_at, by=users.get(merge.created_by or ""),
                kept=RecordRef(merge.entity_type, merge.kept_id), kept_name=str(kept_name or ""),
                merged=RecordRef(merge.merged_type, merge.merged_id),
                merged_name=str(snapshot["merged"]["values"].get("name") or ""),
                moved_rows=sum(len(m["ids"]) for m in snapshot["moves"]), undone_at=merge.undone_at,
            ))
        return infos


def _current_name(session: Session, entity: str, record_id: str) -> str | None:
    model = _MODELS.get(entity)
    return session.scalar(select(model.name).where(model.id == record_id)) if model is not None else None


def resolve_ref(db: Database, actor: Actor, record_id: str, entity: str | None = None) -> RecordRef:
    """The lead or customer an id names (ids are unique across tables), for callers that have only
    the id (the command line)."""
    with read_session(db) as session:
        for kind in ((entity,) if entity else tuple(_MODELS)):
            if kind not in _MODELS:
                raise ValueError(f"only leads and customers can be merged, not {kind!r}")
            model = _MODELS[kind]
            if session.scalar(select(model.id).where(model.id == record_id, visible_rows(actor, model))) is not None:
                return RecordRef(kind, record_id)
    raise NotFoundError(entity or "record", record_id)
