"""The desk's commune and calendar pages, without a browser: the state is driven as the
screens drive it, over a real in-process station (real SQLite, real crypto)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.errors import TaiChoError
from sync_server.desk.backend import DeskBackend
from sync_server.desk.state import ROUTE_CALENDAR, ROUTE_QUEUE, ROUTE_UNIT
from sync_server.services.admin import demo
from sync_server.services.setup import calendar, units
from tests.desk.conftest import run, signed_in


def stored_unit(backend: DeskBackend) -> Any:
    with backend.station.session() as db:
        return units.load_unit(db)


def entries(backend: DeskBackend) -> dict[str, tuple[str, str | None, str]]:
    with backend.station.session() as db:
        listed = calendar.calendar_list(db)
    return {e["day"]: (e["kind"], e["note"], e["set_by"]) for e in listed["entries"]}


def test_admin_sets_the_commune_by_names(backend: DeskBackend) -> None:
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_admin(ROUTE_UNIT))
    assert admin.current_route() == ROUTE_UNIT
    assert run(admin.set_unit_from_names("dong thap", "Mỹ Thọ", "", "Xã Mỹ Hiệp"))
    unit = stored_unit(backend)
    assert unit is not None and unit.commune == "Xã Mỹ Thọ"
    assert unit.province == "Tỉnh Đồng Tháp" and unit.former_name == "Xã Mỹ Hiệp"
    # shown: the official name, province, the derived agency code, the former name
    assert admin.admin.unit["name"] == "Ủy ban nhân dân xã Mỹ Thọ"
    assert admin.admin.unit["province"] == "Tỉnh Đồng Tháp"
    assert admin.admin.unit["code"] == f"{unit.province_code}.{unit.commune_code}"
    assert admin.admin.unit["former_name"] == "Xã Mỹ Hiệp"
    assert admin.banner_ok and "Mỹ Thọ" in admin.banner
    # an agency code typed by the office replaces the derived one
    assert run(admin.set_unit_from_names("Đồng Tháp", "Xã Lai Vung", "000.31.22.h20"))
    assert admin.admin.unit["code"] == "000.31.22.H20"
    assert stored_unit(backend).code == "000.31.22.H20"


def test_unknown_commune_shows_candidates_and_stores_nothing(backend: DeskBackend) -> None:
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_admin(ROUTE_UNIT))
    before = stored_unit(backend)
    assert not run(admin.set_unit_from_names("Đồng Tháp", "Lai Vungg"))
    assert "Không tìm thấy 'Lai Vungg'" in admin.admin.unit_error
    assert "Xã Lai Vung" in admin.admin.unit_candidates
    assert stored_unit(backend) == before
    assert admin.admin.unit["code"] == demo.DEMO_UNIT["code"]
    # a candidate picked from the list goes through
    assert run(admin.set_unit_from_names("Đồng Tháp", admin.admin.unit_candidates[0]))
    assert admin.admin.unit_error == "" and admin.admin.unit_candidates == []
    # an unknown province too; empty fields are asked for by name
    assert not run(admin.set_unit_from_names("Dong Thapp", "Lai Vung"))
    assert (
        "tỉnh/thành phố" in admin.admin.unit_error
        and "Tỉnh Đồng Tháp" in admin.admin.unit_candidates
    )
    assert not run(admin.set_unit_from_names("", " "))
    assert set(admin.field_errors) == {"province", "commune"}


def test_non_admin_cannot_set_commune_or_calendar(backend: DeskBackend) -> None:
    clerk = signed_in(backend, "vanthu", "456789")
    for route in (ROUTE_UNIT, ROUTE_CALENDAR):
        run(clerk.open_admin(route))
        assert clerk.current_route() == ROUTE_QUEUE
    assert clerk.admin.calendar == {}
    assert not run(clerk.set_unit_from_names("Đồng Tháp", "Mỹ Thọ"))
    assert not run(clerk.calendar_change("off", "2026-12-31"))
    assert clerk.banner and not clerk.banner_ok
    for call in (
        lambda: backend.set_unit_from_names(clerk.user, "Đồng Tháp", "Mỹ Thọ"),  # type: ignore[arg-type]
        lambda: backend.calendar(clerk.user),  # type: ignore[arg-type]
        lambda: backend.calendar_set(clerk.user, off=["2026-12-31"]),  # type: ignore[arg-type]
    ):
        with pytest.raises(TaiChoError) as err:
            call()
        assert err.value.code == "ROLE_NOT_ALLOWED"
    assert stored_unit(backend).commune == "Xã Lai Vung"
    assert entries(backend) == {}


def test_admin_edits_the_calendar(backend: DeskBackend) -> None:
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_admin(ROUTE_CALENDAR))
    assert admin.current_route() == ROUTE_CALENDAR and admin.admin.calendar["entries"] == []
    assert run(admin.calendar_change("off", "2026-01-02", "QĐ nghỉ Tết"))
    assert run(admin.calendar_change("work", " 2026-01-10 "))
    assert entries(backend) == {
        "2026-01-02": ("off", "QĐ nghỉ Tết", "quantri"),
        "2026-01-10": ("work", None, "quantri"),
    }
    assert admin.admin.calendar["off"] == ["2026-01-02"] and admin.admin.calendar["work"] == [
        "2026-01-10"
    ]
    assert admin.banner_ok and "10/01/2026" in admin.banner
    assert run(admin.calendar_change("clear", "2026-01-02"))
    assert list(entries(backend)) == ["2026-01-10"]
    assert [e["day"] for e in admin.admin.calendar["entries"]] == ["2026-01-10"]


def test_bad_date_is_refused(backend: DeskBackend) -> None:
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_admin(ROUTE_CALENDAR))
    for bad in ("02/01/2026", "2026-02-30", "", "1999-12-31"):
        assert not run(admin.calendar_change("off", bad))
        assert admin.field_errors["day"].startswith("Ngày ")
        assert "không hợp lệ" in admin.field_errors["day"]
    assert not run(admin.calendar_change("work", "tomorrow"))
    assert "năm-tháng-ngày" in admin.field_errors["day"]
    assert entries(backend) == {}
