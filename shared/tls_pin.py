"""Certificate pinning for a client of a server that is its own authority.

Moved here from ``mobile/services/tls_pin.py`` (which re-exports it) so that the station,
a client of its provincial hub, pins the hub's certificate exactly as a tablet pins its
station's (docs/province.md): the SHA-256 fingerprint is checked during the TLS handshake,
before a request byte is sent. Standard library ``ssl`` only; no I/O of its own.
"""

from __future__ import annotations

import hashlib
import hmac
import ssl
from collections.abc import Callable


class PinMismatch(ssl.SSLCertVerificationError):
    """The server presented a certificate other than the pinned one."""


class Pin:
    """Which certificate fingerprints to accept; remembers the one it accepted last."""

    def __init__(self, accept: Callable[[bytes], bool]) -> None:
        self._accept = accept
        self.seen: bytes | None = None

    @classmethod
    def exact(cls, fingerprint: bytes) -> Pin:
        return cls(lambda seen: hmac.compare_digest(seen, fingerprint))

    def check(self, der: bytes | None) -> None:
        fingerprint = hashlib.sha256(der).digest() if der else b""
        if not der or not self._accept(fingerprint):
            raise PinMismatch("the certificate is not the pinned one")
        self.seen = fingerprint


def pinned_context(pin: Pin) -> ssl.SSLContext:
    """A client context that accepts exactly the certificates ``pin`` accepts.

    Hostname and chain checks are off on purpose: the fingerprint is a stronger check than
    either for a station that is its own authority, and it does not depend on the tablet's
    clock (a tablet that lost its date would otherwise reject a valid certificate).
    """

    class _PinnedSocket(ssl.SSLSocket):
        def do_handshake(self, block: bool = False) -> None:
            super().do_handshake(block)
            pin.check(self.getpeercert(binary_form=True))

    class _PinnedObject(ssl.SSLObject):
        def do_handshake(self) -> None:
            super().do_handshake()
            pin.check(self.getpeercert(binary_form=True))

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.sslsocket_class = _PinnedSocket
    ctx.sslobject_class = _PinnedObject
    return ctx


def caused_by_pin_mismatch(exc: BaseException) -> bool:
    """True if an httpx error came from :class:`PinMismatch` (httpx wraps it twice)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, PinMismatch):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False
