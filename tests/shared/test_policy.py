"""The PIN rule: the format checked at every sign-in, and guessable PINs refused when set."""

from __future__ import annotations

import pytest

from shared.errors import TaiChoError
from shared.policy import check_new_pin, check_pin_format, pin_guessable

GUESSABLE = (
    "000000",  # one digit repeated
    "111111",
    "99999999",
    "123456",  # runs, up or down, 9→0 wrapping
    "654321",
    "567890",
    "890123",
    "0123456789",
    "121212",  # one block repeated
    "123123",
    "12341234",
    "112233",  # a run of pairs
    "998877",
    "147258",  # keypad patterns
    "159753",
    "123321",
)
FINE = ("246810", "135790", "456701", "864201", "739184", "586203", "1029384756")


@pytest.mark.parametrize("pin", GUESSABLE)
def test_guessable_pins_are_refused_when_set(pin: str) -> None:
    assert pin_guessable(pin)
    with pytest.raises(TaiChoError) as err:
        check_new_pin(pin)
    assert err.value.code == "PIN_GUESSABLE" and err.value.field == "pin"
    check_pin_format(pin)  # but such a PIN, once set (the demo's), still signs in


@pytest.mark.parametrize("pin", FINE)
def test_other_pins_are_accepted(pin: str) -> None:
    assert not pin_guessable(pin)
    check_new_pin(pin)


def test_the_format_comes_first() -> None:
    with pytest.raises(TaiChoError) as err:
        check_new_pin("12")
    assert err.value.code == "PIN_FORMAT"
