"""Queries on ``staff`` and ``tokens`` (sign-in state of office staff)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one, transaction


def get(db: Database, username: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM staff WHERE username = ?", (username,))


def insert(
    db: Database,
    *,
    username: str,
    full_name: str,
    role: str,
    title: str | None,
    pin_hash: str,
    created_at: str,
) -> None:
    db.execute(
        "INSERT INTO staff (username, full_name, role, title, pin_hash, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (username, full_name, role, title, pin_hash, created_at),
    )


def list_all(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT username, full_name, role, title, active, locked_until FROM staff "
            "ORDER BY username"
        )
    )


def set_failures(db: Database, username: str, failed_count: int, locked_until: str | None) -> None:
    db.execute(
        "UPDATE staff SET failed_count = ?, locked_until = ? WHERE username = ?",
        (failed_count, locked_until, username),
    )


def insert_token(
    db: Database, token_hash: str, username: str, created_at: str, expires_at: str
) -> None:
    db.execute(
        "INSERT INTO tokens (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (token_hash, username, created_at, expires_at),
    )


def staff_for_token(db: Database, token_hash: str, now: str) -> dict[str, Any] | None:
    return one(
        db,
        "SELECT s.* FROM tokens t JOIN staff s ON s.username = t.username "
        "WHERE t.token_hash = ? AND t.expires_at > ? AND s.active = 1",
        (token_hash, now),
    )


def delete_expired_tokens(db: Database, now: str) -> None:
    db.execute("DELETE FROM tokens WHERE expires_at <= ?", (now,))


def set_active(db: Database, username: str, active: bool) -> None:
    db.execute("UPDATE staff SET active = ? WHERE username = ?", (1 if active else 0, username))


def set_role(db: Database, username: str, role: str) -> None:
    db.execute("UPDATE staff SET role = ? WHERE username = ?", (role, username))


def claim_attempt(
    db: Database, username: str, now: str, max_failures: int, lock_until: str
) -> tuple[str, dict[str, Any] | None]:
    """Count one sign-in attempt *before* its PIN is checked, atomically.

    Returns ``("claimed", row)`` when the attempt may check the PIN (its failure is
    already counted; the attempt that reaches ``max_failures`` also sets the lock, so no
    parallel request can slip in a sixth check), ``("locked", None)`` or
    ``("unknown", None)``. An expired lock starts a fresh count. One conditional UPDATE
    in one ``storekit.transaction`` (``BEGIN IMMEDIATE``): parallel requests serialise on
    SQLite's write lock.
    """
    with transaction(db):
        cur = db.execute(
            "UPDATE staff SET "
            "failed_count = CASE WHEN locked_until IS NOT NULL AND locked_until <= :now "
            "  THEN 1 ELSE failed_count + 1 END, "
            "locked_until = CASE "
            "  WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= :now "
            "        THEN 1 ELSE failed_count + 1 END) >= :max THEN :lock_until "
            "  WHEN locked_until IS NOT NULL AND locked_until <= :now THEN NULL "
            "  ELSE locked_until END "
            "WHERE username = :u AND active = 1 "
            "AND (locked_until IS NULL OR locked_until <= :now) "
            "RETURNING *",
            {"u": username, "now": now, "max": max_failures, "lock_until": lock_until},
        )
        rows = cur.fetchall()  # drain: a RETURNING statement must finish before COMMIT
        if rows:
            cols = [c[0] for c in cur.description]
            return "claimed", dict(zip(cols, rows[0], strict=True))
        exists = one(db, "SELECT active FROM staff WHERE username = ?", (username,))
    if exists is None or not exists["active"]:
        return "unknown", None
    return "locked", None


def reset_failures(db: Database, username: str) -> None:
    """A right PIN (or an admin's unlock) clears the count and any lock."""
    db.execute(
        "UPDATE staff SET failed_count = 0, locked_until = NULL WHERE username = ?", (username,)
    )


def set_pin_hash(db: Database, username: str, pin_hash: str) -> None:
    db.execute("UPDATE staff SET pin_hash = ? WHERE username = ?", (pin_hash, username))


def delete_tokens_of(db: Database, username: str) -> None:
    """Sign a staff member out everywhere (after a PIN change)."""
    db.execute("DELETE FROM tokens WHERE username = ?", (username,))
