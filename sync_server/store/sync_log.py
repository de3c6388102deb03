"""Queries on ``push_log`` (what each device pushed) and ``feed`` (what it will pull)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def push_entry(db: Database, device_id: str, seq: int) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM push_log WHERE device_id = ? AND seq = ?", (device_id, seq))


def insert_push(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO push_log (device_id, seq, env_hash, record_id, outcome, problem_json, "
        "envelope, at) VALUES (:device_id, :seq, :env_hash, :record_id, :outcome, "
        ":problem_json, :envelope, :at)",
        row,
    )


def next_feed_seq(db: Database) -> int:
    """Above every item written, and above the floor a restore set (tablets have seen
    items the restored station lost: their cursors must never meet a reused sequence)."""
    row = one(
        db,
        "SELECT MAX(COALESCE((SELECT MAX(seq) FROM feed), 0), COALESCE((SELECT CAST(value "
        "AS INTEGER) FROM meta WHERE key = 'feed_seq_floor'), 0)) + 1 AS n",
    )
    return int(row["n"]) if row else 1


def insert_feed(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO feed (seq, device_id, dossier_id, version, payload_enc, created_at) "
        "VALUES (:seq, :device_id, :dossier_id, :version, :payload_enc, :created_at)",
        row,
    )


def feed_after(db: Database, device_id: str, after: int, limit: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT * FROM feed WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            (device_id, after, limit),
        )
    )
