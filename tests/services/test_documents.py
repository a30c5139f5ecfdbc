"""The printed quote and contract, read back from the real PDF (pdftotext, pdffonts, pypdf), and the
company profile they are printed under."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from crmdesk import i18n
from crmdesk.models.database import Database
from crmdesk.services import documents
from crmdesk.services.document_data import (
    CompanyProfile,
    ContractDocument,
    DocumentLine,
    InstallmentLine,
    PartyBlock,
    QuoteDocument,
)
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.money import amount_in_words
from crmdesk.services.uow import Actor

USCC = "91330106MA2B0G3L0R"  # not valid: its check character is wrong
VALID_USCC = "91350100M000100Y43"

COMPANY = CompanyProfile(name="杭州华驰汽车销售服务有限公司", address="浙江省杭州市西湖区文三路 398 号",
                         phone="0571-88886666", tax_id=VALID_USCC, bank_name="中国工商银行杭州文三路支行",
                         bank_account="1202 0212 0990 0123 456")
CUSTOMER = PartyBlock(name="苏州群英电子有限公司", contact="陈静", phone="13600003333",
                      address="江苏省苏州市工业园区星湖街 328 号")
LONG_DESCRIPTION = "延保服务套餐（三年或十万公里，含道路救援、代步车、保养工时费八五折及全车玻璃险）"


def quote_document(count: int = 50, **changes: object) -> QuoteDocument:
    items = tuple(
        DocumentLine(position=index, code=f"HC-S5-{index:04d}",
                     description=LONG_DESCRIPTION if index % 3 == 0 else f"华驰 S5 2026 款 豪华型 第{index}项",
                     quantity=Decimal(index % 4 + 1), unit="台", unit_price=Decimal("158800.00"),
                     discount=Decimal("3000.00") if index % 2 else Decimal(0), tax_rate_bp=1300,
                     line_total=Decimal("155800.00") * (index % 4 + 1))
        for index in range(1, count + 1))
    total = sum((item.line_total for item in items), Decimal("0.00"))
    quote = QuoteDocument(
        number="QT-A1B2-20261123-0001", version=2, issued_on=date(2026, 11, 23), valid_until=date(2026, 12, 23),
        company=COMPANY, customer=CUSTOMER, lines=items, subtotal=total + Decimal("75000.00"),
        discount_total=Decimal("75000.00"), tax_total=(total * 13 / 113).quantize(Decimal("0.01")),
        total=total + Decimal("0.67"), terms="1. 本报价有效期 30 天。\n2. 价格含 13% 增值税。\n\n交车地点：杭州展厅。",
        owner_name="王磊")
    return dataclasses.replace(quote, **changes)  # type: ignore[arg-type]


def contract_document(**changes: object) -> ContractDocument:
    quote = quote_document(count=3)
    contract = ContractDocument(
        number="CT-A1B2-20261125-0001", title="汽车销售合同", company=COMPANY, customer=CUSTOMER,
        body="第一条 标的\n甲方向乙方出售下列车辆。\n\n第二条 交付\n甲方应于 2026 年 12 月 31 日前交车。",
        amount=Decimal("1050000.70"), signed_on=date(2026, 11, 25), starts_on=date(2026, 11, 25),
        ends_on=date(2027, 11, 24), quote_number=quote.number, quote_version=2, template_version=3,
        lines=quote.lines, installments=(
            InstallmentLine(1, date(2026, 11, 30), Decimal("315000.21"), "定金"),
            InstallmentLine(2, date(2026, 12, 31), Decimal("735000.49"), "提车前付清"),
        ), version=1)
    return dataclasses.replace(contract, **changes)  # type: ignore[arg-type]


def write(tmp_path: Path, pdf: bytes, name: str = "doc.pdf") -> Path:
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def page_texts(path: Path) -> list[str]:
    """Each page's text as pdftotext reads it, whitespace removed (it spaces CJK glyphs as it likes)."""
    pages = len(pypdf.PdfReader(path).pages)
    texts = []
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(path), "-"],
                              check=True, capture_output=True, text=True).stdout
        texts.append(re.sub(r"\s+", "", text))
    return texts


def fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def chinese() -> object:
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


def test_a_long_quote_in_chinese_has_the_customer_the_words_and_page_x_of_n_on_every_page(
        tmp_path: Path, chinese: object) -> None:
    quote = quote_document()
    path = write(tmp_path, documents.render_quote_pdf(quote))
    texts = page_texts(path)
    pages = len(texts)
    assert pages >= 2
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页/共{pages}页" in text
        assert "QT-A1B2-20261123-0001V2" in text  # number and version on every page
        assert "序号" in text and "名称" in text and "单价" in text and "金额" in text  # the header row repeats
    first, last = texts[0], texts[-1]
    assert "报价单" in first and "苏州群英电子有限公司" in first and "杭州华驰汽车销售服务有限公司" in first
    assert "报价单号：QT-A1B2-20261123-0001" in first and "版本：V2" in first
    assert "开户银行：中国工商银行杭州文三路支行" in first and f"统一社会信用代码：{VALID_USCC}" in first
    words = amount_in_words(quote.total)
    assert words.endswith("陆角柒分")
    assert f"合计金额（大写）：{words}" in last
    assert "小计" in last and "税额" in last and "合计" in last
    assert "签字：" in last and "盖章：" in last and "日期：" in last
    assert "交车地点：杭州展厅。" in last
    everything = "".join(texts)
    for line in quote.lines:  # every line printed once, on some page
        assert everything.count(line.code) == 1, line.code
    assert everything.count("保养工时费八五折及全车玻璃险") == sum(1 for line in quote.lines
                                                              if line.description == LONG_DESCRIPTION)


