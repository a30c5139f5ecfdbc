#!/usr/bin/env bash
# Full-scale benchmarks (not part of tests/run.sh): builds a 1,000,000-lead demo database once under
# tests/bench/data/, measures the window and search on it with `crmdesk bench`, checks the floors,
# and writes the figures to tests/bench/data/results.json (copy them into the README).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q -e '.[test]'
fi
export QT_QPA_PLATFORM=offscreen
export CRMDESK_BENCH_LEADS="${CRMDESK_BENCH_LEADS:-1000000}"
exec .venv/bin/pytest tests/bench -m bench -p no:randomly -s "$@"
