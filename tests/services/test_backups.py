"""Backups on real files: taken with the online backup API (WAL included), named by kind and time, rotated,
checked, restored with the file in place kept aside, and the salvage of truncated and garbage-paged files."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crmdesk.models.database import Database, backup_before_migration, head_revision, open_database
from crmdesk.services import backups
from crmdesk.services.backups import BackupError
from crmdesk.services.demo import build_demo

NOON = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A closed database file with a small demo book (every table has rows)."""
    path = tmp_path / "book" / "crmdesk.sqlite3"
    database = open_database(path)
    build_demo(database, 150, seed=3)
    database.close()
    return path


def rows(path: Path, table: str = "leads") -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        connection.close()


def _names(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT name FROM leads").fetchall()
    finally:
        connection.close()


def count(path: Path, table: str) -> int:
    return len(rows(path, table))


def garbage_page(path: Path, page_fraction: float = 0.5) -> None:
    """Overwrite one page in the middle of a copy with random bytes (a bad sector, a torn write)."""
    header = path.read_bytes()[:100]
    page_size = int.from_bytes(header[16:18], "big")
    pages = path.stat().st_size // page_size
    with path.open("r+b") as stream:
        stream.seek(int(pages * page_fraction) * page_size)
        stream.write(os.urandom(page_size))


def leads_root_page_garbage(path: Path) -> None:
    """Overwrite a leaf page of the leads table itself, so rows are lost (not only an index)."""
    connection = sqlite3.connect(path)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'leads'").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    # the root of a multi-page table is an interior page (0x05); its right-most child pointer is at offset 8
    offset = (root - 1) * page_size + (100 if root == 1 else 0)
    assert data[offset] == 0x05, "the leads table spans several pages"
    child = int.from_bytes(data[offset + 8: offset + 12], "big")
    assert 1 < child <= len(data) // page_size
    with path.open("r+b") as stream:
        stream.seek((child - 1) * page_size)
        stream.write(os.urandom(page_size))


def test_a_backup_is_a_consistent_single_file_named_by_kind_and_time(book: Path) -> None:
    info = backups.backup_now(book, "manual", now=NOON)

    assert info.path == book.parent / "backups" / "crmdesk-manual-20260304T120000.000Z.sqlite3"
    assert info.kind == "manual" and info.taken_at == NOON and info.size == info.path.stat().st_size
    assert rows(info.path) == rows(book) and rows(info.path, "payments") == rows(book, "payments")
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name], "no .part, -wal or -shm left"
    connection = sqlite3.connect(info.path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    check = backups.check_backup(info.path)
    assert check.ok and check.revision == head_revision()


def test_a_backup_holds_what_is_committed_but_still_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "crmdesk.sqlite3"
    database: Database = open_database(path)
    try:
        with database.engine.begin() as connection:  # the window is running: its last write sits in the WAL
            connection.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            connection.exec_driver_sql("INSERT INTO notes (text) VALUES ('客户要求周五回电')")
        assert path.with_name(path.name + "-wal").stat().st_size > 0
        info = backups.backup_now(path, "manual")
    finally:
        database.close()
    assert rows(info.path, "notes") == [(1, "客户要求周五回电")]


def test_the_startup_backup_is_daily_at_most_and_the_first_of_a_week_is_the_weekly(book: Path) -> None:
    first = backups.take_startup_backup(book, now=NOON)
    assert first is not None and first.kind == "weekly"
    assert backups.take_startup_backup(book, now=NOON + timedelta(hours=3)) is None, "the same day: none"
    thursday = backups.take_startup_backup(book, now=NOON + timedelta(days=1))
    assert thursday is not None and thursday.kind == "daily"
    next_week = backups.take_startup_backup(book, now=NOON + timedelta(days=6))  # Tuesday of the next week
    assert next_week is not None and next_week.kind == "weekly"
    assert [info.kind for info in backups.list_backups(book)] == ["weekly", "daily", "weekly"]


def test_rotation_keeps_7_daily_4_weekly_10_manual_and_every_before_migration(book: Path) -> None:
    for day in range(12):
        backups.backup_now(book, "daily", now=NOON + timedelta(days=day))
    for week in range(6):
        backups.backup_now(book, "weekly", now=NOON + timedelta(weeks=week, minutes=1))
    for minute in range(13):
        backups.backup_now(book, "manual", now=NOON + timedelta(minutes=minute + 2))
    for _ in range(3):
        backup_before_migration(book, "0003")
    backups.rotate_backups(book)

    kept = backups.list_backups(book)
    by_kind = {kind: [info for info in kept if info.kind == kind] for kind in backups.BACKUP_KINDS}
    assert [len(by_kind[kind]) for kind in ("daily", "weekly", "manual")] == [7, 4, 10]
    assert len(by_kind["before-migration"]) >= 1  # made in the same second they may share a name
    assert by_kind["daily"][0].taken_at == NOON + timedelta(days=11), "the newest are kept"
    assert by_kind["daily"][-1].taken_at == NOON + timedelta(days=5)
    assert by_kind["weekly"][-1].taken_at == NOON + timedelta(weeks=2, minutes=1)
    assert [info.taken_at for info in kept] == sorted((info.taken_at for info in kept), reverse=True)


def test_the_list_ignores_other_files_and_other_databases_backups(book: Path) -> None:
    folder = book.parent / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("x")
    (folder / "other-manual-20260304T120000.000Z.sqlite3").write_bytes(b"")
    (folder / "crmdesk-manual-20260304T120000.000Z.sqlite3.part").write_bytes(b"")
    migration = backup_before_migration(book, "0004")

    listed = backups.list_backups(book)
    assert [(info.path, info.kind) for info in listed] == [(migration, "before-migration")]


@pytest.mark.parametrize("damage", ["truncated", "garbage-page", "not-sqlite", "empty"])
def test_a_damaged_backup_fails_its_check_with_a_reason(book: Path, damage: str) -> None:
    copy = backups.backup_now(book, "manual").path
    if damage == "truncated":
        with copy.open("r+b") as stream:
            stream.truncate(copy.stat().st_size // 2)
    elif damage == "garbage-page":
        garbage_page(copy)
    elif damage == "not-sqlite":
        copy.write_bytes(os.urandom(8192))
    else:
        copy.write_bytes(b"")

    check = backups.check_backup(copy)

    assert not check.ok and copy.name in check.message
    assert "damaged" in check.message or "not an SQLite database" in check.message


def test_a_backup_from_a_newer_crmdesk_or_of_another_program_fails_its_check(book: Path, tmp_path: Path) -> None:
    newer = backups.backup_now(book, "manual").path
    connection = sqlite3.connect(newer)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    connection.close()
    check = backups.check_backup(newer)
    assert not check.ok and check.revision == "ffff" and "newer version" in check.message

    foreign = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE t (x)")
    connection.close()
    assert not backups.check_backup(foreign).ok
    assert "not a crmdesk database" in backups.check_backup(foreign).message


def test_restore_puts_the_backup_in_place_and_keeps_the_replaced_file(book: Path) -> None:
    info = backups.backup_now(book, "manual")
    before = rows(book)
    database = open_database(book)  # later work, then the user wants the backup back
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE leads SET name = name || '（改）' WHERE rowid % 2 = 0")
    database.close()
    after_delete = rows(book)
    assert after_delete != before
    moment = NOON + timedelta(days=30)

    result = backups.restore_backup(book, info.path, now=moment)

    assert rows(book) == before
    aside = book.with_name("crmdesk-replaced-20260403T120000.000Z.sqlite3")
    assert result.replaced[0] == aside and rows(aside) == after_delete, "the replaced file is kept, not deleted"
    assert info.path.is_file(), "the backup stays a backup"
    assert not book.with_name(book.name + ".restoring").exists()
    reopened = open_database(book)
    reopened.close()


def test_restore_moves_the_wal_and_shm_aside_with_their_file(book: Path) -> None:
    info = backups.backup_now(book, "manual")
    database = open_database(book)
    try:
        with database.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE leads SET name = '已改'")
        wal = book.with_name(book.name + "-wal")
        assert wal.exists()
        # the window closed without checkpointing (a crash): copy the pair as it is on disk
        shutil.copyfile(book, book.with_name("crash.sqlite3"))
        shutil.copyfile(wal, book.with_name("crash.sqlite3-wal"))
    finally:
        database.close()
    crashed = book.with_name("crash.sqlite3")
    os.replace(crashed, book)
    os.replace(book.with_name("crash.sqlite3-wal"), book.with_name(book.name + "-wal"))

    result = backups.restore_backup(book, info.path, now=NOON)

    assert not book.with_name(book.name + "-wal").exists(), "the old WAL is not applied to the restored file"
    # The in-use check's connection may checkpoint the WAL into its file first; either way the pair moves
    # together and nothing of it is left beside the restored file.
    assert result.replaced[0].name == "crmdesk-replaced-20260304T120000.000Z.sqlite3"
    assert all(path.name.startswith(result.replaced[0].name) for path in result.replaced)
    assert not book.with_name(book.name + "-shm").exists()
    assert {row[0] for row in _names(result.replaced[0])} == {"已改"}, "the replaced file with its WAL reads as it was"
    assert rows(book) == rows(info.path)


def test_a_failing_backup_is_refused_and_the_database_is_left_alone(book: Path) -> None:
    copy = backups.backup_now(book, "manual").path
    garbage_page(copy)
    content = book.read_bytes()
    listing = sorted(p.name for p in book.parent.iterdir())

    with pytest.raises(BackupError) as refused:
        backups.restore_backup(book, copy)

    assert "not restored" in refused.value.message
    assert book.read_bytes() == content and sorted(p.name for p in book.parent.iterdir()) == listing


def test_restore_is_refused_while_another_program_writes(book: Path) -> None:
    info = backups.backup_now(book, "manual")
    writer = sqlite3.connect(book, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BackupError, match="Another program"):
            backups.restore_backup(book, info.path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert not list(book.parent.glob("*-replaced-*"))


def test_the_newest_good_backup_skips_damaged_ones(book: Path) -> None:
    good = backups.backup_now(book, "manual", now=NOON)
    bad = backups.backup_now(book, "manual", now=NOON + timedelta(hours=1))
    garbage_page(bad.path)
    found = backups.newest_good_backup(book)
    assert found is not None and found[0].path == good.path and found[1].ok


@pytest.mark.parametrize("use_shell", [True, False], ids=["sqlite3-recover", "row-by-row"])
def test_salvage_of_a_garbage_page_recovers_the_rest_and_lists_the_losses(book: Path, tmp_path: Path,
                                                                          use_shell: bool) -> None:
    if use_shell and shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 program is not installed")
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(backups.backup_now(book, "manual").path, damaged)
    total = count(damaged, "leads")
    leads_root_page_garbage(damaged)
    content = damaged.read_bytes()
    out = tmp_path / "salvaged.sqlite3"

    result = backups.salvage(damaged, out, use_shell=use_shell)

    assert damaged.read_bytes() == content, "the damaged file is only read"
    assert result.method in (("recover", "rows") if use_shell else ("rows",))
    leads = next(t for t in result.tables if t.table == "leads")
    assert 0 < leads.recovered < total or result.orphan_rows > 0
    assert not result.complete, "a loss is never silent"
    assert leads.error is not None or leads.lost or result.orphan_rows
    payments = next(t for t in result.tables if t.table == "payments")
    assert payments.recovered == count(book, "payments") and payments.lost == 0 and payments.error is None
    assert result.revision == head_revision()
    connection = sqlite3.connect(out)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    assert not out.with_name(out.name + ".part").exists()


@pytest.mark.parametrize("use_shell", [True, False], ids=["sqlite3-recover", "row-by-row"])
def test_salvage_of_a_truncated_file_keeps_the_intact_tables(book: Path, tmp_path: Path, use_shell: bool) -> None:
    if use_shell and shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 program is not installed")
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(backups.backup_now(book, "manual").path, damaged)
    with damaged.open("r+b") as stream:
        stream.truncate(int(damaged.stat().st_size * 0.8))

    # Cut at 80 % this book's schema pages are gone too: then nothing is readable, and salvage says so
    # plainly; when the schema survives, what was read comes with the losses.
    try:
        result = backups.salvage(damaged, tmp_path / "salvaged.sqlite3", use_shell=use_shell)
    except BackupError as error:
        assert "Nothing could be recovered" in error.message
        assert not (tmp_path / "salvaged.sqlite3").exists()
        return
    assert sum(t.recovered for t in result.tables) > 0
    assert not result.complete
    assert any(t.lost or t.error for t in result.tables) or result.unreadable_tables or result.orphan_rows


def test_salvage_of_garbage_is_refused_and_an_existing_target_is_not_overwritten(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(BackupError):
        backups.salvage(garbage, tmp_path / "out.sqlite3", use_shell=False)
    assert not (tmp_path / "out.sqlite3").exists() and not (tmp_path / "out.sqlite3.part").exists()

    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="already exists"):
        backups.salvage(garbage, existing)
    assert existing.read_bytes() == b"keep me"


def test_a_salvaged_file_can_be_restored(book: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(backups.backup_now(book, "manual").path, damaged)
    leads_root_page_garbage(damaged)
    out = backups.salvage(damaged, tmp_path / "salvaged.sqlite3").out_path
    if not backups.check_backup(out).ok:
        pytest.fail(backups.check_backup(out).message)
    backups.restore_backup(damaged, out)
    open_database(damaged).close()


def test_a_backup_of_a_closed_book_leaves_no_wal_beside_it(book: Path) -> None:
    backups.backup_now(book, "manual")
    assert sorted(path.name for path in book.parent.iterdir()) == ["backups", book.name]
