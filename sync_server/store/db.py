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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

import storekit
from storekit import Migrations, transaction
from sync_server.store import report_functions

__all__ = [
    "Pool",
    "connect",
    "get_meta",
    "migrate",
    "one",
    "set_meta",
    "transaction",
    "utc_now",
]

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
    report_functions.register(conn)  # called by the report triggers (migration 0005)
    return Database(conn)


class Pool:
    """Connections kept open between the station's HTTP requests, at most ``keep`` idle.

    Why: a connection per request is simple but costly under WAL. Closing the *last*
    connection to the database checkpoints it and deletes the WAL file, and opening one runs
    its PRAGMAs: measured here, 15.0 ms a small write request closing its connection
    against 6.8 ms with another one held open, and about 12 % of the station's push time in
    the sync benchmark's profile. Each connection is still used by one request at a time
    (``connect``'s ``check_same_thread=False`` allows the hand-over between the threads
    FastAPI runs a dependency and its endpoint on). A connection comes back only outside a
    transaction: one an exception left open is rolled back first, or closed if that fails.
    """

    def __init__(self, path: Path, keep: int = 8) -> None:
        self._path = path
        self._keep = keep
        self._idle: list[Database] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def session(self) -> Iterator[Database]:
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = connect(self._path)
        try:
            yield db
        finally:
            self._give_back(db)

    def _give_back(self, db: Database) -> None:
        conn = db.conn
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            conn.close()
            return
        with self._lock:
            if not self._closed and len(self._idle) < self._keep:
                self._idle.append(db)
                return
        conn.close()

    def close(self) -> None:
        """Close the idle connections (the station's shutdown); later sessions close theirs."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for db in idle:
            db.conn.close()


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

# Reports (issue 12): what the figures need, as clear indexed columns so a year of
# dossiers is counted without decrypting a payload. ``outcome``/``resolved_at``/
# ``returned_at`` are kept by a trigger on the audit log (the one place every transition
# is written), backfilled here from the rows already there.
_REPORTS_V1 = """
ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'counter';
ALTER TABLE dossiers ADD COLUMN outcome TEXT;
ALTER TABLE dossiers ADD COLUMN resolved_at TEXT;
ALTER TABLE dossiers ADD COLUMN returned_at TEXT;
CREATE INDEX dossiers_report ON dossiers(received_at, resolved_at, procedure, channel,
    due_at, outcome, returned_at, code, id);
CREATE INDEX dossiers_resolved_returned ON dossiers(resolved_at, returned_at);
CREATE INDEX audit_action_at ON audit(action, at);
CREATE INDEX audit_dossier ON audit(dossier_id, seq);
CREATE TABLE ratings (
    dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
    level TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'unsatisfied')),
    comment_enc BLOB,
    at TEXT NOT NULL,
    actor TEXT NOT NULL
);
CREATE INDEX ratings_at ON ratings(at);
CREATE INDEX apologies_at ON apologies(at);
CREATE TRIGGER audit_report_columns AFTER INSERT ON audit
WHEN NEW.dossier_id IS NOT NULL
    AND NEW.action IN ('stamp', 'refuse', 'withdraw', 'return')
BEGIN
    UPDATE dossiers SET
        outcome = CASE NEW.action WHEN 'stamp' THEN 'result' WHEN 'refuse' THEN 'refused'
            WHEN 'withdraw' THEN 'withdrawn' ELSE outcome END,
        resolved_at = CASE WHEN NEW.action IN ('stamp', 'refuse', 'withdraw') THEN NEW.at
            ELSE resolved_at END,
        returned_at = CASE WHEN NEW.action = 'return' THEN NEW.at ELSE returned_at END
    WHERE id = NEW.dossier_id;
END;
UPDATE dossiers SET
    outcome = (SELECT CASE a.action WHEN 'stamp' THEN 'result' WHEN 'refuse' THEN 'refused'
        ELSE 'withdrawn' END FROM audit a WHERE a.dossier_id = dossiers.id
        AND a.action IN ('stamp', 'refuse', 'withdraw') ORDER BY a.seq DESC LIMIT 1),
    resolved_at = (SELECT a.at FROM audit a WHERE a.dossier_id = dossiers.id
        AND a.action IN ('stamp', 'refuse', 'withdraw') ORDER BY a.seq DESC LIMIT 1),
    returned_at = (SELECT a.at FROM audit a WHERE a.dossier_id = dossiers.id
        AND a.action = 'return' ORDER BY a.seq DESC LIMIT 1);
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


