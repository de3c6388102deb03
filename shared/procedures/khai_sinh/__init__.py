"""Bundle of 1.001193 Đăng ký khai sinh: definition (procedure.json), result (GIẤY KHAI
SINH, :mod:`.result`), sample values and the procedure-specific check."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from shared.catalogue import Procedure
from shared.errors import TaiChoError, problem
from shared.procedures import people
from shared.procedures.khai_sinh.result import render

__all__ = ["check", "render", "sample"]

RECOGNITION_CODE = "1.000689"
RECOGNITION_NAME = "Đăng ký khai sinh kết hợp nhận cha, mẹ, con"
RECOGNITION_NAME_EN = "birth registration combined with recognition of parentage"


def check(procedure: Procedure, values: Mapping[str, Any], today: date) -> list[TaiChoError]:
    """A father named without a marriage record is not this procedure but 1.000689."""
    if values.get("father_known") is True and values.get("parents_married") is False:
        return [
            problem(
                "USE_OTHER_PROCEDURE",
                "parents_married",
                procedure=RECOGNITION_CODE,
                procedure_name=RECOGNITION_NAME,
                procedure_name_en=RECOGNITION_NAME_EN,
            )
        ]
    return []


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
    # Married at legal age (women 18, men 20: Luật Hôn nhân và gia đình 2014, art. 8)
    # and before the child was born; never a date in the future.
    of_age = max(
        mother_born + timedelta(days=365 * 18 + 5), father_born + timedelta(days=365 * 20 + 5)
    )
    married = min(of_age + timedelta(days=rng.randint(0, 300)), born - timedelta(days=1))
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
        "father_birth_date": str(father_born.year),
        "father_ethnicity": "Kinh",
        "father_nationality": "VN",
        "father_id_type": "cccd",
        "father_id_number": people.personal_id(rng, False, father_born),
        "father_residence": home,
        "parents_married": True,
        "marriage_cert_number": f"{rng.randint(1, 120)}",
        "marriage_cert_book": f"01/{married.year}",
        "marriage_cert_date": married.isoformat(),
        "marriage_cert_place": "UBND xã Lai Vung, tỉnh Đồng Tháp",
        "copies_requested": rng.randint(1, 3),
        "requester_pledge": True,
    }
