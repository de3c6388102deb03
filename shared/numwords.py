"""Vietnamese numbers and dates in words, as written in official documents.

Rules (the usage of hộ tịch and financial documents, checked against the handbook's
cases):

- units: không, một, hai, ba, bốn, năm, sáu, bảy, tám, chín;
- 10–19 are "mười …": 10 "mười", 11 "mười một", 14 "mười bốn", 15 "mười lăm";
- 20–99 are "… mươi …" with "mốt" for 1 (21 "hai mươi mốt"), "tư" for 4
  (24 "hai mươi tư") and "lăm" for 5 (25 "hai mươi lăm");
- an empty tens digit before a non-zero unit is "linh": 105 "một trăm linh năm";
- a group of three digits that follows a higher group is read in full, with
  "không trăm" for an empty hundreds digit: 2026 "hai nghìn không trăm hai mươi sáu",
  2001 "hai nghìn không trăm linh một", 1 000 005 "một triệu không trăm linh năm";
- an all-zero group is left out: 1 000 000 "một triệu", 1 005 000 "một triệu không
  trăm linh năm nghìn";
- the scale words are "nghìn", "triệu", "tỷ".

Everything returned is NFC.
"""

from __future__ import annotations

import datetime
import unicodedata

__all__ = ["MAX_NUMBER", "date_to_words", "number_to_words"]

MAX_NUMBER = 999_999_999_999

_UNITS: tuple[str, ...] = (
    "không",
    "một",
    "hai",
    "ba",
    "bốn",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
)
# Highest first; an empty group is skipped.
_SCALES: tuple[tuple[int, str], ...] = (
    (1_000_000_000, "tỷ"),
    (1_000_000, "triệu"),
    (1_000, "nghìn"),
    (1, ""),
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _tens_and_units(tens: int, unit: int, *, after_hundreds: bool) -> list[str]:
    """Words for the last two digits of a group (``tens*10 + unit``)."""
    if tens == 0:
        if unit == 0:
            return []
        return ["linh", _UNITS[unit]] if after_hundreds else [_UNITS[unit]]
    if tens == 1:
        words = ["mười"]
        if unit == 5:
            words.append("lăm")
        elif unit:
            words.append(_UNITS[unit])
        return words
    words = [_UNITS[tens], "mươi"]
    if unit == 1:
        words.append("mốt")
    elif unit == 4:
        words.append("tư")
    elif unit == 5:
        words.append("lăm")
    elif unit:
        words.append(_UNITS[unit])
    return words


def _group(value: int, *, full: bool) -> list[str]:
    """Words for 1..999; ``full`` reads the hundreds even when zero ("không trăm")."""
    hundreds, rest = divmod(value, 100)
    tens, unit = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_UNITS[hundreds], "trăm"]
    words += _tens_and_units(tens, unit, after_hundreds=bool(words))
    return words


def number_to_words(n: int) -> str:
    """Write ``n`` (0..999 999 999 999) in Vietnamese words, lower case, NFC.

    >>> number_to_words(2026)
    'hai nghìn không trăm hai mươi sáu'
    >>> number_to_words(15)
    'mười lăm'
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_to_words needs an int, got {type(n).__name__}")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"number_to_words supports 0..{MAX_NUMBER}, got {n}")
    if n == 0:
        return _UNITS[0]
    words: list[str] = []
    rest = n
    for scale, name in _SCALES:
        value, rest = divmod(rest, scale)
        if value == 0:
            continue
        words += _group(value, full=bool(words))
        if name:
            words.append(name)
    return _nfc(" ".join(words))


_MONTHS: tuple[str, ...] = (
    "",
    "một",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
)


def date_to_words(d: datetime.date) -> str:
    """Write a date in words as on a Giấy khai sinh ("ghi bằng chữ").

    The one form used throughout Tại Chỗ is
    ``"Ngày <day>, tháng <month>, năm <year>"`` with every number in words, e.g.
    2026-11-05 → "Ngày năm, tháng mười một, năm hai nghìn không trăm hai mươi sáu".
    The commas keep "tháng năm, năm …" (May) unambiguous. Days are written plainly
    ("Ngày một", not the colloquial "mùng một"); April is "tháng tư", as the month is
    named (the day and the year use the number rules: 4 → "bốn", 24 → "hai mươi tư").
    """
    if not isinstance(d, datetime.date):
        raise TypeError(f"date_to_words needs a date, got {type(d).__name__}")
    day = number_to_words(d.day)
    year = number_to_words(d.year)
    return _nfc(f"Ngày {day}, tháng {_MONTHS[d.month]}, năm {year}")
