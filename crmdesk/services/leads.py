"""Leads: create, edit, list, the lifecycle (new -> contacted -> qualified -> converted, or invalid with a
reason and reopened), MQL -> SQL acceptance, and conversion into customer + contact + opportunity.

A new lead gets its score, MQL qualification and (when no owner is given) its owner from the team's
rules (crmdesk.services.lead_rules) in the same unit of work that creates it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import (
    Activity,
    AuditEntry,
    Contact,
    Customer,
    Lead,
    Opportunity,
    Pipeline,
    Stage,
    Territory,
)
from crmdesk.models.base import new_id, utcnow
from crmdesk.models.database import Database
from crmdesk.services import lead_rules
from crmdesk.services.entities import EntityService, ListColumn, Record
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.fields import FieldSpec, clean_values
from crmdesk.services.opportunities import record_stage_change
from crmdesk.services.team_settings import read_setting, write_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

LEAD_SOURCES = ("walk_in", "phone", "web", "campaign", "referral", "ad_keyword", "trade_show", "other")
LEAD_STATUSES = ("new", "contacted", "qualified", "converted", "invalid")
GENDERS = ("M", "F")
QUALIFICATIONS = ("mql", "sql")  # marketing qualified (score over the threshold) / accepted by sales
INVALID_REASONS_SETTING = "lead_invalid_reasons"
MAX_COMPANY_SIZE = 10_000_000


@dataclass(frozen=True)
class InvalidReason:
    """One entry of the team's list of reasons a lead is invalid; `free_text`: the user may add words."""

    code: str
    label: str
    free_text: bool = False


def default_invalid_reasons() -> list[InvalidReason]:
    """The list a team starts with, labelled in the current language."""
    return [
        InvalidReason("wrong_number", _("Wrong number")),
        InvalidReason("not_interested", _("Not interested")),
        InvalidReason("duplicate", _("Duplicate lead")),
        InvalidReason("competitor", _("Competitor")),
        InvalidReason("other", _("Other reason"), free_text=True),
    ]


def _reasons_from(stored: Any) -> list[InvalidReason]:
    if not isinstance(stored, list) or not stored:
        return default_invalid_reasons()
    return [InvalidReason(str(item["code"]), str(item["label"]), bool(item.get("free_text", False)))
            for item in stored if isinstance(item, Mapping) and item.get("code") and item.get("label")]


def invalid_reasons(db: Database) -> list[InvalidReason]:
    """The team's reasons a lead can be invalid, in the order the team gave them."""
    with read_session(db) as session:
        return _reasons_from(read_setting(session, INVALID_REASONS_SETTING, None))


def save_invalid_reasons(db: Database, actor: Actor, reasons: Sequence[Mapping[str, Any]]) -> list[InvalidReason]:
    """Store the team's list ({"code", "label", "free_text"} each); ValidationError naming every bad entry."""
    cleaned = clean_invalid_reasons(reasons)
    with unit_of_work(db, actor) as session:
        write_setting(session, INVALID_REASONS_SETTING, cleaned)
    return _reasons_from(cleaned)


