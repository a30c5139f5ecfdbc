"""The plain data a printed quote or contract is made from: filled by the quotes and contracts services,
drawn by crmdesk.services.documents (reportlab). Amounts are Decimal yuan, rounded to the fen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class CompanyProfile:
    """The letterhead: the team setting "company_profile" (see documents.load_company_profile)."""

    name: str
    address: str = ""
    phone: str = ""
    tax_id: str = ""  # unified social credit code
    bank_name: str = ""
    bank_account: str = ""
    logo_png: bytes | None = None  # the logo image file's bytes, PNG or JPEG


@dataclass(frozen=True)
class PartyBlock:
    """The customer (or, on a contract, either party) as printed."""

    name: str
    contact: str = ""
    phone: str = ""
    address: str = ""
    tax_id: str = ""


@dataclass(frozen=True)
class DocumentLine:
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount: Decimal  # the line's discount in yuan (a percentage already turned into an amount)
    tax_rate_bp: int  # basis points: 1300 = 13 %
    line_total: Decimal  # after discount, tax included
    code: str = ""


@dataclass(frozen=True)
class InstallmentLine:
    sequence: int
    due_date: date
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class QuoteDocument:
    number: str  # QT-<device>-YYYYMMDD-NNNN
    version: int
    issued_on: date
    valid_until: date | None
    company: CompanyProfile
    customer: PartyBlock
    lines: tuple[DocumentLine, ...]
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    terms: str = ""
    owner_name: str = ""  # the sales consultant
    status: str = ""


@dataclass(frozen=True)
class ContractDocument:
    number: str
    title: str
    company: CompanyProfile
    customer: PartyBlock
    body: str  # the template's text with its placeholders filled in
    amount: Decimal
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    quote_number: str = ""
    quote_version: int | None = None
    template_version: int | None = None
    lines: tuple[DocumentLine, ...] = ()
    installments: tuple[InstallmentLine, ...] = field(default_factory=tuple)
    version: int = 1
