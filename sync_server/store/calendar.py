"""Queries on ``calendar_overrides`` and ``apologies`` (the office's own records)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def list_overrides(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query("SELECT day, kind, note, set_by, set_at FROM calendar_overrides ORDER BY day")
    )


def set_override(db: Database, day: str, kind: str, note: str | None, by: str, at: str) -> None:
    db.execute(
        "INSERT INTO calendar_overrides (day, kind, note, set_by, set_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, note = excluded.note, "
        "set_by = excluded.set_by, set_at = excluded.set_at",
        (day, kind, note, by, at),
    )


def clear_override(db: Database, day: str) -> int:
    cur = db.execute("DELETE FROM calendar_overrides WHERE day = ?", (day,))
    return int(cur.rowcount)


def active_device_ids(db: Database) -> list[str]:
    return [str(r["id"]) for r in db.query("SELECT id FROM devices WHERE revoked_at IS NULL")]


def insert_apology(db: Database, row: dict[str, Any]) -> int:
    cur = db.execute(
        "INSERT INTO apologies (dossier_id, version, previous_due_at, new_due_at, reason_enc, "
        "actor, at) VALUES (:dossier_id, :version, :previous_due_at, :new_due_at, :reason_enc, "
        ":actor, :at)",
        row,
    )
    return int(cur.lastrowid or 0)


def latest_apology(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(
        db, "SELECT * FROM apologies WHERE dossier_id = ? ORDER BY id DESC LIMIT 1", (dossier_id,)
    )
