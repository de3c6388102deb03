"""A station cut below what it acknowledged is caught by the tablet (issue 22 §5).

Scenario: the tablet's anchors stop at an earlier row; someone deletes the last rows of
the audit log and the dossiers received in them (and, to hide it, the push log's rows and
the device's acknowledged sequence). Before the fix ``audit-verify`` passed and the
tablet never noticed. Now each pull carries a digest of what the station acknowledged;
the station's answer no longer matches, and both sides raise the alarm.
"""

from __future__ import annotations

import sqlite3

import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.services.core import audit
from sync_server.services.sync import enrollment
from tests.mobile.conftest import InProcessStation

PROC = "1.001193"


def _receive(tablet: TabletService, n: int, start: int = 1) -> list[str]:
    ids = []
    for i in range(start, start + n):
        d = tablet.intake(
            PROC,
            sample_values(PROC, vn_now().date(), i),
            components_received=every_component(PROC, sample_values(PROC, vn_now().date(), i)),
        )
        ids.append(d.id)
    return ids


def _cut(station: InProcessStation, ids: list[str], *, hide: bool) -> None:
    """Delete these dossiers and every audit row from the first of them on, as an insider
    with the database file would (no foreign keys enforced); ``hide``: also the push log's
    rows and the device's acknowledged sequence."""
    path = station.station.paths.db
    conn = sqlite3.connect(path)
    try:
        marks = ",".join("?" * len(ids))
        first = conn.execute(
            f"SELECT min(seq) FROM audit WHERE dossier_id IN ({marks})", ids
        ).fetchone()[0]
        conn.execute("DELETE FROM audit WHERE seq >= ?", (first,))
        conn.execute(f"DELETE FROM dossiers WHERE id IN ({marks})", ids)
        if hide:
            seqs = [
                r[0]
                for r in conn.execute(
                    f"SELECT seq FROM push_log WHERE record_id IN ({marks})", ids
                ).fetchall()
            ]
            conn.execute(f"DELETE FROM push_log WHERE record_id IN ({marks})", ids)
            conn.execute("UPDATE devices SET push_acked = ?", (min(seqs) - 1,))
        conn.commit()
    finally:
        conn.close()


def _verify(station: InProcessStation) -> None:
    with station.station.session() as db:
        audit.verify_all(db, station.station.keys.ed_pk, [])


def _station_alarm(station: InProcessStation, device_id: str) -> object:
    with station.station.session() as db:
        devices = enrollment.list_devices_with_contact(db)
    return next(d for d in devices if d["id"] == device_id)["held_alarm"]


def test_a_healthy_station_raises_no_alarm(
    station: InProcessStation, tablet: TabletService
) -> None:
    _receive(tablet, 3)
    assert tablet.sync().station_alarm is None
    _receive(tablet, 2, start=4)
    report = tablet.sync()
    assert report.pushed == 2 and report.station_alarm is None
    assert tablet.sync_state().station_alarm is None
    assert _station_alarm(station, tablet.ctx.device_id) is None
    _verify(station)


def test_a_cut_tail_hidden_in_the_sync_log_is_caught_by_the_tablet(
    station: InProcessStation, tablet: TabletService
) -> None:
    ids = _receive(tablet, 4)
    tablet.sync()
    with station.station.session() as db:  # the newest anchor before the cut
        anchor_rows = audit.chain_head(db)["rows"]
    _cut(station, ids[2:], hide=True)
    with station.station.session() as db:
        assert audit.chain_head(db)["rows"] < anchor_rows
    _verify(station)  # what the station alone can check still passes

    report = tablet.sync()
    alarm = report.station_alarm
    assert alarm is not None and alarm["code"] == "STATION_LOST_CHANGES"
    assert alarm["params"]["count"] == 2 and alarm["params"]["first"] == 3
    assert "không còn giữ" in alarm["message"]
    assert tablet.sync_state().station_alarm == alarm  # the sync bar shows it
    station_side = _station_alarm(station, tablet.ctx.device_id)
    assert isinstance(station_side, dict) and station_side["count"] == 2


def test_a_new_change_after_the_cut_raises_the_alarm_at_push(
    station: InProcessStation, tablet: TabletService
) -> None:
    ids = _receive(tablet, 3)
    tablet.sync()
    _cut(station, ids[1:], hide=True)
    _receive(tablet, 1, start=4)
    with pytest.raises(TaiChoError) as exc:
        tablet.sync()
    assert exc.value.code == "STATION_LOST_CHANGES"
    assert exc.value.ctx["first"] == 2
    assert tablet.sync_state().station_alarm is not None


def test_dossiers_deleted_under_an_intact_sync_log_are_caught_on_both_sides(
    station: InProcessStation, tablet: TabletService
) -> None:
    ids = _receive(tablet, 3)
    tablet.sync()
    _cut(station, ids[2:], hide=False)
    with pytest.raises(TaiChoError) as exc:
        _verify(station)
    assert exc.value.code == "AUDIT_DOSSIER_MISSING" and exc.value.ctx["seq"] == 3
    alarm = tablet.sync().station_alarm
    assert alarm is not None and alarm["params"]["first"] == 3
