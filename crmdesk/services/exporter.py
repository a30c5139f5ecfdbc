"""Exports of a list (leads, customers, deals, orders) as CSV or Excel, with the columns the list shows.

Headers and coded values are in the user's language (Chinese by default), so the file reads like the
window; money stays a number and dates stay dates, so a spreadsheet can sum and sort them. The daily
ERP feed of the showroom rules is `crmdesk export orders`.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmdesk.i18n import _
from crmdesk.labels import code_label, field_title, has_code_labels
from crmdesk.models import AuditEntry
from crmdesk.services.entities import EntityService, ListQuery
from crmdesk.services.errors import UserError
from crmdesk.services.permissions import require
from crmdesk.services.uow import Actor, unit_of_work

FORMATS = ("csv", "xlsx")
# Excel opens UTF-8 CSV as Chinese only with a byte-order mark; GB18030 is for older ERP importers.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    seconds: float


def _cell(entity: str, key: str, kind: str, value: Any) -> Any:
    """The value as the file holds it: labels for codes, local time for times, numbers stay numbers."""
    if value is None:
        return None
    if kind == "code" or has_code_labels(entity, key):
        return code_label(entity, key, value)
    if isinstance(value, datetime):
        return value.astimezone().replace(tzinfo=None, microsecond=0)
    if isinstance(value, Decimal | date | int | float):
        return value
    return str(value)


# Text a spreadsheet would run as a formula (=cmd|' /C calc'!A0, +1+1, @SUM(...)); a signed number or a
# phone number (-5, +86 138 1234 5678) stays as it is.
_FORMULA_LIKE = re.compile(r"^(?:[=@]|[+-](?![\d\s().-]*$))")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _FORMULA_LIKE.match(value):
        return "'" + value  # shown as the text it is, never run (the importer drops the quote again)
    return str(value)


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """A value as an Excel cell holds it: numbers as numbers; text always as text, never a formula, and
    without the control characters an Excel file cannot hold (a record written before they were refused)."""
    if isinstance(value, Decimal):
        return float(value)
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def export_list(
    service: EntityService,
    actor: Actor,
    path: Path,
    *,
    fmt: str = "csv",
    query: ListQuery | None = None,
    encoding: str = "utf-8-sig",
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the list as `query` filters and sorts it; audited as an export. Returns the row count."""
    require(actor, "export")
    if fmt not in FORMATS:
        raise UserError(_("Unknown export format {fmt}; use csv or xlsx.", fmt=fmt))
    if encoding not in CSV_ENCODINGS:
        raise UserError(_("Unknown encoding {encoding}.", encoding=encoding))
    started = time.perf_counter()
    query = query or ListQuery()
    columns = service.columns
    headers = [field_title(service.entity, column.key) for column in columns]

    def records() -> Iterator[list[Any]]:
        done = 0
        for batch in service.iter_rows(actor, query):
            for row in batch:
                yield [_cell(service.entity, c.key, c.kind, v) for c, v in zip(columns, row[1:], strict=True)]
            done += len(batch)
            if progress is not None:
                progress(done)

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")  # a failed export never leaves a half file behind
    try:
        count = _write_xlsx(partial, headers, records()) if fmt == "xlsx" else _write_csv(
            partial, headers, records(), encoding)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with unit_of_work(service.db, actor) as session:
        session.add(AuditEntry(user_id=actor.user_id, action="export", entity_type=service.entity,
                               entity_id="-", field=fmt, new_value=f"{count} rows -> {path.name}"))
    return ExportResult(path, count, time.perf_counter() - started)


def write_table(path: Path, headers: list[str], rows: Iterator[list[Any]] | list[list[Any]], *, fmt: str = "csv",
                encoding: str = "utf-8-sig") -> int:
    """Write any table (a report, a drill-down) as CSV or xlsx, the way list exports are written: values
    as `_cell` makes them, and no half file left behind on failure. Returns the row count."""
    if fmt not in FORMATS:
        raise UserError(_("Unknown export format {fmt}; use csv or xlsx.", fmt=fmt))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        count = _write_xlsx(partial, headers, iter(rows)) if fmt == "xlsx" else _write_csv(
            partial, headers, iter(rows), encoding)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def _write_csv(path: Path, headers: list[str], rows: Iterator[list[Any]], encoding: str) -> int:
    count = 0
    # errors="replace" only matters for gb18030, which covers all of Unicode anyway.
    with path.open("w", encoding=encoding, errors="replace", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_text(value) for value in row])
            count += 1
    return count


def _write_xlsx(path: Path, headers: list[str], rows: Iterator[list[Any]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)  # streams rows to disk: flat memory for a million rows
    sheet = workbook.create_sheet()
    bold = Font(bold=True)
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
        count += 1
    workbook.save(path)
    return count
