"""The hub tests' PostgreSQL: one throwaway server per test session, and a fresh database on it per test.

tests/run.sh installs PostgreSQL's server (Debian's `postgresql`) when run as root; where its programs are
still missing the fixtures fail, saying so, rather than skip: a hub that was never tested must not pass.
Every test under tests/hub is marked `hub` (select them with `-m hub`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmdesk.services.pg_cluster import ClusterError, PostgresNotFoundError, TemporaryCluster

HERE = Path(__file__).resolve().parent

_database_numbers = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.hub)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[TemporaryCluster]:
    """A PostgreSQL server of this session's own on 127.0.0.1 (superuser crmdesk_admin, no password)."""
    try:
        cluster = TemporaryCluster()
        cluster.start()
    except PostgresNotFoundError as error:
        pytest.fail(f"{error.message}\n(tests/run.sh installs it when run as root.)", pytrace=False)
    except ClusterError as error:
        pytest.fail(error.message, pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def hub_url(pg_cluster: TemporaryCluster) -> str:
    """The SQLAlchemy URL of a new, empty database for this test alone:
    postgresql+psycopg://crmdesk_admin@127.0.0.1:PORT/hub_test_N."""
    return pg_cluster.create_database(f"hub_test_{next(_database_numbers)}")
