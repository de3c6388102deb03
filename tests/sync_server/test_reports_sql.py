"""The station's SQL counting agrees with the pure reference pass, on a varied history.

``sync_server.services.reports.reports.analyse_sql`` counts with GROUP BY over indexed columns;
``shared.reports.analyse`` is the definition, over one ``DossierFacts`` per dossier. A
generated history (several procedures and channels, supplements asked once or twice,
answered or still awaited, refusals, withdrawals, results at the 16:59 / 17:01 edges,
returns on the same or a later day, ratings inside and after the period, comments,
apology letters, a public holiday) is written through the real store and audit chain, and
both paths must give the same report for days, weeks, months, a quarter and a year, with
and without a procedure filter.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from station_kit import Tablet

from shared.codes import make_code
from shared.model import Dossier
from shared.reports import Period, period_of
from shared.workdays import VN_TZ, due_at
from shared.workflow import Status
from sync_server.services.core import audit
from sync_server.services.core.station import Station
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.reports import reports
from sync_server.store import reports as reports_q
from sync_server.store.db import transaction

UNIT = "000.31.22.H20"
PROCEDURES = ("1.001193", "1.004873", "2.000815")
NOW = datetime(2026, 11, 20, 10, 30, tzinfo=VN_TZ)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _generate(station: Station, device_id: str, slot: int, n: int, seed: int) -> None:
    rng = random.Random(seed)
    keys = station.keys
    first = date(2026, 8, 17)
    per_day: dict[date, int] = {}
    with station.session() as db, transaction(db):
        for _ in range(n):
            day = first + timedelta(days=rng.randrange(0, 110))
            rec = datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN_TZ) + timedelta(
                minutes=rng.randrange(0, 11 * 60)
            )
            per_day[day] = per_day.get(day, 0) + 1
            proc = rng.choice(PROCEDURES)
            limit = station.catalogue.get(proc).time_limit_working_days
            due = due_at(rec, limit)
            d = Dossier(
                id=str(uuid.uuid4()),
                code=make_code(UNIT, day, slot * 100 + per_day[day]),
                procedure=proc,
                procedure_version=1,
                values={},
                status=Status.RECEIVED,
                version=1,
                base_version=0,
                device_id=device_id,
                received_by="tiepnhan",
                received_at=_iso(rec),
                due_at=_iso(due),
            )
            dossier_store.save(db, keys, d)
            reports_q.set_channel(
                db, d.id, rng.choice(("counter", "counter", "home_visit", "other", "mail"))
            )

            def act(action: str, when: datetime, reason: str | None = None) -> None:
                audit.append(
                    db,
                    keys,
                    action=action,
                    actor="x",
                    at=_iso(when),
                    dossier_id=d.id,  # noqa: B023 - used at once, inside the loop
                    device_id=device_id,
                    reason=reason,
                )

            act("receive", rec)
            t = rec
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
                t += timedelta(minutes=rng.randrange(5, 90))
                act("request_supplement", t, rng.choice(("Thiếu giấy tờ", "Sai họ tên", None)))
                if rng.random() < 0.2:
                    break  # still awaiting the completed dossier
                t += timedelta(days=rng.choice((0, 1, 3)), minutes=rng.randrange(10, 300))
                act("supplement", t)
            roll = rng.random()
            if roll < 0.06:
                act("refuse", t + timedelta(minutes=30), rng.choice(("Không thuộc thẩm quyền", "")))
                continue
            if roll < 0.09:
                act("withdraw", t + timedelta(hours=2))
                continue
            if roll < 0.2:
                if rng.random() < 0.5:
                    reports.record_apology(
                        db,
                        keys,
                        dossier_id=d.id,
                        actor="lanhdao",
                        new_due_at=_iso(due + timedelta(days=2)),
                        reason="Chờ xác minh",
                        at=_iso(t + timedelta(hours=3)),
                    )
                continue  # left in progress
            edge = rng.random()
            if edge < 0.1:
                done = datetime.combine(due.date(), datetime.min.time(), VN_TZ) + timedelta(
                    hours=16, minutes=59
                )
                done = max(done, t + timedelta(minutes=1))
            elif edge < 0.2:
                done = max(due, t) + timedelta(minutes=1)  # never before the comeback
            else:
                done = t + timedelta(minutes=rng.choice((20, 60, 200, 24 * 60 + 5, 4 * 24 * 60)))
            for i, action in enumerate(("accept", "approve", "stamp")):
                act(action, done - timedelta(minutes=2 - i))
            if rng.random() < 0.85:
                ret = done + timedelta(minutes=rng.choice((5, 30, 60 * 20, 60 * 24 * 9)))
                act("return", ret)
                if rng.random() < 0.7:
                    rated = ret + timedelta(minutes=rng.choice((1, 1, 60 * 24 * 12)))
                    reports.record_rating(
                        db,
                        keys,
                        dossier_id=d.id,
                        level=rng.choice(("very_satisfied", "satisfied", "unsatisfied")),
                        comment=rng.choice((None, None, "Rất nhanh", "Chờ hơi lâu")),
                        actor="vanthu",
                        at=_iso(rated),
                    )


def _both(station: Station, period: Period, procedure: str | None) -> tuple[Any, Any]:
    with station.session() as db:
        sql = reports.build_report(
            db, station.keys, station.catalogue, period, procedure, now=NOW, free_text=True
        ).view.to_dict()
        pure = reports.build_report(
            db,
            station.keys,
            station.catalogue,
            period,
            procedure,
            now=NOW,
            pure=True,
            free_text=True,
        ).view.to_dict()
    return sql, pure


@pytest.fixture
def generated(demo_station: Station, tablet: Tablet) -> Station:
    _generate(demo_station, tablet.device_id, tablet.slot, 700, seed=12)
    return demo_station


def test_sql_and_pure_agree_on_a_generated_history(generated: Station) -> None:
    periods = [
        Period(date(2026, 8, 1), date(2026, 12, 31)),
        period_of("quarter", date(2026, 9, 15)),
        period_of("month", date(2026, 9, 1)),  # 2 Sep, National Day
        period_of("month", date(2026, 11, 1)),  # ends after "now"
        period_of("week", date(2026, 10, 14)),
        period_of("day", date(2026, 10, 14)),
        Period(date(2026, 9, 3), date(2026, 10, 20)),
    ]
    seen_overdue = seen_awaiting = seen_late = 0
    for period in periods:
        for procedure in (None, "1.004873"):
            sql, pure = _both(generated, period, procedure)
            assert sql["summary"] == pure["summary"], (period, procedure)
            assert sql["by_procedure"] == pure["by_procedure"], (period, procedure)
            assert sql["series"] == pure["series"], (period, procedure)
            assert sql["page"] == pure["page"], (period, procedure)
            s = sql["summary"]
            seen_overdue += s["in_progress"]["overdue"]
            seen_awaiting += s["in_progress"]["awaiting_supplement"]
            seen_late += s["resolved"]["late"]
    # The history really exercises the branches compared above.
    assert seen_overdue and seen_awaiting and seen_late
    year = _both(generated, periods[0], None)[0]["summary"]
    assert year["received"]["new_by_channel"]["other"] > 0
    assert year["resolved"]["refused"] and year["withdrawn"] and year["apology_letters"]
    assert year["same_day"]["first_visit"] < year["same_day"]["same_day"]
    assert year["satisfaction"]["comments"] and year["supplements"]["requests"]


def test_work_hours_function_of_the_return_trigger() -> None:
    from sync_server.store.report_functions import work_hours

    # Tue 09:00 → Wed 09:00: 7.5 working hours (07:30–11:30, 13:30–17:00).
    assert work_hours("2026-11-17T09:00:00+07:00", "2026-11-18T09:00:00+07:00") == 7.5
    # Fri 16:00 → Mon 08:30: the weekend does not count.
    assert work_hours("2026-11-20T16:00:00+07:00", "2026-11-23T08:30:00+07:00") == 2.0
    # Mon 09:00 → Wed 09:00: Tue 24 Nov 2026 is Vietnamese Culture Day, a day off.
    assert work_hours("2026-11-23T09:00:00+07:00", "2026-11-25T09:00:00+07:00") == 7.5
    assert work_hours(None, "2026-11-24T09:00:00+07:00") is None
    assert work_hours("hôm qua", "2026-11-24T09:00:00+07:00") is None  # never fails a return
