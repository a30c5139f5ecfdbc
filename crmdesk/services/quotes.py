"""Quotes (报价单): lines and totals, the discount policy and its approval, statuses, versions and their
comparison, expiry, and the data a printed quote is made from.

Money. Prices include VAT (含税价), as Chinese retail prices do. Each line is computed on its own and
rounded to the fen (half up), then the lines are summed:
    gross    = unit price x quantity                                  (rounded to the fen)
    discount = gross x discount % (or the amount typed)               (rounded to the fen)
    total    = gross - discount                                       (the line's amount, tax included)
    tax      = total x rate / (1 + rate)                              (the VAT it contains, rounded)
and for the quote: subtotal = sum of gross, discount_total = sum of discounts, total = sum of line totals
(= subtotal - discount_total), tax_total = sum of the lines' tax. A quote's figures therefore always
add up on paper, line by line.

Discount policy (seed 001: reps negotiate within the company's discount policy). The team setting
"discount_policy" holds each role's largest discount in basis points (300 = 3 %), or null for no limit.
A quote's discount is measured against the catalog price each line started from (its list price on the
quote's price list), so a lowered unit price counts as much as a discount typed in: per line
(list value - line total) / list value, and for the whole quote the same over all lines; the larger of
the two, rounded half up to the basis point, is the quote's `max_discount_bp`. A free-text line (no
product) is measured against its own unit price. On submit, a quote within the submitter's limit is
approved at once; above it, it waits (pending_approval) for a manager or administrator whose own limit
covers it, who approves or rejects it with a comment. Every transition is a QuoteEvent (the history).

Statuses: draft -> pending_approval -> approved -> sent -> accepted / rejected (by the customer) /
expired. A manager's rejection sends the quote back to draft. Changing the lines of a quote waiting for
approval or approved sends it back to draft. A sent, rejected or expired quote is not edited: `revise`
makes the next version (V2, V3, ... same number) and the old one stays read-only; the accepted version
is the one carried forward (`accepted_version`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import (
    AuditEntry,
    Contact,
    Customer,
    Opportunity,
    PriceList,
    Product,
    Quote,
    QuoteEvent,
    QuoteLine,
    User,
)
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.models.people import ROLES
from crmdesk.services.catalog import price_for
from crmdesk.services.document_data import DocumentLine, PartyBlock, QuoteDocument
from crmdesk.services.entities import visible_rows
from crmdesk.services.errors import ConflictError, NotFoundError, UserError, ValidationError
from crmdesk.services.fields import parse_date, parse_money, unstorable
from crmdesk.services.money import round_fen
from crmdesk.services.numbers import next_number
from crmdesk.services.personal_data import mask_value, masked_fields
from crmdesk.services.team_settings import load_setting, save_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

QUOTE_STATUSES = ("draft", "pending_approval", "approved", "sent", "accepted", "rejected", "expired")
EDITABLE_STATUSES = ("draft", "pending_approval", "approved")
REVISABLE_STATUSES = ("sent", "rejected", "expired")
APPROVER_ROLES = ("manager", "admin")
DISCOUNT_POLICY_SETTING = "discount_policy"
# Basis points per role; None: no limit. Roles missing from the stored setting take these.
DEFAULT_DISCOUNT_POLICY: dict[str, int | None] = {
    "consultant": 300, "field_rep": 500, "manager": 1500, "finance": 0, "admin": None,
}
DEFAULT_VALIDITY_DAYS = 15
DEFAULT_TAX_RATE_BP = 1300  # 13 % VAT, for lines without a product
MAX_LINES = 500
MAX_QUANTITY = Decimal("1000000")
MAX_COMMENT = 2000
MAX_TERMS = 10000
LIST_LIMIT = 500
SYSTEM_ACTOR = Actor(user_id="00000000-0000-7000-8000-000000000000", display_name="system", role="admin")
_HUNDRED = Decimal(100)
_BP = Decimal(10000)


# ---- amounts -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineAmounts:
    """One line's figures, each rounded to the fen; `discount_share_bp` is measured against `reference`."""

    gross: Decimal
    discount: Decimal
    total: Decimal
    tax: Decimal
    reference: Decimal  # list price x quantity
    discount_share_bp: int


@dataclass(frozen=True)
class QuoteTotals:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    max_discount_bp: int


def _share_bp(reference: Decimal, total: Decimal) -> int:
    if reference <= 0:
        return 0
    share = ((reference - total) * _BP / reference).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(int(share), 0)


def line_amounts(quantity: Decimal, unit_price: Decimal, discount_bp: int = 0, discount_amount: Decimal = Decimal(0),
                 tax_rate_bp: int = 0, list_price: Decimal | None = None) -> LineAmounts:
    """A line's gross, discount (a percentage when discount_bp > 0, else the amount), total, the VAT the
    total contains, and its discount as a share of the list value (see the module docstring)."""
    gross = round_fen(unit_price * quantity)
    discount = round_fen(gross * discount_bp / _BP) if discount_bp else round_fen(discount_amount)
    total = gross - discount
    tax = round_fen(total * tax_rate_bp / (_BP + tax_rate_bp))
    reference = round_fen((list_price if list_price is not None else unit_price) * quantity)
    return LineAmounts(gross, discount, total, tax, reference, _share_bp(reference, total))


def quote_totals(lines: Sequence[LineAmounts]) -> QuoteTotals:
    """The quote's figures: the lines' rounded figures summed; the largest discount share of a line or of
    the whole quote."""
    subtotal = sum((line.gross for line in lines), Decimal("0.00"))
    discount_total = sum((line.discount for line in lines), Decimal("0.00"))
    tax_total = sum((line.tax for line in lines), Decimal("0.00"))
    total = sum((line.total for line in lines), Decimal("0.00"))
    reference = sum((line.reference for line in lines), Decimal("0.00"))
    largest = max([line.discount_share_bp for line in lines] + [_share_bp(reference, total)], default=0)
    return QuoteTotals(subtotal, discount_total, tax_total, total, largest)


