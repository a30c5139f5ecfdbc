"""Encryption with SQLCipher on real files: a demo book encrypted in place (unreadable without its key, every row
still there, search still working), a wrong key refused, its backups and kept copies encrypted and restorable,
the passphrase mode (compatible with SQLCipher's own derivation), decrypting back, and the refusals that leave
the book exactly as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import sqlcipher3.dbapi2 as sqlcipher
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring
from sqlalchemy import text

from crmdesk.models.database import (
    DatabaseKeyError,
    check_readable,
    connect_file,
    current_revision,
    head_revision,
    open_database,
)
from crmdesk.services import backups, encryption
from crmdesk.services.demo import build_demo
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.search import search
from crmdesk.services.users import ensure_local_user

CUSTOMER = "欧阳锦绣"  # a name the demo data never makes: its bytes must not be in the encrypted file
COMPANY = "青岚远帆贸易有限公司"
PHONE = "13957312468"
PASSPHRASE = "蓝色的海 blue sea 42"


@pytest.fixture
def no_keychain() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A closed demo book (every table has rows) with one customer and lead of known name and phone."""
    path = tmp_path / "book" / "crmdesk.sqlite3"
    db = open_database(path)
    build_demo(db, 150, seed=3)
    services, actor = Services(db), ensure_local_user(db)
    services.customers.create(actor, {"name": CUSTOMER, "phone": PHONE, "city": "杭州市", "tier": "A"})
    services.leads.create(actor, {"name": CUSTOMER, "phone": PHONE, "company": COMPANY, "source": "walk_in"})
    db.close()
    return path


def every_row(path: Path, key: str | None = None) -> dict[str, list[tuple[object, ...]]]:
    """Every ordinary table's rows, in rowid order (the FTS shadow tables too)."""
    connection = connect_file(path, key)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
        return {table: connection.execute(f'SELECT * FROM "{table}"').fetchall() for table in tables}
    finally:
        connection.close()


def schema(path: Path, key: str | None = None) -> set[tuple[object, ...]]:
    connection = connect_file(path, key)
    try:
        return set(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        connection.close()


def plain_sqlite_cannot_read(path: Path) -> bool:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return True
    finally:
        connection.close()
    return False


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != "backups")


def test_a_book_encrypted_with_the_keychain_hides_its_bytes_and_keeps_every_record(book: Path,
                                                                                  keychain: PlaintextKeyring) -> None:
    before_rows, before_schema = every_row(book), schema(book)
    assert CUSTOMER.encode() in book.read_bytes()  # the test's own premise: a plain file shows the name

    result = encryption.encrypt_database(book)

    assert result.encrypted and result.in_keychain and result.left == ()
    key = encryption.key_for(book)
    assert key is not None and key == result.key and key.startswith("x'") and len(key) == 67
    data = book.read_bytes()
    assert encryption.is_encrypted(book) and not data.startswith(b"SQLite format 3\x00")
    for secret in (CUSTOMER, COMPANY, PHONE, "leads", "CREATE TABLE"):
        assert secret.encode() not in data
    assert plain_sqlite_cannot_read(book)
    assert side_files(book) == ["crmdesk.sqlite3"], "no -wal, -shm or half-converted file left"
    assert result.tables == len(before_rows) and result.rows == sum(len(rows) for rows in before_rows.values())

    db = open_database(book, key=key)
    try:
        assert db.key == key
        assert current_revision(db.engine) == head_revision()
        actor = ensure_local_user(db)
        for query in (CUSTOMER, "锦绣", "ouyangjinxiu", "oyjx", PHONE[-4:], "远帆"):
            hits = search(db, actor, query)
            found = {hit.entity for hit in hits if hit.title == CUSTOMER}
            assert found == ({"lead"} if query == "远帆" else {"customer", "lead"}), query  # the company: the lead's
        Services(db).leads.create(actor, {"name": "新来的", "phone": "13800001234", "source": "web"})
    finally:
        db.close()
    after = every_row(book, key)
    assert schema(book, key) == before_schema
    # What the new lead wrote: the lead, its search index, the audit log and the sync outbox with its clock.
    written = ("leads", "audit_log", "sync_outbox", "sync_clock", "sqlite_sequence")
    assert {table: rows for table, rows in after.items() if table not in written and
            not table.startswith("leads_fts")} == {
        table: rows for table, rows in before_rows.items() if table not in written
        and not table.startswith("leads_fts")}
    assert set(before_rows["leads"]) < set(after["leads"]) and len(after["leads"]) == len(before_rows["leads"]) + 1
    assert encryption.is_encrypted(book), "the book stays encrypted after the window wrote to it"


