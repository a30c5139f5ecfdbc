"""The zh_CN catalog covers every user-visible string of views and services; English is the source."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmdesk import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "crmdesk"
CATALOG = ROOT / "resources" / "translations" / "crmdesk_zh_CN.ts"
PLACEHOLDER = re.compile(r"\{(\w*)(?:[:!][^{}]*)?\}")


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _imports_catalog_function(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and node.module == "crmdesk.i18n" and any(a.name == "_" for a in node.names)
        for node in ast.walk(tree)
    )


class _Finder(ast.NodeVisitor):
    """Collects (context, source) of tr(), translate(), QT_TRANSLATE_NOOP() and services' _() calls."""

    def __init__(self, path: Path, with_underscore: bool) -> None:
        self.path = path
        self.with_underscore = with_underscore
        self.classes: list[str] = []
        self.found: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else function.id if isinstance(
            function, ast.Name) else ""
        where = f"{self.path.relative_to(ROOT)}:{node.lineno}"
        if name == "tr" and isinstance(function, ast.Attribute) and node.args:
            source = _literal(node.args[0])
            owner = function.value
            if isinstance(owner, ast.Name) and owner.id == "self" and self.classes:
                context = self.classes[-1]
            elif isinstance(owner, ast.Name) and owner.id[:1].isupper():
                context = owner.id
            else:
                context = None
            if source is None or context is None:
                self.problems.append(f"{where}: tr() needs a literal string on self or a class")
            else:
                self.found.append((context, source))
        elif name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) >= 2:
            context, source = _literal(node.args[0]), _literal(node.args[1])
            if context is not None and source is not None:
                self.found.append((context, source))
            elif name == "QT_TRANSLATE_NOOP":
                self.problems.append(f"{where}: QT_TRANSLATE_NOOP needs literal strings")
        elif name == "_" and isinstance(function, ast.Name) and self.with_underscore and node.args:
            source = _literal(node.args[0])
            if source is None:
                self.problems.append(f"{where}: _() needs a literal string")
            else:
                self.found.append((i18n.SERVICES_CONTEXT, source))
        self.generic_visit(node)


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def find_messages() -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    """Every translatable (context, source) in the package with where it is used, and misuses found."""
    messages: dict[tuple[str, str], list[str]] = {}
    problems: list[str] = []
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        finder = _Finder(path, _imports_catalog_function(tree))
        finder.visit(tree)
        for key in finder.found:
            messages.setdefault(key, []).append(str(path.relative_to(ROOT)))
        problems.extend(finder.problems)
    return messages, problems


def read_catalog() -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(CATALOG).getroot()
    entries: dict[tuple[str, str], ET.Element] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            entries[(name, message.findtext("source") or "")] = message
    return entries


def test_catalog_is_a_qt_linguist_file_for_zh_cn() -> None:
    root = ET.parse(CATALOG).getroot()
    assert root.tag == "TS" and root.get("version") == "2.1" and root.get("language") == "zh_CN"
    assert CATALOG.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>')


def test_translatable_strings_are_literals() -> None:
    _messages, problems = find_messages()
    assert problems == []


def test_the_scan_finds_views_and_services_strings() -> None:
    messages, _problems = find_messages()
    contexts = {context for context, _source in messages}
    assert {"services", "RecordDialog", "MainWindow", "RecordTab", "fields", "codes.lead.status"} <= contexts
    assert ("services", "This field is required.") in messages


def test_every_string_has_a_finished_zh_cn_translation() -> None:
    messages, _problems = find_messages()
    catalog = read_catalog()
    missing = []
    for (context, source), used in sorted(messages.items()):
        entry = catalog.get((context, source))
        translation = entry.find("translation") if entry is not None else None
        if (translation is None or not (translation.text or "").strip()
                or translation.get("type") in ("unfinished", "obsolete")):
            missing.append(f"[{context}] {source!r}  (used in {used[0]})")
    assert missing == [], "add these to resources/translations/crmdesk_zh_CN.ts:\n" + "\n".join(missing)


def test_placeholders_survive_translation() -> None:
    wrong = []
    for (context, source), entry in read_catalog().items():
        translation = entry.findtext("translation") or ""
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
            wrong.append(f"[{context}] {source!r} -> {translation!r}")
    assert wrong == []


def test_catalog_answers_in_chinese_through_the_shared_loader() -> None:
    i18n.load_catalog.cache_clear()
    assert i18n.translate("services", "This field is required.", "zh_CN") == "此项必填。"
    assert i18n.translate("entities", "Leads", "zh_CN") == "线索"
    assert i18n.translate("codes.lead.source", "Walk-in", "zh_CN") == "展厅到店"


def test_english_is_complete_by_construction() -> None:
    """English needs no file: every source string is English and shows as written."""
    messages, _problems = find_messages()
    assert i18n.load_catalog("en") == {}
    for context, source in messages:
        assert i18n.translate(context, source, "en") == source
        assert not re.search(r"[\u4e00-\u9fff]", source), f"source strings are English: {source!r}"


@pytest.mark.parametrize("context,source", [("MainWindow", "{count} leads"), ("services", "At most {count} characters.")])
def test_named_placeholders_are_filled_after_translation(context: str, source: str) -> None:
    text = i18n.translate(context, source, "zh_CN")
    assert text != source and "{count}" in text
    assert "1,234" in text.format(count="1,234")


if __name__ == "__main__":
    # `python tests/views/test_translations.py`: the <message> entries the catalog lacks, ready to
    # translate and paste into their <context> of resources/translations/crmdesk_zh_CN.ts.
    from xml.sax.saxutils import escape

    found, _problems = find_messages()
    known = read_catalog()
    for (context, source), used in sorted(found.items()):
        if (context, source) not in known:
            print(f"<!-- context {escape(context)} -->\n<message>\n    <location filename=\"../../{used[0]}\"/>\n"
                  f"    <source>{escape(source)}</source>\n    <translation type=\"unfinished\"></translation>\n"
                  "</message>")
