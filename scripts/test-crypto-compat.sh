#!/usr/bin/env bash
# Proves the shared crypto core on the cryptography build the tablet ships (43.0.1, which has
# no hazmat.primitives.hpke), in a venv of its own so nothing from the main venv leaks in.
# Installed from locks/tablet-crypto43.txt (hashes of every package) by the pinned uv that
# scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv-crypto43
UV=.venv-uv/bin/uv
[ -x "$UV" ] || bash scripts/setup.sh
if [ ! -x "$VENV/bin/python" ]; then
    UV_PYTHON_DOWNLOADS=never "$UV" venv --quiet --python "$(command -v python3)" "$VENV"
fi
VIRTUAL_ENV="$VENV" "$UV" pip sync --quiet --require-hashes --python "$VENV/bin/python" \
    locks/tablet-crypto43.txt

"$VENV/bin/python" -c '
import cryptography
assert cryptography.__version__ == "43.0.1", cryptography.__version__
print("cryptography", cryptography.__version__)
'

PYTHONPATH=. "$VENV/bin/python" -m pytest -p no:cacheprovider --noconftest -q \
    tests/shared/test_hpke.py tests/shared/test_crypto.py tests/shared/test_envelope.py "$@"
