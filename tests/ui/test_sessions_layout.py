"""Browser tests: two tabs lock independently; the phone layout; large text and high
contrast on the form. Screenshots go to ``$TAICHO_UI_SHOTS`` (git-ignored ``artefacts/``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_kit import INTAKE
from tests.ui import flet_driver as fd
from tests.ui.conftest import TabletApp

pytestmark = [pytest.mark.browser]


def _unlock(page: Any, who: tuple[str, str] = INTAKE) -> None:
    fd.wait_text(page, "Mở khoá")
    fd.fill(page, "Tên đăng nhập", who[0])
    fd.fill(page, "Mã PIN", who[1])
    fd.click(page, re.compile(r"^Mở khoá$"))
    fd.wait_text(page, "Tìm theo tên hoặc mã hồ sơ")


@pytest.fixture
def open_page(browser: Any, tablet_app: TabletApp) -> Iterator[Any]:
    """Open more pages (each its own browser context = its own web session)."""
    contexts: list[Any] = []

    def opener(width: int = 1280, height: int = 800) -> Any:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        pg = ctx.new_page()
        fd.open_app(pg, tablet_app.url)
        return pg

    yield opener
    for ctx in contexts:
        ctx.close()


@pytest.mark.timeout(240)
def test_two_sessions_unlock_and_lock_independently(open_page: Any, shots: Path) -> None:
    a = open_page()
    _unlock(a)
    b = open_page()
    # b is a new session: locked, although a is unlocked in the same app process
    fd.wait_text(b, "Mở khoá")
    b.wait_for_timeout(1500)
    assert "Tìm theo tên hoặc mã hồ sơ" not in fd.all_text(b)
    _unlock(b)
    # locking a leaves b working with its own keys
    fd.click(a, "Khoá máy")
    fd.wait_text(a, "Mã PIN")
    fd.click(b, "Đồng bộ")
    text = fd.wait_text(b, "Đã đồng bộ")
    assert "Tìm theo tên hoặc mã hồ sơ" in text  # still home, not sent to unlock
    assert "khoá" not in text.split("Đã đồng bộ")[1][:80].lower()
    fd.click(b, "Hồ sơ mới")
    fd.wait_text(b, "Chọn thủ tục")
    fd.settled_screenshot(b, shots / "b-still-unlocked.png")
    fd.settled_screenshot(a, shots / "a-locked.png")


def _box(page: Any, role: str, name: str | re.Pattern[str]) -> dict[str, float]:
    el = page.get_by_role(role, name=name).first
    el.wait_for(state="attached", timeout=20_000)
    return fd.show_whole(page, el)  # a box cut by the window edge is smaller


@pytest.mark.timeout(240)
def test_phone_layout_keeps_the_app_bar_on_one_line(open_page: Any, shots: Path) -> None:
    page = open_page(390, 844)
    fd.wait_text(page, "Mở khoá")
    fd.settled_screenshot(page, shots / "phone-unlock.png")
    _unlock(page)
    fd.settled_screenshot(page, shots / "phone-home.png")
    lock = _box(page, "button", "Khoá máy")
    size = _box(page, "button", re.compile("^Chữ lớn"))
    assert lock["x"] + lock["width"] <= 391 and size["x"] >= 0
    assert abs(lock["y"] - size["y"]) < 5  # the actions share one row
    assert lock["y"] + lock["height"] < 140  # the bar stays a bar, not a screenful
    new = _box(page, "button", "Hồ sơ mới")
    assert new["x"] + new["width"] <= 391
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")
    field = page.get_by_role("textbox", name=re.compile("^Họ, chữ đệm, tên người yêu cầu")).first
    box = field.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391
    fd.settled_screenshot(page, shots / "phone-form.png")


@pytest.mark.timeout(300)
def test_portrait_tablet_layout_uses_the_width(open_page: Any, shots: Path) -> None:
    """800×1280 (a tablet held upright): the bar on one row, the form fills
    the width without running off it, long choice labels wrap instead of being cut,
    the step buttons within reach."""
    page = open_page(800, 1280)
    _unlock(page)
    fd.settled_screenshot(page, shots / "portrait-home.png")
    lock = _box(page, "button", "Khoá máy")
    size = _box(page, "button", re.compile("^Chữ lớn"))
    assert abs(lock["y"] - size["y"]) < 5 and lock["x"] + lock["width"] <= 801
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")
    field = page.get_by_role("textbox", name=re.compile("^Họ, chữ đệm, tên người yêu cầu")).first
    box = field.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 801
    assert box["width"] >= 600  # uses the width of an upright tablet, not a phone column
    nxt = _box(page, "button", "Tiếp")
    assert nxt["x"] + nxt["width"] <= 801 and nxt["height"] >= 56
    fd.settled_screenshot(page, shots / "portrait-form.png")


def _tap_bar(page: Any, name: str) -> None:
    """Tap an app-bar button as a finger does: then nothing hovers over the bar (a mouse
    left on a button keeps its tooltip open over the next one)."""
    fd.click(page, name)
    page.mouse.move(5, 795)


# Stop 6 found two test faults behind what looked like one "page freeze": the field was
# measured while cut by the window edge (Playwright's scroll_into_view scrolls the
# semantics DOM, not the Flutter view: fd.show_whole now wheels it into view), and a tap
# landed while the app bar was still being laid out again (fd.click now waits until the
# button is still). The rare freeze after a text-size change that remained was the main
# thread laying out ellipsised texts in narrow boxes at "Rất lớn" (see
# tests/ui/test_screens_tour.py): they now wrap in full, and the xfail marker is gone.
@pytest.mark.timeout(90)
def test_text_size_and_contrast_reach_the_form_fields(open_page: Any, shots: Path) -> None:
    page = open_page()
    _unlock(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")
    name = re.compile("^Họ, chữ đệm, tên người yêu cầu")
    fd.settled_screenshot(page, shots / "form-normal.png")
    normal = _box(page, "textbox", name)["height"]
    _tap_bar(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là lớn")
    _tap_bar(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là rất lớn")
    _tap_bar(page, "Tương phản cao")
    fd.wait_text(page, "đang bật")
    fd.settled_screenshot(page, shots / "form-xl-contrast.png")
    xl = _box(page, "textbox", name)["height"]
    assert xl > normal * 1.25, (normal, xl)  # the typed text and label grew with it
    _tap_bar(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là thường")
