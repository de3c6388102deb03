"""The station's SQLite database: connection, transactions and named migrations.

Why raw SQL under an explicit ``BEGIN IMMEDIATE``: sqlite-utils' write helpers commit on
their own, which would break the "one batch, one transaction" rule of push and of every
workflow action. So sqlite-utils gives us the connection wrapper, ``query`` for reads and
table introspection; writes go through ``transaction`` (from ``storekit``, shared with the
tablet) with plain SQL in the per-table query modules of this package (the only place SQL
lives). Migrations run on sqlite-utils' ``Migrations`` through ``storekit.migrate``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

import storekit
from storekit import Migrations, transaction

__all__ = ["connect", "get_meta", "migrate", "one", "set_meta", "transaction", "utc_now"]

_BUSY_TIMEOUT_MS = 10_000


def connect(path: Path) -> Database:
    """One connection (per request / per CLI command): WAL, foreign keys, autocommit mode.

    ``isolation_level=None`` hands transaction control to :func:`transaction`;
    ``check_same_thread=False`` because FastAPI may resolve a dependency and run the
    endpoint on different worker threads (the connection is still used by one at a time).
    """
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=_BUSY_TIMEOUT_MS / 1000
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    return Database(conn)


def one(
    db: Database, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
) -> dict[str, Any] | None:
    """First row of a query as a dict, or None."""
    for row in db.query(sql, params):
        return row
    return None


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- migrations -------------------------------------------------------------------------

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE staff (
    username TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    title TEXT,
    pin_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failed_count INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES staff(username),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slot INTEGER NOT NULL UNIQUE CHECK (slot BETWEEN 1 AND 99),
    x_pub TEXT NOT NULL,
    ed_pub TEXT NOT NULL,
    escrow TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    push_acked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE enroll_codes (
    code_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    device_id TEXT REFERENCES devices(id)
);
CREATE TABLE dossiers (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    procedure TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    received_by TEXT NOT NULL,
    received_at TEXT,
    due_at TEXT,
    updated_at TEXT NOT NULL,
    payload_enc BLOB NOT NULL,
    result_sha256 TEXT
);
CREATE INDEX dossiers_status ON dossiers(status);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    dossier_id TEXT,
    device_id TEXT,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    actor TEXT NOT NULL,
    role TEXT,
    at TEXT NOT NULL,
    reason_enc BLOB,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE push_log (
    device_id TEXT NOT NULL REFERENCES devices(id),
    seq INTEGER NOT NULL,
    env_hash TEXT NOT NULL,
    record_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    problem_json TEXT,
    envelope TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    push_seq INTEGER NOT NULL,
    base_version INTEGER NOT NULL,
    server_version INTEGER NOT NULL,
    version INTEGER NOT NULL,
    payload_enc BLOB NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE TABLE feed (
    seq INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id),
    dossier_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    payload_enc BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX feed_device ON feed(device_id, seq);
CREATE TABLE results (
    dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
    version INTEGER NOT NULL,
    pdf_enc BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    register_year INTEGER NOT NULL,
    register_number INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (register_year, register_number)
);
"""


# The office's own records: local calendar overrides (days off / make-up working days)
# and apologies for late results (Phiếu xin lỗi và hẹn lại ngày trả kết quả).
_OFFICE = """
CREATE TABLE calendar_overrides (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
    note TEXT,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
CREATE TABLE apologies (
    id INTEGER PRIMARY KEY,
    dossier_id TEXT NOT NULL REFERENCES dossiers(id),
    version INTEGER NOT NULL,
    previous_due_at TEXT,
    new_due_at TEXT NOT NULL,
    reason_enc BLOB NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX apologies_dossier ON apologies(dossier_id, id);
"""

# The citizen's satisfaction at the return counter (one per dossier; comment encrypted).
_RETURN_RATING = """
CREATE TABLE ratings (
    dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
    rating TEXT NOT NULL,
    comment_enc BLOB,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
"""

# Append only: a migration, once shipped, is never edited or reordered.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", _V1),
    ("0002_office_calendar_apologies", _OFFICE),
    ("0003_return_rating", _RETURN_RATING),
]


def _script(sql: str) -> Callable[[Database], None]:
    # Statement by statement: sqlite3's executescript would commit the runner's transaction.
    def run(db: Database) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                db.execute(statement)

    return run


def migrate(db: Database) -> list[str]:
    """Apply the migrations not yet recorded; returns their names (storekit.migrate)."""
    migrations = Migrations("station")
    for name, sql in MIGRATIONS:
        migrations(name=name)(_script(sql))
    return storekit.migrate(db, migrations)


def get_meta(db: Database, key: str) -> str | None:
    row = one(db, "SELECT value FROM meta WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


def set_meta(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
