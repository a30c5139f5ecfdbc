"""The roles' permissions and data scopes as the book stores them (a team setting, audited and synced),
and the one check every service makes before it acts: `require(actor, "export")`.

What the names mean and the defaults live in services/access.py; the actor carries its role's grant from
sign-in, so a changed setting applies from each user's next sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.i18n import SERVICES_CONTEXT, _, translate
from crmdesk.labels import QT_TRANSLATE_NOOP
from crmdesk.models import ROLES
from crmdesk.models.database import Database
from crmdesk.services.access import DEFAULT_ROLE_PERMISSIONS, PERMISSIONS, SCOPES, grant_from
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.team_settings import load_setting, save_setting
from crmdesk.services.uow import Actor

ROLE_PERMISSIONS_SETTING = "role_permissions"

_REFUSALS = {
    "see": QT_TRANSLATE_NOOP("services", "Your role may not see the book's records."),
    "create": QT_TRANSLATE_NOOP("services", "Your role may not create records."),
    "edit": QT_TRANSLATE_NOOP("services", "Your role may not change records."),
    "delete": QT_TRANSLATE_NOOP("services", "Your role may not delete records."),
    "export": QT_TRANSLATE_NOOP("services", "Your role may not export or print records."),
    "approve": QT_TRANSLATE_NOOP("services", "Your role may not approve."),
    "unmask": QT_TRANSLATE_NOOP("services", "Your role may not see personal data unmasked."),
}


class PermissionDeniedError(UserError):
    """The actor's role lacks a permission (said in the user's language, with what was refused)."""

    def __init__(self, permission: str) -> None:
        super().__init__(translate(SERVICES_CONTEXT, _REFUSALS[permission]) + " "
                         + _("Ask an administrator if you need it."))
        self.permission = permission


def require(actor: Actor, permission: str) -> None:
    """Raise PermissionDeniedError unless the actor's role has `permission` (one of access.PERMISSIONS)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if not actor.may(permission):
        raise PermissionDeniedError(permission)


def require_admin(actor: Actor) -> None:
    """Users, roles and tokens are an administrator's alone, whatever the permissions say."""
    if actor.role != "admin":
        raise UserError(_("Only an administrator may manage users, roles and tokens."))


def clean_role_permissions(value: Any) -> dict[str, dict[str, Any]]:
    """The setting checked: {role: {"permissions": [...], "scope": "own"|"team"|"all"}} for every role;
    ValidationError naming each bad role otherwise. The administrator keeps every permission and the whole
    book, so nobody can lock the book's administrators out of it."""
    if not isinstance(value, Mapping):
        raise ValidationError({"role_permissions": _("Give the permissions of each role.")})
    errors: dict[str, str] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    for role in ROLES:
        entry = value.get(role, DEFAULT_ROLE_PERMISSIONS[role])
        names = entry.get("permissions") if isinstance(entry, Mapping) else None
        scope = entry.get("scope") if isinstance(entry, Mapping) else None
        if not isinstance(names, list | tuple) or any(name not in PERMISSIONS for name in names):
            errors[role] = _("Choose permissions from the list: {names}.", names=", ".join(PERMISSIONS))
            continue
        if scope not in SCOPES:
            errors[role] = _("Choose a data scope: {scopes}.", scopes=", ".join(SCOPES))
            continue
        if role == "admin" and (set(names) != set(PERMISSIONS) or scope != "all"):
            errors[role] = _("The administrator keeps every permission over the whole book.")
            continue
        cleaned[role] = {"permissions": sorted(set(names), key=PERMISSIONS.index), "scope": scope}
    unknown = [role for role in value if role not in ROLES]
    if unknown:
        errors["role_permissions"] = _("Unknown roles: {roles}.", roles=", ".join(map(str, unknown)))
    if errors:
        raise ValidationError(errors)
    return cleaned


def load_role_permissions(db: Database) -> dict[str, dict[str, Any]]:
    """Every role's permissions and scope as stored (the defaults for roles the setting does not name)."""
    stored = load_setting(db, ROLE_PERMISSIONS_SETTING, DEFAULT_ROLE_PERMISSIONS)
    result = {}
    for role in ROLES:
        permissions, scope = grant_from(stored, role)
        result[role] = {"permissions": sorted(permissions, key=PERMISSIONS.index), "scope": scope}
    return result


def save_role_permissions(db: Database, actor: Actor, value: Any) -> dict[str, dict[str, Any]]:
    require_admin(actor)
    cleaned: dict[str, dict[str, Any]] = save_setting(db, actor, ROLE_PERMISSIONS_SETTING, value,
                                                      clean_role_permissions)
    return cleaned


def role_grant(db: Database, role: str) -> tuple[frozenset[str], str]:
    """(permissions, scope) of `role` in this book now: what a user of that role signs in with."""
    return grant_from(load_setting(db, ROLE_PERMISSIONS_SETTING, DEFAULT_ROLE_PERMISSIONS), role)
