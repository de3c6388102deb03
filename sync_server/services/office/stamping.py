"""Issuing the result document: rendered and signed by the leader at approval, sealed by
the commune at stamping, stored encrypted.

- **approve**: :func:`sign_approval` renders the document with the register's next
  number (Số / Quyển số, per register and year) and adds the approving leader's PAdES
  signature; :func:`record_approval` then, in the approval transaction, takes that number
  from the register's counter (no gaps, no reuse: if another approval took it meanwhile,
  :class:`RegisterMoved` and the caller renders again) and stores the result (version 1,
  not yet issued).
- **stamp**: :func:`sign_seal` adds the commune's organisation signature — the red seal —
  as an incremental update (the leader's signature stays valid); :func:`record_seal`
  stores it (version 2) in the stamp transaction. Only now does the dossier carry
  ``result_sha256`` and the tablet receive the PDF.

Rendering and signing take tens of milliseconds, so they run *before* the write
transaction (SQLite has one writer at a time); the transaction only re-checks and
records (see ``actions.apply_action``).

The QR code on the document links to ``/verify/{code}?sha256=<data hash>``: the hash of
the printed data (a PDF cannot contain its own hash); the verify page also accepts the
SHA-256 of the final signed file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from pyhanko.sign.signers import Signer
from sqlite_utils import Database

from shared import crypto, verify_address
from shared.documents.result import RenderedResult, ResultMeta, SignatureBoxes
from shared.errors import problem
from shared.issuing import scanned_copy
from shared.model import Dossier
from shared.procedures import renderer
from shared.workdays import vn_now
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit
from sync_server.services.office import attachments, relay_links
from sync_server.services.office.result_pages import render_pages
from sync_server.services.pki import certs, signing
from sync_server.services.setup import public_address
from sync_server.services.setup.staff import Staff, get_staff
from sync_server.store import results as q

TABLE = "results"
DEFAULT_SIGNER_TITLE = "CHỦ TỊCH"
VERSION_LEADER_SIGNED = 1
VERSION_SEALED = 2


def set_public_url(db: Database, url: str) -> None:
    """The station's address as citizens' phones reach it (``admin public-url``)."""
    public_address.set_public_url(db, url)


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
        parties=tuple(signing.Box(b.x, b.y, b.w, b.h, b.page) for b in boxes.parties),
    )


def _layout_key(layout: signing.SignatureLayout) -> str:
    def box(b: signing.Box) -> list[float]:
        return [b.x, b.y, b.w, b.h, b.page]

    return json.dumps(
        {
            "leader": box(layout.leader),
            "seal": box(layout.seal),
            "parties": [box(b) for b in layout.parties],
        }
    )


def _agency(unit: Mapping[str, Any]) -> str:
    return str(unit.get("name") or unit.get("registration_office") or "")


@dataclass(frozen=True)
class SignedApproval:
    """A result rendered and signed by the leader, not yet recorded (see module doc)."""

    register: str
    year: int
    number: int
    pdf: bytes
    data_sha256: str
    layout: signing.SignatureLayout


@dataclass(frozen=True)
class SignedSeal:
    """A result sealed by the commune, not yet recorded (with its pages as pictures)."""

    pdf: bytes
    sha256: str
    name: str
    pages: tuple[bytes, ...] = ()


class RegisterMoved(Exception):
    """Another approval took the register number this result was rendered with."""

    def __init__(self, number: int) -> None:
        super().__init__(f"register number {number} was taken meanwhile")
        self.number = number


def _open_signer(
    db: Database, keys: StationKeys, holder: str
) -> AbstractContextManager[tuple[Signer, certs.Holder]]:
    """``certs.open_signer`` outside the write transaction (a missing demo certificate is
    created first, in a short transaction of its own)."""
    certs.ensure_certificate(db, keys, holder)
    return certs.open_signer(db, keys, holder)


def sign_approval(
    db: Database,
    keys: StationKeys,
    d: Dossier,
    template: str,
    leader: Staff,
    *,
    number: int | None = None,
    layout: signing.SignatureLayout | None = None,
) -> SignedApproval:
    """Render ``d``'s result with register number ``number`` (default: the next one) and
    sign it as ``leader``. Reads only: run it outside the write transaction, then
    :func:`record_approval` inside it."""
    unit = get_unit(db) or {}
    base = public_address.issuing_base(db)
    today = vn_now().date()
    register = template
    if number is None:
        number = q.next_register_number(db, register, today.year)
    title = leader.title or DEFAULT_SIGNER_TITLE
    receiver = get_staff(db, d.received_by) if d.received_by else None
    receiver_name = receiver.full_name if receiver is not None else ""
    # A copy made by scanning is its pages (a photo not yet received holds the approval).
    scans = scanned_copy(d.procedure, d.attachments)
    scan_pages = tuple(attachments.photo_bytes(db, keys, a.sha256)[1] for a in scans)
    printed = {
        "values": d.values,
        "register": register,
        "number": number,
        "book": f"01/{today.year}",
        "registered_on": today.isoformat(),
        "signer": [title, leader.full_name],
        "receiver": receiver_name,
        "scan_pages": [a.sha256 for a in scans],
    }
    data_sha = crypto.sha256_hex(
        json.dumps(printed, sort_keys=True, ensure_ascii=False).encode("utf-8")
    )
    meta = ResultMeta(
        agency_lines=tuple(unit.get("agency_lines") or ("ỦY BAN NHÂN DÂN",)),
        province=unit.get("province") or "",
        place_name=unit.get("place_name") or "",
        register_number=str(number),
        register_book=f"01/{today.year}",
        registered_on=today,
        registration_office=unit.get("registration_office") or unit.get("name") or "",
        signer_title=title,
        signer_name=leader.full_name,
        dossier_code=d.code,
        # The public address (a real station refuses a loopback or unset one, see
        # services/setup/public_address.py): the QR code and the link printed beside it.
        verify_text=verify_address.verify_link(base, d.code, data_sha),
        verify_printed=verify_address.printed_link(base, d.code),
        receiver_name=receiver_name,
        scan_pages=scan_pages,
    )
    # Every result signed with a demo certificate says so on its face.
    rendered = render_result(template, d.values, meta, demo=certs.any_demo(db))
    layout = layout or layout_of(rendered.boxes)
    with _open_signer(db, keys, leader.username) as (signer, _holder):
        signed = signing.sign_leader(
            rendered.pdf,
            signer,
            full_name=leader.full_name,
            title=title,
            agency=_agency(unit),
            at=vn_now(),
            location=str(unit.get("place_name") or ""),
            code=d.code,
            box=layout.leader,
        )
    return SignedApproval(register, today.year, number, signed, data_sha, layout)


def record_approval(db: Database, keys: StationKeys, d: Dossier, a: SignedApproval) -> None:
    """Inside the approval transaction: take the register number (it must be the one
    printed, else :class:`RegisterMoved`) and store the leader-signed result (version 1,
    not yet issued)."""
    taken = q.take_register_number(db, a.register, a.year)
    if taken != a.number:
        raise RegisterMoved(taken)
    q.insert(
        db,
        {
            "dossier_id": d.id,
            "version": VERSION_LEADER_SIGNED,
            "pdf_enc": keys.encrypt(TABLE, d.id, VERSION_LEADER_SIGNED, a.pdf),
            "sha256": crypto.sha256_hex(a.pdf),
            "content_sha256": a.data_sha256,
            "register": a.register,
            "register_year": a.year,
            "register_number": a.number,
            "created_at": iso(utc_now()),
            "issued_at": None,
            # The seal goes where this document's renderer left room for it.
            "layout": _layout_key(a.layout),
        },
    )


def sign_seal(
    db: Database,
    keys: StationKeys,
    d: Dossier,
    name: str,
    layout: signing.SignatureLayout | None = None,
) -> SignedSeal:
    """Add the commune's seal signature to the leader-signed result. Reads only: run it
    outside the write transaction, then :func:`record_seal` inside it."""
    row = q.get(db, d.id)
    if row is None or int(row["version"]) != VERSION_LEADER_SIGNED:
        raise problem("RESULT_NOT_READY")
    public_address.issuing_base(db)  # a real station seals only with a reachable address
    pdf = keys.decrypt(TABLE, d.id, row["version"], row["pdf_enc"])
    layout = layout or _stored_layout(row.get("layout"))
    unit = get_unit(db) or {}
    agency_lines = [" ".join(unit.get("agency_lines") or [_agency(unit)])]
    if unit.get("province"):
        province = str(unit["province"])
        agency_lines.append(province if province.upper().startswith("TỈNH") else f"TỈNH {province}")
    with _open_signer(db, keys, certs.COMMUNE) as (signer, _holder):
        sealed = signing.sign_seal(
            pdf,
            signer,
            agency_lines=agency_lines,
            agency=_agency(unit),
            location=str(unit.get("place_name") or ""),
            code=d.code,
            box=layout.seal,
        )
    return SignedSeal(sealed, crypto.sha256_hex(sealed), name, tuple(render_pages(sealed)))


def record_seal(db: Database, keys: StationKeys, d: Dossier, s: SignedSeal) -> dict[str, Any]:
    """Inside the stamp transaction: store the sealed result (version 2) and issue it.

    Returns the feed's ``result`` object: ``{"sha256", "pdf_b64", "name"}``.
    """
    row = q.get(db, d.id)
    if row is None or int(row["version"]) != VERSION_LEADER_SIGNED:
        raise problem("RESULT_NOT_READY")
    q.update_pdf(
        db,
        d.id,
        VERSION_SEALED,
        keys.encrypt(TABLE, d.id, VERSION_SEALED, s.pdf),
        s.sha256,
        iso(vn_now()),
    )
    d.result_sha256 = s.sha256
    return {
        "sha256": s.sha256,
        "pdf_b64": crypto.b64e(s.pdf),
        "name": s.name,
        "pages_png_b64": [crypto.b64e(p) for p in s.pages],
    }


def _stored_layout(raw: str | None) -> signing.SignatureLayout:
    """The layout kept with a leader-signed result (results approved before it: default)."""
    if raw is None:
        return signing.DEFAULT_LAYOUT
    data = json.loads(raw)

    def box(v: list[float]) -> signing.Box:
        return signing.Box(float(v[0]), float(v[1]), float(v[2]), float(v[3]), int(v[4]))

    return signing.SignatureLayout(
        leader=box(data["leader"]),
        seal=box(data["seal"]),
        parties=tuple(box(b) for b in data.get("parties") or ()),
    )


def stored_layout(db: Database, dossier_id: str) -> signing.SignatureLayout:
    """Where the renderer of ``dossier_id``'s result left room for each signature."""
    row = q.get(db, dossier_id)
    return _stored_layout(None if row is None else row.get("layout"))


def signed_fields_of(db: Database, keys: StationKeys, dossier_id: str) -> list[str]:
    """The signature fields already on the stored result, in signing order."""
    row = q.get(db, dossier_id)
    if row is None:
        return []
    pdf = keys.decrypt(TABLE, dossier_id, row["version"], row["pdf_enc"])
    return signing.signed_fields(pdf)


def result_pdf(db: Database, keys: StationKeys, dossier_id: str) -> bytes:
    row = q.get(db, dossier_id)
    if row is None:
        # A dossier received here for another commune: the result it signed and sent.
        relayed = relay_links.relayed_result(db, keys, dossier_id)
        if relayed is None:
            raise problem("RESULT_NOT_READY")
        return relayed
    return keys.decrypt(TABLE, dossier_id, row["version"], row["pdf_enc"])


def result_for_feed(
    db: Database, keys: StationKeys, d: Dossier, name: str
) -> dict[str, Any] | None:
    if d.result_sha256 is None:
        return None
    pdf = result_pdf(db, keys, d.id)
    return {
        "sha256": d.result_sha256,
        "pdf_b64": crypto.b64e(pdf),
        "name": name,
        "pages_png_b64": [crypto.b64e(p) for p in render_pages(pdf)],
    }
