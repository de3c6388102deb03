"""Due times on the Vietnamese working calendar: cut-off, weekends, Tết, swapped Saturdays."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from shared.workdays import (
    VN_TZ,
    CalendarOverrides,
    due_at,
    effective_receipt_day,
    is_working_day,
    next_working_day,
    timeliness,
)


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)


def test_before_three_pm_is_due_same_day_at_five() -> None:
    assert due_at(at(2026, 11, 25, 14, 59)) == at(2026, 11, 25, 17)


def test_at_three_pm_sharp_is_still_same_day() -> None:
    # "sau 15 giờ": only what arrives after 15:00 moves to the next working day.
    assert due_at(at(2026, 11, 25, 15, 0, 0)) == at(2026, 11, 25, 17)
    assert effective_receipt_day(at(2026, 11, 25, 15, 0, 0)) == date(2026, 11, 25)


def test_after_three_pm_is_due_next_working_day() -> None:
    assert due_at(at(2026, 11, 25, 15, 0, 1)) == at(2026, 11, 26, 17)
    # Friday afternoon → Monday.
    assert due_at(at(2026, 11, 27, 16)) == at(2026, 11, 30, 17)


def test_received_on_weekend_is_due_next_working_day() -> None:
    assert due_at(at(2026, 11, 28, 9)) == at(2026, 11, 30, 17)


def test_tet_2027_is_skipped() -> None:
    # Tết Đinh Mùi: holidays run Thu 4 Feb – Wed 10 Feb 2027; 6–7 Feb is a weekend anyway.
    for d in range(4, 11):
        assert not is_working_day(date(2027, 2, d))
    # Received Wednesday 3 Feb 2027 after 15:00 → next working day is Thursday 11 Feb.
    assert due_at(at(2027, 2, 3, 15, 30)) == at(2027, 2, 11, 17)
    # A 3-working-day procedure received 3 Feb morning: 11, 12, 15 Feb.
    assert due_at(at(2027, 2, 3, 10), working_days=3) == at(2027, 2, 15, 17)


def test_tet_2026_is_skipped() -> None:
    assert due_at(at(2026, 2, 13, 16)) == at(2026, 2, 23, 17)


def test_swapped_working_saturday_counts() -> None:
    # 2026: Monday 31 Aug is a day off swapped for Saturday 22 Aug, which is worked.
    assert is_working_day(date(2026, 8, 22))
    assert not is_working_day(date(2026, 8, 31))
    assert effective_receipt_day(at(2026, 8, 22, 9)) == date(2026, 8, 22)


def test_utc_input_is_converted_to_vietnam_time() -> None:
    from datetime import UTC

    # 07:30 UTC = 14:30 in Vietnam: still before the cut-off.
    assert due_at(datetime(2026, 11, 25, 7, 30, tzinfo=UTC)) == at(2026, 11, 25, 17)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        due_at(datetime(2026, 11, 25, 9))


def test_timeliness() -> None:
    due = at(2026, 11, 26, 17)
    assert timeliness(due, at(2026, 11, 25, 16)) == "early"
    assert timeliness(due, at(2026, 11, 26, 16, 59)) == "on_time"
    assert timeliness(due, at(2026, 11, 26, 17, 1)) == "late"


# --- local overrides (the station's calendar, synced to tablets) ---------------------

JAN_2026 = CalendarOverrides.of(off=[date(2026, 1, 2)], work=[date(2026, 1, 10)])


def test_overrides_make_a_day_off_and_a_worked_saturday() -> None:
    # The holidays package alone sees Fri 2 Jan 2026 as worked and Sat 10 Jan as off.
    assert is_working_day(date(2026, 1, 2)) and not is_working_day(date(2026, 1, 10))
    assert not is_working_day(date(2026, 1, 2), JAN_2026)
    assert is_working_day(date(2026, 1, 10), JAN_2026)
    assert next_working_day(date(2026, 1, 9), JAN_2026) == date(2026, 1, 10)


def test_due_at_uses_overrides_and_keeps_the_old_signature() -> None:
    # Received Wed 31 Dec 2025 afternoon: without overrides due Fri 2 Jan;
    # with 2 Jan off the next working day is Mon 5 Jan.
    received = at(2025, 12, 31, 16)
    assert due_at(received) == at(2026, 1, 2, 17)
    assert due_at(received, overrides=JAN_2026) == at(2026, 1, 5, 17)
    # 3 working days from Thu 8 Jan: 9, Sat 10 (worked), 12.
    assert due_at(at(2026, 1, 8, 9), 3, overrides=JAN_2026) == at(2026, 1, 12, 17)
    # Received on the worked Saturday morning: same day.
    assert due_at(at(2026, 1, 10, 10), overrides=JAN_2026) == at(2026, 1, 10, 17)


def test_overrides_round_trip_and_strict_decoding() -> None:
    assert CalendarOverrides.from_dict(JAN_2026.to_dict()) == JAN_2026
    assert JAN_2026.to_dict() == {"off": ["2026-01-02"], "work": ["2026-01-10"]}
    for bad in ({"off": "2026-01-02"}, {"off": ["2026-13-01"]}, {"x": []}, []):
        with pytest.raises(ValueError):
            CalendarOverrides.from_dict(bad)