def test_a_wrong_key_is_refused_with_its_own_error_and_the_file_left_as_it_was(book: Path,
                                                                               keychain: PlaintextKeyring) -> None:
    key = encryption.encrypt_database(book).key
    assert key is not None
    content = book.read_bytes()

    with pytest.raises(DatabaseKeyError) as refused:
        open_database(book, key=encryption.new_raw_key())
    assert refused.value.path == book
    with pytest.raises(DatabaseKeyError):
        check_readable(book, encryption.passphrase_key("not the passphrase", content[:16]))
    assert not encryption.key_opens(book, encryption.new_raw_key())
    assert encryption.key_opens(book, key)
    with pytest.raises(encryption.WrongKeyError):
        encryption.unlock_with_passphrase(book, "a guess at it")
    assert book.read_bytes() == content
    assert side_files(book) == ["crmdesk.sqlite3"]


def test_a_new_encrypted_book_is_made_at_head_with_the_same_schema_fts_json_and_partial_indexes(
        tmp_path: Path) -> None:
    plain_path, secret_path = tmp_path / "plain.sqlite3", tmp_path / "secret.sqlite3"
    open_database(plain_path).close()
    key = encryption.new_raw_key()
    db = open_database(secret_path, key=key)
    try:
        assert db.key == key and current_revision(db.engine) == head_revision()
        services, actor = Services(db), ensure_local_user(db)
        services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "company": "杭州远景科技有限公司",
                                      "source": "walk_in"})
        assert [hit.title for hit in search(db, actor, "远景")] == ["张伟"]  # FTS5 (unicode61)
        assert [hit.title for hit in search(db, actor, "zw")] == ["张伟"]
        with db.engine.connect() as connection:  # the app's own connection: SQLCipher's SQLite
            version, picked, counted = connection.execute(text(
                "SELECT sqlite_version(), json_extract('{\"a\": [1, 2]}', '$.a[1]'), "
                "(SELECT count(*) FROM json_each('[1, 2, 3]'))")).one()
            journal = connection.execute(text("PRAGMA journal_mode")).scalar()
        assert tuple(int(part) for part in version.split(".")) >= (3, 40) and (picked, counted) == (2, 3)
        assert journal == "wal"
    finally:
        db.close()
    assert encryption.is_encrypted(secret_path) and plain_sqlite_cannot_read(secret_path)
    assert schema(secret_path, key) == schema(plain_path)
    assert any(kind == "index" and sql and " WHERE " in str(sql) for kind, _n, _t, sql in schema(secret_path, key))


