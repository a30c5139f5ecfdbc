"""Shared fixtures: a real, migrated SQLite file per test, the services on it, and the acting user."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from crmdesk import i18n
from crmdesk.models import User
from crmdesk.models.database import Database, open_database
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.services.users import ensure_local_user


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Tests read messages in the source language unless they switch; the app default stays zh_CN."""
    i18n.set_language("en")
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "crmdesk.sqlite3")
    yield database
    if "PySide6.QtCore" in sys.modules:  # a list still loading in the background reads this file
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(10_000)
    database.close()


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


@pytest.fixture
def actor(db: Database) -> Actor:
    return ensure_local_user(db)


@pytest.fixture
def new_user(services: Services, actor: Actor) -> Callable[..., Actor]:
    """Makes a user (username, display name, role[, team_id=...]) and returns the Actor acting as them,
    with the role's default permissions and data scope."""
    def make(username: str, name: str, role: str, team_id: str | None = None) -> Actor:
        with unit_of_work(services.db, actor) as session:
            user = User(username=username, display_name=name, role=role, team_id=team_id)
            session.add(user)
            session.flush()
            return Actor(user_id=user.id, display_name=name, role=role, team_id=team_id)

    return make


@pytest.fixture
def consultant(new_user: Callable[..., Actor]) -> str:
    """A second user, a showroom consultant (王磊): an owner other than the acting user."""
    return new_user("wanglei", "王磊", "consultant").user_id


@pytest.fixture
def keychain(tmp_path: Path) -> Iterator[Any]:
    """A real keyring backend (keyrings.alt's file backend) under tmp_path, never the user's own keychain."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keychain" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
