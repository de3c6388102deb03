"""Symmetric and signature primitives shared by the tablet store, the station and sync.

Everything here is deliberately small and built only on ``cryptography`` APIs present in 43.0.1
(the tablet build) as well as current releases, so both sides produce and accept identical
bytes. Every crypto failure surfaces as a catalogued ``TaiChoError``, never a library exception,
so the boundaries can render it without knowing which primitive failed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from shared.errors import Code, TaiChoError, problem

KEY_LEN = 32
NONCE_LEN = 12
TAG_LEN = 16
SALT_LEN = 16
BLOB_V1 = b"\x01"
# A wrapped key lives next to records encrypted under other keys; a distinct AAD prefix means a
# wrapped-key blob can never be mistaken for a record payload (or vice versa) even if a caller
# reuses the same AAD string for both.
_WRAP_AAD_PREFIX = b"taicho-wrap-v1\x00"

# Bounds on scrypt parameters read back from storage: a tampered row must not be able to make
# an unlock attempt allocate gigabytes or spin for minutes.
_SCRYPT_MAX_N = 2**20
_SCRYPT_MAX_R = 32
_SCRYPT_MAX_P = 16
_B64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def random_key() -> bytes:
    return os.urandom(KEY_LEN)


def _require_key(key: bytes, what: str) -> None:
    # A wrong-length key is a caller bug, not tampering; INTERNAL keeps it out of the user's way.
    if not isinstance(key, bytes) or len(key) != KEY_LEN:
        raise problem("INTERNAL", detail=f"{what} must be {KEY_LEN} bytes")


def aead_encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM with a random nonce, framed as ``0x01 || nonce || ct``.

    The leading version byte lets a later format (say, a different AEAD) coexist with rows
    already on tablets; random 96-bit nonces are safe for the record counts one data key sees.
    """
    _require_key(key, "AEAD key")
    nonce = os.urandom(NONCE_LEN)
    return BLOB_V1 + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def aead_decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Inverse of :func:`aead_encrypt`; every cause of failure is the same DECRYPT_FAILED."""
    if (
        not isinstance(key, bytes)
        or len(key) != KEY_LEN
        or not isinstance(blob, bytes)
        or len(blob) < 1 + NONCE_LEN + TAG_LEN
        or blob[:1] != BLOB_V1
    ):
        raise problem("DECRYPT_FAILED")
    nonce, ct = blob[1 : 1 + NONCE_LEN], blob[1 + NONCE_LEN :]
    try:
        return AESGCM(key).decrypt(nonce, ct, aad)
    except (InvalidTag, ValueError) as exc:
        raise problem("DECRYPT_FAILED") from exc


@dataclass(frozen=True)
class ScryptParams:
    """Stored beside each PIN wrap so the cost can be raised later without breaking old wraps."""

    salt: bytes
    n: int = 2**15
    r: int = 8
    p: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"salt": b64e(self.salt), "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_dict(cls, data: object) -> ScryptParams:
        """Parse stored params; anything odd is STORE_CORRUPT because only we ever wrote them."""
        if not isinstance(data, dict) or set(data) != {"salt", "n", "r", "p"}:
            raise problem("STORE_CORRUPT", detail="scrypt parameters have the wrong shape")
        salt = data["salt"]
        if not isinstance(salt, str):
            raise problem("STORE_CORRUPT", detail="scrypt salt is not a string")
        try:
            salt_bytes = b64d(salt)
        except TaiChoError as exc:
            raise problem("STORE_CORRUPT", detail="scrypt salt is not base64") from exc
        return _checked_params(salt_bytes, data["n"], data["r"], data["p"])


def _checked_params(
    salt: object, n: object, r: object, p: object, code: Code = "STORE_CORRUPT"
) -> ScryptParams:
    """Read paths report STORE_CORRUPT; our own write paths pass INTERNAL (a caller bug)."""
    if not isinstance(salt, bytes) or len(salt) < SALT_LEN:
        raise problem(code, detail="scrypt salt is too short")
    if not (isinstance(n, int) and isinstance(r, int) and isinstance(p, int)) or any(
        isinstance(v, bool) for v in (n, r, p)
    ):
        raise problem(code, detail="scrypt cost is not an integer")
    if not (2 <= n <= _SCRYPT_MAX_N and n & (n - 1) == 0):
        raise problem(code, detail="scrypt n out of range")
    if not (1 <= r <= _SCRYPT_MAX_R and 1 <= p <= _SCRYPT_MAX_P):
        raise problem(code, detail="scrypt r/p out of range")
    return ScryptParams(salt=salt, n=n, r=r, p=p)


def new_scrypt_params() -> ScryptParams:
    return ScryptParams(salt=os.urandom(SALT_LEN))


def _scrypt(pin: str, params: ScryptParams) -> bytes:
    # NFC so the same PIN typed on different keyboards/IMEs derives the same key.
    _checked_params(params.salt, params.n, params.r, params.p, code="INTERNAL")
    if not isinstance(pin, str):
        raise problem("INTERNAL", detail="PIN must be a string")
    secret = unicodedata.normalize("NFC", pin).encode("utf-8")
    kdf = Scrypt(salt=params.salt, length=KEY_LEN, n=params.n, r=params.r, p=params.p)
    return kdf.derive(secret)


def derive_pin_key(pin: str, params: ScryptParams) -> bytes:
    """A key-encryption key from a short PIN; scrypt's memory cost is the only brake on guessing."""
    return _scrypt(pin, params)


