"""Contract templates (versioned), contract attachments (the signed scan) and the receivables indexes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, SyncedMixin
from crmdesk.models.commerce import Installment, Payment, PaymentAllocation


class ContractTemplate(SyncedMixin, Base):
    """One version of one contract template: saving a template adds a row (version + 1), rows are never
    edited, so a contract's template_id / template_version always names the text it was made from."""

    __tablename__ = "contract_templates"
    __table_args__ = (UniqueConstraint("code", "version"),)

    code: Mapped[str] = mapped_column(String(40))  # vehicle_sale, project_sale, or a team's own
    version: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)  # text with {placeholders} (services.contracts.PLACEHOLDERS)


class ContractAttachment(SyncedMixin, Base):
    """A file kept with a contract (the signed scan), stored in the database as a blob.

    In the database rather than copied into a data folder: the book is one file that is backed up
    before every migration, copied whole and synced row by row; a folder beside it would be left
    behind by all three. The size is capped (services.contracts.ATTACHMENT_MAX_BYTES) and the bytes are
    deferred, so listing a contract's attachments never reads them.
    """

    __tablename__ = "contract_attachments"

    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))  # application/pdf, image/jpeg, image/png
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    note: Mapped[str | None] = mapped_column(String(200))


# Receivables (services.payments) are summed from these alone, never the tables: the live installments
# by due date and rep (totals, months, reps) and by customer, each with what is owed and paid; the live
# allocations per installment; the payments by the day received (collections by month, credit).
_installments = Installment.__table__
_LIVE_INSTALLMENT = _installments.c.deleted_at.is_(None)
Index("ix_installments_live_receivable", _installments.c.due_date, _installments.c.owner_id,
      _installments.c.amount, _installments.c.paid_amount, _installments.c.id,
      sqlite_where=_LIVE_INSTALLMENT, postgresql_where=_LIVE_INSTALLMENT)
Index("ix_installments_live_customer", _installments.c.customer_id, _installments.c.due_date,
      _installments.c.amount, _installments.c.paid_amount, _installments.c.id,
      sqlite_where=_LIVE_INSTALLMENT, postgresql_where=_LIVE_INSTALLMENT)
Index("ix_installments_live_plan", _installments.c.plan_id, _installments.c.due_date, _installments.c.sequence,
      sqlite_where=_LIVE_INSTALLMENT, postgresql_where=_LIVE_INSTALLMENT)
_allocations = PaymentAllocation.__table__
Index("ix_payment_allocations_live_installment", _allocations.c.installment_id, _allocations.c.payment_id,
      _allocations.c.amount,
      sqlite_where=_allocations.c.deleted_at.is_(None), postgresql_where=_allocations.c.deleted_at.is_(None))
_payments = Payment.__table__
Index("ix_payments_live_received", _payments.c.received_on, _payments.c.amount, _payments.c.id,
      sqlite_where=_payments.c.deleted_at.is_(None), postgresql_where=_payments.c.deleted_at.is_(None))
