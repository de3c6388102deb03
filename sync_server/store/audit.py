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


def for_dossier(db: Database, dossier_id: str) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM audit WHERE dossier_id = ? ORDER BY seq", (dossier_id,)))


def unlocked_by(db: Database, device_id: str) -> set[str]:
    """Usernames the station let unlock ``device_id`` (its ``device.unlock`` entries)."""
    rows = db.query(
        "SELECT DISTINCT actor FROM audit WHERE device_id = ? AND action = 'device.unlock'",
        (device_id,),
    )
    return {str(r["actor"]) for r in rows}
