"""`crmdesk history ENTITY ID`: a record's change history on a real file, as JSON and as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "crmdesk.sqlite3"
    database = open_database(path)
    services = Services(database)
    actor = ensure_local_user(database)
    customer = services.customers.create(actor, {"name": "陈静", "tier": "B", "city": "宁波市"})
    services.customers.update(actor, customer.id, {"tier": "A"})
    services.customers.update(actor, customer.id, {"city": "杭州市"})
    database.close()
    return path, customer.id


def test_history_as_json_newest_first_with_labels(book: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, customer = book
    assert main(["history", "customer", customer, "--db", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["entity"], shown["id"], shown["more"]) == ("customer", customer, False)
    changes = [(e["action"], e["field"], e["old"], e["new"]) for e in shown["entries"]]
    assert changes == [("update", "city", "宁波市", "杭州市"), ("update", "tier", "Tier B", "Tier A"),
                       ("create", None, "", "")]
    assert shown["entries"][0]["field_label"] == "City"


def test_history_as_text_and_its_limit(book: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, customer = book
    assert main(["history", "customer", customer, "--db", str(path), "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "City" in out[0] and "宁波市 → 杭州市" in out[0]
    assert "--limit" in out[1]


def test_an_unknown_record_exits_2_with_a_message(book: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, _customer = book
    with pytest.raises(SystemExit) as exited:
        main(["history", "customer", "no-such-id", "--db", str(path)])
    assert exited.value.code == 2
    assert "no longer exists" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["history", "spaceship", "x", "--db", str(path)])  # argparse refuses the kind
