"""The enrolment code a tablet is given: a one-time secret plus the station's certificate pin.

``admin enroll-code`` and the desk print one line such as
``7KQ4-M2XD-PZ9A-4W8C-1HQZ-T0NB-9RJE-XK2M``: the first three groups (60 bits) are the
one-time secret the station checks; the five groups after them (100 bits) are the start of
the SHA-256 fingerprint of the station's TLS certificate. The tablet connects, compares the
certificate the station presents with those 100 bits *before it sends anything*, and from
then on pins that certificate's full fingerprint. 100 bits are typed once and cannot be
matched by a forged certificate (a second preimage of 100 bits of SHA-256 is out of reach),
while the full 256 bits (52 symbols) would be too long to type on a tablet.

Crockford base32 (no I, L, O, U): case, dashes, spaces and look-alike letters do not matter.
Pure: shared by the station (which prints codes) and the tablet (which reads them).
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SECRET_SYMBOLS = 12
PIN_SYMBOLS = 20
PIN_BITS = PIN_SYMBOLS * 5
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise(code: str) -> str:
    """Upper-case symbols only, look-alikes mapped (``O``→``0``, ``I``/``L``→``1``)."""
    return "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)


def group(symbols: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH`` (how codes are shown and typed)."""
    return "-".join(symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP))


def pin_symbols(fingerprint: bytes) -> str:
    """The first 100 bits of a SHA-256 certificate fingerprint, as 20 Crockford symbols."""
    if len(fingerprint) != 32:
        raise ValueError("a SHA-256 fingerprint is 32 bytes")
    top = int.from_bytes(fingerprint, "big") >> (256 - PIN_BITS)
    out = []
    for _ in range(PIN_SYMBOLS):
        out.append(ALPHABET[top & 31])
        top >>= 5
    return "".join(reversed(out))


def with_pin(secret: str, fingerprint: bytes | None) -> str:
    """The code as printed for a tablet: the secret, then the certificate pin if any."""
    symbols = normalise(secret)
    if fingerprint is not None:
        symbols += pin_symbols(fingerprint)
    return group(symbols)


@dataclass(frozen=True)
class EnrolCode:
    """A typed code, read: the secret the station checks and the pin the tablet checks."""

    secret: str
    pin: str | None

    def matches(self, fingerprint: bytes) -> bool:
        """Does a certificate with this SHA-256 fingerprint carry the code's pin?"""
        return self.pin is not None and pin_symbols(fingerprint) == self.pin


def parse(code: str) -> EnrolCode | None:
    """Split a typed code; None when it has neither 12 nor 32 symbols of the alphabet."""
    symbols = normalise(code)
    if any(ch not in ALPHABET for ch in symbols):
        return None
    if len(symbols) == SECRET_SYMBOLS:
        return EnrolCode(group(symbols), None)
    if len(symbols) == SECRET_SYMBOLS + PIN_SYMBOLS:
        return EnrolCode(group(symbols[:SECRET_SYMBOLS]), symbols[SECRET_SYMBOLS:])
    return None
