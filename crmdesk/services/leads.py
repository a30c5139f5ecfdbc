"""Leads: create, edit, list, and conversion into customer + contact + opportunity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import Contact, Customer, Lead, Opportunity, Pipeline, Stage
from crmdesk.models.base import utcnow
from crmdesk.services.entities import EntityService, ListColumn
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.fields import FieldSpec
from crmdesk.services.opportunities import record_stage_change
from crmdesk.services.uow import Actor, unit_of_work

LEAD_SOURCES = ("walk_in", "phone", "web", "campaign", "referral", "ad_keyword", "trade_show", "other")
LEAD_STATUSES = ("new", "contacted", "qualified", "converted", "invalid")
GENDERS = ("M", "F")


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
        ListColumn("owner_id", "user"),
        ListColumn("created_at", "datetime"),
    )
    filterable = ("status", "source", "owner_id", "city")

    def create(self, actor: Actor, values: Any) -> Any:
        values = {"source": "walk_in", "status": "new", **values}
        return super().create(actor, values)

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
            if amount is not None and amount < 0:
                raise ValidationError({"amount": _("The amount cannot be negative.")})
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
