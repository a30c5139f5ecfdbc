"""The one translation catalog: loading, language switch, placeholders."""

from pathlib import Path

import pytest

from crmdesk import i18n


def test_english_is_the_source_and_needs_no_catalog() -> None:
    i18n.set_language("en")
    assert i18n._("This field is required.") == "This field is required."


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_unfinished_translations_fall_back_to_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "crmdesk_zh_CN.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
        "<context><name>services</name>"
        "<message><source>Done</source><translation>完成</translation></message>"
        '<message><source>Later</source><translation type="unfinished">稍后</translation></message>'
        "<message><source>{count} rows</source><translation>{count} 行</translation></message>"
        "</context></TS>",
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    i18n.load_catalog.cache_clear()
    try:
        assert i18n.translate("services", "Done", "zh_CN") == "完成"
        assert i18n.translate("services", "Later", "zh_CN") == "Later"
        i18n.set_language("zh_CN")
        assert i18n._("{count} rows", count=3) == "3 行"
    finally:
        i18n.load_catalog.cache_clear()
