"""SQL of the day figures: replace a station's days, and the period sums the summary reads.

The summary's statements: one ``GROUP BY unit_code, procedure`` over the period's rows of
``figures`` for every count (the open counts taken from the first and last day by
``FILTER``) — the same scan as a plain ``GROUP BY`` —, and beside it, on other
connections of the same snapshot, the percentiles of the time to return (over ``returns``),
the day series of the charts, the dossiers asked for a supplement and what each commune
sent. ``bench/province.py`` measures the whole against one plain ``GROUP BY``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from province_hub.db import Conn
from shared.hub_messages import DayFigures
from shared.province import AT_END, AT_START, COUNTERS, EVENTS
from shared.reports import RATING_LEVELS

_COLUMNS = ", ".join(COUNTERS)
_PLACEHOLDERS = ", ".join(["%s"] * (len(COUNTERS) + 3))


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
        returns: list[tuple[Any, ...]] = []
        supplements: list[tuple[Any, ...]] = []
        for key, d in zip(day_keys, days, strict=True):
            for p in d.procedures:
                rows.append((unit_code, key, p.procedure, *(getattr(p, c) for c in COUNTERS)))
                returns.extend((unit_code, key, p.procedure, x) for x in p.turnaround_seconds)
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
                f"INSERT INTO figures (unit_code, day, procedure, {_COLUMNS})"
                f" VALUES ({_PLACEHOLDERS})",
                rows,
            )
        if returns:
            cur.executemany(
                "INSERT INTO returns (unit_code, day, procedure, seconds) VALUES (%s, %s, %s, %s)",
                returns,
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


def period_sums(
    conn: Conn, start: date, end: date, unit: str | None, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(unit_code, procedure, *COUNTERS) over the period: the events summed, what was open
    taken from the first day and from the last (a commune that has not sent the last day
    yet: :func:`open_at`). The caller adds them up per commune, per procedure and whole."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = _filters("f", unit, procedure, params)
    events = ", ".join(f"sum(f.{c})::int" for c in EVENTS)
    first = ", ".join(f"(sum(f.{c}) FILTER (WHERE f.day = %(start)s))::int" for c in AT_START)
    last = ", ".join(f"(sum(f.{c}) FILTER (WHERE f.day = %(end)s))::int" for c in AT_END)
    sql = f"""
        SELECT f.unit_code, f.procedure, {first}, {events}, {last}
        FROM figures f WHERE {where}
        GROUP BY f.unit_code, f.procedure
    """
    return conn.execute(sql.encode(), params).fetchall()


def open_at(
    conn: Conn, days: Sequence[tuple[str, date]], procedure: str | None
) -> list[tuple[Any, ...]]:
    """(unit_code, procedure, *AT_END) of each (commune, day) given: what was open at the
    end of the last day a commune sent, when that is before the period's end."""
    if not days:
        return []
    params: dict[str, Any] = {"units": [u for u, _ in days], "days": [d for _, d in days]}
    extra = ""
    if procedure is not None:
        extra = " AND f.procedure = %(procedure)s"
        params["procedure"] = procedure
    counts = ", ".join(f"sum(f.{c})::int" for c in AT_END)
    sql = f"""
        SELECT f.unit_code, f.procedure, {counts} FROM figures f
        JOIN unnest(%(units)s::text[], %(days)s::date[]) AS w(unit_code, day)
          ON w.unit_code = f.unit_code AND w.day = f.day
        WHERE true{extra}
        GROUP BY f.unit_code, f.procedure
    """
    return conn.execute(sql.encode(), params).fetchall()


SERIES = ("early", "on_time", "late", "returned", "same_day", *RATING_LEVELS)


def day_series(
    conn: Conn, start: date, end: date, unit: str | None, procedure: str | None
) -> list[tuple[Any, ...]]:
    """(day, *SERIES) per day: what the charts draw."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = _filters("f", unit, procedure, params)
    sums = ", ".join(f"sum(f.{c})::int" for c in SERIES)
    sql = f"SELECT f.day, {sums} FROM figures f WHERE {where} GROUP BY f.day"
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
    """(grouping, unit_code, procedure, n, median, p90) in working seconds, per commune, per
    procedure and whole: the median of an even count is the mean of the two middle values
    (``percentile_cont``, exact on integers), the 90th percentile nearest-rank
    (``percentile_disc``), as ``shared.reports`` takes them."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = _filters("f", unit, procedure, params)
    sql = f"""
        SELECT GROUPING(f.unit_code, f.procedure), f.unit_code, f.procedure, count(*)::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY f.seconds),
               percentile_disc(0.9) WITHIN GROUP (ORDER BY f.seconds)
        FROM returns f
        WHERE {where}
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
    """(unit_code, days sent, last day, when it was counted) per commune. A day's count
    is as of the end of that day, or of its sending for today: the latest is the last
    day's."""
    params: dict[str, Any] = {"start": start, "end": end}
    where = "d.day BETWEEN %(start)s AND %(end)s"
    if unit is not None:
        where += " AND d.unit_code = %(unit)s"
        params["unit"] = unit
    sql = f"""
        SELECT d.unit_code, count(*)::int, max(d.day), max(d.as_of)
        FROM figure_days d WHERE {where} GROUP BY d.unit_code
    """
    return conn.execute(sql.encode(), params).fetchall()
