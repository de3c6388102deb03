"""Bundle of 1.000894 Đăng ký kết hôn: the sample and the two-party check (the definition
and the layouts of the GIẤY CHỨNG NHẬN KẾT HÔN — signed by both spouses and the officer
— and of the tờ khai are the folder's JSON files)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from shared.catalogue import Procedure
from shared.errors import TaiChoError, problem
from shared.procedures import people

__all__ = ["check", "sample"]


def check(procedure: Procedure, values: Mapping[str, Any], today: date) -> list[TaiChoError]:
    """The two parties cannot carry the same identity number, nor be of the same sex:
    "Nhà nước không thừa nhận hôn nhân giữa những người cùng giới tính" (Luật Hôn nhân và
    gia đình 2014, Điều 8 khoản 2). The sex is read from each personal identification
    number (its fourth digit); a passport says nothing, and the form's columns (bên nữ,
    bên nam) are then what was declared."""
    a, b = values.get("wife_id_number"), values.get("husband_id_number")
    if a and a == b:
        f = procedure.field("husband_id_number")
        return [
            problem(
                "FIELD_DOCUMENT_NUMBER",
                f.id,
                label=f.label.vi,
                label_en=f.label.en,
            )
        ]
    wife, husband = _female(values, "wife"), _female(values, "husband")
    if wife is not None and wife == husband:
        return [problem("MARRIAGE_SAME_SEX", "husband_id_number" if wife else "wife_id_number")]
    out = []
    for side, female, should in (("wife", wife, True), ("husband", husband, False)):
        if female is not None and female != should:
            f = procedure.field(f"{side}_id_number")
            out.append(problem("FIELD_ID_MISMATCH", f.id, label=f.label.vi, label_en=f.label.en))
    return out


def _female(values: Mapping[str, Any], side: str) -> bool | None:
    """The sex a party's personal identification number encodes (None: no such number)."""
    if values.get(f"{side}_id_type") in ("ho_chieu", "khac"):
        return None
    number = str(values.get(f"{side}_id_number") or "")
    if len(number) != 12 or not number.isdigit():
        return None
    return int(number[3]) % 2 == 1


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
