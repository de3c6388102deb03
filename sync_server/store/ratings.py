"""Queries on ``ratings`` (the citizen's satisfaction recorded at the return counter)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def get(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM ratings WHERE dossier_id = ?", (dossier_id,))


def insert(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO ratings (dossier_id, rating, comment_enc, recorded_by, recorded_at) "
        "VALUES (:dossier_id, :rating, :comment_enc, :recorded_by, :recorded_at)",
        row,
    )


def counts(db: Database) -> dict[str, int]:
    """How many returns got each rating (for the desk's admin overview and reports)."""
    return {
        str(r["rating"]): int(r["n"])
        for r in db.query("SELECT rating, COUNT(*) AS n FROM ratings GROUP BY rating")
    }
