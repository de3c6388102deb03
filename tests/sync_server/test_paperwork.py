"""The one-stop shop's papers: each PDF over HTTP, checked with pdftotext and qpdf."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import segno
from fastapi.testclient import TestClient
from PIL import Image
from station_kit import Tablet

from shared.workdays import vn_now

PAPERS = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement-request": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
    "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "control-sheet": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


def _push(tablet: Tablet) -> dict[str, Any]:
    d = tablet.dossier()
    r = tablet.push([tablet.change(d)])
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    return d


def _act(client: TestClient, h: dict[str, str], did: str, action: str, reason: Any = None) -> Any:
    r = client.post(
        f"/v1/dossiers/{did}/actions", json={"action": action, "reason": reason}, headers=h
    )
    assert r.status_code == 200, r.text
    return r.json()


def _text(client: TestClient, h: dict[str, str], did: str, paper: str, tmp: Path) -> str:
    r = client.get(f"/v1/dossiers/{did}/{paper}.pdf", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    path = tmp / f"{paper}.pdf"
    path.write_bytes(r.content)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(out.split())  # words only: the layout may wrap anywhere
    assert PAPERS[paper] in flat
    return flat


def test_receipt_and_control_sheet_of_a_received_dossier(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    d = _push(tablet)
    h = as_user("tiepnhan")
    text = _text(client, h, d["id"], "receipt", tmp_path)
    assert f"Mã hồ sơ: {d['code']}" in text
    assert "Lê Văn Bình" in text  # citizen (requester)
    assert "Đăng ký khai sinh" in text
    assert "Giấy chứng sinh" in text and "01 bản" in text
    assert "trong ngày" in text  # the legal time limit of 1.001193
    assert "Thời gian nhận hồ sơ" in text and "17 giờ 00 phút" in text
    assert "Trung tâm Phục vụ hành chính công xã Lai Vung" in text and "Nguyễn Thị Lan" in text
    # The fee computed from the dossier: 2 copies of the Giấy khai sinh at 8.000 đ.
    assert "Lệ phí, phí phải nộp: 16.000 đồng" in text
    sheet = _text(client, h, d["id"], "control-sheet", tmp_path)
    assert d["code"] in sheet and "Tiếp nhận" in sheet


def test_receipt_has_the_dossier_code_as_a_qr_code(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    """The QR code drawn on the receipt is exactly segno's code of the dossier code.

    The page is rasterised by poppler; each module's centre is sampled and compared with
    the matrix segno makes for the code (no QR decoder is needed on the machine).
    """
    d = _push(tablet)
    r = client.get(f"/v1/dossiers/{d['id']}/receipt.pdf", headers=as_user("tiepnhan"))
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(r.content)
    dpi = 300
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf), str(tmp_path / "r")],
        check=True,
    )
    img = Image.open(next(tmp_path.glob("r*.pgm")))
    mm = dpi / 25.4
    # The QR sits at the right edge of the text (24 mm, right margin 15 mm), level with
    # the "Mã hồ sơ" line: find that line with pdftotext -bbox, then the QR's dark box.
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    m = re.search(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>Mã</word>', bbox)
    assert m is not None
    top = float(m.group(1)) * 25.4 / 72 - 4.0
    strip = img.crop((int(169 * mm), int(top * mm), int(197 * mm), int((top + 30) * mm)))
    dark = strip.point(lambda v: 255 if v < 128 else 0)
    box = dark.getbbox()
    assert box is not None, "no QR code drawn in the receipt's right column"
    matrix = [list(row) for row in segno.make(d["code"], error="m", micro=False).matrix]
    n = len(matrix)
    x0, y0, x1, y1 = box
    cell_w, cell_h = (x1 - x0) / n, (y1 - y0) / n
    drawn = [
        [
            strip.getpixel((int(x0 + (c + 0.5) * cell_w), int(y0 + (r + 0.5) * cell_h))) < 128
            for c in range(n)
        ]
        for r in range(n)
    ]
    assert drawn == [[bool(v) for v in row] for row in matrix]


def test_supplement_request_lists_the_missing_items(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    d = _push(tablet)
    h = as_user("thamdinh")
    r = client.get(f"/v1/dossiers/{d['id']}/supplement-request.pdf", headers=h)
    assert r.status_code == 409 and r.json()["code"] == "PAPER_NOT_APPLICABLE"
    _act(
        client,
        h,
        d["id"],
        "request_supplement",
        "Hồ sơ còn thiếu:\n- Giấy chứng sinh bản chính\n- Ghi rõ nơi sinh",
    )
    text = _text(client, h, d["id"], "supplement-request", tmp_path)
    assert d["code"] in text
    assert "1. Giấy chứng sinh bản chính" in text and "2. Ghi rõ nơi sinh" in text
    assert "Trần Văn Hùng" in text  # the appraiser who asks


def test_refusal_after_receipt_is_status_8_and_prints_the_reason(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    d = _push(tablet)
    h = as_user("thamdinh")
    r = client.get(f"/v1/dossiers/{d['id']}/refusal.pdf", headers=h)
    assert r.status_code == 409 and r.json()["code"] == "PAPER_NOT_APPLICABLE"
    body = _act(client, h, d["id"], "refuse", "Trẻ đã được đăng ký khai sinh tại nơi khác")
    assert body["status_code"] == 8
    text = _text(client, h, d["id"], "refusal", tmp_path)
    assert d["code"] in text and "không giải quyết hồ sơ" in text
    assert "Trẻ đã được đăng ký khai sinh tại nơi khác" in text


def test_apology_is_recorded_role_checked_and_printed(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    d = _push(tablet)
    lead = as_user("lanhdao")
    r = client.get(f"/v1/dossiers/{d['id']}/apology.pdf", headers=lead)
    assert r.status_code == 409 and r.json()["code"] == "PAPER_NOT_APPLICABLE"
    # A working day well after today's due time.
    day = vn_now().date() + timedelta(days=14)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    body = {"new_due_at": day.isoformat(), "reason": "Chờ xác minh nơi sinh với Trung tâm Y tế"}
    url = f"/v1/dossiers/{d['id']}/apology"
    r = client.post(url, json=body, headers=as_user("vanthu"))
    assert r.status_code == 403 and r.json()["code"] == "ROLE_NOT_ALLOWED"
    r = client.post(url, json={**body, "reason": " "}, headers=lead)
    assert r.status_code == 422 and r.json()["code"] == "REASON_REQUIRED"
    r = client.post(url, json={**body, "new_due_at": "2020-01-06"}, headers=lead)
    assert r.status_code == 400 and r.json()["field"] == "new_due_at"
    r = client.post(url, json=body, headers=lead)
    assert r.status_code == 200, r.text
    assert r.json()["history"][-1]["action"] == "apologize"
    assert r.json()["status"] == "received" and r.json()["version"] == 2
    text = _text(client, lead, d["id"], "apology", tmp_path)
    assert d["code"] in text and "Chờ xác minh nơi sinh" in text
    assert f"ngày {day:%d/%m/%Y}" in text and "Lê Minh Tâm" in text
    # The tablet hears of it (the apology is in the history it pulls).
    items = [tablet.open_feed(i) for i in tablet.pull()["items"]]
    assert items[-1]["history"][-1]["action"] == "apologize"


def test_control_sheet_follows_each_stage(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    d = _push(tablet)
    for who, action in [("thamdinh", "accept"), ("lanhdao", "approve"), ("vanthu", "stamp")]:
        _act(client, as_user(who), d["id"], action)
    text = _text(client, as_user("vanthu"), d["id"], "control-sheet", tmp_path)
    for name in ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Minh Tâm", "Phạm Thị Hoa"):
        assert name in text
    assert "Đúng hạn" in text or "Trước hạn" in text or "Quá hạn" in text


def test_papers_need_a_staff_token_and_a_known_dossier(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = _push(tablet)
    for paper in PAPERS:
        r = client.get(f"/v1/dossiers/{d['id']}/{paper}.pdf")
        assert r.status_code == 401 and r.json()["code"] == "AUTH_REQUIRED"
        r = client.get(f"/v1/dossiers/nope/{paper}.pdf", headers=as_user("tiepnhan"))
        assert r.status_code == 404 and r.json()["code"] == "DOSSIER_NOT_FOUND"
