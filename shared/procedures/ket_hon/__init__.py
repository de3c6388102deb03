"""Bundle of 1.000894 Đăng ký kết hôn: two-party definition, result (GIẤY CHỨNG NHẬN KẾT
HÔN, signed by both spouses and the officer), sample and the two-party check."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from shared.catalogue import Procedure
from shared.documents.result import (
    FormSpec,
    RenderedResult,
    ResultMeta,
    choice_text,
    identity_text,
    render_form,
    text_of,
    vn_date,
)
from shared.errors import TaiChoError, problem
from shared.procedures import people

__all__ = ["check", "render", "sample"]

TITLE = "GIẤY CHỨNG NHẬN KẾT HÔN"


def check(procedure: Procedure, values: Mapping[str, Any], today: date) -> list[TaiChoError]:
    """The two parties cannot carry the same identity number."""
    a, b = values.get("wife_id_number"), values.get("husband_id_number")
    if a and a == b:
        f = procedure.field("husband_id_number")
        return [
            problem(
                "FIELD_DOCUMENT_NUMBER",
                f.id,
                label=f.label.vi,
                label_en=f.label.en,
            )
        ]
    return []


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    """The GIẤY CHỨNG NHẬN KẾT HÔN: one line per item, the bride's and the groom's values
    side by side, then both spouses' signatures and the officer's."""

    lines: list[Any] = []
    for who, p in (("vợ", "wife"), ("chồng", "husband")):
        lines += [
            ((f"Họ, chữ đệm, tên {who}", text_of(values, f"{p}_full_name").upper(), "B"),),
            (
                ("Ngày, tháng, năm sinh", vn_date(values.get(f"{p}_birth_date")), ""),
                ("Dân tộc", choice_text(procedure, values, f"{p}_ethnicity"), ""),
                ("Quốc tịch", choice_text(procedure, values, f"{p}_nationality"), ""),
            ),
            (("Nơi cư trú", text_of(values, f"{p}_residence"), ""),),
            (("Giấy tờ tùy thân", identity_text(procedure, values, p), ""),),
            None,
        ]
    lines += [
        (("Nơi đăng ký kết hôn", meta.registration_office, ""),),
        (("Ngày, tháng, năm đăng ký", meta.registered_on.strftime("%d/%m/%Y"), ""),),
    ]
    spec = FormSpec(
        title=TITLE,
        agency_header=False,
        extra_left=(),
        number_line=f"Số: {meta.register_number}; Quyển số: {meta.register_book}",
        lines=tuple(lines),
        parties=(
            ("VỢ", text_of(values, "wife_full_name")),
            ("CHỒNG", text_of(values, "husband_full_name")),
        ),
        heading="NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN",
        hint="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
        doc_title="Giấy chứng nhận kết hôn",
    )
    return render_form(spec, meta, demo=demo)


def _party(
    rng: random.Random, today: date, p: str, female: bool, age: tuple[int, int]
) -> dict[str, Any]:
    born = people.birth_date(rng, today, *age)
    return {
        f"{p}_full_name": people.full_name(rng, female),
        f"{p}_birth_date": born.isoformat(),
        f"{p}_ethnicity": "Kinh",
        f"{p}_nationality": "VN",
        f"{p}_residence": rng.choice(people.PLACES),
        f"{p}_id_type": "cccd",
        f"{p}_id_number": people.personal_id(rng, female, born),
        f"{p}_marriage_count": 1,
    }


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    return {
        **_party(rng, today, "wife", True, (20, 32)),
        **_party(rng, today, "husband", False, (22, 35)),
        "contact_phone": people.phone(rng),
        "parties_pledge": True,
    }
