"""The PIN rule and the lockout numbers, declared once for tablet and station.

A commune office has no one to tune these, so they are constants rather than options; the
tablet's local lockout (mobile/services/keystore.py), the station's account lockout
(sync_server/services/setup/staff.py) and the docs all read them from here, so the PIN a tablet
accepts is always the PIN the station accepts.
"""

from __future__ import annotations

import itertools
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


# PINs that people pick first and attackers therefore try first (keypad lines and shapes,
# mirrored runs), besides the rules of :func:`pin_guessable`.
_COMMON_PINS = frozenset(
    {
        "123321",
        "147258",
        "147852",
        "159357",
        "159753",
        "258369",
        "258456",
        "369258",
        "456123",
        "741852",
        "789456",
        "852456",
        "963852",
        "147258369",
        "123654789",
    }
)


def _periodic(pin: str) -> bool:
    """Made of one block repeated (111111, 121212, 123123, 12341234)."""
    return any(
        pin == (pin[:size] * (len(pin) // size + 1))[: len(pin)]
        for size in range(1, len(pin) // 2 + 1)
    )


def _run(digits: str) -> bool:
    """Each digit one more (or one less) than the last, 9→0 wrapping (123456, 567890,
    987654, 890123)."""
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {9})


def pin_guessable(pin: str) -> bool:
    """True for a PIN an attacker tries first, which the station refuses to set
    (``PIN_GUESSABLE``): one block repeated (000000, 111111, 121212, 123123), a run up or
    down (123456, 654321, 567890), a run of pairs (112233, 998877), or a common keypad
    pattern (147258, 159753, 123321, …). See docs/security.md."""
    if _periodic(pin) or _run(pin) or pin in _COMMON_PINS:
        return True
    pairs = pin[0::2], pin[1::2]
    return len(pin) % 2 == 0 and pairs[0] == pairs[1] and _run(pairs[0])


def check_new_pin(pin: object) -> None:
    """The rule for a PIN being *set* (staff-add, the desk's reset, a PIN change): the
    format of :func:`check_pin_format`, and not :func:`pin_guessable`. Checking a PIN at
    sign-in uses the format only, so the demo's documented PINs still sign in."""
    check_pin_format(pin)
    assert isinstance(pin, str)
    if pin_guessable(pin):
        raise problem("PIN_GUESSABLE", "pin")


def failure_delay(failures: int) -> float:
    """Seconds the station waits before answering the ``failures``-th wrong PIN in a row."""
    if failures <= 0:
        return 0.0
    return float(min(PIN_FAILURE_DELAY_MAX, PIN_FAILURE_DELAY_BASE * 2 ** (failures - 1)))
