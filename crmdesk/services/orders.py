"""Orders: create, edit, list (lines, VINs and payment plans build on these)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import Order
from crmdesk.services import followups
from crmdesk.services.entities import EntityService, ListColumn, Record, check_customer_reference
from crmdesk.services.fields import FieldSpec
from crmdesk.services.numbers import next_number
from crmdesk.services.uow import Actor

ORDER_STATUSES = ("draft", "confirmed", "delivered", "closed", "cancelled")


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
        if obj is None and not errors:
            values["number"] = next_number(session, "SO")

    def _after_create(self, session: Session, actor: Actor, obj: Any) -> None:
        followups.on_order_delivered(session, actor, obj)  # delivered: delivered_at and the follow-up plan

    def _after_update(self, session: Session, actor: Actor, obj: Any, changes: dict[str, Any]) -> None:
        if changes.get("status") == "delivered":
            followups.on_order_delivered(session, actor, obj)  # delivered_at and the plan (once)
