"""Setting up a real commune from the official 2025 list of units (``unit-set``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from station_kit import LAI_VUNG, Tablet, admin_cli

from shared.errors import TaiChoError
from shared.unit import Unit
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.setup import units
from sync_server.services.sync import enrollment


def test_the_shipped_list_is_the_2025_one() -> None:
    # 34 provinces and 3,321 communes, wards and special zones since 1 July 2025.
    assert units.units_count() == {"provinces": 34, "communes": 3321}
    assert units.PACKAGE_VERSION == "2025.10.1"


def test_lai_vung_gives_the_official_record() -> None:
    u = units.unit_from_names("Đồng Tháp", "Xã Lai Vung")
    assert isinstance(u, Unit)
    assert u.name == "Ủy ban nhân dân xã Lai Vung"
    assert u.commune == "Xã Lai Vung" and u.province == "Tỉnh Đồng Tháp"
    assert u.place_name == "Lai Vung"
    assert u.agency_lines == ("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG")
    assert u.registration_office == "Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp"
    assert (u.commune_code, u.province_code) == ("30226", "82")
    assert u.code == "82.30226"  # the documented default until --agency-code is given


@pytest.mark.parametrize(
    ("province", "commune"),
    [
        ("dong thap", "lai vung"),
        ("Tỉnh Đồng Tháp", "xã lai vung"),
        ("  ĐỒNG   THÁP ", "Lai Vung"),
        ("tinh dong thap", "XA LAI VUNG"),
    ],
)
def test_matching_ignores_accents_case_and_prefixes(province: str, commune: str) -> None:
    assert units.unit_from_names(province, commune).commune == "Xã Lai Vung"


def test_cities_wards_and_special_zones() -> None:
    u = units.unit_from_names("Hà Nội", "Hoàn Kiếm")
    assert u.name == "Ủy ban nhân dân phường Hoàn Kiếm"
    assert u.registration_office.endswith(", thành phố Hà Nội")
    assert units.unit_from_names("TP Hải Phòng", "Bạch Long Vĩ").commune == "Đặc khu Bạch Long Vĩ"


def test_accents_decide_between_look_alike_names() -> None:
    # Đồng Tháp has both Phường Mỹ Tho and Xã Mỹ Thọ.
    assert units.find_commune("Đồng Tháp", "Mỹ Tho").name == "Phường Mỹ Tho"
    assert units.find_commune("Đồng Tháp", "Mỹ Thọ").name == "Xã Mỹ Thọ"
    with pytest.raises(TaiChoError) as err:
        units.find_commune("Đồng Tháp", "my tho")
    assert err.value.code == "UNIT_UNKNOWN"
    assert err.value.ctx["candidates"] == "Phường Mỹ Tho, Xã Mỹ Thọ"


def test_unknown_names_are_refused_with_the_closest() -> None:
    with pytest.raises(TaiChoError) as err:
        units.find_province("Dong Thapp")
    assert err.value.code == "UNIT_UNKNOWN" and err.value.field == "province"
    assert err.value.ctx["candidates"].startswith("Tỉnh Đồng Tháp")
    with pytest.raises(TaiChoError) as err:
        units.find_commune("Đồng Tháp", "Lai Vunng")
    assert err.value.field == "commune" and "Xã Lai Vung" in err.value.ctx["candidates"]


def test_cli_unit_set_and_show(tmp_path: Path) -> None:
    data = tmp_path / "st"
    r = admin_cli(data, "unit-show")
    assert r.returncode == 1 and json.loads(r.stderr)["code"] == "UNIT_NOT_CONFIGURED"
    r = admin_cli(data, "unit-set", "--province", "dong thap", "--commune", "Dinh Yen")
    assert r.returncode == 1
    refused = json.loads(r.stderr)
    assert refused["code"] == "UNIT_UNKNOWN" and refused["params"]["candidates"]
    r = admin_cli(
        data,
        "unit-set",
        *LAI_VUNG,
        "--agency-code",
        "000.31.22.h20",
        "--former-name",
        "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp",
    )
    assert r.returncode == 0, r.stderr
    shown = admin_cli(data, "unit-show")
    assert shown.returncode == 0
    unit = json.loads(shown.stdout)
    assert unit == json.loads(r.stdout)
    assert unit["code"] == "000.31.22.H20" and unit["name"] == "Ủy ban nhân dân xã Lai Vung"
    assert unit["former_name"] == "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp"
    r = admin_cli(
        data,
        "unit-set",
        "--province",
        "Đồng Tháp",
        "--commune",
        "Lai Vung",
        "--agency-code",
        "bad code!",
    )
    assert r.returncode == 1 and json.loads(r.stderr)["field"] == "code"


def test_no_enrolment_and_no_intake_before_unit_set(client: TestClient, station: Station) -> None:
    with station.session() as db:
        code = enrollment.new_enroll_code(db)
    t = Tablet(client)
    r = client.post("/v1/sync/enroll", json=t.enroll_body(code))
    assert r.status_code == 409 and r.json()["code"] == "UNIT_NOT_CONFIGURED"
    assert "unit-set" in r.json()["message"]
    with station.session() as db:
        units.set_unit_from_names(db, "Đồng Tháp", "Xã Lai Vung", "000.31.22.H20")
        demo.seed(db)
    t.enroll(code)  # the same code still works once the unit is set
    t.unlock()
    with station.session() as db:  # the unit disappears (a damaged or reset data dir)
        db.execute("DELETE FROM meta WHERE key = 'unit'")
    r = t.push([t.change(t.dossier())])
    assert r.status_code == 409 and r.json()["code"] == "UNIT_NOT_CONFIGURED"


def test_setting_the_same_commune_again_keeps_its_agency_code(tmp_path: Path) -> None:
    from sync_server.services.opening import open_station
    from sync_server.services.setup.units import load_unit, set_unit_from_names

    station = open_station(tmp_path / "st")
    with station.session() as db:
        set_unit_from_names(db, "Đồng Tháp", "Xã Lai Vung", agency_code="000.31.22.H20")
        again = set_unit_from_names(db, "Đồng Tháp", "Xã Lai Vung", former_name="Xã Định Yên")
        assert again.code == "000.31.22.H20" and again.former_name == "Xã Định Yên"
        other = set_unit_from_names(db, "Đồng Tháp", "Xã Tân Dương")  # a different commune
        assert other.code != "000.31.22.H20"
        assert load_unit(db) == other