# ---- the discount policy -------------------------------------------------------------------------------
def check_discount_policy(value: Any) -> dict[str, int | None]:
    """{role: basis points or None} checked and completed with the defaults; ValidationError per role."""
    if not isinstance(value, Mapping):
        raise ValidationError({"discount_policy": _("Give each role's largest discount, e.g. {example}.",
                                                    example='{"consultant": 300}')})
    errors: dict[str, str] = {}
    cleaned = dict(DEFAULT_DISCOUNT_POLICY)
    for role, limit in value.items():
        if role not in ROLES:
            errors[str(role)] = _("Not a role: {role}.", role=role)
            continue
        if limit is None:
            cleaned[role] = None
        elif isinstance(limit, int) and not isinstance(limit, bool) and 0 <= limit <= 10000:
            cleaned[role] = limit
        else:
            errors[role] = _("A discount in basis points from 0 to 10000 (300 = 3 %), or null for no limit.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def load_discount_policy(db: Database) -> dict[str, int | None]:
    stored = load_setting(db, DISCOUNT_POLICY_SETTING, None)
    try:
        return check_discount_policy(stored) if stored is not None else dict(DEFAULT_DISCOUNT_POLICY)
    except ValidationError:
        return dict(DEFAULT_DISCOUNT_POLICY)


def save_discount_policy(db: Database, actor: Actor, policy: Any) -> dict[str, int | None]:
    """Administrators only: a manager would otherwise set their own approval limit."""
    if actor.role != "admin":
        raise UserError(_("Only an administrator can change the discount policy."))
    cleaned: dict[str, int | None] = save_setting(db, actor, DISCOUNT_POLICY_SETTING, policy, check_discount_policy)
    return cleaned


def discount_limit_bp(policy: Mapping[str, int | None], role: str) -> int | None:
    """The role's largest discount without approval (None: no limit; unknown roles: none at all)."""
    return policy.get(role, 0)


def _within(limit: int | None, discount_bp: int) -> bool:
    return limit is None or discount_bp <= limit


def format_bp(bp: int | None) -> str:
    """300 -> "3%", 250 -> "2.5%", None -> no limit."""
    if bp is None:
        return _("no limit")
    return f"{(Decimal(bp) / _HUNDRED).normalize():f}%"


# ---- what the services return --------------------------------------------------------------------------
@dataclass(frozen=True)
class QuoteLineView:
    id: str
    position: int
    product_id: str | None
    code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    list_price: Decimal | None
    discount_bp: int  # 0 when the discount was typed as an amount
    discount_amount: Decimal  # the discount in yuan, whichever way it was given
    tax_rate_bp: int
    tax_amount: Decimal  # the VAT the line total contains
    line_total: Decimal  # after discount, tax included
    discount_share_bp: int  # the line's discount against its list price
    lineage_id: str


@dataclass(frozen=True)
class QuoteEventView:
    id: str
    quote_id: str
    version: int
    action: str
    from_status: str | None
    to_status: str | None
    comment: str | None
    user_id: str | None
    user_name: str
    at: datetime


@dataclass(frozen=True)
class QuoteView:
    """One version of a quote with its lines and the history of every version of its number.

    `limit_bp` / `needs_approval` are for the user who read it: their own discount limit, and whether a
    submit by them would wait for a manager. `may_approve`: whether they may decide a pending one.
    """

    id: str
    number: str
    version: int
    is_current: bool
    status: str
    opportunity_id: str | None
    opportunity_name: str
    customer_id: str
    customer_name: str
    contact_id: str | None
    contact_name: str
    owner_id: str | None
    owner_name: str
    price_list_id: str | None
    valid_until: date | None
    terms: str
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    max_discount_bp: int
    approval_status: str | None
    approved_by: str | None
    approved_by_name: str
    approved_at: datetime | None
    approval_comment: str | None
    previous_version_id: str | None
    sent_at: datetime | None
    accepted_at: datetime | None
    created_at: datetime
    lines: tuple[QuoteLineView, ...]
    events: tuple[QuoteEventView, ...]
    limit_bp: int | None
    needs_approval: bool
    may_approve: bool

    @property
    def read_only(self) -> bool:
        return not self.is_current or self.status not in EDITABLE_STATUSES

    @property
    def label(self) -> str:
        return f"{self.number} V{self.version}"


@dataclass(frozen=True)
class QuoteRow:
    """A row of the quotes list."""

    id: str
    number: str
    version: int
    customer_name: str
    status: str
    total: Decimal
    valid_until: date | None
    owner_name: str
    max_discount_bp: int
    opportunity_name: str
    created_at: datetime


@dataclass(frozen=True)
class QuoteFilter:
    status: str | None = None
    search: str = ""  # the number (or its end) or the customer's name
    customer_id: str | None = None
    opportunity_id: str | None = None
    owner_id: str | None = None
    current_only: bool = True


@dataclass(frozen=True)
class VersionInfo:
    id: str
    version: int
    status: str
    is_current: bool
    total: Decimal
    created_at: datetime


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class LineDifference:
    """change: added / removed / changed / unchanged; positions in version a and b (None where absent)."""

    change: str
    position_a: int | None
    position_b: int | None
    description: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class VersionComparison:
    number: str
    version_a: int
    version_b: int
    lines: tuple[LineDifference, ...]
    totals: tuple[FieldChange, ...]  # subtotal, discount_total, tax_total, total, max_discount_bp that differ
    header: tuple[FieldChange, ...]  # valid_until, terms, contact, price list that differ

    @property
    def identical(self) -> bool:
        return not self.totals and not self.header and all(line.change == "unchanged" for line in self.lines)


# ---- loading -------------------------------------------------------------------------------------------
def _load_quote(session: Session, actor: Actor, quote_id: str) -> Quote:
    quote = session.scalars(select(Quote).where(Quote.id == quote_id, Quote.deleted_at.is_(None),
                                                visible_rows(actor, Quote))).first()
    if quote is None:
        raise NotFoundError("quote", quote_id)
    return quote


def _live_lines(session: Session, quote_id: str) -> list[QuoteLine]:
    return list(session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote_id, QuoteLine.deleted_at.is_(None))
                                .order_by(QuoteLine.position, QuoteLine.id)))


def _user_names(session: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {row[0]: row[1] for row in session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))}


def _events(session: Session, number: str) -> tuple[QuoteEventView, ...]:
    rows = session.execute(
        select(QuoteEvent, Quote.version).join(Quote, Quote.id == QuoteEvent.quote_id)
        .where(Quote.number == number, QuoteEvent.deleted_at.is_(None))
        .order_by(QuoteEvent.at, QuoteEvent.id)).all()
    names = _user_names(session, {event.user_id for event, _version in rows})
    return tuple(QuoteEventView(event.id, event.quote_id, version, event.action, event.from_status, event.to_status,
                                event.comment, event.user_id, names.get(event.user_id or "", ""), event.at)
                 for event, version in rows)


def _line_view(line: QuoteLine, code: str) -> QuoteLineView:
    amounts = line_amounts(line.quantity, line.unit_price, line.discount_bp, line.discount_amount, line.tax_rate_bp,
                           line.list_price)
    return QuoteLineView(line.id, line.position, line.product_id, code, line.description, line.quantity,
                         line.unit or "", line.unit_price, line.list_price, line.discount_bp, amounts.discount,
                         line.tax_rate_bp, amounts.tax, amounts.total, amounts.discount_share_bp,
                         line.lineage_id or line.id)


