"""Bundle of 1.004873 Cấp Giấy xác nhận tình trạng hôn nhân: definition, result (GIẤY XÁC
NHẬN TÌNH TRẠNG HÔN NHÂN, valid six months from issue), sample."""

from __future__ import annotations

import calendar
import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from shared.catalogue import Procedure
from shared.documents.result import (
    FormSpec,
    RenderedResult,
    ResultMeta,
    ValueReader,
    identity_text,
    render_form,
    vn_date,
)
from shared.legal_text import TINH_TRANG_VALIDITY
from shared.procedures import people

__all__ = ["VALID_MONTHS", "render", "sample", "valid_until"]

TITLE = "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"
VALID_MONTHS = 6


def valid_until(issued: date, months: int = VALID_MONTHS) -> date:
    """The last day the certificate may be used: ``months`` after issue, the day before
    the same day of the month (clamped to the month's end)."""
    m = issued.month - 1 + months
    year, month = issued.year + m // 12, m % 12 + 1
    day = min(issued.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    reader = ValueReader(procedure, values)
    t, c = reader.text, reader.choice
    status = c("marital_status")
    if t("spouse_full_name"):
        status += f" (vợ/chồng: {t('spouse_full_name')})"
    if t("status_details"):
        status += f" — {t('status_details')}"
    if values.get("purpose") == "ket_hon":
        # For a marriage the partner is named with nationality and identity document
        # (Thông tư 04/2020/TT-BTP, mẫu Giấy xác nhận tình trạng hôn nhân).
        purpose = (
            f"Để đăng ký kết hôn với ông/bà {t('partner_full_name')}, sinh ngày "
            f"{vn_date(values.get('partner_birth_date'))}, quốc tịch "
            f"{c('partner_nationality')}, "
            f"{_lower_first(identity_text(procedure, values, 'partner'))}, "
            f"tại {t('marriage_place')}"
        )
    else:
        purpose = t("purpose_other")
    relationship = c("requester_relationship") or "Bản thân"
    if values.get("requester_relationship") not in (None, "ban_than"):
        relationship = f"{t('filer_full_name')} ({relationship.lower()})"
    spec = FormSpec(
        title=TITLE,
        lines=(
            f"{meta.registration_office} xác nhận:",
            (("Họ, chữ đệm, tên", t("subject_full_name").upper(), "B"),),
            (
                ("Ngày, tháng, năm sinh", vn_date(values.get("subject_birth_date")), ""),
                ("Giới tính", c("subject_sex"), ""),
            ),
            (("Dân tộc", c("subject_ethnicity"), ""), ("Quốc tịch", c("subject_nationality"), "")),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "subject"), ""),),
            (("Nơi cư trú", t("subject_residence"), ""),),
            ((f"Thời gian cư trú tại {meta.place_name}", t("residence_period"), ""),),
            (("Tình trạng hôn nhân", status, "B"),),
            (("Giấy này được cấp để sử dụng vào mục đích", purpose, ""),),
            (("Người yêu cầu xác nhận", relationship, ""),),
            TINH_TRANG_VALIDITY.text,
        ),
        heading=None,
        hint=None,
        doc_title="Giấy xác nhận tình trạng hôn nhân",
    )
    return render_form(spec, meta, demo=demo)


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    female = rng.random() < 0.5
    born = people.birth_date(rng, today, 20, 40)
    partner_born = people.birth_date(rng, today, 21, 40)
    return {
        "subject_full_name": people.full_name(rng, female),
        "subject_birth_date": born.isoformat(),
        "subject_id_type": "cccd",
        "subject_id_number": people.personal_id(rng, female, born),
        "subject_residence": rng.choice(people.PLACES),
        "subject_sex": "nu" if female else "nam",
        "subject_ethnicity": "Kinh",
        "subject_nationality": "VN",
        "subject_phone": people.phone(rng),
        "marital_status": "chua_ket_hon",
        "residence_period": "từ khi sinh ra đến nay",
        "purpose": "ket_hon",
        "partner_full_name": people.full_name(rng, not female),
        "partner_birth_date": partner_born.isoformat(),
        "partner_nationality": "VN",
        "partner_id_type": "cccd",
        "partner_id_number": people.personal_id(rng, not female, partner_born),
        "marriage_place": "Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp",
        "requester_relationship": "ban_than",
        "fee_exemption": "khong",
        "requester_pledge": True,
    }
