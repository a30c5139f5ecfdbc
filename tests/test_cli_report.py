"""`crmdesk report rules`: the showroom rules per consultant as JSON or a table, and the drill-down rows."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models import Activity, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import open_database
from crmdesk.services.uow import unit_of_work
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    actor = ensure_local_user(db)
    with unit_of_work(db, actor) as session:
        rep = User(username="wanglei", display_name="王磊", role="consultant")
        session.add(rep)
        session.flush()
        for days in (3, 1):
            session.add(Activity(kind="call", status="planned", subject=f"逾期 {days} 天",
                                 due_at=utcnow() - timedelta(days=days), owner_id=rep.id))
        session.add(Activity(kind="call", status="planned", subject="管理员的", due_at=utcnow() - timedelta(days=2),
                             owner_id=actor.user_id))
    db.close()
    return path


def test_report_rules_json_counts_per_consultant(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "rules", "--db", str(book), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert [rule["rule"] for rule in output["rules"]] == [
        "no_first_revisit", "overdue_activities", "past_purchase_date", "won_without_test_drive",
        "delivered_incomplete"]
    by_owner = {row["owner"]: row for row in output["consultants"]}
    assert by_owner["王磊"]["overdue_activities"] == 2 and by_owner["王磊"]["total"] == 2
    assert output["totals"]["overdue_activities"] == 3 and output["totals"]["total"] == 3


def test_report_rules_for_one_owner_and_its_rows(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "rules", "--db", str(book), "--owner", "wanglei", "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert [row["owner"] for row in output["consultants"]] == ["王磊"]
    assert main(["report", "rules", "--db", str(book), "--owner", "wanglei", "--rule", "overdue_activities",
                 "--limit", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [row["name"] for row in rows] == ["逾期 3 天"] and rows[0]["days_late"] >= 2


def test_report_rules_prints_a_table(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "rules", "--db", str(book)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Consultant | No first revisit within 5 days")
    assert lines[-1] == "Total | 0 | 3 | 0 | 0 | 0 | 3"


def test_report_needs_a_known_kind_and_owner(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", "bogus", "--db", str(book)])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["report", "rules", "--db", str(book), "--owner", "nobody"])
    assert exited.value.code == 2 and "nobody" in capsys.readouterr().err


def test_report_rules_looks_back_over_a_period_or_all_history(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "rules", "--db", str(book), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["since"] is not None  # the last 30 days
    assert main(["report", "rules", "--db", str(book), "--json", "--all"]) == 0
    assert json.loads(capsys.readouterr().out)["since"] is None
    with pytest.raises(SystemExit):
        main(["report", "rules", "--db", str(book), "--days", "0"])
