#!/usr/bin/env bash
# Sets up everything Tại Chỗ needs on a fresh Debian machine with Python 3.11+:
# Debian packages (only what is missing), then the project's venv in .venv.
# Usage: scripts/setup.sh [--with-test-tools]   (idempotent; safe to run again)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

with_tests=0
[ "${1:-}" = "--with-test-tools" ] && with_tests=1

python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "Tại Chỗ needs Python 3.11 or newer (found $(python3 --version))" >&2; exit 1; }

apt_install() {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing Debian packages: $*" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need=()
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=("python3-venv")
if [ "$with_tests" = 1 ]; then
    command -v chromium >/dev/null || need+=(chromium)
    [ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
    command -v pdftotext >/dev/null || need+=(poppler-utils)
    command -v qpdf >/dev/null || need+=(qpdf)
    # Signed results: a PKCS#11 token to sign with (SoftHSM2) and an NSS trust store for
    # pdfsig's certificate check (certutil).
    command -v softhsm2-util >/dev/null || need+=(softhsm2)
    command -v certutil >/dev/null || need+=(libnss3-tools)
fi
[ ${#need[@]} -gt 0 ] && apt_install "${need[@]}"

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
extra="[station]"
[ "$with_tests" = 1 ] && extra="[station,dev]"
stamp=".venv/.installed${extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
    touch "$stamp"
fi
