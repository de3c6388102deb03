"""Bundle of 2.000884 Chứng thực chữ ký: definition, result (the certification statement,
lời chứng, of a signature received at the one-stop shop: Thông tư 01/2020/TT-BTP, see
docs/legal.md for Nghị định 280/2025/NĐ-CP), sample and the check that refuses a contract
(Nghị định 23/2015/NĐ-CP, Điều 25)."""

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
from shared.errors import TaiChoError, problem
from shared.legal_text import signature_statement
from shared.numwords import date_to_words
from shared.procedures import people
from shared.procedures.khai_tu import clock_words

__all__ = ["check", "render", "sample"]

TITLE = "CHỨNG THỰC CHỮ KÝ"


def check(procedure: Procedure, values: Mapping[str, Any], today: date) -> list[TaiChoError]:
    """A contract or transaction is not certified by certifying a signature (Nghị định
    23/2015/NĐ-CP, Điều 25): that is the procedure of chứng thực hợp đồng, giao dịch."""
    if values.get("document_is_contract") is True:
        return [problem("SIGNATURE_IS_CONTRACT", "document_is_contract")]
    return []


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    t = ValueReader(procedure, values).text
    day = meta.registered_on
    # the position is the title's last line ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" → "Phó Chủ tịch"),
    # of the commune's people's committee: "… là Chủ tịch Ủy ban nhân dân xã Lai Vung".
    position = meta.signer_title.strip().splitlines()[-1].strip().capitalize()
    position = position.replace("Phó chủ tịch", "Phó Chủ tịch")
    agency = meta.registration_office.split(",")[0].strip()
    where = meta.registration_office
    if values.get("signed_outside_office") is True:
        where = f"{t('signing_place')}, lúc {clock_words(t('signing_time'))}"
    spec = FormSpec(
        title=TITLE,
        number_line=f"Số chứng thực: {meta.register_number}",
        extra_left=(f"Quyển số: {meta.register_book} - SCT/CK",),
        lines=(
            f"{date_line(day).capitalize()} (Bằng chữ: {date_to_words(day)}).",
            f"Tại {where}.",
            f"Tôi {meta.signer_name}, là {position} {agency}.",
            "Chứng thực:",
            (("Ông/bà", t("signer_full_name").upper(), "B"),),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "signer"), ""),),
            signature_statement(meta.receiver_name),
            (("Giấy tờ, văn bản", f"{t('document_name')} ({t('document_pages')} trang)", ""),),
            (("Người tiếp nhận hồ sơ", meta.receiver_name or "…", ""),),
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
        "signer_id_type": "the_can_cuoc",
        "signer_id_number": people.personal_id(rng, female, born),
        "signer_phone": people.phone(rng),
        "document_name": rng.choice(["Giấy ủy quyền", "Đơn xin việc", "Bản cam kết"]),
        "document_pages": rng.randint(1, 3),
        "document_is_contract": False,
        "signed_outside_office": False,
        "signed_in_presence": True,
        "signer_pledge": True,
    }
