"""The station's TLS certificate: made on first start, or installed by an admin.

Staff logins, tokens and citizen data must not cross the office network in clear, so
``serve`` speaks HTTPS by default. Nobody in a commune office runs a certificate authority:
on first start the station makes its own certificate (ECDSA P-256, self-signed, valid ten
years, names and addresses of this machine as SANs) and tablets *pin* it — the enrolment
code carries the start of its SHA-256 fingerprint (``shared.enrol_code``), so a tablet
knows the real station from a machine in the middle before it sends anything. Browsers at
the desk warn once about a self-signed certificate; an office that has a certificate from
a CA (or its province's) installs it with ``admin tls-import`` instead.

Files: ``DIR/keys/tls.key`` (PKCS#8 PEM, mode 0600, like the other station keys) and
``DIR/keys/tls.crt`` (the leaf first, then any chain). The certificate file is written
last, so a crash half-way leaves no certificate and the next start makes both again.
Replacing the certificate means every tablet must be enrolled again (it pins this one).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from shared import enrol_code
from shared.errors import problem
from sync_server.config import Paths
from sync_server.services.pki import pki

CERT_NAME = "tls.crt"
KEY_NAME = "tls.key"
VALID_DAYS = 3650
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path


@dataclass(frozen=True)
class TlsInfo:
    """What an admin compares with the browser's certificate view, and what tablets pin."""

    fingerprint: bytes
    subject: str
    names: list[str]
    not_after: str
    self_signed: bool

    @property
    def sha256(self) -> str:
        """``AB:CD:…``, as browsers show a certificate's SHA-256 fingerprint."""
        return ":".join(f"{b:02X}" for b in self.fingerprint)

    def to_dict(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "pin": enrol_code.group(enrol_code.pin_symbols(self.fingerprint)),
            "subject": self.subject,
            "names": self.names,
            "not_after": self.not_after,
            "self_signed": self.self_signed,
        }


def files(paths: Paths) -> TlsFiles:
    return TlsFiles(paths.keys / CERT_NAME, paths.keys / KEY_NAME)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: the only hosts plain HTTP may serve."""
    if host.strip("[]").lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def local_names(extra: str | None = None) -> list[str]:
    """This machine's names and addresses (the SANs of a certificate it makes itself).

    Only browsers look at them (tablets pin the fingerprint), so a best effort is enough:
    a name that cannot be found is left out, never an error.
    """
    names = ["localhost", "127.0.0.1", "::1"]
    host = socket.gethostname()
    names += [host] if "." in host else [host, f"{host}.local"]
    with contextlib.suppress(OSError):
        names += [str(info[4][0]) for info in socket.getaddrinfo(host, None)]
    try:
        # The address of the interface a LAN packet would leave by (UDP: nothing is sent).
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            names.append(probe.getsockname()[0])
    except OSError:
        pass
    if extra and extra not in ("0.0.0.0", "::", ""):
        names.append(extra)
    seen: list[str] = []
    for name in names:
        name = name.split("%")[0]  # an IPv6 zone id is no SAN
        if name and name.isascii() and name not in seen:
            seen.append(name)
    return seen


def _san(names: list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _self_signed(names: list[str]) -> tuple[bytes, bytes]:
    key = pki.new_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Tại Chỗ {socket.gethostname()}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tại Chỗ"),
        ]
    )
    cert = (
        pki.builder(subject, subject, key, now=dt.datetime.now(dt.UTC), days=VALID_DAYS)
        .add_extension(_san(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(pki.key_usage(digital_signature=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM), pki.pkcs8(key, serialization.Encoding.PEM)


def _write(tls: TlsFiles, cert_pem: bytes, key_pem: bytes) -> None:
    """Key first (0600), certificate last, each by an atomic rename."""
    tls.key.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path, data, mode in ((tls.key, key_pem, 0o600), (tls.cert, cert_pem, 0o644)):
        tmp = path.with_name(path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)


def ensure(paths: Paths, host: str | None = None) -> TlsFiles:
    """The certificate and key files, made on first use (``host``: also a SAN then)."""
    tls = files(paths)
    if tls.cert.exists():
        if not tls.key.exists():
            raise problem("STORE_CORRUPT", detail=f"{tls.cert} has no key {tls.key}")
        return tls
    cert_pem, key_pem = _self_signed(local_names(host))
    _write(tls, cert_pem, key_pem)
    return tls


def _leaf(cert_pem: bytes) -> x509.Certificate:
    try:
        chain = x509.load_pem_x509_certificates(cert_pem)
    except ValueError:
        raise problem(
            "TLS_CERT_INVALID",
            "cert",
            detail="not a PEM certificate",
            detail_vi="không phải chứng thư định dạng PEM",
        ) from None
    return chain[0]


def _describe(cert: x509.Certificate) -> TlsInfo:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(v) for v in san.get_values_for_type(x509.DNSName)]
        names += [str(v) for v in san.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = []
    return TlsInfo(
        fingerprint=cert.fingerprint(hashes.SHA256()),
        subject=cert.subject.rfc4514_string(),
        names=names,
        not_after=cert.not_valid_after_utc.isoformat(),
        self_signed=cert.issuer == cert.subject,
    )


def info(paths: Paths) -> TlsInfo | None:
    """The installed certificate, or None before the first start."""
    tls = files(paths)
    if not tls.cert.exists():
        return None
    return _describe(_leaf(tls.cert.read_bytes()))


def fingerprint_of_pem(cert_pem: bytes) -> bytes:
    """SHA-256 of the first (leaf) certificate of a PEM file — what tablets pin."""
    return hashlib.sha256(_leaf(cert_pem).public_bytes(serialization.Encoding.DER)).digest()


def code_for_tablet(paths: Paths, secret: str) -> str:
    """The one-time secret with the pin of this station's certificate (made if missing)."""
    ensure(paths)
    return enrol_code.with_pin(secret, fingerprint_of_pem(files(paths).cert.read_bytes()))


def import_pair(
    paths: Paths, cert_pem: bytes, key_pem: bytes, password: str | None = None
) -> TlsInfo:
    """Install an admin's certificate (leaf first, chain after) and its private key.

    Checked before anything is replaced: the key must be an EC or RSA key that matches
    the leaf, and the leaf must still be valid. Tablets enrolled before pin the old
    certificate and must be enrolled again.
    """
    leaf = _leaf(cert_pem)
    try:
        key = serialization.load_pem_private_key(key_pem, password.encode() if password else None)
    except (ValueError, TypeError):
        raise problem(
            "TLS_CERT_INVALID",
            "key",
            detail="not a PEM private key, or a wrong password",
            detail_vi="không phải khoá riêng định dạng PEM, hoặc sai mật khẩu",
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise problem(
            "TLS_CERT_INVALID", "key", detail="an EC or RSA key", detail_vi="cần khoá EC hoặc RSA"
        )
    if not pki.key_matches(key, leaf):
        raise problem(
            "TLS_CERT_INVALID",
            "key",
            detail="the key does not belong to the certificate",
            detail_vi="khoá riêng không thuộc chứng thư này",
        )
    if leaf.not_valid_after_utc <= dt.datetime.now(dt.UTC):
        raise problem(
            "TLS_CERT_INVALID",
            "cert",
            detail="the certificate has expired",
            detail_vi="chứng thư đã hết hạn",
        )
    _write(files(paths), cert_pem, pki.pkcs8(key, serialization.Encoding.PEM))
    return _describe(leaf)