# Signed results (issue 7): signing certificates (private keys only encrypted), the
# register counters that number results per register and year without gaps, and the
# results table keyed per register, with the signing stages and the issue time.
_V2_SIGNING = """
CREATE TABLE certificates (
    holder TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    cert_pem TEXT NOT NULL,
    chain_pem TEXT NOT NULL DEFAULT '',
    key_enc BLOB,
    pkcs11_module TEXT,
    pkcs11_token TEXT,
    pkcs11_label TEXT,
    pkcs11_pin_enc BLOB,
    created_at TEXT NOT NULL
);
CREATE TABLE register_counters (
    register TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (register, year)
);
CREATE TABLE results_v2 (
    dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id),
    version INTEGER NOT NULL,
    pdf_enc BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    content_sha256 TEXT,
    register TEXT NOT NULL,
    register_year INTEGER NOT NULL,
    register_number INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    issued_at TEXT,
    layout TEXT,
    UNIQUE (register, register_year, register_number)
);
INSERT INTO results_v2 (dossier_id, version, pdf_enc, sha256, register, register_year,
    register_number, created_at, issued_at)
    SELECT dossier_id, version, pdf_enc, sha256, 'khai_sinh', register_year,
        register_number, created_at, created_at FROM results;
INSERT INTO register_counters (register, year, last_number)
    SELECT 'khai_sinh', register_year, MAX(register_number) FROM results
    GROUP BY register_year;
DROP TABLE results;
ALTER TABLE results_v2 RENAME TO results;
"""


