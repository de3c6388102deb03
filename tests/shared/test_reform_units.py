"""After the 2025 reforms (issue 17, section 3): samples name only units of the 2025 list,
"Ủy ban nhân dân" is spelled one way, the office is the Trung tâm Phục vụ hành chính
công, and personal identification numbers of births registered abroad are accepted."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from shared.addresses import is_current_unit
from shared.documents.paperwork.base import PaperDossier
from shared.documents.paperwork.forms import render_receipt
from shared.errors import TaiChoError
from shared.personal_id import (
    birth_registration_place,
    check_personal_id,
    country_codes,
    personal_id_fault,
)
from shared.procedures import bundles, render_result, sample_values
from shared.procedures.people import PLACES
from shared.unit import service_centre_name
from tests.shared.commune import UNIT, result_meta

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)
# "xã Lai Vung, tỉnh Đồng Tháp" inside any text: the commune and its province.
UNIT_RE = re.compile(
    r"\b(xã|phường|đặc khu)\s+([^,;()]+?),\s*(tỉnh|thành phố)\s+([^,;()\n]+)", re.IGNORECASE
)
META = result_meta(TODAY, verify_text="https://example.invalid/verify/000.31.22.H20-261207-0101")


def _units_in(text: str) -> list[tuple[str, str]]:
    return [(f"{m[1]} {m[2]}", f"{m[3]} {m[4]}".strip()) for m in UNIT_RE.finditer(text)]


def test_the_unit_check_knows_a_current_commune_from_an_abolished_one() -> None:
    assert is_current_unit("xã Lai Vung", "tỉnh Đồng Tháp")
    assert is_current_unit("Xã Lấp Vò", "Tỉnh Đồng Tháp")
    assert not is_current_unit("xã Định Yên", "tỉnh Đồng Tháp")  # merged on 1/7/2025
    assert not is_current_unit("xã Lai Vung", "tỉnh Tiền Giang")  # province gone too


@pytest.mark.parametrize("code", sorted(bundles()))
def test_every_sample_names_only_units_of_the_2025_list(code: str) -> None:
    seen = 0
    for seed in range(12):
        values = sample_values(code, TODAY, seed)
        for key, value in values.items():
            if not isinstance(value, str):
                continue
            assert "định yên" not in value.casefold(), (code, key, value)
            for commune, province in _units_in(value):
                seen += 1
                assert is_current_unit(commune, province), (code, key, value)
    assert seen or code in {"2.000815", "2.000884"}


def test_the_sample_places_are_current_units() -> None:
    for place in PLACES:
        units = _units_in(place)
        assert units and all(is_current_unit(c, p) for c, p in units), place


@pytest.mark.parametrize("code", sorted(bundles()))
def test_no_generated_result_names_the_abolished_commune(code: str) -> None:
    out = render_result(code, sample_values(code, TODAY, 3), META, demo=True)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=out.pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "định yên" not in text.casefold()


@pytest.mark.parametrize("code", sorted(bundles()))
def test_no_declaration_names_the_abolished_commune(code: str) -> None:
    """The tờ khai the citizen signs, printed by a station whose unit keeps its former name
    (the demo's "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp"): the former name is the
    station's record, never printed on a paper."""
    from shared.documents.declaration import DeclarationInput, render_declaration
    from shared.procedures import builtin

    unit = replace(UNIT, former_name="Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp")
    pdf = render_declaration(
        DeclarationInput(builtin().get(code), sample_values(code, TODAY, 3), unit)
    )
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    assert "định yên" not in text.stdout.decode().casefold()


def _sources() -> list[Path]:
    tracked = subprocess.run(
        ["git", "ls-files", "shared", "sync_server", "mobile", "docs", "scripts", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / p for p in tracked if p.endswith((".py", ".md", ".json", ".sh"))]


def test_uy_ban_nhan_dan_is_spelled_one_way_everywhere() -> None:
    """ "Ủy ban nhân dân" (as Nghị định 30/2020 writes it), never "Uỷ ban" / "UỶ BAN"."""
    wrong = re.compile(r"u[ỷ]\s*ban", re.IGNORECASE)
    hits = []
    for path in _sources():
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        hits += [f"{path.relative_to(ROOT)}: {m[0]}" for m in wrong.finditer(text)]
    assert hits == []


def test_the_office_is_the_public_administration_service_centre() -> None:
    assert service_centre_name("Xã Lai Vung") == "Trung tâm Phục vụ hành chính công xã Lai Vung"
    assert service_centre_name("Phường Sa Đéc") == (
        "Trung tâm Phục vụ hành chính công phường Sa Đéc"
    )
    paper = PaperDossier(
        agency_lines=("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG"),
        agency_name="Ủy ban nhân dân xã Lai Vung",
        place_name="Lai Vung",
        code="000.31.22.H20-261207-0001",
        procedure="Đăng ký khai sinh",
        citizen="Trần Thị Ngọc Hằng",
        office_name=service_centre_name("Xã Lai Vung"),
        issued_on=TODAY,
    )
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-", "-"], input=render_receipt(paper), capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
    assert "Trung tâm Phục vụ hành chính công xã Lai Vung đã tiếp nhận hồ sơ của:" in text
    assert "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công xã Lai Vung" in text
    assert "Bộ phận Một cửa" not in text


# --- personal identification numbers of births registered abroad ------------------------


def test_a_number_of_a_birth_registered_in_the_united_states_is_accepted() -> None:
    # 840 = United States; 1 = female born in the 20th century; 98 = 1998.
    assert personal_id_fault("840198509532") is None
    assert birth_registration_place("840198509532") == "United States"
    assert check_personal_id("840198509532", sex="female", birth_year=1998) == "840198509532"


def test_the_sex_and_century_digit_is_still_checked_for_a_country_code() -> None:
    with pytest.raises(TaiChoError) as err:
        check_personal_id("840198509532", sex="male")
    assert err.value.code == "PERSONAL_ID_SEX"
    with pytest.raises(TaiChoError) as err:
        check_personal_id("840198509532", birth_year=1985)
    assert err.value.code == "PERSONAL_ID_YEAR"


@pytest.mark.parametrize("prefix", ["000", "003", "704", "999"])
def test_neither_a_province_nor_a_country_is_refused(prefix: str) -> None:
    assert personal_id_fault(f"{prefix}198509532") == "province"
    with pytest.raises(TaiChoError) as err:
        check_personal_id(f"{prefix}198509532")
    assert err.value.code == "PERSONAL_ID_PROVINCE"


def test_a_code_shared_by_a_province_and_a_country_is_the_province() -> None:
    assert birth_registration_place("087198509532") == "Đồng Tháp"
    assert "087" not in country_codes() and "704" not in country_codes()
    assert country_codes()["392"] == "Japan"
