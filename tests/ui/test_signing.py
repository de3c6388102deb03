"""Both spouses sign the kết hôn declaration on the tablet's screen, and the dossier
received carries the strokes all the way to the station.

Real station, real Flet web client in Debian's Chromium: staff type the form key by key,
the citizens read it back and confirm, the bride draws her signature on the pad with the
mouse (down, moves, up — as a finger would), the groom cannot sign and gives a
thumbprint with a named witness; the dossier is received, synced, and the station's
declaration PDF has her strokes drawn as vector lines and his witness's name.
"""

from __future__ import annotations

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
    type_into,
    unlock_typing,
)

pytestmark = [pytest.mark.browser]
KH = "1.000894"
WITNESS = "Trần Văn Chứng"


@pytest.mark.timeout(600)
def test_both_spouses_sign_on_screen_and_the_dossier_carries_the_strokes(
    page: Any, station: Station, shots: Path, tmp_path: Path
) -> None:
    values = sample_values(KH, vn_now().date(), seed=11)
    unlock_typing(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký kết hôn")
    fill_by_steps(page, values, human=True, code=KH)
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    read_back(page)
    fd.click(page, CONFIRM)
    fd.click(page, "Tiếp: ký tờ khai")
    text = fd.wait_text(page, "Còn thiếu chữ ký của: bên nữ, bên nam.")
    assert values["wife_full_name"] in text and values["husband_full_name"] in text
    assert "Lưu – tiếp nhận hồ sơ" in text  # shown, but not enabled before both sign
    fd.settled_screenshot(page, shots / "01-sign-empty.png")

    # The bride signs on the pad; "Ký lại" clears it; she signs again.
    pad = page.locator('[aria-label="Khung ký: bên nữ"]').first
    draw_signature(page, pad)
    fd.wait_text(page, "Đã ký trên màn hình")
    fd.wait_text(page, "Còn thiếu chữ ký của: bên nam.")
    fd.click(page, re.compile(r"^Ký lại"))  # the first block is hers
    fd.wait_text(page, "Còn thiếu chữ ký của: bên nữ, bên nam.")
    draw_signature(page, page.locator('[aria-label="Khung ký: bên nữ"]').first)
    fd.wait_text(page, "Còn thiếu chữ ký của: bên nam.")
    fd.settled_screenshot(page, shots / "02-bride-signed.png")

    # The groom cannot sign: a thumbprint, witnessed.
    groom = page.get_by_role("button", name=re.compile(r"^Điểm chỉ")).nth(1)
    groom.scroll_into_view_if_needed()
    fd.when_still(groom)
    groom.click()
    type_into(page, "Họ, chữ đệm, tên người làm chứng", WITNESS, 150)
    fd.click(page, "Lưu điểm chỉ")
    fd.wait_text(page, f"Người làm chứng: {WITNESS}")
    fd.wait_text(page, "Đã đủ chữ ký. Có thể tiếp nhận hồ sơ.")
    fd.settled_screenshot(page, shots / "03-both-signed.png")
    # large text and high contrast reach the signing screen too
    fd.click(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là lớn")
    fd.click(page, "Tương phản cao")
    fd.wait_text(page, "đang bật")
    page.mouse.move(640, 400)
    page.mouse.wheel(0, -3000)
    fd.settled_screenshot(page, shots / "03b-large-contrast.png")
    fd.click(page, "Chữ lớn")
    fd.click(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là thường")
    fd.click(page, "Tương phản cao")

    # "Xem tờ khai": the declaration reaches the browser as a download.
    with page.expect_download(timeout=60_000) as dl:
        fd.click(page, "Xem tờ khai (PDF)")
    pdf = Path(dl.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and dl.value.suggested_filename.startswith("to-khai-")

    code = receive_and_sync(page, shots / "04-receipt.png")

    d = station_dossier(station, code)
    wife, husband = d["signatures"]
    assert wife["party"] == "wife" and wife["kind"] == "signature"
    assert len(wife["strokes"]) == 2  # the cleared attempt is gone
    assert all(len(s) >= 10 for s in wife["strokes"]), [len(s) for s in wife["strokes"]]
    xs = [p[0] for s in wife["strokes"] for p in s]
    assert min(xs) < 250 and max(xs) > 600  # across the pad, in thousandths
    assert husband == {**husband, "party": "husband", "kind": "thumbprint", "witness_name": WITNESS}

    r = httpx.get(
        f"{station.url}/v1/dossiers/{d['id']}/declaration.pdf",
        headers={"Authorization": f"Bearer {station.token(APPRAISER)}"},
        timeout=60,
    )
    assert r.status_code == 200
    path = tmp_path / "declaration.pdf"
    path.write_bytes(r.content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    flat = " ".join(unicodedata.normalize("NFC", out.decode()).split())
    assert "TỜ KHAI ĐĂNG KÝ KẾT HÔN" in flat and f"Người làm chứng: {WITNESS}" in flat
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(shots / "05-declaration")])
