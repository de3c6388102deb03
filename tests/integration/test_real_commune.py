"""A station set up as a real commune (``unit-set``, no ``--demo``) runs the whole loop.

Real uvicorn station, real tablet data folder, real crypto; the result and the one-stop
papers are read back with pdftotext.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import start_station
from tests.integration.conftest import Station

pytestmark = pytest.mark.integration

STAFF = {
    # Not guessable: a real station refuses 112233-like PINs (PIN_GUESSABLE).
    "lan": ("intake", "731942", "Nguyễn Thị Lan", "Công chức một cửa"),
    "hung": ("appraiser", "586203", "Trần Văn Hùng", "Công chức tư pháp – hộ tịch"),
    "tam": ("leader", "904718", "Lê Minh Tâm", "CHỦ TỊCH"),
    "hoa": ("clerk", "265830", "Phạm Thị Hoa", "Văn thư"),
}


def who(username: str) -> tuple[str, str]:
    return username, STAFF[username][1]


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[Station]:
    running = start_station(tmp_path / "station", demo=False)
    st = Station(running.url, running.data, running.proc, running.log)
    yield st
    st.stop()


def pdftotext(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(unicodedata.normalize("NFC", out.stdout.decode("utf-8")).split())


def test_unit_set_station_runs_intake_to_result(commune: Station, tmp_path: Path) -> None:
    tablet = TabletService(tmp_path / "tablet")
    # No commune yet: enrolment is refused and the one-time code stays usable.
    code = commune.enroll_code()
    with pytest.raises(TaiChoError) as err:
        tablet.enrolment.enroll(commune.url, code)
    assert err.value.code == "UNIT_NOT_CONFIGURED"

    unit = json.loads(
        commune.admin(
            "unit-set",
            "--province",
            "dong thap",
            "--commune",
            "lai vung",
            "--agency-code",
            "000.31.22.H20",
        )
    )
    assert unit["name"] == "Ủy ban nhân dân xã Lai Vung"
    for username, (role, pin, name, title) in STAFF.items():
        commune.admin(
            "staff-add",
            "--username",
            username,
            "--role",
            role,
            "--pin",
            pin,
            "--full-name",
            name,
            "--title",
            title,
        )

    tablet.enrolment.enroll(commune.url, code)
    tablet.unlock(*who("lan"))
    values = sample_values("1.001193", vn_now().date(), 5)
    d = tablet.intake("1.001193", values, components_received=every_component("1.001193", values))
    assert d.code.startswith("000.31.22.H20-")
    assert tablet.sync().pushed == 1

    commune.record_child_number(d.id, who("hung"))  # printed on the Giấy khai sinh
    assert commune.act(d.id, "accept", who("hung")).status_code == 200
    # Issue 21 §3: no result leaves a real station with a QR code that leads nowhere.
    refused = commune.act(d.id, "approve", who("tam"))
    assert refused.status_code == 409 and refused.json()["code"] == "PUBLIC_URL_NOT_READY"
    commune.admin("public-url", "https://motcua.laivung.example")
    for action, user in (("approve", "tam"), ("stamp", "hoa")):
        r = commune.act(d.id, action, who(user))
        assert r.status_code == 200, r.text
    tablet.sync()
    text = pdftotext(tablet.dossiers.result_pdf(d.id), tmp_path / "result.pdf")
    # The official template has no letterhead: the commune appears as the place of registration.
    assert "GIẤY KHAI SINH" in text and "xã Lai Vung" in text
    assert "Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp" in text  # nơi đăng ký

    headers = {"Authorization": f"Bearer {commune.token(*who('lan'))}"}
    r = httpx.get(f"{commune.url}/v1/dossiers/{d.id}/receipt.pdf", headers=headers, timeout=60)
    assert r.status_code == 200
    receipt = pdftotext(r.content, tmp_path / "receipt.pdf")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt and d.code in receipt
    assert "Nguyễn Thị Lan" in receipt
