"""The desk's admin page "Thủ tục" without a browser: the state is driven as the screen
drives it, over a real in-process station (real SQLite, real crypto) that imported the
starter catalogue (data/catalogue/commune-procedures.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shared.errors import TaiChoError
from sync_server.desk import procedure_settings as settings
from sync_server.desk import procedures as pv
from sync_server.desk.backend import DeskBackend
from sync_server.desk.state import ROUTE_PROCEDURES, ROUTE_QUEUE, DeskState
from sync_server.services import door
from sync_server.services.setup import staff as staff_service
from tests.desk.conftest import run

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "catalogue" / "commune-procedures.json"
CHECKED, UNCHECKED, BUILT_IN = "1.001022", "2.000635", "1.001193"


def signed_in(backend: DeskBackend, username: str, pin: str) -> DeskState:
    s = DeskState(backend)
    assert run(s.login(username, pin)), s.field_errors
    return s


@pytest.fixture
def imported(backend: DeskBackend) -> DeskBackend:
    with backend.station.session() as db:
        admin = staff_service.get_staff(db, "quantri")
        assert admin is not None
        door.catalogue_import(admin, backend.station, db, CATALOGUE.read_bytes(), CATALOGUE.name)
    return backend


def row(state: DeskState, code: str) -> dict[str, Any]:
    return next(r for r in state.catalogue.rows if r["code"] == code)


def tablet_offers(backend: DeskBackend, code: str) -> bool:
    """What a tablet's procedure list follows: the station's current version's switch."""
    return backend.station.catalogue.get(code).enabled


def test_the_page_lists_every_procedure_with_its_mark_source_limit_and_fee(
    imported: DeskBackend,
) -> None:
    admin = signed_in(imported, "quantri", "567890")
    run(admin.open_admin(ROUTE_PROCEDURES))
    assert admin.current_route() == ROUTE_PROCEDURES
    rows = admin.catalogue.rows
    n = pv.counts(rows)
    assert n["all"] == len(rows) >= 36 and n["imported"] >= 30
    assert n["enabled"] == n["all"] and n["unchecked"] == 29
    checked, unchecked, built_in = row(admin, CHECKED), row(admin, UNCHECKED), row(admin, BUILT_IN)
    assert checked["checked"] and checked["source"] and checked["checked_on"] == "2026-12-07"
    assert not unchecked["checked"] and unchecked["source"]
    assert built_in["checked"] and not built_in["imported"] and built_in["has_result_template"]
    assert checked["version"] == 1 and checked["fee_text"]
    # the search ignores accents and case, and the unchecked ones can be picked out
    assert CHECKED in [r["code"] for r in pv.select(rows, "DANG KY nhan cha, me", False)]
    assert [r["code"] for r in pv.select(rows, "1.001022", False)] == [CHECKED]
    assert all(not r["checked"] for r in pv.select(rows, "", True))
    assert len(pv.select(rows, "", True)) == 29


def test_switching_off_and_on_makes_versions_the_tablets_follow(imported: DeskBackend) -> None:
    admin = signed_in(imported, "quantri", "567890")
    run(admin.open_admin(ROUTE_PROCEDURES))
    assert run(settings.set_enabled(admin, UNCHECKED, False))
    assert admin.banner_ok and f"tắt (máy tính bảng không nhận hồ sơ mới) thủ tục {UNCHECKED}" in (
        admin.banner
    )
    assert not row(admin, UNCHECKED)["enabled"] and row(admin, UNCHECKED)["version"] == 2
    assert not tablet_offers(imported, UNCHECKED)
    assert run(settings.set_enabled(admin, UNCHECKED, True))
    assert row(admin, UNCHECKED)["enabled"] and row(admin, UNCHECKED)["version"] == 3
    assert tablet_offers(imported, UNCHECKED)
    # a built-in procedure is not edited here: the station's message, nothing changed
    assert not run(settings.set_enabled(admin, BUILT_IN, False))
    assert not admin.banner_ok and "có sẵn trong ứng dụng" in admin.banner
    assert row(admin, BUILT_IN)["enabled"] and tablet_offers(imported, BUILT_IN)


