"""`crmdesk dedupe`, `crmdesk merge` and `crmdesk unmerge` on a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    services = Services(db)
    actor = ensure_local_user(db)
    ids = {
        "lead_a": services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "city": "杭州市"}).id,
        "lead_b": services.leads.create(actor, {"name": "张伟", "phone": "138-1234-5678", "city": "杭州市",
                                                "email": "zw@example.com"}).id,
        "lead_c": services.leads.create(actor, {"name": "陈静", "phone": "13600003333"}).id,
        "customer": services.customers.create(actor, {"name": "陈静", "phone": "13600003333"}).id,
        "alone": services.leads.create(actor, {"name": "李娜", "phone": "13900001111"}).id,
    }
    db.close()
    return path, ids


def dedupe_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    assert main(["dedupe", "--db", str(path), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_dedupe_json_lists_groups_with_reasons_score_and_members(
        book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    groups = dedupe_json(path, capsys)
    assert [g["score"] for g in groups] == [96, 90]
    assert [r["rule"] for r in groups[0]["reasons"]] == ["phone", "name_city"]
    assert {m["id"] for m in groups[0]["members"]} == {ids["lead_a"], ids["lead_b"]}
    assert {(m["entity"], m["id"]) for m in groups[1]["members"]} == {("lead", ids["lead_c"]),
                                                                       ("customer", ids["customer"])}
    assert groups[1]["suggested_kept"] == ids["customer"]
    member = groups[0]["members"][0]
    assert set(member) == {"entity", "id", "name", "phone", "company", "city", "owner", "created_at", "updated_at"}
    assert member["phone"] == "13812345678" and member["created_at"].endswith("+00:00")
    assert [len(dedupe_json(path, capsys, "--entity", kind)) for kind in ("lead", "customer")] == [1, 0]
    assert len(dedupe_json(path, capsys, "--limit", "1")) == 1


def test_merge_then_unmerge_from_the_command_line(book: tuple[Path, dict[str, str]],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    assert main(["merge", ids["customer"], ids["lead_c"], "--db", str(path), "--json"]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert merged["kept"] == {"entity": "customer", "id": ids["customer"]}
    assert merged["merged"] == {"entity": "lead", "id": ids["lead_c"]}
    assert [len(g["members"]) for g in dedupe_json(path, capsys)] == [2]  # only the 张伟 pair is left
    with pytest.raises(SystemExit):  # merged already: refused with a message, no traceback
        main(["merge", ids["lead_a"], ids["lead_c"], "--db", str(path)])
    assert "already been merged" in capsys.readouterr().err

    assert main(["unmerge", merged["merge_ids"][0], "--db", str(path), "--json"]) == 0
    undone = json.loads(capsys.readouterr().out)
    assert undone["restored"] == {"entity": "lead", "id": ids["lead_c"]}
    assert len(dedupe_json(path, capsys)) == 2
    with pytest.raises(SystemExit):
        main(["unmerge", merged["merge_ids"][0], "--db", str(path)])
    assert "already been undone" in capsys.readouterr().err


def test_merge_text_output_names_the_undo_command(book: tuple[Path, dict[str, str]],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    assert main(["merge", ids["lead_a"], ids["lead_b"], "--entity", "lead", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "crmdesk unmerge " in out
    merge_id = out.strip().split()[-1]
    assert main(["unmerge", merge_id, "--db", str(path)]) == 0


def test_dedupe_runs_as_a_program(book: tuple[Path, dict[str, str]]) -> None:
    path, ids = book
    done = subprocess.run([sys.executable, "-m", "crmdesk", "dedupe", "--db", str(path), "--json"],
                          capture_output=True, text=True, check=True, env={**os.environ, "PYTHONUTF8": "1"},
                          cwd=Path(__file__).resolve().parent.parent)
    groups = json.loads(done.stdout)
    assert {m["id"] for m in groups[0]["members"]} == {ids["lead_a"], ids["lead_b"]}
    assert "2" in done.stderr  # "2 of 2 duplicate groups"
