"""Queries of what a restore leaves to mend: number floors, tablets still to hear from,
staff they report, and the "cần xử lý lại" (to redo) list (migration 0010_restore)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one

FEED_FLOOR_KEY = "feed_seq_floor"
RESTORE_KEY = "restore"


def days_granted(db: Database) -> list[dict[str, Any]]:
    """Per unit and day, the highest number handed out (blocks and earlier floors)."""
    return list(
        db.query(
            "SELECT unit, day, MAX(hi) AS hi FROM (SELECT unit, day, hi FROM number_blocks "
            "UNION ALL SELECT unit, day, floor AS hi FROM number_floors) GROUP BY unit, day"
        )
    )


def set_floor(db: Database, unit: str, day: str, restored_hi: int, floor: int) -> None:
    """Grant above ``floor`` from now on; numbers in (restored_hi, floor] belong to whoever
    held them before the restore (a tablet that pushes one claims it)."""
    db.execute(
        "INSERT INTO number_floors (unit, day, restored_hi, floor) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(unit, day) DO UPDATE SET floor = MAX(floor, excluded.floor), "
        "restored_hi = MIN(restored_hi, excluded.restored_hi)",
        (unit, day, restored_hi, floor),
    )


def floor(db: Database, unit: str, day: str) -> dict[str, Any] | None:
    return one(
        db,
        "SELECT restored_hi, floor FROM number_floors WHERE unit = ? AND day = ?",
        (unit, day),
    )


def claim_block(db: Database, unit: str, day: str, number: int, device_id: str, at: str) -> None:
    """A one-number block for a number a tablet held before the restore."""
    db.execute(
        "INSERT INTO number_blocks (unit, day, lo, hi, device_id, feed_seq, granted_at, used_hi) "
        "VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
        (unit, day, number, number, device_id, at, number),
    )


def bump_registers(db: Database, gap: int) -> list[dict[str, Any]]:
    """Every register's counter moves ``gap`` numbers on; returns the skipped ranges."""
    rows = list(db.query("SELECT register, year, last_number FROM register_counters"))
    db.execute("UPDATE register_counters SET last_number = last_number + ?", (gap,))
    return rows


def reset_devices(db: Database) -> None:
    """Every active tablet must tell the restored station what it holds."""
    db.execute("DELETE FROM restore_devices")
    db.execute("DELETE FROM restore_unlocks")
    db.execute(
        "INSERT INTO restore_devices (device_id, restored_acked) "
        "SELECT id, push_acked FROM devices WHERE revoked_at IS NULL"
    )


def device(db: Database, device_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM restore_devices WHERE device_id = ?", (device_id,))


def mark_reported(db: Database, device_id: str, acked: int, at: str) -> None:
    db.execute(
        "UPDATE restore_devices SET reported_acked = ?, reported_at = ? WHERE device_id = ?",
        (acked, at, device_id),
    )


def add_unlock(db: Database, device_id: str, username: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO restore_unlocks (device_id, username) VALUES (?, ?)",
        (device_id, username),
    )


def unlocked_before_restore(db: Database, device_id: str) -> set[str]:
    rows = db.query("SELECT username FROM restore_unlocks WHERE device_id = ?", (device_id,))
    return {str(r["username"]) for r in rows}


def add_redo(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO redo (dossier_id, code, device_id, station_version, station_status, "
        "tablet_version, tablet_status, reported_at) VALUES (:dossier_id, :code, :device_id, "
        ":station_version, :station_status, :tablet_version, :tablet_status, :reported_at) "
        "ON CONFLICT(dossier_id) DO UPDATE SET tablet_version = MAX(tablet_version, "
        "excluded.tablet_version), tablet_status = CASE WHEN excluded.tablet_version >= "
        "tablet_version THEN excluded.tablet_status ELSE tablet_status END",
        row,
    )


def redo_list(db: Database) -> list[dict[str, Any]]:
    """The list with each dossier's status now (``done`` once the station caught up)."""
    return list(
        db.query(
            "SELECT r.dossier_id, r.code, r.device_id, r.station_version, r.station_status, "
            "r.tablet_version, r.tablet_status, r.reported_at, d.status AS status_now, "
            "d.version AS version_now, d.procedure, dv.slot "
            "FROM redo r LEFT JOIN dossiers d ON d.id = r.dossier_id "
            "LEFT JOIN devices dv ON dv.id = r.device_id ORDER BY r.code"
        )
    )


def clear_redo(db: Database) -> None:
    db.execute("DELETE FROM redo")