def _view(session: Session, actor: Actor | None, quote: Quote, policy: Mapping[str, int | None]) -> QuoteView:
    lines = _live_lines(session, quote.id)
    product_ids = {line.product_id for line in lines if line.product_id}
    codes = {row[0]: row[1] for row in session.execute(select(Product.id, Product.code).where(
        Product.id.in_(product_ids)))} if product_ids else {}
    customer = session.get(Customer, quote.customer_id)
    opportunity = session.get(Opportunity, quote.opportunity_id) if quote.opportunity_id else None
    contact = session.get(Contact, quote.contact_id) if quote.contact_id else None
    names = _user_names(session, {quote.owner_id, quote.approved_by})
    limit = discount_limit_bp(policy, actor.role) if actor is not None else None
    return QuoteView(
        id=quote.id, number=quote.number, version=quote.version, is_current=quote.is_current, status=quote.status,
        opportunity_id=quote.opportunity_id, opportunity_name=opportunity.name if opportunity else "",
        customer_id=quote.customer_id, customer_name=customer.name if customer else "",
        contact_id=quote.contact_id, contact_name=contact.name if contact else "",
        owner_id=quote.owner_id, owner_name=names.get(quote.owner_id or "", ""), price_list_id=quote.price_list_id,
        valid_until=quote.valid_until, terms=quote.terms or "", subtotal=quote.subtotal,
        discount_total=quote.discount_total, tax_total=quote.tax_total, total=quote.total,
        max_discount_bp=quote.max_discount_bp, approval_status=quote.approval_status,
        approved_by=quote.approved_by, approved_by_name=names.get(quote.approved_by or "", ""),
        approved_at=quote.approved_at, approval_comment=quote.approval_comment,
        previous_version_id=quote.previous_version_id, sent_at=quote.sent_at, accepted_at=quote.accepted_at,
        created_at=quote.created_at,
        lines=tuple(_line_view(line, codes.get(line.product_id or "", "")) for line in lines),
        events=_events(session, quote.number),
        limit_bp=limit, needs_approval=not _within(limit, quote.max_discount_bp),
        may_approve=actor is not None and actor.role in APPROVER_ROLES and _within(limit, quote.max_discount_bp),
    )


def get_quote(db: Database, actor: Actor, quote_id: str) -> QuoteView:
    policy = load_discount_policy(db)
    with read_session(db) as session:
        return _view(session, actor, _load_quote(session, actor, quote_id), policy)


def _by_number(session: Session, actor: Actor, number: str, version: int | None) -> Quote:
    condition = Quote.version == version if version is not None else Quote.is_current.is_(True)
    quote = session.scalars(select(Quote).where(Quote.number == number.strip(), condition, Quote.deleted_at.is_(None),
                                                visible_rows(actor, Quote))).first()
    if quote is None:
        raise NotFoundError("quote", f"{number} V{version}" if version is not None else number)
    return quote


def get_quote_by_number(db: Database, actor: Actor, number: str, version: int | None = None) -> QuoteView:
    """A version of the quote `number` (the current one when `version` is None)."""
    policy = load_discount_policy(db)
    with read_session(db) as session:
        return _view(session, actor, _by_number(session, actor, number, version), policy)


def accepted_version(db: Database, number: str) -> QuoteView | None:
    """The version of `number` the customer accepted (the one contracts and orders carry forward), or None."""
    with read_session(db) as session:
        quote = session.scalars(select(Quote).where(Quote.number == number.strip(), Quote.status == "accepted",
                                                    Quote.deleted_at.is_(None))).first()
        return _view(session, None, quote, DEFAULT_DISCOUNT_POLICY) if quote is not None else None


def quote_versions(db: Database, actor: Actor, number: str) -> list[VersionInfo]:
    with read_session(db) as session:
        quotes = session.scalars(select(Quote).where(Quote.number == number.strip(), Quote.deleted_at.is_(None),
                                                     visible_rows(actor, Quote)).order_by(Quote.version))
        return [VersionInfo(q.id, q.version, q.status, q.is_current, q.total, q.created_at) for q in quotes]


def quote_history(db: Database, actor: Actor, number: str) -> list[QuoteEventView]:
    """Every transition of every version of `number`, oldest first."""
    with read_session(db) as session:
        _by_number(session, actor, number, None)
        return list(_events(session, number.strip()))


# ---- the list ------------------------------------------------------------------------------------------
_SORTS: dict[str, Any] = {
    "number": Quote.number, "version": Quote.version, "customer_name": Customer.name_pinyin, "status": Quote.status,
    "total": Quote.total, "valid_until": Quote.valid_until, "owner_name": User.display_name,
    "created_at": Quote.created_at, "max_discount_bp": Quote.max_discount_bp,
}


def _list_conditions(actor: Actor, query: QuoteFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Quote.deleted_at.is_(None), visible_rows(actor, Quote)]
    if query.current_only:
        conditions.append(Quote.is_current.is_(True))
    if query.status:
        if query.status not in QUOTE_STATUSES:
            raise KeyError(f"no quote status {query.status}")
        conditions.append(Quote.status == query.status)
    for column, value in ((Quote.customer_id, query.customer_id), (Quote.opportunity_id, query.opportunity_id),
                          (Quote.owner_id, query.owner_id)):
        if value:
            conditions.append(column == value)
    text = query.search.strip()
    if len(text) > 200 or unstorable(text):  # longer than any number or name, or text no record holds
        conditions.append(false())
    elif text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(or_(Quote.number.like(f"%{escaped}%", escape="\\"),
                              Customer.name.like(f"%{escaped}%", escape="\\"),
                              Customer.name_pinyin.like(f"{escaped.lower()}%", escape="\\"),
                              Customer.name_initials.like(f"{escaped.lower()}%", escape="\\")))
    return conditions


def count_quotes(db: Database, actor: Actor, query: QuoteFilter = QuoteFilter()) -> int:
    statement = select(func.count()).select_from(Quote)
    if query.search.strip():  # only a search reads the customer's name
        statement = statement.join(Customer, Customer.id == Quote.customer_id)
    statement = statement.where(*_list_conditions(actor, query))
    with read_session(db) as session:
        return int(session.scalar(statement) or 0)


def list_quotes(db: Database, actor: Actor, query: QuoteFilter = QuoteFilter(), offset: int = 0, limit: int = 100,
                sort_key: str = "created_at", descending: bool = True) -> list[QuoteRow]:
    """A page of quotes (current versions unless asked otherwise), sorted and filtered in SQL."""
    sort = _SORTS[sort_key]
    order = [sort.desc(), Quote.id.desc()] if descending else [sort.asc(), Quote.id.asc()]
    statement = (
        select(Quote.id, Quote.number, Quote.version, Customer.name, Quote.status, Quote.total, Quote.valid_until,
               User.display_name, Quote.max_discount_bp, Opportunity.name, Quote.created_at)
        .join(Customer, Customer.id == Quote.customer_id)
        .outerjoin(User, User.id == Quote.owner_id)
        .outerjoin(Opportunity, Opportunity.id == Quote.opportunity_id)
        .where(*_list_conditions(actor, query))
        .order_by(*order).offset(max(offset, 0)).limit(max(min(limit, LIST_LIMIT), 0)))
    with read_session(db) as session:
        return [QuoteRow(row[0], row[1], row[2], row[3] or "", row[4], row[5], row[6], row[7] or "", row[8],
                         row[9] or "", row[10]) for row in session.execute(statement)]


