"""`crmdesk import`: the real command on the real fixtures (tests/fixtures/import/)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
COUNTS = {"read", "imported", "updated", "skipped_duplicates", "rejected", "errors_file"}


@pytest.fixture(autouse=True)
def _own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Saved mappings go beside a settings file of the test's own, never the user's."""
    settings = tmp_path / "config" / "settings.json"
    monkeypatch.setenv("CRMDESK_SETTINGS", str(settings))
    return settings.parent


def _copy(name: str, folder: Path) -> Path:
    target = folder / name
    target.write_bytes((FIXTURES / name).read_bytes())
    return target


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_json_prints_exactly_the_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, path = tmp_path / "book.sqlite3", _copy("leads_gbk.csv", tmp_path)
    assert main(["import", "leads", str(path), "--db", str(db), "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert set(report) == COUNTS
    assert (report["read"], report["imported"], report["skipped_duplicates"], report["rejected"]) == (14, 6, 1, 7)
    assert report["errors_file"] == str(path.with_name("leads_gbk.errors.csv"))
    assert captured.err == ""  # no progress line with --json
    assert _count(db, "leads") == 6
    # Again: nothing new.
    assert main(["import", "leads", str(path), "--db", str(db), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["imported"], again["updated"], again["skipped_duplicates"]) == (0, 0, 7)


def test_human_output_in_chinese_lists_each_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, path = tmp_path / "book.sqlite3", _copy("leads_gbk.csv", tmp_path)
    assert main(["import", "leads", str(path), "--db", str(db), "--lang", "zh_CN"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "读取 14 行" in out and "导入 6 行" in out and "拒绝 7 行" in out
    assert "第 6 行，手机：" in out and "第 9 行，意向购买日期：" in out and "第 13 行，来源：" in out
    assert "微信号" in out  # the column it did not import
    assert "leads_gbk.errors.csv" in out
    assert "14" in captured.err  # the progress line


def test_human_output_shows_the_first_rows_then_points_to_the_errors_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, path = tmp_path / "book.sqlite3", tmp_path / "bad.csv"
    lines = ["姓名,手机"] + [f"坏{index},123" for index in range(30)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="gb18030")
    assert main(["import", "leads", str(path), "--db", str(db), "--lang", "en", "--quiet",
                 "--errors", str(tmp_path / "fix-me.csv")]) == 0
    captured = capsys.readouterr()
    shown = [line for line in captured.out.splitlines() if line.strip().startswith("Row ")]
    assert len(shown) == 20 and shown[0].strip().startswith("Row 2, 手机:")
    assert "see the errors file" in captured.out and "fix-me.csv" in captured.out
    assert captured.err == ""  # --quiet
    assert (tmp_path / "fix-me.csv").read_bytes().decode("gb18030").count("\r\n") == 31


def test_map_value_map_and_date_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, path = tmp_path / "book.sqlite3", _copy("leads_en_semicolon.csv", tmp_path)
    assert main(["import", "leads", str(path), "--db", str(db), "--json", "--date-order", "dmy",
                 "--map", "Fax=notes", "--map", "City=residential_area", "--value-map", "source:Trade show=other"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 4
    with sqlite3.connect(db) as connection:
        rows = {row[0]: row[1:] for row in connection.execute(
            "SELECT name, notes, residential_area, city, source, intended_purchase_date FROM leads")}
    assert rows["Tom Li"] == ("021-5555", "Shanghai", None, "web", "2024-05-03")
    assert rows["Chen Yu"][3:] == ("other", "2024-08-07")


def test_saved_mapping_is_reused_by_name(tmp_path: Path, _own_config: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db, path = tmp_path / "book.sqlite3", _copy("opportunities_other_crm.csv", tmp_path)
    book = open_database(db)
    actor = ensure_local_user(book)
    Services(book).customers.create(actor, {"name": "上海远景科技有限公司", "kind": "company", "external_id": "C-001"})
    Services(book).customers.create(actor, {"name": "张伟"})
    book.close()
    value_maps = ["--value-map", "stage:Prospecting=qualify", "--value-map", "stage:Proposal/Price Quote=test_drive",
                  "--value-map", "stage:Negotiation/Review=negotiation", "--value-map", "stage:Closed Won=won",
                  "--value-map", "stage:Closed Lost=lost"]
    assert main(["import", "opportunities", str(path), "--db", str(db), "--json", "--create-customers",
                 "--save-mapping", "旧CRM商机", *value_maps]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["read"], first["imported"], first["updated"], first["rejected"]) == (8, 3, 3, 2)
    stored = json.loads((_own_config / "import-mappings.json").read_text(encoding="utf-8"))
    assert stored["mappings"]["旧CRM商机"]["values"]["stage"]["Closed Won"] == "won"
    # A second book, the same file: the saved mapping alone gives the same result.
    other = tmp_path / "other.sqlite3"
    book = open_database(other)
    actor = ensure_local_user(book)
    Services(book).customers.create(actor, {"name": "上海远景科技有限公司", "kind": "company", "external_id": "C-001"})
    Services(book).customers.create(actor, {"name": "张伟"})
    book.close()
    assert main(["import", "opportunities", str(path), "--db", str(other), "--json", "--create-customers",
                 "--mapping", "旧CRM商机", "--errors", str(tmp_path / "e2.csv")]) == 0
    second = json.loads(capsys.readouterr().out)
    assert {key: second[key] for key in ("imported", "updated", "rejected")} == {"imported": 3, "updated": 3,
                                                                                   "rejected": 2}
    with sqlite3.connect(other) as connection:
        assert connection.execute("SELECT count(*) FROM opportunity_stage_changes").fetchone()[0] == 6


def test_unknown_mapping_or_field_is_refused_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, path = tmp_path / "book.sqlite3", _copy("leads_gbk.csv", tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["import", "leads", str(path), "--db", str(db), "--mapping", "没有这个"])
    assert exited.value.code == 2 and "没有这个" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", "leads", str(path), "--db", str(db), "--map", "微信号=wechat"])
    error = capsys.readouterr().err
    assert "wechat" in error and "Traceback" not in error
    with pytest.raises(SystemExit):
        main(["import", "leads", str(tmp_path / "missing.csv"), "--db", str(db)])
    assert "missing.csv" in capsys.readouterr().err


def test_the_installed_command_imports_an_xlsx(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_import_fixtures", FIXTURES / "make_import_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    workbook = module.write_customers_xlsx(tmp_path / "客户.xlsx")
    db = tmp_path / "book.sqlite3"
    env = {**os.environ, "CRMDESK_SETTINGS": str(tmp_path / "config" / "settings.json")}
    done = subprocess.run([sys.executable, "-m", "crmdesk", "import", "customers", str(workbook), "--db", str(db),
                           "--json"], capture_output=True, text=True, env=env, check=True, timeout=120)
    report = json.loads(done.stdout)
    assert set(report) == COUNTS and (report["imported"], report["rejected"]) == (2, 3)
    assert report["errors_file"].endswith("客户.errors.xlsx") and Path(report["errors_file"]).exists()
    assert _count(db, "customers") == 2
