"""SQL of the day figures: replace a station's days, and the period sums the summary reads.

The summary is three statements over the period's rows of ``figures`` (and the small
``supplement_requests``): one pass with ``GROUPING SETS`` for every count — per commune,
per procedure, per day (the charts) and the whole province at once, the open counts taken
from the first / last day by ``FILTER`` —, one for the percentiles of the time to return
(``percentile_disc`` over the unnested working seconds) and one for the dossiers asked for
a supplement. ``bench/province.py`` measures them against one plain ``GROUP BY``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from province_hub.db import Conn
from shared.hub_messages import DayFigures
from shared.province import AT_END, AT_START, COUNTERS, EVENTS

_COLUMNS = ", ".join(COUNTERS)
_PLACEHOLDERS = ", ".join(["%s"] * (len(COUNTERS) + 4))


def replace_days(conn: Conn, unit_code: str, days: Sequence[DayFigures], now: datetime) -> None:
    """Each day given replaces that station's day whole (inside the caller's transaction):
    sending a day again is harmless, and a day is never half stored."""
    if not days:
        return
    day_keys = [date.fromisoformat(d.day) for d in days]
    conn.execute(
        "DELETE FROM figure_days WHERE unit_code = %s AND day = ANY(%s)", (unit_code, day_keys)
    )
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO figure_days (unit_code, day, as_of, stored_at) VALUES (%s, %s, %s, %s)",
            [
                (unit_code, key, datetime.fromisoformat(d.as_of), now)
                for key, d in zip(day_keys, days, strict=True)
            ],
        )
        rows: list[tuple[Any, ...]] = []
        supplements: list[tuple[Any, ...]] = []
        for key, d in zip(day_keys, days, strict=True):
            for p in d.procedures:
                rows.append(
                    (
                        unit_code,
                        key,
                        p.procedure,
                        *(getattr(p, c) for c in COUNTERS),
                        list(p.turnaround_seconds),
                    )
                )
                supplements.extend(
                    (
                        unit_code,
                        key,
                        p.procedure,
                        None if s.previous_day is None else date.fromisoformat(s.previous_day),
                        s.n,
                    )
                    for s in p.supplement_previous
                )
        if rows:
            cur.executemany(
                f"INSERT INTO figures (unit_code, day, procedure, {_COLUMNS}, turnaround_seconds)"
                f" VALUES ({_PLACEHOLDERS})",
                rows,
            )
        if supplements:
            cur.executemany(
                "INSERT INTO supplement_requests (unit_code, day, procedure, previous_day, n)"
                " VALUES (%s, %s, %s, %s, %s)",
                supplements,
            )


def last_day(conn: Conn, unit_code: str) -> date | None:
    row = conn.execute(
        "SELECT max(day) FROM figure_days WHERE unit_code = %s", (unit_code,)
    ).fetchone()
    return None if row is None else row[0]


def _filters(alias: str, unit: str | None, procedure: str | None, params: dict[str, Any]) -> str:
    where = f"{alias}.day BETWEEN %(start)s AND %(end)s"
    if unit is not None:
        where += f" AND {alias}.unit_code = %(unit)s"
        params["unit"] = unit
    if procedure is not None:
        where += f" AND {alias}.procedure = %(procedure)s"
        params["procedure"] = procedure
    return where


# GROUPING(unit_code, procedure, day) bit values of each grouping set.
BY_UNIT, BY_PROCEDURE, BY_DAY, WHOLE = 0b011, 0b101, 0b110, 0b111


def period_sums(
    conn: Conn, start: date, end: date, unit: str | None, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(grouping, unit_code, procedure, day, *COUNTERS) per commune, procedure, day and
    for the whole selection; the open counts from each commune's first / last day."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = _filters("f", unit, procedure, params)
    snap_where = "d.day BETWEEN %(start)s AND %(end)s" + (
        " AND d.unit_code = %(unit)s" if unit is not None else ""
    )
    events = ", ".join(f"sum(f.{c})::int" for c in EVENTS)
    first = ", ".join(f"(sum(f.{c}) FILTER (WHERE f.day = %(start)s))::int" for c in AT_START)
    last = ", ".join(f"(sum(f.{c}) FILTER (WHERE f.day = s.last_day))::int" for c in AT_END)
    sql = f"""
        WITH s AS (
            SELECT d.unit_code, max(d.day) AS last_day FROM figure_days d
            WHERE {snap_where} GROUP BY d.unit_code
        )
        SELECT GROUPING(f.unit_code, f.procedure, f.day), f.unit_code, f.procedure, f.day,
               {first}, {events}, {last}
        FROM figures f JOIN s ON s.unit_code = f.unit_code
        WHERE {where}
        GROUP BY GROUPING SETS ((f.unit_code), (f.procedure), (f.day), ())
    """
    return conn.execute(sql.encode(), params).fetchall()


def plain_group_by(conn: Conn, start: date, end: date) -> list[tuple[Any, ...]]:
    """The benchmark's yardstick: one plain ``GROUP BY`` over the same rows."""
    events = ", ".join(f"sum({c})" for c in COUNTERS)
    sql = f"""
        SELECT unit_code, procedure, {events} FROM figures
        WHERE day BETWEEN %(start)s AND %(end)s GROUP BY unit_code, procedure
    """
    return conn.execute(sql.encode(), {"start": start, "end": end}).fetchall()


def turnaround(
    conn: Conn, start: date, end: date, unit: str | None, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(grouping, unit_code, procedure, n, low middle, high middle, p90) in working seconds,
    per commune, per procedure and whole (nearest-rank, as ``shared.reports``)."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = _filters("f", unit, procedure, params)
    sql = f"""
        SELECT GROUPING(f.unit_code, f.procedure), f.unit_code, f.procedure, count(*)::int,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY t.s),
               percentile_disc(0.5) WITHIN GROUP (ORDER BY t.s DESC),
               percentile_disc(0.9) WITHIN GROUP (ORDER BY t.s)
        FROM figures f CROSS JOIN LATERAL unnest(f.turnaround_seconds) AS t(s)
        WHERE {where} AND f.returned > 0
        GROUP BY GROUPING SETS ((f.unit_code), (f.procedure), ())
    """
    return conn.execute(sql.encode(), params).fetchall()


def supplement_dossiers(
    conn: Conn, start: date, end: date, unit: str | None, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(grouping, unit_code, procedure, dossiers): requests in the period whose previous
    request lies before it — one per dossier asked (``shared.province``)."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = _filters("r", unit, procedure, params)
    sql = f"""
        SELECT GROUPING(r.unit_code, r.procedure), r.unit_code, r.procedure, sum(r.n)::int
        FROM supplement_requests r
        WHERE {where} AND (r.previous_day IS NULL OR r.previous_day < %(start)s)
        GROUP BY GROUPING SETS ((r.unit_code), (r.procedure), ())
    """
    return conn.execute(sql.encode(), params).fetchall()


def coverage(
    conn: Conn, start: date, end: date, unit: str | None
) -> list[tuple[str, int, date, datetime]]:
    """(unit_code, days sent, last day, when that day was counted) per commune."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = "d.day BETWEEN %(start)s AND %(end)s"
    if unit is not None:
        where += " AND d.unit_code = %(unit)s"
        params["unit"] = unit
    sql = f"""
        SELECT DISTINCT ON (d.unit_code) d.unit_code,
               count(*) OVER (PARTITION BY d.unit_code)::int, d.day, d.as_of
        FROM figure_days d WHERE {where}
        ORDER BY d.unit_code, d.day DESC
    """
    return conn.execute(sql.encode(), params).fetchall()
