"""Crash safety (issue 9): a writer killed with SIGKILL at random points loses no transaction it reported
committed, and the file stays intact.

The writer is a separate Python process using the app's own services (open_database, Services), so it
runs with the app's real pragmas (journal_mode=WAL, synchronous=NORMAL; see models/database.py for why
NORMAL is enough against an application crash). After each service call returns, its transaction has
committed, and only then does the writer print the new record's id: every complete stdout line is a
transaction reported committed. The parent kills it after a random number of lines plus a random short
delay, so kills land at any point of a write, then checks the file with plain sqlite3.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crmdesk.models.database import open_database
from crmdesk.services.users import ensure_local_user

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not hasattr(signal, "SIGKILL"),
    reason="needs POSIX SIGKILL to kill the writer process without any chance to clean up",
)

SEED = 20240909
ROUNDS = 25
TABLES = ("leads", "customers")

# argv: database path, round number. Prints "ready", then "<table> <id>" after each committed create.
WRITER = r"""
import sys

from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user

path, round_number = sys.argv[1], int(sys.argv[2])
db = open_database(path)
services = Services(db)
actor = ensure_local_user(db)
out = sys.stdout
out.write("ready\n")
out.flush()
i = 0
while True:
    if i % 2 == 0:
        phone = f"138{(round_number * 100_000 + i) % 100_000_000:08d}"
        record = services.leads.create(actor, {"name": f"张伟{round_number}-{i}", "phone": phone,
                                               "source": "walk_in"})
        table = "leads"
    else:
        # A long note: the commit writes several overflow pages, a wider window for a kill to land in.
        notes = "到店看车，关注油耗与保养费用。" * (600 + i % 60)
        record = services.customers.create(actor, {"name": f"李娜{round_number}-{i}", "notes": notes})
        table = "customers"
    # The service call has returned: its transaction is committed. Only now report it.
    out.write(f"{table} {record.id}\n")
    out.flush()
    i += 1
"""


def _complete_lines(text: str) -> list[str]:
    """The lines the writer finished; a line cut by the kill (no newline yet) is not a report."""
    lines = text.split("\n")
    return [line for line in lines[:-1] if line]  # the last piece is "" or a cut-off line


def _check_file(path: Path, reported: dict[str, set[str]], context: str) -> None:
    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        assert integrity == [("ok",)], f"{context}: integrity_check says {integrity}"
        for table in TABLES:
            present = {row[0] for row in connection.execute(f"SELECT id FROM {table}")}
            missing = reported[table] - present
            assert not missing, (
                f"{context}: {len(missing)} of {len(reported[table])} {table} reported committed are missing, "
                f"e.g. {sorted(missing)[:3]}"
            )
    finally:
        connection.close()


def test_sigkilled_writer_loses_no_reported_transaction(tmp_path: Path) -> None:
    path = tmp_path / "crmdesk.sqlite3"
    db = open_database(path)  # created and migrated before any writer runs
    ensure_local_user(db)
    db.close()

    rng = random.Random(SEED)
    reported: dict[str, set[str]] = {table: set() for table in TABLES}
    alive_when_killed = 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    for round_number in range(ROUNDS):
        context = f"seed {SEED}, round {round_number}"
        wanted_lines = rng.randint(1, 40)
        delay = rng.uniform(0, 0.015)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(round_number)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
        )
        try:
            assert writer.stdout is not None
            seen: list[str] = []
            ready = False
            while len(seen) < wanted_lines:
                line = writer.stdout.readline()
                if not line:  # the writer ended by itself: a bug in the writer, not a crash test
                    writer.wait(timeout=10)
                    stderr = writer.stderr.read() if writer.stderr else ""
                    pytest.fail(f"{context}: writer exited with {writer.returncode} before the kill:\n{stderr}")
                if line == "ready\n":
                    ready = True
                    continue
                assert ready, f"{context}: writer reported {line!r} before ready"
                seen.append(line)
            time.sleep(delay)
            if writer.poll() is None:
                alive_when_killed += 1
            writer.send_signal(signal.SIGKILL)
            rest, _stderr = writer.communicate(timeout=30)
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
        assert writer.returncode == -signal.SIGKILL, f"{context}: writer ended with {writer.returncode}"
        # Lines still in the pipe were written after their commit too: they count as reported.
        for line in [*(s.rstrip("\n") for s in seen), *_complete_lines(rest)]:
            table, record_id = line.split(" ")
            assert table in reported, f"{context}: unexpected writer line {line!r}"
            reported[table].add(record_id)
        # Every transaction reported in this or an earlier round is still there.
        _check_file(path, reported, context)

    assert alive_when_killed >= ROUNDS * 0.8, (
        f"seed {SEED}: only {alive_when_killed} of {ROUNDS} kills hit a running writer"
    )
    assert sum(len(ids) for ids in reported.values()) >= ROUNDS, f"seed {SEED}: too few reported writes"

    db = open_database(path)  # the app still opens the file after all the kills
    try:
        from crmdesk.services.registry import Services

        services = Services(db)
        actor = ensure_local_user(db)
        lead_id = next(iter(reported["leads"]))
        assert services.leads.get(actor, lead_id).id == lead_id
        services.customers.create(actor, {"name": "王芳"})  # and can still write to it
    finally:
        db.close()