def pending_approvals(db: Database, actor: Actor) -> list[QuoteRow]:
    """Quotes waiting for a manager, oldest first: for a manager or administrator those their limit covers."""
    if actor.role not in APPROVER_ROLES:
        return []
    limit = discount_limit_bp(load_discount_policy(db), actor.role)
    rows = list_quotes(db, actor, QuoteFilter(status="pending_approval"), 0, LIST_LIMIT, "created_at", False)
    return [row for row in rows if _within(limit, row.max_discount_bp)]


# ---- input ---------------------------------------------------------------------------------------------
_LINE_KEYS = frozenset({"id", "product_id", "description", "quantity", "unit", "unit_price", "discount_bp",
                        "discount_percent", "discount_amount", "tax_rate_bp"})
_HEADER_KEYS = frozenset({"opportunity_id", "contact_id", "valid_until", "terms", "price_list_id"})


@dataclass
class _LineInput:
    id: str | None
    product: Product | None
    description: str
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    list_price: Decimal | None
    discount_bp: int
    discount_amount: Decimal
    tax_rate_bp: int


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        number = Decimal(str(value).strip().replace(",", ""))
    if not number.is_finite():
        raise InvalidOperation
    return number


def _percent_to_bp(value: Any) -> int:
    """"5", "5%", "4.75" -> 500, 500, 475; ValueError otherwise."""
    text = str(value).strip().replace("％", "%").removesuffix("%").strip()
    try:
        percent = _decimal(text)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(_("Give the discount as a percentage, e.g. 5 or 4.5.")) from error
    bp = percent * 100
    if bp != bp.to_integral_value():
        raise ValueError(_("At most two decimals in a percentage."))
    return int(bp)


def _clean_line(session: Session, raw: Mapping[str, Any], index: int, existing: QuoteLine | None,
                price_list_id: str | None, errors: dict[str, str]) -> _LineInput | None:
    """One line's input checked (messages under "lines[<index>].<field>"), with the defaults filled in:
    from the line being edited while it keeps its product, else from the catalog."""
    unknown = set(raw) - _LINE_KEYS
    if unknown:
        raise KeyError(f"unknown line fields: {sorted(unknown)}")
    prefix = f"lines[{index}]."
    before = len(errors)

    product: Product | None = None
    product_id = raw.get("product_id", existing.product_id if existing else None)
    if not _blank(product_id):
        product = session.get(Product, str(product_id))
        if product is None or product.deleted_at is not None:
            errors[prefix + "product_id"] = _("Choose a product from the catalog.")
            product = None
        elif not product.active and (existing is None or existing.product_id != product.id):
            errors[prefix + "product_id"] = _("The product {code} is no longer sold.", code=product.code)
        if prefix + "product_id" in errors:
            return None  # the rest of the line depends on the product
    # The line keeps what it had while it keeps its product (or stays a line without one).
    keeps = existing is not None and (existing.product_id == (product.id if product is not None else None))

    description = raw.get("description")
    if _blank(description) and keeps and existing is not None and "description" not in raw:
        description = existing.description
    if _blank(description) and product is not None:
        extras = [part for part in (product.trim, product.colour) if part and part not in product.name_zh]
        description = " ".join([product.name_zh, *extras])
    description = str(description or "").strip()
    if not description:
        errors[prefix + "description"] = _("Name the product or describe the line.")
    elif len(description) > 300:
        errors[prefix + "description"] = _("At most {count} characters.", count=300)

    quantity = Decimal(1)
    raw_quantity = raw.get("quantity", existing.quantity if existing is not None else 1)
    try:
        quantity = _decimal(1 if _blank(raw_quantity) else raw_quantity)
        if quantity <= 0:
            errors[prefix + "quantity"] = _("The quantity must be more than zero.")
        elif quantity > MAX_QUANTITY:
            errors[prefix + "quantity"] = _("The quantity is too large.")
        elif quantity != quantity.quantize(Decimal("0.001")):
            errors[prefix + "quantity"] = _("At most three decimals in a quantity.")
    except (InvalidOperation, ValueError):
        errors[prefix + "quantity"] = _("Not a number.")

    unit = raw.get("unit")
    if _blank(unit) and "unit" not in raw and keeps and existing is not None:
        unit = existing.unit
    if _blank(unit) and product is not None:
        unit = product.unit
    unit = str(unit).strip()[:20] if not _blank(unit) else None

    # Prices come from the catalog unless typed; the list price stays what the line was first priced at.
    catalog_price = price_for(session, product, price_list_id) if product is not None else None
    list_price = existing.list_price if keeps and existing is not None else catalog_price
    unit_price = Decimal(0)
    raw_price = raw.get("unit_price")
    if _blank(raw_price):
        raw_price = existing.unit_price if keeps and existing is not None else catalog_price
    if raw_price is None:
        errors[prefix + "unit_price"] = _("Give the unit price.")
    else:
        try:
            unit_price = parse_money(raw_price)
            if unit_price < 0:
                errors[prefix + "unit_price"] = _("The amount cannot be negative.")
            elif unit_price >= Decimal("10000000000"):
                errors[prefix + "unit_price"] = _("The amount is too large.")
            elif unit_price != unit_price.quantize(Decimal("0.01")):
                errors[prefix + "unit_price"] = _("At most two decimals (fen) in an amount.")
        except ValueError as error:
            errors[prefix + "unit_price"] = str(error)

    discount_bp = 0
    discount_amount = Decimal(0)
    if keeps and existing is not None and not any(key in raw for key in ("discount_bp", "discount_percent",
                                                                         "discount_amount")):
        discount_bp, discount_amount = existing.discount_bp, existing.discount_amount  # another product: none
    else:
        try:
            if not _blank(raw.get("discount_bp")):
                try:
                    discount_bp = int(str(raw["discount_bp"]).strip())
                except ValueError as error:
                    raise ValueError(_("Give the discount as a percentage, e.g. 5 or 4.5.")) from error
            elif not _blank(raw.get("discount_percent")):
                discount_bp = _percent_to_bp(raw["discount_percent"])
            if not 0 <= discount_bp <= 10000:
                errors[prefix + "discount"] = _("A discount from 0 to 100 %.")
            if not _blank(raw.get("discount_amount")):
                discount_amount = parse_money(raw["discount_amount"])
                if discount_bp:
                    errors[prefix + "discount"] = _("Give the discount as a percentage or as an amount, not both.")
                elif discount_amount < 0:
                    errors[prefix + "discount"] = _("The amount cannot be negative.")
                elif discount_amount != discount_amount.quantize(Decimal("0.01")):
                    errors[prefix + "discount"] = _("At most two decimals (fen) in an amount.")
        except ValueError as error:
            errors[prefix + "discount"] = str(error)

    tax_rate_bp = existing.tax_rate_bp if keeps and existing is not None else (
        product.tax_rate_bp if product is not None else DEFAULT_TAX_RATE_BP)
    if not _blank(raw.get("tax_rate_bp")):
        try:
            tax_rate_bp = int(str(raw["tax_rate_bp"]).strip())
            if not 0 <= tax_rate_bp <= 10000:
                raise ValueError(tax_rate_bp)
        except ValueError:
            errors[prefix + "tax_rate_bp"] = _("A VAT rate from 0 to 100 % (in basis points: 1300 = 13 %).")

    if len(errors) > before:
        return None
    if not discount_bp and discount_amount > round_fen(unit_price * quantity):
        errors[prefix + "discount"] = _("The discount cannot be more than the line's amount.")
        return None
    return _LineInput(existing.id if existing is not None else None, product, description, quantity, unit,
                      unit_price, list_price, discount_bp, Decimal(0) if discount_bp else discount_amount,
                      tax_rate_bp)


