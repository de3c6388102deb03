"""The station's HTTPS certificate: made once and kept, or installed by an admin (checked)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from shared.errors import TaiChoError
from sync_server.config import Paths
from sync_server.services.pki import tls
from tests.cert_kit import self_signed


def _pair(days: int = 30) -> tuple[bytes, bytes]:
    return self_signed("station.example", days=days)


def test_first_start_makes_a_p256_certificate_once_with_a_private_key_file(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    files = tls.ensure(paths, "192.168.1.20")
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    shown = tls.info(paths)
    assert shown is not None and shown.self_signed
    assert {"localhost", "127.0.0.1", "192.168.1.20"} <= set(shown.names)
    first = files.cert.read_bytes()
    tls.ensure(paths)
    assert files.cert.read_bytes() == first  # tablets pin it: never silently replaced


def test_import_checks_the_key_belongs_to_the_certificate(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    tls.ensure(paths)
    before = tls.files(paths).cert.read_bytes()
    cert, _ = _pair()
    _, other_key = _pair()
    with pytest.raises(TaiChoError) as err:
        tls.import_pair(paths, cert, other_key)
    assert err.value.code == "TLS_CERT_INVALID" and err.value.field == "key"
    with pytest.raises(TaiChoError) as err:
        tls.import_pair(paths, b"not a certificate", other_key)
    assert err.value.code == "TLS_CERT_INVALID" and err.value.field == "cert"
    expired_cert, expired_key = _pair(days=-1)
    with pytest.raises(TaiChoError):
        tls.import_pair(paths, expired_cert, expired_key)
    assert tls.files(paths).cert.read_bytes() == before  # nothing replaced on a refusal


def test_import_installs_the_pair_and_the_codes_pin_it(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    cert, key = _pair()
    shown = tls.import_pair(paths, cert, key)
    assert "station.example" in shown.subject
    assert tls.fingerprint_of_pem(cert) == shown.fingerprint
    code = tls.code_for_tablet(paths, "ABCD-EFGH-JKMN")
    assert code.endswith(str(shown.to_dict()["pin"]))
    assert stat.S_IMODE(tls.files(paths).key.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.0.0.2", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert tls.is_loopback(host) is loopback
