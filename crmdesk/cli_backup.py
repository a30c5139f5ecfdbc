"""`crmdesk backup [list]`, `crmdesk restore BACKUP_FILE` and `crmdesk salvage -o FILE`: backups from the command line.

Added to the parser by crmdesk.cli.build_parser. These work on the file itself, so they also work on a
database that cannot be opened (restore and salvage exist for that case).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from crmdesk.i18n import _

if TYPE_CHECKING:
    from crmdesk.services.backups import BackupInfo


def authorise(args: argparse.Namespace, path: Path, key: str | None, *, backup_file: Path | None = None,
              backup_key: str | None = None) -> None:
    """A backup copies the whole book and a restore replaces it: on a book with sign-in only an administrator
    may, signed in as for any command (exit 2 otherwise). A book that does not open (what restore and salvage
    are for) is decided by the backup being restored: one of its administrators signs in on a scratch copy of
    it. With neither (salvaging an unreadable file, no backup) the file is all there is, and whoever may read
    the file may read what is salvaged from it."""
    import shutil
    import tempfile

    from crmdesk.cli import _require_admin
    from crmdesk.models.database import (
        DatabaseDamagedError,
        DatabaseKeyError,
        DatabaseTooNewError,
        database_errors,
        open_database,
    )

    unreadable: tuple[type[Exception], ...] = (DatabaseDamagedError, DatabaseKeyError, DatabaseTooNewError,
                                               *database_errors())

    def check(book: Path, book_key: str | None) -> bool:
        try:
            db = open_database(book, key=book_key)
        except unreadable:
            return False  # not readable: not the authority
        try:
            _require_admin(db, args)
        finally:
            db.close()
        return True

    if path.is_file() and check(path, key):
        return
    if backup_file is not None and backup_file.is_file():
        with tempfile.TemporaryDirectory(prefix="crmdesk-restore-check-") as folder:
            scratch = Path(folder) / "backup.sqlite3"
            shutil.copyfile(backup_file, scratch)
            check(scratch, backup_key)


def _info(info: BackupInfo) -> dict[str, object]:
    return {"path": str(info.path), "kind": info.kind, "taken_at": info.taken_at.isoformat(), "size": info.size}


def cmd_backup(args: argparse.Namespace) -> int:
    from crmdesk.cli import _db_path, _print_json
    from crmdesk.services import backups

    path = _db_path(args)
    if args.action == "list":
        listed = backups.list_backups(path)
        if args.json:
            _print_json([_info(info) for info in listed])
        else:
            for info in listed:
                print(f"{info.taken_at.astimezone():%Y-%m-%d %H:%M:%S}  {info.kind:<16} {info.size:>12,}  {info.path}")
            print(_("{count} backups in {folder}", count=len(listed), folder=backups.backups_folder(path)))
        return 0
    from crmdesk.cli_encrypt import database_key

    key = database_key(path)
    authorise(args, path, key)
    info = backups.backup_now(path, backups.MANUAL, key=key)  # an encrypted book's: encrypted
    if args.json:
        _print_json(_info(info))
    else:
        print(_("Backed up to {path} ({size:,} bytes).", path=info.path, size=info.size))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from crmdesk.cli import _db_path, _print_json
    from crmdesk.cli_encrypt import database_key
    from crmdesk.services import backups

    path, backup_file = _db_path(args), Path(args.backup_file)
    # An encrypted backup is checked with the book's key (the keychain keeps it for the book, not the backup).
    key = database_key(backup_file, keychain_path=path, required=False) if backup_file.is_file() else None
    authorise(args, path, database_key(path, required=False) if path.is_file() else None, backup_file=backup_file,
              backup_key=key)
    result = backups.restore_backup(path, backup_file, key=key)
    if args.json:
        _print_json({"restored_from": str(result.restored_from), "revision": result.revision,
                     "replaced": [str(path) for path in result.replaced]})
    else:
        print(_("Restored {backup}.", backup=result.restored_from))
        if result.replaced:
            print(_("The file it replaced is kept as {path}.", path=result.replaced[0]))
    return 0


def cmd_salvage(args: argparse.Namespace) -> int:
    from crmdesk.cli import _db_path, _print_json
    from crmdesk.cli_encrypt import database_key
    from crmdesk.services import backups

    path = _db_path(args)
    key = database_key(path, required=False)  # an encrypted book is salvaged into a file encrypted with its key
    authorise(args, path, key)
    result = backups.salvage(path, Path(args.output), key=key)
    if args.json:
        _print_json({"out_path": str(result.out_path), "method": result.method, "complete": result.complete,
                     "revision": result.revision, "orphan_rows": result.orphan_rows,
                     "unreadable_tables": list(result.unreadable_tables),
                     "tables": [{"table": t.table, "recovered": t.recovered, "lost": t.lost, "error": t.error}
                                for t in result.tables]})
        return 0 if result.complete else 1
    print(_("Salvaged into {path}: {rows:,} rows in {tables} tables.", path=result.out_path,
            rows=sum(t.recovered for t in result.tables), tables=len(result.tables)))
    for table in result.tables:
        if table.lost or table.error or table.lost is None:
            lost = "?" if table.lost is None else f"{table.lost:,}"
            print("  " + _("{table}: {recovered:,} rows recovered, {lost} lost ({error})", table=table.table,
                           recovered=table.recovered, lost=lost, error=table.error or "-"))
    for name in result.unreadable_tables:
        print("  " + _("{table}: nothing could be read", table=name))
    if result.orphan_rows:
        print("  " + _("{count} rows could not be placed in a table (see lost_and_found)", count=result.orphan_rows))
    if result.complete:
        print(_("Nothing was lost."))
    else:
        print(_("Some data was lost; check the salvaged file before using it (crmdesk restore FILE)."))
    return 0 if result.complete else 1


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                reporting: argparse.ArgumentParser) -> None:
    backup = sub.add_parser("backup", parents=[common, reporting],
                            help=_("back the database up now, or list its backups"))
    backup.add_argument("action", nargs="?", choices=("now", "list"), default="now")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", parents=[common, reporting],
                             help=_("check a backup and put it in place of the database (the file replaced is kept)"))
    restore.add_argument("backup_file", metavar="BACKUP_FILE")
    restore.set_defaults(func=cmd_restore)

    salvage = sub.add_parser("salvage", parents=[common, reporting],
                             help=_("copy what can be read from a damaged database into a new file"))
    salvage.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the new file to write"))
    salvage.set_defaults(func=cmd_salvage)
