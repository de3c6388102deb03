"""The station's signing certificates: a demo CA, the leaders' and the commune's certificates.

Hierarchy (see docs/security.md, "Chữ ký số trên kết quả"):

- ``ca`` — on first start the station creates a *demo* certificate authority
  ("Tại Chỗ – CA thử nghiệm"), ECDSA P-256, valid 10 years. ``admin cert-export`` writes
  it as the trust anchor for pdfsig / Acrobat / the tablets.
- ``commune`` — the organisation certificate whose signature is the red seal.
- ``<username>`` — one per leader (role ``leader``); their signature approves a result.

Demo end-entity certificates carry the key usages a PAdES validator expects: digital
signature and non-repudiation (content commitment). They are created when first needed
(the station can start before the commune or its leaders are declared).

An office replaces any of them with a real certificate: ``cert-import --p12`` (the key is
kept encrypted) or ``cert-import --pkcs11-module`` (the key never leaves the USB token;
only the token's PIN is kept, encrypted). Every private key and PIN at rest is AES-GCM
ciphertext under the station's storage key (:class:`StationKeys`), bound to its holder.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from sqlite_utils import Database

from shared.errors import problem
from shared.workflow import Role
from sync_server.services.core import audit
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit
from sync_server.services.pki import pki
from sync_server.services.setup.staff import get_staff
from sync_server.store import certs as q
from sync_server.store import staff as staff_q
from sync_server.store.db import transaction

TABLE = "certificates"
CA = "ca"
COMMUNE = "commune"
DEMO_CA_NAME = "Tại Chỗ – CA thử nghiệm (MẪU)"
_CA_YEARS = 10
_EE_YEARS = 3


@dataclass(frozen=True)
class Holder:
    """Who a certificate stands for, as printed on the signature appearance."""

    holder: str
    kind: str  # demo | p12 | pkcs11
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def demo(self) -> bool:
        return self.kind == "demo"

    @property
    def common_name(self) -> str:
        attrs = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(attrs[0].value) if attrs else self.holder


# --- creation ------------------------------------------------------------------------


def _name(cn: str, *, org: str | None = None, title: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org[:64]))
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn[:64]))
    return x509.Name(attrs)


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _new_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = pki.new_key()
    name = _name(DEMO_CA_NAME, org="Tại Chỗ (MẪU – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ)")
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        pki.builder(name, name, key, now=utc_now(), days=365 * _CA_YEARS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(pki.key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _new_end_entity(
    ca_cert: x509.Certificate, ca_key: Any, subject: x509.Name
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = pki.new_key()
    cert = (
        pki.builder(subject, ca_cert.subject, key, now=utc_now(), days=365 * _EE_YEARS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # non-repudiation (content commitment): PAdES validators want it
            pki.key_usage(digital_signature=True, content_commitment=True),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def _store_key(
    db: Database,
    keys: StationKeys,
    holder: str,
    kind: str,
    cert: x509.Certificate,
    key: Any,
    chain: list[x509.Certificate],
) -> None:
    q.put(
        db,
        {
            "holder": holder,
            "kind": kind,
            "cert_pem": _pem(cert),
            "chain_pem": "".join(_pem(c) for c in chain),
            "key_enc": keys.encrypt(TABLE, holder, 1, pki.pkcs8(key, serialization.Encoding.DER)),
            "created_at": iso(utc_now()),
        },
    )


def _ensure_ca(db: Database, keys: StationKeys) -> None:
    if q.get(db, CA) is None:
        cert, key = _new_ca()
        _store_key(db, keys, CA, "ca", cert, key, [])


def _demo_subject(db: Database, holder: str) -> x509.Name | None:
    """The subject of a demo certificate for ``holder``, or None if it is not a signer."""
    unit = get_unit(db) or {}
    org = str(unit.get("name") or "")
    if holder == COMMUNE:
        return _name(org, org=org) if org else None
    s = get_staff(db, holder)
    if s is None or s.role is not Role.LEADER:
        return None
    return _name(s.full_name, org=org or None, title=(s.title or "").replace("\n", " ") or None)


def _ensure_demo_for(db: Database, keys: StationKeys, holder: str) -> None:
    """Create ``holder``'s demo certificate (inside the caller's transaction) if missing."""
    if q.get(db, holder) is not None:
        return
    subject = _demo_subject(db, holder)
    if subject is None:
        raise problem("SIGNER_UNAVAILABLE", None, holder=holder)
    _ensure_ca(db, keys)
    ca_row = q.get(db, CA)
    assert ca_row is not None
    ca_cert = x509.load_pem_x509_certificate(ca_row["cert_pem"].encode("ascii"))
    ca_key = serialization.load_der_private_key(
        keys.decrypt(TABLE, CA, 1, ca_row["key_enc"]), password=None
    )
    cert, key = _new_end_entity(ca_cert, ca_key, subject)
    _store_key(db, keys, holder, "demo", cert, key, [ca_cert])


def ensure_demo(db: Database, keys: StationKeys) -> None:
    """First start: the demo CA, and demo certificates for the commune and each leader
    already declared (later ones get theirs when they first sign)."""
    with transaction(db):
        _ensure_ca(db, keys)
        holders = [COMMUNE] + [
            r["username"] for r in staff_q.list_all(db) if r.get("role") == Role.LEADER.value
        ]
        for holder in holders:
            if q.get(db, holder) is None and _demo_subject(db, holder) is not None:
                _ensure_demo_for(db, keys, holder)


# --- reading ---------------------------------------------------------------------------


def _certs(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode("ascii")) if pem.strip() else []


def holder_of(db: Database, keys: StationKeys, holder: str) -> Holder:
    """``holder``'s certificate, creating a demo one (inside the caller's transaction)."""
    _ensure_demo_for(db, keys, holder)
    row = q.get(db, holder)
    assert row is not None
    return Holder(holder, row["kind"], _certs(row["cert_pem"])[0], tuple(_certs(row["chain_pem"])))


def ensure_certificate(db: Database, keys: StationKeys, holder: str) -> None:
    """Outside any transaction: create ``holder``'s missing demo certificate in a short
    transaction of its own (nothing is written once it exists)."""
    if q.get(db, holder) is None:
        with transaction(db):
            _ensure_demo_for(db, keys, holder)


def any_demo(db: Database) -> bool:
    """True while some signer still uses a demo certificate (results carry "MẪU")."""
    return any(r["kind"] == "demo" for r in q.list_all(db))


def trust_anchors(db: Database) -> list[x509.Certificate]:
    """The roots a verifier trusts: the demo CA and the top of each imported chain."""
    anchors: dict[bytes, x509.Certificate] = {}
    for row in q.list_all(db):
        certs = _certs(row["cert_pem"]) if row["holder"] == CA else _certs(row["chain_pem"])
        if row["holder"] != CA and not certs:
            certs = _certs(row["cert_pem"])  # a self-signed imported certificate
        if row["holder"] != CA and row["kind"] == "demo":
            continue  # its chain is the demo CA, listed under "ca"
        if certs:
            top = certs[-1]
            anchors[top.fingerprint(hashes.SHA256())] = top
    return list(anchors.values())


def trust_anchors_pem(db: Database) -> list[str]:
    return [_pem(c) for c in trust_anchors(db)]


def export_ca_pem(db: Database, keys: StationKeys) -> str:
    """The trust anchor(s) as one PEM file (``admin cert-export``)."""
    with transaction(db):
        _ensure_ca(db, keys)
    return "".join(trust_anchors_pem(db))


def list_certificates(db: Database) -> list[dict[str, Any]]:
    out = []
    for row in q.list_all(db):
        cert = _certs(row["cert_pem"])[0]
        out.append(
            {
                "holder": row["holder"],
                "kind": row["kind"],
                "subject": cert.subject.rfc4514_string(),
                "issuer": cert.issuer.rfc4514_string(),
                "not_after": cert.not_valid_after_utc.isoformat(),
                "sha256": cert.fingerprint(hashes.SHA256()).hex(),
            }
        )
    return out


# --- signers ---------------------------------------------------------------------------


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@contextmanager
def open_signer(db: Database, keys: StationKeys, holder: str) -> Iterator[tuple[Signer, Holder]]:
    """A pyHanko signer for ``holder``: a software key (decrypted once, then kept in this
    process's memory, see :func:`_software_signer`) or a key on a token.

    The caller's transaction must be open: a missing demo certificate is created in it.
    """
    h = holder_of(db, keys, holder)
    row = q.get(db, holder)
    assert row is not None
    chain = [_asn1_cert(c) for c in h.chain]
    if row["kind"] == "pkcs11":
        from pyhanko.sign import pkcs11 as hk11

        pin = keys.decrypt(TABLE, f"{holder}:pin", 1, row["pkcs11_pin_enc"]).decode("utf-8")
        try:
            session = _open_session(row["pkcs11_module"], row["pkcs11_token"], pin)
        except Exception as exc:  # the token is unplugged, locked or the PIN changed
            raise problem("SIGNER_UNAVAILABLE", None, holder=holder) from exc
        try:
            yield (
                hk11.PKCS11Signer(
                    session,
                    cert_label=row["pkcs11_label"],
                    key_label=row["pkcs11_label"],
                    signing_cert=_asn1_cert(h.cert),
                    ca_chain=chain,
                    # Hash here, sign the digest on the token (CKM_ECDSA / CKM_RSA_PKCS):
                    # every token has the raw mechanisms, not all the hash-and-sign ones.
                    use_raw_mechanism=True,
                ),
                h,
            )
        finally:
            session.close()
        return
    yield _software_signer(keys, holder, row, h, chain), h


# Software signers by holder and stored row: building one decrypts the key and parses the
# certificates (and the signing layer then encodes the signer's PAdES attributes once),
# work every approval and stamp would otherwise repeat. The key of an entry is a hash of
# the row's certificate and key ciphertext, so an import (new certificate, new key) makes
# a new entry and the old one is never used again; at most a few signers are kept.
_SIGNER_CACHE_SIZE = 16
_signer_cache: OrderedDict[tuple[str, str], SimpleSigner] = OrderedDict()
_signer_lock = threading.Lock()


def _software_signer(
    keys: StationKeys,
    holder: str,
    row: dict[str, Any],
    h: Holder,
    chain: list[asn1_x509.Certificate],
) -> SimpleSigner:
    fingerprint = hashlib.sha256(
        "\x00".join([row["cert_pem"], row["chain_pem"] or ""]).encode("ascii") + row["key_enc"]
    ).hexdigest()
    cache_key = (holder, fingerprint)
    with _signer_lock:
        cached = _signer_cache.get(cache_key)
        if cached is not None:
            _signer_cache.move_to_end(cache_key)
            return cached
    key_der = keys.decrypt(TABLE, holder, 1, row["key_enc"])
    signer = SimpleSigner(
        signing_cert=_asn1_cert(h.cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(chain),  # type: ignore[no-untyped-call]
    )
    with _signer_lock:
        _signer_cache[cache_key] = signer
        while len(_signer_cache) > _SIGNER_CACHE_SIZE:
            _signer_cache.popitem(last=False)
    return signer


def _open_session(module: str, token: str | None, pin: str) -> Any:
    """A logged-in session on the token labelled ``token`` (or the first token found)."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as hk11

    return hk11.open_pkcs11_session(
        module, token_criteria=TokenCriteria(label=token or None), user_pin=pin
    )


# --- import ----------------------------------------------------------------------------


def _check_holder(db: Database, holder: str) -> None:
    if holder == CA:
        raise problem(
            "CERT_IMPORT_FAILED",
            "for",
            detail="'ca' is the station's demo CA",
            detail_vi="'ca' là CA mẫu của trạm",
        )
    if holder != COMMUNE:
        s = get_staff(db, holder)
        if s is None or s.role is not Role.LEADER:
            raise problem(
                "CERT_IMPORT_FAILED",
                "for",
                detail=f"{holder}: not a leader",
                detail_vi=f"{holder} không phải lãnh đạo",
            )


def import_p12(
    db: Database, keys: StationKeys, holder: str, data: bytes, password: str | None
) -> dict[str, Any]:
    """Replace ``holder``'s certificate with a PKCS#12 one (key kept encrypted)."""
    _check_holder(db, holder)
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, password.encode("utf-8") if password else None
        )
    except ValueError as exc:
        raise problem(
            "CERT_IMPORT_FAILED",
            "p12",
            detail=str(exc),
            detail_vi="không đọc được tệp .p12 (sai mật khẩu hoặc tệp hỏng)",
        ) from None
    if key is None or cert is None:
        raise problem(
            "CERT_IMPORT_FAILED",
            "p12",
            detail="no key or certificate in the file",
            detail_vi="tệp không có khoá hoặc chứng thư",
        )
    if not pki.key_matches(key, cert):
        raise problem(
            "CERT_IMPORT_FAILED",
            "p12",
            detail="the key does not match the certificate",
            detail_vi="khoá không khớp với chứng thư",
        )
    with transaction(db):
        _store_key(db, keys, holder, "p12", cert, key, list(extra or []))
        audit.append(db, keys, action="cert.import", actor="admin", at=vn_now_iso(), reason=holder)
    return {"holder": holder, "kind": "p12", "subject": cert.subject.rfc4514_string()}