# Reports at scale (issue 12): the supplement chain of each dossier, kept in clear columns
# by a trigger in the same transaction as the audit entry, so the report counts a year of
# dossiers with GROUP BY over indexes instead of replaying the audit log in Python.
# ``supp_n`` requests; ``supp_last_req`` the last request; ``supp_last_back`` when the
# completed dossier came back after it (NULL while awaiting); ``supp_restart`` the latest
# comeback (the clock restarts there). A ``supplement`` with no open request is ignored,
# as the report's chain does. Back-filled from the audit rows already there. The indexes
# cover every report query: these columns sit after the encrypted payload in each row, so
# reading one from the table would walk the payload's overflow pages; they lead with the
# GROUP BY keys (procedure, day, timeliness of a result without supplement), so SQLite
# counts while it scans, with no sort. ``turn_h``: working
# hours from receipt to return, stored by a trigger at the return through the SQL function
# ``report_work_hours`` (store/report_functions.py, registered by ``connect``). Ratings
# carry their dossier's procedure and receipt time, so counting them needs no join.
_REPORTS_V2 = """
ALTER TABLE dossiers ADD COLUMN supp_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN supp_last_req TEXT;
ALTER TABLE dossiers ADD COLUMN supp_last_back TEXT;
ALTER TABLE dossiers ADD COLUMN supp_restart TEXT;
CREATE TRIGGER audit_report_supplements AFTER INSERT ON audit
WHEN NEW.dossier_id IS NOT NULL AND NEW.action IN ('request_supplement', 'supplement')
BEGIN
    UPDATE dossiers SET supp_n = supp_n + 1, supp_last_req = NEW.at, supp_last_back = NULL
    WHERE id = NEW.dossier_id AND NEW.action = 'request_supplement';
    UPDATE dossiers SET supp_last_back = NEW.at,
        supp_restart = CASE WHEN supp_restart IS NULL OR NEW.at > supp_restart THEN NEW.at
            ELSE supp_restart END
    WHERE id = NEW.dossier_id AND NEW.action = 'supplement' AND supp_n > 0
        AND supp_last_back IS NULL;
END;
UPDATE dossiers SET
    supp_n = (SELECT COUNT(*) FROM audit a INDEXED BY audit_dossier
        WHERE a.dossier_id = dossiers.id AND a.action = 'request_supplement'),
    supp_last_req = (SELECT a.at FROM audit a INDEXED BY audit_dossier
        WHERE a.dossier_id = dossiers.id AND a.action = 'request_supplement'
        ORDER BY a.seq DESC LIMIT 1)
WHERE id IN (SELECT dossier_id FROM audit INDEXED BY audit_action_at
    WHERE action = 'request_supplement');
UPDATE dossiers SET
    supp_last_back = (SELECT a.at FROM audit a INDEXED BY audit_dossier
        WHERE a.dossier_id = dossiers.id AND a.action = 'supplement'
            AND a.at >= dossiers.supp_last_req ORDER BY a.seq LIMIT 1),
    supp_restart = (SELECT a.at FROM audit a INDEXED BY audit_dossier
        WHERE a.dossier_id = dossiers.id AND a.action = 'supplement'
        ORDER BY a.seq DESC LIMIT 1)
WHERE supp_n > 0;
ALTER TABLE dossiers ADD COLUMN turn_h REAL;
CREATE TRIGGER audit_report_turnaround AFTER INSERT ON audit
WHEN NEW.dossier_id IS NOT NULL AND NEW.action = 'return'
BEGIN
    UPDATE dossiers SET turn_h = report_work_hours(received_at, NEW.at)
    WHERE id = NEW.dossier_id;
END;
UPDATE dossiers SET turn_h = report_work_hours(received_at, returned_at)
WHERE returned_at IS NOT NULL;
ALTER TABLE ratings ADD COLUMN procedure TEXT;
ALTER TABLE ratings ADD COLUMN received_at TEXT;
CREATE TRIGGER ratings_report_columns AFTER INSERT ON ratings
BEGIN
    UPDATE ratings SET (procedure, received_at) =
        (SELECT d.procedure, d.received_at FROM dossiers d WHERE d.id = NEW.dossier_id)
    WHERE dossier_id = NEW.dossier_id;
END;
UPDATE ratings SET (procedure, received_at) =
    (SELECT d.procedure, d.received_at FROM dossiers d WHERE d.id = ratings.dossier_id);
CREATE INDEX ratings_report ON ratings(at, procedure, level, received_at);
CREATE INDEX dossiers_report_period ON dossiers(procedure, substr(resolved_at, 1, 10),
    (CASE WHEN outcome <> 'result' OR supp_n > 0 THEN NULL WHEN due_at IS NULL THEN 'on_time'
        WHEN resolved_at > due_at THEN 'late'
        WHEN substr(resolved_at, 1, 10) = substr(due_at, 1, 10) THEN 'on_time'
        ELSE 'early' END),
    outcome, channel, received_at, resolved_at, supp_n, due_at);
CREATE INDEX dossiers_report_supp ON dossiers(supp_n, outcome, resolved_at, procedure,
    received_at, due_at, supp_restart);
CREATE INDEX dossiers_report_returned ON dossiers(procedure, substr(returned_at, 1, 10),
    substr(received_at, 1, 10), supp_n, returned_at, received_at);
CREATE INDEX dossiers_report_turnaround ON dossiers(procedure, turn_h, returned_at, received_at);
"""


# Dossier-number blocks reserved to tablets (shared.codes) and every procedure definition
# the station has served, so a dossier is checked against the version it was filled under.
_NUMBERS_CATALOGUE = """
CREATE TABLE number_blocks (
    unit TEXT NOT NULL,
    day TEXT NOT NULL,
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    feed_seq INTEGER NOT NULL,
    granted_at TEXT NOT NULL,
    used_hi INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit, day, lo),
    CHECK (1 <= lo AND lo <= hi)
);
CREATE INDEX number_blocks_device ON number_blocks (device_id, unit, day);
CREATE TABLE procedure_versions (
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (code, version)
);
"""


# Photos of documents (docs/sync-protocol.md §7): one row per photo named by its SHA-256,
# its chunks encrypted under the storage key as they arrive; ``completed_at`` once the
# whole was put together and its hash checked. ``chunk_puts`` counts chunk requests
# (resends included), so an interrupted upload can be seen not to send a chunk twice.
_ATTACHMENTS = """
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id),
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    chunk_size INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    chunk_puts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE TABLE attachment_chunks (
    sha256 TEXT NOT NULL REFERENCES attachments(sha256) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    data_enc BLOB NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (sha256, n)
);
"""


