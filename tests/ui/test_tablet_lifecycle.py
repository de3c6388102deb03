"""The tablet app's life in the browser: a draft outlives a killed app, and a supplement
request goes station → tablet → station.

The tablet app here is a process of its own that the test kills (SIGKILL, as a crash or
a flat battery would) and starts again on the same data and port. Real station, real
Flet web client in Debian's Chromium; staff type key by key.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import free_port
from tests.browser_kit import APPRAISER, INTAKE
from tests.tablet_kit import enrol_folder
from tests.ui import flet_driver as fd
from tests.ui.conftest import ROOT, Station, _start, _stop, _wait_http
from tests.ui.form_flow import (
    CONFIRM,
    add_photo,
    draw_signature,
    page_photo_file,
    read_back,
    type_into,
    unlock_typing,
)

pytestmark = [pytest.mark.browser]
KS = "1.001193"


@dataclass
class OwnApp:
    """A tablet web app this test may kill and start again."""

    data: Path
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.proc = _start(
            ["-m", "mobile", "--web", "--port", str(self.port), "--data", str(self.data)],
            self.log,
        )
        _wait_http(self.url, self.proc, self.log)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def headless(self, *args: str) -> dict[str, Any]:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "mobile.headless",
                "--data",
                str(self.data),
                "--user",
                INTAKE[0],
                "--pin",
                INTAKE[1],
                *args,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stdout + out.stderr
        return dict(json.loads(out.stdout))


@pytest.fixture
def own_app(station: Station, tmp_path: Path) -> Iterator[OwnApp]:
    code = station.enroll_code()
    data = enrol_folder(tmp_path / "tablet", station.url, code, "ui-lifecycle-tablet")
    app = OwnApp(data, free_port(), tmp_path / "app.log")
    app.start()
    try:
        yield app
    finally:
        if app.proc is not None:
            _stop(app.proc)


@pytest.fixture
def fresh_page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


@pytest.mark.timeout(400)
def test_draft_survives_a_killed_app(own_app: OwnApp, fresh_page: Any, shots: Path) -> None:
    page = fresh_page
    fd.open_app(page, own_app.url)
    unlock_typing(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fd.wait_text(page, "Bước 1/")
    type_into(page, "Họ, chữ đệm, tên người yêu cầu", "Lê Thị Hồng Nhung", 170)
    type_into(page, "Ngày, tháng, năm sinh người yêu cầu", "12/03/1990", 230)
    # the step is not complete, so "Tiếp" holds it (issue 21): its chip jumps
    fd.click(page, re.compile(r"^(Đi tới bước 2|Bước 2:)"))
    fd.wait_text(page, "Bước 2/")
    type_into(page, "Họ, chữ đệm, tên", "Trần Minh Khôi", 190)
    # autosave within a second: the sealed draft file is on disk before the crash
    drafts = own_app.data / "drafts"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not list(drafts.glob("*.draft")):
        time.sleep(0.2)
    time.sleep(1.5)  # the last keys' save
    [draft] = list(drafts.glob("*.draft"))
    assert b"Nhung" not in draft.read_bytes()  # sealed, not plain
    own_app.kill()
    own_app.start()

    fd.open_app(page, own_app.url)
    unlock_typing(page)
    text = fd.wait_text(page, "Bản nháp chưa tiếp nhận (1)")
    assert "Trần Minh Khôi" in text
    fd.settled_screenshot(page, shots / "01-home-draft.png")
    fd.click(page, re.compile("^Mở nháp"))
    fd.wait_text(page, "Bước 1/")
    assert fd.focus(page, "Họ, chữ đệm, tên người yêu cầu").input_value() == "Lê Thị Hồng Nhung"
    assert fd.focus(page, "Ngày, tháng, năm sinh người yêu cầu").input_value() == "12/03/1990"
    fd.click(page, re.compile(r"^(Đi tới bước 2|Bước 2:)"))
    fd.wait_text(page, "Bước 2/")
    got = fd.focus(page, "Họ, chữ đệm, tên").input_value()
    assert got == "Trần Minh Khôi"


@pytest.mark.timeout(500)
def test_supplement_round_trip(
    own_app: OwnApp, station: Station, fresh_page: Any, shots: Path, tmp_path: Path
) -> None:
    values = sample_values(KS, vn_now().date(), seed=21)
    src = tmp_path / "values.json"
    src.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    # received earlier with every paper and the birth certificate's photo
    photo = f"birth_certificate_medical={page_photo_file()}"
    d = own_app.headless("intake", "--procedure", KS, "--json", str(src), "--photo", photo)
    own_app.headless("sync")
    reason = "Ghi rõ nơi sinh theo giấy chứng sinh"
    station.act(_station_id(station, d["code"]), "request_supplement", APPRAISER, reason)

    page = fresh_page
    fd.open_app(page, own_app.url)
    unlock_typing(page)
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Yêu cầu bổ sung")
    fd.settled_screenshot(page, shots / "01-home-needs-supplement.png")
    fd.click(page, re.compile(re.escape(d["code"])))
    text = fd.wait_text(page, "Văn phòng yêu cầu bổ sung hồ sơ")
    assert f"Lý do: {reason}" in text
    fd.settled_screenshot(page, shots / "02-banner.png")
    fd.click(page, "Bổ sung hồ sơ")
    # opened at what the office asked for: the step holding "Nơi sinh", the reason shown
    text = fd.wait_text(page, f"Văn phòng yêu cầu bổ sung: {reason}")
    at, steps = map(int, re.search(r"Bước (\d+)/(\d+)", text).groups())  # type: ignore[union-attr]
    assert at > 1
    new_place = "Bệnh viện Đa khoa Đồng Tháp"
    box = fd.focus(page, "Nơi sinh")
    page.keyboard.press("Control+A")
    page.keyboard.type(new_place, delay=160)
    assert box.input_value() == new_place
    for step in range(at + 1, steps + 1):
        fd.click(page, "Tiếp")
        fd.wait_text(page, f"Bước {step}/")
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    seen = "\n".join("\n".join(p) for p in read_back(page))
    assert new_place in seen
    fd.click(page, CONFIRM)
    fd.click(page, "Tiếp: ký tờ khai")
    fd.click(page, re.compile("^Ký trên giấy"))
    fd.click(page, "Gửi bổ sung hồ sơ")
    fd.wait_text(page, "Đã tiếp nhận hồ sơ")
    fd.click(page, "Về trang chính")
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Chờ gửi: 0")

    sid = _station_id(station, d["code"])
    got = station.act(sid, "accept", APPRAISER)
    assert got["status"] != "supplement_requested", got
    h = {"Authorization": f"Bearer {station.token(APPRAISER)}"}
    shown = httpx.get(f"{station.url}/v1/dossiers/{sid}", headers=h, timeout=30).json()
    assert shown["values"]["child_birth_place"] == new_place


BIRTH_PAPER = "Giấy chứng sinh (hoặc văn bản của người làm chứng / giấy cam đoan về việc sinh)"


def _sharper_photo(folder: Path) -> Path:
    """Another picture of the birth certificate (the camera is the one thing mocked)."""
    from PIL import Image, ImageDraw

    path = folder / "giay-chung-sinh-chup-lai.jpg"
    img = Image.new("RGB", (900, 640), (244, 240, 230))
    draw = ImageDraw.Draw(img)
    for n in range(15):
        draw.text((40, 30 + n * 40), f"GIAY CHUNG SINH {n:02d} - CHUP LAI", fill=(10, 10, 10))
    img.save(path, "JPEG", quality=90)
    return path


@pytest.mark.timeout(500)
@pytest.mark.parametrize("signing", ["paper", "screen"])
def test_supplement_with_a_new_photo_is_sent_and_accepted(
    own_app: OwnApp,
    station: Station,
    fresh_page: Any,
    shots: Path,
    tmp_path: Path,
    signing: str,
) -> None:
    """Issue 21: the appraiser asks for a clearer photo of the birth certificate; staff
    open the supplement at that paper, see the photo already sent, pick the same file
    again (said, not listed twice), then a new photo; sign on paper or on screen; send;
    the appraiser accepts a dossier holding both photos."""
    values = sample_values(KS, vn_now().date(), seed=31 if signing == "paper" else 32)
    src = tmp_path / "values.json"
    src.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    first = page_photo_file()
    d = own_app.headless(
        "intake", "--procedure", KS, "--json", str(src), "--photo",
        f"birth_certificate_medical={first}",
    )  # fmt: skip
    own_app.headless("sync")
    reason = "Ảnh giấy chứng sinh bị mờ, xin chụp lại giấy chứng sinh"
    sid = _station_id(station, d["code"])
    station.act(sid, "request_supplement", APPRAISER, reason)

    page = fresh_page
    fd.open_app(page, own_app.url)
    unlock_typing(page)
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Yêu cầu bổ sung")
    fd.click(page, re.compile(re.escape(d["code"])))
    fd.wait_text(page, "Văn phòng yêu cầu bổ sung hồ sơ")
    fd.click(page, "Bổ sung hồ sơ")
    # opened at the papers, the one asked for marked, the photo already sent shown
    text = fd.wait_text(page, f"Văn phòng yêu cầu bổ sung: {reason}")
    fd.wait_text(page, f"Ảnh đã gửi: {BIRTH_PAPER}")
    text = fd.all_text(page)
    assert "Hồ sơ đã đủ thành phần." in text
    assert "Quay lại chọn thủ tục" not in text
    fd.settled_screenshot(page, shots / "01-supplement-opens-at-the-paper.png")
    # the same file again is the same picture: said, and listed once
    b = page.get_by_role("button", name=re.compile(r"^Chụp \/ chọn ảnh")).first
    b.scroll_into_view_if_needed()
    fd.when_still(b)
    with page.expect_file_chooser(timeout=30_000) as chooser:
        b.click()
    chooser.value.set_files(str(first))
    fd.wait_text(page, "Ảnh này đã có trong hồ sơ", timeout=60)
    add_photo(page, BIRTH_PAPER, _sharper_photo(tmp_path))
    fd.settled_screenshot(page, shots / "02-new-photo-beside-the-sent-one.png")
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    read_back(page)
    fd.click(page, CONFIRM)
    fd.click(page, "Tiếp: ký tờ khai")
    fd.wait_text(page, "Còn thiếu chữ ký của: người yêu cầu.")
    if signing == "paper":
        fd.click(page, re.compile("^Ký trên giấy"))
        text = fd.wait_text(page, "Chưa có chữ ký trên màn hình")
        assert "Đã đủ chữ ký" not in text
    else:
        draw_signature(page, page.locator('[aria-label="Khung ký: người yêu cầu"]').first)
        fd.wait_text(page, "Đã đủ chữ ký. Có thể tiếp nhận hồ sơ.")
    fd.settled_screenshot(page, shots / f"03-signed-{signing}.png")
    fd.click(page, "Gửi bổ sung hồ sơ")
    fd.wait_text(page, "Đã tiếp nhận hồ sơ")
    fd.settled_screenshot(page, shots / "04-sent.png")
    fd.click(page, "Về trang chính")
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Chờ gửi: 0")

    got = station.act(sid, "accept", APPRAISER)
    assert got["status"] == "appraised", got
    h = {"Authorization": f"Bearer {station.token(APPRAISER)}"}
    shown = httpx.get(f"{station.url}/v1/dossiers/{sid}", headers=h, timeout=30).json()
    assert len({a["sha256"] for a in shown["attachments"]}) == 2, shown["attachments"]
    assert [m["kind"] for m in shown["signatures"]] == [
        "paper" if signing == "paper" else "signature"
    ]
    for a in shown["attachments"]:
        r = httpx.get(
            f"{station.url}/v1/dossiers/{sid}/attachments/{a['sha256']}", headers=h, timeout=30
        )
        assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"


def _station_id(station: Station, code: str) -> str:
    h = {"Authorization": f"Bearer {station.token(APPRAISER)}"}
    r = httpx.get(f"{station.url}/v1/dossiers", headers=h, timeout=30)
    r.raise_for_status()
    [item] = [x for x in r.json()["items"] if x.get("code") == code]
    return str(item["id"])