def import_pkcs11(
    db: Database,
    keys: StationKeys,
    holder: str,
    *,
    module: str,
    label: str,
    pin: str,
    token: str | None = None,
) -> dict[str, Any]:
    """Make ``holder`` sign with the key labelled ``label`` on a PKCS#11 token.

    The certificate (and any CA certificates on the token) are read now and kept, so the
    verify page and the trust anchors work while the token is unplugged.
    """
    from pkcs11 import Attribute, ObjectClass

    _check_holder(db, holder)
    try:
        session = _open_session(module, token, pin)
    except Exception as exc:
        raise problem(
            "CERT_IMPORT_FAILED",
            "pkcs11-module",
            detail=str(exc) or repr(exc),
            detail_vi="không mở được thư viện PKCS#11",
        ) from None
    try:
        found = list(
            session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label})
        )
        if not found:
            raise problem(
                "CERT_IMPORT_FAILED",
                "pkcs11-label",
                detail=f"no certificate '{label}'",
                detail_vi=f"không có chứng thư nhãn '{label}'",
            )
        cert = x509.load_der_x509_certificate(bytes(found[0][Attribute.VALUE]))
        chain = [
            x509.load_der_x509_certificate(bytes(o[Attribute.VALUE]))
            for o in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
            if o[Attribute.LABEL] != label
        ]
    finally:
        session.close()
    with transaction(db):
        q.put(
            db,
            {
                "holder": holder,
                "kind": "pkcs11",
                "cert_pem": _pem(cert),
                "chain_pem": "".join(_pem(c) for c in chain),
                "pkcs11_module": module,
                "pkcs11_token": token,
                "pkcs11_label": label,
                "pkcs11_pin_enc": keys.encrypt(TABLE, f"{holder}:pin", 1, pin.encode("utf-8")),
                "created_at": iso(utc_now()),
            },
        )
        audit.append(db, keys, action="cert.import", actor="admin", at=vn_now_iso(), reason=holder)
    return {"holder": holder, "kind": "pkcs11", "subject": cert.subject.rfc4514_string()}