def _line_signature(line: QuoteLine) -> tuple[Any, ...]:
    return (line.position, line.product_id, line.description, line.quantity, line.unit, line.unit_price,
            line.discount_bp, line.discount_amount, line.tax_rate_bp)


def _apply_lines(session: Session, quote: Quote, raw_lines: Sequence[Mapping[str, Any]],
                 errors: dict[str, str]) -> bool:
    """Replace the quote's lines by `raw_lines` (a line given with the id of one of them is edited in
    place, keeping its lineage; lines left out are removed). Returns whether anything changed."""
    if len(raw_lines) > MAX_LINES:
        errors["lines"] = _("At most {count} lines in a quote.", count=MAX_LINES)
        return False
    existing = {line.id: line for line in _live_lines(session, quote.id)}
    before = sorted(_line_signature(line) for line in existing.values())
    cleaned: list[_LineInput] = []
    used: set[str] = set()
    for index, raw in enumerate(raw_lines):
        line_id = raw.get("id")
        old = existing.get(str(line_id)) if line_id else None
        if line_id and (old is None or line_id in used):
            errors[f"lines[{index}].id"] = _("The line no longer exists (it may have been deleted).")
            continue
        if old is not None:
            used.add(old.id)
        result = _clean_line(session, raw, index, old, quote.price_list_id, errors)
        if result is not None:
            cleaned.append(result)
    if errors:
        return False
    now = utcnow()
    kept: list[QuoteLine] = []
    for position, item in enumerate(cleaned, start=1):
        line = existing.get(item.id or "")
        if line is None:
            line = QuoteLine(quote_id=quote.id)
            session.add(line)
        line.position = position
        line.product_id = item.product.id if item.product is not None else None
        line.description = item.description
        line.quantity = item.quantity
        line.unit = item.unit
        line.unit_price = item.unit_price
        line.list_price = item.list_price
        line.discount_bp = item.discount_bp
        amounts = line_amounts(item.quantity, item.unit_price, item.discount_bp, item.discount_amount,
                               item.tax_rate_bp, item.list_price)
        line.discount_amount = amounts.discount
        line.tax_rate_bp = item.tax_rate_bp
        line.line_total = amounts.total
        kept.append(line)
    for line_id, line in existing.items():
        if line_id not in used:
            line.deleted_at = now
    session.flush()
    for line in kept:
        if line.lineage_id is None:
            line.lineage_id = line.id
    _recompute(session, quote, kept)
    after = sorted(_line_signature(line) for line in kept)
    return before != after


def _recompute(session: Session, quote: Quote, lines: Sequence[QuoteLine] | None = None) -> None:
    lines = _live_lines(session, quote.id) if lines is None else lines
    totals = quote_totals([line_amounts(line.quantity, line.unit_price, line.discount_bp, line.discount_amount,
                                        line.tax_rate_bp, line.list_price) for line in lines])
    quote.subtotal, quote.discount_total = totals.subtotal, totals.discount_total
    quote.tax_total, quote.total, quote.max_discount_bp = totals.tax_total, totals.total, totals.max_discount_bp


def _clean_header(session: Session, values: Mapping[str, Any], quote: Quote | None,
                  errors: dict[str, str]) -> dict[str, Any]:
    unknown = set(values) - _HEADER_KEYS
    if unknown:
        raise KeyError(f"unknown quote fields: {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    if quote is None or "opportunity_id" in values:
        opportunity_id = values.get("opportunity_id")
        opportunity = session.get(Opportunity, str(opportunity_id)) if not _blank(opportunity_id) else None
        if opportunity is None or opportunity.deleted_at is not None:
            errors["opportunity_id"] = _("Choose the opportunity the quote is for.")
        elif opportunity.status == "lost":
            errors["opportunity_id"] = _("The opportunity is lost; reactivate it before quoting.")
        elif quote is not None and opportunity.customer_id != quote.customer_id:
            errors["opportunity_id"] = _("The opportunity belongs to another customer.")
        else:
            cleaned["opportunity_id"] = opportunity.id
            cleaned["customer_id"] = opportunity.customer_id
            if quote is None and "contact_id" not in values:
                cleaned["contact_id"] = opportunity.contact_id
    customer_id = cleaned.get("customer_id", quote.customer_id if quote is not None else None)
    if "contact_id" in values:
        contact_id = values.get("contact_id")
        if _blank(contact_id):
            cleaned["contact_id"] = None
        else:
            contact = session.get(Contact, str(contact_id))
            if contact is None or contact.deleted_at is not None or (customer_id and contact.customer_id != customer_id):
                errors["contact_id"] = _("Choose one of the customer's contacts.")
            else:
                cleaned["contact_id"] = contact.id
    if quote is None or "valid_until" in values:
        raw = values.get("valid_until")
        if _blank(raw):
            cleaned["valid_until"] = date.today() + timedelta(days=DEFAULT_VALIDITY_DAYS)
        else:
            try:
                day = parse_date(raw)
                if day < date.today():
                    errors["valid_until"] = _("The quote must be valid until today or later.")
                elif day > date.today() + timedelta(days=366):
                    errors["valid_until"] = _("A quote is valid for a year at most.")
                else:
                    cleaned["valid_until"] = day
            except ValueError as error:
                errors["valid_until"] = str(error)
    if quote is None or "terms" in values:
        terms = values.get("terms")
        if _blank(terms):
            terms = _("Prices include VAT. This quote is valid for {days} days.", days=DEFAULT_VALIDITY_DAYS) \
                if quote is None else None
        terms = str(terms).strip() if terms is not None else None
        if terms is not None and len(terms) > MAX_TERMS:
            errors["terms"] = _("At most {count} characters.", count=MAX_TERMS)
        elif terms is not None and "\x00" in terms:
            errors["terms"] = _("Contains characters that cannot be stored.")
        else:
            cleaned["terms"] = terms
    if "price_list_id" in values:
        price_list_id = values.get("price_list_id")
        if _blank(price_list_id):
            cleaned["price_list_id"] = None
        else:
            price_list = session.get(PriceList, str(price_list_id))
            if price_list is None or price_list.deleted_at is not None:
                errors["price_list_id"] = _("Choose an existing price list.")
            else:
                cleaned["price_list_id"] = price_list.id
    return cleaned


# ---- transitions ---------------------------------------------------------------------------------------
def _event(session: Session, actor: Actor, quote: Quote, action: str, from_status: str | None,
           to_status: str | None, comment: str | None = None) -> None:
    session.add(QuoteEvent(quote_id=quote.id, action=action, from_status=from_status, to_status=to_status,
                           comment=comment, user_id=actor.user_id, at=utcnow()))


def _require_current(quote: Quote) -> None:
    if not quote.is_current:
        raise ValidationError({"quote": _("{number} V{version} is an old version and cannot be changed; "
                                          "work on the current version.", number=quote.number,
                                          version=quote.version)})


def _require_editable(quote: Quote) -> None:
    _require_current(quote)
    if quote.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": _("A quote that is “{status}” cannot be changed; make a new version.",
                                           status=status_label(quote.status))})


