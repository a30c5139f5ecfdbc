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
    from crmdesk.cli_encrypt import database_key
    from crmdesk.models.database import (
        DatabaseDamagedError,
        DatabaseKeyError,
        DatabaseTooNewError,
        open_database,
    )

    path = _db_path(args)
    try:
        return open_database(path, key=database_key(path))  # an encrypted book: its key (cli_encrypt)
    except DatabaseKeyError:
        _fail(_("The database {path} is encrypted and the key or passphrase given does not open it.", path=path))
    except DatabaseTooNewError:
        _fail(_("The database {path} was written by a newer version of crmdesk; update crmdesk to open it.",
                path=path))
    except DatabaseDamagedError as error:
        _fail(_("The database {path} is damaged and cannot be opened ({detail}).", path=path,
                detail=error.detail))


def _fail(message: str, code: int = 2) -> Any:
    print(f"crmdesk: {message}", file=sys.stderr)
    raise SystemExit(code)


def _require_admin(db: Any, args: argparse.Namespace) -> Any:
    """The signed-in administrator (or the local one on a book without sign-in); exit 2 for anyone else."""
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.errors import UserError
    from crmdesk.services.permissions import require_admin

    actor = cli_actor(db, args)
    try:
        require_admin(actor)
    except UserError as error:
        _fail(error.message)
    return actor


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def read_json_file(path: str | None) -> Any:
    """The JSON a settings command stores (rules, cadences, ...), or exit 2 saying what is wrong."""
    if not path:
        _fail(_("Name the JSON file to read."))
    assert path is not None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as error:
        return _fail(_("Cannot read {path}: {detail}", path=path, detail=error.strerror or error))
    except ValueError as error:
        return _fail(_("{path} is not valid JSON: {detail}", path=path, detail=error))


def cmd_run(args: argparse.Namespace) -> int:
    from crmdesk.app import run_app

    screenshot = Path(args.screenshot) if args.screenshot else None
    return run_app(Path(args.db) if args.db else None, screenshot=screenshot, language=args.lang)


def cmd_demo(args: argparse.Namespace) -> int:
    from crmdesk.services.demo import build_demo

    if args.leads < 1:
        _fail(_("--leads must be at least 1."))
    db = _open(args)
    _require_admin(db, args)
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
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.search import search

    db = _open(args)
    try:
        actor = cli_actor(db, args)
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

    from crmdesk.cli_auth import cli_actor
    from crmdesk.i18n import set_language
    from crmdesk.services.entities import ListQuery
    from crmdesk.services.exporter import export_list
    from crmdesk.services.registry import Services

    if args.lang:
        set_language(args.lang)
    output = Path(args.output) if args.output else Path(f"{args.entity}-{date.today():%Y%m%d}.{args.format}")
    db = _open(args)
    try:
        actor = cli_actor(db, args)
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


def _lead_summary(record: Any) -> dict[str, Any]:
    keys = ("name", "status", "invalid_reason", "score", "qualification", "owner_id", "accepted_at")
    return {"id": record.id, **{key: record.get(key) for key in keys}}


def cmd_leads(args: argparse.Namespace) -> int:
    """Lead lifecycle and scoring: rescore, invalid, reopen, accept."""
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.lead_rules import rescore_leads
    from crmdesk.services.registry import Services

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        leads = Services(db).leads
        if args.action == "rescore":
            started = time.perf_counter()
            changed = rescore_leads(db, actor)
            seconds = time.perf_counter() - started
            if args.json:
                _print_json({"changed": changed, "seconds": round(seconds, 2)})
            else:
                print(_("{count} leads rescored in {seconds:.1f} s", count=changed, seconds=seconds))
            return 0
        if args.action == "invalid":
            record = leads.mark_invalid(actor, args.id, args.reason, args.detail)
        elif args.action == "reopen":
            record = leads.reopen(actor, args.id)
        else:
            record = leads.accept_lead(actor, args.id)
    finally:
        db.close()
    summary = _lead_summary(record)
    if args.json:
        _print_json(summary)
    else:
        print(_("Lead {name}: status {status}, score {score}, qualification {qualification}",
                name=summary["name"], status=summary["status"], score=summary["score"],
                qualification=summary["qualification"] or "-"))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """Show or replace the team's scoring and assignment rules and the reasons a lead is invalid."""
    from dataclasses import asdict

    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import lead_rules
    from crmdesk.services.leads import invalid_reasons, save_invalid_reasons

    value: Any = read_json_file(args.file) if args.action != "show" else None
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.action == "set-scoring":
            lead_rules.save_scoring(db, actor, value)
        elif args.action == "set-assignment":
            lead_rules.save_assignment(db, actor, value)
        elif args.action == "set-invalid-reasons":
            save_invalid_reasons(db, actor, value if isinstance(value, list) else [])
        shown = {
            "scoring": lead_rules.load_scoring(db),
            "assignment": lead_rules.load_assignment(db),
            "invalid_reasons": [asdict(reason) for reason in invalid_reasons(db)],
        }
    finally:
        db.close()
    if args.json or args.action == "show":
        _print_json(shown)
    else:
        print(_("Rules saved."))
    return 0


