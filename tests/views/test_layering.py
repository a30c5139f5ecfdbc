"""Imports point one way: views use services, i18n and settings, never the database layer."""

from __future__ import annotations

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "crmdesk" / "views"
FORBIDDEN = ("sqlalchemy", "sqlite3", "crmdesk.models", "alembic")
ALLOWED_OWN = ("crmdesk.services", "crmdesk.i18n", "crmdesk.settings", "crmdesk.views")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            if node.module == "crmdesk":
                names.extend(f"crmdesk.{alias.name}" for alias in node.names if alias.name != "__version__")
    return names


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_views_never_import_the_database_layer() -> None:
    wrong = [f"{path.name}: {name}" for path in sorted(VIEWS.glob("*.py")) for name in _imports(path)
             if _under(name, FORBIDDEN)]
    assert wrong == []


def test_views_import_only_services_i18n_and_settings_of_the_project() -> None:
    wrong = [f"{path.name}: {name}" for path in sorted(VIEWS.glob("*.py")) for name in _imports(path)
             if name.startswith("crmdesk.") and not _under(name, ALLOWED_OWN)]
    assert wrong == []


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from sqlalchemy import select\nimport crmdesk.models.database\n", encoding="utf-8")
    assert [name for name in _imports(bad) if _under(name, FORBIDDEN)] == ["sqlalchemy", "crmdesk.models.database"]
