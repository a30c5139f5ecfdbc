"""Hub credentials: the address in the book, the password only in the keychain (never in the book file), a
password typed inside the URL split off, CRMDESK_HUB_PASSWORD overriding, the auto-sync minutes."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from crmdesk.models.database import Database
from crmdesk.services import hub_credentials, sync
from crmdesk.services.hub import HubError


def _file_bytes(db: Database, path: Path) -> bytes:
    """The book file and its write-ahead log as they are on disk."""
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    found = b""
    for part in (path, path.with_name(path.name + "-wal")):
        if part.exists():
            found += part.read_bytes()
    return found


def test_a_password_in_the_url_goes_to_the_keychain_not_to_the_book(db: Database, keychain: object,
                                                                     tmp_path: Path) -> None:
    stored = hub_credentials.set_hub_url(db, "postgresql://wanglei:Zq7-secret-pw@hub.example.com:5433/crmdesk")
    assert stored == "postgresql://wanglei@hub.example.com:5433/crmdesk"
    assert hub_credentials.hub_url(db) == stored
    assert keyring.get_password(sync.KEYRING_SERVICE, stored) == "Zq7-secret-pw"
    assert hub_credentials.load_password(stored) == "Zq7-secret-pw"
    data = _file_bytes(db, tmp_path / "crmdesk.sqlite3")
    assert b"hub.example.com" in data  # the address is in the book ...
    assert b"Zq7-secret-pw" not in data  # ... the password is not


def test_save_load_and_forget_a_password(keychain: object) -> None:
    url = "postgresql://lina@hub.example.com/crmdesk"
    assert hub_credentials.load_password(url) is None
    hub_credentials.save_password(url, "pw-1")
    assert hub_credentials.load_password(url) == "pw-1"
    assert hub_credentials.load_password("postgresql://lina:ignored@hub.example.com/crmdesk") == "pw-1"
    assert hub_credentials.load_password("postgresql://wanglei@hub.example.com/crmdesk") is None
    assert hub_credentials.forget_password(url)
    assert hub_credentials.load_password(url) is None
    assert not hub_credentials.forget_password(url)


def test_the_environment_overrides_the_keychain(keychain: object, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://lina@hub.example.com/crmdesk"
    hub_credentials.save_password(url, "from-keychain")
    monkeypatch.setenv(hub_credentials.PASSWORD_ENV, "from-env")
    assert hub_credentials.load_password(url) == "from-env"
    monkeypatch.delenv(hub_credentials.PASSWORD_ENV)
    assert hub_credentials.load_password(url) == "from-keychain"


def test_split_and_join_the_parts_of_a_url() -> None:
    assert hub_credentials.split_password("postgresql://u:p%40ss@h:5432/db?sslmode=require") == (
        "postgresql://u@h:5432/db?sslmode=require", "p@ss")
    assert hub_credentials.split_password("postgresql+psycopg://u@h/db") == ("postgresql://u@h/db", None)
    assert hub_credentials.with_login("postgresql://h/db", "wanglei") == "postgresql://wanglei@h/db"
    assert hub_credentials.with_login("postgresql://old:pw@h/db", "new") == "postgresql://new@h/db"
    assert hub_credentials.with_login("postgresql://old@h/db", "") == "postgresql://old@h/db"
    assert hub_credentials.split_login("postgresql://wanglei:pw@h:5433/db") == ("postgresql://h:5433/db", "wanglei")
    with pytest.raises(HubError):
        hub_credentials.split_password("mysql://h/db")


def test_the_login_survives_the_address_a_sync_keeps(db: Database, keychain: object) -> None:
    hub_credentials.set_hub_url(db, "postgresql://boss@127.0.0.1:5432/crmdesk")
    with sync._writing(db) as raw:  # what sync.sync writes after a sync: host/database, no login
        sync._set_state(raw, sync.HUB_URL_KEY, "127.0.0.1:5432/crmdesk")
    assert hub_credentials.hub_url(db) == "postgresql://boss@127.0.0.1:5432/crmdesk"
    assert sync.sync_status(db).hub_url == "127.0.0.1:5432/crmdesk"
    assert hub_credentials.set_hub_url(db, None) is None
    assert hub_credentials.hub_url(db) is None


def test_auto_sync_minutes_default_to_ten_and_are_kept_per_book(db: Database) -> None:
    assert hub_credentials.auto_sync_minutes(db) == hub_credentials.DEFAULT_AUTO_SYNC_MINUTES == 10
    assert hub_credentials.set_auto_sync_minutes(db, 0) == 0
    assert hub_credentials.auto_sync_minutes(db) == 0
    assert hub_credentials.set_auto_sync_minutes(db, 100_000) == hub_credentials.MAX_AUTO_SYNC_MINUTES
