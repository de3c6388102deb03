"""The station's local calendar: CLI, due times at intake, the feed item for tablets."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet, admin_cli

from shared.errors import TaiChoError
from shared.workdays import VN_TZ, CalendarOverrides, due_at, is_working_day, vn_now
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.setup import calendar
from sync_server.services.sync import enrollment


def test_cli_calendar_set_and_list(tmp_path: Path) -> None:
    data = tmp_path / "st"
    r = admin_cli(
        data, "calendar-set", "--off", "2026-01-02", "--work", "2026-01-10", "--note", "QĐ"
    )
    assert r.returncode == 0, r.stderr
    listed = json.loads(admin_cli(data, "calendar-list").stdout)
    assert listed["off"] == ["2026-01-02"] and listed["work"] == ["2026-01-10"]
    assert {e["day"]: e["kind"] for e in listed["entries"]} == {
        "2026-01-02": "off",
        "2026-01-10": "work",
    }
    r = admin_cli(data, "calendar-set", "--clear", "2026-01-02")
    assert json.loads(r.stdout)["off"] == []
    for bad in (["--off", "2026-02-30"], ["--off", "2026-03-02", "--work", "2026-03-02"], []):
        r = admin_cli(data, "calendar-set", *bad)
        assert r.returncode == 1 and json.loads(r.stderr)["code"] == "CALENDAR_INVALID", bad


def test_demo_seeds_the_2026_decision(station: Station) -> None:
    with station.session() as db:
        demo.seed(db, station.keys)
        demo.seed(db, station.keys)  # idempotent
        got = calendar.calendar_overrides(db)
        assert got == CalendarOverrides.of(off=[date(2026, 1, 2)], work=[date(2026, 1, 10)])
        rows = db.execute("SELECT COUNT(*) FROM audit WHERE action = 'calendar.set'").fetchone()
        assert rows[0] == 1


def test_intake_due_time_uses_the_overrides(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    # A recent working day made a day off: a dossier received that morning is due on the
    # next working day, exactly as shared.workdays computes with the same overrides.
    day = vn_now().date() - timedelta(days=3)
    while not is_working_day(day):
        day -= timedelta(days=1)
    with station.session() as db:
        cal = calendar.set_calendar(db, station.keys, off=[day.isoformat()])
    received = datetime.combine(day, time(9), VN_TZ)
    d = tablet.dossier(received_at=received.isoformat())
    r = tablet.push([tablet.change(d)])
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    got = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    assert got["due_at"] == due_at(received, 0, overrides=cal).isoformat()
    assert got["due_at"] != due_at(received, 0).isoformat()


def test_a_change_reaches_every_active_tablet_by_its_feed(tablet: Tablet, station: Station) -> None:
    with station.session() as db:
        calendar.set_calendar(db, station.keys, off=["2026-01-02"], work=["2026-01-10"])
    items = [tablet.open_feed(i) for i in tablet.pull()["items"]]
    assert items[-1] == {"type": "calendar", "off": ["2026-01-02"], "work": ["2026-01-10"]}


def test_bad_days_are_refused(station: Station) -> None:
    with station.session() as db, pytest.raises(TaiChoError) as err:
        calendar.set_calendar(db, station.keys, off=["1999-12-31"])
    assert err.value.code == "CALENDAR_INVALID"


def test_a_tablet_enrolled_later_gets_the_current_calendar(
    client: TestClient, demo_station: Station
) -> None:
    with demo_station.session() as db:
        calendar.set_calendar(db, demo_station.keys, off=["2026-01-02"], work=["2026-01-10"])
        code = enrollment.new_enroll_code(db)
    t = Tablet(client)
    t.enroll(code)
    items = [i for i in t.enrol_items if i["type"] == "calendar"]  # read at enrolment
    assert items == [{"type": "calendar", "off": ["2026-01-02"], "work": ["2026-01-10"]}]