def _require_status(quote: Quote, allowed: Sequence[str]) -> None:
    _require_current(quote)
    if quote.status not in allowed:
        raise ConflictError(_("Not possible while the quote is “{status}”.", status=status_label(quote.status)))


def _comment(comment: str | None, required: bool, message: str) -> str | None:
    text = (comment or "").strip() or None
    if required and text is None:
        raise ValidationError({"comment": message})
    if text is not None and len(text) > MAX_COMMENT:
        raise ValidationError({"comment": _("At most {count} characters.", count=MAX_COMMENT)})
    return text


def _back_to_draft(session: Session, actor: Actor, quote: Quote, action: str, comment: str | None = None) -> None:
    old = quote.status
    quote.status = "draft"
    quote.approval_status = None
    quote.approved_by = quote.approved_at = None
    _event(session, actor, quote, action, old, "draft", comment)


def create_quote(db: Database, actor: Actor, values: Mapping[str, Any],
                 lines: Sequence[Mapping[str, Any]] = ()) -> QuoteView:
    """A new draft quote for an opportunity (and its customer), numbered QT-<device>-<date>-NNNN, V1.

    values: opportunity_id (required), contact_id, valid_until (default: in 15 days), terms, price_list_id.
    lines: {product_id, description, quantity, unit, unit_price (default: the catalog price), discount_bp
    or discount_percent or discount_amount, tax_rate_bp (default: the product's)}. All or nothing."""
    policy = load_discount_policy(db)
    with unit_of_work(db, actor) as session:
        errors: dict[str, str] = {}
        header = _clean_header(session, values, None, errors)
        if errors:  # the lines are checked too, so every mistake is named at once
            for index, raw in enumerate(lines):
                _clean_line(session, raw, index, None, header.get("price_list_id"), errors)
            raise ValidationError(errors)
        quote = Quote(number=next_number(session, "QT"), version=1, is_current=True, status="draft",
                      owner_id=actor.user_id, source_type="opportunity", source_id=header["opportunity_id"],
                      max_discount_bp=0, **header)
        session.add(quote)
        session.flush()
        _apply_lines(session, quote, lines, errors)
        if errors:
            raise ValidationError(errors)
        _event(session, actor, quote, "create", None, "draft")
        session.flush()
        return _view(session, actor, quote, policy)


def update_quote(db: Database, actor: Actor, quote_id: str, values: Mapping[str, Any] | None = None,
                 lines: Sequence[Mapping[str, Any]] | None = None) -> QuoteView:
    """Change the header fields given and, when `lines` is given, replace the lines (see _apply_lines).
    A quote waiting for approval or approved whose lines change goes back to draft."""
    policy = load_discount_policy(db)
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        _require_editable(quote)
        errors: dict[str, str] = {}
        header = _clean_header(session, values or {}, quote, errors)
        for key, value in header.items():  # first: a new price list prices the new lines
            setattr(quote, key, value)
        changed_lines = _apply_lines(session, quote, lines, errors) if lines is not None else False
        if errors:
            raise ValidationError(errors)
        if changed_lines and quote.status in ("pending_approval", "approved"):
            _back_to_draft(session, actor, quote, "edit")
        session.flush()
        return _view(session, actor, quote, policy)


def _current_lines_as_input(session: Session, quote: Quote) -> list[dict[str, Any]]:
    return [{"id": line.id} for line in _live_lines(session, quote.id)]


def add_line(db: Database, actor: Actor, quote_id: str, line: Mapping[str, Any]) -> QuoteView:
    """Append one line (see create_quote for its fields)."""
    with read_session(db) as session:
        quote = _load_quote(session, actor, quote_id)
        current = _current_lines_as_input(session, quote)
    return update_quote(db, actor, quote_id, None, [*current, dict(line)])


def update_line(db: Database, actor: Actor, quote_id: str, line_id: str, changes: Mapping[str, Any]) -> QuoteView:
    with read_session(db) as session:
        quote = _load_quote(session, actor, quote_id)
        current = _current_lines_as_input(session, quote)
    if not any(item["id"] == line_id for item in current):
        raise NotFoundError("quote_line", line_id)
    return update_quote(db, actor, quote_id, None,
                        [{**item, **changes} if item["id"] == line_id else item for item in current])


def remove_line(db: Database, actor: Actor, quote_id: str, line_id: str) -> QuoteView:
    with read_session(db) as session:
        quote = _load_quote(session, actor, quote_id)
        current = _current_lines_as_input(session, quote)
    if not any(item["id"] == line_id for item in current):
        raise NotFoundError("quote_line", line_id)
    return update_quote(db, actor, quote_id, None, [item for item in current if item["id"] != line_id])


def _check_valid_today(quote: Quote) -> None:
    if quote.valid_until is not None and quote.valid_until < date.today():
        raise ValidationError({"valid_until": _("The quote was valid until {day}; give a later date first.",
                                                day=quote.valid_until.isoformat())})