# Photos, round 2 (issue 22): an unfinished upload belongs to the tablet that opened it
# (``attachment_uploads``/``upload_chunks``, keyed by photo *and* device: another tablet
# can neither reset nor poison it); ``attachments`` keeps only photos held whole, each
# with its checked, re-encoded picture (``photo_enc``; the raw chunks are dropped once it
# is made); ``attachment_refs`` says which dossiers refer to which photo (per-device quota
# and expiry of the unreferenced). Unfinished uploads of the old layout move over as they
# are; photos completed before this migration keep their chunks and count as referenced.
_ATTACHMENTS_V2 = """
CREATE TABLE attachment_uploads (
    sha256 TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    chunk_size INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    chunk_puts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (sha256, device_id)
);
CREATE INDEX attachment_uploads_by_device ON attachment_uploads(device_id);
CREATE INDEX attachment_uploads_by_age ON attachment_uploads(created_at);
CREATE TABLE upload_chunks (
    sha256 TEXT NOT NULL,
    device_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    data_enc BLOB NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (sha256, device_id, n),
    FOREIGN KEY (sha256, device_id) REFERENCES attachment_uploads(sha256, device_id)
        ON DELETE CASCADE
);
CREATE TABLE attachment_refs (
    sha256 TEXT NOT NULL,
    dossier_id TEXT NOT NULL,
    PRIMARY KEY (sha256, dossier_id)
);
ALTER TABLE attachments ADD COLUMN photo_enc BLOB;
ALTER TABLE attachments ADD COLUMN width INTEGER;
ALTER TABLE attachments ADD COLUMN height INTEGER;
ALTER TABLE attachments ADD COLUMN legacy INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attachments_by_device ON attachments(device_id, completed_at);
INSERT INTO attachment_uploads (sha256, device_id, size, mime, chunk_size, chunks,
    chunk_puts, created_at)
    SELECT sha256, device_id, size, mime, chunk_size, chunks, chunk_puts, created_at
    FROM attachments WHERE completed_at IS NULL;
INSERT INTO upload_chunks (sha256, device_id, n, data_enc, received_at)
    SELECT c.sha256, a.device_id, c.n, c.data_enc, c.received_at
    FROM attachment_chunks c JOIN attachments a ON a.sha256 = c.sha256
    WHERE a.completed_at IS NULL;
DELETE FROM attachment_chunks
    WHERE sha256 IN (SELECT sha256 FROM attachments WHERE completed_at IS NULL);
DELETE FROM attachments WHERE completed_at IS NULL;
UPDATE attachments SET legacy = 1;
"""


# A tablet that re-enrolled after a restore or a clone names the device it was
# (``replaces``): its unsent dossiers, numbered from that device's blocks, may then land.
_RECOVERY = """
ALTER TABLE devices ADD COLUMN replaces TEXT;
"""


# After a restore from a backup (docs/operations.md): the number floors the station
# grants above (numbers between the backup's highest and the floor belong to tablets that
# held them before), the tablets still to report what they hold, the staff they report
# holding PIN wraps (unlocks the restore lost), and the "cần xử lý lại" (to redo) list.
_RESTORE = """
CREATE TABLE number_floors (
    unit TEXT NOT NULL,
    day TEXT NOT NULL,
    restored_hi INTEGER NOT NULL,
    floor INTEGER NOT NULL,
    PRIMARY KEY (unit, day)
);
CREATE TABLE restore_devices (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    restored_acked INTEGER NOT NULL,
    reported_acked INTEGER,
    reported_at TEXT
);
CREATE TABLE restore_unlocks (
    device_id TEXT NOT NULL REFERENCES devices(id),
    username TEXT NOT NULL,
    PRIMARY KEY (device_id, username)
);
CREATE TABLE redo (
    dossier_id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    device_id TEXT NOT NULL,
    station_version INTEGER NOT NULL,
    station_status TEXT NOT NULL,
    tablet_version INTEGER NOT NULL,
    tablet_status TEXT NOT NULL,
    reported_at TEXT NOT NULL
);
"""


