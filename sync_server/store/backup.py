"""Queries of the backup: the consistent snapshot (``VACUUM INTO``), what the manifest
counts, and the backup status the desk shows (kept in ``meta``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from sync_server.store.db import get_meta, one, set_meta, transaction

STATUS_KEY = "backup/status"  # the last backup made or tried: where, when, size, error
SCHEDULE_KEY = "backup/schedule"  # the running station's schedule: dir, keep, hour


def snapshot(db: Database, dest: Path) -> None:
    """A consistent copy of the live database while it serves (WAL readers and writers go
    on): ``VACUUM INTO`` reads one snapshot in one read transaction and writes a compact
    database file; a live WAL database is never copied file by file."""
    db.execute("VACUUM INTO ?", [str(dest)])


def open_readonly(path: Path) -> Database:
    """A snapshot opened to read its facts without changing a byte of it."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    return Database(conn)


def counts(db: Database) -> dict[str, int]:
    """What the manifest counts (checked again after a restore)."""
    row = one(
        db,
        "SELECT (SELECT COUNT(*) FROM dossiers) AS dossiers, "
        "(SELECT COUNT(*) FROM devices) AS devices, "
        "(SELECT COUNT(*) FROM staff) AS staff, "
        "(SELECT COUNT(*) FROM results) AS results, "
        "(SELECT COUNT(*) FROM attachments WHERE completed_at IS NOT NULL) AS attachments, "
        "(SELECT COUNT(*) FROM push_log) AS pushes, "
        "(SELECT COUNT(*) FROM audit) AS audit",
    )
    return {k: int(v) for k, v in (row or {}).items()}


def feed_max(db: Database) -> int:
    row = one(db, "SELECT COALESCE(MAX(seq), 0) AS n FROM feed")
    return int(row["n"]) if row else 0


def integrity_ok(db: Database) -> bool:
    row = one(db, "PRAGMA quick_check")
    return row is not None and next(iter(row.values())) == "ok"


def get_json(db: Database, key: str) -> dict[str, Any] | None:
    raw = get_meta(db, key)
    return None if raw is None else dict(json.loads(raw))


def put_json(db: Database, key: str, value: dict[str, Any]) -> None:
    with transaction(db):
        set_meta(db, key, json.dumps(value, ensure_ascii=False, sort_keys=True))
