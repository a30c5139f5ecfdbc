"""Tests of crmdesk.settings: defaults, typed values, the versioned file, upgrades and atomic saves."""

from __future__ import annotations

import base64
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crmdesk import settings as settings_module
from crmdesk.settings import SETTINGS_VERSION, Settings, default_settings_path


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def test_a_missing_file_gives_every_default(path: Path) -> None:
    settings = Settings.load(path)

    assert settings.language == "zh_CN"
    assert settings.visible_columns == {}
    assert settings.column_widths == {}
    assert settings.window_geometry == ""
    assert settings.last_database_path is None
    assert settings.page_size == 200
    assert settings.to_dict() == {"version": SETTINGS_VERSION} | {
        name: setting.default for name, setting in Settings.declared().items()
    }
    assert not path.exists(), "loading must not write"


def test_every_setting_survives_a_save_and_a_load(path: Path) -> None:
    settings = Settings.load(path)
    geometry = base64.b64encode(b"\x01\xd9\xd0\xcb\x00\x03").decode("ascii")
    settings.language = "en"
    settings.visible_columns = {"leads": ["name", "phone", "source"], "customers": ["name", "tier"]}
    settings.column_widths = {"leads": {"name": 160, "phone": 120}}
    settings.sort_columns = {"leads": "created_at"}
    settings.sort_descending = {"leads": True}
    settings.window_geometry = geometry
    settings.window_state = geometry
    settings.last_tab = "customers"
    settings.last_database_path = "/home/王芳/客户资料/crmdesk.sqlite3"
    settings.recent_database_paths = ["/home/王芳/客户资料/crmdesk.sqlite3", "/srv/旧账/crm.sqlite3"]
    settings.last_username = "wangfang"
    settings.page_size = 500
    settings.hub_url = "https://hub.example.cn"
    settings.auto_backup_days = 30
    settings.show_reminders = False
    changed = settings.to_dict()
    defaults = Settings(path).to_dict()
    assert all(changed[name] != defaults[name] for name in Settings.declared()), "every setting is exercised"

    settings.save()
    again = Settings.load(path)

    assert again.to_dict() == changed
    assert again.language == "en"
    assert again.column_widths["leads"]["name"] == 160
    text = path.read_text(encoding="utf-8")
    assert "客户资料" in text, "Chinese is written as UTF-8, not \\u escapes"
    assert read_json(path)["version"] == SETTINGS_VERSION


def test_defaults_are_not_shared_between_settings_objects(tmp_path: Path) -> None:
    first = Settings.load(tmp_path / "a.json")
    first.visible_columns["leads"] = ["name"]
    first.recent_database_paths.append("/tmp/a.sqlite3")

    second = Settings.load(tmp_path / "b.json")

    assert second.visible_columns == {}
    assert second.recent_database_paths == []
    assert Settings.visible_columns.default == {}


def test_changes_to_a_mutable_value_are_saved(path: Path) -> None:
    settings = Settings.load(path)
    settings.column_widths.setdefault("orders", {})["total"] = 90
    settings.save()

    assert Settings.load(path).column_widths == {"orders": {"total": 90}}


def test_assigning_a_wrong_type_raises(path: Path) -> None:
    settings = Settings.load(path)
    wrong: Any = "50"
    with pytest.raises(TypeError, match="page_size"):
        settings.page_size = wrong
    bad_language: Any = "fr"
    with pytest.raises(TypeError, match="language"):
        settings.language = bad_language
    with pytest.raises(TypeError, match="page_size"):
        settings.page_size = 3  # below the declared range
    assert settings.page_size == 200


def test_version_1_files_are_upgraded_to_nested_per_table_settings(path: Path) -> None:
    path.parent.mkdir(parents=True)
    write_json(path, {
        "version": 1,
        "language": "en",
        "leads.columns": ["name", "phone"],
        "customers.columns": ["name", "city"],
        "leads.widths": {"name": 150},
        "page_size": 300,
    })

    settings = Settings.load(path)

    assert settings.visible_columns == {"leads": ["name", "phone"], "customers": ["name", "city"]}
    assert settings.column_widths == {"leads": {"name": 150}}
    assert settings.language == "en"
    assert settings.page_size == 300
    settings.save()
    saved = read_json(path)
    assert saved["version"] == 2
    assert "leads.columns" not in saved
    assert "leads.widths" not in saved
    assert saved["visible_columns"]["customers"] == ["name", "city"]


def test_a_file_without_a_version_is_read_as_version_1(path: Path) -> None:
    path.parent.mkdir(parents=True)
    write_json(path, {"orders.columns": ["number", "total"]})

    assert Settings.load(path).visible_columns == {"orders": ["number", "total"]}


def test_each_upgrade_step_leads_to_the_next_version() -> None:
    assert sorted(settings_module.UPGRADES) == list(range(1, SETTINGS_VERSION))
    upgraded = settings_module.upgrade({"version": 1})
    assert upgraded["version"] == SETTINGS_VERSION


