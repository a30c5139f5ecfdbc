"""The hub tests' PostgreSQL server (crmdesk.services.pg_cluster): it starts, serves SQLAlchemy over psycopg,
keeps databases apart, cuts sessions on demand, listens on 127.0.0.1 only, and leaves nothing behind."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from crmdesk.services.pg_cluster import (
    ClusterError,
    PostgresNotFoundError,
    TemporaryCluster,
    find_pg_bin,
)


@contextmanager
def connect(url: str) -> Iterator[Connection]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def refuses(host: str, port: int) -> bool:
    """True when nothing accepts a TCP connection at host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        return probe.connect_ex((host, port)) != 0


def test_sqlalchemy_connects_with_psycopg_as_the_superuser_to_the_test_database(
        pg_cluster: TemporaryCluster, hub_url: str) -> None:
    assert hub_url.startswith(f"postgresql+psycopg://crmdesk_admin@127.0.0.1:{pg_cluster.port}/hub_test_")
    with connect(hub_url) as connection:
        assert connection.dialect.driver == "psycopg"
        version, user, database, superuser = connection.execute(sa.text(
            "SELECT version(), current_user, current_database(), "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")).one()
    assert version.startswith("PostgreSQL ")
    assert user == "crmdesk_admin"
    assert database == hub_url.rsplit("/", 1)[1]
    assert superuser is True


def test_the_server_is_set_up_for_throwaway_speed_in_utf8(pg_cluster: TemporaryCluster, hub_url: str) -> None:
    with connect(hub_url) as connection:
        settings = dict(connection.execute(sa.text(
            "SELECT name, setting FROM pg_settings WHERE name IN "
            "('fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', 'server_encoding')")).all())
        # The ctype is Unicode-aware where the C library has C.UTF-8 (Debian does): lower() folds 'Ä'.
        lowered = connection.execute(sa.text("SELECT lower('ÄÖ 汽车')")).scalar_one()
    assert settings == {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                        "max_connections": str(pg_cluster.max_connections), "server_encoding": "UTF8"}
    assert lowered in ("äö 汽车", "ÄÖ 汽车")


def test_two_databases_are_independent(pg_cluster: TemporaryCluster, hub_url: str) -> None:
    other_url = pg_cluster.create_database("hub_other_of_" + hub_url.rsplit("/", 1)[1])
    with connect(hub_url) as first:
        first.execute(sa.text("CREATE TABLE change_log (id integer PRIMARY KEY, body text)"))
        first.execute(sa.text("INSERT INTO change_log VALUES (1, '跟进')"))
        first.commit()
    with connect(other_url) as second:
        assert second.execute(sa.text("SELECT to_regclass('change_log')")).scalar_one() is None
        second.execute(sa.text("CREATE TABLE change_log (id integer PRIMARY KEY, body text)"))
        second.commit()
        assert second.execute(sa.text("SELECT count(*) FROM change_log")).scalar_one() == 0
    with connect(hub_url) as first:
        assert first.execute(sa.text("SELECT body FROM change_log")).scalars().all() == ["跟进"]


def test_creating_a_database_twice_says_why_it_failed(pg_cluster: TemporaryCluster, hub_url: str) -> None:
    name = hub_url.rsplit("/", 1)[1]
    with pytest.raises(ClusterError, match=f'{name}.*already exists'):
        pg_cluster.create_database(name)


def test_terminate_connections_cuts_an_open_connection_of_that_database_only(
        pg_cluster: TemporaryCluster, hub_url: str) -> None:
    bystander_url = pg_cluster.create_database("hub_bystander_of_" + hub_url.rsplit("/", 1)[1])
    with connect(hub_url) as victim, connect(bystander_url) as bystander:
        assert victim.execute(sa.text("SELECT 1")).scalar_one() == 1
        assert bystander.execute(sa.text("SELECT 1")).scalar_one() == 1
        victim.rollback()

        assert pg_cluster.terminate_connections(hub_url.rsplit("/", 1)[1]) == 1

        with pytest.raises(OperationalError):
            victim.execute(sa.text("SELECT 1"))
        assert bystander.execute(sa.text("SELECT 2")).scalar_one() == 2
    # The database itself is fine: a new connection works.
    with connect(hub_url) as again:
        assert again.execute(sa.text("SELECT 3")).scalar_one() == 3


def test_the_server_listens_on_127_0_0_1_only(pg_cluster: TemporaryCluster, hub_url: str) -> None:
    with connect(hub_url) as connection:
        assert connection.execute(sa.text("SHOW listen_addresses")).scalar_one() == "127.0.0.1"
        socket_dir = connection.execute(sa.text("SHOW unix_socket_directories")).scalar_one()
    assert Path(socket_dir) == pg_cluster.root / "socket"
    assert not refuses("127.0.0.1", pg_cluster.port)
    # All of 127/8 reaches this machine, so a server bound to any address would answer on 127.0.0.2.
    assert refuses("127.0.0.2", pg_cluster.port)
    # The kernel's own list of listening TCP sockets (state 0A) on the port: 127.0.0.1 alone, no IPv6.
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        lines = Path(table).read_text().splitlines()[1:] if Path(table).exists() else []
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) == pg_cluster.port:
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian hex


def test_as_root_the_server_runs_as_an_unprivileged_user_and_it_owns_its_folder(pg_cluster: TemporaryCluster) -> None:
    owner = pg_cluster.data_dir.stat().st_uid
    postmaster_pid = int((pg_cluster.data_dir / "postmaster.pid").read_text().split()[0])
    status = Path(f"/proc/{postmaster_pid}/status").read_text()
    real_uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
    assert real_uid == owner
    assert stat.S_IMODE(pg_cluster.data_dir.stat().st_mode) == 0o700
    if os.geteuid() == 0:
        assert pg_cluster.run_as in ("postgres", "nobody")
        assert owner != 0
        assert pg_cluster.root.stat().st_uid == owner
    else:
        assert pg_cluster.run_as is None
        assert owner == os.geteuid()


def test_stop_shuts_the_server_down_and_removes_its_folder() -> None:
    cluster = TemporaryCluster(max_connections=20)
    with cluster:
        root, port = cluster.root, cluster.port
        url = cluster.create_database("briefly")
        with connect(url) as connection:
            assert connection.execute(sa.text("SHOW max_connections")).scalar_one() == "20"
    assert not root.exists()
    assert refuses("127.0.0.1", port)
    assert not cluster.running
    cluster.stop()  # twice is harmless
    with pytest.raises(ClusterError):
        cluster.url()


def test_find_pg_bin_finds_an_installation_whose_programs_run() -> None:
    bin_dir = find_pg_bin()
    version = subprocess.run([str(bin_dir / "pg_ctl"), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("pg_ctl (PostgreSQL)")


def make_programs(folder: Path, names: tuple[str, ...] = ("initdb", "pg_ctl", "postgres")) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        program = folder / name
        program.write_text("#!/bin/sh\nexit 1\n")
        program.chmod(0o755)
    return folder


def test_find_pg_bin_takes_the_real_initdb_on_path_and_follows_its_link(tmp_path: Path) -> None:
    installed = make_programs(tmp_path / "opt" / "pgsql" / "bin")
    on_path = tmp_path / "path"
    on_path.mkdir()
    (on_path / "initdb").symlink_to(installed / "initdb")
    make_programs(tmp_path / "versions" / "16" / "bin")
    assert find_pg_bin(path=str(on_path), versions_dir=tmp_path / "versions") == installed


def test_find_pg_bin_ignores_a_lone_initdb_on_path_and_takes_the_highest_debian_version(tmp_path: Path) -> None:
    make_programs(tmp_path / "path", names=("initdb",))  # a wrapper or a stray script, not an installation
    versions = tmp_path / "versions"
    make_programs(versions / "9.6" / "bin")
    make_programs(versions / "15" / "bin")
    make_programs(versions / "13" / "bin")
    make_programs(versions / "17" / "bin", names=("initdb", "pg_ctl"))  # half installed: no server
    assert find_pg_bin(path=str(tmp_path / "path"), versions_dir=versions) == versions / "15" / "bin"


def test_find_pg_bin_says_how_to_install_postgresql_when_there_is_none(tmp_path: Path) -> None:
    with pytest.raises(PostgresNotFoundError, match="apt-get install postgresql"):
        find_pg_bin(path=str(tmp_path), versions_dir=tmp_path / "nothing")
