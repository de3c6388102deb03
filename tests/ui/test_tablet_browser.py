"""End to end in a real browser: a birth registration from the tablet to a stamped result.

Station (subprocess, demo staff) ← sync ← tablet web app (subprocess) ← headless Chromium.
Screenshots of the key steps go to ``$TAICHO_UI_SHOTS`` (or the test's tmp dir).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from mobile.services.tablet import TabletService
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.ui import flet_driver as fd
from tests.ui.conftest import APPRAISER, CLERK, INTAKE, LEADER, Station, TabletApp

# The Flutter web client occasionally drops a programmatic fill of a multi-line field
# (about 1 run in 10 under load here; root cause not found, see the issue note), so a
# browser test gets up to two fresh re-runs. Every other test runs once.
pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=2, reruns_delay=2)]

CODE_RE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")

# catalogue label → sample key, for every text-like field the sample sets
TEXT_FIELDS = [
    ("Họ, chữ đệm, tên người yêu cầu", "requester_full_name"),
    ("Ngày, tháng, năm sinh người yêu cầu", "requester_birth_date"),
    ("Số giấy tờ tùy thân người yêu cầu", "requester_id_number"),
    ("Nơi cư trú người yêu cầu", "requester_residence"),
    ("Số điện thoại", "requester_phone"),
    ("Họ, chữ đệm, tên", "child_full_name"),
    ("Ngày, tháng, năm sinh", "child_birth_date"),
    ("Nơi sinh", "child_birth_place"),
    ("Quê quán", "child_hometown"),
    ("Họ, chữ đệm, tên người mẹ", "mother_full_name"),
    ("Ngày sinh người mẹ", "mother_birth_date"),
    ("Số giấy tờ tùy thân người mẹ", "mother_id_number"),
    ("Nơi cư trú người mẹ", "mother_residence"),
    ("Họ, chữ đệm, tên người cha", "father_full_name"),
    ("Ngày sinh người cha", "father_birth_date"),
    ("Số giấy tờ tùy thân người cha", "father_id_number"),
    ("Nơi cư trú người cha", "father_residence"),
    ("Số Giấy chứng nhận kết hôn", "marriage_cert_number"),
    ("Quyển số", "marriage_cert_book"),
    ("Ngày đăng ký kết hôn", "marriage_cert_date"),
    ("Nơi đăng ký kết hôn", "marriage_cert_place"),
    ("Số bản sao Giấy khai sinh yêu cầu cấp", "copies_requested"),
]


def _typed(key: str, value: Any) -> str:
    if key in ("child_birth_date", "requester_birth_date", "marriage_cert_date"):
        return date.fromisoformat(value).strftime("%d/%m/%Y")  # as staff type it
    if key in ("mother_birth_date", "father_birth_date") and len(str(value)) == 10:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)


def _unlock(page: Any, who: tuple[str, str]) -> None:
    fd.fill(page, "Tên đăng nhập", who[0])
    fd.fill(page, "Mã PIN", who[1])
    fd.click(page, "Mở khoá")


def _station_id(station: Station, code: str) -> str:
    r = httpx.get(
        f"{station.url}/v1/dossiers",
        headers={"Authorization": f"Bearer {station.token(APPRAISER)}"},
        timeout=30,
    )
    r.raise_for_status()
    for item in r.json()["items"]:
        if item.get("code") == code:
            return str(item["id"])
    raise AssertionError(f"{code} not at the station: {r.text[:500]}")


def _preview_refilling_lost_fields(page: Any, values: dict[str, Any], rounds: int = 3) -> None:
    """Press "Xem trước"; refill any text field whose programmatic fill was lost.

    Known gap (see the report): an instant Playwright ``fill`` right after the previous
    field's round trip is occasionally dropped by the Flutter web client (~1 field in
    50); a person typing is not affected in our tries. Each refill is logged.
    """
    by_label = dict(TEXT_FIELDS)
    for _ in range(rounds):
        fd.click(page, "Xem trước")
        try:
            fd.wait_text(page, "Xin ông/bà đọc lại thông tin", timeout=8)
            return
        except AssertionError:
            pass
        lost = [
            line.removeprefix("Vui lòng nhập ").removesuffix(".")
            for line in fd.all_text(page).splitlines()
            if line.startswith("Vui lòng nhập ")
        ]
        assert lost and all(x in by_label for x in lost), lost
        for label in lost:
            print(f"refilling lost field {label!r}")
            fd.fill(page, label, _typed(by_label[label], values[by_label[label]]))
    raise AssertionError("the preview never opened")


@pytest.mark.timeout(300)
def test_birth_registration_from_tablet_to_stamped_result(
    page: Any, station: Station, tablet_app: TabletApp, shots: Path
) -> None:
    values = sample_values("1.001193", vn_now().date(), seed=7)
    child = values["child_full_name"]

    # 1. unlock (first time on this tablet: via the station) → home
    fd.wait_text(page, "Mở khoá")
    fd.settled_screenshot(page, shots / "01-unlock.png")
    _unlock(page, INTAKE)
    fd.wait_text(page, "Hồ sơ hôm nay")
    fd.wait_text(page, "Chờ gửi: 0")

    # 2. new dossier → khai sinh → preview of an empty form: per-field Vietnamese errors
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Người được khai sinh")
    fd.click(page, "Xem trước")
    text = fd.wait_text(page, "Vui lòng nhập Họ, chữ đệm, tên.")
    assert "Vui lòng nhập Họ, chữ đệm, tên người yêu cầu." in text
    assert "Hồ sơ còn" in text  # the summary banner
    fd.settled_screenshot(page, shots / "02-form-errors.png")

    # show-if: the father's fields hide with the switch and come back with it
    switch = page.get_by_role("switch", name=re.compile("Đã xác định được người cha")).first
    if switch.count() == 0:
        switch = page.get_by_role("checkbox", name=re.compile("Đã xác định được người cha")).first
    switch.scroll_into_view_if_needed()
    switch.click()
    fd.wait_no_text(page, "Ngày sinh người cha")
    switch.click()
    fd.wait_text(page, "Ngày sinh người cha")

    # 3. fill the form from the sample; the date in words appears live
    for label, key in TEXT_FIELDS:
        fd.fill(page, label, _typed(key, values[key]))
    for radio in ("Mẹ", "Nữ" if values["child_sex"] == "nu" else "Nam"):
        r = page.get_by_role("radio", name=radio).first
        r.scroll_into_view_if_needed()
        r.click()
    pledge = page.get_by_role("switch", name=re.compile("Tôi cam đoan")).first
    if pledge.count() == 0:
        pledge = page.get_by_role("checkbox", name=re.compile("Tôi cam đoan")).first
    pledge.scroll_into_view_if_needed()
    pledge.click()
    fd.wait_text(page, "Bằng chữ: Ngày")
    fd.settled_screenshot(page, shots / "03-form-filled.png")

    # 4. large-print preview
    _preview_refilling_lost_fields(page, values)
    text = fd.wait_text(page, child)
    assert "Mẹ" in text and "Ngày, tháng, năm sinh bằng chữ" in text
    fd.settled_screenshot(page, shots / "04-preview.png")
    fd.click(page, "Chữ lớn")
    fd.click(page, "Tương phản cao")
    fd.settled_screenshot(page, shots / "05-preview-large-contrast.png")
    fd.click(page, "Chữ lớn")
    fd.click(page, "Tương phản cao")

    # "Sửa lại" keeps every value; back to the preview
    fd.click(page, "Sửa lại")
    fd.wait_text(page, "Các ô có dấu * là bắt buộc.")
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    fd.wait_text(page, values["mother_full_name"])

    # 5. save → receipt with the dossier code and the due time
    fd.click(page, "Lưu – tiếp nhận hồ sơ")
    text = fd.wait_text(page, "Đã tiếp nhận hồ sơ")
    m = CODE_RE.search(fd.wait_text(page, CODE_RE))
    assert m, text
    code = m.group(0)
    assert "Hạn trả kết quả:" in fd.all_text(page)
    fd.settled_screenshot(page, shots / "06-receipt.png")
    fd.click(page, "Về trang chính")
    fd.wait_text(page, child)
    fd.wait_text(page, "Chờ gửi: 1")

    # 6. sync → nothing pending
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Chờ gửi: 0")
    fd.wait_text(page, "Đã đồng bộ")

    # 7. the office appraises, approves and stamps it over HTTP
    dossier_id = _station_id(station, code)
    station.act(dossier_id, "accept", APPRAISER)
    station.act(dossier_id, "approve", LEADER)
    station.act(dossier_id, "stamp", CLERK)

    # 8. sync again → stamped, result available
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, re.compile(r"Đã đồng bộ: gửi 0, nhận [1-9]"))
    fd.wait_text(page, "Đã đóng dấu – chờ trả")
    fd.settled_screenshot(page, shots / "07-home-stamped.png")
    fd.click(page, re.compile(re.escape(code)))
    fd.wait_text(page, "Quá trình xử lý")
    text = fd.wait_text(page, "Đã có kết quả (Giấy khai sinh")
    assert "Đã đóng dấu – chờ trả" in text
    assert "Phê duyệt" in text and "Đóng dấu" in text  # history in Vietnamese
    fd.click(page, "Lưu kết quả")
    text = fd.wait_text(page, "Đã lưu:")
    saved = tablet_app.data / "results" / f"{code}.pdf"
    assert str(saved) in text
    assert saved.read_bytes().startswith(b"%PDF")
    fd.settled_screenshot(page, shots / "08-detail-result.png")


@pytest.mark.timeout(180)
def test_wrong_pin_shows_tries_left_then_unlocks(
    page: Any, tablet_app: TabletApp, shots: Path
) -> None:
    # Make sure tiepnhan has a PIN wrap on this tablet (an earlier unlock made it).
    svc = TabletService(tablet_app.data)
    try:
        svc.unlock(*INTAKE)
    finally:
        svc.close()
    fd.wait_text(page, "Mở khoá")
    _unlock(page, (INTAKE[0], "999999"))
    fd.wait_text(page, "Mã PIN không đúng (còn 4 lần thử).")
    fd.settled_screenshot(page, shots / "09-wrong-pin.png")
    _unlock(page, INTAKE)
    fd.wait_text(page, "Hồ sơ hôm nay")
    fd.click(page, "Khoá máy")
    fd.wait_text(page, "Mã PIN")
