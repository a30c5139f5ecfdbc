"""Imports of leads, customers and deals from the files other systems and Chinese Excel write
(tests/fixtures/import/, made by make_import_fixtures.py there)."""

from __future__ import annotations

import csv
import importlib.util
import sqlite3
import threading
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmdesk.models import Team, User
from crmdesk.models.database import Database
from crmdesk.services import importer
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.fields import FieldSpec, normalize_phone
from crmdesk.services.importer import (
    ImportCancelled,
    ImportMapping,
    ImportOptions,
    import_file,
    inspect_file,
    list_mappings,
    load_mapping,
    mappable_fields,
    normalise_amount,
    normalise_date,
    parse_column_mappings,
    parse_value_mappings,
    plan_columns,
    save_mapping,
)
from crmdesk.services.lead_rules import save_assignment
from crmdesk.services.leads import LeadService
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def _load_fixture_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_import_fixtures", FIXTURES / "make_import_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fx = _load_fixture_module()


def _copy(name: str, folder: Path) -> Path:
    """The fixture copied into the test's folder, so errors files land there."""
    target = folder / name
    target.write_bytes((FIXTURES / name).read_bytes())
    return target


def _rows(db: Database, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db.path) as connection:
        return connection.execute(sql, params).fetchall()


def _lead_by_name(db: Database, name: str) -> list[dict[str, Any]]:
    with sqlite3.connect(db.path) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(
            "SELECT * FROM leads WHERE name = ? AND deleted_at IS NULL ORDER BY created_at, id", (name,))]


@pytest.fixture
def gbk(tmp_path: Path) -> Path:
    return _copy("leads_gbk.csv", tmp_path)


@pytest.fixture
def with_existing_lead(services: Services, actor: Actor) -> str:
    return services.leads.create(actor, fx.EXISTING_LEAD).id


def _problems_by_row(result: importer.ImportResult) -> dict[int, str]:
    return {problem.row: problem.column for problem in result.problems}


# --- Files, headers and the plan --------------------------------------------------------------------------


def test_fixtures_are_what_the_generator_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fx, "HERE", tmp_path)
    fx.main()
    for name in ("leads_gbk.csv", "leads_en_semicolon.csv", "opportunities_other_crm.csv"):
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def test_gbk_file_is_read_as_chinese_excel_writes_it(gbk: Path) -> None:
    raw = gbk.read_bytes()
    assert b"\r\n" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    preview = inspect_file(gbk, "leads")
    assert preview.format == "csv" and preview.encoding == "gb18030" and preview.delimiter == ","
    plan = dict(zip(preview.plan.headers, preview.plan.targets, strict=True))
    assert plan["姓名"] == "name" and plan["手机"] == "phone" and plan["公司"] == "company"
    assert plan["来源"] == "source" and plan["意向购买日期"] == "intended_purchase_date"
    assert plan["到店人数"] == "visitors_count" and plan["备注"] == "notes" and plan["意向车型"] == "intended_product"
    assert "微信号" in preview.plan.unrecognised and plan["微信号"] is None
    assert preview.sample[0][0] == "张伟" and len(preview.sample) == 5


