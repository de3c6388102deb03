"""The province on the desk, in headless Chromium: a leader compares the commune with the
province.

A real station (``serve --demo``) with a week of histories is registered with a real hub
on PostgreSQL and sends its days (``admin hub-register``, ``admin hub-send``). The leader
signs in, opens "Báo cáo", picks "Toàn tỉnh" and must see the provincial summary the hub
answers — the commune's row among the province's, the note that the overdue list and the
reasons stay at each commune — then "Xã, phường này" brings the commune's own report back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from province_hub.launcher import RunningHub
from shared.workdays import vn_now
from sync_server.launcher import ROOT, RunningStation, start_station
from tests.browser_kit import LEADER, app_page, chromium, shots_folder
from tests.desk.test_desk_browser import click_to, shot, sign_in
from tests.desk.test_desk_report_browser import _seed
from tests.ui import flet_driver as fd

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def station(tmp_path: Path) -> Iterator[RunningStation]:
    st = start_station(tmp_path / "laivung")
    try:
        yield st
    finally:
        st.stop()


@pytest.fixture
def page(station: RunningStation) -> Iterator[Any]:
    with chromium() as browser, app_page(browser, f"{station.url}/", 1366, 900) as pg:
        yield pg


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    return shots_folder(ROOT / "artefacts" / "desk", request.node.name)


@pytest.mark.timeout(600)
def test_leader_compares_the_commune_with_the_province(
    station: RunningStation, hub: RunningHub, page: Any, shots: Path
) -> None:
    _seed(station)
    station.admin("hub-register", "--hub", hub.url, "--code", hub.register_code("000.31.22.H20"))
    today = vn_now().date()
    start = (today - timedelta(days=10)).isoformat()
    sent = json.loads(station.admin("hub-send", "--from", start, "--to", today.isoformat()))
    assert sent["days_sent"] == 11

    sign_in(page, LEADER)
    click_to(page, re.compile(r"^Báo cáo$"), "Báo cáo kết quả giải quyết thủ tục hành chính")
    fd.wait_text(page, "Toàn tỉnh")
    click_to(page, "Toàn tỉnh", "Báo cáo tổng hợp toàn tỉnh")
    text = fd.wait_text(page, "Theo xã, phường")
    assert "Xã Lai Vung" in text and "000.31.22.H20" in text
    fd.wait_text(page, "ở lại máy chủ của từng xã")
    shot(page, shots, "00-province-1366")
    # Back to the commune's own report: its overdue list is there again.
    click_to(page, "Xã, phường này", "Báo cáo kết quả giải quyết thủ tục hành chính")
    fd.wait_text(page, "Theo từng thủ tục")
    shot(page, shots, "01-commune-1366")
