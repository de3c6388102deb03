"""Bundle of 1.000656 Đăng ký khai tử: the sample (the definition and the layouts of the
TRÍCH LỤC KHAI TỬ and the tờ khai are the folder's JSON files)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from shared.procedures import people

__all__ = ["sample"]


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