def test_the_provinces_limit_and_fee_with_its_decision(imported: DeskBackend) -> None:
    admin = signed_in(imported, "quantri", "567890")
    run(admin.open_admin(ROUTE_PROCEDURES))
    before = dict(row(admin, CHECKED))
    decision = "Quyết định số 1234/QĐ-UBND ngày 01/12/2026 của UBND tỉnh"
    admin.catalogue.edit(CHECKED)
    assert run(settings.save_settings(admin, CHECKED, "2", "20.000", decision))
    after = row(admin, CHECKED)
    assert after["time_limit_working_days"] == 2 and after["fee_vnd"] == 20000
    assert after["national_time_limit_working_days"] == before["time_limit_working_days"]
    assert after["national_fee_vnd"] == before["fee_vnd"]
    assert after["province_decision"] == decision and after["version"] == before["version"] + 1
    assert after["fee_text"] == "20.000 đồng"
    assert admin.catalogue.editing == "" and admin.banner_ok
    proc = imported.station.catalogue.get(CHECKED)
    assert (proc.time_limit_working_days, proc.fee_vnd) == (2, 20000)
    # back to the national record's values
    assert run(settings.back_to_national(admin, CHECKED))
    back = row(admin, CHECKED)
    assert back["time_limit_working_days"] == before["time_limit_working_days"]
    assert back["fee_vnd"] == before["fee_vnd"] and back["province_decision"] == ""


@pytest.mark.parametrize(
    ("limit", "fee", "decision", "field", "says"),
    [
        ("-3", "", "Quyết định số 1/QĐ-UBND", "time_limit_working_days", "từ 0 đến 365"),
        ("400", "", "Quyết định số 1/QĐ-UBND", "time_limit_working_days", "từ 0 đến 365"),
        ("ba", "", "Quyết định số 1/QĐ-UBND", "time_limit_working_days", "số nguyên"),
        ("", "15,5", "Quyết định số 1/QĐ-UBND", "fee_vnd", "10.000.000 đồng"),
        ("", "20000000", "Quyết định số 1/QĐ-UBND", "fee_vnd", "10.000.000 đồng"),
        ("3", "", "", "decision", "quyết định của tỉnh"),
        ("", "", "Quyết định số 1/QĐ-UBND", "time_limit_working_days", "thời hạn hoặc mức phí"),
    ],
)
def test_a_wrong_setting_is_named_under_its_field_and_nothing_changes(
    imported: DeskBackend, limit: str, fee: str, decision: str, field: str, says: str
) -> None:
    admin = signed_in(imported, "quantri", "567890")
    run(admin.open_admin(ROUTE_PROCEDURES))
    before = dict(row(admin, CHECKED))
    admin.catalogue.edit(CHECKED)
    assert not run(settings.save_settings(admin, CHECKED, limit, fee, decision))
    assert set(admin.field_errors) == {field}
    assert says in admin.field_errors[field]
    assert admin.catalogue.editing == CHECKED  # the form stays open with what was typed
    run(settings.load(admin))
    assert row(admin, CHECKED) == before
    assert imported.station.catalogue.get(CHECKED).version == before["version"]


def test_parse_count_reads_vietnamese_amounts() -> None:
    assert pv.parse_count("15.000", "fee_vnd", 10_000_000, grouped=True) == 15000
    assert pv.parse_count(" 1.200.000 ", "fee_vnd", 10_000_000, grouped=True) == 1_200_000
    assert pv.parse_count("0", "fee_vnd", 10_000_000, grouped=True) == 0
    assert pv.parse_count("", "fee_vnd", 10_000_000, grouped=True) is None
    assert pv.parse_count("7", "time_limit_working_days", 365) == 7
    for bad in ("15.00", "1.5", "-1", "1e3", "١٢"):
        with pytest.raises(TaiChoError) as err:
            pv.parse_count(bad, "fee_vnd", 10_000_000, grouped=True)
        assert err.value.code == "REQUEST_INVALID" and err.value.field == "fee_vnd"
    with pytest.raises(TaiChoError):
        pv.parse_count("15.000", "time_limit_working_days", 365)  # days are not grouped


def test_only_the_admin_opens_the_page(imported: DeskBackend) -> None:
    for username, pin in (("vanthu", "456789"), ("lanhdao", "345678")):
        s = signed_in(imported, username, pin)
        run(s.open_admin(ROUTE_PROCEDURES))
        assert s.current_route() == ROUTE_QUEUE and s.catalogue.rows == []
        assert not run(settings.set_enabled(s, UNCHECKED, False))
        assert not s.banner_ok and "không được phép 'Quản lý danh mục thủ tục" in s.banner
    assert tablet_offers(imported, UNCHECKED)
    admin = signed_in(imported, "quantri", "567890")
    run(admin.open_admin(ROUTE_PROCEDURES))
    admin.logout()
    assert admin.catalogue.rows == [] and admin.catalogue.editing == ""
