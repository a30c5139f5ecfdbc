"""Imports point one way (views -> services -> models): checked by parsing every module's imports."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "crmdesk"

QT = ("PySide6", "shiboken6", "pyqtgraph")


@dataclass(frozen=True)
class Rule:
    """Modules under `layer` (a sub-package of crmdesk) must not import any of `forbidden` (or below)."""

    layer: str
    forbidden: tuple[str, ...]
    reason: str


RULES = (
    Rule("views", ("sqlalchemy", "sqlite3", "crmdesk.models"),
         "views call services; they never open a session, write SQL or touch entities"),
    Rule("services", (*QT, "crmdesk.views", "crmdesk.app"),
         "services are plain Python: no Qt, and they know nothing of the window"),
    Rule("models", (*QT, "crmdesk.views", "crmdesk.app", "crmdesk.services"),
         "models are the bottom layer: entities and the database setup only"),
)


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def module_name(path: Path, root: Path) -> str:
    """crmdesk/views/leads.py -> crmdesk.views.leads; a package's __init__.py -> the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module a source imports, anywhere in it (top level, functions, TYPE_CHECKING blocks),
    as absolute dotted names with line numbers. `from a import b` yields both a and a.b, since b may
    be a sub-module. importlib.import_module / __import__ with a literal name count too."""
    package_parts = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package_parts[: len(package_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            if base:
                found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}" if base else alias.name) for alias in node.names
                         if alias.name != "*")
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = (function.attr if isinstance(function, ast.Attribute)
                    else function.id if isinstance(function, ast.Name) else "")
            first = node.args[0]
            if name in ("import_module", "__import__") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def is_within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(root: Path, rule: Rule) -> tuple[list[Violation], int]:
    """The forbidden imports in every .py file under root/crmdesk/<layer>, and how many files were read."""
    layer_dir = root / "crmdesk" / rule.layer
    files = sorted(layer_dir.rglob("*.py")) if layer_dir.is_dir() else []
    found: list[Violation] = []
    for path in files:
        module = module_name(path, root)
        for line, imported in imported_modules(path.read_text(encoding="utf-8"), module,
                                               path.name == "__init__.py"):
            if any(is_within(imported, prefix) for prefix in rule.forbidden):
                found.append(Violation(path.relative_to(root), line, imported))
    return found, len(files)


@pytest.mark.parametrize("rule", RULES, ids=[rule.layer for rule in RULES])
def test_layer_imports_point_one_way(rule: Rule) -> None:
    found, scanned = violations(ROOT, rule)

    assert scanned > 0, f"no module found under crmdesk/{rule.layer}: the check would prove nothing"
    assert not found, f"{rule.reason}:\n" + "\n".join(str(violation) for violation in found)


# The checker itself: planted bad imports in a throwaway package must be caught, good ones not.

PLANTED = {
    "crmdesk/__init__.py": "",
    "crmdesk/views/__init__.py": "",
    "crmdesk/views/fine.py": (
        "from PySide6.QtWidgets import QWidget\n"
        "from crmdesk.services.leads import LeadService\n"
        "import sqlalchemy_utils_lookalike\n"
    ),
    "crmdesk/views/leads.py": (
        "from PySide6.QtWidgets import QWidget\n"
        "\n"
        "def refresh() -> None:\n"
        "    from sqlalchemy.orm import Session\n"
        "\n"
        "class LeadsView(QWidget):\n"
        "    def save(self) -> None:\n"
        "        import sqlite3\n"
    ),
    "crmdesk/views/dialogs/__init__.py": "",
    "crmdesk/views/dialogs/merge.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from ...models import Lead\n"
        "from crmdesk import models\n"
        "import importlib\n"
        "database = importlib.import_module('crmdesk.models.database')\n"
    ),
    "crmdesk/services/__init__.py": "",
    "crmdesk/services/report.py": (
        "import csv\n"
        "def chart() -> None:\n"
        "    import pyqtgraph as pg\n"
        "    from .. import views\n"
    ),
    "crmdesk/models/__init__.py": "",
    "crmdesk/models/lead.py": "try:\n    import shiboken6\nexcept ImportError:\n    pass\n",
}


def test_the_checker_catches_planted_bad_imports(tmp_path: Path) -> None:
    for relative, source in PLANTED.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")

    found = {rule.layer: {(v.path.as_posix(), v.line, v.module) for v in violations(tmp_path, rule)[0]}
             for rule in RULES}

    assert found["views"] == {
        ("crmdesk/views/leads.py", 4, "sqlalchemy.orm"),
        ("crmdesk/views/leads.py", 4, "sqlalchemy.orm.Session"),
        ("crmdesk/views/leads.py", 8, "sqlite3"),
        ("crmdesk/views/dialogs/merge.py", 3, "crmdesk.models"),
        ("crmdesk/views/dialogs/merge.py", 3, "crmdesk.models.Lead"),
        ("crmdesk/views/dialogs/merge.py", 4, "crmdesk.models"),
        ("crmdesk/views/dialogs/merge.py", 6, "crmdesk.models.database"),
    }
    assert found["services"] == {
        ("crmdesk/services/report.py", 3, "pyqtgraph"),
        ("crmdesk/services/report.py", 4, "crmdesk.views"),
    }
    assert found["models"] == {("crmdesk/models/lead.py", 2, "shiboken6")}


def test_relative_imports_resolve_from_the_importing_module() -> None:
    assert imported_modules("from ..models import Lead\n", "crmdesk.views.leads", False) == [
        (1, "crmdesk.models"), (1, "crmdesk.models.Lead")
    ]
    assert imported_modules("from . import leads\n", "crmdesk.views", True) == [
        (1, "crmdesk.views"), (1, "crmdesk.views.leads")
    ]
