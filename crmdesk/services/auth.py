"""Signing in: the first administrator, passwords (Argon2id), the lock after repeated failures, changing
and resetting passwords, the users an administrator manages, and administrators' tokens for the CLI.

A book with no password set yet (new, or made before sign-in existed) has no sign-in: the window asks for
the first administrator, and the CLI acts as the desk's local administrator until then.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import ROLES as ROLES  # the roles a user may have, for the views' pickers
from crmdesk.models import ApiToken, AuditEntry, Team, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services.errors import ConflictError, NotFoundError, UserError, ValidationError
from crmdesk.services.permissions import require_admin, role_grant
from crmdesk.services.uow import Actor, read_session, unit_of_work

# After this many wrong passwords in a row the account is locked for LOCK_MINUTES (counted per desk).
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
TOKEN_PREFIX = "crmdesk_"

# Argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes): about 50 ms
# here, paid once per sign-in.
_hasher = PasswordHasher()
# Verified against when the user name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("crmdesk: no such user")
_SYSTEM = Actor(user_id="00000000-0000-7000-8000-000000000000", display_name="system", role="admin")


class SignInError(UserError):
    """Wrong name or password, a locked or disabled account. A wrong name and a wrong password read the same
    and cost as long; a lock (after five wrong passwords) does tell that the name exists, as every lock does."""


@dataclass(frozen=True)
class UserInfo:
    id: str
    username: str
    display_name: str
    role: str
    team_id: str | None
    active: bool
    has_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    must_change_password: bool


@dataclass(frozen=True)
class TokenInfo:
    id: str
    name: str
    user_name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def actor_for(db: Database, user: User) -> Actor:
    """The actor a signed-in user acts as: their role's permissions and data scope in this book now."""
    permissions, scope = role_grant(db, user.role)
    return Actor(user_id=user.id, display_name=user.display_name, role=user.role, team_id=user.team_id,
                 permissions=permissions, scope=scope)


def _live_users() -> Any:
    return select(User).where(User.deleted_at.is_(None))


def sign_in_required(db: Database) -> bool:
    """True once any active user of the book has a password: from then on every use signs in."""
    with read_session(db) as session:
        return session.scalar(select(func.count()).select_from(User).where(
            User.deleted_at.is_(None), User.active.is_(True), User.password_hash.is_not(None))) != 0


