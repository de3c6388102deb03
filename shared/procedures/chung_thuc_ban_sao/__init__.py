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
            (("Số trang mỗi bản", t("page_count"), ""), ("Số bản sao", t("copy_count"), "")),
            (("Người yêu cầu chứng thực", t("requester_full_name"), ""),),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "requester"), ""),),
            (("Phí chứng thực", f"{fee:,} đồng".replace(",", "."), ""),),
            (("Ngày, tháng, năm chứng thực", meta.registered_on.strftime("%d/%m/%Y"), ""),),
        ),
        heading="NGƯỜI THỰC HIỆN CHỨNG THỰC",
        hint="(Ký, ghi rõ họ tên và đóng dấu)",
        doc_title="Chứng thực bản sao từ bản chính",
    )
    return render_form(spec, meta, demo=demo)


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
        "original_presented": True,
    }
