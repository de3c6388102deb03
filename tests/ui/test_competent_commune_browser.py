"""In a real browser: "Cơ quan giải quyết" before the read-back, and another commune picked.

Issue 20, the competent commune chosen. The station holds the province's communes (as a
relay run keeps them from the hub: ``province/communes.py``; the hub's side is
tests/province/test_communes.py) and hands them to the tablet by sync. A khai sinh whose
parents live in the receiving commune (xã Lai Vung) is proposed there, citing Luật Hộ
tịch 2014 Điều 13; the officer opens the list, types "sa dec" key by key, picks Phường
Sa Đéc, and the dossier synced to the station carries that ``competent_unit``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shared import hub_messages as hm
from shared.messages import Commune
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.services.opening import open_station
from sync_server.services.province import communes
from tests.ui import flet_driver as fd
from tests.ui.conftest import Station, TabletApp
from tests.ui.form_flow import (
    CONFIRM,
    fill_by_steps,
    read_back,
    receive_and_sync,
    station_dossier,
    type_into,
    unlock_typing,
)

pytestmark = [pytest.mark.browser]
SA_DEC = Commune("000.00.01.H20", "Phường Sa Đéc")
LAP_VO = Commune("000.00.09.H20", "Xã Lấp Vò")
SEARCH = "Tìm xã, phường theo tên (không cần dấu)"


def _give_the_station_its_communes(station: Station) -> str:
    st = open_station(station.data)
    with st.session() as db:
        from sync_server.services.core.station import get_unit_record

        unit = get_unit_record(db)
        assert unit is not None
        own = Commune(unit.code, unit.commune)
        communes.keep(db, hm.CommuneList("Tỉnh Đồng Tháp", [SA_DEC, own, LAP_VO]))
    return own.unit_code


@pytest.mark.timeout(600)
def test_the_officer_picks_another_commune_and_the_station_gets_it(
    page: Any, station: Station, tablet_app: TabletApp, shots: Path
) -> None:
    own_code = _give_the_station_its_communes(station)
    values = sample_values("1.001193", vn_now().date(), seed=11)  # parents in xã Lai Vung

    unlock_typing(page)
    fd.click(page, "Đồng bộ")  # the communes arrive (a feed item, like the staff list)
    fd.wait_text(page, "Chờ gửi: 0")
    fd.wait_text(page, "Đã đồng bộ")
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    fill_by_steps(page, values, human=True)

    # the law's proposal, with its reason, before the read-back
    text = fd.wait_text(page, "Cơ quan giải quyết")
    assert "Xã Lai Vung (xã, phường này — không chuyển)" in text, text
    assert "Luật Hộ tịch 2014, Điều 13" in text
    fd.settled_screenshot(page, shots / "01-competent-proposed.png")

    fd.click(page, "Đổi cơ quan giải quyết")
    fd.wait_text(page, "Chọn Phường Sa Đéc")
    type_into(page, SEARCH, "sa dec", 200)  # one key at a time, no accents
    fd.wait_no_text(page, "Chọn Xã Lấp Vò")
    fd.settled_screenshot(page, shots / "02-competent-search.png")
    fd.click(page, "Chọn Phường Sa Đéc")
    text = fd.wait_text(page, "Cán bộ đã chọn")
    assert "Phường Sa Đéc" in text and "không chuyển" not in text
    fd.settled_screenshot(page, shots / "03-competent-picked.png")

    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    read_back(page)
    fd.click(page, CONFIRM)
    fd.wait_text(page, "Người dân đã xác nhận lúc")
    fd.click(page, "Tiếp: ký tờ khai")
    fd.click(page, "Ký trên giấy")
    code = receive_and_sync(page, shots / "04-receipt.png")

    got = station_dossier(station, code)
    dossier = got.get("dossier", got)
    assert dossier["competent_unit"] == SA_DEC.unit_code != own_code
    assert re.match(re.escape(own_code), code)  # numbered in the receiving commune's name
