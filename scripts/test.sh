#!/usr/bin/env bash
# Sets up and runs every check: lint, types, all tests (unit, integration with a real
# uvicorn station, browser tests in Debian's headless Chromium), the crypto core on the
# tablet's cryptography 43.0.1, and the benchmarks in smoke mode.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --with-test-tools
PY=.venv/bin/python

echo "== lock files match pyproject.toml"
.venv-uv/bin/uv lock --check --offline

echo "== ruff"
$PY -m ruff check .
$PY -m ruff format --check .
echo "== mypy --strict (shared, storekit, mobile, sync_server, bench)"
$PY -m mypy
echo "== crypto core on cryptography 43.0.1 (tablet build)"
bash scripts/test-crypto-compat.sh
echo "== benchmark smoke"
$PY bench/sync_throughput.py --dossiers 5 --smoke
$PY bench/stamping.py --smoke
$PY bench/reports.py --smoke
$PY bench/dossier_numbers.py --smoke
$PY bench/citizen_search.py --smoke
$PY bench/backup.py --smoke
$PY bench/province.py --smoke
echo "== pytest"
# Two workers (tests/conftest.py): the browser tests one after another on one, the rest a
# module at a time on the other (TAICHO_TEST_WORKERS=0 runs in one process). The slowest
# tests are listed at the end of the log.
workers="${TAICHO_TEST_WORKERS:-2}"
if [ "$workers" = 0 ]; then
    $PY -m pytest --durations=25 "$@"
else
    $PY -m pytest -n "$workers" --dist loadgroup --durations=25 "$@"
fi
