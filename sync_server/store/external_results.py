"""Queries on ``external_results``: what was recorded at "stamp" for a result produced
outside Tại Chỗ (the attached PDF's checked signatures, or a paper result's number and
date), encrypted."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def put(db: Database, dossier_id: str, kind: str, data_enc: bytes, at: str) -> None:
    db.execute(
        "INSERT INTO external_results (dossier_id, kind, data_enc, recorded_at) "
        "VALUES (?, ?, ?, ?)",
        (dossier_id, kind, data_enc, at),
    )


def get(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM external_results WHERE dossier_id = ?", (dossier_id,))
