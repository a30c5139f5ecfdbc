"""Backups of the database file: taken with SQLite's online backup API, listed, rotated, checked, restored;
and the salvage of what can still be read from a damaged file.

Backups live in <db folder>/backups/ as `<stem>-<kind>-<UTC time>.sqlite3` (the migration's own backups,
made by crmdesk.models.database, are `<stem>-before-migration-<revision>-<UTC time>.sqlite3`). Every function
takes the database path, not an open Database: restore and salvage must work on a file that cannot be opened.
An encrypted book's functions take its key (`db.key`; see crmdesk.services.encryption): its backups and its
salvaged copy are encrypted with the same key, and checking one needs it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crmdesk.i18n import _
from crmdesk.models.database import connect_file, database_errors, file_is_encrypted, known_revisions
from crmdesk.services.errors import UserError

DAILY, WEEKLY, MANUAL, BEFORE_MIGRATION = "daily", "weekly", "manual", "before-migration"
BACKUP_KINDS = (DAILY, WEEKLY, MANUAL, BEFORE_MIGRATION)
# How many of each kind rotation keeps (None: all). Before-migration backups are the only way back from a
# migration gone wrong, so none is ever deleted by rotation.
KEEP: dict[str, int | None] = {DAILY: 7, WEEKLY: 4, MANUAL: 10, BEFORE_MIGRATION: None}

_STAMP_FORMAT = "%Y%m%dT%H%M%S"
_NAME = r"(?P<kind>daily|weekly|manual|before-migration)(?:-(?P<revision>\w+?))?-(?P<stamp>\d{8}T\d{6})(?:\.(?P<ms>\d{3}))?Z"
_SQLITE_HEADER = b"SQLite format 3\x00"

log = logging.getLogger(__name__)


class BackupError(UserError):
    """A backup cannot be taken, used or made: the message says why, in the user's language."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # one of BACKUP_KINDS
    taken_at: datetime  # UTC, aware
    size: int  # bytes


@dataclass(frozen=True)
class BackupCheck:
    ok: bool
    revision: str | None  # the schema revision the backup opens at (None when unreadable)
    message: str  # translated: what was found


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    revision: str | None
    replaced: tuple[Path, ...]  # where the files that were in place went (main file first)


@dataclass(frozen=True)
class TableSalvage:
    table: str
    recovered: int  # rows written to the salvaged file
    lost: int | None  # rows the damaged file counts but could not give (None: it cannot even count them)
    error: str | None  # what stopped reading, if anything did


@dataclass(frozen=True)
class SalvageResult:
    out_path: Path
    method: str  # "recover" (the sqlite3 shell's .recover) or "rows" (row by row in Python)
    tables: tuple[TableSalvage, ...]
    unreadable_tables: tuple[str, ...]  # tables of the damaged schema with nothing recovered
    orphan_rows: int  # rows .recover found but could not place in a table (its lost_and_found)
    revision: str | None  # the schema revision the salvaged file says it is at

    @property
    def complete(self) -> bool:
        """Nothing known to be lost (a table that could not be counted counts as a loss)."""
        return (not self.unreadable_tables and not self.orphan_rows
                and all(t.error is None and t.lost in (0,) for t in self.tables))


def _file_key(path: Path, key: str | None) -> str | None:
    """The key to read `path` with: `key` for an encrypted file, None for a plain one (a plain backup of a book
    encrypted since, or a book decrypted since, reads without it)."""
    return key if key is not None and file_is_encrypted(Path(path)) else None


