"""The command line: subcommands, --db, --json, and clear messages for bad databases."""

import json
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "book.sqlite3"
    db = open_database(path)
    services = Services(db)
    actor = ensure_local_user(db)
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "company": "远景科技"})
    services.leads.create(actor, {"name": "李娜", "phone": "13900001111"})
    db.close()
    return path


def test_search_json_prints_the_hits(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "zw", "--db", str(filled), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert [hit["name"] for hit in output["hits"]] == ["张伟"]
    assert output["hits"][0]["phone"] == "13812345678" and output["ms"] >= 0


def test_search_text_output(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "1111", "--db", str(filled)]) == 0
    assert "李娜" in capsys.readouterr().out


def test_newer_database_is_refused_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    path = tmp_path / "future.sqlite3"
    open_database(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    with pytest.raises(SystemExit) as exited:
        main(["search", "x", "--db", str(path)])
    assert exited.value.code == 2
    assert "newer version of crmdesk" in capsys.readouterr().err


def test_damaged_database_is_refused_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SystemExit) as exited:
        main(["search", "x", "--db", str(path)])
    assert exited.value.code == 2
    assert "damaged" in capsys.readouterr().err


def test_bench_needs_an_existing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "--db", str(tmp_path / "none.sqlite3")])
    assert "crmdesk demo" in capsys.readouterr().err


def test_demo_into_a_database_with_leads_is_refused_plainly(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--db", str(filled), "--leads", "10", "--quiet"])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "already has leads" in error and "Traceback" not in error


def test_export_writes_the_file_and_reports_json(filled: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "leads.xlsx"
    assert main(["export", "leads", "--db", str(filled), "--format", "xlsx", "-o", str(target), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == 2 and report["path"] == str(target) and target.exists()