def test_backups_before_and_after_are_encrypted_checked_with_the_key_and_restorable(
        book: Path, keychain: PlaintextKeyring) -> None:
    # before: a daily backup, a restore (which keeps the replaced file beside the book), a damaged kept copy
    daily = backups.backup_now(book, backups.DAILY)
    replaced = backups.restore_backup(book, daily.path).replaced[0]
    damaged = book.with_name("crmdesk-replaced-20200101T000000.000Z.sqlite3")
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))

    result = encryption.encrypt_database(book)
    key = result.key
    assert key is not None

    assert result.backup in result.converted and daily.path in result.converted and replaced in result.converted
    assert result.left == (damaged,), "a copy that cannot be read is listed, not silently left plain"
    for copy in result.converted:
        assert encryption.is_encrypted(copy) and CUSTOMER.encode() not in copy.read_bytes()
        assert backups.check_backup(copy, key).ok
    assert {info.path for info in backups.list_backups(book)} == {daily.path, result.backup}, "names kept"

    assert backups.quick_check(book, key) is None
    made = backups.backup_now(book, backups.MANUAL, key=key)
    assert encryption.is_encrypted(made.path) and plain_sqlite_cannot_read(made.path)
    assert backups.check_backup(made.path, key).ok
    without = backups.check_backup(made.path)
    assert not without.ok and "needs its book's key" in without.message
    other = backups.check_backup(made.path, encryption.new_raw_key())
    assert not other.ok and "another key" in other.message
    assert backups.newest_good_backup(book, key) is not None and backups.newest_good_backup(book) is None

    before = every_row(book, key)["leads"]
    db = open_database(book, key=key)
    Services(db).leads.create(ensure_local_user(db), {"name": "后来的", "phone": "13800009999", "source": "web"})
    db.close()
    assert len(every_row(book, key)["leads"]) == len(before) + 1

    restored = backups.restore_backup(book, made.path, key=key)
    assert every_row(book, key)["leads"] == before
    assert encryption.is_encrypted(book) and encryption.is_encrypted(restored.replaced[0])
    start = backups.check_and_back_up_at_start(book, key=key)
    assert start.problem is None


def test_salvage_of_an_encrypted_book_writes_an_encrypted_copy_with_every_row(book: Path,
                                                                             keychain: PlaintextKeyring) -> None:
    key = encryption.encrypt_database(book).key
    assert key is not None
    out = book.with_name("salvaged.sqlite3")

    result = backups.salvage(book, out, key=key)

    # (its FTS shadow tables are rebuilt, not copied, so their row counts may differ: derived data)
    assert result.method == "rows" and not result.unreadable_tables and not result.orphan_rows
    assert all(not table.lost and table.error is None for table in result.tables if "_fts" not in table.table)
    assert encryption.is_encrypted(out) and plain_sqlite_cannot_read(out)
    assert every_row(out, key)["leads"] == every_row(book, key)["leads"]


def test_passphrase_mode_keeps_nothing_in_the_keychain_and_opens_with_sqlciphers_own_derivation(
        book: Path, keychain: PlaintextKeyring) -> None:
    before = every_row(book)
    with pytest.raises(ValidationError) as short:
        encryption.encrypt_database(book, passphrase="short")
    assert "passphrase" in short.value.errors and not encryption.is_encrypted(book)

    result = encryption.encrypt_database(book, passphrase=PASSPHRASE)

    assert result.encrypted and not result.in_keychain and encryption.key_for(book) is None
    key = encryption.unlock_with_passphrase(book, PASSPHRASE)
    assert key == result.key and len(key) == 99  # x'<key><salt>': no derivation at each connection
    with pytest.raises(encryption.WrongKeyError):
        encryption.unlock_with_passphrase(book, PASSPHRASE + "!")
    assert every_row(book, key) == before
    # Any SQLCipher 4 program opens it with the passphrase itself (its own PBKDF2), the backups too.
    for path in (book, result.backup):
        connection = sqlcipher.connect(str(path))
        connection.execute("PRAGMA key = '" + PASSPHRASE.replace("'", "''") + "'")
        assert connection.execute("SELECT count(*) FROM leads").fetchone()[0] == len(before["leads"])
        connection.close()
    assert encryption.unlock_with_passphrase(result.backup, PASSPHRASE) == key


def test_without_a_keychain_or_a_passphrase_nothing_is_done(book: Path, no_keychain: None) -> None:
    content = book.read_bytes()
    assert not encryption.keychain_info().available

    with pytest.raises(encryption.EncryptionError, match="passphrase"):
        encryption.encrypt_database(book)

    assert book.read_bytes() == content and backups.list_backups(book) == []
    assert encryption.encrypt_database(book, passphrase=PASSPHRASE).encrypted  # a passphrase needs no keychain


