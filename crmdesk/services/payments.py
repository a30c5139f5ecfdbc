"""Payment plans, payments and reconciliation (回款计划 / 回款 / 核销), and the receivables report.

A contract or an order has one payment plan: installments given as due date + amount (adding up to
the plan's total) or as percentages (adding up to 100 %, each rounded half up to the fen and the last
taking what rounding left). A payment received (date, amount, method, payer, reference) is allocated to
installments, automatically oldest due first or by hand; what no installment takes stays as the
customer's credit (customer_credit) until it is allocated later (allocate_credit). An allocation is
undone by a tombstone, so the audit log and a sync both see it.

An installment's paid amount and status (open / partial / paid) are kept with every allocation;
"overdue" depends on the day it is read, so it is computed (installment_status), never stored.

The receivables report is computed in SQL as of a day: what was collected counts payments received on
or before it; the aging buckets count the days an installment is past due (1-30, 31-60, 61-90, > 90).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Date, bindparam, func, or_, select, text
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import (
    Contract,
    Customer,
    Installment,
    Order,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    User,
)
from crmdesk.models.base import from_fen, utcnow
from crmdesk.models.database import Database
from crmdesk.services.entities import visible_rows
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.fields import FieldSpec, collect_clean_values, parse_money
from crmdesk.services.uow import Actor, read_session, unit_of_work

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED_PERCENT_BP = 10_000
MAX_INSTALLMENTS = 120
PAYMENT_METHODS = ("bank_transfer", "cash", "card", "wechat", "alipay", "cheque", "loan", "other")
AGING_BUCKETS = ("0-30", "31-60", "61-90", "90+")  # days past due: 1-30, 31-60, 61-90, more than 90
LIST_LIMIT = 500


# ---- what the callers get ------------------------------------------------------------------------
@dataclass(frozen=True)
class InstallmentView:
    id: str
    plan_id: str
    sequence: int
    due_date: date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal
    status: str  # open / partial / paid / overdue (as of the day read)
    percent: Decimal | None  # 30.00 for 30 %, if the plan was given in percentages
    note: str | None


@dataclass(frozen=True)
class PlanView:
    id: str
    customer_id: str
    order_id: str | None
    contract_id: str | None
    owner_id: str | None
    basis: str | None  # amount / percent
    total: Decimal
    paid: Decimal
    outstanding: Decimal
    installments: tuple[InstallmentView, ...]


@dataclass(frozen=True)
class AllocationView:
    id: str
    payment_id: str
    installment_id: str
    amount: Decimal
    created_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class PaymentView:
    id: str
    customer_id: str
    order_id: str | None
    contract_id: str | None
    received_on: date
    amount: Decimal
    method: str | None
    payer: str | None
    reference: str | None
    notes: str | None
    allocated: Decimal
    unallocated: Decimal


@dataclass(frozen=True)
class PaymentResult:
    """A payment as saved, what it was allocated to now, and the customer's credit after it."""

    payment: PaymentView
    allocations: tuple[AllocationView, ...]
    customer_credit: Decimal


def installment_status(amount: Decimal, paid: Decimal, due_date: date, today: date) -> str:
    """paid when nothing is owed; overdue when something is owed after the due date; else partial or open."""
    if paid >= amount:
        return "paid"
    if due_date < today:
        return "overdue"
    return "partial" if paid > 0 else "open"


def _stored_status(amount: Decimal, paid: Decimal) -> str:
    return "paid" if paid >= amount else ("partial" if paid > 0 else "open")


def _installment_view(row: Installment, today: date) -> InstallmentView:
    return InstallmentView(
        row.id, row.plan_id, row.sequence, row.due_date, row.amount, row.paid_amount, row.amount - row.paid_amount,
        installment_status(row.amount, row.paid_amount, row.due_date, today),
        (Decimal(row.percent_bp) / 100).quantize(FEN) if row.percent_bp is not None else None, row.note)


def _plan_view(session: Session, plan: PaymentPlan, today: date) -> PlanView:
    rows = list(session.scalars(select(Installment).where(Installment.plan_id == plan.id,
                                                          Installment.deleted_at.is_(None))
                                .order_by(Installment.sequence, Installment.due_date, Installment.id)))
    installments = tuple(_installment_view(row, today) for row in rows)
    paid = sum((item.paid for item in installments), ZERO)
    return PlanView(plan.id, plan.customer_id, plan.order_id, plan.contract_id, plan.owner_id, plan.basis,
                    plan.total, paid, plan.total - paid, installments)


def _allocation_view(row: PaymentAllocation) -> AllocationView:
    return AllocationView(row.id, row.payment_id, row.installment_id, row.amount, row.created_at, row.deleted_at)


# ---- payment plans -------------------------------------------------------------------------------
def _parse_percent(raw: Any) -> int:
    """30 / "30" / "30%" / "33.33" -> basis points (3000, 3333); ValueError otherwise."""
    text_value = str(raw).strip().removesuffix("%").removesuffix("％").strip()
    try:
        percent = Decimal(text_value)
    except InvalidOperation as error:
        raise ValueError(_("Not a percentage; write it as 30 or 33.33.")) from error
    if not percent.is_finite() or percent <= 0 or percent > 100:
        raise ValueError(_("A percentage is more than 0 and at most 100."))
    if percent != percent.quantize(FEN):
        raise ValueError(_("A percentage has at most two decimals."))
    return int(percent * 100)


