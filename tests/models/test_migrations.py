"""Schema migrations: every past database file upgrades to head with every value kept, and bad files are refused."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from crmdesk.models import Base
from crmdesk.models import database as database_module
from crmdesk.models.database import (
    DatabaseDamagedError,
    DatabaseTooNewError,
    head_revision,
    known_revisions,
    open_database,
)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURES = sorted(FIXTURES_DIR.glob("schema_*.sqlite3"))

# The search indexes are derived data made by raw SQL (an FTS5 virtual table per searchable table, and
# their shadow tables), so the models do not describe them; FTS5's own integrity check covers them.
SEARCHABLE_TABLES = ("leads", "customers", "contacts", "opportunities")


def is_search_index(name: str) -> bool:
    return "_fts" in name

Rows = dict[tuple[Any, ...], dict[str, Any]]


def fixture_revision(path: Path) -> str:
    return path.stem.removeprefix("schema_")


def connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def stored_revision(path: Path) -> str:
    connection = connect_read_only(path)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    assert row is not None, f"{path}: alembic_version is empty"
    return str(row[0])


def read_tables(path: Path) -> dict[str, Rows]:
    """Every row of every table but Alembic's and the FTS5 index, keyed by primary key (or rowid)."""
    connection = connect_read_only(path)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version' AND name NOT LIKE '%\\_fts%' ESCAPE '\\' ORDER BY name")]
        tables: dict[str, Rows] = {}
        for name in names:
            info = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
            key_columns = [column[1] for column in sorted(info, key=lambda column: column[5]) if column[5] > 0]
            select_key = ", ".join(f'"{column}"' for column in key_columns) if key_columns else "rowid"
            cursor = connection.execute(f'SELECT {select_key}, * FROM "{name}"')
            width = len(key_columns) or 1
            columns = [description[0] for description in cursor.description][width:]
            tables[name] = {
                tuple(row[:width]): dict(zip(columns, row[width:], strict=True)) for row in cursor.fetchall()
            }
        return tables
    finally:
        connection.close()


def lost_values(before: dict[str, Rows], after: dict[str, Rows]) -> list[str]:
    """What of `before` is missing or different in `after` (new tables, columns and rows are fine)."""
    lost: list[str] = []
    for table, rows in before.items():
        if table not in after:
            lost.append(f"table {table} is gone ({len(rows)} rows)")
            continue
        for key, row in rows.items():
            new_row = after[table].get(key)
            if new_row is None:
                lost.append(f"{table} {key}: row is gone")
                continue
            for column, value in row.items():
                if column not in new_row:
                    lost.append(f"{table}.{column}: column is gone")
                elif new_row[column] != value or type(new_row[column]) is not type(value):
                    lost.append(f"{table} {key} {column}: {value!r} became {new_row[column]!r}")
    return lost


def backups_in(directory: Path) -> list[Path]:
    return sorted((directory / "backups").glob("*")) if (directory / "backups").exists() else []


