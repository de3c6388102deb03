"""Queries on ``attachments`` (photos of documents, by SHA-256) and ``attachment_chunks``
(their chunks, each encrypted under the storage key)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def get(db: Database, sha256: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM attachments WHERE sha256 = ?", (sha256,))


def create(db: Database, row: dict[str, Any]) -> None:
    """A new upload, or a restarted one (another size or chunk size): old chunks go."""
    db.execute("DELETE FROM attachment_chunks WHERE sha256 = ?", (row["sha256"],))
    db.execute(
        "INSERT INTO attachments (sha256, device_id, size, mime, chunk_size, chunks, "
        "created_at) VALUES (:sha256, :device_id, :size, :mime, :chunk_size, :chunks, "
        ":created_at) ON CONFLICT(sha256) DO UPDATE SET device_id = excluded.device_id, "
        "size = excluded.size, mime = excluded.mime, chunk_size = excluded.chunk_size, "
        "chunks = excluded.chunks, created_at = excluded.created_at, completed_at = NULL",
        row,
    )


def have(db: Database, sha256: str) -> list[int]:
    rows = db.execute(
        "SELECT n FROM attachment_chunks WHERE sha256 = ? ORDER BY n", (sha256,)
    ).fetchall()
    return [int(r[0]) for r in rows]


def add_chunk(db: Database, sha256: str, n: int, data_enc: bytes, at: str) -> None:
    """Store one chunk (a chunk already held is kept) and count the request."""
    db.execute(
        "INSERT OR IGNORE INTO attachment_chunks (sha256, n, data_enc, received_at) "
        "VALUES (?, ?, ?, ?)",
        (sha256, n, data_enc, at),
    )
    db.execute("UPDATE attachments SET chunk_puts = chunk_puts + 1 WHERE sha256 = ?", (sha256,))


def count_put(db: Database, sha256: str) -> None:
    db.execute("UPDATE attachments SET chunk_puts = chunk_puts + 1 WHERE sha256 = ?", (sha256,))


def chunks(db: Database, sha256: str) -> list[tuple[int, bytes]]:
    rows = db.execute(
        "SELECT n, data_enc FROM attachment_chunks WHERE sha256 = ? ORDER BY n", (sha256,)
    ).fetchall()
    return [(int(r[0]), bytes(r[1])) for r in rows]


def complete(db: Database, sha256: str, at: str) -> None:
    db.execute("UPDATE attachments SET completed_at = ? WHERE sha256 = ?", (at, sha256))


def drop_chunks(db: Database, sha256: str) -> None:
    db.execute("DELETE FROM attachment_chunks WHERE sha256 = ?", (sha256,))


def completed(db: Database, hashes: list[str]) -> set[str]:
    """Which of these photos the station holds whole."""
    if not hashes:
        return set()
    marks = ",".join("?" * len(hashes))
    rows = db.execute(
        f"SELECT sha256 FROM attachments WHERE completed_at IS NOT NULL AND sha256 IN ({marks})",
        hashes,
    ).fetchall()
    return {str(r[0]) for r in rows}