def _plan_source(session: Session, actor: Actor, order_id: str | None,
                 contract_id: str | None) -> tuple[Order | None, Contract | None]:
    if bool(order_id) == bool(contract_id):
        raise ValidationError({"source": _("A payment plan belongs to one contract or one order.")})
    if order_id:
        order = session.scalars(select(Order).where(Order.id == order_id, Order.deleted_at.is_(None),
                                                    visible_rows(actor, Order))).first()
        if order is None:
            raise NotFoundError("order", order_id)
        if order.status == "cancelled":
            raise ConflictError(_("A cancelled order has no payment plan."))
        return order, None
    contract = session.scalars(select(Contract).where(Contract.id == contract_id, Contract.deleted_at.is_(None),
                                                      visible_rows(actor, Contract))).first()
    if contract is None:
        raise NotFoundError("contract", contract_id or "")
    if contract.status == "terminated":
        raise ConflictError(_("A terminated contract has no payment plan."))
    return None, contract


def _existing_plan(session: Session, order: Order | None, contract: Contract | None) -> str | None:
    """The live plan that already covers this money: the source's own, its contract's (an order made from
    a contract), or one of its orders' (a contract): one plan for one sale, never two."""
    conditions = []
    if order is not None:
        conditions.append(PaymentPlan.order_id == order.id)
        if order.contract_id:
            conditions.append(PaymentPlan.contract_id == order.contract_id)
    if contract is not None:
        conditions.append(PaymentPlan.contract_id == contract.id)
        conditions.append(PaymentPlan.order_id.in_(select(Order.id).where(
            Order.contract_id == contract.id, Order.deleted_at.is_(None))))
    found = session.scalar(select(PaymentPlan.id).where(or_(*conditions), PaymentPlan.deleted_at.is_(None)).limit(1))
    return str(found) if found is not None else None


def create_payment_plan(db: Database, actor: Actor, *, installments: Sequence[Mapping[str, Any]],
                        order_id: str | None = None, contract_id: str | None = None,
                        total: Decimal | str | None = None, today: date | None = None) -> PlanView:
    """A plan for a contract or an order: `installments` are {"due_date", "amount"} or {"due_date",
    "percent"} (all one way), each with an optional "note". `total` is the contract's amount or the
    order's total unless given. Amounts must add up to the total; percentages to 100, each share
    rounded half up to the fen and the last taking the remainder. ValidationError names each bad entry
    as installments[i].field."""
    today = today or date.today()
    errors: dict[str, str] = {}
    if not installments:
        errors["installments"] = _("Give at least one installment.")
    if len(installments) > MAX_INSTALLMENTS:
        errors["installments"] = _("At most {count} installments.", count=MAX_INSTALLMENTS)
    kinds = {"percent" if item.get("percent") not in (None, "") else "amount" for item in installments}
    if len(kinds) > 1:
        errors["installments"] = _("Give every installment as an amount or every one as a percentage.")
    basis = kinds.pop() if len(kinds) == 1 else "amount"
    parsed: list[tuple[date, Decimal | None, int | None, str | None]] = []
    for index, item in enumerate(installments):
        cleaned, problems = collect_clean_values(_INSTALLMENT_FIELDS, {
            "due_date": item.get("due_date"), "note": item.get("note"),
            **({"amount": item.get("amount")} if basis == "amount" else {})}, partial=True)
        for name, message in problems.items():
            errors[f"installments[{index}].{name}"] = message
        if "due_date" not in cleaned or cleaned["due_date"] is None:
            errors.setdefault(f"installments[{index}].due_date", _("This field is required."))
        amount: Decimal | None = None
        percent_bp: int | None = None
        if basis == "amount":
            amount = cleaned.get("amount")
            if amount is None or amount <= 0:
                errors.setdefault(f"installments[{index}].amount", _("The amount must be more than 0."))
            elif amount != amount.quantize(FEN):
                errors[f"installments[{index}].amount"] = _("An amount has at most two decimals (fen).")
            else:
                amount = amount.quantize(FEN)
        else:
            try:
                percent_bp = _parse_percent(item.get("percent"))
            except ValueError as error:
                errors[f"installments[{index}].percent"] = str(error)
        parsed.append((cleaned.get("due_date") or today, amount, percent_bp, cleaned.get("note")))
    base: Decimal | None = None
    if total not in (None, ""):
        try:
            base = parse_money(total).quantize(FEN, rounding=ROUND_HALF_UP)
        except ValueError as error:
            errors["total"] = str(error)
    with unit_of_work(db, actor) as session:
        order, contract = _plan_source(session, actor, order_id, contract_id)
        source_amount = order.total if order is not None else contract.amount  # type: ignore[union-attr]
        base = source_amount if base is None else base
        if base is None or base <= 0:
            errors["total"] = _("The plan's total must be more than 0.")
        if not errors:
            _check_sum(basis, parsed, base, errors)
        if errors:
            raise ValidationError(errors)
        assert base is not None
        existing = _existing_plan(session, order, contract)
        if existing is not None:
            raise ConflictError(_("This sale already has a payment plan; delete it before making another."))
        customer_id = order.customer_id if order is not None else contract.customer_id  # type: ignore[union-attr]
        owner_id = order.owner_id if order is not None else contract.owner_id  # type: ignore[union-attr]
        plan = PaymentPlan(order_id=order.id if order else None, contract_id=contract.id if contract else None,
                           customer_id=customer_id, total=base, owner_id=owner_id, basis=basis,
                           source_type="order" if order is not None else "contract",
                           source_id=order.id if order is not None else contract.id)  # type: ignore[union-attr]
        session.add(plan)
        session.flush()
        for sequence, (due, amount, percent_bp, note) in enumerate(parsed, start=1):
            session.add(Installment(plan_id=plan.id, sequence=sequence, due_date=due, amount=amount,
                                    paid_amount=ZERO, status="open", percent_bp=percent_bp, note=note,
                                    customer_id=customer_id, owner_id=owner_id))
        session.flush()
        return _plan_view(session, plan, today)


