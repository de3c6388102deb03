"""Bundle of 1.000894 Đăng ký kết hôn: the sample and the two-party check (the definition
and the layouts of the GIẤY CHỨNG NHẬN KẾT HÔN — signed by both spouses and the officer
— and of the tờ khai are the folder's JSON files)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from shared.procedures import people

__all__ = ["sample"]


def _issued(rng: random.Random, today: date, born: date) -> date:
    """A card issued after the holder's 14th birthday and at most ~8 years ago."""
    earliest = max(born + timedelta(days=14 * 366), today - timedelta(days=8 * 365))
    return earliest + timedelta(days=rng.randint(0, max((today - earliest).days - 1, 0)))


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
        f"{p}_id_issuer": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        f"{p}_id_issue_date": _issued(rng, today, born).isoformat(),
        f"{p}_marriage_count": 1,
    }


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    return {
        **_party(rng, today, "wife", True, (20, 32)),
        **_party(rng, today, "husband", False, (22, 35)),
        "contact_phone": people.phone(rng),
        "copies_requested": rng.randint(0, 2),
        "fee_exemption": "khong",
        "parties_pledge": True,
    }
