"""`crmdesk history ENTITY ID [--limit N] [--json]`: a record's change history, newest first, as the detail
views show it (names for ids, labels for codes, personal data masked for a user who may not see it).

Added to the parser by crmdesk.cli.build_parser.
"""

from __future__ import annotations

import argparse
from typing import Any

from crmdesk.i18n import _


def _entry(entry: Any) -> dict[str, Any]:
    return {"at": entry.at.isoformat(), "user": entry.user_name, "action": entry.action,
            "action_label": entry.action_label, "record": entry.record, "field": entry.field,
            "field_label": entry.field_label, "old": entry.old_value, "new": entry.new_value}


def cmd_history(args: argparse.Namespace) -> int:
    from crmdesk.cli import _fail, _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.audit import record_history

    if args.limit < 1:
        _fail(_("--limit must be at least 1."))
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        entries: list[Any] = []
        cursor = None
        while len(entries) < args.limit:  # pages of the service's size until the limit or the first entry
            page = record_history(db, actor, args.entity, args.id, before=cursor,
                                  limit=min(args.limit - len(entries), 500))
            entries.extend(page.entries)
            cursor = page.next_cursor
            if cursor is None:
                break
    finally:
        db.close()
    if args.json:
        _print_json({"entity": args.entity, "id": args.id, "entries": [_entry(e) for e in entries],
                     "more": cursor is not None})
        return 0
    for entry in entries:
        what = " · ".join(part for part in (entry.record, entry.field_label) if part)
        change = " → ".join(part for part in (entry.old_value, entry.new_value) if part) \
            if entry.old_value and entry.new_value else entry.new_value or entry.old_value
        line = f"{entry.at.astimezone():%Y-%m-%d %H:%M}  {entry.user_name}  {entry.action_label}"
        print("  ".join(part for part in (line, what, change) if part))
    if not entries:
        print(_("Nothing recorded."))
    elif cursor is not None:
        print(_("Older entries: raise --limit to see them."))
    return 0


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                reporting: argparse.ArgumentParser) -> None:
    from crmdesk.services.audit import ENTITY_TABLES

    history = sub.add_parser("history", parents=[common, reporting],
                             help=_("a record's change history: who changed what, when, from what to what"))
    history.add_argument("entity", choices=tuple(ENTITY_TABLES), metavar="ENTITY",
                         help=_("lead, customer, contact, opportunity, quote, contract, order, payment_plan, "
                                "payment, ..."))
    history.add_argument("id", metavar="ID", help=_("the record's id"))
    history.add_argument("--limit", type=int, default=50, help=_("how many entries, newest first (default 50)"))
    history.set_defaults(func=cmd_history)