def test_the_page_count_matches_the_footers(tmp_path: Path) -> None:
    path = write(tmp_path, documents.render_quote_pdf(quote_document(count=120)))
    reader = pypdf.PdfReader(path)
    texts = page_texts(path)
    assert len(reader.pages) == len(texts) >= 4
    assert [f"Page{n}of{len(texts)}" in text for n, text in enumerate(texts, start=1)] == [True] * len(texts)
    with_lines = [text for text in texts if "HC-S5-" in text]
    assert len(with_lines) >= 4
    header = ("#", "Code", "Description", "Qty", "Unit", "Unitprice", "Discount", "Taxrate", "Amount")
    assert all(label in text for text in with_lines for label in header)


def test_only_the_bundled_font_is_used_and_it_is_embedded_as_a_subset(tmp_path: Path) -> None:
    for name, pdf in (("quote.pdf", documents.render_quote_pdf(quote_document())),
                      ("contract.pdf", documents.render_contract_pdf(contract_document()))):
        rows = fonts(write(tmp_path, pdf, name))
        assert rows, name
        for row in rows:
            assert "WenQuanYiMicroHei" in row[0] and "+" in row[0], row  # ABCDEF+ marks a subset
            emb, sub = row[-5], row[-4]
            assert (emb, sub) == ("yes", "yes"), row


def test_the_quote_prints_in_english_when_the_language_is_english(tmp_path: Path) -> None:
    text = "".join(page_texts(write(tmp_path, documents.render_quote_pdf(quote_document(count=3)))))
    assert "Quotation" in text and "QuoteNo.:QT-A1B2-20261123-0001" in text and "Version:V2" in text
    assert "Totalinwords:" in text and "Page1of1" in text
    assert "报价单" not in text


def test_user_text_is_printed_as_typed_not_read_as_markup(tmp_path: Path) -> None:
    quote = quote_document(count=1, customer=PartyBlock(name="<b>A&B</b> 贸易"), terms="价格 < 10 & > 5")
    text = "".join(page_texts(write(tmp_path, documents.render_quote_pdf(quote))))
    assert "<b>A&B</b>贸易" in text and "价格<10&>5" in text


def test_a_line_longer_than_a_page_splits_instead_of_failing(tmp_path: Path) -> None:
    huge = DocumentLine(position=1, code="X-1", description="超长说明文字，" * 900, quantity=Decimal("1.5"),
                        unit="项", unit_price=Decimal(1), discount=Decimal(0), tax_rate_bp=650,
                        line_total=Decimal("1.50"))
    path = write(tmp_path, documents.render_quote_pdf(quote_document(count=0, lines=(huge,))))
    texts = page_texts(path)
    assert len(texts) >= 3
    assert "6.5%" in texts[0] and "1.5" in texts[0]


def test_an_empty_quote_still_prints(tmp_path: Path) -> None:
    quote = quote_document(count=0, terms="", valid_until=None, owner_name="")
    text = "".join(page_texts(write(tmp_path, documents.render_quote_pdf(quote))))
    assert "Quotation" in text and "Validuntil" not in text and "Terms" not in text


def test_the_contract_has_its_parties_body_amount_in_words_and_payment_plan(tmp_path: Path, chinese: object) -> None:
    contract = contract_document()
    path = write(tmp_path, documents.render_contract_pdf(contract))
    texts = page_texts(path)
    whole = "".join(texts)
    assert "汽车销售合同" in texts[0]
    assert "合同编号：CT-A1B2-20261125-0001" in whole and "版本：V1" in whole
    assert "关联报价单：QT-A1B2-20261123-0001V2" in whole and "模板版本：V3" in whole
    assert "合同期限：2026-11-25至2027-11-24" in whole and "签订日期：2026-11-25" in whole
    assert "甲方（卖方）" in whole and "乙方（买方）" in whole and "陈静" in whole
    # the body's line breaks are kept: each line of the template on a line of its own, in order
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in raw.splitlines()]
    order = [lines.index(text) for text in ("第一条标的", "甲方向乙方出售下列车辆。", "第二条交付")]
    assert order == sorted(order)
    assert "合同金额：¥1,050,000.70" in whole and "大写：壹佰零伍万元零柒角" in whole
    assert "付款计划" in whole and "2026-11-30" in whole and "¥315,000.21" in whole and "30.00%" in whole
    assert "提车前付清" in whole and "70.00%" in whole
    assert "HC-S5-0003" in whole  # the lines, when the contract has them
    assert whole.count("签字：") == 2 and whole.count("盖章：") == 2
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页/共{len(texts)}页" in text and "CT-A1B2-20261125-0001V1" in text


