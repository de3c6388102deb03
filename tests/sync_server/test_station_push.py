"""Push scenarios, after ODK Central's offline-entities catalogue: replayed, out of order,
tampered, invalid, conflicting, from unknown or revoked devices."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from shared import crypto
from shared.codes import make_code
from shared.envelope import EnvelopeContext, seal_envelope
from shared.workdays import vn_now
from sync_server.services.core.station import Station
from sync_server.services.sync import enrollment


def _count(station: Station, table: str) -> int:
    with station.session() as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _acked(station: Station, tablet: Tablet) -> int:
    with station.session() as db:
        row = db.execute("SELECT push_acked FROM devices WHERE id = ?", [tablet.device_id])
        return int(row.fetchone()[0])


def test_batch_applies_in_order_and_acks_highest(tablet: Tablet, station: Station) -> None:
    changes = [tablet.change(tablet.dossier()) for _ in range(3)]
    r = tablet.push(changes)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["acked_seq"] == 3
    assert [x["outcome"] for x in body["results"]] == ["applied"] * 3
    assert [x["seq"] for x in body["results"]] == [1, 2, 3]
    assert _count(station, "dossiers") == 3 and _acked(station, tablet) == 3


def test_push_replayed_identical_is_duplicate(tablet: Tablet, station: Station) -> None:
    changes = [tablet.change(tablet.dossier()) for _ in range(2)]
    assert tablet.push(changes).status_code == 200
    r = tablet.push(changes)  # e.g. the first answer was lost on the way back
    assert r.status_code == 200
    assert r.json()["acked_seq"] == 2
    assert [x["outcome"] for x in r.json()["results"]] == ["duplicate", "duplicate"]
    assert _count(station, "dossiers") == 2


def test_push_interrupted_resumes_from_ack(tablet: Tablet, station: Station) -> None:
    changes = [tablet.change(tablet.dossier()) for _ in range(3)]
    assert tablet.push(changes[:1]).status_code == 200
    r = tablet.push(changes)  # resend everything: 1 is a duplicate, 2 and 3 apply
    assert [x["outcome"] for x in r.json()["results"]] == ["duplicate", "applied", "applied"]
    assert r.json()["acked_seq"] == 3


def test_push_replay_with_different_bytes_is_refused(tablet: Tablet, station: Station) -> None:
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).status_code == 200
    other = tablet.change(tablet.dossier(), seq=1)  # same seq, different content
    r = tablet.push([other])
    assert r.status_code == 409
    assert r.json()["code"] == "SYNC_REPLAY_MISMATCH"
    assert _count(station, "dossiers") == 1


def test_push_gap_is_refused_and_rolls_back_batch(tablet: Tablet, station: Station) -> None:
    first = tablet.change(tablet.dossier(), seq=1)
    skipped = tablet.change(tablet.dossier(), seq=3)
    r = tablet.push([first, skipped])
    assert r.status_code == 409
    assert r.json()["code"] == "SYNC_OUT_OF_ORDER"
    assert "2" in r.json()["message"]
    assert _count(station, "dossiers") == 0 and _acked(station, tablet) == 0


def test_push_bad_signature_applies_nothing(tablet: Tablet, station: Station) -> None:
    good = tablet.change(tablet.dossier())
    forged = tablet.change(tablet.dossier())
    sig = bytearray(crypto.b64d(forged["sig"]))
    sig[0] ^= 1
    forged["sig"] = crypto.b64e(bytes(sig))
    r = tablet.push([good, forged])
    assert r.status_code == 400
    assert r.json()["code"] == "ENVELOPE_BAD_SIGNATURE"
    assert _count(station, "dossiers") == 0 and _count(station, "push_log") == 0
    assert _acked(station, tablet) == 0


def test_push_signed_by_another_key_is_refused(
    client: TestClient, tablet: Tablet, station: Station
) -> None:
    impostor = Tablet(client)
    impostor.device_id, impostor.slot, impostor.pool = tablet.device_id, tablet.slot, tablet.pool
    r = tablet.push([impostor.change(impostor.dossier())])
    assert r.status_code == 400 and r.json()["code"] == "ENVELOPE_BAD_SIGNATURE"


def test_push_tampered_ciphertext_fails_signature(tablet: Tablet, station: Station) -> None:
    env = tablet.change(tablet.dossier())
    ct = bytearray(crypto.b64d(env["ct"]))
    ct[-1] ^= 1
    env["ct"] = crypto.b64e(bytes(ct))
    r = tablet.push([env])
    assert r.status_code == 400
    assert _count(station, "dossiers") == 0


def test_push_malformed_envelope(tablet: Tablet, station: Station) -> None:
    good = tablet.change(tablet.dossier())
    for bad in ({"v": 1}, "nonsense", {**good, "extra": 1}, {**good, "enc": "!!"}):
        r = tablet.push([bad])
        assert r.status_code == 400, bad
        assert r.json()["code"] == "ENVELOPE_MALFORMED"
    r = tablet.push([good])
    assert r.status_code == 200 and r.json()["acked_seq"] == 1


def test_push_body_shape_errors(client: TestClient, tablet: Tablet) -> None:
    r = client.post("/v1/sync/push", json={"device_id": tablet.device_id, "changes": "x"})
    assert r.status_code == 400 and r.json()["field"] == "changes"
    r = client.post(
        "/v1/sync/push", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["code"] == "REQUEST_INVALID"


def test_push_envelope_for_someone_else_is_refused(tablet: Tablet) -> None:
    d = tablet.dossier()
    ctx = EnvelopeContext("feed", tablet.device_id, "station", 1, d["id"], 1)
    env = seal_envelope(ctx, b"{}", tablet.station_x, tablet.ed_sk).to_json()
    r = tablet.push([env])
    assert r.status_code == 400 and r.json()["code"] == "ENVELOPE_CONTEXT_MISMATCH"


def _rejected(tablet: Tablet, dossier: dict[str, Any], **kw: Any) -> dict[str, Any]:
    r = tablet.push([tablet.change(dossier, **kw)])
    assert r.status_code == 200, r.text
    [result] = r.json()["results"]
    assert result["outcome"] == "rejected"
    assert r.json()["acked_seq"] == tablet.seq  # acknowledged: the outbox moves on
    return dict(result)


def test_invalid_dossier_is_rejected_kept_and_reported(tablet: Tablet, station: Station) -> None:
    d = tablet.dossier()
    d["values"] = {**d["values"], "child_full_name": "", "requester_id_number": "123"}
    result = _rejected(tablet, d)
    problem = result["problem"]
    assert problem["code"] == "DOSSIER_INVALID"
    assert {x["field"] for x in problem["details"]} == {"child_full_name", "requester_id_number"}
    assert _count(station, "dossiers") == 0 and _count(station, "push_log") == 1
    [item] = tablet.pull()["items"]
    payload = tablet.open_feed(item)
    assert payload["type"] == "dossier.rejected"
    assert payload["dossier_id"] == d["id"] and payload["code"] == d["code"]
    assert payload["problem"]["code"] == "DOSSIER_INVALID"


def test_birth_date_in_future_is_rejected(tablet: Tablet) -> None:
    d = tablet.dossier()
    d["values"]["child_birth_date"] = "2999-01-01"
    problem = _rejected(tablet, d)["problem"]
    assert problem["details"][0]["code"] == "FIELD_DATE_FUTURE"


def test_a_number_not_reserved_to_this_tablet_is_rejected(tablet: Tablet) -> None:
    # Nobody holds 9 999 today (the reserve blocks are small), and yesterday's numbers
    # were never reserved to this tablet at all.
    for code in (
        make_code("000.31.22.H20", vn_now().date(), 9_999),
        make_code("000.31.22.H20", vn_now().date() - timedelta(days=1), 1),
    ):
        problem = _rejected(tablet, tablet.dossier(code=code))["problem"]
        assert problem["code"] == "REQUEST_INVALID" and problem["field"] == "code"


def test_another_tablets_number_is_rejected(client: TestClient, tablet: Tablet) -> None:
    with client.app.state.station.session() as db:  # type: ignore[attr-defined]
        from sync_server.services.sync.enrollment import new_enroll_code

        other = Tablet(client)
        other.enroll(new_enroll_code(db))
    other.unlock()
    theirs = make_code("000.31.22.H20", vn_now().date(), other.next_number())
    problem = _rejected(tablet, tablet.dossier(code=theirs))["problem"]
    assert problem["code"] == "REQUEST_INVALID" and problem["field"] == "code"
    r = other.push([other.change(other.dossier(code=theirs))])  # its owner may use it
    assert r.json()["results"][0]["outcome"] == "applied", r.text


def test_wrong_unit_in_code_is_rejected(tablet: Tablet) -> None:
    d = tablet.dossier(code=make_code("000.00.06.H56", vn_now().date(), tablet.next_number()))
    assert _rejected(tablet, d)["problem"]["field"] == "code"


def test_dossier_must_match_envelope_context(tablet: Tablet) -> None:
    d = tablet.dossier()
    payload = {"type": "dossier.submit", "dossier": {**d, "id": "someone-else"}}
    result = _rejected(tablet, d, payload=payload)
    assert result["problem"]["code"] == "ENVELOPE_CONTEXT_MISMATCH"


def test_unknown_procedure_and_status_are_rejected(tablet: Tablet) -> None:
    assert _rejected(tablet, tablet.dossier(procedure="9.999999"))["problem"]["code"] == (
        "PROCEDURE_UNKNOWN"
    )
    assert _rejected(tablet, tablet.dossier(status="approved"))["problem"]["code"] == (
        "TRANSITION_NOT_ALLOWED"
    )


def test_station_recomputes_due_time_and_cleans_values(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = tablet.dossier(due_at="2000-01-01T00:00:00+07:00")
    d["values"]["child_full_name"] = "  Nguyễn   Thị Mai Anh "
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    got = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    assert got["due_at"] != d["due_at"] and got["due_at"].endswith("17:00:00+07:00")
    assert got["values"]["child_full_name"] == "Nguyễn Thị Mai Anh"
    assert got["values"]["child_birth_date_words"]  # derived on the station


def test_edit_on_old_version_is_kept_as_conflict(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    d = tablet.dossier()
    tablet.push([tablet.change(d)])
    r = client.post(
        f"/v1/dossiers/{d['id']}/actions",
        json={"action": "accept"},
        headers=as_user("thamdinh"),
    )
    assert r.status_code == 200
    edit = {**d, "version": 2, "base_version": 1}  # made before the tablet heard of "accept"
    r = tablet.push([tablet.change(edit)])
    [result] = r.json()["results"]
    assert result["outcome"] == "conflict" and result["problem"]["code"] == "EDIT_CONFLICT"
    assert _count(station, "conflicts") == 1
    got = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    assert got["status"] == "appraised" and got["version"] == 2
    kinds = [tablet.open_feed(i)["type"] for i in tablet.pull()["items"]]
    assert kinds == ["dossier.state", "dossier.conflict"]


def test_supplement_based_on_current_version_applies(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = tablet.dossier()
    tablet.push([tablet.change(d)])
    r = client.post(
        f"/v1/dossiers/{d['id']}/actions",
        json={"action": "request_supplement", "reason": "Bổ sung giấy chứng sinh"},
        headers=as_user("thamdinh"),
    )
    assert r.status_code == 200
    edit = {**d, "version": 3, "base_version": 2}
    [result] = tablet.push([tablet.change(edit)]).json()["results"]
    assert result["outcome"] == "applied"
    got = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    assert got["status"] == "received" and got["version"] == 3


def test_unknown_device_is_refused(client: TestClient, demo_station: Station) -> None:
    stranger = Tablet(client)
    r = stranger.push([])
    assert r.status_code == 403 and r.json()["code"] == "DEVICE_UNKNOWN"
    assert "wipe" not in r.json()


def test_revoked_device_is_told_to_wipe(
    client: TestClient, tablet: Tablet, station: Station
) -> None:
    with station.session() as db:
        enrollment.revoke_device(db, station.keys, tablet.device_id)
    r = tablet.push([tablet.change(tablet.dossier())])
    assert r.status_code == 403
    assert r.json()["code"] == "DEVICE_REVOKED" and r.json()["wipe"] is True
    r = client.post("/v1/sync/pull", json={"device_id": tablet.device_id, "after": 0})
    assert r.status_code == 403 and r.json()["wipe"] is True
    assert _count(station, "dossiers") == 0


def test_push_log_keeps_the_sealed_envelope(tablet: Tablet, station: Station) -> None:
    env = tablet.change(tablet.dossier())
    tablet.push([env])
    with station.session() as db:
        stored = db.execute("SELECT envelope FROM push_log").fetchone()[0]
    assert json.loads(stored) == env
