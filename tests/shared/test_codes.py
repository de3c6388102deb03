"""Dossier codes with device slots: unique across tablets without a network."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.codes import make_code, parse_code
from shared.errors import TaiChoError


def test_handbook_example_shape() -> None:
    assert make_code("000.00.06.H56", date(2023, 10, 27), 3, 61) == "000.00.06.H56-231027-0361"


@given(st.integers(1, 99), st.integers(1, 99), st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_round_trip(slot: int, n: int, day: date) -> None:
    code = make_code("000.31.22.H20", day, slot, n)
    parsed = parse_code(code)
    assert (parsed.slot, parsed.n, parsed.day) == (slot, n, day)


def test_two_devices_never_collide() -> None:
    day = date(2026, 11, 25)
    a = {make_code("U", day, 1, n) for n in range(1, 100)}
    b = {make_code("U", day, 2, n) for n in range(1, 100)}
    assert len(a) == len(b) == 99 and not a & b


def test_hundredth_dossier_of_the_day_is_refused() -> None:
    with pytest.raises(TaiChoError) as exc:
        make_code("U", date(2026, 11, 25), 1, 100)
    assert exc.value.code == "DOSSIER_CODE_EXHAUSTED"


@pytest.mark.parametrize(
    "bad", ["", "u-261125-0101", "U-261399-0101", "U-261125-0100", "U-261125-0001"]
)
def test_bad_codes_are_refused(bad: str) -> None:
    with pytest.raises(TaiChoError) as exc:
        parse_code(bad)
    assert exc.value.code == "REQUEST_INVALID"
