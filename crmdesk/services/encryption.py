"""Encryption of the book with SQLCipher: its key (kept in the OS keychain, or derived from a passphrase), turning
encryption on and off in place (the book and every copy of it beside it), and unlocking an encrypted file.

Keys are kept as the value `PRAGMA key` takes (crmdesk.models.database.key_pragma): a keychain key is 256 random
bits, `x'<64 hex>'`; a passphrase's is SQLCipher 4's own PBKDF2-HMAC-SHA512 of it with the file's salt, computed
once here, `x'<64 hex key><32 hex salt>'`, so a connection never pays for the derivation again and any SQLCipher 4
tool still opens the file with the passphrase itself. The key a book is opened with travels as `Database.key`.

Turning encryption on converts the closed file: a manual backup first, then `sqlcipher_export` into a new file
beside it, the copy checked (integrity_check, the same schema, the same rows in every table, the same
user_version) and only then renamed over the original. Nothing plain is left behind that can be converted: every
backup (crmdesk.services.backups keeps rotating them by name) and every kept `-replaced-` / `-salvaged-` copy is
encrypted with the same key; one that cannot be read (a damaged copy) is left as it is and listed, so the window
can say that unencrypted copies remain. Turning it off is the same the other way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from crmdesk.i18n import _
from crmdesk.models.database import (
    Database,
    DatabaseDamagedError,
    DatabaseKeyError,
    check_readable,
    database_errors,
    file_is_encrypted,
    key_pragma,
    open_database,
)
from crmdesk.services import backups
from crmdesk.services.errors import UserError, ValidationError

KEYCHAIN_SERVICE = "crmdesk-database"
KDF_ITERATIONS = 256_000  # SQLCipher 4's default for a passphrase (PBKDF2-HMAC-SHA512, a 32-byte key)
SALT_BYTES = 16  # SQLCipher's salt: the file's first 16 bytes
MIN_PASSPHRASE_LENGTH = 8
PASSPHRASE_ENVIRONMENT = "CRMDESK_DB_PASSPHRASE"

log = logging.getLogger(__name__)


class EncryptionError(UserError):
    """The book cannot be encrypted or decrypted now: the message says why; the book is as it was."""


class WrongKeyError(UserError):
    """The passphrase (or the keychain's key) does not open the encrypted book."""


def is_encrypted(path: Path | str) -> bool:
    """Whether the file is an SQLCipher database: whole pages that do not start with SQLite's header."""
    return file_is_encrypted(Path(path))


# ---- the keychain -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeychainInfo:
    available: bool  # a keychain can keep the key
    name: str  # the keyring backend, for the dialog and the logs
    secure: bool  # False when it keeps secrets in a plain file (keyrings.alt's PlaintextKeyring)


def _backend() -> Any:
    import keyring

    return keyring.get_keyring()


def keychain_info() -> KeychainInfo:
    """Which keychain the key would go to. keyring's fail/null backends keep nothing; keyrings.alt's
    PlaintextKeyring (chosen on a Linux desktop without Secret Service) keeps it, but in a plain file."""
    from keyring.backends import chainer, fail, null

    backend = _backend()
    chosen = backend
    if isinstance(backend, chainer.ChainerBackend):
        chain = list(backend.backends)
        chosen = chain[0] if chain else fail.Keyring()
    name = f"{type(chosen).__module__}.{type(chosen).__name__}"
    if isinstance(chosen, fail.Keyring | null.Keyring):
        return KeychainInfo(False, name, False)
    try:
        from keyrings.alt.file import PlaintextKeyring
    except ImportError:  # keyrings.alt is optional: without it there is no plain-file keyring either
        return KeychainInfo(True, name, True)
    return KeychainInfo(True, name, not isinstance(chosen, PlaintextKeyring))


def _keychain_user(path: Path | str) -> str:
    return str(Path(path).resolve())


def key_for(path: Path | str) -> str | None:
    """The key the keychain keeps for this file (by its full path), or None (none kept, or no keychain)."""
    from keyring.errors import KeyringError

    try:
        key: str | None = _backend().get_password(KEYCHAIN_SERVICE, _keychain_user(path))
    except KeyringError as error:
        log.warning("the keychain cannot be read: %s", error)
        return None
    return key


def store_key(path: Path | str, key: str) -> None:
    """Keep the key in the keychain, and read it back: a book must never be encrypted with a key that is lost."""
    from keyring.errors import KeyringError

    info = keychain_info()
    if not info.available:
        raise EncryptionError(_("No keychain is available on this computer to keep the key. Choose a passphrase "
                                "instead."))
    try:
        _backend().set_password(KEYCHAIN_SERVICE, _keychain_user(path), key)
    except KeyringError as error:
        raise EncryptionError(_("The keychain did not keep the key ({detail}). Choose a passphrase instead.",
                                detail=error)) from error
    if key_for(path) != key:
        raise EncryptionError(_("The keychain did not keep the key. Choose a passphrase instead."))


def forget_key(path: Path | str) -> bool:
    """Remove the file's key from the keychain. True when one was removed."""
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        _backend().delete_password(KEYCHAIN_SERVICE, _keychain_user(path))
    except PasswordDeleteError:
        return False
    except KeyringError as error:
        log.warning("the keychain cannot remove the key of %s: %s", path, error)
        return False
    return True


# ---- keys -------------------------------------------------------------------------------------------------------

def new_raw_key() -> str:
    """256 random bits, as SQLCipher takes a raw key (no derivation at each connection)."""
    return f"x'{secrets.token_hex(32)}'"


def passphrase_key(passphrase: str, salt: bytes) -> str:
    """The key SQLCipher 4 derives from the passphrase with this salt, with the salt, as a raw key."""
    derived = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32)
    return f"x'{derived.hex()}{salt.hex()}'"


