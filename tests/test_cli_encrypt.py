"""`crmdesk encrypt` / `crmdesk decrypt` on real files, and every command opening an encrypted book: with the
keychain's key, CRMDESK_DB_PASSPHRASE, a passphrase typed at a terminal, or exit 2 with a message."""

from __future__ import annotations

import getpass
import json
import sqlite3
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services import encryption
from crmdesk.services.demo import build_demo

PASSPHRASE = "correct horse battery 马"


@pytest.fixture(autouse=True)
def _no_passphrase_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(encryption.PASSPHRASE_ENVIRONMENT, raising=False)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "crmdesk.sqlite3"
    database = open_database(path)
    build_demo(database, 60, seed=2)
    database.close()
    return path


def lead_names(path: Path, key: str | None = None) -> list[str]:
    from crmdesk.models.database import connect_file

    connection = connect_file(path, key)
    try:
        return sorted(row[0] for row in connection.execute("SELECT name FROM leads"))
    finally:
        connection.close()


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_encrypt_with_the_keychain_then_every_command_opens_it_then_decrypt(
        book: Path, keychain: PlaintextKeyring, capsys: pytest.CaptureFixture[str]) -> None:
    names = lead_names(book)
    first = names[0]

    report = run_json(capsys, "encrypt", "--db", str(book), "--json")

    assert isinstance(report, dict)
    assert report["encrypted"] is True and report["key_in_keychain"] is True
    assert report["keychain"] == "keyrings.alt.file.PlaintextKeyring" and report["keychain_secure"] is False
    assert report["left"] == [] and report["backup"] in report["converted"]
    key = encryption.key_for(book)
    assert key is not None and encryption.is_encrypted(book)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(book).execute("SELECT count(*) FROM leads").fetchone()

    hits = run_json(capsys, "search", first, "--db", str(book), "--json")
    assert isinstance(hits, dict) and first in [hit["name"] for hit in hits["hits"]]

    made = run_json(capsys, "backup", "--db", str(book), "--json")
    assert isinstance(made, dict) and encryption.is_encrypted(Path(made["path"]))
    run_json(capsys, "restore", made["path"], "--db", str(book), "--json")
    assert lead_names(book, key) == names and encryption.is_encrypted(book)
    out = book.with_name("salvaged.sqlite3")
    salvaged = run_json(capsys, "salvage", "--db", str(book), "-o", str(out), "--json")
    assert isinstance(salvaged, dict) and encryption.is_encrypted(out) and lead_names(out, key) == names

    report = run_json(capsys, "decrypt", "--db", str(book), "--json")

    assert isinstance(report, dict) and report["encrypted"] is False and report["left"] == []
    assert not encryption.is_encrypted(book) and lead_names(book) == names
    assert encryption.key_for(book) is None


def test_encrypt_with_a_passphrase_from_the_environment_and_open_with_it(
        book: Path, keychain: PlaintextKeyring, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = lead_names(book)[0]
    with pytest.raises(SystemExit) as exited:  # no terminal (pytest's stdin) and no passphrase given
        main(["encrypt", "--db", str(book), "--passphrase-prompt"])
    assert exited.value.code == 2 and encryption.PASSPHRASE_ENVIRONMENT in capsys.readouterr().err
    assert not encryption.is_encrypted(book)

    monkeypatch.setenv(encryption.PASSPHRASE_ENVIRONMENT, PASSPHRASE)
    assert main(["encrypt", "--db", str(book), "--passphrase-prompt"]) == 0
    out = capsys.readouterr().out
    assert "Encrypted" in out and "Keep the passphrase safe" in out
    assert encryption.is_encrypted(book) and encryption.key_for(book) is None

    hits = run_json(capsys, "search", first, "--db", str(book), "--json")
    assert isinstance(hits, dict) and first in [hit["name"] for hit in hits["hits"]]

    monkeypatch.setenv(encryption.PASSPHRASE_ENVIRONMENT, "not the passphrase")
    with pytest.raises(SystemExit) as exited:
        main(["search", first, "--db", str(book)])
    assert exited.value.code == 2 and "passphrase is wrong" in capsys.readouterr().err

    monkeypatch.delenv(encryption.PASSPHRASE_ENVIRONMENT)
    with pytest.raises(SystemExit) as exited:
        main(["search", first, "--db", str(book)])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "is encrypted" in err and encryption.PASSPHRASE_ENVIRONMENT in err
    assert "Traceback" not in err


def test_a_passphrase_typed_at_a_terminal_wrong_then_right(book: Path, keychain: PlaintextKeyring,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter(["short", "short", PASSPHRASE, PASSPHRASE + "x", PASSPHRASE, PASSPHRASE])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(typed))

    assert main(["encrypt", "--db", str(book), "--passphrase-prompt", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["key_in_keychain"] is False
    assert "at least 8 characters" in captured.err and "not the same" in captured.err

    typed = iter(["wrong passphrase", PASSPHRASE])
    assert main(["decrypt", "--db", str(book), "--json"]) == 0
    captured = capsys.readouterr()
    assert "passphrase is wrong" in captured.err and json.loads(captured.out)["encrypted"] is False
    assert not encryption.is_encrypted(book)


def test_three_wrong_passphrases_exit_2_and_nothing_changes(book: Path, keychain: PlaintextKeyring,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    encryption.encrypt_database(book, passphrase=PASSPHRASE)
    content = book.read_bytes()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": "guess guess")
    with pytest.raises(SystemExit) as exited:
        main(["decrypt", "--db", str(book)])
    assert exited.value.code == 2 and "wrong 3 times" in capsys.readouterr().err
    assert book.read_bytes() == content


def test_encrypt_without_a_keychain_says_to_choose_a_passphrase(book: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        content = book.read_bytes()
        with pytest.raises(SystemExit) as exited:
            main(["encrypt", "--db", str(book)])
    finally:
        keyring.set_keyring(previous)
    assert exited.value.code == 2 and "passphrase" in capsys.readouterr().err
    assert book.read_bytes() == content
    with pytest.raises(SystemExit) as exited:
        main(["decrypt", "--db", str(book)])
    assert exited.value.code == 2 and "not encrypted" in capsys.readouterr().err
