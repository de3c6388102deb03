"""Imported procedures at the desk, in headless Chromium against a real station that
imported the starter catalogue with `admin catalogue-import` while it ran: the admin page
"Thủ tục" (find a procedure, see it unchecked with its source, switch it off, be told under
the field what is wrong with a time limit, set the province's time limit and fee with its
decision), and one imported procedure taken through the tablet and the desk to a paper
result. Everything is typed key by key; the command line reads back what was stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fpdf import FPDF

from shared.workdays import vn_now
from sync_server.launcher import RunningStation
from tests.browser_kit import ADMIN, APPRAISER, CLERK, INTAKE, LEADER
from tests.cert_kit import signed_result_pdf
from tests.desk.conftest import headless
from tests.desk.test_desk_browser import (
    click_to,
    confirm,
    open_dossier,
    shot,
    sign_in,
    sign_out,
    type_into,
)
from tests.ui import flet_driver as fd

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "catalogue" / "commune-procedures.json"
CODE = "2.000635"  # imported, not checked against its publication
GENERIC = "1.001022"  # imported, checked; its result is made elsewhere
DECISION = "Quyết định số 1234/QĐ-UBND ngày 01/12/2026"


def listed(station: RunningStation, code: str) -> dict[str, Any]:
    rows = json.loads(station.admin("catalogue-list"))
    return next(r for r in rows if r["code"] == code)


@pytest.mark.timeout(600)
def test_admin_reviews_switches_off_and_sets_the_provinces_limit_and_fee(
    page: Any, station: RunningStation, shots: Path
) -> None:
    station.admin("catalogue-import", str(CATALOGUE))
    before = listed(station, CODE)
    assert before["enabled"] and not before["checked"]
    sign_in(page, ADMIN)
    click_to(page, "Thủ tục", "Danh sách thủ tục · Procedure list")
    fd.wait_text(page, "thủ tục: ")
    text = fd.wait_text(page, "30 nhập từ danh mục, 29 chưa kiểm tra")
    assert "1.001193" in text and "Có sẵn trong ứng dụng" in text  # the built-in six too
    shot(page, shots, "01-procedures")
    type_into(page, "Tìm thủ tục (mã hoặc tên) · Find a procedure (code or name)", CODE)
    fd.wait_no_text(page, "1.001193")
    text = fd.wait_text(page, "Chưa kiểm tra")
    assert f"Phiên bản {before['version']}" in text and "Đang dùng" in text
    assert "Chưa đối chiếu với văn bản công bố — nguồn:" in text
    shot(page, shots, "02-found-unchecked")

    click_to(page, f"Tắt {CODE}", f"Đã tắt (máy tính bảng không nhận hồ sơ mới) thủ tục {CODE}")
    fd.wait_text(page, "Đã tắt")
    assert not listed(station, CODE)["enabled"]

    click_to(page, f"Sửa thời hạn, phí {CODE}", "Thời hạn, phí của tỉnh · ")
    shot(page, shots, "02b-form")
    type_into(page, "Thời hạn (ngày làm việc) · Time limit (working days)", "400")
    type_into(page, "Phí, lệ phí (đồng) · Fee (VND)", "20.000")
    click_to(page, f"Lưu thời hạn, phí {CODE}", "nhập số nguyên từ 0 đến 365 ngày làm việc")
    shot(page, shots, "03-limit-refused")
    assert listed(station, CODE)["time_limit_working_days"] == before["time_limit_working_days"]
    type_into(page, "Thời hạn (ngày làm việc) · Time limit (working days)", "2")
    click_to(page, f"Lưu thời hạn, phí {CODE}", "cần ghi quyết định của tỉnh")
    type_into(page, "Quyết định công bố của tỉnh (số, ngày) · The province's decision", DECISION)
    click_to(page, f"Lưu thời hạn, phí {CODE}", f"Đã lưu thời hạn, phí của tỉnh cho thủ tục {CODE}")
    text = fd.wait_text(page, f"Theo {DECISION}")
    assert "Thời hạn: 2 ngày làm việc (toàn quốc:" in text and "Phí, lệ phí: 20.000 đồng" in text
    shot(page, shots, "04-province-set")
    after = listed(station, CODE)
    assert (after["time_limit_working_days"], after["fee_vnd"]) == (2, 20000)
    assert after["province_decision"] == DECISION and not after["enabled"]
    assert after["version"] == before["version"] + 2


@pytest.mark.timeout(900)
def test_an_imported_procedure_through_the_tablet_and_the_desk(
    page: Any, station: RunningStation, tmp_path: Path, shots: Path
) -> None:
    """One imported procedure (no result layout) the whole way: the tablet (headless CLI)
    lists it after sync and takes a dossier in; at the desk the appraiser accepts, the
    leader approves, the clerk types the paper result's number and date key by key; the
    dossier page shows them, the intake officer returns it, and the tablet receives them."""
    station.admin("catalogue-import", str(CATALOGUE))  # unchanged records are left alone
    tablet = tmp_path / "tablet"
    headless(tablet, "enroll", station.url, station.enroll_code(), unlock=False)
    headless(tablet, "sync")  # the catalogue comes by the feed, opened unlocked
    held = {p["code"]: p for p in headless(tablet, "procedures", unlock=False)}
    assert held[GENERIC]["has_result_template"] is False
    sample = headless(tablet, "sample", "--procedure", GENERIC, unlock=False)
    values = tmp_path / "values.json"
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    made = headless(tablet, "intake", "--procedure", GENERIC, "--json", str(values))
    headless(tablet, "sync", unlock=False)
    code = made["code"]

    sign_in(page, APPRAISER)
    open_dossier(page, code)
    text = fd.wait_text(page, "Trạng thái:")
    assert sample["requester_full_name"] in text
    shot(page, shots, "11-dossier")
    confirm(page, "Đạt – chuyển phê duyệt")
    sign_out(page)
    sign_in(page, LEADER)
    open_dossier(page, code)
    confirm(page, "Phê duyệt")
    fd.wait_text(page, "Trạng thái: Đã phê duyệt")
    sign_out(page)

    sign_in(page, CLERK)
    open_dossier(page, code)
    click_to(page, "Đóng dấu", "Số của kết quả")
    signed_on = vn_now().date().strftime("%d/%m/%Y")
    type_into(page, "Số của kết quả (vd. 12/TLHT)", "12/TLHT")
    shot(page, shots, "12-stamp-dialog")
    click_to(page, "Xác nhận: Đóng dấu", "ngày ký kết quả")  # the date is missing
    type_into(page, "Ngày ký kết quả (ngày/tháng/năm, vd. 07/12/2026)", signed_on)
    click_to(page, "Xác nhận: Đóng dấu", "Đã cập nhật hồ sơ")
    text = fd.wait_text(page, f"kết quả bản giấy số 12/TLHT, ký ngày {signed_on}")
    assert "Trạng thái: Đã đóng dấu" in text and f"Văn thư ghi nhận: {CLERK[0]}" in text
    shot(page, shots, "13-paper-result")
    sign_out(page)

    sign_in(page, INTAKE)
    open_dossier(page, code)
    click_to(page, "Trả kết quả", "Người dân đánh giá")
    fd.click(page, "Rất hài lòng")
    click_to(page, "Xác nhận: Trả kết quả", "Trạng thái: Đã trả kết quả")
    headless(tablet, "sync")
    shown = headless(tablet, "show", made["id"])
    assert shown["status"] == "returned"
    assert shown["paper_result"] == {
        "number": "12/TLHT",
        "issued_on": vn_now().date().isoformat(),
    }


@pytest.mark.timeout(600)
def test_the_clerk_attaches_the_signed_pdf_made_elsewhere(
    page: Any, station: RunningStation, tmp_path: Path, shots: Path
) -> None:
    """The stamp dialog of an imported procedure takes the result as a signed PDF
    through the browser's file dialog: an unsigned file is refused in the dialog with
    nothing stamped; the signed one is checked (pyHanko) and the page shows its signer."""
    station.admin("catalogue-import", str(CATALOGUE))
    tablet = tmp_path / "tablet"
    headless(tablet, "enroll", station.url, station.enroll_code(), unlock=False)
    headless(tablet, "sync")  # the catalogue comes by the feed
    sample = headless(tablet, "sample", "--procedure", GENERIC, unlock=False)
    values = tmp_path / "values.json"
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    made = headless(tablet, "intake", "--procedure", GENERIC, "--json", str(values))
    headless(tablet, "sync", unlock=False)
    with httpx.Client(base_url=station.url, timeout=60) as http:
        for action, who in (("accept", APPRAISER), ("approve", LEADER)):
            r = http.post("/v1/auth/token", json={"username": who[0], "pin": who[1]})
            auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
            r = http.post(
                f"/v1/dossiers/{made['id']}/actions", json={"action": action}, headers=auth
            )
            assert r.status_code == 200, r.text
    unsigned = tmp_path / "chua-ky.pdf"
    blank = FPDF()
    blank.add_page()
    unsigned.write_bytes(bytes(blank.output()))
    signed = tmp_path / "trich-luc.pdf"
    signed.write_bytes(signed_result_pdf(tmp_path))

    sign_in(page, CLERK)
    open_dossier(page, made["code"])
    click_to(page, "Đóng dấu", "Chọn tệp PDF kết quả đã ký số")
    for path, then in ((unsigned, "chưa có chữ ký số"), (signed, None)):
        if path is signed:
            click_to(page, "Bỏ tệp đã chọn", "Chọn tệp PDF kết quả đã ký số")
        with page.expect_file_chooser(timeout=30_000) as chooser:
            fd.click(page, "Chọn tệp PDF kết quả đã ký số")
        chooser.value.set_files(str(path))
        fd.wait_text(page, f"Đã chọn tệp: {path.name}")
        if then is not None:
            click_to(page, "Xác nhận: Đóng dấu", then)
            shot(page, shots, "21-unsigned-refused")
            assert status_at_station(station, made["id"]) == "approved"  # nothing stamped
    shot(page, shots, "22-signed-chosen")
    click_to(page, "Xác nhận: Đóng dấu", "Đã cập nhật hồ sơ")
    text = fd.wait_text(page, "tệp PDF do hệ thống khác ban hành, đã kiểm tra chữ ký số")
    assert "Trạng thái: Đã đóng dấu" in text
    assert "Chữ ký Ket_qua: Phần mềm một cửa tỉnh — nguyên vẹn, hợp lệ" in text
    shot(page, shots, "23-pdf-result")
    assert status_at_station(station, made["id"]) == "stamped"


def status_at_station(station: RunningStation, dossier_id: str) -> str:
    with httpx.Client(base_url=station.url, timeout=60) as http:
        r = http.post("/v1/auth/token", json={"username": CLERK[0], "pin": CLERK[1]})
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        r = http.get(f"/v1/dossiers/{dossier_id}", headers=auth)
        assert r.status_code == 200, r.text
        return str(r.json()["status"])
