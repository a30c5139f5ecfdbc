"""`crmdesk testdrive ...`, `crmdesk lost ...` and `crmdesk customers reactivate`, with --json."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models import Product
from crmdesk.models.database import open_database
from crmdesk.services.demo import resident_id_number
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import unit_of_work
from crmdesk.services.users import ensure_local_user

VALID_ID = resident_id_number("330106", date(1988, 5, 17), 123, male=True)


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    services = Services(db)
    actor = ensure_local_user(db)
    with unit_of_work(db, actor) as session:
        car = Product(code="HC-A3-STD-BLK", name_zh="华驰 A3 舒适版 曜石黑", is_vehicle=True, model="华驰 A3")
        session.add(car)
        session.flush()
        car_id = car.id
    customer = services.customers.create(actor, {"name": "张伟", "phone": "13812345678", "id_number": VALID_ID,
                                                 "owner_id": actor.user_id}).id
    stage = next(s.id for s in list_stages(db, actor, "vehicle") if s["code"] == "qualify")
    deal = services.opportunities.create(actor, {"name": "华驰 A3", "customer_id": customer, "stage_id": stage,
                                                 "amount": Decimal("129800")}).id
    db.close()
    return path, {"car": car_id, "customer": customer, "deal": deal}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_book_out_return_and_list(book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    db = ["--db", str(path), "--json"]
    booked = _run(capsys, "testdrive", "book", "--customer", ids["customer"], "--vehicle", ids["car"],
                  "--plate", "浙A12345", "--licence", VALID_ID, "--at", "2026-03-05 10:30", *db)
    assert isinstance(booked, dict)
    assert booked["status"] == "booked" and booked["opportunity_id"] == ids["deal"]
    assert booked["driver_name"] == "张伟" and booked["booked_for"].startswith("2026-03-05")
    out = _run(capsys, "testdrive", "out", booked["id"], "--odometer", "1000", *db)
    assert isinstance(out, dict) and out["status"] == "out"
    back = _run(capsys, "testdrive", "return", booked["id"], "--odometer", "1012", *db)
    assert isinstance(back, dict) and back["distance_km"] == 12 and back["counts_as_done"] is True
    listed = _run(capsys, "testdrive", "list", "--customer", ids["customer"], *db)
    assert isinstance(listed, list) and [d["id"] for d in listed] == [booked["id"]]
    assert _run(capsys, "testdrive", "list", "--day", "2026-03-05", *db) == listed


def test_user_errors_exit_2(book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    bad = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    with pytest.raises(SystemExit) as caught:
        main(["testdrive", "book", "--customer", ids["customer"], "--vehicle", ids["car"], "--driver-id", bad,
              "--db", str(path), "--json"])
    assert caught.value.code == 2
    assert "driver_id_number" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["lost", "request", ids["deal"], "--reason", "nonsense", "--db", str(path)])
    assert caught.value.code == 2


def test_lost_request_pending_approve_and_reactivate(book: tuple[Path, dict[str, str]],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    db = ["--db", str(path), "--json"]
    request = _run(capsys, "lost", "request", ids["deal"], "--reason", "competitor", "--detail", "买了别家", *db)
    assert isinstance(request, dict) and request["status"] == "pending"
    pending = _run(capsys, "lost", "pending", *db)
    assert isinstance(pending, list) and pending[0]["customer_name"] == "张伟" and pending[0]["amount"] == "129800.00"
    approved = _run(capsys, "lost", "approve", request["id"], "--comment", "同意", *db)
    assert isinstance(approved, dict) and approved["status"] == "approved"
    assert _run(capsys, "lost", "pending", *db) == []
    customer = _run(capsys, "customers", "reactivate", ids["customer"], "--note", "客户回店", *db)
    assert isinstance(customer, dict) and customer["status"] == "active" and customer["owner_id"] is not None
    with pytest.raises(SystemExit) as caught:
        main(["customers", "reactivate", ids["customer"], "--db", str(path)])
    assert caught.value.code == 2


def test_reject_needs_a_comment(book: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = book
    db = ["--db", str(path), "--json"]
    request = _run(capsys, "lost", "request", ids["deal"], "--reason", "price", *db)
    assert isinstance(request, dict)
    with pytest.raises(SystemExit):
        main(["lost", "reject", request["id"], "--db", str(path)])  # argparse: --comment is required
    capsys.readouterr()
    rejected = _run(capsys, "lost", "reject", request["id"], "--comment", "再跟进一次", *db)
    assert isinstance(rejected, dict) and rejected["status"] == "rejected" and rejected["review_comment"] == "再跟进一次"
    reasons = _run(capsys, "lost", "reasons", *db)
    assert isinstance(reasons, list) and reasons[-1] == {"code": "other", "zh": "其他", "en": "Other",
                                                         "needs_detail": True}


def test_lost_reasons_are_shown_and_replaced(book: tuple[Path, dict[str, str]], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = book
    shown = _run(capsys, "lost", "reasons", "--db", str(path), "--json")
    assert isinstance(shown, list) and "price" in [r["code"] for r in shown]
    reasons = tmp_path / "reasons.json"
    reasons.write_text(json.dumps([{"code": "finance", "zh": "贷款未批", "en": "Loan refused"},
                                   {"code": "other", "zh": "其他", "en": "Other", "needs_detail": True}],
                                  ensure_ascii=False), encoding="utf-8")
    stored = _run(capsys, "lost", "reasons", "--db", str(path), "--json", "--set", str(reasons))
    assert [r["code"] for r in stored] == ["finance", "other"] and stored[1]["needs_detail"] is True  # type: ignore[index]
    reasons.write_text('{"code": "x"}', encoding="utf-8")
    with pytest.raises(SystemExit) as raised:
        main(["lost", "reasons", "--db", str(path), "--set", str(reasons)])
    assert raised.value.code == 2
