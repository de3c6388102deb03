"""The spouses sign the Giấy chứng nhận kết hôn before the commune seals it.

"Hai bên nam, nữ cùng ký vào Giấy chứng nhận kết hôn" (Luật Hộ tịch 2014, Điều 18
khoản 2), and a seal goes only on what is already signed (Nghị định 30/2020/NĐ-CP). So
between the leader's approval (the certificate rendered and signed, not issued) and the
clerk's stamp, each spouse's mark is added to the certificate as a signature field of
its own (``shared.issuing.PARTY_FIELDS``), an incremental update made with the commune's
certificate: the office's record that this person signed before this officer. The mark
is one of ``shared.signatures.SignatureMark``:

- ``signature``: strokes drawn on a screen (the desk's pad, or any client of
  ``POST /v1/dossiers/{id}/result/signatures``), drawn into the spouse's box;
- ``thumbprint``: the spouse cannot sign and gives a thumbprint on the printed copy,
  with a named witness;
- ``paper``: the spouse signed the printed copy by hand (the box says so).

The clerk's seal then covers them (``actions.apply_action`` refuses to stamp before:
``RESULT_PARTIES_UNSIGNED``). As approval does, the signing runs before the short write
transaction, which re-checks that neither the dossier nor the stored result moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from shared import crypto
from shared.catalogue import Catalogue
from shared.errors import problem
from shared.issuing import PARTY_FIELDS, result_parties
from shared.model import Dossier
from shared.signatures import SignatureMark, SigningParty, check_marks, party_name
from shared.views import DossierView
from shared.workflow import ACTION_LABELS, Action, Status, transition_not_allowed
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit
from sync_server.services.office import actions, stamping
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office.changes import append_note
from sync_server.services.pki import certs, signing
from sync_server.services.setup.staff import Staff
from sync_server.store import results as q
from sync_server.store.db import transaction

SIGN_ACTION = Action.SIGN_RESULT
_MAX_MARKS = 4
_HOW = {
    "signature": "ký trên màn hình",
    "thumbprint": "điểm chỉ trên bản giấy",
    "paper": "ký trên bản giấy",
}


def _decode(raw: Any) -> list[SignatureMark]:
    """The request's marks, each checked by the wire decoder and ``check_mark``."""
    if not isinstance(raw, list) or not raw or len(raw) > _MAX_MARKS:
        raise problem(
            "REQUEST_INVALID",
            "signatures",
            detail=f"signatures: a list of 1 to {_MAX_MARKS} marks",
            detail_vi=f"cần từ 1 đến {_MAX_MARKS} chữ ký",
        )
    return [SignatureMark.from_dict(m, f"signatures[{i}]") for i, m in enumerate(raw)]


def _day(mark: SignatureMark) -> str:
    """dd/mm/yyyy of the mark's time ("" when it is not an ISO time)."""
    iso = mark.at[:10]
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 and all(p.isdigit() for p in parts) else ""


def caption(mark: SignatureMark, officer: str) -> list[str]:
    """The small lines under (or instead of) a spouse's strokes in their box."""
    day = _day(mark)
    when = f"ngày {day}, " if day else ""
    if mark.kind == "signature":
        return [f"Ký trên màn hình {when}trước mặt {officer}"]
    if mark.kind == "thumbprint":
        return [f"Điểm chỉ trên bản giấy {when}", f"Người làm chứng: {mark.witness_name or ''}"]
    return [f"Đã ký trên bản giấy {when}", f"trước mặt {officer}"]


def _party_box(
    layout: signing.SignatureLayout, parties: Sequence[SigningParty], party: str
) -> signing.Box:
    index = [p.party for p in parties].index(party)
    if index >= len(layout.parties):
        # A certificate approved before its renderer kept the spouses' boxes.
        raise problem("RESULT_NOT_READY")
    return layout.parties[index]