def submit_quote(db: Database, actor: Actor, quote_id: str, comment: str | None = None) -> QuoteView:
    """Draft -> approved when the largest discount is within the submitter's limit, else -> pending_approval."""
    policy = load_discount_policy(db)
    text = _comment(comment, False, "")
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        _require_status(quote, ("draft",))
        lines = _live_lines(session, quote.id)
        if not lines:
            raise ValidationError({"lines": _("Add at least one line before submitting the quote.")})
        _check_valid_today(quote)
        _recompute(session, quote, lines)
        limit = discount_limit_bp(policy, actor.role)
        if _within(limit, quote.max_discount_bp):
            quote.status, quote.approval_status = "approved", None
            quote.approved_by, quote.approved_at, quote.approval_comment = None, None, None
            _event(session, actor, quote, "submit", "draft", "approved", text or _(
                "Discount {discount} within the limit of {limit}.", discount=format_bp(quote.max_discount_bp),
                limit=format_bp(limit)))
        else:
            quote.status, quote.approval_status = "pending_approval", "pending"
            quote.approved_by, quote.approved_at, quote.approval_comment = None, None, None
            _event(session, actor, quote, "submit", "draft", "pending_approval", text or _(
                "Discount {discount} above the limit of {limit}: a manager's approval is needed.",
                discount=format_bp(quote.max_discount_bp), limit=format_bp(limit)))
        session.flush()
        return _view(session, actor, quote, policy)


def _require_approver(actor: Actor, quote: Quote, policy: Mapping[str, int | None]) -> None:
    if actor.role not in APPROVER_ROLES:
        raise UserError(_("Only a manager can approve or reject a quote's discount."))
    limit = discount_limit_bp(policy, actor.role)
    if not _within(limit, quote.max_discount_bp):
        raise UserError(_("The discount of {discount} is above your own limit of {limit}; an administrator "
                          "must decide.", discount=format_bp(quote.max_discount_bp), limit=format_bp(limit)))


def _audit_decision(session: Session, actor: Actor, quote: Quote, action: str) -> None:
    """A discount decision in the audit log as the act it is (approve / reject), beside its field changes."""
    session.add(AuditEntry(at=utcnow(), user_id=actor.user_id, action=action, entity_type="quotes",
                           entity_id=quote.id, field="approval_status", old_value="pending",
                           new_value=quote.approval_status))


def approve_quote(db: Database, actor: Actor, quote_id: str, comment: str | None = None) -> QuoteView:
    """A manager (or administrator) whose own limit covers the discount approves: pending -> approved."""
    policy = load_discount_policy(db)
    text = _comment(comment, False, "")
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        _require_status(quote, ("pending_approval",))
        _require_approver(actor, quote, policy)
        quote.status, quote.approval_status = "approved", "approved"
        quote.approved_by, quote.approved_at, quote.approval_comment = actor.user_id, utcnow(), text
        _event(session, actor, quote, "approve", "pending_approval", "approved", text)
        _audit_decision(session, actor, quote, "approve")
        session.flush()
        return _view(session, actor, quote, policy)


def reject_quote(db: Database, actor: Actor, quote_id: str, comment: str) -> QuoteView:
    """A manager says no, with a comment the rep reads: pending -> draft (approval_status "rejected")."""
    policy = load_discount_policy(db)
    text = _comment(comment, True, _("Tell the rep why the discount is rejected."))
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        _require_status(quote, ("pending_approval",))
        _require_approver(actor, quote, policy)
        quote.status, quote.approval_status = "draft", "rejected"
        quote.approved_by, quote.approved_at, quote.approval_comment = actor.user_id, utcnow(), text
        _event(session, actor, quote, "reject", "pending_approval", "draft", text)
        _audit_decision(session, actor, quote, "reject")
        session.flush()
        return _view(session, actor, quote, policy)


def send_quote(db: Database, actor: Actor, quote_id: str, comment: str | None = None) -> QuoteView:
    """Approved -> sent (to the customer): from now on a change makes a new version."""
    policy = load_discount_policy(db)
    text = _comment(comment, False, "")
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        _require_status(quote, ("approved",))
        _check_valid_today(quote)
        quote.status, quote.sent_at = "sent", utcnow()
        _event(session, actor, quote, "send", "approved", "sent", text)
        session.flush()
        return _view(session, actor, quote, policy)


def accept_quote(db: Database, actor: Actor, quote_id: str, comment: str | None = None) -> QuoteView:
    """The customer accepts this (current, sent) version; one accepted version per number."""
    policy = load_discount_policy(db)
    text = _comment(comment, False, "")
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        accepted = session.scalar(select(Quote.version).where(Quote.number == quote.number,
                                                              Quote.status == "accepted", Quote.deleted_at.is_(None)))
        if accepted is not None:
            raise ConflictError(_("Version {version} of {number} is already accepted.", version=accepted,
                                  number=quote.number))
        _require_status(quote, ("sent",))
        if quote.valid_until is not None and quote.valid_until < date.today():
            raise ConflictError(_("The quote expired on {day}; make a new version for the customer.",
                                  day=quote.valid_until.isoformat()))
        quote.status, quote.accepted_at = "accepted", utcnow()
        _event(session, actor, quote, "accept", "sent", "accepted", text)
        session.flush()
        return _view(session, actor, quote, policy)


def decline_quote(db: Database, actor: Actor, quote_id: str, comment: str | None = None) -> QuoteView:
    """The customer turns the sent quote down: sent -> rejected (a new version may follow)."""
    policy = load_discount_policy(db)
    text = _comment(comment, False, "")
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        _require_status(quote, ("sent",))
        quote.status = "rejected"
        _event(session, actor, quote, "decline", "sent", "rejected", text)
        session.flush()
        return _view(session, actor, quote, policy)


def expire_quotes(db: Database, today: date | None = None, actor: Actor | None = None) -> int:
    """Sent quotes (current versions) whose validity ended before `today` become expired; returns how many."""
    today = today or date.today()
    actor = actor or SYSTEM_ACTOR
    with unit_of_work(db, actor) as session:
        quotes = list(session.scalars(select(Quote).where(
            Quote.status == "sent", Quote.is_current.is_(True), Quote.valid_until < today, Quote.deleted_at.is_(None))))
        for quote in quotes:
            quote.status = "expired"
            _event(session, actor, quote, "expire", "sent", "expired",
                   _("Valid until {day}.", day=quote.valid_until.isoformat() if quote.valid_until else ""))
        return len(quotes)


