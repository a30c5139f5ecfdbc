"""`crmdesk hub init`, `crmdesk hub add-user` and `crmdesk sync --json` against a real PostgreSQL: two books on
two files, edited offline, synced from the command line, end with the same data and the conflict listed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services import hub, sync
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_hub_init_add_user_and_sync_from_the_command_line(hub_url: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub", "init", "--url", hub_url, "--json"]) == 0
    assert _json(capsys) == {"url": hub.libpq_url(hub_url), "revision": "h0001"}
    assert main(["hub", "init", "--url", hub_url]) == 0  # again: already at head, nothing breaks
    capsys.readouterr()

    first_path, second_path = tmp_path / "showroom.sqlite3", tmp_path / "laptop.sqlite3"
    first = open_database(first_path)
    admin = ensure_local_user(first)
    customer = Services(first).customers.create(admin, {"name": "陈静", "phone": "13600003333"}).id
    first.close()
    assert main(["hub", "add-user", admin.display_name, "--login", "boss", "--url", hub_url, "--db", str(first_path),
                 "--json"]) == 0
    assert _json(capsys)["scope"] == "all"
    desk_url = hub.libpq_url(hub_url).replace("crmdesk_admin@", "boss@")

    assert main(["sync", "--db", str(first_path), "--hub", desk_url, "--json"]) == 0
    pushed = _json(capsys)
    assert set(pushed) >= {"pushed", "pulled", "conflicts", "seconds"} and pushed["pushed"] >= 2

    second = open_database(second_path)
    second.close()
    assert main(["sync", "--db", str(second_path), "--hub", desk_url, "--json"]) == 0
    assert _json(capsys)["pulled"] >= 2

    # Both edit the customer offline: different fields and one field on both.
    for path, values in ((first_path, {"city": "宁波市", "notes": "一店"}), (second_path, {"tier": "A", "notes": "二店"})):
        db = open_database(path)
        services = Services(db)
        services.customers.update(ensure_local_user(db), customer, values)
        db.close()
    assert main(["sync", "--db", str(first_path), "--json"]) == 0  # the hub remembered from the last sync
    capsys.readouterr()
    assert main(["sync", "--db", str(second_path), "--json"]) == 0
    assert _json(capsys)["conflicts"] == 1
    assert main(["sync", "--db", str(first_path), "--json"]) == 0
    capsys.readouterr()

    def customer_row(path: Path) -> tuple[object, ...]:
        connection = sqlite3.connect(path)
        try:
            return connection.execute("SELECT name, city, tier, notes FROM customers WHERE id = ?",
                                      (customer,)).fetchone()
        finally:
            connection.close()

    assert customer_row(first_path) == customer_row(second_path) == ("陈静", "宁波市", "A", "二店")
    db = open_database(first_path)
    conflicts = sync.list_conflicts(db, ensure_local_user(db))
    db.close()
    assert [(c.field, c.kept_value, c.other_value) for c in conflicts] == [("notes", "二店", "一店")]


def test_sync_without_a_hub_or_with_an_unreachable_one_says_why(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "alone.sqlite3"
    open_database(path).close()
    with pytest.raises(SystemExit) as exited:
        main(["sync", "--db", str(path)])
    assert exited.value.code == 2 and "No hub is set" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["sync", "--db", str(path), "--hub", "postgresql://nobody@127.0.0.1:1/none"])
    assert exited.value.code == 2 and "cannot be reached" in capsys.readouterr().err
