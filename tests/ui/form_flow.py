"""Fill the step-by-step khai sinh form in the browser the way staff do.

The steps and fields come from the same ``FormState`` the app draws from, so a new
catalogue field is typed without touching this file. Text is typed key by key
(``keyboard.type`` with a human delay); the accessibility layer is only used to find
each field and each choice button.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from mobile.state.form import FormState, field_kind
from shared.catalogue import Procedure
from shared.procedures import builtin
from tests.browser_kit import APPRAISER, INTAKE
from tests.ui import flet_driver as fd
from tests.ui.conftest import Station

KS = "1.001193"


def typed_text(f_type: str, value: Any) -> str:
    """A sample value as staff type it (dates as dd/mm/yyyy)."""
    if f_type == "date":
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    return str(value)


def type_into(page: Any, label: str, text: str, delay: int, timeout: float = 20) -> None:
    """Click into the field, wait for focus, select what is there, type key by key."""
    fd.type_text(page, label, text, delay=delay, timeout=max(timeout, 45))


def tap_switch(page: Any, label: str) -> None:
    """Flip a switch found by the start of its label (Flutter exposes it as a switch, or
    as a checkbox in some builds)."""
    name = re.compile("^" + re.escape(label[:24]))
    sw = page.get_by_role("switch", name=name).first
    if sw.count() == 0:
        sw = page.get_by_role("checkbox", name=name).first
    sw.scroll_into_view_if_needed()
    fd.when_still(sw)
    sw.click()


def tap_choice(page: Any, label: str) -> None:
    b = page.get_by_role("button", name=label, exact=True).first
    b.scroll_into_view_if_needed()
    fd.when_still(b)
    b.click()


def fill_by_steps(
    page: Any,
    values: dict[str, Any],
    *,
    human: bool = True,
    code: str = KS,
    papers: bool = True,
    procedure: Procedure | None = None,
) -> FormState:
    """Walk every section step, typing each visible text field and tapping each short
    choice, then go on to the checklist step ("Thành phần hồ sơ") and, with ``papers``,
    hand every paper in (tick, and a photo where one is asked).

    Returns the in-process mirror of the form (same values) for the caller's checks.
    ``procedure``: one the tablet holds that is not built in (an imported one).
    """
    mirror = FormState.new(procedure or builtin().get(code))
    for k, v in values.items():
        mirror.set_value(k, v)
    n_steps = mirror.step_count()
    sections = mirror.sections()
    i = 0
    for step, (_, fields) in enumerate(sections):
        fd.wait_text(page, f"Bước {step + 1}/{n_steps}")
        for f in fields:
            kind = field_kind(f)
            if f.id not in values:
                continue
            if kind in ("text", "number", "date"):
                text = typed_text(f.type, values[f.id])
                delay = 150 + (i * 37) % 151  # 150..300 ms per key
                i += 1
                if human:
                    type_into(page, mirror.label(f), text, delay)
                else:
                    fd.fill(page, mirror.label(f), text)
            elif kind == "radio":
                tap_choice(page, f.choice_label(values[f.id]))
            elif kind == "switch" and bool(values[f.id]) != bool(
                f.default if f.default is not None else False
            ):
                tap_switch(page, mirror.label(f))
        if step < n_steps - 1:
            fd.click(page, "Tiếp")
    if mirror.has_checklist():
        fd.wait_text(page, f"Bước {n_steps}/{n_steps}: Thành phần hồ sơ")
        if papers:
            hand_in_papers(page, mirror)
    return mirror


def page_photo_file() -> Path:
    """A JPEG of a printed page on disk, for the browser's file dialog."""
    import tempfile

    from PIL import Image, ImageDraw

    path = Path(tempfile.mkdtemp(prefix="taicho-photo-")) / "giay-to.jpg"
    img = Image.new("RGB", (800, 600), (236, 232, 220))
    draw = ImageDraw.Draw(img)
    for n in range(14):
        draw.text((40, 30 + n * 40), f"GIAY TO SO {n:02d} - BAN CHINH", fill=(20, 20, 20))
    img.save(path, "JPEG", quality=90)
    return path


def _named(text: str) -> re.Pattern[str]:
    """A name pattern Playwright can ship to the page ("/" would end its regex early)."""
    return re.compile(re.escape(text[:60]).replace("/", "\\/"))


def tick_paper(page: Any, name: str) -> None:
    """Tap a component's tick, found by its name, as a person does."""
    box = page.get_by_role("checkbox", name=_named(name)).first
    box.scroll_into_view_if_needed()
    fd.when_still(box)
    box.click()


def add_photo(page: Any, name: str, photo: Path, nth: int = 0) -> None:
    """ "Chụp / chọn ảnh" of the ``nth`` component that asks a photo (``name``); the
    browser's file dialog gets ``photo``."""
    b = page.get_by_role("button", name=re.compile(r"^Chụp \/ chọn ảnh")).nth(nth)
    b.scroll_into_view_if_needed()
    fd.when_still(b)
    with page.expect_file_chooser(timeout=30_000) as chooser:
        b.click()
    chooser.value.set_files(str(photo))
    fd.wait_text(page, f"Ảnh {name}", timeout=60)  # the thumbnail is drawn


