"""The whole loop against a real station under uvicorn on 127.0.0.1: what only a real
server and real sockets can show (two tablets, the station going away). The other sync
scenarios run in-process in tests/mobile/test_tablet_service_sync.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from mobile.services.tablet import TabletService
from shared import crypto
from shared.checklist import every_component
from shared.codes import parse_code
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.integration.conftest import APPRAISER, CLERK, INTAKE, LEADER, Station
from tests.tablet_kit import citizen_strings, db_bytes, pdftotext

pytestmark = pytest.mark.integration


def enrolled_tablet(station: Station, folder: Path) -> TabletService:
    tablet = TabletService(folder)
    tablet.enrolment.enroll(station.url, station.enroll_code())
    return tablet


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
    a1, a2 = (
        a.intake("1.001193", va1, components_received=every_component("1.001193", va1)),
        a.intake("1.001193", va2, components_received=every_component("1.001193", va2)),
    )
    b1 = b.intake("1.001193", vb1, components_received=every_component("1.001193", vb1))
    codes = {a1.code, a2.code, b1.code}
    assert len(codes) == 3
    # Each tablet numbered from the blocks the station reserved to it alone.
    numbers = {parse_code(c).number for c in codes}
    assert len(numbers) == 3 and {parse_code(c).day for c in codes} == {today}
    assert a.sync_state().pending == 2

    # Sync works while locked: the changes were sealed and signed at intake.
    a.sessions.lock()
    report = a.sync()
    assert (report.pushed, report.pending) == (2, 0)
    assert b.sync().pushed == 1

    received = {d["id"]: d for d in station.dossiers(APPRAISER, "received")}
    assert {a1.id, a2.id, b1.id} <= set(received)
    assert received[a1.id]["title"] == unicodedata.normalize("NFC", va1["child_full_name"])

    # 5 tại chỗ for a1; a supplement request for b1.
    station.record_child_number(a1.id)  # the appraiser's, printed on the Giấy khai sinh
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
    shown = a.dossiers.get(a1.code)
    assert shown["status"] == "stamped" and shown["has_result"]
    assert [h["action"] for h in shown["history"]][-3:] == ["accept", "approve", "stamp"]
    result = a.dossiers.result_pdf(a1.id)
    text = pdftotext(result, tmp_path)
    assert "GIẤY KHAI SINH" in text
    # its pages as pictures for the app's result screen, one per page, sealed at rest
    pages = a.dossiers.result_pages(a1.id)
    counted = subprocess.run(
        ["qpdf", "--show-npages", str(tmp_path / "result.pdf")], capture_output=True, text=True
    )
    assert len(pages) == int(counted.stdout) >= 1
    assert all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in pages)
    db = (tmp_path / "tablet-a" / "tablet.db").read_bytes()
    assert pages[0][:64] not in db
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
    assert a.dossiers.get(a2.id)["status"] == "received"

    b.sync()
    shown_b = b.dossiers.get(b1.id)
    assert shown_b["status"] == "supplement_requested"
    assert shown_b["history"][-1]["reason"] == "Thiếu giấy chứng sinh bản chính"
    with pytest.raises(TaiChoError) as exc:
        b.dossiers.get(a1.id)  # tablet B never receives tablet A's citizens
    assert exc.value.code == "DOSSIER_NOT_FOUND"

    # Return the result to the citizen; the tablet sees it after the next sync.
    assert station.act(a1.id, "return", CLERK).status_code == 200
    a.sync()
    assert a.dossiers.get(a1.id)["status"] == "returned"

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
