"""Tablet sync scenarios against the real station app, in process (tests/mobile/conftest.py).

Real tablet data folders, real crypto, real SQLite on both sides; only the socket is
left out. The real-uvicorn end-to-end runs are in tests/integration/test_full_loop.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.mobile.conftest import APPRAISER, INTAKE, InProcessStation
from tests.tablet_kit import receive_sample

Station = InProcessStation


def enrolled_tablet(station: Station, folder: Path) -> TabletService:
    return station.tablet(folder)


def test_push_ack_lost_then_resent_is_harmless(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    d = receive_sample(tablet, 7)
    [row] = tablet.store.pending_outbox(10)
    body = {"device_id": tablet.ctx.device_id, "changes": [json.loads(row["envelope"])]}
    # The station applies the push but the answer never reaches the tablet.
    first = station.http.post("/v1/sync/push", json=body)
    assert first.status_code == 200 and first.json()["acked_seq"] == 1
    assert tablet.sync_state().pending == 1
    report = tablet.sync()  # resends seq 1: same bytes → duplicate, acknowledged
    assert report.pending == 0
    again = station.http.post("/v1/sync/push", json=body)
    assert again.json()["results"][0]["outcome"] == "duplicate"
    assert len([x for x in station.dossiers(APPRAISER) if x["id"] == d.id]) == 1
    tablet.close()


def test_wrong_pin_at_first_unlock_is_refused_by_station(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    with pytest.raises(TaiChoError) as exc:
        tablet.unlock("tiepnhan", "999999")
    assert exc.value.code == "AUTH_FAILED"
    assert not tablet.keys.unlocked and tablet.sessions.known_users() == []
    tablet.close()


def test_enroll_code_is_one_time(station: Station, tmp_path: Path) -> None:
    code = station.enroll_code()
    station.tablet(tmp_path / "a", enroll=False).enrolment.enroll(station.url, code)
    with pytest.raises(TaiChoError) as exc:
        station.tablet(tmp_path / "b", enroll=False).enrolment.enroll(station.url, code)
    assert exc.value.code == "ENROLL_CODE_INVALID"


def test_whole_batch_resent_after_lost_ack(station: Station, tmp_path: Path) -> None:
    """The station applied seq 1–3 but the tablet never heard: resending is harmless."""
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    for seed in (1, 2, 3):
        receive_sample(tablet, seed)
    rows = tablet.store.pending_outbox(10)
    body = {"device_id": tablet.ctx.device_id, "changes": [json.loads(r["envelope"]) for r in rows]}
    assert station.http.post("/v1/sync/push", json=body).json()["acked_seq"] == 3
    report = tablet.sync()
    assert (report.pushed, report.pending) == (0, 0)  # all three came back as duplicates
    assert len(station.dossiers(APPRAISER, "received")) == 3
    tablet.close()


def test_sequence_gap_is_refused_with_the_expected_seq(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    for seed in (1, 2):
        receive_sample(tablet, seed)
    rows = tablet.store.pending_outbox(10)
    body = {"device_id": tablet.ctx.device_id, "changes": [json.loads(rows[1]["envelope"])]}
    r = station.http.post("/v1/sync/push", json=body)
    assert r.status_code == 409
    assert r.json()["code"] == "SYNC_OUT_OF_ORDER" and r.json()["params"]["expected"] == 1
    assert tablet.sync().pending == 0  # the real client sends 1 then 2
    tablet.close()


def test_damaged_feed_item_is_set_aside_not_blocking(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    d1 = receive_sample(tablet, 1)
    d2 = receive_sample(tablet, 2)
    tablet.sync()
    for d in (d1, d2):
        assert station.act(d.id, "accept", APPRAISER).status_code == 200
    tablet.sessions.lock()
    tablet.sync()
    [first, _second] = tablet.store.unapplied_inbox()
    env = json.loads(first["envelope"])
    env["ct"] = env["ct"][:-4] + ("AAAA" if not env["ct"].endswith("AAAA") else "BBBB")
    tablet.store.db["inbox"].update(first["seq"], {"envelope": json.dumps(env)})
    tablet.unlock(*INTAKE)  # must not fail because of the damaged item
    assert tablet.store.quarantined_count() == 1
    statuses = {tablet.dossiers.get(d.id)["status"] for d in (d1, d2)}
    assert statuses == {"received", "appraised"}  # the good item was applied
    tablet.close()


def test_supplement_goes_back_to_the_appraiser(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    values = sample_values("1.001193", vn_now().date(), 5)
    d = tablet.intake("1.001193", values, components_received=every_component("1.001193", values))
    with pytest.raises(TaiChoError) as exc:
        tablet.dossiers.supplement(d.id, values)  # only a dossier sent back may be edited
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    tablet.sync()
    assert station.act(d.id, "request_supplement", APPRAISER, "Ghi rõ nơi sinh").status_code == 200
    tablet.sync()
    fixed = {**values, "child_birth_place": "Bệnh viện Đa khoa Đồng Tháp, phường Cao Lãnh"}
    assert tablet.dossiers.supplement(d.code, fixed).version == 3
    assert tablet.sync().pushed == 1
    [row] = [x for x in station.dossiers(APPRAISER, "received") if x["id"] == d.id]
    assert row["version"] == 3
    assert station.act(d.id, "accept", APPRAISER).status_code == 200
    tablet.sync()
    shown = tablet.dossiers.get(d.id)
    assert shown["status"] == "appraised" and shown["sync_problem"] is None
    assert shown["values"]["child_birth_place"] == fixed["child_birth_place"]
    assert [h["action"] for h in shown["history"]] == [
        "receive",
        "request_supplement",
        "supplement",
        "accept",
    ]
    tablet.close()


def test_edit_based_on_an_old_version_is_kept_as_a_conflict(
    station: Station, tmp_path: Path
) -> None:
    """A tablet edit made on version 1 while the office already moved to version 2."""
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    values = sample_values("1.001193", vn_now().date(), 6)
    d = tablet.intake("1.001193", values, components_received=every_component("1.001193", values))
    tablet.sync()
    assert station.act(d.id, "request_supplement", APPRAISER, "Thiếu giấy").status_code == 200
    # Without pulling, the tablet still holds version 1; forge the stale edit the way an
    # out-of-date tablet would send it (its own signing key, its next outbox sequence).
    stale, _ = tablet.dossiers.load(d.id)
    stale.values = {**stale.values, "child_hometown": "xã Lai Vung, tỉnh Đồng Tháp"}
    stale.version, stale.base_version = 3, 1
    with tablet.store.transaction():
        tablet.outbox.queue(stale)
    report = tablet.sync()
    assert [r["outcome"] for r in report.rejected] == ["conflict"]
    shown = tablet.dossiers.get(d.id)  # the station's state wins; it keeps the stale edit aside
    assert shown["sync_problem"]["code"] == "EDIT_CONFLICT"
    [row] = [x for x in station.dossiers(APPRAISER) if x["id"] == d.id]
    assert (row["status"], row["version"]) == ("supplement_requested", 2)
    tablet.close()


def test_revoked_tablet_wipes_itself_on_next_contact(station: Station, tmp_path: Path) -> None:
    folder = tmp_path / "lost-tablet"
    tablet = enrolled_tablet(station, folder)
    tablet.unlock(*INTAKE)
    values = sample_values("1.001193", vn_now().date(), 8)
    tablet.intake("1.001193", values, components_received=every_component("1.001193", values))
    tablet.sync()
    station.revoke(tablet.ctx.device_id)
    with pytest.raises(TaiChoError) as exc:
        tablet.sync()
    assert exc.value.code == "DEVICE_REVOKED"
    assert not tablet.ctx.enrolled and not tablet.keys.unlocked
    assert tablet.store.list_records() == [] and tablet.sessions.known_users() == []
    tablet.close()
    again = station.tablet(folder, enroll=False)
    assert not again.ctx.enrolled and again.sync_state().pending == 0
    again.close()


def test_sync_reports_its_progress_phase_by_phase(
    station: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress bar's source: every push batch counted up to the total, the pull
    counted, then what came opened one by one; a second sync starts again from zero."""
    from mobile.services import outbox
    from mobile.services.progress import APPLY, PULL, PUSH, SyncProgress

    monkeypatch.setattr(outbox, "MAX_PUSH_BATCH", 4)  # small batches, same code path

    class Recording(SyncProgress):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[tuple[str, int, int]] = []

        def set(self, phase: str, done: int, total: int) -> None:
            super().set(phase, done, total)
            self.seen.append((phase, done, total))

    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    n = 10  # three batches
    ids = [receive_sample(tablet, seed).id for seed in range(n)]
    rec = Recording()
    assert tablet.sync(rec).pushed == n
    pushes = [s for s in rec.seen if s[0] == PUSH]
    assert pushes[0] == (PUSH, 0, n) and pushes[-1] == (PUSH, n, n)
    assert (PUSH, 4, n) in pushes and (PUSH, 8, n) in pushes
    assert [d for _, d, _ in pushes] == sorted(d for _, d, _ in pushes)  # never goes back
    assert any(s[0] == PULL for s in rec.seen)
    half = SyncProgress(PUSH, 4, 10)
    assert half.fraction() == 0.4 and half.words().endswith("4/10")
    assert SyncProgress(PULL, 7, 0).fraction() is None  # counted, total unknown
    # the office acts on two of them: the next sync pulls and opens their state changes
    for dossier_id in ids[:2]:
        assert station.act(dossier_id, "accept", APPRAISER).status_code == 200
    again = Recording()
    report = tablet.sync(again)
    assert report.pushed == 0 and report.applied >= 2
    applies = [s for s in again.seen if s[0] == APPLY]
    assert applies and applies[-1][2] == report.applied
    assert not [s for s in again.seen if s[0] == PUSH]  # nothing to send: no push phase
    tablet.close()


