"""Bundle of 1.000656 Đăng ký khai tử: definition, result (TRÍCH LỤC KHAI TỬ), sample."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from shared.catalogue import Procedure
from shared.documents.result import (
    FormSpec,
    RenderedResult,
    ResultMeta,
    ValueReader,
    choice_text,
    identity_text,
    render_form,
    text_of,
    vn_date,
)
from shared.procedures import people

__all__ = ["clock_words", "render", "sample"]


def clock_words(hhmm: str) -> str:
    """ "14:05" → "14 giờ 05 phút", as the tờ khai and the Trích lục khai tử of Thông tư
    04/2020/TT-BTP write the time of death ("… giờ … phút"); "" when none was given."""
    m = re.fullmatch(r"\s*([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)\s*", hhmm or "")
    return f"{int(m[1]):02d} giờ {m[2]} phút" if m else ""


TITLE = "TRÍCH LỤC KHAI TỬ"


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    """The TRÍCH LỤC KHAI TỬ (bản chính), after the form of Thông tư 04/2020/TT-BTP."""
    reader = ValueReader(procedure, values)
    t, c = reader.text, reader.choice
    death = vn_date(values.get("death_date"))
    if clock := clock_words(t("death_time")):
        death = f"{clock}, ngày {death}"
    spec = FormSpec(
        title=TITLE,
        extra_left=(f"Quyển số: {meta.register_book}",),
        lines=(
            (("Họ, chữ đệm, tên", t("deceased_full_name").upper(), "B"),),
            (("Ngày, tháng, năm sinh", vn_date(values.get("deceased_birth_date")), ""),),
            (
                ("Giới tính", c("deceased_sex"), ""),
                ("Dân tộc", c("deceased_ethnicity"), ""),
                ("Quốc tịch", c("deceased_nationality"), ""),
            ),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "deceased"), ""),),
            (("Nơi cư trú cuối cùng", t("deceased_residence"), ""),),
            (("Đã chết vào lúc", death, "B"),),
            (("Bằng chữ", t("death_date_words"), ""),),
            (("Nơi chết", t("death_place"), ""),),
            (("Nguyên nhân chết", t("death_cause"), ""),),
            (("Giấy báo tử/giấy tờ thay thế", _notice(procedure, values), ""),),
            None,
            (("Họ, chữ đệm, tên người đi khai tử", t("requester_full_name"), ""),),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "requester"), ""),),
            (("Nơi đăng ký khai tử", meta.registration_office, ""),),
            (("Ngày, tháng, năm đăng ký", meta.registered_on.strftime("%d/%m/%Y"), ""),),
        ),
        heading="NGƯỜI KÝ TRÍCH LỤC",
        hint="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
        doc_title="Trích lục khai tử",
        subject=f"{t('deceased_full_name')} — mã hồ sơ {meta.dossier_code}",
    )
    return render_form(spec, meta, demo=demo)


def _notice(procedure: Procedure, values: Mapping[str, object]) -> str:
    out = choice_text(procedure, values, "death_notice_kind")
    if number := text_of(values, "death_notice_number"):
        out += f" số {number}"
    out += f", do {text_of(values, 'death_notice_issuer')} cấp"
    return out + f" ngày {vn_date(values.get('death_notice_date'))}"


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    female = rng.random() < 0.5
    born = people.birth_date(rng, today, 60, 95)
    died = today - timedelta(days=rng.randint(1, 12))
    req_born = people.birth_date(rng, today, 30, 55)
    home = rng.choice(people.PLACES)
    return {
        "requester_full_name": people.full_name(rng, False),
        "requester_birth_date": req_born.isoformat(),
        "requester_id_type": "cccd",
        "requester_id_number": people.personal_id(rng, False, req_born),
        "requester_residence": home,
        "requester_relationship": "Con",
        "requester_phone": people.phone(rng),
        "deceased_full_name": people.full_name(rng, female),
        "deceased_birth_date": born.isoformat(),
        "deceased_sex": "nu" if female else "nam",
        "deceased_ethnicity": "Kinh",
        "deceased_nationality": "VN",
        "deceased_id_type": "cccd",
        "deceased_id_number": people.personal_id(rng, female, born),
        "deceased_residence": home,
        "death_date": died.isoformat(),
        "death_time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        "death_place": home,
        "death_cause": "Bệnh già",
        "death_notice_kind": "giay_bao_tu",
        "death_notice_number": f"{rng.randint(1, 300)}/GBT",
        "death_notice_issuer": "Trung tâm Y tế khu vực Lấp Vò",
        "death_notice_date": died.isoformat(),
        "copies_requested": rng.randint(0, 3),
        "fee_exemption": "khong",
        "requester_pledge": True,
    }
