# ruff: noqa: F811  (pytest fixtures imported from the sibling module are parameters of the same name)
"""Hostile files for the importer (and the catalog's CSV import): cells that are huge, control characters,
emoji, SQL, formulas (=cmd|' /C calc'!A0), NaN and enormous amounts, far dates; files in mixed encodings
(GBK bytes in a UTF-8 file), with BOMs, NUL bytes and very long lines; broken or foreign files.

Each import either stops with a UserError and writes nothing, or reports every rejected row with its
reason (in the result and the errors file) while every accepted row is stored whole: the record found by
its row's external id holds the row's values. The strategies and checks are test_hostile_services.py's
(see its table of what is covered).
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select
from test_hostile_services import (  # the shared strategies, checks and fixtures
    EXAMPLES,
    HOSTILE_DATE,
    HOSTILE_NUMBER,
    HOSTILE_TEXT,
    NASTY_TEXT,
    Book,
    _template,  # noqa: F401  (a fixture: the migrated database copied per test)
    attempt,
    book,  # noqa: F401  (a fixture)
    db,  # noqa: F401  (a fixture)
    table_counts,
)

from crmdesk.models import Lead, Product
from crmdesk.services.catalog import import_products, read_product_file
from crmdesk.services.errors import UserError
from crmdesk.services.importer import ImportOptions, ImportResult, import_file, inspect_file
from crmdesk.services.uow import read_session

HEADERS = ("姓名", "手机", "公司", "来源", "备注", "预算", "意向购买日期", "到店人数", "线索编号")
_RUN = itertools.count()  # external ids unique across the examples of one test (they share the book)


def _cell(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


@st.composite
def lead_rows(draw: st.DrawFn, count: int = 4) -> list[list[Any]]:
    """Rows of a lead file: mostly hostile cells, a good mobile now and then so some rows pass."""
    run = next(_RUN)
    rows = []
    for index in range(draw(st.integers(1, count))):
        rows.append([
            draw(st.one_of(st.just("王先生"), HOSTILE_TEXT)),
            draw(st.one_of(st.just(f"139{run % 10000:04d}{index:04d}"), HOSTILE_TEXT, HOSTILE_NUMBER.map(str))),
            draw(st.one_of(st.none(), HOSTILE_TEXT)),
            draw(st.one_of(st.none(), st.sampled_from(["展厅", "来电", "web", "转介绍", "不知道"]), HOSTILE_TEXT)),
            draw(st.one_of(st.none(), HOSTILE_TEXT)),
            draw(st.one_of(st.none(), HOSTILE_NUMBER.map(str))),
            draw(st.one_of(st.none(), HOSTILE_DATE.map(_cell), HOSTILE_TEXT)),
            draw(st.one_of(st.none(), HOSTILE_NUMBER.map(str))),
            f"h{run}-{index}",
        ])
    return rows


def _as_imported(value: Any) -> Any:
    """A text cell as the importer reads it: stripped, an export's ' before a formula dropped."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def check_import(book: Book, path: Path, rows: list[list[Any]] | None, entity: str = "leads") -> ImportResult | None:
    """Import `path`: a clean refusal writes nothing; otherwise the counts add up, every rejected row is
    reported with its reason and in the errors file, and (when `rows` tell what each holds) every
    accepted row is stored whole."""
    before = table_counts(book.db)
    errors_path = path.with_name(path.stem + ".errors" + path.suffix)
    errors_path.unlink(missing_ok=True)  # the examples of one test share tmp_path: a file left by the previous one
    try:
        result = import_file(book.db, book.actor, entity, path, ImportOptions(errors_path=errors_path))
    except UserError as error:
        assert error.message.strip()
        assert table_counts(book.db) == before, "a refused import wrote rows"
        assert not errors_path.exists() and not errors_path.with_name(errors_path.name + ".part").exists()
        return None
    counts = result.counts
    assert counts.read == counts.imported + counts.updated + counts.skipped_duplicates + counts.rejected
    with read_session(book.db) as session:
        total = len(session.scalars(select(Lead.id)).all()) if entity == "leads" else 0
    if entity == "leads":
        assert total == before["leads"] + counts.imported
    rejected = {problem.row for problem in result.problems}
    assert all(problem.message.strip() for problem in result.problems)
    assert len(rejected) == counts.rejected or result.truncated
    if counts.rejected:
        assert result.errors_file == errors_path and errors_path.exists()
    else:
        assert result.errors_file is None and not errors_path.exists()
    if rows is not None and entity == "leads":
        with read_session(book.db) as session:
            found = {lead.external_id: lead for lead in session.scalars(
                select(Lead).where(Lead.external_id.in_([row[8] for row in rows])))}
        assert len(found) == counts.imported
        for number, row in enumerate(rows, start=2):
            lead = found.get(row[8])
            if lead is None:
                continue
            assert number not in rejected
            assert lead.name == _as_imported(row[0])
            if row[4] not in (None, "") and _as_imported(row[4]):
                assert lead.notes == _as_imported(row[4])
            if row[5] not in (None, "") and lead.budget is not None and "万" not in str(row[5]):
                assert lead.budget == Decimal(str(row[5]).replace(",", "").replace("¥", "").replace("￥", "")
                                              .removesuffix("元").strip())
    return result