def test_bom_semicolon_file_with_english_headers(tmp_path: Path) -> None:
    path = _copy("leads_en_semicolon.csv", tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    preview = inspect_file(path, "leads")
    assert preview.encoding == "utf-8-sig" and preview.delimiter == ";"
    assert preview.plan.headers[0] == "External ID"  # no BOM left in the first header
    assert preview.plan.targets == ("external_id", "name", "phone", "email", "company", "source",
                                    "intended_purchase_date", "city", None)
    assert preview.plan.unrecognised == ("Fax",)


def test_tab_delimited_file(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "leads.tsv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(fx.LEADS_EN_HEADERS)
        writer.writerows(fx.LEADS_EN_ROWS)
    assert inspect_file(path, "leads").delimiter == "\t"
    result = import_file(db, actor, "leads", path, ImportOptions(date_order="dmy"))
    assert (result.read, result.imported, result.rejected) == (4, 4, 0)


def test_missing_required_column_and_empty_file_are_refused(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = tmp_path / "no_name.csv"
    path.write_text("手机,公司\n13812345678,远景\n", encoding="utf-8")
    with pytest.raises(UserError, match="Name"):
        import_file(db, actor, "leads", path)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(UserError, match="no header row"):
        import_file(db, actor, "leads", empty)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(UserError, match=r"\.xls"):
        import_file(db, actor, "leads", old)


def test_fields_come_from_the_service(db: Database, actor: Actor, gbk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A field the lead form gains (budget, company size, industry) becomes importable with no change here."""
    extra = tuple(spec for spec in (FieldSpec("budget", "money"), FieldSpec("company_size", "int", minimum=1),
                                    FieldSpec("industry", max_length=100))
                  if spec.name not in {field.name for field in LeadService.fields})
    monkeypatch.setattr(LeadService, "fields", LeadService.fields + extra)
    assert {"budget", "company_size", "industry"} <= set(mappable_fields("leads"))
    plan = plan_columns("leads", ["预算", "员工人数", "所属行业"])
    assert plan.targets == ("budget", "company_size", "industry")
    result = import_file(db, actor, "leads", gbk)
    assert result.imported == 6  # with 周杰: no lead is in the book before
    budgets = dict(_rows(db, "SELECT name, budget FROM leads"))
    assert budgets["张伟"] == 123450 and budgets["李娜"] == 26390000 and budgets["赵强"] == 30000000
    assert budgets["马超"] == 15800000 and budgets["王芳"] is None  # fen


# --- Validation, the errors file, counts --------------------------------------------------------------------


def test_messy_gbk_file_imports_the_good_rows_and_reports_each_bad_one(
        db: Database, actor: Actor, services: Services, gbk: Path, with_existing_lead: str) -> None:
    result = import_file(db, actor, "leads", gbk)
    expected = fx.LEADS_GBK
    assert result.read == expected["read"] and result.imported == expected["imported"]
    assert result.skipped_duplicates == expected["skipped_duplicates"] and result.rejected == expected["rejected"]
    assert result.updated == 0
    assert result.read == result.imported + result.updated + result.skipped_duplicates + result.rejected
    assert _problems_by_row(result) == expected["rejected_rows"]
    messages = {problem.row: problem.message for problem in result.problems}
    assert "letters" in messages[7] and "phone number or an e-mail" in messages[8]
    assert "Not a date" in messages[9] and "At least 1" in messages[14]
    # A code the list does not know is named, with what the cell could have said instead.
    assert messages[13].startswith("“") and " is not one of: Walk-in、" in messages[13]
    # Every imported row, whatever the date format: 2024-03-05; phones in their canonical form.
    leads = {row[0]: row[1:] for row in _rows(db, "SELECT name, phone, intended_purchase_date, source FROM leads")}
    assert set(leads) == {"张伟", "李娜", "王芳", "赵强", "马超", "周杰"}
    assert {leads[name][1] for name in ("张伟", "李娜", "王芳", "赵强", "马超")} == {"2024-03-05"}
    assert leads["李娜"][0] == "13900001111" and leads["王芳"][0] == "13700002222" and leads["马超"][0] == "18800006666"
    assert leads["张伟"][2] == "walk_in" and leads["王芳"][2] == "phone" and leads["赵强"][2] == "referral"
    # The imported leads are found by search, as if typed in the form (derived columns and FTS).
    assert services.leads.count(actor, ListQuery(search="zw")) == 1
    assert services.leads.count(actor, ListQuery(search="2222")) == 1
    audit = _rows(db, "SELECT count(*) FROM audit_log WHERE entity_type = 'leads' AND action = 'create'")
    assert audit[0][0] == 6  # the existing lead + 5 imported
    assert _rows(db, "SELECT count(*) FROM audit_log WHERE action = 'import'")[0][0] == 1


def test_a_row_the_lead_form_rejects_is_rejected_with_the_same_reason(
        db: Database, actor: Actor, services: Services, gbk: Path) -> None:
    result = import_file(db, actor, "leads", gbk)
    by_row = {problem.row: problem for problem in result.problems}
    for row_number, values in ((6, {"name": "刘洋", "phone": "1380013"}), (8, {"name": "杨磊", "source": "campaign"}),
                               (14, {"name": "孙丽", "phone": "15800005555", "visitors_count": 0})):
        with pytest.raises(ValidationError) as rejected:
            services.leads.create(actor, values)
        problem = by_row[row_number]
        assert rejected.value.errors[problem.field] == problem.message


def test_errors_file_keeps_the_format_and_a_fixed_copy_imports(db: Database, actor: Actor, gbk: Path) -> None:
    result = import_file(db, actor, "leads", gbk)
    errors = result.errors_file
    assert errors == gbk.with_name("leads_gbk.errors.csv") and errors.exists()
    assert not errors.with_name(errors.name + ".part").exists()
    raw = errors.read_bytes()
    assert b"\r\n" in raw
    with errors.open(encoding="gb18030", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*fx.LEADS_GBK_HEADERS, "Import errors"]
    assert [row[0] for row in rows[1:]] == ["刘洋", "陈静", "杨磊", "黄敏", "吴娟", "孙丽", "郑华"]
    assert rows[1][-1].startswith("手机: ") and rows[4][-1].startswith("意向购买日期: ")
    # The user fixes the cells in the errors file and imports it again: the reason column is ignored.
    fixes = {"刘洋": (2, "13800131234"), "陈静": (2, "13812349876"), "杨磊": (2, "13812340000"),
             "黄敏": (7, "2024-12-15"), "吴娟": (5, "网络"), "孙丽": (10, "1"), "郑华": (2, "13912345678")}
    for row in rows[1:]:
        column, value = fixes[row[0]]
        row[column] = value
    with errors.open("w", encoding="gb18030", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert "Import errors" not in inspect_file(errors, "leads").plan.unrecognised
    again = import_file(db, actor, "leads", errors)
    assert (again.read, again.imported, again.rejected, again.errors_file) == (7, 7, 0, None)
    assert _lead_by_name(db, "黄敏")[0]["intended_purchase_date"] == "2024-12-15"


def test_result_json_has_the_counts(db: Database, actor: Actor, gbk: Path) -> None:
    data = import_file(db, actor, "leads", gbk).to_json()
    assert {"read", "imported", "updated", "skipped_duplicates", "rejected", "errors_file"} <= set(data)
    assert data["read"] == 14 and data["errors_file"].endswith("leads_gbk.errors.csv")
    assert [problem["row"] for problem in data["problems"]] == [6, 7, 8, 9, 13, 14, 16]


# --- Duplicates and idempotence -----------------------------------------------------------------------------


def test_duplicates_skipped_by_default(db: Database, actor: Actor, gbk: Path, with_existing_lead: str) -> None:
    result = import_file(db, actor, "leads", gbk)
    assert result.skipped_duplicates == 2
    assert len(_lead_by_name(db, "张伟")) == 1 and len(_lead_by_name(db, "周杰")) == 1


def test_duplicates_merged_fill_empty_fields_only(db: Database, actor: Actor, gbk: Path,
                                                  with_existing_lead: str) -> None:
    result = import_file(db, actor, "leads", gbk, ImportOptions(duplicates="merge"))
    assert (result.imported, result.updated, result.skipped_duplicates) == (5, 1, 1)
    existing = _lead_by_name(db, "周杰")
    assert len(existing) == 1 and existing[0]["id"] == with_existing_lead
    assert existing[0]["intended_product"] == "华驰 S5" and existing[0]["source"] == "web"
    first = _lead_by_name(db, "张伟")
    assert len(first) == 1 and first[0]["notes"] == "首次到店"  # a value is never overwritten
    audit = _rows(db, "SELECT field, old_value, new_value FROM audit_log WHERE entity_id = ? AND action = 'update'",
                  with_existing_lead)
    assert sorted(audit) == [("gender", None, "M"), ("intended_product", None, "华驰 S5")]


def test_duplicates_imported_as_new_are_flagged(db: Database, actor: Actor, gbk: Path,
                                                with_existing_lead: str) -> None:
    result = import_file(db, actor, "leads", gbk, ImportOptions(duplicates="new"))
    assert (result.imported, result.skipped_duplicates, result.counts.flagged) == (7, 0, 2)
    first, second = _lead_by_name(db, "张伟")
    assert first["duplicate_of_id"] is None and second["duplicate_of_id"] == first["id"]
    assert second["notes"] == "第二次登记"
    flagged = [lead for lead in _lead_by_name(db, "周杰") if lead["duplicate_of_id"]]
    assert len(flagged) == 1 and flagged[0]["duplicate_of_id"] == with_existing_lead
    assert {(flag.row, flag.duplicate_of, flag.rule) for flag in result.flagged} == {
        (11, first["id"], "phone"), (12, with_existing_lead, "phone")}


def test_reimport_by_duplicate_rules_creates_nothing(db: Database, actor: Actor, gbk: Path,
                                                     with_existing_lead: str) -> None:
    import_file(db, actor, "leads", gbk)
    before = _rows(db, "SELECT count(*) FROM leads")[0][0]
    again = import_file(db, actor, "leads", gbk)
    assert (again.imported, again.updated, again.skipped_duplicates, again.rejected) == (0, 0, 7, 7)
    assert _rows(db, "SELECT count(*) FROM leads")[0][0] == before


def test_reimport_by_external_id_creates_nothing_even_as_new(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = _copy("leads_en_semicolon.csv", tmp_path)
    first = import_file(db, actor, "leads", path, ImportOptions(date_order="dmy"))
    assert first.imported == 4
    # The other system changed a phone since: the external id still names the same lead.
    text = path.read_text(encoding="utf-8-sig").replace("13811112222", "13811119999")
    path.write_text(text, encoding="utf-8-sig")
    again = import_file(db, actor, "leads", path, ImportOptions(date_order="dmy", duplicates="new"))
    assert (again.imported, again.skipped_duplicates) == (0, 4)
    assert _rows(db, "SELECT count(*) FROM leads")[0][0] == 4


def test_customers_duplicate_by_credit_code_inside_the_file(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = fx.write_customers_xlsx(tmp_path / "customers.xlsx")
    result = import_file(db, actor, "customers", path)
    assert (result.read, result.imported, result.skipped_duplicates, result.rejected) == (6, 2, 1, 3)
    assert import_file(db, actor, "customers", path).imported == 0


# --- Mappings --------------------------------------------------------------------------------------------------


def test_column_mapping_by_hand(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = _copy("leads_en_semicolon.csv", tmp_path)
    mapping = ImportMapping(columns=parse_column_mappings(["Fax=notes"]))
    assert plan_columns("leads", fx.LEADS_EN_HEADERS, mapping).unrecognised == ()
    import_file(db, actor, "leads", path, ImportOptions(mapping=mapping, date_order="dmy"))
    assert _lead_by_name(db, "Tom Li")[0]["notes"] == "021-5555"
    ignored = plan_columns("leads", fx.LEADS_EN_HEADERS, ImportMapping(parse_column_mappings(["Fax="])))
    assert ignored.unrecognised == () and ignored.targets[-1] is None
    # A mapping wins over a recognised header.
    swapped = plan_columns("leads", fx.LEADS_EN_HEADERS, ImportMapping({"City": "residential_area"}))
    assert swapped.targets[7] == "residential_area"
    with pytest.raises(UserError, match="Unknown field"):
        plan_columns("leads", fx.LEADS_EN_HEADERS, ImportMapping({"Fax": "fax_number"}))
    with pytest.raises(UserError):
        parse_column_mappings(["no equals sign"])


def test_value_map_turns_another_systems_values_into_ours(db: Database, actor: Actor, gbk: Path) -> None:
    values = parse_value_mappings(["source:抖音=web"])
    assert values == {"source": {"抖音": "web"}}
    result = import_file(db, actor, "leads", gbk, ImportOptions(mapping=ImportMapping(values=values)))
    assert result.imported == 7 and 13 not in _problems_by_row(result)
    assert _lead_by_name(db, "吴娟")[0]["source"] == "web"
    with pytest.raises(UserError):
        parse_value_mappings(["source=web"])


def test_named_mappings_are_saved_and_reused(db: Database, actor: Actor, tmp_path: Path) -> None:
    store = tmp_path / "config" / "import-mappings.json"
    mapping = ImportMapping(columns={"Fax": "notes"}, values={"source": {"Web": "web"}}, date_order="dmy")
    save_mapping("其他CRM", mapping, store)
    save_mapping("第二个", ImportMapping(columns={"X": ""}), store)
    assert list_mappings(store) == ["其他CRM", "第二个"]
    loaded = load_mapping("其他CRM", store)
    assert loaded == mapping
    path = _copy("leads_en_semicolon.csv", tmp_path)
    result = import_file(db, actor, "leads", path, ImportOptions(mapping=loaded))  # date order from the mapping
    assert result.imported == 4 and _lead_by_name(db, "Tom Li")[0]["intended_purchase_date"] == "2024-05-03"
    save_mapping("其他CRM", ImportMapping(columns={"Fax": ""}), store)  # same name: replaced
    assert load_mapping("其他CRM", store).columns == {"Fax": ""} and len(list_mappings(store)) == 2
    with pytest.raises(UserError, match="No saved mapping"):
        load_mapping("nope", store)
    store.write_text("{broken", encoding="utf-8")
    with pytest.raises(UserError, match="cannot be read"):
        list_mappings(store)


def test_default_mappings_file_sits_beside_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMDESK_SETTINGS", str(tmp_path / "conf" / "settings.json"))
    save_mapping("默认位置", ImportMapping(columns={"A": "name"}))
    assert (tmp_path / "conf" / "import-mappings.json").exists()
    assert list_mappings() == ["默认位置"] and load_mapping("默认位置").columns == {"A": "name"}


# --- Dates and amounts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "order", "expected"), [
    ("2024-03-05", None, "2024-03-05"), ("2024/3/5", None, "2024-3-5"), ("2024年3月5日", None, "2024-3-5"),
    ("2024.03.05", None, "2024-03-05"), ("20240305", None, "2024-03-05"), ("3/5/2024", "dmy", "2024-5-3"),
    ("3/5/2024", "mdy", "2024-3-5"), ("25/12/2024", None, "2024-12-25"), ("12/25/2024", None, "2024-12-25"),
    ("5/5/2024", None, "2024-5-5"), ("2024-03-05 10:30:00", None, "2024-03-05"),
])
def test_dates_as_people_type_them(typed: str, order: str | None, expected: str) -> None:
    assert normalise_date(typed, order) == expected


def test_excel_serial_dates() -> None:
    assert normalise_date(45356) == date(2024, 3, 5)
    assert normalise_date(45356.75) == date(2024, 3, 5)
    assert normalise_date("45356") == date(2024, 3, 5)
    assert normalise_date(61) == date(1900, 3, 1)


def test_ambiguous_date_needs_an_order() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        normalise_date("3/5/2024")


def test_date_order_decides_in_the_import(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = _copy("leads_en_semicolon.csv", tmp_path)
    unordered = import_file(db, actor, "leads", path, ImportOptions(errors_path=tmp_path / "e1.csv"))
    assert _problems_by_row(unordered) == {2: "Purchase Date", 5: "Purchase Date"}
    assert "ambiguous" in unordered.problems[0].message
    assert _lead_by_name(db, "Anna Wang")[0]["intended_purchase_date"] == "2024-12-25"

    def dates(order: str) -> dict[str, Any]:
        other = tmp_path / order / "db.sqlite3"
        from crmdesk.models.database import open_database
        from crmdesk.services.users import ensure_local_user

        database = open_database(other)
        try:
            result = import_file(database, ensure_local_user(database), "leads", path,
                                 ImportOptions(date_order=order, errors_path=tmp_path / f"{order}.csv"))
            assert result.read == 4
            return dict(_rows(database, "SELECT name, intended_purchase_date FROM leads"))
        finally:
            database.close()

    assert dates("dmy") == {"Tom Li": "2024-05-03", "Anna Wang": "2024-12-25", "Bob Zhao": "2024-06-30",
                            "Chen Yu": "2024-08-07"}
    assert dates("mdy") == {"Tom Li": "2024-03-05", "Bob Zhao": "2024-06-30", "Chen Yu": "2024-07-08"}


def test_unknown_date_order_or_duplicate_mode_is_refused(db: Database, actor: Actor, gbk: Path) -> None:
    with pytest.raises(UserError):
        import_file(db, actor, "leads", gbk, ImportOptions(date_order="ydm"))
    with pytest.raises(UserError):
        import_file(db, actor, "leads", gbk, ImportOptions(duplicates="overwrite"))


def test_amounts_with_separators_yuan_signs_and_wan() -> None:
    from crmdesk.services.fields import parse_money

    assert parse_money(normalise_amount("¥1,234.50")) == Decimal("1234.50")
    assert parse_money(normalise_amount("￥300,000")) == Decimal("300000")
    assert parse_money(normalise_amount("26.39万")) == Decimal("263900")
    assert parse_money(normalise_amount("1,000元")) == Decimal("1000")
    assert normalise_amount(1234.5) == 1234.5


# --- Customers from Excel ----------------------------------------------------------------------------------


def test_customers_xlsx(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = fx.write_customers_xlsx(tmp_path / "customers.xlsx")
    preview = inspect_file(path, "customers")
    assert preview.format == "xlsx" and preview.plan.unrecognised == ()
    result = import_file(db, actor, "customers", path)
    assert _problems_by_row(result) == {4: "手机", 5: "身份证号", 7: "客户分级"}
    with sqlite3.connect(db.path) as connection:
        connection.row_factory = sqlite3.Row
        rows = {row["external_id"]: dict(row) for row in connection.execute("SELECT * FROM customers")}
    company, person = rows["C-100"], rows["C-101"]
    assert company["kind"] == "company" and company["uscc"] == fx.VALID_USCC and company["tier"] == "A"
    assert person["kind"] == "person" and person["phone"] == "13812340001" and person["tier"] == "B"
    assert person["birthday"] == "1949-12-31" and person["id_number"] == fx.VALID_RIC
    assert person["owner_id"] is None  # customers: no owner = the public pool, as in the form
    from datetime import datetime

    created = datetime.fromisoformat(company["created_at"]).replace(tzinfo=importer.UTC).astimezone()
    assert (created.date(), created.hour, created.minute) == (date(2023, 5, 1), 9, 30)
    # The errors file is a workbook too, with the reason column.
    from openpyxl import load_workbook

    assert result.errors_file is not None and result.errors_file.suffix == ".xlsx"
    sheet = load_workbook(result.errors_file, read_only=True).active
    assert sheet is not None
    rows_back = list(sheet.iter_rows(values_only=True))
    assert rows_back[0][-1] == "Import errors" and [row[0] for row in rows_back[1:]] == ["C-102", "C-103", "C-105"]


# --- Opportunities ------------------------------------------------------------------------------------------


@pytest.fixture
def existing_customers(services: Services, actor: Actor) -> dict[str, str]:
    return {values["name"]: services.customers.create(actor, values).id for values in fx.EXISTING_CUSTOMERS}


def _stage_options(**extra: Any) -> ImportOptions:
    return ImportOptions(mapping=ImportMapping(values={"stage": dict(fx.STAGE_VALUE_MAP)}), **extra)


def _deals(db: Database) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(db.path) as connection:
        connection.row_factory = sqlite3.Row
        return {row["external_id"]: dict(row) for row in connection.execute(
            "SELECT o.*, s.code AS stage_code FROM opportunities o JOIN stages s ON s.id = o.stage_id")}


def _history(db: Database, deal_id: str) -> list[tuple[str | None, str, str]]:
    rows = _rows(db, "SELECT f.code, t.code, c.changed_at FROM opportunity_stage_changes c"
                     " LEFT JOIN stages f ON f.id = c.from_stage_id JOIN stages t ON t.id = c.to_stage_id"
                     " WHERE c.opportunity_id = ? ORDER BY c.changed_at", deal_id)
    from datetime import datetime

    return [(source, target, str(datetime.fromisoformat(at).replace(tzinfo=importer.UTC).astimezone().date()))
            for source, target, at in rows]


def test_opportunities_link_customers_create_missing_and_keep_stage_history(
        db: Database, actor: Actor, services: Services, tmp_path: Path, existing_customers: dict[str, str]) -> None:
    path = _copy("opportunities_other_crm.csv", tmp_path)
    result = import_file(db, actor, "opportunities", path, _stage_options(create_missing_customers=True))
    assert (result.read, result.imported, result.updated, result.rejected) == (8, 3, 3, 2)
    assert result.counts.customers_created == 1
    assert _problems_by_row(result) == {8: "Stage", 9: "Amount"}
    deals = _deals(db)
    won, lost, new = deals["OPP-1"], deals["OPP-2"], deals["OPP-3"]
    assert won["customer_id"] == existing_customers["上海远景科技有限公司"]  # by the account's external id
    assert won["customer_name"] == "上海远景科技有限公司"
    assert (won["stage_code"], won["status"], won["won_at"], won["amount"]) == ("won", "won", "2024-03-20", 123450000)
    assert won["won_amount"] == 123450000 and won["expected_close_date"] == "2024-06-30"
    assert _history(db, won["id"]) == [(None, "qualify", "2024-01-10"), ("qualify", "test_drive", "2024-02-15"),
                                       ("test_drive", "won", "2024-03-20")]
    assert lost["customer_id"] == existing_customers["张伟"]  # by name
    assert (lost["stage_code"], lost["status"], lost["lost_at"], lost["lost_reason"]) == (
        "lost", "lost", "2024-04-02", "选择了竞品")
    assert lost["amount"] == 26390000
    assert _history(db, lost["id"]) == [(None, "qualify", "2024-03-01"), ("qualify", "lost", "2024-04-02")]
    customer = services.customers.get(actor, new["customer_id"])
    assert (customer["name"], customer["kind"], customer["external_id"]) == ("杭州未来贸易有限公司", "company",
                                                                              "ACC-NEW-9")
    assert new["amount"] == 30000000 and new["stage_code"] == "negotiation"
    # The service reads the imported history like any other.
    history = services.opportunities.stage_history(actor, won["id"])
    assert len(history) == 3 and history[0]["changed_at"].astimezone().date() == date(2024, 1, 10)
    # Again: nothing new, nothing moved.
    again = import_file(db, actor, "opportunities", path, _stage_options(create_missing_customers=True))
    assert (again.imported, again.updated, again.counts.customers_created) == (0, 0, 0)
    assert _rows(db, "SELECT count(*) FROM opportunity_stage_changes")[0][0] == 6
    assert _rows(db, "SELECT count(*) FROM customers")[0][0] == 3


def test_a_later_file_adds_a_step_to_an_existing_deal(db: Database, actor: Actor, tmp_path: Path,
                                                      existing_customers: dict[str, str]) -> None:
    path = _copy("opportunities_other_crm.csv", tmp_path)
    import_file(db, actor, "opportunities", path, _stage_options(create_missing_customers=True))
    later = tmp_path / "later.csv"
    with later.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fx.OPPORTUNITIES_HEADERS)
        writer.writerow(["OPP-3", "杭州新客户采购", "杭州未来贸易有限公司", "ACC-NEW-9", "Closed Won", "￥300,000",
                         "2024-09-30", "2024-06-01", ""])
    result = import_file(db, actor, "opportunities", later, _stage_options())
    assert (result.imported, result.updated) == (0, 1)
    deal = _deals(db)["OPP-3"]
    assert (deal["stage_code"], deal["status"], deal["won_at"]) == ("won", "won", "2024-06-01")
    assert _history(db, deal["id"])[-1] == ("negotiation", "won", "2024-06-01")
    changed = {row[0] for row in _rows(db, "SELECT field FROM audit_log WHERE entity_id = ? AND action = 'update'",
                                       deal["id"])}
    assert {"stage_id", "status", "won_at"} <= changed


def test_opportunities_without_create_reject_unknown_customers(db: Database, actor: Actor, tmp_path: Path,
                                                               existing_customers: dict[str, str]) -> None:
    path = _copy("opportunities_other_crm.csv", tmp_path)
    result = import_file(db, actor, "opportunities", path, _stage_options())
    problems = {problem.row: problem for problem in result.problems}
    assert problems[7].column in ("Account Name", "Account ID") and "No customer" in problems[7].message
    assert result.counts.customers_created == 0 and _rows(db, "SELECT count(*) FROM customers")[0][0] == 2


def test_stage_names_of_another_system_need_the_value_map(db: Database, actor: Actor, tmp_path: Path,
                                                          existing_customers: dict[str, str]) -> None:
    path = _copy("opportunities_other_crm.csv", tmp_path)
    result = import_file(db, actor, "opportunities", path, ImportOptions(create_missing_customers=True))
    assert result.imported == 0 and {problem.column for problem in result.problems} >= {"Stage"}


# --- Cancel, progress, memory ------------------------------------------------------------------------------


def test_cancel_rolls_back_everything(db: Database, actor: Actor, tmp_path: Path, with_existing_lead: str) -> None:
    path = tmp_path / "many.csv"
    importer.write_benchmark_csv(path, 3000)
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("X-1,坏号码,男,123,,展厅,,,,,\r\n")  # a bad row, so an errors file is started
    seen: list[int] = []
    audit_before = _rows(db, "SELECT count(*) FROM audit_log")[0][0]

    def progress(done: int, fraction: float | None) -> None:
        seen.append(done)

    def cancel() -> bool:
        return len(seen) >= 2

    with pytest.raises(ImportCancelled):
        import_file(db, actor, "leads", path, ImportOptions(batch_rows=500), progress=progress, cancel=cancel)
    assert seen[:2] == [500, 1000]
    assert _rows(db, "SELECT count(*) FROM leads")[0][0] == 1
    assert _rows(db, "SELECT count(*) FROM audit_log")[0][0] == audit_before
    assert _rows(db, "SELECT count(*) FROM leads_fts")[0][0] == 1
    assert not list(tmp_path.glob("many.errors*"))
    event = threading.Event()
    event.set()
    with pytest.raises(ImportCancelled):
        import_file(db, actor, "leads", path, cancel=event)
    # Not cancelled: every row arrives, and progress ends at the whole file.
    fractions: list[float | None] = []
    result = import_file(db, actor, "leads", path, ImportOptions(batch_rows=1000),
                         progress=lambda done, fraction: fractions.append(fraction))
    assert result.read == 3001 and result.rejected == 1 and fractions[-1] == 1.0
    assert result.errors_file is not None and result.errors_file.exists()


def test_memory_stays_flat_in_the_files_size(db: Database, actor: Actor, tmp_path: Path) -> None:
    def peak(rows: int) -> int:
        path = tmp_path / f"leads-{rows}.csv"
        importer.write_benchmark_csv(path, rows, seed=rows)
        tracemalloc.start()
        try:
            result = import_file(db, actor, "leads", path, ImportOptions(batch_rows=500))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert result.rejected == 0

    small, large = peak(1500), peak(6000)
    assert large < small * 1.5 + 2_000_000, (small, large)  # 4 x the rows, not 4 x the memory
    assert large < 40_000_000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_fast_mobile_check_agrees_with_the_form(digits: str) -> None:
    number = "1" + digits
    try:
        expected: str | None = normalize_phone(number)
    except ValueError:
        expected = None
    fast = importer.fast_mobile(number)
    assert fast is None or fast == expected


def test_imported_leads_are_scored_and_assigned_as_the_form_does(db: Database, actor: Actor, services: Services,
                                                                   gbk: Path) -> None:
    import_file(db, actor, "leads", gbk)
    imported = _lead_by_name(db, "张伟")[0]
    typed = services.leads.create(actor, {"name": "张伟二", "phone": "13812340099", "company": "远景科技有限公司",
                                          "source": "walk_in", "intended_product": "华驰 A3",
                                          "intended_purchase_date": date(2024, 3, 5), "province": "上海市",
                                          "city": "上海市", "visitors_count": 2, "budget": Decimal("1234.50")})
    assert imported["score"] == typed["score"] and imported["qualification"] == typed["qualification"]
    assert imported["owner_id"] == typed["owner_id"] == actor.user_id  # the rules' fallback: the creator
    # No rule set and the creator fallback: nothing was assigned, so the form and the import log nothing.
    assert _rows(db, "SELECT entity_id FROM audit_log WHERE action = 'assign'") == []


def test_imported_leads_go_round_robin_through_a_team_and_each_assignment_names_its_rule(
        db: Database, actor: Actor, tmp_path: Path) -> None:
    with unit_of_work(db, actor) as session:
        team = Team(name="华东一组")
        session.add(team)
        session.flush()
        reps = [User(username=f"rep{i}", display_name=name, role="field_rep", team_id=team.id)
                for i, name in enumerate(("王磊", "李强"))]
        session.add_all(reps)
        session.flush()
        team_id, rep_ids = team.id, sorted(rep.id for rep in reps)
    save_assignment(db, actor, {"rules": [{"name": "上海进一组", "conditions": {"cities": ["上海"]},
                                           "target": {"kind": "team", "team_id": team_id}}],
                                "fallback": {"kind": "pool"}})
    path = tmp_path / "leads.csv"
    lines = ["姓名,手机,城市"] + [f"客户{i},1381234{i:04d},{'上海市' if i < 4 else '北京市'}" for i in range(6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_file(db, actor, "leads", path).imported == 6
    owners = dict(_rows(db, "SELECT name, owner_id FROM leads"))
    assert sorted(owners[f"客户{i}"] for i in range(4)) == sorted(rep_ids * 2)  # two each, in turn
    assert owners["客户4"] is None and owners["客户5"] is None  # no rule matched: the pool
    logged = _rows(db, "SELECT l.name, a.new_value FROM audit_log a JOIN leads l ON l.id = a.entity_id"
                       " WHERE a.action = 'assign' AND a.field = 'assignment_rule'")
    assert sorted(logged) == sorted([(f"客户{i}", "上海进一组") for i in range(4)] + [("客户4", None), ("客户5", None)])


def test_an_imported_lead_is_stored_as_the_form_stores_it(db: Database, actor: Actor, services: Services,
                                                          gbk: Path) -> None:
    """The batch insert carries rows as JSON: each column ends up stored as the ORM stores it and reads back
    the same (column affinity does much of this; the test guards the whole path)."""
    import_file(db, actor, "leads", gbk)
    imported = _lead_by_name(db, "张伟")[0]
    typed = services.leads.create(actor, {"name": "张伟二", "phone": "13812340099", "company": "远景科技有限公司",
                                          "source": "walk_in", "intended_purchase_date": date(2024, 3, 5),
                                          "visitors_count": 2, "budget": Decimal("1234.50")})
    columns = [name for name, value in imported.items() if value is not None]
    types = ", ".join(f"typeof({name})" for name in columns)
    stored = {row_id: row for row_id, *row in _rows(db, f"SELECT id, {types} FROM leads")}
    form_row = dict(zip(columns, stored[typed.id], strict=True))
    import_row = dict(zip(columns, stored[imported["id"]], strict=True))
    both = [name for name in columns if form_row[name] != "null"]
    assert {"budget", "created_at", "intended_purchase_date", "visitors_count", "score"} <= set(both)
    assert {name: import_row[name] for name in both} == {name: form_row[name] for name in both}
    assert services.leads.get(actor, imported["id"])["budget"] == Decimal("1234.50")


def test_an_errors_file_that_cannot_be_written_stops_the_import_with_nothing_written(
        db: Database, actor: Actor, gbk: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(UserError) as caught:
        import_file(db, actor, "leads", gbk, ImportOptions(errors_path=blocker / "errors.csv"))
    assert "Cannot write the errors file" in caught.value.message
    assert _rows(db, "SELECT count(*) FROM leads") == [(0,)]