def test_office_staff_reach_the_tablet_and_a_disabled_officer_is_forgotten(
    station: Station, tmp_path: Path
) -> None:
    """The unlock screen's list comes from the station; an account disabled at the office
    loses its PIN wrap on this tablet at the next sync, so it cannot unlock offline."""
    from sync_server.services.setup import staff as staff_service
    from sync_server.store import sync_log

    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    tablet.sync()
    office = {s["username"]: s["full_name"] for s in tablet.sessions.office_staff()}
    assert INTAKE[0] in office and office[INTAKE[0]]
    assert APPRAISER[0] not in office  # only intake staff are offered on a tablet
    # nothing changed: another pull queues no new staff item
    with station.station.session() as db:
        before = len(sync_log.feed_after(db, tablet.ctx.device_id, 0, 1000))
    tablet.sync()
    with station.station.session() as db:
        assert len(sync_log.feed_after(db, tablet.ctx.device_id, 0, 1000)) == before
        staff_service.add_staff(
            db, username="tiepnhan3", role="intake", pin="135790", full_name="Lê Văn Tâm"
        )
    tablet.sync()
    assert {"username": "tiepnhan3", "full_name": "Lê Văn Tâm"} in tablet.sessions.office_staff()
    # the office disables the officer who used this tablet
    assert INTAKE[0] in tablet.sessions.known_users()
    with station.station.session() as db:
        admin = staff_service.get_staff(db, "quantri")
        assert admin is not None
        staff_service.set_active(db, station.station.keys, admin, INTAKE[0], active=False)
    tablet.sync()
    assert INTAKE[0] not in tablet.sessions.known_users()
    assert INTAKE[0] not in {s["username"] for s in tablet.sessions.office_staff()}
    tablet.sessions.lock()
    with pytest.raises(TaiChoError) as err:
        tablet.unlock(*INTAKE)  # no local wrap any more: the station refuses
    assert err.value.code == "AUTH_FAILED"
    tablet.close()