IMPORT_SHOWN_PROBLEMS = 20  # bad rows printed by `crmdesk import`; the errors file has every one


def cmd_import(args: argparse.Namespace) -> int:
    from crmdesk.cli_auth import cli_actor
    from crmdesk.i18n import set_language
    from crmdesk.services.importer import (
        ImportCancelled,
        ImportMapping,
        ImportOptions,
        import_file,
        load_mapping,
        parse_column_mappings,
        parse_value_mappings,
        save_mapping,
    )

    if args.lang:
        set_language(args.lang)
    saved = load_mapping(args.mapping) if args.mapping else ImportMapping()
    values = {target: dict(table) for target, table in saved.values.items()}
    for target, table in parse_value_mappings(args.value_map).items():
        values.setdefault(target, {}).update(table)
    mapping = ImportMapping({**saved.columns, **parse_column_mappings(args.map)}, values,
                            args.date_order or saved.date_order)
    options = ImportOptions(mapping=mapping, duplicates=args.duplicates, date_order=args.date_order,
                            create_missing_customers=args.create_customers,
                            errors_path=Path(args.errors) if args.errors else None)
    quiet = args.json or args.quiet
    last: list[Any] = [0.0, ""]

    def progress(done: int, fraction: float | None) -> None:
        now = time.monotonic()
        share = f" ({fraction:.0%})" if fraction is not None else ""
        line = "\r" + _("{count} rows read", count=f"{done:,}") + share
        if line != last[1] and (now - last[0] >= 0.5 or fraction == 1.0):
            last[0], last[1] = now, line
            print(line, end="", file=sys.stderr, flush=True)

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        result = import_file(db, actor, args.entity, Path(args.file), options, progress=None if quiet else progress)
    except KeyboardInterrupt:
        _fail(ImportCancelled().message, 130)
    finally:
        db.close()
        if not quiet:
            print(file=sys.stderr)
    if args.save_mapping:  # after the import, so a mapping that does not fit the file is not kept
        save_mapping(args.save_mapping, mapping)
    if args.json:
        _print_json({"read": result.read, "imported": result.imported, "updated": result.updated,
                     "skipped_duplicates": result.skipped_duplicates, "rejected": result.rejected,
                     "errors_file": str(result.errors_file) if result.errors_file else None})
        return 0
    print(_("Read {read} rows: {imported} imported, {updated} updated, {skipped} duplicates skipped, "
            "{rejected} rejected.", read=result.read, imported=result.imported, updated=result.updated,
            skipped=result.skipped_duplicates, rejected=result.rejected))
    if result.unrecognised_columns:
        print(_("Columns not imported (map them with --map \"Header=field\"): {columns}",
                columns=", ".join(result.unrecognised_columns)))
    if result.counts.flagged:
        print(_("{count} rows imported as new records are flagged as suspected duplicates.",
                count=result.counts.flagged))
    if result.counts.customers_created:
        print(_("{count} missing customers created.", count=result.counts.customers_created))
    for problem in result.problems[:IMPORT_SHOWN_PROBLEMS]:
        print("  " + _("Row {row}, {column}: {reason}", row=problem.row, column=problem.column,
                       reason=problem.message))
    if result.errors_file is not None:
        hidden = len(result.problems) - IMPORT_SHOWN_PROBLEMS
        if hidden > 0 or result.truncated:
            print("  " + _("... and more; see the errors file.", count=hidden))
        print(_("The rejected rows are in {path}: fix them there and import that file again.",
                path=result.errors_file))
    return 0


def _dedupe_member(member: Any) -> dict[str, Any]:
    return {"entity": member.entity, "id": member.id, "name": member.name, "phone": member.phone,
            "company": member.company, "city": member.city, "owner": member.owner_name,
            "created_at": member.created_at.isoformat() if member.created_at else None,
            "updated_at": member.updated_at.isoformat() if member.updated_at else None}


