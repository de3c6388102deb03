"""Certificate pinning for the tablet's connection to the station.

The station's certificate is its own (self-signed), so the usual CA check cannot tell the
real station from a machine in the middle. The tablet checks the certificate's SHA-256
fingerprint instead, during the TLS handshake and so *before* a request byte is sent: at
enrolment against the 100 bits the enrolment code carries (``shared.enrol_code``), and
from then on against the full fingerprint it saw then. Any other certificate ends the
handshake with :class:`PinMismatch`, which the sync client reports as
``STATION_CERT_MISMATCH`` (never a traceback).

Works with the standard library's ``ssl`` and httpx 0.28 (``verify=`` takes an
``ssl.SSLContext``); the context makes its sockets of a subclass that checks the peer
certificate right after the handshake (``SSLContext.sslsocket_class`` /
``sslobject_class``, the documented hooks), so no extra dependency is needed on the
device. Plain ``http://`` is accepted only for a station on this very machine
(loopback development); the envelope security stays on either way.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

from shared.errors import problem

LOOPBACK_NAMES = frozenset({"localhost"})


class PinMismatch(ssl.SSLCertVerificationError):
    """The station presented a certificate other than the pinned one."""


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
            raise PinMismatch("the station's certificate is not the pinned one")
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


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def verify_for(url: str, pin: Pin | None) -> ssl.SSLContext | bool:
    """What the tablet's httpx client verifies the station with, or a problem.

    ``https://`` needs a pin (the station's certificate is its own); ``http://`` is allowed
    only to a loopback address.
    """
    parts = urlsplit(url)
    if parts.scheme == "https":
        if pin is None:
            raise problem(
                "STATION_CERT_MISMATCH",
                "url",
                detail="no certificate pinned for this station",
            )
        return pinned_context(pin)
    if parts.scheme == "http":
        if not is_loopback(parts.hostname or ""):
            raise problem(
                "PLAIN_HTTP_REFUSED",
                "url",
                detail=f"{url}: use https://",
                detail_vi=f"{url}: cần dùng https://",
            )
        # Plain HTTP to this machine has no TLS to verify; ``True`` would make httpx load
        # the whole CA bundle for nothing (about 23 ms a sync, measured in the push bench).
        return False
    raise problem(
        "REQUEST_INVALID",
        "url",
        detail=f"{url}: an https:// address is needed",
        detail_vi=f"{url}: cần địa chỉ https://",
    )


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
