"""No commune configured: the station refuses enrolment, and a tablet that enrolled before a
commune was set says so in plain words instead of crashing (issue 5 §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.services.admin import demo
from sync_server.services.core.station import set_unit
from tests.mobile.conftest import INTAKE, InProcessStation

# What a station without a commune answered before enrolment was refused for it.
OLD_EMPTY_UNIT = {"code": None, "name": None, "province": None, "agency_lines": []}


def test_station_without_a_unit_refuses_enrolment(
    bare_station: InProcessStation, tmp_path: Path
) -> None:
    with bare_station.station.session() as db:
        demo.seed(db)
        db.execute("DELETE FROM meta WHERE key = 'unit'")
    tablet = bare_station.tablet(tmp_path / "t", enroll=False)
    with pytest.raises(TaiChoError) as exc:
        tablet.enrolment.enroll(bare_station.url, bare_station.enroll_code())
    assert (exc.value.code, exc.value.field) == ("UNIT_NOT_CONFIGURED", "unit")
    assert "xã" in exc.value.message("vi") and "commune" in exc.value.message("en")
    assert not tablet.ctx.enrolled
    r = bare_station.http.get("/v1/health")
    assert r.status_code == 200 and r.json()["unit"] is None
    tablet.close()


def test_tablet_enrolled_before_a_unit_says_so_then_recovers(
    station: InProcessStation, tmp_path: Path
) -> None:
    tablet = station.tablet(tmp_path / "t")
    tablet.unlock(*INTAKE)
    tablet.store.set_meta("unit", OLD_EMPTY_UNIT)
    values = sample_values("1.001193", vn_now().date(), 1)
    with pytest.raises(TaiChoError) as exc:
        tablet.intake("1.001193", values, components_received=every_component("1.001193", values))
    assert (exc.value.code, exc.value.field) == ("UNIT_NOT_CONFIGURED", "unit")
    assert tablet.sync_state().pending == 0  # nothing half-made was queued
    # Once the office set its commune, the next sync brings it to the tablet.
    with station.station.session() as db:
        set_unit(db, demo.DEMO_UNIT)
    tablet.sync()
    assert tablet.ctx.unit()["code"] == demo.DEMO_UNIT["code"]
    assert tablet.intake(
        "1.001193", values, components_received=every_component("1.001193", values)
    ).code.startswith(demo.DEMO_UNIT["code"])
    tablet.close()
