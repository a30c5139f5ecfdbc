"""`crmdesk pool ...` and `crmdesk tiers ...`: the public pool and the customer tiers from the command line.

Added to the parser by crmdesk.cli.build_parser; user errors exit 2 like every command.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict
from typing import Any

from crmdesk.cli_auth import cli_actor
from crmdesk.i18n import _


def _read_json(path: str | None) -> Any:
    from crmdesk.cli import read_json_file

    return read_json_file(path)


def _user_named(db: Any, username: str) -> Any:
    """The active user called `username` (whom customers are assigned to)."""
    from crmdesk.cli import _fail
    from crmdesk.services.pool import actor_by_username

    actor = actor_by_username(db, username)
    if actor is None:
        _fail(_("No user is called {name}.", name=username))
    return actor


def _refusals(refused: Any) -> list[dict[str, str]]:
    return [{"id": r.customer_id, "name": r.name, "reason": r.reason} for r in refused]


def _print_refusals(refused: Any) -> None:
    for refusal in refused:
        print(_("  {name} ({id}): {reason}", name=refusal.name or "-", id=refusal.customer_id, reason=refusal.reason))


def cmd_pool(args: argparse.Namespace) -> int:
    from crmdesk.cli import _open, _print_json
    from crmdesk.services import pool

    rules_value = _read_json(args.file) if args.action == "rules" and args.rules_action == "set" else None
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.action == "list":
            total = pool.count_pool(db, actor, args.search or "")
            rows = pool.list_pool(db, actor, args.search or "", args.offset, args.limit)
            if args.json:
                _print_json({"total": total, "customers": rows})
            else:
                print(_("{count} customers in the public pool", count=total))
                for row in rows:
                    print(f"{row['id']}  {row['name']}  {row['tier'] or '-'}  {row['city'] or ''}  "
                          f"{row['former_owner'] or ''}")
        elif args.action == "claim":
            claimed = pool.claim_from_public_pool(db, actor, args.ids)
            if args.json:
                _print_json({"claimed": list(claimed.claimed), "refused": _refusals(claimed.refused)})
            else:
                print(_("{count} customers claimed", count=len(claimed.claimed)))
                _print_refusals(claimed.refused)
        elif args.action == "release":
            released = pool.release_to_public_pool(db, actor, args.ids, args.reason)
            if args.json:
                _print_json({"released": list(released.released), "refused": _refusals(released.refused)})
            else:
                print(_("{count} customers released to the public pool", count=len(released.released)))
                _print_refusals(released.refused)
        elif args.action == "assign":
            target = _user_named(db, args.to)
            assigned = pool.assign_customers(db, actor, args.ids, target.user_id)
            if args.json:
                _print_json({"assigned": list(assigned.assigned), "refused": _refusals(assigned.refused),
                             "owner_id": assigned.owner_id, "owned": assigned.owned, "cap": assigned.cap,
                             "over_cap": assigned.over_cap})
            else:
                print(_("{count} customers assigned to {name}", count=len(assigned.assigned),
                        name=assigned.owner_name))
                if assigned.over_cap:
                    print(_("{name} now owns {owned} customers, over the cap of {cap}.", name=assigned.owner_name,
                            owned=assigned.owned, cap=assigned.cap))
                _print_refusals(assigned.refused)
        elif args.action == "maintain":
            started = time.perf_counter()
            result = pool.run_pool_maintenance(db, actor)
            seconds = round(time.perf_counter() - started, 2)
            if args.json:
                _print_json({"warned": result.warned, "reclaimed": result.reclaimed, "seconds": seconds})
            else:
                print(_("{warned} owners warned, {reclaimed} customers back in the public pool ({seconds} s)",
                        warned=result.warned, reclaimed=result.reclaimed, seconds=seconds))
        elif args.action == "history":
            events = pool.pool_history(db, actor, args.id)
            if args.json:
                _print_json([asdict(event) for event in events])
            else:
                for event in events:
                    print(f"{event.at.astimezone():%Y-%m-%d %H:%M}  {event.action}  {event.user_name or ''}  "
                          f"{event.reason or ''}")
        else:  # rules
            if args.rules_action == "set":
                pool.save_pool_rules(db, actor, rules_value)
            _print_json(pool.load_pool_rules(db, actor))
    finally:
        db.close()
    return 0


def cmd_tiers(args: argparse.Namespace) -> int:
    from crmdesk.cli import _open, _print_json
    from crmdesk.services import pool

    value = _read_json(args.file) if args.action == "set" else None
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.action == "apply":
            started = time.perf_counter()
            changed = pool.apply_tier_rules(db, actor)
            seconds = round(time.perf_counter() - started, 2)
            if args.json:
                _print_json({"changed": changed, "seconds": seconds})
            else:
                print(_("{count} customers changed tier ({seconds} s)", count=changed, seconds=seconds))
            return 0
        if args.action == "set":
            pool.save_tier_rules(db, actor, value)
        _print_json(pool.load_tier_rules(db, actor))
    finally:
        db.close()
    return 0


def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    acting = argparse.ArgumentParser(add_help=False)
    acting.add_argument("--as", dest="acting_as", metavar="USERNAME",
                        help=_("act as this user (default: the local user)"))
    parents = [common, reporting, acting]

    pool_parser = sub.add_parser("pool", help=_("the public pool: list, claim, release, assign, maintain, rules"))
    actions = pool_parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", parents=parents, help=_("customers in the public pool"))
    listing.add_argument("--search", help=_("only customers the search box would show"))
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--limit", type=int, default=50)
    actions.add_parser("claim", parents=parents, help=_("claim customers from the pool")).add_argument(
        "ids", nargs="+", metavar="ID")
    release = actions.add_parser("release", parents=parents, help=_("give customers back to the pool"))
    release.add_argument("ids", nargs="+", metavar="ID")
    release.add_argument("--reason", required=True, help=_("why they go back"))
    assign = actions.add_parser("assign", parents=parents, help=_("a manager gives customers to a user"))
    assign.add_argument("ids", nargs="+", metavar="ID")
    assign.add_argument("--to", required=True, metavar="USERNAME", help=_("the user who gets them"))
    actions.add_parser("maintain", parents=parents,
                       help=_("warn owners and put customers not followed up back in the pool"))
    actions.add_parser("history", parents=parents, help=_("a customer's pool moves, newest first")).add_argument("id")
    rules = actions.add_parser("rules", parents=parents, help=_("show or set the pool rules"))
    rules.add_argument("rules_action", nargs="?", choices=("show", "set"), default="show")
    rules.add_argument("file", nargs="?", metavar="FILE.json", help=_("the rules to store, as JSON"))
    pool_parser.set_defaults(func=cmd_pool)

    tiers = sub.add_parser("tiers", parents=parents, help=_("customer tiers: apply, show or set the rules"))
    tiers.add_argument("action", choices=("apply", "show", "set"))
    tiers.add_argument("file", nargs="?", metavar="FILE.json", help=_("the rules to store, as JSON"))
    tiers.set_defaults(func=cmd_tiers)
