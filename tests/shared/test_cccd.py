"""The CCCD chip-card QR parser, the personal-id structure and the 2025 address mapping."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.addresses import map_printed_address
from shared.cccd import parse_cccd_qr
from shared.errors import TaiChoError
from shared.personal_id import check_personal_id, make_personal_id

TODAY = date(2026, 11, 28)
# 087 Đồng Tháp, 1 = female born 1900s, 92 = 1992.
ADDRESS = "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp"
GOOD = f"087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ|{ADDRESS}|12072021"


def test_parses_a_real_format_string() -> None:
    card = parse_cccd_qr(GOOD, TODAY)
    assert card.to_dict() == {
        "number": "087192004321",
        "old_id": "341234567",
        "name": "Nguyễn Thị Ánh",
        "dob": "1992-03-05",
        "sex": "female",
        "address_printed": "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp",
        "issued": "2021-07-12",
    }


@pytest.mark.parametrize(
    "text",
    [
        GOOD + "|extra|fields|from newer cards",
        "  " + GOOD + "\r\n",
        unicodedata.normalize("NFD", GOOD),
        GOOD.replace("|341234567|", "||"),
        GOOD.replace("Nữ", "nữ"),
        "\x02" + GOOD + "\x03",  # a keyboard-wedge scanner's framing characters
    ],
)
def test_tolerates_what_scanners_and_pastes_add(text: str) -> None:
    card = parse_cccd_qr(text, TODAY)
    assert card.name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", card.address_printed)
    assert card.number == "087192004321"


@pytest.mark.parametrize(
    ("text", "code", "field"),
    [
        ("087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ", "CCCD_QR_FIELDS", "qr"),
        ("", "CCCD_QR_FIELDS", "qr"),
        (GOOD.replace("087192004321", "08719200432X"), "CCCD_QR_NUMBER", "number"),
        (GOOD.replace("087192004321", "87192004321"), "CCCD_QR_NUMBER", "number"),
        (GOOD.replace("341234567", "3412345"), "CCCD_QR_OLD_ID", "old_id"),
        (GOOD.replace("05031992", "31021992"), "CCCD_QR_DOB", "dob"),
        (GOOD.replace("05031992", "5-3-1992"), "CCCD_QR_DOB", "dob"),
        (GOOD.replace("05031992", "05032030"), "CCCD_QR_DOB", "dob"),
        (GOOD.replace("12072021", "32072021"), "CCCD_QR_ISSUED", "issued"),
        (GOOD.replace("12072021", "12071980"), "CCCD_QR_ISSUED", "issued"),
        (GOOD.replace("|Nữ|", "|X|"), "CCCD_QR_SEX", "sex"),
        (GOOD.replace("Nguyễn Thị Ánh", ""), "CCCD_QR_NAME", "name"),
        (
            GOOD.replace("Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp", " "),
            "CCCD_QR_ADDRESS",
            "address",
        ),
        # Structure: 003 is no province code; 0 = male but the card says Nữ; 91 ≠ 1992.
        (GOOD.replace("087192004321", "003192004321"), "PERSONAL_ID_PROVINCE", "number"),
        (GOOD.replace("087192004321", "087092004321"), "PERSONAL_ID_SEX", "number"),
        (GOOD.replace("087192004321", "087191004321"), "PERSONAL_ID_YEAR", "number"),
    ],
)
def test_malformed_strings_fail_whole_with_a_precise_problem(
    text: str, code: str, field: str
) -> None:
    with pytest.raises(TaiChoError) as info:
        parse_cccd_qr(text, TODAY)
    assert (info.value.code, info.value.field) == (code, field)
    # Vietnamese message without English identifiers, English without Vietnamese.
    assert "dob" not in info.value.message("vi")
    assert info.value.message("en").isascii() or code == "CCCD_QR_SEX"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_a_catalogued_problem(text: str) -> None:
    try:
        card = parse_cccd_qr(text, TODAY)
    except TaiChoError as err:
        assert err.code.startswith(("CCCD_QR_", "PERSONAL_ID_"))
    else:
        assert len(card.number) == 12


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="|"), max_size=20),
        min_size=7,
        max_size=9,
    )
)
def test_random_field_values_never_half_fill(parts: list[str]) -> None:
    try:
        parse_cccd_qr("|".join(parts), TODAY)
    except TaiChoError as err:
        assert err.field in {"qr", "number", "old_id", "name", "dob", "sex", "address", "issued"}


def test_personal_id_structure() -> None:
    n = make_personal_id("087", False, 2024, 1)
    assert n == "087224000001"
    assert check_personal_id(n, sex="male", dob=date(2024, 3, 15)) == n
    with pytest.raises(TaiChoError) as info:
        check_personal_id(n, sex="female")
    assert info.value.code == "PERSONAL_ID_SEX"
    with pytest.raises(TaiChoError) as info:
        check_personal_id(n, birth_year=1924)  # right two digits, wrong century
    assert info.value.code == "PERSONAL_ID_YEAR"
    with pytest.raises(TaiChoError) as info:
        check_personal_id("０８７２２４０００００１")  # full-width digits are not digits here
    assert info.value.code == "PERSONAL_ID_FORMAT"


def test_old_address_maps_to_todays_commune() -> None:
    mapped = map_printed_address("Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp")
    assert (mapped.commune, mapped.province, mapped.status) == (
        "Xã Lai Vung",
        "Tỉnh Đồng Tháp",
        "matched",
    )
    assert mapped.street == "Ấp An Bình"
    typed = map_printed_address("Ấp An Bình, Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp")
    assert typed.commune == "Xã Lai Vung"


def test_split_commune_gives_candidates() -> None:
    mapped = map_printed_address("Số 5, Phường Đội Cấn, Quận Ba Đình, Thành phố Hà Nội")
    assert mapped.status == "ambiguous"
    assert mapped.commune == ""
    assert set(mapped.candidates) == {
        "Phường Ba Đình, Thành phố Hà Nội",
        "Phường Ngọc Hà, Thành phố Hà Nội",
    }


def test_two_tier_address_is_kept() -> None:
    mapped = map_printed_address("Ấp 1, Xã Lai Vung, Tỉnh Đồng Tháp")
    assert (mapped.commune, mapped.status, mapped.street) == ("Xã Lai Vung", "current", "Ấp 1")


def test_unknown_address_is_not_guessed() -> None:
    assert map_printed_address("Foo, Bar").status == "not_found"
