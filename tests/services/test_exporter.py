"""Exports: the list's columns, Chinese headers and labels, numbers kept numeric, filters obeyed."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crmdesk import i18n
from crmdesk.labels import field_title
from crmdesk.models import AuditEntry
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import UserError
from crmdesk.services.exporter import export_list
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session


@pytest.fixture
def book(services: Services, actor: Actor) -> None:
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "source": "web", "score": "80"})
    services.leads.create(actor, {"name": "李娜", "phone": "13900001111", "company": "远景科技"})
    customer = services.customers.create(actor, {"name": "王芳"})
    services.orders.create(actor, {"customer_id": customer.id, "total": "158,000.50", "order_date": "2026-11-20"})


def _csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def test_csv_has_the_list_columns_with_chinese_headers_and_labels(
    services: Services, actor: Actor, book: None, tmp_path: Path
) -> None:
    i18n.set_language("zh_CN")
    result = export_list(services.leads, actor, tmp_path / "leads.csv",
                         query=ListQuery(sort_key="name"))
    rows = _csv_rows(result.path)
    assert result.rows == 2 and len(rows) == 3
    assert rows[0][:5] == ["姓名", "电话", "公司", "线索来源", "线索状态"]
    assert [row[0] for row in rows[1:]] == ["李娜", "张伟"]  # li before zhang: the list's pinyin order
    zhang = rows[2]
    assert zhang[3] == "网络" and zhang[4] == "新线索" and zhang[8] == "80"
    assert result.path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read Chinese


def test_filters_and_search_of_the_list_apply(services: Services, actor: Actor, book: None, tmp_path: Path) -> None:
    result = export_list(services.leads, actor, tmp_path / "l.csv", query=ListQuery(search="zw"))
    assert [row[0] for row in _csv_rows(result.path)[1:]] == ["张伟"]
    result = export_list(services.leads, actor, tmp_path / "gb.csv", encoding="gb18030",
                         query=ListQuery(filters={"source": "web"}))
    assert _csv_rows(result.path, "gb18030")[1][0] == "张伟"


def test_xlsx_keeps_money_as_numbers_and_dates_as_dates(
    services: Services, actor: Actor, book: None, tmp_path: Path
) -> None:
    result = export_list(services.orders, actor, tmp_path / "orders.xlsx", fmt="xlsx")
    sheet = load_workbook(result.path).active
    header, row = list(sheet.iter_rows(values_only=True))
    total = row[header.index(field_title("order", "total"))]
    assert isinstance(total, float) and Decimal(str(total)) == Decimal("158000.5")
    assert row[header.index(field_title("order", "order_date"))].date().isoformat() == "2026-11-20"


def test_an_export_is_audited_and_a_bad_format_is_refused(
    services: Services, actor: Actor, book: None, tmp_path: Path
) -> None:
    export_list(services.customers, actor, tmp_path / "c.csv")
    with read_session(services.db) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.entity_type == "customer" and entry.user_id == actor.user_id and "1 rows" in entry.new_value
    with pytest.raises(UserError):
        export_list(services.customers, actor, tmp_path / "c.pdf", fmt="pdf")
    assert not (tmp_path / "c.pdf").exists() and not (tmp_path / "c.pdf.part").exists()


def test_rows_stream_in_batches_in_list_order(services: Services, actor: Actor) -> None:
    for number in range(25):
        services.leads.create(actor, {"name": f"客户{number:02d}", "phone": f"1380000{number:04d}"})
    batches = list(services.leads.iter_rows(actor, ListQuery(sort_key="phone"), batch=10))
    assert [len(batch) for batch in batches] == [10, 10, 5]
    phones = [row[2] for batch in batches for row in batch]
    assert phones == sorted(phones)
