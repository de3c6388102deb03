"""Dossier codes from station-reserved number blocks: the national shape, up to 10 000 a
day, never the same number twice on one tablet (pure; the station side is in
tests/sync_server/test_number_blocks.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.codes import (
    BLOCK_SIZE,
    DAY_CAPACITY,
    MAX_BLOCK,
    Block,
    NumberBook,
    block_size,
    make_code,
    parse_code,
    reserve_days,
)
from shared.errors import TaiChoError

DAY = date(2026, 11, 25)
NATIONAL = r"^[0-9A-Z.]+-\d{6}-\d{4}$"  # Thông tư 01/2018/TT-VPCP, Điều 19


def test_handbook_example_shape() -> None:
    assert make_code("000.00.06.H56", date(2023, 10, 27), 361) == "000.00.06.H56-231027-0361"


def test_the_ten_thousandth_number_keeps_four_digits() -> None:
    assert make_code("U", DAY, 9999).endswith("-9999")
    assert make_code("U", DAY, DAY_CAPACITY) == "U-261125-0000"
    assert parse_code("U-261125-0000").number == DAY_CAPACITY
    with pytest.raises(TaiChoError) as exc:
        make_code("U", DAY, DAY_CAPACITY + 1)
    assert exc.value.code == "DOSSIER_CODE_EXHAUSTED"


@given(st.integers(1, DAY_CAPACITY), st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_round_trip_in_the_national_shape(number: int, day: date) -> None:
    import re

    code = make_code("000.31.22.H20", day, number)
    assert re.fullmatch(NATIONAL, code)
    parsed = parse_code(code)
    assert (parsed.number, parsed.day, parsed.unit) == (number, day, "000.31.22.H20")


def test_a_whole_day_gives_ten_thousand_distinct_codes() -> None:
    codes = {make_code("U", DAY, n) for n in range(1, DAY_CAPACITY + 1)}
    assert len(codes) == DAY_CAPACITY


@pytest.mark.parametrize("bad", ["", "u-261125-0101", "U-261399-0101", "U-261125-101", "U-1"])
def test_bad_codes_are_refused(bad: str) -> None:
    with pytest.raises(TaiChoError) as exc:
        parse_code(bad)
    assert exc.value.code == "REQUEST_INVALID"


def test_book_takes_its_blocks_in_order_and_then_runs_out() -> None:
    book = NumberBook()
    book.add(Block(DAY, 51, 53))
    book.add(Block(DAY, 1, 2))
    assert book.left(DAY) == 5
    assert [book.take(DAY) for _ in range(5)] == [1, 2, 51, 52, 53]
    assert book.left(DAY) == 0
    with pytest.raises(TaiChoError) as exc:
        book.take(DAY)
    assert exc.value.code == "DOSSIER_CODE_EXHAUSTED"


def test_book_never_gives_a_number_twice_even_with_a_late_lower_block() -> None:
    book = NumberBook()
    book.add(Block(DAY, 101, 102))
    taken = [book.take(DAY), book.take(DAY)]
    book.add(Block(DAY, 1, 50))  # arrives after higher numbers were used
    book.add(Block(DAY, 103, 104))
    taken += [book.take(DAY), book.take(DAY)]
    assert taken == [101, 102, 103, 104]
    assert len(set(taken)) == len(taken)


def test_book_survives_its_json_form_and_keeps_days_apart() -> None:
    other = date(2026, 11, 26)
    book = NumberBook()
    book.add(Block(DAY, 1, 3))
    book.add(Block(other, 7, 9))
    book.take(DAY)
    again = NumberBook(json.loads(json.dumps(book.to_dict())))
    assert again.take(DAY) == 2 and again.take(other) == 7
    assert again.report([DAY, other, date(2026, 11, 27)]) == [
        (DAY, 1),
        (other, 2),
        (date(2026, 11, 27), 0),
    ]
    again.forget_before(other)
    assert again.left(DAY) == 0 and again.left(other) == 2


def test_adding_the_same_block_twice_counts_once() -> None:
    book = NumberBook()
    book.add(Block(DAY, 1, 50))
    book.add(Block(DAY, 1, 50))
    assert book.left(DAY) == 50


def test_blocks_must_lie_inside_the_day() -> None:
    for lo, hi in ((0, 5), (5, 4), (9_999, DAY_CAPACITY + 1)):
        with pytest.raises(ValueError):
            Block(DAY, lo, hi)


def test_busy_days_get_bigger_blocks() -> None:
    assert block_size(0, 0) == BLOCK_SIZE
    assert block_size(400, 10) == 390
    assert block_size(50_000, 0) == MAX_BLOCK
    assert reserve_days(DAY, 3) == [DAY, date(2026, 11, 26), date(2026, 11, 27)]
