"""The certificate and key steps the station's two kinds of certificate share: its TLS
certificate (:mod:`sync_server.services.pki.tls`) and its signing certificates
(:mod:`sync_server.services.pki.certs`). One place makes keys, starts a certificate, spells
its key usages, writes a key as PKCS#8 and checks that a key belongs to a certificate, so
the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def new_key() -> ec.EllipticCurvePrivateKey:
    """A new ECDSA P-256 key (every certificate the station makes itself uses one)."""
    return ec.generate_private_key(ec.SECP256R1())


def builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    *,
    now: dt.datetime,
    days: int,
) -> x509.CertificateBuilder:
    """A certificate for ``key``'s public half, valid from a day before ``now`` (a clock
    a little behind still accepts it) for ``days`` days; extensions are the caller's."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
    )


def key_usage(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    """The key usages the station's certificates set (every other one off)."""
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def pkcs8(key: Any, encoding: serialization.Encoding) -> bytes:
    """``key`` as unencrypted PKCS#8 (PEM for the TLS key file, DER for a key stored
    encrypted under the station's storage key)."""
    data: bytes = key.private_bytes(
        encoding, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return data


def key_matches(key: Any, cert: x509.Certificate) -> bool:
    """True when ``key`` is the private half of ``cert``'s public key (an imported pair
    is checked before anything is replaced)."""
    pub = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    mine: bytes = key.public_key().public_bytes(der, pub)
    return mine == cert.public_key().public_bytes(der, pub)
