"""SQL of the tablet's photos of documents (attachments) and their upload queue.

Three tables, made by ``migrate_attachments`` (named migration ``005_attachments``):

* ``attachments``: one row per stored picture, named by the SHA-256 of its bytes; the
  picture itself is an AES-GCM blob under the data key (``keystore.seal_blob``);
* ``attachment_uploads``: a picture a received dossier refers to, waiting to reach the
  station: its declaration, sealed to the station when queued (so sync works locked),
  how many chunk requests were sent, and when the station confirmed the whole;
* ``attachment_chunks``: the picture's chunks, each sealed to the station (HPKE envelope,
  like the outbox), deleted once the station has the whole picture.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

MIGRATION_NAME = "005_attachments"


def migrate_attachments(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS attachments ("
        " sha256 TEXT PRIMARY KEY, mime TEXT NOT NULL, size INTEGER NOT NULL,"
        " width INTEGER NOT NULL, height INTEGER NOT NULL, taken_at TEXT NOT NULL,"
        " blob BLOB NOT NULL, created_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS attachment_uploads ("
        " sha256 TEXT PRIMARY KEY REFERENCES attachments(sha256),"
        " chunk_size INTEGER NOT NULL, chunks INTEGER NOT NULL, declare TEXT NOT NULL,"
        " queued_at TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0,"
        " uploaded_at TEXT, error TEXT)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS attachment_chunks ("
        " sha256 TEXT NOT NULL, n INTEGER NOT NULL, envelope TEXT NOT NULL,"
        " PRIMARY KEY (sha256, n))"
    )


TABLES = ("attachment_chunks", "attachment_uploads", "attachments")


def get(db: sqlite_utils.Database, sha256: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM attachments WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def insert(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """Add a picture; an existing one (same hash, so same bytes) is kept as it is."""
    db.execute(
        "INSERT OR IGNORE INTO attachments (sha256, mime, size, width, height, taken_at, blob,"
        " created_at) VALUES (:sha256, :mime, :size, :width, :height, :taken_at, :blob,"
        " :created_at)",
        row,
    )


def upload(db: sqlite_utils.Database, sha256: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM attachment_uploads WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def queue_upload(
    db: sqlite_utils.Database,
    sha256: str,
    chunk_size: int,
    declare: str,
    chunks: list[str],
    queued_at: str,
) -> None:
    """Queue one picture with its sealed declaration and chunks (caller's transaction)."""
    db.execute(
        "INSERT INTO attachment_uploads (sha256, chunk_size, chunks, declare, queued_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [sha256, chunk_size, len(chunks), declare, queued_at],
    )
    db.conn.executemany(
        "INSERT INTO attachment_chunks (sha256, n, envelope) VALUES (?, ?, ?)",
        [(sha256, n, env) for n, env in enumerate(chunks)],
    )


def pending_uploads(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Pictures still to send, oldest first (a refused one waits aside with its error)."""
    return list(
        db.query(
            "SELECT * FROM attachment_uploads WHERE uploaded_at IS NULL AND error IS NULL"
            " ORDER BY queued_at, sha256"
        )
    )


def pending_count(db: sqlite_utils.Database) -> int:
    row = db.execute(
        "SELECT count(*) FROM attachment_uploads WHERE uploaded_at IS NULL AND error IS NULL"
    ).fetchone()
    return int(row[0])


def chunk(db: sqlite_utils.Database, sha256: str, n: int) -> str | None:
    row = db.execute(
        "SELECT envelope FROM attachment_chunks WHERE sha256 = ? AND n = ?", [sha256, n]
    ).fetchone()
    return None if row is None else str(row[0])


def count_sent(db: sqlite_utils.Database, sha256: str) -> None:
    db.execute("UPDATE attachment_uploads SET sent = sent + 1 WHERE sha256 = ?", [sha256])


def mark_uploaded(db: sqlite_utils.Database, sha256: str, at: str) -> None:
    """The station has the whole picture: forget the sealed chunks (caller's transaction)."""
    db.execute(
        "UPDATE attachment_uploads SET uploaded_at = ?, error = NULL WHERE sha256 = ?",
        [at, sha256],
    )
    db.execute("DELETE FROM attachment_chunks WHERE sha256 = ?", [sha256])


def drop_unsent(db: sqlite_utils.Database) -> None:
    """Forget the sealed uploads not yet complete (sealed for a device this tablet no
    longer is, after a re-enrolment); the pictures themselves stay."""
    db.execute(
        "DELETE FROM attachment_chunks WHERE sha256 IN "
        "(SELECT sha256 FROM attachment_uploads WHERE uploaded_at IS NULL)"
    )
    db.execute("DELETE FROM attachment_uploads WHERE uploaded_at IS NULL")


def forget_uploaded(db: sqlite_utils.Database, sha256: str) -> None:
    """The station lost a picture it had (restored from a backup): it may be queued again."""
    db.execute(
        "DELETE FROM attachment_uploads WHERE sha256 = ? AND uploaded_at IS NOT NULL", [sha256]
    )


def set_error(db: sqlite_utils.Database, sha256: str, code: str) -> None:
    db.execute("UPDATE attachment_uploads SET error = ? WHERE sha256 = ?", [code, sha256])
