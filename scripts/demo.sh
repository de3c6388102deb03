#!/usr/bin/env bash
# Sets up and runs the demo: the office sync station seeded with today's unit, Xã Lai Vung,
# tỉnh Đồng Tháp (former name: Xã Định Yên, Huyện Lấp Vò — merged into Lai Vung on 1 July
# 2025), its 2026 calendar (2 Jan off, Sat 10 Jan worked), and the tablet app as a web
# app, already enrolled. A real commune is set up instead with
#   python -m sync_server admin --data DIR unit-set --province "…" --commune "…"
# Env: TAICHO_DEMO_DATA (default ./demo-data), TAICHO_HOST (default 127.0.0.1; 0.0.0.0
# to reach it from a real tablet on the office Wi-Fi), STATION_PORT (8765), TABLET_PORT (8550).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
PY=.venv/bin/python
DATA=${TAICHO_DEMO_DATA:-demo-data}
HOST=${TAICHO_HOST:-127.0.0.1}
SPORT=${STATION_PORT:-8765}
TPORT=${TABLET_PORT:-8550}
URL="http://127.0.0.1:${SPORT}"
mkdir -p "$DATA"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

$PY -m sync_server serve --data "$DATA/station" --host "$HOST" --port "$SPORT" --demo &
pids+=($!)
for _ in $(seq 1 100); do
    $PY - "$URL" <<'PYEOF' && break
import sys, httpx
try:
    sys.exit(0 if httpx.get(sys.argv[1] + "/v1/health", timeout=1).status_code == 200 else 1)
except httpx.HTTPError:
    sys.exit(1)
PYEOF
    sleep 0.2
done

if [ ! -f "$DATA/tablet/tablet.db" ] || ! $PY -m mobile.headless --data "$DATA/tablet" status \
        | grep -q '"enrolled": true'; then
    code=$($PY -m sync_server admin --data "$DATA/station" enroll-code | head -n 1)
    $PY -m mobile.headless --data "$DATA/tablet" enroll "$URL" "$code" >/dev/null
    echo "Tablet enrolled with the demo station (data: $DATA/tablet)."
fi

FLET_FORCE_WEB_SERVER=1 $PY -m mobile --web --host "$HOST" --port "$TPORT" --data "$DATA/tablet" &
pids+=($!)
cat <<MSG

  Tại Chỗ demo is running: Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp
  (trước đây: Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp).
  Office sync station:  ${URL}   (API docs: ${URL}/docs)
  Office desk (web):    ${URL}/desk   (appraise, approve, stamp, return, admin)
  Tablet app (web):     http://127.0.0.1:${TPORT}
  Demo logins (username / PIN):
    tiepnhan / 123456  công chức tiếp nhận (tablet intake)
    thamdinh / 234567  công chức tư pháp – hộ tịch (appraise)
    lanhdao  / 345678  Chủ tịch UBND xã Lai Vung (approve)
    vanthu   / 456789  văn thư (stamp, return)
    quantri  / 567890  quản trị (admin)
  Press Ctrl+C to stop.

MSG
wait
