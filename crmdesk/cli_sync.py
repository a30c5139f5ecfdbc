"""`crmdesk hub init|add-user|users` (the team hub on PostgreSQL) and `crmdesk sync` (this book with the hub).

The hub's password is never an argument (it would stay in the shell's history): it is taken from the URL,
from CRMDESK_HUB_PASSWORD, or from the OS keychain where the window saved it; a new login's password from
CRMDESK_HUB_NEW_PASSWORD or a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from crmdesk.i18n import _

HUB_PASSWORD_VARIABLE = "CRMDESK_HUB_PASSWORD"
NEW_PASSWORD_VARIABLE = "CRMDESK_HUB_NEW_PASSWORD"


def hub_password(url: str) -> str | None:
    """The hub password for `url`: written in it, in CRMDESK_HUB_PASSWORD, or in the keychain (else None:
    a hub that trusts the login, or a .pgpass file, needs none)."""
    from crmdesk.services import hub

    inside = hub.password_in(url)
    if inside is not None:
        return inside
    if os.environ.get(HUB_PASSWORD_VARIABLE):
        return os.environ[HUB_PASSWORD_VARIABLE]
    try:
        from crmdesk.services.hub_credentials import load_password
    except ImportError:  # pragma: no cover - the keychain module ships with the app
        return None
    return load_password(hub.without_password(url))


def cmd_hub_init(args: argparse.Namespace) -> int:
    from crmdesk.cli import _print_json
    from crmdesk.services import hub

    revision = hub.init_hub(args.url, hub_password(args.url))
    if args.json:
        _print_json({"url": hub.without_password(args.url), "revision": revision})
    else:
        print(_("The hub {url} is ready (schema {revision}).", url=hub.without_password(args.url),
                revision=revision))
    return 0


def _new_password(login: str) -> str | None:
    given = os.environ.get(NEW_PASSWORD_VARIABLE)
    if given:
        return given
    if not sys.stdin.isatty():
        return None  # a hub that authenticates otherwise (trust, certificates, .pgpass) needs none
    first = getpass.getpass(_("Hub password for {login}: ", login=login))
    if first != getpass.getpass(_("The same password again: ")):
        from crmdesk.cli import _fail

        _fail(_("The two passwords are not the same."))
    return first


def cmd_hub_add_user(args: argparse.Namespace) -> int:
    """Give a user of this book a login on the hub with the role and scope they have in the book."""
    from crmdesk.cli import _open, _print_json, _require_admin
    from crmdesk.services import hub
    from crmdesk.services.pool import actor_by_username

    db = _open(args)
    try:
        _require_admin(db, args)
        person = actor_by_username(db, args.username)
        if person is None:
            from crmdesk.cli import _fail

            return _fail(_("No user is called {name}.", name=args.username))
    finally:
        db.close()
    login = (args.login or args.username).lower()
    added = hub.add_hub_user(args.url, login, _new_password(login), user_id=person.user_id, role=person.role,
                             team_id=person.team_id, scope=person.scope, admin_password=hub_password(args.url))
    if args.json:
        _print_json({"login": added.pg_role, "user_id": added.user_id, "role": added.role, "team_id": added.team_id,
                     "scope": added.scope})
    else:
        print(_("{login} may sync with the hub as {name} ({role}, scope {scope}).", login=added.pg_role,
                name=person.display_name, role=added.role, scope=added.scope))
    return 0


def cmd_hub_users(args: argparse.Namespace) -> int:
    from crmdesk.cli import _print_json
    from crmdesk.services import hub

    listed = hub.hub_users(args.url, hub_password(args.url))
    if args.json:
        _print_json([{"login": u.pg_role, "user_id": u.user_id, "role": u.role, "team_id": u.team_id,
                      "scope": u.scope} for u in listed])
    else:
        for user in listed:
            print(f"{user.pg_role:<24} {user.role:<12} {user.scope:<5} {user.user_id}")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Push this book's changes to the hub, pull the others': {"pushed", "pulled", "conflicts", "seconds"}."""
    from crmdesk.cli import _fail, _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import sync
    from crmdesk.services.users import has_users

    db = _open(args)
    try:
        if has_users(db):  # the book's own sign-in first: syncing reads and writes it
            cli_actor(db, args)
        # else a new book joining the team: its users come from the hub (no local one is made to clash)
        url = args.hub or sync.sync_status(db).hub_url
        if not url:
            return _fail(_("No hub is set for this book: give --hub postgresql://LOGIN@HOST/DATABASE."))

        def progress(phase: str, done: int, total: int) -> None:
            if not args.json and sys.stderr.isatty():
                print(f"\r{phase} {done}/{total or '?'}", end="", file=sys.stderr, flush=True)

        result = sync.sync(db, url, hub_password(url), progress=progress)
    finally:
        db.close()
    if args.json:
        _print_json(result.as_dict())
    else:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(_("Pushed {pushed}, pulled {pulled}, conflicts {conflicts} ({seconds:.1f} s).", pushed=result.pushed,
                pulled=result.pulled, conflicts=result.conflicts, seconds=result.seconds))
        if result.refused:
            print(_("{count} changes were refused by the hub: the records belong to someone else now.",
                    count=result.refused))
    return 0


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                reporting: argparse.ArgumentParser) -> None:
    hub_parser = sub.add_parser("hub", help=_("the team hub on PostgreSQL: create it, give users a login"))
    actions = hub_parser.add_subparsers(dest="hub_action", required=True)
    url_help = _("the hub's PostgreSQL database, e.g. postgresql://crmdesk@hub.example.com/crmdesk")

    init = actions.add_parser("init", parents=[reporting], help=_("create or upgrade the hub's schema"))
    init.add_argument("--url", required=True, help=url_help)
    init.set_defaults(func=cmd_hub_init)

    add_user = actions.add_parser("add-user", parents=[common, reporting],
                                  help=_("give a user of this book a login on the hub, with their role and scope"))
    add_user.add_argument("username", metavar="USERNAME", help=_("the user's name in the book"))
    add_user.add_argument("--url", required=True, help=url_help)
    add_user.add_argument("--login", help=_("the login on the hub (default: the user name)"))
    add_user.set_defaults(func=cmd_hub_add_user)

    users = actions.add_parser("users", parents=[reporting], help=_("the hub's logins"))
    users.add_argument("--url", required=True, help=url_help)
    users.set_defaults(func=cmd_hub_users)

    sync_parser = sub.add_parser("sync", parents=[common, reporting],
                                 help=_("push this book's changes to the hub and pull the others'"))
    sync_parser.add_argument("--hub", help=_("the hub (default: the one this book synced with last)"))
    sync_parser.set_defaults(func=cmd_sync)