def _csv_bytes(rows: list[list[Any]], encoding: str, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    # A cell no encoding can hold (a lone surrogate) is written as its broken bytes, as a bad export would.
    return buffer.getvalue().encode(encoding, errors="replace" if encoding == "gb18030" else "surrogatepass")


def _encodable(rows: list[list[Any]], encoding: str) -> bool:
    try:
        for row in rows:
            for cell in row:
                str(cell or "").encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@EXAMPLES
@given(rows=lead_rows(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_csv_files_with_hostile_cells_import_whole_rows_or_report_them(book: Book, tmp_path: Path,
                                                                       rows: list[list[Any]], encoding: str,
                                                                       delimiter: str) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(_csv_bytes(rows, encoding, delimiter))
    check_import(book, path, rows if _encodable(rows, encoding) else None)


# What a broken file does to a good one: GBK bytes in a UTF-8 file, NUL bytes, a BOM in the middle, a
# line longer than the csv module's field limit, a file cut in the middle of a character.
DAMAGE = st.sampled_from(["gbk_inside", "nul", "bom_inside", "long_line", "cut", "cr_only", "utf16_odd"])


def _damaged(data: bytes, damage: str, position: int) -> bytes:
    at = position % max(len(data), 1)
    if damage == "gbk_inside":
        return data[:at] + "张伟,北京".encode("gbk") + data[at:]
    if damage == "nul":
        return data[:at] + b"\x00\x00" + data[at:]
    if damage == "bom_inside":
        return data[:at] + b"\xef\xbb\xbf" + data[at:]
    if damage == "long_line":
        return data + ("长" * 200_000).encode() + b",13900000000\r\n"
    if damage == "cut":
        return data[: max(at, 1)] + "张".encode()[:2]
    if damage == "cr_only":
        return data.replace(b"\r\n", b"\r")
    return b"\xff\xfe" + data[:at] + b"\x00"


@EXAMPLES
@given(rows=lead_rows(3), damage=DAMAGE, position=st.integers(0, 10_000))
@example(rows=[["王先生", "13900000001", None, None, None, None, None, None, "h-long"]], damage="long_line",
         position=0)  # a cell over csv's 131072-character limit: the file is refused with its row, not a crash
@example(rows=[["王先生", "13900000002", None, None, None, None, None, None, "h-gbk"]], damage="gbk_inside",
         position=60)
def test_damaged_csv_files_are_refused_or_imported_row_by_row(book: Book, tmp_path: Path, rows: list[list[Any]],
                                                             damage: str, position: int) -> None:
    path = tmp_path / "damaged.csv"
    path.write_bytes(_damaged(_csv_bytes(rows, "utf-8"), damage, position))
    check_import(book, path, None)
    attempt(book.db, lambda: inspect_file(path, "leads"))


XLSX_CELL = st.one_of(
    HOSTILE_TEXT.filter(lambda text: not any(ord(char) < 32 and char not in "\t\n\r" for char in text)
                        and not any("\ud800" <= char <= "\udfff" for char in text)),
    st.integers(min_value=-(10**20), max_value=10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 1, 1)), st.booleans(), st.none(),
    st.sampled_from(["=cmd|' /C calc'!A0", "=1/0", "#DIV/0!", "=HYPERLINK(\"http://x\",\"y\")"]),
)


@EXAMPLES
@given(data=st.data())
def test_xlsx_files_with_hostile_cells_import_whole_rows_or_report_them(book: Book, tmp_path: Path,
                                                                        data: st.DataObject) -> None:
    from openpyxl import Workbook

    run = next(_RUN)
    rows = [[data.draw(XLSX_CELL) for _column in HEADERS[:8]] + [f"x{run}-{index}"]
            for index in range(data.draw(st.integers(1, 4)))]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    path = tmp_path / "leads.xlsx"
    workbook.save(path)
    # A formula cell has no cached value in a file openpyxl wrote: the importer reads it as empty (data_only).
    expected = [[None if isinstance(cell, str) and cell.startswith("=") else cell for cell in row] for row in rows]
    simple = all(isinstance(row[0], str) and isinstance(row[4], str | type(None)) for row in expected)
    check_import(book, path, expected if simple else None)


@EXAMPLES
@given(blob=st.one_of(st.binary(max_size=200), st.sampled_from([
    b"", b"\xef\xbb\xbf", b"\xff\xfe", "姓名\n".encode("utf-16"), b"PK\x03\x04garbage", b"\x00" * 50,
    "姓名,手机\n".encode() + b"\xff\xfe\xfd,13900000003\n"])),
       suffix=st.sampled_from([".csv", ".xlsx", ".txt", ".xls", ""]))
def test_foreign_and_broken_files_are_refused_cleanly(book: Book, tmp_path: Path, blob: bytes, suffix: str) -> None:
    path = tmp_path / f"file{suffix}"
    path.write_bytes(blob)
    check_import(book, path, None)


@EXAMPLES
@given(member=st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]),
       content=st.one_of(st.binary(max_size=100), st.just(b"<?xml version='1.0'?><broken")))
