"""`crmdesk product ...` and `crmdesk quote ...`: the catalog and a quote driven from the command line through
approval, rejection, a second version, comparison, acceptance and the PDF."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crmdesk.cli import main
from crmdesk.models import User
from crmdesk.models.database import open_database
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import unit_of_work
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    services = Services(db)
    actor = ensure_local_user(db)
    with unit_of_work(db, actor) as session:
        session.add_all([User(username="wanglei", display_name="王磊", role="consultant"),
                         User(username="zhaomin", display_name="赵敏", role="manager")])
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333"}).id
    stage = next(s.id for s in list_stages(db, actor, "vehicle") if s["code"] == "negotiation")
    deal = services.opportunities.create(actor, {"name": "华驰 S5 购车", "customer_id": customer, "stage_id": stage,
                                                 "amount": Decimal("189800")}).id
    db.close()
    return path, deal


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 2
    return capsys.readouterr().err


def test_products_are_added_imported_and_listed(book: tuple[Path, str], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(book[0]), "--json"]
    added = run(capsys, "product", "add", "--code", "HC-S5", "--name", "华驰 S5 豪华版", "--price", "189800",
                "--vehicle", "--model", "S5", "--colour", "珍珠白", *db)
    assert added["code"] == "HC-S5" and added["is_vehicle"] is True and added["tax_rate_bp"] == 1300
    csv = tmp_path / "catalog.csv"
    csv.write_text("编码,名称,单位,指导价,税率\nEW-3Y,三年延保,份,3000,6%\nACC-MAT,脚垫,套,399,13%\n", encoding="utf-8-sig")
    assert run(capsys, "product", "import", str(csv), *db) == {"created": 2, "updated": 0}
    listed = run(capsys, "product", "list", *db)
    assert listed["total"] == 3 and [p["code"] for p in listed["products"]] == ["ACC-MAT", "EW-3Y", "HC-S5"]
    assert next(p for p in listed["products"] if p["code"] == "EW-3Y")["tax_rate_bp"] == 600
    assert [p["code"] for p in run(capsys, "product", "list", "--search", "yanbao", *db)["products"]] == ["EW-3Y"]
    assert run(capsys, "product", "list", "--vehicles", *db)["total"] == 1
    assert "code" in refused(capsys, "product", "add", "--code", "hc-s5", "--name", "重复", "--price", "1",
                             "--db", str(book[0]))
    assert "manager" in refused(capsys, "product", "add", "--code", "X", "--name", "新", "--price", "1",
                                "--as", "wanglei", "--db", str(book[0]))
    assert "--tax-rate" in refused(capsys, "product", "add", "--code", "X", "--name", "新", "--price", "1",
                                   "--tax-rate", "abc", "--db", str(book[0]))


def test_a_quote_goes_through_approval_versions_and_acceptance(book: tuple[Path, str], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path, deal = book
    db = ["--db", str(path), "--json"]
    run(capsys, "product", "add", "--code", "HC-S5", "--name", "华驰 S5 豪华版", "--price", "100000", *db)
    run(capsys, "product", "add", "--code", "EW-3Y", "--name", "三年延保", "--price", "3000", "--tax-rate", "6%", *db)
    rep, boss = ("--as", "wanglei"), ("--as", "zhaomin")

    created = run(capsys, "quote", "create", "--opportunity", deal, *rep, *db)
    number = created["number"]
    assert number.startswith("QT-") and created["version"] == 1 and created["status"] == "draft"
    quote = run(capsys, "quote", "add-line", number, "--product", "HC-S5", "--discount", "8", *rep, *db)
    assert quote["lines"][0]["line_total"] == "92000.00" and quote["max_discount_bp"] == 800
    quote = run(capsys, "quote", "add-line", number, "--product", "EW-3Y", *rep, *db)
    assert quote["total"] == "95000.00" and quote["tax_total"] == "10753.88"  # 10584.07 + 169.81
    assert run(capsys, "quote", "submit", number, *rep, *db)["status"] == "pending_approval"
    assert "comment" in refused(capsys, "quote", "reject", number, "--comment", " ", *boss, "--db", str(path))
    rejected = run(capsys, "quote", "reject", number, "--comment", "最多 3%", *boss, *db)
    assert rejected["status"] == "draft" and rejected["approval_status"] == "rejected"
    lowered = run(capsys, "quote", "set-line", number, "1", "--discount", "3", *rep, *db)
    assert lowered["max_discount_bp"] == 300
    assert run(capsys, "quote", "submit", number, *rep, *db)["status"] == "approved"  # within 3 %
    assert run(capsys, "quote", "send", number, *rep, *db)["status"] == "sent"
    assert "new version" in refused(capsys, "quote", "set-line", number, "1", "--qty", "2", *rep, "--db", str(path))

    v2 = run(capsys, "quote", "revise", number, *rep, *db)
    assert (v2["number"], v2["version"], v2["status"]) == (number, 2, "draft")
    run(capsys, "quote", "remove-line", number, "2", *rep, *db)
    v2 = run(capsys, "quote", "set-line", number, "1", "--qty", "2", *rep, *db)
    assert v2["total"] == "194000.00"
    compared = run(capsys, "quote", "compare", number, "1", "2", *db)
    assert [line["change"] for line in compared["lines"]] == ["changed", "removed"]
    assert {change["field"] for change in compared["lines"][0]["fields"]} >= {"quantity", "line_total"}
    run(capsys, "quote", "submit", number, *rep, *db)
    run(capsys, "quote", "send", number, *rep, *db)
    accepted = run(capsys, "quote", "accept", number, "--comment", "客户签字", *rep, *db)
    assert accepted["status"] == "accepted" and accepted["version"] == 2
    assert "already accepted" in refused(capsys, "quote", "accept", number, "--db", str(path))

    shown = run(capsys, "quote", "show", number, "--version", "1", *db)
    assert shown["read_only"] is True and shown["status"] == "sent"
    assert [event["action"] for event in shown["events"]] == [
        "create", "submit", "reject", "submit", "send", "revise", "submit", "send", "accept"]
    listed = run(capsys, "quote", "list", *db)
    assert listed["total"] == 1 and listed["quotes"][0]["version"] == 2
    assert run(capsys, "quote", "list", "--all-versions", *db)["total"] == 2
    assert run(capsys, "quote", "list", "--status", "accepted", *db)["total"] == 1

    pdf = tmp_path / "quote.pdf"
    written = run(capsys, "quote", "pdf", number, "-o", str(pdf), *db)
    assert written["version"] == 2 and pdf.read_bytes().startswith(b"%PDF") and written["bytes"] == pdf.stat().st_size


def test_the_policy_and_expiry_from_the_command_line(book: tuple[Path, str], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path, deal = book
    db = ["--db", str(path), "--json"]
    assert run(capsys, "quote", "policy", *db)["consultant"] == 300
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"consultant": 500}), encoding="utf-8")
    assert run(capsys, "quote", "policy", str(policy), *db)["consultant"] == 500
    assert "administrator" in refused(capsys, "quote", "policy", str(policy), "--as", "zhaomin", "--db", str(path))
    run(capsys, "product", "add", "--code", "HC-S5", "--name", "华驰 S5", "--price", "100000", *db)
    number = run(capsys, "quote", "create", "--opportunity", deal, *db)["number"]
    assert "valid for a year" in refused(capsys, "quote", "create", "--opportunity", deal, "--valid-until",
                                         "2099-01-01", "--db", str(path))
    run(capsys, "quote", "add-line", number, "--product", "HC-S5", *db)
    run(capsys, "quote", "edit", number, "--terms", "含上牌", *db)
    run(capsys, "quote", "submit", number, *db)
    run(capsys, "quote", "send", number, *db)
    assert run(capsys, "quote", "expire", "--today", "2099-12-31", *db) == {"expired": 1}
    assert run(capsys, "quote", "show", number, *db)["status"] == "expired"
    assert "no line 9" in refused(capsys, "quote", "remove-line", number, "9", "--db", str(path))
    assert "No product" in refused(capsys, "quote", "add-line", number, "--product", "NOPE", "--db", str(path))