# The lookup step (issue 17): what the desk looked up instead of asking for a paper
# (Nghị định 07/2025/NĐ-CP, 18/2026/NĐ-CP), one row per lookup, its content (who was
# looked up, the result, the verification it opened) encrypted; the verification state in
# clear so open ones are found without decrypting.
_LOOKUPS = """
CREATE TABLE lookups (
    id TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    verification TEXT,
    at TEXT NOT NULL,
    data_enc BLOB NOT NULL,
    UNIQUE (dossier_id, seq)
);
"""

# Results made outside Tại Chỗ (issue 18): a procedure without a result layout records
# at "stamp" the attached signed PDF's checked signatures or the paper result's number
# and date (the PDF itself is kept in ``results`` like a sealed one).
_EXTERNAL_RESULTS = """
CREATE TABLE external_results (
    dossier_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'paper')),
    data_enc BLOB NOT NULL,
    recorded_at TEXT NOT NULL
);
"""


# Cross-commune intake through the provincial hub (issue 20, docs/province.md): the sealed
# relay's outbox (sealed when the recipient's key is known, pushed until the hub stores
# it), what arrived (once per sender and seq) and each forwarded dossier's link to the
# other station.
_HUB_RELAY = """
CREATE TABLE relay_out (
    seq INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    dossier_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    envelope TEXT,
    problem TEXT,
    created_at TEXT NOT NULL,
    sealed_at TEXT,
    stored_at TEXT
);
CREATE INDEX relay_out_pending ON relay_out(stored_at, seq);
CREATE TABLE relay_in (
    sender TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hub_id INTEGER NOT NULL,
    dossier_id TEXT,
    kind TEXT,
    outcome TEXT NOT NULL,
    problem TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (sender, seq)
);
CREATE TABLE relay_links (
    dossier_id TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    peer TEXT NOT NULL,
    state TEXT NOT NULL,
    peer_version INTEGER NOT NULL DEFAULT 0,
    problem TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE relay_results (
    dossier_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    pdf_enc BLOB NOT NULL,
    received_at TEXT NOT NULL
);
"""


# Append only: a migration, once shipped, is never edited or reordered.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", _V1),
    ("0002_office_calendar_apologies", _OFFICE),
    ("0003_signed_results", _V2_SIGNING),
    ("0004_reports", _REPORTS_V1),
    ("0005_report_supplements", _REPORTS_V2),
    ("0006_number_blocks_catalogue", _NUMBERS_CATALOGUE),
    ("0007_attachments", _ATTACHMENTS),
    ("0008_attachments_by_device", _ATTACHMENTS_V2),
    ("0009_device_recovery", _RECOVERY),
    ("0010_restore", _RESTORE),
    ("0011_lookups", _LOOKUPS),
    ("0012_external_results", _EXTERNAL_RESULTS),
    ("0013_hub_relay", _HUB_RELAY),
]


def _script(sql: str) -> Callable[[Database], None]:
    # Statement by statement: sqlite3's executescript would commit the runner's transaction.
    # A piece ends a statement only when SQLite says it is complete (a trigger's body holds
    # semicolons of its own).
    def run(db: Database) -> None:
        pending = ""
        for piece in sql.split(";"):
            pending += piece + ";"
            if sqlite3.complete_statement(pending):
                if pending.strip(" \n;"):
                    db.execute(pending)
                pending = ""
        if pending.strip(" \n;"):
            raise ValueError(f"incomplete SQL in migration: {pending[:80]!r}")

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


def delete_meta(db: Database, key: str) -> None:
    db.execute("DELETE FROM meta WHERE key = ?", (key,))


def meta_with_prefix(db: Database, prefix: str) -> dict[str, str]:
    """``meta`` entries whose key starts ``prefix:``, by the rest of the key (a device id)."""
    rows = db.query(
        "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?",
        (len(prefix) + 1, prefix + ":"),
    )
    return {str(r["key"])[len(prefix) + 1 :]: str(r["value"]) for r in rows}
