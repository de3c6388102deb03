"""Queries for the reports: ratings, apology letters, channels and the report scan.

Everything here reads clear, indexed columns (``dossiers_report`` covers the scan, so a
year of dossiers is counted without reading one encrypted payload). Encrypted blobs
(rating comments, audit reasons) are returned as blobs; the service decrypts only the few
it lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one

CHANNELS = ("counter", "home_visit", "other")
RATING_LEVELS = ("very_satisfied", "satisfied", "unsatisfied")

# Actions whose audit rows carry what the figures need beyond the dossier's own columns.
SUPPLEMENT_ACTIONS = ("request_supplement", "supplement", "refuse")


@contextmanager
def read_snapshot(db: Database) -> Iterator[None]:
    """A deferred read transaction: one consistent view, without blocking writers (WAL)."""
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.execute("COMMIT")


def record_rating(
    db: Database,
    *,
    dossier_id: str,
    level: str,
    comment_enc: bytes | None,
    at: str,
    actor: str,
) -> None:
    """Store the citizen's rating of one dossier (one per dossier; a second replaces it).

    Call inside the caller's transaction; ``comment_enc`` is already encrypted (see
    :func:`sync_server.services.reports.record_rating`, which is what callers want).
    """
    db.execute(
        "INSERT INTO ratings (dossier_id, level, comment_enc, at, actor) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(dossier_id) DO UPDATE SET level = excluded.level, "
        "comment_enc = excluded.comment_enc, at = excluded.at, actor = excluded.actor",
        (dossier_id, level, comment_enc, at, actor),
    )


def set_channel(db: Database, dossier_id: str, channel: str) -> None:
    db.execute("UPDATE dossiers SET channel = ? WHERE id = ?", (channel, dossier_id))


def rating_of(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM ratings WHERE dossier_id = ?", (dossier_id,))


_COLS = "id, code, procedure, channel, received_at, due_at, outcome, resolved_at, returned_at"


def report_rows(db: Database, start: str, end: str, procedure: str | None) -> list[tuple[Any, ...]]:
    """Dossiers that matter to [start, end): received before the end and not closed before
    the start. Plain tuples (id, code, procedure, channel, received_at, due_at, outcome,
    resolved_at, returned_at), read from the covering index only."""
    sql = (
        f"SELECT {_COLS} FROM dossiers INDEXED BY dossiers_report "
        "WHERE received_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)"
    )
    params: list[Any] = [end, start]
    if procedure is not None:
        sql += " AND procedure = ?"
        params.append(procedure)
    return db.conn.execute(sql, params).fetchall()


def returned_rows(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[Any, ...]]:
    """Dossiers closed before ``start`` but returned inside the period (a result stamped
    last month and collected this month counts for this month's returns)."""
    sql = (
        f"SELECT {_COLS} FROM dossiers INDEXED BY dossiers_resolved_returned "
        "WHERE resolved_at < ? AND returned_at >= ? AND returned_at < ?"
    )
    params: list[Any] = [start, start, end]
    if procedure is not None:
        sql += " AND procedure = ?"
        params.append(procedure)
    return db.conn.execute(sql, params).fetchall()


def rows_by_id(db: Database, ids: list[str], procedure: str | None) -> list[tuple[Any, ...]]:
    """The report columns of a few dossiers by id (e.g. rated in the period but closed and
    returned before it)."""
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        sql = f"SELECT {_COLS} FROM dossiers WHERE id IN ({', '.join('?' for _ in chunk)})"
        params: list[Any] = list(chunk)
        if procedure is not None:
            sql += " AND procedure = ?"
            params.append(procedure)
        out += db.conn.execute(sql, params).fetchall()
    return out


def supplement_events(db: Database, end: str) -> list[tuple[Any, ...]]:
    """(seq, dossier_id, action, at, reason_enc) of supplement requests, supplements and
    refusals before ``end``, in chain order (read through the (action, at) index)."""
    marks = ", ".join("?" for _ in SUPPLEMENT_ACTIONS)
    return db.conn.execute(
        f"SELECT seq, dossier_id, action, at, reason_enc FROM audit "
        f"WHERE action IN ({marks}) AND at < ? ORDER BY seq",
        (*SUPPLEMENT_ACTIONS, end),
    ).fetchall()


def ratings_between(db: Database, start: str, end: str) -> list[tuple[Any, ...]]:
    """(dossier_id, level, comment_enc, at) of ratings given in [start, end)."""
    return db.conn.execute(
        "SELECT dossier_id, level, comment_enc, at FROM ratings WHERE at >= ? AND at < ?",
        (start, end),
    ).fetchall()


def apologies_between(db: Database, start: str, end: str) -> list[tuple[Any, ...]]:
    """(dossier_id, issued_at) of apology letters issued in [start, end)."""
    return db.conn.execute(
        "SELECT dossier_id, at FROM apologies WHERE at >= ? AND at < ?",
        (start, end),
    ).fetchall()


def audit_head_before(db: Database, end: str) -> dict[str, Any] | None:
    """The last audit row written before ``end``: the chain checkpoint of a period."""
    return one(
        db,
        "SELECT seq, hash, at FROM audit WHERE seq = (SELECT MAX(seq) FROM audit WHERE at < ?)",
        (end,),
    )


def floor_aggregate(db: Database) -> list[tuple[Any, ...]]:
    """One plain aggregate over the dossiers table: the benchmark's floor."""
    return db.conn.execute(
        "SELECT status, COUNT(*), MIN(received_at), MAX(due_at) FROM dossiers GROUP BY status"
    ).fetchall()
