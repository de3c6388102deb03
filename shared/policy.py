"""The PIN rule and the lockout numbers, declared once for tablet and station.

A commune office has no one to tune these, so they are constants rather than options; the
tablet's local lockout (mobile/services/keystore.py), the station's account lockout
(sync_server/services/staff.py) and the docs all read them from here, so the PIN a tablet
accepts is always the PIN the station accepts.
"""

from __future__ import annotations

from datetime import timedelta

from shared.errors import problem

# Six digits at least: a copied tablet file can be attacked offline at scrypt cost, and
# 10^6 PINs take about 15 core-hours where 10^4 took 10 minutes (docs/security.md).
PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 12
# Wrong PINs that lock: the tablet forgets its local wrap, the station locks the account.
PIN_MAX_FAILURES = 5
# How long the station keeps an account locked after PIN_MAX_FAILURES wrong PINs.
PIN_LOCKOUT = timedelta(minutes=15)
# Extra wait the station adds to each wrong PIN: base × 2^(failures − 1), capped. Makes a
# burst of guesses slow even before the lock engages, without slowing a right PIN.
PIN_FAILURE_DELAY_BASE = 0.25
PIN_FAILURE_DELAY_MAX = 4.0


def pin_format_ok(pin: object) -> bool:
    """ASCII digits only, PIN_MIN_DIGITS to PIN_MAX_DIGITS of them."""
    return (
        isinstance(pin, str)
        and pin.isascii()
        and pin.isdigit()
        and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS
    )


def check_pin_format(pin: object) -> None:
    """Raise ``PIN_FORMAT`` (naming the allowed lengths) unless the PIN fits the rule."""
    if not pin_format_ok(pin):
        raise problem("PIN_FORMAT", "pin", min=PIN_MIN_DIGITS, max=PIN_MAX_DIGITS)


def failure_delay(failures: int) -> float:
    """Seconds the station waits before answering the ``failures``-th wrong PIN in a row."""
    if failures <= 0:
        return 0.0
    return float(min(PIN_FAILURE_DELAY_MAX, PIN_FAILURE_DELAY_BASE * 2 ** (failures - 1)))
