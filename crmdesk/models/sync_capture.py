"""Change capture for sync: SQLite triggers append every change of a synced row to `sync_outbox`.

The triggers are plain SQL (no function of ours), so every writer of the file is captured in the same
transaction as its change: the services' unit of work, the importer's and the demo's bulk rows, a restore's
repairs, even the sqlite3 shell. Each outbox row names the table, the row, the columns that changed (a
JSON array; "*" for a new row) and the hybrid logical clock (HLC) stamp of the change, taken from the
one-row `sync_clock`:

    physical = max(physical, now in ms since 1970), counter = 0 if the clock moved on, else counter + 1

so stamps only grow on this device even when the wall clock steps back. The stamp is the text
"<13-digit ms>.<5-digit counter>", which sorts as it compares; ties between devices are broken by the
device id where changes meet (crmdesk.services.sync).

Values are not copied into the outbox: a push reads each changed column's current value. Several edits
of one field before a push travel as one change with the latest stamp, which is what last-writer-wins
by field needs, and the outbox stays small during a bulk import (one short row per written row).

While `sync_clock.applying` is 1 (set inside the transaction that applies pulled changes, so no other
connection ever sees it) the triggers stay quiet: what came from the hub does not go back to it.

Columns that are derived on each device by its own triggers (a deal's furthest stage and won cycle, a
lead's opportunity status) and a user's sign-in state on this desk never sync: the triggers neither
capture nor apply them. A migration that adds columns to a synced table calls install_capture_triggers
again at its end; the triggers are written from the table's columns as they are in the file.
"""

from __future__ import annotations

from typing import Any

# The tables whose rows sync (every table with SyncedMixin's columns). The rest is this device's own:
# device_info, audit_log, activity_day_counts, the duplicate index, api_tokens, the search index, sync_*.
SYNCED_TABLES: tuple[str, ...] = (
    "activities", "contacts", "contract_attachments", "contract_templates", "contracts", "customers",
    "duplicate_dismissals", "installments", "leads", "lost_requests", "opportunities",
    "opportunity_stage_changes", "order_lines", "orders", "payment_allocations", "payment_plans", "payments",
    "pipelines", "pool_events", "price_list_items", "price_lists", "products", "quote_events", "quote_lines",
    "quotes", "record_merges", "shared_settings", "stages", "targets", "teams", "territories", "test_drives",
    "users",
)

# Per table, the columns kept by each device itself (derived by triggers, or this desk's sign-in state).
LOCAL_COLUMNS: dict[str, frozenset[str]] = {
    "opportunities": frozenset({"furthest_stage_id", "won_cycle_days"}),
    "leads": frozenset({"opportunity_status"}),
    "users": frozenset({"failed_logins", "locked_until", "last_login_at"}),
}

# Fields that follow others (the time and author of the last edit, the search keys made from a name): they
# sync, but two values of them are no conflict of their own.
QUIET_FIELDS: tuple[str, ...] = ("updated_at", "updated_by", "name_pinyin", "name_initials", "search_body",
                                 "phone_rev")

NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
_TICK = (f"UPDATE sync_clock SET counter = CASE WHEN {NOW_MS} > physical THEN 0 ELSE counter + 1 END, "
         f"physical = max(physical, {NOW_MS}) WHERE id = 1;")
_STAMP = "(SELECT printf('%013d.%05d', physical, counter) FROM sync_clock WHERE id = 1)"
_QUIET = "(SELECT applying FROM sync_clock WHERE id = 1) = 0"


def synced_columns(connection: Any, table: str) -> list[str]:
    """The columns of `table` (as the file has them) that sync, in the table's order."""
    rows = connection.exec_driver_sql(f'PRAGMA table_info("{table}")').fetchall()
    local = LOCAL_COLUMNS.get(table, frozenset())
    return [row[1] for row in rows if row[1] not in local and row[1] != "id"]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def capture_trigger_sql(table: str, columns: list[str]) -> list[str]:
    """The CREATE TRIGGER statements capturing `table`'s inserts and its synced columns' updates."""
    t = _quote(table)
    insert = (f"CREATE TRIGGER sync_capture_{table}_insert AFTER INSERT ON {t} WHEN {_QUIET} BEGIN {_TICK} "
              f"INSERT INTO sync_outbox (table_name, row_id, fields, hlc, user_id) "
              f"VALUES ('{table}', NEW.id, '*', {_STAMP}, NEW.updated_by); END")
    changed = " || ".join(
        f"CASE WHEN NEW.{_quote(c)} IS NOT OLD.{_quote(c)} THEN ',\"{c}\"' ELSE '' END" for c in columns)
    when = " OR ".join(f"NEW.{_quote(c)} IS NOT OLD.{_quote(c)}" for c in columns)
    update = (f"CREATE TRIGGER sync_capture_{table}_update AFTER UPDATE ON {t} WHEN {_QUIET} AND ({when}) "
              f"BEGIN {_TICK} INSERT INTO sync_outbox (table_name, row_id, fields, hlc, user_id) "
              f"VALUES ('{table}', NEW.id, '[' || substr({changed}, 2) || ']', {_STAMP}, NEW.updated_by); END")
    # Rows are never deleted by the app (deleted_at is the tombstone); a hard DELETE by another program is
    # captured as the tombstone it amounts to, so it is not silently lost to the other devices.
    delete = (f"CREATE TRIGGER sync_capture_{table}_delete AFTER DELETE ON {t} WHEN {_QUIET} BEGIN {_TICK} "
              f"INSERT INTO sync_outbox (table_name, row_id, fields, hlc, user_id) "
              f"VALUES ('{table}', OLD.id, '-', {_STAMP}, OLD.updated_by); END")
    return [insert, update, delete]


def install_capture_triggers(connection: Any, tables: tuple[str, ...] = SYNCED_TABLES) -> None:
    """(Re)write the capture triggers of `tables` from their current columns (idempotent)."""
    for table in tables:
        for kind in ("insert", "update", "delete"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_capture_{table}_{kind}")
        for statement in capture_trigger_sql(table, synced_columns(connection, table)):
            connection.exec_driver_sql(statement)
