"""What a restore sets up, and what a tablet's report may change (services/sync/recovery.py).

In process over the real app: the restore's bookkeeping runs on the station as
``admin restore`` runs it on a restored one, then the tablet's side is played with the
wire messages alone (tests/sync_server/station_kit.py).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from fastapi.testclient import TestClient
from station_kit import UNIT, Tablet

from shared import backup as fmt
from shared import crypto
from shared import messages as m
from shared.codes import make_code
from shared.workdays import vn_now
from shared.workflow import Status
from sync_server.services.admin import backup
from sync_server.services.core import audit
from sync_server.services.core.station import Station
from sync_server.services.sync import recovery
from sync_server.store import recovery as recovery_q
from sync_server.store import sync_log


def _restored(station: Station, tmp: Any) -> fmt.Manifest:
    key = fmt.BackupKey.derive(
        "một câu đủ dài để thử", crypto.ScryptParams(os.urandom(16), n=2**10)
    )
    manifest = backup.make_backup(station, tmp / "b.tcbackup", key).manifest
    with station.session() as db:
        recovery.after_restore(db, station.keys, manifest, source="b.tcbackup", actor="admin")
    return manifest


def _recover(client: TestClient, tablet: Tablet, **fields: Any) -> Any:
    req = m.RecoverRequest(tablet.device_id, **fields)
    return client.post("/v1/sync/recover", json=m.to_dict(req))


def test_a_tablet_reports_once_and_only_what_a_restore_lost(
    client: TestClient, tablet: Tablet, station: Station, tmp_path: Any
) -> None:
    d1, d2 = tablet.dossier(), tablet.dossier()
    assert tablet.push([tablet.change(d1), tablet.change(d2)]).status_code == 200
    manifest = _restored(station, tmp_path)

    notice = tablet.pull(after=10**6 - 1)["restore"]
    assert notice == {"feed_seq": manifest.feed_seq, "push_acked": 2, "at": notice["at"]}
    with station.session() as db:
        assert sync_log.next_feed_seq(db) > manifest.feed_seq + recovery.FEED_GAP
        assert audit.verify_all(db, station.keys.ed_pk, [])["rows"] == manifest.audit.rows + 1

    today = vn_now().date().isoformat()
    lost = str(uuid.uuid4())
    r = _recover(
        client,
        tablet,
        acked=2,
        users=["tiepnhan", "thamdinh", "nobody"],
        numbers=[m.NumbersHeld(today, 4000)],
        states=[
            m.KnownState(d1["id"], d1["code"], Status.APPROVED, 4),  # changed at the desk
            m.KnownState(d2["id"], d2["code"], Status.RECEIVED, 1),  # as the station has it
            m.KnownState(lost, "X-1", Status.APPRAISING, 2),  # lost whole, then changed
            m.KnownState(str(uuid.uuid4()), "X-2", Status.RECEIVED, 1),  # lost, unchanged
        ],
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"push_acked": 2}
    with station.session() as db:
        redo = {x["dossier_id"]: x for x in recovery.redo_list(db)}
        assert set(redo) == {d1["id"], lost}
        assert redo[d1["id"]]["tablet_status"] == "approved" and not redo[d1["id"]]["done"]
        assert recovery.unlocked_before_restore(db, tablet.device_id) == {"tiepnhan"}
        floor = recovery_q.floor(db, UNIT, today)
        assert floor is not None and floor["floor"] == 4000
    assert "restore" not in tablet.pull(after=10**6 - 1)  # reported: no notice any more

    # A second report changes nothing.
    again = _recover(
        client, tablet, acked=2, states=[m.KnownState(d2["id"], "c", Status.STAMPED, 9)]
    )
    assert again.status_code == 200
    with station.session() as db:
        assert {x["dossier_id"] for x in recovery.redo_list(db)} == {d1["id"], lost}


def test_a_number_of_the_restore_gap_is_claimed_by_the_tablet_that_pushes_it(
    client: TestClient, tablet: Tablet, station: Station, tmp_path: Any
) -> None:
    _restored(station, tmp_path)
    day = vn_now().date()
    with station.session() as db:
        gap = recovery_q.floor(db, UNIT, day.isoformat())
    assert gap is not None and gap["floor"] - gap["restored_hi"] == recovery.NUMBER_GAP
    inside = tablet.dossier(code=make_code(UNIT, day, gap["restored_hi"] + 7))
    above = tablet.dossier(code=make_code(UNIT, day, gap["floor"] + 1))
    r = tablet.push([tablet.change(inside), tablet.change(above)])
    assert r.status_code == 200, r.text
    outcomes = [x["outcome"] for x in r.json()["results"]]
    assert outcomes == ["applied", "rejected"]
    with station.session() as db:
        # Claimed once: another tablet pushing the same number finds it taken.
        assert recovery.claim_number(db, "another", make_code_of(inside)) == tablet.device_id


def make_code_of(d: dict[str, Any]) -> Any:
    from shared.codes import parse_code

    return parse_code(d["code"])
