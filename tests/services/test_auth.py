"""Signing in (services/auth.py) on a real book: Argon2id passwords and their rules, the first administrator,
the lock after five wrong passwords, changing and resetting passwords, managing users, administrators' tokens
and the roles' saved permissions (services/permissions.py) a sign-in carries."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from crmdesk.models import ApiToken, AuditEntry, Team, User
from crmdesk.models.database import Database
from crmdesk.services import auth
from crmdesk.services.access import PERMISSIONS, default_grant
from crmdesk.services.errors import ConflictError, UserError, ValidationError
from crmdesk.services.permissions import load_role_permissions, save_role_permissions
from crmdesk.services.uow import Actor, read_session, unit_of_work

ADMIN_PASSWORD = "chief-of-desk-1"
REP_PASSWORD = "rep-password-1"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WRONG = "The user name or the password is wrong."


@pytest.fixture
def boss(db: Database) -> Actor:
    """The book's first administrator, signed in."""
    return auth.create_first_admin(db, "boss", ADMIN_PASSWORD, "老板")


@pytest.fixture
def rep(db: Database, boss: Actor) -> auth.UserInfo:
    """A consultant the administrator added, with a first password."""
    return auth.add_user(db, boss, "rep", "王磊", "consultant", REP_PASSWORD)


def _user(db: Database, user_id: str) -> User:
    with read_session(db) as session:
        user = session.get(User, user_id)
        assert user is not None
        session.expunge(user)
        return user


def _audit_actions(db: Database, user_id: str) -> list[str]:
    with read_session(db) as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity_type == "users", AuditEntry.entity_id == user_id,
            AuditEntry.action.in_(("login", "login_failed", "locked"))).order_by(AuditEntry.at, AuditEntry.id)))


def _book_bytes(db_dir: Path) -> bytes:
    """The book file and its write-ahead log, as they are on disk."""
    return b"".join(path.read_bytes() for path in sorted(db_dir.glob("crmdesk.sqlite3*")))


def _team(db: Database, actor: Actor, name: str) -> str:
    with unit_of_work(db, actor) as session:
        team = Team(name=name)
        session.add(team)
        session.flush()
        return team.id


# ---- passwords --------------------------------------------------------------------------------------------
def test_passwords_are_stored_as_argon2id_hashes_never_as_themselves(db: Database, boss: Actor,
                                                                     rep: auth.UserInfo, tmp_path: Path) -> None:
    for user_id, password in ((boss.user_id, ADMIN_PASSWORD), (rep.id, REP_PASSWORD)):
        stored = _user(db, user_id).password_hash
        assert stored is not None and stored.startswith("$argon2id$")
        assert password not in stored
    hashes = {_user(db, boss.user_id).password_hash, _user(db, rep.id).password_hash}
    assert len(hashes) == 2  # salted: every hash is its own
    on_disk = _book_bytes(tmp_path)
    assert ADMIN_PASSWORD.encode() not in on_disk and REP_PASSWORD.encode() not in on_disk


