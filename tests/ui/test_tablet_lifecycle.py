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
from tests.ui import flet_driver as fd
from tests.ui.conftest import ROOT, Station, _start, _stop, _wait_http
from tests.ui.form_flow import CONFIRM, page_photo_file, read_back, type_into, unlock_typing

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
    from mobile.services.tablet import TabletService

    data = tmp_path / "tablet"
    svc = TabletService(data)
    try:
        svc.enroll(station.url, station.enroll_code(), "ui-lifecycle-tablet")
    finally:
        svc.close()
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
    fd.click(page, "Tiếp")
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
    fd.click(page, "Tiếp")
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
    fd.wait_text(page, "Bước 1/")
    new_place = "Bệnh viện Đa khoa Đồng Tháp"
    steps = int(re.search(r"Bước 1/(\d+)", fd.all_text(page)).group(1))  # type: ignore[union-attr]
    for step in range(2, steps + 1):
        fd.click(page, "Tiếp")
        fd.wait_text(page, f"Bước {step}/")
        if "Nơi sinh" in fd.all_text(page) and step <= 3:
            box = fd.focus(page, "Nơi sinh")
            page.keyboard.press("Control+A")
            page.keyboard.type(new_place, delay=160)
            assert box.input_value() == new_place
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


def _station_id(station: Station, code: str) -> str:
    h = {"Authorization": f"Bearer {station.token(APPRAISER)}"}
    r = httpx.get(f"{station.url}/v1/dossiers", headers=h, timeout=30)
    r.raise_for_status()
    [item] = [x for x in r.json()["items"] if x.get("code") == code]
    return str(item["id"])
