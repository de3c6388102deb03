"""Queries on ``dossiers`` (payload encrypted; only routing columns in clear)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def get(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM dossiers WHERE id = ?", (dossier_id,))


def get_by_code(db: Database, code: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM dossiers WHERE code = ?", (code,))


def count(db: Database) -> int:
    """How many dossiers the station holds (what a benchmark or a restore check counts)."""
    row = one(db, "SELECT count(*) AS n FROM dossiers", ())
    return int(row["n"]) if row else 0


def list_by_status(db: Database, status: str | None) -> list[dict[str, Any]]:
    if status is None:
        return list(db.query("SELECT * FROM dossiers ORDER BY received_at, code"))
    return list(
        db.query("SELECT * FROM dossiers WHERE status = ? ORDER BY received_at, code", (status,))
    )


def upsert(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO dossiers (id, code, procedure, status, version, device_id, received_by, "
        "received_at, due_at, updated_at, payload_enc, result_sha256) VALUES (:id, :code, "
        ":procedure, :status, :version, :device_id, :received_by, :received_at, :due_at, "
        ":updated_at, :payload_enc, :result_sha256) "
        "ON CONFLICT(id) DO UPDATE SET code = excluded.code, procedure = excluded.procedure, "
        "status = excluded.status, version = excluded.version, received_by = "
        "excluded.received_by, received_at = excluded.received_at, due_at = excluded.due_at, "
        "updated_at = excluded.updated_at, payload_enc = excluded.payload_enc, "
        "result_sha256 = excluded.result_sha256",
        row,
    )


def insert_conflict(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO conflicts (dossier_id, device_id, push_seq, base_version, server_version, "
        "version, payload_enc, created_at) VALUES (:dossier_id, :device_id, :push_seq, "
        ":base_version, :server_version, :version, :payload_enc, :created_at)",
        row,
    )


def conflicts_of(db: Database, dossier_id: str) -> list[dict[str, Any]]:
    """The edits kept as conflicts for one dossier, oldest first, with the tablet's name."""
    return list(
        db.query(
            "SELECT c.id, c.device_id, COALESCE(d.name, '') AS device_name, c.push_seq, "
            "c.base_version, c.server_version, c.version, c.payload_enc, c.created_at, "
            "c.resolved_at FROM conflicts c LEFT JOIN devices d ON d.id = c.device_id "
            "WHERE c.dossier_id = ? ORDER BY c.id",
            [dossier_id],
        )
    )