@pytest.mark.parametrize("password,username,message", [
    ("short1!", "", "Use at least 8 characters."),
    ("", "", "Use at least 8 characters."),
    ("x" * 200 + "yz" * 30, "", "Use at most 256 characters."),
    ("ZhangSan", "zhangsan", "The password cannot be the user name."),
    (" zhangsan ", "zhangsan", "The password cannot be the user name."),
    ("pass\tword-1", "", "The password cannot contain control characters."),
    ("pass\x7fword-1", "", "The password cannot contain control characters."),
    ("aaaaaaaa", "", "The password is too easy to guess; mix more characters."),
    ("abababababab", "", "The password is too easy to guess; mix more characters."),
])
def test_check_password_refuses_with_the_rule_broken(password: str, username: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        auth.check_password(password, username)
    assert refused.value.errors == {"password": message}


@pytest.mark.parametrize("password", ["abcabcab", "correct-horse-7", "张伟的密码很长很长", "x" * 253 + "abc"])
def test_check_password_accepts_good_passwords(password: str) -> None:
    auth.check_password(password, "zhangsan")


# ---- the first administrator --------------------------------------------------------------------------------
def test_the_first_administrator_turns_sign_in_on_and_only_once(db: Database) -> None:
    assert auth.sign_in_required(db) is False
    admin = auth.create_first_admin(db, "boss", ADMIN_PASSWORD, "老板")
    assert (admin.role, admin.display_name, admin.scope) == ("admin", "老板", "all")
    assert admin.permissions == frozenset(PERMISSIONS)
    assert auth.sign_in_required(db) is True
    with pytest.raises(ConflictError, match="already has an administrator"):
        auth.create_first_admin(db, "boss2", "another-pass-2")
    with read_session(db) as session:
        assert session.scalars(select(User.username)).all() == ["boss"]


def test_the_first_administrator_checks_the_name_and_the_password(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        auth.create_first_admin(db, "boss", "boss")
    assert "password" in refused.value.errors
    with pytest.raises(ValidationError) as refused:
        auth.create_first_admin(db, "two words", ADMIN_PASSWORD)
    assert "username" in refused.value.errors
    assert auth.sign_in_required(db) is False


def test_a_local_administrator_of_the_same_name_gets_the_password(db: Database, actor: Actor) -> None:
    local = _user(db, actor.user_id)
    assert local.password_hash is None and auth.sign_in_required(db) is False
    admin = auth.create_first_admin(db, local.username.upper(), ADMIN_PASSWORD)
    assert admin.user_id == actor.user_id
    with read_session(db) as session:
        assert session.scalars(select(User.id)).all() == [actor.user_id]  # no second account
    assert auth.sign_in(db, local.username, ADMIN_PASSWORD).user_id == actor.user_id


# ---- signing in -------------------------------------------------------------------------------------------
def test_the_right_password_signs_in_with_the_roles_grant(db: Database, boss: Actor, rep: auth.UserInfo) -> None:
    signed = auth.sign_in(db, "REP", REP_PASSWORD, now=T0)  # names are not case-sensitive
    assert (signed.user_id, signed.role, signed.display_name) == (rep.id, "consultant", "王磊")
    assert (signed.permissions, signed.scope) == default_grant("consultant")
    assert _user(db, rep.id).last_login_at == T0
    assert _audit_actions(db, rep.id) == ["login"]

    save_role_permissions(db, boss, {"consultant": {"permissions": ["see", "export"], "scope": "team"}})
    again = auth.sign_in(db, "rep", REP_PASSWORD)
    assert (again.permissions, again.scope) == (frozenset({"see", "export"}), "team")


def test_a_wrong_password_and_an_unknown_name_are_refused_alike(db: Database, rep: auth.UserInfo) -> None:
    messages = []
    for name, password in (("rep", "not-the-password"), ("nobody", REP_PASSWORD), ("", REP_PASSWORD)):
        with pytest.raises(auth.SignInError) as refused:
            auth.sign_in(db, name, password)
        messages.append(refused.value.message)
    assert messages == [WRONG, WRONG, WRONG]
    assert _audit_actions(db, rep.id) == ["login_failed"]


def test_a_user_without_a_password_cannot_sign_in(db: Database, boss: Actor, consultant: str) -> None:
    with pytest.raises(auth.SignInError, match=WRONG):
        auth.sign_in(db, "wanglei", "")
    with pytest.raises(auth.SignInError, match=WRONG):
        auth.sign_in(db, "wanglei", "anything-at-all")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(db: Database, rep: auth.UserInfo) -> None:
    for attempt in range(4):
        with pytest.raises(auth.SignInError) as refused:
            auth.sign_in(db, "rep", f"wrong-{attempt}-password", now=T0)
        assert refused.value.message == WRONG
    assert _user(db, rep.id).failed_logins == 4
    with pytest.raises(auth.SignInError) as refused:
        auth.sign_in(db, "rep", "wrong-5-password", now=T0)
    assert refused.value.message == "Too many wrong passwords: the account is locked for 15 minutes."
    assert _user(db, rep.id).locked_until == T0 + timedelta(minutes=15)

    with pytest.raises(auth.SignInError) as refused:  # the right password does not open a locked account
        auth.sign_in(db, "rep", REP_PASSWORD, now=T0 + timedelta(minutes=3))
    assert refused.value.message == "Too many wrong passwords: the account is locked for 12 more minutes."
    with pytest.raises(auth.SignInError) as refused:
        auth.sign_in(db, "rep", REP_PASSWORD, now=T0 + timedelta(minutes=14))
    assert refused.value.message == "Too many wrong passwords: the account is locked for one more minute."

    signed = auth.sign_in(db, "rep", REP_PASSWORD, now=T0 + timedelta(minutes=15))
    assert signed.user_id == rep.id
    user = _user(db, rep.id)
    assert (user.failed_logins, user.locked_until) == (0, None)
    assert _audit_actions(db, rep.id) == ["login_failed"] * 4 + ["locked", "login"]


def test_after_the_lock_a_single_wrong_password_does_not_lock_again(db: Database, rep: auth.UserInfo) -> None:
    for attempt in range(5):
        with pytest.raises(auth.SignInError):
            auth.sign_in(db, "rep", f"wrong-{attempt}-password", now=T0)
    later = T0 + timedelta(minutes=16)
    with pytest.raises(auth.SignInError) as refused:
        auth.sign_in(db, "rep", "wrong-again-pass", now=later)
    assert refused.value.message == WRONG
    assert auth.sign_in(db, "rep", REP_PASSWORD, now=later).user_id == rep.id


def test_a_good_sign_in_resets_the_count_of_wrong_passwords(db: Database, rep: auth.UserInfo) -> None:
    for attempt in range(4):
        with pytest.raises(auth.SignInError):
            auth.sign_in(db, "rep", f"wrong-{attempt}-password", now=T0)
    auth.sign_in(db, "rep", REP_PASSWORD, now=T0)
    assert _user(db, rep.id).failed_logins == 0
    for attempt in range(4):
        with pytest.raises(auth.SignInError) as refused:
            auth.sign_in(db, "rep", f"wrong-{attempt}-password", now=T0)
        assert refused.value.message == WRONG  # four more in a row: still not locked
    assert _user(db, rep.id).locked_until is None
    assert auth.sign_in(db, "rep", REP_PASSWORD, now=T0).user_id == rep.id


def test_a_disabled_user_cannot_sign_in(db: Database, boss: Actor, rep: auth.UserInfo) -> None:
    auth.update_user(db, boss, rep.id, active=False)
    with pytest.raises(auth.SignInError) as refused:
        auth.sign_in(db, "rep", REP_PASSWORD)
    assert refused.value.message == "This account is disabled. Ask an administrator."
    with pytest.raises(auth.SignInError) as refused:
        auth.sign_in(db, "rep", "not-the-password")
    assert refused.value.message == WRONG
    auth.update_user(db, boss, rep.id, active=True)
    assert auth.sign_in(db, "rep", REP_PASSWORD).user_id == rep.id


# ---- changing and resetting passwords ----------------------------------------------------------------------
def test_changing_ones_password_needs_the_old_one_and_a_new_one(db: Database, rep: auth.UserInfo) -> None:
    signed = auth.sign_in(db, "rep", REP_PASSWORD)
    assert auth.must_change_password(db, signed) is True  # an administrator's first password
    with pytest.raises(ValidationError) as refused:
        auth.change_password(db, signed, "not-the-password", "brand-new-pass-9")
    assert refused.value.errors == {"old_password": "The current password is wrong."}
    with pytest.raises(ValidationError) as refused:
        auth.change_password(db, signed, REP_PASSWORD, REP_PASSWORD)
    assert refused.value.errors == {"password": "Choose a password different from the current one."}
    with pytest.raises(ValidationError) as refused:
        auth.change_password(db, signed, REP_PASSWORD, "rep")
    assert refused.value.errors == {"password": "Use at least 8 characters."}
    assert auth.must_change_password(db, signed) is True

    auth.change_password(db, signed, REP_PASSWORD, "brand-new-pass-9")
    assert auth.must_change_password(db, signed) is False
    assert auth.sign_in(db, "rep", "brand-new-pass-9").user_id == rep.id
    with pytest.raises(auth.SignInError, match=WRONG):
        auth.sign_in(db, "rep", REP_PASSWORD)


def test_an_administrators_reset_must_be_changed_and_lifts_the_lock(db: Database, boss: Actor,
                                                                    rep: auth.UserInfo) -> None:
    signed = auth.sign_in(db, "rep", REP_PASSWORD)
    auth.change_password(db, signed, REP_PASSWORD, "brand-new-pass-9")
    for attempt in range(5):
        with pytest.raises(auth.SignInError):
            auth.sign_in(db, "rep", f"wrong-{attempt}-password")
    assert _user(db, rep.id).locked_until is not None

    auth.reset_password(db, boss, rep.id, "from-the-admin-3")
    user = _user(db, rep.id)
    assert (user.must_change_password, user.failed_logins, user.locked_until) == (True, 0, None)
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    again = auth.sign_in(db, "rep", "from-the-admin-3")
    assert auth.must_change_password(db, again) is True
    with pytest.raises(ValidationError):
        auth.reset_password(db, boss, rep.id, "rep")  # the rules hold for an administrator too


def test_an_administrator_resetting_their_own_password_need_not_change_it(db: Database, boss: Actor) -> None:
    auth.reset_password(db, boss, boss.user_id, "new-chief-pass-2")
    assert auth.must_change_password(db, boss) is False
    assert auth.sign_in(db, "boss", "new-chief-pass-2").user_id == boss.user_id


def test_only_an_administrator_resets_passwords_and_manages_users(db: Database, boss: Actor,
                                                                  rep: auth.UserInfo) -> None:
    signed = auth.sign_in(db, "rep", REP_PASSWORD)
    refusal = "Only an administrator may manage users, roles and tokens."
    for call in (lambda: auth.reset_password(db, signed, boss.user_id, "taken-over-pass-1"),
                 lambda: auth.add_user(db, signed, "mate", "同事", "consultant", "mate-password-1"),
                 lambda: auth.update_user(db, signed, signed.user_id, role="admin"),
                 lambda: auth.list_user_accounts(db, signed),
                 lambda: auth.unlock_user(db, signed, signed.user_id),
                 lambda: auth.create_token(db, signed, "script"),
                 lambda: auth.list_tokens(db, signed)):
        with pytest.raises(UserError) as refused:
            call()
        assert refused.value.message == refusal
    assert auth.sign_in(db, "boss", ADMIN_PASSWORD).user_id == boss.user_id
    assert _user(db, rep.id).role == "consultant"


# ---- users -------------------------------------------------------------------------------------------------
def test_add_user_refuses_a_taken_name_an_unknown_role_and_team_field_by_field(db: Database, boss: Actor,
                                                                               rep: auth.UserInfo) -> None:
    with pytest.raises(ValidationError) as refused:
        auth.add_user(db, boss, "REP", "另一个", "wizard", "mate-password-1", team_id="no-such-team")
    assert refused.value.errors == {"username": "This user name is taken.", "role": "Choose a role from the list.",
                                    "team_id": "Choose an existing team."}
    with pytest.raises(ValidationError) as refused:
        auth.add_user(db, boss, "", "", "consultant", "mate")
    assert set(refused.value.errors) == {"username", "password"}
    assert [u.username for u in auth.list_user_accounts(db, boss)] == ["boss", "rep"]


def test_add_user_makes_an_account_that_must_change_its_password(db: Database, boss: Actor) -> None:
    team = _team(db, boss, "展厅一组")
    info = auth.add_user(db, boss, "mate", "", "manager", "mate-password-1", team_id=team)
    assert (info.username, info.display_name, info.role, info.team_id) == ("mate", "mate", "manager", team)
    assert (info.active, info.has_password, info.must_change_password) == (True, True, True)
    signed = auth.sign_in(db, "mate", "mate-password-1")
    assert (signed.team_id, signed.scope) == (team, "team")


def test_the_last_active_administrator_cannot_be_demoted_or_disabled(db: Database, boss: Actor,
                                                                     rep: auth.UserInfo) -> None:
    message = "The book needs at least one active administrator."
    with pytest.raises(ConflictError, match=message):
        auth.update_user(db, boss, boss.user_id, role="manager")
    with pytest.raises(ConflictError, match=message):
        auth.update_user(db, boss, boss.user_id, active=False)
    assert (_user(db, boss.user_id).role, _user(db, boss.user_id).active) == ("admin", True)

    second = auth.add_user(db, boss, "boss2", "二老板", "admin", "second-boss-pass-1")
    assert auth.update_user(db, boss, boss.user_id, role="manager").role == "manager"
    with pytest.raises(ConflictError, match=message):
        auth.update_user(db, boss, second.id, active=False)  # now the only one


def test_update_user_refuses_an_unknown_role_or_team(db: Database, boss: Actor, rep: auth.UserInfo) -> None:
    with pytest.raises(ValidationError) as refused:
        auth.update_user(db, boss, rep.id, role="wizard", team_id="no-such-team")
    assert refused.value.errors == {"role": "Choose a role from the list.", "team_id": "Choose an existing team."}
    assert _user(db, rep.id).role == "consultant"


def test_update_user_keeps_the_team_unless_given_one(db: Database, boss: Actor, rep: auth.UserInfo) -> None:
    team_a, team_b = _team(db, boss, "A组"), _team(db, boss, "B组")
    assert auth.update_user(db, boss, rep.id, team_id=team_a).team_id == team_a
    kept = auth.update_user(db, boss, rep.id, display_name="王磊磊", role="field_rep")
    assert (kept.team_id, kept.display_name, kept.role) == (team_a, "王磊磊", "field_rep")
    assert auth.update_user(db, boss, rep.id, team_id=team_b).team_id == team_b
    assert auth.update_user(db, boss, rep.id, team_id=None).team_id is None
    assert auth.update_user(db, boss, rep.id, active=False).team_id is None


# ---- tokens ------------------------------------------------------------------------------------------------
def test_a_token_is_shown_once_and_only_its_sha256_is_kept(db: Database, boss: Actor, tmp_path: Path) -> None:
    token = auth.create_token(db, boss, "nightly export")
    assert token.startswith("crmdesk_") and len(token) > 40
    assert auth.create_token(db, boss, "second") != token
    with read_session(db) as session:
        hashes = set(session.scalars(select(ApiToken.token_hash)))
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert token.encode() not in _book_bytes(tmp_path)
    assert token[len("crmdesk_"):].encode() not in _book_bytes(tmp_path)
    listed = auth.list_tokens(db, boss)
    assert {t.name for t in listed} == {"nightly export", "second"} and {t.user_name for t in listed} == {"老板"}
    with pytest.raises(ValidationError):
        auth.create_token(db, boss, "   ")


def test_a_token_signs_in_until_it_is_revoked(db: Database, boss: Actor) -> None:
    token = auth.create_token(db, boss, "nightly export")
    signed = auth.sign_in_with_token(db, token)
    assert (signed.user_id, signed.role, signed.scope) == (boss.user_id, "admin", "all")
    assert auth.list_tokens(db, boss)[0].last_used_at is not None

    auth.revoke_token(db, boss, auth.list_tokens(db, boss)[0].id)
    assert auth.list_tokens(db, boss)[0].revoked_at is not None
    with pytest.raises(auth.SignInError, match="The token is not valid"):
        auth.sign_in_with_token(db, token)
    for forged in ("", "crmdesk_", token[:-1], token[len("crmdesk_"):], hashlib.sha256(token.encode()).hexdigest()):
        with pytest.raises(auth.SignInError, match="The token is not valid"):
            auth.sign_in_with_token(db, forged)


def test_a_token_stops_working_while_its_user_is_no_active_administrator(db: Database, boss: Actor) -> None:
    auth.add_user(db, boss, "boss2", "二老板", "admin", "second-boss-pass-1")
    second = auth.sign_in(db, "boss2", "second-boss-pass-1")
    token = auth.create_token(db, second, "their script")
    assert auth.sign_in_with_token(db, token).user_id == second.user_id

    auth.update_user(db, boss, second.user_id, role="manager")
    with pytest.raises(auth.SignInError, match="The token is not valid"):
        auth.sign_in_with_token(db, token)
    auth.update_user(db, boss, second.user_id, role="admin", active=False)
    with pytest.raises(auth.SignInError, match="The token is not valid"):
        auth.sign_in_with_token(db, token)
    # Checked at every use, not revoked: an administrator again, the token works again.
    auth.update_user(db, boss, second.user_id, active=True)
    assert auth.sign_in_with_token(db, token).user_id == second.user_id


# ---- the roles' permissions --------------------------------------------------------------------------------
def test_saved_role_permissions_are_what_a_user_acts_with(db: Database, boss: Actor, rep: auth.UserInfo) -> None:
    saved = save_role_permissions(db, boss, {"consultant": {"permissions": ["export", "see"], "scope": "all"}})
    assert saved["consultant"] == {"permissions": ["see", "export"], "scope": "all"}
    assert load_role_permissions(db)["consultant"] == {"permissions": ["see", "export"], "scope": "all"}
    assert load_role_permissions(db)["manager"]["scope"] == "team"  # the others keep their defaults
    actor = auth.actor_for(db, _user(db, rep.id))
    assert (actor.permissions, actor.scope) == (frozenset({"see", "export"}), "all")
    assert actor.may("export") and not actor.may("edit")


def test_only_an_administrator_saves_role_permissions_and_the_admin_keeps_everything(
        db: Database, boss: Actor, rep: auth.UserInfo) -> None:
    before = load_role_permissions(db)
    signed = auth.sign_in(db, "rep", REP_PASSWORD)
    with pytest.raises(UserError, match="Only an administrator"):
        save_role_permissions(db, signed, {"consultant": {"permissions": list(PERMISSIONS), "scope": "all"}})
    with pytest.raises(ValidationError) as refused:
        save_role_permissions(db, boss, {"admin": {"permissions": ["see"], "scope": "all"}})
    assert refused.value.errors == {"admin": "The administrator keeps every permission over the whole book."}
    with pytest.raises(ValidationError) as refused:
        save_role_permissions(db, boss, {"admin": {"permissions": list(PERMISSIONS), "scope": "team"}})
    assert set(refused.value.errors) == {"admin"}
    with pytest.raises(ValidationError) as refused:
        save_role_permissions(db, boss, {"consultant": {"permissions": ["fly"], "scope": "own"}, "wizard": {}})
    assert set(refused.value.errors) == {"consultant", "role_permissions"}
    assert load_role_permissions(db) == before
    assert auth.actor_for(db, _user(db, boss.user_id)).permissions == frozenset(PERMISSIONS)


# ---- bugs found while writing these tests (fixed) -----------------------------------------------------------
@pytest.mark.parametrize("how", ["add_user", "reset_password"])
def test_a_password_given_before_the_administrator_has_one_does_not_lock_the_book_out(
        db: Database, actor: Actor, consultant: str, how: str) -> None:
    """The window's Later goes on as the local administrator, who has no password, and may open Users: giving
    someone else a password first is refused (sign-in would turn on with nobody able to manage the book)."""
    def give() -> None:
        if how == "add_user":
            auth.add_user(db, actor, "rep", "王磊", "consultant", REP_PASSWORD)
        else:
            auth.reset_password(db, actor, consultant, REP_PASSWORD)

    with pytest.raises(ConflictError, match="own password first"):
        give()
    assert not auth.sign_in_required(db)
    local = _user(db, actor.user_id)
    admin = auth.create_first_admin(db, local.username, ADMIN_PASSWORD)
    assert admin.user_id == actor.user_id
    give()  # now it is the administrator's to give
    assert auth.sign_in(db, local.username, ADMIN_PASSWORD).role == "admin"


def test_the_last_administrator_who_can_sign_in_cannot_be_demoted(db: Database, actor: Actor) -> None:
    local = _user(db, actor.user_id)  # the desk's administrator from before sign-in, no password
    boss = auth.create_first_admin(db, local.username + "-boss", ADMIN_PASSWORD)
    assert boss.user_id != actor.user_id and auth.sign_in_required(db)
    with pytest.raises(ConflictError, match="at least one active administrator"):
        auth.update_user(db, boss, boss.user_id, role="manager")


def test_the_first_administrator_with_a_deleted_users_name_is_refused_plainly(db: Database, actor: Actor) -> None:
    with unit_of_work(db, actor) as session:
        gone = User(username="boss", display_name="离职", role="consultant")
        session.add(gone)
        session.flush()
        gone.deleted_at = T0
    try:
        auth.create_first_admin(db, "boss", ADMIN_PASSWORD)
    except ValidationError as refused:
        assert "username" in refused.errors
    except Exception as crashed:  # the bug: anything but a user error
        raise AssertionError(f"crashed: {type(crashed).__name__}") from crashed
    assert not auth.sign_in_required(db) or auth.sign_in(db, "boss", ADMIN_PASSWORD).role == "admin"
