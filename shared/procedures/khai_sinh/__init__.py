"""Bundle of 1.001193 Đăng ký khai sinh: the sample values and the procedure-specific
check (the definition and the layouts of the GIẤY KHAI SINH and the tờ khai are the
folder's JSON files)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from shared.catalogue import Procedure
from shared.errors import TaiChoError, problem
from shared.procedures import people
from shared.validation import parse_date

__all__ = ["check", "sample"]

RECOGNITION_CODE = "1.000689"
RECOGNITION_NAME = "Đăng ký khai sinh kết hợp nhận cha, mẹ, con"
RECOGNITION_NAME_EN = "birth registration combined with recognition of parentage"


# Parents' ages at the birth that a form may carry: outside them a date was mistyped (a
# plausibility check of the house, not a rule of law: docs/legal.md).
PARENT_MIN_AGE = 13
MOTHER_MAX_AGE = 60
FATHER_MAX_AGE = 100


def check(procedure: Procedure, values: Mapping[str, Any], today: date) -> list[TaiChoError]:
    """A father named without a marriage record is not this procedure but 1.000689; a
    parent's age at the birth must be plausible (a mother aged 9 is a typing error)."""
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
    out: list[TaiChoError] = []
    born = parse_date(values.get("child_birth_date"))
    parents = [("mother", "mẹ", "mother", MOTHER_MAX_AGE)]
    if values.get("father_known") is True:
        parents.append(("father", "cha", "father", FATHER_MAX_AGE))
    for prefix, vi, en, oldest in parents:
        age = _age_at(values.get(f"{prefix}_birth_date"), born)
        if age is not None and not PARENT_MIN_AGE <= age <= oldest:
            f = procedure.field(f"{prefix}_birth_date")
            out.append(
                problem(
                    "PARENT_AGE_IMPLAUSIBLE",
                    f.id,
                    label=f.label.vi,
                    label_en=f.label.en,
                    parent=vi,
                    parent_en=en,
                    age=age,
                )
            )
    return out


def _age_at(birth: Any, day: date | None) -> int | None:
    """Whole years from ``birth`` (a full or partial date: "1996", "1996-03") to ``day``;
    with the year alone, the difference of the years."""
    if day is None or not birth:
        return None
    text = str(birth)
    full = parse_date(text)
    if full is not None:
        return day.year - full.year - ((day.month, day.day) < (full.month, full.day))
    return day.year - int(text[:4]) if text[:4].isdigit() else None


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
