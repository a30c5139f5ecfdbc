"""Search across leads, customers, contacts and opportunities: Chinese names (1+ characters), pinyin
(full or initials), phone (whole or last 4+ digits) and company.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal, select

from crmdesk.models import Contact, Customer, Lead, Opportunity
from crmdesk.models.database import Database
from crmdesk.services import search_index
from crmdesk.services.entities import visible_rows
from crmdesk.services.personal_data import mask_phone, sees_personal_data
from crmdesk.services.uow import Actor, read_session


@dataclass(frozen=True)
class SearchHit:
    entity: str  # lead / customer / contact / opportunity
    id: str
    title: str
    detail: str  # company, city or customer: what tells two 张伟 apart
    phone: str | None
    customer_id: str | None  # the customer a contact or deal belongs to (a customer: itself)


_TARGETS: tuple[tuple[str, Any], ...] = (
    ("customer", Customer),
    ("lead", Lead),
    ("opportunity", Opportunity),
    ("contact", Contact),
)


def _detail_column(entity: str, model: Any) -> Any:
    return {
        "lead": Lead.company, "customer": Customer.city, "opportunity": Opportunity.customer_name,
        "contact": Contact.title,
    }[entity]


def _customer_column(entity: str, model: Any) -> Any:
    return {"lead": Lead.customer_id, "customer": Customer.id, "opportunity": Opportunity.customer_id,
            "contact": Contact.customer_id}[entity]


def search(
    db: Database, actor: Actor, query: str, limit: int = 50, entities: tuple[str, ...] | None = None
) -> list[SearchHit]:
    """Hits from every kind of record (or only `entities`), customers first, at most `limit` of each.

    Every branch is an indexed lookup (FTS5 phrase, pinyin prefix range, reversed-phone prefix
    range), so a query stays in milliseconds at a million rows.
    """
    hits: list[SearchHit] = []
    seen: set[str] = set()
    masked = not sees_personal_data(db, actor)  # a hit found by its phone still shows it masked
    with read_session(db) as session:
        for entity, model in _TARGETS:
            if entities is not None and entity not in entities:
                continue
            phone: Any = model.phone if hasattr(model, "phone") else literal(None)
            columns = (model.id, model.name, _detail_column(entity, model), phone, _customer_column(entity, model))
            found = 0
            # One indexed query per way of matching (pinyin, initials, words...): fast at a million rows.
            for condition in search_index.match_conditions(model, entity, query):
                statement = (
                    select(*columns)
                    .where(condition, model.deleted_at.is_(None), visible_rows(actor, model))
                    .limit(limit - found)
                )
                for row in session.execute(statement):
                    if row[0] in seen:
                        continue
                    seen.add(row[0])
                    shown_phone = mask_phone(row[3]) if masked else row[3]
                    hits.append(SearchHit(entity, row[0], row[1], row[2] or "", shown_phone, row[4]))
                    found += 1
                if found >= limit:
                    break
    return hits
