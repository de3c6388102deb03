"""The fees a province sets by resolution (a Nghị quyết of the HĐND tỉnh), kept as a
station setting: what ``shared.fees.fee_quote`` uses for a procedure whose file says
``"set_by_province": true`` (Giấy xác nhận tình trạng hôn nhân)."""

from __future__ import annotations

import json

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.errors import problem
from sync_server.store.db import get_meta, set_meta, transaction

META_KEY = "province_fees"
MAX_VND = 10_000_000


def province_fees(db: Database) -> dict[str, int]:
    """Procedure code → đồng, as set with ``admin fee-set``."""
    raw = get_meta(db, META_KEY)
    if not raw:
        return {}
    data = json.loads(raw)
    return {str(k): int(v) for k, v in data.items()}


def set_fee(db: Database, catalogue: Catalogue, code: str, vnd: int) -> dict[str, int]:
    """Record the province's amount for ``code``; only a procedure whose fee the province
    sets takes one."""
    proc = catalogue.get(code)
    if not proc.fee_set_by_province:
        raise problem(
            "REQUEST_INVALID",
            "procedure",
            detail=f"{code}'s fee is not set by the province",
            detail_vi=f"lệ phí của thủ tục {code} không do tỉnh quy định",
        )
    if isinstance(vnd, bool) or not isinstance(vnd, int) or not 0 <= vnd <= MAX_VND:
        raise problem(
            "REQUEST_INVALID",
            "vnd",
            detail=f"vnd: 0–{MAX_VND}",
            detail_vi=f"mức thu phải từ 0 đến {MAX_VND} đồng",
        )
    with transaction(db):
        fees = province_fees(db)
        fees[code] = vnd
        set_meta(db, META_KEY, json.dumps(fees, sort_keys=True))
    return fees
