#!/usr/bin/env bash
# Refreshes the lock files, deliberately, then runs the whole suite on what they now hold.
# Nothing else ever changes them: scripts/setup.sh and CI install from them only.
#
#   bash scripts/upgrade-deps.sh              # newest releases that pyproject.toml allows
#   bash scripts/upgrade-deps.sh PACKAGE ...  # only these packages (uv lock -P PACKAGE)
#
# What it refreshes:
#   uv.lock                       the station, the tablet's web build, dev and test tools
#                                 (every transitive package, exact version + hashes)
#   locks/tablet-crypto43.txt     the crypto core's tests on the tablet's cryptography 43.0.1
#   locks/uv.txt                  uv itself (only with --uv VERSION)
# Then: bash scripts/test.sh. Commit the locks with what the upgrade needed, as one commit
# that says which packages moved; a red suite means the upgrade is not ready.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
UV=.venv-uv/bin/uv

if [ "${1:-}" = "--uv" ]; then
    printf '%s\n' "$(grep '^#' locks/uv.in)" "uv==${2:?--uv VERSION}" > locks/uv.in
    shift 2
    "$UV" pip compile --quiet --generate-hashes --universal --python-version 3.11 \
        locks/uv.in -o locks/uv.txt
    rm -rf .venv-uv
    bash scripts/setup.sh
fi

if [ $# -gt 0 ]; then
    args=()
    for p in "$@"; do args+=(--upgrade-package "$p"); done
    "$UV" lock "${args[@]}"
else
    "$UV" lock --upgrade
fi
"$UV" pip compile --quiet --generate-hashes --universal --python-version 3.11 \
    locks/tablet-crypto43.in -o locks/tablet-crypto43.txt

git --no-pager diff --stat -- uv.lock locks/ || true
bash scripts/test.sh
