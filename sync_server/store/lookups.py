"""Queries on ``lookups`` (the desk's tra cứu records, content encrypted)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def of_dossier(db: Database, dossier_id: str) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM lookups WHERE dossier_id = ? ORDER BY seq", (dossier_id,)))


def get(db: Database, lookup_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM lookups WHERE id = ?", (lookup_id,))


def next_seq(db: Database, dossier_id: str) -> int:
    row = one(db, "SELECT max(seq) AS n FROM lookups WHERE dossier_id = ?", (dossier_id,))
    return int(row["n"] or 0) + 1 if row else 1


def insert(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO lookups (id, dossier_id, seq, verification, at, data_enc) "
        "VALUES (:id, :dossier_id, :seq, :verification, :at, :data_enc)",
        row,
    )


def update(db: Database, lookup_id: str, verification: str | None, data_enc: bytes) -> None:
    db.execute(
        "UPDATE lookups SET verification = ?, data_enc = ? WHERE id = ?",
        (verification, data_enc, lookup_id),
    )
