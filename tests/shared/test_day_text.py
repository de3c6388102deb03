"""Issue 21 §11: dd/mm/yyyy wherever a person reads a date (shared/day_text.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.day_text import day_text
from shared.procedures import builtin
from sync_server.desk import views


@pytest.mark.parametrize(
    "value,shown",
    [
        ("1997-06-17", "17/06/1997"),
        ("1997-06", "06/1997"),
        ("1997", "1997"),
        (1995, "1995"),
        ("17/06/1997", "17/06/1997"),
        ("2026-12-07T20:16:00+00:00", "08/12/2026"),  # its day in Viet Nam
        (datetime(2026, 12, 7, 20, 16, tzinfo=UTC), "08/12/2026"),
        (date(2026, 1, 2), "02/01/2026"),
        ("không rõ", "không rõ"),
        (None, ""),
    ],
)
def test_day_text(value: object, shown: str) -> None:
    assert day_text(value) == shown


def test_the_desk_shows_the_parents_dates_as_people_write_them() -> None:
    """Parents' dates of birth are partial dates: "1997-06-17" was shown as stored."""
    proc = builtin().get("1.001193")
    values = {"mother_birth_date": "1997-06-17", "father_birth_date": "1990-03"}
    rows = dict(row for _, rows in views.sections(values, proc) for row in rows)
    assert "17/06/1997" in rows.values() and "03/1990" in rows.values()
    assert not [v for v in rows.values() if "1997-06" in v or "1990-03" in v]