def check_integrity(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        # Raises if an FTS5 index no longer matches its table's search_body column.
        for table in SEARCHABLE_TABLES:
            connection.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES('integrity-check', 1)")
    finally:
        connection.close()


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    """Start-up reads the revision ids off the migration files without Alembic; they must agree."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(database_module._alembic_config(create_engine("sqlite://")))
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}
    assert head_revision() == scripts.get_current_head()


def test_there_is_a_fixture_for_every_revision() -> None:
    """One database file per schema version (see tests/fixtures/README.md): a new migration needs one."""
    assert {fixture_revision(path) for path in FIXTURES} >= known_revisions()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.name for path in FIXTURES])
def test_a_fixture_upgrades_to_head_keeping_every_value(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    revision = stored_revision(path)
    assert revision == fixture_revision(fixture), "the file name says which revision the fixture is at"
    before = read_tables(path)
    assert before and all(before.values()), "every table of the fixture holds rows"
    assert {"customers", "leads", "opportunities", "contacts"} <= before.keys()

    database = open_database(path)
    database.close()

    after = read_tables(path)
    assert lost_values(before, after) == []
    assert stored_revision(path) == head_revision()
    check_integrity(path)
    backups = backups_in(tmp_path)
    if revision == head_revision():
        assert backups == [], "a database already at head is not copied"
    else:
        assert len(backups) == 1, f"one backup before migrating from {revision}: {backups}"
        assert f"before-migration-{revision}" in backups[0].name
        assert stored_revision(backups[0]) == revision
        assert read_tables(backups[0]) == before, "the backup holds the file as it was before the upgrade"


def test_an_older_database_is_backed_up_before_it_is_migrated(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The backup path taken whenever head moves on, exercised today by pretending head is newer."""
    path = tmp_path / "book.sqlite3"
    shutil.copyfile(FIXTURES[0], path)
    revision = stored_revision(path)
    before = read_tables(path)
    monkeypatch.setattr(database_module, "head_revision", lambda: "9999_pretend_newer")

    database = open_database(path)
    database.close()

    backups = backups_in(tmp_path)
    assert len(backups) == 1
    assert f"before-migration-{revision}" in backups[0].name
    assert read_tables(backups[0]) == before
    assert stored_revision(backups[0]) == revision


def test_a_database_from_a_newer_crmdesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(FIXTURES[0], path)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    connection.close()
    before = read_tables(path)

    with pytest.raises(DatabaseTooNewError) as refused:
        open_database(path)

    assert refused.value.revision == "ffff"
    assert stored_revision(path) == "ffff"
    assert read_tables(path) == before
    assert backups_in(tmp_path) == []


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _sqlite_header_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(64 * 1024))


def _truncate_to(size: int | float) -> Any:
    def truncate(path: Path) -> None:
        shutil.copyfile(FIXTURES[0], path)
        length = int(size * path.stat().st_size) if isinstance(size, float) else size
        with path.open("r+b") as stream:
            stream.truncate(length)
    return truncate


DAMAGE = {
    "garbage": _garbage,
    "sqlite-header-then-garbage": _sqlite_header_then_garbage,
    "truncated-in-header": _truncate_to(50),
    "truncated-to-first-page": _truncate_to(1024),
    "truncated-to-half": _truncate_to(0.5),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_file_is_refused_and_left_as_it_was(tmp_path: Path, damage: Any) -> None:
    path = tmp_path / "damaged.sqlite3"
    damage(path)
    content = path.read_bytes()

    with pytest.raises(DatabaseDamagedError) as refused:
        open_database(path)

    assert refused.value.path == path
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.sqlite3"], "no journal, WAL or backup made"


def test_a_new_file_is_created_at_head(tmp_path: Path) -> None:
    path = tmp_path / "new" / "crmdesk.sqlite3"

    database = open_database(path)
    database.close()

    assert stored_revision(path) == head_revision()
    tables = read_tables(path).keys()
    assert set(Base.metadata.tables) <= tables
    check_integrity(path)
    assert backups_in(path.parent) == []


def _ignore_search_tables(name: str | None, type_: str, _parent_names: Any) -> bool:
    return not (type_ == "table" and name is not None and is_search_index(name))


def schema_differences(path: Path) -> list[Any]:
    database = open_database(path)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": _ignore_search_tables})
            return list(compare_metadata(context, Base.metadata))
    finally:
        database.close()


def test_models_match_a_freshly_migrated_schema(tmp_path: Path) -> None:
    assert schema_differences(tmp_path / "fresh.sqlite3") == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.name for path in FIXTURES])
def test_models_match_the_schema_of_an_upgraded_fixture(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)

    assert schema_differences(path) == []


def test_every_column_a_list_sorts_by_has_an_index_that_starts_with_it() -> None:
    from crmdesk.services.customers import ContactService, CustomerService
    from crmdesk.services.leads import LeadService
    from crmdesk.services.opportunities import OpportunityService
    from crmdesk.services.orders import OrderService

    missing = []
    for service in (LeadService, CustomerService, ContactService, OpportunityService, OrderService):
        table: Any = service.model.__table__
        leading = {next(iter(index.columns)).name for index in table.indexes}
        leading |= {column.name for column in table.columns if column.unique or column.primary_key}
        missing += [f"{table.name}.{column.sort or column.key}" for column in service.columns
                    if (column.sort or column.key) not in leading]
    assert missing == []