def backups_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment.strftime(_STAMP_FORMAT)}.{moment.microsecond // 1000:03d}Z"


def parse_backup_name(db_path: Path, name: str) -> tuple[str, datetime] | None:
    """(kind, taken_at UTC) from a backup file's name, or None when it is not a backup of this database."""
    match = re.fullmatch(re.escape(Path(db_path).stem) + "-" + _NAME + r"\.sqlite3", name)
    if match is None or (match["revision"] and match["kind"] != BEFORE_MIGRATION):
        return None
    taken = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
    return match["kind"], taken.replace(microsecond=int(match["ms"] or 0) * 1000)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of this database in its backups folder, newest first."""
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    found: list[BackupInfo] = []
    for path in folder.iterdir():
        parsed = parse_backup_name(db_path, path.name)
        if parsed is None or not path.is_file():
            continue
        found.append(BackupInfo(path=path, kind=parsed[0], taken_at=parsed[1], size=path.stat().st_size))
    found.sort(key=lambda info: (info.taken_at, info.path.name), reverse=True)
    return found


def backup_now(db_path: Path, kind: str = MANUAL, *, now: datetime | None = None,
               key: str | None = None) -> BackupInfo:
    """Copy the database into its backups folder with the online backup API, then rotate.

    The copy is consistent even while another connection writes (the API restarts on a change) and
    includes what is still in the WAL. It is written beside its final name and renamed when whole, so a
    backup in the list is never half-written. The copy is a single file (journal mode DELETE). The copy of
    an encrypted book (`key`) is encrypted with the same key.
    """
    if kind not in BACKUP_KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(_("The database {path} does not exist: there is nothing to back up.", path=db_path))
    moment = now or datetime.now(UTC)
    folder = backups_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{db_path.stem}-{kind}-{_stamp(moment)}.sqlite3"
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    key = _file_key(db_path, key)
    try:
        # Read-write, though it only reads: a read-only connection to a WAL database leaves -wal and -shm
        # files behind when it is the last one, which would hide a truncated file from the start-up check.
        source = connect_file(db_path, key)
        try:
            destination = connect_file(partial, key)
            try:
                source.backup(destination)
                destination.execute("PRAGMA journal_mode=DELETE")
            finally:
                destination.close()
        finally:
            source.close()
        os.replace(partial, target)
    except database_errors() as error:
        partial.unlink(missing_ok=True)
        raise BackupError(_("The database {path} cannot be backed up: {detail}", path=db_path,
                            detail=error)) from error
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(_("The backup {path} cannot be written: {detail}", path=target,
                            detail=error.strerror or error)) from error
    rotate_backups(db_path)
    return BackupInfo(path=target, kind=kind, taken_at=moment.astimezone(UTC), size=target.stat().st_size)


def take_startup_backup(db_path: Path, *, now: datetime | None = None, key: str | None = None) -> BackupInfo | None:
    """The start-up backup: at most one a (local) day. The first of an ISO week is that week's weekly.

    Returns None when today already has one.
    """
    moment = (now or datetime.now(UTC)).astimezone()
    periodic = [info for info in list_backups(db_path) if info.kind in (DAILY, WEEKLY)]
    local = [info.taken_at.astimezone(moment.tzinfo) for info in periodic]
    if any(taken.date() == moment.date() for taken in local):
        return None
    week = moment.isocalendar()[:2]
    kind = DAILY if any(taken.isocalendar()[:2] == week for taken in local) else WEEKLY
    return backup_now(db_path, kind, now=moment, key=key)


def quick_check(db_path: Path, key: str | None = None) -> str | None:
    """SQLite's quick_check of the whole file (every page read: about 0.8 s per GB): None when intact, else
    what it found. The start-up check reads only the schema, so a damaged page deep in a table is found here."""
    connection = connect_file(db_path, _file_key(db_path, key))
    try:
        found = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    except database_errors() as error:
        return str(error)
    finally:
        connection.close()
    return None if found == ["ok"] else "; ".join(found)


@dataclass(frozen=True)
class StartupCheck:
    problem: str | None  # what quick_check found (then no backup was taken: it would copy the damage)
    backup: BackupInfo | None  # the day's backup, when one was due and taken


def check_and_back_up_at_start(db_path: Path, *, now: datetime | None = None,
                               key: str | None = None) -> StartupCheck:
    """After the window shows, off the GUI thread: check every page, and only an intact book is backed up,
    so the rotation never replaces good backups by copies of a damaged file."""
    problem = quick_check(db_path, key)
    if problem is not None:
        log.error("the database %s is damaged: %s", db_path, problem)
        return StartupCheck(problem, None)
    return StartupCheck(None, take_startup_backup(db_path, now=now, key=key))


def rotate_backups(db_path: Path) -> list[Path]:
    """Delete the backups beyond what KEEP keeps of each kind (the oldest go). Returns those deleted."""
    removed: list[Path] = []
    by_kind: dict[str, list[BackupInfo]] = {}
    for info in list_backups(db_path):  # newest first
        by_kind.setdefault(info.kind, []).append(info)
    for kind, infos in by_kind.items():
        keep = KEEP[kind]
        if keep is None:
            continue
        for info in infos[keep:]:
            info.path.unlink(missing_ok=True)
            removed.append(info.path)
    return removed


def _open_read_only(path: Path, key: str | None = None) -> sqlite3.Connection:
    # immutable: read the file as it is, take no lock, make no -wal/-shm beside it (a backup is one file).
    connection: sqlite3.Connection = connect_file(f"file:{path}?mode=ro&immutable=1", key, uri=True)
    return connection


def check_backup(path: Path, key: str | None = None) -> BackupCheck:
    """Whether a file can be used as the database: SQLite's integrity_check passes and it is at a schema
    revision this crmdesk knows (it will then open, migrated if older). An encrypted backup is read with
    `key` (the book's); a plain one without it."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        return BackupCheck(False, None, _("The backup {name} does not exist.", name=name))
    with path.open("rb") as handle:
        header = handle.read(100)
    key = _file_key(path, key)
    if key is None and file_is_encrypted(path):
        return BackupCheck(False, None, _("The backup {name} is not an SQLite database, or it is encrypted and "
                                          "needs its book's key.", name=name))
    if key is None and (not header.startswith(_SQLITE_HEADER) or len(header) < 100):
        return BackupCheck(False, None, _("The backup {name} is not an SQLite database.", name=name))
    try:
        connection = _open_read_only(path, key)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check(20)")]
            if problems != ["ok"]:
                return BackupCheck(False, None, _("The backup {name} is damaged: {detail}", name=name,
                                                  detail="; ".join(str(p) for p in problems[:3])))
            has_version = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone() if has_version else None
        finally:
            connection.close()
    except database_errors() as error:
        if key is not None and "not a database" in str(error):
            return BackupCheck(False, None, _("The backup {name} does not open with this book's key: it was "
                                              "encrypted with another key, or it is damaged.", name=name))
        return BackupCheck(False, None, _("The backup {name} is damaged: {detail}", name=name, detail=error))
    revision = row[0] if row else None
    if revision is None:
        return BackupCheck(False, None, _("The backup {name} is not a crmdesk database (it has no schema "
                                          "revision).", name=name))
    if revision not in known_revisions():
        return BackupCheck(False, revision, _("The backup {name} was made by a newer version of crmdesk "
                                              "(schema {revision}); this version cannot use it.",
                                              name=name, revision=revision))
    return BackupCheck(True, revision, _("The backup {name} is intact (schema {revision}).", name=name,
                                         revision=revision))


def _ensure_not_in_use(db_path: Path, key: str | None = None) -> None:
    """Refuse while another connection writes the file (the window, a sync, a CLI command).

    Taking the write lock needs a read-write connection; when it is the last one to close it checkpoints
    a left-over WAL into its file, as any open would, so the file kept aside holds all it had."""
    if not db_path.is_file():
        return
    try:
        connection = connect_file(db_path, _file_key(db_path, key), timeout=0.5, isolation_level=None)
    except database_errors():
        return
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except database_errors() as error:
        # "locked"/"busy" (an OperationalError): in use. Anything else: a damaged file cannot be locked
        # either; it is the one being replaced.
        if "locked" in str(error) or "busy" in str(error):
            raise BackupError(_("Another program is writing the database {path}; close it and try again.",
                                path=db_path)) from error
    finally:
        connection.close()


def replaced_name(db_path: Path, moment: datetime) -> Path:
    """Where the file in place goes when a backup replaces it: `<stem>-replaced-<UTC time><suffix>`."""
    return db_path.with_name(f"{db_path.stem}-replaced-{_stamp(moment)}{db_path.suffix}")


def restore_backup(db_path: Path, backup_path: Path, *, now: datetime | None = None,
                   key: str | None = None) -> RestoreResult:
    """Put a backup in place of the database, after checking it. The file in place (and its -wal and -shm)
    is kept beside it as `<stem>-replaced-<time>`, never deleted. Close the database first. `key`: the
    encrypted book's (its backups are checked with it).

    Nothing changes when the backup fails its check or a copy fails.
    """
    db_path, backup_path = Path(db_path), Path(backup_path)
    check = check_backup(backup_path, key)
    if not check.ok:
        raise BackupError(_("{problem} It was not restored; the database is unchanged.", problem=check.message))
    _ensure_not_in_use(db_path, key)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    incoming = db_path.with_name(db_path.name + ".restoring")
    try:
        shutil.copyfile(backup_path, incoming)
        with incoming.open("rb") as handle:
            os.fsync(handle.fileno())
    except OSError as error:
        incoming.unlink(missing_ok=True)
        raise BackupError(_("The backup cannot be copied to {path}: {detail}", path=db_path,
                            detail=error.strerror or error)) from error
    aside = replaced_name(db_path, now or datetime.now(UTC))
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            current = db_path.with_name(db_path.name + suffix)
            if current.exists():
                target = aside.with_name(aside.name + suffix)
                os.replace(current, target)
                moved.append((current, target))
        os.replace(incoming, db_path)
    except OSError as error:
        for current, target in reversed(moved):  # put back what was moved: the database stays as it was
            os.replace(target, current)
        incoming.unlink(missing_ok=True)
        raise BackupError(_("The backup cannot be put in place of {path}: {detail}", path=db_path,
                            detail=error.strerror or error)) from error
    return RestoreResult(restored_from=backup_path, revision=check.revision,
                         replaced=tuple(target for _current, target in moved))


def newest_good_backup(db_path: Path, key: str | None = None) -> tuple[BackupInfo, BackupCheck] | None:
    """The newest backup that passes check_backup (checking from the newest down), or None."""
    for info in list_backups(db_path):
        check = check_backup(info.path, key)
        if check.ok:
            return info, check
    return None


def salvaged_name(db_path: Path, moment: datetime | None = None) -> Path:
    """A free name beside the database for its salvaged copy: `<stem>-salvaged-<UTC time><suffix>`."""
    return db_path.with_name(f"{db_path.stem}-salvaged-{_stamp(moment or datetime.now(UTC))}{db_path.suffix}")


def salvage(db_path: Path, out_path: Path, *, use_shell: bool | None = None,
            key: str | None = None) -> SalvageResult:
    """Recover what can be read from a damaged database into a new file, and say what was lost.

    With the sqlite3 shell on PATH its `.recover` is used (it reads pages the b-tree no longer reaches);
    otherwise, or when .recover fails, every table is copied row by row, forwards and then backwards from
    its end, so rows on both sides of a bad page are kept. The damaged file is only read. `use_shell` forces one way (tests).
    An encrypted book (`key`) is copied row by row (the shell cannot read it) into a file encrypted with its key.
    """
    db_path, out_path = Path(db_path), Path(out_path)
    if not db_path.is_file():
        raise BackupError(_("The database {path} does not exist.", path=db_path))
    if out_path.exists():
        raise BackupError(_("{path} already exists; choose a new file for the salvaged data.", path=out_path))
    key = _file_key(db_path, key)
    shell = shutil.which("sqlite3") if use_shell is not False and key is None else None
    if use_shell and shell is None:
        raise BackupError(_("The sqlite3 program is not installed."))
    partial = out_path.with_name(out_path.name + ".part")
    partial.unlink(missing_ok=True)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        method = "rows"
        if shell is not None:
            try:
                _recover_with_shell(shell, db_path, partial)
                method = "recover"
            except BackupError as error:
                # The shell's .recover gives up on some files it should read (sqlite 3.40 on a file with
                # FTS5 tables: "SQL logic error"); the row-by-row copy still gets what can be read.
                log.warning("sqlite3 .recover failed on %s (%s); copying row by row", db_path, error)
                partial.unlink(missing_ok=True)
        if method == "rows":
            _copy_rows(db_path, partial, key)
        result = _salvage_report(db_path, partial, out_path, method, key)
        os.replace(partial, out_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return result


def _recover_with_shell(shell: str, db_path: Path, out_path: Path) -> None:
    # .recover reads the damaged file (opened read-only, so its WAL is not checkpointed into it) and writes
    # SQL; a second shell runs that SQL into the new file. Piped, so a large file never sits in memory.
    with subprocess.Popen([shell, "-readonly", str(db_path), ".recover"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        writer = subprocess.run([shell, "-batch", str(out_path)], stdin=reader.stdout, capture_output=True,
                                check=False)
        reader.stdout.close()
        reader_error = reader.stderr.read()
    if reader.returncode != 0 or not out_path.is_file():
        detail = (reader_error or writer.stderr).decode("utf-8", "replace").strip()[:300]
        raise BackupError(_("Nothing could be recovered from {path}: {detail}", path=db_path, detail=detail))


def _user_tables(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql IS NOT NULL "
        "ORDER BY rowid")]


def _copy_rows(db_path: Path, out_path: Path, key: str | None = None) -> None:
    try:
        source = _open_read_only(db_path, key)
        schema = list(source.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"))
    except database_errors() as error:
        raise BackupError(_("Nothing could be recovered from {path}: {detail}", path=db_path,
                            detail=error)) from error
    target = connect_file(out_path, key, isolation_level=None)
    try:
        target.execute("BEGIN")
        virtual = [name for kind, name, sql in schema if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]
        for kind, name, sql in schema:
            if kind != "table":
                continue
            if name in virtual:
                target.execute(sql)  # also makes its shadow tables; its index is rebuilt from the rows below
                continue
            if any(name.startswith(f"{table}_") for table in virtual):
                continue  # a full-text index's shadow table: derived data, rebuilt rather than copied
            _copy_table(source, target, name, sql)
        for name in virtual:
            quoted = _quote(name)
            try:
                target.execute(f"INSERT INTO {quoted}({quoted}) VALUES ('rebuild')")
            except database_errors() as error:
                log.warning("salvage: the full-text index %s cannot be rebuilt: %s", name, error)
        for kind, name, sql in schema:  # indexes, views and triggers after the rows, as far as they go
            if kind != "table" and not any(name.startswith(f"{table}_") for table in virtual):
                try:
                    target.execute(sql)
                except database_errors() as error:  # e.g. a unique index the recovered rows break
                    log.warning("salvage: %s %s not made again: %s", kind, name, error)
        target.execute("COMMIT")
    finally:
        target.close()
        source.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, name: str, sql: str) -> None:
    """Every row that can be read, forwards to a bad page and then backwards from the end to it."""
    target.execute(sql)
    quoted = _quote(name)
    columns = [row[1] for row in source.execute(f"PRAGMA table_info({quoted})")]
    has_rowid = "WITHOUT ROWID" not in sql.upper()
    names = (["rowid"] if has_rowid else []) + [_quote(column) for column in columns]
    insert = f"INSERT OR IGNORE INTO {quoted} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    select = f"SELECT {', '.join(names)} FROM {quoted}"
    for order in (("ASC", "DESC") if has_rowid else ("",)):
        try:
            for row in source.execute(f"{select} ORDER BY rowid {order}" if order else select):
                target.execute(insert, row)
        except database_errors():
            continue
        break  # read to the end without an error: nothing more to get from the other side


def _count(connection: sqlite3.Connection, table: str) -> tuple[int | None, str | None]:
    quoted = _quote(table)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]), None
    except database_errors() as error:
        return None, str(error)


def _salvage_report(db_path: Path, partial: Path, out_path: Path, method: str,
                    key: str | None = None) -> SalvageResult:
    salvaged = connect_file(partial, key)
    try:
        recovered_tables = {name for name, _sql in _user_tables(salvaged)}
        orphans = _count(salvaged, "lost_and_found")[0] or 0 if "lost_and_found" in recovered_tables else 0
        try:
            revision_row = salvaged.execute("SELECT version_num FROM alembic_version").fetchone()
        except database_errors():
            revision_row = None
        try:
            source = _open_read_only(db_path, key)
            original = [name for name, _sql in _user_tables(source)]
        except database_errors():
            source, original = None, []
        names = original or sorted(recovered_tables - {"lost_and_found"})
        tables: list[TableSalvage] = []
        unreadable: list[str] = []
        for name in names:
            recovered = _count(salvaged, name)[0] if name in recovered_tables else None
            if source is not None:
                counted, error = _count(source, name)
                if error is None:
                    # count(*) answered; reading every row may still have failed on a page it skips
                    error = _read_error(source, name)
            else:
                counted, error = None, _("the damaged file's schema cannot be read")
            if recovered is None:
                unreadable.append(name)
                continue
            lost = None if counted is None else max(counted - recovered, 0)
            tables.append(TableSalvage(table=name, recovered=recovered, lost=lost, error=error))
        if source is not None:
            source.close()
    finally:
        salvaged.close()
    return SalvageResult(out_path=out_path, method=method, tables=tuple(tables), unreadable_tables=tuple(unreadable),
                         orphan_rows=orphans, revision=revision_row[0] if revision_row else None)


def _read_error(connection: sqlite3.Connection, table: str) -> str | None:
    quoted = _quote(table)
    try:
        for _row in connection.execute(f"SELECT * FROM {quoted}"):
            pass
    except database_errors() as error:
        return str(error)
    return None
