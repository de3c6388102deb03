"""Dossier codes (mã hồ sơ) that offline tablets can mint without asking anyone.

Format ``{unit code}-{yyMMdd}-{NNNN}`` with ``NNNN = slot*100 + n``: each enrolled device
owns a slot 01–99 and numbers its own dossiers 01–99 per day, so two tablets never collide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from shared.errors import TaiChoError, problem

_CODE_RE = re.compile(r"^(?P<unit>[0-9A-Z.]+)-(?P<d>\d{6})-(?P<nnnn>\d{4})$")
MAX_SLOT = 99
MAX_PER_DAY = 99


@dataclass(frozen=True)
class DossierCode:
    unit: str
    day: date
    slot: int
    n: int

    def __str__(self) -> str:
        return f"{self.unit}-{self.day:%y%m%d}-{self.slot * 100 + self.n:04d}"


def make_code(unit: str, day: date, slot: int, n: int) -> str:
    if not 1 <= slot <= MAX_SLOT:
        raise ValueError(f"device slot {slot} outside 1..{MAX_SLOT}")
    if not 1 <= n <= MAX_PER_DAY:
        raise problem("DOSSIER_CODE_EXHAUSTED")
    if not re.fullmatch(r"[0-9A-Z.]+", unit):
        raise ValueError(f"bad unit code {unit!r}")
    return str(DossierCode(unit, day, slot, n))


def _bad_code(code: str) -> TaiChoError:
    return problem(
        "REQUEST_INVALID", "code", detail=f"dossier code '{code}'", detail_vi=f"mã hồ sơ '{code}'"
    )


def parse_code(code: str) -> DossierCode:
    m = _CODE_RE.match(code)
    if not m:
        raise _bad_code(code)
    d = m.group("d")
    nnnn = int(m.group("nnnn"))
    try:
        day = date(2000 + int(d[:2]), int(d[2:4]), int(d[4:]))
    except ValueError:
        raise _bad_code(code) from None
    slot, n = divmod(nnnn, 100)
    if not (1 <= slot <= MAX_SLOT and 1 <= n <= MAX_PER_DAY):
        raise _bad_code(code)
    return DossierCode(m.group("unit"), day, slot, n)
