"""Bundle of 1.004873 Cấp Giấy xác nhận tình trạng hôn nhân: the sample (the definition
and the layouts of the GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN and the tờ khai are the
folder's JSON files)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from shared.procedures import people

__all__ = ["sample"]


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
