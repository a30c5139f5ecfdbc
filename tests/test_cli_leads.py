"""The lead commands: `crmdesk leads rescore|invalid|reopen|accept` and `crmdesk rules show|set-*`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services.lead_rules import DEFAULT_SCORING
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    services = Services(db)
    actor = ensure_local_user(db)
    ids = {
        "web": services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "source": "web"}).id,
        "referral": services.leads.create(actor, {"name": "李娜", "phone": "13900001111", "source": "referral"}).id,
    }
    db.close()
    return path, ids


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def _write(tmp_path: Path, name: str, value: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_rules_show_prints_the_defaults(book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = book
    assert main(["rules", "show", "--db", str(path), "--json"]) == 0
    shown = _json(capsys)
    assert shown["scoring"] == DEFAULT_SCORING
    assert shown["assignment"]["fallback"] == {"kind": "creator"}
    assert [reason["code"] for reason in shown["invalid_reasons"]] == [
        "wrong_number", "not_interested", "duplicate", "competitor", "other"]


def test_set_scoring_then_rescore_changes_the_scores(book: tuple[Path, dict[str, str]], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    scoring = {**DEFAULT_SCORING, "source_points": {"referral": 70, "web": 1}}
    assert main(["rules", "set-scoring", _write(tmp_path, "scoring.json", scoring), "--db", str(path), "--json"]) == 0
    assert _json(capsys)["scoring"]["source_points"] == {"referral": 70, "web": 1}
    assert main(["leads", "rescore", "--db", str(path), "--json"]) == 0
    assert _json(capsys)["changed"] == 2
    assert main(["leads", "accept", ids["referral"], "--db", str(path), "--json"]) == 0
    accepted = _json(capsys)
    assert (accepted["qualification"], accepted["status"], accepted["score"]) == ("sql", "qualified", 70)


def test_bad_rules_file_is_refused_with_the_reasons(book: tuple[Path, dict[str, str]], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = book
    bad = {"rules": [{"name": "", "target": {"kind": "pool"}}]}
    with pytest.raises(SystemExit) as stopped:
        main(["rules", "set-assignment", _write(tmp_path, "bad.json", bad), "--db", str(path)])
    assert stopped.value.code == 2
    assert "rules[0].name: Give the rule a name." in capsys.readouterr().err
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["rules", "set-scoring", str(tmp_path / "broken.json"), "--db", str(path)])
    assert "is not valid JSON" in capsys.readouterr().err


def test_set_assignment_sends_new_leads_to_the_pool(book: tuple[Path, dict[str, str]], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = book
    rules = {"rules": [{"name": "杭州公海", "conditions": {"cities": ["杭州"]}, "target": {"kind": "pool"}}]}
    assert main(["rules", "set-assignment", _write(tmp_path, "a.json", rules), "--db", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "Rules saved."
    db = open_database(path)
    try:
        lead = Services(db).leads.create(ensure_local_user(db), {"name": "王芳", "phone": "13700002222", "city": "杭州市"})
    finally:
        db.close()
    assert lead["owner_id"] is None


def test_invalid_reopen_and_refused_accept(book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    assert main(["leads", "invalid", ids["web"], "--reason", "other", "--detail", "打错了", "--db", str(path),
                 "--json"]) == 0
    marked = _json(capsys)
    assert (marked["status"], marked["invalid_reason"]) == ("invalid", "other:打错了")
    assert main(["leads", "reopen", ids["web"], "--db", str(path)]) == 0
    assert "status new" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        main(["leads", "accept", ids["web"], "--db", str(path)])
    assert stopped.value.code == 2
    assert "Only a marketing qualified lead (MQL) can be accepted" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["leads", "invalid", ids["web"], "--reason", "spam", "--db", str(path)])
    assert "Choose a reason from the list." in capsys.readouterr().err
