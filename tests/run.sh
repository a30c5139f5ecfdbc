#!/usr/bin/env bash
# The test command: `bash tests/run.sh [pytest args]` from anywhere, on a fresh Debian 12 with python3.
# Installs what is missing (system libraries for Qt offscreen and poppler-utils when run as root, the
# .venv with crmdesk[test]), then runs ruff, mypy and pytest (without the full-scale benchmarks,
# which tests/bench/run.sh runs). Every step runs; the exit status is non-zero if any failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\n== %s\n' "$*"; }

# --- System packages -----------------------------------------------------------------------------
# Shared libraries the PySide6 wheels load with the offscreen platform (GL/EGL, xkbcommon, fontconfig,
# glib, X11 client libraries, D-Bus, Kerberos for QtNetwork), pdftotext for the PDF tests, the sqlite3
# shell, whose .recover the salvage of a damaged file tries first, and PostgreSQL's server (Debian 12: 15),
# whose initdb and pg_ctl the hub tests run to start a throwaway server of their own (tests/hub/conftest.py).
# No CJK font on purpose: the app bundles its own and the tests prove it needs no system font.
SYSTEM_PACKAGES=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 libx11-6
                 libgssapi-krb5-2 poppler-utils sqlite3 postgresql)
PYTHON=${PYTHON:-python3}
if command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    missing=()
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    # Debian's own python3 makes venvs only with python3-venv (ensurepip) installed.
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        missing+=(python3-venv)
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
fi

# --- The virtual environment ---------------------------------------------------------------------
# Reinstalled only when pyproject.toml changed since the last install (its hash is kept in .venv).
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
    say "creating .venv"
    rm -rf .venv
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.crmdesk-pyproject.sha256
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ] \
        || ! .venv/bin/python -c 'import crmdesk, pytest, pytestqt, mypy' >/dev/null 2>&1; then
    say "installing crmdesk[test] into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
    echo "$wanted" >"$stamp"
fi

# --- The checks ----------------------------------------------------------------------------------
# Keep the tests away from the user's own settings, data and Qt runtime dir.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/crmdesk-tests.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/config" "$scratch/data" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
export QT_QPA_PLATFORM=offscreen

failed=()
say "ruff"
.venv/bin/ruff check crmdesk tests build_installer.py || failed+=(ruff)
say "mypy"
.venv/bin/mypy || failed+=(mypy)
say "pytest"
.venv/bin/pytest -m "not bench" "$@" || failed+=(pytest)

if [ "${#failed[@]}" -gt 0 ]; then
    say "FAILED: ${failed[*]}"
    exit 1
fi
say "all checks passed"