_INSTALLMENT_FIELDS = (
    FieldSpec("due_date", "date", required=True),
    FieldSpec("amount", "money"),
    FieldSpec("note", max_length=200),
)


def _check_sum(basis: str, parsed: list[tuple[date, Decimal | None, int | None, str | None]], base: Decimal,
               errors: dict[str, str]) -> None:
    """Amounts must add up to the total; percentages to 100 % (their amounts are filled in here)."""
    if basis == "amount":
        given = sum((amount for _due, amount, _bp, _note in parsed if amount is not None), ZERO)
        if given != base:
            errors["installments"] = _("The installments add up to {given}, not to the plan's total {total}.",
                                       given=f"{given:,.2f}", total=f"{base:,.2f}")
        return
    points = sum(bp for _due, _amount, bp, _note in parsed if bp is not None)
    if points != HUNDRED_PERCENT_BP:
        errors["installments"] = _("The percentages add up to {given} %, not to 100 %.",
                                   given=f"{Decimal(points) / 100:.2f}")
        return
    amounts: list[Decimal] = []
    for index, (_due, _amount, bp, _note) in enumerate(parsed):
        assert bp is not None
        if index < len(parsed) - 1:
            amounts.append((base * bp / HUNDRED_PERCENT_BP).quantize(FEN, rounding=ROUND_HALF_UP))
        else:
            amounts.append(base - sum(amounts, ZERO))
    if amounts[-1] <= 0:
        errors["installments"] = _("The last installment would be nothing; give fewer or larger shares.")
        return
    for index, amount in enumerate(amounts):
        due, _amount, bp, note = parsed[index]
        parsed[index] = (due, amount, bp, note)


def payment_plan(db: Database, actor: Actor, plan_id: str, today: date | None = None) -> PlanView:
    with read_session(db) as session:
        return _plan_view(session, _plan(session, actor, plan_id), today or date.today())


def plan_for(db: Database, actor: Actor, *, order_id: str | None = None, contract_id: str | None = None,
             today: date | None = None) -> PlanView | None:
    """The live plan of an order or a contract, or None."""
    condition = PaymentPlan.order_id == order_id if order_id else PaymentPlan.contract_id == contract_id
    with read_session(db) as session:
        plan = session.scalars(select(PaymentPlan).where(condition, PaymentPlan.deleted_at.is_(None),
                                                         visible_rows(actor, PaymentPlan))).first()
        return _plan_view(session, plan, today or date.today()) if plan is not None else None


def delete_payment_plan(db: Database, actor: Actor, plan_id: str) -> None:
    """Remove a plan nothing was paid on (tombstones: audited and synced)."""
    with unit_of_work(db, actor) as session:
        plan = _plan(session, actor, plan_id)
        paid = session.scalar(select(PaymentAllocation.id).join(
            Installment, Installment.id == PaymentAllocation.installment_id).where(
            Installment.plan_id == plan.id, PaymentAllocation.deleted_at.is_(None)).limit(1))
        if paid is not None:
            raise ConflictError(_("Payments are allocated to this plan; unallocate them first."))
        now = utcnow()
        for row in session.scalars(select(Installment).where(Installment.plan_id == plan.id,
                                                             Installment.deleted_at.is_(None))):
            row.deleted_at = now
        plan.deleted_at = now


def _plan(session: Session, actor: Actor, plan_id: str) -> PaymentPlan:
    plan = session.scalars(select(PaymentPlan).where(PaymentPlan.id == plan_id, PaymentPlan.deleted_at.is_(None),
                                                     visible_rows(actor, PaymentPlan))).first()
    if plan is None:
        raise NotFoundError("payment_plan", plan_id)
    return plan


# ---- payments and allocations --------------------------------------------------------------------
_PAYMENT_FIELDS = (
    FieldSpec("customer_id", "ref", required=True),
    FieldSpec("received_on", "date", required=True),
    FieldSpec("amount", "money", required=True),
    FieldSpec("method", "choice", choices=PAYMENT_METHODS),
    FieldSpec("payer", max_length=200),
    FieldSpec("reference", max_length=100),
    FieldSpec("notes", "longtext", max_length=2000),
    FieldSpec("order_id", "ref"),
    FieldSpec("contract_id", "ref"),
)


def _allocated(session: Session, payment_id: str) -> Decimal:
    total = session.scalar(select(func.sum(PaymentAllocation.amount)).where(
        PaymentAllocation.payment_id == payment_id, PaymentAllocation.deleted_at.is_(None)))
    return total if total is not None else ZERO


