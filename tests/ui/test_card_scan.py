"""A QR scanner "types" the chip ID card's code into the form; one tap fills the mother.

The scanner is stood in for by Playwright's keyboard (a USB/Bluetooth QR scanner is a
keyboard to the tablet): the code arrives key by key, then Enter. The real station,
the real Flet web client in Debian's Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.ui import flet_driver as fd
from tests.ui.form_flow import unlock_typing

pytestmark = [pytest.mark.browser]
QR = (
    "087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ|"
    "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp|12072021"
)


@pytest.mark.timeout(300)
def test_scanned_card_fills_the_mother_and_is_found_again_by_name(page: Any, shots: Path) -> None:
    unlock_typing(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")
    fd.click(page, re.compile("^Điền từ thẻ căn cước"))
    box = fd.focus(page, "Mã QR trên thẻ căn cước (quét hoặc dán)")
    page.keyboard.type(QR, delay=25)  # a scanner types fast, then sends Enter
    assert box.input_value() == QR
    page.keyboard.press("Enter")
    text = fd.wait_text(page, "Địa chỉ theo đơn vị hành chính hiện nay")
    text = fd.wait_text(page, "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp")
    assert "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp" in text  # printed, side by side
    assert "Nguyễn Thị Ánh — sinh 05/03/1992 — Nữ" in text
    fd.settled_screenshot(page, shots / "card-read.png")
    fd.click(page, "Điền cho người mẹ")
    fd.wait_text(page, "Đã điền thông tin từ thẻ căn cước")
    # the requester's step is still empty, so "Tiếp" would hold it (issue 21): the mother's
    # step is reached through its chip, as staff jump there
    fd.click(page, re.compile(r"^(Đi tới bước 3|Bước 3:)"))
    fd.wait_text(page, "Bước 3/")
    fd.settled_screenshot(page, shots / "mother-filled.png")
    # Flutter puts a field's text into its DOM input when the field is focused: read each
    # as staff would check it, by tapping into it.
    for label, want in (
        ("Họ, chữ đệm, tên người mẹ", "Nguyễn Thị Ánh"),
        ("Ngày, tháng, năm sinh người mẹ", "05/03/1992"),
        ("Số giấy tờ tùy thân người mẹ", "087192004321"),
        ("Nơi cư trú người mẹ", "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp"),
    ):
        assert fd.focus(page, label).input_value() == want, label
    # the citizen is now in the book: found again by name typed without accents
    fd.click(page, re.compile("^Điền từ thẻ căn cước"))
    fd.focus(page, "Hoặc tìm người dân đã có (tên, không cần dấu, hoặc số định danh)")
    page.keyboard.type("nguyen thi anh", delay=150)
    page.keyboard.press("Enter")
    fd.click(page, "Chọn: Nguyễn Thị Ánh — 05/03/1992 — 087192004321")
    fd.wait_text(page, "Điền cho người yêu cầu")
    fd.settled_screenshot(page, shots / "citizen-found.png")