def hand_in_papers(page: Any, mirror: FormState) -> None:
    """Every paper handed in: a photo where the catalogue asks one (which ticks it), a tick
    for the others; then the step says the dossier is complete."""
    photo = page_photo_file()
    nth = 0
    for row in mirror.checklist_rows():
        if row.photo_required:
            add_photo(page, row.name, photo, nth)
            nth += 1
        else:
            tick_paper(page, row.name)
    fd.wait_text(page, "Hồ sơ đã đủ thành phần.")


NEXT_PART = "Phần tiếp"
CONFIRM = "Xác nhận: thông tin đúng"


def read_back(page: Any, shots: Path | None = None) -> list[list[str]]:
    """Walk the read-back one section per screen, as the citizen does, scrolling each
    screen to its end; returns the lines seen at each position (top to bottom) and stops
    on the last section, where "Xác nhận" is offered."""
    snaps: list[list[str]] = []
    part = 1
    while True:
        fd.wait_text(page, f"Đọc lại phần {part} trên")
        if shots is not None:
            fd.settled_screenshot(page, shots / f"read-back-{part}.png")
        button = ""
        for _ in range(30):
            lines = fd.all_text(page).splitlines()
            snaps.append(lines)
            button = next((b for b in (NEXT_PART, CONFIRM) if b in lines), "")
            if button:
                break
            page.mouse.move(640, 500)
            page.mouse.wheel(0, 500)
            page.wait_for_timeout(300)
        assert button, f"read-back part {part}: neither {NEXT_PART!r} nor {CONFIRM!r} shown"
        if button == CONFIRM:
            return snaps
        fd.click(page, NEXT_PART)
        part += 1


def draw_signature(page: Any, pad: Any) -> None:
    """A signature with the mouse: two strokes, pressed, moved in small steps, lifted."""
    pad.scroll_into_view_if_needed()
    fd.when_still(pad)
    box = pad.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 60, box
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    for stroke in range(2):
        pts = [
            (
                x0 + w * (0.12 + 0.35 * stroke + 0.3 * t / 40),
                y0 + h * (0.5 + 0.25 * math.sin(t / 4)),
            )
            for t in range(41)
        ]
        page.mouse.move(*pts[0])
        page.mouse.down()
        for x, y in pts[1:]:
            page.mouse.move(x, y, steps=2)
            page.wait_for_timeout(15)
        page.mouse.up()
        page.wait_for_timeout(300)


def station_dossier(station: Station, code: str) -> dict[str, Any]:
    h = {"Authorization": f"Bearer {station.token(APPRAISER)}"}
    r = httpx.get(f"{station.url}/v1/dossiers", headers=h, timeout=30)
    r.raise_for_status()
    [item] = [x for x in r.json()["items"] if x.get("code") == code]
    r = httpx.get(f"{station.url}/v1/dossiers/{item['id']}", headers=h, timeout=30)
    r.raise_for_status()
    return dict(r.json())


CODE_RE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")


def unlock_typing(page: Any, who: tuple[str, str] = INTAKE, delay: int = 170) -> None:
    """Sign in as staff do: the name and the PIN typed key by key, then "Mở khoá"."""
    fd.wait_text(page, "Mở khoá")
    type_into(page, "Tên đăng nhập", who[0], delay)
    type_into(page, "Mã PIN", who[1], delay + 20)
    fd.click(page, re.compile(r"^Mở khoá$"))
    fd.wait_text(page, "Hồ sơ")


def receive_and_sync(page: Any, shot: Path | None = None) -> str:
    """ "Lưu – tiếp nhận hồ sơ" → the receipt's dossier code; then home and "Đồng bộ"
    until nothing waits. Returns the code."""
    fd.click(page, "Lưu – tiếp nhận hồ sơ")
    fd.wait_text(page, "Đã tiếp nhận hồ sơ")
    m = CODE_RE.search(fd.wait_text(page, CODE_RE))
    assert m
    assert "Hạn trả kết quả:" in fd.all_text(page)
    if shot is not None:
        fd.settled_screenshot(page, shot)
    fd.click(page, "Về trang chính")
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Chờ gửi: 0")
    return m.group(0)


def large_contrast_shot(page: Any, shot: Path, still: str | None = None) -> None:
    """Large text and high contrast on, a screenshot to look at (after ``still`` is
    shown again), then back through extra large to normal text and contrast off."""
    fd.click(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là lớn")
    fd.click(page, "Tương phản cao")
    fd.wait_text(page, "đang bật")
    if still:
        fd.wait_text(page, still)
    fd.settled_screenshot(page, shot)
    fd.click(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là rất lớn")
    fd.click(page, "Chữ lớn")
    fd.wait_text(page, "cỡ chữ đang là thường")
    fd.click(page, "Tương phản cao")