def _payment_view(session: Session, payment: Payment) -> PaymentView:
    allocated = _allocated(session, payment.id)
    return PaymentView(payment.id, payment.customer_id, payment.order_id, payment.contract_id, payment.received_on,
                       payment.amount, payment.method, payment.payer, payment.reference, payment.notes, allocated,
                       payment.amount - allocated)


def _credit(session: Session, customer_id: str) -> Decimal:
    received = session.scalar(select(func.sum(Payment.amount)).where(
        Payment.customer_id == customer_id, Payment.deleted_at.is_(None)))
    allocated = session.scalar(select(func.sum(PaymentAllocation.amount)).join(
        Payment, Payment.id == PaymentAllocation.payment_id).where(
        Payment.customer_id == customer_id, Payment.deleted_at.is_(None), PaymentAllocation.deleted_at.is_(None)))
    return (received or ZERO) - (allocated or ZERO)


def customer_credit(db: Database, customer_id: str, actor: Actor | None = None) -> Decimal:
    """What the customer paid that no installment took (over-payments, payments not yet allocated).

    With `actor`, a customer outside their data scope is refused as not found (the CLI passes it; the views
    ask only for customers a scoped list showed)."""
    with read_session(db) as session:
        if actor is not None and session.scalar(select(Customer.id).where(
                Customer.id == customer_id, Customer.deleted_at.is_(None), visible_rows(actor, Customer))) is None:
            raise NotFoundError("customer", customer_id)
        return _credit(session, customer_id)


def _refresh_installment(session: Session, installment: Installment) -> None:
    session.flush()
    paid = session.scalar(select(func.sum(PaymentAllocation.amount)).where(
        PaymentAllocation.installment_id == installment.id, PaymentAllocation.deleted_at.is_(None)))
    installment.paid_amount = paid if paid is not None else ZERO
    installment.status = _stored_status(installment.amount, installment.paid_amount)


def _open_installments(session: Session, customer_id: str, order_id: str | None,
                       contract_id: str | None) -> list[Installment]:
    """The customer's installments still owed, oldest due first; for a payment made against an order or
    a contract, only that sale's (the contract's plan or its orders')."""
    statement = (select(Installment).join(PaymentPlan, PaymentPlan.id == Installment.plan_id)
                 .where(PaymentPlan.customer_id == customer_id, PaymentPlan.deleted_at.is_(None),
                        Installment.deleted_at.is_(None), Installment.status != "paid"))
    if order_id:
        contract_of_order = select(Order.contract_id).where(Order.id == order_id).scalar_subquery()
        statement = statement.where(or_(PaymentPlan.order_id == order_id,
                                        PaymentPlan.contract_id == contract_of_order))
    elif contract_id:
        statement = statement.where(or_(PaymentPlan.contract_id == contract_id, PaymentPlan.order_id.in_(
            select(Order.id).where(Order.contract_id == contract_id))))
    return list(session.scalars(statement.order_by(Installment.due_date, Installment.sequence, Installment.id)))


def _allocate_oldest_first(session: Session, payment: Payment, available: Decimal,
                           scope: tuple[str | None, str | None]) -> list[PaymentAllocation]:
    made: list[PaymentAllocation] = []
    for installment in _open_installments(session, payment.customer_id, *scope):
        if available <= 0:
            break
        share = min(available, installment.amount - installment.paid_amount)
        if share <= 0:
            continue
        allocation = PaymentAllocation(payment_id=payment.id, installment_id=installment.id, amount=share)
        session.add(allocation)
        made.append(allocation)
        available -= share
        _refresh_installment(session, installment)
    return made


def record_payment(db: Database, actor: Actor, values: Mapping[str, Any], *, allocate: bool = True) -> PaymentResult:
    """A payment received: customer_id, received_on, amount, method (PAYMENT_METHODS), payer, reference,
    notes, and optionally the order_id or contract_id it pays for. With `allocate` it goes to the owed
    installments oldest due first (only that sale's, when one is named); what is left is credit."""
    cleaned, errors = collect_clean_values(_PAYMENT_FIELDS, values)
    amount = cleaned.get("amount")
    if amount is not None and amount <= 0:
        errors["amount"] = _("The amount must be more than 0.")
    elif amount is not None and amount != amount.quantize(FEN):
        errors["amount"] = _("An amount has at most two decimals (fen).")
    elif amount is not None:
        cleaned["amount"] = amount.quantize(FEN)
    with unit_of_work(db, actor) as session:
        customer = session.get(Customer, cleaned["customer_id"]) if cleaned.get("customer_id") else None
        if cleaned.get("customer_id") and (customer is None or customer.deleted_at is not None):
            errors["customer_id"] = _("Choose an existing customer.")
        sources: tuple[tuple[str, Any], ...] = (("order_id", Order), ("contract_id", Contract))
        for name, model in sources:
            if not cleaned.get(name):
                continue
            row = session.get(model, cleaned[name])
            if row is None or row.deleted_at is not None:
                errors[name] = _("Choose an existing record.")
            elif customer is not None and row.customer_id != customer.id:
                errors[name] = _("It belongs to another customer.")
        if errors:
            raise ValidationError(errors)
        payment = Payment(**cleaned)
        session.add(payment)
        session.flush()
        made = _allocate_oldest_first(session, payment, payment.amount, (payment.order_id, payment.contract_id)) \
            if allocate else []
        session.flush()
        return PaymentResult(_payment_view(session, payment), tuple(_allocation_view(row) for row in made),
                             _credit(session, payment.customer_id))


