"""Due times (hạn trả) on the Vietnamese working-day calendar.

Vietnam has one time zone and no daylight saving, so a fixed UTC+7 offset is exact and
needs no tz database (Android builds of Python may ship without one). Public holidays,
Tết and the government's swapped working Saturdays come from the ``holidays`` package.
"""

from __future__ import annotations

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


def is_working_day(day: date) -> bool:
    """Weekdays that are not public holidays, plus Saturdays declared working days."""
    return bool(_calendar(day.year).is_working_day(day))


def next_working_day(day: date) -> date:
    d = day + timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def vn_now() -> datetime:
    return datetime.now(VN_TZ)


def to_vn(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment.astimezone(VN_TZ)


def effective_receipt_day(received_at: datetime) -> date:
    """The working day a dossier counts as received on.

    Received on a working day before 15:00 → that day; later, or on a weekend or
    holiday → the next working day (the counter cannot finish it the same day).
    """
    local = to_vn(received_at)
    day = local.date()
    if is_working_day(day) and local.time() < SAME_DAY_CUTOFF:
        return day
    return next_working_day(day)


def due_at(received_at: datetime, working_days: int = 0) -> datetime:
    """17:00 on the due working day.

    ``working_days == 0`` is the same-day rule ("Ngày không hẹn"): due the receipt day.
    ``N > 0`` (a procedure's legal limit): due on the N-th working day after it.
    """
    if working_days < 0:
        raise ValueError("working_days must be >= 0")
    day = effective_receipt_day(received_at)
    for _ in range(working_days):
        day = next_working_day(day)
    return datetime.combine(day, OFFICE_CLOSE, VN_TZ)


def timeliness(due: datetime, finished_at: datetime) -> str:
    """early (trước hạn) / on_time (đúng hạn, on the due day) / late (quá hạn)."""
    f, d = to_vn(finished_at), to_vn(due)
    if f > d:
        return "late"
    if f.date() == d.date():
        return "on_time"
    return "early"
