"""Contracts: made from an accepted quote (or a deal) keeping the link and the template version, the
templates and their versions, the status flow, attachments and the printed contract's data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crmdesk.models import (
    AuditEntry,
    Contract,
    ContractAttachment,
    ContractTemplate,
    Product,
    Quote,
    QuoteLine,
)
from crmdesk.models.database import Database
from crmdesk.services import contracts, payments
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work

VEHICLE_QUALIFY = "01900000-0000-7000-8000-000000001000"
PROJECT_QUALIFY = "01900000-0000-7000-8000-000000002000"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_quote(db: Database, actor: Actor, customer_id: str, *, status: str = "accepted", version: int = 2,
               opportunity_id: str | None = None, vehicle: bool = True, number: str = "QT-TEST-20261201-0001",
               ) -> str:
    """An accepted quote version written straight to the tables (the quotes service is another module):
    two cars at 50,000.00 less 0.99 each, tax included, total 99,999.01."""
    with unit_of_work(db, actor) as session:
        product = Product(code=f"A6L-{number[-4:]}", name_zh="奥迪A6L 45 TFSI", unit="台",
                          list_price=Decimal("50000.00"), is_vehicle=vehicle, model="A6L" if vehicle else None)
        session.add(product)
        session.flush()
        quote = Quote(number=number, version=version, customer_id=customer_id, opportunity_id=opportunity_id,
                      status=status, subtotal=Decimal("100000.00"), discount_total=Decimal("0.99"),
                      tax_total=Decimal("11504.31"), total=Decimal("99999.01"), owner_id=actor.user_id,
                      terms="含上牌服务，赠送三年保养。")
        session.add(quote)
        session.flush()
        session.add(QuoteLine(quote_id=quote.id, position=1, product_id=product.id,
                              description="奥迪A6L 45 TFSI 臻选动感型 星河白", quantity=Decimal("2"),
                              unit_price=Decimal("50000.00"), discount_amount=Decimal("0.99"),
                              line_total=Decimal("99999.01")))
        return quote.id


@pytest.fixture
def customer(services: Services, actor: Actor) -> str:
    return services.customers.create(actor, {"name": "张伟", "phone": "13812345678",
                                             "address": "北京市朝阳区建国路88号"}).id


def _count(db: Database, model: type) -> int:
    with read_session(db) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_contract_from_an_accepted_quote_keeps_the_link_and_the_template_version(
        services: Services, actor: Actor, customer: str) -> None:
    deal = services.opportunities.create(actor, {"name": "A6L 两台", "customer_id": customer,
                                                 "stage_id": VEHICLE_QUALIFY, "amount": "100000"})
    quote_id = make_quote(services.db, actor, customer, opportunity_id=deal.id)
    contract = contracts.create_contract_from_quote(services.db, actor, quote_id)
    assert (contract["quote_id"], contract["source_type"], contract["source_id"]) == (quote_id, "quote", quote_id)
    assert contract["opportunity_id"] == deal.id and contract["customer_id"] == customer
    assert (contract["buyer_name"], contract["buyer_phone"], contract["buyer_address"]) == (
        "张伟", "13812345678", "北京市朝阳区建国路88号")
    assert contract["amount"] == Decimal("99999.01") and contract["status"] == "draft"
    prefix, device, day, sequence = contract["number"].split("-")
    assert (prefix, day, sequence) == ("CT", f"{date.today():%Y%m%d}", "0001") and len(device) == 4
    vehicle_id = contracts.DEFAULT_TEMPLATES[contracts.VEHICLE_TEMPLATE][0]
    assert (contract["template_id"], contract["template_version"]) == (vehicle_id, 1)
    assert contract["terms"] == "含上牌服务，赠送三年保养。"
    body = contract["body"]
    assert "与乙方（买方）张伟依据" in body
    assert "依据报价单 QT-TEST-20261201-0001 V2" in body and contract["number"] in body
    assert "¥99,999.01（人民币大写：玖万玖仟玖佰玖拾玖元零壹分）" in body
    assert "1. 奥迪A6L 45 TFSI 臻选动感型 星河白　2台 × ¥50,000.00 = ¥99,999.01" in body
    assert "签订日期：____年__月__日" in body  # filled in by hand until it is signed
    assert "含上牌服务" in body and "{" not in body
    shown = contracts.get_contract(services.db, actor, contract.id)
    assert (shown["quote_number"], shown["quote_version"], shown["customer_name"]) == (
        "QT-TEST-20261201-0001", 2, "张伟")
    with pytest.raises(ConflictError, match="already has contract"):
        contracts.create_contract_from_quote(services.db, actor, quote_id)


def test_only_an_accepted_quote_becomes_a_contract_and_a_refusal_writes_nothing(
        services: Services, actor: Actor, customer: str) -> None:
    sent = make_quote(services.db, actor, customer, status="sent")
    before = (_count(services.db, Contract), _count(services.db, ContractTemplate), _count(services.db, AuditEntry))
    with pytest.raises(ConflictError, match="accepted"):
        contracts.create_contract_from_quote(services.db, actor, sent)
    with pytest.raises(ValidationError) as bad:
        contracts.create_contract_from_quote(services.db, actor, sent, {"starts_on": "2026-13-40"})
    assert "starts_on" in bad.value.errors
    with pytest.raises(NotFoundError):
        contracts.create_contract_from_quote(services.db, actor, "no-such-quote")
    assert (_count(services.db, Contract), _count(services.db, ContractTemplate),
            _count(services.db, AuditEntry)) == before
    accepted = make_quote(services.db, actor, customer, number="QT-TEST-20261201-0002")
    assert contracts.create_contract_from_quote(services.db, actor, accepted)["number"].endswith("-0001")


def test_a_saved_template_is_a_new_version_and_old_contracts_keep_theirs(
        services: Services, actor: Actor, customer: str) -> None:
    first = contracts.create_contract_from_quote(services.db, actor, make_quote(services.db, actor, customer))
    saved = contracts.save_template(services.db, actor, contracts.VEHICLE_TEMPLATE, "整车销售合同（2027版）",
                                    "买方：{customer_name}\n金额：{amount}（{amount_in_words}）\n{{不是占位符}}")
    assert (saved.code, saved.version) == (contracts.VEHICLE_TEMPLATE, 2)
    versions = contracts.template_versions(services.db, contracts.VEHICLE_TEMPLATE)
    assert [version.version for version in versions] == [1, 2]
    assert versions[0].body == contracts.DEFAULT_TEMPLATES[contracts.VEHICLE_TEMPLATE][2]
    current = {info.code: info for info in contracts.list_templates(services.db)}
    assert current[contracts.VEHICLE_TEMPLATE].version == 2 and current[contracts.PROJECT_TEMPLATE].version == 1
    assert current[contracts.PROJECT_TEMPLATE].stored is False

    second = contracts.create_contract_from_quote(
        services.db, actor, make_quote(services.db, actor, customer, number="QT-TEST-20261201-0002"))
    assert (second["template_id"], second["template_version"]) == (saved.id, 2)
    assert second["body"] == "买方：张伟\n金额：¥99,999.01（玖万玖仟玖佰玖拾玖元零壹分）\n{不是占位符}"
    kept = contracts.get_contract(services.db, actor, first.id)
    assert kept["template_version"] == 1 and kept["body"] == first["body"]
    # A draft edited later is rendered again from the version it remembers, not from the newest one.
    edited = contracts.update_contract(services.db, actor, first.id, {"terms": "交车时付清尾款。"})
    assert edited["template_version"] == 1 and "交车时付清尾款。" in edited["body"] and "第七条" in edited["body"]


def test_an_unknown_placeholder_is_named(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as unknown:
        contracts.save_template(services.db, actor, "vehicle_sale", "新模板", "客户：{customer_nmae}")
    assert "{customer_nmae}" in unknown.value.errors["body"]
    for body in ("金额：{amount:>10}", "单价 {", "{0}", "{customer.name}"):
        with pytest.raises(ValidationError) as refused:
            contracts.save_template(services.db, actor, "vehicle_sale", "新模板", body)
        assert "body" in refused.value.errors
    with pytest.raises(ValidationError) as bad_code:
        contracts.save_template(services.db, actor, "整车", "", "x")
    assert set(bad_code.value.errors) == {"code", "name"}
    consultant = Actor(actor.user_id, "王磊", "consultant")
    with pytest.raises(contracts.NotAllowedError):
        contracts.save_template(services.db, consultant, "vehicle_sale", "新模板", "{customer_name}")
    assert _count(services.db, ContractTemplate) == 0


def test_a_contract_from_a_project_deal_takes_the_project_template(
        services: Services, actor: Actor, customer: str) -> None:
    deal = services.opportunities.create(actor, {"name": "数据平台建设", "customer_id": customer,
                                                 "stage_id": PROJECT_QUALIFY, "amount": "1280000"})
    contract = contracts.create_contract_from_opportunity(
        services.db, actor, deal.id, {"title": "数据平台建设项目", "starts_on": "2027-01-01",
                                      "ends_on": "2027-06-30"})
    assert (contract["source_type"], contract["source_id"], contract["quote_id"]) == ("opportunity", deal.id, None)
    assert contract["amount"] == Decimal("1280000.00") and contract["template_version"] == 1
    assert contract["template_id"] == contracts.DEFAULT_TEMPLATES[contracts.PROJECT_TEMPLATE][0]
    assert "就“数据平台建设项目”项目订立本合同" in contract["body"]
    assert "自 2027年1月1日 起至 2027年6月30日 止" in contract["body"]
    assert "壹佰贰拾捌万元整" in contract["body"]
    with pytest.raises(ValidationError) as backwards:
        contracts.update_contract(services.db, actor, contract.id, {"ends_on": "2026-12-31"})
    assert "ends_on" in backwards.value.errors


def test_the_status_goes_draft_signed_in_force_finished(services: Services, actor: Actor, customer: str) -> None:
    contract = contracts.create_contract_from_quote(services.db, actor, make_quote(services.db, actor, customer))
    with pytest.raises(ConflictError):
        contracts.finish_contract(services.db, actor, contract.id)
    signed = contracts.sign_contract(services.db, actor, contract.id, "2026-12-01")
    assert signed["status"] == "signed" and signed["signed_on"] == date(2026, 12, 1)
    assert "签订日期：2026年12月1日" in signed["body"]
    with pytest.raises(ConflictError, match="draft"):
        contracts.update_contract(services.db, actor, contract.id, {"terms": "改一下"})
    with pytest.raises(ConflictError):
        contracts.sign_contract(services.db, actor, contract.id)
    in_force = contracts.put_contract_in_force(services.db, actor, contract.id)
    assert in_force["status"] == "in_force" and in_force["starts_on"] == date(2026, 12, 1)
    finished = contracts.finish_contract(services.db, actor, contract.id, "2027-03-01")
    assert finished["status"] == "finished" and finished["finished_on"] == date(2027, 3, 1)
    with pytest.raises(ConflictError):
        contracts.terminate_contract(services.db, actor, contract.id, "客户违约")
    with read_session(services.db) as session:
        changes = list(session.scalars(select(AuditEntry.new_value).where(
            AuditEntry.entity_id == contract.id, AuditEntry.field == "status").order_by(AuditEntry.at)))
    assert changes == ["signed", "in_force", "finished"]


def test_a_termination_needs_a_reason_and_keeps_it(services: Services, actor: Actor, customer: str) -> None:
    contract = contracts.create_contract_from_quote(services.db, actor, make_quote(services.db, actor, customer))
    contracts.sign_contract(services.db, actor, contract.id)
    with pytest.raises(ValidationError) as no_reason:
        contracts.terminate_contract(services.db, actor, contract.id, "  ")
    assert "reason" in no_reason.value.errors
    ended = contracts.terminate_contract(services.db, actor, contract.id, "客户放弃购车，定金按约定处理", "2026-12-05")
    assert (ended["status"], ended["terminated_on"], ended["termination_reason"]) == (
        "terminated", date(2026, 12, 5), "客户放弃购车，定金按约定处理")
    # The quote is free again for a new contract.
    again = contracts.create_contract_from_quote(services.db, actor, contract["quote_id"])
    assert again["number"] != contract["number"]
    listed = contracts.list_contracts(services.db, actor, status="terminated")
    assert [row.id for row in listed] == [contract.id] and "body" not in listed[0].values


def test_attachments_are_checked_listed_read_and_removed(services: Services, actor: Actor, customer: str) -> None:
    contract = contracts.create_contract_from_quote(services.db, actor, make_quote(services.db, actor, customer))
    scan = contracts.add_attachment(services.db, actor, contract.id, "C:\\扫描件\\合同签字页.pdf", PDF, "双方签字页")
    assert (scan.filename, scan.content_type, scan.size) == ("合同签字页.pdf", "application/pdf", len(PDF))
    photo = contracts.add_attachment(services.db, actor, contract.id, "seal.PNG", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert photo.content_type == "image/png"
    assert [item.id for item in contracts.list_attachments(services.db, actor, contract.id)] == [scan.id, photo.id]
    info, data = contracts.attachment_data(services.db, actor, scan.id)
    assert data == PDF and info.sha256 == __import__("hashlib").sha256(PDF).hexdigest()
    assert contracts.get_contract(services.db, actor, contract.id)["attachment_count"] == 2
    refusals = {
        "virus.exe": b"MZ\x90\x00" + b"\0" * 64,  # not a scan
        "scan.jpg": PDF,  # a PDF named .jpg
        "empty.pdf": b"",
        "huge.pdf": b"%PDF-" + b"\0" * contracts.ATTACHMENT_MAX_BYTES,
    }
    for name, content in refusals.items():
        with pytest.raises(ValidationError) as refused:
            contracts.add_attachment(services.db, actor, contract.id, name, content)
        assert "file" in refused.value.errors, name
    contracts.remove_attachment(services.db, actor, photo.id)
    assert [item.id for item in contracts.list_attachments(services.db, actor, contract.id)] == [scan.id]
    with pytest.raises(NotFoundError):
        contracts.attachment_data(services.db, actor, photo.id)
    assert _count(services.db, ContractAttachment) == 2  # the removed one is a tombstone, for the sync


def test_the_printed_contract_has_the_parties_lines_and_the_payment_plan(
        services: Services, actor: Actor, customer: str) -> None:
    from crmdesk.services.documents import save_company_profile

    save_company_profile(services.db, actor, {"name": "北京远景汽车销售服务有限公司", "address": "北京市丰台区南四环西路188号",
                                              "phone": "010-63456789", "tax_id": "", "bank_name": "中国工商银行北京丰台支行",
                                              "bank_account": "0200 0045 0920 0123 456", "logo": ""})
    contract = contracts.create_contract_from_quote(services.db, actor, make_quote(services.db, actor, customer))
    contracts.sign_contract(services.db, actor, contract.id, "2026-12-01")
    payments.create_payment_plan(services.db, actor, contract_id=contract.id, installments=[
        {"due_date": "2026-12-01", "percent": "30", "note": "首付款"},
        {"due_date": "2026-12-20", "percent": "70", "note": "提车款"}])
    document = contracts.contract_document(services.db, actor, contract.id)
    assert document.company.name == "北京远景汽车销售服务有限公司"
    assert (document.customer.name, document.customer.phone) == ("张伟", "13812345678")
    assert (document.number, document.amount, document.signed_on) == (contract["number"], Decimal("99999.01"),
                                                                      date(2026, 12, 1))
    assert (document.quote_number, document.quote_version, document.template_version) == (
        "QT-TEST-20261201-0001", 2, 1)
    assert "开户行：中国工商银行北京丰台支行" in document.body and "甲方（卖方）北京远景汽车销售服务有限公司与" in document.body
    (line,) = document.lines
    assert (line.quantity, line.unit, line.unit_price, line.discount, line.line_total) == (
        Decimal("2"), "台", Decimal("50000.00"), Decimal("0.99"), Decimal("99999.01"))
    assert [(item.amount, item.note) for item in document.installments] == [
        (Decimal("29999.70"), "首付款"), (Decimal("69999.31"), "提车款")]
