"""Create, edit, soft-delete, get and list (paged, sorted, filtered in SQL) for one kind of record.

Each concrete service (leads, customers, ...) declares its fields and list columns; this module
holds the shared mechanics so every entity validates, stamps, scopes and pages the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Select, false, func, inspect, or_, select, true
from sqlalchemy.orm import Session

from crmdesk.i18n import SERVICES_CONTEXT, _, current_language, translate
from crmdesk.labels import QT_TRANSLATE_NOOP
from crmdesk.models import (
    Contact,
    Contract,
    Customer,
    Opportunity,
    Order,
    Payment,
    PaymentPlan,
    Quote,
    Stage,
    User,
)
from crmdesk.models.base import Base, utcnow
from crmdesk.models.database import Database
from crmdesk.services import search_index
from crmdesk.services.errors import NotFoundError, ValidationError
from crmdesk.services.fields import FieldSpec, collect_clean_values
from crmdesk.services.permissions import require
from crmdesk.services.personal_data import is_mask_of, mask_value, masked_fields
from crmdesk.services.uow import Actor, read_session, unit_of_work

# Search helpers kept by the unit of work; not part of what a record shows.
_DERIVED_COLUMNS = frozenset({"name_pinyin", "name_initials", "phone_rev"})


@dataclass(frozen=True)
class Record:
    """A read-only snapshot of one row: plain values, safe to hand to any thread or view."""

    entity: str
    id: str
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(frozen=True)
class ListColumn:
    """A column of a list: `key` names it for views; `sort` is the SQL it sorts by (pinyin for names).

    kind tells a view how to show the value: text, money, date, datetime, int, code, user.
    """

    key: str
    kind: str = "text"
    sort: str | None = None  # model attribute to sort by, if not the column itself


@dataclass(frozen=True)
class ListQuery:
    sort_key: str | None = None
    descending: bool = False
    search: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)


# What each reference field points at, and what to say when it points at nothing.
_REFERENCES: dict[str, Any] = {
    "owner_id": User, "customer_id": Customer, "contact_id": Contact, "stage_id": Stage,
    "contract_id": Contract, "opportunity_id": Opportunity,
}
_ANY_REFERENCE_MESSAGE = QT_TRANSLATE_NOOP("services", "Choose an existing record.")
_REFERENCE_MESSAGES = {
    "owner_id": QT_TRANSLATE_NOOP("services", "Choose an existing user."),
    "customer_id": QT_TRANSLATE_NOOP("services", "Choose an existing customer."),
    "stage_id": QT_TRANSLATE_NOOP("services", "Choose a stage."),
}


def check_customer_reference(session: Session, values: dict[str, Any], errors: dict[str, str]) -> None:
    """For records that belong to a customer: the customer must exist; its name is copied for lists."""
    if "customer_id" not in values:
        return
    customer = session.get(Customer, values["customer_id"])
    if customer is None or customer.deleted_at is not None:
        errors.setdefault("customer_id", _("Choose an existing customer."))
    else:
        values["customer_name"] = customer.name


def visible_rows(actor: Actor, model: Any) -> ColumnElement[bool]:
    """The rows of `model` that `actor` may see: the one place data scope is decided, so lists, search,
    reports, exports, documents and the CLI all obey the same rule.

    A role without "see" sees nothing. Scope "all" sees every row; "own" the rows the actor owns; "team"
    those owned by anyone of the actor's team (or marked with the team; with no team, by anyone without
    one). Customers without an owner are the
    public pool, which every role sees (to claim from it). A row without an owner is seen when the record
    it belongs to is seen (a contact by its customer, a quote line by its quote, ...). Reference data
    (stages, products, users, targets, settings) is everyone's.
    """
    if not actor.may("see"):
        return false()
    if actor.scope == "all":
        return true()
    return _in_scope(actor, model)


# Where a row without an owner of its own belongs, in the order they are tried.
_PARENTS: tuple[tuple[str, Any], ...] = (
    ("customer_id", Customer), ("opportunity_id", Opportunity), ("quote_id", Quote), ("order_id", Order),
    ("contract_id", Contract), ("plan_id", PaymentPlan), ("payment_id", Payment),
)
_EVERYONES = frozenset({"targets", "users", "teams", "territories", "stages", "pipelines", "products",
                        "price_lists", "price_list_items", "shared_settings", "contract_templates"})


def _owned(actor: Actor, owner: Any) -> ColumnElement[bool]:
    if actor.scope == "team":
        # A book without teams is one team: a manager with no team sees the users who have none either.
        same_team = User.team_id == actor.team_id if actor.team_id else User.team_id.is_(None)
        return or_(owner == actor.user_id, owner.in_(select(User.id).where(same_team).scalar_subquery()))
    return owner == actor.user_id


def _in_scope(actor: Actor, model: Any) -> ColumnElement[bool]:
    if getattr(model, "__tablename__", "") in _EVERYONES:
        return true()
    if model is Customer:
        return or_(_owned(actor, Customer.owner_id), Customer.owner_id.is_(None))
    if hasattr(model, "owner_id"):
        condition = _owned(actor, model.owner_id)
        if actor.scope == "team" and actor.team_id and hasattr(model, "team_id"):
            condition = or_(condition, model.team_id == actor.team_id)
        return condition
    for column, parent in _PARENTS:
        if hasattr(model, column):
            return getattr(model, column).in_(select(parent.id).where(_in_scope(actor, parent)).scalar_subquery())
    return true()


class EntityService:
    model: ClassVar[type[Base]]
    entity: ClassVar[str]
    fields: ClassVar[tuple[FieldSpec, ...]]
    columns: ClassVar[tuple[ListColumn, ...]]
    filterable: ClassVar[tuple[str, ...]] = ()
    default_sort: ClassVar[tuple[str, bool]] = ("created_at", True)
    owner_defaults_to_actor: ClassVar[bool] = True
    # Personal data shown masked (138****5678) to roles that may not see it, on every read path
    # (get, lists, exports); a service whose model lacks one of these columns just has none of it.
    masked: ClassVar[tuple[str, ...]] = ("phone", "id_number")

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- reading -------------------------------------------------------------------------
    def _to_record(self, obj: Any) -> Record:
        values = {
            attr.key: getattr(obj, attr.key)
            for attr in inspect(obj).mapper.column_attrs
            if attr.key not in _DERIVED_COLUMNS
        }
        return Record(self.entity, obj.id, MappingProxyType(values))

    def _load(self, session: Session, actor: Actor, entity_id: str) -> Any:
        model: Any = self.model
        obj = session.scalars(
            select(model).where(model.id == entity_id, model.deleted_at.is_(None), visible_rows(actor, model))
        ).first()
        if obj is None:
            raise NotFoundError(self.entity, entity_id)
        return obj

    def get(self, actor: Actor, entity_id: str) -> Record:
        with read_session(self.db) as session:
            record = self._to_record(self._load(session, actor, entity_id))
        return self._mask_record(actor, record)

    # ---- personal data -------------------------------------------------------------------
    def masked_for(self, actor: Actor) -> tuple[str, ...]:
        """The columns `actor` reads masked from this service (none for roles that see personal data)."""
        return masked_fields(self.db, actor, (name for name in self.masked if hasattr(self.model, name)))

    def _mask_record(self, actor: Actor, record: Record) -> Record:
        hidden = [name for name in self.masked_for(actor) if record.values.get(name)]
        if not hidden:
            return record
        values = dict(record.values)
        for name in hidden:
            values[name] = mask_value(name, values[name])
        return Record(record.entity, record.id, MappingProxyType(values))

    def _row_masker(self, actor: Actor) -> Any:
        """A function masking list rows (id, *columns) for `actor`, or None when nothing is masked."""
        hidden = self.masked_for(actor)
        positions = [(index, column.key) for index, column in enumerate(self.columns, start=1)
                     if column.key in hidden]
        if not positions:
            return None

        def mask(rows: list[tuple]) -> list[tuple]:
            masked_rows = []
            for row in rows:
                values = list(row)
                for index, name in positions:
                    values[index] = mask_value(name, values[index])
                masked_rows.append(tuple(values))
            return masked_rows

        return mask

    def _where(self, actor: Actor, query: ListQuery) -> list[ColumnElement[bool]] | None:
        model: Any = self.model
        conditions: list[ColumnElement[bool]] = [model.deleted_at.is_(None), visible_rows(actor, model)]
        for key, value in query.filters.items():
            if key not in self.filterable:
                raise KeyError(f"{self.entity} cannot be filtered by {key}")
            column = getattr(model, key)
            conditions.append(column.is_(None) if value is None else column == value)
        if query.search.strip():
            condition = search_index.match_condition(model, self.entity, query.search)
            if condition is None:
                return None  # the query cannot match anything (e.g. 2 digits)
            conditions.append(condition)
        return conditions

    def count(self, actor: Actor, query: ListQuery) -> int:
        conditions = self._where(actor, query)
        if conditions is None:
            return 0
        model: Any = self.model
        with read_session(self.db) as session:
            return int(session.execute(select(func.count()).select_from(model).where(*conditions)).scalar_one())

    def _sort_column(self, key: str | None) -> Any:
        model: Any = self.model
        key = key or self.default_sort[0]
        for column in self.columns:
            if column.key == key:
                return getattr(model, column.sort or column.key)
        if key in ("created_at", "updated_at"):
            return getattr(model, key)
        raise KeyError(f"{self.entity} cannot be sorted by {key}")

    def page(self, actor: Actor, query: ListQuery, offset: int, limit: int, total: int | None = None) -> list[tuple]:
        """Rows offset..offset+limit in the list's order, each (id, *column values).

        With `total` known, pages past the middle are read from the far end of the index, so the
        end of a million-row list comes as fast as its start.
        """
        conditions = self._where(actor, query)
        if conditions is None or limit <= 0:
            return []
        model: Any = self.model
        sort = self._sort_column(query.sort_key)
        descending = query.descending if query.sort_key else self.default_sort[1]
        selected = [model.id, *(getattr(model, column.key) for column in self.columns)]
        statement: Select[Any] = select(*selected).where(*conditions)
        flip = total is not None and offset > total // 2
        if flip:
            assert total is not None
            limit = min(limit, max(total - offset, 0))
            offset = max(total - offset - limit, 0)
            descending = not descending
        order = [sort.desc(), model.id.desc()] if descending else [sort.asc(), model.id.asc()]
        statement = statement.order_by(*order).offset(offset).limit(limit)
        with read_session(self.db) as session:
            rows = [tuple(row) for row in session.execute(statement)]
            rows = self._resolve_users(session, rows)
        if flip:
            rows.reverse()
        mask = self._row_masker(actor)
        return mask(rows) if mask is not None else rows

    def iter_rows(self, actor: Actor, query: ListQuery, batch: int = 2000) -> Iterator[list[tuple]]:
        """Every row of the list in its order, in batches, from one query: for exports of any size
        (memory stays at one batch; no OFFSET walks)."""
        conditions = self._where(actor, query)
        if conditions is None:
            return
        model: Any = self.model
        sort = self._sort_column(query.sort_key)
        descending = query.descending if query.sort_key else self.default_sort[1]
        order = [sort.desc(), model.id.desc()] if descending else [sort.asc(), model.id.asc()]
        statement = (
            select(model.id, *(getattr(model, column.key) for column in self.columns))
            .where(*conditions)
            .order_by(*order)
        )
        mask = self._row_masker(actor)
        with read_session(self.db) as session:
            result = session.execute(statement.execution_options(yield_per=batch))
            for rows in result.partitions(batch):
                resolved = self._resolve_users(session, [tuple(row) for row in rows])
                yield mask(resolved) if mask is not None else resolved

    def _resolve_users(self, session: Session, rows: list[tuple]) -> list[tuple]:
        """Show names, not ids, in 'user' and 'stage' columns: one small query per page, no join."""
        lookups: dict[int, dict[Any, str]] = {}
        for index, column in enumerate(self.columns, start=1):
            ids = {row[index] for row in rows if row[index]}
            if not ids or column.kind not in ("user", "stage"):
                continue
            if column.kind == "user":
                statement = select(User.id, User.display_name).where(User.id.in_(ids))
            else:
                name = Stage.name_en if current_language() == "en" else Stage.name_zh
                statement = select(Stage.id, name).where(Stage.id.in_(ids))
            lookups[index] = {key: value for key, value in session.execute(statement)}
        if not lookups:
            return rows
        return [
            tuple(lookups[i].get(value, value) if i in lookups and value else value for i, value in enumerate(row))
            for row in rows
        ]

    def position_of(self, actor: Actor, query: ListQuery, entity_id: str) -> int | None:
        """The row number of a record in the list as sorted (to select it after a save), or None."""
        conditions = self._where(actor, query)
        if conditions is None:
            return None
        model: Any = self.model
        sort = self._sort_column(query.sort_key)
        descending = query.descending if query.sort_key else self.default_sort[1]
        with read_session(self.db) as session:
            target = session.execute(select(sort, model.id).where(model.id == entity_id, *conditions)).first()
            if target is None:
                return None
            value, target_id = target
            # SQLite sorts NULL first ascending and last descending.
            if value is None and descending:
                before = sort.is_not(None) | (sort.is_(None) & (model.id > target_id))
            elif value is None:
                before = sort.is_(None) & (model.id < target_id)
            elif descending:
                before = (sort > value) | ((sort == value) & (model.id > target_id))
            else:
                before = (sort < value) | ((sort == value) & (model.id < target_id)) | sort.is_(None)
            count = session.execute(select(func.count()).select_from(model).where(*conditions, before)).scalar_one()
            return int(count)

    # ---- writing -------------------------------------------------------------------------
    def _check(self, session: Session, actor: Actor, values: dict[str, Any], obj: Any | None,
               errors: dict[str, str]) -> None:
        """Rules across fields and records (references, reasons a status needs, ...): add a message to
        `errors` for each broken one, keeping a field's own message if it already has one. `values` holds
        only the fields that passed their own checks; derived values may be added to it."""

    def _validate(self, session: Session, actor: Actor, values: Mapping[str, Any], obj: Any | None) -> dict[str, Any]:
        """Every field's own check, then the cross checks on what passed: one ValidationError naming
        every bad field, so the user sees all of them at once."""
        cleaned, errors = collect_clean_values(self.fields, values, partial=obj is not None)
        self._check_references(session, cleaned, errors)
        self._check(session, actor, cleaned, obj, errors)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def _check_references(self, session: Session, cleaned: dict[str, Any], errors: dict[str, str]) -> None:
        """A reference must name a live record (an owner who exists, a stage that exists, ...)."""
        for spec in self.fields:
            target_id = cleaned.get(spec.name) if spec.kind == "ref" else None
            if target_id is None:
                continue
            target = session.get(_REFERENCES[spec.name], target_id)
            if target is None or target.deleted_at is not None:
                del cleaned[spec.name]
                message = _REFERENCE_MESSAGES.get(spec.name, _ANY_REFERENCE_MESSAGE)
                errors.setdefault(spec.name, translate(SERVICES_CONTEXT, message))

    def create(self, actor: Actor, values: Mapping[str, Any]) -> Record:
        require(actor, "create")
        with unit_of_work(self.db, actor) as session:
            cleaned = self._validate(session, actor, values, None)
            if self.owner_defaults_to_actor and cleaned.get("owner_id") is None:
                cleaned["owner_id"] = actor.user_id
            obj = self.model(**cleaned)
            session.add(obj)
            session.flush()
            self._after_create(session, actor, obj)
            session.flush()
            record = self._to_record(obj)
        return self._mask_record(actor, record)

    def _after_create(self, session: Session, actor: Actor, obj: Any) -> None:
        pass

    def update(self, actor: Actor, entity_id: str, changes: Mapping[str, Any]) -> Record:
        require(actor, "edit")
        with unit_of_work(self.db, actor) as session:
            obj = self._load(session, actor, entity_id)
            # A form shows a masked number as 138****5678 and may send it back unchanged: that is no edit.
            changes = {key: value for key, value in changes.items()
                       if not (key in self.masked and is_mask_of(key, value, getattr(obj, key, None)))}
            cleaned = self._validate(session, actor, changes, obj)
            for key, value in cleaned.items():
                setattr(obj, key, self._blank_value(key) if value is None else value)
            self._after_update(session, actor, obj, cleaned)
            session.flush()
            record = self._to_record(obj)
        return self._mask_record(actor, record)

    def _after_update(self, session: Session, actor: Actor, obj: Any, changes: dict[str, Any]) -> None:
        pass

    def _blank_value(self, key: str) -> Any:
        """What a field emptied in an edit holds: nothing, or for a column that must hold a value its
        default (a deal's amount 0, a contact not primary), as a new record gets it."""
        column = self.model.__table__.columns.get(key)
        if column is None or column.nullable or column.default is None or not column.default.is_scalar:
            return None
        return column.default.arg

    def delete(self, actor: Actor, entity_id: str) -> None:
        """Soft delete: the row keeps a tombstone time, so the delete can travel to other devices."""
        require(actor, "delete")
        with unit_of_work(self.db, actor) as session:
            obj = self._load(session, actor, entity_id)
            obj.deleted_at = utcnow()

    def delete_many(self, actor: Actor, entity_ids: Sequence[str]) -> int:
        require(actor, "delete")
        with unit_of_work(self.db, actor) as session:
            now = utcnow()
            for entity_id in entity_ids:
                self._load(session, actor, entity_id).deleted_at = now
        return len(entity_ids)
