"""Activities and follow-ups, test drives, pool moves, lost requests, targets, the audit log and this device's own facts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, SourceLinkMixin, SyncedMixin, new_id, utcnow


class Activity(SourceLinkMixin, SyncedMixin, Base):
    """A call, visit, message or meeting: planned (a follow-up) or done."""

    __tablename__ = "activities"
    __table_args__ = (
        # Also everyone's overdue follow-ups (the rules report, a manager's Today): owner IN (the users),
        # counted from the index alone (deleted_at is in it). No index may lead with status: SQLite, which
        # keeps no statistics here, would take it for any "status = ? AND customer_id = ?" over the
        # customer's own few rows.
        Index("ix_activities_owner_due", "owner_id", "status", "due_at", "deleted_at"),
    )

    kind: Mapped[str] = mapped_column(String(20), default="call")  # call/visit/message/meeting/...
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned / done / cancelled
    subject: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    plan_rule: Mapped[str | None] = mapped_column(String(40))  # which follow-up rule planned it
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    lead_id: Mapped[str | None] = mapped_column(ForeignKey("leads.id"), index=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"), index=True)


class TestDrive(SyncedMixin, Base):
    __tablename__ = "test_drives"
    __test__ = False  # not a pytest test class, despite the name
    # Today's drives, and the check that a car is not out twice, read by status and booking time.
    __table_args__ = (Index("ix_test_drives_status_booked_for", "status", "booked_for"),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"), index=True)
    consultant_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    vehicle_vin: Mapped[str | None] = mapped_column(String(17))
    vehicle_plate: Mapped[str | None] = mapped_column(String(20))
    driver_name: Mapped[str | None] = mapped_column(String(100))
    driver_phone: Mapped[str | None] = mapped_column(String(32))
    driver_id_number: Mapped[str | None] = mapped_column(String(18))
    licence_number: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="booked")  # booked/out/returned/cancelled
    booked_for: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    start_odometer_km: Mapped[int | None]
    end_odometer_km: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)


class PoolEvent(SyncedMixin, Base):
    """One move of a customer into or out of the public pool (公海): claim, release, automatic reclaim,
    a manager's assignment, or the warning sent before a reclaim. Caps, cooldowns and the daily claim
    limit are counted from these rows."""

    __tablename__ = "pool_events"
    __table_args__ = (
        Index("ix_pool_events_user_action_at", "user_id", "action", "at"),
        Index("ix_pool_events_customer_action_at", "customer_id", "action", "at"),
    )

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    action: Mapped[str] = mapped_column(String(20))  # claim / release / reclaim / assign / warn / lost
    user_id: Mapped[str | None] = mapped_column(String(36))  # the owner it concerns (new or former)
    from_owner_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(String(200))


class LostRequest(SyncedMixin, Base):
    """A rep's request to abandon an opportunity (战败申请), with its reason, waiting for a manager."""

    __tablename__ = "lost_requests"
    __table_args__ = (Index("ix_lost_requests_status_requested_at", "status", "requested_at"),)

    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))  # a code of the team's lost-reason list
    detail: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending / approved / rejected
    requested_by: Mapped[str | None] = mapped_column(String(36))
    requested_at: Mapped[datetime]
    reviewed_by: Mapped[str | None] = mapped_column(String(36))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(Text)


class Target(SyncedMixin, Base):
    __tablename__ = "targets"

    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"), index=True)
    period_kind: Mapped[str] = mapped_column(String(10), default="month")  # month / quarter
    period_start: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    deal_count: Mapped[int] = mapped_column(default=0)


class AuditEntry(Base):
    """Append-only record of a change or a sensitive act (merge, pool move, approval, export, reveal)."""

    __tablename__ = "audit_log"
    # Append-only: triggers (migration 0009) refuse UPDATE and DELETE on this table.
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id", "at"),
                      Index("ix_audit_log_at", "at", "id"), Index("ix_audit_log_user_at", "user_id", "at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))  # create / update / delete / merge / ...
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class DeviceInfo(Base):
    """Facts about this installation (device id, counters for numbers); never synced."""

    __tablename__ = "device_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ActivityDayCount(Base):
    """The done activities per local day, owner and kind: derived from activities by triggers (migration
    0006) for every writer, per device and never synced, so the KPIs' activity counts over a year or the
    whole book read a few thousand rows instead of every activity. owner_id is "" for none."""

    __tablename__ = "activity_day_counts"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD in this device's time zone
    owner_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
