"""Team-wide configuration (scoring, assignment and duplicate rules, lists) and the merge ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, SyncedMixin


class SharedSetting(SyncedMixin, Base):
    """One named piece of team configuration, as JSON; synced, so every device applies the same rules."""

    __tablename__ = "shared_settings"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


class RecordMerge(SyncedMixin, Base):
    """A merge of one lead or customer into another, with what it takes to undo it.

    `snapshot` (JSON) holds the kept record's values before the merge, the merged record's values, and
    the ids of every linked row the merge moved, per table and column.
    """

    __tablename__ = "record_merges"

    entity_type: Mapped[str] = mapped_column(String(20))  # lead / customer
    kept_id: Mapped[str] = mapped_column(String(36), index=True)
    merged_type: Mapped[str] = mapped_column(String(20))  # lead / customer: a lead can fold into a customer
    merged_id: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    snapshot: Mapped[str] = mapped_column(Text)
    undone_at: Mapped[datetime | None]
    undone_by: Mapped[str | None] = mapped_column(String(36))


class DuplicateDismissal(SyncedMixin, Base):
    """Two records a user said are not the same person or company: no longer offered as duplicates."""

    __tablename__ = "duplicate_dismissals"
    __table_args__ = (UniqueConstraint("first_id", "second_id"),)

    first_type: Mapped[str] = mapped_column(String(20))
    first_id: Mapped[str] = mapped_column(String(36))  # the smaller id of the pair
    second_type: Mapped[str] = mapped_column(String(20))
    second_id: Mapped[str] = mapped_column(String(36), index=True)
