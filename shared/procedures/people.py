"""Made-up people for the bundles' samples: realistic Đồng Tháp names with full
diacritics and structurally valid identity numbers, so every path (storage, sync, PDF)
runs on real Vietnamese text."""

from __future__ import annotations

import random
from datetime import date, timedelta

from shared.personal_id import make_personal_id

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE_F = ["Thị Ánh", "Thị Ngọc", "Thị Kim", "Thị Thu", "Ngọc"]
MIDDLE_M = ["Văn", "Hoàng", "Minh", "Quốc", "Thành"]
GIVEN_F = ["Tuyết", "Hằng", "Như", "Thảo", "Nhung", "Yến", "Trâm"]
GIVEN_M = ["Phúc", "Khải", "Dũng", "Lộc", "Nghĩa", "Tường", "Đạt"]
PLACES = [
    "Ấp An Hòa, xã Lai Vung, tỉnh Đồng Tháp",
    "Ấp Bình Thạnh, xã Lấp Vò, tỉnh Đồng Tháp",
    "Ấp Hưng Thạnh, xã Lai Vung, tỉnh Đồng Tháp",
]
PROVINCE = "087"  # Đồng Tháp in personal identification numbers


def full_name(rng: random.Random, female: bool, family: str | None = None) -> str:
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return f"{family or rng.choice(FAMILY)} {middle} {given}"


def personal_id(rng: random.Random, female: bool, born: date, province: str = PROVINCE) -> str:
    """A 12-digit number whose province, century/sex digit and year agree with the person."""
    return make_personal_id(province, female, born.year, rng.randint(0, 999_999))


def birth_date(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    return today - timedelta(days=rng.randint(min_age * 366, max_age * 365))


def phone(rng: random.Random) -> str:
    return "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def card_issue_date(rng: random.Random, today: date, born: date) -> date:
    """A card issued after the holder's 14th birthday and at most ~8 years ago."""
    earliest = max(born + timedelta(days=14 * 366), today - timedelta(days=8 * 365))
    return earliest + timedelta(days=rng.randint(0, max((today - earliest).days - 1, 0)))
