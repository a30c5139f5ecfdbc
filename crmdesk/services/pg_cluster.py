"""Throwaway PostgreSQL clusters: found, made, started and removed, for the hub's tests and a developer's hub.

A `TemporaryCluster` is a private PostgreSQL server in a temp folder: `initdb` with trust authentication and a
superuser of its own, a free port on 127.0.0.1 only, its Unix socket inside the folder, and durability turned
off (fsync, synchronous_commit, full_page_writes) since nothing in it is meant to outlive it. Stopping it
removes the folder. It needs PostgreSQL's server programs (Debian: `apt-get install postgresql`), which Debian
keeps in /usr/lib/postgresql/<major>/bin rather than on PATH.

initdb refuses to run as root, so as root the programs run as an unprivileged user (`postgres` where the
package made it, else `nobody`) through runuser or setpriv, and the folder belongs to that user.

    with TemporaryCluster() as cluster:
        url = cluster.create_database("hub")   # postgresql+psycopg://crmdesk_admin@127.0.0.1:PORT/hub
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import weakref
from pathlib import Path
from types import TracebackType

from crmdesk.i18n import _
from crmdesk.services.errors import UserError

DEBIAN_VERSIONS_DIR = Path("/usr/lib/postgresql")
DEFAULT_SUPERUSER = "crmdesk_admin"
HOST = "127.0.0.1"
# The programs a cluster needs from one installation; they must sit side by side (one major version).
_SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
# Users that may own the cluster when we run as root, in order of preference.
_UNPRIVILEGED_USERS = ("postgres", "nobody")
_START_ATTEMPTS = 3  # a free port can be taken by someone else between picking it and binding it
_LOG_TAIL_CHARS = 2000


class PostgresNotFoundError(UserError):
    """PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed."""


class ClusterError(UserError):
    """A throwaway cluster could not be made, started or used: the message carries the server's own words."""


def find_pg_bin(path: str | None = None, versions_dir: Path = DEBIAN_VERSIONS_DIR) -> Path:
    """The folder holding initdb, pg_ctl and postgres of one PostgreSQL installation.

    PATH's initdb (`path` replaces $PATH when given) wins if it is a real one, i.e. the programs sit beside
    the file it resolves to (Debian's pg_wrapper links and stray scripts do not count); else the highest
    major version under `versions_dir` (Debian's /usr/lib/postgresql/<major>/bin). Raises
    PostgresNotFoundError, saying how to install them, when there is none.
    """
    on_path = shutil.which("initdb", path=path)
    if on_path is not None:
        folder = Path(on_path).resolve().parent
        if _has_server_programs(folder):
            return folder
    candidates: list[tuple[int, Path]] = []
    if versions_dir.is_dir():
        for entry in versions_dir.iterdir():
            major = re.fullmatch(r"(\d+)(?:\.(\d+))?", entry.name)
            if major and _has_server_programs(entry / "bin"):
                candidates.append((int(major.group(1)) * 1000 + int(major.group(2) or 0), entry / "bin"))
    if candidates:
        return max(candidates)[1]
    raise PostgresNotFoundError(_(
        "PostgreSQL's server programs (initdb, pg_ctl) were not found on PATH or in {folder}. "
        "Install them (Debian: apt-get install postgresql) and try again.", folder=versions_dir))


