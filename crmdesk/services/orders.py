"""Orders (订单): create and edit, made from a contract or an accepted quote with its lines copied, the
VINs of the cars, and the status: draft -> confirmed -> delivered -> closed, or cancelled with a reason.

Delivering an order makes its customer a purchasing customer (intent grade O, 已成交) and starts the
post-delivery follow-up plan (followups.on_order_delivered), whichever path delivers it: an edit of the
status, `deliver`, an import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import (
    Contract,
    Customer,
    Installment,
    Order,
    OrderLine,
    PaymentAllocation,
    PaymentPlan,
    Product,
    Quote,
)
from crmdesk.models.base import utcnow
from crmdesk.services import followups
from crmdesk.services.entities import (
    EntityService,
    ListColumn,
    Record,
    check_customer_reference,
    visible_rows,
)
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.fields import MONEY_LIMIT, FieldSpec, collect_clean_values, parse_money, unstorable
from crmdesk.services.numbers import next_number
from crmdesk.services.uow import Actor, read_session, unit_of_work
from crmdesk.services.vin import check_vin

ORDER_STATUSES = ("draft", "confirmed", "delivered", "closed", "cancelled")
# Where each status may go. Delivering a draft is allowed (a walk-in buying a car in stock); the same
# status again is no change.
ORDER_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType({
    "draft": frozenset({"confirmed", "delivered", "cancelled"}),
    "confirmed": frozenset({"draft", "delivered", "cancelled"}),
    "delivered": frozenset({"closed"}),
    "closed": frozenset(),
    "cancelled": frozenset(),
})
CONTRACT_STATUSES_FOR_ORDERS = ("signed", "in_force")
PURCHASING_GRADE = "O"  # intent grade O: ordered (已成交)
FEN = Decimal("0.01")


@dataclass(frozen=True)
class OrderResult:
    """An order as saved, its lines, and the warnings to show (a VIN whose check digit fails)."""

    order: Record
    lines: tuple[Record, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineResult:
    line: Record
    warnings: tuple[str, ...] = ()


def _line_record(line: OrderLine, is_vehicle: bool) -> Record:
    values: dict[str, Any] = {column.key: getattr(line, column.key) for column in OrderLine.__table__.columns}
    values["is_vehicle"] = is_vehicle
    return Record("order_line", line.id, MappingProxyType(values))


class OrderService(EntityService):
    model = Order
    entity = "order"
    fields = (
        FieldSpec("customer_id", "ref", required=True),
        FieldSpec("status", "choice", required=True, choices=ORDER_STATUSES),
        FieldSpec("order_date", "date", required=True),
        FieldSpec("delivery_date", "date"),
        FieldSpec("total", "money"),
        FieldSpec("owner_id", "ref"),
        FieldSpec("contract_id", "ref"),
        FieldSpec("opportunity_id", "ref"),
        FieldSpec("notes", "longtext", max_length=10000),
        FieldSpec("external_id", max_length=100),
    )
    columns = (
        ListColumn("number"),
        ListColumn("customer_name"),
        ListColumn("status", "code"),
        ListColumn("order_date", "date"),
        ListColumn("total", "money"),
        ListColumn("owner_id", "user"),
        ListColumn("created_at", "datetime"),
    )
    filterable = ("status", "owner_id", "customer_id")
    default_sort = ("order_date", True)

    def create(self, actor: Actor, values: Any) -> Record:
        return super().create(actor, {"status": "draft", "order_date": date.today(), **values})

    def _check(self, session: Session, actor: Actor, values: dict[str, Any], obj: Any | None,
               errors: dict[str, str]) -> None:
        check_customer_reference(session, values, errors)
        order_date = values.get("order_date", obj.order_date if obj is not None else None)
        delivery = values.get("delivery_date", obj.delivery_date if obj is not None else None)
        if order_date and delivery and delivery < order_date:
            errors.setdefault("delivery_date", _("Delivery cannot be before the order date."))
        status = values.get("status")
        if obj is not None and status is not None and status != obj.status \
                and status not in ORDER_TRANSITIONS.get(obj.status, frozenset()):
            errors.setdefault("status", _("An order that is {status} cannot become {target}.",
                                          status=obj.status, target=status))
        reason = values.get("cancel_reason", obj.cancel_reason if obj is not None else None)
        if status == "cancelled" and not reason and (obj is None or obj.status != "cancelled"):
            errors.setdefault("cancel_reason", _("Say why the order is cancelled."))
        if status == "cancelled" and obj is not None and obj.status != "cancelled" \
                and _allocated_to_order(session, obj.id):
            errors.setdefault("status", _("Payments are allocated to this order's installments; unallocate them "
                                          "before the order is cancelled."))
        if obj is None and not errors:
            values["number"] = next_number(session, "SO")

    def _after_create(self, session: Session, actor: Actor, obj: Any) -> None:
        _stamp_status(obj, None)
        if obj.status == "delivered":
            _on_delivered(session, actor, obj)

    def _after_update(self, session: Session, actor: Actor, obj: Any, changes: dict[str, Any]) -> None:
        if changes.get("status") == "delivered":
            _on_delivered(session, actor, obj)  # delivered_at and the plan (once)
        if "status" in changes:
            _stamp_status(obj, changes["status"])
        if changes.get("status") == "cancelled":
            _drop_unpaid_plans(session, obj)

    # ---- the status ----------------------------------------------------------------------------
    def confirm(self, actor: Actor, order_id: str) -> Record:
        """draft -> confirmed: the customer has agreed to what the order says."""
        return self.update(actor, order_id, {"status": "confirmed"})

    def deliver(self, actor: Actor, order_id: str, delivery_date: date | str | None = None) -> Record:
        """-> delivered on `delivery_date` (today by default): the customer becomes a purchasing customer
        and the after-delivery follow-ups are planned."""
        changes: dict[str, Any] = {"status": "delivered"}
        changes["delivery_date"] = delivery_date or date.today()
        return self.update(actor, order_id, changes)

    def close(self, actor: Actor, order_id: str) -> Record:
        """delivered -> closed: nothing is left to do on the order."""
        return self.update(actor, order_id, {"status": "closed"})

    def cancel(self, actor: Actor, order_id: str, reason: str) -> Record:
        """draft or confirmed -> cancelled, with the reason. An order with payments allocated to it is not
        cancelled (take the payments off it first); its unpaid payment plan goes with it."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"cancel_reason": _("Say why the order is cancelled.")})
        if len(reason) > 200:
            raise ValidationError({"cancel_reason": _("At most {count} characters.", count=200)})
        if unstorable(reason):
            raise ValidationError({"cancel_reason": _("Contains characters that cannot be stored.")})
        with unit_of_work(self.db, actor) as session:
            obj = self._load(session, actor, order_id)
            obj.cancel_reason = reason  # read by _check; rolled back with the rest if the cancel is refused
            cleaned = self._validate(session, actor, {"status": "cancelled"}, obj)
            for key, value in cleaned.items():
                setattr(obj, key, value)
            self._after_update(session, actor, obj, cleaned)
            session.flush()
            record = self._to_record(obj)
        return self._mask_record(actor, record)

    # ---- lines ---------------------------------------------------------------------------------
    def lines(self, actor: Actor, order_id: str) -> list[Record]:
        """The order's live lines in order, each with is_vehicle."""
        with read_session(self.db) as session:
            order = self._load(session, actor, order_id)
            return [_line_record(line, bool(vehicle)) for line, vehicle in _lines(session, order.id)]

    def add_line(self, actor: Actor, order_id: str, values: Mapping[str, Any]) -> LineResult:
        """A line on a draft or confirmed order (description, quantity, unit_price, unit, product_id, vin);
        the order's total becomes the sum of its lines."""
        values = dict(values)
        try:  # a unit price is rounded to the fen, not refused for a third decimal
            if values.get("unit_price") not in (None, ""):
                values["unit_price"] = parse_money(values["unit_price"]).quantize(FEN, rounding=ROUND_HALF_UP)
        except ValueError:
            pass  # the field's own check says what is wrong with it
        cleaned, errors = collect_clean_values(_LINE_FIELDS, values)
        quantity = _quantity(values.get("quantity", "1"), errors)
        unit_price = (cleaned.get("unit_price") or Decimal("0")).quantize(FEN, rounding=ROUND_HALF_UP)
        if quantity is not None and abs(quantity * unit_price) >= MONEY_LIMIT:  # stored as fen, in a 64-bit integer
            errors.setdefault("unit_price", _("The amount must be less than 1,000,000,000,000 yuan."))
        warnings: list[str] = []
        with unit_of_work(self.db, actor) as session:
            order = self._load(session, actor, order_id)
            _check_editable(order)
            product = _product(session, cleaned.get("product_id"), errors)
            vin = cleaned.get("vin")
            if vin:
                vin = _clean_vin(session, vin, product, None, errors, warnings)
            if product is not None and quantity is not None and product.is_vehicle and vin and quantity != 1:
                errors.setdefault("quantity", _("A line with a VIN is one car: its quantity is 1."))
            if errors:
                raise ValidationError(errors)
            assert quantity is not None
            position = int(session.scalar(select(func.coalesce(func.max(OrderLine.position), 0)).where(
                OrderLine.order_id == order.id, OrderLine.deleted_at.is_(None))) or 0) + 1
            line = OrderLine(order_id=order.id, position=position, product_id=product.id if product else None,
                             description=cleaned.get("description") or (product.name_zh if product else ""),
                             quantity=quantity, unit=cleaned.get("unit") or (product.unit if product else None),
                             unit_price=unit_price,
                             line_total=(quantity * unit_price).quantize(FEN, rounding=ROUND_HALF_UP), vin=vin)
            session.add(line)
            session.flush()
            _sum_lines(session, order)
            return LineResult(_line_record(line, bool(product and product.is_vehicle)), tuple(warnings))

    def set_vin(self, actor: Actor, line_id: str, vin: str | None) -> LineResult:
        """The VIN of one car line: 17 characters without I, O, Q (else ValidationError); a failed check
        digit comes back as a warning and the VIN is kept. An empty VIN clears it."""
        warnings: list[str] = []
        errors: dict[str, str] = {}
        with unit_of_work(self.db, actor) as session:
            line = session.get(OrderLine, line_id)
            if line is None or line.deleted_at is not None:
                raise NotFoundError("order_line", line_id)
            order = self._load(session, actor, line.order_id)
            if order.status in ("closed", "cancelled"):
                raise ConflictError(_("A closed or cancelled order cannot be changed."))
            product = session.get(Product, line.product_id) if line.product_id else None
            text = (vin or "").strip()
            cleaned = _clean_vin(session, text, product, line.id, errors, warnings) if text else None
            if errors:
                raise ValidationError(errors)
            line.vin = cleaned
            session.flush()
            return LineResult(_line_record(line, bool(product and product.is_vehicle)), tuple(warnings))

    # ---- made from a contract or a quote ---------------------------------------------------------
    def create_from_contract(self, actor: Actor, contract_id: str, *, vins: Sequence[str] = (),
                             order_date: date | None = None, delivery_date: date | None = None) -> OrderResult:
        """A draft order from a signed (or in-force) contract: the customer, owner, deal and the lines of
        its quote (a contract without a quote: one line, its title and amount), total = the contract's
        amount. One open order per contract. `vins` fill the car lines in order (see create_from_quote)."""
        with unit_of_work(self.db, actor) as session:
            contract = session.scalars(select(Contract).where(
                Contract.id == contract_id, Contract.deleted_at.is_(None), visible_rows(actor, Contract))).first()
            if contract is None:
                raise NotFoundError("contract", contract_id)
            if contract.status not in CONTRACT_STATUSES_FOR_ORDERS:
                raise ConflictError(_("An order is made from a signed contract (this one is {status}).",
                                      status=contract.status))
            _refuse_second_order(session, Order.contract_id == contract.id)
            quote = session.get(Quote, contract.quote_id) if contract.quote_id else None
            return self._make(session, actor, customer_id=contract.customer_id, owner_id=contract.owner_id,
                              opportunity_id=contract.opportunity_id, contract_id=contract.id,
                              quote=quote, source=("contract", contract.id), title=contract.title,
                              total=contract.amount, vins=vins, order_date=order_date,
                              delivery_date=delivery_date)

    def create_from_quote(self, actor: Actor, quote_id: str, *, vins: Sequence[str] = (),
                          order_date: date | None = None, delivery_date: date | None = None) -> OrderResult:
        """A draft order straight from an accepted quote version (no contract): its lines are copied, a
        car line of n cars becoming n lines of one car each, so each car has its own VIN; `vins` fill the
        car lines in order (a failed check digit is a warning in the result, a malformed VIN refuses the
        whole order)."""
        with unit_of_work(self.db, actor) as session:
            quote = session.scalars(select(Quote).where(
                Quote.id == quote_id, Quote.deleted_at.is_(None), visible_rows(actor, Quote))).first()
            if quote is None:
                raise NotFoundError("quote", quote_id)
            if quote.status != "accepted":
                raise ConflictError(_("An order is made from an accepted quote (this one is {status}).",
                                      status=quote.status))
            _refuse_second_order(session, Order.quote_id == quote.id)
            return self._make(session, actor, customer_id=quote.customer_id, owner_id=quote.owner_id,
                              opportunity_id=quote.opportunity_id, contract_id=None, quote=quote,
                              source=("quote", quote.id), title=quote.number, total=None, vins=vins,
                              order_date=order_date, delivery_date=delivery_date)

    def _make(self, session: Session, actor: Actor, *, customer_id: str, owner_id: str | None,
              opportunity_id: str | None, contract_id: str | None, quote: Quote | None, source: tuple[str, str],
              title: str, total: Decimal | None, vins: Sequence[str], order_date: date | None,
              delivery_date: date | None) -> OrderResult:
        from crmdesk.services.contracts import quote_lines

        customer = session.get(Customer, customer_id)
        if customer is None or customer.deleted_at is not None:
            raise ValidationError({"customer_id": _("Choose an existing customer.")})
        day = order_date or date.today()
        if delivery_date is not None and delivery_date < day:
            raise ValidationError({"delivery_date": _("Delivery cannot be before the order date.")})
        source_lines = quote_lines(session, quote.id) if quote is not None else []
        drafts: list[tuple[str | None, str, Decimal, str | None, Decimal, Decimal, bool]] = []
        for line in source_lines:
            whole = line.quantity == line.quantity.to_integral_value()
            if line.is_vehicle and whole and line.quantity > 1:
                count = int(line.quantity)
                share = (line.line_total / count).quantize(FEN, rounding=ROUND_HALF_UP)
                for index in range(count):  # the last car takes the fen the shares leave
                    amount = share if index < count - 1 else line.line_total - share * (count - 1)
                    drafts.append((line.product_id, line.description, Decimal("1"), line.unit, line.unit_price,
                                   amount, True))
            else:
                drafts.append((line.product_id, line.description, line.quantity, line.unit, line.unit_price,
                               line.line_total, line.is_vehicle))
        if not drafts:
            amount = total or Decimal("0")
            drafts.append((None, title[:300], Decimal("1"), None, amount, amount, False))
        car_lines = [index for index, draft in enumerate(drafts) if draft[6]]
        errors: dict[str, str] = {}
        warnings: list[str] = []
        if len(vins) > len(car_lines):
            errors["vins"] = _("{count} VINs for {cars} cars.", count=len(vins), cars=len(car_lines))
        cleaned_vins: dict[int, str] = {}  # draft index -> VIN
        for index, (position, text) in enumerate(zip(car_lines, vins, strict=False)):
            if not text or not text.strip():
                continue
            vin = _clean_vin(session, text, None, None, errors, warnings, field=f"vins[{index}]")
            if vin is not None and vin in cleaned_vins.values():
                errors[f"vins[{index}]"] = _("VIN {vin} is given twice.", vin=vin)
            elif vin is not None:
                cleaned_vins[position] = vin
        if errors:
            raise ValidationError(errors)
        order = Order(number=next_number(session, "SO"), customer_id=customer.id, customer_name=customer.name,
                      contract_id=contract_id, opportunity_id=opportunity_id, quote_id=quote.id if quote else None,
                      status="draft", order_date=day, delivery_date=delivery_date,
                      total=total if total is not None else sum((d[5] for d in drafts), Decimal("0")),
                      owner_id=owner_id or actor.user_id, team_id=actor.team_id,
                      source_type=source[0], source_id=source[1])
        session.add(order)
        session.flush()
        lines = []
        for position, (product_id, description, quantity, unit, unit_price, line_total, is_vehicle) in \
                enumerate(drafts, start=1):
            order_line = OrderLine(order_id=order.id, position=position, product_id=product_id,
                             description=description[:300], quantity=quantity, unit=unit, unit_price=unit_price,
                             line_total=line_total, vin=cleaned_vins.get(position - 1))
            session.add(order_line)
            lines.append((order_line, is_vehicle))
        session.flush()
        return OrderResult(self._to_record(order), tuple(_line_record(item, vehicle) for item, vehicle in lines),
                           tuple(warnings))


