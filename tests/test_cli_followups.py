"""`crmdesk followups today|done|ics|cadence`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from crmdesk.cli import main
from crmdesk.models import User
from crmdesk.models.base import utcnow
from crmdesk.models.database import open_database
from crmdesk.services import followups
from crmdesk.services.registry import Services
from crmdesk.services.uow import unit_of_work
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    services = Services(db)
    actor = ensure_local_user(db)
    with unit_of_work(db, actor) as session:
        session.add(User(username="wanglei", display_name="王磊", role="consultant"))
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "owner_id": actor.user_id})
    ids = {"customer": customer.id}
    ids["late"] = followups.log_activity(db, actor, {
        "kind": "call", "status": "planned", "customer_id": customer.id, "subject": "邀约试驾",
        "due_at": utcnow() - timedelta(days=2)}).id
    db.close()
    return path, ids


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_today_json_lists_the_overdue_follow_up(book: tuple[Path, dict[str, str]],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    assert main(["followups", "today", "--db", str(path), "--json"]) == 0
    shown = _json(capsys)
    assert shown["counts"] == {"overdue": 1, "due_today": 0}
    (item,) = shown["overdue"]
    assert (item["id"], item["name"], item["phone"], item["subject"], item["days_overdue"]) == (
        ids["late"], "陈静", "13600003333", "邀约试驾", 2)
    assert main(["followups", "today", "--db", str(path), "--json", "--owner", "wanglei"]) == 0
    assert _json(capsys)["counts"] == {"overdue": 0, "due_today": 0}
    assert main(["followups", "today", "--db", str(path), "--json", "--owner", "all"]) == 0
    assert _json(capsys)["counts"]["overdue"] == 1


def test_an_unknown_owner_exits_2(book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = book
    with pytest.raises(SystemExit) as stopped:
        main(["followups", "today", "--db", str(path), "--owner", "nobody"])
    assert stopped.value.code == 2


def test_done_with_a_next_day_plans_it(book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    next_day = (utcnow() + timedelta(days=3)).date().isoformat()
    assert main(["followups", "done", ids["late"], "--db", str(path), "--json", "--outcome", "周六来店",
                 "--next-step", "接待试驾", "--next-due", next_day]) == 0
    shown = _json(capsys)
    assert shown["status"] == "done" and shown["next_due_at"].startswith(next_day[:8])
    with pytest.raises(SystemExit) as stopped:  # done already
        main(["followups", "done", ids["late"], "--db", str(path), "--outcome", "again"])
    assert stopped.value.code == 2
    assert "already done" in capsys.readouterr().err


def test_ics_and_cadence(book: tuple[Path, dict[str, str]], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    output = tmp_path / "out.ics"
    assert main(["followups", "ics", "--db", str(path), "-o", str(output), "--json"]) == 0
    assert _json(capsys)["written"] == 1
    (event,) = Calendar.from_ical(output.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) == ids["late"]
    assert main(["followups", "cadence", "--db", str(path)]) == 0
    assert _json(capsys) == followups.DEFAULT_CADENCE
    setting = tmp_path / "cadence.json"
    setting.write_text(json.dumps({"H": 1, "A": 5}), encoding="utf-8")
    assert main(["followups", "cadence", "set", str(setting), "--db", str(path), "--json"]) == 0
    assert _json(capsys)["A"] == 5
    setting.write_text(json.dumps({"H": -1}), encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["followups", "cadence", "set", str(setting), "--db", str(path)])
    assert stopped.value.code == 2