def clean_invalid_reasons(reasons: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The list checked, in its stored form; ValidationError ("reasons[i].code" / ".label") otherwise."""
    errors: dict[str, str] = {}
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    if not reasons or not isinstance(reasons, Sequence) or isinstance(reasons, str):
        raise ValidationError({"reasons": _("Give at least one reason.")})
    for index, item in enumerate(reasons):
        if not isinstance(item, Mapping):  # a hand-written file: a list of texts instead of entries
            errors[f"reasons[{index}]"] = _("Give a short code without a colon (at most 40 characters).")
            continue
        code, label = str(item.get("code") or "").strip(), str(item.get("label") or "").strip()
        if not code or len(code) > 40 or ":" in code:
            errors[f"reasons[{index}].code"] = _("Give a short code without a colon (at most 40 characters).")
        elif code in seen:
            errors[f"reasons[{index}].code"] = _("Two reasons have the code “{code}”.", code=code)
        if not label or len(label) > 100:
            errors[f"reasons[{index}].label"] = _("Give a label of at most 100 characters.")
        seen.add(code)
        cleaned.append({"code": code, "label": label, "free_text": bool(item.get("free_text", False))})
    if errors:
        raise ValidationError(errors)
    return cleaned


def invalid_reason_label(reasons: Sequence[InvalidReason], stored: str | None) -> str:
    """What a stored invalid_reason reads as: a code's label, "label: words" for a free-text reason,
    or the text itself (reasons typed before the list existed)."""
    if not stored:
        return ""
    code, _sep, detail = stored.partition(":")
    for reason in reasons:
        if reason.code == code:
            return f"{reason.label}：{detail}" if detail else reason.label
    return stored


# What a conversion takes typed: the deal's name, amount and expected close date.
_CONVERSION_FIELDS = (
    FieldSpec("opportunity_name", max_length=200),
    FieldSpec("amount", "money"),
    FieldSpec("expected_close_date", "date"),
)


@dataclass(frozen=True)
class Conversion:
    lead_id: str
    customer_id: str
    contact_id: str
    opportunity_id: str


class LeadService(EntityService):
    model = Lead
    entity = "lead"
    fields = (
        FieldSpec("name", required=True, max_length=100),
        FieldSpec("gender", "choice", choices=GENDERS),
        FieldSpec("phone", "phone"),
        FieldSpec("email", "email"),
        FieldSpec("company", max_length=200),
        FieldSpec("title", max_length=100),
        FieldSpec("source", "choice", required=True, choices=LEAD_SOURCES),
        FieldSpec("campaign", max_length=100),
        FieldSpec("ad_keyword", max_length=100),
        FieldSpec("status", "choice", required=True, choices=LEAD_STATUSES),
        FieldSpec("invalid_reason", max_length=200),
        FieldSpec("score", "int", minimum=0, maximum=100),
        FieldSpec("owner_id", "ref"),
        FieldSpec("intended_product", max_length=200),
        FieldSpec("intended_purchase_date", "date"),
        FieldSpec("province", max_length=50),
        FieldSpec("city", max_length=50),
        FieldSpec("residential_area", max_length=200),
        FieldSpec("visitors_count", "int", minimum=1, maximum=99),
        FieldSpec("notes", "longtext", max_length=10000),
        FieldSpec("external_id", max_length=100),
        FieldSpec("industry", max_length=100),
        FieldSpec("company_size", "int", minimum=0, maximum=MAX_COMPANY_SIZE),
        FieldSpec("budget", "money"),
        FieldSpec("territory_id", "ref"),
    )
    columns = (
        ListColumn("name", sort="name_pinyin"),
        ListColumn("phone"),
        ListColumn("company"),
        ListColumn("source", "code"),
        ListColumn("status", "code"),
        ListColumn("intended_product"),
        ListColumn("intended_purchase_date", "date"),
        ListColumn("city"),
        ListColumn("score", "int"),
        ListColumn("qualification", "code"),
        ListColumn("owner_id", "user"),
        ListColumn("created_at", "datetime"),
    )
    filterable = ("status", "qualification", "source", "owner_id", "city", "industry", "territory_id")
    # No owner given: the assignment rules choose (their default fallback is the creator).
    owner_defaults_to_actor = False

    def create(self, actor: Actor, values: Any) -> Any:
        values = {"source": "walk_in", "status": "new", **values}
        return super().create(actor, values)

    def _check_references(self, session: Session, cleaned: dict[str, Any], errors: dict[str, str]) -> None:
        territory_id = cleaned.pop("territory_id", None)
        super()._check_references(session, cleaned, errors)
        if territory_id is not None:
            territory = session.get(Territory, territory_id)
            if territory is None or territory.deleted_at is not None:
                errors.setdefault("territory_id", _("Choose an existing territory."))
            else:
                cleaned["territory_id"] = territory_id

    def _validate(self, session: Session, actor: Actor, values: Mapping[str, Any], obj: Any | None) -> dict[str, Any]:
        cleaned = super()._validate(session, actor, values, obj)
        self._apply_rules(session, actor, cleaned, obj)
        return cleaned

    def _apply_rules(self, session: Session, actor: Actor, cleaned: dict[str, Any], obj: Lead | None) -> None:
        """The rules' part of the values a lead is saved with: the score (unless one is given), the MQL
        qualification, and for a new lead without an owner the owner (logged with the rule's name)."""
        if obj is not None and (cleaned.get("score") is not None or (
                "score" not in cleaned and not lead_rules.SCORING_INPUTS & cleaned.keys())):
            return  # an edit that names its score, or touches nothing the score reads (an emptied score: rescored)
        rules = lead_rules.LeadRules.load(session, creator_id=actor.user_id)
        merged = {spec.name: getattr(obj, spec.name) for spec in self.fields} if obj is not None else {}
        merged.update(cleaned)
        if cleaned.get("score") is None:
            engagement = 0
            if obj is not None:
                engagement = lead_rules.engagement_counts(session, [obj.id], rules.engagement_days).get(obj.id, 0)
            cleaned["score"] = rules.score(merged, engagement)
        current = obj.qualification if obj is not None else None
        if (merged.get("status") or "new") in lead_rules.OPEN_STATUSES:
            qualification = rules.qualification_for(cleaned["score"], current)
            if qualification != current:
                cleaned["qualification"] = qualification
                cleaned["mql_at"] = utcnow() if qualification == "mql" else None
        if obj is None and cleaned.get("owner_id") is None:
            assignment = rules.assign(merged)
            cleaned["owner_id"] = assignment.owner_id
            if assignment.team_id is not None:
                cleaned["team_id"] = assignment.team_id
            cleaned["id"] = new_id()
            if rules.assigns:
                lead_rules.log_assignment(session, actor, cleaned["id"], assignment)
            rules.save_state(session)

    def _check(self, session: Session, actor: Actor, values: dict[str, Any], obj: Any | None,
               errors: dict[str, str]) -> None:
        merged = {spec.name: getattr(obj, spec.name) for spec in self.fields} if obj is not None else {}
        merged.update(values)
        if not merged.get("phone") and not merged.get("email"):
            errors.setdefault("phone", _("Enter a phone number or an e-mail address."))
        if merged.get("status") == "invalid" and not merged.get("invalid_reason"):
            errors.setdefault("invalid_reason", _("Say why the lead is invalid."))
        was_converted = obj is not None and obj.status == "converted"
        if "status" in values and (values["status"] == "converted") != was_converted:
            errors.setdefault("status", _("A lead becomes converted only by converting it."))

    # ---- lifecycle ------------------------------------------------------------------------
    def mark_invalid(self, actor: Actor, lead_id: str, reason: str, detail: str | None = None) -> Record:
        """The lead is invalid for `reason` (a code of the team's list); `detail`: the user's own words, for
        a reason that takes them (stored as "code:words"). A converted lead cannot be invalid."""
        detail = (detail or "").strip()
        with unit_of_work(self.db, actor) as session:
            lead = self._load(session, actor, lead_id)
            if lead.status == "converted":
                raise ConflictError(_("A converted lead cannot be marked invalid."))
            reasons = {r.code: r for r in _reasons_from(read_setting(session, INVALID_REASONS_SETTING, None))}
            chosen = reasons.get(reason)
            if chosen is None:
                raise ValidationError({"invalid_reason": _("Choose a reason from the list.")})
            if detail and not chosen.free_text:
                raise ValidationError({"invalid_reason": _("This reason takes no words of your own; choose one "
                                                           "that does (e.g. “other”).")})
            stored = f"{chosen.code}:{detail}" if detail else chosen.code
            if len(stored) > 200:
                raise ValidationError({"invalid_reason": _("At most {count} characters.", count=200 - len(reason) - 1)})
            lead.status, lead.invalid_reason = "invalid", stored
            session.flush()
            record = self._to_record(lead)
        return self._mask_record(actor, record)

    def reopen(self, actor: Actor, lead_id: str) -> Record:
        """An invalid lead back in work: the status it had before (new, contacted or qualified), else
        contacted when someone has followed it up, else new. The reason is cleared."""
        with unit_of_work(self.db, actor) as session:
            lead = self._load(session, actor, lead_id)
            if lead.status != "invalid":
                raise ConflictError(_("Only an invalid lead can be reopened."))
            before = session.scalar(
                select(AuditEntry.old_value)
                .where(AuditEntry.entity_type == "leads", AuditEntry.entity_id == lead.id,
                       AuditEntry.field == "status", AuditEntry.new_value == "invalid")
                .order_by(AuditEntry.at.desc()).limit(1))
            if before not in lead_rules.OPEN_STATUSES:
                followed_up = session.scalar(select(Activity.id).where(
                    Activity.lead_id == lead.id, Activity.status == "done", Activity.deleted_at.is_(None)).limit(1))
                before = "contacted" if followed_up else "new"
            lead.status, lead.invalid_reason = before, None
            session.flush()
            record = self._to_record(lead)
        return self._mask_record(actor, record)

    def accept_lead(self, actor: Actor, lead_id: str) -> Record:
        """Sales accepts a marketing qualified lead: MQL -> SQL (accepted_at now), status qualified; a lead
        with no owner becomes the accepting user's."""
        with unit_of_work(self.db, actor) as session:
            lead = self._load(session, actor, lead_id)
            if lead.status == "converted":
                raise ConflictError(_("This lead has already been converted."))
            if lead.status == "invalid":
                raise ConflictError(_("An invalid lead cannot be accepted; reopen it first."))
            if lead.qualification == "sql":
                raise ConflictError(_("Sales has already accepted this lead."))
            if lead.qualification != "mql":
                threshold = lead_rules.LeadRules.load(session).mql_threshold
                raise ConflictError(_("Only a marketing qualified lead (MQL) can be accepted: this lead scores "
                                      "{score}, under the threshold of {threshold}.", score=lead.score,
                                      threshold=threshold))
            lead.qualification, lead.accepted_at = "sql", utcnow()
            if lead.status in ("new", "contacted"):
                lead.status = "qualified"
            if lead.owner_id is None:
                lead.owner_id = actor.user_id
            session.flush()
            record = self._to_record(lead)
        return self._mask_record(actor, record)

    def convert(
        self,
        actor: Actor,
        lead_id: str,
        *,
        opportunity_name: str | None = None,
        amount: Decimal | None = None,
        pipeline_code: str = "vehicle",
        expected_close_date: date | None = None,
    ) -> Conversion:
        """One transaction: customer + contact + opportunity, each keeping the lead as its source."""
        with unit_of_work(self.db, actor) as session:
            lead = self._load(session, actor, lead_id)
            if lead.status == "converted" or lead.customer_id is not None:
                raise ConflictError(_("This lead has already been converted."))
            if lead.status == "invalid":
                raise ConflictError(_("An invalid lead cannot be converted."))
            given = clean_values(_CONVERSION_FIELDS, {"opportunity_name": opportunity_name, "amount": amount,
                                                      "expected_close_date": expected_close_date})
            opportunity_name, amount = given["opportunity_name"], given["amount"]
            expected_close_date = given["expected_close_date"]
            pipeline = session.scalars(select(Pipeline).where(Pipeline.code == pipeline_code)).first()
            if pipeline is None:
                raise ValidationError({"pipeline": _("No such pipeline.")})
            first_stage = session.scalars(
                select(Stage)
                .where(Stage.pipeline_id == pipeline.id, Stage.is_won.is_(False), Stage.is_lost.is_(False),
                       Stage.deleted_at.is_(None))
                .order_by(Stage.position)
            ).first()
            if first_stage is None:
                raise ValidationError({"pipeline": _("The pipeline has no open stage.")})
            source = {"source_type": "lead", "source_id": lead.id}
            is_company = bool(lead.company)
            customer = Customer(
                kind="company" if is_company else "person",
                name=lead.company if is_company else lead.name,
                gender=None if is_company else lead.gender,
                phone=None if is_company else lead.phone,
                email=None if is_company else lead.email,
                province=lead.province,
                city=lead.city,
                address=lead.residential_area,
                owner_id=lead.owner_id or actor.user_id,
                team_id=lead.team_id,
                claimed_at=utcnow(),
                **source,
            )
            session.add(customer)
            session.flush()
            contact = Contact(
                customer_id=customer.id, name=lead.name, gender=lead.gender, phone=lead.phone,
                email=lead.email, title=lead.title, is_primary=True, **source,
            )
            opportunity = Opportunity(
                name=opportunity_name or lead.intended_product or lead.name,
                customer_id=customer.id,
                customer_name=customer.name,
                pipeline_id=pipeline.id,
                stage_id=first_stage.id,
                stage_position=first_stage.position,
                probability=first_stage.probability,
                amount=amount or Decimal("0"),
                expected_close_date=expected_close_date or lead.intended_purchase_date,
                owner_id=lead.owner_id or actor.user_id,
                team_id=lead.team_id,
                kind="project" if pipeline.kind == "project" else "standard",
                product_interest=lead.intended_product,
                **source,
            )
            session.add_all([contact, opportunity])
            session.flush()
            contact_id = contact.id
            record_stage_change(session, actor, opportunity, None, first_stage)
            lead.status = "converted"
            lead.converted_at = utcnow()
            lead.customer_id = customer.id
            lead.opportunity_id = opportunity.id
            session.flush()
            return Conversion(lead.id, customer.id, contact_id, opportunity.id)
