"""The sealed-and-signed envelope every sync message travels in (format version 1).

Wire format (documented so a third party can implement it):

* ``aad`` = canonical JSON of ``{"v": 1, "kind", "sender", "recipient", "seq", "record_id",
  "version"}``: keys sorted, separators ``,`` and ``:``, no whitespace, UTF-8 (non-ASCII kept
  as is, not ``\\u`` escaped).
* ``enc, ct`` = RFC 9180 single-shot base-mode seal (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
  AES-256-GCM) of the payload to the recipient's X25519 key, ``info = b"taicho/v1/" + kind``,
  ``aad`` as above.
* ``sig`` = Ed25519 by the sender over ``b"taicho-envelope-v1\\x00" || u32be(len(aad)) || aad
  || u32be(len(enc)) || enc || ct``.
* JSON form: ``{"v": 1, "ctx": {...}, "enc": b64, "ct": b64, "sig": b64}`` with URL-safe
  unpadded base64.

Why this shape: the context travels in clear so the station can route and order a push (and
refuse a forged one by signature alone) before doing any decryption; binding the same context
as AEAD data and under the signature means a replayed or re-ordered envelope cannot be
re-labelled with another device, sequence number, record or version.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from shared import crypto, hpke
from shared.errors import TaiChoError, problem

FORMAT_VERSION = 1
_SIG_DOMAIN = b"taicho-envelope-v1\x00"
_INFO_PREFIX = b"taicho/v1/"
_MAX_TEXT = 200  # generous for uuids and record ids; bounds what a peer can make us hash
_CTX_FIELDS = ("kind", "sender", "recipient", "seq", "record_id", "version")
_ENVELOPE_KEYS = frozenset({"v", "ctx", "enc", "ct", "sig"})
_SIG_LEN = 64


def _malformed(detail: str) -> TaiChoError:
    return problem("ENVELOPE_MALFORMED", detail=detail)


@dataclass(frozen=True)
class EnvelopeContext:
    """Who sent what to whom, in clear: enough to route, order and de-duplicate without keys."""

    kind: str
    sender: str
    recipient: str
    seq: int
    record_id: str
    version: int

    def __post_init__(self) -> None:
        # Validated on construction so an envelope we build and one we parse obey the same rules.
        for name in ("kind", "sender", "recipient", "record_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or len(value) > _MAX_TEXT:
                raise _malformed(f"ctx.{name} must be a non-empty string of at most {_MAX_TEXT}")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:  # lone surrogates cannot be canonical UTF-8
                raise _malformed(f"ctx.{name} is not valid Unicode") from exc
        if not self.kind.isascii() or not self.kind.replace("_", "").replace("-", "").isalnum():
            raise _malformed("ctx.kind must be ASCII letters, digits, '-' or '_'")
        for name in ("seq", "version"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**53:
                raise _malformed(f"ctx.{name} must be an integer in [0, 2^53)")

    def aad(self) -> bytes:
        """Canonical bytes both ends recompute; never taken from the wire as bytes."""
        body = {"v": FORMAT_VERSION, **asdict(self)}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8"
        )

    def info(self) -> bytes:
        # The kind in HPKE info separates key schedules per message type, so a "feed" ciphertext
        # can never open as a "change" even if someone re-signed it with the right context.
        return _INFO_PREFIX + self.kind.encode("ascii")


@dataclass(frozen=True)
class Envelope:
    v: int
    ctx: EnvelopeContext
    enc: bytes
    ct: bytes
    sig: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "ctx": asdict(self.ctx),
            "enc": crypto.b64e(self.enc),
            "ct": crypto.b64e(self.ct),
            "sig": crypto.b64e(self.sig),
        }

    @classmethod
    def from_json(cls, data: object) -> Envelope:
        """Strict parse of untrusted input: exact keys, exact types, exact sizes.

        Unknown keys are refused rather than ignored because they are not signed: accepting
        them would let a relay smuggle unsigned data alongside a valid envelope.
        """
        if not isinstance(data, dict):
            raise _malformed("envelope is not a JSON object")
        if set(data) != _ENVELOPE_KEYS:
            raise _malformed(f"envelope keys must be {sorted(_ENVELOPE_KEYS)}")
        v = data["v"]
        if not isinstance(v, int) or isinstance(v, bool) or v != FORMAT_VERSION:
            raise _malformed(f"unsupported envelope version {v!r}")
        raw_ctx = data["ctx"]
        if not isinstance(raw_ctx, dict) or set(raw_ctx) != set(_CTX_FIELDS):
            raise _malformed(f"ctx keys must be {sorted(_CTX_FIELDS)}")
        ctx = EnvelopeContext(**{name: raw_ctx[name] for name in _CTX_FIELDS})
        enc = _b64_field(data, "enc")
        ct = _b64_field(data, "ct")
        sig = _b64_field(data, "sig")
        if len(enc) != hpke.N_ENC:
            raise _malformed(f"enc must be {hpke.N_ENC} bytes")
        if len(ct) < 16:
            raise _malformed("ct is shorter than an AEAD tag")
        if len(sig) != _SIG_LEN:
            raise _malformed(f"sig must be {_SIG_LEN} bytes")
        return cls(v=v, ctx=ctx, enc=enc, ct=ct, sig=sig)


def _b64_field(data: dict[Any, Any], name: str) -> bytes:
    value = data[name]
    if not isinstance(value, str):
        raise _malformed(f"{name} must be a base64 string")
    try:
        return crypto.b64d(value)
    except TaiChoError as exc:
        raise _malformed(f"{name} is not valid base64") from exc


def _signed_bytes(aad: bytes, enc: bytes, ct: bytes) -> bytes:
    # Length prefixes make the split between aad, enc and ct unambiguous.
    return _SIG_DOMAIN + len(aad).to_bytes(4, "big") + aad + len(enc).to_bytes(4, "big") + enc + ct


def seal_envelope(
    ctx: EnvelopeContext, payload: bytes, recipient_pk: bytes, signer_sk: bytes
) -> Envelope:
    """Encrypt to the recipient, then sign; done at edit time so an outbox needs no unlock."""
    aad = ctx.aad()
    enc, ct = hpke.seal(recipient_pk, ctx.info(), aad, payload)
    sig = crypto.sign(signer_sk, _signed_bytes(aad, enc, ct))
    return Envelope(v=FORMAT_VERSION, ctx=ctx, enc=enc, ct=ct, sig=sig)


def verify_envelope(env: Envelope, sender_pk: bytes) -> None:
    """Signature only: lets the station refuse a forged push before any decryption work."""
    if env.v != FORMAT_VERSION:
        raise _malformed(f"unsupported envelope version {env.v!r}")
    crypto.verify(sender_pk, _signed_bytes(env.ctx.aad(), env.enc, env.ct), env.sig)


def _check_expected(actual: EnvelopeContext, expect: EnvelopeContext) -> None:
    for f in fields(EnvelopeContext):
        if getattr(actual, f.name) != getattr(expect, f.name):
            raise problem("ENVELOPE_CONTEXT_MISMATCH", detail=f.name)


def open_envelope(
    env: Envelope,
    recipient_sk: bytes,
    sender_pk: bytes,
    expect: EnvelopeContext | None = None,
) -> bytes:
    """Verify, then check the context the caller expected, then decrypt.

    The order matters: the signature proves who wrote the context before we act on it, and
    the context check gives a precise error (which field differs) instead of a bare
    decryption failure.
    """
    verify_envelope(env, sender_pk)
    if expect is not None:
        _check_expected(env.ctx, expect)
    return hpke.open_(recipient_sk, env.enc, env.ctx.info(), env.ctx.aad(), env.ct)
