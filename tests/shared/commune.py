"""The demo commune as the document tests print it: xã Lai Vung, tỉnh Đồng Tháp.

One declaration of the unit and of a result's metadata, so a test of a declaration, a
result or a legal rule names only what it changes (its day, its dossier code).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.documents.result import ResultMeta
from shared.unit import Unit

UNIT = Unit(
    code="000.31.22.H20",
    name="Ủy ban nhân dân xã Lai Vung",
    commune="Xã Lai Vung",
    province="Tỉnh Đồng Tháp",
    place_name="Lai Vung",
    agency_lines=("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG"),
    registration_office="Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp",
)


def result_meta(on: date, **over: Any) -> ResultMeta:
    """A result registered in Lai Vung on ``on`` (Số 7, Quyển 01/yyyy, signed by the
    chairman), with ``over`` replacing any field."""
    meta = ResultMeta(
        agency_lines=UNIT.agency_lines,
        province="Đồng Tháp",
        place_name="Lai Vung",
        register_number="7",
        register_book=f"01/{on.year}",
        registered_on=on,
        registration_office=UNIT.registration_office,
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn Thành",
        dossier_code=f"{UNIT.code}-{on:%y%m%d}-0101",
    )
    return replace(meta, **over)
