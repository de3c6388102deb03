"""The whole "Ngày không viết" intake in the browser, as issue 9 asks for it.

The intake officer scans (types, as a keyboard-wedge scanner does) the mother's chip ID
card and fills the requester from it; the mother is found again in the citizen book by
her name typed without accents and filled in one tap; the rest of the khai sinh form is
typed key by key; the completeness checklist is ticked and the medical birth certificate
photographed (the browser's file dialog stands in for the camera); the citizen reads the
form back, confirms, and signs on the screen with the mouse; the dossier is received
complete, synced, and the station holds its papers, its photo and the strokes.

Real station (uvicorn), the real Flet web client in Debian's Chromium.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.samples import sample_values
from shared.workdays import vn_now
from tests.browser_kit import APPRAISER
from tests.ui import flet_driver as fd
from tests.ui.conftest import Station
from tests.ui.form_flow import (
    CONFIRM,
    draw_signature,
    fill_by_steps,
    read_back,
    receive_and_sync,
    station_dossier,
    unlock_typing,
)

pytestmark = [pytest.mark.browser]
KS = "1.001193"
QR = (
    "087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ|"
    "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp|12072021"
)
FROM_CARD = ("full_name", "birth_date", "id_type", "id_number", "residence")


@pytest.mark.timeout(900)
def test_card_citizen_checklist_photo_signature_received_complete(
    page: Any, station: Station, shots: Path, tmp_path: Path
) -> None:
    values = sample_values(KS, vn_now().date(), seed=3)
    for person in ("requester", "mother"):
        for suffix in FROM_CARD:
            values.pop(f"{person}_{suffix}", None)
    values["requester_relationship"] = "me"
    unlock_typing(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")

    # 1. the card: the scanner types the QR code, then Enter; one tap fills the requester
    fd.click(page, re.compile("^Điền từ thẻ căn cước"))
    fd.focus(page, "Mã QR trên thẻ căn cước (quét hoặc dán)")
    page.keyboard.type(QR, delay=20)
    page.keyboard.press("Enter")
    text = fd.wait_text(page, "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp")
    assert "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp" in text  # printed, side by side
    fd.click(page, "Điền cho người yêu cầu")
    fd.wait_text(page, "Đã điền thông tin từ thẻ căn cước")

    # 2. a known citizen: found by her name without accents, fills the mother in one tap
    # (the panel stays open after a fill)
    fd.focus(page, "Hoặc tìm người dân đã có (tên, không cần dấu, hoặc số định danh)")
    page.keyboard.type("nguyen thi anh", delay=150)
    page.keyboard.press("Enter")
    fd.click(page, "Chọn: Nguyễn Thị Ánh — 05/03/1992 — 087192004321")
    fd.click(page, "Điền cho người mẹ")
    fd.wait_text(page, "Đã điền thông tin")
    fd.settled_screenshot(page, shots / "01-card-and-citizen.png")

    # 3. everything else typed key by key; 4. the checklist ticked, the certificate
    # photographed through the file dialog
    mirror = fill_by_steps(page, values, human=True, code=KS, papers=True)
    text = fd.wait_text(page, "Hồ sơ đã đủ thành phần.")
    fd.settled_screenshot(page, shots / "02-checklist-complete.png")

    # 5. read back, confirmed, signed on the screen
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    parts = read_back(page)
    seen = "\n".join("\n".join(p) for p in parts)
    for want in (
        "Nguyễn Thị Ánh",
        "05/03/1992",
        "087192004321",
        "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp",
    ):
        assert want in seen, want
    fd.click(page, CONFIRM)
    fd.click(page, "Tiếp: ký tờ khai")
    fd.wait_text(page, "Còn thiếu chữ ký của")
    draw_signature(page, page.locator('[aria-label^="Khung ký"]').first)
    fd.wait_text(page, "Đã đủ chữ ký. Có thể tiếp nhận hồ sơ.")
    fd.settled_screenshot(page, shots / "03-signed.png")
    code = receive_and_sync(page, shots / "04-receipt.png")

    # the station holds it complete: every paper ticked, the photo uploaded, the strokes
    d = station_dossier(station, code)
    assert d["status"] == "received"
    rows = mirror.checklist_rows()
    assert set(d["components_received"]) >= {r.id for r in rows if r.required}
    photo = [a for a in d["attachments"] if a["component"] == "birth_certificate_medical"]
    assert photo, d["attachments"]
    assert d["values"]["mother_full_name"] == "Nguyễn Thị Ánh"
    assert d["values"]["requester_id_number"] == "087192004321"
    [mark] = d["signatures"]
    assert mark["kind"] == "signature" and len(mark["strokes"]) == 2
    h = {"Authorization": f"Bearer {station.token(APPRAISER)}"}
    got = httpx.get(
        f"{station.url}/v1/dossiers/{d['id']}/attachments/{photo[0]['sha256']}",
        headers=h,
        timeout=60,
    )
    assert got.status_code == 200
    assert hashlib.sha256(got.content).hexdigest() == photo[0]["sha256"]
    r = httpx.get(f"{station.url}/v1/dossiers/{d['id']}/declaration.pdf", headers=h, timeout=60)
    assert r.status_code == 200
    path = tmp_path / "to-khai.pdf"
    path.write_bytes(r.content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    flat = " ".join(unicodedata.normalize("NFC", out.decode()).split())
    assert "Nguyễn Thị Ánh" in flat and values["child_full_name"].upper() in flat
