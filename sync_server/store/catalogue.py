"""Queries on ``procedure_versions``: every procedure definition the station has served."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def all_versions(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT code, version, document, sha256 FROM procedure_versions ORDER BY code, version"
        )
    )


def put(db: Database, code: str, version: int, document: str, sha256: str, at: str) -> None:
    db.execute(
        "INSERT INTO procedure_versions (code, version, document, sha256, added_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(code, version) DO UPDATE SET "
        "document = excluded.document, sha256 = excluded.sha256, added_at = excluded.added_at",
        (code, version, document, sha256, at),
    )
