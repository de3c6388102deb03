"""Pure parts of the desk's report page: the period picker's choice and chart scaling.

The figures themselves come ready-made from the station's report JSON (its ``page``
section, ``shared.reports.page_view``): the desk only picks the period and draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from shared.errors import problem
from shared.reports import Period, parse_period, period_of
from shared.workdays import vn_now

KINDS: tuple[tuple[str, str], ...] = (
    ("day", "Ngày"),
    ("week", "Tuần"),
    ("month", "Tháng"),
    ("quarter", "Quý"),
    ("year", "Năm"),
    ("custom", "Tùy chọn"),
)
KIND_LABEL = dict(KINDS)
SCOPES: tuple[tuple[str, str], ...] = (("commune", "Xã, phường này"), ("province", "Toàn tỉnh"))


def _today() -> date:
    return vn_now().date()


@dataclass(frozen=True)
class Choice:
    """What the leader picked: a kind of period around ``day``, or a custom range typed as
    ``YYYY-MM-DD``; and optionally one procedure."""

    kind: str = "month"
    day: date | None = None  # None: today
    start: str = ""  # custom only
    end: str = ""
    procedure: str | None = None
    scope: str = "commune"  # "province": the provincial hub's figures (docs/province.md)

    def period(self) -> Period:
        if self.kind == "custom":
            if not self.start.strip() or not self.end.strip():
                raise problem(
                    "REQUEST_INVALID",
                    "from" if not self.start.strip() else "to",
                    detail="custom period: both days are needed",
                    detail_vi="nhập cả ngày đầu và ngày cuối (năm-tháng-ngày)",
                )
            return parse_period(self.start.strip(), self.end.strip())
        return period_of(self.kind, self.day or _today())

    def bounds(self) -> tuple[str, str]:
        p = self.period()
        return p.start.isoformat(), p.end.isoformat()

    def with_kind(self, kind: str) -> Choice:
        if kind == "custom":  # the two days are typed afresh
            return replace(self, kind=kind, start="", end="")
        return replace(self, kind=kind)

    def shifted(self, steps: int) -> Choice:
        """The previous (-1) or next (+1) period of the same kind."""
        if self.kind == "custom":
            return self
        p = self.period()
        if steps < 0:
            return replace(self, day=p.start - timedelta(days=1))
        return replace(self, day=p.end + timedelta(days=1))


def nice_max(value: float, *, floor: float = 1.0) -> float:
    """A round upper bound for a chart axis (1, 2, 5 × 10ⁿ), at least ``floor``."""
    v = max(value, floor)
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 5, 10):
        if v <= m * exp:
            return float(m * exp)
    return float(10 * exp)


def every(n: int, most: int = 14) -> int:
    """Label every k-th bucket so at most ``most`` labels fit under a chart."""
    return max(1, math.ceil(n / most))
