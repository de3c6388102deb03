"""A cloned (or restored) tablet recovers by re-enrolling as a new device (issue 22 §6).

Scenario: tablet A's data folder is copied (a clone, or a backup restored later) while a
dossier is still unsent. A sends it and goes on; the copy B receives one more dossier —
with the very number A used meanwhile, from the same reserve. Before the fix B failed
every sync with ``SYNC_REPLAY_MISMATCH`` and its dossiers never arrived. Now B re-enrols
with a new code: its unsent dossiers go again under new sequence numbers, what A had
delivered already is a duplicate (nothing twice), and the dossier whose number A also
used is renumbered (its receipt is printed again).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.mobile.conftest import INTAKE, InProcessStation

PROC = "1.001193"


def _receive(tablet: TabletService, i: int) -> str:
    d = tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), i),
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), i)),
    )
    return d.id


def _open(station: InProcessStation, folder: Path) -> TabletService:
    t = TabletService(folder, http=station.http)
    t.unlock(*INTAKE)
    return t


def _station_dossiers(station: InProcessStation) -> dict[str, str]:
    with station.station.session() as db:
        return {r["id"]: r["code"] for r in db.query("SELECT id, code FROM dossiers")}


def test_a_cloned_tablet_recovers_by_re_enrolling(
    station: InProcessStation, tmp_path: Path
) -> None:
    a = station.tablet(tmp_path / "a")
    a.unlock(*INTAKE)
    a.sync()  # today's dossier numbers
    d1 = _receive(a, 1)
    a.sync()
    d2 = _receive(a, 2)  # not sent yet when the folder is copied
    a.close()
    shutil.copytree(tmp_path / "a", tmp_path / "b")

    a = _open(station, tmp_path / "a")
    a.sync()  # d2 arrives, from A
    d3 = _receive(a, 3)
    a.sync()
    b = _open(station, tmp_path / "b")
    d4 = _receive(b, 4)  # the copy numbers it from the same reserve as A's d3
    assert b.dossiers.get(d4)["code"] == a.dossiers.get(d3)["code"]
    with pytest.raises(TaiChoError) as exc:
        b.sync()
    assert exc.value.code == "SYNC_REPLAY_MISMATCH"
    assert "đăng ký lại" in exc.value.message("vi")  # the message names the way out
    assert set(_station_dossiers(station)) == {d1, d2, d3}

    old_id = b.ctx.device_id
    report = b.recovery.recover(station.url, station.enroll_code())
    assert report.old_device_id == old_id and report.device_id != old_id
    assert (report.resent, report.duplicates, report.applied) == (2, 1, 1), report
    assert report.refused == []
    (renumbered,) = report.renumbered
    assert renumbered["id"] == d4 and renumbered["old_code"] == a.dossiers.get(d3)["code"]

    held = _station_dossiers(station)
    assert set(held) == {d1, d2, d3, d4}  # every dossier once
    assert held[d4] == renumbered["new_code"] == b.dossiers.get(d4)["code"]
    assert len(set(held.values())) == 4

    # Both go on syncing, with no alarm: B as its new device, A as the old one.
    report_b = b.sync()
    assert report_b.pending == 0 and report_b.station_alarm is None
    assert b.dossiers.get(d4)["sync_problem"] is None  # the stale refusal is not shown
    d5 = _receive(b, 5)
    assert b.sync().pushed == 1 and d5 in _station_dossiers(station)
    assert a.sync().station_alarm is None
    a.close()
    b.close()
