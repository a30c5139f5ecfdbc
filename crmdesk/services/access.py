"""What each role may do and how much of the book it sees: the permission names, the data scopes and the
defaults a new book starts with (an administrator changes them in 工具 › 用户与权限, services/permissions.py).

Pure data, no database: the unit of work's Actor carries one role's grant, so every read path
(entities.visible_rows) and every check (services/permissions.require) decides from the actor alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.labels import QT_TRANSLATE_NOOP

# see: read business records at all; create / edit / delete: records in the actor's scope; export: lists,
# reports and PDFs out of the app; approve: discounts, lost requests and other sign-offs; unmask: phone and
# resident ID numbers in full (the others see 138****5678 and reveal one value at a time, audited).
PERMISSIONS = ("see", "create", "edit", "delete", "export", "approve", "unmask")
PERMISSION_LABELS = {
    "see": QT_TRANSLATE_NOOP("services", "See"),
    "create": QT_TRANSLATE_NOOP("services", "Create"),
    "edit": QT_TRANSLATE_NOOP("services", "Edit"),
    "delete": QT_TRANSLATE_NOOP("services", "Delete"),
    "export": QT_TRANSLATE_NOOP("services", "Export"),
    "approve": QT_TRANSLATE_NOOP("services", "Approve"),
    "unmask": QT_TRANSLATE_NOOP("services", "See personal data unmasked"),
}
# own: the records the user owns (and the public pool); team: those of the user's team; all: the book.
SCOPES = ("own", "team", "all")
SCOPE_LABELS = {
    "own": QT_TRANSLATE_NOOP("services", "Own records"),
    "team": QT_TRANSLATE_NOOP("services", "Own team"),
    "all": QT_TRANSLATE_NOOP("services", "Everything"),
}

_EVERYTHING = frozenset(PERMISSIONS)
_REP = frozenset({"see", "create", "edit"})
DEFAULT_ROLE_PERMISSIONS: dict[str, dict[str, Any]] = {
    "consultant": {"permissions": sorted(_REP), "scope": "own"},
    "field_rep": {"permissions": sorted(_REP), "scope": "own"},
    "manager": {"permissions": sorted(_EVERYTHING), "scope": "team"},
    "finance": {"permissions": sorted({"see", "create", "edit", "export"}), "scope": "all"},
    "admin": {"permissions": sorted(_EVERYTHING), "scope": "all"},
}


def default_grant(role: str) -> tuple[frozenset[str], str]:
    """(permissions, scope) a role has before an administrator changes them; an unknown role has none."""
    entry = DEFAULT_ROLE_PERMISSIONS.get(role)
    if entry is None:
        return frozenset(), "own"
    return frozenset(entry["permissions"]), str(entry["scope"])


def grant_from(value: Mapping[str, Any] | None, role: str) -> tuple[frozenset[str], str]:
    """The role's (permissions, scope) in a stored setting, falling back to the defaults for a role the
    setting does not name (a role added after the setting was saved)."""
    entry = value.get(role) if isinstance(value, Mapping) else None
    if not isinstance(entry, Mapping):
        return default_grant(role)
    permissions = frozenset(name for name in entry.get("permissions", ()) if name in PERMISSIONS)
    scope = entry.get("scope")
    return permissions, scope if scope in SCOPES else "own"
