"""Sync of this desk's book with the team hub: push the outbox, pull what others changed, keep conflicts.

A sync pushes first, then pulls, each in batches that are whole transactions on both sides:

- **Push** takes the oldest outbox entries (crmdesk.models.sync_capture), gives each changed row a change id
  (UUIDv7) and stores it before sending, reads the changed columns' current values, and calls the hub's
  crmdesk_push. The hub skips change ids it already has, so a push cut off anywhere and run again sends
  nothing twice. The hub answers which fields lost to a later value elsewhere (their winning values are
  written here) and which conflicts it found. Only then are the entries taken off the outbox.
- **Pull** asks for the changes after this desk's cursor that its user may see, applies them with the
  capture triggers quiet, and moves the cursor in the same transaction: a pull cut off resumes where the
  last applied batch ended. A field changed here and not pushed yet keeps the later of the two values.

Conflicts (both sides changed a field since the last sync; a delete met an edit) are resolved by the rule
(the later clock wins, ties by device id) and kept with both values in sync_conflicts until the user
confirms the rule's choice or keeps the other value.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import uuid6

from crmdesk.i18n import _
from crmdesk.models.database import Database
from crmdesk.models.sync_capture import LOCAL_COLUMNS, QUIET_FIELDS, SYNCED_TABLES
from crmdesk.services import hub as hub_service
from crmdesk.services.errors import ConflictError
from crmdesk.services.uow import Actor

DEVICE_KEY = "sync_device_id"
CURSOR_KEY = "sync_pull_cursor"
CONFLICT_CURSOR_KEY = "sync_conflict_cursor"
LAST_SYNC_KEY = "sync_last_at"
HUB_URL_KEY = "sync_hub_url"
PUSH_BATCH = 5000
PULL_BATCH = 5000
KEYRING_SERVICE = "crmdesk-hub"
# The columns the hub reads a row's scope from (its owner, team, or the parent it belongs through).
SCOPE_COLUMNS = frozenset({"owner_id", "team_id", "customer_id", "opportunity_id", "quote_id", "order_id",
                           "contract_id", "plan_id", "payment_id"})
MAX_CLOCK_AHEAD_MS = 300_000  # the hub's own limit (h0001): said here in the user's words

Progress = Callable[[str, int, int], None]  # (phase "push" / "pull", done, total or 0 when unknown)


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    seconds: float = 0.0
    skipped: int = 0
    refused: int = 0
    lost: int = 0
    cursor: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts,
                "seconds": round(self.seconds, 3), "skipped": self.skipped, "refused": self.refused,
                "lost": self.lost, "cursor": self.cursor}


@dataclass(frozen=True)
class SyncStatus:
    device_id: str
    pending: int
    cursor: int
    last_sync_at: datetime | None
    hub_url: str | None
    open_conflicts: int


@dataclass(frozen=True)
class Conflict:
    id: str
    table_name: str
    row_id: str
    field: str
    kept_value: Any
    other_value: Any
    kept_device: str | None
    other_device: str | None
    other_user_id: str | None
    detected_at: datetime
    resolution: str | None


@dataclass
class _Change:
    change_id: str
    table: str
    row_id: str
    user_id: str | None
    seqs: list[int] = field(default_factory=list)
    hlcs: dict[str, str] = field(default_factory=dict)
    whole: bool = False
    deleted: bool = False


# --- this desk's sync state ------------------------------------------------------------------------------

@contextmanager
def _writing(db: Database, *, applying: bool = False) -> Iterator[sqlite3.Connection]:
    """One write transaction on the raw connection (BEGIN IMMEDIATE); `applying` quiets the capture
    triggers for what is written in it (the flag is never seen outside the transaction)."""
    with db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        transaction = connection.begin()
        try:
            if applying:
                raw.execute("PRAGMA defer_foreign_keys = ON")  # a batch may hold a child before its parent
                raw.execute("UPDATE sync_clock SET applying = 1 WHERE id = 1")
            yield raw
            if applying:
                raw.execute("UPDATE sync_clock SET applying = 0 WHERE id = 1")
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise


def _state(raw: sqlite3.Connection, key: str) -> str | None:
    row = raw.execute("SELECT value FROM device_info WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_state(raw: sqlite3.Connection, key: str, value: str) -> None:
    raw.execute("INSERT INTO device_info (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def read_device_state(db: Database, key: str) -> str | None:
    """One of this desk's own facts (device_info): the cursor, the hub's address, ..."""
    with db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        return _state(raw, key)


def write_device_states(db: Database, values: dict[str, str | None]) -> None:
    """Set (None: remove) some of this desk's own facts in one transaction."""
    with _writing(db) as raw:
        for key, value in values.items():
            if value is None:
                raw.execute("DELETE FROM device_info WHERE key = ?", (key,))
            else:
                _set_state(raw, key, value)


