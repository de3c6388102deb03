"""Due times (hạn trả) on the Vietnamese working-day calendar.

Vietnam has one time zone and no daylight saving, so a fixed UTC+7 offset is exact and
needs no tz database (Android builds of Python may ship without one). Public holidays,
Tết and the government's swapped working Saturdays come from the ``holidays`` package;
what it does not know (each year's government decision, e.g. 2 Jan 2026 off and Saturday
10 Jan 2026 worked) comes as :class:`CalendarOverrides` that the station keeps and syncs
to tablets, so both sides compute the same due time.

The same-day rule reads "sau 15 giờ": a dossier received at 15:00:00 is still handled the
same day; from 15:00:01 it counts from the next working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

import holidays

VN_TZ = timezone(timedelta(hours=7), "ICT")
SAME_DAY_CUTOFF = time(15, 0)
OFFICE_CLOSE = time(17, 0)


@lru_cache(maxsize=16)
def _calendar(year: int) -> Any:
    return holidays.country_holidays("VN", years=range(year - 1, year + 2))


def preload(today: date) -> None:
    """Load the national calendar around ``today`` now, at a process's start.

    On first use the ``holidays`` package imports the module of every country it knows
    (about 0.5 s, seen as the first push's largest cost in the sync benchmark's profile);
    a station calls this at start-up so the first dossier of the day does not pay it.
    """
    _calendar(today.year)


@dataclass(frozen=True)
class CalendarOverrides:
    """Local corrections to the national calendar: extra days off, make-up working days.

    A day in both sets is a data error the station refuses; here ``work`` wins.
    """

    off: frozenset[date] = field(default_factory=frozenset)
    work: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, off: Iterable[date] = (), work: Iterable[date] = ()) -> CalendarOverrides:
        return cls(frozenset(off), frozenset(work))

    def to_dict(self) -> dict[str, list[str]]:
        """The wire/JSON form (the ``calendar`` feed item, ``calendar-list``)."""
        return {
            "off": sorted(d.isoformat() for d in self.off),
            "work": sorted(d.isoformat() for d in self.work),
        }

    @classmethod
    def from_dict(cls, data: Any) -> CalendarOverrides:
        """Strict: ``{"off": [ISO dates], "work": [ISO dates]}``; bad input → ValueError."""
        if not isinstance(data, dict) or set(data) - {"off", "work"}:
            raise ValueError("calendar overrides: an object with 'off' and 'work'")
        out: dict[str, frozenset[date]] = {}
        for key in ("off", "work"):
            items = data.get(key, [])
            if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
                raise ValueError(f"calendar overrides: '{key}' must be a list of dates")
            out[key] = frozenset(date.fromisoformat(x) for x in items)
        return cls(out["off"], out["work"])


NO_OVERRIDES = CalendarOverrides()


def is_working_day(day: date, overrides: CalendarOverrides | None = None) -> bool:
    """Weekdays that are not public holidays, plus Saturdays declared working days.

    ``overrides`` (the station's local calendar) win over the ``holidays`` package.
    """
    if overrides is not None:
        if day in overrides.work:
            return True
        if day in overrides.off:
            return False
    return bool(_calendar(day.year).is_working_day(day))


def next_working_day(day: date, overrides: CalendarOverrides | None = None) -> date:
    d = day + timedelta(days=1)
    while not is_working_day(d, overrides):
        d += timedelta(days=1)
    return d


def vn_now() -> datetime:
    return datetime.now(VN_TZ)


def to_vn(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment.astimezone(VN_TZ)


def parse_vn(text: str | None) -> datetime | None:
    """A stored ISO moment in Vietnam time; None when absent or unreadable.

    Papers and the desk print whatever the record holds, so a moment that cannot be read
    is left blank rather than stopping the paper. Every moment is written with its
    offset; one without is taken as Vietnam time, the only clock the office reads.
    """
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def effective_receipt_day(
    received_at: datetime, overrides: CalendarOverrides | None = None
) -> date:
    """The working day a dossier counts as received on.

    Received on a working day up to 15:00:00 → that day; "sau 15 giờ" (after 15:00), or
    on a weekend or holiday → the next working day (the counter cannot finish it the
    same day).
    """
    local = to_vn(received_at)
    day = local.date()
    if is_working_day(day, overrides) and local.time() <= SAME_DAY_CUTOFF:
        return day
    return next_working_day(day, overrides)


def due_at(
    received_at: datetime,
    working_days: int = 0,
    *,
    overrides: CalendarOverrides | None = None,
) -> datetime:
    """17:00 on the due working day.

    ``working_days == 0`` is the same-day rule ("Ngày không hẹn"): due the receipt day.
    ``N > 0`` (a procedure's legal limit): due on the N-th working day after it.
    """
    if working_days < 0:
        raise ValueError("working_days must be >= 0")
    day = effective_receipt_day(received_at, overrides)
    for _ in range(working_days):
        day = next_working_day(day, overrides)
    return datetime.combine(day, OFFICE_CLOSE, VN_TZ)


def timeliness(due: datetime, finished_at: datetime) -> str:
    """early (trước hạn) / on_time (đúng hạn, on the due day) / late (quá hạn)."""
    f, d = to_vn(finished_at), to_vn(due)
    if f > d:
        return "late"
    if f.date() == d.date():
        return "on_time"
    return "early"
