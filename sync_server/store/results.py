"""Queries on ``results`` (the stamped result documents, encrypted)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def get(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM results WHERE dossier_id = ?", (dossier_id,))


def next_register_number(db: Database, year: int) -> int:
    row = one(
        db,
        "SELECT COALESCE(MAX(register_number), 0) + 1 AS n FROM results WHERE register_year = ?",
        (year,),
    )
    return int(row["n"]) if row else 1


def insert(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO results (dossier_id, version, pdf_enc, sha256, register_year, "
        "register_number, created_at) VALUES (:dossier_id, :version, :pdf_enc, :sha256, "
        ":register_year, :register_number, :created_at)",
        row,
    )