def _payment(session: Session, actor: Actor, payment_id: str) -> Payment:
    payment = session.scalars(select(Payment).where(Payment.id == payment_id, Payment.deleted_at.is_(None),
                                                    visible_rows(actor, Payment))).first()
    if payment is None:
        raise NotFoundError("payment", payment_id)
    return payment


def allocate_payment(db: Database, actor: Actor, payment_id: str, installment_id: str,
                     amount: Decimal | str | None = None) -> AllocationView:
    """By hand: `amount` of the payment (by default all it has left, up to what the installment is
    owed) to one installment of the same customer. More than the payment has left, or than the
    installment is owed, is refused."""
    with unit_of_work(db, actor) as session:
        payment = _payment(session, actor, payment_id)
        installment = session.get(Installment, installment_id)
        plan = session.get(PaymentPlan, installment.plan_id) if installment is not None else None
        if installment is None or installment.deleted_at is not None or plan is None or plan.deleted_at is not None:
            raise NotFoundError("installment", installment_id)
        if plan.customer_id != payment.customer_id:
            raise ValidationError({"installment_id": _("The installment is another customer's.")})
        left = payment.amount - _allocated(session, payment.id)
        owed = installment.amount - installment.paid_amount
        if amount in (None, ""):
            share = min(left, owed)
        else:
            try:
                share = parse_money(amount)
            except ValueError as error:
                raise ValidationError({"amount": str(error)}) from error
            if share == share.quantize(FEN):
                share = share.quantize(FEN)
        errors: dict[str, str] = {}
        if left <= 0:
            errors["amount"] = _("Nothing of the payment is left to allocate.")
        elif owed <= 0:
            errors["installment_id"] = _("The installment is paid.")
        elif share <= 0 or share != share.quantize(FEN):
            errors["amount"] = _("The amount must be more than 0, with at most two decimals.")
        elif share > left:
            errors["amount"] = _("The payment has only {left} left to allocate.", left=f"{left:,.2f}")
        elif share > owed:
            errors["amount"] = _("The installment is owed only {owed}; the rest stays as credit.",
                                 owed=f"{owed:,.2f}")
        if errors:
            raise ValidationError(errors)
        allocation = PaymentAllocation(payment_id=payment.id, installment_id=installment.id, amount=share)
        session.add(allocation)
        _refresh_installment(session, installment)
        session.flush()
        return _allocation_view(allocation)


def auto_allocate(db: Database, actor: Actor, payment_id: str) -> tuple[AllocationView, ...]:
    """What a payment has left, to the owed installments oldest due first (its sale's, if it names one)."""
    with unit_of_work(db, actor) as session:
        payment = _payment(session, actor, payment_id)
        left = payment.amount - _allocated(session, payment.id)
        made = _allocate_oldest_first(session, payment, left, (payment.order_id, payment.contract_id))
        session.flush()
        return tuple(_allocation_view(row) for row in made)


def allocate_credit(db: Database, actor: Actor, customer_id: str) -> tuple[AllocationView, ...]:
    """The customer's credit to their owed installments: the oldest payments' leftovers first, each to
    the oldest installments due (across all their plans)."""
    with unit_of_work(db, actor) as session:
        payments = session.scalars(select(Payment).where(
            Payment.customer_id == customer_id, Payment.deleted_at.is_(None), visible_rows(actor, Payment))
            .order_by(Payment.received_on, Payment.created_at, Payment.id))
        made: list[PaymentAllocation] = []
        for payment in list(payments):
            left = payment.amount - _allocated(session, payment.id)
            if left > 0:
                made += _allocate_oldest_first(session, payment, left, (None, None))
        session.flush()
        return tuple(_allocation_view(row) for row in made)


def unallocate(db: Database, actor: Actor, allocation_id: str) -> AllocationView:
    """Take an allocation back: the money is the customer's credit again, the installment owed again.
    The allocation keeps a tombstone, so the audit log shows who undid it and when."""
    with unit_of_work(db, actor) as session:
        allocation = session.get(PaymentAllocation, allocation_id)
        if allocation is None or allocation.deleted_at is not None:
            raise NotFoundError("payment_allocation", allocation_id)
        _payment(session, actor, allocation.payment_id)
        allocation.deleted_at = utcnow()
        installment = session.get(Installment, allocation.installment_id)
        if installment is not None:
            _refresh_installment(session, installment)
        session.flush()
        return _allocation_view(allocation)


def unallocate_payment(db: Database, actor: Actor, payment_id: str) -> tuple[AllocationView, ...]:
    """Every allocation of one payment taken back (a payment booked to the wrong sale)."""
    with unit_of_work(db, actor) as session:
        payment = _payment(session, actor, payment_id)
        now = utcnow()
        undone = []
        for allocation in list(session.scalars(select(PaymentAllocation).where(
                PaymentAllocation.payment_id == payment.id, PaymentAllocation.deleted_at.is_(None)))):
            allocation.deleted_at = now
            installment = session.get(Installment, allocation.installment_id)
            if installment is not None:
                _refresh_installment(session, installment)
            undone.append(allocation)
        session.flush()
        return tuple(_allocation_view(row) for row in undone)