def wrap_key(kek: bytes, key: bytes, aad: bytes) -> bytes:
    """Encrypt a key under a KEK (same blob format as records, domain-separated AAD)."""
    _require_key(kek, "KEK")
    return aead_encrypt(kek, key, _WRAP_AAD_PREFIX + aad)


def unwrap_key(kek: bytes, wrapped: bytes, aad: bytes) -> bytes:
    """A wrong PIN gives a wrong KEK and so the same DECRYPT_FAILED as tampering."""
    return aead_decrypt(kek, wrapped, _WRAP_AAD_PREFIX + aad)


def new_x25519() -> tuple[bytes, bytes]:
    sk = X25519PrivateKey.generate()
    return sk.private_bytes_raw(), sk.public_key().public_bytes_raw()


def new_ed25519() -> tuple[bytes, bytes]:
    sk = Ed25519PrivateKey.generate()
    return sk.private_bytes_raw(), sk.public_key().public_bytes_raw()


def sign(sk_raw: bytes, message: bytes) -> bytes:
    try:
        sk = Ed25519PrivateKey.from_private_bytes(sk_raw)
    except (ValueError, TypeError) as exc:
        raise problem("INTERNAL", detail="signing key must be 32 raw bytes") from exc
    return sk.sign(message)


def verify(pk_raw: bytes, message: bytes, signature: bytes) -> None:
    """Raise ENVELOPE_BAD_SIGNATURE for a bad key, a bad signature or a changed message alike."""
    try:
        Ed25519PublicKey.from_public_bytes(pk_raw).verify(signature, message)
    except (InvalidSignature, ValueError, TypeError) as exc:
        raise problem("ENVELOPE_BAD_SIGNATURE") from exc


def hash_pin(pin: str, params: ScryptParams | None = None) -> str:
    """Self-describing ``scrypt$n$r$p$salt$hash`` so stored hashes survive a cost increase."""
    params = params or new_scrypt_params()
    digest = _scrypt(pin, params)
    return f"scrypt${params.n}${params.r}${params.p}${b64e(params.salt)}${b64e(digest)}"


