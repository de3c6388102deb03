"""The default competent commune (``shared.competence``), and the law it cites.

Each rule quotes the text docs/legal.md records (found as restatements: see there), and
is matched against the dossier's own residence fields: the sample dossiers of the
procedures, addresses written by hand, and pre-2025 addresses with a district.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shared.competence import RULES, choose, find_commune, search
from shared.messages import Commune
from shared.procedures import builtin
from shared.samples import sample_values
from shared.unit import commune_of_agency

LEGAL = (Path(__file__).resolve().parents[2] / "docs" / "legal.md").read_text(encoding="utf-8")
DAY = date(2026, 12, 7)
SA_DEC = Commune("000.00.01.H20", "Phường Sa Đéc")
LAI_VUNG = Commune("000.31.22.H20", "Xã Lai Vung")
LAP_VO = Commune("000.00.09.H20", "Xã Lấp Vò")
XA_SA_DEC = Commune("000.00.77.H20", "Xã Sa Đéc")  # a made-up namesake of another kind
PROVINCE = [SA_DEC, LAI_VUNG, LAP_VO]

# The law as docs/legal.md quotes it, one sentence per rule.
KHAI_SINH_TEXT = (
    "Ủy ban nhân dân cấp xã nơi cư trú của người cha hoặc người mẹ thực hiện đăng ký khai sinh"
)
KHAI_TU_TEXT = (
    "Ủy ban nhân dân cấp xã nơi cư trú cuối cùng của người chết thực hiện việc đăng ký khai tử"
)
KET_HON_TEXT = (
    "UBND xã, phường nơi cư trú của một trong hai bên nam, nữ là cơ quan có thẩm quyền đăng "
    "ký kết hôn giữa công dân Việt Nam với nhau cư trú ở trong nước"
)
HON_NHAN_TEXT = (
    "Ủy ban nhân dân cấp xã, nơi thường trú của công dân Việt Nam thực hiện việc cấp Giấy "
    "xác nhận tình trạng hôn nhân."
)


@pytest.mark.parametrize(
    ("procedure", "text", "basis"),
    [
        ("1.001193", KHAI_SINH_TEXT, "Luật Hộ tịch 2014, Điều 13"),
        ("1.000656", KHAI_TU_TEXT, "Luật Hộ tịch 2014, Điều 32"),
        ("1.000894", KET_HON_TEXT, "Luật Hộ tịch 2014, Điều 17"),
        ("1.004873", HON_NHAN_TEXT, "Nghị định 123/2015/NĐ-CP, Điều 21 khoản 1"),
    ],
)
def test_each_rule_cites_the_text_the_register_quotes(
    procedure: str, text: str, basis: str
) -> None:
    assert f'"{text}' in LEGAL
    assert RULES[procedure].basis == basis
    assert basis in LEGAL
    fields = {f.id for f in builtin().get(procedure).fields}
    assert set(RULES[procedure].fields) <= fields  # the rule reads fields the form has


def test_chung_thuc_stays_where_received_and_the_register_says_no_text_was_found() -> None:
    assert "2.000815" not in RULES and "2.000884" not in RULES
    got = choose("2.000815", {}, PROVINCE, SA_DEC.unit_code, SA_DEC.name)
    assert got.unit_code is None and got.name == SA_DEC.name and not got.matched
    assert "No text saying that a chứng thực may be done at any commune" in LEGAL


def test_khai_sinh_of_parents_of_another_commune_goes_there() -> None:
    values = sample_values("1.001193", DAY, 1)  # the parents live in xã Lai Vung
    got = choose("1.001193", values, PROVINCE, SA_DEC.unit_code, SA_DEC.name)
    assert (got.unit_code, got.name, got.field) == (
        LAI_VUNG.unit_code,
        "Xã Lai Vung",
        "mother_residence",
    )
    assert got.matched and "Điều 13" in got.reason_vi and "Xã Lai Vung" in got.reason_vi
    assert got.reason("en").startswith("mother_residence: Xã Lai Vung")


def test_the_receiving_commune_itself_when_one_parent_lives_there() -> None:
    values = dict(sample_values("1.001193", DAY, 1))
    values["mother_residence"] = "Khóm 2, phường Sa Đéc, tỉnh Đồng Tháp"
    values["father_residence"] = "Ấp Hưng Thạnh, xã Lai Vung, tỉnh Đồng Tháp"
    labels = {"father_residence": ("Nơi cư trú người cha", "Father's residence")}
    got = choose("1.001193", values, PROVINCE, SA_DEC.unit_code, SA_DEC.name, labels)
    assert got.unit_code is None and got.name == "Phường Sa Đéc"  # no relay
    # the father lives elsewhere, but the receiving commune is competent: it wins
    values["mother_residence"] = "Ấp Hưng Thạnh, xã Lai Vung, tỉnh Đồng Tháp"
    values["father_residence"] = "Khóm 2, Phường Sa Đéc, Tỉnh Đồng Tháp"
    got = choose("1.001193", values, PROVINCE, SA_DEC.unit_code, SA_DEC.name, labels)
    assert got.unit_code is None and got.field == "father_residence"
    assert got.reason_vi.startswith("Nơi cư trú người cha: Phường Sa Đéc")


def test_ket_hon_either_party_and_khai_tu_the_last_residence() -> None:
    values = sample_values("1.000894", DAY, 1)  # bên nữ: xã Lấp Vò; bên nam: xã Lai Vung
    got = choose("1.000894", values, PROVINCE, SA_DEC.unit_code, SA_DEC.name)
    assert (got.unit_code, got.field) == (LAP_VO.unit_code, "wife_residence")
    got = choose("1.000894", values, PROVINCE, LAI_VUNG.unit_code, LAI_VUNG.name)
    assert got.unit_code is None and got.field == "husband_residence"
    deceased = {"deceased_residence": "Ấp An Hòa, xã Lai Vung, tỉnh Đồng Tháp"}
    got = choose("1.000656", deceased, PROVINCE, SA_DEC.unit_code, SA_DEC.name)
    assert got.unit_code == LAI_VUNG.unit_code and "Điều 32" in got.reason_vi


def test_a_pre_2025_address_is_mapped_to_todays_commune() -> None:
    old = {"deceased_residence": "Ấp 1, Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp"}
    got = choose("1.000656", old, PROVINCE, SA_DEC.unit_code, SA_DEC.name)
    assert got.unit_code == LAI_VUNG.unit_code  # Định Yên lies in today's Lai Vung


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "Ấp 1, xã Mỹ An, tỉnh Đồng Tháp",  # a commune not in the directory
        "Số 5 đường 30/4",  # no commune at all
        "Lai Vung Lấp Vò",  # no parts to read
    ],
)
def test_no_commune_found_the_officer_chooses(address: str) -> None:
    got = choose(
        "1.000656", {"deceased_residence": address}, PROVINCE, SA_DEC.unit_code, SA_DEC.name
    )
    assert got.unit_code is None and not got.matched and got.field is None
    assert "hãy chọn trong danh sách" in got.reason_vi and "Điều 32" in got.reason_vi


def test_missing_or_non_text_values_are_no_address() -> None:
    for values in ({}, {"deceased_residence": None}, {"deceased_residence": 12}):
        got = choose("1.000656", values, PROVINCE, SA_DEC.unit_code, SA_DEC.name)
        assert got.unit_code is None and not got.matched


def test_kinds_and_diacritics_when_matching() -> None:
    both = [SA_DEC, XA_SA_DEC, LAI_VUNG]
    assert find_commune("Khóm 1, PHƯỜNG SA ĐÉC, Đồng Tháp", both) == SA_DEC
    assert find_commune("Ấp 3, xã Sa Đéc", both) == XA_SA_DEC
    assert find_commune("Ấp 3, Sa Đéc, Đồng Tháp", both) is None  # two namesakes: no answer
    assert find_commune("Ấp 3, Lai Vung, Đồng Tháp", both) == LAI_VUNG  # one: the bare name
    decomposed = "Ấp 3, xã Lai Vung".replace("ã", "a\u0303")  # NFD input
    assert find_commune(decomposed, both) == LAI_VUNG


def test_a_tablet_without_the_list_still_knows_its_own_commune() -> None:
    values = sample_values("1.001193", DAY, 1)
    got = choose("1.001193", values, [], LAI_VUNG.unit_code, LAI_VUNG.name)
    assert got.unit_code is None and got.matched


def test_search_by_name_ignores_accents_and_case() -> None:
    assert search(PROVINCE, "sa dec") == [SA_DEC]
    assert search(PROVINCE, "XÃ") == [LAI_VUNG, LAP_VO]
    assert search(PROVINCE, "") == PROVINCE
    assert search(PROVINCE, "không có") == []


def test_commune_of_agency() -> None:
    assert commune_of_agency("Ủy ban nhân dân phường Sa Đéc") == "Phường Sa Đéc"
    assert commune_of_agency("Ủy ban nhân dân  đặc khu Phú Quốc") == "Đặc khu Phú Quốc"
    assert commune_of_agency("Ủy ban nhân dân ") == "Ủy ban nhân dân"
    assert commune_of_agency("Xã Lai Vung") == "Xã Lai Vung"
