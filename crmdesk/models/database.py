"""The database file: where it lives, how it is opened, and how its schema is brought up to date."""

from __future__ import annotations

import re
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class DatabaseTooNewError(Exception):
    """The file was written by a newer crmdesk; opening it with this one could lose data."""

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(f"{path}: schema revision {revision} is newer than this program")
        self.path = path
        self.revision = revision


class DatabaseDamagedError(Exception):
    """The file is not a readable SQLite database (truncated, overwritten, not a database)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class DatabaseKeyError(Exception):
    """The file is encrypted (SQLCipher) and the key given does not open it: a wrong passphrase or key.

    Not a DatabaseDamagedError: nothing is wrong with the file, and it must not be offered for recovery."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


SQLITE_HEADER = b"SQLite format 3\x00"


def file_is_encrypted(path: Path) -> bool:
    """Whether the file looks like an SQLCipher database: it has whole pages (a multiple of 512 bytes) and
    does not start with SQLite's header (an encrypted file looks random from its first byte). A missing or
    empty file is not encrypted; a file of the wrong size is damaged, not encrypted."""
    try:
        size = path.stat().st_size
        if size == 0 or size % 512:
            return False
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER
    except OSError:
        return False


def key_pragma(key: str) -> str:
    """`PRAGMA key = '...'` for a key as crmdesk keeps it: a raw key `x'<64 hex>'` (or `x'<96 hex>'` with
    its salt), or a passphrase SQLCipher derives the key from. A PRAGMA takes no parameters, so it is quoted."""
    if "\x00" in key:
        raise ValueError("a database key cannot contain NUL")
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def connect_file(path: Path | str, key: str | None = None, **kwargs: Any) -> Any:
    """A DB-API connection to the file: the standard sqlite3 module for a plain file (key None), SQLCipher's
    with the key set before anything else reads the file. `kwargs` go to connect (uri, timeout, ...)."""
    if key is None:
        return sqlite3.connect(path, **kwargs)
    import sqlcipher3.dbapi2 as sqlcipher  # only an encrypted book pays for loading SQLCipher

    connection = sqlcipher.connect(str(path), **kwargs)
    try:
        # SQLCipher also logs a key that does not decrypt the file to stderr; the error it raises says it.
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(key_pragma(key))
    except BaseException:
        connection.close()
        raise
    return connection


