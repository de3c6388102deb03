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
from sync_server.store.relay import ELSEWHERE_DOSSIER_ROWIDS, ELSEWHERE_RATING_ROWIDS

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
    :func:`sync_server.services.reports.reports.record_rating`, which is what callers want).
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


# A dossier received here for another commune is counted there once that station holds
# it (``shared.province.COUNTED_BY_PEER``): every query below leaves it out.
def _here(alias: str = "") -> str:
    return f" AND {alias}rowid NOT IN ({ELSEWHERE_DOSSIER_ROWIDS})"


def _rated_here(alias: str = "") -> str:
    return f" AND {alias}rowid NOT IN ({ELSEWHERE_RATING_ROWIDS})"


_COLS = "id, code, procedure, channel, received_at, due_at, outcome, resolved_at, returned_at"


def report_rows(db: Database, start: str, end: str, procedure: str | None) -> list[tuple[Any, ...]]:
    """Dossiers that matter to [start, end): received before the end and not closed before
    the start. Plain tuples (id, code, procedure, channel, received_at, due_at, outcome,
    resolved_at, returned_at), read from the covering index only."""
    sql = (
        f"SELECT {_COLS} FROM dossiers INDEXED BY dossiers_report "
        "WHERE received_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)" + _here()
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
        "WHERE resolved_at < ? AND returned_at >= ? AND returned_at < ?" + _here()
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
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT {_COLS} FROM dossiers WHERE id IN ({marks}){_here()}"
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
        "SELECT dossier_id, level, comment_enc, at FROM ratings WHERE at >= ? AND at < ?"
        + _rated_here(),
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


# --- the report as SQL aggregates (issue 12, scale) -------------------------------------
#
# The figures of ``shared.reports.analyse`` computed with GROUP BY over the covering
# indexes of migrations 0004/0005: a year of a busy ward is 100,000 dossiers, and a Python
# pass over one record each costs several times the plain aggregate the target is set
# against. Times are compared as the ISO strings the station stores (all +07:00, seconds),
# which order like the moments they name. The due time restarted by a supplement joins three
# TEMP tables the service fills from ``shared.workdays`` before the queries: ``rcal`` (day,
# working, index of the day among working days), ``rwork``
# (that index → working day) and ``rlimit`` (procedure → time limit in working days). The
# working hours from receipt to return are stored at the return (``turn_h``, migration 0005).


def prepare_calendar(
    db: Database,
    days: list[tuple[str, int, int]],
    limits: list[tuple[str, int]],
) -> None:
    """Fill the TEMP calendar tables of this connection (replacing what was there)."""
    conn = db.conn
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS rcal (day TEXT PRIMARY KEY, working INTEGER NOT NULL,"
        " widx INTEGER NOT NULL) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS rwork (widx INTEGER PRIMARY KEY, day TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS rlimit (procedure TEXT PRIMARY KEY, days INTEGER)"
        " WITHOUT ROWID"
    )
    for table in ("rcal", "rwork", "rlimit"):
        conn.execute(f"DELETE FROM temp.{table}")
    conn.executemany("INSERT INTO temp.rcal VALUES (?, ?, ?)", days)
    conn.executemany(
        "INSERT INTO temp.rwork VALUES (?, ?)", [(w, d) for d, working, w in days if working]
    )
    conn.executemany("INSERT INTO temp.rlimit VALUES (?, ?)", limits)


def first_received(db: Database) -> str | None:
    row = db.conn.execute("SELECT MIN(received_at) FROM dossiers").fetchone()
    return None if row is None else row[0]


def _proc(procedure: str | None, alias: str = "") -> tuple[str, list[Any]]:
    if procedure is None:
        return "", []
    return f" AND {alias}procedure = ?", [procedure]


# The due time a result is judged against: the stored one, or — when a supplement came
# back — the procedure's limit counted again from the comeback (shared.workdays.due_at,
# with the 15:00 receipt cut-off), looked up in the TEMP calendar.
_START = "(CASE WHEN d.supp_restart > d.received_at THEN d.supp_restart ELSE d.received_at END)"
_DUE = f"""(CASE WHEN d.supp_n > 0 AND d.procedure IN (SELECT procedure FROM temp.rlimit)
    THEN (SELECT w.day FROM temp.rwork w WHERE w.widx =
        (SELECT c.widx + (CASE WHEN c.working = 1 AND substr({_START}, 12, 8) <= ?
            THEN 0 ELSE 1 END) FROM temp.rcal c WHERE c.day = substr({_START}, 1, 10))
        + (SELECT l.days FROM temp.rlimit l WHERE l.procedure = d.procedure))
        || ? ELSE d.due_at END)"""


# The timeliness of a result without supplement, exactly as migration 0005 indexes it (the
# planner then reads the stored value instead of evaluating it per row).
_TIMELY = """(CASE WHEN outcome <> 'result' OR supp_n > 0 THEN NULL
        WHEN due_at IS NULL THEN 'on_time'
        WHEN resolved_at > due_at THEN 'late'
        WHEN substr(resolved_at, 1, 10) = substr(due_at, 1, 10) THEN 'on_time'
        ELSE 'early' END)"""


def period_counts(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(procedure, day resolved, timeliness of a result without supplement, outcome,
    channel, count, carried over (received before ``start``), closed before ``end``) of
    the dossiers that matter to [start, end): received before its end, not closed before
    its start. Counted while scanning ``dossiers_report_period`` in its order."""
    where, params = _proc(procedure)
    sql = f"""
        SELECT procedure, substr(resolved_at, 1, 10), {_TIMELY}, outcome, channel, COUNT(*),
            SUM(received_at < ?), SUM(resolved_at < ?)
        FROM dossiers INDEXED BY dossiers_report_period
        WHERE received_at < ? AND (resolved_at IS NULL OR resolved_at >= ?){where}{_here()}
        GROUP BY 1, 2, 3, 4, 5"""
    return db.conn.execute(sql, [start, end, end, start, *params]).fetchall()


def supplemented_results(
    db: Database,
    start: str,
    end: str,
    procedure: str | None,
    cutoff: str,
    due_suffix: str,
) -> list[tuple[Any, ...]]:
    """(procedure, day resolved, timeliness, count) of the results ready in [start, end)
    of dossiers that had a supplement: judged against the due time restarted at the
    comeback (``_DUE``, the TEMP calendar)."""
    where, params = _proc(procedure, "d.")
    sql = f"""
        SELECT procedure, substr(resolved_at, 1, 10),
            CASE WHEN due IS NULL THEN 'on_time' WHEN resolved_at > due THEN 'late'
                WHEN substr(resolved_at, 1, 10) = substr(due, 1, 10) THEN 'on_time'
                ELSE 'early' END,
            COUNT(*)
        FROM (SELECT d.procedure, d.resolved_at, {_DUE} AS due
            FROM dossiers d INDEXED BY dossiers_report_supp
            WHERE d.supp_n > 0 AND d.outcome = 'result' AND d.resolved_at >= ?
                AND d.resolved_at < ? AND d.received_at < ?{where}{_here("d.")})
        GROUP BY 1, 2, 3"""
    return db.conn.execute(sql, [cutoff, due_suffix, start, end, end, *params]).fetchall()


def returned_counts(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(procedure, day of return, day of receipt, supplements asked, count) of the
    dossiers returned (handed over) in [start, end)."""
    where, params = _proc(procedure)
    sql = f"""
        SELECT procedure, substr(returned_at, 1, 10), substr(received_at, 1, 10), supp_n,
            COUNT(*)
        FROM dossiers INDEXED BY dossiers_report_returned
        WHERE returned_at >= ? AND returned_at < ? AND received_at < ?{where}{_here()}
        GROUP BY 1, 2, 3, 4"""
    return db.conn.execute(sql, [start, end, end, *params]).fetchall()


def returned_hours(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[str, float, int]]:
    """(procedure, working hours from receipt to return, how many) of the dossiers
    returned in [start, end): the ``turn_h`` the return's trigger stored, counted per
    distinct value while scanning ``dossiers_report_turnaround`` in its order."""
    where, params = _proc(procedure)
    sql = f"""
        SELECT procedure, turn_h, COUNT(*) FROM dossiers INDEXED BY dossiers_report_turnaround
        WHERE returned_at >= ? AND returned_at < ? AND received_at < ?
            AND turn_h IS NOT NULL{where}{_here()}
        GROUP BY 1, 2"""
    return db.conn.execute(sql, [start, end, end, *params]).fetchall()


def rating_counts(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(procedure, level, 'YYYY-MM', count) of the ratings given in [start, end)."""
    where, params = _proc(procedure, "r.")
    sql = f"""
        SELECT r.procedure, r.level, substr(r.at, 1, 7), COUNT(*)
        FROM ratings r INDEXED BY ratings_report
        WHERE r.at >= ? AND r.at < ? AND r.received_at < ?{where}{_rated_here("r.")}
        GROUP BY 1, 2, 3"""
    return db.conn.execute(sql, [start, end, end, *params]).fetchall()


def rating_comments(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(dossier_id, code, procedure, level, at, comment_enc) of the ratings with a comment
    given in [start, end)."""
    where, params = _proc(procedure, "d.")
    sql = f"""
        SELECT r.dossier_id, d.code, d.procedure, r.level, r.at, r.comment_enc
        FROM ratings r JOIN dossiers d ON d.id = r.dossier_id
        WHERE r.at >= ? AND r.at < ? AND r.comment_enc IS NOT NULL AND d.received_at < ?{where}
            {_here("d.")}"""
    return db.conn.execute(sql, [start, end, end, *params]).fetchall()


def supplement_requests(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(seq, dossier_id, procedure, reason_enc) of the supplement requests in [start, end)."""
    where, params = _proc(procedure, "d.")
    sql = f"""
        SELECT a.seq, a.dossier_id, d.procedure, a.reason_enc
        FROM audit a INDEXED BY audit_action_at JOIN dossiers d ON d.id = a.dossier_id
        WHERE a.action = 'request_supplement' AND a.at >= ? AND a.at < ?
            AND d.received_at < ?{where}{_here("d.")}"""
    return db.conn.execute(sql, [start, end, end, *params]).fetchall()


def refusals(db: Database, start: str, end: str, procedure: str | None) -> list[tuple[Any, ...]]:
    """(dossier_id, procedure, seq, at, reason_enc) of the last refusal before ``end`` of
    each dossier refused in [start, end)."""
    where, params = _proc(procedure, "d.")
    sql = f"""
        SELECT d.id, d.procedure, a.seq, a.at, a.reason_enc
        FROM dossiers d INDEXED BY dossiers_report_period
        LEFT JOIN audit a ON a.seq = (SELECT MAX(b.seq) FROM audit b
            WHERE b.dossier_id = d.id AND b.action = 'refuse' AND b.at < ?)
        WHERE d.resolved_at >= ? AND d.resolved_at < ? AND d.outcome = 'refused'
            AND d.received_at < ?{where}{_here("d.")}"""
    return db.conn.execute(sql, [end, start, end, end, *params]).fetchall()


def apology_counts(
    db: Database, start: str, end: str, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(procedure, count) of the apology letters issued in [start, end) for dossiers that
    matter to the period (open in it, returned in it, or rated in it)."""
    where, params = _proc(procedure, "d.")
    sql = f"""
        SELECT d.procedure, COUNT(*)
        FROM apologies a INDEXED BY apologies_at JOIN dossiers d ON d.id = a.dossier_id
        WHERE a.at >= ? AND a.at < ? AND d.received_at < ?{where}{_here("d.")}
            AND (d.resolved_at IS NULL OR d.resolved_at >= ?
                OR (d.returned_at >= ? AND d.returned_at < ?)
                OR EXISTS (SELECT 1 FROM ratings r WHERE r.dossier_id = d.id
                    AND r.at >= ? AND r.at < ?))
        GROUP BY 1"""
    args = [start, end, end, *params, start, start, end, start, end]
    return db.conn.execute(sql, args).fetchall()


def open_rows(db: Database, end: str, procedure: str | None) -> list[tuple[Any, ...]]:
    """(id, code, procedure, received_at, due_at, supp_n) of the dossiers received before
    ``end`` and not closed by then: the in-progress ones, judged one by one."""
    where, params = _proc(procedure)
    cols = "id, code, procedure, received_at, due_at, supp_n"
    sql = f"""
        SELECT {cols} FROM dossiers INDEXED BY dossiers_resolved_returned
        WHERE resolved_at IS NULL AND received_at < ?{where}{_here()}
        UNION ALL
        SELECT {cols} FROM dossiers INDEXED BY dossiers_resolved_returned
        WHERE resolved_at >= ? AND received_at < ?{where}{_here()}"""
    return db.conn.execute(sql, [end, *params, end, end, *params]).fetchall()


def supplement_chains(db: Database, ids: list[str], end: str) -> list[tuple[Any, ...]]:
    """(dossier_id, action, at) of the supplement requests and comebacks of a few
    dossiers before ``end``, in chain order."""
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        out += db.conn.execute(
            f"SELECT dossier_id, action, at FROM audit INDEXED BY audit_dossier "
            f"WHERE dossier_id IN ({marks}) AND action IN ('request_supplement', 'supplement') "
            f"AND at < ? ORDER BY seq",
            [*chunk, end],
        ).fetchall()
    return out
