"""The administrative unit a station serves (one commune, ward or special zone).

Declared once and used for the station's settings, the enrolment answer a tablet pins,
the dossier-code prefix and the agency lines printed on documents. Since 1 July 2025
Vietnam has two tiers (province + commune); ``former_name`` keeps the pre-merger name so
staff can match addresses printed on older ID cards.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from shared.errors import problem

_AGENCY_CODE_RE = re.compile(r"^[0-9A-Z.]{1,40}$")
# What every unit states; the three after them are optional (known from the official list).
REQUIRED_FIELDS = (
    "code",
    "name",
    "commune",
    "province",
    "place_name",
    "agency_lines",
    "registration_office",
)
FIELDS = (
    *REQUIRED_FIELDS,
    "former_name",
    "commune_code",
    "province_code",
)


def _text(data: dict[str, Any], key: str, *, required: bool = True, limit: int = 200) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise problem(
            "REQUEST_INVALID",
            key,
            detail=f"'{key}' missing or of the wrong type",
            detail_vi=f"mục '{key}' còn thiếu hoặc sai kiểu",
        )
    return unicodedata.normalize("NFC", value.strip())


SERVICE_CENTRE = "Trung tâm Phục vụ hành chính công"


def service_centre_name(commune: str) -> str:
    """ "Xã Lai Vung" → "Trung tâm Phục vụ hành chính công xã Lai Vung" (the unit type in
    lower case inside a name, as Nghị định 118/2025/NĐ-CP writes it)."""
    commune = unicodedata.normalize("NFC", commune.strip())
    if not commune:
        return SERVICE_CENTRE
    return f"{SERVICE_CENTRE} {commune[0].lower()}{commune[1:]}"


AGENCY_PREFIX = "Ủy ban nhân dân "


def commune_of_agency(agency: str) -> str:
    """ "Ủy ban nhân dân phường Sa Đéc" → "Phường Sa Đéc": the commune an agency name
    (``Unit.name``, what the hub's directory holds) stands for, as the tablet lists it;
    a name not of that form is returned as it is."""
    agency = unicodedata.normalize("NFC", " ".join(agency.split()))
    if not agency.startswith(AGENCY_PREFIX) or len(agency) == len(AGENCY_PREFIX):
        return agency
    rest = agency[len(AGENCY_PREFIX) :]
    return rest[0].upper() + rest[1:]


@dataclass(frozen=True)
class Unit:
    """One commune-level unit, e.g. Xã Lai Vung, Tỉnh Đồng Tháp."""

    code: str  # national agency code, the dossier-code prefix: "000.31.22.H20"
    name: str  # official agency name: "Ủy ban nhân dân xã Lai Vung"
    commune: str  # "Xã Lai Vung"
    province: str  # "Tỉnh Đồng Tháp"
    place_name: str  # in the date line of documents: "Lai Vung"
    agency_lines: tuple[str, ...]  # letterhead lines: ("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG")
    registration_office: str  # "Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp"
    former_name: str = ""  # "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp"
    commune_code: str = ""  # official code of the commune in the 2025 list of units
    province_code: str = ""  # official code of the province

    @property
    def service_centre(self) -> str:
        """ "Trung tâm Phục vụ hành chính công xã Lai Vung": the office that receives
        dossiers and returns results since 1 July 2025 (Nghị định 118/2025/NĐ-CP), in
        place of the former "Bộ phận Một cửa"."""
        return service_centre_name(self.commune)

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if k == "agency_lines" else v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: Any) -> Unit:
        """Strict decoding: unknown keys, wrong types or a bad agency code → a problem."""
        if not isinstance(data, dict):
            raise problem(
                "REQUEST_INVALID", "unit", detail="unit", detail_vi="thông tin đơn vị sai cấu trúc"
            )
        extra = sorted(set(data) - set(FIELDS))
        if extra:
            raise problem(
                "REQUEST_INVALID",
                extra[0],
                detail=f"unknown key '{extra[0]}'",
                detail_vi=f"mục '{extra[0]}' không có trong thông tin đơn vị",
            )
        code = _text(data, "code", limit=40)
        if not _AGENCY_CODE_RE.fullmatch(code):
            raise problem(
                "REQUEST_INVALID",
                "code",
                detail=f"agency code '{code}'",
                detail_vi=f"mã đơn vị '{code}' sai định dạng",
            )
        lines = data.get("agency_lines")
        if (
            not isinstance(lines, list | tuple)
            or not 1 <= len(lines) <= 4
            or not all(isinstance(x, str) and x.strip() for x in lines)
        ):
            raise problem(
                "REQUEST_INVALID",
                "agency_lines",
                detail="'agency_lines'",
                detail_vi="tên cơ quan sai",
            )
        return cls(
            code=code,
            name=_text(data, "name"),
            commune=_text(data, "commune"),
            province=_text(data, "province"),
            place_name=_text(data, "place_name"),
            agency_lines=tuple(unicodedata.normalize("NFC", x.strip()) for x in lines),
            registration_office=_text(data, "registration_office"),
            former_name=_text(data, "former_name", required=False),
            commune_code=_text(data, "commune_code", required=False, limit=10),
            province_code=_text(data, "province_code", required=False, limit=10),
        )
