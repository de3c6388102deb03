"""The station's local working calendar: extra days off and make-up working days.

Vietnam's days off change every year by government decision (2 Jan 2026 off, Saturday
10 Jan 2026 worked) and the ``holidays`` package cannot know them in advance, so the
office keeps them here. Every station-side due time (intake, supplement) reads
:func:`calendar_overrides`; each change is also written to every active tablet's feed as
a ``calendar`` item ``{"type": "calendar", "off": [...], "work": [...]}`` (the whole
current set, so a tablet that missed one change still ends up right).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.errors import problem
from shared.workdays import CalendarOverrides
from sync_server.services.core import audit, feed
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.store import calendar as q
from sync_server.store.db import get_meta, set_meta, transaction

FEED_RECORD_ID = "calendar"  # the feed's record id for calendar items (not a dossier)
_VERSION_KEY = "calendar_version"


def parse_day(text: str) -> date:
    """An ISO date ``YYYY-MM-DD`` between 2000 and 2099, or ``CALENDAR_INVALID``."""
    try:
        day = date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise problem(
            "CALENDAR_INVALID", "day", day=text, detail="YYYY-MM-DD", detail_vi="năm-tháng-ngày"
        ) from None
    if not 2000 <= day.year <= 2099:
        raise problem(
            "CALENDAR_INVALID", "day", day=text, detail="2000–2099", detail_vi="2000–2099"
        )
    return day


def calendar_overrides(db: Database) -> CalendarOverrides:
    """The current overrides, for every due time the station computes."""
    rows = q.list_overrides(db)
    return CalendarOverrides.of(
        off=(date.fromisoformat(r["day"]) for r in rows if r["kind"] == "off"),
        work=(date.fromisoformat(r["day"]) for r in rows if r["kind"] == "work"),
    )


def calendar_list(db: Database) -> dict[str, Any]:
    """``calendar-list``: the sets, plus who set each day and when."""
    rows = q.list_overrides(db)
    return {**calendar_overrides(db).to_dict(), "entries": rows}


def calendar_payload(overrides: CalendarOverrides) -> m.CalendarUpdate:
    """The feed item declared in ``shared.messages`` (the tablet decodes the same record)."""
    data = overrides.to_dict()
    return m.CalendarUpdate("calendar", list(data["off"]), list(data["work"]))


def push_calendar_to(
    db: Database, keys: StationKeys, device_id: str, *, only_if_set: bool = False
) -> int | None:
    """Queue the current calendar for one tablet (enrolment does, inside its transaction).

    With ``only_if_set`` nothing is queued while the station has no overrides.
    """
    current = calendar_overrides(db)
    if only_if_set and not (current.off or current.work):
        return None
    return _send(db, keys, device_id, int(get_meta(db, _VERSION_KEY) or "0") or 1, current)


def _send(
    db: Database, keys: StationKeys, device_id: str, version: int, current: CalendarOverrides
) -> int:
    """One tablet's feed item with the calendar ``current`` as of ``version``."""
    return feed.append(
        db,
        keys,
        device_id=device_id,
        dossier_id=FEED_RECORD_ID,
        version=version,
        payload=calendar_payload(current),
    )


def set_calendar(
    db: Database,
    keys: StationKeys,
    *,
    off: Iterable[str] = (),
    work: Iterable[str] = (),
    clear: Iterable[str] = (),
    actor: str = "admin",
    note: str | None = None,
) -> CalendarOverrides:
    """Mark days off / worked / back to the national calendar, in one transaction.

    The same day cannot be both off and worked in one call. The new set goes to every
    active tablet's feed.
    """
    off_days = {parse_day(x) for x in off}
    work_days = {parse_day(x) for x in work}
    clear_days = {parse_day(x) for x in clear}
    both = (off_days & work_days) | ((off_days | work_days) & clear_days)
    if both:
        day = min(both).isoformat()
        raise problem(
            "CALENDAR_INVALID",
            "day",
            day=day,
            detail="both off and working",
            detail_vi="vừa nghỉ vừa làm",
        )
    if not (off_days or work_days or clear_days):
        raise problem(
            "CALENDAR_INVALID",
            "day",
            day="—",
            detail="--off, --work or --clear",
            detail_vi="--off, --work hoặc --clear",
        )
    now = iso(utc_now())
    with transaction(db):
        for d in sorted(off_days):
            q.set_override(db, d.isoformat(), "off", note, actor, now)
        for d in sorted(work_days):
            q.set_override(db, d.isoformat(), "work", note, actor, now)
        for d in sorted(clear_days):
            q.clear_override(db, d.isoformat())
        version = int(get_meta(db, _VERSION_KEY) or "0") + 1
        set_meta(db, _VERSION_KEY, str(version))
        current = calendar_overrides(db)
        for device_id in q.active_device_ids(db):
            _send(db, keys, device_id, version, current)
        change = {
            "off": [d.isoformat() for d in sorted(off_days)],
            "work": [d.isoformat() for d in sorted(work_days)],
            "clear": [d.isoformat() for d in sorted(clear_days)],
        }
        audit.append(
            db, keys, action="calendar.set", actor=actor, at=vn_now_iso(), reason=str(change)
        )
    return current


DEMO_OFF = ("2026-01-02",)
DEMO_WORK = ("2026-01-10",)


def seed_demo(db: Database, keys: StationKeys) -> None:
    """The 2026 decision the demo shows: Fri 2 Jan off, Sat 10 Jan worked (idempotent)."""
    current = calendar_overrides(db)
    want = CalendarOverrides.of(
        off=(date.fromisoformat(x) for x in DEMO_OFF),
        work=(date.fromisoformat(x) for x in DEMO_WORK),
    )
    if not (want.off <= current.off and want.work <= current.work):
        set_calendar(db, keys, off=DEMO_OFF, work=DEMO_WORK, actor="demo")
