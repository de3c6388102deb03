"""Vietnamese numbers and dates in words (shared/numwords.py)."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.numwords import MAX_NUMBER, date_to_words, number_to_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (31, "ba mươi mốt"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1000, "một nghìn"),
        (1001, "một nghìn không trăm linh một"),
        (1010, "một nghìn không trăm mười"),
        (1985, "một nghìn chín trăm tám mươi lăm"),
        (2001, "hai nghìn không trăm linh một"),
        (2010, "hai nghìn không trăm mười"),
        (2024, "hai nghìn không trăm hai mươi tư"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (10_000, "mười nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (1_000_000_000, "một tỷ"),
        (2_000_000_015, "hai tỷ không trăm mười lăm"),
        (
            MAX_NUMBER,
            "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
            "chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
        ),
    ],
)
def test_number_to_words_official_cases(n: int, words: str) -> None:
    assert number_to_words(n) == unicodedata.normalize("NFC", words)


@pytest.mark.parametrize("bad", [-1, MAX_NUMBER + 1])
def test_number_to_words_range(bad: int) -> None:
    with pytest.raises(ValueError):
        number_to_words(bad)


def test_number_to_words_rejects_non_int() -> None:
    with pytest.raises(TypeError):
        number_to_words(True)
    with pytest.raises(TypeError):
        number_to_words(2.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("d", "words"),
    [
        (
            datetime.date(2026, 11, 5),
            "Ngày năm, tháng mười một, năm hai nghìn không trăm hai mươi sáu",
        ),
        (
            datetime.date(2001, 4, 24),
            "Ngày hai mươi tư, tháng tư, năm hai nghìn không trăm linh một",
        ),
        (
            datetime.date(2025, 5, 15),
            "Ngày mười lăm, tháng năm, năm hai nghìn không trăm hai mươi lăm",
        ),
        (
            datetime.date(1999, 12, 31),
            "Ngày ba mươi mốt, tháng mười hai, năm một nghìn chín trăm chín mươi chín",
        ),
        (datetime.date(2010, 1, 1), "Ngày một, tháng một, năm hai nghìn không trăm mười"),
    ],
)
def test_date_to_words(d: datetime.date, words: str) -> None:
    assert date_to_words(d) == unicodedata.normalize("NFC", words)


# --- a small parser, so the property test can check that every number round-trips ---

_UNIT = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALE = {"nghìn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000}


def _parse(words: str) -> int:
    total = group = digit = 0
    for w in words.split(" "):
        if w in _UNIT:
            digit = _UNIT[w]
        elif w == "trăm":
            group, digit = group + digit * 100, 0
        elif w == "mươi":
            group, digit = group + digit * 10, 0
        elif w == "mười":
            group += 10
        elif w == "linh":
            pass
        elif w in _SCALE:
            total, group, digit = total + (group + digit) * _SCALE[w], 0, 0
        else:
            raise AssertionError(f"unexpected word {w!r} in {words!r}")
    return total + group + digit


@given(st.integers(min_value=0, max_value=MAX_NUMBER))
def test_number_to_words_round_trips(n: int) -> None:
    words = number_to_words(n)
    assert words == unicodedata.normalize("NFC", words)
    assert "  " not in words and words == words.strip()
    assert _parse(words) == n


@given(st.integers(min_value=0, max_value=100_000))
def test_number_to_words_small_round_trips(n: int) -> None:
    assert _parse(number_to_words(n)) == n


def test_injective_below_ten_thousand() -> None:
    seen = {number_to_words(n) for n in range(10_000)}
    assert len(seen) == 10_000


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_date_to_words_shape(d: datetime.date) -> None:
    words = date_to_words(d)
    assert words == unicodedata.normalize("NFC", words)
    assert "  " not in words
    day, month, year = words.split(", ")
    assert day.startswith("Ngày ") and month.startswith("tháng ") and year.startswith("năm ")
    assert _parse(day.removeprefix("Ngày ")) == d.day
    assert _parse(year.removeprefix("năm ")) == d.year
