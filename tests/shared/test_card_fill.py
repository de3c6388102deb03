"""A scanned chip ID card fills one person's fields of any procedure, and only those."""

from __future__ import annotations

from datetime import date

import pytest

from shared.card_fill import fill_from_card, parties, residence_text
from shared.cccd import scanned_card
from shared.procedures import builtin
from shared.validation import validate

TODAY = date(2026, 11, 28)
QR = (
    "087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ|"
    "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp|12072021"
)


def test_every_procedure_names_its_people_for_the_fill_buttons() -> None:
    found = {c: [p.label for p in parties(builtin().get(c))] for c in builtin().codes()}
    assert found["1.001193"] == ["người yêu cầu", "người mẹ", "người cha"]
    assert found["1.000894"] == ["bên nữ", "bên nam"]
    assert found["1.000656"] == ["người yêu cầu", "người đã chết"]
    assert all(found.values())  # every procedure has someone a card can fill


def test_the_mother_is_filled_from_her_card_with_the_confirmed_address() -> None:
    proc = builtin().get("1.001193")
    card = scanned_card(QR, TODAY)
    mapped = card["address_mapped"]
    assert mapped["status"] == "matched" and mapped["commune"] == "Xã Lai Vung"
    home = residence_text(mapped["street"], f"{mapped['commune']}, {mapped['province']}")
    values = fill_from_card(proc, "mother", card, home)
    assert values == {
        "mother_full_name": "Nguyễn Thị Ánh",
        "mother_birth_date": "05/03/1992",
        "mother_id_type": "cccd",
        "mother_id_number": "087192004321",
        "mother_residence": "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp",
    }
    # the filled values pass the form's own rules for those fields
    result = validate(proc, values, TODAY)
    assert not [p for p in result.problems if p.field in values], result.problems


def test_no_confirmed_unit_leaves_the_residence_alone_and_sex_maps_to_choices() -> None:
    proc = builtin().get("1.000656")  # khai tử: the deceased has a sex field
    card = scanned_card(QR, TODAY)
    values = fill_from_card(proc, "deceased", card, None)
    assert "deceased_residence" not in values
    sex = proc.field("deceased_sex")
    assert sex.choice_label(values["deceased_sex"]) == "Nữ"
    # a person the procedure does not have fills nothing
    assert fill_from_card(proc, "mother", card, "x") == {}


@pytest.mark.parametrize(
    "street,unit,line",
    [
        ("Ấp An Bình", "Xã Lai Vung, Tỉnh Đồng Tháp", "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp"),
        ("", "Xã Lai Vung, Tỉnh Đồng Tháp", "Xã Lai Vung, tỉnh Đồng Tháp"),
        (
            "Số 5 Lê Lợi",
            "Phường Bến Thành, Thành phố Hồ Chí Minh",
            "Số 5 Lê Lợi, phường Bến Thành, thành phố Hồ Chí Minh",
        ),
        ("Thôn 3", "Đặc khu Phú Quốc, Tỉnh An Giang", "Thôn 3, đặc khu Phú Quốc, tỉnh An Giang"),
    ],
)
def test_an_address_from_the_card_is_written_as_documents_write_it(
    street: str, unit: str, line: str
) -> None:
    """Issue 21 §11: the unit list prints "Xã …, Tỉnh …" as names on their own; inside an
    address the common noun is lower case, the name capitalised (docs/legal.md: "tỉnh Nam
    Định", "xã Ba Đình" — Nghị định 30/2020/NĐ-CP, Phụ lục II)."""
    assert residence_text(street, unit) == line