def check_password(password: str, username: str = "") -> None:
    """The password rules: at least 8 characters, not the user name, no control characters."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": _("Use at least {n} characters.", n=MIN_PASSWORD_LENGTH)})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError({"password": _("Use at most {n} characters.", n=MAX_PASSWORD_LENGTH)})
    if any(ord(char) < 32 or ord(char) == 127 for char in password):
        raise ValidationError({"password": _("The password cannot contain control characters.")})
    if username and password.strip().casefold() == username.strip().casefold():
        raise ValidationError({"password": _("The password cannot be the user name.")})
    if len(set(password)) < 3:
        raise ValidationError({"password": _("The password is too easy to guess; mix more characters.")})


def _clean_username(username: Any) -> str:
    name = username.strip() if isinstance(username, str) else ""
    if not name:
        raise ValidationError({"username": _("Enter a user name.")})
    if len(name) > 64 or any(char.isspace() or ord(char) < 32 for char in name):
        raise ValidationError({"username": _("A user name has at most 64 characters and no spaces.")})
    return name


def _clean_display_name(display_name: Any, fallback: str) -> str:
    name = display_name.strip() if isinstance(display_name, str) else ""
    name = name or fallback
    if len(name) > 100 or any(ord(char) < 32 for char in name):
        raise ValidationError({"display_name": _("A name has at most 100 characters.")})
    return name


def _audit(session: Session, user_id: str | None, action: str, target_id: str, now: datetime) -> None:
    session.add(AuditEntry(at=now, user_id=user_id, action=action, entity_type="users", entity_id=target_id))


def create_first_admin(db: Database, username: str, password: str, display_name: str = "") -> Actor:
    """The book's first administrator, on first start (there is no default password). A local administrator
    made before sign-in existed, with the same name, gets the password instead of a second account."""
    name = _clean_username(username)
    check_password(password, name)
    shown = _clean_display_name(display_name, name)
    with unit_of_work(db, _SYSTEM) as session:
        if session.scalar(select(func.count()).select_from(User).where(
                User.deleted_at.is_(None), User.active.is_(True), User.password_hash.is_not(None))):
            raise ConflictError(_("The book already has an administrator; sign in instead."))
        user = session.scalar(select(User).where(func.lower(User.username) == name.lower()))
        if user is not None and (user.deleted_at is not None or user.role != "admin"):
            # A deleted account keeps its name (a sync may bring it back); a consultant is not promoted by it.
            raise ValidationError({"username": _("This user name is taken.")})
        if user is None:
            user = User(username=name, display_name=shown, role="admin")
            session.add(user)
            session.flush()
            user.created_by = user.id
        user.role, user.active, user.display_name = "admin", True, shown
        user.password_hash = _hasher.hash(password)
        user.password_changed_at = utcnow()
        user.must_change_password = False
        user.updated_by = user.id
        session.flush()
        actor = actor_for(db, user)
    return actor


def sign_in(db: Database, username: str, password: str, *, now: datetime | None = None) -> Actor:
    """The actor for a name and password, or SignInError. Wrong passwords are counted; the fifth in a row
    locks the account for 15 minutes (said, with the time left). Every sign-in and failure is audited."""
    now = now or utcnow()
    name = username.strip() if isinstance(username, str) else ""
    wrong = SignInError(_("The user name or the password is wrong."))
    with unit_of_work(db, _SYSTEM) as session:
        user = session.scalar(_live_users().where(func.lower(User.username) == name.lower())) if name else None
        if user is None or user.password_hash is None:
            _verify(_DUMMY_HASH, password or "")
            raise wrong
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() + 59) // 60)
            if minutes == 1:
                raise SignInError(_("Too many wrong passwords: the account is locked for one more minute."))
            raise SignInError(_("Too many wrong passwords: the account is locked for {n} more minutes.", n=minutes))
        if not _verify(user.password_hash, password or ""):
            user.failed_logins = (user.failed_logins or 0) + 1
            locked = user.failed_logins >= MAX_FAILED_LOGINS
            if locked:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
            _audit(session, user.id, "locked" if locked else "login_failed", user.id, now)
            failure = SignInError(_("Too many wrong passwords: the account is locked for {n} minutes.",
                                    n=LOCK_MINUTES)) if locked else wrong
        elif not user.active:
            failure = SignInError(_("This account is disabled. Ask an administrator."))
        else:
            failure = None
            user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            _audit(session, user.id, "login", user.id, now)
            actor = actor_for(db, user)
    # Out of the unit of work, so the counted failure is committed before it is reported.
    if failure is not None:
        raise failure
    return actor


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def must_change_password(db: Database, actor: Actor) -> bool:
    with read_session(db) as session:
        return bool(session.scalar(select(User.must_change_password).where(User.id == actor.user_id)))


def change_password(db: Database, actor: Actor, old_password: str, new_password: str) -> None:
    """The signed-in user's own password: the old one must be right (a desk left open is not enough)."""
    with unit_of_work(db, actor) as session:
        user = session.get(User, actor.user_id)
        if user is None or user.deleted_at is not None:
            raise NotFoundError("user", actor.user_id)
        if user.password_hash is not None and not _verify(user.password_hash, old_password or ""):
            raise ValidationError({"old_password": _("The current password is wrong.")})
        check_password(new_password, user.username)
        if user.password_hash is not None and _verify(user.password_hash, new_password):
            raise ValidationError({"password": _("Choose a password different from the current one.")})
        user.password_hash = _hasher.hash(new_password)
        user.password_changed_at = utcnow()
        user.must_change_password = False


def reset_password(db: Database, admin: Actor, user_id: str, new_password: str) -> None:
    """An administrator sets a user's password (forgotten, or a new account): it must be changed at the
    user's next sign-in, and the lock is lifted."""
    require_admin(admin)
    with unit_of_work(db, admin) as session:
        user = session.get(User, user_id)
        if user is None or user.deleted_at is not None:
            raise NotFoundError("user", user_id)
        if user.id != admin.user_id:
            _require_own_password(session, admin)
        check_password(new_password, user.username)
        user.password_hash = _hasher.hash(new_password)
        user.password_changed_at = utcnow()
        user.must_change_password = user.id != admin.user_id
        user.failed_logins, user.locked_until = 0, None


def _require_own_password(session: Session, admin: Actor) -> None:
    """Giving others passwords turns sign-in on: an administrator without a password of their own (the desk's
    local one, before sign-in) would lock themselves out. They set theirs first (the first administrator)."""
    own = session.get(User, admin.user_id)
    if own is None or own.password_hash is None:
        raise ConflictError(_("Set your own password first (create the first administrator), then give others "
                              "theirs: otherwise nobody could sign in to manage the book."))


def _info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                    team_id=user.team_id, active=bool(user.active), has_password=user.password_hash is not None,
                    locked_until=user.locked_until, last_login_at=user.last_login_at,
                    must_change_password=bool(user.must_change_password))


def list_user_accounts(db: Database, admin: Actor) -> list[UserInfo]:
    require_admin(admin)
    with read_session(db) as session:
        return [_info(user) for user in session.scalars(_live_users().order_by(User.username))]


def _check_role_and_team(session: Session, role: Any, team_id: Any, errors: dict[str, str]) -> None:
    if role not in ROLES:
        errors["role"] = _("Choose a role from the list.")
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None or team.deleted_at is not None:
            errors["team_id"] = _("Choose an existing team.")


