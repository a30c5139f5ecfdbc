"""`crmdesk pool list|claim|release|assign|maintain|history|rules` and `crmdesk tiers apply|show|set`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models import User
from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.uow import unit_of_work
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    services = Services(db)
    actor = ensure_local_user(db)
    with unit_of_work(db, actor) as session:
        session.add_all([User(username="wanglei", display_name="王磊", role="consultant"),
                         User(username="lina", display_name="李娜", role="consultant")])
    ids = [services.customers.create(actor, {"name": name, "city": "杭州市"}).id for name in ("张伟", "陈静", "刘洋")]
    db.close()
    return path, ids


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_list_claim_release_assign_as_json(book: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    db = ["--db", str(path), "--json"]
    listed = run(capsys, "pool", "list", *db)
    assert isinstance(listed, dict) and listed["total"] == 3
    assert {row["name"] for row in listed["customers"]} == {"张伟", "陈静", "刘洋"}
    claimed = run(capsys, "pool", "claim", ids[0], ids[1], "--as", "wanglei", *db)
    assert claimed == {"claimed": ids[:2], "refused": []}
    refused = run(capsys, "pool", "claim", ids[0], "--as", "lina", *db)
    assert isinstance(refused, dict) and refused["refused"][0]["reason"] == "Already claimed by 王磊."
    released = run(capsys, "pool", "release", ids[0], "--reason", "客户已在外地购车", "--as", "wanglei", *db)
    assert released == {"released": [ids[0]], "refused": []}
    assigned = run(capsys, "pool", "assign", ids[2], "--to", "lina", *db)  # the local admin
    assert isinstance(assigned, dict) and assigned["assigned"] == [ids[2]] and assigned["over_cap"] is False
    history = run(capsys, "pool", "history", ids[0], *db)
    assert isinstance(history, list) and [event["action"] for event in history] == ["release", "claim"]
    maintained = run(capsys, "pool", "maintain", *db)
    assert isinstance(maintained, dict) and maintained["reclaimed"] == 0


def test_user_errors_exit_2(book: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    db = ["--db", str(path)]
    for argv in (["pool", "claim", ids[0], "--as", "nobody"],
                 ["pool", "assign", ids[0], "--to", "lina", "--as", "wanglei"],  # not a manager
                 ["pool", "release", ids[0], "--reason", " "],
                 ["pool", "rules", "set", str(tmp_path / "missing.json")]):
        with pytest.raises(SystemExit) as exit_:
            main([*argv, *db])
        assert exit_.value.code == 2
    assert "nobody" in capsys.readouterr().err


def test_rules_and_tiers(book: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = book
    db = ["--db", str(path), "--json"]
    rules = run(capsys, "pool", "rules", *db)
    assert isinstance(rules, dict) and rules["daily_claim_limit"] == 20
    file = tmp_path / "pool.json"
    file.write_text(json.dumps({**rules, "daily_claim_limit": 5}), encoding="utf-8")
    assert run(capsys, "pool", "rules", "set", str(file), *db)["daily_claim_limit"] == 5  # type: ignore[index]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**rules, "warning_days": 99}), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["pool", "rules", "set", str(bad), *db])
    assert exit_.value.code == 2 and "warning_days" in capsys.readouterr().err
    assert run(capsys, "tiers", "show", *db) == {"basis": "value", "a_min": "500000.00", "b_min": "100000.00"}
    tiers = tmp_path / "tiers.json"
    tiers.write_text(json.dumps({"basis": "potential", "a_min": "300000", "b_min": "50000"}), encoding="utf-8")
    assert run(capsys, "tiers", "set", str(tiers), *db)["basis"] == "potential"  # type: ignore[index]
    applied = run(capsys, "tiers", "apply", *db)
    assert isinstance(applied, dict) and applied["changed"] == 3  # no deals: every customer is C
