"""Build the one-folder crmdesk app with PyInstaller (dist/crmdesk/) and smoke-test the built program."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NAME = "crmdesk"
ENTRY = ROOT / "crmdesk" / "__main__.py"
RESOURCES = ROOT / "resources"
MIGRATIONS = ROOT / "crmdesk" / "migrations"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
VENV_PYTHON = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
SMOKE_TIMEOUT_SECONDS = 180

# Modules no import statement names, so PyInstaller's analysis cannot find them by itself.
HIDDEN_IMPORTS = [
    "sqlalchemy.dialects.sqlite",  # create_engine("sqlite:///...") loads the dialect by name
    "sqlalchemy.dialects.sqlite.pysqlite",
    # Imported by env.py and the migration scripts, which ship as data files (see migration_data).
    "crmdesk.models.base",
    "alembic.context",
    "alembic.op",
]
# Packages that load their parts by name at run time: every submodule goes in.
COLLECT_SUBMODULES = [
    "crmdesk",
    "alembic.ddl",  # the dialect implementations register themselves on import
    "alembic.operations",
    "alembic.runtime",
    "phonenumbers.data",  # region metadata, imported per region code on first use
    "phonenumbers.shortdata",
    "pypinyin",
    "stdnum.cn",
]
COLLECT_DATA = ["pypinyin", "stdnum", "reportlab", "pyqtgraph"]
# Locales the demo data uses (zh_CN) and Faker's fallback (en_US, en).
FAKER_LOCALES = ("zh_CN", "en_US", "en")
# Pulled in by the test tools installed in the same venv; never needed by the app.
EXCLUDES = ["tkinter", "pytest", "_pytest", "hypothesis", "mypy", "pytestqt", "IPython"]


def ensure_venv_python() -> None:
    """Run under the project's .venv (where crmdesk is installed), re-executing with it if needed."""
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is not None:
        return
    with (ROOT / "pyproject.toml").open("rb") as stream:
        requirements = tomllib.load(stream)["project"]["optional-dependencies"]["installer"]
    print(f"build_installer: installing {' '.join(requirements)}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
                   check=True)


def data_argument(source: Path, destination: str) -> list[str]:
    return ["--add-data", f"{source}{os.pathsep}{destination}"]


def migration_data() -> list[str]:
    """Alembic reads env.py, the template and every revision by path, so they ship as plain files."""
    arguments: list[str] = []
    for name in ("env.py", "script.py.mako"):
        arguments += data_argument(MIGRATIONS / name, "crmdesk/migrations")
    for version in sorted((MIGRATIONS / "versions").glob("*.py")):
        arguments += data_argument(version, "crmdesk/migrations/versions")
    return arguments


def faker_data() -> tuple[list[str], list[str]]:
    """Faker finds its providers and locales by listing <bundle>/faker/providers/*/__init__.py on disk
    when frozen, then imports them by name: ship those files and name the modules as hidden imports."""
    spec = importlib.util.find_spec("faker.providers")
    if spec is None or not spec.submodule_search_locations:
        return [], []
    providers = Path(next(iter(spec.submodule_search_locations)))
    data: list[str] = []
    hidden: list[str] = []
    for init in sorted(providers.rglob("__init__.py")):
        relative = init.parent.relative_to(providers)
        parts = relative.parts
        # The providers package itself, each provider, and each provider's wanted locales.
        if len(parts) > 2 or (len(parts) == 2 and parts[1] not in FAKER_LOCALES):
            continue
        data += data_argument(init, Path("faker", "providers", *parts).as_posix())
        hidden += ["--hidden-import", ".".join(("faker", "providers", *parts))]
    return data, hidden


def pyinstaller_command(clean: bool) -> list[str]:
    faker_files, faker_imports = faker_data()
    command = [
        sys.executable, "-m", "PyInstaller", str(ENTRY),
        "--name", NAME,
        "--onedir",
        "--noconfirm",
        # A console program too: the same executable serves the administrators' CLI (import, export, ...).
        "--console",
        "--distpath", str(DIST),
        "--workpath", str(WORK),
        "--specpath", str(WORK),
        "--log-level", "WARN",
        *data_argument(RESOURCES, "resources"),
        *migration_data(),
        *faker_files,
        *faker_imports,
    ]
    for module in HIDDEN_IMPORTS:
        command += ["--hidden-import", module]
    for package in COLLECT_SUBMODULES:
        command += ["--collect-submodules", package]
    for package in COLLECT_DATA:
        command += ["--collect-data", package]
    for module in EXCLUDES:
        command += ["--exclude-module", module]
    if clean:
        command.append("--clean")
    return command


def executable() -> Path:
    return DIST / NAME / (f"{NAME}.exe" if os.name == "nt" else NAME)


def smoke_test() -> None:
    """Start the built program offscreen on a new database; it must draw its window and exit 0."""
    with tempfile.TemporaryDirectory(prefix="crmdesk-smoke-") as scratch:
        directory = Path(scratch)
        screenshot = directory / "smoke.png"
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            # Keep the smoke run away from the builder's own settings and data.
            "HOME": str(directory),
            "XDG_CONFIG_HOME": str(directory / "config"),
            "XDG_DATA_HOME": str(directory / "data"),
            "XDG_CACHE_HOME": str(directory / "cache"),
        }
        command = [str(executable()), "run", "--screenshot", str(screenshot), "--db", str(directory / "smoke.sqlite3")]
        print(f"build_installer: smoke test: {' '.join(command)}", flush=True)
        try:
            result = subprocess.run(command, env=environment, cwd=directory, timeout=SMOKE_TIMEOUT_SECONDS,
                                    check=False)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"build_installer: smoke test timed out after {SMOKE_TIMEOUT_SECONDS} s") from None
        if result.returncode != 0:
            raise SystemExit(f"build_installer: smoke test failed: exit code {result.returncode}")
        if not screenshot.is_file() or not screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"):
            raise SystemExit(f"build_installer: smoke test failed: no PNG written to {screenshot}")
        print(f"build_installer: smoke test passed ({screenshot.stat().st_size:,} byte screenshot)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-smoke", action="store_true", help="do not run the built program")
    parser.add_argument("--clean", action="store_true",
                        help="remove earlier build output and PyInstaller's cache first")
    args = parser.parse_args(argv)

    ensure_venv_python()
    ensure_pyinstaller()
    if args.clean:
        shutil.rmtree(WORK, ignore_errors=True)
        shutil.rmtree(DIST / NAME, ignore_errors=True)
    subprocess.run(pyinstaller_command(args.clean), cwd=ROOT, check=True)
    print(f"build_installer: built {DIST / NAME}", flush=True)
    if not args.skip_smoke:
        smoke_test()
    return 0


if __name__ == "__main__":
    sys.exit(main())
