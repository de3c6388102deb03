"""Queries on ``audit`` (the hash-chained log; rows are only ever appended)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one

GENESIS = "0" * 64


def last(db: Database) -> dict[str, Any] | None:
    return one(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")


def insert(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO audit (seq, dossier_id, device_id, action, from_status, to_status, actor, "
        "role, at, reason_enc, prev_hash, hash) VALUES (:seq, :dossier_id, :device_id, :action, "
        ":from_status, :to_status, :actor, :role, :at, :reason_enc, :prev_hash, :hash)",
        row,
    )


def iterate(db: Database) -> Iterator[dict[str, Any]]:
    yield from db.query("SELECT * FROM audit ORDER BY seq")


ANCHOR_KEY_PREFIX = "audit_anchor/"


def hash_at(db: Database, seq: int) -> str | None:
    row = one(db, "SELECT hash FROM audit WHERE seq = ?", (seq,))
    return None if row is None else str(row["hash"])


def insert_anchor(db: Database, rows: int, value: str) -> None:
    """Anchors live in ``meta`` under ``audit_anchor/<rows>`` (no schema change needed)."""
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{ANCHOR_KEY_PREFIX}{rows:012d}", value),
    )


def last_anchor(db: Database) -> str | None:
    """The newest anchor, by the primary key's order (``anchors`` reads them all, and its
    ``LIKE`` cannot use the index: the audit append asked it for every entry)."""
    row = one(
        db,
        "SELECT value FROM meta WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT 1",
        (ANCHOR_KEY_PREFIX, ANCHOR_KEY_PREFIX[:-1] + chr(ord(ANCHOR_KEY_PREFIX[-1]) + 1)),
    )
    return None if row is None else str(row["value"])


def anchors(db: Database) -> list[str]:
    return [
        str(r["value"])
        for r in db.query(
            "SELECT value FROM meta WHERE key LIKE ? ORDER BY key", (f"{ANCHOR_KEY_PREFIX}%",)
        )
    ]


def dossier_statuses(db: Database) -> list[dict[str, Any]]:
    """Each dossier's current status beside the last status its audit entries reached."""
    return list(
        db.query(
            "SELECT d.id, d.code, d.status, "
            "(SELECT a.to_status FROM audit a WHERE a.dossier_id = d.id "
            " AND a.to_status IS NOT NULL ORDER BY a.seq DESC LIMIT 1) AS audited "
            "FROM dossiers d ORDER BY d.code"
        )
    )


def unlocked_by(db: Database, device_id: str) -> set[str]:
    """Usernames the station let unlock ``device_id`` (its ``device.unlock`` entries)."""
    rows = db.query(
        "SELECT DISTINCT actor FROM audit WHERE device_id = ? AND action = 'device.unlock'",
        (device_id,),
    )
    return {str(r["actor"]) for r in rows}
