"""Catalog, quotes, contracts, orders, payment plans and payments: the cash end of the chain."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, Quantity, SourceLinkMixin, SyncedMixin, add_list_indexes


class Product(SyncedMixin, Base):
    __tablename__ = "products"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20), default="台")
    list_price: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    tax_rate_bp: Mapped[int] = mapped_column(default=1300)  # basis points: 1300 = 13 % VAT
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    is_vehicle: Mapped[bool] = mapped_column(default=False)
    model: Mapped[str | None] = mapped_column(String(100))
    trim: Mapped[str | None] = mapped_column(String(100))
    colour: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(default=True)
    # The picker's search by pinyin (奥迪 -> aodi / ad), kept by services.catalog from name_zh.
    name_pinyin: Mapped[str | None] = mapped_column(String(200))
    name_initials: Mapped[str | None] = mapped_column(String(50))


class PriceList(SyncedMixin, Base):
    __tablename__ = "price_lists"

    name: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    is_default: Mapped[bool] = mapped_column(default=False)


class PriceListItem(SyncedMixin, Base):
    __tablename__ = "price_list_items"
    __table_args__ = (UniqueConstraint("price_list_id", "product_id"),)

    price_list_id: Mapped[str] = mapped_column(ForeignKey("price_lists.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    price: Mapped[Decimal]


class Quote(SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("number", "version"),)

    number: Mapped[str] = mapped_column(String(40))  # QT-<device>-YYYYMMDD-NNNN, same for all versions
    version: Mapped[int] = mapped_column(default=1)
    previous_version_id: Mapped[str | None] = mapped_column(ForeignKey("quotes.id"))
    is_current: Mapped[bool] = mapped_column(default=True)
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    valid_until: Mapped[date | None]
    terms: Mapped[str | None] = mapped_column(Text)
    subtotal: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    discount_total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    tax_total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    max_discount_bp: Mapped[int] = mapped_column(default=0)
    approval_status: Mapped[str | None] = mapped_column(String(20))
    approved_by: Mapped[str | None] = mapped_column(String(36))
    approved_at: Mapped[datetime | None]
    approval_comment: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    price_list_id: Mapped[str | None] = mapped_column(ForeignKey("price_lists.id"))  # where line prices came from
    sent_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]


class QuoteLine(SyncedMixin, Base):
    __tablename__ = "quote_lines"

    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("1"))
    unit: Mapped[str | None] = mapped_column(String(20))
    unit_price: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    discount_bp: Mapped[int] = mapped_column(default=0)
    discount_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    tax_rate_bp: Mapped[int] = mapped_column(default=1300)
    line_total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    # The catalog price the line started from (tax included): discounts are measured against it.
    list_price: Mapped[Decimal | None]
    # The line of the first version this one was copied from, so versions compare line by line.
    lineage_id: Mapped[str | None] = mapped_column(String(36))


_quotes = Quote.__table__
add_list_indexes(Quote, ("number", "status", "total", "valid_until", "created_at"))
# One current version and at most one accepted version per quote number.
Index("uq_quotes_current_number", _quotes.c.number, unique=True,
      sqlite_where=_quotes.c.is_current.is_(True) & _quotes.c.deleted_at.is_(None),
      postgresql_where=_quotes.c.is_current.is_(True) & _quotes.c.deleted_at.is_(None))
Index("uq_quotes_accepted_number", _quotes.c.number, unique=True,
      sqlite_where=(_quotes.c.status == "accepted") & _quotes.c.deleted_at.is_(None),
      postgresql_where=(_quotes.c.status == "accepted") & _quotes.c.deleted_at.is_(None))


class Contract(SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "contracts"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    quote_id: Mapped[str | None] = mapped_column(ForeignKey("quotes.id"))
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    signed_on: Mapped[date | None]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    terms: Mapped[str | None] = mapped_column(Text)
    template_id: Mapped[str | None] = mapped_column(String(36))
    template_version: Mapped[int | None]
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    # The template's text with its placeholders filled in (services.contracts): what is printed and signed.
    body: Mapped[str | None] = mapped_column(Text)
    # The parties as printed: the seller from the company profile, the buyer from the customer.
    seller_name: Mapped[str | None] = mapped_column(String(200))
    buyer_name: Mapped[str | None] = mapped_column(String(200))
    buyer_contact: Mapped[str | None] = mapped_column(String(100))
    buyer_phone: Mapped[str | None] = mapped_column(String(32))
    buyer_address: Mapped[str | None] = mapped_column(String(300))
    buyer_tax_id: Mapped[str | None] = mapped_column(String(18))
    finished_on: Mapped[date | None]
    terminated_on: Mapped[date | None]
    termination_reason: Mapped[str | None] = mapped_column(Text)


class Order(SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "orders"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")  # copied for the list sort
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"))
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    order_date: Mapped[date]
    delivery_date: Mapped[date | None]
    delivered_at: Mapped[datetime | None]
    total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))
    quote_id: Mapped[str | None] = mapped_column(ForeignKey("quotes.id"))  # the accepted version it came from
    confirmed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(200))


class OrderLine(SyncedMixin, Base):
    __tablename__ = "order_lines"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("1"))
    unit_price: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    line_total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    vin: Mapped[str | None] = mapped_column(String(17), index=True)
    unit: Mapped[str | None] = mapped_column(String(20))


class PaymentPlan(SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "payment_plans"

    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), index=True)
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    # The rep the receivables are reported under: the order's or contract's owner when the plan was made.
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    basis: Mapped[str | None] = mapped_column(String(10))  # amount / percent: how the installments were given


class Installment(SyncedMixin, Base):
    __tablename__ = "installments"

    plan_id: Mapped[str] = mapped_column(ForeignKey("payment_plans.id"), index=True)
    sequence: Mapped[int] = mapped_column(default=1)
    due_date: Mapped[date] = mapped_column(index=True)
    amount: Mapped[Decimal]
    paid_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open / partial / paid (overdue: computed)
    percent_bp: Mapped[int | None]  # the share of the plan's total, in basis points (3000 = 30 %), if given so
    note: Mapped[str | None] = mapped_column(String(200))  # 首付款, 提车款, 尾款 ...
    # The plan's customer and rep, copied so the receivables are summed from one index each, never a join.
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


class Payment(SyncedMixin, Base):
    __tablename__ = "payments"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), index=True)
    received_on: Mapped[date] = mapped_column(index=True)
    amount: Mapped[Decimal]
    method: Mapped[str | None] = mapped_column(String(30))  # bank transfer, card, cash, ...
    reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    payer: Mapped[str | None] = mapped_column(String(200))
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"), index=True)


class PaymentAllocation(SyncedMixin, Base):
    __tablename__ = "payment_allocations"
    __table_args__ = (Index("ix_payment_allocations_installment", "installment_id"),)

    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), index=True)
    installment_id: Mapped[str] = mapped_column(ForeignKey("installments.id"))
    amount: Mapped[Decimal]


add_list_indexes(Order, ("order_date", "customer_name", "status", "total", "created_at", "owner_id", "delivered_at"))
