"""`crmdesk followups ...`: today's follow-ups, completing one, the .ics export and the intent-grade cadence.

Added to the parser by crmdesk.cli.build_parser; user errors exit 2 like every command.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from crmdesk.i18n import _


def _item(item: Any) -> dict[str, Any]:
    values = asdict(item)
    values["due_at"] = item.due_at.isoformat()
    return values


def _owner(db: Any, actor: Any, owner: str | None) -> str | None:
    """--owner: a login name, "all", or nothing (the local user)."""
    from crmdesk.services import followups

    if not owner:
        return None
    if owner == followups.ALL_OWNERS:
        return followups.ALL_OWNERS
    return followups.find_user(db, actor, owner)


def _read_json(path: str | None) -> Any:
    from crmdesk.cli import read_json_file

    return read_json_file(path)


def cmd_followups(args: argparse.Namespace) -> int:
    from crmdesk.cli import _fail, _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import followups

    next_due = None
    if args.action == "done" and args.next_due:
        try:
            next_due = followups.parse_datetime(args.next_due)
        except ValueError as error:
            _fail(str(error))
    value = _read_json(args.file) if args.action == "cadence" and args.mode == "set" else None
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.action == "today":
            listing = followups.today_list(db, actor, _owner(db, actor, args.owner), limit=args.limit)
            data: dict[str, Any] = {
                "counts": asdict(listing.counts),
                "overdue": [_item(item) for item in listing.overdue],
                "due_today": [_item(item) for item in listing.due_today],
            }
        elif args.action == "done":
            record = followups.complete_activity(db, actor, args.id, args.outcome, args.next_step, next_due)
            data = {"id": record.id, "status": record["status"], "done_at": record["done_at"].isoformat(),
                    "next_due_at": next_due.isoformat() if next_due else None}
        elif args.action == "ics":
            count = followups.export_ics(db, actor, args.output, _owner(db, actor, args.owner), args.days)
            data = {"written": count, "path": str(args.output)}
        else:
            cadence = followups.save_cadence(db, actor, value) if args.mode == "set" else followups.load_cadence(db)
            data = dict(cadence)
    finally:
        db.close()
    if args.json or (args.action == "cadence" and args.mode == "show"):
        _print_json(data)
    elif args.action == "today":
        print(_("Overdue {overdue}, due today {today}", overdue=data["counts"]["overdue"],
                today=data["counts"]["due_today"]))
        for section, mark in (("overdue", "!"), ("due_today", " ")):
            for item in data[section]:
                print(f"{mark} {item['due_at'][:16]}  {item['name']}  {item['phone'] or ''}  {item['subject']}  "
                      f"{item['id']}")
    elif args.action == "done":
        print(_("Follow-up done."))
    elif args.action == "ics":
        print(_("{count} follow-ups written to {path}", count=data["written"], path=data["path"]))
    else:
        print(_("Cadence saved."))
    return 0


def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    parents = [common, reporting]
    parser = sub.add_parser("followups", help=_("follow-ups: today's list, done, calendar export, cadence"))
    actions = parser.add_subparsers(dest="action", required=True)
    today = actions.add_parser("today", parents=parents, help=_("what is overdue and due today"))
    today.add_argument("--owner", metavar="USERNAME|all", help=_("whose follow-ups (default: yours)"))
    today.add_argument("--limit", type=int, default=200, help=_("rows of each list"))
    done = actions.add_parser("done", parents=parents, help=_("mark a planned follow-up done with its result"))
    done.add_argument("id")
    done.add_argument("--outcome", required=True, metavar="TEXT", help=_("what came of it"))
    done.add_argument("--next-step", metavar="TEXT", help=_("the next step"))
    done.add_argument("--next-due", metavar="YYYY-MM-DD", help=_("plan the next follow-up on this day"))
    ics = actions.add_parser("ics", parents=parents, help=_("write planned follow-ups to an .ics calendar file"))
    ics.add_argument("-o", "--output", required=True, metavar="FILE")
    ics.add_argument("--owner", metavar="USERNAME|all", help=_("whose follow-ups (default: yours)"))
    ics.add_argument("--days", type=int, default=30, help=_("days ahead (default 30)"))
    cadence = actions.add_parser("cadence", parents=parents, help=_("show or set the follow-up days per intent grade"))
    cadence.add_argument("mode", nargs="?", choices=("show", "set"), default="show")
    cadence.add_argument("file", nargs="?", metavar="FILE.json", help=_("the cadence to store, as JSON"))
    parser.set_defaults(func=cmd_followups)
