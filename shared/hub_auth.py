"""Requests a station signs for the provincial hub, and the hub's check of them.

A station's requests to the hub travel over HTTPS (the hub's certificate pinned from the
registration code), and each also carries an Ed25519 signature by the station's own key,
the one the hub holds in its directory (docs/province.md, "Signed requests"). TLS proves
the hub to the station; the signature proves the station to the hub, request by request,
whichever proxy or load balancer ends TLS in the province's data centre.

What is signed (UTF-8, lines joined by ``\\n``)::

    taicho-hub/v1
    METHOD
    /path
    query string, as sent (may be empty)
    unit code (X-Taicho-Station)
    unix seconds (X-Taicho-Time)
    nonce (X-Taicho-Nonce: 16 random bytes, base64url)
    SHA-256 of the body, hex

The hub accepts a request whose time is within :data:`MAX_SKEW` seconds of its own clock
and whose nonce that station has not used in that window (it keeps them twice as long):
a captured request cannot be sent again. Pure: shared by the station (signs) and the hub
(checks); the primitives are ``shared.crypto``'s.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from shared import crypto
from shared.errors import TaiChoError, problem

SCHEME = "taicho-hub/v1"
MAX_SKEW = 300  # seconds either way
NONCE_KEEP = 2 * MAX_SKEW
HEADER_STATION = "X-Taicho-Station"
HEADER_TIME = "X-Taicho-Time"
HEADER_NONCE = "X-Taicho-Nonce"
HEADER_SIGNATURE = "X-Taicho-Signature"
_NONCE = re.compile(r"[A-Za-z0-9_-]{22}")
_UNIT = re.compile(r"[0-9A-Z.]{1,40}")


def canonical(
    method: str, path: str, query: str, unit: str, timestamp: int, nonce: str, body: bytes
) -> bytes:
    """The bytes a station signs (module docstring)."""
    lines = (
        SCHEME,
        method.upper(),
        path,
        query,
        unit,
        str(timestamp),
        nonce,
        crypto.sha256_hex(body),
    )
    return "\n".join(lines).encode("utf-8")


def sign(
    signing_key: bytes,
    unit: str,
    method: str,
    path: str,
    query: str,
    body: bytes,
    now: int,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four headers of a signed request (``now``: unix seconds)."""
    nonce = nonce or crypto.b64e(secrets.token_bytes(16))
    sig = crypto.sign(signing_key, canonical(method, path, query, unit, now, nonce, body))
    return {
        HEADER_STATION: unit,
        HEADER_TIME: str(now),
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: crypto.b64e(sig),
    }


@dataclass(frozen=True)
class SignedRequest:
    """The signature headers of a request as the hub read them (checked for shape)."""

    unit: str
    timestamp: int
    nonce: str
    signature: bytes

    @classmethod
    def read(cls, headers: Mapping[str, str | None]) -> SignedRequest:
        """Parse the headers (keys as in :func:`sign`, any case); a missing or malformed
        one is ``HUB_SIGNATURE_INVALID`` naming it."""
        low = {k.lower(): v for k, v in headers.items()}

        def get(name: str) -> str:
            value = low.get(name.lower())
            if not value:
                raise problem(
                    "HUB_SIGNATURE_INVALID",
                    name,
                    detail=f"{name} missing",
                    detail_vi=f"thiếu {name}",
                )
            return value

        unit, raw_time, nonce, raw_sig = (
            get(HEADER_STATION),
            get(HEADER_TIME),
            get(HEADER_NONCE),
            get(HEADER_SIGNATURE),
        )
        if not _UNIT.fullmatch(unit):
            raise problem(
                "HUB_SIGNATURE_INVALID",
                HEADER_STATION,
                detail="unit code format",
                detail_vi="mã đơn vị sai định dạng",
            )
        if not raw_time.isdigit() or len(raw_time) > 12:
            raise problem(
                "HUB_SIGNATURE_INVALID",
                HEADER_TIME,
                detail="unix seconds",
                detail_vi="cần số giây Unix",
            )
        if not _NONCE.fullmatch(nonce):
            raise problem(
                "HUB_SIGNATURE_INVALID",
                HEADER_NONCE,
                detail="16 bytes, base64url",
                detail_vi="cần 16 byte dạng base64url",
            )
        try:
            sig = crypto.b64d(raw_sig)
        except TaiChoError:
            sig = b""
        if len(sig) != 64:
            raise problem(
                "HUB_SIGNATURE_INVALID",
                HEADER_SIGNATURE,
                detail="64-byte Ed25519",
                detail_vi="cần chữ ký Ed25519 64 byte",
            )
        return cls(unit, int(raw_time), nonce, sig)

    def check(
        self, public_key: bytes, method: str, path: str, query: str, body: bytes, now: int
    ) -> None:
        """The time window, then the signature (the nonce's uniqueness is the hub's
        store's to check, after this)."""
        if abs(now - self.timestamp) > MAX_SKEW:
            raise problem(
                "HUB_REQUEST_STALE",
                HEADER_TIME,
                detail=f"time {self.timestamp}, hub {now}: more than {MAX_SKEW} s apart",
                detail_vi=f"lệch giờ quá {MAX_SKEW} giây",
            )
        message = canonical(method, path, query, self.unit, self.timestamp, self.nonce, body)
        try:
            crypto.verify(public_key, message, self.signature)
        except TaiChoError:
            raise problem(
                "HUB_SIGNATURE_INVALID",
                HEADER_SIGNATURE,
                detail="does not verify with the station's key",
                detail_vi="không khớp khoá của máy chủ xã",
            ) from None