def payments_for(db: Database, actor: Actor, customer_id: str) -> list[PaymentView]:
    """A customer's payments, newest first, with what each has allocated and left."""
    with read_session(db) as session:
        rows = session.scalars(select(Payment).where(
            Payment.customer_id == customer_id, Payment.deleted_at.is_(None), visible_rows(actor, Payment))
            .order_by(Payment.received_on.desc(), Payment.id.desc()).limit(LIST_LIMIT))
        return [_payment_view(session, row) for row in rows]


def allocations_of(db: Database, actor: Actor, payment_id: str, *, include_undone: bool = False) -> list[AllocationView]:
    """A payment's allocations, oldest first (the undone ones too with include_undone)."""
    with read_session(db) as session:
        payment = _payment(session, actor, payment_id)
        statement = select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id)
        if not include_undone:
            statement = statement.where(PaymentAllocation.deleted_at.is_(None))
        return [_allocation_view(row) for row in session.scalars(
            statement.order_by(PaymentAllocation.created_at, PaymentAllocation.id))]


# ---- receivables -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceivableRow:
    """Receivables of one customer, rep or month (of the due date), as of the report's day."""

    key: str | None
    label: str
    scheduled: Decimal = ZERO  # every installment
    due: Decimal = ZERO  # installments due on or before the day
    collected: Decimal = ZERO  # paid by payments received on or before the day
    outstanding: Decimal = ZERO  # scheduled - collected
    overdue: Decimal = ZERO  # still owed on installments past due
    aging: Mapping[str, Decimal] = field(default_factory=dict)  # AGING_BUCKETS -> owed past due

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "scheduled": str(self.scheduled), "due": str(self.due),
                "collected": str(self.collected), "outstanding": str(self.outstanding),
                "overdue": str(self.overdue),
                "aging": {bucket: str(self.aging.get(bucket, ZERO)) for bucket in AGING_BUCKETS}}


@dataclass(frozen=True)
class ReceivablesReport:
    as_of: date
    totals: ReceivableRow
    by_customer: tuple[ReceivableRow, ...]  # most outstanding first
    by_rep: tuple[ReceivableRow, ...]
    by_month: tuple[ReceivableRow, ...]  # by due month, oldest first
    received_by_month: tuple[tuple[str, Decimal], ...]  # payments received per month, up to the day
    credit: Decimal  # received up to the day and allocated to nothing
    customers: int  # customers with receivables (by_customer may be cut to a limit)

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "totals": self.totals.as_json(),
                "by_customer": [row.as_json() for row in self.by_customer], "customers": self.customers,
                "by_rep": [row.as_json() for row in self.by_rep],
                "by_month": [row.as_json() for row in self.by_month],
                "received_by_month": [{"month": month, "amount": str(amount)}
                                      for month, amount in self.received_by_month],
                "credit": str(self.credit), "aging_buckets": list(AGING_BUCKETS)}


# Two passes over the live installments, each over one index alone: summed per due day and rep (a few
# thousand groups, from which Python makes the totals, the reps, the months and the aging buckets), and
# per customer with the buckets in SQL. Both count what is paid now; the payments received after the
# day (none for a report as of today) are then taken back out, found by their date index. Amounts are
# integer fen; dates compare as ISO text on SQLite and as dates elsewhere.
_BY_DAY_SQL = """
SELECT due_date, owner_id, SUM(amount), SUM(paid_amount)
FROM installments WHERE deleted_at IS NULL {scope}
GROUP BY due_date, owner_id
"""
# The customers owing most now, and how many customers have installments at all (the window counts every
# group before the LIMIT); their full sums are then read for them alone (and for those paid after the day).
_TOP_CUSTOMERS_SQL = """
SELECT customer_id, SUM(amount) - SUM(paid_amount) AS owed, COUNT(*) OVER ()
FROM installments WHERE deleted_at IS NULL {scope}
GROUP BY customer_id ORDER BY owed DESC, customer_id LIMIT :limit
"""
_CUSTOMER_SUMS = """
SELECT customer_id,
       SUM(amount),
       SUM(CASE WHEN due_date <= :as_of THEN amount ELSE 0 END),
       SUM(paid_amount),
       SUM(CASE WHEN due_date < :as_of THEN amount - paid_amount ELSE 0 END),
       SUM(CASE WHEN due_date < :as_of AND due_date >= :d30 THEN amount - paid_amount ELSE 0 END),
       SUM(CASE WHEN due_date < :d30 AND due_date >= :d60 THEN amount - paid_amount ELSE 0 END),
       SUM(CASE WHEN due_date < :d60 AND due_date >= :d90 THEN amount - paid_amount ELSE 0 END),
       SUM(CASE WHEN due_date < :d90 THEN amount - paid_amount ELSE 0 END)
FROM installments WHERE deleted_at IS NULL {where}
GROUP BY customer_id
"""
# What payments received after the day paid on each installment (CROSS JOIN: from the payments' date).
_LATE_SQL = """
SELECT i.due_date, i.owner_id, i.customer_id, SUM(a.amount)
FROM payments p CROSS JOIN payment_allocations a CROSS JOIN installments i
WHERE p.received_on > :as_of AND p.deleted_at IS NULL AND a.payment_id = p.id AND a.deleted_at IS NULL
  AND i.id = a.installment_id AND i.deleted_at IS NULL {scope}
GROUP BY i.id, i.due_date, i.owner_id, i.customer_id
"""
_RECEIVED_SQL = """
SELECT substr(CAST(received_on AS TEXT), 1, 7) AS month, SUM(amount)
FROM payments WHERE deleted_at IS NULL AND received_on <= :as_of {paid_scope}
GROUP BY substr(CAST(received_on AS TEXT), 1, 7) ORDER BY month
"""
# For the credit as of the day: every live allocation, less those of payments received after the day.
_ALLOCATED_SQL = "SELECT COALESCE(SUM(amount), 0) FROM payment_allocations WHERE deleted_at IS NULL {allocation_scope}"
_ALLOCATED_LATE_SQL = """
SELECT COALESCE(SUM(a.amount), 0) FROM payments p CROSS JOIN payment_allocations a
WHERE p.received_on > :as_of AND p.deleted_at IS NULL AND a.payment_id = p.id AND a.deleted_at IS NULL {paid_scope}
"""

