"""A quote's history: every status change (submitted, approved, rejected, sent, accepted, revised, ...)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, SyncedMixin


class QuoteEvent(SyncedMixin, Base):
    """One transition of one quote version, with who made it, when, and the approver's comment."""

    __tablename__ = "quote_events"
    __table_args__ = (Index("ix_quote_events_quote_at", "quote_id", "at"),)

    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"))
    action: Mapped[str] = mapped_column(String(20))  # create / edit / submit / approve / reject / send / ...
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime]
