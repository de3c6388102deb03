#!/usr/bin/env bash
# Runs every benchmark at the size its documentation gives and prints one JSON line each
# (the human summaries go to stderr). Not part of CI, which runs them in --smoke mode; on
# a 2-core machine the whole set takes several minutes.
#   bash scripts/bench-all.sh [--out FILE]   # FILE: the JSON lines, one per bench
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
PY=.venv/bin/python
out=/dev/null
[ "${1:-}" = "--out" ] && out=${2:?--out FILE}
: > "$out" 2>/dev/null || true

run() {
    echo "== $*" >&2
    "$PY" "$@" | tee -a "$out"
}
run bench/sync_throughput.py --dossiers 1000
run bench/sync_throughput.py --dossiers 4950
run bench/dossier_numbers.py
run bench/reports.py --dossiers 100000
run bench/stamping.py --documents 50
run bench/citizen_search.py --citizens 50000
run bench/province.py --communes 100 --dossiers-per-commune 500