def check_pin(pin: str, stored: str) -> bool:
    """Constant-time check; a malformed stored hash is corruption, not a wrong PIN."""
    parts = stored.split("$") if isinstance(stored, str) else []
    if (
        len(parts) != 6
        or parts[0] != "scrypt"
        or not all(p.isascii() and p.isdigit() and len(p) <= 8 for p in parts[1:4])
    ):
        raise problem("STORE_CORRUPT", detail="PIN hash has the wrong format")
    try:
        salt, expected = b64d(parts[4]), b64d(parts[5])
    except TaiChoError as exc:
        raise problem("STORE_CORRUPT", detail="PIN hash is not base64") from exc
    if len(expected) != KEY_LEN:
        raise problem("STORE_CORRUPT", detail="PIN hash has the wrong length")
    params = _checked_params(salt, int(parts[1]), int(parts[2]), int(parts[3]))
    return hmac.compare_digest(_scrypt(pin, params), expected)


def b64e(b: bytes) -> str:
    """URL-safe, unpadded: the form used in JSON envelopes, stored rows and QR codes."""
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def b64d(s: str) -> bytes:
    """Strict inverse of :func:`b64e`: one canonical spelling per byte string.

    Rejecting padding, foreign characters and non-zero trailing bits means two different wire
    strings can never decode to the same bytes, so a signature covers exactly one encoding.
    """
    if not isinstance(s, str):
        raise problem("ENVELOPE_MALFORMED", detail="base64 value is not a string")
    if not set(s) <= _B64_ALPHABET or len(s) % 4 == 1:
        raise problem("ENVELOPE_MALFORMED", detail="invalid base64")
    try:
        out = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    except (binascii.Error, ValueError) as exc:
        raise problem("ENVELOPE_MALFORMED", detail="invalid base64") from exc
    if b64e(out) != s:
        raise problem("ENVELOPE_MALFORMED", detail="non-canonical base64")
    return out


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def derive_subkey(key: bytes, info: str) -> bytes:
    """A 32-byte key for one purpose, derived from ``key`` (HKDF-SHA256, no salt).

    Used for keys that must be exactly as available as the data key (e.g. the blind-index
    key of citizen search) without storing another wrapped secret.
    """
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    _require_key(key, "key")
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=None, info=info.encode()).derive(
        key
    )


def keyed_token(key: bytes, data: bytes, length: int = 12) -> bytes:
    """A truncated HMAC-SHA256 of ``data``: equal inputs give equal tokens, nothing else leaks."""
    _require_key(key, "key")
    return hmac.new(key, data, hashlib.sha256).digest()[:length]


# --- backups (shared/backup.py): a key from the office's passphrase, AES-GCM per chunk ---

BACKUP_SCRYPT_N = 2**17  # 128 MiB of memory per guess: a passphrase kept on paper


def new_backup_params() -> ScryptParams:
    return ScryptParams(salt=os.urandom(SALT_LEN), n=BACKUP_SCRYPT_N)


def checked_backup_params(salt: bytes, n: object, r: object, p: object) -> ScryptParams:
    """Parameters read from a backup file's header (bounded: a forged header must not make
    a check allocate gigabytes); anything odd is BACKUP_DAMAGED."""
    return _checked_params(salt, n, r, p, code="BACKUP_DAMAGED")


def derive_passphrase_key(passphrase: str, params: ScryptParams) -> bytes:
    """The backup key: scrypt of the NFC passphrase (the same words typed on any keyboard)."""
    return _scrypt(passphrase, params)


def aead_seal_at(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM with a nonce the caller guarantees unique (a counter under a random
    prefix: the chunks of one backup). Returns ciphertext || tag."""
    _require_key(key, "AEAD key")
    if len(nonce) != NONCE_LEN:
        raise problem("INTERNAL", detail=f"nonce must be {NONCE_LEN} bytes")
    return AESGCM(key).encrypt(nonce, plaintext, aad)


def aead_open_at(key: bytes, nonce: bytes, ct: bytes, aad: bytes) -> bytes:
    """Inverse of :func:`aead_seal_at`; any failure is DECRYPT_FAILED."""
    if len(key) != KEY_LEN or len(nonce) != NONCE_LEN or len(ct) < TAG_LEN:
        raise problem("DECRYPT_FAILED")
    try:
        return AESGCM(key).decrypt(nonce, ct, aad)
    except (InvalidTag, ValueError) as exc:
        raise problem("DECRYPT_FAILED") from exc
