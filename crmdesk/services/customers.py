"""Customers (companies and persons) and their contacts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from stdnum.cn import ric, uscc

from crmdesk.i18n import _
from crmdesk.models import Contact, Customer, Opportunity, Order
from crmdesk.services import followups
from crmdesk.services.entities import EntityService, ListColumn, check_customer_reference
from crmdesk.services.fields import FieldSpec
from crmdesk.services.leads import GENDERS
from crmdesk.services.uow import Actor

CUSTOMER_KINDS = ("person", "company")
TIERS = ("A", "B", "C")
INTENT_GRADES = ("H", "A", "B", "C", "O")
CUSTOMER_STATUSES = ("active", "dormant", "lost")


class CustomerService(EntityService):
    model = Customer
    entity = "customer"
    owner_defaults_to_actor = False  # no owner = the public pool, a choice the user makes
    fields = (
        FieldSpec("kind", "choice", required=True, choices=CUSTOMER_KINDS),
        FieldSpec("name", required=True, max_length=200),
        FieldSpec("gender", "choice", choices=GENDERS),
        FieldSpec("phone", "phone"),
        FieldSpec("email", "email"),
        FieldSpec("id_number", max_length=18),
        FieldSpec("uscc", max_length=18),
        FieldSpec("birthday", "date"),
        FieldSpec("industry", max_length=100),
        FieldSpec("province", max_length=50),
        FieldSpec("city", max_length=50),
        FieldSpec("address", max_length=300),
        FieldSpec("tier", "choice", choices=TIERS),
        FieldSpec("intent_grade", "choice", choices=INTENT_GRADES),
        FieldSpec("status", "choice", required=True, choices=CUSTOMER_STATUSES),
        FieldSpec("lost_reason", max_length=200),
        FieldSpec("owner_id", "ref"),
        FieldSpec("notes", "longtext", max_length=10000),
        FieldSpec("external_id", max_length=100),
    )
    columns = (
        ListColumn("name", sort="name_pinyin"),
        ListColumn("kind", "code"),
        ListColumn("phone"),
        ListColumn("city"),
        ListColumn("tier", "code"),
        ListColumn("intent_grade", "code"),
        ListColumn("status", "code"),
        ListColumn("owner_id", "user"),
        ListColumn("next_followup_at", "datetime"),
        ListColumn("created_at", "datetime"),
    )
    filterable = ("status", "tier", "intent_grade", "owner_id", "kind", "city")

    def create(self, actor: Actor, values: Any) -> Any:
        return super().create(actor, {"kind": "person", "status": "active", **values})

    def _check(self, session: Session, actor: Actor, values: dict[str, Any], obj: Any | None,
               errors: dict[str, str]) -> None:
        if values.get("id_number"):
            values["id_number"] = values["id_number"].upper()
            if not ric.is_valid(values["id_number"]):
                errors.setdefault("id_number", _("Not a valid resident ID number (18 characters, check digit)."))
        if values.get("uscc"):
            values["uscc"] = values["uscc"].upper()
            if not uscc.is_valid(values["uscc"]):
                errors.setdefault("uscc", _("Not a valid unified social credit code."))
        status = values.get("status", obj.status if obj is not None else None)
        reason = values.get("lost_reason", obj.lost_reason if obj is not None else None)
        if status in ("lost", "dormant") and not reason:
            errors.setdefault("lost_reason", _("Say why the customer is lost or dormant."))

    def _after_create(self, session: Session, actor: Actor, obj: Any) -> None:
        followups.on_grade_changed(session, actor, obj)  # an owned, graded customer is followed on its cadence

    def _after_update(self, session: Session, actor: Actor, obj: Any, changes: dict[str, Any]) -> None:
        if changes.keys() & {"tier", "owner_id"}:  # a tier set by hand stays; owner moves join the pool history
            from crmdesk.services.pool import after_customer_form_update

            after_customer_form_update(session, actor, obj, changes)
        if changes.keys() & {"intent_grade", "owner_id", "status"}:  # the cadence follow-up moves with them
            followups.on_grade_changed(session, actor, obj)
        if "name" in changes:
            # Deals and orders carry a copy of the name for their lists: keep the copies true. Deals go
            # through the ORM so their search documents follow; orders have none.
            for opportunity in session.scalars(select(Opportunity).where(Opportunity.customer_id == obj.id)):
                opportunity.customer_name = obj.name
            session.execute(
                update(Order).where(Order.customer_id == obj.id).values(customer_name=obj.name)
                .execution_options(synchronize_session=False)
            )


class ContactService(EntityService):
    model = Contact
    entity = "contact"
    owner_defaults_to_actor = False
    fields = (
        FieldSpec("customer_id", "ref", required=True),
        FieldSpec("name", required=True, max_length=100),
        FieldSpec("gender", "choice", choices=GENDERS),
        FieldSpec("phone", "phone"),
        FieldSpec("email", "email"),
        FieldSpec("title", max_length=100),
        FieldSpec("is_primary", "bool"),
        FieldSpec("birthday", "date"),
        FieldSpec("notes", "longtext", max_length=10000),
        FieldSpec("external_id", max_length=100),
    )
    columns = (
        ListColumn("name", sort="name_pinyin"),
        ListColumn("phone"),
        ListColumn("email"),
        ListColumn("title"),
        ListColumn("created_at", "datetime"),
    )
    filterable = ("customer_id",)

    def _check(self, session: Session, actor: Actor, values: dict[str, Any], obj: Any | None,
               errors: dict[str, str]) -> None:
        check_customer_reference(session, values, errors)
        values.pop("customer_name", None)  # contacts keep no copy of the name