def sign_result(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    raw_marks: Any,
) -> DossierView:
    """Add the given spouses' marks to the approved certificate (each once); returns the
    dossier view. Refused on another procedure (``REQUEST_INVALID``), another status
    (``TRANSITION_NOT_ALLOWED``), a bad or repeated mark (``SIGNATURE_INVALID`` naming
    the field)."""
    base = dossier_store.load(db, keys, dossier_id)
    proc = catalogue.get(base.procedure)
    parties = result_parties(proc)
    if not parties:
        raise problem(
            "REQUEST_INVALID",
            "signatures",
            detail=f"the result of {proc.code} is signed by the office only",
            detail_vi="kết quả của thủ tục này không có chữ ký của người dân",
        )
    if base.status is not Status.APPROVED:
        raise transition_not_allowed(SIGN_ACTION, base.status, "signatures")
    marks = check_marks(proc, _decode(raw_marks))
    row = q.get(db, base.id)
    if row is None or int(row["version"]) != stamping.VERSION_LEADER_SIGNED:
        raise problem("RESULT_NOT_READY")
    pdf = keys.decrypt(stamping.TABLE, base.id, row["version"], row["pdf_enc"])
    done = set(signing.signed_fields(pdf))
    for i, m in enumerate(marks):
        if PARTY_FIELDS[m.party] in done:
            raise problem(
                "SIGNATURE_INVALID",
                f"signatures[{i}].party",
                detail="this party has already signed the certificate",
                detail_vi="người này đã ký vào giấy chứng nhận",
            )
    layout = stamping.stored_layout(db, base.id)
    unit = get_unit(db) or {}
    by_party = {p.party: p for p in parties}
    notes = []
    certs.ensure_certificate(db, keys, certs.COMMUNE)
    with certs.open_signer(db, keys, certs.COMMUNE) as (signer, _holder):
        for m in marks:
            party = by_party[m.party]
            name = party_name(party, base.values)
            pdf = signing.sign_party(
                pdf,
                signer,
                field=PARTY_FIELDS[m.party],
                box=_party_box(layout, parties, m.party),
                strokes=m.strokes,
                caption=caption(m, staff.full_name),
                name=name,
                reason=(
                    f"Chữ ký của {party.label_vi.lower()} {name} trước mặt {staff.full_name}, "
                    f"hồ sơ {base.code}"
                ),
                location=str(unit.get("place_name") or ""),
            )
            notes.append(f"{party.label_vi} {name} {_HOW[m.kind]}")
    return _commit(db, keys, catalogue, staff, base, row, pdf, "; ".join(notes))


def _commit(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    base: Dossier,
    row: dict[str, Any],
    pdf: bytes,
    note: str,
) -> DossierView:
    """Store the certificate with the spouses' signatures and log it, if nothing moved."""
    with transaction(db):
        d = dossier_store.load(db, keys, base.id)
        stored = q.replace_unissued(
            db,
            d.id,
            stamping.VERSION_LEADER_SIGNED,
            keys.encrypt(stamping.TABLE, d.id, stamping.VERSION_LEADER_SIGNED, pdf),
            crypto.sha256_hex(pdf),
            str(row["sha256"]),
        )
        if d.version != base.version or not stored:
            label = ACTION_LABELS[SIGN_ACTION]
            raise problem(
                "ACTION_CONFLICT",
                "version",
                action=label.vi,
                action_en=label.en,
                base=base.version,
                server=d.version,
            )
        at = vn_now_iso()
        append_note(d, staff, SIGN_ACTION, at, note)
        dossier_store.save(db, keys, d)
        actions.record_change(
            db, keys, d, staff, action=SIGN_ACTION, at=at, before=d.status, reason=note
        )
    return dossier_store.detail(d, catalogue, staff.role)


def parties_signed(
    db: Database, keys: StationKeys, catalogue: Catalogue, dossier_id: str
) -> list[str]:
    """The parties (``wife``, ``husband``) whose mark is already on the dossier's result."""
    d = dossier_store.load(db, keys, dossier_id)
    parties = result_parties(catalogue.get(d.procedure))
    if not parties:
        return []
    have = set(stamping.signed_fields_of(db, keys, d.id))
    return [p.party for p in parties if PARTY_FIELDS[p.party] in have]