def database_errors() -> tuple[type[Exception], ...]:
    """The DB-API DatabaseError classes a connection from connect_file may raise: sqlite3's, and SQLCipher's
    once it is loaded (no SQLCipher connection exists before, so a plain program never imports it)."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.DatabaseError,) if cipher is None else (sqlite3.DatabaseError, cipher.DatabaseError)


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("crmdesk", appauthor=False) / "crmdesk.sqlite3"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer. synchronous=NORMAL in WAL survives an application crash
    # (kill -9) with every committed transaction intact; only an OS crash/power loss may lose the
    # last transactions, never corrupt the file. That is the usual desktop trade for fast writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: the list indexes stay hot
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


class _SQLiteCompiler(SQLiteCompiler):
    """Renders `select(...).with_hint(table, "INDEXED BY ix_...", "sqlite")`, which SQLAlchemy's own SQLite
    compiler drops. SQLite keeps no statistics here, so a report that must read a covering index names
    it (services/analytics.py); a missing index is then an error, never a silently slow plan."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def make_engine(path: Path, key: str | None = None) -> Engine:
    """The engine on the file; with `key`, on SQLCipher's driver, the key set on each new connection before
    the pragmas (or anything else) read the file. A plain file keeps the standard sqlite3 module."""
    if key is None:
        engine = create_engine(f"sqlite:///{path}", future=True)
    else:
        import sqlcipher3.dbapi2 as sqlcipher

        engine = create_engine(f"sqlite:///{path}", future=True, module=sqlcipher)

        def connect_with_key(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
            return connect_file(cargs[0], key, **cparams)  # cargs: (the file name,)

        event.listen(engine, "do_connect", connect_with_key)
    engine.dialect.statement_compiler = _SQLiteCompiler
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


@dataclass
class Database:
    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    key: str | None = None  # the SQLCipher key (see key_pragma) of an encrypted book; None for a plain file

    def close(self) -> None:
        self.engine.dispose()


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


_REVISION_LINE = re.compile(r"^revision: str = '(\w+)'$", re.MULTILINE)
_DOWN_REVISION_LINE = re.compile(r"^down_revision: str \| None = (?:None|'(\w+)')$", re.MULTILINE)


@lru_cache(maxsize=1)
def _revision_graph() -> tuple[frozenset[str], str]:
    """(every revision, the head), read from the migration files' own `revision` / `down_revision` lines.

    Every start needs both, only a start that migrates needs Alembic: loading its script directory
    imports and compiles every migration (a quarter of a second of each start). The migration tests
    check this reading against Alembic's.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((MIGRATIONS_DIR / "versions").glob("[0-9]*.py")):
        text = script.read_text(encoding="utf-8")
        revision, down = _REVISION_LINE.search(text), _DOWN_REVISION_LINE.search(text)
        if revision is None or down is None:
            raise RuntimeError(f"{script.name}: no revision/down_revision line")
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return frozenset(revisions), heads.pop()


def head_revision() -> str:
    return _revision_graph()[1]


def known_revisions() -> set[str]:
    return set(_revision_graph()[0])


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _open_encrypted_to_check(path: Path, key: str) -> Any:
    """A read-only connection to an encrypted file, its key checked (DatabaseKeyError) and its size whole pages."""
    connection = connect_file(f"file:{path}?mode=ro", key, uri=True)
    try:
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except database_errors() as error:
            # SQLCipher's answer to a key that does not decrypt page 1 (its HMAC fails). A damaged first page
            # answers the same; only the right key could tell the two apart.
            if "not a database" in str(error):
                raise DatabaseKeyError(path, "the key or passphrase does not open this database") from error
            raise
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
        if not path.with_name(path.name + "-wal").exists() and path.stat().st_size % page_size:
            raise DatabaseDamagedError(path, "the file is truncated")
    except BaseException:
        connection.close()
        raise
    return connection


def check_readable(path: Path, key: str | None = None) -> str | None:
    """Refuse a file that is not an intact SQLite database, before anything writes to it.

    Returns the file's schema revision (None for a new or empty file). Read-only: a refused file is
    left exactly as it was. An encrypted file is read with `key` (DatabaseKeyError when the key does not
    open it); without a key it is refused as not an SQLite database. A plain file is read without the key.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        wal = path.with_name(path.name + "-wal")
        if key is not None and file_is_encrypted(path):
            connection = _open_encrypted_to_check(path, key)
        else:
            if len(header) < 100 or not header.startswith(SQLITE_HEADER):
                raise DatabaseDamagedError(path, "not an SQLite database")
            page_size = int.from_bytes(header[16:18], "big")
            page_size = 65536 if page_size == 1 else page_size
            # A rollback-journal file is whole pages; a cut-off tail is a truncated copy (quick_check may
            # not notice a missing last page). A WAL file may be mid-checkpoint, so only check without one.
            if not wal.exists() and path.stat().st_size % page_size:
                raise DatabaseDamagedError(path, "the file is truncated")
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # Reading the whole schema touches the pages every start needs. A full quick_check would
            # read the whole file (0.8 s at 1.3 GB) on every start, so it is not done here.
            connection.execute("SELECT count(*) FROM sqlite_master WHERE sql IS NOT NULL").fetchone()
            result = connection.execute("PRAGMA schema_version").fetchone()
            has_version = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            revision = (
                connection.execute("SELECT version_num FROM alembic_version").fetchone() if has_version else None
            )
        finally:
            connection.close()
    except database_errors() as error:
        raise DatabaseDamagedError(path, str(error)) from error
    if result is None:
        raise DatabaseDamagedError(path, "no schema")
    return revision[0] if revision else None


def backup_before_migration(path: Path, from_revision: str, key: str | None = None) -> Path:
    """Copy the file with SQLite's online backup API (consistent even with a WAL) beside it; the copy of an
    encrypted book is encrypted with its key."""
    backups = path.parent / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"{path.stem}-before-migration-{from_revision}-{stamp}.sqlite3"
    source = connect_file(path, key)
    try:
        destination = connect_file(target, key)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def migrate(engine: Engine, path: Path | None = None, key: str | None = None) -> Path | None:
    """Bring the schema to the head revision; back the file up first when it holds data.

    Returns the backup made, if any.
    """
    revision = current_revision(engine)
    head = head_revision()
    if revision == head:
        return None
    from alembic import command  # only a file that needs upgrading pays for importing Alembic
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNewError(path or Path(str(engine.url.database)), revision)
    backup = None
    if revision is not None and path is not None:
        backup = backup_before_migration(path, revision, key)
    command.upgrade(_alembic_config(engine), "head")
    return backup


def open_database(path: Path | str, *, migrate_schema: bool = True, key: str | None = None) -> Database:
    """Open (and migrate) the book. `key` opens an encrypted file (DatabaseKeyError when it does not) and
    makes a new or empty file an encrypted one; a plain file is opened plain whatever `key` says (db.key
    tells which it is)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if key is not None and path.exists() and path.stat().st_size > 0 and not file_is_encrypted(path):
        key = None
    revision = check_readable(path, key)
    # Refuse a newer file before the engine opens it: opening switches the file to WAL mode.
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNewError(path, revision)
    engine = make_engine(path, key)
    try:
        if migrate_schema:
            migrate(engine, path, key)
    except BaseException:
        engine.dispose()
        raise
    factory = sessionmaker(engine, expire_on_commit=False)
    return Database(path=path, engine=engine, session_factory=factory, key=key)
