"""Who a CLI command acts as (crmdesk/cli_auth.py), on real files: the local administrator on a book without
sign-in; once a password is set, --user with CRMDESK_PASSWORD (or the terminal's prompt) or an administrator's
--token, and the signed-in user's data scope in `search`, `export` and `history`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from crmdesk.cli import main
from crmdesk.models import User
from crmdesk.models.database import open_database
from crmdesk.services.auth import (
    add_user,
    create_first_admin,
    create_token,
    list_tokens,
    revoke_token,
    sign_in,
)
from crmdesk.services.permissions import save_role_permissions
from crmdesk.services.registry import Services
from crmdesk.services.uow import read_session
from crmdesk.services.users import ensure_local_user

ADMIN_PASSWORD = "chief-of-desk-1"
REP_PASSWORD = "rep-password-1"
BOSS_CUSTOMER = "张伟"
REP_CUSTOMER = "张敏"


@pytest.fixture
def plain_book(tmp_path: Path) -> Path:
    """A book made before sign-in: two customers, no user with a password."""
    path = tmp_path / "crmdesk.sqlite3"
    database = open_database(path)
    services = Services(database)
    local = ensure_local_user(database)
    services.customers.create(local, {"name": BOSS_CUSTOMER, "tier": "B"})
    services.customers.create(local, {"name": REP_CUSTOMER, "tier": "A"})
    database.close()
    return path


@pytest.fixture
def signed_book(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A book with sign-in: the administrator boss owns 张伟, the consultant rep owns 张敏 (a customer without
    an owner would be the public pool, which every role sees)."""
    path = tmp_path / "crmdesk.sqlite3"
    database = open_database(path)
    services = Services(database)
    boss = create_first_admin(database, "boss", ADMIN_PASSWORD, "老板")
    rep = add_user(database, boss, "rep", "王磊", "consultant", REP_PASSWORD)
    ids = {
        "boss": boss.user_id, "rep": rep.id,
        BOSS_CUSTOMER: services.customers.create(boss, {"name": BOSS_CUSTOMER, "tier": "B",
                                                        "owner_id": boss.user_id}).id,
        REP_CUSTOMER: services.customers.create(boss, {"name": REP_CUSTOMER, "tier": "A", "owner_id": rep.id}).id,
    }
    database.close()
    return path, ids


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No sign-in from the environment the tests run in, and no terminal to prompt on."""
    for name in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)


def _as(monkeypatch: pytest.MonkeyPatch, password: str | None = None, token: str | None = None) -> None:
    if password is not None:
        monkeypatch.setenv("CRMDESK_PASSWORD", password)
    if token is not None:
        monkeypatch.setenv("CRMDESK_TOKEN", token)


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The message of a command that must exit 2 (and print nothing on stdout, no traceback)."""
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return captured.err


def _search(path: Path, capsys: pytest.CaptureFixture[str], *sign_in: str) -> list[str]:
    assert main(["search", "张", "--db", str(path), "--json", *sign_in]) == 0
    return sorted(hit["name"] for hit in json.loads(capsys.readouterr().out)["hits"])


def _admin_token(path: Path) -> str:
    database = open_database(path)
    try:
        return create_token(database, sign_in(database, "boss", ADMIN_PASSWORD), "script")
    finally:
        database.close()