def key_from_passphrase(path: Path | str, passphrase: str) -> str:
    """The key of an encrypted file from its passphrase (the salt is the file's first 16 bytes)."""
    path = Path(path)
    with path.open("rb") as handle:
        salt = handle.read(SALT_BYTES)
    if len(salt) < SALT_BYTES:
        raise DatabaseDamagedError(path, "the file is truncated")
    return passphrase_key(passphrase, salt)


def check_passphrase(passphrase: str, repeated: str | None = None) -> None:
    """A new passphrase: long enough, typed the same twice (when `repeated` is given)."""
    errors: dict[str, str] = {}
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        errors["passphrase"] = _("The passphrase needs at least {count} characters.", count=MIN_PASSPHRASE_LENGTH)
    elif "\x00" in passphrase:
        errors["passphrase"] = _("The passphrase cannot contain a NUL character.")
    elif repeated is not None and repeated != passphrase:
        errors["repeated"] = _("The two passphrases are not the same.")
    if errors:
        raise ValidationError(errors)


def key_opens(path: Path | str, key: str) -> bool:
    """Whether the key opens the encrypted file. A file damaged past its first page counts as opened: SQLCipher
    refuses a wrong key on page 1 itself (its HMAC), so damage found later means the key decrypted it, and
    the caller's own reading (open_database, a salvage) then finds the damage with the key it needs."""
    try:
        check_readable(Path(path), key)
    except DatabaseKeyError:
        return False
    except DatabaseDamagedError:
        return True
    return True


def unlock_with_passphrase(path: Path | str, passphrase: str) -> str:
    """The key of the encrypted file from its passphrase, checked against the file (WrongKeyError if not)."""
    if "\x00" in passphrase:
        raise WrongKeyError(_("The passphrase is wrong."))
    key = key_from_passphrase(path, passphrase)
    if not key_opens(path, key):
        raise WrongKeyError(_("The passphrase is wrong."))
    return key


