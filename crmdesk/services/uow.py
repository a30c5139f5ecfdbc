"""The unit of work: one session and one transaction per user action, and the one place every write
passes through (author and time stamps, derived search columns, the search index, the audit log).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from crmdesk.models import AuditEntry, Contact, Customer, Lead, Opportunity
from crmdesk.models.base import SyncedMixin, utcnow
from crmdesk.models.database import Database
from crmdesk.models.sales import SearchableMixin
from crmdesk.services import search_index
from crmdesk.services.access import default_grant
from crmdesk.services.text import name_pinyin, reversed_digits


@dataclass(frozen=True)
class Actor:
    """The user a service call acts for: every change records it, and what it may do and see is decided
    from it. `permissions` and `scope` are the role's grant when the user signed in (services/auth.py reads
    the book's setting); left out, they are the role's defaults (services/access.py)."""

    user_id: str
    display_name: str
    role: str
    team_id: str | None = None
    permissions: frozenset[str] | None = field(default=None, compare=False)
    scope: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.permissions is None or not self.scope:
            permissions, scope = default_grant(self.role)
            if self.permissions is None:
                object.__setattr__(self, "permissions", permissions)
            if not self.scope:
                object.__setattr__(self, "scope", scope)

    def may(self, permission: str) -> bool:
        return permission in (self.permissions or ())


ENTITY_NAMES: dict[type, str] = {Lead: "lead", Customer: "customer", Contact: "contact", Opportunity: "opportunity"}

# Columns whose changes are not business changes (stamps and derived data): not audited.
_NOT_AUDITED = frozenset({
    "updated_at", "updated_by", "created_at", "created_by", "name_pinyin", "name_initials", "phone_rev",
    # A user's sign-in counters change at every sign-in; services/auth.py audits the sign-ins themselves.
    "failed_logins", "locked_until", "last_login_at",
})
# Columns whose change is audited without its values: a password hash must not be copied anywhere.
_SECRET = frozenset({"password_hash"})


@contextmanager
def unit_of_work(db: Database, actor: Actor) -> Iterator[Session]:
    """Commit on success, roll everything back on any error: nothing half-written reaches the file."""
    session = db.session_factory()
    session.info["actor"] = actor
    try:
        with session.begin():
            yield session
    finally:
        session.close()


@contextmanager
def read_session(db: Database) -> Iterator[Session]:
    session = db.session_factory()
    try:
        yield session
    finally:
        session.close()


def _audit_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return str(value)


def _refresh_search_columns(obj: SearchableMixin) -> None:
    """Pinyin, reversed phone and full-text body, derived from what the user typed."""
    if isinstance(obj, Customer | Lead | Contact | Opportunity):
        # Surname readings (曾 zeng, 单 shan) apply to people's names, not to companies or deal titles.
        person = isinstance(obj, Lead | Contact) or (isinstance(obj, Customer) and obj.kind != "company")
        obj.name_pinyin, obj.name_initials = name_pinyin(obj.name or "", person=person)
        obj.phone_rev = reversed_digits(getattr(obj, "phone", None))
        obj.search_body = search_index.body_for(ENTITY_NAMES[type(obj)], obj)


@event.listens_for(Session, "before_flush")
def _stamp_and_audit(session: Session, _context: Any, _instances: Any) -> None:
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        return  # migrations, bulk loaders: they stamp their own rows
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, SyncedMixin):
            obj.created_by = obj.created_by or actor.user_id
            obj.updated_by = actor.user_id
            obj.created_at = obj.created_at or now
            obj.updated_at = now
        if isinstance(obj, SearchableMixin):
            _refresh_search_columns(obj)
    for obj in list(session.new):
        if isinstance(obj, SyncedMixin) and not isinstance(obj, AuditEntry):
            if obj.id is None:
                from crmdesk.models.base import new_id

                obj.id = new_id()
            session.add(AuditEntry(at=now, user_id=actor.user_id, action="create",
                                   entity_type=obj.__tablename__, entity_id=obj.id))  # type: ignore[attr-defined]
    for obj in list(session.dirty):
        if not isinstance(obj, SyncedMixin) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        changes: list[tuple[str, Any, Any]] = []
        for attr in state.mapper.column_attrs:
            if attr.key in _NOT_AUDITED:
                continue
            history = state.attrs[attr.key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old != new:
                    changes.append((attr.key, old, new))
        if not changes:
            continue
        obj.updated_at = now
        obj.updated_by = actor.user_id
        if isinstance(obj, SearchableMixin):
            _refresh_search_columns(obj)
        table = obj.__tablename__  # type: ignore[attr-defined]
        for key, old, new in changes:
            action = "delete" if key == "deleted_at" and new is not None else "update"
            secret = key in _SECRET
            session.add(AuditEntry(at=now, user_id=actor.user_id, action=action, entity_type=table,
                                   entity_id=obj.id, field=key, old_value=None if secret else _audit_text(old),
                                   new_value=None if secret else _audit_text(new)))
