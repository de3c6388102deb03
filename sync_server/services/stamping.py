"""Issuing the result document when the clerk stamps: render, number, store encrypted.

The register number runs per calendar year (book ``01/<year>``); the signer is the leader
who approved the dossier, named as the staff table knows them at stamping time.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from shared import crypto
from shared.documents.result import ResultMeta
from shared.errors import problem
from shared.model import Dossier
from shared.procedures import renderer
from shared.workdays import vn_now
from shared.workflow import transition_not_allowed
from sync_server.services.clock import iso, utc_now
from sync_server.services.keys import StationKeys
from sync_server.services.staff import get_staff
from sync_server.services.station import get_unit
from sync_server.store import results as q

TABLE = "results"
DEFAULT_SIGNER_TITLE = "CHỦ TỊCH"


def _approver(d: Dossier) -> str:
    for h in reversed(d.history):
        if h.action == "approve":
            return h.actor
    raise transition_not_allowed("stamp", d.status)


def issue_result(
    db: Database, keys: StationKeys, d: Dossier, template: str, name: str
) -> dict[str, Any]:
    """Render and store the result of ``d`` (inside the caller's transaction).

    Returns the feed's ``result`` object: ``{"sha256", "pdf_b64", "name"}``.
    """
    render = renderer(template)
    if render is None:
        raise problem("INTERNAL", detail=f"no renderer for template {template}")
    unit = get_unit(db) or {}
    leader = get_staff(db, _approver(d))
    today = vn_now().date()
    number = q.next_register_number(db, today.year)
    values_hash = crypto.sha256_hex(
        json.dumps(d.values, sort_keys=True, ensure_ascii=False).encode("utf-8")
    )
    meta = ResultMeta(
        agency_lines=tuple(unit.get("agency_lines") or ("UỶ BAN NHÂN DÂN",)),
        province=unit.get("province") or "",
        place_name=unit.get("place_name") or "",
        register_number=str(number),
        register_book=f"01/{today.year}",
        registered_on=today,
        registration_office=unit.get("registration_office") or unit.get("name") or "",
        signer_title=(leader.title if leader and leader.title else DEFAULT_SIGNER_TITLE),
        signer_name=leader.full_name if leader else "",
        dossier_code=d.code,
        verify_text=f"Mã hồ sơ {d.code} · SHA-256 dữ liệu {values_hash[:16]}",
    )
    pdf = render(d.values, meta).pdf
    sha = crypto.sha256_hex(pdf)
    q.insert(
        db,
        {
            "dossier_id": d.id,
            "version": 1,
            "pdf_enc": keys.encrypt(TABLE, d.id, 1, pdf),
            "sha256": sha,
            "register_year": today.year,
            "register_number": number,
            "created_at": iso(utc_now()),
        },
    )
    d.result_sha256 = sha
    return {"sha256": sha, "pdf_b64": crypto.b64e(pdf), "name": name}


def result_pdf(db: Database, keys: StationKeys, dossier_id: str) -> bytes:
    row = q.get(db, dossier_id)
    if row is None:
        raise problem("RESULT_NOT_READY")
    return keys.decrypt(TABLE, dossier_id, row["version"], row["pdf_enc"])


def result_for_feed(
    db: Database, keys: StationKeys, d: Dossier, name: str
) -> dict[str, Any] | None:
    if d.result_sha256 is None:
        return None
    pdf = result_pdf(db, keys, d.id)
    return {"sha256": d.result_sha256, "pdf_b64": crypto.b64e(pdf), "name": name}