def test_decrypting_brings_back_a_plain_book_and_plain_backups_and_forgets_the_key(
        book: Path, keychain: PlaintextKeyring) -> None:
    before = every_row(book)
    key = encryption.encrypt_database(book).key
    assert key is not None
    with pytest.raises(encryption.EncryptionError, match="already encrypted"):
        encryption.encrypt_database(book)
    with pytest.raises(encryption.WrongKeyError):
        encryption.decrypt_database(book, encryption.new_raw_key())

    result = encryption.decrypt_database(book, key)

    assert not result.encrypted and result.left == () and len(result.converted) == 2
    assert not encryption.is_encrypted(book) and not plain_sqlite_cannot_read(book)
    assert every_row(book) == before
    for info in backups.list_backups(book):
        assert not encryption.is_encrypted(info.path) and backups.check_backup(info.path).ok
    assert encryption.key_for(book) is None
    with pytest.raises(encryption.EncryptionError, match="not encrypted"):
        encryption.decrypt_database(book, key)
    db = open_database(book)
    assert db.key is None
    db.close()


def _hold(book: Path, statement: str) -> subprocess.Popen[str]:
    """Another program on the book: `statement` run and the connection kept open until stdin closes."""
    script = ("import sqlite3, sys\n"
              f"c = sqlite3.connect({str(book)!r}, isolation_level=None)\n"
              f"c.execute({statement!r}).fetchall()\n"
              "print('ready', flush=True)\n"
              "sys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


@pytest.mark.parametrize(("statement", "said"), [("BEGIN IMMEDIATE", "writing"),
                                                 ("SELECT count(*) FROM leads", "open in another program")])
def test_a_book_another_program_has_open_is_not_converted(book: Path, keychain: PlaintextKeyring,
                                                          statement: str, said: str) -> None:
    db = open_database(book)  # leaves the book in WAL mode, as the window does
    db.close()
    holder = _hold(book, statement)
    try:
        content = book.read_bytes()
        with pytest.raises(encryption.EncryptionError, match=said):
            encryption.encrypt_database(book)
        assert book.read_bytes() == content and not encryption.is_encrypted(book)
        assert not book.with_name(book.name + ".encrypting").exists()
        assert encryption.key_for(book) is None, "no key kept for a book that was not encrypted"
    finally:
        holder.communicate(timeout=10)  # closes its stdin: it lets go of the book and ends
    assert encryption.encrypt_database(book).encrypted  # once it is closed


def test_a_leftover_of_an_interrupted_conversion_is_ignored(book: Path, keychain: PlaintextKeyring) -> None:
    book.with_name(book.name + ".encrypting").write_bytes(os.urandom(4096))
    result = encryption.encrypt_database(book)
    assert result.encrypted and side_files(book) == ["crmdesk.sqlite3"]


def test_the_open_book_refuses_connections_while_converted_and_reopens_in_the_same_object(
        book: Path, keychain: PlaintextKeyring) -> None:
    db = open_database(book)
    services, actor = Services(db), ensure_local_user(db)
    count = len(search(db, actor, CUSTOMER))

    encryption.close_for_conversion(db)
    with pytest.raises(UserError, match="being converted"):
        search(db, actor, CUSTOMER)
    result = encryption.encrypt_database(book)
    encryption.reopen_converted(db, result.key)

    try:
        assert db.key == result.key and len(search(db, actor, CUSTOMER)) == count
        services.leads.create(actor, {"name": "转换后", "phone": "13800004321", "source": "web"})
    finally:
        db.close()
    assert encryption.is_encrypted(book)


def test_find_key_tries_the_keychain_then_the_environment(book: Path, keychain: PlaintextKeyring,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    key = encryption.encrypt_database(book, passphrase=PASSPHRASE).key
    monkeypatch.delenv(encryption.PASSPHRASE_ENVIRONMENT, raising=False)
    assert encryption.find_key(book) is None
    monkeypatch.setenv(encryption.PASSPHRASE_ENVIRONMENT, PASSPHRASE)
    assert encryption.find_key(book) == key
    monkeypatch.setenv(encryption.PASSPHRASE_ENVIRONMENT, "wrong wrong wrong")
    with pytest.raises(encryption.WrongKeyError):
        encryption.find_key(book)
    assert key is not None
    encryption.store_key(book, key)
    assert encryption.find_key(book) == key  # the keychain first: the wrong environment is never read
    assert encryption.forget_key(book) and encryption.key_for(book) is None
