#!/usr/bin/env bash
# Sets up and runs the demo: the office sync station seeded with today's unit, Xã Lai Vung,
# tỉnh Đồng Tháp (former name: Xã Định Yên, Huyện Lấp Vò — merged into Lai Vung on 1 July
# 2025), its 2026 calendar (2 Jan off, Sat 10 Jan worked), and the tablet app as a web
# app, already enrolled. A real commune is set up instead with
#   python -m sync_server admin --data DIR unit-set --province "…" --commune "…"
# The station speaks HTTPS, as in an office, with the certificate it made itself on first
# start: the browser warns once at the desk (self-signed), the tablet pins the certificate
# through its enrolment code.
# Env: TAICHO_DEMO_DATA (default ./demo-data), TAICHO_HOST (default 127.0.0.1; 0.0.0.0
# to reach it from a real tablet on the office Wi-Fi), STATION_PORT (8765), TABLET_PORT (8550).
# --province: a province of two communes (Xã Lai Vung, Phường Sa Đéc) sending their
# figures to a provincial hub on a throw-away PostgreSQL (python -m province_hub.demo,
# docs/province.md); needs Debian's postgresql (installed if missing). A dossier taken
# at one commune for the other travels sealed through the hub and its result comes back.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
PY=.venv/bin/python
if [ "${1:-}" = "--province" ]; then
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    fi
    exec $PY -m province_hub.demo --data "${TAICHO_DEMO_DATA:-demo-data}/province"
fi
DATA=${TAICHO_DEMO_DATA:-demo-data}
HOST=${TAICHO_HOST:-127.0.0.1}
SPORT=${STATION_PORT:-8765}
TPORT=${TABLET_PORT:-8550}
URL="https://127.0.0.1:${SPORT}"
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
    # Only "is it up yet"; the tablet checks the certificate against its pin.
    r = httpx.get(sys.argv[1] + "/v1/health", timeout=1, verify=False)
    sys.exit(0 if r.status_code == 200 else 1)
except httpx.HTTPError:
    sys.exit(1)
PYEOF
    sleep 0.2
done

if [ -f "$DATA/tablet/tablet.db" ] && ! $PY -m mobile.headless --data "$DATA/tablet" status \
        | grep -q "\"station_url\": \"$URL\""; then
    # A tablet enrolled with another address (an older plain-HTTP demo): start it afresh.
    old="$DATA/tablet.old-$(date +%Y%m%d%H%M%S)"
    mv "$DATA/tablet" "$old"
    echo "The demo tablet was enrolled with another station address; kept it as $old."
fi
if [ ! -f "$DATA/tablet/tablet.db" ] || ! $PY -m mobile.headless --data "$DATA/tablet" status \
        | grep -q '"enrolled": true'; then
    code=$($PY -m sync_server admin --data "$DATA/station" enroll-code | head -n 1)
    $PY -m mobile.headless --data "$DATA/tablet" enroll "$URL" "$code" >/dev/null
    echo "Tablet enrolled with the demo station (data: $DATA/tablet)."
fi

SHA=$($PY -m sync_server admin --data "$DATA/station" tls-show \
    | $PY -c 'import json, sys; print(json.load(sys.stdin)["sha256"])')

FLET_FORCE_WEB_SERVER=1 $PY -m mobile --web --host "$HOST" --port "$TPORT" --data "$DATA/tablet" &
pids+=($!)
cat <<MSG

  Tại Chỗ demo is running: Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp
  (trước đây: Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp).
  Office sync station:  ${URL}   (API docs: ${URL}/docs)
  Office desk (web):    ${URL}/desk   (appraise, approve, stamp, return, admin)
    HTTPS with the station's own certificate: the browser warns once ("Your connection
    is not private" / "Kết nối của bạn không phải là kết nối riêng tư"). Check that the
    certificate's SHA-256 fingerprint is
      ${SHA}
    then choose Advanced → Proceed. Tablets pin it through their enrolment code.
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