def device_id(db: Database) -> str:
    """This desk's id on the hub (made once, never synced)."""
    with _writing(db) as raw:
        found = _state(raw, DEVICE_KEY)
        if found is None:
            found = str(uuid.uuid4())
            _set_state(raw, DEVICE_KEY, found)
    return found


def sync_status(db: Database) -> SyncStatus:
    with db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        pending = raw.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
        conflicts = raw.execute("SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()[0]
        last = _state(raw, LAST_SYNC_KEY)
        return SyncStatus(_state(raw, DEVICE_KEY) or "", int(pending), int(_state(raw, CURSOR_KEY) or 0),
                          datetime.fromisoformat(last) if last else None, _state(raw, HUB_URL_KEY), int(conflicts))


# --- values as they travel -------------------------------------------------------------------------------

def _out(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _in(value: Any) -> Any:
    if isinstance(value, dict) and "$b64" in value:
        return base64.b64decode(value["$b64"])
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


class _Columns:
    """The synced columns of each table as this file has them (a newer desk's extra columns are ignored)."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self.cache: dict[str, list[str]] = {}

    def __call__(self, table: str) -> list[str]:
        if table not in self.cache:
            local = LOCAL_COLUMNS.get(table, frozenset())
            names = [row[1] for row in self.raw.execute(f'PRAGMA table_info("{table}")')]
            self.cache[table] = [name for name in names if name not in local and name != "id"]
        return self.cache[table]


def _hlc_ms(stamp: str) -> int:
    return int(stamp.split(".", 1)[0])


def _receive_clock(raw: sqlite3.Connection, stamps: Iterable[str]) -> None:
    """The HLC's receive rule: this desk's clock is never behind a stamp it has seen."""
    latest = max((_hlc_ms(stamp) for stamp in stamps), default=0)
    if latest:
        raw.execute("UPDATE sync_clock SET counter = CASE WHEN ? > physical THEN 0 ELSE counter END, "
                    "physical = max(physical, ?) WHERE id = 1", (latest, latest))


def _wins(local: tuple[str, str], remote: tuple[str, str]) -> bool:
    return local > remote


# --- push ------------------------------------------------------------------------------------------------

def _take_batch(raw: sqlite3.Connection, limit: int) -> list[_Change]:
    """The oldest outbox entries as changes, one per row (entries sent before keep their change id)."""
    rows = raw.execute("SELECT seq, table_name, row_id, fields, hlc, user_id, change_id FROM sync_outbox "
                       "ORDER BY seq LIMIT ?", (limit,)).fetchall()
    changes: dict[Any, _Change] = {}
    assign: list[tuple[str, int]] = []
    for seq, table, row_id, fields, hlc, user_id, change_id in rows:
        key: Any = change_id or ("new", table, row_id)
        change = changes.get(key)
        if change is None:
            change = changes[key] = _Change(change_id or str(uuid6.uuid7()), table, row_id, user_id)
        if change_id is None:
            assign.append((change.change_id, seq))
        change.seqs.append(seq)
        change.user_id = user_id or change.user_id
        if fields == "*":
            change.whole = True
            change.hlcs["*"] = max(change.hlcs.get("*", ""), hlc)
        elif fields == "-":
            change.deleted = True
            change.hlcs["deleted_at"] = max(change.hlcs.get("deleted_at", ""), hlc)
        else:
            for name in json.loads(fields):
                change.hlcs[name] = max(change.hlcs.get(name, ""), hlc)
    if assign:
        raw.executemany("UPDATE sync_outbox SET change_id = ? WHERE seq = ?", assign)
    return list(changes.values())


def _payload(raw: sqlite3.Connection, columns: _Columns, changes: list[_Change]) -> list[dict[str, Any]]:
    by_table: dict[str, list[_Change]] = defaultdict(list)
    for change in changes:
        by_table[change.table].append(change)
    payload: list[dict[str, Any]] = []
    for table, group in by_table.items():
        if table not in SYNCED_TABLES:
            continue
        names = columns(table)
        quoted = ", ".join(f'"{name}"' for name in names)
        current: dict[str, tuple[Any, ...]] = {}
        ids = [change.row_id for change in group]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in raw.execute(f'SELECT id, {quoted} FROM "{table}" WHERE id IN ({marks})', chunk):
                current[row[0]] = row[1:]
        for change in group:
            values = current.get(change.row_id)
            hlcs = dict(change.hlcs)
            whole = hlcs.pop("*", None)
            if values is None or change.deleted:  # removed from the file by another program: a tombstone
                stamp = hlcs.get("deleted_at") or whole or max(hlcs.values())
                moment = datetime.fromtimestamp(_hlc_ms(stamp) / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                payload.append({"id": change.change_id, "t": table, "r": change.row_id, "u": change.user_id,
                                "f": {"deleted_at": moment}, "h": {"deleted_at": stamp}})
                continue
            row = dict(zip(names, values, strict=True))
            if whole is not None:
                for name in names:
                    hlcs[name] = max(hlcs.get(name, ""), whole)
            # A new row travels without its empty fields (the other desks' rows start empty there too), but for
            # those that say whose it is: the hub decides who may see the row by them.
            fields = {name: _out(row[name]) for name in hlcs
                      if name in row and not (whole is not None and row[name] is None and name not in change.hlcs
                                              and name not in SCOPE_COLUMNS)}
            payload.append({"id": change.change_id, "t": table, "r": change.row_id, "u": change.user_id,
                            "f": fields, "h": {name: hlcs[name] for name in fields}})
    return payload


def _hub_call(connection: Any, function: str, *args: Any) -> Any:
    import psycopg

    try:
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(args))
            cursor.execute(f"SELECT {function}({marks})", args)
            row = cursor.fetchone()
        connection.commit()
    except psycopg.Error as error:
        if not connection.closed and not connection.broken:
            connection.rollback()
        hint = getattr(getattr(error, "diag", None), "message_hint", None) or ""
        if hint.startswith("clock_ahead:"):
            minutes = max(1, round(int(hint.split(":", 1)[1]) / 60000))
            raise hub_service.HubError(_(
                "This computer's clock is {minutes} minutes ahead of the hub's; set the right time (and time "
                "zone) and sync again. Nothing was sent.", minutes=minutes)) from error
        if hint == "not_a_hub_user":
            raise hub_service.HubError(_("This login is not a user of the hub; ask the administrator to run "
                                         "crmdesk hub add-user for it.")) from error
        if isinstance(error, psycopg.OperationalError):
            raise hub_service.HubError(_("The connection to the hub was lost: {detail}",
                                         detail=str(error).strip().splitlines()[0] if str(error).strip()
                                         else type(error).__name__)) from error
        raise hub_service.HubError(_("The hub refused the sync: {detail}",
                                     detail=str(error).strip().splitlines()[0])) from error
    return row[0] if row else None


def _apply_values(raw: sqlite3.Connection, columns: _Columns, table: str, row_id: str,
                  values: dict[str, Any]) -> None:
    known = set(columns(table))
    values = {name: value for name, value in values.items() if name in known}
    if not values:
        return
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    raw.execute(f'UPDATE "{table}" SET {assignments} WHERE id = ?', [*map(_in, values.values()), row_id])


def _store_conflicts(raw: sqlite3.Connection, conflicts: Iterable[dict[str, Any]], me: str) -> int:
    stored = 0
    for conflict in conflicts:
        other_user = conflict["other_user"] if conflict["kept_device"] == me else conflict["kept_user"]
        cursor = raw.execute(
            "INSERT OR IGNORE INTO sync_conflicts (id, table_name, row_id, field, kept_value, other_value, kept_hlc, "
            "other_hlc, kept_device, other_device, other_user_id, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (f"hub-{conflict['id']}", conflict["table_name"], conflict["row_id"], conflict["field"],
             json.dumps(conflict["kept_value"], ensure_ascii=False),
             json.dumps(conflict["other_value"], ensure_ascii=False), conflict["kept_hlc"], conflict["other_hlc"],
             conflict["kept_device"], conflict["other_device"], other_user,
             datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")))
        stored += cursor.rowcount
    return stored


def push(db: Database, connection: Any, *, batch: int = PUSH_BATCH, progress: Progress | None = None,
         result: SyncResult | None = None) -> SyncResult:
    """Send the whole outbox to the hub in batches (see the module's docstring)."""
    result = result or SyncResult()
    me = device_id(db)
    while True:
        with _writing(db) as raw:
            total = raw.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
            changes = _take_batch(raw, batch)
            payload = _payload(raw, _Columns(raw), changes)
            base = int(_state(raw, CURSOR_KEY) or 0)
        if not changes:
            return result
        answer = _hub_call(connection, "crmdesk_push", me, base, json.dumps(payload, ensure_ascii=False))
        seqs = [seq for change in changes for seq in change.seqs]
        with _writing(db, applying=True) as raw:
            columns = _Columns(raw)
            newer = _pending_fields(raw, {(item["t"], item["r"]) for item in answer["lost"]}, exclude=set(seqs))
            for item in answer["lost"]:  # a later value elsewhere: this desk takes it (unless edited again since)
                if item["f"] in newer.get((item["t"], item["r"]), {}):
                    continue
                _apply_values(raw, columns, item["t"], item["r"], {item["f"]: item["v"]})
            for item in answer["refused"]:  # someone else's now: handed over here, and the user is told
                mine = _current_value(raw, item["t"], item["r"], "owner_id") if item["has_owner"] else None
                if item["has_owner"]:
                    _apply_values(raw, columns, item["t"], item["r"], {"owner_id": item["owner"]})
                result.conflicts += _store_local_conflict(
                    raw, item["t"], item["r"], "owner_id" if item["has_owner"] else "*",
                    kept=(item["owner"], item.get("h") or "", ""), other=(mine, "", me), other_user=None)
            _receive_clock(raw, (item["h"] for item in answer["lost"] if item.get("h")))
            result.conflicts += _store_conflicts(raw, answer["conflicts"], me)
            for start in range(0, len(seqs), 500):
                chunk = seqs[start:start + 500]
                raw.execute(f"DELETE FROM sync_outbox WHERE seq IN ({', '.join('?' * len(chunk))})", chunk)
        result.pushed += int(answer["applied"])
        result.skipped += int(answer["skipped"])
        result.refused += len(answer["refused"])
        result.lost += len(answer["lost"])
        if progress is not None:
            progress("push", result.pushed + result.skipped, int(total))


def _pending_fields(raw: sqlite3.Connection, rows: set[tuple[str, str]],
                    exclude: set[int] | None = None) -> dict[tuple[str, str], dict[str, tuple[str, int]]]:
    """The fields changed here and not pushed yet, per row: field -> (stamp, outbox seq); "*" for a new row."""
    found: dict[tuple[str, str], dict[str, tuple[str, int]]] = defaultdict(dict)
    if not rows:
        return found
    by_table: dict[str, list[str]] = defaultdict(list)
    for table, row_id in rows:
        by_table[table].append(row_id)
    for table, ids in by_table.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for seq, row_id, fields, hlc in raw.execute(
                    f"SELECT seq, row_id, fields, hlc FROM sync_outbox WHERE table_name = ? AND row_id IN "
                    f"({', '.join('?' * len(chunk))})", [table, *chunk]):
                if exclude and seq in exclude:
                    continue
                names = ["*"] if fields == "*" else ["deleted_at"] if fields == "-" else json.loads(fields)
                pending = found[(table, row_id)]
                for name in names:
                    if name not in pending or pending[name][0] < hlc:
                        pending[name] = (hlc, seq)
    return found


# --- pull ------------------------------------------------------------------------------------------------

def pull(db: Database, connection: Any, *, batch: int = PULL_BATCH, progress: Progress | None = None,
         result: SyncResult | None = None) -> SyncResult:
    """Apply the hub's changes after this desk's cursor, batch by batch (see the module's docstring)."""
    result = result or SyncResult()
    me = device_id(db)
    while True:
        cursor = int(read_device_state(db, CURSOR_KEY) or 0)
        answer = _hub_call(connection, "crmdesk_pull", me, cursor, batch)
        changes = answer["changes"]
        with _writing(db, applying=True) as raw:
            columns = _Columns(raw)
            missing = _missing_rows(raw, changes)
            whole: dict[tuple[str, str], dict[str, Any]] = {}
            for table, ids in missing.items():
                for item in _hub_call(connection, "crmdesk_rows", table, ids) or ():
                    whole[(table, item["r"])] = item["data"]
            _apply_changes(raw, columns, changes, whole, me, result)
            _receive_clock(raw, (stamp for change in changes for stamp in change["h"].values()))
            _set_state(raw, CURSOR_KEY, str(answer["cursor"]))
        result.pulled += len(changes)
        result.cursor = int(answer["cursor"])
        if progress is not None:
            progress("pull", int(answer["cursor"]), int(answer["top"]))
        if not answer["more"]:
            break
    after = int(read_device_state(db, CONFLICT_CURSOR_KEY) or 0)
    conflicts = _hub_call(connection, "crmdesk_conflicts", me, after) or []
    if conflicts:
        with _writing(db) as raw:
            result.conflicts += _store_conflicts(raw, conflicts, me)
            _set_state(raw, CONFLICT_CURSOR_KEY, str(max(int(item["id"]) for item in conflicts)))
    return result


def _missing_rows(raw: sqlite3.Connection, changes: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per table, the rows the changes name that this file does not have (fetched whole from the hub)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for change in changes:
        if change["t"] in SYNCED_TABLES:
            wanted[change["t"]].add(change["r"])
    missing: dict[str, list[str]] = {}
    for table, ids in wanted.items():
        listed = list(ids)
        have: set[str] = set()
        for start in range(0, len(listed), 500):
            chunk = listed[start:start + 500]
            have.update(row[0] for row in raw.execute(
                f'SELECT id FROM "{table}" WHERE id IN ({", ".join("?" * len(chunk))})', chunk))
        if ids - have:
            missing[table] = sorted(ids - have)
    return missing


def _apply_changes(raw: sqlite3.Connection, columns: _Columns, changes: list[dict[str, Any]],
                   whole: dict[tuple[str, str], dict[str, Any]], me: str, result: SyncResult) -> None:
    pending = _pending_fields(raw, {(change["t"], change["r"]) for change in changes})
    inserted: set[tuple[str, str]] = set()
    for change in changes:
        table, row_id = change["t"], change["r"]
        if table not in SYNCED_TABLES:
            continue
        key = (table, row_id)
        if key in whole and key not in inserted:  # new to this desk: the row as the hub has it now
            known = set(columns(table))
            data = {name: value for name, value in whole[key].items() if name in known}
            names = list(data)
            statement = (f'INSERT INTO "{table}" (id, {", ".join(_quoted(name) for name in names)}) '
                         f'VALUES (?, {", ".join("?" * len(names))})')
            _unique_safe(raw, me, table, row_id, data,
                         partial(raw.execute, statement, [row_id, *map(_in, data.values())]))
            inserted.add(key)
            continue
        if key in inserted:
            continue
        local = pending.get(key, {})
        values: dict[str, Any] = {}
        for name, value in change["f"].items():
            stamp = local.get(name) or local.get("*")
            remote = (change["h"].get(name, ""), change["d"])
            if stamp is not None and name not in QUIET_FIELDS:
                mine = _current_value(raw, table, row_id, name)
                if mine != _in(value):  # changed on both sides since the last sync: kept with both values
                    local_wins = _wins((stamp[0], me), remote)
                    result.conflicts += _store_local_conflict(
                        raw, table, row_id, name, kept=(mine, stamp[0], me) if local_wins else (value, *remote),
                        other=(value, *remote) if local_wins else (mine, stamp[0], me), other_user=change.get("u"))
                    if local_wins:
                        continue  # changed here later: this desk's value goes to the hub next push
            elif stamp is not None and _wins((stamp[0], me), remote):
                continue
            values[name] = value
        _unique_safe(raw, me, table, row_id, values, partial(_apply_values, raw, columns, table, row_id, values))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _unique_safe(raw: sqlite3.Connection, me: str, table: str, row_id: str, values: dict[str, Any],
                 write: Callable[[], Any]) -> None:
    """Write a pulled row; when one of its unique values (a user name, a product code) is taken here by
    another row made offline, the row of this desk gives way: its value gets this desk's mark (what
    happened is kept as a conflict, and the renamed value syncs as an edit of this desk)."""
    for _attempt in range(4):
        try:
            write()  # a failed statement is undone alone: SQLite keeps the transaction
        except sqlite3.IntegrityError as error:
            message = str(error)
            prefix = f"UNIQUE constraint failed: {table}."
            column = message[len(prefix):] if message.startswith(prefix) else ""
            if not column or "," in column or column not in values:
                raise
            taken = _in(values[column])
            other = raw.execute(f'SELECT id FROM "{table}" WHERE {_quoted(column)} = ? AND id <> ?',
                                (taken, row_id)).fetchone()
            if other is None:
                raise
            renamed = f"{taken}~{me[:4]}"
            raw.execute("UPDATE sync_clock SET applying = 0 WHERE id = 1")  # the rename is this desk's edit
            raw.execute(f'UPDATE "{table}" SET {_quoted(column)} = ? WHERE id = ?', (renamed, other[0]))
            raw.execute("UPDATE sync_clock SET applying = 1 WHERE id = 1")
            _store_local_conflict(raw, table, other[0], column, kept=(renamed, "", me), other=(taken, "", ""),
                                  other_user=None)
            continue
        return
    raise sqlite3.IntegrityError(f"{table} {row_id}: unique values still taken after renaming")


def _current_value(raw: sqlite3.Connection, table: str, row_id: str, name: str) -> Any:
    row = raw.execute(f'SELECT "{name}" FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
    return None if row is None else row[0]


def _store_local_conflict(raw: sqlite3.Connection, table: str, row_id: str, name: str, *,
                          kept: tuple[Any, str, str], other: tuple[Any, str, str], other_user: str | None) -> int:
    raw.execute(
        "INSERT INTO sync_conflicts (id, table_name, row_id, field, kept_value, other_value, kept_hlc, other_hlc, "
        "kept_device, other_device, other_user_id, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (str(uuid6.uuid7()), table, row_id, name, json.dumps(_out(kept[0]), ensure_ascii=False),
         json.dumps(_out(other[0]), ensure_ascii=False), kept[1], other[1], kept[2], other[2], other_user,
         datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")))
    return 1


# --- the whole sync --------------------------------------------------------------------------------------

def sync(db: Database, url: str, password: str | None = None, *, progress: Progress | None = None,
         connection: Any = None) -> SyncResult:
    """Push, then pull; returns the counts and the time taken. Raises HubError with the reason when the
    hub cannot be reached or refuses (nothing is lost: what was not sent stays in the outbox)."""
    started = time.perf_counter()
    own = connection is None
    hub = connection if connection is not None else hub_service.connect(url, password)
    try:
        result = push(db, hub, progress=progress)
        pull(db, hub, progress=progress, result=result)
    finally:
        if own:
            hub.close()
    write_device_states(db, {LAST_SYNC_KEY: datetime.now(UTC).isoformat(),
                             HUB_URL_KEY: hub_service.without_password(url)})
    result.seconds = time.perf_counter() - started
    return result


# --- conflicts -------------------------------------------------------------------------------------------

def list_conflicts(db: Database, actor: Actor, *, open_only: bool = True) -> list[Conflict]:
    del actor  # every desk user sees the conflicts of the records synced to this desk
    where = "WHERE resolved_at IS NULL" if open_only else ""
    with db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        rows = raw.execute(
            "SELECT id, table_name, row_id, field, kept_value, other_value, kept_device, other_device, "
            f"other_user_id, detected_at, resolution FROM sync_conflicts {where} ORDER BY detected_at DESC, id").fetchall()
    return [Conflict(row[0], row[1], row[2], row[3], json.loads(row[4]) if row[4] else None,
                     json.loads(row[5]) if row[5] else None, row[6], row[7], row[8],
                     datetime.fromisoformat(row[9]).replace(tzinfo=UTC), row[10]) for row in rows]


def _resolve(db: Database, actor: Actor, conflict_id: str, resolution: str) -> Conflict:
    with _writing(db) as raw:
        row = raw.execute("SELECT table_name, row_id, field, other_value FROM sync_conflicts WHERE id = ? AND "
                          "resolved_at IS NULL", (conflict_id,)).fetchone()
        if row is None:
            raise ConflictError(_("This conflict is not open any more."))
        table, row_id, name, other = row
        if resolution == "other":
            # A new edit of this desk: captured by the triggers, it is the later value at the next sync.
            _apply_values(raw, _Columns(raw), table, row_id, {name: json.loads(other) if other else None})
            raw.execute(f'UPDATE "{table}" SET updated_by = ? WHERE id = ?', (actor.user_id, row_id))
        raw.execute("UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                    (datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), actor.user_id, resolution, conflict_id))
    return next(item for item in list_conflicts(db, actor, open_only=False) if item.id == conflict_id)


def keep_other_value(db: Database, actor: Actor, conflict_id: str) -> Conflict:
    """The user keeps the value the rule set aside: written here as a new edit, it syncs as the later one."""
    return _resolve(db, actor, conflict_id, "other")


def confirm_conflict(db: Database, actor: Actor, conflict_id: str) -> Conflict:
    """The user agrees with the rule's choice: the conflict is closed, nothing changes."""
    return _resolve(db, actor, conflict_id, "kept")
