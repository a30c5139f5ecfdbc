"""Who a CLI command acts as: the signed-in user (name and password, or an administrator's token), or the
desk's local administrator on a book with no sign-in yet. Every command that reads or writes the book
gets its actor here, so the CLI obeys the same permissions and data scope as the window."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from crmdesk.i18n import _


def add_sign_in_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME",
                        help=_("sign in as this user (the password is asked, or read from CRMDESK_PASSWORD)"))
    parser.add_argument("--token", metavar="TOKEN",
                        help=_("sign in with an administrator's token (or set CRMDESK_TOKEN)"))


def cli_actor(db: Any, args: argparse.Namespace | None = None) -> Any:
    """The actor for this command, or exit 2 with the reason (wrong password, locked account, ...).

    Without sign-in (no user of the book has a password yet) the command acts as the user named by
    --user / --as, or the local administrator. With sign-in: --token or CRMDESK_TOKEN, else --user (or
    --as, or CRMDESK_USER) with the password from CRMDESK_PASSWORD or a prompt on the terminal."""
    from crmdesk.cli import _fail
    from crmdesk.services.auth import sign_in, sign_in_required, sign_in_with_token
    from crmdesk.services.errors import UserError
    from crmdesk.services.pool import actor_by_username
    from crmdesk.services.users import ensure_local_user

    username = (getattr(args, "user", None) or getattr(args, "acting_as", None)
                or os.environ.get("CRMDESK_USER") or "")
    if not sign_in_required(db):
        if not username:
            return ensure_local_user(db)
        actor = actor_by_username(db, username)
        if actor is None:
            _fail(_("No user is called {name}.", name=username))
        return actor
    token = getattr(args, "token", None) or os.environ.get("CRMDESK_TOKEN")
    try:
        if token:
            return sign_in_with_token(db, token)
        if not username:
            _fail(_("This book needs a sign-in: give --user NAME (the password is asked) or an administrator's "
                    "--token."))
        password = os.environ.get("CRMDESK_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                _fail(_("No terminal to ask the password on: set CRMDESK_PASSWORD or use --token."))
            password = getpass.getpass(_("Password for {name}: ", name=username))
        return sign_in(db, username, password)
    except UserError as error:
        return _fail(error.message)