# ---- no sign-in yet ---------------------------------------------------------------------------------------
def test_a_book_without_sign_in_needs_none(plain_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _search(plain_book, capsys) == [BOSS_CUSTOMER, REP_CUSTOMER]
    assert main(["search", "张", "--db", str(plain_book)]) == 0
    assert REP_CUSTOMER in capsys.readouterr().out


def test_a_book_without_sign_in_acts_as_the_user_named(plain_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _search(plain_book, capsys, "--user", _local_name(plain_book)) == [BOSS_CUSTOMER, REP_CUSTOMER]
    err = _refused(["search", "张", "--db", str(plain_book), "--user", "nobody"], capsys)
    assert "No user is called nobody." in err


def _local_name(path: Path) -> str:
    database = open_database(path)
    try:
        with read_session(database) as session:
            return str(session.scalars(select(User.username)).one())
    finally:
        database.close()


# ---- signing in -------------------------------------------------------------------------------------------
def test_a_signed_book_refuses_a_command_without_a_sign_in(signed_book: tuple[Path, dict[str, str]],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    err = _refused(["search", "张", "--db", str(path)], capsys)
    assert "This book needs a sign-in: give --user NAME" in err


def test_the_right_password_from_the_environment_signs_in(signed_book: tuple[Path, dict[str, str]],
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    _as(monkeypatch, password=ADMIN_PASSWORD)
    assert _search(path, capsys, "--user", "boss") == [BOSS_CUSTOMER, REP_CUSTOMER]
    monkeypatch.setenv("CRMDESK_USER", "boss")  # the name from the environment too
    assert _search(path, capsys) == [BOSS_CUSTOMER, REP_CUSTOMER]


def test_a_wrong_password_exits_2_and_says_so(signed_book: tuple[Path, dict[str, str]],
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    _as(monkeypatch, password="not-the-password")
    for name in ("boss", "nobody"):
        err = _refused(["search", "张", "--db", str(path), "--user", name], capsys)
        assert "The user name or the password is wrong." in err


def test_five_wrong_passwords_lock_the_cli_out_too(signed_book: tuple[Path, dict[str, str]],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    _as(monkeypatch, password="not-the-password")
    for _attempt in range(5):
        last = _refused(["search", "张", "--db", str(path), "--user", "rep"], capsys)
    assert "locked for 15 minutes" in last
    _as(monkeypatch, password=REP_PASSWORD)
    assert "locked for 15 more minutes" in _refused(["search", "张", "--db", str(path), "--user", "rep"], capsys)


def test_without_a_terminal_or_crmdesk_password_it_says_how(signed_book: tuple[Path, dict[str, str]],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    err = _refused(["search", "张", "--db", str(path), "--user", "boss"], capsys)
    assert "No terminal to ask the password on: set CRMDESK_PASSWORD or use --token." in err


def test_on_a_terminal_the_password_is_asked(signed_book: tuple[Path, dict[str, str]],
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return ADMIN_PASSWORD

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", getpass)
    assert _search(path, capsys, "--user", "boss") == [BOSS_CUSTOMER, REP_CUSTOMER]
    assert asked == ["Password for boss: "]


def test_a_token_signs_in_until_it_is_revoked(signed_book: tuple[Path, dict[str, str]],
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    token = _admin_token(path)
    assert _search(path, capsys, "--token", token) == [BOSS_CUSTOMER, REP_CUSTOMER]
    _as(monkeypatch, token=token)
    assert _search(path, capsys) == [BOSS_CUSTOMER, REP_CUSTOMER]  # CRMDESK_TOKEN

    database = open_database(path)
    try:
        boss = sign_in(database, "boss", ADMIN_PASSWORD)
        revoke_token(database, boss, list_tokens(database, boss)[0].id)
    finally:
        database.close()
    for argv in (["search", "张", "--db", str(path)], ["search", "张", "--db", str(path), "--token", token]):
        assert "The token is not valid" in _refused(argv, capsys)
    err = _refused(["search", "张", "--db", str(path), "--token", "crmdesk_made-up"], capsys)
    assert "The token is not valid" in err


# ---- the signed-in user's data scope ----------------------------------------------------------------------
def test_a_consultant_searches_only_their_own_customers(signed_book: tuple[Path, dict[str, str]],
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    _as(monkeypatch, password=REP_PASSWORD)
    assert _search(path, capsys, "--user", "rep") == [REP_CUSTOMER]
    assert main(["search", "张", "--db", str(path), "--user", "rep"]) == 0
    out = capsys.readouterr().out
    assert REP_CUSTOMER in out and BOSS_CUSTOMER not in out


def _exported(path: Path, out: Path, capsys: pytest.CaptureFixture[str], user: str) -> list[str]:
    assert main(["export", "customers", "-o", str(out), "--db", str(path), "--user", user, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] >= 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    rows = list(csv.reader(text.splitlines()))
    return sorted(cell for row in rows[1:] for cell in row if cell in (BOSS_CUSTOMER, REP_CUSTOMER))


def test_a_consultant_exports_only_their_own_customers(signed_book: tuple[Path, dict[str, str]], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = signed_book
    out = tmp_path / "customers.csv"
    _as(monkeypatch, password=REP_PASSWORD)
    err = _refused(["export", "customers", "-o", str(out), "--db", str(path), "--user", "rep"], capsys)
    assert "Your role may not export or print records." in err and not out.exists()

    database = open_database(path)
    try:
        boss = sign_in(database, "boss", ADMIN_PASSWORD)
        save_role_permissions(database, boss, {"consultant": {"permissions": ["see", "export"], "scope": "own"}})
    finally:
        database.close()
    assert _exported(path, out, capsys, "rep") == [REP_CUSTOMER]
    _as(monkeypatch, password=ADMIN_PASSWORD)
    assert _exported(path, out, capsys, "boss") == [BOSS_CUSTOMER, REP_CUSTOMER]


def test_history_of_a_record_outside_the_scope_is_refused(signed_book: tuple[Path, dict[str, str]],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = signed_book
    _as(monkeypatch, password=REP_PASSWORD)
    assert main(["history", "customer", ids[REP_CUSTOMER], "--db", str(path), "--user", "rep", "--json"]) == 0
    assert [e["action"] for e in json.loads(capsys.readouterr().out)["entries"]] == ["create"]
    err = _refused(["history", "customer", ids[BOSS_CUSTOMER], "--db", str(path), "--user", "rep"], capsys)
    assert "The record no longer exists" in err  # said as if absent: nothing leaks of records out of scope
    err = _refused(["history", "user", ids["boss"], "--db", str(path), "--user", "rep"], capsys)
    assert "The record no longer exists" in err  # another user's sign-ins are the administrators'

    _as(monkeypatch, password=ADMIN_PASSWORD)
    assert main(["history", "customer", ids[BOSS_CUSTOMER], "--db", str(path), "--user", "boss", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"]
