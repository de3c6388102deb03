"""The station's calendar overrides reach the tablet's own due times (tests/mobile/conftest.py).

Real station app in process, real tablet: the station marks the next working day off, the
tablet pulls the ``calendar`` item, then takes in a dossier after 15:00 — its offline due
time skips the day off exactly as the station computes it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.codes import BLOCK_SIZE
from shared.samples import sample_values
from shared.workdays import (
    VN_TZ,
    CalendarOverrides,
    due_at,
    effective_receipt_day,
    is_working_day,
)
from storekit import transaction
from sync_server.services.setup.calendar import calendar_overrides, set_calendar
from sync_server.services.sync import numbers
from tests.mobile.conftest import APPRAISER, INTAKE, InProcessStation

PROCEDURE = "1.001193"


def after_cutoff() -> datetime:
    """16:00 on the latest past working day (the station refuses a future receipt)."""
    now = datetime.now(VN_TZ)
    day = now.date()
    while not is_working_day(day) or datetime.combine(day, time(16), VN_TZ) > now:
        day -= timedelta(days=1)
    return datetime.combine(day, time(16), VN_TZ)


def friday_after_cutoff() -> tuple[date, datetime]:
    """The latest past Saturday after a working Friday, and 16:00 on that Friday."""
    now = datetime.now(VN_TZ)
    day = now.date()
    while True:
        friday = day - timedelta(days=1)
        moment = datetime.combine(friday, time(16), VN_TZ)
        if day.weekday() == 5 and is_working_day(friday) and moment < now:
            return day, moment
        day -= timedelta(days=1)


def tablet_at(station: InProcessStation, folder: Path, moment: datetime) -> TabletService:
    """A tablet whose clock stands at ``moment``, with dossier numbers for that day.

    The station reserves numbers from its own today on (and tops up yesterday at most),
    while ``moment`` is the last working day: seen from a Sunday or a Monday morning that
    is days back, so its day's block is granted here as the station would have."""
    tablet = TabletService(folder, http=station.http, clock=lambda: moment)
    tablet.enrolment.enroll(station.url, station.enroll_code())
    with station.station.session() as db, transaction(db):
        numbers.grant(
            db,
            station.station.keys,
            tablet.ctx.device_id,
            tablet.ctx.unit_code(),
            moment.date(),
            BLOCK_SIZE,
        )
    return tablet


def test_intake_due_time_skips_station_day_off(station: InProcessStation, tmp_path: Path) -> None:
    moment = after_cutoff()
    national_receipt = effective_receipt_day(moment)  # the next working day (after 15:00)
    tablet = tablet_at(station, tmp_path / "t", moment)
    with station.station.session() as db:
        set_calendar(db, station.station.keys, off=[national_receipt.isoformat()], actor="test")
        overrides = calendar_overrides(db)
    assert national_receipt in overrides.off
    tablet.unlock(*INTAKE)
    tablet.sync()  # pull applies the calendar item (unlocked)
    assert tablet.store.get_meta("calendar") == overrides.to_dict()

    d = tablet.intake(
        PROCEDURE,
        sample_values(PROCEDURE, moment.date(), 7),
        components_received=every_component(PROCEDURE, sample_values(PROCEDURE, moment.date(), 7)),
    )
    limit = tablet.catalogue.get(PROCEDURE).time_limit_working_days
    expected = due_at(moment, limit, overrides=overrides)
    assert datetime.fromisoformat(d.due_at) == expected
    assert datetime.fromisoformat(d.due_at) != due_at(moment, limit)  # the day off counted
    assert effective_receipt_day(moment, overrides) > national_receipt

    # The station, receiving the push, computes the same due time.
    tablet.sync()
    [row] = [x for x in station.dossiers(APPRAISER) if x["id"] == d.id]
    assert datetime.fromisoformat(row["due_at"]) == expected
    tablet.close()


@pytest.mark.parametrize(
    "damaged",
    ["not a calendar", {"off": "2026-12-01"}, {"off": ["not-a-date"]}, {"extra": []}, 42],
)
def test_damaged_calendar_meta_is_logged_and_ignored(
    station: InProcessStation,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    damaged: object,
) -> None:
    moment = after_cutoff()
    tablet = tablet_at(station, tmp_path / "t", moment)
    tablet.unlock(*INTAKE)
    tablet.store.set_meta("calendar", damaged)
    with caplog.at_level(logging.WARNING, logger="mobile"):
        d = tablet.intake(
            PROCEDURE,
            sample_values(PROCEDURE, moment.date(), 7),
            components_received=every_component(
                PROCEDURE, sample_values(PROCEDURE, moment.date(), 7)
            ),
        )
    limit = tablet.catalogue.get(PROCEDURE).time_limit_working_days
    assert datetime.fromisoformat(d.due_at) == due_at(moment, limit)  # national calendar
    assert "calendar" in caplog.text
    tablet.close()


def test_no_calendar_meta_uses_national_calendar(station: InProcessStation, tmp_path: Path) -> None:
    moment = after_cutoff()
    tablet = tablet_at(station, tmp_path / "t", moment)
    tablet.unlock(*INTAKE)
    tablet.store.set_meta("calendar", None)
    assert tablet.ctx.calendar() == CalendarOverrides()
    d = tablet.intake(
        PROCEDURE,
        sample_values(PROCEDURE, moment.date(), 7),
        components_received=every_component(PROCEDURE, sample_values(PROCEDURE, moment.date(), 7)),
    )
    limit = tablet.catalogue.get(PROCEDURE).time_limit_working_days
    assert datetime.fromisoformat(d.due_at) == due_at(moment, limit)
    tablet.close()


def test_make_up_working_day_counts_on_the_tablet(
    station: InProcessStation, tmp_path: Path
) -> None:
    saturday, moment = friday_after_cutoff()
    tablet = tablet_at(station, tmp_path / "t", moment)
    with station.station.session() as db:
        set_calendar(db, station.station.keys, work=[saturday.isoformat()], actor="test")
        overrides = calendar_overrides(db)
    tablet.unlock(*INTAKE)
    tablet.sync()
    d = tablet.intake(
        PROCEDURE,
        sample_values(PROCEDURE, moment.date(), 7),
        components_received=every_component(PROCEDURE, sample_values(PROCEDURE, moment.date(), 7)),
    )
    limit = tablet.catalogue.get(PROCEDURE).time_limit_working_days
    assert datetime.fromisoformat(d.due_at) == due_at(moment, limit, overrides=overrides)
    assert datetime.fromisoformat(d.due_at) != due_at(moment, limit)  # the Saturday counted
    tablet.close()
