"""The desk walked as new staff would, in headless Chromium, against a real station.

A tablet (the headless CLI) sends a birth registration; on the desk the appraiser asks for
a supplement, the tablet supplements, the appraiser accepts, the leader approves, the clerk
stamps, the intake officer returns it and records the citizen's rating. The admin makes an
enrolment code and a new tablet enrols with it. Everything typed is typed key by key.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shared.personal_id import make_personal_id
from sync_server.desk.queue import fold
from sync_server.launcher import RunningStation
from sync_server.services.office import actions, stamping
from sync_server.services.opening import open_station
from tests.browser_kit import ADMIN, APPRAISER, CLERK, INTAKE, LEADER
from tests.desk.conftest import headless
from tests.ui import flet_driver as fd

pytestmark = pytest.mark.browser
PROCEDURE = "1.001193"


def type_into(page: Any, label: str, value: str, *, role: str = "textbox") -> None:
    """Click the field, wait for focus, then type key by key as a person does."""
    fd.type_text(page, label, value, role=role, settle=10)


def click_to(page: Any, name: str, expect: str) -> str:
    """Click a button, then wait for what the click must show."""
    fd.click(page, name)
    return fd.wait_text(page, expect)


def sign_in(page: Any, who: tuple[str, str]) -> None:
    """Type the username and PIN; the workflow roles open on their queues, the
    administrator (who reads no dossier) on the staff page."""
    fd.wait_text(page, "Đăng nhập")
    try:
        type_into(page, "Tên đăng nhập", who[0])
    except AssertionError:
        # Seen twice under load: the name is drawn in the field, but the page's
        # accessibility mirror of it stays empty and loses the focus, so what was typed
        # cannot be read back. A person would reload the screen and type again; so does
        # the test, once — the sign-in below still proves what reached the desk.
        fd.reload_app(page)
        fd.wait_text(page, "Đăng nhập")
        type_into(page, "Tên đăng nhập", who[0])
    type_into(page, "Mã PIN", who[1])
    click_to(page, "Đăng nhập", "Thêm cán bộ" if who == ADMIN else "Hồ sơ cần xử lý")


def sign_out(page: Any) -> None:
    click_to(page, "Đăng xuất", "Tên đăng nhập")


def open_dossier(page: Any, code: str) -> None:
    click_to(page, code, "Quá trình giải quyết")


def shot(page: Any, folder: Path, name: str) -> None:
    fd.settled_screenshot(page, folder / f"{name}.png")


def confirm(page: Any, action_label: str) -> None:
    click_to(page, action_label, f"Xác nhận: {action_label}")
    click_to(page, f"Xác nhận: {action_label}", "Đã cập nhật hồ sơ")


@pytest.mark.timeout(900)
def test_five_stages_on_the_desk(
    page: Any, station: RunningStation, tmp_path: Path, shots: Path
) -> None:
    tablet = tmp_path / "tablet"
    headless(tablet, "enroll", station.url, station.enroll_code(), unlock=False)
    sample = headless(tablet, "sample", "--procedure", PROCEDURE, unlock=False)
    values = tmp_path / "ks.json"
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    made = headless(tablet, "intake", "--procedure", PROCEDURE, "--json", str(values))
    headless(tablet, "sync", unlock=False)
    code, child = made["code"], sample["child_full_name"]

    # 1. The appraiser finds it (accent-free search) and asks for a supplement.
    sign_in(page, APPRAISER)
    fd.wait_text(page, "Thẩm định (1)")
    bare = fold(child.split()[-1])  # typed without diacritics, as people often do
    type_into(page, "Tìm theo mã hồ sơ hoặc tên", bare)
    fd.wait_text(page, code)
    shot(page, shots, "01-queue-appraiser")
    open_dossier(page, code)
    shot(page, shots, "02-dossier")
    click_to(page, "Yêu cầu bổ sung", "Lý do yêu cầu bổ sung")
    type_into(page, "Lý do yêu cầu bổ sung", "Giấy chứng sinh bị mờ")
    boxes = page.get_by_role("checkbox")
    boxes.first.click()
    shot(page, shots, "03-supplement-dialog")
    click_to(page, "Xác nhận: Yêu cầu bổ sung", "Đã cập nhật hồ sơ")
    fd.wait_text(page, "Lý do: Giấy chứng sinh bị mờ. Cần bổ sung:")
    shot(page, shots, "04-supplement-requested")

    # 2. The tablet gets the request and sends the completed dossier back.
    headless(tablet, "sync", unlock=False)
    headless(tablet, "supplement", made["id"], "--json", str(values))
    assert headless(tablet, "sync", unlock=False)["pushed"] == 1

    # 3. The appraiser enters the child's personal identification number, then accepts.
    click_to(page, "Quay lại danh sách", "Tải lại")
    click_to(page, "Tải lại", "Thẩm định (1)")
    open_dossier(page, code)
    born = int(sample["child_birth_date"][:4])
    pid = make_personal_id("087", sample["child_sex"] == "nu", born, 4321)
    type_into(page, "Số định danh cá nhân của trẻ (12 chữ số)", pid)
    click_to(page, "Lưu số định danh", "Đã lưu số định danh cá nhân của trẻ")
    fd.wait_text(page, "Nhập số định danh cá nhân của trẻ")  # the timeline's new step
    confirm(page, "Đạt – chuyển phê duyệt")
    fd.wait_text(page, "Trạng thái: Đã thẩm định")
    sign_out(page)

    # 4. The leader approves, 5. the clerk stamps.
    for who, tab, label, after in (
        (LEADER, "Phê duyệt (1)", "Phê duyệt", "Đã phê duyệt"),
        (CLERK, "Đóng dấu (1)", "Đóng dấu", "Đã đóng dấu"),
    ):
        sign_in(page, who)
        fd.wait_text(page, tab)
        open_dossier(page, code)
        confirm(page, label)
        fd.wait_text(page, f"Trạng thái: {after}")
        shot(page, shots, f"05-{who[0]}")
        sign_out(page)

    # 6. The intake officer returns the result and records the rating.
    sign_in(page, INTAKE)
    fd.wait_text(page, "Trả kết quả (1)")
    open_dossier(page, code)
    fd.wait_text(page, "Xem kết quả (PDF)")
    click_to(page, "Trả kết quả", "Người dân đánh giá")
    fd.click(page, "Rất hài lòng")
    type_into(page, "Ý kiến của người dân (không bắt buộc)", "Nhanh, chu đáo")
    shot(page, shots, "06-return-rating")
    click_to(page, "Xác nhận: Trả kết quả", "Đánh giá: Rất hài lòng")
    text = fd.wait_text(page, "Trạng thái: Đã trả kết quả")
    for stage in ("Tiếp nhận", "Thẩm định", "Phê duyệt", "Đóng dấu", "Trả kết quả"):
        assert stage in text
    shot(page, shots, "07-returned")

    st = open_station(station.data)
    with st.session() as db:
        rated = actions.rating_of(db, st.keys, made["id"])
        pdf = stamping.result_pdf(db, st.keys, made["id"])
    assert rated is not None and rated.rating == "very_satisfied"
    (tmp_path / "result.pdf").write_bytes(pdf)
    printed = subprocess.run(
        ["pdftotext", str(tmp_path / "result.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert f"Số định danh cá nhân: {pid}" in printed
    assert rated.comment == "Nhanh, chu đáo" and rated.recorded_by == INTAKE[0]


@pytest.mark.timeout(600)
def test_admin_enrolment_code_enrols_a_new_tablet(
    page: Any, station: RunningStation, tmp_path: Path, shots: Path
) -> None:
    sign_in(page, ADMIN)
    click_to(page, "Máy tính bảng", "Tạo mã đăng ký")
    text = click_to(page, "Tạo mã đăng ký", "Hết hạn lúc")
    match = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", text)
    assert match, text
    assert f"Địa chỉ máy chủ: {station.url}" in text
    shot(page, shots, "01-enrol-code")
    enrolled = headless(
        tmp_path / "new-tablet",
        "enroll",
        station.url,
        match.group(1),
        "--name",
        "Quầy 2",
        unlock=False,
    )
    assert enrolled["slot"] >= 1
    click_to(page, "Cán bộ", "Thêm cán bộ")
    click_to(page, "Máy tính bảng", "Quầy 2")
    shot(page, shots, "02-tablet-list")
    devices = json.loads(station.admin("device-list"))
    assert [d["name"] for d in devices if d["name"] == "Quầy 2"] == ["Quầy 2"]


def test_admin_picks_the_commune_and_sets_a_day_off(
    page: Any, station: RunningStation, shots: Path
) -> None:
    sign_in(page, ADMIN)
    click_to(page, "Đơn vị", "Chọn từ danh mục đơn vị hành chính 2025")
    type_into(page, "Xã, phường hoặc đặc khu (vd. Lai Vung)", "Lai Vungg")
    click_to(page, "Chọn theo danh mục", "Không tìm thấy 'Lai Vungg'")
    shot(page, shots, "03-unit-candidates")
    click_to(page, "Xã Lai Vung", "Đã chọn đơn vị")
    click_to(page, "Lịch nghỉ", "Thêm / bỏ một ngày")
    type_into(page, "Ngày (năm-tháng-ngày, vd. 2026-01-02)", "2026-09-01")
    click_to(page, "Đặt ngày nghỉ", "Đã đặt ngày 01/09/2026 là ngày nghỉ")
    shot(page, shots, "04-calendar")
    listed = json.loads(station.admin("calendar-list"))
    assert "2026-09-01" in listed["off"]
