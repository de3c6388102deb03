"""Dossier-number blocks: the station hands each tablet numbers nobody else will ever get.

A dossier code carries the day's number of the dossier in its unit (``shared.codes``).
Tablets number offline, so the station reserves *blocks* of a day's numbers to one
device at a time: the day's numbers are handed out in increasing order and a number once
reserved is never reserved again (unused ones are simply never used). Each block reaches
its tablet as a ``numbers`` feed item written in the same transaction as the reservation,
so a lost answer loses nothing: the block comes with the next pull.

When: at enrolment (a reserve for today and the coming days) and at every pull in which
the tablet reports that a day runs low (``PullRequest.numbers``). A day gets a new block
only once the tablet has pulled every earlier block of that day, so a tablet that reports
before applying what it pulled cannot drain the day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.codes import (
    BLOCK_SIZE,
    DAY_CAPACITY,
    LOW_WATER,
    RESERVE_DAYS,
    DossierCode,
    block_size,
    reserve_days,
)
from shared.errors import problem
from sync_server.services.core import feed
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.keys import StationKeys
from sync_server.store import numbers as q

FEED_RECORD_ID = "numbers"  # the feed's record id for number blocks (not a dossier)


def grant(
    db: Database, keys: StationKeys, device_id: str, unit: str, day: date, size: int
) -> m.NumberBlock | None:
    """Reserve the next ``size`` numbers of ``day`` (fewer near the day's end) to the device
    and queue them in its feed; None when the day has no number left. Caller's transaction."""
    key = day.isoformat()
    lo = q.last_granted(db, unit, key) + 1
    if lo > DAY_CAPACITY:
        return None
    hi = min(DAY_CAPACITY, lo + max(1, size) - 1)
    item = m.NumberBlock("numbers", unit, key, lo, hi)
    seq = feed.append(
        db, keys, device_id=device_id, dossier_id=FEED_RECORD_ID, version=1, payload=item
    )
    q.insert(
        db,
        {
            "unit": unit,
            "day": key,
            "lo": lo,
            "hi": hi,
            "device_id": device_id,
            "feed_seq": seq,
            "granted_at": iso(utc_now()),
        },
    )
    return item


def initial_reserve(
    db: Database, keys: StationKeys, device_id: str, unit: str, today: date
) -> list[m.NumberBlock]:
    """A new tablet's reserve: one block for today and each of the coming days."""
    out = []
    for day in reserve_days(today):
        block = grant(db, keys, device_id, unit, day, BLOCK_SIZE)
        if block is not None:
            out.append(block)
    return out


def top_up(
    db: Database,
    keys: StationKeys,
    device_id: str,
    unit: str,
    reported: Iterable[m.NumbersLeft],
    *,
    today: date,
    pulled_up_to: int,
) -> list[m.NumberBlock]:
    """One block for each day of the reserve window the tablet says runs low.

    Days outside yesterday … today + RESERVE_DAYS are ignored (a tablet with a wrong clock
    cannot reserve next year's numbers); so is a day with a block the tablet has not yet
    pulled (its report cannot know it). Caller's transaction.
    """
    window = {today - timedelta(days=1), *reserve_days(today, RESERVE_DAYS + 1)}
    out = []
    for item in reported:
        try:
            day = date.fromisoformat(item.day)
        except ValueError:
            raise problem(
                "REQUEST_INVALID",
                "numbers",
                detail=f"day {item.day}",
                detail_vi=f"ngày {item.day} không hợp lệ",
            ) from None
        if day not in window or item.left >= LOW_WATER:
            continue
        held = q.device_blocks(db, device_id, unit, day.isoformat())
        if any(int(b["feed_seq"]) > pulled_up_to for b in held):
            continue
        # What the station itself knows is left (the tablet pushes before it pulls, and
        # takes numbers in increasing order): a report alone, e.g. from someone who only
        # knows the device id (pull is not authenticated), cannot drain the day.
        known_left = station_left(held)
        if known_left >= LOW_WATER:
            continue
        granted = sum(int(b["hi"]) - int(b["lo"]) + 1 for b in held)
        size = block_size(granted, min(item.left, known_left))
        block = grant(db, keys, device_id, unit, day, size)
        if block is not None:
            out.append(block)
    return out


def station_left(blocks: Iterable[dict[str, Any]]) -> int:
    """Numbers of these blocks above the highest one the device has pushed."""
    rows = list(blocks)
    top = max((int(b["used_hi"]) for b in rows), default=0)
    return sum(max(0, int(b["hi"]) - max(int(b["lo"]) - 1, top)) for b in rows)


def note_used(db: Database, device_id: str, code: DossierCode) -> None:
    """A pushed dossier used this number (applied or not: the tablet spent it)."""
    q.note_used(db, device_id, code.unit, code.day.isoformat(), code.number)


def holder(db: Database, unit: str, day: date, number: int) -> str | None:
    """The device number ``number`` of ``day`` was reserved to (None: nobody)."""
    return q.holder(db, unit, day.isoformat(), number)
