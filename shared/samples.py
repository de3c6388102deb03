"""Complete, valid example dossiers: for `headless sample`, demos, tests and benchmarks.

Realistic Đồng Tháp families with full diacritics, so every path (storage, sync, PDF)
is exercised with real Vietnamese text rather than ASCII placeholders.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from shared.errors import problem

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_MIDDLE_F = ["Thị Ánh", "Thị Ngọc", "Thị Kim", "Thị Thu", "Ngọc"]
_MIDDLE_M = ["Văn", "Hoàng", "Minh", "Quốc", "Thành"]
_GIVEN_F = ["Tuyết", "Hằng", "Như", "Thảo", "Nhung", "Yến", "Trâm"]
_GIVEN_M = ["Phúc", "Khải", "Dũng", "Lộc", "Nghĩa", "Tường", "Đạt"]
_PLACES = [
    "Ấp An Hòa, xã Lai Vung, tỉnh Đồng Tháp",
    "Ấp An Lạc, xã Lai Vung, tỉnh Đồng Tháp",
    "Ấp Hưng Thạnh, xã Lai Vung, tỉnh Đồng Tháp",
]


def _cccd(rng: random.Random) -> str:
    # 087 = Đồng Tháp province code in the CCCD number.
    return "087" + "".join(str(rng.randint(0, 9)) for _ in range(9))


def khai_sinh(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    family = rng.choice(_FAMILY)
    girl = rng.random() < 0.5
    child = f"{family} {rng.choice(_MIDDLE_F if girl else _MIDDLE_M)} "
    child += rng.choice(_GIVEN_F if girl else _GIVEN_M)
    mother = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_F)} {rng.choice(_GIVEN_F)}"
    father = f"{family} {rng.choice(_MIDDLE_M)} {rng.choice(_GIVEN_M)}"
    home = rng.choice(_PLACES)
    born = today - timedelta(days=rng.randint(3, 55))
    return {
        "requester_full_name": mother,
        "requester_id_number": _cccd(rng),
        "requester_relationship": "me",
        "requester_residence": home,
        "requester_phone": "09" + "".join(str(rng.randint(0, 9)) for _ in range(8)),
        "child_full_name": child,
        "child_birth_date": born.isoformat(),
        "child_sex": "nu" if girl else "nam",
        "child_ethnicity": "Kinh",
        "child_nationality": "Việt Nam",
        "child_birth_place": "Trung tâm Y tế khu vực Lấp Vò, tỉnh Đồng Tháp",
        "child_hometown": "xã Lai Vung, tỉnh Đồng Tháp",
        "mother_full_name": mother,
        "mother_birth_year": today.year - rng.randint(20, 38),
        "mother_ethnicity": "Kinh",
        "mother_nationality": "Việt Nam",
        "mother_id_number": _cccd(rng),
        "mother_residence": home,
        "father_known": True,
        "father_full_name": father,
        "father_birth_year": today.year - rng.randint(22, 42),
        "father_ethnicity": "Kinh",
        "father_nationality": "Việt Nam",
        "father_id_number": _cccd(rng),
        "father_residence": home,
        "copies_requested": rng.randint(1, 3),
    }


SAMPLES = {"1.001193": khai_sinh}


def sample_values(procedure: str, today: date, seed: int = 0) -> dict[str, Any]:
    """A complete valid dossier for ``procedure``; ``seed`` varies the family."""
    try:
        make = SAMPLES[procedure]
    except KeyError:
        raise problem("PROCEDURE_UNKNOWN", "procedure", procedure=procedure) from None
    return make(today, seed)