def test_a_contract_without_a_title_lines_or_plan_prints_the_plain_title(tmp_path: Path) -> None:
    contract = contract_document(title=" ", lines=(), installments=(), starts_on=None, ends_on=None,
                                 quote_number="", quote_version=None, template_version=None)
    whole = "".join(page_texts(write(tmp_path, documents.render_contract_pdf(contract))))
    assert "Contract" in whole and "Paymentplan" not in whole and "Term:" not in whole and "Quote:" not in whole


def png_bytes(size: tuple[int, int] = (300, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5394").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_logo_is_drawn_on_the_letterhead(tmp_path: Path) -> None:
    with_logo = dataclasses.replace(COMPANY, logo_png=png_bytes())
    reader = pypdf.PdfReader(write(tmp_path, documents.render_quote_pdf(quote_document(count=2, company=with_logo))))
    assert len(reader.pages[0].images) == 1
    plain = pypdf.PdfReader(write(tmp_path, documents.render_quote_pdf(quote_document(count=2)), "plain.pdf"))
    assert len(plain.pages[0].images) == 0


def test_reportlab_is_loaded_on_the_first_render_not_on_import() -> None:
    code = ("import sys, crmdesk.services.documents as d; print('reportlab' in sys.modules); "
            "d._ensure_styles(); print('reportlab' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert out == ["False", "True"]


# --- the company profile -------------------------------------------------------------------------


def test_the_default_profile_says_it_must_be_set_up(db: Database) -> None:
    profile = documents.load_company_profile(db)
    assert "company profile" in profile.name and profile.logo_png is None


def test_the_profile_round_trips_with_its_logo(db: Database, actor: Actor) -> None:
    logo = png_bytes()
    saved = documents.save_company_profile(db, actor, {
        "name": " 杭州华驰汽车销售服务有限公司 ", "address": "文三路 398 号", "phone": "0571-88886666",
        "tax_id": VALID_USCC.lower(), "bank_name": "工商银行", "bank_account": "1202 0212 0990",
        "logo": base64.b64encode(logo).decode(),
    })
    loaded = documents.load_company_profile(db)
    assert loaded == saved
    assert loaded.name == "杭州华驰汽车销售服务有限公司" and loaded.tax_id == VALID_USCC
    assert loaded.logo_png == logo
    documents.save_company_profile(db, actor, {"name": "新公司", "logo": ""})
    assert documents.load_company_profile(db) == CompanyProfile(name="新公司")


@pytest.mark.parametrize(("values", "field"), [
    ({"name": ""}, "name"),
    ({"name": "  "}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "A", "tax_id": USCC}, "tax_id"),
    ({"name": "A", "bank_account": "ICBC-12"}, "bank_account"),
    ({"name": "A", "bank_account": "12-3"}, "bank_account"),
    ({"name": "A", "phone": 12345}, "phone"),
    ({"name": "A", "logo": "not base64!"}, "logo"),
    ({"name": "A", "logo": base64.b64encode(b"GIF89a....").decode()}, "logo"),
    ({"name": "A", "logo": base64.b64encode(b"\x89PNG\r\n\x1a\n broken").decode()}, "logo"),
    ({"name": "A", "colour": "red"}, "colour"),
])
def test_a_bad_profile_is_refused_with_the_field_named(db: Database, actor: Actor, values: dict[str, object],
                                                      field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        documents.save_company_profile(db, actor, values)
    assert field in raised.value.errors
    assert documents.load_company_profile(db) == documents.default_company_profile()  # nothing stored


def test_a_huge_logo_is_refused(db: Database, actor: Actor) -> None:
    big = png_bytes() + b"\0" * documents.LOGO_MAX_BYTES
    with pytest.raises(ValidationError) as raised:
        documents.save_company_profile(db, actor, {"name": "A", "logo": base64.b64encode(big).decode()})
    assert "1 MB" in raised.value.errors["logo"]


def test_only_managers_change_the_profile(db: Database) -> None:
    rep = Actor(user_id="01900000-0000-7000-8000-00000000abcd", display_name="王磊", role="consultant")
    with pytest.raises(UserError):
        documents.save_company_profile(db, rep, {"name": "A"})


def test_a_broken_stored_profile_prints_the_default(db: Database, actor: Actor) -> None:
    from crmdesk.services.team_settings import save_setting

    save_setting(db, actor, documents.COMPANY_SETTING, {"name": 3})
    assert documents.load_company_profile(db) == documents.default_company_profile()