def resolve_order(db: Any, actor: Actor, reference: str) -> str:
    """The id of the order with this id or number (CLI)."""
    with read_session(db) as session:
        order_id = session.scalar(select(Order.id).where(
            or_(Order.id == reference, Order.number == reference), Order.deleted_at.is_(None),
            visible_rows(actor, Order)))
    if order_id is None:
        raise NotFoundError("order", reference)
    return str(order_id)


_LINE_FIELDS = (
    FieldSpec("description", max_length=300),
    FieldSpec("quantity", max_length=20),
    FieldSpec("unit", max_length=20),
    FieldSpec("unit_price", "money"),
    FieldSpec("product_id", "ref"),
    FieldSpec("vin", max_length=40),
)


def _quantity(raw: Any, errors: dict[str, str]) -> Decimal | None:
    try:
        quantity = Decimal(str(raw).strip() or "1")
    except ArithmeticError:
        errors["quantity"] = _("Not a quantity; write it as 1 or 2.5.")
        return None
    if not quantity.is_finite() or quantity <= 0 or quantity >= 1_000_000:
        errors["quantity"] = _("The quantity must be more than 0.")
        return None
    if quantity != quantity.quantize(Decimal("0.001")):  # stored in thousandths
        errors["quantity"] = _("At most three decimals in a quantity.")
        return None
    return quantity


