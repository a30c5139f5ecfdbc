"""Where this desk finds its team hub: the address (in the book's device_info) and the password (only in the
OS keychain, never in the settings file or the database).

The keychain entry is under service sync.KEYRING_SERVICE, user name the hub URL without its password, so
two books syncing with the same hub as the same login share it. CRMDESK_HUB_PASSWORD, when set, overrides
the keychain (automation, CI). A URL typed with a password in it (postgresql://wanglei:secret@hub/crmdesk)
is split: the password goes to the keychain and the URL is kept without it.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from crmdesk.i18n import _
from crmdesk.models.database import Database
from crmdesk.services import hub, sync
from crmdesk.services.hub import HubError

log = logging.getLogger(__name__)

PASSWORD_ENV = "CRMDESK_HUB_PASSWORD"
LOGIN_KEY = "sync_hub_login"  # the login of the hub URL: sync.sync keeps HUB_URL_KEY without it
AUTO_SYNC_KEY = "sync_auto_minutes"
DEFAULT_AUTO_SYNC_MINUTES = 10
MAX_AUTO_SYNC_MINUTES = 24 * 60


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without a password, the password it held or None): postgresql://u:p@h/db -> (postgresql://u@h/db, p)."""
    return hub.without_password(url), hub.password_in(url)


def with_login(url: str, login: str) -> str:
    """The URL (without a password) naming `login` as its user; an empty login leaves the URL's own user."""
    text, _password = split_password(url)
    login = login.strip()
    if not login:
        return text
    parts = urlsplit(text)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{quote(login, safe='')}@{host}", parts.path, parts.query, parts.fragment))


def split_login(url: str) -> tuple[str, str]:
    """(the URL without its user and password, the login it names or ""): what the hub settings show apart."""
    text, _password = split_password(url)
    parts = urlsplit(text)
    login = unquote(parts.username or "")
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)), login


def _keychain_user(url: str) -> str:
    return split_password(url)[0]


def set_hub_url(db: Database, url: str | None) -> str | None:
    """Keep the book's hub address (None: this book syncs with no hub). A password in the URL goes to the
    keychain; the URL kept (and returned) has none."""
    if url is None or not url.strip():
        sync.write_device_states(db, {sync.HUB_URL_KEY: None, LOGIN_KEY: None})
        return None
    stored, password = split_password(url)
    if not urlsplit(stored).hostname:
        raise HubError(_("A hub address starts with postgresql://, e.g. postgresql://wanglei@hub.example.com/crmdesk."))
    if password is not None:
        save_password(stored, password)
    login = unquote(urlsplit(stored).username or "")
    sync.write_device_states(db, {sync.HUB_URL_KEY: stored, LOGIN_KEY: login or None})
    return stored


def hub_url(db: Database) -> str | None:
    """The book's hub URL without a password, or None when none is set. (sync.sync keeps the address as
    host/database after a sync; the login kept beside it makes it a URL again.)"""
    stored = sync.read_device_state(db, sync.HUB_URL_KEY)
    if not stored:
        return None
    if stored.startswith(("postgresql://", "postgres://", "postgresql+")):
        return split_password(stored)[0]
    login = sync.read_device_state(db, LOGIN_KEY) or ""
    return with_login("postgresql://" + stored, login)


def auto_sync_minutes(db: Database) -> int:
    """Minutes between automatic syncs of this book (0: off)."""
    stored = sync.read_device_state(db, AUTO_SYNC_KEY)
    try:
        minutes = int(stored) if stored is not None else DEFAULT_AUTO_SYNC_MINUTES
    except ValueError:
        return DEFAULT_AUTO_SYNC_MINUTES
    return max(0, min(MAX_AUTO_SYNC_MINUTES, minutes))


def set_auto_sync_minutes(db: Database, minutes: int) -> int:
    minutes = max(0, min(MAX_AUTO_SYNC_MINUTES, int(minutes)))
    sync.write_device_states(db, {AUTO_SYNC_KEY: str(minutes)})
    return minutes


def save_password(url: str, password: str) -> None:
    """Keep the hub password in the OS keychain (HubError when there is none that keeps it)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(sync.KEYRING_SERVICE, _keychain_user(url), password)
    except KeyringError as error:
        raise HubError(_("The keychain did not keep the hub password ({detail}).", detail=error)) from error


def load_password(url: str) -> str | None:
    """The hub password: CRMDESK_HUB_PASSWORD when set, else the keychain's (None when neither has one)."""
    import keyring
    from keyring.errors import KeyringError

    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    try:
        found: str | None = keyring.get_password(sync.KEYRING_SERVICE, _keychain_user(url))
    except KeyringError as error:
        log.warning("the keychain cannot be read: %s", error)
        return None
    return found


def forget_password(url: str) -> bool:
    """Remove the hub password from the keychain. True when one was removed."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(sync.KEYRING_SERVICE, _keychain_user(url))
    except PasswordDeleteError:
        return False
    except KeyringError as error:
        log.warning("the keychain cannot be changed: %s", error)
        return False
    return True
