"""Queries on photos of documents.

- ``attachments``: photos held whole, by SHA-256 (content-addressed, shared by every
  tablet), each with its checked and re-encoded picture (``photo_enc``). Photos completed
  before migration 0008 (``legacy = 1``) keep their chunks in ``attachment_chunks``.
- ``attachment_uploads`` / ``upload_chunks``: unfinished uploads, one per photo *and
  device*, their chunks encrypted under the storage key as they arrive.
- ``attachment_refs``: which dossier refers to which photo (the quota and the expiry of
  photos no dossier refers to).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def get(db: Database, sha256: str) -> dict[str, Any] | None:
    """The photo held whole under this name (None while it is not)."""
    return one(
        db, "SELECT * FROM attachments WHERE sha256 = ? AND completed_at IS NOT NULL", (sha256,)
    )


# --- unfinished uploads (per device) ------------------------------------------------------


def upload(db: Database, sha256: str, device_id: str) -> dict[str, Any] | None:
    return one(
        db,
        "SELECT * FROM attachment_uploads WHERE sha256 = ? AND device_id = ?",
        (sha256, device_id),
    )


def create_upload(db: Database, row: dict[str, Any]) -> None:
    """A new upload of this device, or its restart (another size or chunk size): its old
    chunks go. Another device's upload of the same photo is not touched."""
    db.execute("DELETE FROM upload_chunks WHERE sha256 = :sha256 AND device_id = :device_id", row)
    db.execute(
        "INSERT INTO attachment_uploads (sha256, device_id, size, mime, chunk_size, chunks, "
        "created_at) VALUES (:sha256, :device_id, :size, :mime, :chunk_size, :chunks, "
        ":created_at) ON CONFLICT(sha256, device_id) DO UPDATE SET size = excluded.size, "
        "mime = excluded.mime, chunk_size = excluded.chunk_size, chunks = excluded.chunks, "
        "chunk_puts = 0, created_at = excluded.created_at",
        row,
    )


def have(db: Database, sha256: str, device_id: str) -> list[int]:
    rows = db.execute(
        "SELECT n FROM upload_chunks WHERE sha256 = ? AND device_id = ? ORDER BY n",
        (sha256, device_id),
    ).fetchall()
    return [int(r[0]) for r in rows]


def add_chunk(db: Database, sha256: str, device_id: str, n: int, data_enc: bytes, at: str) -> None:
    """Store one chunk (a chunk already held is kept) and count the request."""
    db.execute(
        "INSERT OR IGNORE INTO upload_chunks (sha256, device_id, n, data_enc, received_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (sha256, device_id, n, data_enc, at),
    )
    db.execute(
        "UPDATE attachment_uploads SET chunk_puts = chunk_puts + 1 "
        "WHERE sha256 = ? AND device_id = ?",
        (sha256, device_id),
    )


def upload_chunks(db: Database, sha256: str, device_id: str) -> list[tuple[int, bytes]]:
    rows = db.execute(
        "SELECT n, data_enc FROM upload_chunks WHERE sha256 = ? AND device_id = ? ORDER BY n",
        (sha256, device_id),
    ).fetchall()
    return [(int(r[0]), bytes(r[1])) for r in rows]


def drop_upload(db: Database, sha256: str, device_id: str) -> None:
    db.execute("DELETE FROM upload_chunks WHERE sha256 = ? AND device_id = ?", (sha256, device_id))
    db.execute(
        "DELETE FROM attachment_uploads WHERE sha256 = ? AND device_id = ?", (sha256, device_id)
    )


# --- photos held whole ----------------------------------------------------------------------


def complete(db: Database, row: dict[str, Any]) -> None:
    """Hold the photo whole: its declared geometry, its re-encoded picture, who sent it."""
    db.execute(
        "INSERT INTO attachments (sha256, device_id, size, mime, chunk_size, chunks, "
        "chunk_puts, created_at, completed_at, photo_enc, width, height) VALUES (:sha256, "
        ":device_id, :size, :mime, :chunk_size, :chunks, :chunk_puts, :created_at, "
        ":completed_at, :photo_enc, :width, :height) ON CONFLICT(sha256) DO NOTHING",
        row,
    )


def count_put(db: Database, sha256: str) -> None:
    db.execute("UPDATE attachments SET chunk_puts = chunk_puts + 1 WHERE sha256 = ?", (sha256,))


def legacy_chunks(db: Database, sha256: str) -> list[tuple[int, bytes]]:
    """The chunks of a photo completed before migration 0008 (kept as they came)."""
    rows = db.execute(
        "SELECT n, data_enc FROM attachment_chunks WHERE sha256 = ? ORDER BY n", (sha256,)
    ).fetchall()
    return [(int(r[0]), bytes(r[1])) for r in rows]


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


# --- references, quota and expiry ---------------------------------------------------------


def add_refs(db: Database, dossier_id: str, hashes: list[str]) -> None:
    for h in hashes:
        db.execute(
            "INSERT OR IGNORE INTO attachment_refs (sha256, dossier_id) VALUES (?, ?)",
            (h, dossier_id),
        )


def unreferenced_of(db: Database, device_id: str) -> tuple[int, int]:
    """(photos, bytes) this device sent or is sending that no dossier refers to: its
    unfinished uploads and the photos it completed (since migration 0008) unreferenced."""
    row = db.execute(
        "SELECT count(*), coalesce(sum(size), 0) FROM ("
        " SELECT u.sha256, u.size FROM attachment_uploads u WHERE u.device_id = :d"
        " AND NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = u.sha256)"
        " UNION ALL"
        " SELECT a.sha256, a.size FROM attachments a WHERE a.device_id = :d AND a.legacy = 0"
        " AND NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = a.sha256))",
        {"d": device_id},
    ).fetchone()
    return int(row[0]), int(row[1])


def expire(db: Database, before: str) -> tuple[int, int]:
    """Drop uploads begun before ``before`` that never finished, and photos completed
    before it that no dossier refers to (legacy photos excepted); returns the counts."""
    stale = db.execute(
        "SELECT count(*) FROM attachment_uploads WHERE created_at < ?", (before,)
    ).fetchone()[0]
    db.execute(
        "DELETE FROM upload_chunks WHERE (sha256, device_id) IN "
        "(SELECT sha256, device_id FROM attachment_uploads WHERE created_at < ?)",
        (before,),
    )
    db.execute("DELETE FROM attachment_uploads WHERE created_at < ?", (before,))
    orphans = db.execute(
        "DELETE FROM attachments WHERE legacy = 0 AND completed_at < ? AND NOT EXISTS "
        "(SELECT 1 FROM attachment_refs r WHERE r.sha256 = attachments.sha256)",
        (before,),
    ).rowcount
    return int(stale), int(orphans)