def _product(session: Session, product_id: str | None, errors: dict[str, str]) -> Product | None:
    if not product_id:
        return None
    product = session.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        errors["product_id"] = _("Choose an existing product.")
        return None
    return product


def _check_editable(order: Order) -> None:
    if order.status not in ("draft", "confirmed"):
        raise ConflictError(_("Lines are changed on a draft or confirmed order only."))


def _sum_lines(session: Session, order: Order) -> None:
    total = session.scalar(select(func.sum(OrderLine.line_total)).where(
        OrderLine.order_id == order.id, OrderLine.deleted_at.is_(None)))
    order.total = total if total is not None else Decimal("0")


def _lines(session: Session, order_id: str) -> list[tuple[OrderLine, bool | None]]:
    statement = (select(OrderLine, Product.is_vehicle).outerjoin(Product, Product.id == OrderLine.product_id)
                 .where(OrderLine.order_id == order_id, OrderLine.deleted_at.is_(None))
                 .order_by(OrderLine.position, OrderLine.id))
    return [(line, vehicle) for line, vehicle in session.execute(statement)]


def _clean_vin(session: Session, text: str, product: Product | None, line_id: str | None, errors: dict[str, str],
               warnings: list[str], field: str = "vin") -> str | None:
    """The VIN checked (shape: an error; check digit: a warning) and not on another open order's line."""
    if product is not None and not product.is_vehicle:
        errors[field] = _("{product} is not a vehicle; only a car line takes a VIN.", product=product.name_zh)
        return None
    try:
        checked = check_vin(text)
    except ValueError as error:
        errors[field] = str(error)
        return None
    taken = session.scalar(
        select(Order.number).join(OrderLine, OrderLine.order_id == Order.id)
        .where(OrderLine.vin == checked.vin, OrderLine.deleted_at.is_(None), OrderLine.id != (line_id or ""),
               Order.deleted_at.is_(None), Order.status != "cancelled").limit(1))
    if taken is not None:
        errors[field] = _("VIN {vin} is already on order {number}.", vin=checked.vin, number=taken)
        return None
    if checked.warning:
        warnings.append(checked.warning)
    return checked.vin


