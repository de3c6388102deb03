"""Bundle of 2.000815 Chứng thực bản sao từ bản chính: definition, result (the
certification statement, lời chứng, after Thông tư 01/2020/TT-BTP), sample."""

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
    ValueReader,
    identity_text,
    render_form,
)
from shared.procedures import people

__all__ = ["render", "sample"]

TITLE = "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH"


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    from shared.validation import compute_fee

    t = ValueReader(procedure, values).text
    fee = compute_fee(procedure, values)
    spec = FormSpec(
        title=TITLE,
        number_line=f"Số chứng thực: {meta.register_number}",
        extra_left=(f"Quyển số: {meta.register_book} - SCT/BS",),
        lines=(
            "Chứng thực bản sao đúng với bản chính.",
            None,
            (("Giấy tờ, văn bản", t("document_name"), "B"),),
            (("Cơ quan cấp", t("document_issuer"), ""),),
            (
                ("Số trang của bản chính", t("page_count"), ""),
                ("Số bản sao", t("copy_count"), ""),
            ),
            (("Người yêu cầu chứng thực", t("requester_full_name"), ""),),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "requester"), ""),),
            (("Phí chứng thực", f"{fee:,} đồng".replace(",", "."), ""),),
            (("Ngày, tháng, năm chứng thực", meta.registered_on.strftime("%d/%m/%Y"), ""),),
            *_joining(values),
        ),
        heading="NGƯỜI THỰC HIỆN CHỨNG THỰC",
        hint="(Ký, ghi rõ họ tên và đóng dấu)",
        doc_title="Chứng thực bản sao từ bản chính",
    )
    return render_form(spec, meta, demo=demo)


# Nghị định 23/2015/NĐ-CP, Điều 20: a copy of two pages or more carries the statement on
# its last page, and a copy of two sheets or more is sealed across its sheets (giáp lai).
JOINING_NOTE = (
    "Lời chứng được ghi tại trang cuối của bản sao; bản sao có từ 02 tờ trở lên được "
    "đóng dấu giáp lai."
)


def _joining(values: Mapping[str, object]) -> tuple[str, ...]:
    pages = values.get("page_count")
    return (JOINING_NOTE,) if isinstance(pages, int) and pages >= 2 else ()


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    female = rng.random() < 0.5
    born = people.birth_date(rng, today, 18, 70)
    return {
        "requester_full_name": people.full_name(rng, female),
        "requester_id_type": "cccd",
        "requester_id_number": people.personal_id(rng, female, born),
        "requester_phone": people.phone(rng),
        "document_name": rng.choice(
            ["Bằng tốt nghiệp trung học phổ thông", "Giấy khai sinh", "Sổ hộ khẩu"]
        ),
        "document_issuer": "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp",
        "page_count": rng.randint(1, 6),
        "copy_count": rng.randint(1, 5),
        "extension_days": 0,
        "original_presented": True,
    }
