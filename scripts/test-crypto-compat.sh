#!/usr/bin/env bash
# Proves the shared crypto core on the cryptography build the tablet ships (43.0.1, which has
# no hazmat.primitives.hpke), in a venv of its own so nothing from the main venv leaks in.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv-crypto43
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    cryptography==43.0.1 pytest==9.2.0 pytest-timeout==2.4.0 hypothesis==6.170.17

"$VENV/bin/python" -c '
import cryptography
assert cryptography.__version__ == "43.0.1", cryptography.__version__
print("cryptography", cryptography.__version__)
'

PYTHONPATH=. "$VENV/bin/python" -m pytest -p no:cacheprovider --noconftest -q \
    tests/shared/test_hpke.py tests/shared/test_crypto.py tests/shared/test_envelope.py "$@"
