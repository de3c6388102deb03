"""A citizen known to this office, reused across dossiers ("Ngày không viết").

Filled once — from the CCCD QR code or by hand — and then offered in one tap for any
party of a later form. Stored encrypted; found through blind-index tokens
(``shared.blind_index``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from shared.cccd import CccdCard
from shared.errors import problem

_FIELDS = {
    "id": 64,
    "number": 12,
    "old_id": 9,
    "name": 120,
    "dob": 10,
    "sex": 6,
    "address_printed": 300,
    "address_commune": 120,
    "address_province": 120,
    "phone": 20,
}


@dataclass(frozen=True)
class Citizen:
    id: str
    number: str
    name: str
    old_id: str = ""
    dob: str = ""  # ISO date
    sex: str = ""  # "male" | "female"
    address_printed: str = ""
    address_commune: str = ""
    address_province: str = ""
    phone: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Citizen:
        if not isinstance(data, dict) or set(data) - set(_FIELDS):
            raise problem(
                "REQUEST_INVALID",
                "citizen",
                detail="citizen",
                detail_vi="thông tin người dân sai cấu trúc",
            )
        clean: dict[str, str] = {}
        for key, limit in _FIELDS.items():
            value = data.get(key, "")
            if not isinstance(value, str) or len(value) > limit:
                raise problem(
                    "REQUEST_INVALID",
                    key,
                    detail=f"'{key}'",
                    detail_vi=f"mục '{key}' sai kiểu hoặc quá dài",
                )
            clean[key] = unicodedata.normalize("NFC", value.strip())
        if not clean["id"] or not clean["name"]:
            raise problem(
                "REQUEST_INVALID",
                "name",
                detail="'name'",
                detail_vi="thiếu mã hoặc họ tên người dân",
            )
        return cls(**clean)

    @classmethod
    def from_card(
        cls, citizen_id: str, card: CccdCard, commune: str = "", province: str = ""
    ) -> Citizen:
        return cls(
            id=citizen_id,
            number=card.number,
            name=card.name,
            old_id=card.old_id,
            dob=card.dob.isoformat(),
            sex=card.sex,
            address_printed=card.address_printed,
            address_commune=commune,
            address_province=province,
        )
