"""The tablet's SQLite store: all of the tablet's SQL lives here.

Only opaque blobs and non-identifying bookkeeping (ids, codes, statuses, sequence
numbers, staff usernames) are stored in columns; everything about a citizen is inside
AES-GCM blobs that ``keystore`` makes. Migrations are named and recorded, so a tablet
that skipped releases upgrades step by step.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

import storekit
from mobile.services import attachment_store, citizen_store
from storekit import Migrations

DB_NAME = "tablet.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _m001_initial(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("key_wraps").create(
        {
            "username": str,
            "role": str,
            "params": str,
            "wrapped": bytes,
            "failures": int,
            "created_at": str,
        },
        pk="username",
    )
    db.table("records").create(
        {
            "id": str,
            "kind": str,
            "code": str,
            "procedure": str,
            "status": str,
            "version": int,
            "received_at": str,
            "due_at": str,
            "updated_at": str,
            "blob": bytes,
        },
        pk="id",
    )
    db.table("records").create_index(["received_at"])
    db.table("outbox").create(
        {
            "seq": int,
            "record_id": str,
            "version": int,
            "envelope": str,
            "created_at": str,
            "acked_at": str,
        },
        pk="seq",
    )
    db.table("inbox").create(
        {"seq": int, "envelope": str, "received_at": str, "applied_at": str}, pk="seq"
    )
    db.table("results").create({"dossier_id": str, "sha256": str, "blob": bytes}, pk="dossier_id")


def _m002_inbox_quarantine(db: sqlite_utils.Database) -> None:
    db.table("inbox").add_column("error", str)


def _m004_result_pages(db: sqlite_utils.Database) -> None:
    # The result's pages as pictures (sealed JSON list), to show the result in the app.
    db.table("results").add_column("pages", bytes)


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_initial", _m001_initial),
    ("002_inbox_quarantine", _m002_inbox_quarantine),
    (citizen_store.MIGRATION_NAME, citizen_store.migrate_citizens),
    ("004_result_pages", _m004_result_pages),
    (attachment_store.MIGRATION_NAME, attachment_store.migrate_attachments),
]


class TabletStore:
    """Tables: meta, key_wraps, records, outbox, inbox, results (see ``_m001_initial``)."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_NAME
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA secure_delete=ON")
        self._migrate()

    def close(self) -> None:
        self.db.conn.close()

    def _migrate(self) -> None:
        migrations = Migrations("tablet")
        for name, fn in MIGRATIONS:
            migrations(name=name)(fn)
        storekit.migrate(self.db, migrations)

    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]:
        """One atomic unit: a dossier and its outbox entry land together or not at all."""
        return storekit.transaction(self.db)

    # --- meta ---
    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        self.db.table("meta").upsert({"key": key, "value": json.dumps(value)}, pk="key")

    def set_many_meta(self, items: dict[str, Any]) -> None:
        with self.transaction():
            for k, v in items.items():
                self.set_meta(k, v)

    def next_counter(self, key: str) -> int:
        """Increment and return a counter (sequence numbers, daily code numbers)."""
        with self.transaction():
            value = int(self.get_meta(key, 0)) + 1
            self.set_meta(key, value)
        return value

    # --- key wraps ---
    def get_wrap(self, username: str) -> dict[str, Any] | None:
        rows = list(self.db.table("key_wraps").rows_where("username = ?", [username]))
        return rows[0] if rows else None

    def put_wrap(self, username: str, role: str, params: str, wrapped: bytes) -> None:
        self.db.table("key_wraps").upsert(
            {
                "username": username,
                "role": role,
                "params": params,
                "wrapped": wrapped,
                "failures": 0,
                "created_at": _now(),
            },
            pk="username",
        )

    def set_wrap_failures(self, username: str, failures: int) -> None:
        self.db.table("key_wraps").update(username, {"failures": failures})

    def delete_wrap(self, username: str) -> None:
        self.db.table("key_wraps").delete_where("username = ?", [username])

    def wrap_usernames(self) -> list[str]:
        return [r["username"] for r in self.db.table("key_wraps").rows]

    # --- records ---
    def put_record(self, row: dict[str, Any]) -> None:
        self.db.table("records").upsert({**row, "updated_at": _now()}, pk="id")

    def get_record(self, record_id: str) -> dict[str, Any] | None:
        rows = list(self.db.table("records").rows_where("id = ?", [record_id]))
        return rows[0] if rows else None

    def find_record_id(self, id_or_code: str) -> str | None:
        row = self.db.execute(
            "SELECT id FROM records WHERE id = ? OR code = ?", [id_or_code, id_or_code]
        ).fetchone()
        return None if row is None else str(row[0])

    def list_records(self, since: str | None = None) -> list[dict[str, Any]]:
        where, args = ("received_at >= ?", [since]) if since else (None, [])
        return list(
            self.db.table("records").rows_where(where, args, order_by="received_at desc, code desc")
        )

    # --- outbox ---
    def append_outbox(self, seq: int, record_id: str, version: int, envelope: str) -> None:
        self.db.table("outbox").insert(
            {
                "seq": seq,
                "record_id": record_id,
                "version": version,
                "envelope": envelope,
                "created_at": _now(),
                "acked_at": None,
            }
        )

    def pending_outbox(self, limit: int) -> list[dict[str, Any]]:
        return list(
            self.db.table("outbox").rows_where("acked_at IS NULL", order_by="seq", limit=limit)
        )

    def pending_count(self) -> int:
        row = self.db.execute("SELECT count(*) FROM outbox WHERE acked_at IS NULL").fetchone()
        return int(row[0])

    def ack_outbox(self, up_to_seq: int) -> None:
        self.db.execute(
            "UPDATE outbox SET acked_at = ? WHERE seq <= ? AND acked_at IS NULL",
            [_now(), up_to_seq],
        )

    def unsent_record_ids(self) -> list[str]:
        """The records with a change the station never acknowledged, oldest first."""
        rows = self.db.execute(
            "SELECT record_id FROM outbox WHERE acked_at IS NULL GROUP BY record_id "
            "ORDER BY min(seq)"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def clear_outbox(self) -> None:
        """A re-enrolled tablet starts its sequence again (the old one belongs to the
        device it was): the outbox is emptied; what was unsent is queued again."""
        self.db.execute("DELETE FROM outbox")

    def acked_outbox(self, after: int, up_to: int) -> list[dict[str, Any]]:
        """The acknowledged changes with ``after < seq <= up_to``, in order."""
        return list(
            self.db.query(
                "SELECT seq, envelope FROM outbox WHERE seq > ? AND seq <= ? "
                "AND acked_at IS NOT NULL ORDER BY seq",
                [after, up_to],
            )
        )

    def acked_through(self) -> int:
        """The highest sequence the station acknowledged (0: none)."""
        row = self.db.execute(
            "SELECT coalesce(max(seq), 0) FROM outbox WHERE acked_at IS NOT NULL"
        ).fetchone()
        return int(row[0])

    def acked_max(self) -> int:
        """The highest change sequence the station has acknowledged (0: none)."""
        row = self.db.execute("SELECT MAX(seq) FROM outbox WHERE acked_at IS NOT NULL").fetchone()
        return int(row[0] or 0)

    def requeue_outbox(self, after_seq: int) -> int:
        """Send again every kept change after ``after_seq`` (a restored station lost them);
        returns how many. The same sealed envelopes: the station sees no duplicate."""
        cur = self.db.execute(
            "UPDATE outbox SET acked_at = NULL WHERE seq > ? AND acked_at IS NOT NULL",
            [after_seq],
        )
        return int(cur.rowcount)

    def outbox_records_after(self, seq: int) -> list[str]:
        """The dossiers of the kept changes after ``seq`` (what a re-send carries)."""
        rows = self.db.execute(
            "SELECT DISTINCT record_id FROM outbox WHERE seq > ? ORDER BY record_id", [seq]
        ).fetchall()
        return [str(r[0]) for r in rows]

    def prune_outbox(self, acked_before: str) -> int:
        """Forget sent changes the station acknowledged before ``acked_before`` (the
        retention period of docs/sync-protocol.md §11)."""
        cur = self.db.execute(
            "DELETE FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ?", [acked_before]
        )
        return int(cur.rowcount)

    def inbox_after(self, seq: int) -> list[dict[str, Any]]:
        """Pulled items above a feed sequence (what a restored station lost)."""
        return list(self.db.table("inbox").rows_where("seq > ?", [seq], order_by="seq"))

    # --- inbox ---
    def add_inbox(self, seq: int, envelope: str) -> None:
        self.db.table("inbox").insert(
            {"seq": seq, "envelope": envelope, "received_at": _now(), "applied_at": None},
            ignore=True,
        )

    def unapplied_inbox(self) -> list[dict[str, Any]]:
        return list(self.db.table("inbox").rows_where("applied_at IS NULL", order_by="seq"))

    def mark_inbox_applied(self, seq: int) -> None:
        self.db.table("inbox").update(seq, {"applied_at": _now()})

    def quarantine_inbox(self, seq: int, error: str) -> None:
        """Set a pulled item that cannot be opened aside; it stays for inspection."""
        self.db.table("inbox").update(seq, {"applied_at": _now(), "error": error})

    def quarantined_count(self) -> int:
        row = self.db.execute("SELECT count(*) FROM inbox WHERE error IS NOT NULL").fetchone()
        return int(row[0])

    # --- results ---
    def put_result(
        self, dossier_id: str, sha256: str, blob: bytes, pages: bytes | None = None
    ) -> None:
        self.db.table("results").upsert(
            {"dossier_id": dossier_id, "sha256": sha256, "blob": blob, "pages": pages},
            pk="dossier_id",
        )

    def get_result(self, dossier_id: str) -> dict[str, Any] | None:
        rows = list(self.db.table("results").rows_where("dossier_id = ?", [dossier_id]))
        return rows[0] if rows else None

    # --- wipe ---
    def wipe(self) -> None:
        """A revoked tablet's duty: forget everything, keys first."""
        with self.transaction():
            for table in (
                *attachment_store.TABLES,
                "key_wraps",
                "citizen_tokens",
                "citizens",
                "records",
                "outbox",
                "inbox",
                "results",
                "meta",
            ):
                self.db.execute(f"DELETE FROM [{table}]")
        self.db.execute("VACUUM")
