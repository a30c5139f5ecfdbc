"""Declarative base, column types and the columns every synced row carries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import uuid6
from sqlalchemy import BigInteger, Date, DateTime, Dialect, Index, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so Alembic migrations (and batch mode on SQLite) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

FEN = Decimal("0.01")


def new_id() -> str:
    """A UUIDv7 string: made on the client, time-ordered, never collides across devices."""
    return str(uuid6.uuid7())


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_fen(amount: Decimal | int | str) -> int:
    """Decimal yuan -> integer fen, rounding half up to the fen as Chinese invoices do."""
    value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    return int((value.quantize(FEN, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


class Money(TypeDecorator[Decimal]):
    """Money stored as integer fen (no float drift, exact sums in SQL), surfaced as Decimal yuan."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return to_fen(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return from_fen(int(value))


class Quantity(TypeDecorator[Decimal]):
    """Quantities with three decimals (0.001 unit), stored as an integer count of thousandths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) * 1000).to_integral_value())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 1000).quantize(Decimal("0.001"))


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes; SQLite keeps no zone, so it is stripped on write and restored on read."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime: crmdesk stores UTC-aware times only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL paths on SQLite
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012  (SQLAlchemy reads this class attribute)
        datetime: UTCDateTime(),
        date: Date(),
        Decimal: Money(),
        str: String(),
    }


class SyncedMixin:
    """Columns every business row carries so it can be synced, audited and soft-deleted.

    - id: UUIDv7 made on the client
    - created_at / updated_at: UTC
    - created_by / updated_by: the acting user's id (stamped by the unit of work)
    - deleted_at: tombstone time; rows are never removed, so a delete can travel to other devices
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_by: Mapped[str | None] = mapped_column(String(36))
    updated_by: Mapped[str | None] = mapped_column(String(36))
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class SourceLinkMixin:
    """The object this one was derived from (lead -> opportunity -> quote -> contract -> order)."""

    source_type: Mapped[str | None] = mapped_column(String(32))
    source_id: Mapped[str | None] = mapped_column(String(36), index=True)


def add_list_indexes(model: type[Base], columns: tuple[str, ...]) -> None:
    """One index per column a list sorts or filters by, on live rows only (every list hides
    tombstones), each ending in id so ORDER BY col, id walks the index with no temporary B-tree."""
    table: Any = model.__table__
    for column in columns:
        Index(
            f"ix_{table.name}_live_{column}",
            table.c[column],
            table.c.id,
            sqlite_where=table.c.deleted_at.is_(None),
            postgresql_where=table.c.deleted_at.is_(None),
        )
