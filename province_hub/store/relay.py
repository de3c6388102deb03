"""SQL of the sealed relay: envelopes waiting for their recipients, and what was delivered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from province_hub.db import Conn


def digest_of(conn: Conn, sender: str, seq: int) -> str | None:
    """The digest stored for (sender, seq), waiting or already delivered; None if new."""
    row = conn.execute(
        "SELECT digest FROM relay WHERE sender = %s AND seq = %s"
        " UNION ALL SELECT digest FROM relay_done WHERE sender = %s AND seq = %s LIMIT 1",
        (sender, seq, sender, seq),
    ).fetchone()
    return None if row is None else str(row[0])


def insert(
    conn: Conn,
    sender: str,
    seq: int,
    recipient: str,
    envelope: dict[str, Any],
    digest: str,
    now: datetime,
) -> None:
    conn.execute(
        "INSERT INTO relay (sender, seq, recipient, envelope, digest, stored_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (sender, seq, recipient, Jsonb(envelope), digest, now),
    )


def waiting(conn: Conn, recipient: str, after: int, limit: int) -> list[tuple[Any, ...]]:
    """(id, sender, seq, envelope) for ``recipient`` after its cursor, in the hub's order."""
    return conn.execute(
        "SELECT id, sender, seq, envelope FROM relay WHERE recipient = %s AND id > %s"
        " ORDER BY id LIMIT %s",
        (recipient, after, limit),
    ).fetchall()


def acknowledge(conn: Conn, recipient: str, through: int, now: datetime) -> int:
    """Move what ``recipient`` holds up to ``through`` out of the relay (digests kept)."""
    cur = conn.execute(
        "WITH gone AS (DELETE FROM relay WHERE recipient = %s AND id <= %s"
        " RETURNING sender, seq, digest)"
        " INSERT INTO relay_done (sender, seq, digest, acked_at)"
        " SELECT sender, seq, digest, %s FROM gone ON CONFLICT DO NOTHING",
        (recipient, through, now),
    )
    return cur.rowcount


def count_waiting(conn: Conn) -> int:
    row = conn.execute("SELECT count(*) FROM relay").fetchone()
    return 0 if row is None else int(row[0])
