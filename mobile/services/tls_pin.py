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

import ipaddress
import ssl
from urllib.parse import urlsplit

from shared.errors import problem
from shared.tls_pin import Pin, PinMismatch, caused_by_pin_mismatch, pinned_context

__all__ = [
    "LOOPBACK_NAMES",
    "Pin",
    "PinMismatch",
    "caused_by_pin_mismatch",
    "is_loopback",
    "pinned_context",
    "verify_for",
]

LOOPBACK_NAMES = frozenset({"localhost"})


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
