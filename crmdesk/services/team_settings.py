"""Team-wide settings kept in the database (scoring, assignment and duplicate rules, lists of reasons):
read with their declared defaults, written in one unit of work, audited like any other change, synced.

Per-user window settings (column widths, language) live in crmdesk.settings instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import SharedSetting
from crmdesk.models.database import Database
from crmdesk.services.errors import ValidationError
from crmdesk.services.fields import unstorable
from crmdesk.services.uow import Actor, read_session, unit_of_work


def read_setting(session: Session, key: str, default: Any) -> Any:
    """The stored JSON value of `key` inside an open session, or `default` when none is stored."""
    text = session.scalar(select(SharedSetting.value).where(SharedSetting.key == key,
                                                            SharedSetting.deleted_at.is_(None)))
    return default if text is None else json.loads(text)


def write_setting(session: Session, key: str, value: Any) -> None:
    """Store `value` (anything json.dumps takes) under `key` inside an open unit of work; ValidationError
    (the unit of work rolls back) for text SQLite cannot store: a lone surrogate left by a broken encoding."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if unstorable(text):  # control characters are escaped by json.dumps; surrogates are not
        raise ValidationError({key: _("Contains characters that cannot be stored.")})
    row = session.scalar(select(SharedSetting).where(SharedSetting.key == key))
    if row is None:
        session.add(SharedSetting(key=key, value=text))
    else:
        row.value = text
        row.deleted_at = None


def load_setting(db: Database, key: str, default: Any) -> Any:
    with read_session(db) as session:
        return read_setting(session, key, default)


def save_setting(db: Database, actor: Actor, key: str, value: Any,
                 check: Callable[[Any], Any] | None = None) -> Any:
    """Validate with `check` (which raises ValidationError or returns the cleaned value), then store."""
    cleaned = check(value) if check is not None else value
    with unit_of_work(db, actor) as session:
        write_setting(session, key, cleaned)
    return cleaned
