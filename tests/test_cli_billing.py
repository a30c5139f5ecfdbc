"""`crmdesk contract|order|plan|payment ...` and `crmdesk report receivables`: the chain from an accepted quote
to the money collected, driven from the command line with --json."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crmdesk.cli import main
from crmdesk.models import Product, Quote, QuoteLine
from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.uow import unit_of_work
from crmdesk.services.users import ensure_local_user

QUOTE_NUMBER = "QT-TEST-20261201-0007"


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, str]:
    """A book with a customer and their accepted quote V2: one car at 100,000.01."""
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    actor = ensure_local_user(db)
    customer = Services(db).customers.create(actor, {"name": "张伟", "phone": "13812345678"})
    with unit_of_work(db, actor) as session:
        car = Product(code="A6L", name_zh="奥迪A6L", unit="台", list_price=Decimal("100000.01"), is_vehicle=True,
                      model="A6L")
        session.add(car)
        session.flush()
        for version, status in ((1, "sent"), (2, "accepted")):
            quote = Quote(number=QUOTE_NUMBER, version=version, is_current=version == 2, customer_id=customer.id,
                          status=status, total=Decimal("100000.01"), owner_id=actor.user_id)
            session.add(quote)
            session.flush()
            session.add(QuoteLine(quote_id=quote.id, position=1, product_id=car.id, description="奥迪A6L 星河白",
                                  quantity=Decimal("1"), unit_price=Decimal("100000.01"),
                                  line_total=Decimal("100000.01")))
    db.close()
    return path, customer.id


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    return capsys.readouterr().err


def test_the_whole_chain_from_the_command_line(book: tuple[Path, str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path, customer_id = book
    db = ["--db", str(path), "--json"]
    contract = run(capsys, "contract", "from-quote", QUOTE_NUMBER, "--terms", "含上牌服务", *db)
    assert contract["status"] == "draft" and contract["quote_version"] == 2 and contract["amount"] == "100000.01"
    assert "壹拾万元零壹分" in contract["body"] and contract["template_version"] == 1
    number = contract["number"]
    signed = run(capsys, "contract", "sign", number, "--on", "2026-12-01", *db)
    assert signed["status"] == "signed" and "2026年12月1日" in signed["body"]
    scan = tmp_path / "签字页.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    attached = run(capsys, "contract", "attach", number, str(scan), "--note", "双方签字", *db)
    assert attached["content_type"] == "application/pdf" and attached["filename"] == "签字页.pdf"
    shown = run(capsys, "contract", "show", number, *db)
    assert [item["id"] for item in shown["attachments"]] == [attached["id"]] and shown["attachment_count"] == 1

    order = run(capsys, "order", "from-contract", number, "--vin", "LSVAU2180N2183294", *db)
    assert order["order"]["contract_id"] == contract["id"] and order["lines"][0]["vin"] == "LSVAU2180N2183294"
    assert len(order["warnings"]) == 1  # the check digit: a warning, not a refusal
    order_number = order["order"]["number"]

    plan = run(capsys, "plan", "create", "--contract", number, "--installment", "2026-12-01=30%:首付款",
               "--installment", "2026-12-20=40%", "--installment", "2027-01-20=30%", *db)
    assert [item["amount"] for item in plan["installments"]] == ["30000.00", "40000.00", "30000.01"]
    pay = ["payment", "add", "--customer", customer_id, "--method", "bank_transfer"]
    first = run(capsys, *pay, "--amount", "20000", "--on", "2026-12-01", "--order", order_number, *db)
    second = run(capsys, *pay, "--amount", "30000", "--on", "2026-12-10", *db)
    over = run(capsys, *pay, "--amount", "60000", "--on", "2027-01-05", "--reference", "工行回单 8837", *db)
    assert [a["amount"] for a in first["allocations"]] == ["20000.00"]
    assert [a["amount"] for a in second["allocations"]] == ["10000.00", "20000.00"]
    assert over["customer_credit"] == "9999.99" and over["payment"]["unallocated"] == "9999.99"
    shown_plan = run(capsys, "plan", "show", "--contract", number, "--as-of", "2027-01-06", *db)
    assert [item["status"] for item in shown_plan["installments"]] == ["paid", "paid", "paid"]

    undone = run(capsys, "payment", "unallocate", "--allocation", over["allocations"][-1]["id"], *db)
    assert undone["unallocated"][0]["amount"] == "30000.01"
    assert run(capsys, "payment", "credit", customer_id, *db)["credit"] == "40000.00"
    applied = run(capsys, "payment", "credit", customer_id, "--apply", *db)
    assert applied["credit"] == "9999.99" and applied["allocations"][0]["amount"] == "30000.01"

    report = run(capsys, "report", "receivables", "--as-of", "2026-12-31", *db)
    assert report["kind"] == "receivables" and report["as_of"] == "2026-12-31"
    totals = report["totals"]
    # As of 2026-12-31: 50,000 received by then (the 60,000 came on 2027-01-05); 20,000 of the 12-20
    # installment is 11 days late.
    assert (totals["scheduled"], totals["due"], totals["collected"], totals["overdue"]) == (
        "100000.01", "70000.00", "50000.00", "20000.00")
    assert totals["aging"] == {"0-30": "20000.00", "31-60": "0.00", "61-90": "0.00", "90+": "0.00"}
    assert report["by_customer"][0]["label"] == "张伟" and report["credit"] == "0.00"

    delivered = run(capsys, "order", "deliver", order_number, "--on", "2027-01-10", *db)
    assert delivered["order"]["status"] == "delivered"
    assert run(capsys, "order", "close", order_number, *db)["order"]["status"] == "closed"
    finished = run(capsys, "contract", "in-force", number, *db)
    assert finished["status"] == "in_force"


def test_templates_and_user_errors_exit_2(book: tuple[Path, str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path, customer_id = book
    db = ["--db", str(path)]
    text = tmp_path / "template.txt"
    text.write_text("买方：{customer_name}，金额 {amount}（{amount_in_words}）", encoding="utf-8")
    saved = run(capsys, "contract", "template-save", "vehicle_sale", str(text), "--name", "简版", *db, "--json")
    assert (saved["code"], saved["version"]) == ("vehicle_sale", 2)
    listed = run(capsys, "contract", "templates", *db, "--json")
    assert {item["code"]: item["version"] for item in listed} == {"project_sale": 1, "vehicle_sale": 2}
    text.write_text("买方：{buyer}", encoding="utf-8")
    assert "{buyer}" in fails(capsys, "contract", "template-save", "vehicle_sale", str(text), "--name", "x", *db)
    assert "no longer exists" in fails(capsys, "order", "from-quote", "no-such-quote", *db)
    errors = fails(capsys, "order", "from-quote", QUOTE_NUMBER, "--vin", "1HGCM8263IA004352", *db)
    assert "I, O or Q" in errors
    assert "no longer exists" in fails(capsys, "plan", "create", "--contract", "CT-none", "--installment",
                                       "2026-12-01=100%", *db)
    contract = run(capsys, "contract", "from-quote", QUOTE_NUMBER, *db, "--json")
    refused = fails(capsys, "plan", "create", "--contract", contract["number"], "--installment", "2026-12-01=30%",
                    "--installment", "2027-01-01=60%", *db)
    assert "90.00 %" in refused
    assert "DATE=AMOUNT" in fails(capsys, "plan", "create", "--contract", contract["number"], "--installment",
                                  "2026-12-01", *db)
    assert "amount" in fails(capsys, "payment", "add", "--customer", customer_id, "--amount", "-1", "--on",
                             "2026-12-01", *db)
    assert "--as-of" in fails(capsys, "report", "receivables", "--as-of", "2026-13-01", *db)
