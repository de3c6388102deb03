"""RFC 9180 HPKE, base mode, DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / an AES-GCM or ChaCha AEAD.

Why hand-built: the tablet runs the cryptography build Flet ships (43.0.1), which has no
``cryptography.hazmat.primitives.hpke``. Building the scheme from X25519, HMAC/HKDF-Expand and
the AEADs gives the tablet and the station byte-identical wire output on every version; the
tests pin it to RFC 9180's appendix vectors and, where the library has HPKE, to the library.

Only single-shot base mode is public (one message per encapsulation: each sync envelope gets
its own ephemeral key). The context object below exists so the RFC's multi-message vectors and
exporter values can be replayed, which checks the whole key schedule, not just sequence 0.
"""

from __future__ import annotations

import enum
import hmac
from dataclasses import dataclass, field
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from shared.errors import TaiChoError, problem

__all__ = ["KDF_ID", "KEM_ID", "MODE_BASE", "N_ENC", "N_PK", "N_SK", "Aead", "open_", "seal"]

KEM_ID = 0x0020  # DHKEM(X25519, HKDF-SHA256)
KDF_ID = 0x0001  # HKDF-SHA256
MODE_BASE = 0x00
N_ENC = N_PK = N_SK = 32  # X25519 sizes (RFC 9180 §7.1)
_N_SECRET = 32
_N_H = 32  # SHA-256 output
_N_N = 12  # every supported AEAD uses a 96-bit nonce
_N_T = 16
_VERSION_LABEL = b"HPKE-v1"
_KEM_SUITE_ID = b"KEM" + KEM_ID.to_bytes(2, "big")


class Aead(enum.Enum):
    """AEAD ids from the IANA HPKE registry; the value is the wire id used in ``suite_id``."""

    AES_128_GCM = 0x0001
    AES_256_GCM = 0x0002
    CHACHA20_POLY1305 = 0x0003

    @property
    def key_len(self) -> int:
        return 16 if self is Aead.AES_128_GCM else 32


def _suite_id(aead: Aead) -> bytes:
    return (
        b"HPKE"
        + KEM_ID.to_bytes(2, "big")
        + KDF_ID.to_bytes(2, "big")
        + aead.value.to_bytes(2, "big")
    )


def _extract(salt: bytes, ikm: bytes) -> bytes:
    # RFC 5869: an empty salt means HashLen zero bytes; HMAC's zero-padding of short keys makes
    # b"" and 32 zero bytes the same key, so no special case is needed.
    return hmac.new(salt, ikm, sha256).digest()


def _expand(prk: bytes, info: bytes, length: int) -> bytes:
    return HKDFExpand(algorithm=hashes.SHA256(), length=length, info=info).derive(prk)


def _labeled_extract(suite_id: bytes, salt: bytes, label: bytes, ikm: bytes) -> bytes:
    return _extract(salt, _VERSION_LABEL + suite_id + label + ikm)


def _labeled_expand(suite_id: bytes, prk: bytes, label: bytes, info: bytes, length: int) -> bytes:
    labeled_info = length.to_bytes(2, "big") + _VERSION_LABEL + suite_id + label + info
    return _expand(prk, labeled_info, length)


def _decrypt_failed() -> TaiChoError:
    return problem("DECRYPT_FAILED")


def _dh(sk: X25519PrivateKey, pk: X25519PublicKey) -> bytes:
    """X25519 with the RFC 9180 §7.1.4 check: a low-order peer key yields all zeros and must fail.

    Some OpenSSL builds already refuse it with ValueError; the explicit check keeps the rule on
    every build rather than relying on one.
    """
    try:
        dh = sk.exchange(pk)
    except ValueError as exc:
        raise _decrypt_failed() from exc
    if not any(dh):
        raise _decrypt_failed()
    return dh


def _extract_and_expand(dh: bytes, kem_context: bytes) -> bytes:
    eae_prk = _labeled_extract(_KEM_SUITE_ID, b"", b"eae_prk", dh)
    return _labeled_expand(_KEM_SUITE_ID, eae_prk, b"shared_secret", kem_context, _N_SECRET)


def _encap(pk_r: bytes, sk_e: bytes) -> tuple[bytes, bytes]:
    """DHKEM Encap with a caller-chosen ephemeral key, so RFC vectors can be replayed."""
    try:
        pk_r_obj = X25519PublicKey.from_public_bytes(pk_r)
        sk_e_obj = X25519PrivateKey.from_private_bytes(sk_e)
    except ValueError as exc:
        # A bad recipient key is a key-distribution problem, not a decryption one.
        raise problem("ENVELOPE_MALFORMED", detail="invalid X25519 key for sealing") from exc
    try:
        dh = _dh(sk_e_obj, pk_r_obj)
    except TaiChoError as exc:
        raise problem("ENVELOPE_MALFORMED", detail="recipient key has low order") from exc
    enc = sk_e_obj.public_key().public_bytes_raw()
    return enc, _extract_and_expand(dh, enc + pk_r)


