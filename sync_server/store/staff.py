"""Queries on ``staff`` and ``tokens`` (sign-in state of office staff)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


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


def set_pin_hash(db: Database, username: str, pin_hash: str) -> None:
    db.execute(
        "UPDATE staff SET pin_hash = ?, failed_count = 0, locked_until = NULL WHERE username = ?",
        (pin_hash, username),
    )


def delete_tokens_for(db: Database, username: str) -> None:
    db.execute("DELETE FROM tokens WHERE username = ?", (username,))