_DATES = ("as_of", "d30", "d60", "d90")


@dataclass(frozen=True)
class _ScopeSql:
    """The actor's data scope (entities.visible_rows' rule) as SQL for the report's hand-tuned statements: an
    installment by its rep (owner_id, copied from the plan), a payment by its customer (the public pool's too).
    Empty for scope "all", so the whole book's report reads exactly as before."""

    installments: str = ""  # " AND ..." on installments, for the owner_id column named
    payments: str = ""  # " AND ..." on payments, for the customer_id column named
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, actor: Actor) -> _ScopeSql:
        if not actor.may("see"):
            return cls(" AND 0 = 1", " AND 0 = 1")
        if actor.scope == "all":
            return cls()
        params: dict[str, Any] = {"scope_user": actor.user_id}
        if actor.scope == "team":
            if actor.team_id:
                params["scope_team"] = actor.team_id
            team = "team_id = :scope_team" if actor.team_id else "team_id IS NULL"
            owners = f"({{owner}} = :scope_user OR {{owner}} IN (SELECT id FROM users WHERE {team}))"
        else:
            owners = "{owner} = :scope_user"
        customers = (f"SELECT id FROM customers WHERE owner_id IS NULL OR {owners.format(owner='owner_id')}")
        return cls(" AND " + owners, " AND {customer} IN (" + customers + ")", params)

    def on_installments(self, owner: str = "owner_id") -> str:
        return self.installments.format(owner=owner)

    def on_payments(self, customer: str = "customer_id") -> str:
        return self.payments.format(customer=customer)


class _Sums:
    """Running sums in fen: scheduled, due, collected, overdue and the four aging buckets (in that order)."""

    __slots__ = ("values",)

    def __init__(self, values: Sequence[Any] | None = None) -> None:
        self.values = [int(value or 0) for value in values] if values is not None else [0] * 8

    def add(self, scheduled: int, due: int, collected: int, overdue: int, bucket: int | None) -> None:
        values = self.values
        values[0] += scheduled
        values[1] += due
        values[2] += collected
        values[3] += overdue
        if bucket is not None:
            values[4 + bucket] += overdue

    @property
    def outstanding(self) -> int:
        return self.values[0] - self.values[2]

    def row(self, key: str | None, label: str) -> ReceivableRow:
        scheduled, due, collected, overdue, *buckets = self.values
        return ReceivableRow(key, label, from_fen(scheduled), from_fen(due), from_fen(collected),
                             from_fen(scheduled - collected), from_fen(overdue),
                             dict(zip(AGING_BUCKETS, (from_fen(value) for value in buckets), strict=True)))


def _bucket(due: date, day: date) -> int | None:
    """The aging bucket (an index of AGING_BUCKETS) of something due on `due`, as of `day`; None: not late."""
    late = (day - due).days
    if late <= 0:
        return None
    return 0 if late <= 30 else 1 if late <= 60 else 2 if late <= 90 else 3


def _customer_sums(session: Session, typed: list[Any], params: dict[str, Any], limit: int | None,
                   paid_late: set[str], scope: _ScopeSql, actor: Actor) -> tuple[list[Any], int | None]:
    """(rows of customer sums, the number of customers with installments, or None when every row is read).

    With a limit, only the customers owing most now and those paid after the day are summed: taking back
    a later payment only raises what a customer owes, so no other customer can rise into the top."""
    statement = text(_CUSTOMER_SUMS.format(where=scope.on_installments())).bindparams(*typed)
    if limit is None or len(paid_late) > 2000:  # many paid after the day: one pass beats thousands of lookups
        return list(session.execute(statement, params).all()), None
    top = session.execute(text(_TOP_CUSTOMERS_SQL.format(scope=scope.on_installments())),
                          {"limit": max(limit, 0), **scope.params}).all()
    count = int(top[0][2]) if top else int(session.scalar(select(func.count(func.distinct(
        Installment.customer_id))).where(Installment.deleted_at.is_(None), visible_rows(actor, Installment))) or 0)
    wanted = sorted({row[0] for row in top if row[0] is not None} | paid_late)
    rows: list[Any] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        names = ", ".join(f":c{index}" for index in range(len(chunk)))
        chunk_statement = text(_CUSTOMER_SUMS.format(where=f"{scope.on_installments()} AND customer_id IN ({names})")
                               ).bindparams(*typed)
        rows += session.execute(chunk_statement, {**params, **{f"c{i}": value for i, value in enumerate(chunk)}}).all()
    return rows, count


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _names(session: Session, model: Any, label: Any, ids: Iterable[str]) -> dict[str, str]:
    wanted = [value for value in ids if value]
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        names.update({key: value for key, value in session.execute(select(model.id, label).where(model.id.in_(chunk)))})
    return names


