"""`crmdesk backup [list]`, `crmdesk restore` and `crmdesk salvage` on real files, JSON and text."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services.demo import build_demo


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "crmdesk.sqlite3"
    database = open_database(path)
    build_demo(database, 60, seed=2)
    database.close()
    return path


def leads(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT id, name FROM leads ORDER BY id").fetchall()
    finally:
        connection.close()


def test_backup_then_list_then_restore(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--db", str(book), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["kind"] == "manual" and Path(made["path"]).parent == book.parent / "backups"
    before = leads(book)

    assert main(["backup", "list", "--db", str(book), "--json"]) == 0
    assert [entry["path"] for entry in json.loads(capsys.readouterr().out)] == [made["path"]]

    connection = sqlite3.connect(book)
    with connection:
        connection.execute("UPDATE leads SET name = 'x'")
    connection.close()
    assert main(["restore", made["path"], "--db", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "-replaced-" in out
    assert leads(book) == before


def test_restore_of_a_damaged_backup_exits_2_with_a_message(book: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    content = book.read_bytes()
    with pytest.raises(SystemExit) as exited:
        main(["restore", str(bad), "--db", str(book)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "not restored" in err and "Traceback" not in err
    assert book.read_bytes() == content


def test_salvage_reports_the_tables_and_exits_0_when_nothing_was_lost(book: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "salvaged.sqlite3"
    code = main(["salvage", "--db", str(book), "-o", str(out), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["complete"] is True
    assert next(t for t in report["tables"] if t["table"] == "leads")["recovered"] == len(leads(book))
    assert leads(out) == leads(book)


def test_salvage_of_garbage_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    garbage = tmp_path / "g.sqlite3"
    garbage.write_bytes(os.urandom(16384))
    with pytest.raises(SystemExit) as exited:
        main(["salvage", "--db", str(garbage), "-o", str(tmp_path / "o.sqlite3")])
    assert exited.value.code == 2 and "Nothing could be recovered" in capsys.readouterr().err


@pytest.fixture
def signed_book(book: Path) -> Path:
    """The demo book with sign-in: an administrator and a consultant with passwords."""
    from crmdesk.services.auth import add_user, create_first_admin

    database = open_database(book)
    admin = create_first_admin(database, "boss", "chief-of-desk-1")
    add_user(database, admin, "rep", "王磊", "consultant", "rep-password-1")
    database.close()
    return book


def _as(monkeypatch: pytest.MonkeyPatch, user: str | None, password: str | None) -> None:
    for name in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    if user is not None:
        monkeypatch.setenv("CRMDESK_USER", user)
    if password is not None:
        monkeypatch.setenv("CRMDESK_PASSWORD", password)


@pytest.mark.parametrize("user,password,why", [
    (None, None, "needs a sign-in"),
    ("boss", "wrong-password", "wrong"),
    ("rep", "rep-password-1", "Only an administrator"),
])
def test_backup_restore_and_salvage_on_a_signed_book_are_an_administrators(
        signed_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        user: str | None, password: str | None, why: str) -> None:
    _as(monkeypatch, "boss", "chief-of-desk-1")
    assert main(["backup", "--db", str(signed_book), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)["path"]
    _as(monkeypatch, user, password)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)  # no password prompt: the test has no terminal
    for command in (["backup"], ["restore", made], ["salvage", "-o", str(tmp_path / "out.sqlite3")],
                    ["encrypt"]):
        with pytest.raises(SystemExit) as exited:
            main([*command, "--db", str(signed_book)])
        assert exited.value.code == 2, command
        assert why in capsys.readouterr().err, command
    assert [p.name for p in (signed_book.parent / "backups").iterdir()] == [Path(made).name]  # no second backup
    assert not (tmp_path / "out.sqlite3").exists()


def test_a_damaged_signed_book_is_restored_by_an_administrator_of_the_backup(
        signed_book: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _as(monkeypatch, "boss", "chief-of-desk-1")
    assert main(["backup", "--db", str(signed_book), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)["path"]
    before = leads(signed_book)
    for suffix in ("-wal", "-shm"):
        Path(str(signed_book) + suffix).unlink(missing_ok=True)
    signed_book.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))  # the book no longer opens

    _as(monkeypatch, "rep", "rep-password-1")  # a consultant of the backup: refused
    with pytest.raises(SystemExit) as exited:
        main(["restore", made, "--db", str(signed_book)])
    assert exited.value.code == 2 and "Only an administrator" in capsys.readouterr().err

    _as(monkeypatch, "boss", "chief-of-desk-1")
    assert main(["restore", made, "--db", str(signed_book)]) == 0
    assert leads(signed_book) == before
