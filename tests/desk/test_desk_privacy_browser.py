"""Who sees citizens at the desk, in headless Chromium against a real station (issue 19).

A tablet (the headless CLI) sends two birth registrations; through the HTTP API the
appraiser asks for a supplement on one and refuses the other, each with a reason that
names the family. Then, typing key by key as a person does:

- the administrator signs in and walks every page the desk offers — staff, tablets,
  unit, calendar, report — and no citizen's name, number, address or reason is shown
  anywhere; there is no way to the queues;
- a caseworker (the leader: a workflow role that also reads reports) signs in, finds
  the same dossiers in the queue, opens one and reads its values, and reads the reasons
  in the report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.reports import FREE_TEXT_NOTE
from sync_server.launcher import RunningStation
from tests.browser_kit import ADMIN, APPRAISER, LEADER
from tests.desk.conftest import headless
from tests.desk.test_desk_browser import click_to, open_dossier, sign_in
from tests.ui import flet_driver as fd

pytestmark = pytest.mark.browser
PROCEDURE = "1.001193"
# The values of the sample that identify the family (shared/samples.py).
PERSONAL_FIELDS = (
    "child_full_name",
    "requester_full_name",
    "father_full_name",
    "requester_id_number",
    "father_id_number",
    "requester_phone",
    "requester_residence",
)


@dataclass(frozen=True)
class Seeded:
    supplement: str  # the dossier sent back for a supplement (its code)
    refused: str
    values: dict[str, str]  # PERSONAL_FIELDS → value
    reasons: tuple[str, str]

    @property
    def secrets(self) -> tuple[str, ...]:
        return (*self.values.values(), *self.reasons)


@pytest.fixture(scope="module")
def seeded(station: RunningStation, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    tablet = tmp_path_factory.mktemp("privacy") / "tablet"
    headless(tablet, "enroll", station.url, station.enroll_code(), unlock=False)
    sample = headless(tablet, "sample", "--procedure", PROCEDURE, unlock=False)
    values = tablet.parent / "ks.json"
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    made = [
        headless(tablet, "intake", "--procedure", PROCEDURE, "--json", str(values))
        for _ in range(2)
    ]
    headless(tablet, "sync", unlock=False)
    reasons = (
        f"Thiếu bản sao giấy tờ tùy thân của bà {sample['requester_full_name']}",
        f"Cháu {sample['child_full_name']} đã được đăng ký khai sinh ở nơi khác",
    )
    with httpx.Client(base_url=station.url, timeout=60) as c:
        token = c.post("/v1/auth/token", json={"username": APPRAISER[0], "pin": APPRAISER[1]})
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        for d, action, reason in zip(made, ("request_supplement", "refuse"), reasons, strict=True):
            r = c.post(
                f"/v1/dossiers/{d['id']}/actions",
                json={"action": action, "reason": reason},
                headers=auth,
            )
            assert r.status_code == 200, r.text
    picked = {k: str(sample[k]) for k in PERSONAL_FIELDS}
    return Seeded(made[0]["code"], made[1]["code"], picked, reasons)


def _scroll(page: Any, dy: int) -> None:
    page.mouse.move(683, 600)
    page.mouse.wheel(0, dy)


def whole_page(page: Any, shots: Path, name: str) -> str:
    """Every text the page shows, top to bottom: scrolled through view by view (a long
    page's off-screen part need not be in the semantics tree) until the view stops
    moving, with a screenshot of each view to look at."""
    _scroll(page, -10000)
    seen: list[str] = []
    last = b""
    for i in range(15):
        path = fd.settled_screenshot(page, shots / f"{name}-{i}.png")
        seen.append(fd.all_text(page))
        view = path.read_bytes()
        if view == last:  # the bottom: this view is the previous one
            path.unlink()
            break
        last = view
        _scroll(page, 700)
    _scroll(page, -10000)
    return "\n".join(seen)


def _nav(page: Any, label: str) -> Any:
    return page.get_by_role("button", name=re.compile(rf"^{re.escape(label)}$"))


@pytest.mark.timeout(900)
def test_the_admin_finds_no_citizen_anywhere_at_the_desk(
    seeded: Seeded, page: Any, shots: Path
) -> None:
    sign_in(page, ADMIN)
    texts = {"staff": whole_page(page, shots, "01-staff")}
    assert _nav(page, "Hồ sơ").count() == 0  # no way to the queues
    for label, expect, key in (
        ("Máy tính bảng", "Tạo mã đăng ký", "02-tablets"),
        ("Đơn vị", "Chọn từ danh mục đơn vị hành chính 2025", "03-unit"),
        ("Lịch nghỉ", "Thêm / bỏ một ngày", "04-calendar"),
        ("Báo cáo", "Báo cáo kết quả giải quyết thủ tục hành chính", "05-report"),
    ):
        fd.click(page, re.compile(rf"^{re.escape(label)}$"))
        fd.wait_text(page, expect)
        texts[key] = whole_page(page, shots, key)
    report = texts["05-report"]
    # The figures are there: two dossiers received, one refused, one supplement asked.
    assert "Tiếp nhận" in report and FREE_TEXT_NOTE in report
    for key, text in texts.items():
        for secret in seeded.secrets:
            assert secret not in text, f"{key} shows {secret!r}"


@pytest.mark.timeout(900)
def test_a_caseworker_finds_the_citizens_the_admin_may_not(
    seeded: Seeded, page: Any, shots: Path
) -> None:
    sign_in(page, LEADER)
    assert _nav(page, "Hồ sơ").count() == 1
    click_to(page, re.compile(r"Tất cả \(2\)"), seeded.refused)
    queue = whole_page(page, shots, "01-queue-all")
    assert seeded.values["child_full_name"] in queue and seeded.supplement in queue
    open_dossier(page, seeded.supplement)
    dossier = whole_page(page, shots, "02-dossier")
    for field, value in seeded.values.items():
        assert value in dossier, field
    assert f"Lý do: {seeded.reasons[0]}" in dossier
    click_to(page, re.compile(r"^Báo cáo$"), "Báo cáo kết quả giải quyết thủ tục hành chính")
    report = whole_page(page, shots, "03-report")
    for reason in seeded.reasons:
        assert reason in report, reason
    assert FREE_TEXT_NOTE not in report