def receivables(db: Database, actor: Actor, as_of: date | None = None,
                customer_limit: int | None = None) -> ReceivablesReport:
    """Due, overdue and collected per customer (most outstanding first, cut to `customer_limit`), per rep
    and per due month, the aging buckets, the payments received per month and the credit, as of a day
    (today by default). Only what is in the actor's data scope counts: the installments of the plans of the
    reps they see, the payments of the customers they see (finance and administrators: the whole book)."""
    day = as_of or date.today()
    scope = _ScopeSql.of(actor)
    params: dict[str, Any] = {"as_of": day, "d30": day - timedelta(days=30), "d60": day - timedelta(days=60),
                              "d90": day - timedelta(days=90), **scope.params}
    typed = [bindparam(name, type_=Date()) for name in _DATES]
    dated = {"as_of": day, **scope.params}
    allocation_scope = (f" AND payment_id IN (SELECT id FROM payments WHERE 1 = 1{scope.on_payments()})"
                        if scope.payments else "")
    with read_session(db) as session:
        by_day = session.execute(text(_BY_DAY_SQL.format(scope=scope.on_installments())), dict(scope.params)).all()
        late = session.execute(text(_LATE_SQL.format(scope=scope.on_installments("i.owner_id"))).bindparams(typed[0]),
                               dated).all()
        by_customer, customer_count = _customer_sums(session, typed, params, customer_limit,
                                                     {row[2] for row in late if row[2] is not None}, scope, actor)
        received = session.execute(text(_RECEIVED_SQL.format(paid_scope=scope.on_payments())).bindparams(typed[0]),
                                   dated).all()
        allocated = int(session.execute(text(_ALLOCATED_SQL.format(allocation_scope=allocation_scope)),
                                        dict(scope.params)).scalar() or 0) - int(session.execute(
            text(_ALLOCATED_LATE_SQL.format(paid_scope=scope.on_payments("p.customer_id"))).bindparams(typed[0]),
            dated).scalar() or 0)
        totals = _Sums()
        reps: dict[str | None, _Sums] = {}
        months: dict[str, _Sums] = {}
        customers: dict[str, _Sums] = {row[0]: _Sums(row[1:]) for row in by_customer if row[0] is not None}
        customer_count = customer_count if customer_count is not None else len(customers)
        dates: dict[Any, tuple[date, str, int | None]] = {}  # the due day as stored -> (day, month, bucket)
        for due_value, owner_id, scheduled_value, paid_value in by_day:
            known = dates.get(due_value)
            if known is None:
                due = _as_date(due_value)
                known = dates[due_value] = (due, f"{due:%Y-%m}", _bucket(due, day))
            due, month, bucket = known
            scheduled, paid = int(scheduled_value or 0), int(paid_value or 0)
            figures = (scheduled, scheduled if due <= day else 0, paid, scheduled - paid if bucket is not None else 0,
                       bucket)
            totals.add(*figures)
            (reps.get(owner_id) or reps.setdefault(owner_id, _Sums())).add(*figures)
            (months.get(month) or months.setdefault(month, _Sums())).add(*figures)
        for due_value, owner_id, customer_id, amount_value in late:
            # Taking back what was paid after the day: less collected, as much more owed.
            due, amount = _as_date(due_value), int(amount_value or 0)
            bucket = _bucket(due, day)
            figures = (0, 0, -amount, amount if bucket is not None else 0, bucket)
            for group in (totals, reps.setdefault(owner_id, _Sums()), months.setdefault(f"{due:%Y-%m}", _Sums()),
                          customers.setdefault(customer_id, _Sums())):
                group.add(*figures)
        ranked = sorted(customers.items(), key=lambda item: (-item[1].outstanding, item[0]))
        if customer_limit is not None:
            ranked = ranked[:max(customer_limit, 0)]
        customer_names = _names(session, Customer, Customer.name, (key for key, _sums in ranked))
        rep_names = _names(session, User, User.display_name, (key for key in reps if key))
    no_owner = _("No owner")
    rep_rows = sorted((sums.row(key, rep_names.get(key, key) if key else no_owner) for key, sums in reps.items()),
                      key=lambda row: (-row.outstanding, row.label))
    received_total = sum(int(amount or 0) for _month, amount in received)
    return ReceivablesReport(
        as_of=day, totals=totals.row(None, _("Total")),
        by_customer=tuple(sums.row(key, customer_names.get(key, key)) for key, sums in ranked),
        by_rep=tuple(rep_rows),
        by_month=tuple(months[key].row(key, key) for key in sorted(months)),
        received_by_month=tuple((str(month), from_fen(int(amount or 0))) for month, amount in received),
        credit=from_fen(received_total - allocated), customers=customer_count)
