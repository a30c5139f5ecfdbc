"""The whole chain through the services (issue 7's done-means): a consultant's quote with a discount above
their limit goes through a manager's approval, a second version, a PDF read back, a contract, an order with a
VIN and a payment plan, two partial payments and one over-payment, every object linked to the one it came from.
The figures are computed by hand in the comments."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from crmdesk import i18n
from crmdesk.models import Contract, Order, Payment, PaymentPlan, Quote
from crmdesk.services import contracts, payments, quotes
from crmdesk.services.catalog import ProductService
from crmdesk.services.documents import render_contract_pdf, render_quote_pdf
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session

D = Decimal
VIN = "1HGCM82633A004352"  # a VIN with a correct check digit (9th character)


def _pdf_text(tmp_path: Path, name: str, data: bytes) -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return "".join(text.split()), fonts  # pdftotext spaces CJK as it likes: compare without whitespace


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdffonts) not installed")
def test_quote_to_cash_through_the_services(services: Services, actor: Actor, new_user: Callable[[str, str, str], Actor], tmp_path: Path) -> None:
    i18n.set_language("zh_CN")  # the printed documents as the customer gets them (the fixture resets it)
    db = services.db
    rep = new_user("wanglei", "王磊", "consultant")  # may give 3 % (the default policy)
    manager = new_user("zhaomin", "赵敏", "manager")  # may approve up to 15 %
    products = ProductService(db)
    car = products.create(actor, {"code": "HC-S5-LUX", "name_zh": "华驰 S5 豪华版 珍珠白", "list_price": "169800",
                                  "is_vehicle": True, "model": "S5", "colour": "珍珠白"}).id
    mats = products.create(actor, {"code": "ACC-MAT", "name_zh": "全包围脚垫", "list_price": "800",
                                   "unit": "套"}).id
    customer = services.customers.create(rep, {"name": "陈静", "phone": "13600003333", "owner_id": rep.user_id,
                                               "city": "杭州市", "address": "西湖区文三路 90 号"})
    stage = next(s.id for s in list_stages(db, rep, "vehicle") if s["code"] == "negotiation")
    deal = services.opportunities.create(rep, {"name": "华驰 S5 购车", "customer_id": customer.id,
                                               "stage_id": stage, "amount": D("169800")})

    # V1: 5 % off the car, above the consultant's 3 %: it waits for the manager.
    v1 = quotes.create_quote(db, rep, {"opportunity_id": deal.id, "valid_until": date.today() + timedelta(days=15)},
                             [{"product_id": car, "discount_percent": "5"}])
    assert v1.number.startswith("QT-") and v1.version == 1 and v1.total == D("161310.00")  # 169,800 - 8,490
    assert quotes.submit_quote(db, rep, v1.id).status == "pending_approval"
    assert quotes.approve_quote(db, manager, v1.id, "同意 5%").status == "approved"
    assert quotes.send_quote(db, rep, v1.id).status == "sent"

    # The customer bargains: V2 adds the mats at 800 and takes 6 % off the car; approved again, sent.
    v2 = quotes.revise_quote(db, rep, v1.id)
    assert (v2.number, v2.version, v2.status) == (v1.number, 2, "draft")
    v2 = quotes.update_quote(db, rep, v2.id, lines=[
        {"id": v2.lines[0].id, "product_id": car, "discount_percent": "6"}, {"product_id": mats}])
    # 169,800 - 10,188 = 159,612 for the car; + 800 = 160,412
    assert v2.total == D("160412.00") and v2.discount_total == D("10188.00")
    assert quotes.submit_quote(db, rep, v2.id).status == "pending_approval"
    quotes.approve_quote(db, manager, v2.id, "最后一次让利")
    quotes.send_quote(db, rep, v2.id)
    old = quotes.get_quote_by_number(db, rep, v1.number, 1)
    assert (old.is_current, old.status, old.total) == (False, "sent", D("161310.00"))  # kept as it was
    compared = quotes.compare_versions(db, rep, v1.number, 1, 2)
    assert [line.change for line in compared.lines] == ["changed", "added"]

    # The PDF of V2, read back: Chinese, the amount in words, the page count, the fonts embedded.
    text, fonts = _pdf_text(tmp_path, "quote.pdf", render_quote_pdf(quotes.quote_document(db, rep, v2.id)))
    assert "陈静" in text and "壹拾陆万零肆佰壹拾贰元整" in text and "第1页/共1页" in text
    assert f"{v1.number}V2" in text  # the number and version in the footer
    font_rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert font_rows and all(" yes " in row for row in font_rows)  # every font embedded (and subset)

    # Accepted: V2 is carried forward into the contract, signed.
    accepted = quotes.accept_quote(db, rep, v2.id)
    assert accepted.status == "accepted" and quotes.accepted_version(db, v1.number) is not None
    contract = contracts.create_contract_from_quote(db, rep, v2.id)
    assert contract["amount"] == D("160412.00")
    contracts.sign_contract(db, rep, contract.id, date.today())
    text, fonts = _pdf_text(tmp_path, "contract.pdf",
                            render_contract_pdf(contracts.contract_document(db, rep, contract.id)))
    assert "陈静" in text and "壹拾陆万零肆佰壹拾贰元整" in text and contract["number"] in text

    # The order, with the car's VIN; a plan of 30/40/30 % on it.
    made = services.orders.create_from_contract(rep, contract.id, vins=[VIN])
    assert made.warnings == () and [line["vin"] for line in made.lines if line["vin"]] == [VIN]
    order = made.order
    today = date.today()
    plan = payments.create_payment_plan(db, rep, order_id=order.id, installments=[
        {"due_date": today, "percent": "30", "note": "定金"},
        {"due_date": today + timedelta(days=10), "percent": "40", "note": "首付"},
        {"due_date": today + timedelta(days=30), "percent": "30", "note": "尾款"}])
    # 30 % of 160,412 = 48,123.60; 40 % = 64,164.80; the last takes the rest: 48,123.60
    assert [i.amount for i in plan.installments] == [D("48123.60"), D("64164.80"), D("48123.60")]

    # Two partial payments, then one that pays more than is left: the rest stays as credit.
    payments.record_payment(db, rep, {"customer_id": customer.id, "order_id": order.id, "received_on": today,
                                      "amount": "30000", "method": "wechat", "payer": "陈静"})
    payments.record_payment(db, rep, {"customer_id": customer.id, "order_id": order.id, "received_on": today,
                                      "amount": "50000", "method": "bank_transfer", "reference": "ICBC-0001"})
    seen = payments.payment_plan(db, rep, plan.id, today)
    # 80,000 paid: the deposit in full (48,123.60), 31,876.40 of the down payment
    assert [(i.status, i.paid) for i in seen.installments] == [
        ("paid", D("48123.60")), ("partial", D("31876.40")), ("open", D("0.00"))]
    result = payments.record_payment(db, rep, {"customer_id": customer.id, "order_id": order.id,
                                               "received_on": today, "amount": "90000", "method": "bank_transfer"})
    # 160,412 owed, 170,000 paid: 9,588.00 over
    assert result.customer_credit == D("9588.00") == payments.customer_credit(db, customer.id)
    seen = payments.payment_plan(db, rep, plan.id, today)
    assert all(i.status == "paid" for i in seen.installments) and seen.outstanding == D("0.00")

    # Every object points at the one it came from.
    with read_session(db) as session:
        v2_row = session.get_one(Quote, v2.id)
        contract_row = session.get_one(Contract, contract.id)
        order_row = session.get_one(Order, order.id)
        plan_row = session.get_one(PaymentPlan, plan.id)
        paid = session.scalars(select(Payment).where(Payment.order_id == order.id)).all()
    assert v2_row.previous_version_id == v1.id and v2_row.opportunity_id == deal.id
    assert (contract_row.quote_id, contract_row.source_type, contract_row.source_id) == (v2.id, "quote", v2.id)
    assert contract_row.opportunity_id == deal.id
    assert (order_row.contract_id, order_row.customer_id) == (contract.id, customer.id)
    assert plan_row.order_id == order.id and len(paid) == 3
