"""This device's side of sync: the outbox of captured changes, its hybrid logical clock, and the conflicts
syncing found (see crmdesk.models.sync_capture for how changes are captured)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, new_id, utcnow


class SyncOutboxEntry(Base):
    """One captured change: which row, which columns ("*" a new row, "-" a hard delete, else a JSON array
    of names) and its HLC stamp. change_id is given when a push first takes the entry into a batch and is
    kept, so a push cut off and rerun sends the same change ids (the hub skips those it has)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_change_id", "change_id"), {"sqlite_autoincrement": True})

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    fields: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[str | None] = mapped_column(String(36))
    change_id: Mapped[str | None] = mapped_column(String(36))


class SyncClock(Base):
    """The one row of this device's hybrid logical clock (ms since 1970 and a counter); `applying` is 1
    only inside the transaction that applies pulled changes (the capture triggers then stay quiet)."""

    __tablename__ = "sync_clock"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    physical: Mapped[int] = mapped_column(Integer)
    counter: Mapped[int] = mapped_column(Integer)
    applying: Mapped[int] = mapped_column(Integer, server_default="0")


class SyncConflict(Base):
    """Two devices changed one field since they last synced: the value the rule kept (later clock, then
    device id) and the other one, until the user confirms the rule's choice or keeps the other value.
    Values are JSON texts (null for an empty field)."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_open", "resolved_at", "detected_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    kept_value: Mapped[str | None] = mapped_column(Text)
    other_value: Mapped[str | None] = mapped_column(Text)
    kept_hlc: Mapped[str] = mapped_column(String(24))
    other_hlc: Mapped[str] = mapped_column(String(24))
    kept_device: Mapped[str | None] = mapped_column(String(36))
    other_device: Mapped[str | None] = mapped_column(String(36))
    other_user_id: Mapped[str | None] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    resolution: Mapped[str | None] = mapped_column(String(20))  # rule kept / other kept
