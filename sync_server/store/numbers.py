"""Queries on ``number_blocks``: which device holds which dossier numbers of a day."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def last_granted(db: Database, unit: str, day: str) -> int:
    """The highest number of ``day`` handed out so far (0: none), or the floor a restore
    set above what tablets may hold (store/recovery.py)."""
    row = one(
        db,
        "SELECT MAX(COALESCE((SELECT MAX(hi) FROM number_blocks WHERE unit = :u AND day = :d), "
        "0), COALESCE((SELECT floor FROM number_floors WHERE unit = :u AND day = :d), 0)) AS n",
        {"u": unit, "d": day},
    )
    return int(row["n"]) if row else 0


def device_blocks(db: Database, device_id: str, unit: str, day: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT lo, hi, feed_seq, used_hi FROM number_blocks WHERE device_id = ? AND unit = ? "
            "AND day = ? ORDER BY lo",
            (device_id, unit, day),
        )
    )


def insert(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO number_blocks (unit, day, lo, hi, device_id, feed_seq, granted_at) "
        "VALUES (:unit, :day, :lo, :hi, :device_id, :feed_seq, :granted_at)",
        row,
    )


def note_used(db: Database, device_id: str, unit: str, day: str, number: int) -> None:
    """Remember that the device used ``number`` (the highest seen, per block)."""
    db.execute(
        "UPDATE number_blocks SET used_hi = MAX(used_hi, ?) WHERE device_id = ? AND unit = ? "
        "AND day = ? AND lo <= ? AND hi >= ?",
        (number, device_id, unit, day, number, number),
    )


def holder(db: Database, unit: str, day: str, number: int) -> str | None:
    """The device a number was reserved to, or None if nobody holds it."""
    row = one(
        db,
        "SELECT device_id FROM number_blocks WHERE unit = ? AND day = ? AND lo <= ? AND hi >= ?",
        (unit, day, number, number),
    )
    return None if row is None else str(row["device_id"])


def day_totals(db: Database, day: str) -> dict[str, Any]:
    """Blocks of one day: how many, the biggest, the highest number handed out."""
    row = one(
        db,
        "SELECT COUNT(*) AS blocks, MAX(hi - lo + 1) AS biggest, MAX(hi) AS top "
        "FROM number_blocks WHERE day = ?",
        (day,),
    )
    return dict(row) if row else {"blocks": 0, "biggest": None, "top": None}


def summary(db: Database, unit: str, day: str) -> list[dict[str, Any]]:
    """Per device: blocks and numbers reserved for one day (the office's view)."""
    return list(
        db.query(
            "SELECT device_id, COUNT(*) AS blocks, SUM(hi - lo + 1) AS numbers "
            "FROM number_blocks WHERE unit = ? AND day = ? GROUP BY device_id",
            (unit, day),
        )
    )
