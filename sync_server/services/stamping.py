"""Issuing the result document: rendered and signed by the leader at approval, sealed by
the commune at stamping, stored encrypted.

- **approve** (:func:`approve_result`): the station assigns Số / Quyển số from the
  register's counter (per register and year, in the approval transaction: no gaps, no
  reuse), renders the document and adds the approving leader's PAdES signature. The
  result is stored (version 1) but not yet issued.
- **stamp** (:func:`stamp_result`): the commune's organisation signature — the red seal —
  is added as an incremental update (version 2); the leader's signature stays valid. Only
  now does the dossier carry ``result_sha256`` and the tablet receive the PDF.

The QR code on the document links to ``/verify/{code}?sha256=<data hash>``: the hash of
the printed data (a PDF cannot contain its own hash); the verify page also accepts the
SHA-256 of the final signed file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlite_utils import Database

from shared import crypto
from shared.documents.result import RenderedResult, ResultMeta, SignatureBoxes
from shared.errors import problem
from shared.model import Dossier
from shared.procedures import renderer
from shared.workdays import vn_now
from sync_server.config import DEFAULT_HOST, DEFAULT_PORT
from sync_server.services import certs, signing
from sync_server.services.clock import iso, utc_now
from sync_server.services.keys import StationKeys
from sync_server.services.staff import Staff
from sync_server.services.station import get_unit
from sync_server.store import results as q
from sync_server.store.db import get_meta, set_meta, transaction

TABLE = "results"
DEFAULT_SIGNER_TITLE = "CHỦ TỊCH"
PUBLIC_URL_META_KEY = "public_url"
VERSION_LEADER_SIGNED = 1
VERSION_SEALED = 2


def public_url(db: Database) -> str:
    """The station's address as citizens' phones reach it (``admin public-url``)."""
    return (get_meta(db, PUBLIC_URL_META_KEY) or f"http://{DEFAULT_HOST}:{DEFAULT_PORT}").rstrip(
        "/"
    )


def set_public_url(db: Database, url: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise problem("REQUEST_INVALID", "url", detail="http(s)://…")
    with transaction(db):
        set_meta(db, PUBLIC_URL_META_KEY, url.rstrip("/"))


def verify_link(db: Database, code: str, data_sha256: str) -> str:
    return f"{public_url(db)}/verify/{quote(code, safe='')}?sha256={data_sha256}"


def render_result(
    template: str, values: Mapping[str, Any], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    """The one place a result is rendered: the procedure bundle's renderer (registry)."""
    render = renderer(template)
    if render is None:
        raise problem("INTERNAL", detail=f"no renderer for template {template}")
    return render(values, meta, demo=demo)


def layout_of(boxes: SignatureBoxes) -> signing.SignatureLayout:
    """The signature rooms the renderer left, as the signing layer places appearances."""
    return signing.SignatureLayout(
        leader=signing.Box(
            boxes.leader.x, boxes.leader.y, boxes.leader.w, boxes.leader.h, boxes.leader.page
        ),
        seal=signing.Box(boxes.seal.x, boxes.seal.y, boxes.seal.w, boxes.seal.h, boxes.seal.page),
    )


def _layout_key(layout: signing.SignatureLayout) -> str:
    return json.dumps(
        {
            k: [b.x, b.y, b.w, b.h, b.page]
            for k, b in (("leader", layout.leader), ("seal", layout.seal))
        }
    )


def _agency(unit: Mapping[str, Any]) -> str:
    return str(unit.get("name") or unit.get("registration_office") or "")


