"""Bundle of 2.000884 Chứng thực chữ ký: the sample and the check that refuses a contract
(Nghị định 23/2015/NĐ-CP, Điều 25). The layouts of the result — the certification
statement, lời chứng, of a signature received at the one-stop shop (Thông tư
01/2020/TT-BTP; docs/legal.md for Nghị định 280/2025/NĐ-CP) — and of the request are the
folder's JSON files."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from shared.procedures import people

__all__ = ["sample"]


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    female = rng.random() < 0.5
    born = people.birth_date(rng, today, 18, 80)
    return {
        "signer_full_name": people.full_name(rng, female),
        "signer_birth_date": born.isoformat(),
        "signer_id_type": "the_can_cuoc",
        "signer_id_number": people.personal_id(rng, female, born),
        "signer_phone": people.phone(rng),
        "document_name": rng.choice(["Giấy ủy quyền", "Đơn xin việc", "Bản cam kết"]),
        "document_pages": rng.randint(1, 3),
        "document_is_contract": False,
        "signed_outside_office": False,
        "signed_in_presence": True,
        "signer_pledge": True,
    }