def _has_server_programs(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) and (folder / name).is_file() for name in _SERVER_PROGRAMS)


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on at `host` right now (the kernel's pick; another process may take it later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _locale() -> str:
    """C.UTF-8 where the C library has it (Unicode-aware lower()/upper(), bytewise sorting), else plain C."""
    for name in ("C.utf8", "C.UTF-8"):
        if (Path("/usr/lib/locale") / name).is_dir():
            return "C.UTF-8"
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "C"
    return "C.UTF-8" if any(line.lower() in ("c.utf8", "c.utf-8") for line in listed.split()) else "C"


def _quote_setting(value: str) -> str:
    """A postgresql.conf string value: single quotes, with embedded quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def _run_as_prefix(user: str) -> list[str]:
    """The command prefix that runs a program as `user` from root (runuser keeps our environment)."""
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--"]
    if shutil.which("setpriv"):
        entry = pwd.getpwnam(user)
        return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups", "--"]
    raise ClusterError(_("Neither runuser nor setpriv is installed, so PostgreSQL cannot be started as root."))


class TemporaryCluster:
    """A private PostgreSQL server in a temp folder, on a free port of 127.0.0.1, removed when stopped.

    Use it as a context manager, or call start() and stop(). Every client connects as `superuser` without
    a password (trust authentication), over TCP to `host`:`port`.

    bin_dir: the installation to use (default: find_pg_bin()). base_dir: where the temp folder goes
    (default: the system's temp folder, else /tmp; as root it must be reachable by the run user, so not under
    a root-only 0700 folder). max_connections: the server's limit (tests with pools need more than a few).
    start_timeout: seconds to wait for the server to accept connections.
    """

    def __init__(self, *, bin_dir: Path | None = None, superuser: str = DEFAULT_SUPERUSER,
                 base_dir: Path | None = None, max_connections: int = 100, start_timeout: float = 60.0) -> None:
        self.bin_dir = bin_dir if bin_dir is not None else find_pg_bin()
        self.superuser = superuser
        self.host = HOST
        self.max_connections = max_connections
        self.start_timeout = start_timeout
        self._base_dir = base_dir
        self._port: int | None = None
        self._root: Path | None = None
        self._run_as: str | None = None
        self._finalizer: weakref.finalize | None = None

    # --- where it is -----------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise ClusterError(_("The PostgreSQL test server is not running."))
        return self._port

    @property
    def root(self) -> Path:
        """The temp folder: data/ (the cluster), socket/ (its Unix socket) and postgres.log."""
        if self._root is None:
            raise ClusterError(_("The PostgreSQL test server is not running."))
        return self._root

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    @property
    def run_as(self) -> str | None:
        """The unprivileged user the server runs as when we are root; None when it runs as us."""
        return self._run_as

    @property
    def running(self) -> bool:
        return self._port is not None

    def url(self, dbname: str = "postgres") -> str:
        """The SQLAlchemy URL of database `dbname`: postgresql+psycopg://SUPERUSER@127.0.0.1:PORT/DBNAME."""
        from sqlalchemy.engine import URL

        return URL.create("postgresql+psycopg", username=self.superuser, host=self.host, port=self.port,
                          database=dbname).render_as_string(hide_password=False)

    def dsn(self, dbname: str = "postgres") -> str:
        """The libpq connection string of database `dbname` (for psycopg.connect, psql, pg_dump)."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(host=self.host, port=self.port, user=self.superuser, dbname=dbname)

    # --- life cycle --------------------------------------------------------------------------------------
    def __enter__(self) -> TemporaryCluster:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        """Make the cluster (initdb) and start its server; returns once it accepts connections."""
        if self.running:
            return
        try:
            self._make_root()
            self._initdb()
            for attempt in range(_START_ATTEMPTS):
                port = free_port(self.host)
                if self._start_server(port, last_attempt=attempt == _START_ATTEMPTS - 1):
                    self._port = port
                    break
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are cut) and remove the folder. Safe to call twice."""
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._port = None
        self._root = None

    # --- what tests and tools do with it ---------------------------------------------------------------
    def create_database(self, name: str) -> str:
        """Create database `name` (UTF8, owned by the superuser) and return its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        try:
            with psycopg.connect(self.dsn(), autocommit=True) as connection:
                statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                # 15 made WAL_LOG the default, which writes the template through the WAL: on an idle machine
                # about ten times slower than copying its files for the small databases tests make (the
                # checkpoints FILE_COPY costs are cheap without fsync). Before 15 every copy was a file copy.
                if connection.info.server_version >= 150000:
                    statement = sql.SQL("{} STRATEGY FILE_COPY").format(statement)
                connection.execute(statement)
        except psycopg.Error as error:
            raise ClusterError(_("Cannot create the database {name}: {detail}", name=name,
                                 detail=str(error).strip())) from error
        return self.url(name)

    def terminate_connections(self, dbname: str) -> int:
        """Cut every session connected to `dbname` (pg_terminate_backend, waiting up to 5 s for each to end),
        as a network failure or a hub restart would; returns how many were cut. Their next statement fails."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            row = connection.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                (dbname,)).fetchone()
        return int(row[0]) if row is not None else 0

    # --- the work ------------------------------------------------------------------------------------------
    def _make_root(self) -> None:
        """The temp folder, owned by the run user when we are root and checked reachable by that user."""
        self._run_as = None
        if os.geteuid() == 0:
            self._run_as = next((name for name in _UNPRIVILEGED_USERS if _user_exists(name)), None)
            if self._run_as is None:
                raise ClusterError(_("There is no unprivileged user (postgres or nobody) to run PostgreSQL as."))
        bases = [self._base_dir] if self._base_dir is not None else [Path(tempfile.gettempdir()), Path("/tmp")]
        for base in dict.fromkeys(bases):
            root = Path(tempfile.mkdtemp(prefix="crmdesk-pg-", dir=base))
            if self._run_as is not None:
                entry = pwd.getpwnam(self._run_as)
                os.chown(root, entry.pw_uid, entry.pw_gid)
                if self._run(["test", "-w", str(root), "-a", "-x", str(root)], check=False).returncode != 0:
                    shutil.rmtree(root, ignore_errors=True)
                    continue
            (root / "socket").mkdir()
            if self._run_as is not None:
                os.chown(root / "socket", entry.pw_uid, entry.pw_gid)
            self._root = root
            # Runs on stop() and, should nobody call it, when the interpreter exits.
            self._finalizer = weakref.finalize(self, _shut_down, self.bin_dir, root, self._run_prefix())
            return
        raise ClusterError(_("No temp folder that the user {user} can write to (tried {folders}).",
                             user=self._run_as, folders=", ".join(str(base) for base in bases)))

    def _initdb(self) -> None:
        self._run([str(self.bin_dir / "initdb"), "--pgdata", str(self.data_dir), "--username", self.superuser,
                   "--auth", "trust", "--encoding", "UTF8", f"--locale={_locale()}", "--no-sync"])
        settings = {
            "listen_addresses": _quote_setting(self.host),
            "unix_socket_directories": _quote_setting(str(self.root / "socket")),
            "max_connections": str(self.max_connections),
            # Throwaway data: nothing here must survive a crash, and tests should not wait for the disk.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# crmdesk.services.pg_cluster: a throwaway test server\n")
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def _start_server(self, port: int, *, last_attempt: bool) -> bool:
        """Start on `port`; False when the port was taken meanwhile (and another try is allowed)."""
        result = self._run([str(self.bin_dir / "pg_ctl"), "start", "--pgdata", str(self.data_dir),
                            "--log", str(self.log_file), "--wait", "--timeout", str(int(self.start_timeout)),
                            "--silent", "-o", f"-p {port}"], check=False)
        if result.returncode == 0:
            return True
        log = self._log_tail()
        if not last_attempt and "could not bind" in log:
            self.log_file.unlink(missing_ok=True)
            return False
        raise ClusterError(_("The PostgreSQL test server did not start: {detail}",
                             detail=(result.stdout + result.stderr + log).strip()))

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        command = [str(self.bin_dir / "pg_isready"), "--host", self.host, "--port", str(self.port),
                   "--username", self.superuser, "--dbname", "postgres", "--quiet"]
        if not (self.bin_dir / "pg_isready").exists():  # only the server programs are guaranteed
            return
        while self._run(command, check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise ClusterError(_("The PostgreSQL test server did not start: {detail}",
                                     detail=self._log_tail()))
            time.sleep(0.05)

    def _run_prefix(self) -> list[str]:
        return _run_as_prefix(self._run_as) if self._run_as is not None else []

    def _run(self, command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = _run(self._run_prefix() + command, cwd=self._root or Path(tempfile.gettempdir()))
        if check and result.returncode != 0:
            raise ClusterError(_("{program} failed: {detail}", program=Path(command[0]).name,
                                 detail=(result.stdout + result.stderr).strip()))
        return result

    def _log_tail(self) -> str:
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")[-_LOG_TAIL_CHARS:]
        except OSError:
            return ""


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _environment() -> dict[str, str]:
    """Our environment without libpq's PG* defaults (they would point the tools elsewhere) and with
    English messages, since start-up failures are recognised by the server's words."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
    environment["LC_ALL"] = "C"
    return environment


def _run(command: list[str], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    # cwd: the run user cannot enter root's home, and initdb/postgres complain when they cannot stay put.
    return subprocess.run(command, cwd=cwd, env=_environment(), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)


def _shut_down(bin_dir: Path, root: Path, prefix: list[str]) -> None:
    """Stop the server of the cluster in `root`, if one runs, and remove the folder."""
    if (root / "data" / "postmaster.pid").exists():
        _run([*prefix, str(bin_dir / "pg_ctl"), "stop", "--pgdata", str(root / "data"), "--mode", "fast",
              "--wait", "--silent"], cwd=root)
    shutil.rmtree(root, ignore_errors=True)