def cmd_dedupe(args: argparse.Namespace) -> int:
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.duplicates import list_groups, rule_label

    if args.limit < 1:
        _fail(_("--limit must be at least 1."))
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        page = list_groups(db, actor, entity=args.entity, offset=args.offset, limit=args.limit)
    finally:
        db.close()
    if args.json:
        _print_json([{
            "key": group.key, "score": group.score,
            "reasons": [{"rule": rule, "label": rule_label(rule)} for rule in group.reasons],
            "suggested_kept": group.suggested_kept().id,
            "members": [_dedupe_member(member) for member in group.members],
        } for group in page.groups])
    else:
        for group in page.groups:
            print(f"{group.score:3d}  {group.reason_text}")
            for member in group.members:
                print(f"     {member.entity:9} {member.name:<16} {member.phone or '':<14} {member.city or '':<8} "
                      f"{member.id}")
    print(_("{shown} of {total} duplicate groups ({seconds:.1f} s)", shown=len(page.groups), total=page.total,
            seconds=page.seconds), file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.merge import merge_records, resolve_ref

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        kept = resolve_ref(db, actor, args.kept_id, args.entity)
        merged = resolve_ref(db, actor, args.merged_id, args.merged_entity)
        result = merge_records(db, actor, kept, merged)
    finally:
        db.close()
    if args.json:
        _print_json({"kept": {"entity": kept.entity, "id": kept.id},
                     "merged": {"entity": merged.entity, "id": merged.id},
                     "merge_ids": list(result.merge_ids), "changed_fields": list(result.changed_fields),
                     "moved": dict(result.moved)})
    else:
        print(_("Merged {merged} into {kept}: {fields} fields taken, {rows} linked rows moved.",
                merged=merged.id, kept=kept.id, fields=len(result.changed_fields), rows=sum(result.moved.values())))
        print(_("Undo with: crmdesk unmerge {merge_id}", merge_id=result.merge_ids[0]))
    return 0


def cmd_unmerge(args: argparse.Namespace) -> int:
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.merge import undo_merge

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        result = undo_merge(db, actor, args.merge_id)
    finally:
        db.close()
    if args.json:
        _print_json({"merge_id": result.merge_id, "kept": {"entity": result.kept.entity, "id": result.kept.id},
                     "restored": {"entity": result.restored.entity, "id": result.restored.id},
                     "moved_back": result.moved_back, "kept_later_edits": list(result.kept_later_edits)})
    else:
        print(_("Merge undone: {restored} is back, {rows} linked rows moved back.",
                restored=result.restored.id, rows=result.moved_back))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from crmdesk.cli_auth import add_sign_in_arguments

    parser = argparse.ArgumentParser(prog="crmdesk", description=_("crmdesk: offline-first sales CRM"))
    parser.add_argument("--version", action="version", version=f"crmdesk {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help=_("database file (default: the per-user database)"))
    add_sign_in_arguments(common)
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

    leads = sub.add_parser("leads", help=_("lead lifecycle: rescore, mark invalid, reopen, accept an MQL"))
    lead_actions = leads.add_subparsers(dest="action", required=True)
    lead_actions.add_parser("rescore", parents=[common, reporting],
                            help=_("recompute every lead's score and MQL from the rules"))
    invalid = lead_actions.add_parser("invalid", parents=[common, reporting], help=_("mark a lead invalid"))
    invalid.add_argument("id")
    invalid.add_argument("--reason", required=True, metavar="CODE", help=_("a reason code of the team's list"))
    invalid.add_argument("--detail", help=_("your own words, for a reason that takes them (other)"))
    for action, text in (("reopen", _("put an invalid lead back in work")),
                         ("accept", _("sales accepts an MQL: it becomes an SQL"))):
        lead_actions.add_parser(action, parents=[common, reporting], help=text).add_argument("id")
    leads.set_defaults(func=cmd_leads)

    rules = sub.add_parser("rules", parents=[common, reporting],
                           help=_("show or set the lead scoring and assignment rules"))
    rules.add_argument("action", choices=("show", "set-scoring", "set-assignment", "set-invalid-reasons"))
    rules.add_argument("file", nargs="?", metavar="FILE.json", help=_("the rules to store, as JSON"))
    rules.set_defaults(func=cmd_rules)

    importing = sub.add_parser("import", parents=[common, reporting],
                               help=_("import leads, customers, contacts or opportunities from CSV or Excel"))
    importing.add_argument("entity", choices=("leads", "customers", "contacts", "opportunities"))
    importing.add_argument("file", metavar="FILE", help=_("a .csv (UTF-8 or GBK, any delimiter) or .xlsx file"))
    importing.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                           help=_("put the column HEADER into FIELD (HEADER= leaves it out); repeatable"))
    importing.add_argument("--value-map", action="append", default=[], metavar="FIELD:FROM=TO",
                           help=_("read the value FROM of FIELD as TO, e.g. stage:Won=won; repeatable"))
    importing.add_argument("--mapping", metavar="NAME", help=_("use the column and value mappings saved as NAME"))
    importing.add_argument("--save-mapping", metavar="NAME", help=_("save this import's mappings as NAME"))
    importing.add_argument("--duplicates", choices=("skip", "merge", "new"), default="skip",
                           help=_("what to do with a duplicate: skip it, fill the existing record's empty "
                                  "fields, or import it as new and flag it (default: skip)"))
    importing.add_argument("--date-order", choices=("dmy", "mdy", "ymd"),
                           help=_("how to read dates like 3/5/2024"))
    importing.add_argument("--create-customers", action="store_true",
                           help=_("create the customers a row names that the book does not have"))
    importing.add_argument("--errors", metavar="FILE", help=_("where to write the rejected rows "
                                                               "(default: FILE.errors beside the file)"))
    importing.add_argument("--quiet", action="store_true", help=_("no progress line"))
    importing.add_argument("--lang", choices=("zh_CN", "en"), help=_("language of the messages"))
    importing.set_defaults(func=cmd_import)

    dedupe = sub.add_parser("dedupe", parents=[common, reporting],
                            help=_("list groups of likely duplicate leads and customers, best first"))
    dedupe.add_argument("--entity", choices=("all", "lead", "customer"), default="all",
                        help=_("which records to compare (all: leads with customers too)"))
    dedupe.add_argument("--limit", type=int, default=50, help=_("groups to list"))
    dedupe.add_argument("--offset", type=int, default=0, help=_("groups to skip"))
    dedupe.set_defaults(func=cmd_dedupe)

    merging = sub.add_parser("merge", parents=[common, reporting],
                             help=_("merge a duplicate into the record to keep (newest non-empty values win)"))
    merging.add_argument("kept_id", metavar="KEPT_ID")
    merging.add_argument("merged_id", metavar="MERGED_ID")
    merging.add_argument("--entity", choices=("lead", "customer"), help=_("the kept record's kind (default: found)"))
    merging.add_argument("--merged-entity", choices=("lead", "customer"),
                         help=_("the merged record's kind (default: found)"))
    merging.set_defaults(func=cmd_merge)

    unmerge = sub.add_parser("unmerge", parents=[common, reporting], help=_("undo a merge"))
    unmerge.add_argument("merge_id", metavar="MERGE_ID")
    unmerge.set_defaults(func=cmd_unmerge)

    from crmdesk.cli_report import add_parsers as add_report_parsers

    add_report_parsers(sub, common, reporting)  # report rules (funnel, forecast, kpi, receivables later)

    from crmdesk.cli_pool import add_parsers as add_pool_parsers

    add_pool_parsers(sub, common, reporting)  # pool ..., tiers ...

    from crmdesk.cli_drives import add_parsers as add_drive_parsers

    add_drive_parsers(sub, common, reporting)  # testdrive ..., lost ..., customers reactivate

    from crmdesk.cli_followups import add_parsers as add_followup_parsers

    add_followup_parsers(sub, common, reporting)  # followups today / done / ics / cadence

    from crmdesk.cli_billing import add_parsers as add_billing_parsers

    add_billing_parsers(sub, common, reporting)  # contract ..., order ..., plan ..., payment ...

    from crmdesk.cli_quotes import add_parsers as add_quote_parsers

    add_quote_parsers(sub, common, reporting)  # product ..., quote ...

    from crmdesk.cli_pdf import add_parsers as add_pdf_parsers

    add_pdf_parsers(sub, common, reporting)  # pdf quote|contract NUMBER -o FILE

    from crmdesk.cli_backup import add_parsers as add_backup_parsers

    add_backup_parsers(sub, common, reporting)  # backup [list], restore BACKUP_FILE, salvage -o FILE

    from crmdesk.cli_encrypt import add_parsers as add_encrypt_parsers

    add_encrypt_parsers(sub, common, reporting)  # encrypt [--passphrase-prompt], decrypt

    from crmdesk.cli_audit import add_parsers as add_audit_parsers

    add_audit_parsers(sub, common, reporting)  # history ENTITY ID

    from crmdesk.cli_sync import add_parsers as add_sync_parsers

    add_sync_parsers(sub, common, reporting)  # hub init|add-user|users, sync
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:  # argparse keeps its subcommands nowhere public
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    known = set(_subcommands(parser))
    if not arguments or (arguments[0] not in known and arguments[0] not in ("-h", "--help", "--version")):
        arguments = ["run", *arguments]  # `crmdesk --db x` opens the window
    args = parser.parse_args(arguments)
    from crmdesk.services.errors import UserError

    try:
        return int(args.func(args))
    except UserError as error:  # the user can fix it: say so plainly, no traceback
        return _fail(str(error))
