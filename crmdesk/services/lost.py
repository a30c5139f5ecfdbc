"""Lost and dormant (战败 / 休眠): a rep asks to abandon an opportunity with a reason, a manager approves
or rejects; on approval the deal moves to its pipeline's lost stage, the customer goes dormant and,
with no other open opportunity, back to the public pool. Dormant customers can be reactivated.

The team's list of lost reasons is a team setting ("lost_reasons"). A pending request is read from
lost_requests: the opportunity itself stays open (and unchanged) while it waits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from crmdesk.i18n import _, current_language
from crmdesk.models import Activity, AuditEntry, Customer, LostRequest, Opportunity, Stage, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services.entities import Record, visible_rows
from crmdesk.services.errors import ConflictError, NotFoundError, UserError, ValidationError
from crmdesk.services.fields import unstorable
from crmdesk.services.team_settings import read_setting, write_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

LOST_REASONS_SETTING = "lost_reasons"
APPROVER_ROLES = ("manager", "admin")  # until roles and permissions land
MAX_DETAIL = 2000
LIST_LIMIT = 500


class NotAllowedError(UserError):
    """The actor's role may not do this (approve a lost request, set a lost stage directly)."""


@dataclass(frozen=True)
class LostReason:
    """One entry of the team's list of reasons a deal is lost; `needs_detail`: words of one's own required."""

    code: str
    zh: str
    en: str
    needs_detail: bool = False

    @property
    def label(self) -> str:
        return self.en if current_language() == "en" else self.zh


DEFAULT_LOST_REASONS: tuple[dict[str, Any], ...] = (
    {"code": "price", "zh": "价格因素", "en": "Price", "needs_detail": False},
    {"code": "competitor", "zh": "购买竞品", "en": "Bought a competitor's car", "needs_detail": False},
    {"code": "postponed", "zh": "推迟购买", "en": "Purchase postponed", "needs_detail": False},
    {"code": "no_budget", "zh": "预算不足", "en": "No budget", "needs_detail": False},
    {"code": "no_contact", "zh": "联系不上", "en": "Cannot be reached", "needs_detail": False},
    {"code": "other", "zh": "其他", "en": "Other", "needs_detail": True},
)


def _reasons_from(stored: Any) -> list[LostReason]:
    if not isinstance(stored, list) or not stored:
        stored = list(DEFAULT_LOST_REASONS)
    return [LostReason(str(item["code"]), str(item["zh"]), str(item.get("en") or item["zh"]),
                       bool(item.get("needs_detail", False)))
            for item in stored if isinstance(item, Mapping) and item.get("code") and item.get("zh")]


def lost_reasons(db: Database) -> list[LostReason]:
    """The team's lost reasons, in the team's order (the defaults until the team saves its own)."""
    with read_session(db) as session:
        return _reasons_from(read_setting(session, LOST_REASONS_SETTING, None))


