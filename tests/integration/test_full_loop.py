"""The whole loop: two tablets → sealed push → station workflow → sealed pull → result.

A real station under uvicorn on 127.0.0.1, two real tablet data folders, real crypto,
real SQLite files, and the real result PDF read back with poppler's pdftotext.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import httpx
import pytest

from mobile.services.tablet import TabletService
from shared import crypto
from shared.codes import parse_code
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.integration.conftest import APPRAISER, CLERK, INTAKE, LEADER, Station

pytestmark = pytest.mark.integration


def enrolled_tablet(station: Station, folder: Path) -> TabletService:
    tablet = TabletService(folder)
    tablet.enroll(station.url, station.enroll_code())
    return tablet


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def db_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*.db*") if p.is_file())


def citizen_strings(values: dict[str, Any]) -> list[str]:
    keys = (
        "child_full_name",
        "mother_full_name",
        "father_full_name",
        "requester_id_number",
        "mother_id_number",
        "requester_residence",
        "requester_phone",
    )
    return [str(values[k]) for k in keys if values.get(k)]


def test_two_tablets_full_loop(station: Station, tmp_path: Path) -> None:
    a = enrolled_tablet(station, tmp_path / "tablet-a")
    b = enrolled_tablet(station, tmp_path / "tablet-b")
    slot_a, slot_b = a.store.get_meta("slot"), b.store.get_meta("slot")
    assert slot_a != slot_b

    # First unlock on each tablet goes through the station's escrow.
    assert a.unlock(*INTAKE).role == "intake"
    b.unlock(*INTAKE)
    today = vn_now().date()
    va1, va2, vb1 = (sample_values("1.001193", today, seed) for seed in (1, 2, 3))
    a1, a2 = a.intake("1.001193", va1), a.intake("1.001193", va2)
    b1 = b.intake("1.001193", vb1)
    codes = {a1.code, a2.code, b1.code}
    assert len(codes) == 3
    assert {parse_code(c).slot for c in codes} == {slot_a, slot_b}
    assert a.sync_state().pending == 2

    # Sync works while locked: the changes were sealed and signed at intake.
    a.lock()
    report = a.sync()
    assert (report.pushed, report.pending) == (2, 0)
    assert b.sync().pushed == 1

    received = {d["id"]: d for d in station.dossiers(APPRAISER, "received")}
    assert {a1.id, a2.id, b1.id} <= set(received)
    assert received[a1.id]["title"] == unicodedata.normalize("NFC", va1["child_full_name"])

    # 5 tại chỗ for a1; a supplement request for b1.
    for action, who in (("accept", APPRAISER), ("approve", LEADER), ("stamp", CLERK)):
        r = station.act(a1.id, action, who)
        assert r.status_code == 200, r.text
    r = station.act(b1.id, "request_supplement", APPRAISER, "Thiếu giấy chứng sinh bản chính")
    assert r.status_code == 200, r.text

    # Pulled while locked: the items wait sealed in the inbox until someone unlocks.
    report = a.sync()
    assert report.pulled >= 3 and report.applied == 0
    assert a.sync_state().inbox_waiting >= 3
    a.unlock(*INTAKE)  # offline unlock now: this tablet has a PIN wrap
    assert a.sync_state().inbox_waiting == 0
    shown = a.get(a1.code)
    assert shown["status"] == "stamped" and shown["has_result"]
    assert [h["action"] for h in shown["history"]][-3:] == ["accept", "approve", "stamp"]
    result = a.result_pdf(a1.id)
    text = pdftotext(result, tmp_path)
    assert "GIẤY KHAI SINH" in text
    # Signed by the leader, sealed by the commune: both valid for poppler and for the
    # tablet's offline check against the anchors it pinned at enrolment.
    sigs = subprocess.run(
        ["pdfsig", str(tmp_path / "result.pdf")], capture_output=True, text=True, check=False
    ).stdout
    assert sigs.count("Signature is Valid.") == 2, sigs
    headless = [sys.executable, "-m", "mobile.headless", "--data", str(tmp_path / "tablet-a")]
    verified = subprocess.run(
        [*headless, "verify", str(tmp_path / "result.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(verified.stdout)
    assert answer["valid"] is True and answer["code"] == a1.code
    assert len(answer["signers"]) == 2
    assert unicodedata.normalize("NFC", va1["child_full_name"]).upper() in text
    assert a.get(a2.id)["status"] == "received"

    b.sync()
    shown_b = b.get(b1.id)
    assert shown_b["status"] == "supplement_requested"
    assert shown_b["history"][-1]["reason"] == "Thiếu giấy chứng sinh bản chính"
    with pytest.raises(TaiChoError) as exc:
        b.get(a1.id)  # tablet B never receives tablet A's citizens
    assert exc.value.code == "DOSSIER_NOT_FOUND"

    # Return the result to the citizen; the tablet sees it after the next sync.
    assert station.act(a1.id, "return", CLERK).status_code == 200
    a.sync()
    assert a.get(a1.id)["status"] == "returned"

    # Neither the data key nor the device's private keys rest unwrapped on the tablet.
    raw_a = db_bytes(tmp_path / "tablet-a")
    secrets = [a.keys._dk, a.keys.device.x25519_sk, a.keys.device.ed25519_sk]
    for secret in secrets:
        assert secret and secret not in raw_a and crypto.b64e(secret).encode() not in raw_a

    # No citizen name, number or address in any database file, on either side.
    for folder in (tmp_path / "tablet-a", tmp_path / "tablet-b", station.data):
        raw = db_bytes(folder)
        assert raw, folder
        for values in (va1, va2, vb1):
            for s in citizen_strings(values):
                for form in ("NFC", "NFD"):
                    assert unicodedata.normalize(form, s).encode() not in raw, (folder, s)
    a.close()
    b.close()


def test_push_ack_lost_then_resent_is_harmless(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    d = tablet.intake("1.001193", sample_values("1.001193", vn_now().date(), 7))
    [row] = tablet.store.pending_outbox(10)
    body = {"device_id": tablet.device_id, "changes": [json.loads(row["envelope"])]}
    # The station applies the push but the answer never reaches the tablet.
    first = httpx.post(f"{station.url}/v1/sync/push", json=body)
    assert first.status_code == 200 and first.json()["acked_seq"] == 1
    assert tablet.sync_state().pending == 1
    report = tablet.sync()  # resends seq 1: same bytes → duplicate, acknowledged
    assert report.pending == 0
    again = httpx.post(f"{station.url}/v1/sync/push", json=body)
    assert again.json()["results"][0]["outcome"] == "duplicate"
    assert len([x for x in station.dossiers(APPRAISER) if x["id"] == d.id]) == 1
    tablet.close()


def test_offline_unlock_and_wrong_pin(station: Station, tmp_path: Path) -> None:
    folder = tmp_path / "t"
    tablet = enrolled_tablet(station, folder)
    tablet.unlock(*INTAKE)
    tablet.close()
    station.proc.terminate()
    station.proc.wait(timeout=10)
    again = TabletService(folder)  # station gone: the PIN wrap unlocks offline
    with pytest.raises(TaiChoError) as exc:
        again.unlock("tiepnhan", "000000")
    assert exc.value.code == "PIN_WRONG" and exc.value.ctx["left"] == 4
    assert again.unlock(*INTAKE).username == "tiepnhan"
    with pytest.raises(TaiChoError) as exc:
        again.unlock("thamdinh", "234567")  # never unlocked here, station unreachable
    assert exc.value.code == "FIRST_UNLOCK_NEEDS_STATION"
    with pytest.raises(TaiChoError) as exc:
        again.sync()
    assert exc.value.code == "STATION_UNREACHABLE"
    assert again.sync_state().last_error["code"] == "STATION_UNREACHABLE"
    again.close()


def test_wrong_pin_at_first_unlock_is_refused_by_station(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    with pytest.raises(TaiChoError) as exc:
        tablet.unlock("tiepnhan", "999999")
    assert exc.value.code == "AUTH_FAILED"
    assert not tablet.keys.unlocked and tablet.known_users() == []
    tablet.close()


def test_enroll_code_is_one_time(station: Station, tmp_path: Path) -> None:
    code = station.enroll_code()
    TabletService(tmp_path / "a").enroll(station.url, code)
    with pytest.raises(TaiChoError) as exc:
        TabletService(tmp_path / "b").enroll(station.url, code)
    assert exc.value.code == "ENROLL_CODE_INVALID"


def test_whole_batch_resent_after_lost_ack(station: Station, tmp_path: Path) -> None:
    """The station applied seq 1–3 but the tablet never heard: resending is harmless."""
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    for seed in (1, 2, 3):
        tablet.intake("1.001193", sample_values("1.001193", vn_now().date(), seed))
    rows = tablet.store.pending_outbox(10)
    body = {"device_id": tablet.device_id, "changes": [json.loads(r["envelope"]) for r in rows]}
    assert httpx.post(f"{station.url}/v1/sync/push", json=body).json()["acked_seq"] == 3
    report = tablet.sync()
    assert (report.pushed, report.pending) == (0, 0)  # all three came back as duplicates
    assert len(station.dossiers(APPRAISER, "received")) == 3
    tablet.close()


def test_sequence_gap_is_refused_with_the_expected_seq(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    for seed in (1, 2):
        tablet.intake("1.001193", sample_values("1.001193", vn_now().date(), seed))
    rows = tablet.store.pending_outbox(10)
    body = {"device_id": tablet.device_id, "changes": [json.loads(rows[1]["envelope"])]}
    r = httpx.post(f"{station.url}/v1/sync/push", json=body)
    assert r.status_code == 409
    assert r.json()["code"] == "SYNC_OUT_OF_ORDER" and r.json()["params"]["expected"] == 1
    assert tablet.sync().pending == 0  # the real client sends 1 then 2
    tablet.close()


def test_damaged_feed_item_is_set_aside_not_blocking(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    d1 = tablet.intake("1.001193", sample_values("1.001193", vn_now().date(), 1))
    d2 = tablet.intake("1.001193", sample_values("1.001193", vn_now().date(), 2))
    tablet.sync()
    for d in (d1, d2):
        assert station.act(d.id, "accept", APPRAISER).status_code == 200
    tablet.lock()
    tablet.sync()
    [first, _second] = tablet.store.unapplied_inbox()
    env = json.loads(first["envelope"])
    env["ct"] = env["ct"][:-4] + ("AAAA" if not env["ct"].endswith("AAAA") else "BBBB")
    tablet.store.db["inbox"].update(first["seq"], {"envelope": json.dumps(env)})
    tablet.unlock(*INTAKE)  # must not fail because of the damaged item
    assert tablet.store.quarantined_count() == 1
    statuses = {tablet.get(d.id)["status"] for d in (d1, d2)}
    assert statuses == {"received", "appraised"}  # the good item was applied
    tablet.close()


def test_supplement_goes_back_to_the_appraiser(station: Station, tmp_path: Path) -> None:
    tablet = enrolled_tablet(station, tmp_path / "t")
    tablet.unlock(*INTAKE)
    values = sample_values("1.001193", vn_now().date(), 5)
    d = tablet.intake("1.001193", values)
    with pytest.raises(TaiChoError) as exc:
        tablet.supplement(d.id, values)  # only a dossier sent back may be edited
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    tablet.sync()
    assert station.act(d.id, "request_supplement", APPRAISER, "Ghi rõ nơi sinh").status_code == 200
    tablet.sync()
    fixed = {**values, "child_birth_place": "Bệnh viện Đa khoa Đồng Tháp, phường Cao Lãnh"}
    assert tablet.supplement(d.code, fixed).version == 3
    assert tablet.sync().pushed == 1
    [row] = [x for x in station.dossiers(APPRAISER, "received") if x["id"] == d.id]
    assert row["version"] == 3
    assert station.act(d.id, "accept", APPRAISER).status_code == 200
    tablet.sync()
    shown = tablet.get(d.id)
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
    d = tablet.intake("1.001193", values)
    tablet.sync()
    assert station.act(d.id, "request_supplement", APPRAISER, "Thiếu giấy").status_code == 200
    # Without pulling, the tablet still holds version 1; forge the stale edit the way an
    # out-of-date tablet would send it (its own signing key, its next outbox sequence).
    stale, _ = tablet._load(d.id)
    stale.values = {**stale.values, "child_hometown": "xã Lai Vung, tỉnh Đồng Tháp"}
    stale.version, stale.base_version = 3, 1
    with tablet.store.transaction():
        tablet._queue(stale)
    report = tablet.sync()
    assert [r["outcome"] for r in report.rejected] == ["conflict"]
    shown = tablet.get(d.id)  # the station's state wins; it keeps the stale edit aside
    assert shown["sync_problem"]["code"] == "EDIT_CONFLICT"
    [row] = [x for x in station.dossiers(APPRAISER) if x["id"] == d.id]
    assert (row["status"], row["version"]) == ("supplement_requested", 2)
    tablet.close()


def test_revoked_tablet_wipes_itself_on_next_contact(station: Station, tmp_path: Path) -> None:
    folder = tmp_path / "lost-tablet"
    tablet = enrolled_tablet(station, folder)
    tablet.unlock(*INTAKE)
    values = sample_values("1.001193", vn_now().date(), 8)
    tablet.intake("1.001193", values)
    tablet.sync()
    station.admin("device-revoke", "--device", tablet.device_id)
    with pytest.raises(TaiChoError) as exc:
        tablet.sync()
    assert exc.value.code == "DEVICE_REVOKED"
    assert not tablet.enrolled and not tablet.keys.unlocked
    assert tablet.store.list_records() == [] and tablet.known_users() == []
    tablet.close()
    again = TabletService(folder)
    assert not again.enrolled and again.sync_state().pending == 0
    again.close()