def test_a_broken_workbook_is_refused_cleanly(book: Book, tmp_path: Path, member: str, content: bytes) -> None:
    from openpyxl import Workbook

    good = tmp_path / "good.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    sheet.append(["王先生", "13900000004"])
    workbook.save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == member else source.read(item.filename))
    check_import(book, broken, None)


# ---- the catalog's CSV ----------------------------------------------------------------------------------

PRODUCT_HEADERS = ("编码", "名称", "价格", "税率", "整车", "车型")


def _import_catalog(book: Book, content: bytes) -> None:
    def run_import() -> Any:
        return import_products(book.db, book.actor, read_product_file(content))

    before = table_counts(book.db)["products"]
    result = attempt(book.db, run_import)
    with read_session(book.db) as session:
        after = len(session.scalars(select(Product.id)).all())
    if result is not None:
        assert after == before + result.created


@EXAMPLES
@given(data=st.data(), encoding=st.sampled_from(["utf-8-sig", "gb18030"]))
def test_catalog_files_import_all_or_nothing(book: Book, data: st.DataObject, encoding: str) -> None:
    run = next(_RUN)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PRODUCT_HEADERS)
    for index in range(data.draw(st.integers(1, 3))):
        writer.writerow([data.draw(st.one_of(st.just(f"P{run}-{index}"), HOSTILE_TEXT)),
                         data.draw(st.one_of(st.just("脚垫"), HOSTILE_TEXT)),
                         data.draw(st.one_of(st.just("800"), HOSTILE_NUMBER.map(str))),
                         data.draw(st.one_of(st.just("13%"), st.sampled_from(NASTY_TEXT), HOSTILE_NUMBER.map(str))),
                         data.draw(st.sampled_from(["", "是", "否", "maybe"])), data.draw(HOSTILE_TEXT)])
    _import_catalog(book, buffer.getvalue().encode(encoding, errors="replace" if encoding == "gb18030"
                                                   else "surrogatepass"))


def test_a_catalog_cell_over_the_csv_field_limit_is_refused_cleanly(book: Book) -> None:
    _import_catalog(book, ("编码,名称,价格\nP1," + "长" * 200_000 + ",100\n").encode())