def clean_lost_reasons(reasons: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The list checked, in its stored form; ValidationError ("reasons[i].code" / ".zh" / ".en") otherwise."""
    errors: dict[str, str] = {}
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    if not reasons:
        errors["reasons"] = _("Give at least one reason.")
    for index, item in enumerate(reasons):
        if not isinstance(item, Mapping):
            errors[f"reasons[{index}]"] = _("Each reason needs a code and a Chinese label.")
            continue
        code = str(item.get("code") or "").strip()
        zh = str(item.get("zh") or "").strip()
        en = str(item.get("en") or "").strip() or zh
        if not code or len(code) > 40 or ":" in code:
            errors[f"reasons[{index}].code"] = _("Give a short code without a colon (at most 40 characters).")
        elif code in seen:
            errors[f"reasons[{index}].code"] = _("Two reasons have the code “{code}”.", code=code)
        if not zh or len(zh) > 100:
            errors[f"reasons[{index}].zh"] = _("Give a label of at most 100 characters.")
        if len(en) > 100:  # the English label defaults to the Chinese one
            errors[f"reasons[{index}].en"] = _("Give a label of at most 100 characters.")
        seen.add(code)
        cleaned.append({"code": code, "zh": zh, "en": en, "needs_detail": bool(item.get("needs_detail", False))})
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_lost_reasons(db: Database, actor: Actor, reasons: Sequence[Mapping[str, Any]]) -> list[LostReason]:
    """Store the team's list ({"code", "zh", "en", "needs_detail"} each); managers and admins only."""
    _require_approver(actor)
    cleaned = clean_lost_reasons(reasons)
    with unit_of_work(db, actor) as session:
        write_setting(session, LOST_REASONS_SETTING, cleaned)
    return _reasons_from(cleaned)


def reason_text(reasons: Sequence[LostReason], code: str, detail: str | None) -> str:
    """What a deal's and a customer's lost_reason read: the label, with the words given after it."""
    label = next((reason.label for reason in reasons if reason.code == code), code)
    text = f"{label}：{detail}" if detail else label
    return text[:200]


# ---- permissions -------------------------------------------------------------------------------
def may_approve(actor: Actor) -> bool:
    return actor.role in APPROVER_ROLES


def _require_approver(actor: Actor) -> None:
    if not may_approve(actor):
        raise NotAllowedError(_("Only a manager can approve or reject a lost request."))


def check_direct_lost(actor: Actor, errors: dict[str, str]) -> None:
    """For OpportunityService: only managers may move a deal straight to a lost stage."""
    if not may_approve(actor):
        errors["stage_id"] = _("Submit a lost request; the deal is lost once a manager approves it.")


# ---- reading -----------------------------------------------------------------------------------
def _request_record(request: LostRequest, extra: Mapping[str, Any] | None = None,
                    reasons: Sequence[LostReason] | None = None) -> Record:
    values: dict[str, Any] = {column.key: getattr(request, column.key) for column in LostRequest.__table__.columns}
    if reasons is not None:
        values["reason_label"] = reason_text(reasons, request.reason, None)
    values.update(extra or {})
    return Record("lost_request", request.id, MappingProxyType(values))


def _days_since(moment: datetime | None, now: datetime) -> int:
    if moment is None:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return max((now - moment).days, 0)


def pending_lost_requests(db: Database, actor: Actor) -> list[Record]:
    """Requests waiting for a manager, oldest first: for a manager all of them, for a rep their own.
    Each has opportunity_name, customer_name, amount, owner_id / owner_name (the rep), requested_by_name,
    reason, reason_label, detail, requested_at and days_pending."""
    requester = User.__table__.alias("requester")
    statement = (
        select(LostRequest, Opportunity.name, Opportunity.amount, Opportunity.owner_id, User.display_name,
               Customer.name, requester.c.display_name)
        .join(Opportunity, Opportunity.id == LostRequest.opportunity_id)
        .join(Customer, Customer.id == LostRequest.customer_id)
        .outerjoin(User, User.id == Opportunity.owner_id)
        .outerjoin(requester, requester.c.id == LostRequest.requested_by)
        .where(LostRequest.status == "pending", LostRequest.deleted_at.is_(None),
               visible_rows(actor, LostRequest), visible_rows(actor, Opportunity))
        .order_by(LostRequest.status, LostRequest.requested_at, LostRequest.id)
        .limit(LIST_LIMIT)
    )
    if not may_approve(actor):
        statement = statement.where(LostRequest.requested_by == actor.user_id)
    now = utcnow()
    with read_session(db) as session:
        reasons = _reasons_from(read_setting(session, LOST_REASONS_SETTING, None))
        return [
            _request_record(request, {
                "opportunity_name": opportunity_name, "amount": amount, "owner_id": owner_id,
                "owner_name": owner_name, "customer_name": customer_name, "requested_by_name": requested_by_name,
                "days_pending": _days_since(request.requested_at, now),
            }, reasons)
            for request, opportunity_name, amount, owner_id, owner_name, customer_name, requested_by_name
            in session.execute(statement)
        ]


def count_pending(db: Database, actor: Actor) -> int:
    with read_session(db) as session:
        return int(session.scalar(select(func.count()).select_from(LostRequest).where(
            LostRequest.status == "pending", LostRequest.deleted_at.is_(None))) or 0)


def lost_requests_for(db: Database, actor: Actor, opportunity_id: str) -> list[Record]:
    """An opportunity's lost requests, newest first, with the reviewer's name and comment."""
    statement = (
        select(LostRequest, User.display_name)
        .outerjoin(User, User.id == LostRequest.reviewed_by)
        .where(LostRequest.opportunity_id == opportunity_id, LostRequest.deleted_at.is_(None),
               visible_rows(actor, LostRequest))
        .order_by(LostRequest.requested_at.desc(), LostRequest.id.desc())
        .limit(LIST_LIMIT)
    )
    with read_session(db) as session:
        reasons = _reasons_from(read_setting(session, LOST_REASONS_SETTING, None))
        return [_request_record(request, {"reviewed_by_name": name}, reasons)
                for request, name in session.execute(statement)]


def pending_request_for(db: Database, actor: Actor, opportunity_id: str) -> Record | None:
    return next((r for r in lost_requests_for(db, actor, opportunity_id) if r["status"] == "pending"), None)


# ---- writing -----------------------------------------------------------------------------------
def request_lost(db: Database, actor: Actor, opportunity_id: str, reason_code: str,
                 detail: str | None = None) -> Record:
    """Ask to abandon an open opportunity (one pending request each). The opportunity stays open."""
    detail = (detail or "").strip() or None
    with unit_of_work(db, actor) as session:
        opportunity = _opportunity(session, actor, opportunity_id)
        if opportunity.status != "open":
            raise ConflictError(_("Only an open opportunity can be given up."))
        reasons = {reason.code: reason for reason in _reasons_from(read_setting(session, LOST_REASONS_SETTING, None))}
        errors: dict[str, str] = {}
        chosen = reasons.get(reason_code or "")
        if chosen is None:
            errors["reason"] = _("Choose a reason from the list.")
        elif chosen.needs_detail and not detail:
            errors["detail"] = _("Say in a few words why the deal is lost.")
        if detail and len(detail) > MAX_DETAIL:
            errors["detail"] = _("At most {count} characters.", count=MAX_DETAIL)
        elif detail and unstorable(detail):
            errors["detail"] = _("Contains characters that cannot be stored.")
        if errors:
            raise ValidationError(errors)
        pending = session.scalar(select(LostRequest.id).where(
            LostRequest.opportunity_id == opportunity.id, LostRequest.status == "pending",
            LostRequest.deleted_at.is_(None)).limit(1))
        if pending is not None:
            raise ConflictError(_("A lost request for this opportunity is already waiting for a manager."))
        request = LostRequest(opportunity_id=opportunity.id, customer_id=opportunity.customer_id,
                              reason=reason_code, detail=detail, status="pending",
                              requested_by=actor.user_id, requested_at=utcnow())
        session.add(request)
        session.flush()
        return _request_record(request, None, list(reasons.values()))


def _opportunity(session: Session, actor: Actor, opportunity_id: str) -> Opportunity:
    opportunity = session.scalars(select(Opportunity).where(
        Opportunity.id == opportunity_id, Opportunity.deleted_at.is_(None), visible_rows(actor, Opportunity))).first()
    if opportunity is None:
        raise NotFoundError("opportunity", opportunity_id)
    return opportunity


def _pending_request(session: Session, actor: Actor, request_id: str) -> LostRequest:
    request = session.scalars(select(LostRequest).where(
        LostRequest.id == request_id, LostRequest.deleted_at.is_(None), visible_rows(actor, LostRequest))).first()
    if request is None:
        raise NotFoundError("lost_request", request_id)
    if request.status != "pending":
        raise ConflictError(_("This lost request was already decided."))
    return request


def _audit(session: Session, actor: Actor, action: str, request: LostRequest) -> None:
    """The decision as an approval entry: the status it moved to (the comment is the request's review_comment,
    whose change the unit of work records like any field's)."""
    session.add(AuditEntry(at=utcnow(), user_id=actor.user_id, action=action, entity_type="lost_requests",
                           entity_id=request.id, field="status", old_value="pending", new_value=request.status))


def approve_lost(db: Database, actor: Actor, request_id: str, comment: str | None = None) -> Record:
    """A manager agrees: the deal moves to its pipeline's lost stage with the reason, the customer goes
    dormant and, with no other open opportunity, to the public pool; the deal's planned follow-ups are
    cancelled."""
    _require_approver(actor)
    comment = (comment or "").strip() or None
    _check_comment(comment)
    with unit_of_work(db, actor) as session:
        request = _pending_request(session, actor, request_id)
        opportunity = _opportunity(session, actor, request.opportunity_id)
        if opportunity.status != "open":
            raise ConflictError(_("The opportunity is no longer open; the request cannot be approved."))
        reasons = _reasons_from(read_setting(session, LOST_REASONS_SETTING, None))
        text = reason_text(reasons, request.reason, request.detail)
        _move_to_lost_stage(session, actor, opportunity, text)
        now = utcnow()
        request.status, request.reviewed_by, request.reviewed_at = "approved", actor.user_id, now
        request.review_comment = comment
        _audit(session, actor, "approve", request)
        after_lost(session, actor, opportunity, text, decided=request.id)
        session.flush()
        return _request_record(request, None, reasons)


def reject_lost(db: Database, actor: Actor, request_id: str, comment: str) -> Record:
    """A manager says no (with a comment the rep reads); the opportunity stays open."""
    _require_approver(actor)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Tell the rep why the request is rejected.")})
    _check_comment(comment)
    with unit_of_work(db, actor) as session:
        request = _pending_request(session, actor, request_id)
        request.status, request.reviewed_by, request.reviewed_at = "rejected", actor.user_id, utcnow()
        request.review_comment = comment
        _audit(session, actor, "reject", request)
        session.flush()
        reasons = _reasons_from(read_setting(session, LOST_REASONS_SETTING, None))
        return _request_record(request, None, reasons)


def _check_comment(comment: str | None) -> None:
    if comment and len(comment) > MAX_DETAIL:
        raise ValidationError({"comment": _("At most {count} characters.", count=MAX_DETAIL)})
    if comment and unstorable(comment):
        raise ValidationError({"comment": _("Contains characters that cannot be stored.")})


def _move_to_lost_stage(session: Session, actor: Actor, opportunity: Opportunity, text: str) -> None:
    from crmdesk.services.opportunities import record_stage_change

    stage = session.scalars(select(Stage).where(
        Stage.pipeline_id == opportunity.pipeline_id, Stage.is_lost.is_(True), Stage.deleted_at.is_(None),
    ).order_by(Stage.position).limit(1)).first()
    if stage is None:
        raise ConflictError(_("The opportunity's pipeline has no lost stage."))
    old = session.get(Stage, opportunity.stage_id)
    opportunity.stage_id, opportunity.stage_position = stage.id, stage.position
    opportunity.status = "lost"
    opportunity.probability, opportunity.probability_overridden = stage.probability, False
    opportunity.lost_reason = text
    opportunity.lost_at = date.today()
    record_stage_change(session, actor, opportunity, old, stage)


def after_lost(session: Session, actor: Actor, opportunity: Opportunity, reason: str | None,
               decided: str | None = None) -> None:
    """What losing a deal does beyond its stage (approval, or a manager setting the lost stage directly):
    the deal's planned follow-ups are cancelled, the customer goes dormant with the reason, and goes
    to the public pool when no other opportunity of theirs is open. Requests still pending for the deal
    are settled as approved (unless `decided` is the one just approved)."""
    session.execute(
        update(Activity)
        .where(Activity.opportunity_id == opportunity.id, Activity.status == "planned", Activity.deleted_at.is_(None))
        .values(status="cancelled", updated_at=utcnow(), updated_by=actor.user_id)
        .execution_options(synchronize_session="fetch")
    )
    for pending in session.scalars(select(LostRequest).where(
            LostRequest.opportunity_id == opportunity.id, LostRequest.status == "pending",
            LostRequest.id != (decided or ""), LostRequest.deleted_at.is_(None))):
        pending.status, pending.reviewed_by, pending.reviewed_at = "approved", actor.user_id, utcnow()
        _audit(session, actor, "approve", pending)
    customer = session.get(Customer, opportunity.customer_id)
    if customer is None or customer.deleted_at is not None:
        return
    text = (reason or opportunity.lost_reason or _("Opportunity lost"))[:200]
    customer.status = "dormant"
    customer.dormant_at = utcnow()
    customer.lost_reason = text
    other_open = session.scalar(select(Opportunity.id).where(
        Opportunity.customer_id == customer.id, Opportunity.id != opportunity.id, Opportunity.status == "open",
        Opportunity.deleted_at.is_(None)).limit(1))
    if other_open is None and customer.owner_id is not None:
        from crmdesk.services.pool import release_in_session

        release_in_session(session, actor, customer, action="lost", reason=text)


def reactivate_customer(db: Database, actor: Actor, customer_id: str, note: str | None = None) -> Record:
    """A dormant (or lost) customer back in work: status active, dormant_at cleared (the lost reason stays
    on the record and in the audit log). A customer in the public pool is claimed by the actor under the
    pool's rules, logged as a pool claim; a refused claim leaves the customer dormant."""
    from crmdesk.services.customers import CustomerService

    note = (note or "").strip() or None
    if note and (len(note) > MAX_DETAIL or unstorable(note)):
        raise ValidationError({"note": _("At most {count} characters.", count=MAX_DETAIL) if len(note) > MAX_DETAIL
                               else _("Contains characters that cannot be stored.")})
    service = CustomerService(db)
    with unit_of_work(db, actor) as session:
        customer = session.scalars(select(Customer).where(
            Customer.id == customer_id, Customer.deleted_at.is_(None), visible_rows(actor, Customer))).first()
        if customer is None:
            raise NotFoundError("customer", customer_id)
        if customer.status not in ("dormant", "lost"):
            raise ConflictError(_("Only a dormant customer can be reactivated."))
        now = utcnow()
        customer.status, customer.dormant_at = "active", None
        session.flush()  # the claim re-reads the row: it must see the customer active
        if customer.owner_id is None:
            _claim(session, actor, customer, now)
        session.add(AuditEntry(at=now, user_id=actor.user_id, action="reactivate", entity_type="customers",
                               entity_id=customer.id, field="status", old_value="dormant", new_value=note))
        session.flush()
        record = service._to_record(customer)
    return service._mask_record(actor, record)


def _claim(session: Session, actor: Actor, customer: Customer, now: datetime) -> None:
    """Take the customer out of the pool for the actor under the pool's rules (cap, daily limit,
    cooldown): a refusal stops the reactivation with the pool's reason."""
    from crmdesk.services import pool

    result = pool.claim_in_session(session, actor, [customer.id], now)
    if result.refused:
        raise ConflictError(_("Reactivated only with a claim from the public pool, which was refused: {reason}",
                              reason=result.refused[0].reason))
    session.refresh(customer)
