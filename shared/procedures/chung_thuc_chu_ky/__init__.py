"""Bundle of 2.000884 Chứng thực chữ ký: definition, result (the certification statement,
lời chứng, after Thông tư 01/2020/TT-BTP), sample."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from shared.catalogue import Procedure
from shared.documents.official import date_line
from shared.documents.result import (
    FormSpec,
    RenderedResult,
    ResultMeta,
    ValueReader,
    identity_text,
    render_form,
)
from shared.numwords import date_to_words
from shared.procedures import people

__all__ = ["render", "sample"]

TITLE = "CHỨNG THỰC CHỮ KÝ"


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    t = ValueReader(procedure, values).text
    day = meta.registered_on
    # the position is the title's last line ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" → "Phó chủ tịch")
    officer = meta.signer_title.strip().splitlines()[-1].strip().capitalize()
    spec = FormSpec(
        title=TITLE,
        number_line=f"Số chứng thực: {meta.register_number}",
        extra_left=(f"Quyển số: {meta.register_book} - SCT/CK",),
        lines=(
            f"{date_line(day).capitalize()} (Bằng chữ: {date_to_words(day)}).",
            f"Tại {meta.registration_office}, tôi {meta.signer_name}, {officer}.",
            "Chứng thực:",
            (("Ông/bà", t("signer_full_name").upper(), "B"),),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "signer"), ""),),
            f"đã ký vào giấy tờ, văn bản \u201c{t('document_name')}\u201d ({t('document_pages')} "
            "trang) này trước mặt tôi.",
            (("Phí chứng thực", f"{procedure.fee_vnd:,} đồng".replace(",", "."), ""),),
        ),
        heading="NGƯỜI THỰC HIỆN CHỨNG THỰC",
        hint="(Ký, ghi rõ họ tên và đóng dấu)",
        doc_title="Chứng thực chữ ký",
    )
    return render_form(spec, meta, demo=demo)


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    female = rng.random() < 0.5
    born = people.birth_date(rng, today, 18, 80)
    return {
        "signer_full_name": people.full_name(rng, female),
        "signer_birth_date": born.isoformat(),
        "signer_id_type": "cccd",
        "signer_id_number": people.personal_id(rng, female, born),
        "signer_phone": people.phone(rng),
        "document_name": rng.choice(["Giấy ủy quyền", "Đơn xin việc", "Bản cam kết"]),
        "document_pages": rng.randint(1, 3),
        "signed_in_presence": True,
        "signer_pledge": True,
    }
