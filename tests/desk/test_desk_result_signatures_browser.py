"""The spouses sign the Giấy chứng nhận kết hôn at the desk, in headless Chromium against
a real station (issue 17, §2 Kết hôn): the clerk opens the approved marriage, the bride
draws her signature on the pad with the mouse, the groom signed the printed copy, the
clerk stamps, and ``pdfsig`` finds leader → bên nữ → bên nam → seal."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync_server.launcher import RunningStation
from sync_server.services.office import stamping
from sync_server.services.opening import open_station
from tests.browser_kit import APPRAISER, CLERK, LEADER
from tests.desk.conftest import headless
from tests.desk.test_desk_browser import click_to, confirm, open_dossier, shot, sign_in
from tests.ui import flet_driver as fd
from tests.ui.form_flow import draw_signature

pytestmark = pytest.mark.browser
KH = "1.000894"
CARD = "Chữ ký của hai bên trên Giấy chứng nhận kết hôn"


def _act(station: RunningStation, dossier_id: str, action: str, who: tuple[str, str]) -> None:
    with httpx.Client(base_url=station.url, timeout=60) as http:
        r = http.post("/v1/auth/token", json={"username": who[0], "pin": who[1]})
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        r = http.post(f"/v1/dossiers/{dossier_id}/actions", json={"action": action}, headers=auth)
        assert r.status_code == 200, r.text


@pytest.mark.timeout(600)
def test_the_spouses_sign_on_the_desk_before_the_seal(
    page: Any, station: RunningStation, tmp_path: Path, shots: Path
) -> None:
    tablet = tmp_path / "tablet"
    headless(tablet, "enroll", station.url, station.enroll_code(), unlock=False)
    sample = headless(tablet, "sample", "--procedure", KH, unlock=False)
    values = tmp_path / "kh.json"
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    made = headless(tablet, "intake", "--procedure", KH, "--json", str(values))
    headless(tablet, "sync", unlock=False)
    _act(station, made["id"], "accept", APPRAISER)
    _act(station, made["id"], "approve", LEADER)

    sign_in(page, CLERK)
    fd.wait_text(page, "Đóng dấu (1)")
    open_dossier(page, made["code"])
    text = fd.wait_text(page, CARD)
    assert "Hai bên nam, nữ cùng ký vào Giấy chứng nhận kết hôn" in text
    assert f"Bên nữ: {sample['wife_full_name']}" in text
    assert "In giấy chứng nhận để hai bên ký (PDF)" in text  # for signing on paper
    shot(page, shots, "01-card")
    # The seal first: refused, naming both.
    click_to(page, "Đóng dấu", "Xác nhận: Đóng dấu")
    click_to(page, "Xác nhận: Đóng dấu", "bên nữ, bên nam chưa ký vào Giấy chứng nhận kết hôn")
    shot(page, shots, "02-seal-refused")
    fd.click(page, "Huỷ")  # the dialog keeps the message until closed

    # The bride draws on the pad and saves; the groom signed the printed copy.
    draw_signature(page, page.locator('[aria-label="Khung ký: bên nữ"]').first)
    shot(page, shots, "03-bride-drawn")
    click_to(page, "Lưu chữ ký", "Đã ghi chữ ký vào Giấy chứng nhận kết hôn.")
    fd.wait_text(page, f"Bên nữ: {sample['wife_full_name']} — đã ký.")
    click_to(page, "Đã ký trên bản giấy", f"Bên nam: {sample['husband_full_name']} — đã ký.")
    fd.wait_text(page, "Ghi chữ ký của hai bên vào giấy chứng nhận")  # the timeline's step
    shot(page, shots, "04-both-signed")
    confirm(page, "Đóng dấu")
    fd.wait_text(page, "Trạng thái: Đã đóng dấu")
    shot(page, shots, "05-stamped")

    st = open_station(station.data)
    with st.session() as db:
        pdf = stamping.result_pdf(db, st.keys, made["id"])
    path = tmp_path / "gcnkh.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert out.count("Signature is Valid.") == 4, out
    fields = re.findall(r"Signature Field Name: (\S+)", out)
    assert fields == ["ChuKyLanhDao", "ChuKyBenNu", "ChuKyBenNam", "DauCoQuan"], out