def add_user(db: Database, admin: Actor, username: str, display_name: str, role: str, password: str,
             team_id: str | None = None) -> UserInfo:
    """A new account with a first password the user changes at the first sign-in."""
    require_admin(admin)
    errors: dict[str, str] = {}
    try:
        name = _clean_username(username)
    except ValidationError as error:
        errors.update(error.errors)
        name = ""
    try:
        shown = _clean_display_name(display_name, name)
    except ValidationError as error:
        errors.update(error.errors)
        shown = name
    try:
        check_password(password, name)
    except ValidationError as error:
        errors.update(error.errors)
    with unit_of_work(db, admin) as session:
        _require_own_password(session, admin)
        _check_role_and_team(session, role, team_id, errors)
        if name and session.scalar(select(User.id).where(func.lower(User.username) == name.lower())):
            errors["username"] = _("This user name is taken.")
        if errors:
            raise ValidationError(errors)
        user = User(username=name, display_name=shown, role=role, team_id=team_id, active=True,
                    password_hash=_hasher.hash(password), password_changed_at=utcnow(),
                    must_change_password=True)
        session.add(user)
        session.flush()
        info = _info(user)
    return info


KEEP: Any = object()  # update_user: leave this field as it is


def update_user(db: Database, admin: Actor, user_id: str, *, display_name: str | None = None,
                role: str | None = None, team_id: Any = KEEP, active: bool | None = None) -> UserInfo:
    """Change a user's name, role, team or whether the account may sign in. The last active administrator
    cannot be demoted or disabled (the book would have nobody to manage it)."""
    require_admin(admin)
    with unit_of_work(db, admin) as session:
        user = session.get(User, user_id)
        if user is None or user.deleted_at is not None:
            raise NotFoundError("user", user_id)
        errors: dict[str, str] = {}
        new_role = user.role if role is None else role
        new_team = user.team_id if team_id is KEEP else team_id
        _check_role_and_team(session, new_role, new_team, errors)
        if display_name is not None:
            try:
                user.display_name = _clean_display_name(display_name, user.username)
            except ValidationError as error:
                errors.update(error.errors)
        if errors:
            raise ValidationError(errors)
        stays_admin = new_role == "admin" and (user.active if active is None else active)
        if user.role == "admin" and not stays_admin:
            others_query = select(func.count()).select_from(User).where(
                User.id != user.id, User.role == "admin", User.active.is_(True), User.deleted_at.is_(None))
            if user.password_hash is not None:  # with sign-in, only an administrator who can sign in counts
                others_query = others_query.where(User.password_hash.is_not(None))
            others = session.scalar(others_query)
            if not others:
                raise ConflictError(_("The book needs at least one active administrator."))
        user.role, user.team_id = new_role, new_team
        if active is not None:
            user.active = active
        session.flush()
        info = _info(user)
    return info


def unlock_user(db: Database, admin: Actor, user_id: str) -> None:
    require_admin(admin)
    with unit_of_work(db, admin) as session:
        user = session.get(User, user_id)
        if user is None or user.deleted_at is not None:
            raise NotFoundError("user", user_id)
        user.failed_logins, user.locked_until = 0, None
        _audit(session, admin.user_id, "unlock", user.id, utcnow())


# ---- tokens --------------------------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(db: Database, admin: Actor, name: str) -> str:
    """A new token for scripts acting as `admin` (shown once; only its hash is kept)."""
    require_admin(admin)
    label = name.strip() if isinstance(name, str) else ""
    if not label or len(label) > 100:
        raise ValidationError({"name": _("Name the token (what uses it), at most 100 characters.")})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work(db, admin) as session:
        row = ApiToken(user_id=admin.user_id, name=label, token_hash=_token_hash(token))
        session.add(row)
        session.flush()
        _audit(session, admin.user_id, "token_created", row.id, utcnow())
    return token


def list_tokens(db: Database, admin: Actor) -> list[TokenInfo]:
    require_admin(admin)
    with read_session(db) as session:
        rows = session.execute(select(ApiToken, User.display_name).join(User, User.id == ApiToken.user_id)
                               .order_by(ApiToken.created_at.desc()))
        return [TokenInfo(t.id, t.name, user_name, t.created_at, t.last_used_at, t.revoked_at) for t, user_name in rows]


def revoke_token(db: Database, admin: Actor, token_id: str) -> None:
    require_admin(admin)
    with unit_of_work(db, admin) as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFoundError("token", token_id)
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            _audit(session, admin.user_id, "token_revoked", row.id, row.revoked_at)


def sign_in_with_token(db: Database, token: str) -> Actor:
    """The administrator a token acts for; SignInError for an unknown or revoked token or a user who is no
    longer an active administrator."""
    refused = SignInError(_("The token is not valid (unknown, revoked, or its administrator was removed)."))
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        raise refused
    with unit_of_work(db, _SYSTEM) as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
        user = session.get(User, row.user_id) if row is not None else None
        if (row is None or row.revoked_at is not None or user is None or user.deleted_at is not None
                or not user.active or user.role != "admin"):
            raise refused
        row.last_used_at = utcnow()
        actor = actor_for(db, user)
    return actor
