"""The commune's seal signed on a PKCS#11 token (SoftHSM2 standing in for a USB token):
``cert-import --pkcs11-module`` and a stamped result whose seal signature the token made."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient
from station_kit import Tablet
from test_signing import anchors, issue, pdfsig

from mobile.services.verify import verify_pdf
from sync_server.__main__ import main as cli
from sync_server.services.core.station import Station
from sync_server.services.pki import certs

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, PIN, LABEL = "taicho-token", "246810", "dau-xa"

pytestmark = pytest.mark.skipif(
    not Path(MODULE).exists() or shutil.which("softhsm2-util") is None,
    reason="SoftHSM2 missing: bash scripts/setup.sh --with-test-tools installs it",
)


def _token_with_seal_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SoftHSM token holding a key, its certificate and its (non-demo) CA."""
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(
        [
            *("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--so-pin", "13579"),
            *("--pin", PIN),
        ],
        check=True,
        capture_output=True,
    )
    ca, ca_key = certs._new_ca()
    subject = certs._name("UBND xã Lai Vung (token)", org="UBND xã Lai Vung")
    cert, key = certs._new_end_entity(ca, ca_key, subject)
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [
            *("softhsm2-util", "--import", str(key_pem), "--token", TOKEN, "--label", LABEL),
            *("--id", "01", "--pin", PIN),
        ],
        check=True,
        capture_output=True,
    )
    key_pem.unlink()

    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(MODULE)
    with lib.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        for label, c, cid in ((LABEL, cert, b"\x01"), ("ca", ca, b"\x02")):
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: cid,
                    Attribute.SUBJECT: c.subject.public_bytes(),
                    Attribute.VALUE: c.public_bytes(serialization.Encoding.DER),
                }
            )
    return ca.public_bytes(serialization.Encoding.PEM).decode("ascii")


def test_seal_signed_on_a_pkcs11_token(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token_ca = _token_with_seal_key(tmp_path, monkeypatch)
    data = str(station.paths.data_dir)
    args = ["admin", "--data", data, "cert-import", "--for", "commune"]
    args += ["--pkcs11-module", MODULE, "--pkcs11-label", LABEL, "--pkcs11-token", TOKEN]
    assert cli([*args, "--password", PIN]) == 0
    with station.session() as db:
        row = next(iter(db.query("SELECT * FROM certificates WHERE holder = 'commune'")))
    assert row["kind"] == "pkcs11" and row["key_enc"] is None
    assert PIN.encode() not in station.paths.db.read_bytes()
    assert token_ca in anchors(station)  # the token's CA becomes a trust anchor

    d, pdf = issue(client, tablet, as_user)
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf)
    out = pdfsig(path)
    assert out.count("Signature is Valid.") == 2, out
    assert "Signer Certificate Common Name: UBND xã Lai Vung (token)" in out
    answer = verify_pdf(pdf, anchors(station))
    assert answer["valid"] is True and answer["code"] == d["code"]
    assert answer["signers"][1]["name"] == "UBND xã Lai Vung (token)"

    # A wrong PIN is refused at import, with a catalogued error.
    assert cli([*args, "--password", "000000"]) == 1