# ---- converting ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConversionResult:
    path: Path
    encrypted: bool  # the book is now encrypted (False after decrypt_database)
    in_keychain: bool  # its key is kept in the keychain (False: a passphrase)
    backup: Path  # the manual backup taken before the conversion (converted with the rest)
    converted: tuple[Path, ...]  # the copies beside the book converted too (backups, replaced, salvaged)
    left: tuple[Path, ...]  # copies that could not be converted (damaged, or another key): still as they were
    tables: int  # tables checked in the converted file
    rows: int  # rows checked in the converted file
    key: str | None = field(default=None, repr=False)  # the key the book now opens with (None: plain)


def _cipher_connect(path: Path, key: str | None, **kwargs: Any) -> Any:
    # SQLCipher's driver even for a plain file: only it has sqlcipher_export. In one process, never beside a
    # sqlite3-module connection to the same file: two SQLite libraries do not see each other's locks.
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(str(path), **kwargs)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            connection.execute(key_pragma(key))
    except BaseException:
        connection.close()
        raise
    return connection


def _tables(connection: Any, schema: str) -> list[str]:
    return [row[0] for row in connection.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
        "ORDER BY name")]


def _counts(connection: Any, schema: str) -> dict[str, int]:
    quote = backups._quote
    return {name: int(connection.execute(f"SELECT count(*) FROM {schema}.{quote(name)}").fetchone()[0])
            for name in _tables(connection, schema)}


def _schema(connection: Any, schema: str) -> set[tuple[str, str, str, str | None]]:
    return {tuple(row) for row in connection.execute(
        f"SELECT type, name, tbl_name, sql FROM {schema}.sqlite_master")}


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _convert(source: Path, target: Path, source_key: str | None, target_key: str | None) -> tuple[int, int]:
    """Export `source` into the new file `target` (encrypted with `target_key`, plain for None) and check it.

    The source is locked for writing while it is read (another writer: EncryptionError), so the copy is one
    consistent state of it; it is only read. Returns (tables, rows) checked."""
    _remove_with_journals(target)
    try:
        connection = _cipher_connect(source, source_key, timeout=0.5, isolation_level=None)
        try:
            connection.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), target_key or ""))
            try:
                connection.execute("BEGIN IMMEDIATE")
            except database_errors() as error:
                if "locked" in str(error) or "busy" in str(error):
                    raise EncryptionError(_("Another program is writing the database {path}; close it and try "
                                            "again.", path=source)) from error
                raise
            counts = _counts(connection, "main")
            schema = _schema(connection, "main")
            user_version = int(connection.execute("PRAGMA main.user_version").fetchone()[0])
            connection.execute("SELECT sqlcipher_export('converted')")
            connection.execute(f"PRAGMA converted.user_version = {user_version}")
            connection.execute("COMMIT")
            connection.execute("DETACH DATABASE converted")
        finally:
            connection.close()
        _check_copy(target, target_key, counts, schema, user_version)
    except database_errors() as error:
        _remove_with_journals(target)
        raise EncryptionError(_("The database {path} cannot be converted: {detail}", path=source,
                                detail=error)) from error
    except BaseException:
        _remove_with_journals(target)
        raise
    return len(counts), sum(counts.values())


