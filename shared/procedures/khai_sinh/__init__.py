"""Bundle of 1.001193 Đăng ký khai sinh: the sample values and the procedure-specific
check (the definition and the layouts of the GIẤY KHAI SINH and the tờ khai are the
folder's JSON files)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from shared.procedures import people

__all__ = ["sample"]


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    family = rng.choice(people.FAMILY)
    girl = rng.random() < 0.5
    mother_born = people.birth_date(rng, today, 20, 38)
    father_born = people.birth_date(rng, today, 22, 42)
    mother = people.full_name(rng, True)
    father = people.full_name(rng, False, family)
    home = rng.choice(people.PLACES)
    born = today - timedelta(days=rng.randint(3, 55))
    mother_id = people.personal_id(rng, True, mother_born)
    return {
        "requester_full_name": mother,
        "requester_birth_date": mother_born.isoformat(),
        "requester_id_type": "cccd",
        "requester_id_number": mother_id,
        "requester_relationship": "me",
        "requester_residence": home,
        "requester_phone": people.phone(rng),
        "child_full_name": people.full_name(rng, girl, family),
        "child_birth_date": born.isoformat(),
        "child_sex": "nu" if girl else "nam",
        "child_ethnicity": "Kinh",
        "child_nationality": "VN",
        "child_birth_place": "Trung tâm Y tế khu vực Lấp Vò, tỉnh Đồng Tháp",
        "child_hometown": "xã Lai Vung, tỉnh Đồng Tháp",
        "mother_full_name": mother,
        "mother_birth_date": mother_born.isoformat(),
        "mother_ethnicity": "Kinh",
        "mother_nationality": "VN",
        "mother_id_type": "cccd",
        "mother_id_number": mother_id,
        "mother_residence": home,
        "father_known": True,
        "father_full_name": father,
        "father_birth_date": father_born.isoformat(),
        "father_ethnicity": "Kinh",
        "father_nationality": "VN",
        "father_id_type": "cccd",
        "father_id_number": people.personal_id(rng, False, father_born),
        "father_residence": home,
        # Married: the officer looks the marriage up (Nghị định 07/2025/NĐ-CP), so the
        # certificate's number, date and place are not asked.
        "parents_married": True,
        "copies_requested": rng.randint(1, 3),
        "fee_exemption": "khong",
        "requester_pledge": True,
    }
