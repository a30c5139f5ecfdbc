"""The command line: `python -m crmdesk SUBCOMMAND --db PATH [--json]`, calling the same services as the window."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crmdesk import __version__
from crmdesk.i18n import _


def _db_path(args: argparse.Namespace) -> Path:
    from crmdesk.models.database import default_database_path

    return Path(args.db) if args.db else default_database_path()


def _open(args: argparse.Namespace) -> Any:
    """Open (and migrate) the database, or exit 2 with a message the user can act on."""
    from crmdesk.models.database import DatabaseDamagedError, DatabaseTooNewError, open_database

    path = _db_path(args)
    try:
        return open_database(path)
    except DatabaseTooNewError:
        _fail(_("The database {path} was written by a newer version of crmdesk; update crmdesk to open it.",
                path=path))
    except DatabaseDamagedError as error:
        _fail(_("The database {path} is damaged and cannot be opened ({detail}).", path=path,
                detail=error.detail))


def _fail(message: str, code: int = 2) -> Any:
    print(f"crmdesk: {message}", file=sys.stderr)
    raise SystemExit(code)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_run(args: argparse.Namespace) -> int:
    from crmdesk.app import run_app

    screenshot = Path(args.screenshot) if args.screenshot else None
    return run_app(Path(args.db) if args.db else None, screenshot=screenshot, language=args.lang)


def cmd_demo(args: argparse.Namespace) -> int:
    from crmdesk.services.demo import build_demo

    if args.leads < 1:
        _fail(_("--leads must be at least 1."))
    db = _open(args)
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done >= total:
            last[0] = now
            print(f"\r{stage}: {done:,}/{total:,}".ljust(60), end="", file=sys.stderr, flush=True)

    try:
        summary = build_demo(db, args.leads, seed=args.seed, progress=None if args.quiet else progress)
    finally:
        db.close()
    if not args.quiet:
        print(file=sys.stderr)
    if args.json:
        _print_json({"seconds": round(summary.seconds, 2), "counts": summary.counts})
    else:
        print(_("Demo data built in {seconds:.1f} s:", seconds=summary.seconds))
        for table, count in summary.counts.items():
            print(f"  {table}: {count:,}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from crmdesk.services.search import search
    from crmdesk.services.users import ensure_local_user

    db = _open(args)
    try:
        actor = ensure_local_user(db)
        started = time.perf_counter()
        hits = search(db, actor, args.query, limit=args.limit)
        elapsed_ms = (time.perf_counter() - started) * 1000
    finally:
        db.close()
    if args.json:
        _print_json({
            "query": args.query,
            "ms": round(elapsed_ms, 2),
            "hits": [{"entity": h.entity, "id": h.id, "name": h.title, "detail": h.detail, "phone": h.phone}
                     for h in hits],
        })
    else:
        for hit in hits:
            print(f"{hit.entity:12} {hit.title:<16} {hit.phone or '':<14} {hit.detail}  {hit.id}")
        print(_("{count} hits in {ms:.1f} ms", count=len(hits), ms=elapsed_ms), file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from crmdesk.bench import run_benchmarks

    path = _db_path(args)
    if not path.exists():
        _fail(_("No database at {path}; build one with: crmdesk demo --db {path} --leads 1000000", path=path))
    figures = run_benchmarks(path, repeats=args.repeats)
    if args.json:
        _print_json(figures)
    else:
        for key, value in figures.items():
            print(f"{key:32} {value}")
    return 0


EXPORTABLE = {"leads": "leads", "customers": "customers", "opportunities": "opportunities", "orders": "orders"}


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import date

    from crmdesk.i18n import set_language
    from crmdesk.services.entities import ListQuery
    from crmdesk.services.exporter import export_list
    from crmdesk.services.registry import Services
    from crmdesk.services.users import ensure_local_user

    if args.lang:
        set_language(args.lang)
    output = Path(args.output) if args.output else Path(f"{args.entity}-{date.today():%Y%m%d}.{args.format}")
    db = _open(args)
    try:
        actor = ensure_local_user(db)
        service = getattr(Services(db), EXPORTABLE[args.entity])
        filters = {"status": args.status} if args.status else {}
        result = export_list(service, actor, output, fmt=args.format, encoding=args.encoding,
                             query=ListQuery(search=args.search or "", filters=filters))
    finally:
        db.close()
    if args.json:
        _print_json({"path": str(result.path), "rows": result.rows, "seconds": round(result.seconds, 2)})
    else:
        print(_("{count} rows written to {path}", count=result.rows, path=result.path))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmdesk", description=_("crmdesk: offline-first sales CRM"))
    parser.add_argument("--version", action="version", version=f"crmdesk {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help=_("database file (default: the per-user database)"))
    reporting = argparse.ArgumentParser(add_help=False)
    reporting.add_argument("--json", action="store_true", help=_("print machine-readable JSON"))
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", parents=[common], help=_("open the window (the default)"))
    run.add_argument("--screenshot", metavar="FILE.png", help=_("render the main window offscreen to a PNG and exit"))
    run.add_argument("--lang", choices=("zh_CN", "en"), help=_("interface language for this start"))
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", parents=[common, reporting], help=_("fill a database with demo data"))
    demo.add_argument("--leads", type=int, default=10_000, help=_("number of leads (the rest in proportion)"))
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--quiet", action="store_true", help=_("no progress line"))
    demo.set_defaults(func=cmd_demo)

    search = sub.add_parser("search", parents=[common, reporting], help=_("search leads, customers, contacts, deals"))
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.set_defaults(func=cmd_search)

    export = sub.add_parser("export", parents=[common, reporting],
                            help=_("export a list as CSV or Excel (the daily ERP feed: orders)"))
    export.add_argument("entity", choices=tuple(EXPORTABLE))
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("-o", "--output", metavar="FILE", help=_("file to write (default: ENTITY-DATE.FORMAT)"))
    export.add_argument("--search", help=_("only rows the list's search box would show"))
    export.add_argument("--status", help=_("only rows with this status code"))
    export.add_argument("--encoding", choices=("utf-8-sig", "gb18030"), default="utf-8-sig",
                        help=_("CSV encoding (default UTF-8 with BOM, which Excel reads as Chinese)"))
    export.add_argument("--lang", choices=("zh_CN", "en"), help=_("language of headers and labels"))
    export.set_defaults(func=cmd_export)

    bench = sub.add_parser("bench", parents=[common, reporting], help=_("measure the window and search"))
    bench.add_argument("--repeats", type=int, default=5)
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    known = {"run", "demo", "search", "export", "bench"}
    if not arguments or (arguments[0] not in known and arguments[0] not in ("-h", "--help", "--version")):
        arguments = ["run", *arguments]  # `crmdesk --db x` opens the window
    args = parser.parse_args(arguments)
    from crmdesk.services.errors import UserError

    try:
        return int(args.func(args))
    except UserError as error:  # the user can fix it: say so plainly, no traceback
        return _fail(str(error))
