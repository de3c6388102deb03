"""Throw-away certificates for tests, made once here.

A test that needs a certificate nobody trusts — another system's signing certificate, a
machine in the middle's HTTPS pair, an admin's own station certificate — makes a fresh
self-signed P-256 one with :func:`self_signed` (real keys, real X.509, nothing mocked).
"""

from __future__ import annotations

import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# digitalSignature and contentCommitment (non-repudiation): what a document signer's
# certificate carries.
SIGNING_USAGE = x509.KeyUsage(True, True, False, False, False, False, False, False, False)


def self_signed(
    common_name: str, *, days: int = 30, key_usage: x509.KeyUsage | None = None
) -> tuple[bytes, bytes]:
    """(certificate PEM, PKCS#8 key PEM): valid from two days ago for ``days`` days from
    now (a negative ``days`` gives one that has expired)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=2))
        .not_valid_after(now + dt.timedelta(days=days))
    )
    if key_usage is not None:
        builder = builder.add_extension(key_usage, critical=True)
    cert = builder.sign(key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def write_self_signed(
    common_name: str, cert_path: Path, key_path: Path, *, key_usage: x509.KeyUsage | None = None
) -> tuple[Path, Path]:
    """:func:`self_signed` written to ``cert_path`` and ``key_path``; returns both paths."""
    cert_pem, key_pem = self_signed(common_name, key_usage=key_usage)
    cert_path.write_bytes(cert_pem)
    key_path.write_bytes(key_pem)
    return cert_path, key_path


def signed_result_pdf(tmp: Path, title: str = "TRICH LUC DANG KY NHAN CHA, ME, CON") -> bytes:
    """A result "produced in another system": a one-page PDF signed with pyHanko under a
    fresh certificate no station has seen (what a clerk attaches at "stamp").

    Signed in a thread of its own: pyHanko's synchronous ``sign_pdf`` runs its own event
    loop, which cannot start inside a browser test's (Playwright's sync API runs one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_sign_result_pdf, tmp, title).result()


def _sign_result_pdf(tmp: Path, title: str) -> bytes:
    from fpdf import FPDF
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigFieldSpec

    key_path, cert_path = tmp / "k.pem", tmp / "c.pem"
    write_self_signed("Phần mềm một cửa tỉnh", cert_path, key_path, key_usage=SIGNING_USAGE)
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=14)
    doc.cell(text=title)
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    assert signer is not None
    out = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(bytes(doc.output()))),
        signers.PdfSignatureMetadata(field_name="Ket_qua"),
        signer=signer,
        new_field_spec=SigFieldSpec("Ket_qua"),
        output=out,
    )
    return out.getvalue()