def _refuse_second_order(session: Session, condition: Any) -> None:
    number = session.scalar(select(Order.number).where(condition, Order.deleted_at.is_(None),
                                                       Order.status != "cancelled").limit(1))
    if number is not None:
        raise ConflictError(_("Order {number} was already made from it.", number=number))


def _stamp_status(order: Order, status: str | None) -> None:
    now = utcnow()
    status = status or order.status
    if status == "confirmed" and order.confirmed_at is None:
        order.confirmed_at = now
    elif status == "closed":
        order.closed_at = now
    elif status == "cancelled":
        order.cancelled_at = now


def _on_delivered(session: Session, actor: Actor, order: Order) -> None:
    """The customer becomes a purchasing customer (grade O, which also ends the intent cadence), then
    the delivery time and the after-delivery plan."""
    customer = session.get(Customer, order.customer_id)
    if customer is not None and customer.deleted_at is None and customer.intent_grade != PURCHASING_GRADE:
        customer.intent_grade = PURCHASING_GRADE
    followups.on_order_delivered(session, actor, order)


def _allocated_to_order(session: Session, order_id: str) -> bool:
    found = session.scalar(
        select(PaymentAllocation.id).join(Installment, Installment.id == PaymentAllocation.installment_id)
        .join(PaymentPlan, PaymentPlan.id == Installment.plan_id)
        .where(PaymentPlan.order_id == order_id, PaymentPlan.deleted_at.is_(None),
               PaymentAllocation.deleted_at.is_(None), Installment.deleted_at.is_(None)).limit(1))
    return found is not None


def _drop_unpaid_plans(session: Session, order: Order) -> None:
    """A cancelled order is owed nothing: its payment plan (with nothing paid on it) goes too."""
    now = utcnow()
    for plan in session.scalars(select(PaymentPlan).where(PaymentPlan.order_id == order.id,
                                                          PaymentPlan.deleted_at.is_(None))):
        for installment in session.scalars(select(Installment).where(Installment.plan_id == plan.id,
                                                                     Installment.deleted_at.is_(None))):
            installment.deleted_at = now
        plan.deleted_at = now