def _decap(enc: bytes, sk_r: bytes) -> bytes:
    try:
        pk_e = X25519PublicKey.from_public_bytes(enc)
        sk_r_obj = X25519PrivateKey.from_private_bytes(sk_r)
    except ValueError as exc:
        raise _decrypt_failed() from exc
    dh = _dh(sk_r_obj, pk_e)
    pk_rm = sk_r_obj.public_key().public_bytes_raw()
    return _extract_and_expand(dh, enc + pk_rm)


@dataclass
class _Context:
    """An RFC 9180 §5.2 encryption context; ``seq`` advances per message, as the RFC requires."""

    aead: Aead
    key: bytes
    base_nonce: bytes
    exporter_secret: bytes
    seq: int = field(default=0)

    def _cipher(self) -> AESGCM | ChaCha20Poly1305:
        if self.aead is Aead.CHACHA20_POLY1305:
            return ChaCha20Poly1305(self.key)
        return AESGCM(self.key)

    def _nonce(self) -> bytes:
        if self.seq >= 1 << (8 * _N_N):
            raise problem("INTERNAL", detail="HPKE sequence number overflow")
        seq_bytes = self.seq.to_bytes(_N_N, "big")
        return bytes(a ^ b for a, b in zip(self.base_nonce, seq_bytes, strict=True))

    def seal(self, aad: bytes, plaintext: bytes) -> bytes:
        ct = self._cipher().encrypt(self._nonce(), plaintext, aad)
        self.seq += 1
        return ct

    def open(self, aad: bytes, ciphertext: bytes) -> bytes:
        try:
            pt = self._cipher().decrypt(self._nonce(), ciphertext, aad)
        except (InvalidTag, ValueError) as exc:
            raise _decrypt_failed() from exc
        self.seq += 1
        return pt

    def export(self, exporter_context: bytes, length: int) -> bytes:
        suite_id = _suite_id(self.aead)
        return _labeled_expand(suite_id, self.exporter_secret, b"sec", exporter_context, length)


def _key_schedule(shared_secret: bytes, info: bytes, aead: Aead) -> _Context:
    """RFC 9180 §5.1 for mode_base (empty psk and psk_id)."""
    suite_id = _suite_id(aead)
    psk_id_hash = _labeled_extract(suite_id, b"", b"psk_id_hash", b"")
    info_hash = _labeled_extract(suite_id, b"", b"info_hash", info)
    ks_context = bytes([MODE_BASE]) + psk_id_hash + info_hash
    secret = _labeled_extract(suite_id, shared_secret, b"secret", b"")
    return _Context(
        aead=aead,
        key=_labeled_expand(suite_id, secret, b"key", ks_context, aead.key_len),
        base_nonce=_labeled_expand(suite_id, secret, b"base_nonce", ks_context, _N_N),
        exporter_secret=_labeled_expand(suite_id, secret, b"exp", ks_context, _N_H),
    )


def _setup_base_sender(pk_r: bytes, info: bytes, sk_e: bytes, aead: Aead) -> tuple[bytes, _Context]:
    enc, shared_secret = _encap(pk_r, sk_e)
    return enc, _key_schedule(shared_secret, info, aead)


def _setup_base_receiver(enc: bytes, sk_r: bytes, info: bytes, aead: Aead) -> _Context:
    return _key_schedule(_decap(enc, sk_r), info, aead)


def _seal_with_ephemeral(
    sk_e: bytes, pk_r: bytes, info: bytes, aad: bytes, plaintext: bytes, aead: Aead
) -> tuple[bytes, bytes]:
    """Deterministic single-shot seal: only tests choose ``sk_e``; production draws it fresh."""
    enc, ctx = _setup_base_sender(pk_r, info, sk_e, aead)
    return enc, ctx.seal(aad, plaintext)


def seal(
    pk_r: bytes,
    info: bytes,
    aad: bytes,
    plaintext: bytes,
    *,
    aead: Aead = Aead.AES_256_GCM,
) -> tuple[bytes, bytes]:
    """Seal one message to ``pk_r``; returns ``(enc, ciphertext)`` as RFC 9180 SealBase does.

    A fresh ephemeral key per call is what makes single-shot safe: the key/nonce pair is never
    reused, so no sequence state has to survive between calls.
    """
    sk_e = X25519PrivateKey.generate().private_bytes_raw()
    return _seal_with_ephemeral(sk_e, pk_r, info, aad, plaintext, aead)


def open_(
    sk_r: bytes,
    enc: bytes,
    info: bytes,
    aad: bytes,
    ciphertext: bytes,
    *,
    aead: Aead = Aead.AES_256_GCM,
) -> bytes:
    """Open a single-shot message; any failure (key, enc, info, aad, tag) is DECRYPT_FAILED.

    One error for every cause on purpose: telling a sender *why* opening failed would help an
    attacker probe, and the caller cannot do anything different per cause anyway.
    """
    if len(ciphertext) < _N_T:
        raise _decrypt_failed()
    return _setup_base_receiver(enc, sk_r, info, aead).open(aad, ciphertext)
