"""SQL of the directory: settings, stations, registration codes, nonces, readers, the log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from province_hub.db import Conn

STATION_COLUMNS = (
    "unit_code, name, province, url, x25519_pub, ed25519_pub, tls_sha256, registered_at, revoked_at"
)


def get_setting(conn: Conn, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = %s", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_setting(conn: Conn, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (%s, %s)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def insert_code(
    conn: Conn, code_hash: str, unit_code: str, created_at: datetime, expires_at: datetime
) -> None:
    conn.execute(
        "INSERT INTO register_codes (code_hash, unit_code, created_at, expires_at)"
        " VALUES (%s, %s, %s, %s)",
        (code_hash, unit_code, created_at, expires_at),
    )


def claim_code(conn: Conn, code_hash: str, now: datetime) -> str | None:
    """Mark a usable code used (row-locked: two registrations with one code cannot both
    win); returns the unit it was issued for, or None."""
    row = conn.execute(
        "UPDATE register_codes SET used_at = %s"
        " WHERE code_hash = %s AND used_at IS NULL AND expires_at > %s"
        " RETURNING unit_code",
        (now, code_hash, now),
    ).fetchone()
    return None if row is None else str(row[0])


def upsert_station(conn: Conn, entry: dict[str, Any]) -> None:
    """A station joins, or a re-installed one replaces its keys (a new code was issued)."""
    conn.execute(
        "INSERT INTO stations (unit_code, name, province, url, x25519_pub, ed25519_pub,"
        " tls_sha256, registered_at, revoked_at)"
        " VALUES (%(unit_code)s, %(name)s, %(province)s, %(url)s, %(x25519_pub)s,"
        " %(ed25519_pub)s, %(tls_sha256)s, %(registered_at)s, NULL)"
        " ON CONFLICT (unit_code) DO UPDATE SET name = excluded.name,"
        " province = excluded.province, url = excluded.url, x25519_pub = excluded.x25519_pub,"
        " ed25519_pub = excluded.ed25519_pub, tls_sha256 = excluded.tls_sha256,"
        " registered_at = excluded.registered_at, revoked_at = NULL",
        entry,
    )


def get_station(conn: Conn, unit_code: str) -> dict[str, Any] | None:
    cur = conn.execute(f"SELECT {STATION_COLUMNS} FROM stations WHERE unit_code = %s", (unit_code,))
    row = cur.fetchone()
    if row is None:
        return None
    names = [d.name for d in cur.description or ()]
    return dict(zip(names, row, strict=True))


def list_stations(conn: Conn) -> list[dict[str, Any]]:
    cur = conn.execute(f"SELECT {STATION_COLUMNS} FROM stations ORDER BY unit_code")
    names = [d.name for d in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def count_stations(conn: Conn) -> int:
    row = conn.execute("SELECT count(*) FROM stations WHERE revoked_at IS NULL").fetchone()
    return 0 if row is None else int(row[0])


def revoke_station(conn: Conn, unit_code: str, now: datetime) -> bool:
    cur = conn.execute(
        "UPDATE stations SET revoked_at = %s WHERE unit_code = %s AND revoked_at IS NULL",
        (now, unit_code),
    )
    return cur.rowcount > 0


def use_nonce(conn: Conn, unit_code: str, nonce: str, now: datetime) -> bool:
    """Record a request's nonce; False if this station used it already (a replay)."""
    cur = conn.execute(
        "INSERT INTO request_nonces (unit_code, nonce, seen_at) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (unit_code, nonce, now),
    )
    return cur.rowcount == 1


def forget_nonces(conn: Conn, before: datetime) -> None:
    conn.execute("DELETE FROM request_nonces WHERE seen_at < %s", (before,))


def insert_reader(conn: Conn, token_hash: str, name: str, now: datetime) -> None:
    conn.execute(
        "INSERT INTO readers (token_hash, name, created_at) VALUES (%s, %s, %s)",
        (token_hash, name, now),
    )


def revoke_readers(conn: Conn, name: str, now: datetime) -> int:
    cur = conn.execute(
        "UPDATE readers SET revoked_at = %s WHERE name = %s AND revoked_at IS NULL", (now, name)
    )
    return cur.rowcount


def reader_by_token(conn: Conn, token_hash: str) -> str | None:
    row = conn.execute(
        "SELECT name FROM readers WHERE token_hash = %s AND revoked_at IS NULL", (token_hash,)
    ).fetchone()
    return None if row is None else str(row[0])


def log(conn: Conn, at: datetime, action: str, unit_code: str | None, detail: str | None) -> None:
    conn.execute(
        "INSERT INTO hub_log (at, action, unit_code, detail) VALUES (%s, %s, %s, %s)",
        (at, action, unit_code, detail),
    )