def test_unknown_keys_are_dropped_and_logged(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path.parent.mkdir(parents=True)
    write_json(path, {"version": 2, "theme": "dark", "page_size": 100, "旧设置": [1, 2]})

    with caplog.at_level(logging.INFO, logger="crmdesk.settings"):
        settings = Settings.load(path)

    assert settings.page_size == 100
    assert "theme" in caplog.text
    settings.save()
    saved = read_json(path)
    assert "theme" not in saved
    assert "旧设置" not in saved


@pytest.mark.parametrize(
    ("name", "bad_value"),
    [
        ("page_size", "50"),
        ("page_size", True),
        ("auto_backup_days", True),
        ("page_size", 2.5),
        ("page_size", 5),
        ("language", "fr"),
        ("language", None),
        ("visible_columns", {"leads": "name"}),
        ("visible_columns", ["name"]),
        ("column_widths", {"leads": {"name": "wide"}}),
        ("column_widths", {"leads": {"name": -4}}),
        ("show_reminders", 1),
        ("last_database_path", 42),
        ("window_geometry", "not base64!"),
        ("recent_database_paths", [None]),
    ],
)
def test_a_wrong_typed_value_falls_back_to_its_default_and_is_logged(
    path: Path, caplog: pytest.LogCaptureFixture, name: str, bad_value: Any
) -> None:
    path.parent.mkdir(parents=True)
    write_json(path, {"version": 2, name: bad_value, "last_tab": "orders"})

    with caplog.at_level(logging.WARNING, logger="crmdesk.settings"):
        settings = Settings.load(path)

    assert getattr(settings, name) == Settings.declared()[name].default
    assert settings.last_tab == "orders", "the valid settings of the same file are kept"
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert any(name in record.getMessage() for record in warnings)


@pytest.mark.parametrize("content", ["{not json", "[1, 2, 3]", "", "\x00\x01garbage"])
def test_an_unreadable_file_gives_defaults_is_logged_and_kept_aside(
    path: Path, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")

    with caplog.at_level(logging.ERROR, logger="crmdesk.settings"):
        settings = Settings.load(path)

    assert settings.to_dict() == Settings(path).to_dict()
    assert any(record.levelno == logging.ERROR for record in caplog.records)
    broken = path.with_name("settings.json.broken")
    assert broken.read_text(encoding="utf-8") == content


def test_a_file_from_a_newer_version_keeps_what_this_version_knows(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir(parents=True)
    write_json(path, {"version": SETTINGS_VERSION + 5, "page_size": 80, "future_thing": {"a": 1}})

    with caplog.at_level(logging.WARNING, logger="crmdesk.settings"):
        settings = Settings.load(path)

    assert settings.page_size == 80
    assert "newer" in caplog.text


def test_save_is_atomic_a_failed_write_keeps_the_old_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.load(path)
    settings.page_size = 111
    settings.save()
    before = path.read_bytes()

    def failing_replace(source: Any, target: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(settings_module.os, "replace", failing_replace)
    settings.page_size = 999
    with pytest.raises(OSError, match="disk full"):
        settings.save()

    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"], "no temporary file left"


def test_save_replaces_the_file_rather_than_writing_into_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced: list[tuple[str, str]] = []
    real_replace = settings_module.os.replace

    def recording_replace(source: Any, target: Any) -> None:
        replaced.append((str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(settings_module.os, "replace", recording_replace)
    Settings.load(path).save()

    assert len(replaced) == 1
    source, target = replaced[0]
    assert target == str(path)
    assert Path(source).parent == path.parent, "the temporary file is on the same file system"
    assert read_json(path)["version"] == SETTINGS_VERSION


def test_the_default_path_is_in_the_user_config_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from platformdirs import user_config_path

    monkeypatch.delenv(settings_module.SETTINGS_PATH_ENV, raising=False)
    assert default_settings_path() == user_config_path("crmdesk", appauthor=False) / "settings.json"

    monkeypatch.setenv(settings_module.SETTINGS_PATH_ENV, str(tmp_path / "portable.json"))
    assert default_settings_path() == tmp_path / "portable.json"
    assert Settings.load().path == tmp_path / "portable.json"


def test_settings_import_no_qt() -> None:
    code = (
        "import sys, crmdesk.settings\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "assert not qt, qt\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_declared_default_must_fit_its_type() -> None:
    with pytest.raises(TypeError):
        settings_module.Setting(int, "200", "a page size declared with a string default")


def test_reset_puts_one_setting_back_to_its_default(path: Path) -> None:
    settings = Settings(path, {"page_size": 50, "language": "en"})
    assert settings.page_size == 50

    settings.reset("page_size")

    assert settings.page_size == 200
    assert settings.language == "en"


def test_values_given_to_the_constructor_are_checked(path: Path) -> None:
    with pytest.raises(TypeError, match="page_size"):
        Settings(path, {"page_size": "many"})
    with pytest.raises(TypeError, match="colour_scheme"):
        Settings(path, {"colour_scheme": "dark"})
