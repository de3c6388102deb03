"""Errors where they happen, in the browser (issue 21, items 5 and 6).

Keys are typed one at a time as a person types: a birth date in 2027 and an ID of five
digits show their error as soon as the field is left, the count above drops as each is
fixed, "Tiếp" holds a step with a problem while a step chip jumps anyway; and a paper
marked "Cần ảnh" without its photo is found when "Xem trước" is pressed — before the
citizen reads anything back. Real station, real Flet web client, Debian's Chromium.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.samples import sample_values
from shared.workdays import vn_now
from tests.ui import flet_driver as fd
from tests.ui.form_flow import fill_by_steps, tick_paper, type_into, unlock_typing

pytestmark = [pytest.mark.browser]
KS = "1.001193"
BORN = "Ngày, tháng, năm sinh người yêu cầu"
ID_NO = "Số giấy tờ tùy thân người yêu cầu"
HOME = "Nơi cư trú người yêu cầu"


@pytest.mark.timeout(420)
def test_a_field_error_shows_on_blur_and_goes_when_fixed(page: Any, shots: Path) -> None:
    values = sample_values(KS, vn_now().date(), seed=11)
    unlock_typing(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")
    type_into(page, BORN, "01/02/2027", 170)
    type_into(page, ID_NO, "12345", 190)  # leaving the date: its error shows now
    text = fd.wait_text(page, "không được sau ngày hôm nay")
    assert "Hồ sơ còn 1 lỗi" in text
    type_into(page, HOME, values["requester_residence"], 160)  # leaving the ID
    text = fd.wait_text(page, "phải gồm 12 chữ số")
    assert "Hồ sơ còn 2 lỗi" in text
    assert "Vui lòng nhập" not in text  # fields not reached stay quiet
    fd.settled_screenshot(page, shots / "01-errors-on-blur.png")

    # "Tiếp" holds the step; the first step's chip says how many are left
    fd.click(page, "Tiếp")
    fd.wait_text(page, re.compile(r"Bước 1: .* còn \d+ lỗi"))
    # the empty required ones too (their lines may paint a frame after the chip's count)
    text = fd.wait_text(page, "Vui lòng nhập")
    assert "Bước 1/" in text

    # fixed one by one, the count drops
    born = date.fromisoformat(values["requester_birth_date"]).strftime("%d/%m/%Y")
    type_into(page, BORN, born, 180)
    type_into(page, ID_NO, values["requester_id_number"], 170)
    fd.wait_no_text(page, "không được sau ngày hôm nay")
    type_into(page, HOME, values["requester_residence"], 150)
    fd.wait_no_text(page, "phải gồm 12 chữ số")
    fd.settled_screenshot(page, shots / "02-fixed.png")
    # a chip jumps to its step, whatever is left on this one
    fd.click(page, re.compile(r"^Đi tới bước 3"))
    fd.wait_text(page, "Bước 3/")


@pytest.mark.timeout(480)
def test_a_missing_photo_is_caught_before_the_read_back(page: Any, shots: Path) -> None:
    values = sample_values(KS, vn_now().date(), seed=12)
    unlock_typing(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    mirror = fill_by_steps(page, values, human=True, papers=False)
    n = mirror.step_count()
    rows = mirror.checklist_rows()
    photo_rows = [r for r in rows if r.photo_required]
    assert photo_rows  # the birth certificate from the hospital: "Cần ảnh"
    for r in rows:
        tick_paper(page, r.name)  # handed in, but no photo taken
    fd.click(page, "Xem trước")
    text = fd.wait_text(page, "Hồ sơ chưa đủ thành phần")
    assert "Xin ông/bà đọc lại thông tin" not in text  # no read-back before the papers
    assert f"Bước {n}/{n}: Thành phần hồ sơ" in text
    assert f"• {photo_rows[0].name}" in text
    fd.settled_screenshot(page, shots / "01-papers-first.png")
