"""Queries on ``devices`` and ``enroll_codes``."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def get(db: Database, device_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM devices WHERE id = ?", (device_id,))


def list_all(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT id, name, slot, enrolled_at, revoked_at, push_acked FROM devices ORDER BY slot"
        )
    )


def used_slots(db: Database) -> set[int]:
    return {int(r["slot"]) for r in db.query("SELECT slot FROM devices")}


def insert(
    db: Database,
    *,
    device_id: str,
    name: str,
    slot: int,
    x_pub: str,
    ed_pub: str,
    escrow: str,
    enrolled_at: str,
    replaces: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO devices (id, name, slot, x_pub, ed_pub, escrow, enrolled_at, replaces) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (device_id, name, slot, x_pub, ed_pub, escrow, enrolled_at, replaces),
    )


def revoke(db: Database, device_id: str, at: str) -> None:
    db.execute(
        "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (at, device_id)
    )


def set_push_acked(db: Database, device_id: str, acked: int) -> None:
    db.execute("UPDATE devices SET push_acked = ? WHERE id = ?", (acked, device_id))


def insert_code(db: Database, code_hash: str, created_at: str, expires_at: str) -> None:
    db.execute(
        "INSERT INTO enroll_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)",
        (code_hash, created_at, expires_at),
    )


def usable_code(db: Database, code_hash: str, now: str) -> dict[str, Any] | None:
    return one(
        db,
        "SELECT * FROM enroll_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
        (code_hash, now),
    )


def use_code(db: Database, code_hash: str, device_id: str, at: str) -> None:
    db.execute(
        "UPDATE enroll_codes SET used_at = ?, device_id = ? WHERE code_hash = ?",
        (at, device_id, code_hash),
    )


def last_push_at(db: Database) -> dict[str, str]:
    """When each tablet last pushed anything (its last contact the station keeps a trace of)."""
    return {
        str(r["device_id"]): str(r["at"])
        for r in db.query("SELECT device_id, MAX(at) AS at FROM push_log GROUP BY device_id")
    }


def loose_ends(db: Database) -> dict[str, dict[str, int]]:
    """Per tablet, what the station knows is not settled with it (the desk's revoke view).

    ``not_landed``: dossiers the tablet pushed that did not land — refused as invalid with
    no stored version since, or an edit kept as an unresolved conflict; ``supplement``:
    dossiers received on it that wait for a supplement (the citizen comes back to that
    tablet's officer). What the tablet received after its last push the station cannot know.
    """
    out: dict[str, dict[str, int]] = {}
    rows = db.query(
        "SELECT device_id, COUNT(DISTINCT record_id) AS n FROM push_log p "
        "WHERE outcome = 'rejected' AND NOT EXISTS (SELECT 1 FROM dossiers d "
        "WHERE d.id = p.record_id) GROUP BY device_id"
    )
    for r in rows:
        out.setdefault(str(r["device_id"]), {})["not_landed"] = int(r["n"])
    for r in db.query(
        "SELECT device_id, COUNT(DISTINCT dossier_id) AS n FROM conflicts "
        "WHERE resolved_at IS NULL GROUP BY device_id"
    ):
        slot = out.setdefault(str(r["device_id"]), {})
        slot["not_landed"] = slot.get("not_landed", 0) + int(r["n"])
    for r in db.query(
        "SELECT device_id, COUNT(*) AS n FROM dossiers "
        "WHERE status = 'supplement_requested' GROUP BY device_id"
    ):
        out.setdefault(str(r["device_id"]), {})["supplement"] = int(r["n"])
    return out
