"""Queries on ``push_log`` (what each device pushed) and ``feed`` (what it will pull)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def push_entry(db: Database, device_id: str, seq: int) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM push_log WHERE device_id = ? AND seq = ?", (device_id, seq))


def pushes_of(
    db: Database, device_ids: list[str], record_id: str, version: int
) -> list[dict[str, Any]]:
    """Applied pushes of this dossier version by any of these devices (their envelopes)."""
    marks = ",".join("?" * len(device_ids))
    return list(
        db.query(
            f"SELECT device_id, envelope FROM push_log WHERE device_id IN ({marks}) "
            "AND record_id = ? AND outcome = 'applied' AND json_extract(envelope, "
            "'$.ctx.version') = ?",
            (*device_ids, record_id, version),
        )
    )


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


def held_rows(db: Database, device_id: str, through: int) -> list[tuple[int, str, bool]]:
    """(seq, envelope hash, lost) of this device's pushed changes up to ``through``, in
    order; ``lost``: an applied change whose dossier the station no longer holds."""
    rows = db.execute(
        "SELECT p.seq, p.env_hash, (p.outcome = 'applied' AND NOT EXISTS "
        "(SELECT 1 FROM dossiers d WHERE d.id = p.record_id)) "
        "FROM push_log p WHERE p.device_id = ? AND p.seq <= ? ORDER BY p.seq",
        (device_id, through),
    ).fetchall()
    return [(int(r[0]), str(r[1]), bool(r[2])) for r in rows]


def log_gaps(db: Database) -> list[tuple[str, int]]:
    """(device, seq) of the first change missing from each device's push log below what
    the station acknowledged, or whose applied dossier is gone (the audit's replay)."""
    out: list[tuple[str, int]] = []
    for device_id, acked in db.execute("SELECT id, push_acked FROM devices").fetchall():
        seqs = [
            (int(r[0]), bool(r[1]))
            for r in db.execute(
                "SELECT p.seq, (p.outcome = 'applied' AND NOT EXISTS "
                "(SELECT 1 FROM dossiers d WHERE d.id = p.record_id)) "
                "FROM push_log p WHERE p.device_id = ? ORDER BY p.seq",
                (device_id,),
            ).fetchall()
        ]
        expected = 1
        for seq, lost in seqs:
            if seq != expected or lost:
                out.append((str(device_id), min(seq, expected)))
                break
            expected += 1
        else:
            if expected <= int(acked):
                out.append((str(device_id), expected))
    return out
