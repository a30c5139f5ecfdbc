"""`crmdesk report funnel|forecast|kpi` and `crmdesk targets`: JSON shape and values on a small book."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crmdesk.cli import main
from crmdesk.models import Customer, Opportunity, OpportunityStageChange, Pipeline, Stage, User
from crmdesk.models.database import open_database
from crmdesk.services.uow import unit_of_work
from crmdesk.services.users import ensure_local_user


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone().astimezone(UTC)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """王磊 (wanglei): won 100000 on 2026-11-20 (created 11-10), lost one on 11-15 (50000), open at
    negotiation 200000 x 60% closing 2026-11-28 (commit), and an open project deal 300000 x 40% in December."""
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    actor = ensure_local_user(db)
    with unit_of_work(db, actor) as session:
        rep = User(username="wanglei", display_name="王磊", role="consultant")
        customer = Customer(name="张伟")
        session.add_all([rep, customer])
        session.flush()
        stages = {(p, s): (sid, pid) for sid, pid, s, p in session.execute(
            select(Stage.id, Stage.pipeline_id, Stage.code, Pipeline.code).join(Pipeline))}
        for pipe, stage, amount, prob, extra in (
                ("vehicle", "won", 100000, 100, {"status": "won", "won_at": date(2026, 11, 20),
                                                 "won_amount": Decimal(100000)}),
                ("vehicle", "lost", 50000, 0, {"status": "lost", "lost_at": date(2026, 11, 15), "lost_reason": "价格"}),
                ("vehicle", "negotiation", 200000, 60, {"expected_close_date": date(2026, 11, 28),
                                                        "forecast_category": "commit"}),
                ("project", "proposal", 300000, 40, {"expected_close_date": date(2026, 12, 10), "kind": "project"})):
            sid, pid = stages[(pipe, stage)]
            deal = Opportunity(name=f"{stage}", customer_id=customer.id, pipeline_id=pid, stage_id=sid,
                               amount=Decimal(amount), probability=prob, owner_id=rep.id,
                               created_at=_at(date(2026, 11, 10)), **extra)
            session.add(deal)
            session.flush()
            session.add(OpportunityStageChange(opportunity_id=deal.id, to_stage_id=stages[(pipe, "qualify")][0],
                                               changed_at=_at(date(2026, 11, 10))))
            session.add(OpportunityStageChange(opportunity_id=deal.id, to_stage_id=sid,
                                               changed_at=_at(date(2026, 11, 11))))
    db.close()
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_report_funnel_json(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "report", "funnel", "--db", str(book), "--from", "2026-11-01", "--to", "2026-11-30", "--json")
    assert out["kind"] == "funnel" and out["total_count"] == 4 and out["total_amount"] == "650000.00"
    first, *_rest, won = out["stages"]
    # all four reached qualify; the lost one reached nothing further: 3 of 4 go on
    assert (first["code"], first["reached"], first["conversion_to_next"]) == ("qualify", 4, 0.75)
    assert (won["code"], won["count"], won["amount"]) == ("won", 1, "100000.00")
    assert out["previous"]["total_count"] == 0 and out["previous"]["stages"][0]["conversion_to_next"] is None
    out = _run(capsys, "report", "funnel", "--db", str(book), "--no-project", "--pipeline", "vehicle", "--json")
    assert out["total_count"] == 3 and out["previous"] is None


def test_report_forecast_json_with_targets(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    targets = _run(capsys, "targets", "set", "--db", str(book), "--owner", "wanglei", "--month", "2026-11",
                   "--amount", "500000", "--count", "4", "--json")["targets"]
    assert targets == [{"id": targets[0]["id"], "owner": "wanglei", "team": None, "period_kind": "month",
                        "period_start": "2026-11-01", "amount": "500000.00", "deal_count": 4}]
    out = _run(capsys, "report", "forecast", "--db", str(book), "--owner", "wanglei", "--from", "2026-11-01",
               "--to", "2026-12-31", "--json")
    nov, dec = out["months"]
    # Nov: 200000 x 60% = 120000 weighted, commit 200000, won 100000; gap 500000 - 300000 = 200000
    assert (nov["weighted"], nov["commit"], nov["won"], nov["target"], nov["gap"]) == (
        "120000.00", "200000.00", "100000.00", "500000.00", "200000.00")
    assert (dec["weighted"], dec["pipeline"], dec["target"], dec["gap"]) == ("120000.00", "300000.00", "0.00", "0.00")
    assert out["quarters"][0]["period_start"] == "2026-10-01" and out["totals"]["weighted"] == "240000.00"
    out = _run(capsys, "report", "forecast", "--db", str(book), "--from", "2026-11-01", "--to", "2026-12-31",
               "--no-project", "--json")
    assert [m["weighted"] for m in out["months"]] == ["120000.00", "0.00"]


def test_report_kpi_json(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "report", "kpi", "--db", str(book), "--from", "2026-11-01", "--to", "2026-11-30", "--json")
    assert (out["won_count"], out["lost_count"], out["win_rate"], out["won_amount"]) == (1, 1, 0.5, "100000.00")
    assert (out["avg_cycle_days"], out["median_cycle_days"], out["avg_deal_size"]) == (10.0, 10.0, "100000.00")
    assert out["target_achievement"] is None and out["repeat_purchase_rate"] == 0.0
    assert out["leaderboard"] == [{"owner_id": out["leaderboard"][0]["owner_id"], "owner": "王磊",
                                   "won_amount": "100000.00", "won_count": 1, "lost_count": 1, "win_rate": 0.5}]


def test_targets_list_and_errors(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "targets", "set", "--db", str(book), "--quarter", "2026Q4", "--amount", "900000", "--json")
    out = _run(capsys, "targets", "list", "--db", str(book), "--year", "2026", "--json")
    assert [(t["period_kind"], t["period_start"], t["owner"], t["amount"]) for t in out["targets"]] == [
        ("quarter", "2026-10-01", None, "900000.00")]
    for argv in (["--quarter", "2026Q5", "--amount", "1"], ["--month", "2026-12", "--amount", "-5"],
                 ["--month", "2026-12", "--amount", "1", "--owner", "nobody"]):
        with pytest.raises(SystemExit) as exited:
            main(["targets", "set", "--db", str(book), *argv])
        assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["report", "kpi", "--db", str(book), "--from", "11/01/2026"])
    assert exited.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


def test_report_tables_print(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for kind in ("funnel", "forecast", "kpi"):
        assert main(["report", kind, "--db", str(book)]) == 0
    text = capsys.readouterr().out
    assert "Stage | Deals" in text and "Month | Weighted" in text and "Win rate: 50.0%" in text
