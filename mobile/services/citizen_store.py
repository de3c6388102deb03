"""SQL of the tablet's citizen book: encrypted records and their blind-index tokens.

Two tables: ``citizens`` (id, AES-GCM blob under the data key, version) and
``citizen_tokens`` (token, citizen id), indexed by token so a search touches only the
rows of the citizens it finds. Created by ``migrate_citizens`` (named migration
``003_citizens`` of the tablet database).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

MIGRATION_NAME = "003_citizens"


def migrate_citizens(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS citizens ("
        " id TEXT PRIMARY KEY, version INTEGER NOT NULL, blob BLOB NOT NULL,"
        " updated_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS citizen_tokens ("
        " token BLOB NOT NULL, citizen_id TEXT NOT NULL REFERENCES citizens(id),"
        " PRIMARY KEY (token, citizen_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX IF NOT EXISTS citizen_tokens_id ON citizen_tokens(citizen_id)")


def get_version(db: sqlite_utils.Database, citizen_id: str) -> int | None:
    row = db.execute("SELECT version FROM citizens WHERE id = ?", [citizen_id]).fetchone()
    return None if row is None else int(row[0])


def put_citizen(
    db: sqlite_utils.Database,
    citizen_id: str,
    version: int,
    blob: bytes,
    tokens: Iterable[bytes],
    updated_at: str,
) -> None:
    """Replace one citizen's record and tokens (call inside a transaction)."""
    db.execute("DELETE FROM citizen_tokens WHERE citizen_id = ?", [citizen_id])
    db.execute(
        "INSERT INTO citizens (id, version, blob, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET version = excluded.version, blob = excluded.blob, "
        "updated_at = excluded.updated_at",
        [citizen_id, version, blob, updated_at],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO citizen_tokens (token, citizen_id) VALUES (?, ?)",
        [(t, citizen_id) for t in tokens],
    )


def find_ids(db: sqlite_utils.Database, tokens: list[bytes], limit: int) -> list[str]:
    """Citizens holding every token (an AND of prefix/number matches)."""
    if not tokens:
        return []
    sql = " INTERSECT ".join(
        ["SELECT citizen_id FROM citizen_tokens WHERE token = ?"] * len(tokens)
    )
    rows = db.execute(f"{sql} LIMIT ?", [*tokens, limit]).fetchall()
    return [str(r[0]) for r in rows]


def get_blobs(db: sqlite_utils.Database, ids: list[str]) -> list[tuple[str, int, bytes]]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT id, version, blob FROM citizens WHERE id IN ({marks})", ids)
    return [(str(r[0]), int(r[1]), bytes(r[2])) for r in rows.fetchall()]


def count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM citizens").fetchone()[0])
