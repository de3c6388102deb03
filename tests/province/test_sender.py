"""A serving station sends its day figures on its own (``serve --hub-every``), catches up
after an outage, and never fails because the hub is away."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest

from province_hub.launcher import RunningHub
from shared.permissions import Role
from shared.workdays import vn_now
from sync_server.services import door
from sync_server.services.admin.demo import DEMO_UNIT
from sync_server.services.province.sender import (
    MAX_BACK_DAYS,
    RECOUNT_DAYS,
    HubSender,
    days_to_send,
)
from sync_server.services.setup.staff import Staff
from tests.province.conftest import demo_station

pytestmark = pytest.mark.postgres
ADMIN = Staff("quantri", "Quản trị", Role.ADMIN, None)


def test_which_days_a_run_sends() -> None:
    today = date(2026, 12, 7)
    # Never sent: the past year, the province's history.
    assert days_to_send(None, today) == (today - timedelta(days=MAX_BACK_DAYS), today)
    # Sent yesterday: the last two weeks again (late pushes change past days), to today.
    assert days_to_send("2026-12-06", today) == (date(2026, 11, 22), today)
    # Back after a month away: from two weeks before the last day sent.
    assert days_to_send("2026-11-01", today) == (date(2026, 10, 18), today)
    # Away for years: a year at most.
    assert days_to_send("2020-01-01", today)[0] == today - timedelta(days=MAX_BACK_DAYS)


def test_the_sender_sends_catches_up_and_survives_an_outage(
    hub: RunningHub, hub_dsn: str, tmp_path: Path
) -> None:
    station = demo_station(tmp_path / "laivung")
    sender = HubSender(station, every_minutes=60)
    assert sender.run_once() is None  # not registered: nothing to do
    with station.session() as db:
        door.hub_register(ADMIN, station, db, hub.url, hub.register_code(str(DEMO_UNIT["code"])))
    first = sender.run_once()
    assert first is not None and first["days_sent"] == MAX_BACK_DAYS + 1
    again = sender.run_once()
    assert again is not None and again["days_sent"] == RECOUNT_DAYS + 1
    with psycopg.connect(hub_dsn) as conn:
        row = conn.execute("SELECT count(*), max(day) FROM figure_days").fetchone()
    assert row is not None and row[0] == MAX_BACK_DAYS + 1
    assert row[1] == vn_now().date()
    hub.kill()
    assert sender.run_once() == {"error": "HUB_UNREACHABLE"}