def test_every_tablet_keeps_the_audit_anchors_so_a_cut_tail_is_caught(
    station: Station, tmp_path: Path
) -> None:
    """Anchors reach the tablet by its feed (signature checked), are not queued twice, and
    a tail cut from the station's chain contradicts the anchors the tablet holds."""
    from sync_server.services.core import audit
    from sync_server.services.core.clock import vn_now_iso
    from sync_server.store import sync_log
    from sync_server.store.db import transaction

    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    d = receive_sample(tablet, 4)
    tablet.sync()
    assert station.act(d.id, "accept", APPRAISER).status_code == 200
    with station.station.session() as db, transaction(db):
        kept = audit.anchor(db, station.station.keys, vn_now_iso())  # as on a control sheet
    tablet.sync()
    held = tablet.audit_anchors()
    assert held and held[-1] == kept  # the newest, exactly as the station signed it
    with station.station.session() as db:
        before = len(sync_log.feed_after(db, tablet.ctx.device_id, 0, 1000))
    tablet.sync()
    with station.station.session() as db:
        assert len(sync_log.feed_after(db, tablet.ctx.device_id, 0, 1000)) == before
        # the accept and what follows are cut, and the station's own anchors with them
        db.execute("DELETE FROM audit WHERE seq >= ?", (int(kept["rows"]),))
        db.execute("DELETE FROM meta WHERE key LIKE 'audit_anchor/%'")
        with pytest.raises(TaiChoError) as err:
            audit.verify_all(db, station.station.keys.ed_pk, held)
    assert err.value.code == "AUDIT_ANCHOR_MISMATCH"
    tablet.close()


def test_the_desk_knows_what_a_tablet_still_had_unsent_at_its_last_contact(
    station: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tablet whose push was cut reports its outbox at the pull; the revoke dialog's
    data says how many it still had (and when)."""
    from mobile.services import outbox
    from sync_server.services.sync import enrollment

    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    for seed in range(3):
        receive_sample(tablet, seed)
    tablet.sync()

    def _row() -> dict[str, Any]:
        with station.station.session() as db:
            rows = enrollment.list_devices_with_contact(db)
        return next(r for r in rows if r["id"] == tablet.ctx.device_id)

    assert _row()["pending_reported"] == 0 and _row()["pending_reported_at"]
    # two more taken in; the push sends none of them (as if cut), the pull still reports
    for seed in (7, 8):
        receive_sample(tablet, seed)
    monkeypatch.setattr(outbox.OutboxService, "push", lambda self, client, progress=None: (0, []))
    tablet.sync()
    assert _row()["pending_reported"] == 2
    tablet.close()
