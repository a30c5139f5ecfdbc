"""`crmdesk encrypt [--passphrase-prompt]` and `crmdesk decrypt`: the book's encryption from the command line, and
the key every command opens an encrypted book with (the keychain's, CRMDESK_DB_PASSPHRASE, or a typed passphrase).

Added to the parser by crmdesk.cli.build_parser.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crmdesk.i18n import _

if TYPE_CHECKING:
    from crmdesk.services.encryption import ConversionResult

PASSPHRASE_ATTEMPTS = 3


def database_key(path: Path, *, keychain_path: Path | None = None, required: bool = True) -> str | None:
    """The key to open `path` with: None for a plain file; else the keychain's, else CRMDESK_DB_PASSPHRASE,
    else a passphrase typed at the terminal (three tries). With none of them, exit 2 saying how to give one.

    `required=False` (restore, salvage: made for files that may not be databases at all): only the keychain and
    the environment are asked, and without a key the file is read as it is (its own check then says what it is)."""
    from crmdesk.cli import _fail
    from crmdesk.services import encryption

    if not encryption.is_encrypted(path):
        return None
    key = encryption.find_key(path, keychain_path=keychain_path)
    if key is not None or not required:
        return key
    if not sys.stdin.isatty():
        return _fail(_("The database {path} is encrypted and its key is not in this computer's keychain. Give "
                       "its passphrase in the environment variable {variable}, or run the command in a terminal "
                       "to type it.", path=path, variable=encryption.PASSPHRASE_ENVIRONMENT))
    for _attempt in range(PASSPHRASE_ATTEMPTS):
        passphrase = getpass.getpass(_("Passphrase of {name}: ", name=path.name))
        try:
            return encryption.unlock_with_passphrase(path, passphrase)
        except encryption.WrongKeyError as error:
            print(f"crmdesk: {error.message}", file=sys.stderr)
    return _fail(_("The database {path} was not opened: the passphrase was wrong {count} times.", path=path,
                   count=PASSPHRASE_ATTEMPTS))


def _new_passphrase(path: Path) -> str:
    """A new passphrase: typed twice at the terminal, or CRMDESK_DB_PASSPHRASE when there is no terminal."""
    from crmdesk.cli import _fail
    from crmdesk.services import encryption
    from crmdesk.services.errors import ValidationError

    if not sys.stdin.isatty():
        given = encryption.passphrase_from_environment()
        if given is None:
            return _fail(_("No terminal to type the passphrase in: give it in the environment variable {variable}.",
                           variable=encryption.PASSPHRASE_ENVIRONMENT))
        encryption.check_passphrase(given)
        return given
    for _attempt in range(PASSPHRASE_ATTEMPTS):
        passphrase = getpass.getpass(_("New passphrase for {name}: ", name=path.name))
        repeated = getpass.getpass(_("The same passphrase again: "))
        try:
            encryption.check_passphrase(passphrase, repeated)
        except ValidationError as error:
            print("crmdesk: " + " ".join(error.errors.values()), file=sys.stderr)
            continue
        return passphrase
    return _fail(_("No passphrase was chosen; the database is unchanged."))


def _report(result: ConversionResult, as_json: bool) -> None:
    from crmdesk.cli import _print_json
    from crmdesk.services import encryption

    keychain = encryption.keychain_info()
    if as_json:
        _print_json({"path": str(result.path), "encrypted": result.encrypted, "key_in_keychain": result.in_keychain,
                     "keychain": keychain.name if result.in_keychain else None,
                     "keychain_secure": keychain.secure if result.in_keychain else None,
                     "backup": str(result.backup), "converted": [str(path) for path in result.converted],
                     "left": [str(path) for path in result.left], "tables": result.tables, "rows": result.rows})
        return
    if result.encrypted:
        print(_("Encrypted {path} ({rows:,} rows in {tables} tables checked).", path=result.path, rows=result.rows,
                tables=result.tables))
        if result.in_keychain:
            print(_("The key is kept in the keychain ({name}).", name=keychain.name))
            if not keychain.secure:
                print(_("Warning: this keychain keeps the key in a plain file; anyone who can read your files can "
                        "read it. A passphrase (--passphrase-prompt) is safer here."))
        else:
            print(_("Keep the passphrase safe: without it the book cannot be opened."))
        print(_("{count} backups and kept copies were encrypted too.", count=len(result.converted)))
        for path in result.left:
            print("  " + _("Not encrypted (it cannot be read): {path}", path=path))
    else:
        print(_("Decrypted {path} ({rows:,} rows in {tables} tables checked).", path=result.path, rows=result.rows,
                tables=result.tables))
        print(_("{count} backups and kept copies were decrypted too.", count=len(result.converted)))
        for path in result.left:
            print("  " + _("Still encrypted (it does not open with the key): {path}", path=path))
    print(_("The backup taken before: {path}", path=result.backup))


def cmd_encrypt(args: argparse.Namespace) -> int:
    from crmdesk.cli import _db_path
    from crmdesk.cli_backup import authorise
    from crmdesk.services import encryption

    path = _db_path(args)
    authorise(args, path, None)  # an administrator's, on a book with sign-in (a plain file: no key)
    passphrase = _new_passphrase(path) if args.passphrase_prompt else None
    _report(encryption.encrypt_database(path, passphrase=passphrase), args.json)
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from crmdesk.cli import _db_path, _fail
    from crmdesk.cli_backup import authorise
    from crmdesk.services import encryption

    path = _db_path(args)
    if not encryption.is_encrypted(path):
        return _fail(_("The database {path} is not encrypted.", path=path))
    key = database_key(path)
    assert key is not None
    authorise(args, path, key)
    _report(encryption.decrypt_database(path, key), args.json)
    return 0


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                reporting: argparse.ArgumentParser) -> None:
    encrypt = sub.add_parser("encrypt", parents=[common, reporting],
                             help=_("encrypt the database (and its backups) with a key kept in the keychain, or a "
                                    "passphrase"))
    encrypt.add_argument("--passphrase-prompt", action="store_true",
                         help=_("ask for a passphrase (typed twice; CRMDESK_DB_PASSPHRASE without a terminal) "
                                "instead of keeping a key in the keychain"))
    encrypt.set_defaults(func=cmd_encrypt)

    decrypt = sub.add_parser("decrypt", parents=[common, reporting],
                             help=_("turn an encrypted database (and its backups) back into plain SQLite files"))
    decrypt.set_defaults(func=cmd_decrypt)