def revise_quote(db: Database, actor: Actor, quote_id: str) -> QuoteView:
    """The next version of a sent, rejected or expired quote: same number, version + 1, lines copied (with
    their lineage), a draft again; the old version stays as it was, read-only."""
    policy = load_discount_policy(db)
    with unit_of_work(db, actor) as session:
        old = _load_quote(session, actor, quote_id)
        _require_status(old, REVISABLE_STATUSES)
        old.is_current = False
        session.flush()  # one current version per number (a unique index): the old one steps down first
        validity = old.valid_until if old.valid_until and old.valid_until >= date.today() else (
            date.today() + timedelta(days=DEFAULT_VALIDITY_DAYS))
        latest = session.scalar(select(func.max(Quote.version)).where(Quote.number == old.number)) or old.version
        quote = Quote(number=old.number, version=latest + 1, previous_version_id=old.id, is_current=True,
                      status="draft", opportunity_id=old.opportunity_id, customer_id=old.customer_id,
                      contact_id=old.contact_id, valid_until=validity, terms=old.terms, owner_id=actor.user_id,
                      price_list_id=old.price_list_id, source_type=old.source_type, source_id=old.source_id,
                      max_discount_bp=old.max_discount_bp)
        session.add(quote)
        session.flush()
        copies = []
        for line in _live_lines(session, old.id):
            copy = QuoteLine(quote_id=quote.id, position=line.position, product_id=line.product_id,
                             description=line.description, quantity=line.quantity, unit=line.unit,
                             unit_price=line.unit_price, discount_bp=line.discount_bp,
                             discount_amount=line.discount_amount, tax_rate_bp=line.tax_rate_bp,
                             line_total=line.line_total, list_price=line.list_price,
                             lineage_id=line.lineage_id or line.id)
            session.add(copy)
            copies.append(copy)
        session.flush()
        _recompute(session, quote, copies)
        _event(session, actor, quote, "revise", None, "draft",
               _("From V{version} ({status}).", version=old.version, status=status_label(old.status)))
        session.flush()
        return _view(session, actor, quote, policy)


# ---- comparing versions --------------------------------------------------------------------------------
_COMPARED_LINE_FIELDS = ("code", "description", "quantity", "unit", "unit_price", "discount_bp",
                         "discount_amount", "tax_rate_bp", "line_total")


def compare_versions(db: Database, actor: Actor, number: str, a: int, b: int) -> VersionComparison:
    """Version a against version b of `number`, line by line (lines are matched by lineage, so a line
    edited in V2 is 'changed', not removed and added) with the totals and header fields that differ."""
    with read_session(db) as session:
        first = _view(session, actor, _by_number(session, actor, number, a), DEFAULT_DISCOUNT_POLICY)
        second = _view(session, actor, _by_number(session, actor, number, b), DEFAULT_DISCOUNT_POLICY)
    old_lines = {line.lineage_id: line for line in first.lines}
    new_lines = {line.lineage_id: line for line in second.lines}
    differences: list[LineDifference] = []
    for line in second.lines:
        before = old_lines.get(line.lineage_id)
        if before is None:
            differences.append(LineDifference("added", None, line.position, line.description))
            continue
        fields = tuple(FieldChange(name, getattr(before, name), getattr(line, name)) for name in _COMPARED_LINE_FIELDS
                       if getattr(before, name) != getattr(line, name))
        differences.append(LineDifference("changed" if fields else "unchanged", before.position, line.position,
                                          line.description, fields))
    for line in first.lines:
        if line.lineage_id not in new_lines:
            differences.append(LineDifference("removed", line.position, None, line.description))
    totals = tuple(FieldChange(name, getattr(first, name), getattr(second, name))
                   for name in ("subtotal", "discount_total", "tax_total", "total", "max_discount_bp")
                   if getattr(first, name) != getattr(second, name))
    header = tuple(FieldChange(name, getattr(first, name), getattr(second, name))
                   for name in ("valid_until", "terms", "contact_name", "price_list_id")
                   if getattr(first, name) != getattr(second, name))
    return VersionComparison(first.number, a, b, tuple(differences), totals, header)


# ---- the printed quote ---------------------------------------------------------------------------------
def quote_document(db: Database, actor: Actor, quote_id: str) -> QuoteDocument:
    """What the quote PDF shows: letterhead, customer block, lines, totals, terms, number and version."""
    from crmdesk.services.documents import load_company_profile

    company = load_company_profile(db)
    hidden = masked_fields(db, actor, ("phone",))
    with unit_of_work(db, actor) as session:
        quote = _load_quote(session, actor, quote_id)
        view = _view(session, actor, quote, DEFAULT_DISCOUNT_POLICY)
        customer = session.get(Customer, quote.customer_id)
        contact = session.get(Contact, quote.contact_id) if quote.contact_id else None
        # A PDF is what the customer is given: who made one of which version is audited ("print").
        session.add(AuditEntry(at=utcnow(), user_id=actor.user_id, action="print", entity_type="quotes",
                               entity_id=quote.id, new_value=f"{quote.number} V{quote.version}"))
    phone = (contact.phone if contact is not None and contact.phone else None) or (customer.phone if customer else None)
    if phone and hidden:
        phone = mask_value("phone", phone)
    address = "".join(part for part in ((customer.province, customer.city, customer.address) if customer else ())
                      if part)
    party = PartyBlock(name=view.customer_name, contact=view.contact_name, phone=phone or "", address=address,
                       tax_id=(customer.uscc or "") if customer else "")
    issued = (view.sent_at or view.created_at).astimezone().date()
    lines = tuple(DocumentLine(position=line.position, description=line.description, quantity=line.quantity,
                               unit=line.unit, unit_price=line.unit_price, discount=line.discount_amount,
                               tax_rate_bp=line.tax_rate_bp, line_total=line.line_total, code=line.code)
                  for line in view.lines)
    return QuoteDocument(number=view.number, version=view.version, issued_on=issued, valid_until=view.valid_until,
                         company=company, customer=party, lines=lines, subtotal=view.subtotal,
                         discount_total=view.discount_total, tax_total=view.tax_total, total=view.total,
                         terms=view.terms, owner_name=view.owner_name, status=view.status)


# ---- labels --------------------------------------------------------------------------------------------
def status_label(status: str) -> str:
    labels = {
        "draft": _("Draft"), "pending_approval": _("Pending approval"), "approved": _("Approved"),
        "sent": _("Sent"), "accepted": _("Accepted"), "rejected": _("Rejected"), "expired": _("Expired"),
    }
    return labels.get(status, status)


def action_label(action: str) -> str:
    """What the history says a transition was."""
    labels = {
        "create": _("Created"), "edit": _("Changed, back to draft"), "submit": _("Submitted"),
        "approve": _("Approved"), "reject": _("Discount rejected"), "send": _("Sent"), "accept": _("Accepted"),
        "decline": _("Declined by the customer"), "expire": _("Expired"), "revise": _("New version"),
    }
    return labels.get(action, action)


# The names the issue gives these two steps.
revise = revise_quote
accept = accept_quote