def approve_result(
    db: Database,
    keys: StationKeys,
    d: Dossier,
    template: str,
    leader: Staff,
    layout: signing.SignatureLayout | None = None,
) -> None:
    """Number, render and sign (the leader) the result of ``d``, inside the caller's
    transaction; stored as version 1, not yet issued."""
    unit = get_unit(db) or {}
    today = vn_now().date()
    register = template
    number = q.take_register_number(db, register, today.year)
    title = leader.title or DEFAULT_SIGNER_TITLE
    printed = {
        "values": d.values,
        "register": register,
        "number": number,
        "book": f"01/{today.year}",
        "registered_on": today.isoformat(),
        "signer": [title, leader.full_name],
    }
    data_sha = crypto.sha256_hex(
        json.dumps(printed, sort_keys=True, ensure_ascii=False).encode("utf-8")
    )
    meta = ResultMeta(
        agency_lines=tuple(unit.get("agency_lines") or ("UỶ BAN NHÂN DÂN",)),
        province=unit.get("province") or "",
        place_name=unit.get("place_name") or "",
        register_number=str(number),
        register_book=f"01/{today.year}",
        registered_on=today,
        registration_office=unit.get("registration_office") or unit.get("name") or "",
        signer_title=title,
        signer_name=leader.full_name,
        dossier_code=d.code,
        verify_text=verify_link(db, d.code, data_sha),
    )
    # Every result signed with a demo certificate says so on its face.
    rendered = render_result(template, d.values, meta, demo=certs.any_demo(db))
    pdf = rendered.pdf
    layout = layout or layout_of(rendered.boxes)
    at: datetime = vn_now()
    with certs.open_signer(db, keys, leader.username) as (signer, _holder):
        signed = signing.sign_leader(
            pdf,
            signer,
            full_name=leader.full_name,
            title=title,
            agency=_agency(unit),
            at=at,
            location=str(unit.get("place_name") or ""),
            code=d.code,
            box=layout.leader,
        )
    q.insert(
        db,
        {
            "dossier_id": d.id,
            "version": VERSION_LEADER_SIGNED,
            "pdf_enc": keys.encrypt(TABLE, d.id, VERSION_LEADER_SIGNED, signed),
            "sha256": crypto.sha256_hex(signed),
            "content_sha256": data_sha,
            "register": register,
            "register_year": today.year,
            "register_number": number,
            "created_at": iso(utc_now()),
            "issued_at": None,
            # The seal goes where this document's renderer left room for it.
            "layout": _layout_key(layout),
        },
    )


def stamp_result(
    db: Database,
    keys: StationKeys,
    d: Dossier,
    name: str,
    layout: signing.SignatureLayout | None = None,
) -> dict[str, Any]:
    """Add the commune's seal signature (inside the caller's transaction) and issue.

    Returns the feed's ``result`` object: ``{"sha256", "pdf_b64", "name"}``.
    """
    row = q.get(db, d.id)
    if row is None or int(row["version"]) != VERSION_LEADER_SIGNED:
        raise problem("RESULT_NOT_READY")
    pdf = keys.decrypt(TABLE, d.id, row["version"], row["pdf_enc"])
    layout = layout or _stored_layout(row.get("layout"))
    unit = get_unit(db) or {}
    agency_lines = [" ".join(unit.get("agency_lines") or [_agency(unit)])]
    if unit.get("province"):
        province = str(unit["province"])
        agency_lines.append(province if province.upper().startswith("TỈNH") else f"TỈNH {province}")
    with certs.open_signer(db, keys, certs.COMMUNE) as (signer, _holder):
        sealed = signing.sign_seal(
            pdf,
            signer,
            agency_lines=agency_lines,
            agency=_agency(unit),
            location=str(unit.get("place_name") or ""),
            code=d.code,
            box=layout.seal,
        )
    sha = crypto.sha256_hex(sealed)
    q.update_pdf(
        db,
        d.id,
        VERSION_SEALED,
        keys.encrypt(TABLE, d.id, VERSION_SEALED, sealed),
        sha,
        iso(vn_now()),
    )
    d.result_sha256 = sha
    return {"sha256": sha, "pdf_b64": crypto.b64e(sealed), "name": name}


def _stored_layout(raw: str | None) -> signing.SignatureLayout:
    """The layout kept with a leader-signed result (results approved before it: default)."""
    if raw is None:
        return signing.DEFAULT_LAYOUT
    data = json.loads(raw)

    def box(v: list[float]) -> signing.Box:
        return signing.Box(float(v[0]), float(v[1]), float(v[2]), float(v[3]), int(v[4]))

    return signing.SignatureLayout(leader=box(data["leader"]), seal=box(data["seal"]))


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
