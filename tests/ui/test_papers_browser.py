"""Issue 21 §2, §3, §4 in a real browser: the citizen leaves with a printed receipt, the
timeline names who received the dossier, and the result's QR code opens the verify page.

Station (subprocess, demo, ``--http`` on 127.0.0.1: the demo sets its own address as the
public one) ← sync ← tablet web app ← headless Chromium. Keys are typed one at a time.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mobile.state.fmt import when
from shared.documents.paperwork import RECEIPT_TITLE
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.browser_kit import APPRAISER, CLERK, LEADER
from tests.ui import flet_driver as fd
from tests.ui.conftest import Station, TabletApp
from tests.ui.form_flow import (
    CODE_RE,
    CONFIRM,
    KS,
    fill_by_steps,
    read_back,
    station_dossier,
    unlock_typing,
)

pytestmark = [pytest.mark.browser]
RECEIPT_BUTTON = "In / chia sẻ: Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


def _downloaded(page: Any, button: str, folder: Path) -> tuple[str, bytes]:
    """Tap "In / chia sẻ: …": in the web build the PDF comes as a download."""
    with page.expect_download(timeout=60_000) as dl:
        fd.click(page, button)
    pdf = Path(dl.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    (folder / dl.value.suggested_filename).write_bytes(pdf)
    return dl.value.suggested_filename, pdf


def _text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def _qr_link(pdf: bytes, folder: Path) -> str:
    """The result's QR code as a phone camera reads it: page 1 at 200 dpi, zxing-cpp."""
    import zxingcpp
    from PIL import Image

    path = folder / "result-qr.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(path), str(folder / "p")],
        check=True,
    )
    (png,) = sorted(folder.glob("p*.png"))
    links = [c.text for c in zxingcpp.read_barcodes(Image.open(png)) if "/verify/" in c.text]
    assert links, "no verify QR code on the result"
    return str(links[0])


@pytest.mark.timeout(600)
def test_receipt_printed_at_the_counter_and_the_result_qr_opens_the_verify_page(
    page: Any, station: Station, tablet_app: TabletApp, shots: Path, tmp_path: Path
) -> None:
    unlock_typing(page)
    values = sample_values(KS, vn_now().date(), seed=31)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")
    fill_by_steps(page, values, human=False)
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    read_back(page)
    fd.click(page, CONFIRM)
    fd.click(page, "Tiếp: ký tờ khai")
    fd.click(page, re.compile("^Ký trên giấy"))
    fd.click(page, "Lưu – tiếp nhận hồ sơ")
    fd.wait_text(page, "Đã tiếp nhận hồ sơ")
    m = CODE_RE.search(fd.wait_text(page, CODE_RE))
    assert m
    code = m.group(0)
    # §9: the receipt names the procedure's own subject.
    assert f"Người được khai sinh: {values['child_full_name']}" in fd.all_text(page)

    # §2: the receipt, printed before the citizen leaves (offline: nothing synced yet).
    name, pdf = _downloaded(page, RECEIPT_BUTTON, tmp_path)
    assert name == f"{code}-receipt.pdf"
    receipt = _text(pdf, tmp_path / "receipt.pdf")
    assert RECEIPT_TITLE in receipt and code in receipt and "Nguyễn Thị Lan" in receipt
    fd.wait_text(page, f"Đã gửi tệp {name} để in hoặc lưu.")
    fd.settled_screenshot(page, shots / "01-receipt-printed.png")
    name, pdf = _downloaded(page, "In / chia sẻ: Tờ khai", tmp_path)
    assert name == f"{code}-declaration.pdf" and "TỜ KHAI" in _text(pdf, tmp_path / "d.pdf")

    fd.click(page, "Về trang chính")
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Chờ gửi: 0")
    d = station_dossier(station, code)
    station.record_child_number(d["id"], APPRAISER)  # before a khai sinh is approved
    for action, who in (("accept", APPRAISER), ("approve", LEADER), ("stamp", CLERK)):
        station.act(d["id"], action, who)
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, re.compile(r"Đã đồng bộ: gửi 0, nhận [1-9]"))
    fd.click(page, re.compile(re.escape(code)))
    text = fd.wait_text(page, "Đã có kết quả")

    # §4: "Tiếp nhận" shows the intake time and officer, not the appraiser who came later.
    stages = text.split("Tiến trình", 1)[1].split("Kết quả", 1)[0]
    received = stages.split("Tiếp nhận", 1)[1].split("Thẩm định", 1)[0]
    assert f"{when(d['received_at'])} — " in received and "tiepnhan" in received, received
    assert "thamdinh" not in received, received
    fd.settled_screenshot(page, shots / "02-dossier-papers.png")

    # §2/§3: the result, and its QR code → the verify page, opened in the browser.
    name, pdf = _downloaded(page, "In / chia sẻ: Kết quả", tmp_path)
    assert name == f"{code}.pdf"
    link = _qr_link(pdf, tmp_path)
    assert link.startswith(f"{station.url}/verify/{code}?sha256="), link
    assert f"Tra cứu: {station.url}/verify/ {code}" in _text(pdf, tmp_path / "r.pdf")
    phone = page.context.new_page()
    phone.goto(link)
    body = phone.locator("body").inner_text()
    assert "Văn bản hợp lệ" in body and code in body, body
    assert re.search(r"Ngày ban hành\s+\d{2}/\d{2}/\d{4}", body), body
    phone.screenshot(path=str(shots / "03-verify-page.png"))
    phone.close()