def _check_copy(target: Path, key: str | None, counts: dict[str, int],
                schema: set[tuple[str, str, str, str | None]], user_version: int) -> None:
    connection = _cipher_connect(target, key)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
        found_counts = _counts(connection, "main")
        found_schema = _schema(connection, "main")
        found_version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()
    differences = []
    if problems != ["ok"]:
        differences.append("; ".join(str(problem) for problem in problems))
    if found_schema != schema:
        differences.append("schema: " + ", ".join(sorted(str(row[1]) for row in found_schema ^ schema)))
    if found_counts != counts:
        differences.append("rows: " + ", ".join(sorted(name for name in set(counts) | set(found_counts)
                                                       if counts.get(name) != found_counts.get(name))))
    if found_version != user_version:
        differences.append(f"user_version {found_version} != {user_version}")
    if differences:
        raise EncryptionError(_("The converted copy does not match the database ({detail}); nothing was changed.",
                                detail="; ".join(differences)))


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    try:  # POSIX: makes the rename itself durable. Windows cannot open a folder; its rename is journaled.
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _put_in_place(path: Path, converted: Path, *, keep_times: bool = False) -> None:
    """Rename the checked copy over the file. Its WAL must be gone: the converting connection was the last one
    (closing it checkpointed and removed it); one still there means another program has the file open."""
    if path.with_name(path.name + "-wal").exists():
        _remove_with_journals(converted)
        raise EncryptionError(_("The database {path} is open in another program (crmdesk, a sync, a command); "
                                "close it and try again.", path=path))
    stat = path.stat()
    try:
        _fsync(converted)
        if keep_times:  # a backup keeps its time: rotation goes by the name, the list by both
            os.utime(converted, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(converted, path)
    except OSError as error:
        _remove_with_journals(converted)
        raise EncryptionError(_("The converted copy cannot be put in place of {path}: {detail}", path=path,
                                detail=error.strerror or error)) from error
    path.with_name(path.name + "-shm").unlink(missing_ok=True)
    _fsync_folder(path.parent)


def _copies(db_path: Path) -> list[Path]:
    """Every full copy of the book beside it: its backups and the replaced and salvaged files kept by restores."""
    found = [info.path for info in backups.list_backups(db_path)]
    for pattern in (f"{db_path.stem}-replaced-*{db_path.suffix}", f"{db_path.stem}-salvaged-*{db_path.suffix}"):
        found.extend(sorted(path for path in db_path.parent.glob(pattern) if path.is_file()))
    return found


def _convert_copies(db_path: Path, source_key: str | None, target_key: str | None) -> tuple[list[Path], list[Path]]:
    """Convert every copy beside the book that is not yet in the target form. Returns (converted, left)."""
    converted: list[Path] = []
    left: list[Path] = []
    for copy in _copies(db_path):
        if is_encrypted(copy) == (target_key is not None):
            continue
        temporary = copy.with_name(copy.name + ".converting")
        try:
            _convert(copy, temporary, source_key if is_encrypted(copy) else None, target_key)
            _put_in_place(copy, temporary, keep_times=True)
        except UserError as error:
            log.warning("the copy %s was not converted: %s", copy, error)
            left.append(copy)
            continue
        converted.append(copy)
    return converted, left


def _readable_or_explain(path: Path, key: str | None) -> None:
    try:
        check_readable(path, key)
    except DatabaseKeyError as error:
        raise WrongKeyError(_("The key or passphrase does not open the database {path}.", path=path)) from error
    except DatabaseDamagedError as error:
        raise EncryptionError(_("The database {path} is damaged ({detail}); restore a backup before converting it.",
                                path=path, detail=error.detail)) from error


def encrypt_database(path: Path | str, *, passphrase: str | None = None,
                     now: datetime | None = None) -> ConversionResult:
    """Encrypt the closed book in place: with a new random key kept in the keychain, or with `passphrase`.

    Refused (EncryptionError, nothing changed) when the book is already encrypted, in use, damaged, or when no
    keychain can keep the key and no passphrase is given. Its backups and kept copies are encrypted too."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise EncryptionError(_("The database {path} does not exist.", path=path))
    if is_encrypted(path):
        raise EncryptionError(_("The database {path} is already encrypted.", path=path))
    _readable_or_explain(path, None)
    if passphrase is None:
        if not keychain_info().available:
            raise EncryptionError(_("No keychain is available on this computer to keep the key. Choose a "
                                    "passphrase instead."))
        key = new_raw_key()
    else:
        check_passphrase(passphrase)
        key = passphrase_key(passphrase, secrets.token_bytes(SALT_BYTES))
    safety = backups.backup_now(path, backups.MANUAL, now=now)
    temporary = path.with_name(path.name + ".encrypting")
    tables, rows = _convert(path, temporary, None, key)
    try:
        if passphrase is None:
            store_key(path, key)
        _put_in_place(path, temporary)
    except BaseException:
        _remove_with_journals(temporary)
        if passphrase is None and not is_encrypted(path):
            forget_key(path)
        raise
    converted, left = _convert_copies(path, None, key)
    log.info("encrypted %s (%d tables, %d rows; %d copies encrypted, %d left plain)", path, tables, rows,
             len(converted), len(left))
    return ConversionResult(path=path, encrypted=True, in_keychain=passphrase is None, backup=safety.path,
                            converted=tuple(converted), left=tuple(left), tables=tables, rows=rows, key=key)


def decrypt_database(path: Path | str, key: str, *, now: datetime | None = None) -> ConversionResult:
    """Turn the closed book back into a plain SQLite file, with its backups and kept copies (those that open
    with the key). The keychain forgets the key once nothing encrypted with it is left."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise EncryptionError(_("The database {path} does not exist.", path=path))
    if not is_encrypted(path):
        raise EncryptionError(_("The database {path} is not encrypted.", path=path))
    _readable_or_explain(path, key)
    safety = backups.backup_now(path, backups.MANUAL, now=now, key=key)
    temporary = path.with_name(path.name + ".decrypting")
    tables, rows = _convert(path, temporary, key, None)
    _put_in_place(path, temporary)
    converted, left = _convert_copies(path, key, None)
    if not left:
        forget_key(path)
    log.info("decrypted %s (%d tables, %d rows; %d copies decrypted, %d left encrypted)", path, tables, rows,
             len(converted), len(left))
    return ConversionResult(path=path, encrypted=False, in_keychain=False, backup=safety.path,
                            converted=tuple(converted), left=tuple(left), tables=tables, rows=rows, key=None)


def passphrase_from_environment() -> str | None:
    """The passphrase automation gives in CRMDESK_DB_PASSPHRASE (empty: none)."""
    return os.environ.get(PASSPHRASE_ENVIRONMENT) or None


def find_key(path: Path | str, *, keychain_path: Path | str | None = None) -> str | None:
    """The key an encrypted file opens with, without asking anyone: the keychain's (kept for `keychain_path`,
    the book, when `path` is one of its backups), else the passphrase in CRMDESK_DB_PASSPHRASE (WrongKeyError
    when it is wrong). None when neither is there."""
    path = Path(path)
    key = key_for(keychain_path or path)
    if key is not None and key_opens(path, key):
        return key
    if key is not None:
        log.warning("the keychain's key does not open %s", path)
    passphrase = passphrase_from_environment()
    if passphrase is not None:
        return unlock_with_passphrase(path, passphrase)
    return None


# ---- converting the book the window has open ------------------------------------------------------------------------

def close_for_conversion(db: Database) -> None:
    """Close the open book's connections, and until reopen_converted make every new one fail with a UserError
    (a timer's read meanwhile is refused instead of opening the file being replaced). `db` stays the object
    every service holds; only what it connects through changes."""
    def refuse() -> Any:
        raise EncryptionError(_("The book is being converted; try again in a moment."))

    closed = create_engine("sqlite://", creator=refuse)
    db.engine.dispose()
    db.engine = closed
    db.session_factory = sessionmaker(closed, expire_on_commit=False)


def reopen_converted(db: Database, key: str | None) -> None:
    """Open the book again (converted or, after a failure, as it was) with `key`, in the same Database object."""
    opened = open_database(db.path, key=key)
    closed = db.engine
    db.engine, db.session_factory, db.key = opened.engine, opened.session_factory, opened.key
    closed.dispose()
