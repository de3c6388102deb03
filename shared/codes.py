"""Dossier codes (mã hồ sơ) that offline tablets can mint, from number blocks the station
reserved for them while they were online.

Format ``{unit code}-{yyMMdd}-{XXXX}`` (Thông tư 01/2018/TT-VPCP, Điều 19): the unit's
code, the day of receipt and the four-digit number of the dossier among those the unit
received that day. The day's numbers run 1 … 10 000; the 10 000th is written ``0000``
(the only four digits left), so a unit can take 10 000 dossiers in one day and every code
keeps the national shape.

Numbers are unique per unit and day because only the station hands them out: it reserves
*blocks* (``lo``–``hi`` of one day) to one device at a time, never twice
(``sync_server.services.sync.numbers``). A tablet keeps blocks for today and the coming days
(its reserve for offline days), takes the next number of its own blocks at intake and
asks for more at every sync before it runs out (:class:`NumberBook`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.errors import TaiChoError, problem

_CODE_RE = re.compile(r"^(?P<unit>[0-9A-Z.]+)-(?P<d>\d{6})-(?P<xxxx>\d{4})$")
MAX_SLOT = 99  # enrolled devices: the slot names a tablet at the desk ("số 01")
DAY_CAPACITY = 10_000  # numbers per unit and day: 0001 … 9999, then 0000
# What a tablet keeps in hand (the station decides; the tablet only reports what is left):
RESERVE_DAYS = 14  # today and the 13 days after it, for offline days
BLOCK_SIZE = 50  # one block; a busy day gets bigger blocks (see ``block_size``)
MAX_BLOCK = 1_000
LOW_WATER = 25  # fewer numbers left than this for a day → ask for another block


@dataclass(frozen=True)
class DossierCode:
    unit: str
    day: date
    number: int  # 1 … DAY_CAPACITY

    def __str__(self) -> str:
        return f"{self.unit}-{self.day:%y%m%d}-{self.number % DAY_CAPACITY:04d}"


def make_code(unit: str, day: date, number: int) -> str:
    """The code of the ``number``-th dossier (1 … 10 000) the unit received on ``day``."""
    if not 1 <= number <= DAY_CAPACITY:
        raise problem("DOSSIER_CODE_EXHAUSTED")
    if not re.fullmatch(r"[0-9A-Z.]+", unit):
        raise ValueError(f"bad unit code {unit!r}")
    return str(DossierCode(unit, day, number))


def _bad_code(code: str) -> TaiChoError:
    return problem(
        "REQUEST_INVALID", "code", detail=f"dossier code '{code}'", detail_vi=f"mã hồ sơ '{code}'"
    )


def parse_code(code: str) -> DossierCode:
    m = _CODE_RE.match(code)
    if not m:
        raise _bad_code(code)
    d = m.group("d")
    try:
        day = date(2000 + int(d[:2]), int(d[2:4]), int(d[4:]))
    except ValueError:
        raise _bad_code(code) from None
    return DossierCode(m.group("unit"), day, int(m.group("xxxx")) or DAY_CAPACITY)


# --- number blocks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """Numbers ``lo`` … ``hi`` (inclusive) of one day, reserved to one device."""

    day: date
    lo: int
    hi: int

    def __post_init__(self) -> None:
        if not 1 <= self.lo <= self.hi <= DAY_CAPACITY:
            raise ValueError(f"bad block {self.lo}–{self.hi}")

    @property
    def size(self) -> int:
        return self.hi - self.lo + 1


def reserve_days(today: date, days: int = RESERVE_DAYS) -> list[date]:
    """The days a tablet keeps numbers for: today and the following ones."""
    return [today + timedelta(days=i) for i in range(days)]


def block_size(granted_today: int, left: int) -> int:
    """How big the next block of a day is: a day that already used many numbers gets as
    many again (up to ``MAX_BLOCK``), so a busy counter asks the station rarely."""
    used = max(0, granted_today - left)
    return max(BLOCK_SIZE, min(MAX_BLOCK, used))


class NumberBook:
    """A tablet's blocks and the last number it used, per day (pure; stored as JSON).

    Numbers are taken in increasing order and never twice; a block that arrives after
    higher numbers were used still serves (its numbers above the last used one), so the
    order in which blocks arrive does not matter for uniqueness.
    """

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self.blocks: dict[str, list[tuple[int, int]]] = {}
        self.last: dict[str, int] = {}
        for day, pairs in dict((data or {}).get("blocks", {})).items():
            self.blocks[str(day)] = sorted((int(lo), int(hi)) for lo, hi in pairs)
        for day, n in dict((data or {}).get("last", {})).items():
            self.last[str(day)] = int(n)

    def to_dict(self) -> dict[str, Any]:
        return {
            "blocks": {d: [list(p) for p in ps] for d, ps in sorted(self.blocks.items())},
            "last": dict(sorted(self.last.items())),
        }

    def add(self, block: Block) -> None:
        key = block.day.isoformat()
        pairs = self.blocks.setdefault(key, [])
        if (block.lo, block.hi) not in pairs:
            pairs.append((block.lo, block.hi))
            pairs.sort()

    def left(self, day: date) -> int:
        """Numbers still unused for ``day``."""
        key = day.isoformat()
        last = self.last.get(key, 0)
        return sum(max(0, hi - max(lo, last + 1) + 1) for lo, hi in self.blocks.get(key, []))

    def take(self, day: date) -> int:
        """The next number of ``day``; DOSSIER_CODE_EXHAUSTED when none is left."""
        key = day.isoformat()
        last = self.last.get(key, 0)
        for lo, hi in self.blocks.get(key, []):
            if hi > last:
                number = max(lo, last + 1)
                self.last[key] = number
                return number
        raise problem("DOSSIER_CODE_EXHAUSTED")

    def forget_before(self, day: date) -> None:
        """Drop past days (their unused numbers can never be used again)."""
        key = day.isoformat()
        for table in (self.blocks, self.last):
            for old in [k for k in table if k < key]:
                del table[old]

    def report(self, days: Iterable[date]) -> list[tuple[date, int]]:
        """(day, numbers left) for each day: what the tablet tells the station at a pull."""
        return [(d, self.left(d)) for d in days]
