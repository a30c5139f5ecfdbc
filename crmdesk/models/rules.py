"""Team-wide configuration (scoring, assignment and duplicate rules, lists) and the merge ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
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


class DuplicateIndexPair(Base):
    """One scored pair of the duplicate index: derived from the leads, customers and dismissals on this
    device (rebuilt from them at any time), never synced. `scope` is the scan it belongs to (all /
    lead / customer); the pair is ordered as the scan orders it, by (type, id); `group_key` names its
    DuplicateIndexGroup; the stamps are the two records' updated_at as stored."""

    __tablename__ = "duplicate_pairs"
    __table_args__ = (Index("ix_duplicate_pairs_scope_second_id", "scope", "second_id"),
                      Index("ix_duplicate_pairs_scope_group_key", "scope", "group_key"))

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    first_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    second_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_type: Mapped[str] = mapped_column(String(20))
    second_type: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of rule keys
    first_stamp: Mapped[str] = mapped_column(String(32))
    second_stamp: Mapped[str] = mapped_column(String(32))
    group_key: Mapped[str] = mapped_column(String(64))


class DuplicateIndexGroup(Base):
    """One group of the duplicate index (its pairs joined), ranked as the duplicates view lists them:
    best score first, then the newest member's updated_at, then the key (the smallest "type:id")."""

    __tablename__ = "duplicate_groups"
    __table_args__ = (Index("ix_duplicate_groups_scope_score_newest", "scope", "score", "newest"),)

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    newest: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)  # members


class DuplicateIndexKey(Base):
    """Block keys the duplicate index keeps to stay exact when it is updated record by record: the keys
    shared by too many records to count (kind phone / uscc / name_city / company, record_id ''), and the
    records without a phone that make a name-and-city block (kind name_city_seed). Derived, never synced."""

    __tablename__ = "duplicate_index_keys"
    __table_args__ = (Index("ix_duplicate_index_keys_scope_record_id", "scope", "record_id"),)

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
