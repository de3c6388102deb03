#!/usr/bin/env bash
# Sets up everything Tại Chỗ needs on a fresh Debian machine with Python 3.11+:
# Debian packages (only what is missing), then the project's venv in .venv, installed from
# the lock file only (uv.lock: exact versions and hashes of every package, transitive ones
# included). Nothing is resolved here: a fresh clone gets what was tested. Refreshing the
# lock is a deliberate step: scripts/upgrade-deps.sh (see docs/architecture.md).
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
    # The provincial hub's tests and benchmark start a throw-away PostgreSQL cluster with
    # initdb/pg_ctl from Debian's server package (province_hub/cluster.py).
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
fi
[ ${#need[@]} -gt 0 ] && apt_install "${need[@]}"

# uv itself, pinned with the hash of every wheel (locks/uv.txt), in a venv of its own.
UV=.venv-uv/bin/uv
want_uv=$(sed -n 's/^uv==\([^ ]*\).*/\1/p' locks/uv.txt)
if [ ! -x "$UV" ] || [ "$("$UV" --version | cut -d' ' -f2)" != "$want_uv" ]; then
    rm -rf .venv-uv
    python3 -m venv .venv-uv
    .venv-uv/bin/python -m pip install -q --disable-pip-version-check --no-deps \
        --require-hashes -r locks/uv.txt
fi

# The project's venv from uv.lock: --locked refuses a lock that no longer matches
# pyproject.toml (run scripts/upgrade-deps.sh); the sync is exact for the test set, so the
# installed versions are the lock's and nothing else.
export UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=.venv
extras=(--extra station)
mode=(--inexact)  # the demo keeps test tools a test run installed
if [ "$with_tests" = 1 ]; then
    extras+=(--extra dev)
    mode=()
fi
"$UV" sync --locked --quiet --python "$(command -v python3)" "${extras[@]}" "${mode[@]}"
