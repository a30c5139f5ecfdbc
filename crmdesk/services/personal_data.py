"""Personal data (phone numbers, resident ID numbers): who sees them unmasked, the masks the others
see (138****5678), and the audited reveal of one value.

The masking itself is applied where records are read (crmdesk.services.entities, search, exports):
each service names its masked columns (`EntityService.masked`), so every read path obeys one rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from crmdesk.models import AuditEntry, Contact, Customer, Lead
from crmdesk.models.database import Database
from crmdesk.services.errors import NotFoundError
from crmdesk.services.uow import Actor, unit_of_work

MASK_CHAR = "*"
MASKED_FIELDS = ("phone", "id_number")
_MODELS: dict[str, Any] = {"lead": Lead, "customer": Customer, "contact": Contact}


def mask_phone(value: str | None) -> str | None:
    """The number with its middle digits starred: 13812345678 -> 138****5678, 021-6888-1234 ->
    021-****-1234. Numbers of 8 digits or more keep their first 3 and last 4 digits; shorter ones
    only their last 2 (a 7-digit number would otherwise show all but two of its digits)."""
    if not value:
        return value
    digits = [index for index, char in enumerate(value) if char.isdigit()]
    if len(digits) >= 8:
        hidden = set(digits[3:-4])
    elif len(digits) > 2:
        hidden = set(digits[:-2])
    else:
        hidden = set(digits)
    return "".join(MASK_CHAR if index in hidden else char for index, char in enumerate(value))


def mask_id_number(value: str | None) -> str | None:
    """A resident ID number with all but its first 3 and last 4 characters starred:
    330106199001011234 -> 330***********1234. Short values keep their last character only."""
    if not value:
        return value
    if len(value) >= 8:
        return value[:3] + MASK_CHAR * (len(value) - 7) + value[-4:]
    return MASK_CHAR * (len(value) - 1) + value[-1:]


def mask_value(field: str, value: Any) -> Any:
    """The mask of `value` for a masked field (phone-like fields and ID numbers); others unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if "id_number" in field:
        return mask_id_number(value)
    if "phone" in field:
        return mask_phone(value)
    return value


def is_mask_of(field: str, shown: Any, real: Any) -> bool:
    """True when `shown` is what a masked user sees of `real` (a form sending back what it showed)."""
    return isinstance(shown, str) and isinstance(real, str) and bool(real) and shown == mask_value(field, real)


def sees_personal_data(db: Database, actor: Actor) -> bool:
    """Whether `actor` reads phone and ID numbers unmasked: the role's "unmask" permission
    (services/access.py; managers and administrators by default)."""
    return actor.may("unmask")


def masked_fields(db: Database, actor: Actor, fields: Iterable[str]) -> tuple[str, ...]:
    """Which of `fields` `actor` must see masked: all of them, or none for a role that sees personal data."""
    fields = tuple(fields)
    if not fields or sees_personal_data(db, actor):
        return ()
    return fields


def reveal_personal_data(db: Database, actor: Actor, entity: str, record_id: str, field: str) -> str:
    """The real value of one masked field, for a user who asked to see it. Audited (action "reveal",
    entity and field, never the value), so a manager can tell who looked at whose number."""
    model = _MODELS.get(entity)
    if model is None or field not in MASKED_FIELDS or not hasattr(model, field):
        raise ValueError(f"{entity}.{field} is not personal data")
    from crmdesk.services.entities import visible_rows  # entities reads this module: imported late

    with unit_of_work(db, actor) as session:
        value = session.scalar(
            select(getattr(model, field)).where(model.id == record_id, model.deleted_at.is_(None),
                                                visible_rows(actor, model)))
        exists = value is not None or session.scalar(
            select(model.id).where(model.id == record_id, model.deleted_at.is_(None))) is not None
        if not exists:
            raise NotFoundError(entity, record_id)
        session.add(AuditEntry(user_id=actor.user_id, action="reveal", entity_type=model.__tablename__,
                               entity_id=record_id, field=field))
    return value or ""
